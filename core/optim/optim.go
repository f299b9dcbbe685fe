// Package optim is the registry of optimizers (docs/spec.md#keys, key
// opt) and the first-order ones themselves, and the registry of their
// learning-rate schedules (key sched). Newton's method is in the
// registry too, but the trainer runs it itself: it needs the Hessian of
// the full-batch loss (docs/math.md#mle).
package optim

import "math"

// An Optimizer updates parameters in place from their gradient. Step must
// not allocate. SetLR changes the learning rate for the following steps
// (a Schedule's work); it keeps the optimizer's state (Adam's moments,
// the momentum).
type Optimizer interface {
	Step(theta, grad []float64)
	SetLR(lr float64)
}

// An Info is one row of the registry All.
type Info struct {
	Name string // the spec value of the opt key
	Doc  string
	// New returns the optimizer for n parameters with learning rate lr;
	// nil for Newton's method, which the trainer runs itself.
	New func(n int, lr float64) Optimizer
	// SecondOrder reports a full-batch second-order method: it needs a
	// model linear in θ and a convex objective, takes no learning rate and
	// no minibatch, and stops when converged.
	SecondOrder bool
}

// Newton is the registry row of Newton's method.
var Newton = &Info{Name: "newton", SecondOrder: true,
	Doc: "full-batch damped Newton for the convex cases (poly, rbf): no learning rate, stops when converged"}

// All is the registry of optimizers, in the order the spec lists them. An
// optimizer's name is spelled here only.
var All = []*Info{
	{Name: "adam", Doc: "Adam (Kingma & Ba) with bias correction",
		New: func(n int, lr float64) Optimizer {
			return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, m: make([]float64, n), v: make([]float64, n)}
		}},
	{Name: "sgd", Doc: "plain gradient descent",
		New: func(_ int, lr float64) Optimizer { return &SGD{LR: lr} }},
	{Name: "momentum", Doc: "heavy-ball gradient descent, μ = 0.9",
		New: func(n int, lr float64) Optimizer { return &Momentum{LR: lr, Mu: 0.9, vel: make([]float64, n)} }},
	Newton,
}

// Names returns the optimizers' names in registry order.
func Names() []string {
	names := make([]string, len(All))
	for i, o := range All {
		names[i] = o.Name
	}
	return names
}

// Lookup returns the optimizer called name, or nil.
func Lookup(name string) *Info {
	for _, o := range All {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// SGD is plain gradient descent: θ ← θ − lr·g.
type SGD struct{ LR float64 }

// SetLR implements Optimizer.
func (o *SGD) SetLR(lr float64) { o.LR = lr }

// Step implements Optimizer.
func (o *SGD) Step(theta, grad []float64) {
	for i, g := range grad {
		theta[i] -= o.LR * g
	}
}

// Momentum is heavy-ball gradient descent: v ← μv + g, θ ← θ − lr·v.
type Momentum struct {
	LR, Mu float64
	vel    []float64
}

// SetLR implements Optimizer.
func (o *Momentum) SetLR(lr float64) { o.LR = lr }

// Step implements Optimizer.
func (o *Momentum) Step(theta, grad []float64) {
	for i, g := range grad {
		o.vel[i] = o.Mu*o.vel[i] + g
		theta[i] -= o.LR * o.vel[i]
	}
}

// Adam is Kingma & Ba's optimizer with bias correction.
type Adam struct {
	LR, Beta1, Beta2, Eps float64
	m, v                  []float64
	t                     int
	p1, p2                float64 // β₁ᵗ and β₂ᵗ, kept by product (no Pow: bit-identical everywhere)
}

// SetLR implements Optimizer.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// Step implements Optimizer.
func (o *Adam) Step(theta, grad []float64) {
	if o.t == 0 {
		o.p1, o.p2 = 1, 1
	}
	o.t++
	o.p1 *= o.Beta1
	o.p2 *= o.Beta2
	a := o.LR / (1 - o.p1)
	c2 := 1 / (1 - o.p2)
	for i, g := range grad {
		o.m[i] = o.Beta1*o.m[i] + (1-o.Beta1)*g
		o.v[i] = o.Beta2*o.v[i] + (1-o.Beta2)*g*g
		theta[i] -= a * o.m[i] / (math.Sqrt(o.v[i]*c2) + o.Eps)
	}
}

// A Schedule is one row of the registry Schedules (docs/spec.md#keys, key
// sched): how a first-order optimizer's learning rate changes over the
// spec's steps. Newton's method has no learning rate and no schedule.
type Schedule struct {
	Name string // the spec value of the sched key
	Doc  string
	// Factor returns the multiplier of lr for step t (0-based) of a run
	// of steps steps; nil means 1 throughout.
	Factor func(t, steps int) float64
}

// The schedules' rows.
var (
	// Const keeps lr: the behaviour of every spec written before the
	// sched key existed.
	Const = &Schedule{Name: "const", Doc: "constant learning rate"}
	// Cosine decays lr to 0 over the run, lr·½(1 + cos(π·t/steps)): the
	// minibatch noise that a constant step size keeps stirring into θ to
	// the end (a jitter of a few per cent in the mass) shrinks with the
	// step, so the run ends at rest near the optimum.
	Cosine = &Schedule{Name: "cosine", Doc: "cosine decay from lr to 0 over the steps",
		Factor: func(t, steps int) float64 {
			if steps <= 0 {
				return 1
			}
			// math.Cos is pure Go on every platform (no assembly), so it
			// is bit-identical natively and in wasm.
			return 0.5 * (1 + math.Cos(math.Pi*float64(min(t, steps))/float64(steps)))
		}}
)

// Schedules is the registry of learning-rate schedules, in the order the
// spec lists them; the first is the default. A schedule's name is spelled
// here only.
var Schedules = []*Schedule{Const, Cosine}

// ScheduleNames returns the schedules' names in registry order.
func ScheduleNames() []string {
	names := make([]string, len(Schedules))
	for i, s := range Schedules {
		names[i] = s.Name
	}
	return names
}

// LookupSchedule returns the schedule called name, or nil.
func LookupSchedule(name string) *Schedule {
	for _, s := range Schedules {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// LR returns the learning rate of step t (0-based) of a run of steps
// steps with base rate lr.
func (s *Schedule) LR(lr float64, t, steps int) float64 {
	if s.Factor == nil {
		return lr
	}
	return lr * s.Factor(t, steps)
}
