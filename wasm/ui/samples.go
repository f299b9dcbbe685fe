package main

import (
	"nceplay/chart"
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Samples is the Samples panel: in 1D the data's histogram with p̃, k·U
// and samples; in 2D a scatter of data and noise with contours of U.
type Samples struct {
	F       *wire.Frame
	Ver     int
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Sz      view.Sizes
	Dark    bool   // the page's theme is dark (the scatter's colours)
	Cap     string // the caption ("" for none)

	plot  view.Plot
	heat  view.Heat
	built stamp
	src   *float32 // the data the scatter was painted from
	dark  bool
	// painted: heat is the paint mode's (paint.go)
	painted bool
}

func (c *Samples) Compute() {
	sz := c.Sz.Of(spec.PanelSamples)
	if c.Painting() {
		c.computePaint(sz)
		return
	}
	if c.painted {
		c.painted, c.built = false, stamp{}
	}
	if c.F == nil || !c.built.stale(c.Ver, sz) && c.dark == c.Dark {
		return
	}
	switch c.F.Dim {
	case 1:
		c.plot = view.SamplesPlot1D(c.F, sz)
		hovers[spec.PanelSamples] = &c.plot.Hover
	case 2:
		if len(c.F.Data) == 0 {
			return
		}
		pix := c.heat.Pix
		fresh := c.src != &c.F.Data[0] || c.dark != c.Dark
		if fresh {
			pix = nil
		}
		c.heat = view.SamplesHeat2D(c.F, sz, chart.ThemeOf(c.Dark), pix)
		if fresh {
			newPixels(&c.heat)
		} else {
			c.heat.Seq = c.built.seq
		}
		c.src, c.dark = &c.F.Data[0], c.Dark
		hovers[spec.PanelSamples] = &c.heat.Hover
	}
	c.built.set(c.Ver, sz, c.heat.Seq)
}

// computePaint builds the paint mode's scatter (paint.go): the painted
// points over the data box, rebuilt when they, the size or the theme
// change.
func (c *Samples) computePaint(sz view.Size) {
	pal := chart.ThemeOf(c.Dark)
	if pal != paint.pal || paint.pix == nil {
		paint.pal = pal
		repaintAll()
	}
	if c.painted && c.built.size == sz && c.built.seq == paint.seq && c.dark == c.Dark {
		return
	}
	c.heat = view.PaintedHeat(sz, pal, &paint.set, paint.pix)
	c.heat.Seq = paint.seq
	paint.geo = c.heat.Hover
	hovers[spec.PanelSamples] = &c.heat.Hover
	c.src, c.dark, c.painted = nil, c.Dark, true
	c.built.set(c.Ver, sz, paint.seq)
}

// SlotClass is the plot slot's class: touch-action none while painting
// (a drag paints instead of scrolling the page).
func (c *Samples) SlotClass() string {
	if c.Painting() {
		return slotClass(2) + " nce-painting"
	}
	return slotClass(c.F.Dim)
}

func (c *Samples) Rendered() {
	if c.Is2D() {
		drawHeats(&c.heat)
	}
}
