package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Classifier is the Classifier panel: the learned and the Bayes P(1|x)
// and the boundary P = ½.
type Classifier struct {
	F   *wire.Frame
	Ver int

	plot  view.Plot
	heat  view.Heat
	built int
}

func (c *Classifier) Compute() {
	if c.F == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	switch c.F.Dim {
	case 1:
		c.plot = view.ClassifierPlot1D(c.F)
	case 2:
		c.heat = view.ClassifierHeat2D(c.F)
		stamp(&c.heat)
	}
}

func (c *Classifier) Rendered() {
	if c.F.Dim == 2 {
		drawHeats(&c.heat)
	}
}
