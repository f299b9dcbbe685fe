package density

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// families is the noise registry's names.
var families = func() []string {
	var names []string
	for _, n := range Noises {
		names = append(names, n.Name)
	}
	return names
}()

// sampleData draws n points of the named target with a fixed seed.
func sampleData(t testing.TB, name string, n int) ([]float64, Target) {
	tg := mustTarget(t, name)
	d := tg.Dim()
	r := rand.New(rand.NewPCG(3, 4))
	xs := make([]float64, n*d)
	for i := 0; i < n; i++ {
		tg.Sample(r, xs[i*d:(i+1)*d])
	}
	return xs, tg
}

func mustFit(t testing.TB, family, target string, nscale, nshift float64) (Noise, [2]float64, [2]float64) {
	t.Helper()
	data, tg := sampleData(t, target, 2000)
	nz, err := FitNoise(family, data, tg.Dim(), NoiseParams{NScale: nscale, NShift: nshift, NComp: 8}, tg.Box())
	if err != nil {
		t.Fatal(err)
	}
	m, s, err := moments(data, nil, tg.Dim())
	if err != nil {
		t.Fatal(err)
	}
	return nz, m, s
}

// noiseMoments returns the mean and variance each fitted family should have
// on axis a, and E[(x − mean)⁴] for the standard error of the variance.
func noiseMoments(nz Noise, a int) (mean, variance, m4 float64) {
	switch n := nz.(type) {
	case *MixNoise:
		// Σπ_j μ_j; Σπ_j(σ_j² + μ_j²) − mean²; Σπ_j(d⁴ + 6d²σ_j² + 3σ_j⁴),
		// d = μ_j − mean.
		for j := range n.Components() {
			w, mu, _ := n.Component(j)
			mean += w * mu[a]
		}
		for j := range n.Components() {
			w, mu, cov := n.Component(j)
			v := cov[2*a]
			d := mu[a] - mean
			variance += w * (v + d*d)
			m4 += w * (d*d*d*d + 6*d*d*v + 3*v*v)
		}
		return mean, variance, m4
	case GaussNoise:
		v := n.SD[a] * n.SD[a]
		return n.Mean[a], v, 3 * v * v
	case LaplaceNoise:
		b2 := n.Scale[a] * n.Scale[a]
		return n.Mean[a], 2 * b2, 24 * b2 * b2
	case UniformNoise:
		w := n.Hi[a] - n.Lo[a]
		return (n.Lo[a] + n.Hi[a]) / 2, w * w / 12, w * w * w * w / 80
	}
	panic("unknown noise")
}

// TestFitNoiseParameters checks the fitted parameters against the data's
// mean m and spread s after nscale and nshift (docs/math.md#noise,
// docs/spec.md#keys). For mix, EM's M-step keeps the mixture's mean and
// covariance equal to the data's (Σ_j n_j μ_j = Σ_i z_i, and likewise the
// second moments) as long as no eigenvalue is clipped, which holds for
// these targets at 8 components.
func TestFitNoiseParameters(t *testing.T) {
	const nscale, nshift = 1.7, -0.8
	for _, target := range []string{"bimodal", "moons"} {
		for _, fam := range families {
			if fam == "uniform" {
				continue // shrunk by nshift it would not cover; see TestUniform*
			}
			nz, m, s := mustFit(t, fam, target, nscale, nshift)
			if want := map[string]Noise{"gauss": GaussNoise{}, "laplace": LaplaceNoise{}, "mix": &MixNoise{}}[fam]; fmt.Sprintf("%T", nz) != fmt.Sprintf("%T", want) {
				t.Errorf("FitNoise(%q) gave a %T", fam, nz)
			}
			tol := 1e-12
			if fam == "mix" {
				tol = 1e-9 // sums over EM's responsibilities, rounded at every iteration
			}
			for a := 0; a < nz.Dim(); a++ {
				mean, v, _ := noiseMoments(nz, a)
				nscale := nscale
				if mix, ok := nz.(*MixNoise); ok {
					// nscale widens the components, not the spread of their
					// means: within/nscale² + between = s².
					within, between := 0.0, 0.0
					for j := range mix.Components() {
						w, mu, cov := mix.Component(j)
						within += w * cov[2*a]
						between += w * (mu[a] - mean) * (mu[a] - mean)
					}
					v = within/(nscale*nscale) + between
					nscale = 1
				}
				if math.Abs(mean-(m[a]+nshift*s[a])) > tol || math.Abs(math.Sqrt(v)-nscale*s[a]) > tol {
					t.Errorf("%s on %s axis %d: mean %g sd %g, want %g, %g", fam, target, a, mean, math.Sqrt(v), m[a]+nshift*s[a], nscale*s[a])
				}
			}
		}
		nz, m, _ := mustFit(t, "uniform", target, 1, 0)
		u := nz.(UniformNoise)
		b := mustTarget(t, target).Box()
		for a := 0; a < u.D; a++ {
			R := math.Max(m[a]-b.Lo[a], b.Hi[a]-m[a])
			if u.Lo[a] > b.Lo[a] || u.Hi[a] < b.Hi[a] || math.Abs(u.Lo[a]-(m[a]-R)) > 1e-12 || math.Abs(u.Hi[a]-(m[a]+R)) > 1e-12 {
				t.Errorf("uniform on %s axis %d: [%g, %g], box [%g, %g], m %g", target, a, u.Lo[a], u.Hi[a], b.Lo[a], b.Hi[a], m[a])
			}
		}
	}
}

