package main

import "nceplay/wasm/view"

// Curves is the Curves panel: loss, c against log Z, KL and accuracy over
// steps.
type Curves struct {
	H   *view.History
	Ver int

	plots []view.Plot
	built int
}

func (c *Curves) Compute() {
	if c.built == c.Ver && c.plots != nil {
		return
	}
	c.built = c.Ver
	c.plots = view.CurvePlots(c.H)
}
