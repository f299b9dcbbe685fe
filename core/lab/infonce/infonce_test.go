package infonce

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"nceplay/core/spec"
)

func mustEngine(t testing.TB, q string) *Engine {
	t.Helper()
	s, err := Parse(q)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	e, err := New(s)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return e
}

// TestSpec checks the lab's table: its defaults, the canonical form
// (the lab key always written, irrelevant keys dropped), the caps, and
// that every key it shares with the playground keeps the playground's
// kind and stays within its range and values (docs/spec.md#labs).
func TestSpec(t *testing.T) {
	d := Table.Default()
	if d.Lab != Name || d.Rho != 0.9 || d.Critic != "mlp" || d.K != 15 || d.Opt != "adam" || d.Steps != 2000 {
		t.Errorf("defaults %+v", d)
	}
	for _, c := range []struct{ in, want string }{
		{"", "lab=infonce"},
		{"lab=infonce&rho=0.5&k=63", "lab=infonce&rho=0.5&k=63"},
		{"critic=bilinear&units=8&layers=3&edim=4&tau=1", "lab=infonce&critic=bilinear"},
		{"critic=cosine&units=8&layers=3&edim=4&tau=1", "lab=infonce&critic=cosine&units=8&edim=4&tau=1"},
		{"units=8&layers=3&edim=4", "lab=infonce&units=8&layers=3"},
	} {
		s, err := Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if q := s.Query(); q != c.want {
			t.Errorf("%q: canonical %q, want %q", c.in, q, c.want)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"rho=1", `key "rho": value "1" is out of range`},
		{"k=512", `key "k": value "512" is out of range; allowed: 1 … 511`},
		{"opt=newton", `key "opt": value "newton" is not one of the allowed values; allowed: adam, sgd, momentum`},
		{"critic=quad", `key "critic"`},
		{"k=511&units=128&layers=4", "multiply-adds per step"},
		{"n=100", `key "n" is not a known key`},
	} {
		if _, err := Parse(c.in); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.in, err, c.want)
		}
	}
	for i := range Table.Keys {
		k := &Table.Keys[i]
		p := spec.Lookup(k.Name)
		if p == nil {
			continue
		}
		if p.Kind != k.Kind || k.Min < p.Min || k.Max > p.Max {
			t.Errorf("%s: kind %v range %v…%v, playground %v %v…%v", k.Name, k.Kind, k.Min, k.Max, p.Kind, p.Min, p.Max)
		}
		for _, v := range k.Values {
			if !strings.Contains(","+strings.Join(p.Values, ",")+",", ","+v+",") {
				t.Errorf("%s: value %s is not the playground's", k.Name, v)
			}
		}
	}
}

// TestGradients compares every critic's gradient of the batch loss with
// central finite differences (step 1e-6 relative: error ~1e-9 for these
// smooth losses; tolerance 1e-6 relative to the gradient's size).
func TestGradients(t *testing.T) {
	for _, q := range []string{"critic=bilinear&k=7", "critic=mlp&k=7&units=5&layers=2", "critic=cosine&k=7&units=5&edim=3&tau=0.5"} {
		e := mustEngine(t, q)
		r := rand.New(rand.NewPCG(9, 9))
		for i := range e.theta {
			e.theta[i] += 0.3 * (2*r.Float64() - 1)
		}
		e.pairs(r, e.x, e.y)
		loss := func() float64 {
			e.c.forward(e.theta, e.x, e.y, e.f)
			return rankLoss(e.f, e.df, e.b)
		}
		loss()
		clear(e.grad)
		e.c.backward(e.theta, e.df, e.grad)
		g := append([]float64(nil), e.grad...)
		scale := 0.0
		for _, v := range g {
			scale = math.Max(scale, math.Abs(v))
		}
		for i := range e.theta {
			th := e.theta[i]
			h := 1e-6 * math.Max(1, math.Abs(th))
			e.theta[i] = th + h
			up := loss()
			e.theta[i] = th - h
			down := loss()
			e.theta[i] = th
			fd := (up - down) / (2 * h)
			if math.Abs(fd-g[i]) > 1e-6*scale+1e-9 {
				t.Errorf("%s: ∂J/∂θ[%d] = %.9g, finite differences %.9g", q, i, g[i], fd)
			}
		}
	}
}

