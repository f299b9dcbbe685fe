package wire

// The sweep lab's and the InfoNCE lab's payloads (docs/spec.md#lab-sweep,
// docs/spec.md#lab-infonce), and the message by which the sweep's second
// worker hands its repetitions to the first.

func init() { messages = append(messages, SweepShare{}) }

// The payloads below are what the worker draws the pages' Figures from
// (wasm/labview); only the Figures travel.

// SweepPanels is what the sweep page draws: one row per cell of the sweep
// (by n, then noise setting, then k), the numbers of the runner's rows
// (`nceplay sweep --json`) as float64, NaN where the runner's is null.
type SweepPanels struct {
	Reps, Done int // the repetitions asked for, and gathered so far
	Rows       []SweepRow
}

// A SweepRow is one cell: k, n, the noise setting and its numbers.
type SweepRow struct {
	K, N   int
	Noise  string
	NScale float64
	// MSE of θ and its standard error, the theory of docs/math.md#e8;
	// maximum likelihood's on the same data sets, its standard error and
	// theory.
	MSE, SE, Theory    float64
	MLE, MLESE, MLEThe float64
	Evals              float64 // (1+k)·n, G's evaluations per pass
	Reps, Fails        int
}

// SweepShare carries repetitions of a sweep from the worker that runs a
// share of them (LabInit.Part > 0) to the first worker, which merges them
// with its own (sweep.Results, by repetition index: the runner's rows, bit
// for bit); Done and Total are the sender's work so far and its share.
type SweepShare struct {
	Gen         int
	Done, Total float64
	Reps        []SweepRep
}

// A SweepRep is one repetition (sweep.Rep): its index, NCE's squared
// error and failure code per cell, maximum likelihood's per n.
type SweepRep struct {
	Index            int
	SqErr, Fail, MLE []float64
}

// InfoNCEPanels is what the InfoNCE page draws (docs/spec.md#lab-infonce).
type InfoNCEPanels struct {
	K, Steps    int     // the run's k and steps
	True, Bound float64 // −½ log(1 − ρ²) and log(k+1)
	// Step and Est follow the run: the running estimate log(k+1) − J
	// over the last training batches, at most InfoNCEPoints samples.
	Step, Est []float64
	// Across k (log(k+1) for each): KBound the ceiling, KOpt the best
	// critic's bound (docs/math.md#best-critic) and KEst the trained
	// critic's on the evaluation set (NaN until that k's run is done):
	// the run's own k, and smaller ones trained after it in sequence.
	Ks, KBound, KOpt, KEst []float64
}

func (SweepShare) Type() string { return "sweep-share" }
