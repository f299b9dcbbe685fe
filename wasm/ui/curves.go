package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// Curves is the Curves panel: loss, c against log Z, KL and accuracy over
// steps.
type Curves struct {
	H       *view.History
	Ver     int
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Sz      view.Sizes
	Cap     string
	Pin     *view.Pin // a pinned run, drawn under this one (nil: none)
	S       spec.Spec // this run's spec (the legend names both)

	plots []view.Plot
	built int
	sizes [view.CurveCount]view.Size
}

func (c *Curves) Compute() {
	var sz [view.CurveCount]view.Size
	for i := range sz {
		sz[i] = c.Sz.Of(view.CurveSlot(i))
	}
	if c.built == c.Ver && c.plots != nil && sz == c.sizes {
		return
	}
	c.built, c.sizes = c.Ver, sz
	c.plots = view.CurvePlotsWith(c.H, c.Pin, c.S, c.Sz)
	for i := range c.plots {
		hovers[view.CurveSlot(i)] = &c.plots[i].Hover
	}
}

// Slot is the page's slot id of plot i.
func (c *Curves) Slot(i int) string { return view.CurveSlot(i) }