// TestBoundCeiling: every batch's estimate log(k+1) − J is at most
// log(k+1), exactly (J ≥ 0: a softmax probability is at most 1), for the
// trained critic and for the best one, whatever ρ (docs/math.md#e10).
func TestBoundCeiling(t *testing.T) {
	for _, q := range []string{"rho=0.99&k=3&steps=300", "rho=0.9999&k=1&critic=bilinear&steps=300", "rho=0.5&k=15&critic=cosine&steps=100"} {
		e := mustEngine(t, q)
		for range e.s.Steps {
			e.Step(1)
			if j := e.hist[(e.step-1)%Window]; !(j >= 0) {
				t.Fatalf("%s: step %d has J = %g < 0", q, e.step, j)
			}
		}
		worst := math.Inf(-1)
		check := func(k int, f []float64) {
			worst = math.Max(worst, e.logB-rankJ(f, e.b))
		}
		xy := e.evalSet()
		b := e.b
		e.estimate(func(k int, f []float64) {
			e.c.forward(e.theta, xy[2*b*k:2*b*k+b], xy[2*b*k+b:2*b*(k+1)], f)
			check(k, f)
		})
		if worst > e.logB {
			t.Errorf("%s: a batch's estimate %g passes log(k+1) = %g", q, worst, e.logB)
		}
	}
}

// TestMLPCriticFindsMI: with ρ ≤ 0.9 and k = 63 the mlp critic's estimate
// is within 10% of the true information. Why it can be: the best
// critic's expected estimate falls short of I by E log r̄, r̄ =
// (1/N)Σ_l r(x, y_l), which is at most E r̄ − 1 = (ρ²/(1−ρ²))/N: 3.6% of I
// at ρ = 0.5 and 8% at ρ = 0.9 for N = 64 (docs/math.md#best-critic;
// measured by Optimal: 1.3% and 2.5%); the trained critic
// (1000 Adam steps at lr 0.003, 8 units) comes within ~3% of the best one
// (measured with seeds 1–3: 3.1–5.1% under I at ρ = 0.5, 3.2–3.7% at
// ρ = 0.9); and on 65536 held-out positives the estimate's standard error
// is 1.4% of I at ρ = 0.5 and 0.4% at ρ = 0.9, so the 10% leaves ≥ 3.5 SE
// beyond the measured shortfall. ~5 s, skipped with -short.
func TestMLPCriticFindsMI(t *testing.T) {
	if testing.Short() {
		t.Skip("trains for ~5 s")
	}
	for _, rho := range []float64{0.5, 0.9} {
		e := mustEngine(t, fmt.Sprintf("rho=%g&k=63&units=8&steps=1000&lr=0.003", rho))
		e.evalN = 1 << 16
		e.Step(e.s.Steps)
		est, opt, mi := e.Evaluate(), e.Optimal(), e.s.MITrue()
		t.Logf("ρ = %g: estimate %.4f ± %.4f, best critic %.4f ± %.4f, true %.4f", rho, est.Value, est.SE, opt.Value, opt.SE, mi)
		if math.Abs(est.Value-mi) > 0.1*mi {
			t.Errorf("ρ = %g, k = 63: estimate %.4f, true I %.4f: off by more than 10%%", rho, est.Value, mi)
		}
	}
}

