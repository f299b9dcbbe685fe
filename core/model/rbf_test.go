package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"nceplay/core/density"
)

var testBox = density.Box{Lo: [2]float64{-3, -2}, Hi: [2]float64{4, 2.5}}

// naiveRBF is the reference RBF energy: the definition with math.Exp.
func naiveRBF(m *RBF, theta, xs []float64) []float64 {
	u := m.units
	n := len(xs) / m.dim
	g := make([]float64, n)
	for p := range n {
		for j := range m.NumParams() {
			q := 0.0
			idx := [2]int{j, 0}
			if m.dim == 2 {
				idx = [2]int{j / u, j % u}
			}
			for a := range m.dim {
				d := xs[p*m.dim+a] - (testBox.Lo[a] + float64(idx[a])*m.h[a])
				q += d * d / (2 * m.h[a] * m.h[a])
			}
			g[p] += theta[j] * math.Exp(-q)
		}
	}
	return g
}

type rbfConfig struct{ dim, units int }

func (c rbfConfig) String() string { return fmt.Sprintf("dim%d_u%d", c.dim, c.units) }

func rbfConfigs() []rbfConfig {
	var cs []rbfConfig
	for _, d := range []int{1, 2} {
		for _, u := range []int{1, 2, 4, 5, 7, 16} {
			cs = append(cs, rbfConfig{d, u})
		}
	}
	return cs
}

// randPoints returns n points in (and a little beyond) testBox.
func randPoints(r *rand.Rand, n, dim int) []float64 {
	xs := make([]float64, n*dim)
	for i := range xs {
		a := i % dim
		w := testBox.Hi[a] - testBox.Lo[a]
		xs[i] = testBox.Lo[a] - 0.1*w + 1.2*w*r.Float64()
	}
	return xs
}

// TestRBFMatchesNaive checks the tape against the definition (math.Exp,
// one exponential per feature); fmath.Exp and the separable product agree
// with it to a few ulp.
func TestRBFMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 1))
	for _, c := range rbfConfigs() {
		m := NewRBF(c.dim, c.units, testBox)
		for _, n := range []int{1, 3, 5, 13} {
			th := randVec(r, m.NumParams(), 1)
			xs := randPoints(r, n, c.dim)
			g := make([]float64, n)
			m.NewTape(n).Forward(th, xs, g)
			want := naiveRBF(m, th, xs)
			for p := range g {
				if !closeTo(g[p], want[p], 1e-12, 1+maxAbs(want)) {
					t.Fatalf("%v: G[%d] = %v, naive %v", c, p, g[p], want[p])
				}
			}
		}
	}
}

// TestRBFGradient checks Backward against central differences (exact up
// to rounding for a model linear in θ: tolerance 1e-6 as for the MLP) and
// against Σ_p dg_p φ(x_p) from Features (1e-13).
func TestRBFGradient(t *testing.T) {
	r := rand.New(rand.NewPCG(12, 1))
	for _, c := range rbfConfigs() {
		m := NewRBF(c.dim, c.units, testBox)
		n, np := 9, m.NumParams()
		th := randVec(r, np, 1)
		xs := randPoints(r, n, c.dim)
		dg := randVec(r, n, 1)
		tape := m.NewTape(n)
		g := make([]float64, n)
		grad := make([]float64, np)
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
		J := func() float64 {
			m.Energy(th, xs, g)
			s := 0.0
			for p := range g {
				s += dg[p] * g[p]
			}
			return s
		}
		phi := make([]float64, n*np)
		m.Features(xs, phi)
		const h = 1e-5
		scale := maxAbs(grad)
		for i := range th {
			v := th[i]
			th[i] = v + h
			jp := J()
			th[i] = v - h
			jm := J()
			th[i] = v
			fd := (jp - jm) / (2 * h)
			if !closeTo(grad[i], fd, 1e-6, math.Max(math.Abs(fd), scale)) {
				t.Errorf("%v: grad[%d] = %v, finite difference %v", c, i, grad[i], fd)
			}
			want := 0.0
			for p := range n {
				want += dg[p] * phi[p*np+i]
			}
			if !closeTo(grad[i], want, 1e-13, 1+scale) {
				t.Errorf("%v: grad[%d] = %v, Σ dg·φ = %v", c, i, grad[i], want)
			}
		}
	}
}

// TestRBFEnergy checks that Energy equals Tape.Forward bit for bit across
// Energy's chunks, and Σ θ_j φ_j from Features to rounding.
func TestRBFEnergy(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 1))
	for _, c := range []rbfConfig{{1, 5}, {1, 256}, {2, 7}, {2, 64}} {
		m := NewRBF(c.dim, c.units, testBox)
		n, np := 3*energyBuf/(3*c.units)+5, m.NumParams()
		th := randVec(r, np, 1)
		xs := randPoints(r, n, c.dim)
		g1, g2 := make([]float64, n), make([]float64, n)
		m.Energy(th, xs, g1)
		m.NewTape(n).Forward(th, xs, g2)
		for p := range g1 {
			if g1[p] != g2[p] {
				t.Fatalf("%v: Energy[%d] = %v, Forward %v", c, p, g1[p], g2[p])
			}
		}
		phi := make([]float64, np)
		for p := 0; p < n; p += 97 {
			m.Features(xs[p*c.dim:(p+1)*c.dim], phi)
			s := 0.0
			for j, f := range phi {
				s += th[j] * f
			}
			if !closeTo(g1[p], s, 1e-13, 1+math.Abs(s)) {
				t.Fatalf("%v: Energy[%d] = %v, Σθφ = %v", c, p, g1[p], s)
			}
		}
	}
}

