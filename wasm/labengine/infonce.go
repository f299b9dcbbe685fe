package labengine

import (
	"math"
	"strconv"

	"nceplay/core/fmath"
	"nceplay/core/lab"
	"nceplay/core/lab/infonce"
	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// The InfoNCE lab's run and payload (wire.InfoNCEPanels). The engine
// trains one k; the page's chart across k needs more, so the worker runs
// the registry's run of the query (whose report is the runner's, bit for
// bit) and then, in sequence, the same experiment with each smaller k of
// InfoNCESeriesKs, and evaluates the best critic's bound at every k of
// the series (docs/math.md#best-critic: it needs no training).

func init() {
	Builders[infonce.Name] = newInfoNCESeries
	PanelsFor[infonce.Name] = newInfoNCEPanels
}

// InfoNCEPoints is how many samples of the running estimate the chart over
// steps keeps (at most).
const InfoNCEPoints = 400

// InfoNCESeriesKs are the ks of the chart across k: log(k+1) = j·log 2.
// Those below the run's own k are trained after it, each for the run's
// steps (their cost per step is (k+1)², so together they add at most a
// third of the run's); the best critic's bound is shown at every one.
var InfoNCESeriesKs = []int{1, 3, 7, 15, 31, 63, 127, 255}

// infonceEngine is what the series reads of the registry's run (the
// engine's methods, which the run promotes).
type infonceEngine interface {
	lab.Run
	Spec() infonce.Spec
	Metrics() infonce.Metrics
	StepCount() int
	Evaluate() infonce.Estimate
	Optimal() infonce.Estimate
	Err() error
}

type infonceSeries struct {
	infonceEngine // the run of the query
	stride        int
	steps, est    []float64 // the running estimate over the run's steps

	ks                  []int     // the series' ks, ascending (the run's own among them)
	own                 int       // the index of the run's k in ks
	bound, opt, trained []float64 // per k: log(k+1), the best critic's bound, the trained critic's (NaN until run)
	next                int       // the index in ks of the series run in progress (or next)
	cur                 *infonce.Engine
	curDone             int // steps of the series runs finished
	extra               int // how many series runs there are (ks below the run's own)
}

func newInfoNCESeries(l *lab.Lab, query string, in lab.Input, part, parts int) (lab.Run, error) {
	if parts > 1 {
		return nil, errSplit(l)
	}
	run, err := l.New(query, in)
	if err != nil {
		return nil, err
	}
	e, ok := run.(infonceEngine)
	if !ok {
		return run, nil
	}
	s := e.Spec()
	r := &infonceSeries{infonceEngine: e, stride: max(1, (s.Steps+InfoNCEPoints-1)/InfoNCEPoints)}
	for _, k := range InfoNCESeriesKs {
		if k < s.K {
			r.extra++
		}
		if k != s.K && k <= infonce.MaxK {
			r.ks = append(r.ks, k)
		}
	}
	r.ks = append(r.ks, s.K)
	sortInts(r.ks)
	// The best critic's bound needs no critic: an engine of the cheapest
	// critic evaluates it at each k.
	cheap := s
	for _, c := range infonce.Critics {
		if !c.Units && !c.Embed {
			cheap.Critic = c.Name
		}
	}
	for i, k := range r.ks {
		r.bound = append(r.bound, fmath.Log(float64(k+1)))
		r.trained = append(r.trained, math.NaN())
		if k == s.K {
			r.own = i
			r.opt = append(r.opt, e.Optimal().Value)
			continue
		}
		c := cheap
		c.K = k
		o := math.NaN()
		if ce, err := infonce.New(c); err == nil {
			o = ce.Optimal().Value
		}
		r.opt = append(r.opt, o)
	}
	r.record()
	return r, nil
}

func sortInts(v []int) {
	for i := 1; i < len(v); i++ {
		for j := i; j > 0 && v[j] < v[j-1]; j-- {
			v[j], v[j-1] = v[j-1], v[j]
		}
	}
}

// record samples the running estimate.
func (r *infonceSeries) record() {
	m := r.Metrics()
	if n := len(r.steps); n > 0 && r.steps[n-1] == float64(m.Step) {
		return
	}
	r.steps = append(r.steps, float64(m.Step))
	r.est = append(r.est, m.Estimate)
}

// Step trains the run, then the series runs, n steps in all.
func (r *infonceSeries) Step(n int) error {
	for n > 0 && !r.infonceEngine.Done() {
		at := r.StepCount()
		m := min(n, r.stride-at%r.stride)
		err := r.infonceEngine.Step(m)
		n -= r.StepCount() - at
		r.record()
		if err != nil {
			return err
		}
		if r.infonceEngine.Done() {
			r.trained[r.own] = r.Evaluate().Value
		}
	}
	for n > 0 && !r.Done() {
		if r.cur == nil {
			s := r.Spec()
			s.K = r.ks[r.next]
			e, err := infonce.New(s)
			if err != nil { // not reached: a smaller k costs less
				r.next++
				continue
			}
			r.cur = e
		}
		at := r.cur.StepCount()
		err := r.cur.Step(n)
		n -= r.cur.StepCount() - at
		if err != nil || r.cur.Done() {
			if err == nil {
				r.trained[r.next] = r.cur.Evaluate().Value
			}
			r.curDone += r.Spec().Steps
			r.cur = nil
			r.next++
		}
	}
	return nil
}

// Done: the run and the series (a run that diverged has no series).
func (r *infonceSeries) Done() bool {
	return r.infonceEngine.Done() && (r.Err() != nil || r.next >= r.extra)
}

// Track counts training steps, the run's and then the series'.
func (r *infonceSeries) Track() lab.Progress {
	s := r.Spec()
	p := lab.Progress{Done: int64(r.StepCount() + r.curDone), Total: int64(s.Steps * (1 + r.extra)), Unit: "steps",
		Stage: "k = " + strconv.Itoa(s.K)}
	if r.cur != nil {
		p.Done += int64(r.cur.StepCount())
	}
	if r.infonceEngine.Done() && r.next < r.extra {
		p.Stage = "series: k = " + strconv.Itoa(r.ks[r.next]) + " (" + strconv.Itoa(r.next+1) + " of " + strconv.Itoa(r.extra) + ")"
	}
	return p
}

type infoncePanels struct{ r *infonceSeries }

func newInfoNCEPanels(run lab.Run) Panels {
	r, ok := run.(*infonceSeries)
	if !ok {
		return nil
	}
	return infoncePanels{r}
}

func (infoncePanels) Focus(int) {}

func (p infoncePanels) Pack(f *wire.LabFrame, _ bool) {
	f.Figures = labview.InfoNCEFigures(p.payload())
}

// payload is the series so far.
func (p infoncePanels) payload() *wire.InfoNCEPanels {
	r := p.r
	m := r.Metrics()
	ks := make([]float64, len(r.ks))
	for i, k := range r.ks {
		ks[i] = float64(k)
	}
	out := &wire.InfoNCEPanels{K: r.Spec().K, Steps: r.Spec().Steps, True: m.True, Bound: m.Bound,
		Step: append([]float64(nil), r.steps...), Est: append([]float64(nil), r.est...),
		Ks: ks, KBound: append([]float64(nil), r.bound...), KOpt: append([]float64(nil), r.opt...),
		KEst: append([]float64(nil), r.trained...)}
	return out
}
