package sweep

import (
	"errors"
	"math"

	"nceplay/core/fmath"
	"nceplay/core/model"
)

// The solver finds the exact optima of the two empirical objectives the
// sweep compares, for a model linear in θ (poly): NCE's loss on a data set
// and a noise set (docs/math.md#e3), convex in α = (θ, c), and maximum
// likelihood's −ℓ(θ) with log Z by quadrature over the target's box
// (docs/math.md#mle), convex in θ. Both by damped Newton's method, as the
// playground's opt=newton (core/nce): Newton's own step, halved until the
// loss falls by at least 10⁻⁴ of the predicted decrease λ² = ∇Jᵀ H⁻¹ ∇J
// (Armijo), and stopped once λ² ≤ newtonTol·Q/n, when the optimizer's error
// is below 1/1000 of the estimator's statistical error (√(Q/n) in H's
// norm) — then the full step is taken, which squares it. The sweep calls
// it thousands of times, so NCE's fit takes a full step as long as it
// lowers the decrement (one pass for the next gradient and Hessian, with
// no logarithms: the loss is not needed), and falls back to the Armijo
// line search (passes that compute the loss) only when it does not. The
// stopping test certifies the optimum whatever the path.
const (
	newtonTol     = 1e-6
	newtonMaxIter = 100
	chunk         = 256 // points whose features are computed at a time
)

// Why a fit has no estimate.
var (
	// errSeparable: the logits separate the data from the noise set, so
	// NCE's loss has no minimum (docs/math.md#separable).
	errSeparable = errors.New("the data and noise sets are separable: NCE's optimum does not exist")
	errStalled   = errors.New("Newton's method stopped short of its tolerance")
)

// solver holds the scratch of one worker's fits.
type solver struct {
	lin         model.Linear
	dim, p, q   int
	phi         []float64 // chunk × p features
	grad, hess  []float64 // q, q×q
	delta, a0   []float64 // q
	chol        []float64 // q×q
	gridPhi     []float64 // MLE: the quadrature grid's features, cells × p
	gridLogCell float64
	gridG, w    []float64 // cells
	mean, cov   []float64 // p, p×p
}

func newSolver(lin model.Linear, dim int, grid []float64, logCell float64) *solver {
	p := lin.NumParams()
	q := p + 1
	cells := len(grid) / dim
	sv := &solver{lin: lin, dim: dim, p: p, q: q, phi: make([]float64, chunk*p),
		grad: make([]float64, q), hess: make([]float64, q*q), delta: make([]float64, q), a0: make([]float64, q),
		chol: make([]float64, q*q), gridPhi: make([]float64, cells*p), gridLogCell: logCell,
		gridG: make([]float64, cells), w: make([]float64, cells), mean: make([]float64, p), cov: make([]float64, p*p)}
	lin.Features(grid, sv.gridPhi)
	return sv
}

// ncePass computes NCE's full-batch loss at α = (θ, c) over the data
// points xd (label 1) and the noise points xn (label 0), with their log U,
// divided by the number of data points — or, with derivs, its gradient
// and Hessian into sv.grad and sv.hess instead (and the loss is NaN). It
// also returns the number of points on the wrong side of the decision
// boundary (0: separable).
func (sv *solver) ncePass(alpha, xd, ud, xn, un []float64, logK float64, derivs bool) (loss float64, wrong int) {
	if sv.dim == 1 {
		return sv.ncePass1D(alpha, xd, ud, xn, un, logK, derivs)
	}
	return sv.ncePassFeatures(alpha, xd, ud, xn, un, logK, derivs)
}

