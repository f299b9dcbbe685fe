package sweep

import (
	"context"
	"fmt"
	"math"
	"sync"
)

// Results gathers the repetitions of a sweep, from any number of workers
// in any order, and summarizes them into rows. Every sum runs over the
// repetitions in index order, so the rows depend only on which
// repetitions have arrived: the same for one worker or two, natively and
// in the browser. It is not safe for concurrent use.
type Results struct {
	sw   *Sweep
	have []bool
	sq   []float64 // reps × cells
	fail []uint8   // reps × cells: the Fail codes
	mle  []float64 // reps × ns
	n    int
}

// NewResults returns an empty Results for the sweep.
func (sw *Sweep) NewResults() *Results {
	r, c := sw.s.Reps, len(sw.cells)
	return &Results{sw: sw, have: make([]bool, r), sq: make([]float64, r*c), fail: make([]uint8, r*c), mle: make([]float64, r*len(sw.s.Ns))}
}

// Add records a repetition; one that is already there, or that does not
// fit the sweep, is an error.
func (res *Results) Add(rep Rep) error {
	c, nn := len(res.sw.cells), len(res.sw.s.Ns)
	if rep.Index < 0 || rep.Index >= len(res.have) || len(rep.SqErr) != c || len(rep.Fail) != c || len(rep.MLE) != nn {
		return fmt.Errorf("sweep: repetition %d does not belong to this sweep", rep.Index)
	}
	if res.have[rep.Index] {
		return fmt.Errorf("sweep: repetition %d arrived twice", rep.Index)
	}
	for _, f := range rep.Fail {
		if f != FailNone && f != FailSeparable && f != FailStalled && f != FailNoise {
			return fmt.Errorf("sweep: repetition %d has an unknown failure code %g", rep.Index, f)
		}
	}
	res.have[rep.Index] = true
	copy(res.sq[rep.Index*c:], rep.SqErr)
	for i, f := range rep.Fail {
		res.fail[rep.Index*c+i] = uint8(f)
	}
	copy(res.mle[rep.Index*nn:], rep.MLE)
	res.n++
	return nil
}

// Sweep returns the sweep the results belong to.
func (res *Results) Sweep() *Sweep { return res.sw }

// Count returns the repetitions gathered so far.
func (res *Results) Count() int { return res.n }

// A Row summarizes one cell over the repetitions gathered (the runner's
// JSON rows, docs/spec.md#lab-sweep). Numbers that are undefined (no
// repetition yet, or one only for a standard error) are null.
type Row struct {
	K      int     `json:"k"`
	N      int     `json:"n"`
	NScale float64 `json:"nscale"`
	Noise  string  `json:"noise"`
	// MSE is the mean over repetitions of ‖θ̂ − θ‖² (θ without c), MSESE
	// its standard error, MSETheory tr(Σ_θθ)/n of docs/math.md#e8.
	MSE       *float64 `json:"mse"`
	MSESE     *float64 `json:"mse_se"`
	MSETheory *float64 `json:"mse_theory"`
	// MSEMLE is maximum likelihood's on the same data sets (the same
	// repetitions), MLETheory the inverse Fisher information's trace / n.
	MSEMLE    *float64 `json:"mse_mle"`
	MSEMLESE  *float64 `json:"mse_mle_se"`
	MLETheory *float64 `json:"mse_mle_theory"`
	// Ratio is MSE/MSEMLE, RatioSE its standard error from the paired
	// repetitions (the delta method).
	Ratio   *float64 `json:"ratio"`
	RatioSE *float64 `json:"ratio_se"`
	// Evals is (1+k)·n, the evaluations of G per pass over the data and
	// noise: the cost of one gradient (docs/math.md#efficiency).
	Evals float64 `json:"evals"`
	// Reps counts the repetitions in the means; Fails those of the cell
	// without an estimate (FailNote says why, for the first kind seen),
	// left out of both MSE and MSEMLE.
	Reps     int    `json:"reps"`
	Fails    int    `json:"fails"`
	FailNote string `json:"fail_note,omitempty"`
}

