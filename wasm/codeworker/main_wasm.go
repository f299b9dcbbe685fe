//go:build js && wasm

// Command codeworker writes the experiment as code in a Web Worker of its
// own (code.wasm), which the page starts the first time "Show code" is
// clicked: package codegen's text/template costs some 330 KB of brotli
// that the page's ui.wasm does not carry. web/static/worker.js loads it;
// each message {id, query, lang} gets {id, script} or {id, error}.
package main

import (
	"syscall/js"

	"nceplay/wasm/codeworker/answer"
)

func main() {
	self := js.Global()
	self.Set("nceDeliver", js.FuncOf(func(_ js.Value, args []js.Value) any {
		m := args[0]
		a := answer.For(m.Get("query").String(), m.Get("lang").String())
		out := js.Global().Get("Object").New()
		out.Set("id", m.Get("id"))
		if a.Err != "" {
			out.Set("error", a.Err)
		} else {
			out.Set("script", a.Script)
		}
		self.Call("postMessage", out)
		return nil
	}))
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	select {}
}
