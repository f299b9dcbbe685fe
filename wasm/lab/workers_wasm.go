//go:build js && wasm

package main

import (
	"syscall/js"

	"nceplay/wasm/wire"
)

// A lab page whose run two workers share (labview.Page.Workers, the
// sweep) starts the second lab worker itself (web/static/app.js's
// nceStartWorker: a page of another lab never loads it) when the machine
// has two cores, and gives the two a MessageChannel (wire.Connect) over
// which the second hands its results to the first.

// startWorkers returns how many workers share a run: n if they could be
// started, else 1.
func startWorkers(n int) int {
	g := js.Global()
	if n < 2 || g.Get("navigator").Get("hardwareConcurrency").Int() < 2 {
		return 1
	}
	start := g.Get("nceStartWorker")
	if start.Type() != js.TypeFunction {
		return 1
	}
	for g.Get("nceWorkers").Length() < n {
		if !start.Invoke().Truthy() {
			return 1
		}
	}
	ws := g.Get("nceWorkers")
	for i := 1; i < n; i++ {
		ch := g.Get("MessageChannel").New()
		for j, w := range []int{0, i} {
			port := ch.Get([]string{"port1", "port2"}[j])
			v, _ := wire.ToJS(wire.Connect{Role: []string{wire.RoleLeader, wire.RoleHelper}[j], Port: port})
			ws.Index(w).Call("postMessage", v, []any{port})
		}
	}
	return n
}

// postHelper posts a message to worker i (≥ 1).
func postHelper(i int, m wire.Message) {
	ws := js.Global().Get("nceWorkers")
	if !ws.Truthy() || ws.Length() <= i {
		return
	}
	v, transfer := wire.ToJS(m)
	ws.Index(i).Call("postMessage", v, transfer)
}

// postHelpers posts a message to every worker but the first.
func postHelpers(m wire.Message) {
	ws := js.Global().Get("nceWorkers")
	for i := 1; ws.Truthy() && i < ws.Length(); i++ {
		postHelper(i, m)
	}
}
