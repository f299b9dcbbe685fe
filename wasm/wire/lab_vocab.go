package wire

// VocabPanels is what the large-vocabulary lab's panels draw
// (docs/spec.md#lab-vocab): the perplexity curves of the run, of NCE at
// other k and of the softmax reference on the same data, each context's
// log Z of the run, and the time per step against V measured in the
// worker.
type VocabPanels struct {
	Vocab, Contexts, Dim, K int
	Obj, Norm               string
	// EvalContexts is how many contexts (the first) the curves'
	// perplexities are taken over: all of them when that is cheap enough.
	EvalContexts int
	// PPLTrue and PPLUnigram are the true model's and the unigram's
	// perplexities over all contexts (the floor and a context-blind model).
	PPLTrue, PPLUnigram float64
	Curves              []VocabCurve

	// LogZ is log Z(ctx) = log Σ_w exp s(w, ctx) of the run per context,
	// the logits with a_ctx, at step Steps of the run. A holds a_ctx and
	// Rest log Σ_w exp(s(w, ctx) − a_ctx), per context, when the run
	// learns its normalizers (nil when they are held at 0).
	Steps   int
	LogZ    []float32
	A, Rest []float32
	// E12 is, for obj=neg, the mean over contexts of negative sampling's
	// log Z at its optimum (docs/math.md#e12); NaN otherwise.
	E12 float64

	// Probe is the time per step against V, measured in the worker
	// (vocab.Probe) for the softmax and for ProbeObj, the run's sampled
	// objective (NCE at k for obj=mle); ProbeDone says every V is timed.
	Probe     []VocabProbe
	ProbeObj  string
	ProbeDone bool
}

// A VocabCurve is one trainer's held-out perplexity (over EvalContexts
// contexts) against its training wall time, in milliseconds.
type VocabCurve struct {
	Label   string
	Obj     string
	K       int
	Run     bool // the runner's run (the report's ppl)
	Softmax bool // the full softmax
	MS, PPL []float64
	Steps   int    // steps trained
	Total   int    // of its whole run
	Err     string // its divergence, or ""
}

// A VocabProbe is the median time per step, in milliseconds, at a
// vocabulary size: of the full softmax and of the sampled objective.
type VocabProbe struct {
	V                int
	Softmax, Sampled float64
}
