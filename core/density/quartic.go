package density

import (
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// Quartic is the target p̃(x) = exp(−x² − x⁴)/Z of docs/math.md#partition-function, whose
// normalizer Z has no closed form (log Z ≈ 0.31366, computed once by
// quadrature). It lies in the poly model's family for deg ≥ 4.
type Quartic struct{}

// quarticLogZ is log ∫ exp(−x² − x⁴) dx by the trapezoid rule on [−4, 4]
// with step 1/512: the integrand is smooth and below e^{−272} at ±4, so
// the rule is spectrally accurate and the result exact to rounding.
var quarticLogZ = func() float64 {
	const h = 1.0 / 512
	s := 0.0
	for i := -4 * 512; i <= 4*512; i++ {
		x := float64(i) * h
		x2 := x * x
		s += fmath.Exp(-x2 - x2*x2)
	}
	return fmath.Log(s * h)
}()

// QuarticLogZ returns log Z = log ∫ exp(−x² − x⁴) dx, the value that NCE's
// learned c should converge to for the quartic target (docs/math.md#partition-function, docs/math.md#nce).
func QuarticLogZ() float64 { return quarticLogZ }

// Dim returns 1.
func (Quartic) Dim() int { return 1 }

// Box returns [−2.5, 2.5]; the mass outside it is below 1e-20.
func (Quartic) Box() Box { return box1(-2.5, 2.5) }

// Sample draws x exactly by rejection from N(0, ½), whose density is
// ∝ exp(−x²) ≥ exp(−x² − x⁴): a proposal is kept with probability
// exp(−x⁴), i.e. when an Exp(1) variate exceeds x⁴ (acceptance ≈ 0.77).
func (Quartic) Sample(r *rand.Rand, x []float64) {
	for {
		y := Normal(r) * math.Sqrt2 / 2
		y2 := y * y
		if Exponential(r) > y2*y2 {
			x[0] = y
			return
		}
	}
}

// LogProb returns −x² − x⁴ − log Z.
func (Quartic) LogProb(x []float64) float64 {
	x2 := x[0] * x[0]
	return -x2 - x2*x2 - quarticLogZ
}

// LogPoly returns (0, −1, 0, −1, 0, …) of length deg, and false for
// deg < 4.
func (Quartic) LogPoly(deg int) ([]float64, bool) {
	if deg < 4 {
		return nil, false
	}
	return polyCoeffs(deg, 0, -1, 0, -1), true
}