// TestSaturation: the bound cannot pass log(k+1) (docs/math.md#e10).
// With ρ = 0.99 (I = 1.96 nats) and k = 3 the estimate stays below
// log 4 = 1.386 — but not within 10% of it: the best critic, the true
// density ratio, reaches only 1.05 there in expectation (J ≥ H(position |
// x, y₀…y₃) = 0.33 nats: a negative often lands near y₀ when x is near
// 0), so the trained critic is checked against the best one instead
// (within 0.03 nats, 3 SE of the 4096-batch evaluation plus the critic's
// approximation error). Saturation within 10% under log 4 needs more
// information: at ρ = 0.9999 (I = 4.26 nats) the best critic gives 1.35,
// and the trained one must pass 0.9·log 4.
func TestSaturation(t *testing.T) {
	e := mustEngine(t, "rho=0.99&k=3&units=16&steps=3000")
	e.Step(e.s.Steps)
	est, opt := e.Evaluate(), e.Optimal()
	t.Logf("ρ = 0.99, k = 3: estimate %.4f ± %.4f, best critic %.4f, log 4 = %.4f, I = %.4f", est.Value, est.SE, opt.Value, e.logB, e.s.MITrue())
	if est.Value > e.logB || opt.Value > e.logB {
		t.Errorf("estimate %g or best %g passes log 4", est.Value, opt.Value)
	}
	if math.Abs(opt.Value-1.05) > 0.02 {
		t.Errorf("best critic %.4f, expected about 1.05 (Monte Carlo with 2·10⁵ positives: 1.054)", opt.Value)
	}
	if est.Value < opt.Value-0.03 {
		t.Errorf("trained critic %.4f is more than 0.03 under the best one %.4f", est.Value, opt.Value)
	}
	e = mustEngine(t, "rho=0.9999&k=3&units=16&steps=3000")
	e.Step(e.s.Steps)
	est, opt = e.Evaluate(), e.Optimal()
	t.Logf("ρ = 0.9999, k = 3: estimate %.4f ± %.4f, best critic %.4f, log 4 = %.4f, I = %.4f", est.Value, est.SE, opt.Value, e.logB, e.s.MITrue())
	if est.Value > e.logB || est.Value < 0.9*e.logB {
		t.Errorf("ρ = 0.9999, k = 3: estimate %.4f not within 10%% under log 4 = %.4f", est.Value, e.logB)
	}
}

// TestDeterminism: one spec, the same critic bit for bit, twice and on
// every platform (the golden hash is checked under wasm too).
func TestDeterminism(t *testing.T) {
	golden := map[string]uint64{
		"critic=mlp&k=15&units=8&steps=50":           0x21f0fe34f5fde259,
		"critic=cosine&k=15&units=8&edim=4&steps=50": 0x4791ed4c5addee63,
		"critic=bilinear&k=15&steps=50&opt=momentum": 0x9e3c7ca5b597aa32,
	}
	for q, want := range golden {
		hash := func() uint64 {
			e := mustEngine(t, q)
			e.Step(e.s.Steps)
			h := fnv.New64a()
			for _, v := range e.theta {
				fmt.Fprintf(h, "%x,", math.Float64bits(v))
			}
			fmt.Fprintf(h, "%x", math.Float64bits(e.Evaluate().Value))
			return h.Sum64()
		}
		h1, h2 := hash(), hash()
		if h1 != h2 {
			t.Errorf("%s: two runs differ", q)
		}
		if h1 != want {
			t.Errorf("%s: hash %#x, golden %#x", q, h1, want)
		}
	}
}

// TestStepIsAllocationFree: a warm step allocates nothing.
func TestStepIsAllocationFree(t *testing.T) {
	for _, q := range []string{"critic=mlp&k=15&units=8", "critic=cosine&k=15&units=8", "critic=bilinear"} {
		e := mustEngine(t, q)
		e.Step(2)
		if a := testing.AllocsPerRun(20, func() { e.Step(1) }); a != 0 {
			t.Errorf("%s: %v allocations per step", q, a)
		}
	}
}
