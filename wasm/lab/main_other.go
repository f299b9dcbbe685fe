//go:build !(js && wasm)

package main

// Natively the page has nothing to show; the components still compile so
// that go vet and the native tests see them.
func main() {}
