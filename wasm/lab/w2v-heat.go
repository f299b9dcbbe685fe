package main

import (
	"strconv"

	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// W2vHeat is the word2vec lab's first panel: the learned ⟨u_w, v_c⟩ as a
// heatmap beside the optimum, on one colour scale with its colour bar.
type W2vHeat struct {
	P            *wire.W2VPanels
	Ver          int
	Short, Embed bool // one-line caption; the embed layout

	learned, theory, bar labview.Chart
	built                int
	theorySrc            *float32 // the optimum the theory heatmap was painted from
}

func (c *W2vHeat) Compute() {
	if c.P == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	l, th, bar := labview.W2VHeats(c.P)
	c.learned = l
	stamp(&c.learned)
	if len(c.P.Theory) == 0 || c.theorySrc != &c.P.Theory[0] {
		c.theory, c.bar = th, bar
		stamp(&c.theory, &c.bar)
		if len(c.P.Theory) > 0 {
			c.theorySrc = &c.P.Theory[0]
		}
	}
}

func (c *W2vHeat) Rendered() { drawCharts(&c.learned, &c.theory, &c.bar) }

// Sub says what is shown.
func (c *W2vHeat) Sub() string {
	return "first " + strconv.Itoa(c.P.N) + " of " + strconv.Itoa(c.P.Vocab) + " words"
}
