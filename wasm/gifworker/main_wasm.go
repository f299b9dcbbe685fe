//go:build js && wasm

// Command gifworker makes the experiment's animated GIF in a Web Worker of
// its own (gif.wasm), which the page starts the first time "Make GIF" is
// clicked: package gifexport (the trainer, the rasterizer, the Go fonts,
// image/gif) stays out of the page's ui.wasm. web/static/worker.js loads
// it; each wire.GIFRequest gets a wire.GIFImage (the GIF's bytes, their
// buffer transferred, or the error).
package main

import (
	"strings"
	"syscall/js"

	"nceplay/wasm/gifworker/answer"
	"nceplay/wasm/wire"
)

func main() {
	self := js.Global()
	self.Set("nceDeliver", js.FuncOf(func(_ js.Value, args []js.Value) any {
		o, transfer := wire.ToJS(reply(args[0]))
		self.Call("postMessage", o, transfer)
		return nil
	}))
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	select {}
}

// reply answers one message: a GIFRequest, or anything else with an
// error (the answer then carries the message's id, if it had one).
func reply(v js.Value) wire.GIFImage {
	m, err := wire.FromJS(v)
	req, ok := m.(wire.GIFRequest)
	if !ok {
		out := wire.GIFImage{Err: "the GIF maker: not a GIF request"}
		if err != nil {
			out.Err = "the GIF maker: " + err.Error()
		}
		if v.Type() == js.TypeObject && v.Get("id").Type() == js.TypeNumber {
			out.ID = v.Get("id").Int()
		}
		return out
	}
	r := answer.Request{Query: req.Query, Frames: req.Frames, Width: req.Width, Dark: req.Dark, Panels: []string{}, Data: req.Data}
	if req.Panels != "" {
		r.Panels = strings.Split(req.Panels, ",")
	}
	a := answer.For(r)
	return wire.GIFImage{ID: req.ID, GIF: a.GIF, Name: a.Name, Warn: a.Warn, Err: a.Err}
}