// TestNoiseNormalized integrates exp(LogProb) of each 1D family over its
// mean ± 60 spreads (tails below e^{−60}) by Gauss–Legendre with the kinks
// (Laplace's mean, the uniform's edges) at panel edges: ∫ = 1 to 1e-12.
// A 2D noise must be the product of its axes: LogProb(x, y) equals the sum
// of the two 1D log-densities to 1e-13.
func TestNoiseNormalized(t *testing.T) {
	for _, fam := range families {
		nz, _, _ := mustFit(t, fam, "bimodal", 1.3, 0)
		mean, v, _ := noiseMoments(nz, 0)
		sd := math.Sqrt(v)
		p := func(x float64) float64 {
			var out [1]float64
			nz.LogProb([]float64{x}, out[:])
			return math.Exp(out[0])
		}
		var edges []float64
		switch n := nz.(type) {
		case UniformNoise:
			edges = []float64{n.Lo[0] - 1, n.Lo[0], n.Hi[0], n.Hi[0] + 1}
		case *MixNoise:
			// Panels no wider than the narrowest component.
			lo, hi, narrow := mean, mean, sd
			for j := range n.Components() {
				_, mu, cov := n.Component(j)
				s := math.Sqrt(cov[0])
				lo, hi, narrow = math.Min(lo, mu[0]-60*s), math.Max(hi, mu[0]+60*s), math.Min(narrow, s)
			}
			for x := lo; x < hi; x += narrow {
				edges = append(edges, x)
			}
			edges = append(edges, hi)
		default:
			edges = []float64{mean - 60*sd, mean, mean + 60*sd}
		}
		total := 0.0
		for i := 1; i < len(edges); i++ {
			total += integrate1(p, edges[i-1], edges[i], 400)
		}
		if math.Abs(total-1) > 1e-12 {
			t.Errorf("%s: ∫ U = 1%+.3g", fam, total-1)
		}

		nz2, _, _ := mustFit(t, fam, "moons", 1.3, 0)
		if mix, ok := nz2.(*MixNoise); ok {
			checkMix2D(t, mix)
			continue
		}
		ax := func(a int) Noise {
			switch n := nz2.(type) {
			case GaussNoise:
				return GaussNoise{D: 1, Mean: [2]float64{n.Mean[a]}, SD: [2]float64{n.SD[a]}}
			case LaplaceNoise:
				return LaplaceNoise{D: 1, Mean: [2]float64{n.Mean[a]}, Scale: [2]float64{n.Scale[a]}}
			case UniformNoise:
				return UniformNoise{D: 1, Lo: [2]float64{n.Lo[a]}, Hi: [2]float64{n.Hi[a]}}
			}
			panic("unknown noise")
		}
		r := rand.New(rand.NewPCG(5, 6))
		xs := make([]float64, 200)
		for i := range xs {
			xs[i] = 8*r.Float64() - 4
		}
		xs = append(xs, -4.5, 4.5) // outside the uniform in x only
		got := make([]float64, len(xs)/2)
		nz2.LogProb(xs, got)
		xo, yo := make([]float64, len(got)), make([]float64, len(got))
		xv, yv := make([]float64, len(got)), make([]float64, len(got))
		for i := range got {
			xv[i], yv[i] = xs[2*i], xs[2*i+1]
		}
		ax(0).LogProb(xv, xo)
		ax(1).LogProb(yv, yo)
		for i := range got {
			want := xo[i] + yo[i]
			if !(math.Abs(got[i]-want) <= 1e-13 || got[i] == want) {
				t.Errorf("%s 2D at (%g, %g): %g, product of axes %g", fam, xv[i], yv[i], got[i], want)
			}
		}
	}
}

