//go:build js && wasm

package main

import (
	"syscall/js"

	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The browser glue: the workers (started early by web/static/app.js), the
// address bar, clipboard, downloads, canvases and the keyboard. Callbacks
// from JS never block: they hand their data to channels that Root's
// goroutine reads.

func startBrowser(msgs chan<- wire.Message, keys chan<- string, events chan<- func(*Root)) {
	g := js.Global()
	post := func(f func(*Root)) {
		select {
		case events <- f:
		default:
		}
	}
	// The plots' slots, measured by web/static/app.js (a ResizeObserver):
	// a flat array of id, width, height, ….
	g.Set("nceOnSizes", js.FuncOf(func(_ js.Value, args []js.Value) any {
		a := args[0]
		m := view.Sizes{}
		for i := 0; i+2 < a.Length(); i += 3 {
			m[a.Index(i).String()] = view.Size{W: a.Index(i + 1).Float(), H: a.Index(i + 2).Float()}
		}
		post(func(c *Root) { c.SetSizes(m) })
		return nil
	}))
	// The readout under the pointer: app.js asks for the text at a point
	// of a slot (synchronously; reading the plots is all this does).
	g.Set("nceHover", js.FuncOf(func(_ js.Value, args []js.Value) any {
		h := hovers[args[0].String()]
		if h == nil {
			return ""
		}
		return h.Text(args[1].Float(), args[2].Float())
	}))
	// A file the user chose or dropped (web/static/app.js reads it): its
	// kind (view.FileTour, FileData, FileAny), name and text (null when
	// it could not be read).
	g.Set("nceOnFile", js.FuncOf(func(_ js.Value, args []js.Value) any {
		kind, name, ok := args[0].String(), args[1].String(), args[2].Type() == js.TypeString
		text := ""
		if ok {
			text = args[2].String()
		}
		post(func(c *Root) { c.LoadFile(kind, name, text, ok) })
		return nil
	}))
	if mq := g.Call("matchMedia", "(prefers-color-scheme: dark)"); mq.Truthy() {
		mq.Call("addEventListener", "change", js.FuncOf(func(_ js.Value, args []js.Value) any {
			dark := args[0].Get("matches").Bool()
			post(func(c *Root) { c.SysDark = dark })
			return nil
		}))
	}
	deliver := func(v js.Value) {
		m, err := wire.FromJS(v)
		if err != nil {
			g.Get("console").Call("error", "playground: "+err.Error())
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
	// web/static/app.js started the workers early and kept what they said
	// until now.
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
	connectWorkers()
	startPaint(post)
	if take := g.Get("nceTakeSizes"); take.Type() == js.TypeFunction {
		take.Invoke()
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

// connectWorkers gives the two training workers (web/static/app.js starts
// a helper when the machine has two cores) a MessageChannel to split each
// step over (wire.Connect).
func connectWorkers() {
	ws := js.Global().Get("nceWorkers")
	if !ws.Truthy() || ws.Length() < 2 {
		return
	}
	ch := js.Global().Get("MessageChannel").New()
	for i, role := range []string{wire.RoleLeader, wire.RoleHelper} {
		port := ch.Get([]string{"port1", "port2"}[i])
		v, _ := wire.ToJS(wire.Connect{Role: role, Port: port})
		ws.Index(i).Call("postMessage", v, []any{port})
	}
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

// scrollToPanel brings a panel into view (a tour's step), after the
// render under way.
func scrollToPanel(panel string) {
	if panel != "" {
		js.Global().Call("nceScrollTo", panel)
	}
}

func copyText(s string) { js.Global().Call("nceCopy", s) }

func download(name, mime, content string) { js.Global().Call("nceDownload", name, mime, content) }

func exportPNG(panel string) { js.Global().Call("nceExportPNG", panel) }

// prefersDark reports whether the system asks for a dark theme.
func prefersDark() bool {
	mq := js.Global().Call("matchMedia", "(prefers-color-scheme: dark)")
	return mq.Truthy() && mq.Get("matches").Bool()
}

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

// writeLive writes a live item's content (text, or markup when html)
// into its element, [data-live=id], unless the element already shows
// that content: it keeps the seq it shows and the first and last nodes
// written, so an element a Vugu render reused or replaced is written
// again. An item whose element is not on the page (its panel hidden) is
// skipped.
func writeLive(id string, html bool, content string, seq uint64) {
	el := js.Global().Get("document").Call("querySelector", `[data-live="`+id+`"]`)
	if !el.Truthy() {
		return
	}
	if s := el.Get("__nceSeq"); s.Type() == js.TypeNumber && uint64(s.Float()) == seq &&
		el.Get("firstChild").Equal(el.Get("__nceFirst")) && el.Get("lastChild").Equal(el.Get("__nceLast")) {
		return
	}
	if html {
		el.Set("innerHTML", content)
	} else {
		el.Set("textContent", content)
	}
	el.Set("__nceSeq", float64(seq))
	el.Set("__nceFirst", el.Get("firstChild"))
	el.Set("__nceLast", el.Get("lastChild"))
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

// showCode opens the "Show code" dialog of an experiment query
// (web/static/app.js: the script is written by code.wasm in a worker of
// its own, started the first time; the page's wasm stays without the
// generator and without the dialog's markup).
func showCode(query string) { js.Global().Call("nceShowCode", query) }

// showGIF opens the "GIF" dialog of an experiment query (web/static/app.js:
// the GIF is made by gif.wasm in a worker of its own, started on the first
// "Make GIF"; ui.wasm links neither gifexport nor the dialog).
func showGIF(query string, panels []view.GIFChoice, dark bool, data string) {
	ps := make([]any, len(panels))
	for i, p := range panels {
		ps[i] = map[string]any{"id": p.ID, "title": p.Title, "on": p.On}
	}
	caps := map[string]any{
		"minFrames": view.GIFMinFrames, "frames": view.GIFDefaultFrames, "maxFrames": view.GIFMaxFrames,
		"minWidth": view.GIFMinWidth, "width": view.GIFDefaultWidth, "maxWidth": view.GIFMaxWidth,
	}
	js.Global().Call("nceShowGIF", query, ps, caps, dark, data)
}
