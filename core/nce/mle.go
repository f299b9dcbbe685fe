package nce

import (
	"nceplay/core/fmath"
	"nceplay/core/model"
	"nceplay/core/spec"
)

// mleTerm is the log Z(θ) part of maximum likelihood (docs/math.md#mle): J =
// −mean G(x) + log Z(θ), with Z by the midpoint rule over the target's box
// and ∇ log Z = E_{p(·;θ)}[∇θG], the expectation by the same quadrature.
type mleTerm struct {
	pts     []float64
	logCell float64
	g, w    []float64
	tape    model.Tape
}

func newMLETerm(t *Trainer) *mleTerm {
	res := spec.MLEQuadPoints1D
	if t.dim == 2 {
		res = isqrt(spec.MLEQuadPoints2D)
	}
	pts, logCell := GridPoints(t.target.Box(), t.dim, res)
	n := len(pts) / t.dim
	return &mleTerm{pts: pts, logCell: logCell, g: make([]float64, n), w: make([]float64, n), tape: t.model.NewTape(n)}
}

// addGradient adds E_p[∇θG] to t.grad and returns log Z(θ).
func (m *mleTerm) addGradient(t *Trainer) float64 {
	m.tape.Forward(t.theta, m.pts, m.g)
	logZ := logIntegral(m.g, m.logCell)
	for i, g := range m.g {
		m.w[i] = fmath.Exp(g + m.logCell - logZ)
	}
	m.tape.Backward(t.theta, m.w, t.grad[:t.np])
	return logZ
}

// moments returns E_p[φ] and, if withCov, E_p[φφᵀ] − E_p[φ]E_p[φ]ᵀ for a
// linear model (the gradient and Hessian of log Z), into mean (P) and cov
// (P×P).
func (m *mleTerm) moments(t *Trainer, lin model.Linear, mean, cov, phi []float64, withCov bool) float64 {
	p := t.np
	lin.Energy(t.theta, m.pts, m.g)
	logZ := logIntegral(m.g, m.logCell)
	clear(mean)
	clear(cov)
	for i := range m.g {
		w := fmath.Exp(m.g[i] + m.logCell - logZ)
		f := phi[:p]
		lin.Features(m.pts[i*t.dim:(i+1)*t.dim], f)
		for a := range p {
			mean[a] += w * f[a]
			if !withCov {
				continue
			}
			for b := range p {
				cov[a*p+b] += w * f[a] * f[b]
			}
		}
	}
	if !withCov {
		return logZ
	}
	for a := range p {
		for b := range p {
			cov[a*p+b] -= mean[a] * mean[b]
		}
	}
	return logZ
}

func isqrt(n int) int {
	r := 0
	for (r+1)*(r+1) <= n {
		r++
	}
	return r
}