// checkMix2D checks a 2D mixture noise: ∫U = 1 by the midpoint rule
// (spectrally accurate for Gaussians that decay inside the grid, with
// cells a fifth of the narrowest component's spread), and LogProb against
// the mixture density written out with math.Exp at random points.
func checkMix2D(t *testing.T, m *MixNoise) {
	t.Helper()
	lo, hi := [2]float64{math.Inf(1), math.Inf(1)}, [2]float64{math.Inf(-1), math.Inf(-1)}
	narrow := math.Inf(1)
	for j := range m.Components() {
		_, mu, cov := m.Component(j)
		for a := range 2 {
			s := math.Sqrt(cov[2*a])
			lo[a], hi[a] = math.Min(lo[a], mu[a]-12*s), math.Max(hi[a], mu[a]+12*s)
		}
		det := cov[0]*cov[2] - cov[1]*cov[1]
		narrow = math.Min(narrow, math.Sqrt(det/math.Max(cov[0], cov[2]))) // ≤ the smaller principal sd
	}
	h := narrow / 5
	nx, ny := int((hi[0]-lo[0])/h)+1, int((hi[1]-lo[1])/h)+1
	row := make([]float64, 2*nx)
	out := make([]float64, nx)
	total := 0.0
	for iy := range ny {
		for ix := range nx {
			row[2*ix], row[2*ix+1] = lo[0]+(float64(ix)+0.5)*h, lo[1]+(float64(iy)+0.5)*h
		}
		m.LogProb(row, out)
		for _, v := range out {
			total += math.Exp(v) * h * h
		}
	}
	if math.Abs(total-1) > 1e-9 {
		t.Errorf("mix 2D: ∫ U = 1%+.3g (%d×%d cells)", total-1, nx, ny)
	}
	r := rand.New(rand.NewPCG(5, 6))
	pts := make([]float64, 400)
	for i := range pts {
		pts[i] = 8*r.Float64() - 4
	}
	got := make([]float64, 200)
	m.LogProb(pts, got)
	for i := range got {
		x, y := pts[2*i], pts[2*i+1]
		p := 0.0
		for j := range m.Components() {
			w, mu, c := m.Component(j)
			det := c[0]*c[2] - c[1]*c[1]
			dx, dy := x-mu[0], y-mu[1]
			q := (c[2]*dx*dx - 2*c[1]*dx*dy + c[0]*dy*dy) / det
			p += w * math.Exp(-q/2) / (2 * math.Pi * math.Sqrt(det))
		}
		if p > 1e-250 && math.Abs(got[i]-math.Log(p)) > 1e-12*math.Max(1, math.Abs(got[i])) {
			t.Errorf("mix 2D at (%g, %g): LogProb %g, direct %g", x, y, got[i], math.Log(p))
		}
	}
}

