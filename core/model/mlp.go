package model

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// MLP is the tanh multilayer perceptron of the model=mlp of docs/spec.md#keys, an energy
// G(x;θ) of docs/math.md#partition-function that is not linear in θ:
//
//	G(x;θ) = w_outᵀ h_L + b_out,  h_l = tanh(W_l h_{l−1} + b_l),  h_0 = x,
//
// with L = layers hidden layers of width U = units. The output bias b_out
// is the model's free additive constant (with obj=nce and norm=fixed it
// plays the role of −c in docs/math.md#e2).
//
// Parameter layout, in this order (θ has NumParams entries; a longer θ is
// fine, the rest is ignored):
//
//	for l = 1…L:  W_l  U×in_l, row-major: W_l[j][i] = θ[off_l + j·in_l + i]
//	              (in_1 = Dim, in_l = U for l ≥ 2)
//	              b_l  U entries, right after W_l
//	w_out  U entries
//	b_out  1 entry, the last one
//
// so NumParams = U·Dim + U + (L−1)(U² + U) + U + 1.
type MLP struct {
	dim, units, layers int
}

// NewMLP returns the MLP for points of dimension dim (1 or 2) with layers
// hidden layers of units tanh units each (docs/spec.md#keys: units 4…256, layers
// 1…4). It panics when a size is below 1.
func NewMLP(dim, units, layers int) *MLP {
	if dim < 1 || units < 1 || layers < 1 {
		panic(fmt.Sprintf("model: NewMLP(%d, %d, %d): sizes must be positive", dim, units, layers))
	}
	return &MLP{dim: dim, units: units, layers: layers}
}

// Dim implements Model.
func (m *MLP) Dim() int { return m.dim }

// NumParams implements Model: U·Dim + U + (L−1)(U² + U) + U + 1.
func (m *MLP) NumParams() int {
	u := m.units
	return u*m.dim + u + (m.layers-1)*(u*u+u) + u + 1
}

// in returns the input width of hidden layer l (0-based).
func (m *MLP) in(l int) int {
	if l == 0 {
		return m.dim
	}
	return m.units
}

// weights returns the offsets of W_l and b_l (hidden layer l, 0-based) in θ.
func (m *MLP) weights(l int) (w, b int) {
	u := m.units
	if l > 0 {
		w = u*m.dim + u + (l-1)*(u*u+u)
	}
	return w, w + u*m.in(l)
}

// output returns the offset of w_out in θ; b_out follows it.
func (m *MLP) output() int { return m.NumParams() - m.units - 1 }

// Init implements Model with Glorot (Xavier) uniform weights: every entry
// of W_l is drawn from U(−a, a) with a = √(6/(in_l + U)), those of w_out
// with a = √(6/(U + 1)), all biases are 0. The draws, one r.Float64() per
// weight, go in parameter order (W_1 row by row, W_2, …, w_out), so the
// same seed gives the same θ everywhere.
func (m *MLP) Init(r *rand.Rand, theta []float64) {
	theta = theta[:m.NumParams()]
	clear(theta)
	fill := func(w []float64, fanIn, fanOut int) {
		a := math.Sqrt(6 / float64(fanIn+fanOut))
		for i := range w {
			w[i] = a * (2*r.Float64() - 1)
		}
	}
	u := m.units
	for l := range m.layers {
		w, b := m.weights(l)
		fill(theta[w:b], m.in(l), u)
	}
	o := m.output()
	fill(theta[o:o+u], u, 1)
}

// energyBuf is the size of Energy's scratch space, an array on the stack
// (64 KiB): two activation buffers of energyBuf/(2U) points each.
const energyBuf = 8192

// Energy implements Model. It runs the tape's forward pass (the same
// kernels in the same order, so it agrees with Tape.Forward bit for bit)
// over chunks of 4096/U points, in scratch space on the stack: it
// allocates nothing for U ≤ 4096.
func (m *MLP) Energy(theta, xs, g []float64) {
	var stack [energyBuf]float64
	buf := stack[:]
	u := m.units
	c := energyBuf / (2 * u)
	if c == 0 {
		c = 1
		buf = make([]float64, 2*u)
	}
	acts := [2][]float64{buf[:c*u], buf[c*u : 2*c*u]}
	for i := 0; i < len(g); i += c {
		j := min(i+c, len(g))
		m.forward(theta, xs[i*m.dim:j*m.dim], g[i:j], acts[:])
	}
}

// forward sets g[p] = G(point p of xs) for the len(g) points, leaving the
// activations of hidden layer l (0-based; row-major, len(g)×U) in
// acts[l mod len(acts)]: a tape keeps them all, Energy alternates two.
func (m *MLP) forward(theta, xs, g []float64, acts [][]float64) {
	n, u := len(g), m.units
	prev := xs[:n*m.dim]
	for l := range m.layers {
		w, b := m.weights(l)
		in := m.in(l)
		h := acts[l%len(acts)][:n*u]
		if l == 0 {
			firstLayer(h, prev, theta[w:b], u, in)
		} else {
			gemmNT(h, u, prev, theta[w:b], n, u, in, false)
		}
		activate(h, theta[b:b+u])
		prev = h
	}
	o := m.output()
	wOut, bOut := theta[o:o+u], theta[o+u]
	gemmNT(g, 1, prev, wOut, n, 1, u, false)
	for p := range g {
		g[p] += bOut
	}
}

