# Hosting (issue #4): the built site, the Go server and the Cloudflare Worker.
# Included from the top Makefile (`include server/server.mk`); paths are
# relative to the repository root. GOROOT and SHELL come from there.

SITE_SRC    := web/static
SITE_OUT    := web/site
# Extra files the UI build adds to the site (its .wasm); wasm_exec.js is
# always GOROOT's (the browser's), never the Worker shim's.
SITE_ADD    ?=
WORKER_DIR  := server/worker
# The Worker's bundle: workers-assets-gen's shim and app.wasm (WORKER_APP,
# which the generator wipes first) and the static assets (WORKER_ASSETS).
WORKER_APP    := build/worker/app
WORKER_ASSETS := build/worker/assets
SERVER_BIN  := build/bin/nceserver
# The wasm files' .br are at brotli quality 11 (what the page budget is
# measured on, wasm/README.md#budgets); build/brcache keeps them by content,
# so only a changed wasm is compressed again (~20 s each, on every core).
# WEBBUILD_FLAGS=-br-large=9 for a faster, 12% larger .br.
BR_CACHE    := build/brcache
WEBBUILD    := go run ./cmd/webbuild -br-cache $(BR_CACHE) $(WEBBUILD_FLAGS)

.PHONY: site server serve test-server test-worker worker worker-dev bench-server bench-worker clean-server

# The built site, embedded by web/site.go (run before go vet/test/build).
site:
	$(WEBBUILD) -src $(SITE_SRC) -o $(SITE_OUT) -add $(GOROOT)/lib/wasm/wasm_exec.js \
	  $(foreach f,$(SITE_ADD),-add $(f))

server: site
	go build -o $(SERVER_BIN) ./server/nceserver

# `make serve` runs the Go server on 127.0.0.1:8080 (ADDR=… to change).
ADDR ?= 127.0.0.1:8080
serve: server
	$(SERVER_BIN) -addr $(ADDR)

# httptest tests of the shared routes, the preview, webbuild, and the real
# binary over TCP.
test-server: site
	go test -count=1 ./server/... ./cmd/webbuild/ ./web/

# The Worker: the site (web/site, as `site` builds it) plus the Worker's
# static assets and embedded page, workers-assets-gen's shim (it wipes
# $(WORKER_APP)), and the Go worker as app.wasm.
worker:
	$(WEBBUILD) -src $(SITE_SRC) -o $(SITE_OUT) -add $(GOROOT)/lib/wasm/wasm_exec.js \
	  $(foreach f,$(SITE_ADD),-add $(f)) \
	  -worker-assets $(WORKER_ASSETS) -worker-page $(WORKER_DIR)/page/index.html
	go run github.com/syumai/workers/cmd/workers-assets-gen -mode=go -o $(WORKER_APP)
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $(WORKER_APP)/app.wasm ./$(WORKER_DIR)
	@gzip -9 -c $(WORKER_APP)/app.wasm | wc -c | awk '{printf "worker: app.wasm %.2f MB gzip (limit 3 MB)\n", $$1/1e6}'

$(WORKER_DIR)/node_modules/.package-lock.json: $(WORKER_DIR)/package-lock.json
	cd $(WORKER_DIR) && npm ci --no-audit --no-fund
	@touch $@

# `make worker-dev` runs the Worker locally with wrangler dev on 127.0.0.1.
WORKER_PORT ?= 8787
worker-dev: worker $(WORKER_DIR)/node_modules/.package-lock.json
	cd $(WORKER_DIR) && WRANGLER_SEND_METRICS=false CLOUDFLARE_CF_FETCH_ENABLED=false \
	  node node_modules/wrangler/bin/wrangler.js dev --ip 127.0.0.1 --port $(WORKER_PORT) \
	  --show-interactive-dev-session=false

# The Worker smoke test: npm ci, build, wrangler dev on a free port, every
# route compared with the Go server; ends with "N passed, N failed".
test-worker: worker
	bash $(WORKER_DIR)/smoke.sh

# The load benchmark: 20,000 requests from 64 clients against the Go
# server on loopback, then previews of many distinct specs.
bench-server: site
	go test -count=1 -run '^$$' -bench 'Load' -benchtime 1x ./server/nceserver/

# The same load mix against the Worker under wrangler dev.
bench-worker: worker
	bash $(WORKER_DIR)/smoke.sh bench

clean-server:
	rm -rf $(SERVER_BIN) build/worker $(WORKER_DIR)/page
