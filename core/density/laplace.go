package density

import (
	"math"
	"math/rand/v2"
)

// Laplace is the target Laplace(0, 1), density e^{−|x|}/2: heavy tails and
// a kink at 0, outside the poly model's family.
type Laplace struct{}

// Dim returns 1.
func (Laplace) Dim() int { return 1 }

// Box returns [−14, 14]; the mass outside it is e^{−14} ≈ 8.3e-7. The tails
// are heavy, so the box is wide compared with the bulk of the data.
func (Laplace) Box() Box { return box1(-14, 14) }

// Sample draws x = ±E with E ~ Exp(1) and a fair sign.
func (Laplace) Sample(r *rand.Rand, x []float64) {
	e := Exponential(r)
	if r.Uint64()>>63 != 0 {
		e = -e
	}
	x[0] = e
}

// LogProb returns −|x| − log 2.
func (Laplace) LogProb(x []float64) float64 { return -math.Abs(x[0]) - ln2 }
