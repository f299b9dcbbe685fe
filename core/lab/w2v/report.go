package w2v

import "math"

// Report is the runner's JSON object for the lab (nceplay run --json
// 'lab=w2v&…'; docs/spec.md#lab-w2v). Numbers that are undefined or not
// finite are null. MS, TokensPerS and PairsPerS are wall-clock timings,
// left out of the native/WebAssembly comparison.
type Report struct {
	Spec   string `json:"spec"`   // the canonical query
	Corpus string `json:"corpus"` // the corpus key's value
	Vocab  int    `json:"vocab"`  // words in the vocabulary
	Tokens int    `json:"tokens"` // the corpus's length (one epoch)
	Epochs int    `json:"epochs"` // epochs trained
	Pairs  int64  `json:"pairs"`  // pair steps taken
	// Loss is the running mean pair loss (1 + k logistic terms), in nats.
	Loss *float64 `json:"loss"`
	// Theory is "exact" (a generator's exact PMI) or "empirical" (the
	// corpus's pair counts).
	Theory string `json:"theory"`
	// CheckPairs counts the pairs seen at least MinPairCount times in an
	// epoch, over which pmi_r, pmi_rmse and pmi_offset are taken.
	CheckPairs int      `json:"check_pairs"`
	PMIR       *float64 `json:"pmi_r"`
	PMIRMSE    *float64 `json:"pmi_rmse"`
	PMIOffset  *float64 `json:"pmi_offset"`
	LogK       float64  `json:"log_k"`
	// SelfNormMean and SelfNormSD are the mean and spread of
	// log Σ_c exp s(w, c) over the frequent centre words.
	SelfNormMean *float64 `json:"selfnorm_mean"`
	SelfNormSD   *float64 `json:"selfnorm_sd"`
	MS           float64  `json:"ms"`
	TokensPerS   *float64 `json:"tokens_per_s"`
	PairsPerS    *float64 `json:"pairs_per_s"`
	Error        string   `json:"error,omitempty"`
	// Note says, for corpus=text, that the spec does not hold the text.
	Note string `json:"note,omitempty"`
}

// TextNote is the Report's note for corpus=text.
const TextNote = "corpus=text: the spec holds the settings, not the text (a link cannot hold a text)"

// Timings are the Report's wall-clock fields.
var Timings = []string{"ms", "tokens_per_s", "pairs_per_s"}

// NewReport builds the report of the trainer's state; trainSeconds is the
// time spent in Step (for the throughputs), ms the run's wall time.
func NewReport(t *Trainer, trainSeconds, ms float64) Report {
	m := t.Metrics()
	theory := "empirical"
	if m.Exact {
		theory = "exact"
	}
	r := Report{
		Spec: t.spec.Query(), Corpus: t.spec.Corpus, Vocab: len(t.corpus.Words), Tokens: len(t.corpus.Tokens),
		Epochs: m.Epoch, Pairs: m.Pairs, Loss: num(m.Loss), Theory: theory, CheckPairs: m.CheckPairs,
		PMIR: num(m.R), PMIRMSE: num(m.RMSE), PMIOffset: num(m.Offset), LogK: t.logK,
		SelfNormMean: num(m.SelfNormMean), SelfNormSD: num(m.SelfNormSD),
		MS: math.Round(ms*1000) / 1000,
	}
	if trainSeconds > 0 {
		r.TokensPerS = num(math.Round(float64(m.Tokens) / trainSeconds))
		r.PairsPerS = num(math.Round(float64(m.Pairs) / trainSeconds))
	}
	if t.err != nil {
		r.Error = t.err.Error()
	}
	if t.spec.corpus().Pasted {
		r.Note = TextNote
	}
	return r
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
