package main

import (
	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// W2vScatter is the learned product against the optimum, pair by pair,
// coloured by the pair's count, with the identity line; its header gives
// the live correlation and RMSE.
type W2vScatter struct {
	P            *wire.W2VPanels
	Ver          int
	Short, Embed bool
	R            []labview.Readout

	chart labview.Chart
	built int
}

func (c *W2vScatter) Compute() {
	if c.P == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	c.chart = labview.W2VScatter(c.P, c.chart.Pix)
	stamp(&c.chart)
}

func (c *W2vScatter) Rendered() { drawCharts(&c.chart) }

// Fit is "r 0.99 · RMSE 0.11".
func (c *W2vScatter) Fit() string {
	s := ""
	for _, r := range c.R {
		if r.Key == "pmi_r" || r.Key == "pmi_rmse" {
			if s != "" {
				s += " · "
			}
			s += r.Label + " " + r.Text
		}
	}
	return s
}