// firstLayer sets h[p·u+j] = Σ_{i<d} W_1[j][i]·x_p[i] (the sums of
// gemmNT, in the same order) for the len(h)/u points x_p of xs: the first
// layer's inputs are too short (d = 1 or 2) for gemmNT's blocks to pay.
func firstLayer(h, xs, w []float64, u, d int) {
	n := len(h) / u
	xs, w = xs[:n*d], w[:u*d]
	switch d {
	case 1:
		w = w[:u]
		for p, x := range xs {
			hp := h[p*u : (p+1)*u]
			for j, wj := range w {
				s := 0.0
				s += x * wj
				hp[j] = s
			}
		}
	case 2:
		p := 0
		for ; p+2 <= n; p += 2 {
			x0, y0, x1, y1 := xs[2*p], xs[2*p+1], xs[2*p+2], xs[2*p+3]
			h0, h1 := h[p*u:(p+1)*u], h[(p+1)*u:(p+2)*u]
			h1 = h1[:len(h0)]
			for j := range h0 {
				wj := w[2*j : 2*j+2 : 2*j+2]
				a, b := wj[0], wj[1]
				s := 0.0
				s += x0 * a
				s += y0 * b
				h0[j] = s
				s = 0.0
				s += x1 * a
				s += y1 * b
				h1[j] = s
			}
		}
		for ; p < n; p++ {
			x, y := xs[2*p], xs[2*p+1]
			hp := h[p*u : (p+1)*u]
			for j := range hp {
				wj := w[2*j : 2*j+2 : 2*j+2]
				s := 0.0
				s += x * wj[0]
				s += y * wj[1]
				hp[j] = s
			}
		}
	default:
		gemmNT(h, u, xs, w, n, u, d, false)
	}
}

// activate sets h = tanh(h + b) row by row, for the len(h)/len(b) rows of
// h (the hidden layer's activation, row p being point p).
func activate(h, b []float64) {
	u := len(b)
	for p := 0; p+u <= len(h); p += u {
		biasTanh(h[p:p+u], b)
	}
}

// NewTape implements Model. The tape holds (L + 4)·maxPoints·U + U² +
// Dim·maxPoints + U values, allocated here; Forward and Backward allocate
// nothing.
func (m *MLP) NewTape(maxPoints int) Tape {
	n, u := maxPoints, m.units
	t := &mlpTape{m: m, max: n}
	t.acts = make([][]float64, m.layers)
	for l := range t.acts {
		t.acts[l] = make([]float64, n*u)
	}
	t.xT = make([]float64, n*m.dim)
	t.hT = make([]float64, n*u)
	t.dz = make([]float64, n*u)
	t.dzT = make([]float64, n*u)
	t.daT = make([]float64, n*u)
	t.wT = make([]float64, u*u)
	t.acc = make([]float64, u)
	return t
}

// mlpTape is the MLP's Tape. Forward keeps the activations H_l (n×U, row
// p = h_l at point p) and the transposed points; Backward runs
// backpropagation layer by layer, with dZ_l[p][j] the gradient at
// (W_l h_{l−1} + b_l)_j of point p:
//
//	∂J/∂b_l = Σ_p dZ_l[p]
//	∂J/∂W_l = dZ_lᵀ H_{l−1}           gemmNT(dZ_lᵀ, H_{l−1}ᵀ), summed over points
//	dA_{l−1}ᵀ = W_lᵀ dZ_lᵀ            gemmNT(W_lᵀ, dZ_l)
//	dZ_{l−1}ᵀ = dA_{l−1}ᵀ ⊙ (1 − H_{l−1}ᵀ²)
//
// Each product reads both operands along the summed index, so dZ_l is kept
// in both layouts (the transposes cost a few % of the products).
type mlpTape struct {
	m    *MLP
	max  int
	n    int         // points in the last Forward
	acts [][]float64 // H_l, n×U
	xT   []float64   // the points transposed, Dim×n
	hT   []float64   // H_{l−1}ᵀ, U×n
	dz   []float64   // dZ_l, n×U
	dzT  []float64   // dZ_lᵀ, U×n
	daT  []float64   // dA_{l−1}ᵀ, U×n, then dZ_{l−1}ᵀ
	wT   []float64   // W_lᵀ, U×U
	acc  []float64   // ∂J/∂w_out, U
}

// Forward implements Tape.
func (t *mlpTape) Forward(theta, xs, g []float64) {
	n := len(g)
	if n > t.max {
		panic(fmt.Sprintf("model: MLP tape for %d points given %d", t.max, n))
	}
	t.n = n
	d := t.m.dim
	transpose(t.xT[:n*d], xs[:n*d], n, d)
	t.m.forward(theta, xs, g, t.acts)
}

