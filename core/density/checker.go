package density

import (
	"math"
	"math/rand/v2"
)

// Checker is the uniform distribution on the 8 "black" unit squares of the
// 4×4 board on [−2, 2)², those where ⌊x⌋ + ⌊y⌋ is even. Its density is
// discontinuous and zero on half of its box.
type Checker struct{}

// checkerSquares lists the lower-left corners of the black squares.
var checkerSquares = func() (s [8][2]float64) {
	k := 0
	for i := -2; i < 2; i++ {
		for j := -2; j < 2; j++ {
			if (i+j)%2 == 0 {
				s[k] = [2]float64{float64(i), float64(j)}
				k++
			}
		}
	}
	return s
}()

// Dim returns 2.
func (Checker) Dim() int { return 2 }

// Box returns [−2, 2]², the board: no mass lies outside it.
func (Checker) Box() Box { return box2(2) }

// Sample picks a black square uniformly and a uniform point in it.
func (Checker) Sample(r *rand.Rand, x []float64) {
	c := checkerSquares[r.IntN(8)]
	x[0] = c[0] + r.Float64()
	x[1] = c[1] + r.Float64()
}

// LogProb returns log(1/8) on the black squares (each half-open,
// [i, i+1) × [j, j+1)) and −Inf elsewhere.
func (Checker) LogProb(x []float64) float64 {
	a, b := x[0], x[1]
	if !(a >= -2 && a < 2 && b >= -2 && b < 2) {
		if a != a || b != b {
			return math.NaN()
		}
		return math.Inf(-1)
	}
	if (int(math.Floor(a))+int(math.Floor(b)))%2 != 0 {
		return math.Inf(-1)
	}
	return -3 * ln2
}
