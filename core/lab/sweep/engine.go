package sweep

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/model"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

var negInf = math.Inf(-1)

// A Cell is one point of the sweep: a data size, a noise setting and a k.
// Cells are ordered by n, then setting, then k (Sweep.Cells).
type Cell struct {
	N int
	Setting
	K int
	// Indices into Spec.Ns, Spec.Settings() and Spec.Ks.
	NI, SI, KI int
}

// A Sweep is one sweep experiment: its cells, the true θ, and the
// theory. It is read-only once built and safe for concurrent use; Workers
// do the work.
type Sweep struct {
	s        Spec
	target   density.Target
	dim, p   int
	lin      model.Linear
	truth    []float64 // θ of p̃ in the poly family
	settings []Setting
	cells    []Cell
	nMax     int
	kMax     int
	repWork  float64
	grid     []float64 // maximum likelihood's quadrature grid
	logCell  float64

	// pop is p̃ on the theory's grid, popNoise each setting's noise fitted
	// to it (density.FitNoiseWeighted): the fixed U of docs/math.md#e8.
	pop      *population
	popNoise []density.Noise
	// fixedNoise makes every repetition use the noise fitted to p̃ itself
	// instead of refitting it to each data set (docs/math.md#e8 assumes it), for the
	// tests that measure what the refit changes.
	fixedNoise []density.Noise

	theoryOnce sync.Once
	theory     []float64 // per cell: the MSE of docs/math.md#e8
	mleTheory  []float64 // per n
	theoryErr  error
}

// New builds the sweep of s: it validates s and checks that every noise
// setting can be fitted to the target (a uniform too narrow for its box
// is a bad spec, docs/math.md#noise).
func New(s Spec) (*Sweep, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	s = Table.Normalized(s)
	target, err := density.NewTarget(s.Target)
	if err != nil {
		return nil, err
	}
	pt, ok := target.(density.PolyTarget)
	if !ok {
		return nil, fmt.Errorf("sweep: target %s is not in the poly family", s.Target)
	}
	truth, ok := pt.LogPoly(s.Deg)
	if !ok {
		return nil, fmt.Errorf("sweep: target %s needs a higher degree than %d", s.Target, s.Deg)
	}
	sw := &Sweep{s: s, target: target, dim: target.Dim(), settings: s.Settings(),
		nMax: slices.Max(s.Ns), kMax: slices.Max(s.Ks)}
	sw.lin = model.NewPoly(sw.dim, s.Deg)
	sw.p = sw.lin.NumParams()
	sw.truth = truth[:sw.p]
	for ni, n := range s.Ns {
		for si, st := range sw.settings {
			for ki, k := range s.Ks {
				sw.cells = append(sw.cells, Cell{N: n, Setting: st, K: k, NI: ni, SI: si, KI: ki})
			}
		}
	}
	for _, t := range sw.tasks() {
		sw.repWork += t.work
	}
	res := spec.MLEQuadPoints1D
	if sw.dim == 2 {
		res = 64 // √spec.MLEQuadPoints2D
	}
	sw.grid, sw.logCell = nce.GridPoints(target.Box(), sw.dim, res)
	// Every setting must fit p̃ itself (the uniform must cover the box);
	// the theory uses these fits.
	sw.pop = sw.newPopulation()
	for _, st := range sw.settings {
		u, err := sw.populationNoise(sw.pop, st)
		if err != nil {
			return nil, fmt.Errorf("sweep: noise %s with nscale=%g: %w", st.Noise, st.NScale, err)
		}
		sw.popNoise = append(sw.popNoise, u)
	}
	return sw, nil
}

// Spec returns the sweep's spec.
func (sw *Sweep) Spec() Spec { return sw.s }

// Cells returns the cells, by n, then noise setting, then k.
func (sw *Sweep) Cells() []Cell { return sw.cells }

// Truth returns the target's θ in the poly family (without c).
func (sw *Sweep) Truth() []float64 { return sw.truth }

// Work returns the total work of the sweep, in the units of Progress:
// points of data and noise a fit passes over (n for maximum likelihood,
// (1+k)·n for NCE), summed over the repetitions.
func (sw *Sweep) Work() float64 { return sw.repWork * float64(sw.s.Reps) }

// Theory returns, per cell, the asymptotic mean squared error of θ of
// docs/math.md#e8, tr(Σ_θθ)/n, for the setting's noise fitted to p̃
// itself (the fixed U the theory assumes), and per n maximum likelihood's,
// tr(F⁻¹)/n. It is computed on first use (quadrature on a grid of
// 4000 cells in 1D and 128² in 2D, and for mix EM on that grid).
func (sw *Sweep) Theory() (nceMSE, mleMSE []float64, err error) {
	sw.theoryOnce.Do(func() {
		pop := sw.pop
		perN, err := sw.fisherTheory(pop)
		if err != nil {
			sw.theoryErr = err
			return
		}
		for _, n := range sw.s.Ns {
			sw.mleTheory = append(sw.mleTheory, perN/float64(n))
		}
		logU := make([]float64, len(pop.logT))
		perK := make([][]float64, len(sw.settings))
		for si, u := range sw.popNoise {
			u.LogProb(pop.pts, logU)
			for _, k := range sw.s.Ks {
				v, err := sw.nceTheory(pop, logU, k)
				if err != nil {
					sw.theoryErr = err
					return
				}
				perK[si] = append(perK[si], v)
			}
		}
		for _, c := range sw.cells {
			sw.theory = append(sw.theory, perK[c.SI][c.KI]/float64(c.N))
		}
	})
	return sw.theory, sw.mleTheory, sw.theoryErr
}

