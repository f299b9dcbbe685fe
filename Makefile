# NCE Playground — see README.md.
#   make run    build and serve the playground on 127.0.0.1:8080
#   make test   everything CI checks (installs what it needs when missing)
#   make bench  the speed targets (native and wasm under Node.js, the server's load)

SHELL := bash
GOROOT := $(shell go env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm
# Go's wasm test runner (go_js_wasm_exec) must be on PATH for GOOS=js go test.
WASMENV := GOOS=js GOARCH=wasm PATH="$(WASMEXEC):$$PATH"
BIN := build/bin

.PHONY: all run test test-native test-code code-deps test-wasm lint bench bench-native bench-wasm bench-w2v bench-labs bench-sweep bench-mix bench-vocab bench-tfjs-node nceplay fuzz clean

all: nceplay

nceplay:
	go build -o $(BIN)/nceplay ./cmd/nceplay

run: serve

test: lint test-native test-wasm test-worker ui-e2e

lint: site
	@bad=$$(gofmt -l $$(git ls-files '*.go' | xargs -r grep -L '^// Code generated')); \
	  if [ -n "$$bad" ]; then echo "gofmt needed: $$bad"; exit 1; fi
	go vet ./...

test-native: site code-deps
	NCE_REQUIRE_TORCH=1 go test -count=1 ./...

# Debian's PyTorch and NumPy for the code-export tests (codegen runs the
# scripts it writes; docs/spec.md#code), installed when missing. Debian's
# python3, which they install into, is /usr/bin/python3.
code-deps:
	@/usr/bin/python3 -c 'import torch, numpy' 2>/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-torch python3-numpy)

# Only the code-export tests: every part of the scripts runs, and three
# experiments' scripts land where the engine does.
test-code: code-deps
	NCE_REQUIRE_TORCH=1 go test -count=1 -v ./codegen/

test-wasm:
	$(WASMENV) go test -count=1 -short ./core/...

bench: bench-native bench-wasm bench-w2v bench-labs bench-vocab bench-tfjs-node bench-server ui-bench

bench-native:
	go test -run '^$$' -bench 'W1|W2' -benchmem -count=1 ./core/nce/

bench-wasm:
	$(WASMENV) go test -run '^$$' -bench 'W1|W2' -benchmem -count=1 ./core/nce/

# The word2vec lab: its pair step and training throughput natively and in
# wasm under Node.js (Go benchmarks, 0 allocs/op), then beside gensim's
# Cython word2vec on the same generated corpus, alternating rounds in one
# run (bench/w2v; installs Debian's python3-gensim if missing).
bench-w2v:
	go test -run '^$$' -bench 'Train|Step' -benchmem -count=1 ./core/lab/w2v/ ./core/embed/
	$(WASMENV) go test -run '^$$' -bench 'Train|Step' -benchmem -count=1 ./core/lab/w2v/ ./core/embed/
	bash bench/w2v/compare.sh

# The labs' speed targets (issue 10): the default sweep with 400
# repetitions natively on every core, in wasm under Node.js on one thread,
# and as two browser workers would run it — two Node.js processes, each
# with half the repetitions (nceplay sweep --part) — wall time; then the
# mixture noise's steps to kl ≤ 0.1 on every 2D target (three seeds).
SWEEP400 := 'reps=400'
bench-labs: bench-sweep bench-mix

bench-sweep:
	go test -run '^$$' -bench 'Sweep400' -benchtime=3x -count=1 ./core/lab/sweep/
	$(WASMENV) go test -run '^$$' -bench 'Sweep400' -benchtime=1x -count=1 ./core/lab/sweep/
	GOOS=js GOARCH=wasm go build -o $(BIN)/nceplay.wasm ./cmd/nceplay
	@start=$$(date +%s.%N); \
	  node $(WASMEXEC)/wasm_exec_node.js $(BIN)/nceplay.wasm sweep --json --part=0/2 $(SWEEP400) >/dev/null & \
	  node $(WASMEXEC)/wasm_exec_node.js $(BIN)/nceplay.wasm sweep --json --part=1/2 $(SWEEP400) >/dev/null & \
	  wait; end=$$(date +%s.%N); \
	  echo "two wasm workers (Node.js processes), 400 repetitions: $$(echo "$$end - $$start" | bc) s"

bench-mix:
	go test -run '^$$' -bench 'MixKL' -benchtime=3x -count=1 -timeout=60m ./core/nce/

# The large-vocabulary lab: time per training step against V (5·10³ to
# 10⁵) for the full softmax and NCE at k = 10 and 25, alternating rounds,
# natively and in wasm under Node.js (0 allocs/op); then the default run
# (V = 2·10⁴, NCE k = 25 beside its softmax reference on the same data),
# whose figures README.md quotes.
bench-vocab:
	go test -run '^$$' -bench 'Scaling' -benchtime 10x -benchmem -count=1 ./core/lab/vocab/
	$(WASMENV) go test -run '^$$' -bench 'Scaling' -benchtime 5x -benchmem -count=1 ./core/lab/vocab/
	go run ./cmd/nceplay run --json 'lab=vocab'

# The core issue's comparison: core's W1 and W2 in wasm under Node.js
# beside the same steps written with TensorFlow.js's wasm backend under
# Node.js, alternating rounds in one run.
bench-tfjs-node:
	bash wasm/bench/tfjs/compare-node.sh

fuzz:
	go test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./core/spec/

clean: clean-server
	rm -rf $(BIN)

# The UI's wasm files go into the site that the Go server embeds.
SITE_ADD = build/wasm/ui.wasm build/wasm/worker.wasm build/wasm/vugu-render.js \
	build/wasm/lab.wasm build/wasm/labworker.wasm build/wasm/code.wasm build/wasm/gif.wasm

include server/server.mk
include wasm/ui.mk
include wasm/lab.mk

site: ui-wasm lab-wasm
worker: ui-wasm lab-wasm
