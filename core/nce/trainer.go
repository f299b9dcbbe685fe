// Package nce trains the energy models of package model with the
// objectives of docs/math.md (nce, cls, neg, rank, mle) and measures them
// exactly by quadrature (docs/math.md#metrics). A Trainer is built from a spec.Spec
// and advances incrementally, so that a UI can run it in slices; the same
// spec gives the same numbers on every platform.
package nce

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// NumShards is the number of fixed shards a minibatch is split into. Each
// shard draws its own data indices and noise from its own random stream and
// computes its own gradient; the step sums the shard gradients in shard
// order. A browser can therefore run the shards on two workers and still
// get bit-identical numbers (docs/architecture.md#determinism: reduce in one canonical order).
const NumShards = 2

// lossWindow is how many recent minibatch losses Metrics.Loss averages.
const lossWindow = 50

// Random streams derived from the seed (PCG stream ids).
const (
	streamData = 1 + iota
	streamInit
	streamHeldOut
	streamNewtonNoise
	streamShard0 = 100
)

// Held-out set sizes for the accuracy metrics (docs/math.md#metrics).
const (
	heldOutData  = 4000
	heldOutNoise = 4000
)

// MaxLoss is the largest minibatch loss a step may report. The losses are
// in nats per data point: a fresh model scores about (1+k)·log 2, a good one
// less. A loss above 1e8 means logits of order 1e8 — a density ratio of
// e^(1e8), which no data can support; it happens only when the step size
// has made the parameters explode (sgd at lr 10 on a degree-8 poly with
// wide noise, say), and every
// metric computed from such a state is meaningless. So it counts as
// divergence, like a NaN or infinite loss (docs/spec.md#rules).
const MaxLoss = 1e8

// A Trainer fits one experiment. It is not safe for concurrent use.
type Trainer struct {
	spec   spec.Spec
	obj    *objective.Objective
	target density.Target
	noise  density.Noise
	// noiseFit describes the fitted noise (Metrics.NoiseFit).
	noiseFit string
	model    model.Model
	dim      int
	np       int       // number of model parameters
	theta    []float64 // model parameters, then the scalar c (nce) or γ (cls)
	learnC   bool      // whether theta[np] is trained
	ridge    float64   // ρ of the ridge ρ/2·|θ|² on the model's parameters (not c); see addRidge
	logK     float64
	data     []float64
	// heldOut is a data target's held-out points (docs/math.md#no-truth),
	// nil for a target with a density.
	heldOut []float64

	opt    optim.Optimizer
	newton *newton
	shards [NumShards]shard
	grad   []float64
	prev   []float64 // θ before the last step, restored on divergence
	mle    *mleTerm

	step    int
	err     error
	stop    stopReason // why a Newton run stopped before its steps
	losses  [lossWindow]float64
	nLosses int
	sched   *optim.Schedule // first-order: the learning-rate schedule
	lr      float64         // the learning rate of the last step
	// gradNorm is ‖∇J‖ of the last step's loss: the minibatch's for the
	// first-order optimizers; for Newton see newtonAt.
	gradNorm float64
	// at is Newton's loss, gradient norm and misclassified count at the
	// current θ (full batch), computed on demand for Metrics; atStep is
	// the step it belongs to (−1: none).
	at     newtonState
	atStep int

	metrics   *metricCache
	metricRes int   // quadrature cells per axis; 0: MetricRes1D or MetricRes2D
	lastGrid  *Grid // the training-independent part of the last grid asked for
	eval      Evaluator
}

// shard is one fixed share of the minibatch with its own stream and
// buffers (see NumShards).
type shard struct {
	rng    *rand.Rand
	b      int       // data points per step
	xs     []float64 // b data points, then k·b noise points
	logU   []float64
	g, dg  []float64
	grad   []float64
	scores []float64
	tape   model.Tape
	drawn  bool // xs (and logU) hold the next step's points already (DrawShard)
}

// A stopReason says why a trainer stopped before its spec's steps.
type stopReason int

const (
	stopNone      stopReason = iota
	stopConverged            // Newton: converged (newtonTol)
	stopSeparable            // Newton: the logits separate data from noise; no optimum exists
	stopStalled              // Newton: the line search could not lower the loss
)

// newtonState is Newton's full-batch state at one θ.
type newtonState struct {
	loss, gradNorm float64
	wrong          int
}

