package density

import (
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// Ring is the target (1/8) Σ_j N(c_j, σ²I) with the 8 centres c_j on the
// circle of radius 2 at angles 2πj/8 and σ = 0.2.
type Ring struct{}

const (
	ringR     = 2.0
	ringSigma = 0.2
)

// ringC holds the centres, built from √2 so that they are exact on every
// platform.
var ringC = func() (c [8][2]float64) {
	d := ringR * math.Sqrt2 / 2
	return [8][2]float64{{ringR, 0}, {d, d}, {0, ringR}, {-d, d}, {-ringR, 0}, {-d, -d}, {0, -ringR}, {d, -d}}
}()

// ringLogNorm = −log(8 · 2πσ²), the log weight and normalizer of one
// component.
var ringLogNorm = -fmath.Log(8 * 2 * math.Pi * ringSigma * ringSigma)

// Dim returns 2.
func (Ring) Dim() int { return 2 }

// Box returns [−3, 3]²; the nearest centres are 5σ from its edges, so the
// mass outside it is about (4/8)·Φ(−5) ≈ 1.4e-7.
func (Ring) Box() Box { return box2(3) }

// Sample picks a centre uniformly and adds N(0, σ²I) noise.
func (Ring) Sample(r *rand.Rand, x []float64) {
	c := ringC[r.IntN(8)]
	x[0] = c[0] + ringSigma*Normal(r)
	x[1] = c[1] + ringSigma*Normal(r)
}

// LogProb returns log (1/8) Σ_j N(x; c_j, σ²I), by log-sum-exp.
func (Ring) LogProb(x []float64) float64 {
	const a = 1 / (2 * ringSigma * ringSigma)
	var e [8]float64
	m := math.Inf(-1)
	for j, c := range ringC {
		dx, dy := x[0]-c[0], x[1]-c[1]
		e[j] = -a * (dx*dx + dy*dy)
		if e[j] > m {
			m = e[j]
		}
	}
	if x[0] != x[0] || x[1] != x[1] {
		return math.NaN()
	}
	if math.IsInf(m, -1) {
		return m
	}
	s := 0.0
	for _, v := range e {
		s += fmath.Exp(v - m)
	}
	return m + fmath.Log(s) + ringLogNorm
}
