//go:build !(js && wasm)

// Command worker is the playground's training worker: a core-only wasm
// that runs in a Web Worker (see main_wasm.go). Natively it does nothing.
package main

func main() {}
