#!/usr/bin/env bash
# The Worker smoke test (`make test-worker`, after `make worker`): installs
# wrangler from the committed lockfile, starts `wrangler dev` on a free
# 127.0.0.1 port, and runs ./smoke, which sends every conformance case to
# the Worker and to the Go routes and compares them. wrangler is stopped by
# its PID on every exit path. The last line is "N passed, N failed".
#
# `smoke.sh bench` (`make bench-worker`) runs the load benchmark
# (BenchmarkLoadWorker: 20,000 requests from 64 clients) against the same
# wrangler dev instead.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$here"

fail() { echo "smoke: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

[[ -f "$root/build/worker/app/app.wasm" && -f "$root/build/worker/app/worker.mjs" && -f "$root/build/worker/assets/_headers" && -f page/index.html ]] ||
  fail "the Worker is not built (run make worker)"

if [[ ! -x node_modules/.bin/wrangler || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || fail "npm ci failed"
fi

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}
port=$(free_port)
inspector=$(free_port)
while [[ "$inspector" == "$port" ]]; do inspector=$(free_port); done

tmp=$(mktemp -d)
log="$tmp/wrangler.log"
pid=""
cleanup() {
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

unset CLOUDFLARE_API_TOKEN CLOUDFLARE_ACCOUNT_ID
XDG_CONFIG_HOME="$tmp/config" WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
  WRANGLER_LOG_PATH="$tmp/logs" \
  node node_modules/wrangler/bin/wrangler.js dev --ip 127.0.0.1 --port "$port" \
  --inspector-port "$inspector" --show-interactive-dev-session=false </dev/null >"$log" 2>&1 &
pid=$!

cd "$root"
status=0
if [[ "${1:-}" == bench ]]; then
  go run ./server/worker/smoke -worker "http://127.0.0.1:$port" -site web/site -wait 90s -ready-only || status=$?
  [[ $status -eq 0 ]] && { NCE_WORKER_URL="http://127.0.0.1:$port" NCE_LOAD_CLIENTS=${NCE_LOAD_CLIENTS:-32} go test -count=1 -run '^$' -bench 'LoadWorker' \
    -benchtime 1x -timeout 30m ./server/nceserver/ || status=$?; }
else
  go run ./server/worker/smoke -worker "http://127.0.0.1:$port" -site web/site -wait 90s || status=$?
fi
if [[ $status -ne 0 ]]; then
  echo "--- wrangler log (last 30 lines) ---" >&2
  tail -30 "$log" >&2 || true
  # Keep "N passed, N failed" the last line on stdout.
fi
exit $status
