//go:build !(js && wasm)

// Command labworker is the labs' training worker: a core-only wasm that
// runs in a Web Worker (see main_wasm.go). Natively it does nothing.
package main

func main() {}