// ncePassFeatures is ncePass for any linear model, from its features.
func (sv *solver) ncePassFeatures(alpha, xd, ud, xn, un []float64, logK float64, derivs bool) (loss float64, wrong int) {
	p, q := sv.p, sv.q
	if derivs {
		clear(sv.grad)
		clear(sv.hess)
	}
	th, c := alpha[:p], alpha[p]
	shift := c + logK
	for seg := range 2 {
		xs, us := xd, ud
		if seg == 1 {
			xs, us = xn, un
		}
		n := len(us)
		for lo := 0; lo < n; lo += chunk {
			hi := min(lo+chunk, n)
			phi := sv.phi[:(hi-lo)*p]
			sv.lin.Features(xs[lo*sv.dim:hi*sv.dim], phi)
			for i := range hi - lo {
				f := phi[i*p : (i+1)*p]
				g := 0.0
				for a, t := range th {
					g += t * f[a]
				}
				z := g - shift - us[lo+i]
				// The label's sign goes into the logit: data score
				// softplus(−z), noise softplus(z).
				if seg == 0 {
					z = -z
				}
				if !(z < 0) {
					wrong++
				}
				if !derivs {
					loss += fmath.Softplus(z)
					continue
				}
				// σ(z) and σ(z)σ(−z) from one exponential.
				e := fmath.Exp(-math.Abs(z))
				r := 1 / (1 + e)
				sig := r
				if z < 0 {
					sig = e * r
				}
				w := e * r * r // σ(z)σ(−z)
				d := sig       // ∂softplus(±z)/∂z_signed
				if seg == 0 {
					d = -sig
				}
				// ψ = (φ, −1); H += σ(1−σ) ψψᵀ (upper triangle), ∇ += d ψ.
				for a, fa := range f {
					sv.grad[a] += d * fa
					wf := w * fa
					row := sv.hess[a*q : (a+1)*q]
					for b := a; b < p; b++ {
						row[b] += wf * f[b]
					}
					row[p] -= wf
				}
				sv.grad[p] -= d
				sv.hess[p*q+p] += w
			}
		}
	}
	inv := 1 / float64(len(ud))
	if derivs {
		for a := range q {
			for b := a; b < q; b++ {
				sv.hess[a*q+b] *= inv
				sv.hess[b*q+a] = sv.hess[a*q+b]
			}
			sv.grad[a] *= inv
		}
		return math.NaN(), wrong
	}
	return loss * inv, wrong
}

// ncePass1D is ncePass for the 1D poly model, whose features are the
// powers x, x², …, x^p: every entry of ψψᵀ (ψ = (φ, −1)) is ± a power
// x^j, j ≤ 2p, so the Hessian needs only the 2p+1 sums M_j = Σ w x^j and
// the gradient the p+1 sums Σ d x^j — no feature vectors, and 2p+1 sums
// instead of (p+1)(p+2)/2.
func (sv *solver) ncePass1D(alpha, xd, ud, xn, un []float64, logK float64, derivs bool) (loss float64, wrong int) {
	p, q := sv.p, sv.q
	var mom [2*maxDeg + 1]float64
	var gs [maxDeg + 1]float64
	th := alpha[:p]
	shift := alpha[p] + logK
	for seg := range 2 {
		xs, us := xd, ud
		sign := -1.0 // data: the logit's sign is flipped (softplus(−z))
		if seg == 1 {
			xs, us = xn, un
			sign = 1
		}
		us = us[:len(xs)]
		for i, x := range xs {
			// Horner: G = x(θ₁ + x(θ₂ + … + xθ_p)).
			g := 0.0
			for j := p - 1; j >= 0; j-- {
				g = g*x + th[j]
			}
			z := sign * (g*x - shift - us[i])
			if !(z < 0) {
				wrong++
			}
			if !derivs {
				loss += fmath.Softplus(z)
				continue
			}
			e := fmath.Exp(-math.Abs(z))
			r := 1 / (1 + e)
			sig := r
			if z < 0 {
				sig = e * r
			}
			w := e * r * r
			d := sign * sig
			v, dv := w, d
			for j := 0; j <= p; j++ {
				mom[j] += v
				gs[j] += dv
				v *= x
				dv *= x
			}
			for j := p + 1; j <= 2*p; j++ {
				mom[j] += v
				v *= x
			}
		}
	}
	inv := 1 / float64(len(ud))
	if !derivs {
		return loss * inv, wrong
	}
	for a := range p {
		for b := range p {
			sv.hess[a*q+b] = mom[a+b+2] * inv
		}
		sv.hess[a*q+p] = -mom[a+1] * inv
		sv.hess[p*q+a] = sv.hess[a*q+p]
		sv.grad[a] = gs[a+1] * inv
	}
	sv.hess[p*q+p] = mom[0] * inv
	sv.grad[p] = -gs[0] * inv
	return math.NaN(), wrong
}

