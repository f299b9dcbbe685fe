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
// whose covariance docs/math.md#e8 describes. Each step tries θ − lr·H⁻¹∇J and halves
// the step until the loss decreases enough (Armijo backtracking): plain
// Newton from θ = 0 can overshoot on these losses, damped Newton cannot,
// and near the optimum the full step is taken and convergence is
// quadratic.
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
// Hessian into nw.hess, all divided by n.
func (nw *newton) gradient(t *Trainer) float64 {
	p, q := t.np, t.np+1
	clear(t.grad)
	clear(nw.hess)
	inv := 1 / float64(nw.nd)
	if t.obj.ExactLogZ {
		logZ := t.mle.moments(t, nw.lin, nw.mean, nw.cov, nw.phi)
		loss := logZ
		for a := range p {
			loss -= t.theta[a] * nw.dataPhi[a]
			t.grad[a] = nw.mean[a] - nw.dataPhi[a]
			for b := range p {
				nw.hess[a*q+b] = nw.cov[a*p+b]
			}
		}
		nw.loss = loss
		return loss
	}
	// ∂z/∂c = −1 for nce and cls (docs/math.md#e2, docs/math.md#e5) when c is learned.
	dcdz := 0.0
	if t.learnC {
		dcdz = -1
	}
	loss := 0.0
	nw.forLogits(t, func(i int, f []float64, z float64) {
		var sp, sig, d float64
		if i < nw.nd {
			sp, sig = fmath.SoftplusSigmoid(-z)
			d = -sig
		} else {
			sp, sig = fmath.SoftplusSigmoid(z)
			d = sig
		}
		loss += sp
		w := sig * (1 - sig) // d²softplus(±z)/dz²
		for a := range p {
			t.grad[a] += d * f[a]
			wf := w * f[a]
			row := nw.hess[a*q : a*q+p]
			for b := range p {
				row[b] += wf * f[b]
			}
			nw.hess[a*q+p] += wf * dcdz
		}
		t.grad[p] += d * dcdz
		nw.hess[p*q+p] += w * dcdz * dcdz
	})
	for a := range p {
		nw.hess[p*q+a] = nw.hess[a*q+p]
	}
	for i := range t.grad {
		t.grad[i] *= inv
	}
	for i := range nw.hess {
		nw.hess[i] *= inv
	}
	nw.loss = loss * inv
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
		return loss
	}
	loss := 0.0
	nw.forLogits(t, func(i int, _ []float64, z float64) {
		if i < nw.nd {
			loss += fmath.Softplus(-z)
		} else {
			loss += fmath.Softplus(z)
		}
	})
	return loss / float64(nw.nd)
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

// step applies θ ← θ − α·H⁻¹∇J with α = lr, halved until the loss drops
// by at least 10⁻⁴·α·∇J·H⁻¹∇J (Armijo). Where that predicted decrease is
// below what the loss can resolve, it takes the step min(lr, 1) as is.
// If no step of 60 halvings lowers the loss, θ stays.
func (nw *newton) step(t *Trainer) error {
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
		return err
	}
	decrease := 0.0
	for a := range q {
		decrease += t.grad[a] * nw.delta[a]
	}
	copy(nw.theta0, t.theta)
	alpha := t.spec.LR
	if decrease <= 1e-10*(1+math.Abs(nw.loss)) {
		// So close to the optimum that the loss cannot resolve the
		// decrease: take the (at most full) Newton step, which converges
		// quadratically here.
		alpha = math.Min(alpha, 1)
		for a := range q {
			t.theta[a] = nw.theta0[a] - alpha*nw.delta[a]
		}
		return nil
	}
	for range 60 {
		for a := range q {
			t.theta[a] = nw.theta0[a] - alpha*nw.delta[a]
		}
		if f := nw.lossAt(t); f <= nw.loss-1e-4*alpha*decrease {
			return nil
		}
		alpha /= 2
	}
	copy(t.theta, nw.theta0)
	return nil
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