// Random streams: one per repetition for its data, one per repetition,
// noise setting and block of n noise points (PCG stream ids, with high
// bits that the playground's streams never use).
func dataStream(rep int) uint64 { return 1<<62 | uint64(rep)<<24 }
func noiseStream(rep, setting, block int) uint64 {
	return 1<<63 | uint64(rep)<<32 | uint64(setting)<<16 | uint64(block)
}

// The kinds of task of a repetition.
const (
	taskMLE   = iota // draw the data (first n only) and fit maximum likelihood
	taskNoise        // fit a noise setting to the data and draw its noise
	taskNCE          // fit NCE for one k
)

// A task is one step of a repetition.
type task struct {
	kind, ni, si, ki int
	work             float64
}

// tasks lists a repetition's tasks in order: for each n, maximum
// likelihood, then for each noise setting the noise and each k's NCE fit.
func (sw *Sweep) tasks() []task {
	var ts []task
	for ni, n := range sw.s.Ns {
		ts = append(ts, task{kind: taskMLE, ni: ni, work: float64(n)})
		for si := range sw.settings {
			ts = append(ts, task{kind: taskNoise, ni: ni, si: si, work: float64(n)})
			for ki, k := range sw.s.Ks {
				ts = append(ts, task{kind: taskNCE, ni: ni, si: si, ki: ki, work: float64(n) * float64(1+k)})
			}
		}
	}
	return ts
}

// Failure codes of a cell in a repetition: why it has no estimate.
const (
	FailNone      = iota
	FailSeparable // the data and noise sets are separable: no optimum (docs/math.md#separable)
	FailStalled   // Newton's method stopped short
	FailNoise     // the noise could not be fitted to this data set
)

var failNotes = [...]string{"", "separable: NCE's optimum does not exist (docs/math.md#separable)",
	"Newton's method stalled", "the noise could not be fitted to the data set"}

// A Rep is the result of one repetition: the squared error ‖θ̂ − θ‖² of
// NCE per cell (NaN where the fit has no estimate, Fail saying why: one
// of the Fail codes) and of maximum likelihood per n (NaN if it stalled).
// Its fields are an int and float64 slices, so that it crosses from a
// browser worker to the page as typed arrays.
type Rep struct {
	Index int
	SqErr []float64
	Fail  []float64
	MLE   []float64
}

// A Worker runs the repetitions Index ≡ id (mod count) of a sweep, one
// task at a time, so that a browser worker can run it in slices and post
// each repetition as it completes. Two workers with ids 0 and 1 of 2 run
// the sweep between them; their Reps, merged by a Results, give the same
// rows as one worker. A Worker is not safe for concurrent use.
type Worker struct {
	sw        *Sweep
	id, count int
	tasks     []task
	sv        *solver
	pcg       *rand.PCG
	rng       *rand.Rand

	data    []float64 // nMax points
	noise   []float64 // kMax blocks of n points (n of the current task)
	logUd   []float64 // log U at data[:n]
	logUn   []float64 // log U at the noise
	phiBar  []float64 // the data's mean features
	mleTh   []float64 // maximum likelihood's θ (p) for the current n
	mleLogZ float64
	alpha   []float64 // NCE's (θ, c)
	noiseOK bool

	rep, task int // the current repetition and its next task
	cur       Rep
	out       []Rep
	done      float64 // work done
	total     float64
}

// NewWorker returns worker id (0 ≤ id < count) of count.
func (sw *Sweep) NewWorker(id, count int) *Worker {
	if count < 1 || id < 0 || id >= count {
		panic(fmt.Sprintf("sweep: worker %d of %d", id, count))
	}
	nmax, kmax, d := sw.nMax, sw.kMax, sw.dim
	w := &Worker{sw: sw, id: id, count: count, tasks: sw.tasks(),
		sv:   newSolver(sw.lin, d, sw.grid, sw.logCell),
		data: make([]float64, nmax*d), noise: make([]float64, kmax*nmax*d),
		logUd: make([]float64, nmax), logUn: make([]float64, kmax*nmax),
		phiBar: make([]float64, sw.p), mleTh: make([]float64, sw.p), alpha: make([]float64, sw.p+1),
		rep: id}
	w.pcg = rand.NewPCG(0, 0)
	w.rng = rand.New(w.pcg)
	for r := id; r < sw.s.Reps; r += count {
		w.total += sw.repWork
	}
	return w
}

// Done reports whether the worker has run all its repetitions.
func (w *Worker) Done() bool { return w.rep >= w.sw.s.Reps }

