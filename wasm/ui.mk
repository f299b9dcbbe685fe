# wasm/ui.mk — the browser playground (issue #3). Included by the top Makefile.
#
#   make ui-build   generate the Vugu components, build the wasm binaries
#                   (ui.wasm, worker.wasm, code.wasm for "Show code" and
#                   gif.wasm for the GIF export)
#                   and the site (cmd/webbuild, via server.mk) into $(UI_SITE)
#   make ui-run     build and serve the site on 127.0.0.1:8080 (the Go server)
#   make ui-test    unit tests of wasm/... and the headless-Chromium tests
#   make ui-bench   budgets: UI wasm size (brotli), first render, steps/s, fps,
#                   and W2 against the same step in TensorFlow.js (wasm/bench/tfjs)
#
# The top Makefile wires: run → ui-run, test → ui-test, bench → ui-bench.

UI_OUT   ?= build/wasm
UI_SITE  ?= web/site
UI_GOROOT := $(shell go env GOROOT)
UI_WASMEXEC := $(UI_GOROOT)/lib/wasm/wasm_exec.js
UI_ADDR  ?= 127.0.0.1:8080
CHROMIUM ?= /usr/bin/chromium

UI_TFJS  := wasm/bench/tfjs

# The page's own package (the generated Vugu components and the browser
# glue) is built without inlining: inlined Vugu calls in every generated
# Build function cost ~200 KB of ui.wasm (~30 KB brotli) and save nothing
# measurable in a render (wasm/README.md, Budgets).
UI_GCFLAGS := -gcflags=nceplay/wasm/ui=-l

.PHONY: ui-gen ui-wasm ui-build ui-run ui-test ui-unit ui-e2e ui-bench ui-chromium ui-bench-deps

# vugugen runs as a go tool; never with GOOS/GOARCH exported (docs/architecture.md#build).
ui-gen:
	env -u GOOS -u GOARCH go generate ./wasm/ui

ui-wasm: ui-gen
	@mkdir -p $(UI_OUT)
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' $(UI_GCFLAGS) -o $(UI_OUT)/ui.wasm ./wasm/ui
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $(UI_OUT)/worker.wasm ./wasm/worker
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $(UI_OUT)/code.wasm ./wasm/codeworker
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $(UI_OUT)/gif.wasm ./wasm/gifworker
	@for f in ui code gif; do brotli -q 9 -c $(UI_OUT)/$$f.wasm | wc -c | awk -v f=$$f '{printf "%s.wasm: %.3f MB brotli%s\n", f, $$1/1e6, f == "ui" ? " (budget 1.2 MB)" : " (loaded on demand)"}'; done
	cp $(UI_WASMEXEC) $(UI_OUT)/wasm_exec.js
	go run ./wasm/tools/vugujs -o $(UI_OUT)/vugu-render.js

# The site (server.mk's `site`) carries the UI: the top Makefile sets
# SITE_ADD to the files ui-wasm builds and makes `site` depend on ui-wasm.
ui-build: site

ui-run: serve

# Debian's chromium (no browser downloads work here).
ui-chromium:
	@test -x $(CHROMIUM) || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

ui-unit:
	go test -count=1 ./wasm/...

ui-e2e: ui-build ui-chromium
	NCE_SITE=$(CURDIR)/$(UI_SITE) CHROMIUM=$(CHROMIUM) go test -count=1 -timeout 25m -v ./wasm/e2e/

ui-test: ui-unit ui-e2e

# The benchmark's own npm packages (TensorFlow.js, pinned in its
# package-lock.json; dev-only, never part of the site).
ui-bench-deps:
	@test -d $(UI_TFJS)/node_modules || (cd $(UI_TFJS) && npm ci --ignore-scripts --no-audit --no-fund)

ui-bench: ui-build ui-chromium ui-bench-deps
	NCE_SITE=$(CURDIR)/$(UI_SITE) CHROMIUM=$(CHROMIUM) NCE_BENCH=1 go test -count=1 -timeout 40m -run 'TestBudgets' -v ./wasm/e2e/
