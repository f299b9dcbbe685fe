package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// drawHeats puts the heatmaps' pixels on their canvases (the panels'
// Rendered hooks call it after every render; Vugu calls Rendered on the
// root's child components only, which the panels are). A canvas is
// painted once per new set of pixels (Heat.Seq), or when it is new.
func drawHeats(hs ...*view.Heat) {
	for _, h := range hs {
		if h != nil && h.Pix != nil {
			drawPixels(h.ID, h.Seq, h.W, h.H, h.Pix)
		}
	}
}

var pixSeq uint64

// stamp gives freshly built heats their Seq.
func stamp(hs ...*view.Heat) {
	for _, h := range hs {
		pixSeq++
		h.Seq = pixSeq
	}
}

// Samples is the Samples panel: 1D histogram of data with the noise
// density k·U and samples; 2D scatter of data and noise.
type Samples struct {
	F   *view.Frame
	K   int
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
	switch c.F.Dim() {
	case 1:
		c.plot = view.SamplesPlot1D(c.F, c.K)
	case 2:
		if len(c.F.Data) > 0 && c.src != &c.F.Data[0] {
			c.heat = view.SamplesHeat2D(c.F)
			stamp(&c.heat)
			c.src = &c.F.Data[0]
		}
	}
}

func (c *Samples) Rendered() {
	if c.F.Dim() == 2 {
		drawHeats(&c.heat)
	}
}

// Classifier is the Classifier panel: learned and Bayes P(1|x) and the
// boundary P = ½.
type Classifier struct {
	F   *view.Frame
	K   int
	Ver int

	plot  view.Plot
	heat  view.Heat
	built int
}

func (c *Classifier) Compute() {
	if c.F == nil || c.built == c.Ver {
		return
	}
	c.built = c.Ver
	switch c.F.Dim() {
	case 1:
		c.plot = view.ClassifierPlot1D(c.F)
	case 2:
		c.heat = view.ClassifierHeat2D(c.F)
		stamp(&c.heat)
	}
}

func (c *Classifier) Rendered() {
	if c.F.Dim() == 2 {
		drawHeats(&c.heat)
	}
}

// Density is the Density panel: recovered p̂ beside the true p̃.
type Density struct {
	F   *view.Frame
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
	switch c.F.Dim() {
	case 1:
		c.plot = view.DensityPlot1D(c.F)
	case 2:
		c.heats = view.DensityHeats2D(c.F)
		stamp(&c.heats[0], &c.heats[1])
	}
}

func (c *Density) Rendered() {
	if c.F.Dim() == 2 && len(c.heats) == 2 {
		drawHeats(&c.heats[0], &c.heats[1])
	}
}

// Curves is the Curves panel: loss, c against log Z, KL and accuracy
// over steps.
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

// Explain is the Explain panel: the objective and the read-back formula
// in MathML, and what to look for.
type Explain struct {
	S   spec.Spec
	F   *view.Frame
	Ver int

	E view.Explanation
}

func (c *Explain) Compute() { c.E = view.Explain(c.S) }
