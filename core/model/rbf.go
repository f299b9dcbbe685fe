package model

import (
	"fmt"
	"math/rand/v2"

	"nceplay/core/density"
	"nceplay/core/fmath"
)

// RBF is the model=rbf of docs/spec.md#keys: Gaussian bumps on a regular grid over the
// target's box, an energy of docs/math.md#partition-function that is linear in θ,
//
//	G(x;θ) = Σ_j θ_j φ_j(x),  φ_j(x) = exp(−Σ_a (x_a − μ_{j,a})² / (2h_a²)).
//
// Grid: U = units centres per axis, μ_{i,a} = Lo_a + i·h_a for i < U, with
// spacing h_a = (Hi_a − Lo_a)/(U − 1) (the whole box when U = 1), so the
// outer centres sit on the box's edges. Width: the standard deviation of
// each bump along axis a is the grid spacing h_a (for a square box this
// is the isotropic exp(−|x−μ_j|²/(2h²))), so a bump is e^{−1/2} ≈ 0.61 at
// the next centre and sums of bumps are smooth.
//
// Parameter layout: in 1D θ_i belongs to centre i; in 2D θ[i·U + j]
// belongs to the centre (μ_{i,x}, μ_{j,y}) (x index major). NumParams is
// U^Dim. In 2D a point's U² features come from 2U exponentials, since
// φ_{ij}(x, y) = e_i(x)·e_j(y).
//
// RBF has no constant feature: its normalizer is the objective's c
// (docs/math.md#e2). It is Linear, so its NCE and MLE losses are convex
// (docs/math.md#mle).
type RBF struct {
	dim, units int
	lo, h      [2]float64
}

// NewRBF returns the RBF model for dim 1 or 2 with units centres per axis
// over box (only axis 0 is used in 1D). It panics for units < 1 or an
// empty box.
func NewRBF(dim, units int, box density.Box) *RBF {
	if dim < 1 || dim > 2 || units < 1 {
		panic(fmt.Sprintf("model: NewRBF(%d, %d): need dim 1 or 2 and units ≥ 1", dim, units))
	}
	m := &RBF{dim: dim, units: units}
	for a := range dim {
		w := box.Hi[a] - box.Lo[a]
		if !(w > 0) {
			panic(fmt.Sprintf("model: NewRBF: empty box %v", box))
		}
		m.lo[a] = box.Lo[a]
		m.h[a] = w
		if units > 1 {
			m.h[a] = w / float64(units-1)
		}
	}
	return m
}

// Dim implements Model.
func (m *RBF) Dim() int { return m.dim }

// NumParams implements Model: units^Dim.
func (m *RBF) NumParams() int {
	if m.dim == 2 {
		return m.units * m.units
	}
	return m.units
}

// Init implements Model: θ = 0, a flat energy (the losses are convex in θ,
// so the start does not matter and needs no randomness).
func (m *RBF) Init(_ *rand.Rand, theta []float64) {
	clear(theta[:m.NumParams()])
}

// bumps sets e[i] = exp(−((x − μ_i)/h)²/2) for the U centres μ_i = lo + i·h
// of one axis: the 1D features, or one factor of the 2D ones.
func bumps(e []float64, x, lo, h float64) {
	for i := range e {
		d := (x - (lo + float64(i)*h)) / h
		e[i] = fmath.Exp(-0.5 * (d * d))
	}
}

// axes sets ex (and ey in 2D), row p holding the bumps of point p, for
// the len(ex)/U points of xs.
func (m *RBF) axes(xs, ex, ey []float64) {
	u := m.units
	n := len(ex) / u
	for p := range n {
		bumps(ex[p*u:(p+1)*u], xs[p*m.dim], m.lo[0], m.h[0])
		if m.dim == 2 {
			bumps(ey[p*u:(p+1)*u], xs[p*2+1], m.lo[1], m.h[1])
		}
	}
}

// energies sets g from the bumps: g[p] = Σ_i θ_i ex[p][i] in 1D, and in
// 2D g[p] = Σ_i ex[p][i]·t[p][i] with t[p][i] = Σ_j θ[i·U+j]·ey[p][j]
// (t is scratch, len(g)×U). Every sum runs from index 0 upwards.
func (m *RBF) energies(theta, ex, ey, t, g []float64) {
	u, n := m.units, len(g)
	if m.dim == 1 {
		gemmNT(g, 1, ex[:n*u], theta[:u], n, 1, u, false)
		return
	}
	t = t[:n*u]
	gemmNT(t, u, ey[:n*u], theta[:u*u], n, u, u, false)
	for p := range g {
		g[p] = dot1(ex[p*u:(p+1)*u], t[p*u:(p+1)*u])
	}
}

