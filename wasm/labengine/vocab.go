package labengine

import (
	"math"
	"slices"
	"strconv"
	"time"

	"nceplay/core/lab"
	"nceplay/core/lab/vocab"
	"nceplay/core/objective"
	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// The large-vocabulary lab's page (labview.VocabData). Beside the runner's
// experiment (the run and its softmax reference, whose report the page
// shows) the worker trains NCE at other k on the same language, and times
// a step at several V with the engine's probe (vocab.Probe). That work
// comes after the run and before the softmax reference, which takes
// longest; none of it touches the run's or the reference's numbers.

// VocabWarmRounds rounds of VocabWarmTime each train throwaway probes of
// the run's spec and of the softmax (at V ≤ 1000) before the run: the
// browser compiles a wasm function
// with its optimizing tier only after it has run a while, and the run,
// the first to train, would otherwise be timed partly in unoptimized
// code (its ms per step many times the probe's at the same V).
const (
	VocabWarmRounds = 10
	VocabWarmTime   = 30 * time.Millisecond
)

// VocabKs are the k of the NCE curves: the run's own and these, with the
// run's norm, each only if k + 1 ≤ V/4 (so that the extra runs cost at
// most as much as the softmax reference).
var VocabKs = []int{5, 25, 100}

// VocabEvalWork caps the multiply-adds of one point of a curve
// (contexts × V × (dim + rank)): its perplexity is taken over the first
// contexts that fit (all of them when they do), tens of milliseconds.
const VocabEvalWork = 1 << 26

// VocabPoints is how many points a curve has: after 1/2⁹, 1/2⁸, …, 1 of
// its steps (even on a log time axis).
const VocabPoints = 10

// Probe timing: VocabProbeRounds rounds per V, each one slice of about
// VocabProbeWork multiply-adds per objective; the fastest round of each.
// The fastest, not the median (make bench-vocab's): in a browser on a busy
// machine other work only ever adds time to a slice, and often does.
const (
	VocabProbeRounds = 7
	VocabProbeWork   = 1 << 21
)

func init() {
	WrapFor[vocab.Name] = wrapVocab
	PanelsFor[vocab.Name] = newVocabPanels
}

// vocabExperiment is what the page reads of the runner's run (the
// vocab.Experiment's methods, which the registry's run promotes).
type vocabExperiment interface {
	lab.Run
	Trainers() (run, softmax *vocab.Trainer)
}

// A vocabCurve is one trainer of the page and its perplexity curve.
type vocabCurve struct {
	labview.VocabCurve
	t       *vocab.Trainer
	viaExp  bool // stepped through the experiment, which times it for the report
	ms      float64
	next    int // the next point's index
	stopped bool
}

// vocabStudy is the page's run: the runner's, and the page's own work.
type vocabStudy struct {
	lab.Run
	exp     vocabExperiment
	spec    vocab.Spec
	curves  []*vocabCurve // in the order they train
	probe   *vocabProbe
	probeAt int // the probe runs before curves[probeAt]
	evalN   int
	warm    []*vocab.Probe // the warm-up's probes (nil once done)
	warmN   []int          // their steps per slice
	warmed  int            // warm-up rounds done
}

func wrapVocab(r lab.Run) lab.Run {
	e, ok := r.(vocabExperiment)
	if !ok {
		return r
	}
	run, soft := e.Trainers()
	run.KeepMetrics() // the report and the payload measure the same state
	soft.KeepMetrics()
	s := run.Spec()
	st := &vocabStudy{Run: r, exp: e, spec: s}
	st.evalN = min(s.Contexts, max(1, int(VocabEvalWork/s.EvalCost()*float64(s.Contexts))))
	sampled := s.Objective().DrawsNoise()
	if sampled {
		st.curves = append(st.curves, &vocabCurve{t: run, viaExp: true,
			VocabCurve: labview.VocabCurve{Label: curveLabel(s), Obj: s.Obj, K: s.K, Run: true}})
	}
	for _, k := range VocabKs {
		if sampled && s.Obj == objective.NCE.Name && k == s.K || (k+1)*4 > s.Vocab {
			continue
		}
		x := s
		x.Obj, x.K = objective.NCE.Name, k
		x = vocab.Table.Normalized(x)
		t, err := vocab.NewOn(run.Language(), x)
		if err != nil {
			continue
		}
		t.KeepMetrics()
		st.curves = append(st.curves, &vocabCurve{t: t, VocabCurve: labview.VocabCurve{Label: curveLabel(x), Obj: x.Obj, K: k}})
	}
	st.probeAt = len(st.curves)
	st.curves = append(st.curves, &vocabCurve{t: soft, viaExp: true,
		VocabCurve: labview.VocabCurve{Label: "softmax", Obj: objective.MLE.Name, Softmax: true, Run: !sampled}})
	for _, c := range st.curves {
		c.Total = c.t.Progress().Total
	}
	st.probe = newVocabProbe(s)
	w := s
	w.Pairs, w.Passes = vocab.MinPairs, 1
	ws := w.Softmax()
	ws.Vocab = min(ws.Vocab, 1000)
	for _, x := range []vocab.Spec{w, vocab.Table.Normalized(ws)} {
		if p, err := vocab.NewProbe(x); err == nil {
			st.warm, st.warmN = append(st.warm, p), append(st.warmN, max(1, int(VocabProbeWork/x.StepWork())))
		}
	}
	return st
}

// warmUp trains each warm-up probe for VocabWarmTime/2.
func (st *vocabStudy) warmUp() {
	for i, p := range st.warm {
		for t0 := time.Now(); time.Since(t0) < VocabWarmTime/2; {
			p.Step(st.warmN[i])
		}
	}
	if st.warmed++; st.warmed == VocabWarmRounds {
		st.warm = nil
	}
}

// curveLabel names a sampled run: "NCE k = 25".
func curveLabel(s vocab.Spec) string {
	name := "NCE"
	switch s.Objective() {
	case objective.Neg:
		name = "neg. sampling"
	case objective.Rank:
		name = "ranking"
	}
	return name + " k = " + strconv.Itoa(s.K)
}

// failed reports whether the runner's run (or its reference) diverged,
// which ends everything.
func (st *vocabStudy) failed() bool {
	run, soft := st.exp.Trainers()
	return run.Err() != nil || soft.Err() != nil
}

// current returns the curve that trains now, or nil when the probe does
// (or everything is done).
func (st *vocabStudy) current() *vocabCurve {
	for i, c := range st.curves {
		if i == st.probeAt && !st.probe.done() {
			return nil
		}
		if !c.stopped && !c.t.Done() {
			return c
		}
	}
	return nil
}

// Done reports whether the experiment, the extra runs and the probe are
// done, or the experiment diverged.
func (st *vocabStudy) Done() bool {
	if st.failed() {
		return true
	}
	return st.warmed == VocabWarmRounds && st.current() == nil && st.probe.done()
}

// Step trains up to n steps of the current curve (stopping at its next
// point, which it measures), or times one round of the probe.
func (st *vocabStudy) Step(n int) error {
	if st.Done() || n <= 0 {
		return nil
	}
	if st.warmed < VocabWarmRounds {
		st.warmUp()
		return nil
	}
	c := st.current()
	if c == nil {
		st.probe.step()
		return nil
	}
	steps := c.t.Progress().Steps
	m := min(n, checkpoint(c.Total, c.next)-steps)
	t0 := time.Now()
	var err error
	if c.viaExp {
		err = st.exp.Step(m)
	} else {
		err = c.t.Step(m)
	}
	c.ms += time.Since(t0).Seconds() * 1000
	c.Steps = c.t.Progress().Steps
	if err != nil {
		c.Err, c.stopped = err.Error(), true
		if c.viaExp {
			return err
		}
		return nil
	}
	if c.next < VocabPoints && c.Steps >= checkpoint(c.Total, c.next) {
		c.MS = append(c.MS, c.ms)
		c.PPL = append(c.PPL, c.t.MetricsOver(st.evalN).PPL)
		c.next++
	}
	return nil
}

// checkpoint is the step of a curve's i-th point: total/2^(VocabPoints−1−i), at least 1.
func checkpoint(total, i int) int {
	if i >= VocabPoints {
		return total
	}
	return max(1, total>>(VocabPoints-1-i))
}

// Track says how far the page's work has come, in steps (the probe's
// rounds count one each).
func (st *vocabStudy) Track() lab.Progress {
	p := lab.Progress{Done: int64(st.warmed), Total: VocabWarmRounds}
	stage := ""
	if st.warmed < VocabWarmRounds {
		stage = "warming up"
	}
	for i, c := range st.curves {
		if i == st.probeAt {
			p.Done += int64(st.probe.units)
			p.Total += int64(st.probe.total)
			if stage == "" && !st.probe.done() {
				stage = st.probe.stage()
			}
		}
		p.Done += int64(c.t.Progress().Steps)
		p.Total += int64(c.Total)
		if stage == "" && !c.stopped && !c.t.Done() {
			stage = c.Label
			if c.Run && !c.Softmax {
				stage += " (the run)"
			} else if c.Softmax && !c.Run {
				stage += " reference"
			}
		}
	}
	if st.failed() {
		p.Done = p.Total
	}
	p.Unit, p.Stage = "steps", stage
	return p
}

// vocabProbe times a step at several V, V after V: for each, a probe of
// the softmax and one of the sampled objective, then rounds that time a
// slice of each (vocab.Probe; like make bench-vocab's BenchmarkScaling).
type vocabProbe struct {
	specs        []vocab.Spec // per V: the softmax's, then the sampled one's
	obj          string
	i            int // the V being timed
	soft, samp   *vocab.Probe
	ns, nk       int
	ms, mk       []float64
	points       []labview.VocabTiming
	units, total int
}

func newVocabProbe(s vocab.Spec) *vocabProbe {
	p := &vocabProbe{}
	k := s
	if !s.Objective().DrawsNoise() {
		k.Obj = objective.NCE.Name
	}
	k.Pairs, k.Passes = vocab.MinPairs, 1
	p.obj = curveLabel(vocab.Table.Normalized(k))
	vs := append(slices.Clone(vocab.ProbeVocabs), s.Vocab)
	slices.Sort(vs)
	for _, v := range slices.Compact(vs) {
		a, b := k, k
		a.Vocab, b.Vocab = v, v
		a.Obj = objective.MLE.Name
		a, b = vocab.Table.Normalized(a), vocab.Table.Normalized(b)
		if a.Validate() != nil || b.Validate() != nil {
			continue
		}
		p.specs = append(p.specs, a, b)
	}
	p.total = len(p.specs) / 2 * (1 + VocabProbeRounds)
	return p
}

func (p *vocabProbe) done() bool { return p.units >= p.total }

func (p *vocabProbe) stage() string {
	return "timing a step at V = " + group(int64(p.specs[2*p.i].Vocab))
}

// step builds the probes of the next V, or times one round of them.
func (p *vocabProbe) step() {
	if p.done() {
		return
	}
	if p.soft == nil {
		a, b := p.specs[2*p.i], p.specs[2*p.i+1]
		var err error
		if p.soft, err = vocab.NewProbe(a); err == nil {
			p.samp, err = vocab.NewProbe(b)
		}
		if err != nil { // cannot happen: the specs are valid
			p.soft, p.units, p.i = nil, p.units+1+VocabProbeRounds, p.i+1
			return
		}
		p.ns = max(1, int(VocabProbeWork/a.StepWork()))
		p.nk = max(1, int(VocabProbeWork/b.StepWork()))
		p.soft.Step(p.ns) // warm
		p.samp.Step(p.nk)
		p.ms, p.mk = p.ms[:0], p.mk[:0]
		p.units++
		return
	}
	p.ms = append(p.ms, timeSteps(p.soft, p.ns))
	p.mk = append(p.mk, timeSteps(p.samp, p.nk))
	p.units++
	if len(p.ms) == VocabProbeRounds {
		p.points = append(p.points, labview.VocabTiming{V: p.specs[2*p.i].Vocab, Softmax: slices.Min(p.ms), Sampled: slices.Min(p.mk)})
		p.soft, p.samp = nil, nil
		p.i++
	}
}

// timeSteps returns the milliseconds per step of n steps.
func timeSteps(p *vocab.Probe, n int) float64 {
	t0 := time.Now()
	p.Step(n)
	return time.Since(t0).Seconds() * 1000 / float64(n)
}

// group writes n with thousands separators.
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return string(b)
}

