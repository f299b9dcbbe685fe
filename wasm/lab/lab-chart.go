package main

import "nceplay/wasm/labview"

// LabChart draws a labview.Chart: a canvas of its pixels (which the owning
// panel paints with drawCharts, straight into the canvas) inside the SVG,
// under the axes, lines, markers and labels. Clicking a marker or label
// with an item calls OnFocus.
type LabChart struct {
	C       *labview.Chart
	Class   string
	OnFocus func(item int)
}

// CanvasClass is the canvas's class: crisp pixels for a matrix.
func (c *LabChart) CanvasClass() string {
	if c.C.Pixelated {
		return "nce-heatcv nce-pixelated"
	}
	return "nce-heatcv"
}

// Click focuses an item.
func (c *LabChart) Click(item int) {
	if item >= 0 && c.OnFocus != nil {
		c.OnFocus(item)
	}
}

// drawCharts puts the charts' pixels on their canvases (the panels'
// Rendered hooks call it after every render). A canvas is painted once
// per new set of pixels (Heat.Seq), or when it is new.
func drawCharts(cs ...*labview.Chart) {
	for _, c := range cs {
		if c != nil && c.Pix != nil {
			drawPixels(c.ID, c.Seq, c.W, c.H, c.Pix)
		}
	}
}

var pixSeq uint64

// stamp gives freshly built charts their Seq.
func stamp(cs ...*labview.Chart) {
	for _, c := range cs {
		pixSeq++
		c.Seq = pixSeq
	}
}
