package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Density is the Density panel: the recovered p̂ beside the true p̃.
type Density struct {
	F   *wire.Frame
	Ver int

	plot  view.Plot
	heats []view.Heat
	built int
}

func (c *Density) Compute() {
	if c.F == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	switch c.F.Dim {
	case 1:
		c.plot = view.DensityPlot1D(c.F)
	case 2:
		c.heats = view.DensityHeats2D(c.F)
		stamp(&c.heats[0], &c.heats[1])
	}
}

func (c *Density) Rendered() {
	if c.F.Dim == 2 && len(c.heats) == 2 {
		drawHeats(&c.heats[0], &c.heats[1])
	}
}
