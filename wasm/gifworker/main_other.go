//go:build !(js && wasm)

// Command gifworker makes the page's animated GIFs in a Web Worker (see
// main_wasm.go; the answers are package answer's). Natively it does
// nothing.
package main

func main() {}
