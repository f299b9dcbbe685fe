package density

import "math/rand/v2"

// Gauss is the target N(0, 1). It lies in the poly model's family for
// deg ≥ 2.
type Gauss struct{}

// Dim returns 1.
func (Gauss) Dim() int { return 1 }

// Box returns [−5.5, 5.5]; the mass outside it is erfc(5.5/√2) ≈ 3.8e-8.
func (Gauss) Box() Box { return box1(-5.5, 5.5) }

// Sample draws x ~ N(0, 1).
func (Gauss) Sample(r *rand.Rand, x []float64) { x[0] = Normal(r) }

// LogProb returns −x²/2 − log √(2π).
func (Gauss) LogProb(x []float64) float64 { return -0.5*x[0]*x[0] - lnSqrt2Pi }

// LogPoly returns (0, −½, 0, …) of length deg, and false for deg < 2.
func (Gauss) LogPoly(deg int) ([]float64, bool) {
	if deg < 2 {
		return nil, false
	}
	return polyCoeffs(deg, 0, -0.5), true
}
