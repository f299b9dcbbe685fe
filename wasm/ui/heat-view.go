package main

import "nceplay/wasm/view"

// HeatView draws a view.Heat: a canvas of its pixels (which the owning
// panel paints with drawHeats, straight into the canvas: no image
// encoding per frame) inside the SVG, under the axes and lines.
type HeatView struct {
	H *view.Heat
}

// drawHeats puts the heatmaps' pixels on their canvases (the panels'
// Rendered hooks call it after every render; Vugu calls Rendered on the
// root's child components only, which the panels are). A canvas is
// painted once per new set of pixels (Heat.Seq), or when it is new.
func drawHeats(hs ...*view.Heat) {
	for _, h := range hs {
		if h != nil && h.Pix != nil {
			drawPixels(h.ID, h.Seq, h.W, h.H, h.Pix)
		}
	}
}

var pixSeq uint64

// stamp gives freshly built heats their Seq.
func stamp(hs ...*view.Heat) {
	for _, h := range hs {
		pixSeq++
		h.Seq = pixSeq
	}
}
