//go:build js && wasm

package main

import (
	"syscall/js"

	"nceplay/wasm/wire"
)

// The browser glue: the lab worker (started early by web/static/app.js),
// the address bar, clipboard, downloads, canvases, the text box and the
// keyboard. Callbacks from JS never block: they hand their data to
// channels that Root's goroutine reads.

func startBrowser(msgs chan<- wire.Message, keys chan<- string) {
	g := js.Global()
	deliver := func(v js.Value) {
		m, err := wire.FromJS(v)
		if err != nil {
			g.Get("console").Call("error", "lab: "+err.Error())
			return
		}
		select {
		case msgs <- m:
		default: // the page is behind: drop this message (frames come again)
		}
	}
	failed := func(msg string) {
		select {
		case msgs <- wire.Failure{Gen: -1, Msg: "The training engine failed: " + msg}:
		default:
		}
	}
	g.Set("nceOnWorker", js.FuncOf(func(_ js.Value, args []js.Value) any { deliver(args[0]); return nil }))
	g.Set("nceOnWorkerError", js.FuncOf(func(_ js.Value, args []js.Value) any { failed(args[0].String()); return nil }))
	if take := g.Get("nceTakeInbox"); take.Type() == js.TypeFunction {
		backlog := take.Invoke()
		for i := 0; i < backlog.Length(); i++ {
			deliver(backlog.Index(i))
		}
	}
	if take := g.Get("nceTakeWorkerErrors"); take.Type() == js.TypeFunction {
		errs := take.Invoke()
		for i := 0; i < errs.Length(); i++ {
			failed(errs.Index(i).String())
		}
	}
	g.Get("document").Call("addEventListener", "keydown", js.FuncOf(func(_ js.Value, args []js.Value) any {
		ev := args[0]
		if ev.Get("ctrlKey").Bool() || ev.Get("metaKey").Bool() || ev.Get("altKey").Bool() {
			return nil
		}
		tag := ev.Get("target").Get("tagName").String()
		if tag == "INPUT" || tag == "SELECT" || tag == "TEXTAREA" {
			return nil
		}
		k := ev.Get("key").String()
		if k == " " && tag == "BUTTON" {
			return nil // the button's own click
		}
		switch k {
		case " ", "s", "r":
			ev.Call("preventDefault")
			select {
			case keys <- k:
			default:
			}
		}
		return nil
	}))
}

func postWorker(m wire.Message) {
	ws := js.Global().Get("nceWorkers")
	if !ws.Truthy() || ws.Length() == 0 {
		return
	}
	v, transfer := wire.ToJS(m)
	ws.Index(0).Call("postMessage", v, transfer)
}

func pageLocation() (path, query string) {
	l := js.Global().Get("location")
	return l.Get("pathname").String(), l.Get("search").String()
}

func pageOrigin() string { return js.Global().Get("location").Get("origin").String() }

func replaceURL(addr string) {
	cur := js.Global().Get("location")
	if cur.Get("pathname").String()+cur.Get("search").String() == addr {
		return
	}
	js.Global().Get("history").Call("replaceState", nil, "", addr)
}

func copyText(s string) { js.Global().Call("nceCopy", s) }

func download(name, mime, content string) { js.Global().Call("nceDownload", name, mime, content) }

func setTheme(theme string) {
	js.Global().Get("document").Get("documentElement").Get("dataset").Set("theme", theme)
}

func setTitle(title string) { js.Global().Get("document").Set("title", title) }

// setFieldValue sets a form field's value (the text box: binding a text
// of megabytes to a property would send it to the page on every render).
func setFieldValue(id, value string) {
	if el := js.Global().Get("document").Call("getElementById", id); el.Truthy() {
		el.Set("value", value)
	}
}

var (
	pixBuf  js.Value
	u8Array = js.Global().Get("Uint8Array")
)

// drawPixels paints w×h RGBA pixels into the canvas with the id, unless
// that canvas shows seq already (a property, not an attribute: Vugu
// removes attributes it did not set).
func drawPixels(id string, seq uint64, w, h int, pix []byte) {
	cv := js.Global().Get("document").Call("getElementById", id)
	if !cv.Truthy() || len(pix) != 4*w*h {
		return
	}
	if k := cv.Get("__nceSeq"); k.Type() == js.TypeNumber && uint64(k.Float()) == seq {
		return
	}
	if cv.Get("width").Int() != w || cv.Get("height").Int() != h {
		cv.Set("width", w)
		cv.Set("height", h)
	}
	if !pixBuf.Truthy() || pixBuf.Get("length").Int() != len(pix) {
		pixBuf = js.Global().Get("Uint8ClampedArray").New(len(pix))
	}
	js.CopyBytesToJS(u8Array.New(pixBuf.Get("buffer")), pix)
	cv.Call("getContext", "2d").Call("putImageData", js.Global().Get("ImageData").New(pixBuf, w, h), 0, 0)
	cv.Set("__nceSeq", float64(seq))
}

var rendered bool

// markRendered records the first render (for the first-render budget).
func markRendered() {
	if rendered {
		return
	}
	rendered = true
	js.Global().Call("nceMarkRendered")
}
