package model

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// naiveMLP is the reference MLP: plain loops and math.Tanh. It returns
// G at every point and, when dg is given, Σ_p dg[p]·∇θG(x_p).
func naiveMLP(m *MLP, theta, xs, dg []float64) (g, grad []float64) {
	d, u, L := m.dim, m.units, m.layers
	n := len(xs) / d
	g = make([]float64, n)
	grad = make([]float64, m.NumParams())
	for p := range n {
		hs := [][]float64{xs[p*d : (p+1)*d]}
		for l := range L {
			w, b := m.weights(l)
			in := m.in(l)
			h := make([]float64, u)
			for j := range u {
				s := 0.0
				for i := range in {
					s += theta[w+j*in+i] * hs[l][i]
				}
				h[j] = math.Tanh(s + theta[b+j])
			}
			hs = append(hs, h)
		}
		o := m.output()
		s := 0.0
		for j := range u {
			s += theta[o+j] * hs[L][j]
		}
		g[p] = s + theta[o+u]
		if dg == nil {
			continue
		}
		// Backpropagation, one point at a time.
		grad[o+u] += dg[p]
		dh := make([]float64, u)
		for j := range u {
			grad[o+j] += dg[p] * hs[L][j]
			dh[j] = dg[p] * theta[o+j]
		}
		for l := L - 1; l >= 0; l-- {
			w, b := m.weights(l)
			in := m.in(l)
			dprev := make([]float64, in)
			for j := range u {
				dz := dh[j] * (1 - hs[l+1][j]*hs[l+1][j])
				grad[b+j] += dz
				for i := range in {
					grad[w+j*in+i] += dz * hs[l][i]
					dprev[i] += dz * theta[w+j*in+i]
				}
			}
			dh = dprev
		}
	}
	return g, grad
}

// randVec returns n values uniform in (−s, s).
func randVec(r *rand.Rand, n int, s float64) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = s * (2*r.Float64() - 1)
	}
	return v
}

// randTheta returns random MLP parameters, biases included, of a scale
// that keeps the units away from saturation but not linear.
func randTheta(r *rand.Rand, m *MLP) []float64 {
	th := randVec(r, m.NumParams(), 1)
	for l := range m.layers {
		w, b := m.weights(l)
		s := 1.5 / math.Sqrt(float64(m.in(l)))
		for i := w; i < b; i++ {
			th[i] *= s
		}
	}
	return th
}

// close reports whether a and b agree to tol relative to scale.
func closeTo(a, b, tol, scale float64) bool {
	return math.Abs(a-b) <= tol*scale
}

func maxAbs(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s = max(s, math.Abs(x))
	}
	return s
}

type mlpConfig struct{ dim, units, layers int }

func mlpConfigs() []mlpConfig {
	var cs []mlpConfig
	for _, d := range []int{1, 2} {
		for L := 1; L <= 4; L++ {
			for _, u := range []int{1, 3, 4, 5, 7, 8, 13} {
				cs = append(cs, mlpConfig{d, u, L})
			}
		}
	}
	return cs
}

func (c mlpConfig) String() string { return fmt.Sprintf("dim%d_u%d_L%d", c.dim, c.units, c.layers) }

// TestMLPMatchesNaive checks the blocked kernels against the plain loops on
// awkward sizes (point counts and widths that are not multiples of 2 or 4).
// The two differ only by the tanh kernel (relative error ≤ 1e-14) and by
// the order of the backward sums, so they agree to 1e-12.
func TestMLPMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, c := range mlpConfigs() {
		m := NewMLP(c.dim, c.units, c.layers)
		tape := m.NewTape(45)
		for _, n := range []int{1, 2, 3, 5, 8, 13, 45} {
			th := randTheta(r, m)
			xs := randVec(r, n*c.dim, 3)
			dg := randVec(r, n, 1)
			wantG, wantGrad := naiveMLP(m, th, xs, dg)
			g := make([]float64, n)
			grad := make([]float64, m.NumParams())
			tape.Forward(th, xs, g)
			tape.Backward(th, dg, grad)
			gs, gr := maxAbs(wantG), maxAbs(wantGrad)
			for p := range g {
				if !closeTo(g[p], wantG[p], 1e-12, 1+gs) {
					t.Fatalf("%v n=%d: G[%d] = %v, naive %v", c, n, p, g[p], wantG[p])
				}
			}
			for i := range grad {
				if !closeTo(grad[i], wantGrad[i], 1e-12, 1+gr) {
					t.Fatalf("%v n=%d: grad[%d] = %v, naive %v", c, n, i, grad[i], wantGrad[i])
				}
			}
		}
	}
}

