package main

import "nceplay/wasm/view"

// PlotSvg draws a view.Plot as SVG.
type PlotSvg struct {
	P *view.Plot
}
