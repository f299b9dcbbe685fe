// Command ui is the playground's page: a Vugu app (a thin view, docs/architecture.md#data-flow) that shows what the training worker (wasm/worker) sends. Its logic
// lives in package view; this package holds the components and the glue to
// the browser (bridge_wasm.go).
//
// Generate the components with `go generate ./wasm/ui` (without GOOS and
// GOARCH set), then build with GOOS=js GOARCH=wasm.
package main

//go:generate go tool vugugen -s -skip-go-mod
