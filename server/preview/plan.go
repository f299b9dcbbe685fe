package preview

import (
	"math"
	"strconv"

	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/model"
	"nceplay/core/nce"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// A Budget bounds the work of one preview. It is counted in reference
// nanoseconds, the estimated time on the machine the cost model was
// measured on (one core of a 2-core x86-64 VM, native code; WebAssembly
// runs the same plan 1.2–3× slower). The estimate depends only on the
// spec, never on the clock, so a plan — and the picture it draws — is the
// same on every host and every run.
type Budget struct {
	// Work caps the estimated cost of a preview: setting up the trainer,
	// the training steps, the metrics, the grid and the drawing.
	Work float64
	// MaxSteps caps the training steps whatever their cost.
	MaxSteps int
}

// What a preview shows.
type Mode int

const (
	// Full: the spec trained for all its steps — the experiment's result.
	Full Mode = iota
	// Optimum: the spec's steps do not fit the budget, but the case is
	// convex (a model linear in θ, a convex objective), so damped Newton
	// solves it to the optimum the experiment converges to.
	Optimum
	// Early: the first steps of the spec that fit the budget.
	Early
)

// String returns "full", "optimum" or "early" (the X-Preview-Plan header).
func (m Mode) String() string {
	switch m {
	case Full:
		return "full"
	case Optimum:
		return "optimum"
	case Early:
		return "early"
	}
	return "mode(" + strconv.Itoa(int(m)) + ")"
}

// A Plan is what Render trains for a spec under a Budget.
type Plan struct {
	Mode Mode
	// Spec is what is trained: the spec itself, or for Optimum its copy
	// with opt=newton.
	Spec spec.Spec
	// Steps is the number of steps to train (for Optimum, the most
	// Newton steps to take: it stops when converged). SpecSteps is the
	// spec's own.
	Steps, SpecSteps int
	// Cost is the estimated cost in reference nanoseconds.
	Cost float64
	// Fallback is the Early plan to use if Newton does not converge
	// within Steps (Optimum only).
	Fallback *Plan
}

// newtonSteps is the most Newton steps an Optimum plan budgets: damped
// Newton from θ = 0 converges in 7–17 steps on the convex cases measured
// (quadratically once near the optimum); a case that needs more is
// ill-conditioned and gets the Early plan instead.
const newtonSteps = 30

// The cost model, in reference nanoseconds, fitted to the engine's
// steps, metrics and grids timed on the reference machine (server/README,
// "Preview cost bounds"). Whole previews took 0.5–1.2× its estimate
// there (large mlp and 2D rbf models and Newton runs less); the machine's
// own speed drifts by up to 2×, which the safety timeout covers.
var modelCosts = map[*model.Info]struct {
	// eval and train return the cost of one point's forward pass, and of
	// its share of a training step (noise draw, forward, loss, backward).
	eval, train func(sh model.Shape, c model.Cost) float64
}{
	model.PolyInfo: {
		eval:  func(_ model.Shape, c model.Cost) float64 { return 10 + 0.5*c.Flops },
		train: func(_ model.Shape, c model.Cost) float64 { return 30 + 2*c.Flops },
	},
	// An mlp point costs its multiply-adds and a tanh per unit and layer.
	model.MLPInfo: {
		eval: func(sh model.Shape, c model.Cost) float64 {
			return 20 + 0.45*c.Flops + 4*float64(sh.Units*sh.Layers)
		},
		train: func(sh model.Shape, c model.Cost) float64 {
			return 100 + 1.3*c.Flops + 8*float64(sh.Units*sh.Layers)
		},
	},
	// An rbf point costs an exponential per centre and axis, then the
	// products of the 2D features.
	model.RBFInfo: {
		eval: func(sh model.Shape, c model.Cost) float64 {
			return 20 + 8*float64(sh.Units*sh.Dim) + 0.4*c.Flops
		},
		train: func(sh model.Shape, c model.Cost) float64 {
			return 30 + 10*float64(sh.Units*sh.Dim) + c.Flops
		},
	},
}

// pointCosts returns the forward and training cost per point of s's model
// (a model the table does not know is costed like a slow mlp).
func pointCosts(s spec.Spec) (eval, train float64) {
	info, sh := s.ModelInfo(), s.Shape()
	c := info.Cost(sh)
	if mc, ok := modelCosts[info]; ok {
		return mc.eval(sh, c), mc.train(sh, c)
	}
	return 20 + c.Flops, 100 + 2*c.Flops
}

// noiseCosts returns what s's noise adds to the model's costs: fitting
// it, and drawing one noise point with its log-density. The single
// families (gauss, laplace, uniform) are in the per-point costs already;
// a mixture (ncomp components) is fitted by EM on up to 4096 points and
// sums its components at every point.
func noiseCosts(s spec.Spec) (fit, perPoint float64) {
	if info, ok := density.LookupNoise(s.Noise); ok && info.Components {
		c := float64(max(1, s.NComp))
		return 20e6 + 8e6*c, 60 + 50*c*float64(s.Dim())
	}
	return 0, 0
}

// Held-out and quadrature sizes of the metrics (core/nce), and the grid
// the picture is drawn from.
const (
	heldOut    = 8000
	gridRes1D  = 600
	gridRes2D  = 100
	quadRes1D  = 2000
	quadRes2D  = 128 * 128
	drawCost1D = 120e6
	drawCost2D = 100e6
	// Building the metric and grid caches (held-out draws, the target's
	// and the noise's densities on the grids; the 2D targets' densities
	// are costlier).
	cacheCost1D = 5e6
	cacheCost2D = 80e6
)

// fixedCost is what a preview of s costs besides its training steps:
// drawing the data set, the metrics, the grid and the picture.
func fixedCost(s spec.Spec) float64 {
	eval, _ := pointCosts(s)
	fit, noise := noiseCosts(s)
	pts, cache, draw := float64(quadRes1D+heldOut+gridRes1D), cacheCost1D, drawCost1D
	if s.Dim() == 2 {
		pts, cache, draw = quadRes2D+heldOut+gridRes2D*gridRes2D, cacheCost2D, drawCost2D
	}
	return 60*float64(s.N) + fit + cache + pts*(eval+noise) + draw
}

// stepCost is the estimated cost of one first-order training step of s.
func stepCost(s spec.Spec) float64 {
	_, train := pointCosts(s)
	points, _ := s.StepCost()
	params := s.ModelInfo().Cost(s.Shape()).Params + 1
	cost := 4000 + 4*params + points*train
	if s.Objective().DrawsNoise() {
		_, noise := noiseCosts(s)
		cost += float64(s.Batch) * float64(s.K) * noise
	}
	return cost
}

// newtonCost returns the estimated cost of setting up Newton's method for
// s (its fixed noise set) and of one Newton step: the gradient and Hessian
// over every point (features, then P² products) and about one loss
// evaluation of the line search.
func newtonCost(s spec.Spec) (setup, step float64) {
	eval, _ := pointCosts(s)
	p := s.ModelInfo().Cost(s.Shape()).Params + 1
	perPoint := 2*eval + 0.8*p*p + 80
	if s.Objective().ExactLogZ {
		// mle: the moments by quadrature, no noise set.
		q := float64(spec.MLEQuadPoints1D)
		if s.Dim() == 2 {
			q = spec.MLEQuadPoints2D
		}
		return float64(s.N) * eval, 1000 + q*perPoint
	}
	points := float64(s.N) * float64(s.K+1)
	_, noise := noiseCosts(s)
	return (30 + noise) * points, 1000 + points*perPoint
}

// MakePlan returns what a preview of s trains under b: the spec itself if
// all its steps fit (Full); else, for a convex case whose Newton run fits,
// Newton to convergence (Optimum); else as many of its steps as fit, at
// least one (Early).
func MakePlan(s spec.Spec, b Budget) Plan {
	fixed := fixedCost(s)
	step := stepCost(s)
	if s.Optimizer().SecondOrder {
		setup, nstep := newtonCost(s)
		fixed, step = fixed+setup, nstep
	}
	full := Plan{Mode: Full, Spec: s, Steps: s.Steps, SpecSteps: s.Steps, Cost: fixed + float64(s.Steps)*step}
	if s.Steps <= b.MaxSteps && full.Cost <= b.Work {
		return full
	}
	early := Plan{Mode: Early, Spec: s, SpecSteps: s.Steps}
	early.Steps = int(math.Floor((b.Work - fixed) / step))
	early.Steps = max(1, min(early.Steps, s.Steps, b.MaxSteps))
	early.Cost = fixed + float64(early.Steps)*step

	if ns, ok := newtonSpec(s); ok {
		setup, nstep := newtonCost(ns)
		cost := fixedCost(ns) + setup + newtonSteps*nstep
		if cost <= b.Work && newtonSteps <= b.MaxSteps {
			return Plan{Mode: Optimum, Spec: ns, Steps: newtonSteps, SpecSteps: s.Steps, Cost: cost, Fallback: &early}
		}
	}
	return early
}

// newtonSpec returns s with opt=newton (which takes no learning rate and
// stops by itself when converged), if that is a valid experiment: a model
// linear in θ, a convex objective, and within the caps of a Newton run.
func newtonSpec(s spec.Spec) (spec.Spec, bool) {
	if !s.ModelInfo().Linear || !s.Objective().Convex {
		return s, false
	}
	ns := s
	ns.Opt = optim.Newton.Name
	ns.Steps = newtonSteps
	ns = ns.Normalized()
	return ns, ns.Validate() == nil
}

// trainPlan runs p on a fresh trainer: p.Steps steps, or fewer if the
// trainer is done first (a Newton run stops by itself). ok is false for
// an Optimum plan whose Newton run did not converge. stop is polled
// between steps; when it returns an error, training is abandoned.
func trainPlan(p Plan, stop func() error) (tr *nce.Trainer, ok bool, err error) {
	tr, err = dataset.NewTrainer(p.Spec, nil) // a data target: its data key; a data file is not at hand
	if err != nil {
		return nil, false, err
	}
	for tr.StepCount() < p.Steps && !tr.Done() {
		if err := stop(); err != nil {
			return nil, false, err
		}
		tr.Step(1)
	}
	return tr, p.Mode != Optimum || tr.Converged(), nil
}
