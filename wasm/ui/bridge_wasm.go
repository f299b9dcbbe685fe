//go:build js && wasm

package main

import (
	"syscall/js"
	"unsafe"

	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The browser glue: the worker (created early by web/static/app.js), the
// address bar, clipboard, downloads, canvases and the keyboard. Callbacks
// from JS never block: they hand their data to channels that Root's
// goroutine reads.

func startBrowser(msgs chan<- inMsg, keys chan<- string) {
	g := js.Global()
	g.Set("nceOnWorker", js.FuncOf(func(_ js.Value, args []js.Value) any {
		m := decode(args[0])
		select {
		case msgs <- m:
		default: // the page is behind: drop this message (frames come again)
		}
		return nil
	}))
	if take := g.Get("nceTakeInbox"); take.Type() == js.TypeFunction {
		backlog := take.Invoke()
		for i := 0; i < backlog.Length(); i++ {
			msgs <- decode(backlog.Index(i))
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

func num(v js.Value, def int) int {
	if v.Type() == js.TypeNumber {
		return v.Int()
	}
	return def
}

func str(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

func decode(v js.Value) inMsg {
	m := inMsg{Kind: str(v.Get(wire.FKind)), Gen: num(v.Get(wire.FGen), -1),
		Msg: str(v.Get(wire.FMsg)), JSON: str(v.Get(wire.FJSON))}
	if m.Kind != wire.KindFrame {
		return m
	}
	f := &view.Frame{M: f64s(v.Get(wire.FM)), Grid: f32s(v.Get(wire.FGrid)), Theta: f64s(v.Get(wire.FTheta)),
		Note: str(v.Get(wire.FNote)), Err: str(v.Get(wire.FErr))}
	if v.Get(wire.FPoints).Truthy() {
		m.Points = true
		f.Data, f.Noise, f.Hist = f32s(v.Get(wire.FData)), f32s(v.Get(wire.FNoise)), f32s(v.Get(wire.FHist))
	}
	m.Frame = f
	return m
}

func bytesOf(a js.Value) js.Value {
	return js.Global().Get("Uint8Array").New(a.Get("buffer"), a.Get("byteOffset"), a.Get("byteLength"))
}

func f64s(a js.Value) []float64 {
	if a.Type() != js.TypeObject {
		return nil
	}
	out := make([]float64, a.Length())
	if len(out) > 0 {
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 8*len(out)), bytesOf(a))
	}
	return out
}

func f32s(a js.Value) []float32 {
	if a.Type() != js.TypeObject {
		return nil
	}
	out := make([]float32, a.Length())
	if len(out) > 0 {
		js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 4*len(out)), bytesOf(a))
	}
	return out
}

func postWorker(m map[string]any) {
	if w := js.Global().Get("nceWorker"); w.Truthy() {
		w.Call("postMessage", m)
	}
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

func exportPNG(panel string) { js.Global().Call("nceExportPNG", panel) }

func setTheme(theme string) {
	js.Global().Get("document").Get("documentElement").Get("dataset").Set("theme", theme)
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
