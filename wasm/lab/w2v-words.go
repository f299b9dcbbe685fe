package main

import (
	"strconv"

	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// W2vWords is the words' 2D map (click a word) and the nearest words of
// the focused one.
type W2vWords struct {
	P       *wire.W2VPanels
	Ver     int
	OnFocus func(item int)

	chart labview.Chart
	focus string
	items []string
	built int
}

func (c *W2vWords) Compute() {
	if c.P == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	c.chart = labview.W2VWords(c.P)
	c.focus, c.items = labview.W2VNeighbours(c.P)
}

// Pick focuses the word chosen in the select.
func (c *W2vWords) Pick(v string) {
	if i, err := strconv.Atoi(v); err == nil && c.OnFocus != nil {
		c.OnFocus(i)
	}
}
