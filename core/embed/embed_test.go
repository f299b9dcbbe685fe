package embed

import (
	"math"
	"math/rand/v2"
	"testing"

	"nceplay/core/fmath"
)

// loss is the pair loss of Contrast.Step computed directly, with
// core/fmath's exact softplus.
func loss(m *Model, w int, ts []int32, shift []float64) float64 {
	l := 0.0
	for j, t := range ts {
		z := m.Score(w, int(t))
		if shift != nil {
			z -= shift[t]
		}
		if j == 0 {
			l += fmath.Softplus(-z)
		} else {
			l += fmath.Softplus(z)
		}
	}
	return l
}

func randomModel(r *rand.Rand, rows, dim int, biases bool) *Model {
	m := NewModel(rows, dim, biases)
	for _, p := range [][]float64{m.U, m.V, m.BU, m.BV} {
		for i := range p {
			p[i] = r.Float64() - 0.5
		}
	}
	return m
}

func params(m *Model) [][]float64 { return [][]float64{m.U, m.V, m.BU, m.BV} }

// TestStepIsGradientStep checks that Step moves every parameter by −lr
// times the loss's gradient, against central finite differences, for
// negative sampling and NCE proper, with and without biases, with distinct
// targets, with a repeated one (the two-pass path) and with the observed
// context drawn again as a negative, for dimensions that exercise every
// unrolled remainder.
func TestStepIsGradientStep(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const rows = 9
	shift := make([]float64, rows)
	for i := range shift {
		shift[i] = r.Float64()*4 - 3
	}
	for _, dim := range []int{1, 2, 3, 5, 8} {
		for _, biases := range []bool{false, true} {
			for _, sh := range [][]float64{nil, shift} {
				for _, ts := range [][]int32{{3}, {3, 1, 4, 0, 5, 2}, {2, 7, 7, 1}, {1, 6, 1, 8, 0, 3, 4, 5, 2}} {
					m := randomModel(r, rows, dim, biases)
					const lr = 1e-3
					before := loss(m, 4, ts, sh)
					old := randomModel(r, rows, dim, biases)
					for i, p := range params(m) {
						copy(params(old)[i], p)
					}
					got := NewContrast(rows, dim, len(ts)).Step(m, 4, ts, sh, lr)
					if math.Abs(got-before) > 1e-8 {
						t.Errorf("dim %d biases %v ts %v: loss %v, want %v", dim, biases, ts, got, before)
					}
					for pi, p := range params(old) {
						for i := range p {
							const h = 1e-6
							keep := p[i]
							p[i] = keep + h
							up := loss(old, 4, ts, sh)
							p[i] = keep - h
							down := loss(old, 4, ts, sh)
							p[i] = keep
							grad := (up - down) / (2 * h)
							step := (params(m)[pi][i] - keep) / -lr
							if math.Abs(step-grad) > 1e-6*(1+math.Abs(grad)) {
								t.Fatalf("dim %d biases %v shift %v ts %v: param %d[%d] stepped by −lr·%.9g, gradient %.9g",
									dim, biases, sh != nil, ts, pi, i, step, grad)
							}
						}
					}
				}
			}
		}
	}
}

// TestLogistic compares the table with core/fmath on a dense grid and at
// the table's edges: σ and softplus within 1e-9, and σ's error relative to
// σ′ (which sets the shift of the optimum) within 1e-6.
func TestLogistic(t *testing.T) {
	worst, worstRel := 0.0, 0.0
	for i := -40000; i <= 40000; i++ {
		z := float64(i) * 0.000503
		sig, sp := Logistic(z)
		es, esp := fmath.Sigmoid(z), fmath.Softplus(z)
		e := max(math.Abs(sig-es), math.Abs(sp-esp))
		worst = max(worst, e)
		worstRel = max(worstRel, math.Abs(sig-es)/(es*(1-es)))
	}
	if worst > 1e-9 || worstRel > 1e-6 {
		t.Errorf("Logistic: worst absolute error %.3g (≤ 1e-9), worst σ error relative to σ′ %.3g (≤ 1e-6)", worst, worstRel)
	}
	t.Logf("worst absolute error %.3g, relative to σ′ %.3g", worst, worstRel)
	for _, z := range []float64{-16, 16, -16.0001, 16.0001, -100, 100, math.Inf(1), math.Inf(-1)} {
		sig, sp := Logistic(z)
		es, esp := fmath.Sigmoid(z), fmath.Softplus(z)
		if math.Abs(sig-es) > 1e-9 || math.Abs(sp-esp) > 1e-9*(1+math.Abs(esp)) && !math.IsInf(z, 1) {
			t.Errorf("Logistic(%v) = %v, %v; want %v, %v", z, sig, sp, es, esp)
		}
	}
	if sig, sp := Logistic(math.NaN()); !math.IsNaN(sig) || !math.IsNaN(sp) {
		t.Errorf("Logistic(NaN) = %v, %v", sig, sp)
	}
}

