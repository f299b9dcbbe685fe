package density

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// TestMixEMMonotone fits the mixture noise to every target with several
// ncomp and data sizes (among them more components than a tiny data set
// can support, where the variance floor acts) and checks that EM's
// log-likelihood never decreases (docs/math.md#e13): exactly in theory,
// here up to rounding of the n-term sums (1e-12 relative).
func TestMixEMMonotone(t *testing.T) {
	for _, target := range allTargets {
		for _, c := range []struct{ n, ncomp int }{{16, 32}, {200, 8}, {3000, 1}, {3000, 8}, {20000, 16}} {
			data, tg := sampleData(t, target, c.n)
			start := time.Now()
			nz, err := FitNoise("mix", data, tg.Dim(), NoiseParams{NScale: 1, NComp: c.ncomp}, tg.Box())
			if err != nil {
				t.Fatal(err)
			}
			m := nz.(*MixNoise)
			ll := m.LogLik
			for i := 1; i < len(ll); i++ {
				if ll[i] < ll[i-1]-1e-12*math.Abs(ll[i-1]) {
					t.Errorf("%s n=%d ncomp=%d: log-likelihood fell at iteration %d: %.17g → %.17g", target, c.n, c.ncomp, i, ll[i-1], ll[i])
				}
			}
			if len(ll) == 0 || len(ll) > MixMaxIter+1 {
				t.Errorf("%s: %d iterations", target, len(ll))
			}
			t.Logf("%-8s n=%-5d ncomp=%-2d: %2d components, %3d iterations, mean log-lik %.4f → %.4f, %v", target, c.n, c.ncomp, m.Components(), len(ll), ll[0], ll[len(ll)-1], time.Since(start).Round(time.Millisecond))
		}
	}
}

// TestMixFloor checks the variance floor: with 32 components on 16 points
// no component is narrower than MixFloor data spreads in any direction,
// and clipEigen keeps eigenvectors and raises only the small eigenvalues.
func TestMixFloor(t *testing.T) {
	for _, target := range []string{"gauss", "ring"} {
		data, tg := sampleData(t, target, 16)
		_, s, _ := moments(data, nil, tg.Dim())
		nz, err := FitNoise("mix", data, tg.Dim(), NoiseParams{NScale: 1, NComp: 32}, tg.Box())
		if err != nil {
			t.Fatal(err)
		}
		m := nz.(*MixNoise)
		for j := range m.Components() {
			_, _, cov := m.Component(j)
			// Smallest eigenvalue of the standardized covariance.
			a, b, c := cov[0]/(s[0]*s[0]), 0.0, 0.0
			if tg.Dim() == 2 {
				b, c = cov[1]/(s[0]*s[1]), cov[2]/(s[1]*s[1])
			} else {
				c = a
			}
			lo := (a+c)/2 - math.Sqrt((a-c)*(a-c)/4+b*b)
			if lo < MixFloor*MixFloor*(1-1e-9) {
				t.Errorf("%s: component %d has a standardized eigenvalue %g < %g", target, j, lo, MixFloor*MixFloor)
			}
		}
	}
	for _, c := range []struct{ in, want [3]float64 }{
		{[3]float64{4, 0, 1}, [3]float64{4, 0, 1}},     // above the floor
		{[3]float64{4, 0, 0.5}, [3]float64{4, 0, 1}},   // axis-aligned: raise y
		{[3]float64{0.5, 0, 4}, [3]float64{1, 0, 4}},   // raise x
		{[3]float64{0.1, 0, 0.2}, [3]float64{1, 0, 1}}, // both
		{[3]float64{2, 1.5, 2}, [3]float64{2.25, 1.25, 2.25}},
	} {
		got := clipEigen(c.in, 2, 1)
		for i := range got {
			if math.Abs(got[i]-c.want[i]) > 1e-12 {
				t.Errorf("clipEigen(%v, 1) = %v, want %v", c.in, got, c.want)
				break
			}
		}
	}
}

// TestMixWeighted checks FitNoiseWeighted: equal weights give the data
// set's fit, and a quadrature rule for a target gives a fit close to that
// of a large sample.
func TestMixWeighted(t *testing.T) {
	data, tg := sampleData(t, "bimodal", 1000)
	p := NoiseParams{NScale: 1, NComp: 4}
	a, _ := FitNoise("mix", data, 1, p, tg.Box())
	w := make([]float64, 1000)
	for i := range w {
		w[i] = 0.001
	}
	b, err := FitNoiseWeighted("mix", data, w, 1, p, tg.Box())
	if err != nil {
		t.Fatal(err)
	}
	xs := []float64{-3, -1, 0, 0.5, 2, 4}
	la, lb := make([]float64, 6), make([]float64, 6)
	a.LogProb(xs, la)
	b.LogProb(xs, lb)
	for i := range la {
		if math.Abs(la[i]-lb[i]) > 1e-9 {
			t.Errorf("x=%g: data fit %g, equal weights %g", xs[i], la[i], lb[i])
		}
	}
	if _, err := FitNoiseWeighted("mix", data, w[:10], 1, p, tg.Box()); err == nil {
		t.Error("accepted 10 weights for 1000 points")
	}
	w[3] = -1
	if _, err := FitNoiseWeighted("gauss", data, w, 1, p, tg.Box()); err == nil {
		t.Error("accepted a negative weight")
	}
}

// TestMixSampleMatchesLogProb compares a histogram of mixture samples with
// the mixture's density (1D, bimodal target): every bin within 5 SE.
func TestMixSampleMatchesLogProb(t *testing.T) {
	data, tg := sampleData(t, "bimodal", 2000)
	nz, _ := FitNoise("mix", data, 1, NoiseParams{NScale: 1.2, NShift: 0.3, NComp: 5}, tg.Box())
	const N, bins, lo, hi = 200000, 40, -5.0, 5.0
	xs := make([]float64, N)
	nz.Sample(rand.New(rand.NewPCG(7, 7)), xs)
	var count [bins]float64
	for _, x := range xs {
		if b := int((x - lo) / (hi - lo) * bins); b >= 0 && b < bins {
			count[b]++
		}
	}
	h := (hi - lo) / bins
	out := make([]float64, 1)
	for b := range bins {
		// Probability of the bin by 40-point midpoint rule.
		p := 0.0
		for q := range 40 {
			nz.LogProb([]float64{lo + (float64(b)+(float64(q)+0.5)/40)*h}, out)
			p += math.Exp(out[0]) * h / 40
		}
		if math.Abs(count[b]-N*p) > 5*math.Sqrt(N*p*(1-p))+1 {
			t.Errorf("bin %d: %v samples, want %.1f", b, count[b], N*p)
		}
	}
}
