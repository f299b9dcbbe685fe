package main

import (
	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// W2vSelfNorm shows, for NCE proper, each word's Σ_c exp⟨u_w, v_c⟩, which
// tends to 1.
type W2vSelfNorm struct {
	P   *wire.W2VPanels
	Ver int

	chart labview.Chart
	built int
}

func (c *W2vSelfNorm) Compute() {
	if c.P == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	c.chart = labview.W2VSelfNorm(c.P)
}