// vocabPanels packs the page's payload.
type vocabPanels struct {
	st   *vocabStudy
	last *labview.VocabData // the last payload's data (for tests)
}

func newVocabPanels(r lab.Run) Panels {
	st, ok := r.(*vocabStudy)
	if !ok {
		return nil
	}
	return &vocabPanels{st: st}
}

func (p *vocabPanels) Focus(int) {}

// Pack measures the run over every context (vocab.Trainer.Metrics, kept
// until the run moves) for its log Z, and copies the curves and the
// probe's points.
func (p *vocabPanels) Pack(f *wire.LabFrame, _ bool) {
	st := p.st
	s := st.spec
	run, _ := st.exp.Trainers()
	m := run.Metrics()
	v := &labview.VocabData{Vocab: s.Vocab, Contexts: s.Contexts, Dim: s.Dim, K: s.K, Obj: s.Obj, Norm: s.Norm,
		EvalContexts: st.evalN, PPLTrue: m.PPLTrue, PPLUnigram: m.PPLUnigram,
		Steps: m.Steps, LogZ: m.LogZ, NegOptimum: math.NaN(),
		Probe: slices.Clone(st.probe.points), ProbeObj: st.probe.obj, ProbeDone: st.probe.done()}
	if m.A != nil {
		v.A, v.Rest = m.A, m.LogZWithoutA
	}
	if s.Objective() == objective.Neg {
		v.NegOptimum = m.NegOptimumMean
	}
	for _, c := range st.curves {
		x := c.VocabCurve
		x.MS, x.PPL = slices.Clone(c.MS), slices.Clone(c.PPL)
		v.Curves = append(v.Curves, x)
	}
	p.last = v
	f.Figures = labview.VocabFigures(v, f)
}
