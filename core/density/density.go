// Package density holds the distributions of NCE: the targets p̃ that the data
// are drawn from, and the noise distributions U that NCE contrasts them
// with (docs/math.md#nce, docs/math.md#noise). Points are stored flat: a set of n points in Dim
// dimensions is a []float64 of length n·Dim, point i at [i·Dim, (i+1)·Dim).
package density

import "math/rand/v2"

// A Box is the axis-aligned rectangle over which a target is plotted and
// its metrics are integrated (docs/math.md#metrics). For a 1D target only index 0 is
// used. A target's box holds all of its mass but at most 1e-6.
type Box struct {
	Lo, Hi [2]float64
}

// A Target is a data distribution p̃ with exact sampling and an exact,
// normalized log-density.
type Target interface {
	// Dim is 1 or 2.
	Dim() int
	// Sample draws one point into x[:Dim()].
	Sample(r *rand.Rand, x []float64)
	// LogProb returns log p̃(x) for the point x[:Dim()], normalized so that
	// ∫ p̃ = 1; −Inf outside the support.
	LogProb(x []float64) float64
	// Box is the plotting and integration box.
	Box() Box
}

// A PolyTarget is a target whose log-density is a polynomial, so that it
// lies in the family of the poly model. LogPoly returns the coefficients
// of log p̃ up to its additive constant, in the poly model's feature order
// (1D: x, x², …, x^deg; 2D: x, y, x², xy, y²), and false when the target
// needs a higher degree than deg (deg is ignored in 2D).
type PolyTarget interface {
	Target
	LogPoly(deg int) ([]float64, bool)
}

// A Noise is a noise distribution U: cheap to sample and to evaluate, and
// positive wherever the target is (docs/math.md#noise). Its methods work on many
// points at once because the trainer calls them for every step.
type Noise interface {
	Dim() int
	// Sample fills xs with len(xs)/Dim() independent points.
	Sample(r *rand.Rand, xs []float64)
	// LogProb sets out[i] = log U(point i of xs) for every point; −Inf
	// outside the support.
	LogProb(xs, out []float64)
	// Tail says how log U falls far from its centre.
	Tail() Tail
}

// A Tail is how fast a log-density falls far from its centre: log p(x) ≈
// −Σ_a Coef[a]·|x_a|^Power + O(|x|^(Power−1)) as |x| → ∞ (Coef for a
// Noise, whose axes are independent; a target's row gives Power only).
// Power 0 means a bounded support: p = 0 far out. When the noise's tails
// are lighter than the target's (a larger Power), p̃/U grows without
// bound far out (docs/math.md#light-tails).
type Tail struct {
	Power float64
	Coef  [2]float64
}
