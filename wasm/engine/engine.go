// Package engine runs one experiment for the playground's training worker:
// it wraps core's Trainer, paces it, and packs frames (package wire: the
// metrics, the grid, the display samples). It holds no browser code, so it
// is tested natively; wasm/worker is its JS glue.
package engine

import (
	"errors"
	"fmt"
	"time"

	"nceplay/core/dataset"
	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// Display sizes.
const (
	GridRes1D   = 400 // points of the 1D curves
	GridRes2D   = 64  // cells per axis of the 2D heatmaps
	HistBins    = 64  // bins of the 1D data histogram
	ShowData1D  = 300 // data points drawn as a rug in 1D
	ShowNoise1D = 300
	ShowData2D  = 700 // points of the 2D scatter
	ShowNoise2D = 700
)

// BaseRate is the training speed at the view's speed 1, in steps per
// second; the speed key multiplies it. At speed 1 the default 2000 steps
// take about 13 s, slow enough to watch.
const BaseRate = 150

// A Runner is one experiment in the worker.
type Runner struct {
	tr       *nce.Trainer
	spec     spec.Spec
	dim, res int
	trainDur time.Duration // wall time spent in Step, for the report

	metrics   nce.Metrics
	metricsAt int // step of metrics; −1 before any
	grid      *nce.Grid
	gridAt    int

	peer     Peer // splits each step with another worker; nil: alone
	peerBusy bool // the peer is computing shard 1 of the next step already
	// evalFailures counts the shared evaluations whose peer part did not
	// come (the runner evaluated it itself).
	evalFailures int

	every int // while playing, the metrics are measured at the multiples of this stride (wire.NextStride); 0: any step

	prof wire.Profile // where the time went

	stepCost    float64 // seconds per step (running estimate)
	metricsCost float64 // seconds per Metrics
	gridCost    float64 // seconds per Grid
}

// New builds the runner of a spec query (which must parse without error).
func New(query string) (*Runner, error) { return NewFile(query, nil) }

// NewFile builds the runner of a spec query whose data set may be the
// file the worker keeps (File.For: nil when the query names no file, or
// another one; a data file's link without its file is an
// *nce.NeedsFileError).
func NewFile(query string, file []float64) (*Runner, error) {
	s, err := spec.Parse(query)
	if err != nil {
		return nil, err
	}
	if len(file) == 0 {
		file = nil // none (an empty array, as a message brings it)
	}
	tr, err := dataset.NewTrainer(s, file) // a data target: its data key or file (docs/spec.md#data)
	if err != nil {
		return nil, err
	}
	r := &Runner{tr: tr, spec: s, dim: s.Dim(), metricsAt: -1, gridAt: -1}
	r.res = GridRes1D
	if r.dim == 2 {
		r.res = GridRes2D
	}
	return r, nil
}

// Spec returns the experiment.
func (r *Runner) Spec() spec.Spec { return r.spec }

// StepCount returns the steps taken.
func (r *Runner) StepCount() int { return r.tr.StepCount() }

// Done reports whether the run is over: the spec's steps reached, training
// diverged, or Newton's method stopped (converged or separable).
func (r *Runner) Done() bool { return r.tr.Done() }

// Err returns the divergence, if any.
func (r *Runner) Err() error { return r.tr.Err() }

// StepCost returns the estimated seconds per training step.
func (r *Runner) StepCost() float64 { return r.stepCost }

// Train takes up to n steps but stops after budget (at least one step is
// taken if n > 0 and training is not done). It returns the steps taken.
func (r *Runner) Train(n int, budget time.Duration) int {
	n = min(n, r.spec.Steps-r.tr.StepCount())
	if r.every > 0 { // stop at the next multiple of the stride, to measure there
		n = min(n, r.every-r.tr.StepCount()%r.every)
	}
	if n <= 0 || r.tr.Done() {
		return 0
	}
	start := time.Now()
	if r.peer != nil {
		return r.trainSplit(n, start, budget)
	}
	done := 0
	for done < n {
		// Take steps in chunks sized to the budget left.
		left := budget - time.Since(start)
		chunk := n - done
		if r.stepCost > 0 {
			chunk = min(chunk, max(1, int(left.Seconds()/r.stepCost)))
		} else {
			chunk = 1
		}
		if done > 0 && left <= 0 {
			break
		}
		t0 := time.Now()
		before := r.tr.StepCount()
		err := r.tr.Step(chunk)
		took := r.tr.StepCount() - before
		r.prof.Compute += time.Since(t0).Seconds()
		r.record(took, time.Since(t0))
		done += took
		if err != nil || took < chunk {
			break
		}
	}
	return done
}

// trainSplit takes Train's steps with the peer as one chain: each step
// tells the peer whether another follows (while budget is left, as Train
// decides alone), so the helper goes from one step to the next without
// being asked again (docs/architecture.md#workers).
func (r *Runner) trainSplit(n int, start time.Time, budget time.Duration) int {
	done := 0
	for {
		before := r.tr.StepCount()
		more, err := r.splitStep(func() bool { return done+1 < n && time.Since(start) < budget })
		took := r.tr.StepCount() - before
		done += took
		if err != nil || took == 0 || !more {
			break
		}
	}
	r.record(done, time.Since(start))
	return done
}

// record counts took steps that took el, and updates the step's cost.
func (r *Runner) record(took int, el time.Duration) {
	r.prof.Steps += took
	r.trainDur += el
	if took > 0 {
		r.stepCost = SmoothCost(r.stepCost, el.Seconds()/float64(took))
	}
}

// Pace sets the stride at whose multiples the metrics are measured while
// training plays: the smallest of the chain (wire.StrideAtLeast) that
// spaces the measurements at least interval seconds apart at rate steps
// per second (or at the measured speed, if slower); 0 lets any step be
// measured.
func (r *Runner) Pace(interval, rate float64) {
	if interval <= 0 || !(rate > 0) {
		r.every = 0
		return
	}
	if r.stepCost > 0 {
		rate = min(rate, 1/r.stepCost)
	}
	r.every = wire.StrideAtLeast(interval * rate)
}

// OnStride reports whether training stands on a multiple of the stride
// with its metrics not yet measured there.
func (r *Runner) OnStride() bool {
	s := r.tr.StepCount()
	return r.every > 0 && s%r.every == 0 && r.metricsAt != s
}

// MetricsCost and GridCost return the seconds one Metrics or Grid
// evaluation takes (0 before the first).
func (r *Runner) MetricsCost() float64 { return r.metricsCost }
func (r *Runner) GridCost() float64    { return r.gridCost }

// Refresh recomputes the metrics (if metrics, or if there are none yet)
// and the grid (if grid) at the current step, if they are older. The grid
// reads the density back with the last metrics' log Z.
func (r *Runner) Refresh(metrics, grid bool) {
	defer r.frameTime(time.Now())
	step := r.tr.StepCount()
	metrics = r.metricsAt != step && (metrics || r.metricsAt < 0)
	grid = grid && (r.gridAt != step || r.grid == nil)
	if metrics || grid {
		r.prof.Refreshes++
	}
	if ep, ok := r.sharesEval(); ok && (metrics || grid) && !r.peerBusy {
		defer r.shareEval(ep, metrics, grid)()
		r.prof.SharedEvals++
	}
	if metrics {
		t0 := time.Now()
		first := r.metricsAt < 0
		r.metrics = r.tr.Metrics()
		// The first call also evaluates p̃ and U on the quadrature grid and
		// the held-out set, once: timing it would space the next refreshes
		// (and the curves' first points) far apart.
		if !first {
			r.metricsCost = time.Since(t0).Seconds()
		}
		r.metricsAt = step
	}
	if grid {
		t0 := time.Now()
		first := r.grid == nil
		r.grid = r.tr.Grid(r.res, r.metrics.LogZ)
		if !first { // the first grid also evaluates p̃ and U at its points, once
			r.gridCost = time.Since(t0).Seconds()
		}
		r.gridAt = step
	}
}

// Frame packs the last metrics and grid into a frame of generation gen;
// with points it adds the display samples and the histogram (they change
// only with the spec).
func (r *Runner) Frame(gen int, running, points bool) wire.Frame {
	defer r.frameTime(time.Now())
	if r.grid == nil {
		r.Refresh(true, true)
	}
	f := wire.Frame{
		Gen: gen, Spec: r.spec.ExperimentQuery(), K: r.spec.K, Dim: r.dim,
		Step: r.tr.StepCount(), Running: running && !r.Done(), Done: r.Done(),
		MetricsAt: r.metricsAt, Metrics: r.metrics, Profile: r.prof, GridAt: r.gridAt,
	}
	if r.stepCost > 0 {
		f.SPS = 1 / r.stepCost
	}
	if err := r.tr.Err(); err != nil {
		var d *nce.DivergedError
		if errors.As(err, &d) {
			f.Diverged = DivergedText(d)
		} else {
			f.Diverged = err.Error()
		}
	}
	g := r.grid
	f.Grid = wire.Grid{Res: r.res, Box: g.Box,
		LogTrue: to32(g.LogTrue), LogModel: to32(g.LogModel), LogNoise: to32(g.LogNoise),
		PModel: to32(g.PModel), PBayes: to32(g.PBayes)}
	if points {
		f.Points = true
		f.Data, f.Noise, f.Hist = r.points()
	}
	return f
}

// frameTime adds the time since t0 to the profile's frames.
func (r *Runner) frameTime(t0 time.Time) { r.prof.Frames += time.Since(t0).Seconds() }

// Profile returns where the time went since the run began.
func (r *Runner) Profile() wire.Profile { return r.prof }

// to32 converts to float32 (half the bytes to send; the panels need no more).
func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}

