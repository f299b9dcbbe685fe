//go:build js && wasm

// Command gifworker makes the experiment's animated GIF in a Web Worker of
// its own (gif.wasm), which the page starts the first time "Make GIF" is
// clicked: package gifexport (the trainer, the rasterizer, the Go fonts,
// image/gif) stays out of the page's ui.wasm. web/static/worker.js loads
// it; each message {id, query, panels, frames, width, dark} gets
// {id, gif, name, warn} (gif a Uint8Array, its buffer transferred) or
// {id, error}.
package main

import (
	"strings"
	"syscall/js"

	"nceplay/wasm/gifworker/answer"
)

func main() {
	self := js.Global()
	self.Set("nceDeliver", js.FuncOf(func(_ js.Value, args []js.Value) any {
		m := args[0]
		r := answer.Request{
			Query:  m.Get("query").String(),
			Frames: m.Get("frames").Int(),
			Width:  m.Get("width").Int(),
			Dark:   m.Get("dark").Truthy(),
		}
		if p := m.Get("panels"); p.Type() == js.TypeString {
			r.Panels = []string{}
			if p.String() != "" {
				r.Panels = strings.Split(p.String(), ",")
			}
		}
		a := answer.For(r)
		out := js.Global().Get("Object").New()
		out.Set("id", m.Get("id"))
		if a.Err != "" {
			out.Set("error", a.Err)
			self.Call("postMessage", out)
			return nil
		}
		b := js.Global().Get("Uint8Array").New(len(a.GIF))
		js.CopyBytesToJS(b, a.GIF)
		out.Set("gif", b)
		out.Set("name", a.Name)
		if a.Warn != "" {
			out.Set("warn", a.Warn)
		}
		self.Call("postMessage", out, []any{b.Get("buffer")})
		return nil
	}))
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	select {}
}