// TestNoiseSampleMoments draws 100000 noise points per family (1D and 2D,
// scaled and shifted) and compares the sample mean, variance and (2D)
// cross-covariance with the fitted ones within 5 standard errors, the SEs
// from the closed-form fourth moments (gauss 3σ⁴, laplace 24b⁴, uniform
// w⁴/80); independence of the axes gives cov SE = σ_x σ_y/√N.
func TestNoiseSampleMoments(t *testing.T) {
	const N = 100000
	for _, target := range []string{"quartic", "ring"} {
		for _, fam := range families {
			nscale, nshift := 2.5, 0.6
			if fam == "uniform" {
				nscale, nshift = 1.5, 0.3
			}
			nz, _, _ := mustFit(t, fam, target, nscale, nshift)
			d := nz.Dim()
			xs := make([]float64, N*d)
			nz.Sample(rand.New(rand.NewPCG(9, 9)), xs)
			lp := make([]float64, N)
			nz.LogProb(xs, lp)
			var mean, sd [2]float64
			for a := 0; a < d; a++ {
				want, v, m4 := noiseMoments(nz, a)
				sd[a] = math.Sqrt(v)
				s, s2 := 0.0, 0.0
				for i := 0; i < N; i++ {
					s += xs[i*d+a]
				}
				mean[a] = s / N
				for i := 0; i < N; i++ {
					dx := xs[i*d+a] - mean[a]
					s2 += dx * dx
				}
				if math.Abs(mean[a]-want) > 5*math.Sqrt(v/N) {
					t.Errorf("%s %s axis %d: sample mean %g, want %g", fam, target, a, mean[a], want)
				}
				if math.Abs(s2/N-v) > 5*math.Sqrt((m4-v*v)/N) {
					t.Errorf("%s %s axis %d: sample variance %g, want %g", fam, target, a, s2/N, v)
				}
			}
			if d == 2 {
				c := 0.0
				for i := 0; i < N; i++ {
					c += (xs[2*i] - mean[0]) * (xs[2*i+1] - mean[1]) / N
				}
				want, se := 0.0, sd[0]*sd[1]/math.Sqrt(N)
				if mix, ok := nz.(*MixNoise); ok {
					// Σπ_j(Σ_j,xy + (μ_jx − m_x)(μ_jy − m_y)); its SE from the sample.
					mx, _, _ := noiseMoments(nz, 0)
					my, _, _ := noiseMoments(nz, 1)
					for j := range mix.Components() {
						w, mu, cov := mix.Component(j)
						want += w * (cov[1] + (mu[0]-mx)*(mu[1]-my))
					}
					v := 0.0
					for i := 0; i < N; i++ {
						e := (xs[2*i]-mean[0])*(xs[2*i+1]-mean[1]) - c
						v += e * e / N
					}
					se = math.Sqrt(v / N)
				}
				if math.Abs(c-want) > 5*se {
					t.Errorf("%s %s: sample covariance %g, want %g", fam, target, c, want)
				}
			}
			for i, v := range lp {
				if math.IsInf(v, 0) || math.IsNaN(v) {
					t.Fatalf("%s %s: sample %d has log U = %v", fam, target, i, v)
				}
			}
		}
	}
}

var suggestRE = regexp.MustCompile(`use nscale ≥ ([0-9.e+-]+)`)

// TestUniformCoverage sweeps nscale and nshift for every target: FitNoise
// must succeed exactly when the uniform covers the target's box, and its
// error must suggest an nscale that does cover it while the next smaller
// two-digit value does not.
func TestUniformCoverage(t *testing.T) {
	nerr := 0
	for _, target := range allTargets {
		data, tg := sampleData(t, target, 1000)
		b := tg.Box()
		for _, nshift := range []float64{0, -3, -0.5, 0.7, 4} {
			for _, nscale := range []float64{0.3, 0.9, 1, 2} {
				nz, err := FitNoise("uniform", data, tg.Dim(), NoiseParams{NScale: nscale, NShift: nshift}, b)
				if err == nil {
					u := nz.(UniformNoise)
					out := make([]float64, 1)
					for a := 0; a < tg.Dim(); a++ {
						if u.Lo[a] > b.Lo[a] || u.Hi[a] < b.Hi[a] {
							t.Errorf("%s nscale %g nshift %g: %v does not cover the box", target, nscale, nshift, u)
						}
					}
					corner := []float64{b.Lo[0], b.Hi[1]}
					u.LogProb(corner[:tg.Dim()], out)
					if math.IsInf(out[0], -1) {
						t.Errorf("%s: U = 0 at the box corner %v", target, corner)
					}
					continue
				}
				if nscale == 1 && nshift == 0 {
					t.Errorf("%s: uniform at nscale 1, nshift 0 fails: %v", target, err)
					continue
				}
				nerr++
				msg := err.Error()
				sub := suggestRE.FindStringSubmatch(msg)
				if sub == nil || !strings.Contains(msg, "U > 0 wherever p̃ > 0") || (nshift != 0) != strings.Contains(msg, "nshift nearer 0") {
					t.Errorf("%s: unhelpful error %q", target, msg)
					continue
				}
				need, _ := strconv.ParseFloat(sub[1], 64)
				if need <= nscale {
					t.Errorf("%s: nscale %g failed but the error suggests %g", target, nscale, need)
				}
				if _, err := FitNoise("uniform", data, tg.Dim(), NoiseParams{NScale: need, NShift: nshift}, b); err != nil {
					t.Errorf("%s: the suggested nscale %g fails: %v", target, need, err)
				}
				step := 0.1
				for need*step < 1 || need*step >= 10 { // one unit of the 2nd digit
					if need*step < 1 {
						step *= 10
					} else {
						step /= 10
					}
				}
				step = 1 / step / 10
				if _, err := FitNoise("uniform", data, tg.Dim(), NoiseParams{NScale: need - step, NShift: nshift}, b); err == nil {
					t.Errorf("%s: nscale %g (below the suggested %g) covers too", target, need-step, need)
				}
			}
		}
	}
	if nerr < 50 {
		t.Errorf("only %d of 180 cases exercised the coverage error", nerr)
	}
	// The example of the brief: quartic, far-shifted narrow noise.
	data, tg := sampleData(t, "quartic", 1000)
	_, err := FitNoise("uniform", data, 1, NoiseParams{NScale: 0.3, NShift: 1}, tg.Box())
	t.Logf("example (%d coverage errors): %v", nerr, err)
}

