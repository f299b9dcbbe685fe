//go:build !(js && wasm)

// Command codeworker writes the experiment as code in a Web Worker (see
// main_wasm.go; the answers are package answer's). Natively it does
// nothing.
package main

func main() {}