// DivergedError reports that a step produced a non-finite loss or
// parameter. The trainer keeps the last finite state (docs/spec.md#rules).
type DivergedError struct {
	Step   int     // the step that diverged (the state is that of Step−1)
	What   string  // "loss" or "parameters"
	LR     float64 // the learning rate of that step, for the message; NaN for Newton, which has none
	Reason string
}

// Error implements error.
func (e *DivergedError) Error() string {
	if math.IsNaN(e.LR) {
		return fmt.Sprintf("nce: training diverged at step %d (%s became %s); the last finite state is kept — Newton's method takes no learning rate: try a first-order optimizer, or reset", e.Step, e.What, e.Reason)
	}
	return fmt.Sprintf("nce: training diverged at step %d (%s became %s); the last finite state is kept — lower lr (now %g) or reset", e.Step, e.What, e.Reason, e.LR)
}

// New builds the trainer for s: it draws the data set, fits the noise,
// builds and initializes the model. It fails if s is invalid or the noise
// cannot cover the target (docs/math.md#noise).
func New(s spec.Spec) (*Trainer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if s.IsData() {
		if s.Data == "" {
			n, _ := spec.DataFileSize(s.DataFile)
			return nil, &NeedsFileError{ID: s.DataFile, N: n}
		}
		return nil, fmt.Errorf("nce: target=%s: its data key is decoded by core/dataset (dataset.NewTrainer)", s.Target)
	}
	return build(s, nil)
}

// NeedsFileError says that a spec's data set travels as a file
// (docs/spec.md#data-file) which was not supplied: NewWithData builds it.
type NeedsFileError struct {
	ID string // the datafile key's value
	N  int    // the points the file holds
}

// Error implements error.
func (e *NeedsFileError) Error() string {
	return fmt.Sprintf("this experiment needs data file %s (%d points): supply it (the page asks for it; nceplay run or gif --data FILE.csv)", e.ID, e.N)
}