// maxDeg is the largest degree of the poly model (the deg key's maximum).
const maxDeg = 8

// nce minimizes NCE's loss from the start alpha (θ then c), in place. It
// returns the Newton iterations and errSeparable or errStalled when no
// optimum was reached (alpha then holds the last iterate).
func (sv *solver) nce(alpha, xd, ud, xn, un []float64, logK float64) (int, error) {
	nd := float64(len(ud))
	_, wrong := sv.ncePass(alpha, xd, ud, xn, un, logK, true)
	prev := math.Inf(1) // the last accepted decrement
	for it := 1; it <= newtonMaxIter; it++ {
		if wrong == 0 {
			return it, errSeparable
		}
		lambda2, err := sv.newtonDirection(sv.q)
		if err != nil {
			return it, err
		}
		copy(sv.a0, alpha)
		step := func(t float64) {
			for a := range alpha {
				alpha[a] = sv.a0[a] - t*sv.delta[a]
			}
		}
		if lambda2 <= newtonTol*float64(sv.q)/nd {
			step(1)
			return it, nil
		}
		if lambda2 < prev {
			// The decrement fell: take the full step (near the optimum,
			// where Newton converges quadratically, it always does).
			prev = lambda2
			step(1)
			_, wrong = sv.ncePass(alpha, xd, ud, xn, un, logK, true)
			continue
		}
		// It did not: θ is far from the optimum; damp the step by the
		// Armijo line search from here on.
		prev = 0
		f, _ := sv.ncePass(alpha, xd, ud, xn, un, logK, false)
		t := 1.0
		for ; t > 1e-18; t /= 2 {
			step(t)
			if fl, _ := sv.ncePass(alpha, xd, ud, xn, un, logK, false); fl <= f-1e-4*t*lambda2 || lambda2 <= 1e-10*(1+math.Abs(f)) {
				break
			}
		}
		if t <= 1e-18 {
			copy(alpha, sv.a0)
			return it, errStalled
		}
		_, wrong = sv.ncePass(alpha, xd, ud, xn, un, logK, true)
	}
	return newtonMaxIter, errStalled
}

// newtonDirection solves H δ = ∇J for the q×q Hessian and gradient in the
// solver (a ridge of 1e-12 of H's largest diagonal keeps it positive
// definite when a feature is flat) and returns λ² = ∇J·δ.
func (sv *solver) newtonDirection(q int) (float64, error) {
	copy(sv.chol[:q*q], sv.hess[:q*q])
	maxDiag := 0.0
	for a := range q {
		maxDiag = math.Max(maxDiag, sv.chol[a*q+a])
	}
	for a := range q {
		sv.chol[a*q+a] += 1e-12*maxDiag + 1e-300
	}
	copy(sv.delta[:q], sv.grad[:q])
	if err := cholSolve(sv.chol[:q*q], sv.delta[:q], q); err != nil {
		return 0, err
	}
	l2 := 0.0
	for a := range q {
		l2 += sv.grad[a] * sv.delta[a]
	}
	return l2, nil
}