func TestFitNoiseRejects(t *testing.T) {
	good := []float64{0, 1, 2, 3}
	box := box1(-5, 5)
	for _, c := range []struct {
		name, family string
		data         []float64
		dim          int
		nscale       float64
		nshift       float64
		want         string
		ncomp        int
	}{
		{"family", "cauchy", good, 1, 1, 0, `unknown family "cauchy"`, 0},
		{"dim 3", "gauss", good, 3, 1, 0, "dimension 3", 0},
		{"dim 0", "gauss", good, 0, 1, 0, "dimension 0", 0},
		{"empty", "gauss", nil, 1, 1, 0, "empty data set", 0},
		{"ragged", "gauss", good[:3], 2, 1, 0, "not a multiple", 0},
		{"NaN", "gauss", []float64{0, math.NaN()}, 1, 1, 0, "non-finite", 0},
		{"Inf", "laplace", []float64{0, math.Inf(1)}, 1, 1, 0, "non-finite", 0},
		{"constant", "gauss", []float64{0.5, 0.5, 0.5}, 1, 1, 0, "zero spread", 0},
		{"constant y", "uniform", []float64{0, 2, 1, 2, 3, 2}, 2, 1, 0, "zero spread on axis y", 0},
		{"single point", "gauss", []float64{1.5}, 1, 1, 0, "zero spread", 0},
		{"nscale 0", "gauss", good, 1, 0, 0, "nscale", 0},
		{"nscale <0", "gauss", good, 1, -1, 0, "nscale", 0},
		{"nscale NaN", "gauss", good, 1, math.NaN(), 0, "nscale", 0},
		{"nscale Inf", "gauss", good, 1, math.Inf(1), 0, "nscale", 0},
		{"nshift NaN", "gauss", good, 1, 1, math.NaN(), "nshift", 0},
		{"nshift Inf", "gauss", good, 1, 1, math.Inf(-1), "nshift", 0},
		{"ncomp 0", "mix", good, 1, 1, 0, "ncomp = 0", 0},
		{"ncomp 33", "mix", good, 1, 1, 0, "want 1 … 32", 33},
		{"mix constant", "mix", []float64{2, 2}, 1, 1, 0, "zero spread", 4},
	} {
		_, err := FitNoise(c.family, c.data, c.dim, NoiseParams{NScale: c.nscale, NShift: c.nshift, NComp: c.ncomp}, box)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "noise: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestNoiseString(t *testing.T) {
	for _, c := range []struct {
		n    fmt.Stringer
		want string
	}{
		{GaussNoise{D: 1, Mean: [2]float64{0, 0}, SD: [2]float64{0.614, 0}}, "gauss(mean 0.00, sd 0.61)"},
		{LaplaceNoise{D: 2, Mean: [2]float64{1, -1}, Scale: [2]float64{0.5, 2}}, "laplace(mean (1.00, -1.00), scale (0.50, 2.00))"},
		{UniformNoise{D: 1, Lo: [2]float64{-2.5, 0}, Hi: [2]float64{2.5, 0}}, "uniform[-2.50, 2.50]"},
		{&MixNoise{D: 1, comps: []mixComp{{w: 0.5, mx: -1, sxx: 0.25}, {w: 0.5, mx: 1, sxx: 0.25}}}, "mix(2 components, mean 0.00, sd 1.12)"},
		{&MixNoise{D: 2, comps: []mixComp{{w: 1, mx: 1, my: -2, sxx: 4, syy: 0.25}}}, "mix(1 component, mean (1.00, -2.00), sd (2.00, 0.50))"},
	} {
		if got := c.n.String(); got != c.want {
			t.Errorf("String() = %q, want %q", got, c.want)
		}
	}
}

// fittedNoises returns every family fitted to a 1D and a 2D target.
func fittedNoises(t testing.TB) []Noise {
	var ns []Noise
	for _, target := range []string{"quartic", "moons"} {
		for _, fam := range families {
			nz, _, _ := mustFit(t, fam, target, 1, 0)
			ns = append(ns, nz)
		}
	}
	return ns
}

func TestNoiseZeroAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, nz := range fittedNoises(t) {
		xs := make([]float64, 2048*nz.Dim())
		out := make([]float64, 2048)
		if a := testing.AllocsPerRun(10, func() { nz.Sample(r, xs) }); a != 0 {
			t.Errorf("%s %dD Sample: %v allocs", noiseName(nz), nz.Dim(), a)
		}
		if a := testing.AllocsPerRun(10, func() { nz.LogProb(xs, out) }); a != 0 {
			t.Errorf("%s %dD LogProb: %v allocs", noiseName(nz), nz.Dim(), a)
		}
	}
}