// Backward implements Tape.
func (t *mlpTape) Backward(theta, dg, grad []float64) {
	m, n, u := t.m, t.n, t.m.units
	if len(dg) != n {
		panic(fmt.Sprintf("model: MLP Backward given %d values for %d points", len(dg), n))
	}
	t.backOutput(theta, dg, grad)
	dz, dzT, daT, hT := t.dz[:n*u], t.dzT[:n*u], t.daT[:n*u], t.hT[:n*u]
	transpose(dzT, dz, n, u)
	for l := m.layers - 1; l >= 0; l-- {
		w, b := m.weights(l)
		rowSums(grad[b:b+u], dzT, n)
		if l == 0 {
			gemmNT(grad[w:b], m.dim, dzT, t.xT[:n*m.dim], u, m.dim, n, true)
			return
		}
		hPrev := t.acts[l-1][:n*u]
		transpose(hT, hPrev, n, u)
		gemmNT(grad[w:b], u, dzT, hT, u, u, n, true)
		wT := t.wT[:u*u]
		transpose(wT, theta[w:b], u, u)
		gemmNT(daT, n, wT, dz, u, n, u, false)
		tanhBack(daT, hT)
		dzT, daT = daT, dzT
		if l > 1 {
			transpose(dz, dzT, u, n)
		}
	}
}

// backOutput adds ∂J/∂w_out and ∂J/∂b_out to grad and sets dZ_L, the
// gradient at the last hidden layer's pre-activation.
func (t *mlpTape) backOutput(theta, dg, grad []float64) {
	m, n, u := t.m, t.n, t.m.units
	o := m.output()
	wOut := theta[o : o+u]
	h := t.acts[m.layers-1][:n*u]
	dz := t.dz[:n*u]
	acc := t.acc[:u]
	clear(acc)
	sb := 0.0
	p := 0
	for ; p+4 <= n; p += 4 {
		// Four points at once: acc[j] gets their terms in point order.
		d0, d1, d2, d3 := dg[p], dg[p+1], dg[p+2], dg[p+3]
		h0, h1, h2, h3 := h[p*u:(p+1)*u], h[(p+1)*u:(p+2)*u], h[(p+2)*u:(p+3)*u], h[(p+3)*u:(p+4)*u]
		z0, z1, z2, z3 := dz[p*u:(p+1)*u], dz[(p+1)*u:(p+2)*u], dz[(p+2)*u:(p+3)*u], dz[(p+3)*u:(p+4)*u]
		h1, h2, h3, z0, z1, z2, z3 = h1[:len(h0)], h2[:len(h0)], h3[:len(h0)], z0[:len(h0)], z1[:len(h0)], z2[:len(h0)], z3[:len(h0)]
		a, w := acc[:len(h0)], wOut[:len(h0)]
		for j, v0 := range h0 {
			v1, v2, v3, wj := h1[j], h2[j], h3[j], w[j]
			s := a[j]
			s += d0 * v0
			s += d1 * v1
			s += d2 * v2
			s += d3 * v3
			a[j] = s
			z0[j] = (d0 * wj) * (1 - v0*v0)
			z1[j] = (d1 * wj) * (1 - v1*v1)
			z2[j] = (d2 * wj) * (1 - v2*v2)
			z3[j] = (d3 * wj) * (1 - v3*v3)
		}
		sb += d0
		sb += d1
		sb += d2
		sb += d3
	}
	for ; p < n; p++ {
		d := dg[p]
		hp, zp := h[p*u:(p+1)*u], dz[p*u:(p+1)*u]
		zp, a, w := zp[:len(hp)], acc[:len(hp)], wOut[:len(hp)]
		for j, v := range hp {
			a[j] += d * v
			zp[j] = (d * w[j]) * (1 - v*v)
		}
		sb += d
	}
	gw := grad[o : o+u]
	for j, v := range acc {
		gw[j] += v
	}
	grad[o+u] += sb
}

// tanhBack sets da[i] = da[i]·(1 − h[i]²): the gradient through h = tanh(z).
func tanhBack(da, h []float64) {
	h = h[:len(da)]
	for i, v := range h {
		da[i] *= 1 - v*v
	}
}

// rowSums adds to dst[j] the sum of row j of the len(dst)×n matrix a,
// summed from index 0 upwards, four rows at a time.
func rowSums(dst, a []float64, n int) {
	j := 0
	for ; j+4 <= len(dst); j += 4 {
		r0, r1, r2, r3 := a[j*n:(j+1)*n], a[(j+1)*n:(j+2)*n], a[(j+2)*n:(j+3)*n], a[(j+3)*n:(j+4)*n]
		var s0, s1, s2, s3 float64
		for p, v := range r0 {
			s0 += v
			s1 += r1[p]
			s2 += r2[p]
			s3 += r3[p]
		}
		dst[j] += s0
		dst[j+1] += s1
		dst[j+2] += s2
		dst[j+3] += s3
	}
	for ; j < len(dst); j++ {
		s := 0.0
		for _, v := range a[j*n : (j+1)*n] {
			s += v
		}
		dst[j] += s
	}
}
