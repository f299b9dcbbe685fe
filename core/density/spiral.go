package density

import (
	"math"
	"math/rand/v2"
)

// Spiral is a one-arm Archimedean spiral target: u ~ U[0, 1], angle
// 3π√u, radius 0.3 + 2.2√u, centre radius·(cos angle, sin angle), plus
// N(0, σ²I) noise with σ = 0.12. Points are roughly uniform along the arc.
type Spiral struct{}

const (
	spiralTurn  = 3 * math.Pi
	spiralR0    = 0.3
	spiralDR    = 2.2
	spiralSigma = 0.12
)

// spiralCentre returns the centre at s = √u.
func spiralCentre(s float64) (x, y float64) {
	sin, cos := math.Sincos(spiralTurn * s)
	r := spiralR0 + spiralDR*s
	return r * cos, r * sin
}

// spiralCurve is the arm in s = √u ∈ [0, 1], where u ~ U[0, 1] has
// density 2s.
var spiralCurve = curve{
	end: 1,
	c:   spiralCentre,
	rho: func(s float64) float64 { return 2 * s },
	speed: func(s float64) float64 {
		r := spiralR0 + spiralDR*s
		return math.Sqrt(spiralDR*spiralDR + spiralTurn*spiralTurn*r*r)
	},
}

// spiralMix is the density ∫₀¹ N(x; c(√u), σ²I) du = ∫₀¹ N(x; c(s), σ²I)
// 2s ds, discretized once with panels of equal arc length.
var spiralMix = newCurveMix(spiralSigma, curveArc, curveQ, spiralCurve)

// Dim returns 2.
func (Spiral) Dim() int { return 2 }

// Box returns [−3.25, 3.25]²; the arm ends at (−2.5, 0), 6.25σ from the
// edge, and the mass outside the box is below 1e-9.
func (Spiral) Box() Box { return box2(3.25) }

// Sample draws u ~ U[0, 1] and the Gaussian noise.
func (Spiral) Sample(r *rand.Rand, x []float64) {
	cx, cy := spiralCentre(math.Sqrt(r.Float64()))
	zx, zy := Normal(r), Normal(r)
	x[0] = cx + spiralSigma*zx
	x[1] = cy + spiralSigma*zy
}

// LogProb returns the log of the exact continuous mixture over u, computed
// by composite Gauss–Legendre quadrature (relative error below 1e-9 where
// the density exceeds 1e-6 of its maximum).
func (Spiral) LogProb(x []float64) float64 { return spiralMix.logProb(x[0], x[1]) }