// TestAlias checks the realized probabilities against the weights (within
// the table's resolution) and the draws against the realized
// probabilities (chi-square over 10⁶ draws).
func TestAlias(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{1, 2, 3, 7, 200, 1000} {
		w := make([]float64, n)
		for i := range w {
			w[i] = 1 / math.Pow(float64(i+2), 1.1)
		}
		w[n/2] = 0 // a word never drawn
		if n == 1 {
			w[0] = 1
		}
		a, err := NewAlias(w)
		if err != nil {
			t.Fatal(err)
		}
		total := 0.0
		for _, x := range w {
			total += x
		}
		q := a.Prob()
		sum := 0.0
		for i, p := range q {
			sum += p
			if math.Abs(p-w[i]/total) > 1e-5/float64(n) {
				t.Errorf("n %d: index %d realized %v, weight %v", n, i, p, w[i]/total)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("n %d: probabilities sum to %v", n, sum)
		}
		const draws = 1000000
		count := make([]float64, n)
		for range draws / 2 {
			u := r.Uint64()
			count[a.Draw(uint32(u>>32))]++
			count[a.Draw(uint32(u))]++
		}
		chi, cells := 0.0, 0
		for i, c := range count {
			if q[i] == 0 {
				if c != 0 {
					t.Errorf("n %d: index %d has probability 0 and was drawn %v times", n, i, c)
				}
				continue
			}
			e := q[i] * draws
			chi += (c - e) * (c - e) / e
			cells++
		}
		// χ² with cells−1 degrees of freedom: mean cells−1, sd √(2(cells−1)).
		if df := float64(cells - 1); chi > df+6*math.Sqrt(2*df)+10 {
			t.Errorf("n %d: χ² = %.1f with %v degrees of freedom", n, chi, df)
		}
	}
	for _, bad := range [][]float64{nil, {0, 0}, {1, -1}, {1, math.NaN()}, {math.Inf(1)}} {
		if _, err := NewAlias(bad); err == nil {
			t.Errorf("NewAlias(%v) accepted", bad)
		}
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	m := randomModel(r, 50, 32, false)
	c := NewContrast(50, 32, 6)
	ts := []int32{1, 2, 3, 4, 5, 6}
	if a := testing.AllocsPerRun(100, func() { c.Step(m, 7, ts, nil, 0.01) }); a != 0 {
		t.Errorf("Step allocates %v times", a)
	}
}

// TestProject2D: points spread uniformly along two known orthogonal
// directions (half-widths 3 and 1) plus small noise come out on those axes
// (|correlation| ≥ 0.98: the sample's own covariance of a and b, of order
// 1/√400, tilts its principal axes by a few degrees), with the variances
// in that order, and the same on a second call.
func TestProject2D(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const rows, dim = 400, 6
	e1 := []float64{1, 1, 0, 0, 1, -1}
	e2 := []float64{1, -1, 1, 1, 0, 0}
	for _, e := range [][]float64{e1, e2} {
		n := math.Sqrt(Dot(e, e))
		for i := range e {
			e[i] /= n
		}
	}
	x := make([]float64, rows*dim)
	a := make([]float64, rows)
	b := make([]float64, rows)
	for i := range rows {
		a[i] = 3 * (2*r.Float64() - 1)
		b[i] = 2*r.Float64() - 1
		for j := range dim {
			x[i*dim+j] = 5 + a[i]*e1[j] + b[i]*e2[j] + 0.01*(r.Float64()-0.5)
		}
	}
	p := make([]float64, 2*rows)
	Project2D(x, rows, dim, p)
	var ca, cb, va, vb float64
	for i := range rows {
		ca += p[2*i] * a[i]
		cb += p[2*i+1] * b[i]
		va += p[2*i] * p[2*i]
		vb += p[2*i+1] * p[2*i+1]
	}
	if math.Abs(ca)/math.Sqrt(va*Dot(a, a)) < 0.98 || math.Abs(cb)/math.Sqrt(vb*Dot(b, b)) < 0.98 || va < vb {
		t.Errorf("components do not match the axes: corr %.4f, %.4f; variances %.3g, %.3g",
			ca/math.Sqrt(va*Dot(a, a)), cb/math.Sqrt(vb*Dot(b, b)), va, vb)
	}
	q := make([]float64, 2*rows)
	Project2D(x, rows, dim, q)
	for i := range p {
		if p[i] != q[i] {
			t.Fatal("Project2D is not deterministic")
		}
	}
}

func TestNeighbours(t *testing.T) {
	x := []float64{
		1, 0,
		0.9, 0.1,
		-1, 0,
		0, 1,
		0, 0,
		2, 0,
	}
	got := Neighbours(x, 6, 2, 0, 3)
	if len(got) != 3 || got[0].Row != 5 || got[0].Cosine != 1 || got[1].Row != 1 || got[2].Row != 3 {
		t.Errorf("Neighbours = %+v", got)
	}
}

// TestPCG32 checks the generator against the reference implementation's
// demo output (pcg32_srandom_r(&rng, 42, 54), then six draws).
func TestPCG32(t *testing.T) {
	p := PCG32{Inc: 54<<1 | 1}
	p.Next()
	p.State += 42
	p.Next()
	want := []uint32{0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e}
	for i, w := range want {
		if got := p.Next(); got != w {
			t.Fatalf("draw %d: %#x, want %#x", i, got, w)
		}
	}
}

// TestStepTails: beyond the logistic table (|z| ≥ 16) the step takes σ
// and softplus at their limits: the loss is right to 1.2e-7 per term, the
// step finite; a NaN score gives a NaN loss (which the trainers report as
// divergence).
func TestStepTails(t *testing.T) {
	m := NewModel(3, 1, false)
	m.U[0] = 1
	m.V[1], m.V[2] = 40, -25 // z = 40 for the context, −25 for the negative
	c := NewContrast(3, 1, 2)
	want := loss(m, 0, []int32{1, 2}, nil)
	if got := c.Step(m, 0, []int32{1, 2}, nil, 0.1); math.Abs(got-want) > 3e-7 || !m.Finite() {
		t.Errorf("loss %v, want %v", got, want)
	}
	m.V[1], m.V[2] = -30, 20 // softplus(30) + softplus(20)
	want = loss(m, 0, []int32{1, 2}, nil)
	if got := c.Step(m, 0, []int32{1, 2}, nil, 0.1); math.Abs(got-want) > 3e-7*want {
		t.Errorf("loss %v, want %v", got, want)
	}
	m.V[1] = math.NaN()
	if got := c.Step(m, 0, []int32{1, 2}, nil, 0.1); !math.IsNaN(got) {
		t.Errorf("a NaN score gave the loss %v", got)
	}
}

// Logistic returns σ(z) = 1/(1 + e^−z) and softplus(z) = log(1 + e^z),
// whose sum over a step is the binary-logistic loss (docs/math.md#e3), as
// the pair step (Contrast.Step) computes them inline: from logTab for
// |z| < 16, beyond by core/fmath.
func Logistic(z float64) (sig, sp float64) {
	t := (z + logMax) * logRes
	if !(t >= 0 && t <= logNodes-1) { // NaN, or beyond the table
		sp, sig = fmath.SoftplusSigmoid(z)
		return sig, sp
	}
	r := t + roundMagic
	j := int(math.Float64bits(r) - roundMagicBits)
	d := (t - (r - roundMagic)) * (1.0 / logRes) // z − x_j, |d| ≤ 1/64
	e := &logTab[j]
	sig = e[1] + d*(e[2]+d*(0.5*e[3]+d*(1.0/6)*e[4]))
	sp = e[0] + d*(e[1]+d*(0.5*e[2]+d*(1.0/6)*e[3]))
	return sig, sp
}
