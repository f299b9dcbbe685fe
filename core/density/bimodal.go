package density

import (
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// Bimodal is the target 0.4·N(−1.5, 0.5²) + 0.6·N(1.5, 0.5²): two modes of
// unequal weight, outside the poly model's family.
type Bimodal struct{}

const (
	bimodalW   = 0.4 // weight of the left component
	bimodalMu  = 1.5 // ± the component means
	bimodalSig = 0.5 // component standard deviation
)

// bimodalLogW[j] = log w_j − log(σ√(2π)) for the left (0) and right (1)
// component.
var bimodalLogW = [2]float64{
	fmath.Log(bimodalW) - fmath.Log(bimodalSig) - lnSqrt2Pi,
	fmath.Log(1-bimodalW) - fmath.Log(bimodalSig) - lnSqrt2Pi,
}

// Dim returns 1.
func (Bimodal) Dim() int { return 1 }

// Box returns [−4, 4]; the modes are 5σ inside it, so the mass outside is
// Φ(−5) + Φ(−11) ≈ 2.9e-7.
func (Bimodal) Box() Box { return box1(-4, 4) }

// Sample picks the left component with probability 0.4 and draws from it.
func (Bimodal) Sample(r *rand.Rand, x []float64) {
	mu := bimodalMu
	if r.Float64() < bimodalW {
		mu = -bimodalMu
	}
	x[0] = mu + bimodalSig*Normal(r)
}

// LogProb returns log Σ_j w_j N(x; μ_j, σ²), by log-sum-exp so that it is
// finite far in the tails.
func (Bimodal) LogProb(x []float64) float64 {
	const a = 1 / (2 * bimodalSig * bimodalSig)
	dl, dr := x[0]+bimodalMu, x[0]-bimodalMu
	el := bimodalLogW[0] - a*dl*dl
	er := bimodalLogW[1] - a*dr*dr
	if x[0] != x[0] {
		return x[0]
	}
	if el < er {
		el, er = er, el
	}
	if math.IsInf(el, -1) { // x = ±Inf
		return el
	}
	return el + fmath.Softplus(er-el) // log(e^el + e^er), el ≥ er
}