// Rows summarizes every cell over the repetitions gathered so far, in the
// order of Sweep.Cells. The theory columns are null if the theory could
// not be computed.
func (res *Results) Rows() []Row {
	sw := res.sw
	c, nn := len(sw.cells), len(sw.s.Ns)
	theory, mleTheory, err := sw.Theory()
	rows := make([]Row, c)
	var a, b []float64
	for ci, cell := range sw.cells {
		row := Row{K: cell.K, N: cell.N, NScale: cell.NScale, Noise: cell.Noise, Evals: float64(1+cell.K) * float64(cell.N)}
		a, b = a[:0], b[:0]
		for r, ok := range res.have {
			if !ok {
				continue
			}
			if f := res.fail[r*c+ci]; f != FailNone {
				row.Fails++
				if row.FailNote == "" {
					row.FailNote = failNotes[f]
				}
				continue
			}
			m := res.mle[r*nn+cell.NI]
			if math.IsNaN(m) {
				row.Fails++
				if row.FailNote == "" {
					row.FailNote = "maximum likelihood stalled"
				}
				continue
			}
			a = append(a, res.sq[r*c+ci])
			b = append(b, m)
		}
		row.Reps = len(a)
		if len(a) > 0 {
			ma, mb := mean(a), mean(b)
			row.MSE, row.MSEMLE = num(ma), num(mb)
			row.Ratio = num(ma / mb)
			if len(a) > 1 {
				row.MSESE, row.MSEMLESE = num(se(a, ma)), num(se(b, mb))
				// Var(ā/b̄) ≈ Var(a − ρb)/(R·b̄²), ρ = ā/b̄: the pairing
				// cancels the data sets' shared part of the error.
				rho := ma / mb
				d := make([]float64, len(a))
				for i := range a {
					d[i] = a[i] - rho*b[i]
				}
				row.RatioSE = num(se(d, mean(d)) / mb)
			}
		}
		if err == nil {
			row.MSETheory, row.MLETheory = num(theory[ci]), num(mleTheory[cell.NI])
		}
		rows[ci] = row
	}
	return rows
}

// mean returns the mean of v, summed in order.
func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// se returns the standard error of the mean m of v (sample sd / √len).
func se(v []float64, m float64) float64 {
	s := 0.0
	for _, x := range v {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(v)-1) / float64(len(v)))
}

func num(x float64) *float64 {
	if x-x != 0 {
		return nil
	}
	return &x
}

// Run runs the whole sweep natively on workers goroutines (each a Worker
// of its residue class) and returns the results. progress, if not nil,
// is called from Run's goroutine with the repetitions gathered and the
// results so far after each one arrives. When ctx is cancelled, Run
// stops the workers after their current task and returns the partial
// results with ctx's error.
func (sw *Sweep) Run(ctx context.Context, workers int, progress func(*Results)) (*Results, error) {
	workers = max(1, min(workers, sw.s.Reps))
	res := sw.NewResults()
	reps := make(chan Rep, workers)
	var wg sync.WaitGroup
	for id := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := sw.NewWorker(id, workers)
			for !w.Done() {
				if ctx.Err() != nil {
					return
				}
				w.Step(1) // one task
				for _, r := range w.Results() {
					reps <- r
				}
			}
		}()
	}
	go func() { wg.Wait(); close(reps) }()
	for r := range reps {
		if err := res.Add(r); err != nil {
			return res, err
		}
		if progress != nil {
			progress(res)
		}
	}
	return res, ctx.Err()
}

// A Parallel runs a sweep natively on count Workers at once, one
// goroutine each per Step, and gathers their repetitions: how a runner
// drives the lab on every core (a browser runs one Worker per Web Worker
// instead). Its rows are those of one worker.
type Parallel struct {
	sw      *Sweep
	workers []*Worker
	res     *Results
}

// NewParallel returns a Parallel of count workers (at least 1, at most
// the repetitions).
func (sw *Sweep) NewParallel(count int) *Parallel {
	count = max(1, min(count, sw.s.Reps))
	p := &Parallel{sw: sw, res: sw.NewResults()}
	for id := range count {
		p.workers = append(p.workers, sw.NewWorker(id, count))
	}
	return p
}

// Step runs every worker for about budget work (Worker.Step) at once and
// gathers the repetitions they finish. It never fails: a fit without an
// estimate is a row's failure, not the run's.
func (p *Parallel) Step(budget int) error {
	if len(p.workers) == 1 {
		p.workers[0].Step(float64(budget))
	} else {
		var wg sync.WaitGroup
		for _, w := range p.workers {
			wg.Go(func() { w.Step(float64(budget)) })
		}
		wg.Wait()
	}
	for _, w := range p.workers {
		for _, r := range w.Results() {
			if err := p.res.Add(r); err != nil {
				panic(err) // not reached: the workers partition the repetitions
			}
		}
	}
	return nil
}

// Done reports whether every repetition has run.
func (p *Parallel) Done() bool { return p.res.Count() == p.sw.s.Reps }

// Results returns the repetitions gathered so far.
func (p *Parallel) Results() *Results { return p.res }

// Report is the lab's runner output (docs/spec.md#lab-sweep): the
// canonical query, the repetitions run and one row per cell.
type Report struct {
	Spec string  `json:"spec"`
	Reps int     `json:"reps"`
	Rows []Row   `json:"rows"`
	MS   float64 `json:"ms"`
}

// NewReport summarizes the results; ms is the wall time.
func NewReport(res *Results, ms float64) Report {
	return Report{Spec: res.sw.s.Query(), Reps: res.Count(), Rows: res.Rows(), MS: math.Round(ms*1000) / 1000}
}
