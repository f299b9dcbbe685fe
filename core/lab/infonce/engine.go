package infonce

import (
	"fmt"
	"math"
	"math/rand/v2"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/optim"
)

// Random streams derived from the seed (PCG stream ids).
const (
	streamTrain = 1 + iota
	streamInit
	streamEval
)

const (
	// EvalPositives is the size of the fixed evaluation set: that many
	// positive pairs, in batches of k+1 (rounded up to whole batches),
	// drawn once from the seed.
	EvalPositives = 8192
	// Window is how many recent training batches Metrics averages.
	Window = 100
)

// An Engine trains one critic. It is not safe for concurrent use; two
// engines are independent.
type Engine struct {
	s      Spec
	c      critic
	theta  []float64
	prev   []float64
	grad   []float64
	opt    optim.Optimizer
	rng    *rand.Rand
	b      int     // pairs per batch, k+1
	logB   float64 // log(k+1), the ceiling of the bound
	sd     float64 // √(1−ρ²)
	z      []float64
	x, y   []float64
	f, df  []float64
	step   int
	err    error
	hist   [Window]float64 // recent batches' mean J
	nhist  int
	evalXY []float64 // the evaluation set: batches of b pairs, x then y per batch
	evalN  int       // its positives (EvalPositives; tests may ask for more)
	opt0   *Estimate // the best critic's estimate on it, computed once
}

// New builds the engine for s: it validates s, builds and initializes the
// critic, and prepares the buffers of a step.
func New(s Spec) (*Engine, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	info := s.critic()
	c := info.new(&s)
	b := s.K + 1
	e := &Engine{s: s, c: c, b: b, logB: fmath.Log(float64(b)), sd: math.Sqrt((1 - s.Rho) * (1 + s.Rho)),
		rng: rand.New(rand.NewPCG(s.Seed, streamTrain)),
		z:   make([]float64, 2*b), x: make([]float64, b), y: make([]float64, b),
		f: make([]float64, b*b), df: make([]float64, b*b), evalN: EvalPositives}
	np := c.numParams()
	e.theta, e.prev, e.grad = make([]float64, np), make([]float64, np), make([]float64, np)
	c.init(rand.New(rand.NewPCG(s.Seed, streamInit)), e.theta)
	o := optim.Lookup(s.Opt)
	if o == nil || o.New == nil {
		return nil, fmt.Errorf("infonce: opt=%s cannot train a critic", s.Opt)
	}
	e.opt = o.New(np, s.LR)
	return e, nil
}

// Spec returns the experiment.
func (e *Engine) Spec() Spec { return e.s }

// StepCount returns the steps taken.
func (e *Engine) StepCount() int { return e.step }

// Done reports whether the spec's steps are taken or training diverged.
func (e *Engine) Done() bool { return e.err != nil || e.step >= e.s.Steps }

// Err returns the divergence that stopped training, or nil.
func (e *Engine) Err() error { return e.err }

// pairs draws b pairs: x ~ N(0, 1), y = ρx + √(1−ρ²)·ε.
func (e *Engine) pairs(r *rand.Rand, x, y []float64) {
	z := e.z[:2*len(x)]
	density.FillNormal(r, z)
	rho, sd := e.s.Rho, e.sd
	for i := range x {
		x[i] = z[2*i]
		y[i] = rho*x[i] + sd*z[2*i+1]
	}
}

// rankLoss computes the batch's InfoNCE loss (docs/math.md#e7 with the
// critic's scores): for each row i of the b×b scores, −f_ii + log Σ_j
// exp(f_ij), the cross-entropy of picking y_i among the batch's y for x_i.
// It returns the mean over rows and writes its gradient ∂/∂f_ij =
// (softmax_ij − [i = j])/b into df.
func rankLoss(f, df []float64, b int) float64 {
	inv := 1 / float64(b)
	sum := 0.0
	for i := range b {
		row, drow := f[i*b:(i+1)*b], df[i*b:(i+1)*b]
		top := math.Inf(-1)
		for _, v := range row {
			if v > top {
				top = v
			}
		}
		s := 0.0
		for j, v := range row {
			ev := fmath.Exp(v - top)
			drow[j] = ev
			s += ev
		}
		sum += top + fmath.Log(s) - row[i]
		r := inv / s
		for j := range drow {
			drow[j] *= r
		}
		drow[i] -= inv
	}
	return sum * inv
}