// Progress returns the work done and the worker's total (see Sweep.Work).
func (w *Worker) Progress() (done, total float64) { return w.done, w.total }

// Results returns the repetitions completed since the last call (in the
// order run) and forgets them.
func (w *Worker) Results() []Rep {
	out := w.out
	w.out = nil
	return out
}

// Step runs tasks until about budget work is done (at least one task, see
// Sweep.Work), and reports whether the worker is done. A task is one fit
// (or one noise fit and draw), so a slice can overrun budget by one fit:
// (1+k)·n points, a few ms for n = 1000.
func (w *Worker) Step(budget float64) bool {
	spent := 0.0
	for !w.Done() && (spent == 0 || spent < budget) {
		t := w.tasks[w.task]
		w.run(t)
		spent += t.work
		w.done += t.work
		w.task++
		if w.task == len(w.tasks) {
			w.out = append(w.out, w.cur)
			w.task = 0
			w.rep += w.count
		}
	}
	return w.Done()
}

// run runs one task of the current repetition.
func (w *Worker) run(t task) {
	sw := w.sw
	d, p := sw.dim, sw.p
	n := sw.s.Ns[t.ni]
	switch t.kind {
	case taskMLE:
		if t.ni == 0 {
			nc := len(sw.cells)
			w.cur = Rep{Index: w.rep, SqErr: make([]float64, nc), Fail: make([]float64, nc), MLE: make([]float64, len(sw.s.Ns))}
			// The data: nMax points; each n uses the first n.
			w.pcg.Seed(sw.s.Seed, dataStream(w.rep))
			for i := range sw.nMax {
				sw.target.Sample(w.rng, w.data[i*d:(i+1)*d])
			}
		}
		w.meanFeatures(w.data[:n*d])
		clear(w.mleTh)
		_, logZ, err := w.sv.mle(w.mleTh, w.phiBar, n)
		w.mleLogZ = logZ
		w.cur.MLE[t.ni] = math.NaN()
		if err == nil {
			w.cur.MLE[t.ni] = sw.sqErr(w.mleTh)
		}
	case taskNoise:
		st := sw.settings[t.si]
		var u density.Noise
		var err error
		if sw.fixedNoise != nil {
			u = sw.fixedNoise[t.si]
		} else {
			u, err = density.FitNoise(st.Noise, w.data[:n*d], d,
				density.NoiseParams{NScale: st.NScale, NShift: sw.s.NShift, NComp: sw.s.NComp}, sw.target.Box())
		}
		w.noiseOK = err == nil
		if err != nil {
			return
		}
		// kMax blocks of n points, block b from its own stream: the noise
		// set for k is the first k blocks, whatever the other ks.
		for b := range sw.kMax {
			w.pcg.Seed(sw.s.Seed, noiseStream(w.rep, t.si, b))
			u.Sample(w.rng, w.noise[b*n*d:(b+1)*n*d])
		}
		u.LogProb(w.data[:n*d], w.logUd[:n])
		u.LogProb(w.noise[:sw.kMax*n*d], w.logUn[:sw.kMax*n])
	case taskNCE:
		c := w.cellIndex(t)
		k := sw.s.Ks[t.ki]
		w.cur.SqErr[c] = math.NaN()
		if !w.noiseOK {
			w.cur.Fail[c] = FailNoise
			return
		}
		// Start at maximum likelihood's θ with c = its log Z: both
		// estimators are within O(1/√n) of the truth, so Newton takes few
		// steps; the optimum does not depend on the start.
		copy(w.alpha, w.mleTh)
		w.alpha[p] = w.mleLogZ
		_, err := w.sv.nce(w.alpha, w.data[:n*d], w.logUd[:n], w.noise[:k*n*d], w.logUn[:k*n], fmath.Log(float64(k)))
		switch err {
		case nil:
			w.cur.SqErr[c] = sw.sqErr(w.alpha[:p])
		case errSeparable:
			w.cur.Fail[c] = FailSeparable
		default:
			w.cur.Fail[c] = FailStalled
		}
	}
}

// cellIndex returns the index of task t's cell.
func (w *Worker) cellIndex(t task) int {
	ns, nk := len(w.sw.settings), len(w.sw.s.Ks)
	return (t.ni*ns+t.si)*nk + t.ki
}

// meanFeatures sets w.phiBar to the mean features of the points xs.
func (w *Worker) meanFeatures(xs []float64) {
	p, d := w.sw.p, w.sw.dim
	n := len(xs) / d
	clear(w.phiBar)
	phi := w.sv.phi
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		f := phi[:(hi-lo)*p]
		w.sw.lin.Features(xs[lo*d:hi*d], f)
		for i := range hi - lo {
			for a := range p {
				w.phiBar[a] += f[i*p+a]
			}
		}
	}
	for a := range p {
		w.phiBar[a] /= float64(n)
	}
}

// sqErr returns ‖θ − θ_true‖².
func (sw *Sweep) sqErr(theta []float64) float64 {
	s := 0.0
	for a, t := range sw.truth {
		d := theta[a] - t
		s += d * d
	}
	return s
}
