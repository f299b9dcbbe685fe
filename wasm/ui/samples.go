package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Samples is the Samples panel: in 1D the data's histogram with p̃, k·U
// and samples; in 2D a scatter of data and noise with contours of U (its
// plot is live content, Root.liveSamples), or the paint mode (paint.go).
type Samples struct {
	F       *wire.Frame
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Cap     string           // the caption ("" for none)
}

// SlotClass is the plot slot's class: touch-action none while painting
// (a drag paints instead of scrolling the page).
func (c *Samples) SlotClass() string {
	if c.Painting() {
		return slotClass(2) + " nce-painting"
	}
	return slotClass(c.F.Dim)
}