// TestMLPGradientFiniteDifferences checks ∇θ Σ_p dg_p G(x_p;θ) against
// central differences (J(θ+h e_i) − J(θ−h e_i))/2h with h = 1e-5. The
// truncation error is h²/6·|∂³J| ≈ 1e-11 and the rounding error
// ε·|J|/h ≈ 1e-11 for the O(1) values here, so a relative tolerance of 1e-6
// (of the largest gradient entry) leaves a wide margin while any wrong
// term (a missing factor, a transposed weight) is off by O(1).
func TestMLPGradientFiniteDifferences(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 2))
	for _, c := range mlpConfigs() {
		m := NewMLP(c.dim, c.units, c.layers)
		n := 7
		th := randTheta(r, m)
		xs := randVec(r, n*c.dim, 2)
		dg := randVec(r, n, 1)
		tape := m.NewTape(n)
		g := make([]float64, n)
		grad := make([]float64, m.NumParams())
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
		J := func(th []float64) float64 {
			m.Energy(th, xs, g)
			s := 0.0
			for p := range g {
				s += dg[p] * g[p]
			}
			return s
		}
		const h = 1e-5
		scale := maxAbs(grad)
		worst := 0.0
		defer func() { t.Logf("%v: worst |grad − fd|/max(|fd|, max|grad|) = %.2g", c, worst) }()
		for i := range th {
			v := th[i]
			th[i] = v + h
			jp := J(th)
			th[i] = v - h
			jm := J(th)
			th[i] = v
			fd := (jp - jm) / (2 * h)
			worst = max(worst, math.Abs(grad[i]-fd)/math.Max(math.Abs(fd), scale))
			if !closeTo(grad[i], fd, 1e-6, math.Max(math.Abs(fd), scale)) {
				t.Errorf("%v: grad[%d] = %v, finite difference %v", c, i, grad[i], fd)
			}
		}
	}
}

// TestMLPEnergyMatchesForward checks that Energy runs the tape's forward
// pass bit for bit, across Energy's chunks.
func TestMLPEnergyMatchesForward(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	for _, c := range []mlpConfig{{1, 5, 1}, {2, 7, 3}, {2, 64, 2}, {1, 32, 4}} {
		m := NewMLP(c.dim, c.units, c.layers)
		n := 3*energyBuf/(2*c.units) + 37
		th := randTheta(r, m)
		xs := randVec(r, n*c.dim, 3)
		g1, g2 := make([]float64, n), make([]float64, n)
		m.Energy(th, xs, g1)
		m.NewTape(n).Forward(th, xs, g2)
		for p := range g1 {
			if g1[p] != g2[p] {
				t.Fatalf("%v: Energy[%d] = %v, Forward %v", c, p, g1[p], g2[p])
			}
		}
		// A point's energy does not depend on the points around it.
		one := make([]float64, 1)
		for _, p := range []int{0, 1, 5, n - 1} {
			m.Energy(th, xs[p*c.dim:(p+1)*c.dim], one)
			if one[0] != g1[p] {
				t.Fatalf("%v: Energy of point %d alone = %v, in a batch %v", c, p, one[0], g1[p])
			}
		}
	}
}

// TestMLPBackwardAccumulatesLinearly checks that Backward adds to grad and
// is linear in dg.
func TestMLPBackwardAccumulatesLinearly(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	m := NewMLP(2, 9, 3)
	n := 11
	th := randTheta(r, m)
	xs := randVec(r, n*2, 2)
	dg1, dg2 := randVec(r, n, 1), randVec(r, n, 1)
	dgSum := make([]float64, n)
	for p := range dgSum {
		dgSum[p] = 3*dg1[p] - dg2[p]
	}
	tape := m.NewTape(n)
	tape.Forward(th, xs, make([]float64, n))
	np := m.NumParams()
	g1, g2, gs, twice := make([]float64, np), make([]float64, np), make([]float64, np), make([]float64, np)
	tape.Backward(th, dg1, g1)
	tape.Backward(th, dg2, g2)
	tape.Backward(th, dgSum, gs)
	tape.Backward(th, dg1, twice)
	tape.Backward(th, dg1, twice)
	scale := maxAbs(gs) + maxAbs(g1)
	for i := range gs {
		if twice[i] != 2*g1[i] {
			t.Fatalf("grad[%d]: two calls give %v, one %v", i, twice[i], g1[i])
		}
		if !closeTo(gs[i], 3*g1[i]-g2[i], 1e-13, scale) {
			t.Fatalf("grad[%d]: Backward(3a−b) = %v, 3·Backward(a) − Backward(b) = %v", i, gs[i], 3*g1[i]-g2[i])
		}
	}
}

// TestMLPTapeReuse checks that a tape gives the same results for fewer
// points than it was made for, and after other calls.
func TestMLPTapeReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 5))
	m := NewMLP(2, 6, 2)
	th := randTheta(r, m)
	xs := randVec(r, 2*20, 2)
	dg := randVec(r, 20, 1)
	big := m.NewTape(50)
	big.Forward(th, randVec(r, 100, 2), make([]float64, 50))
	big.Backward(th, make([]float64, 50), make([]float64, m.NumParams()))
	for _, tape := range []Tape{m.NewTape(20), big} {
		g := make([]float64, 20)
		grad := make([]float64, m.NumParams())
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
		wantG, wantGrad := naiveMLP(m, th, xs, dg)
		for i := range grad {
			if !closeTo(grad[i], wantGrad[i], 1e-12, 1+maxAbs(wantGrad)) {
				t.Fatalf("grad[%d] = %v, naive %v", i, grad[i], wantGrad[i])
			}
		}
		for p := range g {
			if !closeTo(g[p], wantG[p], 1e-12, 1+maxAbs(wantG)) {
				t.Fatalf("G[%d] = %v, naive %v", p, g[p], wantG[p])
			}
		}
	}
}