// NewWithData builds the trainer of a data target whose points are given
// (n·Dim values in the data box; docs/spec.md#data): those its data key
// decodes to, or those of its data file. It does not check that they are
// the ones the spec names: dataset.NewTrainer, which decodes the data key
// and checks a file's ID, does.
func NewWithData(s spec.Spec, pts []float64) (*Trainer, error) {
	if !s.IsData() {
		return nil, fmt.Errorf("data: target %s is not a data target (%s)", s.Target, dataTargetNames())
	}
	if err := density.CheckData(pts, s.Dim()); err != nil {
		return nil, err
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return build(s, pts)
}

// dataTargetNames lists the data targets for messages.
func dataTargetNames() string {
	var names []string
	for _, t := range density.DataTargets {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// build builds the trainer of a valid spec: for a data target with its
// points pts, split into the training set and the held-out fifth.
func build(s spec.Spec, pts []float64) (*Trainer, error) {
	obj := s.Objective()
	var target density.Target
	var heldOut []float64
	var err error
	if s.IsData() {
		var train []float64
		train, heldOut = split(pts, s.Dim(), s.Seed)
		target = density.Empirical{D: s.Dim(), Pts: train}
		s.N = len(train) / s.Dim() // irrelevant to a data target's spec: not in its query
	} else if target, err = density.NewTarget(s.Target); err != nil {
		return nil, err
	}
	t := &Trainer{spec: s, obj: obj, target: target, dim: target.Dim(), logK: fmath.Log(float64(s.K)), heldOut: heldOut}
	seed := s.Seed

	if e, ok := target.(density.Empirical); ok {
		t.data = e.Pts
	} else {
		// The data set: n points from p̃.
		t.data = make([]float64, s.N*t.dim)
		dr := rand.New(rand.NewPCG(seed, streamData))
		for i := range s.N {
			target.Sample(dr, t.data[i*t.dim:(i+1)*t.dim])
		}
	}
	t.noise, err = density.FitNoise(s.Noise, t.data, t.dim, s.NoiseParams(), target.Box())
	if err != nil {
		return nil, err
	}
	t.noiseFit = fmt.Sprint(t.noise)

	t.model = s.ModelInfo().New(s.Shape(), target.Box())
	t.np = t.model.NumParams()
	t.theta = make([]float64, t.np+1)
	t.model.Init(rand.New(rand.NewPCG(seed, streamInit)), t.theta[:t.np])
	t.learnC = obj.Scalar && s.Norm == spec.NormLearn
	if sd := s.ModelInfo().PriorSD; sd > 0 {
		t.ridge = 1 / (float64(s.N) * sd * sd)
	}
	t.grad = make([]float64, t.np+1)
	t.prev = make([]float64, t.np+1)
	t.atStep = -1
	t.lr = math.NaN()

	if opt := s.Optimizer(); opt.SecondOrder {
		lin, ok := t.model.(model.Linear)
		if !ok || !obj.Convex {
			return nil, fmt.Errorf("nce: opt=%s needs a model linear in θ and a convex objective", opt.Name)
		}
		t.newton = newNewton(t, lin)
	} else {
		t.opt = opt.New(t.np+1, s.LR)
		t.sched = s.Schedule()
		t.lr = s.LR
		t.initShards()
	}
	if obj.ExactLogZ {
		t.mle = newMLETerm(t)
	}
	return t, nil
}

// initShards splits the batch into NumShards fixed shares (the first ones
// get the remainder) and allocates every buffer a step needs.
func (t *Trainer) initShards() {
	k := t.spec.K
	if !t.obj.DrawsNoise() {
		k = 0 // maximum likelihood draws no noise
	}
	for s := range t.shards {
		sh := &t.shards[s]
		sh.b = t.spec.Batch / NumShards
		if s < t.spec.Batch%NumShards {
			sh.b++
		}
		pts := sh.b * (1 + k)
		sh.rng = rand.New(rand.NewPCG(t.spec.Seed, streamShard0+uint64(s)))
		sh.xs = make([]float64, pts*t.dim)
		sh.logU = make([]float64, pts)
		sh.g = make([]float64, pts)
		sh.dg = make([]float64, pts)
		sh.grad = make([]float64, t.np+1)
		sh.scores = make([]float64, k+1)
		sh.tape = t.model.NewTape(max(pts, 1))
	}
}

// Spec returns the experiment's spec.
func (t *Trainer) Spec() spec.Spec { return t.spec }

// StepCount returns the number of steps taken: for a Newton run that
// stopped early (Done), the steps it actually took.
func (t *Trainer) StepCount() int { return t.step }

// Done reports whether training is over: the spec's steps are taken,
// training diverged (Err), or Newton's method stopped by itself — because
// it converged (Converged), because its logits separate the data from the
// noise (no optimum exists, docs/math.md#separable), or because its line
// search could lower the loss no further. A UI stops when Done.
func (t *Trainer) Done() bool {
	return t.err != nil || t.stop != stopNone || t.step >= t.spec.Steps
}

// Converged reports whether Newton's method reached its tolerance
// (newtonTol); always false for the first-order optimizers, which have
// no convergence test.
func (t *Trainer) Converged() bool { return t.stop == stopConverged }

// Err returns the error that stopped training (a *DivergedError), or nil.
func (t *Trainer) Err() error { return t.err }

// Theta returns a copy of the model parameters (without c).
func (t *Trainer) Theta() []float64 { return append([]float64(nil), t.theta[:t.np]...) }

// Target returns the data distribution p̃.
func (t *Trainer) Target() density.Target { return t.target }

// Data returns the data set (n·Dim values; read-only).
func (t *Trainer) Data() []float64 { return t.data }

// Step advances training by up to n steps. It stops early, keeping the last
// finite state, and returns a *DivergedError if a step diverges; once
// diverged it returns that error without stepping. A Newton run also
// stops early, without error, once it has stopped by itself (see Done);
// StepCount tells the steps taken.
func (t *Trainer) Step(n int) error {
	for range n {
		if t.err != nil {
			return t.err
		}
		if t.stop != stopNone {
			return nil
		}
		if t.newton != nil {
			t.newtonStep()
			continue
		}
		for s := range t.shards {
			t.draw(&t.shards[s])
		}
		t.apply(t.evaluate())
	}
	return t.err
}

// ShardGradient draws shard s's share of the next minibatch from the
// shard's own stream and returns its summed loss and gradient (a view into
// the trainer, valid until the next call for that shard). With
// ApplyShards, it lets two replicas of one trainer split a step: each
// computes its own shard, they exchange gradients, and both apply the same
// sum, so they stay bit-identical with each other and with Step (NumShards).
// A replica that computes only its own shard must never call Step.
// Newton's method is full-batch and cannot be split: ShardGradient panics
// for opt=newton.
func (t *Trainer) ShardGradient(s int) (loss float64, grad []float64) {
	if t.newton != nil {
		panic("nce: ShardGradient with opt=newton")
	}
	sh := &t.shards[s]
	t.draw(sh)
	return t.shardGradient(sh), sh.grad
}

// GradLen returns the length of a shard's gradient (ShardGradient's grad):
// the model's parameters and the scalar c (or γ).
func (t *Trainer) GradLen() int { return len(t.grad) }

// DrawShard draws shard s's share of the next minibatch now, from the
// shard's own stream, unless it is drawn already; the next step (Step or
// ShardGradient) uses it. The draws do not depend on θ, so a worker can
// draw the next step's points while it waits for the other's gradient
// (docs/architecture.md#workers) and the run stays bit-identical.
func (t *Trainer) DrawShard(s int) {
	if t.newton != nil {
		return
	}
	sh := &t.shards[s]
	if !sh.drawn {
		t.sample(sh)
		sh.drawn = true
	}
}

// draw makes sure shard sh holds the next step's points and marks them
// used.
func (t *Trainer) draw(sh *shard) {
	if !sh.drawn {
		t.sample(sh)
	}
	sh.drawn = false
}

// ApplyShards finishes a step from the shards' losses and gradients (in
// shard order, as returned by ShardGradient, possibly by another replica):
// it sums them in shard order, divides by the batch size, adds the
// maximum-likelihood term if any, and applies the optimizer. It returns the
// *DivergedError if the step diverged.
func (t *Trainer) ApplyShards(losses [NumShards]float64, grads [NumShards][]float64) error {
	if t.err != nil {
		return t.err
	}
	t.apply(t.reduce(losses, grads))
	return t.err
}

// newtonStep takes one step of Newton's method, or stops the run: when
// the logits at θ separate the data from the noise set (then no optimum
// exists and every further step would only scale θ up), or when the line
// search stalls. A converging step is taken and then stops the run.
func (t *Trainer) newtonStep() {
	nw := t.newton
	loss := nw.gradient(t)
	if !(loss <= MaxLoss) || !finite(t.grad) {
		t.fail("loss", loss)
		return
	}
	t.gradNorm = norm2(t.grad)
	if nw.wrong == 0 {
		t.stop = stopSeparable
		return
	}
	copy(t.prev, t.theta)
	outcome, err := nw.step(t)
	if err != nil {
		t.fail("parameters", math.NaN())
		return
	}
	if outcome == newtonStalled {
		t.stop = stopStalled
		return
	}
	if t.commit(loss) && outcome == newtonConverged {
		t.stop = stopConverged
	}
}

// apply takes one optimizer step from the loss and t.grad, or records the
// divergence and keeps the last finite state.
func (t *Trainer) apply(loss float64) {
	if !(loss <= MaxLoss) || !finite(t.grad) { // NaN fails every comparison
		t.fail("loss", loss)
		return
	}
	t.gradNorm = norm2(t.grad)
	copy(t.prev, t.theta)
	if t.sched.Factor != nil {
		t.lr = t.sched.LR(t.spec.LR, t.step, t.spec.Steps)
		t.opt.SetLR(t.lr)
	}
	t.opt.Step(t.theta, t.grad)
	t.commit(loss)
}

// commit finishes a step whose update is in θ: it holds a fixed c at 0,
// checks θ (restoring the previous θ and recording the divergence if it is
// not finite), records the loss and counts the step. It reports whether
// the step counted.
func (t *Trainer) commit(loss float64) bool {
	if !t.learnC {
		t.theta[t.np] = 0
	}
	if !finite(t.theta) {
		copy(t.theta, t.prev)
		t.fail("parameters", math.Inf(1))
		return false
	}
	t.losses[t.step%lossWindow] = loss
	t.nLosses = min(t.nLosses+1, lossWindow)
	t.step++
	return true
}

func (t *Trainer) fail(what string, v float64) {
	reason := "NaN"
	switch {
	case math.IsInf(v, 0):
		reason = "infinite"
	case v > MaxLoss:
		reason = fmt.Sprintf("%.3g, above %g", v, MaxLoss)
	}
	t.err = &DivergedError{Step: t.step + 1, What: what, LR: t.lr, Reason: reason}
}

// evaluate computes the loss of the minibatch the shards hold and its
// gradient into t.grad.
func (t *Trainer) evaluate() float64 {
	var losses [NumShards]float64
	var grads [NumShards][]float64
	for s := range t.shards {
		losses[s] = t.shardGradient(&t.shards[s])
		grads[s] = t.shards[s].grad
	}
	return t.reduce(losses, grads)
}

// reduce sums the shards' losses and gradients in shard order into t.grad,
// divides by the batch size and adds the maximum-likelihood term.
func (t *Trainer) reduce(losses [NumShards]float64, grads [NumShards][]float64) float64 {
	clear(t.grad)
	loss := 0.0
	for s := range grads {
		loss += losses[s]
		for i, g := range grads[s] {
			t.grad[i] += g
		}
	}
	inv := 1 / float64(t.spec.Batch)
	for i := range t.grad {
		t.grad[i] *= inv
	}
	loss *= inv
	if t.mle != nil {
		loss += t.mle.addGradient(t)
	}
	return t.addRidge(loss, t.grad, nil, 0)
}

// addRidge adds the model's ridge ρ/2·|θ|² (θ without c) to a loss, ρθ
// to its gradient grad (if not nil) and ρ to the diagonal of its q×q
// Hessian hess (if not nil), and returns the loss. ρ is 0 but for models
// with directions the data do not determine (model.Info.Ridge).
func (t *Trainer) addRidge(loss float64, grad, hess []float64, q int) float64 {
	if t.ridge == 0 {
		return loss
	}
	r := t.ridge
	sq := 0.0
	for a, th := range t.theta[:t.np] {
		sq += th * th
		if grad != nil {
			grad[a] += r * th
		}
		if hess != nil {
			hess[a*q+a] += r
		}
	}
	return loss + 0.5*r*sq
}

// sample draws the shard's minibatch from its own stream: b data points
// (uniformly, with replacement) and k·b noise points with their log U.
func (t *Trainer) sample(sh *shard) {
	if sh.b == 0 {
		return
	}
	d := t.dim
	n := t.spec.N
	for i := range sh.b {
		j := sh.rng.IntN(n)
		copy(sh.xs[i*d:(i+1)*d], t.data[j*d:(j+1)*d])
	}
	if t.obj.DrawsNoise() {
		t.noise.Sample(sh.rng, sh.xs[sh.b*d:])
		if t.obj.LogitHasNoise {
			t.noise.LogProb(sh.xs, sh.logU)
		}
	}
}

// shardGradient runs the model forward over the shard's points, the
// objective, and the model backward; it leaves the shard's summed gradient
// in sh.grad and returns its summed loss.
func (t *Trainer) shardGradient(sh *shard) float64 {
	clear(sh.grad)
	if sh.b == 0 {
		return 0
	}
	nd := sh.b
	sh.tape.Forward(t.theta, sh.xs, sh.g)
	var loss, dc float64
	switch t.obj.Kernel {
	case objective.Binary:
		loss, dc = t.obj.BinaryLoss(nd, t.theta[t.np], t.logK, sh.g, sh.logU, sh.dg)
	case objective.Ranking:
		loss = objective.RankLoss(nd, t.spec.K, sh.g, sh.logU, sh.dg, sh.scores)
	case objective.Likelihood:
		// −log p(x) = −G(x) + log Z: the data part here, log Z in t.mle.
		for i, g := range sh.g {
			loss -= g
			sh.dg[i] = -1
		}
	}
	sh.tape.Backward(t.theta, sh.dg, sh.grad[:t.np])
	if t.learnC {
		sh.grad[t.np] = dc
	}
	return loss
}

// norm2 returns the Euclidean norm of v.
func norm2(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(s)
}

func finite(v []float64) bool {
	for _, x := range v {
		if x-x != 0 { // NaN or ±Inf
			return false
		}
	}
	return true
}

// newtonAt returns Newton's full-batch loss, gradient norm and
// misclassified count at the current θ, computing them (without the
// Hessian) once per step.
func (t *Trainer) newtonAt() newtonState {
	if t.atStep != t.step {
		loss := t.newton.derivatives(t, false)
		t.at = newtonState{loss: loss, gradNorm: norm2(t.grad), wrong: t.newton.wrong}
		t.atStep = t.step
	}
	return t.at
}

// split divides a data set into its training points and the held-out
// fifth (density.HeldOut; docs/math.md#no-truth), chosen by a permutation
// drawn from the seed's held-out stream; both keep the data's order.
func split(pts []float64, dim int, seed uint64) (train, heldOut []float64) {
	n := len(pts) / dim
	perm := rand.New(rand.NewPCG(seed, streamHeldOut)).Perm(n)
	out := make([]bool, n)
	for _, i := range perm[:density.HeldOut(n)] {
		out[i] = true
	}
	for i := range n {
		p := pts[i*dim : (i+1)*dim]
		if out[i] {
			heldOut = append(heldOut, p...)
		} else {
			train = append(train, p...)
		}
	}
	return train, heldOut
}
