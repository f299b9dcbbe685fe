# wasm/lab.mk — the labs' pages (docs/spec.md#labs). Included by the top
# Makefile; `make site` (and so run, test, ui-build) builds them.
#
#   make lab-build  generate the lab app's components, build lab.wasm (the
#                   labs' page, with the tag labpage: the labs' key tables
#                   without their engines) and labworker.wasm (the engines,
#                   in a Web Worker), then the site
#   make lab-wasm   the two wasm files only
#
# app.js loads them instead of ui.wasm/worker.wasm when the query names a
# lab (/?lab=w2v&…, /embed?lab=…). The browser tests are in wasm/e2e
# (lab_test.go), run by make ui-e2e.

.PHONY: lab-gen lab-wasm lab-build

# vugugen runs as a go tool; never with GOOS/GOARCH exported (docs/architecture.md#build).
lab-gen:
	env -u GOOS -u GOARCH go generate ./wasm/lab

lab-wasm: lab-gen
	@mkdir -p $(UI_OUT)
	go test -count=1 -tags labpage -run 'TestPageHasNoEngines' ./core/lab/
	GOOS=js GOARCH=wasm go build -tags labpage -trimpath -ldflags='-s -w' -o $(UI_OUT)/lab.wasm ./wasm/lab
	GOOS=js GOARCH=wasm go build -trimpath -ldflags='-s -w' -o $(UI_OUT)/labworker.wasm ./wasm/labworker

lab-build: site