// noiseGolden pins an FNV-1a hash of 1000 points of each fitted noise
// (seed 1, 2) and their log-densities; see targetGolden.
var noiseGolden = map[string]uint64{
	"gauss1D":   0x8bc3bff23c1179f2,
	"laplace1D": 0xcf5d429b574344b7,
	"uniform1D": 0x8f2963fd93afa10,
	"gauss2D":   0x6b62259b77b712fd,
	"laplace2D": 0xc9bb80d842600966,
	"uniform2D": 0xb204d8124b2fc779,
	"mix1D":     0x1b957a9227957fb2,
	"mix2D":     0xebb29fb04efc3828,
}

func TestNoiseDeterminism(t *testing.T) {
	for _, nz := range fittedNoises(t) {
		key := fmt.Sprintf("%s%dD", noiseName(nz), nz.Dim())
		hash := func() uint64 {
			xs := make([]float64, 1000*nz.Dim())
			lp := make([]float64, 1000)
			nz.Sample(rand.New(rand.NewPCG(1, 2)), xs)
			nz.LogProb(xs, lp)
			h := fnv.New64a()
			for _, v := range append(xs, lp...) {
				fmt.Fprintf(h, "%x,", math.Float64bits(v))
			}
			return h.Sum64()
		}
		h1, h2 := hash(), hash()
		if h1 != h2 {
			t.Errorf("%s: two runs with one seed differ", key)
		}
		if want, ok := noiseGolden[key]; !ok || h1 != want {
			t.Errorf("%s: hash %#x, golden %#x", key, h1, want)
		}
	}
}

// BenchmarkNoise times one training step's noise work: Sample and LogProb
// for k·batch points (2560 in 1D, 2048 in 2D).
func BenchmarkNoise(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, nz := range fittedNoises(b) {
		n := 2560
		if nz.Dim() == 2 {
			n = 2048
		}
		xs := make([]float64, n*nz.Dim())
		out := make([]float64, n)
		b.Run(fmt.Sprintf("%s%dD", noiseName(nz), nz.Dim()), func(b *testing.B) {
			for b.Loop() {
				nz.Sample(r, xs)
				nz.LogProb(xs, out)
			}
		})
	}
}

// noiseName names a noise by its family ("gauss" for a GaussNoise), for
// messages and the golden hashes' keys.
func noiseName(nz Noise) string {
	return strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(fmt.Sprintf("%T", nz), "*"), "density."), "Noise"))
}
