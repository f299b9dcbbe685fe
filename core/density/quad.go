package density

import (
	"math"

	"nceplay/core/fmath"
)

// gaussLegendre returns the q nodes and weights of Gauss–Legendre
// quadrature on [−1, 1], exact for polynomials of degree 2q−1. The nodes
// are found by Newton's method on the Legendre recurrence, with pure-Go
// arithmetic only, so they are the same on every platform.
func gaussLegendre(q int) (x, w []float64) {
	x, w = make([]float64, q), make([]float64, q)
	for i := 0; i < (q+1)/2; i++ {
		z := math.Cos(math.Pi * (float64(i) + 0.75) / (float64(q) + 0.5))
		var dp float64
		for iter := 0; iter < 100; iter++ {
			p1, p2 := 1.0, 0.0
			for j := 1; j <= q; j++ {
				p1, p2 = (float64(2*j-1)*z*p1-float64(j-1)*p2)/float64(j), p1
			}
			dp = float64(q) * (z*p1 - p2) / (z*z - 1)
			dz := p1 / dp
			z -= dz
			if math.Abs(dz) < 1e-16 {
				break
			}
		}
		x[i], x[q-1-i] = -z, z
		w[i] = 2 / ((1 - z*z) * dp * dp)
		w[q-1-i] = w[i]
	}
	return x, w
}

// A curveMix is the continuous Gaussian mixture
//
//	p(x) = ∫ N(x; c(s), σ²I) ρ(s) ds
//
// of a curve c with a probability density ρ on its parameter, discretized
// once by composite Gauss–Legendre quadrature in s. The result is itself a
// finite mixture of Gaussians whose weights sum to 1 (to rounding), so it
// is an exact density; it differs from the continuous one by the
// quadrature error, below 1e-9 relative wherever the density exceeds
// 1e-6 of its maximum (see TestCurveQuadrature).
type curveMix struct {
	nodes   []curveNode
	a       float64 // 1/(2σ²)
	logNorm float64 // −log(2πσ²)
}

// A curveNode is one mixture component: centre and log weight.
type curveNode struct{ x, y, logw float64 }

// A curve is a curve c(s), s ∈ [0, end], with a density rho on s (which
// may integrate to less than 1 when several curves share one mixture) and
// its speed |c'(s)|, used to size the quadrature panels.
type curve struct {
	end        float64
	c          func(s float64) (x, y float64)
	rho, speed func(s float64) float64
}

// Quadrature resolution of the targets' curve mixtures: panels of arc
// length 0.1 (below both targets' σ), 8 Gauss–Legendre nodes each.
const (
	curveArc = 0.1
	curveQ   = 8
)

// newCurveMix discretizes the mixture of the curves with noise σ, using
// panels of about arclen in arc length and q nodes per panel. Panels
// shorter than σ keep the integrand, a Gaussian bump of width ≳ σ/2 along
// the curve, smooth on every panel.
func newCurveMix(sigma, arclen float64, q int, curves ...curve) *curveMix {
	gx, gw := gaussLegendre(q)
	m := &curveMix{a: 1 / (2 * sigma * sigma), logNorm: -fmath.Log(2 * math.Pi * sigma * sigma)}
	for _, cv := range curves {
		for s0 := 0.0; s0 < cv.end; {
			// Midpoint predictor for the parameter step of one arc length.
			h := arclen / cv.speed(s0+0.5*arclen/cv.speed(s0))
			s1 := s0 + h
			if s1 > cv.end-0.25*h { // no sliver panel at the end
				s1 = cv.end
			}
			half, mid := (s1-s0)/2, (s1+s0)/2
			for i := range gx {
				s := mid + half*gx[i]
				x, y := cv.c(s)
				m.nodes = append(m.nodes, curveNode{x, y, fmath.Log(half * gw[i] * cv.rho(s))})
			}
			s0 = s1
		}
	}
	return m
}

// logProb returns log p(x, y) by log-sum-exp over the components, so it is
// finite and accurate far from the curve too. Components more than e^{−36}
// below the largest are skipped (their total is below 1e-13 relative).
func (m *curveMix) logProb(x, y float64) float64 {
	if x != x || y != y {
		return math.NaN()
	}
	top := math.Inf(-1)
	for _, n := range m.nodes {
		dx, dy := x-n.x, y-n.y
		if e := n.logw - m.a*(dx*dx+dy*dy); e > top {
			top = e
		}
	}
	if math.IsInf(top, -1) {
		return top
	}
	cut := top - 36
	s := 0.0
	for _, n := range m.nodes {
		dx, dy := x-n.x, y-n.y
		if e := n.logw - m.a*(dx*dx+dy*dy); e > cut {
			s += fmath.Exp(e - top)
		}
	}
	return top + fmath.Log(s) + m.logNorm
}
