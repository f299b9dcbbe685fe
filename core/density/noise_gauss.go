package density

import (
	"fmt"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// GaussNoise is the noise with independent axes N(Mean[a], SD[a]²),
// a < D (docs/math.md#noise). Its zero value is not usable; FitNoise builds it.
type GaussNoise struct {
	D        int        // dimension, 1 or 2
	Mean, SD [2]float64 // per axis; SD > 0
}

// Dim returns D.
func (g GaussNoise) Dim() int { return g.D }

// Sample fills xs with len(xs)/D points, Mean + SD·z with z ~ N(0, 1).
func (g GaussNoise) Sample(r *rand.Rand, xs []float64) {
	if g.D == 1 {
		m, s := g.Mean[0], g.SD[0]
		FillNormal(r, xs)
		for i, z := range xs {
			xs[i] = m + s*z
		}
		return
	}
	mx, my, sx, sy := g.Mean[0], g.Mean[1], g.SD[0], g.SD[1]
	FillNormal(r, xs)
	for i := 0; i+1 < len(xs); i += 2 {
		xs[i] = mx + sx*xs[i]
		xs[i+1] = my + sy*xs[i+1]
	}
}

// LogProb sets out[i] = Σ_a −½((x_a − Mean[a])/SD[a])² − log(SD[a]√(2π))
// for the len(xs)/D points of xs.
func (g GaussNoise) LogProb(xs, out []float64) {
	if g.D == 1 {
		m, inv := g.Mean[0], 1/g.SD[0]
		c := -fmath.Log(g.SD[0]) - lnSqrt2Pi
		out = out[:len(xs)]
		for i, x := range xs {
			z := (x - m) * inv
			out[i] = c - 0.5*z*z
		}
		return
	}
	mx, my, ix, iy := g.Mean[0], g.Mean[1], 1/g.SD[0], 1/g.SD[1]
	c := -fmath.Log(g.SD[0]*g.SD[1]) - ln2Pi
	n := len(xs) / 2
	out, xs = out[:n], xs[:2*n]
	for i := range out {
		zx, zy := (xs[2*i]-mx)*ix, (xs[2*i+1]-my)*iy
		out[i] = c - 0.5*(zx*zx+zy*zy)
	}
}

// String describes the noise, e.g. "gauss(mean 0.00, sd 0.61)".
func (g GaussNoise) String() string {
	if g.D == 1 {
		return fmt.Sprintf("gauss(mean %.2f, sd %.2f)", g.Mean[0], g.SD[0])
	}
	return fmt.Sprintf("gauss(mean (%.2f, %.2f), sd (%.2f, %.2f))", g.Mean[0], g.Mean[1], g.SD[0], g.SD[1])
}

// Tail implements Noise: log U ≈ −x_a²/(2·SD[a]²).
func (g GaussNoise) Tail() Tail {
	t := Tail{Power: 2}
	for a := range g.D {
		t.Coef[a] = 1 / (2 * g.SD[a] * g.SD[a])
	}
	return t
}