// DivergedText is the page's banner for a diverged run: it names the step
// and the learning rate, and says what is shown and what to do.
func DivergedText(d *nce.DivergedError) string {
	return fmt.Sprintf("At step %d the %s became %s (lr = %g). The last finite state (step %d) is shown. Lower the learning rate, or reset.",
		d.Step, d.What, d.Reason, d.LR, d.Step-1)
}

// points returns the display samples (a spread of the data set and the
// fixed held-out noise) and, in 1D, the data histogram as a density over
// HistBins bins of the box.
func (r *Runner) points() (data, noise, hist []float32) {
	d := r.dim
	all := r.tr.Data()
	nAll := len(all) / d
	nd, nn := ShowData1D, ShowNoise1D
	if d == 2 {
		nd, nn = ShowData2D, ShowNoise2D
	}
	nd = min(nd, nAll)
	data = make([]float32, 0, nd*d)
	for i := range nd {
		j := i * nAll / nd
		for _, v := range all[j*d : (j+1)*d] {
			data = append(data, float32(v))
		}
	}
	for _, v := range r.tr.HeldOutNoise(nn) {
		noise = append(noise, float32(v))
	}
	if d == 1 {
		box := r.tr.Target().Box()
		lo, hi := box.Lo[0], box.Hi[0]
		w := (hi - lo) / HistBins
		counts := make([]float64, HistBins)
		for _, x := range all {
			b := int((x - lo) / w)
			if b >= 0 && b < HistBins {
				counts[b]++
			}
		}
		hist = make([]float32, HistBins)
		for i, c := range counts {
			hist[i] = float32(c / (float64(nAll) * w))
		}
	}
	return data, noise, hist
}

// Report returns the runner's report, the object of `nceplay run --json`.
func (r *Runner) Report() nce.Report {
	return nce.NewReport(r.tr, float64(r.trainDur.Microseconds())/1000)
}
