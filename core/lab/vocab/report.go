package vocab

import (
	"math"
	"time"

	"nceplay/core/objective"
)

// An Experiment is what the runner trains for a spec
// (docs/spec.md#lab-vocab): the run, and unless it is the softmax itself
// its full-softmax reference (obj=mle) on the same language and the same
// passes, each step timed. The timings are wall-clock and change nothing
// computed.
type Experiment struct {
	Run *Trainer
	// Softmax is the reference: Run itself for obj=mle.
	Softmax *Trainer

	runTime, softmaxTime time.Duration
}

// NewExperiment builds the language of s, the run and its reference.
func NewExperiment(s Spec) (*Experiment, error) {
	l, err := NewLanguage(s)
	if err != nil {
		return nil, err
	}
	run, err := NewOn(l, s)
	if err != nil {
		return nil, err
	}
	e := &Experiment{Run: run, Softmax: run}
	if s.Objective().DrawsNoise() {
		if e.Softmax, err = NewOn(l, s.Softmax()); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// Trainers returns the run and its reference (the same trainer for
// obj=mle): a host may measure them (a lab page's panels), never step them
// but through Step, which times them.
func (e *Experiment) Trainers() (run, softmax *Trainer) { return e.Run, e.Softmax }

// Done reports whether both runs are trained, or one diverged (a run
// that diverges leaves its reference untrained).
func (e *Experiment) Done() bool {
	return e.Run.Err() != nil || e.Softmax.Err() != nil || e.Run.Done() && e.Softmax.Done()
}

// Step trains n steps: of the run until it is done, then of the reference.
// Its only error is a divergence.
func (e *Experiment) Step(n int) error {
	t, d := e.Run, &e.runTime
	if t.Done() {
		t, d = e.Softmax, &e.softmaxTime
	}
	start := time.Now()
	err := t.Step(n)
	*d += time.Since(start)
	return err
}

// MSPerStep returns the run's and the reference's mean wall time per
// step, in milliseconds (NaN before a step).
func (e *Experiment) MSPerStep() (run, softmax float64) {
	run = perStep(e.runTime, e.Run.steps)
	if e.Softmax == e.Run {
		return run, run
	}
	return run, perStep(e.softmaxTime, e.Softmax.steps)
}

func perStep(d time.Duration, steps int) float64 {
	if steps == 0 {
		return math.NaN()
	}
	return d.Seconds() * 1000 / float64(steps)
}

// Report is the runner's JSON object for the lab (nceplay run --json
// 'lab=vocab&…'; docs/spec.md#lab-vocab). Numbers that are undefined or
// not finite are null. The fields in Timings are wall-clock, left out of
// the native/WebAssembly comparison.
type Report struct {
	Spec     string   `json:"spec"` // the canonical query
	Vocab    int      `json:"vocab"`
	Contexts int      `json:"contexts"`
	Pairs    int      `json:"pairs"`
	Passes   int      `json:"passes"`
	Steps    int      `json:"steps"` // the run's pair steps
	Loss     *float64 `json:"loss"`  // the run's running mean loss per pair
	// PPL, PPLSoftmax, PPLTrue and PPLUnigram are the exact held-out
	// perplexities of the run, of its softmax reference, of the true model
	// (the floor) and of the unigram q (a context-blind model). The
	// reference's fields are null unless it was trained: the run diverged
	// before it.
	PPL        *float64 `json:"ppl"`
	PPLSoftmax *float64 `json:"ppl_softmax"`
	PPLTrue    *float64 `json:"ppl_true"`
	PPLUnigram *float64 `json:"ppl_unigram"`
	// KL and KLSoftmax are the mean KL(p̃(·|ctx) ‖ p̂(·|ctx)) of the run
	// and of the reference.
	KL        *float64 `json:"kl"`
	KLSoftmax *float64 `json:"kl_softmax"`
	// LogZ… describe log Z(ctx) = log Σ_w exp s(w, ctx), the logits with
	// a_ctx, over the contexts: 0 for a self-normalized model.
	LogZMean *float64 `json:"logz_mean"`
	LogZSD   *float64 `json:"logz_sd"`
	LogZMin  *float64 `json:"logz_min"`
	LogZMax  *float64 `json:"logz_max"`
	// LogZSoftmaxMean and LogZSoftmaxSD describe the reference's log Z(ctx),
	// which nothing pins (a softmax ignores a constant per context).
	LogZSoftmaxMean *float64 `json:"logz_softmax_mean"`
	LogZSoftmaxSD   *float64 `json:"logz_softmax_sd"`
	// AMean and ASD describe the learned normalizers a_ctx (null where
	// they are held at 0: norm=fixed, rank, mle).
	AMean *float64 `json:"a_mean"`
	ASD   *float64 `json:"a_sd"`
	// LogZE12 is the mean over contexts of negative sampling's log Z at
	// its optimum, log Σ_w p̃(w|ctx)/q(w) − log k (docs/math.md#e12), and
	// LogZE12RMS the RMS difference of the measured log Z(ctx) from it;
	// null but for obj=neg.
	LogZE12    *float64 `json:"logz_e12"`
	LogZE12RMS *float64 `json:"logz_e12_rms"`
	// MSPerStep and MSPerStepSoftmax are the mean wall times of a step of
	// the run and of the reference; Speedup is their ratio. MS is the
	// whole run's wall time.
	MSPerStep        *float64 `json:"ms_per_step"`
	MSPerStepSoftmax *float64 `json:"ms_per_step_softmax"`
	Speedup          *float64 `json:"speedup"`
	MS               float64  `json:"ms"`
	Error            string   `json:"error,omitempty"`
}

// Timings are the Report's wall-clock fields.
var Timings = []string{"ms_per_step", "ms_per_step_softmax", "speedup", "ms"}

// Report measures both runs (Metrics) and reports them; ms is the wall
// time of the whole run.
func (e *Experiment) Report(ms float64) Report {
	s := e.Run.Spec()
	m := e.Run.Metrics()
	ref := m
	trained := e.Softmax.Done() // the reference is reported once it is trained
	if e.Softmax != e.Run && trained {
		ref = e.Softmax.Metrics()
	}
	r := Report{Spec: s.Query(), Vocab: s.Vocab, Contexts: s.Contexts, Pairs: s.Pairs, Passes: s.Passes,
		Steps: e.Run.steps, Loss: num(e.Run.Progress().Loss),
		PPL: num(m.PPL), PPLTrue: num(m.PPLTrue), PPLUnigram: num(m.PPLUnigram), KL: num(m.KL),
		LogZMean: num(m.LogZMean), LogZSD: num(m.LogZSD), LogZMin: num(m.LogZMin), LogZMax: num(m.LogZMax),
		AMean: num(m.AMean), ASD: num(m.ASD), MS: math.Round(ms*1000) / 1000}
	if s.Objective() == objective.Neg {
		r.LogZE12, r.LogZE12RMS = num(m.NegOptimumMean), num(m.LogZErrorRMS)
	}
	run, soft := e.MSPerStep()
	r.MSPerStep = num(run)
	if trained {
		r.PPLSoftmax, r.KLSoftmax = num(ref.PPL), num(ref.KL)
		r.LogZSoftmaxMean, r.LogZSoftmaxSD = num(ref.LogZMean), num(ref.LogZSD)
		r.MSPerStepSoftmax, r.Speedup = num(soft), num(soft/run)
	}
	for _, err := range []error{e.Run.Err(), e.Softmax.Err()} {
		if err != nil {
			r.Error = err.Error()
			break
		}
	}
	return r
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
