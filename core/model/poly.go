package model

import (
	"math"
	"math/rand/v2"
)

// Poly is the exponential-family model of the model=poly of docs/spec.md#keys: in 1D,
// G(x;θ) = Σ_{j=1..deg} θ_j x^j; in 2D the quadratic
// G(x,y;θ) = θ₁x + θ₂y + θ₃x² + θ₄xy + θ₅y². It has no constant term: the
// normalizer is the objective's c (docs/math.md#e2). Poly is Linear, so its NCE
// and MLE losses are convex (docs/math.md#mle).
type Poly struct {
	dim, deg int
}

// NewPoly returns the poly model for dim 1 (degree deg ≥ 1) or dim 2 (the
// quadratic; deg is ignored).
func NewPoly(dim, deg int) *Poly {
	if dim == 2 {
		deg = 2
	}
	return &Poly{dim: dim, deg: deg}
}

// Dim implements Model.
func (p *Poly) Dim() int { return p.dim }

// NumParams implements Model: deg in 1D, 5 in 2D.
func (p *Poly) NumParams() int {
	if p.dim == 2 {
		return 5
	}
	return p.deg
}

// Init implements Model: θ = 0, a flat energy (the losses are convex, so
// the start does not matter and needs no randomness).
func (p *Poly) Init(_ *rand.Rand, theta []float64) {
	clear(theta[:p.NumParams()])
}

// Features implements Linear.
func (p *Poly) Features(xs, phi []float64) {
	np := p.NumParams()
	n := len(phi) / np
	if p.dim == 2 {
		for i := range n {
			x, y := xs[2*i], xs[2*i+1]
			f := phi[i*5 : i*5+5]
			f[0], f[1], f[2], f[3], f[4] = x, y, x*x, x*y, y*y
		}
		return
	}
	for i := range n {
		x, v := xs[i], 1.0
		f := phi[i*np : (i+1)*np]
		for j := range f {
			v *= x
			f[j] = v
		}
	}
}

// Energy implements Model.
func (p *Poly) Energy(theta, xs, g []float64) {
	if p.dim == 2 {
		t := theta[:5]
		for i := range g {
			x, y := xs[2*i], xs[2*i+1]
			g[i] = t[0]*x + t[1]*y + t[2]*x*x + t[3]*x*y + t[4]*y*y
		}
		return
	}
	t := theta[:p.deg]
	if p.deg <= 4 {
		// Horner with the coefficients in locals (a missing one is 0, and
		// 0·x + t = t exactly): the same operations as the loop below,
		// several times faster in wasm.
		var t0, t1, t2, t3 float64
		t0 = t[0]
		if p.deg > 1 {
			t1 = t[1]
		}
		if p.deg > 2 {
			t2 = t[2]
		}
		if p.deg > 3 {
			t3 = t[3]
		}
		for i, x := range xs[:len(g)] {
			g[i] = (((t3*x+t2)*x+t1)*x + t0) * x
		}
		return
	}
	for i := range g {
		// Horner: G = x(θ₁ + x(θ₂ + … + xθ_deg)).
		x, s := xs[i], 0.0
		for j := len(t) - 1; j >= 0; j-- {
			s = s*x + t[j]
		}
		g[i] = s * x
	}
}

// NewTape implements Model. A poly tape keeps only the points.
func (p *Poly) NewTape(maxPoints int) Tape { return &polyTape{p: p} }

type polyTape struct {
	p  *Poly
	xs []float64
}

func (t *polyTape) Forward(theta, xs, g []float64) {
	t.xs = xs[:len(g)*t.p.dim]
	t.p.Energy(theta, xs, g)
}

// Backward adds Σ dg_i φ(x_i): ∇θG = φ(x) for a linear model.
func (t *polyTape) Backward(_, dg, grad []float64) {
	if t.p.dim == 2 {
		var s0, s1, s2, s3, s4 float64
		for i, d := range dg {
			x, y := t.xs[2*i], t.xs[2*i+1]
			s0 += d * x
			s1 += d * y
			s2 += d * x * x
			s3 += d * x * y
			s4 += d * y * y
		}
		grad[0] += s0
		grad[1] += s1
		grad[2] += s2
		grad[3] += s3
		grad[4] += s4
		return
	}
	deg := t.p.deg
	if deg <= 4 {
		// Σ dg_i x_i^j, j = 1…4, with the sums in locals (fast in wasm);
		// the powers are built by the same repeated products as below.
		var s1, s2, s3, s4 float64
		for i, d := range dg {
			x := t.xs[i]
			v1 := d * x
			v2 := v1 * x
			v3 := v2 * x
			s1 += v1
			s2 += v2
			s3 += v3
			s4 += v3 * x
		}
		acc := [4]float64{s1, s2, s3, s4}
		for j := range deg {
			grad[j] += acc[j]
		}
		return
	}
	for i, d := range dg {
		v := d
		for j := range deg {
			v *= t.xs[i]
			grad[j] += v
		}
	}
}

// Integrable implements Tailed. In 1D, exp(G − q·x²) is integrable iff
// the highest-degree nonzero coefficient of G − q·x² has an even degree
// and is negative; in 2D iff the quadratic form [[θ₃ − q_x, θ₄/2],
// [θ₄/2, θ₅ − q_y]] is negative definite (a semidefinite form leaves a
// direction along which exp(G) does not decay; only the measure-zero case
// where the linear terms would still decay it is called not integrable).
func (p *Poly) Integrable(theta []float64, quad [2]float64) bool {
	if p.dim == 2 {
		a, b, d := theta[2]-quad[0], theta[3]/2, theta[4]-quad[1]
		return a < 0 && a*d-b*b > 0
	}
	for j := p.deg; j >= 1; j-- {
		c := theta[j-1]
		if j == 2 {
			c -= quad[0]
		}
		if c != 0 {
			return j%2 == 0 && c < 0
		}
	}
	return quad[0] > 0 // G ≡ 0
}

// Leading returns, in 1D, the degree and coefficient of the highest
// nonzero term of G − quad·x² (degree 0 if there is none); in 2D the two
// eigenvalues of the quadratic form of Integrable, the larger first.
func (p *Poly) Leading(theta []float64, quad [2]float64) (deg int, coef, eig2 float64) {
	if p.dim == 2 {
		a, b, d := theta[2]-quad[0], theta[3]/2, theta[4]-quad[1]
		m, r := (a+d)/2, math.Sqrt((a-d)*(a-d)/4+b*b)
		return 2, m + r, m - r
	}
	for j := p.deg; j >= 1; j-- {
		c := theta[j-1]
		if j == 2 {
			c -= quad[0]
		}
		if c != 0 {
			return j, c, 0
		}
	}
	return 0, 0, 0
}
