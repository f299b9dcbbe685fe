package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Classifier is the Classifier panel: the learned and the Bayes P(1|x)
// and the boundary P = ½.
type Classifier struct {
	F       *wire.Frame
	Ver     int
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Sz      view.Sizes
	Cap     string

	// BayesCross and ModelCross list where the Bayes and the learned
	// P(1|x) cross ½ in 1D (view.HalfCrossings), for the browser tests.
	BayesCross, ModelCross string

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
		b, m := view.HalfCrossings(c.F)
		c.BayesCross, c.ModelCross = view.NumList(b), view.NumList(m)
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
