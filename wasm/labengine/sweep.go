package labengine

import (
	"fmt"
	"math"
	"strconv"

	"nceplay/core/lab"
	"nceplay/core/lab/sweep"
	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// The sweep lab's runs and payload (wire.SweepPanels). A page splits a
// sweep between two workers as `nceplay sweep --part=0/2` and
// `--part=1/2` do: each runs the repetitions of its residue class
// (sweep.Worker); the second posts the repetitions it finishes to the
// first (wire.SweepShare, through the page's MessageChannel), whose
// sweep.Results merges them with its own by repetition index, so that its
// rows are the runner's, bit for bit, whatever the order of arrival.

func init() {
	Builders[sweep.Name] = newSweepPart
	PanelsFor[sweep.Name] = newSweepPanels
}

// A Sharer is a run split between workers (wire.LabInit.Part): Outbox
// returns what this share sends to the first worker (nil when it has
// nothing new), Absorb takes what another share sent, and Waiting says
// that this share's own work is done but the run is not (the first worker
// waits for the others).
type Sharer interface {
	Outbox() *wire.SweepShare
	Absorb(m wire.SweepShare) error
	Waiting() bool
}

// Outbox returns the message this worker's share sends to the first
// worker now (nil for none), for generation gen.
func (r *Runner) Outbox(gen int) *wire.SweepShare {
	s, ok := r.run.(Sharer)
	if !ok {
		return nil
	}
	m := s.Outbox()
	if m != nil {
		m.Gen = gen
	}
	return m
}

// Absorb merges what another worker's share sent.
func (r *Runner) Absorb(m wire.SweepShare) error {
	if s, ok := r.run.(Sharer); ok {
		return s.Absorb(m)
	}
	return nil
}

// Waiting reports whether this worker's share is done and the run waits
// for the others'.
func (r *Runner) Waiting() bool {
	s, ok := r.run.(Sharer)
	return ok && s.Waiting()
}

// sweepPart is part of parts of a sweep: a sweep.Worker of that residue
// class and the results. The first part (0) gathers every part's
// repetitions; the others send theirs on.
type sweepPart struct {
	sw          *sweep.Sweep
	w           *sweep.Worker
	res         *sweep.Results
	part        int
	out         []sweep.Rep // repetitions not yet sent on
	peerDone    float64     // the other parts' work so far
	sent        float64     // own work at the last Outbox
	unitsPerRep float64
}

func newSweepPart(_ *lab.Lab, query string, _ lab.Input, part, parts int) (lab.Run, error) {
	s, err := sweep.Parse(query)
	if err != nil {
		return nil, err
	}
	sw, err := sweep.New(s)
	if err != nil {
		return nil, err
	}
	return &sweepPart{sw: sw, w: sw.NewWorker(part, parts), res: sw.NewResults(), part: part}, nil
}

func (p *sweepPart) Query() string { return p.sw.Spec().Query() }

// Step runs about n points of work (sweep.Sweep.Work), at least one fit.
func (p *sweepPart) Step(n int) error {
	p.w.Step(float64(n))
	for _, r := range p.w.Results() {
		if err := p.res.Add(r); err != nil {
			return err
		}
		if p.part > 0 {
			p.out = append(p.out, r)
		}
	}
	return nil
}

// Done: the first part is done when every repetition is gathered, the
// others when their own are run.
func (p *sweepPart) Done() bool {
	if p.part == 0 {
		return p.res.Count() == p.sw.Spec().Reps
	}
	return p.w.Done()
}

func (p *sweepPart) Waiting() bool { return p.part == 0 && p.w.Done() && !p.Done() }

// Track counts the points of data and noise fitted, of the whole sweep
// (the first part adds the others' progress).
func (p *sweepPart) Track() lab.Progress {
	done, _ := p.w.Progress()
	if p.part == 0 {
		done += p.peerDone
	}
	stage := ""
	if p.part == 0 {
		stage = strconv.Itoa(p.res.Count()) + " of " + strconv.Itoa(p.sw.Spec().Reps) + " repetitions"
	}
	total := int64(p.sw.Work())
	d := int64(done)
	if p.Done() && p.part == 0 {
		d = total // the work is counted in float64: no rounding short of the end
	}
	return lab.Progress{Done: d, Total: total, Unit: "points", Stage: stage}
}

func (p *sweepPart) Report(_, ms float64) any { return sweep.NewReport(p.res, ms) }

func (p *sweepPart) Results() *sweep.Results { return p.res }

func (p *sweepPart) Outbox() *wire.SweepShare {
	done, total := p.w.Progress()
	if p.part == 0 || (len(p.out) == 0 && done == p.sent) {
		return nil
	}
	m := &wire.SweepShare{Done: done, Total: total, Reps: make([]wire.SweepRep, len(p.out))}
	for i, r := range p.out {
		m.Reps[i] = wire.SweepRep{Index: r.Index, SqErr: r.SqErr, Fail: r.Fail, MLE: r.MLE}
	}
	p.out, p.sent = nil, done
	return m
}

func (p *sweepPart) Absorb(m wire.SweepShare) error {
	if p.part != 0 {
		return nil
	}
	for _, r := range m.Reps {
		if err := p.res.Add(sweep.Rep{Index: r.Index, SqErr: r.SqErr, Fail: r.Fail, MLE: r.MLE}); err != nil {
			return err
		}
	}
	p.peerDone = max(p.peerDone, m.Done) // messages may arrive out of order
	return nil
}

// sweepResults is what the payload reads of a sweep run.
type sweepResults interface{ Results() *sweep.Results }

type sweepPanels struct{ r sweepResults }

func newSweepPanels(r lab.Run) Panels {
	s, ok := r.(sweepResults)
	if !ok {
		return nil
	}
	return sweepPanels{s}
}

func (sweepPanels) Focus(int) {}

// Pack sends the figures drawn from every row.
func (p sweepPanels) Pack(f *wire.LabFrame, _ bool) { f.Figures = labview.SweepFigures(p.payload()) }

// payload is every row (the runner's numbers; NaN for null).
func (p sweepPanels) payload() *wire.SweepPanels {
	res := p.r.Results()
	rows := res.Rows()
	out := &wire.SweepPanels{Reps: res.Sweep().Spec().Reps, Done: res.Count(), Rows: make([]wire.SweepRow, len(rows))}
	for i, r := range rows {
		out.Rows[i] = wire.SweepRow{K: r.K, N: r.N, Noise: r.Noise, NScale: r.NScale,
			MSE: val(r.MSE), SE: val(r.MSESE), Theory: val(r.MSETheory),
			MLE: val(r.MSEMLE), MLESE: val(r.MSEMLESE), MLEThe: val(r.MLETheory),
			Evals: r.Evals, Reps: r.Reps, Fails: r.Fails}
	}
	return out
}

// val is *x, or NaN for nil (JSON null).
func val(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}

// errSplit says a lab's run cannot be split between workers.
func errSplit(l *lab.Lab) error {
	return fmt.Errorf("labengine: the %s lab cannot be split between workers", l.Name)
}
