package fmath

import (
	"math"
	"math/rand/v2"
	"testing"
)

// ulps returns the distance between a and b in units in the last place.
func ulps(a, b float64) uint64 {
	ia, ib := int64(math.Float64bits(a)), int64(math.Float64bits(b))
	if ia < 0 {
		ia = math.MinInt64 - ia
	}
	if ib < 0 {
		ib = math.MinInt64 - ib
	}
	if ia > ib {
		return uint64(ia - ib)
	}
	return uint64(ib - ia)
}

func TestExpWithinOneULP(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 200000; i++ {
		x := (r.Float64()*2 - 1) * 708 // amd64's assembly Exp overflows early above ~709.5
		if i%2 == 0 {
			x /= 100
		}
		if d := ulps(Exp(x), math.Exp(x)); d > 2 { // each within 1 ulp of the truth
			t.Fatalf("Exp(%v) = %v, math.Exp = %v (%d ulp)", x, Exp(x), math.Exp(x), d)
		}
	}
	special := map[float64]float64{0: 1, math.Inf(1): math.Inf(1), math.Inf(-1): 0, 710: math.Inf(1), -746: 0}
	for x, want := range special {
		if got := Exp(x); got != want {
			t.Errorf("Exp(%v) = %v, want %v", x, got, want)
		}
	}
	if !math.IsNaN(Exp(math.NaN())) {
		t.Error("Exp(NaN) is not NaN")
	}
	// Subnormal results go through Ldexp.
	if d := ulps(Exp(-740), math.Exp(-740)); d > 1 {
		t.Errorf("Exp(-740) off by %d ulp", d)
	}
}

func TestLogWithinOneULP(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 200000; i++ {
		x := math.Exp((r.Float64()*2 - 1) * 700)
		if i%3 == 0 {
			x = 0.5 + r.Float64()
		}
		if d := ulps(Log(x), math.Log(x)); d > 1 {
			t.Fatalf("Log(%v) = %v, math.Log = %v (%d ulp)", x, Log(x), math.Log(x), d)
		}
	}
	if Log(1) != 0 || !math.IsInf(Log(0), -1) || !math.IsNaN(Log(-1)) || !math.IsInf(Log(math.Inf(1)), 1) {
		t.Error("Log special cases wrong")
	}
	// amd64's assembly math.Log gets subnormals wrong (−709.09 for 2^−1074);
	// the exact value is −1074·ln 2.
	if got, want := Log(5e-324), -1074*math.Ln2; ulps(got, want) > 1 {
		t.Errorf("Log(2^-1074) = %v, want %v", got, want)
	}
}

func TestSoftplusAndSigmoid(t *testing.T) {
	for _, z := range []float64{-800, -50, -3, -1e-9, 0, 1e-9, 0.5, 3, 30, 50, 800} {
		naive := math.Log1p(math.Exp(z))
		if z > 700 {
			naive = z
		}
		got := Softplus(z)
		if math.Abs(got-naive) > 1e-15*math.Max(1, math.Abs(naive)) {
			t.Errorf("Softplus(%v) = %v, want %v", z, got, naive)
		}
		// σ(z) + σ(−z) = 1 and log σ(z) = −softplus(−z).
		if s := Sigmoid(z) + Sigmoid(-z); math.Abs(s-1) > 1e-15 {
			t.Errorf("σ(%v)+σ(−%v) = %v", z, z, s)
		}
	}
	if math.IsInf(Softplus(1e308), 0) || Softplus(math.Inf(-1)) != 0 {
		t.Error("Softplus overflows")
	}
}

func TestLogSumExp(t *testing.T) {
	v := []float64{1000, 1000, 1000 + math.Log(2)}
	if got, want := LogSumExp(v), 1000+math.Log(4); math.Abs(got-want) > 1e-12 {
		t.Errorf("LogSumExp = %v, want %v", got, want)
	}
	if !math.IsInf(LogSumExp(nil), -1) {
		t.Error("LogSumExp(nil) is not −Inf")
	}
}

func BenchmarkExp(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += Exp(float64(i&1023) * 1e-3)
	}
	sink = s
}

var sink float64

func TestSoftplusSigmoidMatchesParts(t *testing.T) {
	for _, z := range []float64{-800, -40, -3, -1e-9, 0, 1e-9, 0.5, 3, 40, 800} {
		sp, sig := SoftplusSigmoid(z)
		if math.Abs(sp-Softplus(z)) > 1e-15*math.Max(1, math.Abs(z)) || math.Abs(sig-Sigmoid(z)) > 1e-16 {
			t.Errorf("SoftplusSigmoid(%v) = %v, %v; want %v, %v", z, sp, sig, Softplus(z), Sigmoid(z))
		}
	}
}

func TestLog1pUnit(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 300000; i++ {
		e := r.Float64()
		switch i % 3 {
		case 1:
			e = Exp(-745 * r.Float64())
		case 2:
			e = Exp(-40 * r.Float64())
		}
		if d := ulps(Log1pUnit(e), math.Log1p(e)); d > 2 {
			t.Fatalf("Log1pUnit(%v) = %v, math.Log1p = %v (%d ulp)", e, Log1pUnit(e), math.Log1p(e), d)
		}
	}
	for _, e := range []float64{0, 1, 5e-324, math.Sqrt2 - 1} {
		if d := ulps(Log1pUnit(e), math.Log1p(e)); d > 2 {
			t.Errorf("Log1pUnit(%v) off by %d ulp", e, d)
		}
	}
}

func BenchmarkLog1pUnit(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += Log1pUnit(float64(i&1023) * 9.7e-4)
	}
	sink = s
}

func BenchmarkMathLog1p(b *testing.B) {
	s := 0.0
	for i := 0; i < b.N; i++ {
		s += math.Log1p(float64(i&1023) * 9.7e-4)
	}
	sink = s
}

// TestSoftplusSigmoidSum: the in-place loop gives exactly SoftplusSigmoid's
// values, and sums them in order.
func TestSoftplusSigmoidSum(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	z := []float64{0, -0, 1e-300, -1e-300, 708, -708, 708.5, -708.5, 745.2, -800, 800, math.Inf(1), math.Inf(-1), 36.8, 37, -37}
	for range 100000 {
		v := (r.Float64()*2 - 1) * 60
		if r.IntN(4) == 0 {
			v = (r.Float64()*2 - 1) * 760
		}
		z = append(z, v)
	}
	want, sum := make([]float64, len(z)), 0.0
	for i, v := range z {
		sp, sig := SoftplusSigmoid(v)
		sum += sp
		want[i] = sig
	}
	got := append([]float64(nil), z...)
	s := SoftplusSigmoidSum(got)
	if math.Float64bits(s) != math.Float64bits(sum) {
		t.Errorf("sum = %v, want %v", s, sum)
	}
	for i := range z {
		if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
			t.Fatalf("σ(%v) = %v in the loop, %v from SoftplusSigmoid", z[i], got[i], want[i])
		}
	}
}

func BenchmarkSoftplusSigmoidSum(b *testing.B) {
	z := make([]float64, 2816)
	for b.Loop() {
		for i := range z {
			z[i] = float64(i%200)*0.1 - 10
		}
		sink = SoftplusSigmoidSum(z)
	}
}
