package main

import "nceplay/wasm/view"

// PlotSvg draws a view.Plot as SVG, in the pixels of its slot.
type PlotSvg struct {
	P *view.Plot
}

// legendClass is the class of a legend entry's text (the title is bold).
func legendClass(it view.LegendItem) string {
	if it.Title {
		return "nce-legt nce-legtitle"
	}
	return "nce-legt"
}

// slotClass is the class of a panel's plot slot: its shape follows the
// dimension (wide for 1D curves, near square for 2D maps).
func slotClass(dim int) string {
	if dim == 2 {
		return "nce-slot nce-slot-2d"
	}
	return "nce-slot nce-slot-1d"
}
