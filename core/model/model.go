// Package model holds the energy models G(x;θ) of docs/math.md#partition-function: the
// unnormalized log-density whose parameters θ the objectives fit. Every
// model computes G and its exact gradient ∇θG; the objective supplies
// ∂J/∂G for each point and the model turns it into ∂J/∂θ (backpropagation
// through the model only, so objectives and models combine freely).
//
// Points are stored flat as in package density: n points in Dim dimensions are
// a []float64 of length n·Dim.
package model

import "math/rand/v2"

// A Model is an energy function G(x;θ). A Model holds only its shape
// (dimension, sizes); θ is passed in, so one Model serves any number of
// parameter vectors and goroutines.
type Model interface {
	// Dim is the dimension of x (1 or 2).
	Dim() int
	// NumParams is len(θ).
	NumParams() int
	// Init writes the initial parameters into theta, drawing from r.
	Init(r *rand.Rand, theta []float64)
	// Energy sets g[i] = G(point i of xs; θ) for len(g) points. It is for
	// metrics and plotting: it may allocate nothing and keeps no state.
	Energy(theta, xs, g []float64)
	// NewTape returns a workspace for the forward and backward passes over
	// up to maxPoints points at a time.
	NewTape(maxPoints int) Tape
}

// A Tape records a forward pass so that the backward pass can reuse it.
// It is not safe for concurrent use; make one per goroutine.
type Tape interface {
	// Forward sets g[i] = G(point i of xs; θ) for len(g) points (at most
	// maxPoints) and records what Backward needs.
	Forward(theta, xs, g []float64)
	// Backward adds Σ_i dg[i]·∇θG(x_i; θ) to grad, for the points of the
	// last Forward (len(dg) equals that call's len(g)). It must not
	// allocate.
	Backward(theta, dg, grad []float64)
}

// A Linear model is linear in θ: G(x;θ) = Σ_j θ_j φ_j(x). Its NCE, cls,
// neg and MLE losses are convex in θ (docs/math.md#mle), so the trainer can use
// Newton's method with the features' exact Hessian.
type Linear interface {
	Model
	// Features sets phi[i·P+j] = φ_j(point i of xs) for the n = len(phi)/P
	// points, where P = NumParams().
	Features(xs, phi []float64)
}

// A Tailed model's energy is unbounded far from the box (a polynomial's),
// so whether exp(G) can be normalized over all of ℝ^Dim depends on θ, not
// only on the box (docs/math.md#not-normalizable). Bounded energies (mlp,
// rbf) are not Tailed: their exp(G) is integrable over any box and over
// ℝ^Dim never, whatever θ is.
type Tailed interface {
	Model
	// Integrable reports whether exp(G(x;θ) − Σ_a quad[a]·x_a²) is
	// integrable over ℝ^Dim. quad ≥ 0 adds a Gaussian factor (the noise
	// U's tail, for a density read back as exp(G)·k·U), 0 for none.
	Integrable(theta []float64, quad [2]float64) bool
}
