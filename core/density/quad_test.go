package density

import (
	"math"
	"testing"
)

// integrate1 returns ∫_a^b f by composite 10-point Gauss–Legendre on
// `panels` equal panels: exact to rounding for the smooth targets, and for
// the Laplace kink at 0 when 0 is a panel edge.
func integrate1(f func(x float64) float64, a, b float64, panels int) float64 {
	gx, gw := gaussLegendre(10)
	h := (b - a) / float64(panels)
	s := 0.0
	for p := 0; p < panels; p++ {
		mid := a + (float64(p)+0.5)*h
		for i := range gx {
			s += gw[i] * f(mid+h/2*gx[i])
		}
	}
	return s * h / 2
}

// midGrid calls f at the midpoints of the n×n cells of box, with the cell
// area. The midpoint rule is spectrally accurate for smooth integrands that
// are negligible at the box's edges (for a Gaussian of width σ its error is
// about exp(−2π²σ²/h²)), and exact for checker when cells align with its
// squares.
func midGrid(b Box, n int, f func(i, j int, x, y, area float64)) {
	hx := (b.Hi[0] - b.Lo[0]) / float64(n)
	hy := (b.Hi[1] - b.Lo[1]) / float64(n)
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			f(i, j, b.Lo[0]+(float64(i)+0.5)*hx, b.Lo[1]+(float64(j)+0.5)*hy, hx*hy)
		}
	}
}

func TestGaussLegendre(t *testing.T) {
	for _, q := range []int{1, 2, 5, 8, 10, 12} {
		x, w := gaussLegendre(q)
		// Exact for x^k, k ≤ 2q−1: ∫_{−1}^{1} x^k = 2/(k+1) for even k.
		for k := 0; k <= 2*q-1; k++ {
			s := 0.0
			for i := range x {
				s += w[i] * math.Pow(x[i], float64(k))
			}
			want := 0.0
			if k%2 == 0 {
				want = 2 / float64(k+1)
			}
			if math.Abs(s-want) > 1e-14 {
				t.Errorf("q=%d: ∫x^%d = %.16g, want %.16g", q, k, s, want)
			}
		}
	}
}

// TestCurveQuadrature checks the claim of curveMix: the production
// discretization of moons and spiral agrees with a much finer one (panels
// of arc length 0.025, 12 nodes) to 1e-9 relative wherever the density
// exceeds 1e-6 of its maximum, and to 1e-5 relative over the whole box.
// (Measured: about 4e-14 and 3e-7.)
func TestCurveQuadrature(t *testing.T) {
	for _, tc := range []struct {
		name  string
		sigma float64
		mix   *curveMix
		cs    []curve
		box   Box
	}{
		{"moons", moonsSigma, moonsMix, moonsCurves, Moons{}.Box()},
		{"spiral", spiralSigma, spiralMix, []curve{spiralCurve}, Spiral{}.Box()},
	} {
		ref := newCurveMix(tc.sigma, 0.025, 12, tc.cs...)
		var lp, lr []float64
		top := math.Inf(-1)
		midGrid(tc.box, 41, func(_, _ int, x, y, _ float64) {
			lp = append(lp, tc.mix.logProb(x, y))
			lr = append(lr, ref.logProb(x, y))
			top = math.Max(top, lr[len(lr)-1])
		})
		worstIn, worstAll := 0.0, 0.0
		for i := range lp {
			d := math.Abs(math.Expm1(lp[i] - lr[i]))
			worstAll = math.Max(worstAll, d)
			if lr[i] > top-math.Log(1e6) {
				worstIn = math.Max(worstIn, d)
			}
		}
		t.Logf("%s: %d nodes, relative error %.1e where p > 1e-6·max, %.1e over the box", tc.name, len(tc.mix.nodes), worstIn, worstAll)
		if worstIn > 1e-9 || worstAll > 1e-5 {
			t.Errorf("%s: relative quadrature error %.2g where it matters, %.2g over the box", tc.name, worstIn, worstAll)
		}
		w := 0.0
		for _, n := range tc.mix.nodes {
			w += math.Exp(n.logw)
		}
		if math.Abs(w-1) > 1e-13 {
			t.Errorf("%s: node weights sum to 1%+.2g", tc.name, w-1)
		}
	}
}