// mlePass computes −ℓ(θ) = log Z(θ) − θ·φ̄ with Z by the midpoint rule on
// the solver's grid, and with derivs its gradient E_θ[φ] − φ̄ and Hessian
// Cov_θ[φ] into sv.grad and sv.hess (p×p, stride p). It also returns log Z.
func (sv *solver) mlePass(theta, phiBar []float64, derivs bool) (loss, logZ float64) {
	p := sv.p
	cells := len(sv.gridG)
	for i := range cells {
		f := sv.gridPhi[i*p : (i+1)*p]
		g := 0.0
		for a, t := range theta[:p] {
			g += t * f[a]
		}
		sv.gridG[i] = g
	}
	logZ = fmath.LogSumExp(sv.gridG) + sv.gridLogCell
	loss = logZ
	for a := range p {
		loss -= theta[a] * phiBar[a]
	}
	if !derivs {
		return loss, logZ
	}
	clear(sv.mean)
	clear(sv.cov)
	for i, g := range sv.gridG {
		w := fmath.Exp(g + sv.gridLogCell - logZ)
		f := sv.gridPhi[i*p : (i+1)*p]
		for a, fa := range f {
			sv.mean[a] += w * fa
			wf := w * fa
			row := sv.cov[a*p : (a+1)*p]
			for b := a; b < p; b++ {
				row[b] += wf * f[b]
			}
		}
	}
	for a := range p {
		sv.grad[a] = sv.mean[a] - phiBar[a]
		for b := a; b < p; b++ {
			v := sv.cov[a*p+b] - sv.mean[a]*sv.mean[b]
			sv.hess[a*p+b], sv.hess[b*p+a] = v, v
		}
	}
	return loss, logZ
}

// mle maximizes the likelihood of the data whose mean features are phiBar
// (n points), from the start theta, in place; it returns the iterations,
// log Z at the optimum and an error if Newton stalled.
func (sv *solver) mle(theta, phiBar []float64, n int) (int, float64, error) {
	p := sv.p
	f, logZ := sv.mlePass(theta, phiBar, true)
	a0 := sv.a0[:p]
	for it := 1; it <= newtonMaxIter; it++ {
		lambda2, err := sv.newtonDirection(p)
		if err != nil {
			return it, logZ, err
		}
		copy(a0, theta[:p])
		step := func(t float64) {
			for a := range p {
				theta[a] = a0[a] - t*sv.delta[a]
			}
		}
		if lambda2 <= newtonTol*float64(p)/float64(n) {
			step(1)
			_, logZ = sv.mlePass(theta, phiBar, false)
			return it, logZ, nil
		}
		t := 1.0
		for ; t > 1e-18; t /= 2 {
			step(t)
			if fl, _ := sv.mlePass(theta, phiBar, false); fl <= f-1e-4*t*lambda2 || lambda2 <= 1e-10*(1+math.Abs(f)) {
				break
			}
		}
		if t <= 1e-18 {
			copy(theta[:p], a0)
			return it, logZ, errStalled
		}
		f, logZ = sv.mlePass(theta, phiBar, true)
	}
	return newtonMaxIter, logZ, errStalled
}

// cholSolve solves A x = b in place (b becomes x) for a symmetric positive
// definite q×q A, overwriting A with its Cholesky factor.
func cholSolve(a, b []float64, q int) error {
	for j := range q {
		s := a[j*q+j]
		for k := range j {
			s -= a[j*q+k] * a[j*q+k]
		}
		if !(s > 0) {
			return errors.New("the Hessian is not positive definite")
		}
		l := math.Sqrt(s)
		a[j*q+j] = l
		for i := j + 1; i < q; i++ {
			s := a[i*q+j]
			for k := range j {
				s -= a[i*q+k] * a[j*q+k]
			}
			a[i*q+j] = s / l
		}
	}
	for i := range q {
		s := b[i]
		for k := range i {
			s -= a[i*q+k] * b[k]
		}
		b[i] = s / a[i*q+i]
	}
	for i := q - 1; i >= 0; i-- {
		s := b[i]
		for k := i + 1; k < q; k++ {
			s -= a[k*q+i] * b[k]
		}
		b[i] = s / a[i*q+i]
	}
	return nil
}
