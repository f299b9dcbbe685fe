package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Classifier is the Classifier panel: the learned and the Bayes P(1|x)
// and the boundary P = ½.
type Classifier struct {
	F   *wire.Frame
	Ver int
	Sz  view.Sizes
	Cap string

	plot  view.Plot
	heat  view.Heat
	built stamp
}

func (c *Classifier) Compute() {
	sz := c.Sz.Of(spec.PanelClassifier)
	if c.F == nil || !c.built.stale(c.Ver, sz) {
		return
	}
	switch c.F.Dim {
	case 1:
		c.plot = view.ClassifierPlot1D(c.F, sz)
		hovers[spec.PanelClassifier] = &c.plot.Hover
	case 2:
		c.heat = view.ClassifierHeat2D(c.F, sz)
		newPixels(&c.heat)
		hovers[spec.PanelClassifier] = &c.heat.Hover
	}
	c.built.set(c.Ver, sz, 0)
}

func (c *Classifier) Rendered() {
	if c.F.Dim == 2 {
		drawHeats(&c.heat)
	}
}
