#!/usr/bin/env bash
# The core issue's comparison under Node.js: core's W1 and W2 steps in wasm
# (go test -bench, GOOS=js GOARCH=wasm) against the same steps written with
# TensorFlow.js's wasm backend (node-bench.js), alternating for ROUNDS
# rounds in one run because this machine's speed drifts by 2× within
# minutes. Prints each round and the medians with their ratio.
# Run from the repository root: bash wasm/bench/tfjs/compare-node.sh
set -euo pipefail
rounds=${ROUNDS:-3}
wasmdir="$(go env GOROOT)/lib/wasm"
test -d wasm/bench/tfjs/node_modules || (cd wasm/bench/tfjs && npm ci --ignore-scripts --no-audit --no-fund)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
GOOS=js GOARCH=wasm go test -c -o "$bin/nce.test" ./core/nce/
ours() {
  (cd core/nce && PATH="$wasmdir:$PATH" go_js_wasm_exec "$bin/nce.test" -test.run '^$' -test.bench 'W1$|W2$' -test.benchtime 2s) |
    awk '/^BenchmarkW1/ {for(i=1;i<=NF;i++) if($i=="steps/s") w1=$(i-1)}
         /^BenchmarkW2/ {for(i=1;i<=NF;i++) if($i=="steps/s") w2=$(i-1)} END {print w1, w2}'
}
theirs() {
  (cd wasm/bench/tfjs && node node-bench.js 3) |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const j=JSON.parse(s);console.log(j.w1, j.w2)})'
}
printf 'round  core W1  TF.js W1  ratio   core W2  TF.js W2  ratio\n'
all=()
for r in $(seq "$rounds"); do
  read -r o1 o2 < <(ours)
  read -r t1 t2 < <(theirs)
  printf '%-6s %-8.0f %-9.0f %-7.2f %-8.1f %-9.1f %.2f\n' "$r" "$o1" "$t1" "$(awk "BEGIN{print $o1/$t1}")" "$o2" "$t2" "$(awk "BEGIN{print $o2/$t2}")"
  all+=("$o1 $t1 $o2 $t2")
done
printf '%s\n' "${all[@]}" | awk '
  {a[NR]=$1; b[NR]=$2; c[NR]=$3; d[NR]=$4}
  function med(x, n,   i, j, t, y) { for (i=1;i<=n;i++) y[i]=x[i]; for (i=1;i<=n;i++) for (j=i+1;j<=n;j++) if (y[j]<y[i]) {t=y[i]; y[i]=y[j]; y[j]=t}; return y[int((n+1)/2)] }
  END { n=NR; printf "median %-8.0f %-9.0f %-7.2f %-8.1f %-9.1f %.2f\n", med(a,n), med(b,n), med(a,n)/med(b,n), med(c,n), med(d,n), med(c,n)/med(d,n)
        print "targets: W1 in wasm >= 3x TF.js; W2 in wasm >= 40 steps/s" }'