// TestMLPNoAllocations checks that a warm tape's Forward and Backward
// allocate nothing.
func TestMLPNoAllocations(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 6))
	m := NewMLP(2, 16, 3)
	n := 100
	th := randTheta(r, m)
	if allocs := tapeAllocs(m, th, randVec(r, 2*n, 2), randVec(r, n, 1)); allocs != 0 {
		t.Errorf("Forward+Backward: %v allocations, want 0", allocs)
	}
}

// tapeAllocs returns the allocations of one warm Forward+Backward over the
// points xs with upstream gradients dg.
func tapeAllocs(m Model, th, xs, dg []float64) float64 {
	n := len(dg)
	g, grad := make([]float64, n), make([]float64, m.NumParams())
	tape := m.NewTape(n)
	return testing.AllocsPerRun(20, func() {
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
	})
}

// TestMLPInit checks that Init is deterministic per seed, zeroes the
// biases and keeps weights within the Glorot bound.
func TestMLPInit(t *testing.T) {
	m := NewMLP(2, 10, 3)
	np := m.NumParams()
	if want := 10*2 + 10 + 2*(100+10) + 10 + 1; np != want {
		t.Fatalf("NumParams = %d, want %d", np, want)
	}
	a, b, c := make([]float64, np), make([]float64, np), make([]float64, np)
	m.Init(rand.New(rand.NewPCG(7, 1)), a)
	m.Init(rand.New(rand.NewPCG(7, 1)), b)
	m.Init(rand.New(rand.NewPCG(8, 1)), c)
	same := true
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("θ[%d] differs between runs with one seed: %v, %v", i, a[i], b[i])
		}
		same = same && a[i] == c[i]
	}
	if same {
		t.Fatal("two seeds give the same θ")
	}
	for l := range m.layers {
		w, bo := m.weights(l)
		bound := math.Sqrt(6 / float64(m.in(l)+10))
		for i := w; i < bo; i++ {
			if math.Abs(a[i]) > bound || a[i] == 0 {
				t.Errorf("W_%d entry θ[%d] = %v, bound %v", l+1, i, a[i], bound)
			}
		}
		for i := bo; i < bo+10; i++ {
			if a[i] != 0 {
				t.Errorf("bias θ[%d] = %v, want 0", i, a[i])
			}
		}
	}
	o := m.output()
	for i := o; i < o+10; i++ {
		if math.Abs(a[i]) > math.Sqrt(6.0/11) || a[i] == 0 {
			t.Errorf("w_out entry θ[%d] = %v", i, a[i])
		}
	}
	if a[np-1] != 0 {
		t.Errorf("b_out = %v, want 0", a[np-1])
	}
}

// TestMLPOutputBias checks that b_out shifts G by exactly its value and
// that its gradient is Σ dg.
func TestMLPOutputBias(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	m := NewMLP(1, 5, 2)
	th := randTheta(r, m)
	xs := randVec(r, 4, 2)
	g0, g1 := make([]float64, 4), make([]float64, 4)
	th[m.NumParams()-1] = 0
	m.Energy(th, xs, g0)
	th[m.NumParams()-1] = 0.75
	m.Energy(th, xs, g1)
	for p := range g0 {
		if g1[p] != g0[p]+0.75 {
			t.Errorf("G[%d] with b_out = 0.75: %v, without %v", p, g1[p], g0[p])
		}
	}
	tape := m.NewTape(4)
	tape.Forward(th, xs, g0)
	grad := make([]float64, m.NumParams())
	tape.Backward(th, []float64{1, 2, 3, 4}, grad)
	if grad[m.NumParams()-1] != 10 {
		t.Errorf("∂/∂b_out = %v, want 10", grad[m.NumParams()-1])
	}
}

// TestEnergyAllocatesNothing checks that Energy (called for every metric
// and plot) works in stack space.
func TestEnergyAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 10))
	for _, m := range []Model{NewMLP(2, 256, 4), NewMLP(1, 5, 1), NewRBF(2, 64, testBox), NewRBF(1, 256, testBox)} {
		th := randVec(r, m.NumParams(), 0.1)
		xs := randVec(r, 2*1000, 2)
		g := make([]float64, 1000)
		if a := testing.AllocsPerRun(3, func() { m.Energy(th, xs[:1000*m.Dim()], g) }); a != 0 {
			t.Errorf("%T dim %d: Energy made %v allocations", m, m.Dim(), a)
		}
	}
	m := NewRBF(2, 100, testBox)
	phi := make([]float64, 2*m.NumParams())
	if a := testing.AllocsPerRun(3, func() { m.Features([]float64{0, 0, 1, 1}, phi) }); a != 0 {
		t.Errorf("Features made %v allocations", a)
	}
}
