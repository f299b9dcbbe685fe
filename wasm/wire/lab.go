package wire

// The labs' messages (docs/spec.md#labs): between a lab's page (wasm/lab)
// and its training worker (wasm/labworker). The transport commands are the
// playground's (Play, Pause, Step, Speed, ReportRequest; a lab's Step.N
// counts the lab's units, lab.Progress) and so are Ready, Failure and
// Report; a lab's run is built by LabInit and shown by LabFrame, which
// carries one payload per lab page: adding a lab's page adds its payload
// struct here, as a pointer field of LabFrame.
//
// This file must not import core/lab or a lab's engine: the playground's
// page and worker link this package, and a lab's code loads only when the
// lab is opened.

// Page → lab worker.

// LabInit builds a fresh run of a lab: Query is its canonical experiment
// query (lab=<name>&…, without the view-only keys), Text the user's own
// text for a lab that trains on one (nil for none: a link never holds a
// text), Speed the view's speed key. Gen numbers the inits; every frame
// says which one it belongs to.
type LabInit struct {
	Gen   int
	Query string
	Text  *string
	Speed float64
	// Part of Parts is this worker's share of a run that two workers
	// split (the sweep: the repetitions ≡ Part mod Parts; the worker with
	// Part 0 merges the others' SweepShare); Parts ≤ 1 is the whole run.
	Part, Parts int
}

// LabFocus names the item of the payload that the page looks at closer
// (w2v: the word whose nearest neighbours are listed), or −1 for none.
type LabFocus struct {
	Gen  int
	Item int
}

// Lab worker → page.

// A LabFrame is what a lab's page shows at one moment of a run.
type LabFrame struct {
	Gen   int
	Lab   string // the lab's name
	Query string // the run's experiment query

	Running  bool        // the worker is training
	Seq      int         // the last Play, Pause or Step the worker had handled
	Done     bool        // the run is finished (or diverged)
	Progress LabProgress // how far it has come
	Rate     float64     // units trained per second, measured
	// MetricsAt is Progress.Done when Metrics were taken.
	MetricsAt int64
	// Metrics are the numbers of the runner's report (nceplay run --json)
	// at MetricsAt, by its JSON field names and in its order, but the
	// wall-clock timings: the same numbers bit for bit. Texts are its
	// string fields.
	Metrics  []LabMetric
	Texts    []LabText
	Diverged string // the divergence message, or ""
	// Timings are the report's wall-clock fields (lab.Lab.Timings), for
	// show: they differ from run to run, and from the runner's.
	Timings []LabMetric

	// The lab's payload: one field per lab page, nil for the others and
	// in a frame that carries none.
	W2V *W2VPanels
	// Figures are the panels the worker drew (the sweep's, InfoNCE's and
	// the large-vocabulary lab's pages), nil in a frame that carries none.
	Figures []LabFigure
}

// A LabFigure is one panel of a lab page as the worker drew it
// (wasm/labview builds it): its ID (the element's data-panel), heading,
// subtitle, and its charts as SVG markup, which the page only inserts, so
// that its wasm holds no lab's drawing code. Full and Short are its
// captions (rich text citing the docs); Embed says the embed layout shows
// it.
type LabFigure struct {
	ID, Title, Sub string
	Full, Short    string
	Embed          bool
	SVG            string
}

// LabProgress mirrors lab.Progress.
type LabProgress struct {
	Done, Total int64
	Unit, Stage string
}

// A LabMetric is one number of a lab's report; Null marks a number the
// report leaves undefined (JSON null).
type LabMetric struct {
	Key   string
	Value float64
	Null  bool
}

// A LabText is one string field of a lab's report.
type LabText struct {
	Key, Value string
}

// W2VPanels is what the word2vec lab's panels draw (docs/spec.md#lab-w2v),
// for the first P words of the vocabulary (a text's most frequent first, a
// generator's in its own order) and, for the matrices, the first N ≤ P.
// Matrices are N×N, row-major, row the centre word w, column the context c.
type W2VPanels struct {
	Vocab  int     // the vocabulary's size V
	Tokens int     // the corpus's length, in words
	Exact  bool    // the theory is a generator's exact one (else the text's empirical one)
	Obj    string  // the objective (neg, nce)
	LogK   float64 // log k
	N      int

	// Static says that Words, Counts, Theory and Pairs are set: they
	// change only with the run, so later frames leave them out.
	Static bool
	Words  []string  // the P words
	Counts []float64 // their occurrences in the corpus
	// Theory is the objective's optimum of ⟨u_w, v_c⟩ (PMI − log k and its
	// α-shifted form for neg, log p(c|w) for nce); −Inf for a pair of
	// probability (or count) 0.
	Theory []float32
	Pairs  []float32 // #(w, c) in one epoch

	Learned []float32 // ⟨u_w, v_c⟩
	// LogZ is log Σ_c exp ⟨u_w, v_c⟩ over the whole vocabulary, per word
	// (P): 0 when self-normalized.
	LogZ []float32
	XY   []float32 // the 2D projection of the P words' vectors, x and y per word

	Focus      int // the word whose neighbours are listed (an index of Words), or −1
	Neighbours []W2VNeighbour
}

// A W2VNeighbour is a word near the focused one, by the cosine of their
// vectors.
type W2VNeighbour struct {
	Word string
	Cos  float64
}

// The labs' messages' names.
func (LabInit) Type() string  { return "lab-init" }
func (LabFocus) Type() string { return "lab-focus" }
func (LabFrame) Type() string { return "lab-frame" }