// TestRBFGrid checks the centres and widths: a bump is 1 at its centre
// and e^{−1/2} one grid step away along an axis; the outer centres are on
// the box's corners.
func TestRBFGrid(t *testing.T) {
	m := NewRBF(2, 5, testBox)
	phi := make([]float64, 25)
	hx := (testBox.Hi[0] - testBox.Lo[0]) / 4
	m.Features([]float64{testBox.Lo[0] + 2*hx, testBox.Hi[1]}, phi)
	if phi[2*5+4] != 1 {
		t.Errorf("φ at its centre = %v, want 1", phi[2*5+4])
	}
	if d := math.Abs(phi[3*5+4] - math.Exp(-0.5)); d > 1e-15 {
		t.Errorf("φ one step away = %v, want e^{−1/2}", phi[3*5+4])
	}
	m1 := NewRBF(1, 1, testBox)
	m1.Features([]float64{testBox.Lo[0]}, phi[:1])
	if phi[0] != 1 {
		t.Errorf("units=1: φ at Lo = %v, want 1", phi[0])
	}
}

// TestRBFBackwardAccumulates checks that Backward adds to grad and is
// linear in dg, and that Init gives θ = 0.
func TestRBFBackwardAccumulates(t *testing.T) {
	r := rand.New(rand.NewPCG(14, 1))
	for _, dim := range []int{1, 2} {
		m := NewRBF(dim, 6, testBox)
		n, np := 10, m.NumParams()
		th := randVec(r, np, 1)
		m.Init(r, th)
		for i, v := range th {
			if v != 0 {
				t.Fatalf("Init: θ[%d] = %v", i, v)
			}
		}
		xs := randPoints(r, n, dim)
		dg1, dg2 := randVec(r, n, 1), randVec(r, n, 1)
		sum := make([]float64, n)
		for p := range sum {
			sum[p] = dg1[p] + 2*dg2[p]
		}
		tape := m.NewTape(n)
		tape.Forward(th, xs, make([]float64, n))
		a, b, c, once := make([]float64, np), make([]float64, np), make([]float64, np), make([]float64, np)
		tape.Backward(th, dg1, once)
		tape.Backward(th, dg1, a)
		tape.Backward(th, dg1, c)
		tape.Backward(th, dg1, c)
		tape.Backward(th, sum, b)
		tape.Backward(th, dg2, a)
		tape.Backward(th, dg2, a)
		for i := range a {
			if c[i] != 2*once[i] {
				t.Fatalf("dim %d: grad[%d]: two calls give %v, one %v", dim, i, c[i], once[i])
			}
			if !closeTo(a[i], b[i], 1e-13, 1+maxAbs(b)) {
				t.Fatalf("dim %d: grad[%d]: Backward(a)+2·Backward(b) = %v, Backward(a+2b) = %v", dim, i, a[i], b[i])
			}
		}
	}
}

// TestRBFNoAllocations checks that a warm tape allocates nothing.
func TestRBFNoAllocations(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	for _, dim := range []int{1, 2} {
		m := NewRBF(dim, 12, testBox)
		n := 50
		th := randVec(r, m.NumParams(), 1)
		if allocs := tapeAllocs(m, th, randPoints(r, n, dim), randVec(r, n, 1)); allocs != 0 {
			t.Errorf("dim %d: Forward+Backward: %v allocations, want 0", dim, allocs)
		}
	}
}

// TestModelsImplementInterfaces pins the interfaces the trainer relies on.
func TestModelsImplementInterfaces(t *testing.T) {
	var _ Model = NewMLP(1, 4, 1)
	var _ Linear = NewRBF(1, 4, testBox)
}

// TestZeroPoints checks that tapes and Energy accept an empty batch.
func TestZeroPoints(t *testing.T) {
	for _, m := range []Model{NewMLP(2, 5, 3), NewMLP(1, 4, 1), NewRBF(1, 4, testBox), NewRBF(2, 4, testBox)} {
		th := make([]float64, m.NumParams())
		grad := make([]float64, m.NumParams())
		tape := m.NewTape(3)
		tape.Forward(th, nil, nil)
		tape.Backward(th, nil, grad)
		m.Energy(th, nil, nil)
		for i, v := range grad {
			if v != 0 {
				t.Fatalf("%T: grad[%d] = %v after an empty batch", m, i, v)
			}
		}
	}
}