// rankJ is rankLoss without the gradient.
func rankJ(f []float64, b int) float64 {
	sum := 0.0
	for i := range b {
		row := f[i*b : (i+1)*b]
		sum += fmath.LogSumExp(row) - row[i]
	}
	return sum / float64(b)
}

// Step trains up to n steps, each on a fresh batch of k+1 pairs, never
// past the spec's steps. It stops early and returns an error if a loss or
// parameter is not finite, keeping the last finite critic.
func (e *Engine) Step(n int) error {
	for range n {
		if e.err != nil {
			return e.err
		}
		if e.step >= e.s.Steps {
			return nil
		}
		e.pairs(e.rng, e.x, e.y)
		e.c.forward(e.theta, e.x, e.y, e.f)
		j := rankLoss(e.f, e.df, e.b)
		clear(e.grad)
		e.c.backward(e.theta, e.df, e.grad)
		if j-j != 0 || !finite(e.grad) {
			e.err = fmt.Errorf("infonce: training diverged at step %d (the loss or its gradient became %g); the last finite critic is kept — lower lr (now %g)", e.step+1, j, e.s.LR)
			return e.err
		}
		copy(e.prev, e.theta)
		e.opt.Step(e.theta, e.grad)
		if !finite(e.theta) {
			copy(e.theta, e.prev)
			e.err = fmt.Errorf("infonce: training diverged at step %d (a parameter became infinite); the last finite critic is kept — lower lr (now %g)", e.step+1, e.s.LR)
			return e.err
		}
		e.hist[e.step%Window] = j
		e.nhist = min(e.nhist+1, Window)
		e.step++
	}
	return nil
}

// Metrics are what the lab's chart follows while training.
type Metrics struct {
	Step int
	// Loss is J, the mean ranking loss of the last (up to Window)
	// training batches; NaN before the first step.
	Loss float64
	// Estimate is log(k+1) − Loss, the bound of docs/math.md#e10 on the
	// recent training batches (each batch is fresh, so this is an honest
	// running estimate of the current critic's bound).
	Estimate float64
	// True is the mutual information −½ log(1 − ρ²) (docs/math.md#e11);
	// Bound is log(k+1), which no estimate can pass.
	True, Bound float64
}

// Metrics returns the running metrics; they cost nothing.
func (e *Engine) Metrics() Metrics {
	m := Metrics{Step: e.step, Loss: math.NaN(), True: e.s.MITrue(), Bound: e.logB}
	if e.nhist > 0 {
		s := 0.0
		for _, v := range e.hist[:e.nhist] {
			s += v
		}
		m.Loss = s / float64(e.nhist)
	}
	m.Estimate = e.logB - m.Loss
	return m
}

// An Estimate is log(k+1) − J on the evaluation set, with its standard
// error over the set's batches.
type Estimate struct {
	Value, SE float64
}

// evalBatches is the number of batches of the evaluation set.
func (e *Engine) evalBatches() int { return (e.evalN + e.b - 1) / e.b }

// evalSet returns the fixed evaluation set, drawing it on first use.
func (e *Engine) evalSet() []float64 {
	if e.evalXY == nil {
		nb, b := e.evalBatches(), e.b
		e.evalXY = make([]float64, 2*b*nb)
		r := rand.New(rand.NewPCG(e.s.Seed, streamEval))
		for k := range nb {
			e.pairs(r, e.evalXY[2*b*k:2*b*k+b], e.evalXY[2*b*k+b:2*b*(k+1)])
		}
	}
	return e.evalXY
}

