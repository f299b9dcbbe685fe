package density

import (
	"math"
	"math/rand/v2"
)

// Moons is the two-moons target (the shape of scikit-learn's make_moons):
// with probability ½ each, a point of the upper arc (cos t, sin t) or the
// lower arc (1 − cos t, ½ − sin t), t ~ U[0, π], recentred by (−½, −¼),
// scaled by 1.5, plus N(0, σ²I) noise with σ = 0.15. The lower arc is the
// upper one mirrored through the origin.
type Moons struct{}

const (
	moonsScale = 1.5
	moonsSigma = 0.1 * moonsScale
)

// moonsCentre returns the upper arc's centre at t; the lower arc's is its
// negative.
func moonsCentre(t float64) (x, y float64) {
	sin, cos := math.Sincos(t)
	return moonsScale * (cos - 0.5), moonsScale * (sin - 0.25)
}

// moonsCurves are the two arcs, each with density 1/(2π) on t ∈ [0, π].
var moonsCurves = func() []curve {
	rho := func(float64) float64 { return 1 / (2 * math.Pi) }
	speed := func(float64) float64 { return moonsScale }
	lower := func(t float64) (x, y float64) {
		x, y = moonsCentre(t)
		return -x, -y
	}
	return []curve{{math.Pi, moonsCentre, rho, speed}, {math.Pi, lower, rho, speed}}
}()

// moonsMix is the density ∫ ½[N(x; c(t), σ²I) + N(x; −c(t), σ²I)] dt/π,
// discretized once.
var moonsMix = newCurveMix(moonsSigma, curveArc, curveQ, moonsCurves...)

// Dim returns 2.
func (Moons) Dim() int { return 2 }

// Box returns [−3, 3]²; the arcs' tips (±2.25, ±0.375) are 5σ from its
// edges, and the mass outside it is below 1e-7.
func (Moons) Box() Box { return box2(3) }

// Sample draws an arc, t ~ U[0, π] and the Gaussian noise.
func (Moons) Sample(r *rand.Rand, x []float64) {
	lower := r.Float64() < 0.5
	cx, cy := moonsCentre(math.Pi * r.Float64())
	if lower {
		cx, cy = -cx, -cy
	}
	zx, zy := Normal(r), Normal(r)
	x[0] = cx + moonsSigma*zx
	x[1] = cy + moonsSigma*zy
}

// LogProb returns the log of the exact continuous mixture over t, computed
// by composite Gauss–Legendre quadrature (relative error below 1e-9 where
// the density exceeds 1e-6 of its maximum).
func (Moons) LogProb(x []float64) float64 { return moonsMix.logProb(x[0], x[1]) }
