package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Density is the Density panel: the recovered p̂ against the true p̃.
type Density struct {
	F       *wire.Frame
	Ver     int
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Sz      view.Sizes
	Cap     string
	Pin     *view.Pin // a pinned run, drawn under this one (nil: none)
	S       spec.Spec // this run's spec (the legend names both)

	plot  view.Plot
	heat  view.Heat
	built stamp
}

func (c *Density) Compute() {
	sz := c.Sz.Of(spec.PanelDensity)
	if c.F == nil || !c.built.stale(c.Ver, sz) {
		return
	}
	switch c.F.Dim {
	case 1:
		c.plot = view.DensityPlot1DWith(c.F, c.Pin, c.S, sz)
		hovers[spec.PanelDensity] = &c.plot.Hover
	case 2:
		c.heat = view.DensityHeat2DWith(c.F, c.Pin, c.S, sz)
		newPixels(&c.heat)
		hovers[spec.PanelDensity] = &c.heat.Hover
	}
	c.built.set(c.Ver, sz, 0)
}

func (c *Density) Rendered() {
	if c.F.Dim == 2 {
		drawHeats(&c.heat)
	}
}
