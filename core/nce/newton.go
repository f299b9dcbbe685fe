package nce

import (
	"errors"
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
	"nceplay/core/model"
)

// newtonChunk is how many points newton turns into features at a time.
const newtonChunk = 512

// newton is the opt=newton of docs/spec.md#keys: full-batch damped Newton's method for
// models linear in θ, whose nce, cls, neg and mle losses are convex
// (docs/math.md#mle). The noise set (k·n points) is drawn once, so the iteration
// converges to the minimizer of the empirical objective — the estimator
// whose covariance docs/math.md#e8 describes. Each step tries Newton's own
// step θ − H⁻¹∇J and halves it until the loss decreases enough (Armijo
// backtracking): plain Newton from θ = 0 can overshoot on these losses,
// damped Newton cannot, and near the optimum the full step is taken and
// convergence is quadratic. It needs no learning rate (the spec drops lr
// for opt=newton) and stops by itself: when converged (newtonTol), or when
// its logits separate the data from the noise set, a certificate that the
// optimum does not exist (docs/math.md#separable).
type newton struct {
	lin     model.Linear
	xs      []float64 // the n data points, then k·n noise points
	nd      int
	logU    []float64
	phi     []float64 // newtonChunk × P features
	g       []float64
	hess    []float64 // Q×Q, Q = P+1 (θ then c)
	delta   []float64
	mean    []float64 // MLE: E_p[φ]
	cov     []float64 // MLE: Cov_p[φ]
	dataPhi []float64 // MLE: mean φ over the data
	loss    float64   // the loss at θ, from the last gradient
	theta0  []float64 // θ before the line search
	// wrong counts, at the last gradient's θ, the data points with logit
	// z ≤ 0 and the noise points with z ≥ 0: 0 means the logits separate
	// the two sets (binary objectives; −1 for mle).
	wrong int
	// decrement is λ² = ∇Jᵀ H⁻¹ ∇J of the last step.
	decrement float64
}

func newNewton(t *Trainer, lin model.Linear) *newton {
	p, q := t.np, t.np+1
	nw := &newton{lin: lin, nd: t.spec.N, phi: make([]float64, newtonChunk*p), g: make([]float64, newtonChunk),
		hess: make([]float64, q*q), delta: make([]float64, q), theta0: make([]float64, q)}
	if t.obj.ExactLogZ {
		nw.mean, nw.cov, nw.dataPhi = make([]float64, p), make([]float64, p*p), make([]float64, p)
		nw.xs = t.data
		nw.forChunks(t, func(lo, hi int) {
			for i := range hi - lo {
				for a := range p {
					nw.dataPhi[a] += nw.phi[i*p+a]
				}
			}
		})
		for a := range nw.dataPhi {
			nw.dataPhi[a] /= float64(nw.nd)
		}
		return nw
	}
	d := t.dim
	nn := t.spec.K * t.spec.N
	nw.xs = make([]float64, (nw.nd+nn)*d)
	copy(nw.xs, t.data)
	t.noise.Sample(rand.New(rand.NewPCG(t.spec.Seed, streamNewtonNoise)), nw.xs[nw.nd*d:])
	nw.logU = make([]float64, nw.nd+nn)
	t.noise.LogProb(nw.xs, nw.logU)
	return nw
}

// forChunks computes the features of the points in chunks and calls f with
// each chunk's point range; the features are in nw.phi.
func (nw *newton) forChunks(t *Trainer, f func(lo, hi int)) {
	d, p := t.dim, t.np
	total := len(nw.xs) / d
	for lo := 0; lo < total; lo += newtonChunk {
		hi := min(lo+newtonChunk, total)
		nw.lin.Features(nw.xs[lo*d:hi*d], nw.phi[:(hi-lo)*p])
		f(lo, hi)
	}
}

// gradient computes the full-batch loss, its gradient into t.grad and its
// Hessian into nw.hess, all divided by n, and counts the misclassified
// points (nw.wrong).
func (nw *newton) gradient(t *Trainer) float64 { return nw.derivatives(t, true) }

