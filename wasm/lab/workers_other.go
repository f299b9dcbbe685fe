//go:build !(js && wasm)

package main

import "nceplay/wasm/wire"

// Native stubs of workers_wasm.go.

func startWorkers(int) int         { return 1 }
func postHelper(int, wire.Message) {}
func postHelpers(wire.Message)     {}
