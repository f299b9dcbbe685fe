package density

import (
	"fmt"
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// LaplaceNoise is the noise with independent axes Laplace(Mean[a],
// Scale[a]), density exp(−|x − Mean|/Scale)/(2·Scale) per axis, a < D
// (docs/math.md#noise). Its standard deviation is √2·Scale. Its zero value is not
// usable; FitNoise builds it.
type LaplaceNoise struct {
	D           int        // dimension, 1 or 2
	Mean, Scale [2]float64 // per axis; Scale > 0
}

// Dim returns D.
func (l LaplaceNoise) Dim() int { return l.D }

// Sample fills xs with len(xs)/D points, Mean ± Scale·E with E ~ Exp(1)
// and a fair sign; one Uint64 supplies the signs of 64 coordinates.
func (l LaplaceNoise) Sample(r *rand.Rand, xs []float64) {
	if l.D == 1 {
		m, b := l.Mean[0], l.Scale[0]
		var bits uint64
		for i := range xs {
			if i%64 == 0 {
				bits = r.Uint64()
			}
			e := b * Exponential(r)
			if bits&1 != 0 {
				e = -e
			}
			bits >>= 1
			xs[i] = m + e
		}
		return
	}
	mx, my, bx, by := l.Mean[0], l.Mean[1], l.Scale[0], l.Scale[1]
	var bits uint64
	for i := 0; i+1 < len(xs); i += 2 {
		if i%64 == 0 {
			bits = r.Uint64()
		}
		ex, ey := bx*Exponential(r), by*Exponential(r)
		if bits&1 != 0 {
			ex = -ex
		}
		if bits&2 != 0 {
			ey = -ey
		}
		bits >>= 2
		xs[i], xs[i+1] = mx+ex, my+ey
	}
}

// LogProb sets out[i] = Σ_a −|x_a − Mean[a]|/Scale[a] − log(2·Scale[a]) for
// the len(xs)/D points of xs.
func (l LaplaceNoise) LogProb(xs, out []float64) {
	if l.D == 1 {
		m, inv := l.Mean[0], 1/l.Scale[0]
		c := -fmath.Log(2 * l.Scale[0])
		out = out[:len(xs)]
		for i, x := range xs {
			out[i] = c - math.Abs(x-m)*inv
		}
		return
	}
	mx, my, ix, iy := l.Mean[0], l.Mean[1], 1/l.Scale[0], 1/l.Scale[1]
	c := -fmath.Log(4 * l.Scale[0] * l.Scale[1])
	n := len(xs) / 2
	out, xs = out[:n], xs[:2*n]
	for i := range out {
		out[i] = c - math.Abs(xs[2*i]-mx)*ix - math.Abs(xs[2*i+1]-my)*iy
	}
}

// String describes the noise, e.g. "laplace(mean 0.00, scale 0.43)".
func (l LaplaceNoise) String() string {
	if l.D == 1 {
		return fmt.Sprintf("laplace(mean %.2f, scale %.2f)", l.Mean[0], l.Scale[0])
	}
	return fmt.Sprintf("laplace(mean (%.2f, %.2f), scale (%.2f, %.2f))", l.Mean[0], l.Mean[1], l.Scale[0], l.Scale[1])
}

// Tail implements Noise: log U ≈ −|x_a|/Scale[a].
func (l LaplaceNoise) Tail() Tail {
	t := Tail{Power: 1}
	for a := range l.D {
		t.Coef[a] = 1 / l.Scale[a]
	}
	return t
}
