# NCE Playground — see README.md.
#   make run    build and serve the playground (until the UI lands: run the default experiment)
#   make test   everything CI checks
#   make bench  the speed targets (native and wasm under Node.js)

SHELL := bash
GOROOT := $(shell go env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm
# Go's wasm test runner (go_js_wasm_exec) must be on PATH for GOOS=js go test.
WASMENV := GOOS=js GOARCH=wasm PATH="$(WASMEXEC):$$PATH"
BIN := bin

.PHONY: all run test test-native test-wasm lint bench bench-native bench-wasm nceplay fuzz clean

all: nceplay

nceplay:
	go build -o $(BIN)/nceplay ./cmd/nceplay

run: nceplay
	$(BIN)/nceplay run ''

test: lint test-native test-wasm

lint:
	@bad=$$(gofmt -l $$(git ls-files '*.go' | xargs -r grep -L '^// Code generated')); \
	  if [ -n "$$bad" ]; then echo "gofmt needed: $$bad"; exit 1; fi
	go vet ./...

test-native:
	go test -count=1 ./...

test-wasm:
	$(WASMENV) go test -count=1 -short ./core/...

bench: bench-native bench-wasm

bench-native:
	go test -run '^$$' -bench 'W1|W2' -benchmem -count=1 ./core/nce/

bench-wasm:
	$(WASMENV) go test -run '^$$' -bench 'W1|W2' -benchmem -count=1 ./core/nce/

fuzz:
	go test -run '^$$' -fuzz FuzzParse -fuzztime 60s ./core/spec/

clean:
	rm -rf $(BIN)