// derivatives is gradient, with the Hessian only if hess (it costs P times
// the gradient).
func (nw *newton) derivatives(t *Trainer, hess bool) float64 {
	p, q := t.np, t.np+1
	clear(t.grad)
	clear(nw.hess)
	inv := 1 / float64(nw.nd)
	if t.obj.ExactLogZ {
		nw.wrong = -1
		logZ := t.mle.moments(t, nw.lin, nw.mean, nw.cov, nw.phi, hess)
		loss := logZ
		for a := range p {
			loss -= t.theta[a] * nw.dataPhi[a]
			t.grad[a] = nw.mean[a] - nw.dataPhi[a]
			if !hess {
				continue
			}
			for b := range p {
				nw.hess[a*q+b] = nw.cov[a*p+b]
			}
		}
		nw.loss = t.addRidge(loss, t.grad, nw.hess, q)
		return nw.loss
	}
	// ∂z/∂c = −1 for nce and cls (docs/math.md#e2, docs/math.md#e5) when c is learned.
	dcdz := 0.0
	if t.learnC {
		dcdz = -1
	}
	loss := 0.0
	wrong := 0
	nw.forLogits(t, func(i int, f []float64, z float64) {
		var sp, sig, d float64
		if i < nw.nd {
			sp, sig = fmath.SoftplusSigmoid(-z)
			d = -sig
			if !(z > 0) {
				wrong++
			}
		} else {
			sp, sig = fmath.SoftplusSigmoid(z)
			d = sig
			if !(z < 0) {
				wrong++
			}
		}
		loss += sp
		for a := range p {
			t.grad[a] += d * f[a]
		}
		t.grad[p] += d * dcdz
		if !hess {
			return
		}
		w := sig * (1 - sig) // d²softplus(±z)/dz²
		for a := range p {
			wf := w * f[a]
			row := nw.hess[a*q : a*q+p]
			for b := range p {
				row[b] += wf * f[b]
			}
			nw.hess[a*q+p] += wf * dcdz
		}
		nw.hess[p*q+p] += w * dcdz * dcdz
	})
	nw.wrong = wrong
	for a := range p {
		nw.hess[p*q+a] = nw.hess[a*q+p]
	}
	for i := range t.grad {
		t.grad[i] *= inv
	}
	for i := range nw.hess {
		nw.hess[i] *= inv
	}
	nw.loss = t.addRidge(loss*inv, t.grad, nw.hess, q)
	return nw.loss
}

// lossAt returns the full-batch loss at the current θ (no derivatives).
func (nw *newton) lossAt(t *Trainer) float64 {
	p := t.np
	if t.obj.ExactLogZ {
		t.mle.tape.Forward(t.theta, t.mle.pts, t.mle.g)
		loss := logIntegral(t.mle.g, t.mle.logCell)
		for a := range p {
			loss -= t.theta[a] * nw.dataPhi[a]
		}
		return t.addRidge(loss, nil, nil, 0)
	}
	loss := 0.0
	nw.forLogits(t, func(i int, _ []float64, z float64) {
		if i < nw.nd {
			loss += fmath.Softplus(-z)
		} else {
			loss += fmath.Softplus(z)
		}
	})
	return t.addRidge(loss/float64(nw.nd), nil, nil, 0)
}

// forLogits calls f for every point with its index, its features and its
// logit z at the current θ and c (docs/math.md#e2, docs/math.md#e5, docs/math.md#e6).
func (nw *newton) forLogits(t *Trainer, f func(i int, phi []float64, z float64)) {
	p := t.np
	c := t.theta[p]
	nw.forChunks(t, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			phi := nw.phi[(i-lo)*p : (i-lo+1)*p]
			g := 0.0
			for a, th := range t.theta[:p] {
				g += th * phi[a]
			}
			f(i, phi, t.obj.Logit(g, c, t.logK, nw.logU[i]))
		}
	})
}

