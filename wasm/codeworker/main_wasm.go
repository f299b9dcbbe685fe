//go:build js && wasm

// Command codeworker writes the experiment as code in a Web Worker of its
// own (code.wasm), which the page starts the first time "Show code" is
// clicked: package codegen's text/template costs some 330 KB of brotli
// that the page's ui.wasm does not carry. web/static/worker.js loads it;
// each wire.CodeRequest gets a wire.CodeScript (the script or the error).
package main

import (
	"syscall/js"

	"nceplay/wasm/codeworker/answer"
	"nceplay/wasm/wire"
)

func main() {
	self := js.Global()
	self.Set("nceDeliver", js.FuncOf(func(_ js.Value, args []js.Value) any {
		self.Call("postMessage", reply(args[0]))
		return nil
	}))
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	select {}
}

// reply answers one message: a CodeRequest, or anything else with an
// error (the answer then carries the message's id, if it had one).
func reply(v js.Value) js.Value {
	var out wire.CodeScript
	switch m, err := wire.FromJS(v); m := m.(type) {
	case wire.CodeRequest:
		a := answer.For(m.Query, m.Lang)
		out = wire.CodeScript{ID: m.ID, Script: a.Script, Err: a.Err}
	default:
		out.Err = "the code generator: not a code request"
		if err != nil {
			out.Err = "the code generator: " + err.Error()
		}
		if v.Type() == js.TypeObject && v.Get("id").Type() == js.TypeNumber {
			out.ID = v.Get("id").Int()
		}
	}
	o, _ := wire.ToJS(out) // no typed arrays to transfer
	return o
}
