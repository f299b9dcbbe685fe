//go:build js && wasm

package main

import (
	"syscall/js"

	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// startPaint installs the paint mode's pointer handlers (paint.go) on
// the document: a press on the Samples slot while painting begins a
// stroke (the pointer is captured, so a drag that leaves the panel still
// ends it), moves dab, a release or cancel ends it. Each change is drawn
// on the canvas at once (drawPixels); no render, no worker message per
// move. Pointer events cover mouse, pen and touch (the slot has
// touch-action none while painting).
func startPaint(post func(func(*Root))) {
	paintPost = post
	doc := js.Global().Get("document")
	sel := `[data-slot="` + spec.PanelSamples + `"]`
	at := func(ev js.Value, first bool) {
		t := ev.Get("target")
		slot := js.Null()
		if first {
			if t.Get("closest").Type() != js.TypeFunction {
				return
			}
			slot = t.Call("closest", sel)
		} else {
			slot = doc.Call("querySelector", sel)
		}
		if !slot.Truthy() || !slot.Get("classList").Call("contains", "nce-painting").Bool() {
			return
		}
		if first {
			ev.Call("preventDefault")
			if id := ev.Get("pointerId"); id.Type() == js.TypeNumber {
				capture(slot, id)
			}
		}
		r := slot.Call("getBoundingClientRect")
		x := ev.Get("clientX").Float() - r.Get("left").Float()
		y := ev.Get("clientY").Float() - r.Get("top").Float()
		if strokeAt(x, y, first) {
			drawPixels("nce-cv-samples", paint.seq, view.ScatterSize, view.ScatterSize, paint.pix)
		}
	}
	doc.Call("addEventListener", "pointerdown", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if paint.on && args[0].Get("button").Int() == 0 {
			at(args[0], true)
		}
		return nil
	}))
	doc.Call("addEventListener", "pointermove", js.FuncOf(func(_ js.Value, args []js.Value) any {
		if paint.drawing {
			at(args[0], false)
		}
		return nil
	}))
	end := js.FuncOf(func(js.Value, []js.Value) any {
		strokeEnd()
		return nil
	})
	doc.Call("addEventListener", "pointerup", end)
	doc.Call("addEventListener", "pointercancel", end)
}

// capture captures the pointer on el (a drag that leaves the panel still
// ends its stroke); a pointer the browser no longer knows is ignored.
func capture(el, id js.Value) {
	defer func() { _ = recover() }() // js.Error: the pointer is gone
	el.Call("setPointerCapture", id)
}
