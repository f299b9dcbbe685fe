package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Samples is the Samples panel: in 1D the data's histogram with p̃, k·U
// and samples; in 2D a scatter of data and noise.
type Samples struct {
	F   *wire.Frame
	Ver int

	plot  view.Plot
	heat  view.Heat
	built int
	src   *float32 // the data the scatter was painted from
}

func (c *Samples) Compute() {
	if c.F == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	switch c.F.Dim {
	case 1:
		c.plot = view.SamplesPlot1D(c.F)
	case 2:
		if len(c.F.Data) > 0 && c.src != &c.F.Data[0] {
			c.heat = view.SamplesHeat2D(c.F)
			stamp(&c.heat)
			c.src = &c.F.Data[0]
		}
	}
}

func (c *Samples) Rendered() {
	if c.F.Dim == 2 {
		drawHeats(&c.heat)
	}
}
