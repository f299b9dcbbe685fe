package view

import (
	"math"

	"nceplay/core/nce"
	"nceplay/wasm/wire"
)

// Xs returns the x positions of a 1D frame's grid (cell midpoints).
func Xs(f *wire.Frame) []float64 {
	x0, x1, n := f.Grid.Box.Lo[0], f.Grid.Box.Hi[0], f.Grid.Res
	xs := make([]float64, n)
	for i := range xs {
		xs[i] = x0 + (float64(i)+0.5)*(x1-x0)/float64(n)
	}
	return xs
}

// box returns a frame's plotting box.
func box(f *wire.Frame) (x0, x1, y0, y1 float64) {
	b := f.Grid.Box
	return b.Lo[0], b.Hi[0], b.Lo[1], b.Hi[1]
}

// SampleOf returns a frame's metrics as a History sample.
func SampleOf(f *wire.Frame) Sample {
	m := &f.Metrics
	c := m.C
	if !m.CKnown {
		c = math.NaN()
	}
	return Sample{
		Step: f.MetricsAt, Loss: m.Loss, C: c, LogZ: m.LogZ, LogZTrue: m.LogZTrue, Mass: m.Mass,
		KL: m.KL, Accuracy: m.Accuracy, BayesAcc: m.BayesAccuracy,
		LogMass: m.LogMass, HeldOut: m.HeldOutLoss, Bayes: m.BayesLoss, HeldOutLL: m.HeldOutLL,
	}
}

// exp32 returns exp of each value, as float64.
func exp32(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = math.Exp(float64(x))
	}
	return out
}

func to64(v []float32) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

func maxFinite(vs ...[]float64) float64 {
	m := 0.0
	for _, v := range vs {
		for _, x := range v {
			if x > m && !math.IsInf(x, 0) {
				m = x
			}
		}
	}
	return m
}

// Blank is the frame the page shows before the worker's first: no
// dimension (the panels say they are loading) and every metric unknown.
func Blank() *wire.Frame {
	nan := math.NaN()
	return &wire.Frame{Gen: -1, Metrics: nce.Metrics{Loss: nan, C: nan, LogZ: nan, LogZTrue: nan, Mass: nan, KL: nan, Accuracy: nan, BayesAccuracy: nan,
		LogMass: nan, HeldOutLoss: nan, BayesLoss: nan, GradNorm: nan, ExcessSE: nan, Gamma: nan}}
}

// hasFinite32 reports whether v holds a finite value (a frame of the
// user's own data has no p̃, so its Bayes posterior is all NaN).
func hasFinite32(v []float32) bool {
	for _, x := range v {
		if !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) {
			return true
		}
	}
	return false
}
