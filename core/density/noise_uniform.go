package density

import (
	"fmt"
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// UniformNoise is the uniform noise on the box [Lo[0], Hi[0]] (1D) or
// [Lo[0], Hi[0]] × [Lo[1], Hi[1]] (2D) (docs/math.md#noise). Its zero value is not
// usable; FitNoise builds it.
type UniformNoise struct {
	D      int        // dimension, 1 or 2
	Lo, Hi [2]float64 // per axis; Lo < Hi
}

// Dim returns D.
func (u UniformNoise) Dim() int { return u.D }

// Sample fills xs with len(xs)/D points uniform on the box.
func (u UniformNoise) Sample(r *rand.Rand, xs []float64) {
	if u.D == 1 {
		lo, w := u.Lo[0], u.Hi[0]-u.Lo[0]
		for i := range xs {
			xs[i] = lo + w*r.Float64()
		}
		return
	}
	lx, ly, wx, wy := u.Lo[0], u.Lo[1], u.Hi[0]-u.Lo[0], u.Hi[1]-u.Lo[1]
	for i := 0; i+1 < len(xs); i += 2 {
		xs[i] = lx + wx*r.Float64()
		xs[i+1] = ly + wy*r.Float64()
	}
}

// LogProb sets out[i] = −log(volume of the box) for the points of xs in
// the closed box and −Inf for the others.
func (u UniformNoise) LogProb(xs, out []float64) {
	inf := math.Inf(-1)
	if u.D == 1 {
		lo, hi := u.Lo[0], u.Hi[0]
		c := -fmath.Log(hi - lo)
		out = out[:len(xs)]
		for i, x := range xs {
			if x >= lo && x <= hi {
				out[i] = c
			} else {
				out[i] = inf
			}
		}
		return
	}
	lx, ly, hx, hy := u.Lo[0], u.Lo[1], u.Hi[0], u.Hi[1]
	c := -fmath.Log((hx - lx) * (hy - ly))
	n := len(xs) / 2
	out, xs = out[:n], xs[:2*n]
	for i := range out {
		x, y := xs[2*i], xs[2*i+1]
		if x >= lx && x <= hx && y >= ly && y <= hy {
			out[i] = c
		} else {
			out[i] = inf
		}
	}
}

// String describes the noise, e.g. "uniform[-2.50, 2.50]".
func (u UniformNoise) String() string {
	if u.D == 1 {
		return fmt.Sprintf("uniform[%.2f, %.2f]", u.Lo[0], u.Hi[0])
	}
	return fmt.Sprintf("uniform[%.2f, %.2f]×[%.2f, %.2f]", u.Lo[0], u.Hi[0], u.Lo[1], u.Hi[1])
}

// fitUniform builds the uniform noise of FitNoise from the data's mean m
// and spread s, and checks that it covers box.
func fitUniform(f *FitData) (Noise, error) {
	dim, m, s, nscale, nshift, box := f.Dim, f.Mean, f.SD, f.NScale, f.NShift, f.Box
	u := UniformNoise{D: dim}
	need := 0.0 // smallest nscale that covers box on every axis
	bad := -1   // first axis not covered
	for a := 0; a < dim; a++ {
		R := math.Max(math.Abs(box.Lo[a]-m[a]), math.Abs(box.Hi[a]-m[a]))
		c := m[a] + nshift*s[a]
		half := nscale * R
		u.Lo[a], u.Hi[a] = c-half, c+half
		// Half-width needed to reach both edges of the box from c.
		need = math.Max(need, math.Max(c-box.Lo[a], box.Hi[a]-c)/R)
		// Slack for rounding: at nscale = 1, nshift = 0 the noise meets the
		// box edge only up to the last bits.
		tol := 1e-9 * (box.Hi[a] - box.Lo[a])
		if u.Lo[a] > box.Lo[a]+tol || u.Hi[a] < box.Hi[a]-tol {
			if bad < 0 {
				bad = a
			}
			continue
		}
		u.Lo[a], u.Hi[a] = math.Min(u.Lo[a], box.Lo[a]), math.Max(u.Hi[a], box.Hi[a])
	}
	if bad < 0 {
		return u, nil
	}
	hint := ""
	if nshift != 0 {
		hint = " (or nshift nearer 0)"
	}
	ax := axisName(dim, bad)
	return nil, fmt.Errorf("noise: uniform noise covers %s[%.3g, %.3g] but the target has mass on %s[%.3g, %.3g]; NCE needs U > 0 wherever p̃ > 0 — use nscale ≥ %g%s",
		ax, u.Lo[bad], u.Hi[bad], ax, box.Lo[bad], box.Hi[bad], ceil2(need), hint)
}

// ceil2 rounds v > 0 up to two significant digits (1.7523 → 1.8), without
// logarithms.
func ceil2(v float64) float64 {
	scale := 1.0
	for v*scale < 10 {
		scale *= 10
	}
	for v*scale >= 100 {
		scale /= 10
	}
	return math.Ceil(v*scale) / scale
}

// Tail implements Noise: a bounded support (Power 0), which FitNoise has
// checked covers the target's box.
func (u UniformNoise) Tail() Tail { return Tail{} }
