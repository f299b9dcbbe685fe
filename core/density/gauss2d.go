package density

import "math/rand/v2"

// Gauss2D is the target N(0, Σ) with Σ = [[1, ρ], [ρ, 1]], ρ = 0.8: a
// correlated Gaussian, in the 2D poly (quadratic) model's family.
type Gauss2D struct{}

const (
	gauss2dRho = 0.8
	gauss2dDet = 1 - gauss2dRho*gauss2dRho // det Σ = 0.36
	// gauss2dLogNorm = log(2π √det Σ) = log 2π + log 0.6.
	gauss2dLogNorm = ln2Pi - 0.51082562376599068320551409630366193487811079644577
)

// Dim returns 2.
func (Gauss2D) Dim() int { return 2 }

// Box returns [−5.5, 5.5]²; both marginals are N(0, 1), so the mass outside
// it is at most 2·erfc(5.5/√2) ≈ 7.6e-8.
func (Gauss2D) Box() Box { return box2(5.5) }

// Sample draws x = L z with z ~ N(0, I) and L = [[1, 0], [ρ, √(1−ρ²)]] the
// Cholesky factor of Σ.
func (Gauss2D) Sample(r *rand.Rand, x []float64) {
	z1, z2 := Normal(r), Normal(r)
	x[0] = z1
	x[1] = gauss2dRho*z1 + 0.6*z2
}

// LogProb returns −½ xᵀΣ⁻¹x − log(2π √det Σ), with
// xᵀΣ⁻¹x = (x² − 2ρxy + y²)/(1 − ρ²).
func (Gauss2D) LogProb(x []float64) float64 {
	a, b := x[0], x[1]
	return -(a*a-2*gauss2dRho*a*b+b*b)/(2*gauss2dDet) - gauss2dLogNorm
}

// LogPoly returns the coefficients of −½ xᵀΣ⁻¹x on (x, y, x², xy, y²):
// (0, 0, −1/(2(1−ρ²)), ρ/(1−ρ²), −1/(2(1−ρ²))); deg is ignored.
func (Gauss2D) LogPoly(deg int) ([]float64, bool) {
	d := -1 / (2 * gauss2dDet)
	return []float64{0, 0, d, gauss2dRho / gauss2dDet, d}, true
}