// Newton's stopping rule. The squared Newton decrement λ² = ∇Jᵀ H⁻¹ ∇J
// is the affine-invariant distance to the optimum: λ²/2 is the loss still
// to gain, and λ is the distance of θ from the optimum in the norm of H
// (Boyd & Vandenberghe, Convex Optimization, section 9.5). The estimator's own error in that norm is
// about √(Q/n) for Q parameters (docs/math.md#e8: n·Cov ≈ H⁻¹·(…)·H⁻¹), so
// once λ² ≤ newtonTol·Q/n the optimizer's error is below 1/1000 of the
// statistical error; the full step then taken squares it (quadratic
// convergence), and the run stops. The threshold stays far above the
// rounding floor of λ² (the gradient of n(k+1) terms is exact to ~1e-16
// relative, λ² to ~1e-30).
const newtonTol = 1e-6

// newtonTolerance is the λ² below which Newton's method has converged:
// newtonTol·Q/n for the Q free parameters (θ, and c when learned).
func (t *Trainer) newtonTolerance() float64 {
	free := t.np
	if t.learnC {
		free++
	}
	return newtonTol * float64(free) / float64(t.spec.N)
}

// The outcomes of a Newton step.
const (
	newtonStepped   = iota // a damped or full step was taken
	newtonConverged        // the final full step was taken: stop
	newtonStalled          // no step of the line search lowered the loss: θ stays, stop
)

// step applies θ ← θ − α·H⁻¹∇J from the gradient and Hessian at θ (from
// gradient). When the decrement is below the tolerance (newtonTol) it
// takes the full step (α = 1) and reports newtonConverged. Otherwise α
// starts at 1 — Newton's own step, which needs no learning rate — and is
// halved until the loss drops by at least 10⁻⁴·α·λ² (Armijo); where that
// predicted decrease is below what the loss can resolve (1e-10 relative)
// the full step is taken as is. If 60 halvings lower nothing, θ stays and
// it reports newtonStalled.
func (nw *newton) step(t *Trainer) (int, error) {
	q := t.np + 1
	if !t.learnC {
		for a := range q {
			nw.hess[a*q+t.np], nw.hess[t.np*q+a] = 0, 0
		}
		nw.hess[t.np*q+t.np] = 1
		t.grad[t.np] = 0
	}
	// A tiny ridge keeps H positive definite when a feature is flat.
	maxDiag := 0.0
	for a := range q {
		maxDiag = math.Max(maxDiag, nw.hess[a*q+a])
	}
	for a := range q {
		nw.hess[a*q+a] += 1e-12*maxDiag + 1e-300
	}
	copy(nw.delta, t.grad)
	if err := cholSolve(nw.hess, nw.delta, q); err != nil {
		return newtonStepped, err
	}
	decrease := 0.0 // λ²
	for a := range q {
		decrease += t.grad[a] * nw.delta[a]
	}
	nw.decrement = decrease
	copy(nw.theta0, t.theta)
	full := func() {
		for a := range q {
			t.theta[a] = nw.theta0[a] - nw.delta[a]
		}
	}
	if decrease <= t.newtonTolerance() {
		full()
		return newtonConverged, nil
	}
	if decrease <= 1e-10*(1+math.Abs(nw.loss)) {
		// So close to the optimum that the loss cannot resolve the
		// decrease: take the full Newton step, which converges
		// quadratically here.
		full()
		return newtonStepped, nil
	}
	alpha := 1.0
	for range 60 {
		for a := range q {
			t.theta[a] = nw.theta0[a] - alpha*nw.delta[a]
		}
		if f := nw.lossAt(t); f <= nw.loss-1e-4*alpha*decrease {
			return newtonStepped, nil
		}
		alpha /= 2
	}
	copy(t.theta, nw.theta0)
	return newtonStalled, nil
}

// cholSolve solves A x = b in place (b becomes x) for a symmetric positive
// definite q×q matrix A, overwriting A's lower triangle with its Cholesky
// factor.
func cholSolve(a, b []float64, q int) error {
	for j := range q {
		s := a[j*q+j]
		for k := range j {
			s -= a[j*q+k] * a[j*q+k]
		}
		if !(s > 0) {
			return errors.New("nce: Hessian is not positive definite")
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
