package model

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// TestGoldenBits pins the exact bits of Forward, Backward and Energy for
// a few models and seeded inputs. The same constants must come out
// natively and in wasm (docs/spec.md#determinism: the same numbers on every runner), so
// run this test under GOOS=js GOARCH=wasm too. A deliberate change to a
// kernel's arithmetic changes the constants: update them from the native
// run and check that wasm agrees.
func TestGoldenBits(t *testing.T) {
	cases := []struct {
		name string
		m    Model
		want uint64
	}{
		{"mlp dim2 u7 L3", NewMLP(2, 7, 3), 0xe741002669a24b1d},
		{"mlp dim1 u64 L2", NewMLP(1, 64, 2), 0xf2317a07b3445dea},
		{"mlp dim2 u13 L4", NewMLP(2, 13, 4), 0xdf2c022b959ea093},
		{"rbf dim1 u16", NewRBF(1, 16, testBox), 0xd04b2bc6e1509c90},
		{"rbf dim2 u9", NewRBF(2, 9, testBox), 0x3cb39f63383b9812},
	}
	for _, c := range cases {
		r := rand.New(rand.NewPCG(42, 7))
		n, np := 37, c.m.NumParams()
		th := make([]float64, np)
		c.m.Init(r, th)
		for i := range th {
			th[i] += 0.3 * (2*r.Float64() - 1) // non-zero biases and RBF weights
		}
		xs := randPoints(r, n, c.m.Dim())
		dg := randVec(r, n, 1)
		g, e := make([]float64, n), make([]float64, n)
		grad := make([]float64, np)
		tape := c.m.NewTape(n)
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
		c.m.Energy(th, xs, e)
		h := fnv.New64a()
		for _, vs := range [][]float64{th, g, grad, e} {
			for _, v := range vs {
				b := math.Float64bits(v)
				h.Write([]byte{byte(b), byte(b >> 8), byte(b >> 16), byte(b >> 24), byte(b >> 32), byte(b >> 40), byte(b >> 48), byte(b >> 56)})
			}
		}
		if got := h.Sum64(); got != c.want {
			t.Errorf("%s: hash %#x, want %#x", c.name, got, c.want)
		}
	}
}

// TestPolyIntegrable checks Poly.Integrable on hand-made energies.
func TestPolyIntegrable(t *testing.T) {
	p4, p2 := NewPoly(1, 4), NewPoly(2, 0)
	for _, c := range []struct {
		m     *Poly
		theta []float64
		quad  [2]float64
		want  bool
	}{
		{p4, []float64{0, -1, 0, -1}, [2]float64{}, true},                 // the quartic
		{p4, []float64{-0.02, -0.41, 0.003, 0.0103}, [2]float64{}, false}, // the laplace fit of the issue: x⁴ > 0
		{p4, []float64{1, -1, 0, 0}, [2]float64{}, true},                  // a Gaussian
		{p4, []float64{0, 0, 1e-9, 0}, [2]float64{}, false},               // odd leading term
		{p4, []float64{0, 0.5, 0, 0}, [2]float64{1, 0}, true},             // exp(G)·U with U's −x²: 0.5 − 1 < 0
		{p4, []float64{0, 0, 0, 0}, [2]float64{}, false},                  // flat
		{p2, []float64{0, 0, -1, 1.6, -1}, [2]float64{}, true},            // correlated, ρ = 0.8
		{p2, []float64{0, 0, -1, 2.2, -1}, [2]float64{}, false},           // indefinite
		{p2, []float64{0, 0, -1, 2, -1}, [2]float64{}, false},             // semidefinite
		{p2, []float64{0, 0, -1, 2.2, -1}, [2]float64{0.5, 0.5}, true},    // saved by U's tails
	} {
		if got := c.m.Integrable(c.theta, c.quad); got != c.want {
			t.Errorf("Integrable(%v, %v) = %v, want %v", c.theta, c.quad, got, c.want)
		}
	}
}