// Evaluate returns the current critic's bound on the fixed evaluation set
// (EvalPositives positives), with its standard error across the set's
// batches. It costs EvalPositives·(k+1) critic evaluations.
func (e *Engine) Evaluate() Estimate {
	xy := e.evalSet()
	b := e.b
	return e.estimate(func(k int, f []float64) {
		e.c.forward(e.theta, xy[2*b*k:2*b*k+b], xy[2*b*k+b:2*b*(k+1)], f)
	})
}

// Optimal returns the bound of the best critic, the true log-ratio
// log p(y|x)/p(y) (up to a function of x, which the softmax ignores;
// docs/math.md#e11), on the same evaluation set: J ≥ H(I | x, y₀…y_k)
// for every critic (docs/math.md#e10, step 1), so no critic's expected
// estimate passes it, and its gap to the true information is the price
// of k alone.
func (e *Engine) Optimal() Estimate {
	if e.opt0 != nil {
		return *e.opt0
	}
	xy := e.evalSet()
	b := e.b
	rho, v := e.s.Rho, (1-e.s.Rho)*(1+e.s.Rho)
	est := e.estimate(func(k int, f []float64) {
		x, y := xy[2*b*k:2*b*k+b], xy[2*b*k+b:2*b*(k+1)]
		for i, xi := range x {
			row := f[i*b : (i+1)*b]
			for j, yj := range y {
				d := yj - rho*xi
				row[j] = -d*d/(2*v) + yj*yj/2
			}
		}
	})
	e.opt0 = &est
	return est
}

// estimate averages log(k+1) − J over the evaluation batches, scored by
// score(batch, f).
func (e *Engine) estimate(score func(k int, f []float64)) Estimate {
	nb := e.evalBatches()
	s, s2 := 0.0, 0.0
	for k := range nb {
		score(k, e.f)
		v := e.logB - rankJ(e.f, e.b)
		s += v
		s2 += v * v
	}
	mean := s / float64(nb)
	se := math.NaN()
	if nb > 1 {
		se = math.Sqrt(math.Max(s2/float64(nb)-mean*mean, 0) / float64(nb-1))
	}
	return Estimate{Value: mean, SE: se}
}

func finite(v []float64) bool {
	for _, x := range v {
		if x-x != 0 {
			return false
		}
	}
	return true
}

// Report is the runner's output for the lab (docs/spec.md#lab-infonce):
// numbers that are not finite are null.
type Report struct {
	Spec  string   `json:"spec"`
	Steps int      `json:"steps"`
	Loss  *float64 `json:"loss"`
	// MIEst is log(k+1) − J of the trained critic on the evaluation set,
	// MIEstSE its standard error.
	MIEst   *float64 `json:"mi_est"`
	MIEstSE *float64 `json:"mi_est_se"`
	MITrue  float64  `json:"mi_true"`
	MIBound float64  `json:"mi_bound"`
	// MIOpt is the best critic's estimate on the same set.
	MIOpt *float64 `json:"mi_opt"`
	MS    float64  `json:"ms"`
	Error string   `json:"error,omitempty"`
}

// NewReport evaluates the engine's current critic; ms is the wall time.
func NewReport(e *Engine, ms float64) Report {
	m := e.Metrics()
	ev, op := e.Evaluate(), e.Optimal()
	r := Report{Spec: e.s.Query(), Steps: e.step, Loss: num(m.Loss), MIEst: num(ev.Value), MIEstSE: num(ev.SE),
		MITrue: m.True, MIBound: m.Bound, MIOpt: num(op.Value), MS: math.Round(ms*1000) / 1000}
	if e.err != nil {
		r.Error = e.err.Error()
	}
	return r
}

func num(x float64) *float64 {
	if x-x != 0 {
		return nil
	}
	return &x
}