// Energy implements Model. It runs the tape's forward pass (bit for bit)
// over chunks of 8192/(3U) points, in scratch space on the stack: it
// allocates nothing for U ≤ 2730.
func (m *RBF) Energy(theta, xs, g []float64) {
	var stack [energyBuf]float64
	buf := stack[:]
	u := m.units
	c := energyBuf / (3 * u)
	if c == 0 {
		c = 1
		buf = make([]float64, 3*u)
	}
	ex, ey, t := buf[:c*u], buf[c*u:2*c*u], buf[2*c*u:3*c*u]
	for i := 0; i < len(g); i += c {
		j := min(i+c, len(g))
		k := j - i
		m.axes(xs[i*m.dim:j*m.dim], ex[:k*u], ey[:k*u])
		m.energies(theta, ex, ey, t, g[i:j])
	}
}

// Features implements Linear: phi[p·P + i] = e_i(x_p) in 1D and
// phi[p·P + i·U + j] = e_i(x_p)·e_j(y_p) in 2D, P = NumParams(). It
// allocates nothing for U ≤ 256.
func (m *RBF) Features(xs, phi []float64) {
	u, np := m.units, m.NumParams()
	n := len(phi) / np
	var stack [512]float64
	e := stack[:]
	if 2*u > len(e) {
		e = make([]float64, 2*u)
	}
	ex, ey := e[:u], e[u:2*u]
	for p := range n {
		f := phi[p*np : (p+1)*np]
		if m.dim == 1 {
			bumps(f, xs[p], m.lo[0], m.h[0])
			continue
		}
		bumps(ex, xs[2*p], m.lo[0], m.h[0])
		bumps(ey, xs[2*p+1], m.lo[1], m.h[1])
		for i, a := range ex {
			fi := f[i*u : (i+1)*u]
			for j, b := range ey {
				fi[j] = a * b
			}
		}
	}
}

// NewTape implements Model. The tape holds about 5·maxPoints·U values in
// 2D (2·maxPoints·U + U in 1D), allocated here; Forward and Backward
// allocate nothing.
func (m *RBF) NewTape(maxPoints int) Tape {
	n, u := maxPoints, m.units
	t := &rbfTape{m: m, max: n, ex: make([]float64, n*u)}
	if m.dim == 2 {
		t.ey = make([]float64, n*u)
		t.t = make([]float64, n*u)
		t.wT = make([]float64, n*u)
		t.eyT = make([]float64, n*u)
	} else {
		t.wT = make([]float64, u)
	}
	return t
}

// rbfTape is the RBF's Tape: Forward keeps the bumps of every point, and
// Backward adds Σ_p dg_p φ(x_p) (∇θG = φ for a linear model): in 2D the
// U×U sum Σ_p (dg_p e(x_p)) e(y_p)ᵀ is one gemmNT over the points.
type rbfTape struct {
	m      *RBF
	max, n int
	ex, ey []float64 // bumps per point, n×U
	t      []float64 // scratch, n×U
	wT     []float64 // 2D: (dg ⊙ ex)ᵀ, U×n; 1D: the gradient's sums, U
	eyT    []float64 // eyᵀ, U×n
}

// Forward implements Tape.
func (t *rbfTape) Forward(theta, xs, g []float64) {
	n, u := len(g), t.m.units
	if n > t.max {
		panic(fmt.Sprintf("model: RBF tape for %d points given %d", t.max, n))
	}
	t.n = n
	ex := t.ex[:n*u]
	var ey []float64
	if t.m.dim == 2 {
		ey = t.ey[:n*u]
	}
	t.m.axes(xs, ex, ey)
	t.m.energies(theta, ex, ey, t.t, g)
}

// Backward implements Tape.
func (t *rbfTape) Backward(_, dg, grad []float64) {
	n, u := t.n, t.m.units
	if len(dg) != n {
		panic(fmt.Sprintf("model: RBF Backward given %d values for %d points", len(dg), n))
	}
	ex := t.ex[:n*u]
	if t.m.dim == 1 {
		acc := t.wT[:u]
		clear(acc)
		for p, d := range dg {
			for i, v := range ex[p*u : (p+1)*u] {
				acc[i] += d * v
			}
		}
		for i, v := range acc {
			grad[i] += v
		}
		return
	}
	wT, eyT := t.wT[:n*u], t.eyT[:n*u]
	transpose(wT, ex, n, u)
	for i := range u {
		row := wT[i*n : (i+1)*n]
		for p, d := range dg {
			row[p] *= d
		}
	}
	transpose(eyT, t.ey[:n*u], n, u)
	gemmNT(grad[:u*u], u, wT, eyT, u, u, n, true)
}
