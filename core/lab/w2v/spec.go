package w2v

import (
	"fmt"
	"strings"

	"nceplay/core/objective"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// Name is the lab's name: the value of its lab key.
const Name = "w2v"

// Spec is a parsed, validated experiment of the lab (docs/spec.md#lab-w2v).
// Field comments name the query key.
type Spec struct {
	Lab    string  // lab
	V      int     // v
	Corpus string  // corpus
	Vocab  int     // vocab
	Tokens int     // tokens
	Sample float64 // sample
	Window int     // window
	Dim    int     // dim
	Obj    string  // obj
	K      int     // k
	Alpha  float64 // alpha
	Opt    string  // opt
	LR     float64 // lr
	Epochs int     // epochs
	Seed   uint64  // seed
}

// Key names, each spelled once.
const (
	kLab    = "lab"
	kV      = "v"
	kCorpus = "corpus"
	kVocab  = "vocab"
	kTokens = "tokens"
	kSample = "sample"
	kWindow = "window"
	kDim    = "dim"
	kObj    = "obj"
	kK      = "k"
	kAlpha  = "alpha"
	kOpt    = "opt"
	kLR     = "lr"
	kEpochs = "epochs"
	kSeed   = "seed"
)

// Limits (docs/spec.md#lab-w2v).
const (
	// MinVocab is the smallest vocabulary (a text's cap, a generator's
	// size).
	MinVocab = 20
	// MaxGenVocab caps a generator's vocabulary: its exact pair
	// distribution takes window products of V×V matrices.
	MaxGenVocab = 200
	// MaxVocab caps a text's vocabulary (its most frequent words): the
	// pair counts are a dense V×V table.
	MaxVocab = 1000
	// MaxTokens caps a corpus: a generator's tokens, a text's words.
	MaxTokens = 2000000
	// MaxTextBytes caps a text's size.
	MaxTextBytes = 8 << 20
	// MaxWork caps a run's training work, epochs × pairs per epoch ×
	// (k+1) × dim multiply-adds of the pair step's scores (each costs
	// three): a few minutes natively.
	MaxWork = 1e11
	// MinPairCount is how often a pair must occur in an epoch's pairs to
	// count in the check against theory (pmi_r, pmi_rmse, pmi_offset) and a
	// word as a centre to count in the self-normalization.
	MinPairCount = 20
	// MinCheckPairs is the fewest such pairs the check is reported over.
	MinCheckPairs = 10
)

// Table is the lab's key table (docs/spec.md#lab-w2v).
var Table *spec.Table[Spec]

func init() {
	Table = spec.NewTable(Name, keys(), rules())
}

func keys() []spec.Key[Spec] {
	var corpora, gens, texts []string
	for _, c := range Corpora {
		corpora = append(corpora, c.Name)
		switch {
		case c.Chain != nil:
			gens = append(gens, c.Name)
		case !c.Pasted:
			texts = append(texts, c.Name)
		}
	}
	obj := spec.Shared(kObj, func(s *Spec) any { return &s.Obj })
	obj.Values = []string{objective.Neg.Name, objective.NCE.Name}
	obj.Default = objective.Neg.Name
	// Shared keys keep the playground's kind, label and meaning; their
	// docs say what they do here (core/lab's TestSharedKeys).
	obj.Doc = "Objective on the score ⟨u_w, v_c⟩: " + objective.Neg.Name + " (skip-gram negative sampling, logit ⟨u, v⟩) or " +
		objective.NCE.Name + " (NCE proper, logit ⟨u, v⟩ − log(k·q(c)), which self-normalizes) (docs/math.md#word2vec)."
	k := spec.Shared(kK, func(s *Spec) any { return &s.K })
	k.Max, k.Default = 100, "5"
	k.Doc = "Negatives drawn from the noise q per (centre, context) pair."
	opt := spec.Shared(kOpt, func(s *Spec) any { return &s.Opt })
	sgd := optim.Lookup("sgd").Name // plain SGD, with word2vec's linear decay of lr
	opt.Values, opt.Default = []string{sgd}, sgd
	opt.Doc = "Optimizer: plain SGD, one step per pair, as word2vec."
	lr := spec.Shared(kLR, func(s *Spec) any { return &s.LR })
	lr.Max, lr.Default = 1, "0.025"
	lr.Doc = "Starting learning rate; it decays linearly to 10⁻⁴·lr over all epochs, as in word2vec."
	seed := spec.Shared(kSeed, func(s *Spec) any { return &s.Seed })
	seed.Doc = "One seed for the generated corpus, the subsampling, the initial vectors and the negatives."
	isGen := func(s *Spec) bool { return s.corpus().Chain != nil }
	return []spec.Key[Spec]{
		{Name: kLab, Kind: spec.KindEnum, Default: Name, Values: []string{Name}, Always: true,
			Label: "Lab", Doc: "The lab: word2vec's negative sampling against the PMI it factorizes.",
			Ptr: func(s *Spec) any { return &s.Lab }},
		spec.Shared(kV, func(s *Spec) any { return &s.V }),
		{Name: kCorpus, Kind: spec.KindEnum, Default: corpora[0], Values: corpora,
			Label: "Corpus", Doc: "The words: a generator with exact PMI (" + strings.Join(gens, ", ") +
				"), a public-domain text (" + strings.Join(texts, ", ") + ") or your own (" + Pasted.Name + ", which a link cannot hold).",
			Ptr: func(s *Spec) any { return &s.Corpus }},
		{Name: kVocab, Kind: spec.KindInt, Default: "30", Min: MinVocab, Max: MaxVocab, Log: true,
			Label: "Vocabulary", Doc: fmt.Sprintf("A generator's vocabulary size (at most %d), or a text's cap: its most frequent words.", MaxGenVocab),
			Ptr: func(s *Spec) any { return &s.Vocab }},
		{Name: kTokens, Kind: spec.KindInt, Default: "100000", Min: 1000, Max: MaxTokens, Log: true,
			Label: "Tokens", Doc: "Length of the generated corpus, in words.",
			Ptr: func(s *Spec) any { return &s.Tokens }, Applies: isGen},
		{Name: kSample, Kind: spec.KindFloat, Default: "0", Min: 0, Max: 0.1,
			Label: "Subsampling", Doc: "word2vec's subsampling threshold for frequent words of a text (0: none).",
			Ptr: func(s *Spec) any { return &s.Sample }, Applies: func(s *Spec) bool { return !isGen(s) }},
		{Name: kWindow, Kind: spec.KindInt, Default: "2", Min: 1, Max: 10,
			Label: "Window", Doc: "Context window: the pairs are every word within this distance, weighted alike.",
			Ptr: func(s *Spec) any { return &s.Window }},
		{Name: kDim, Kind: spec.KindInt, Default: "32", Min: 1, Max: 300, Log: true,
			Label: "Dimension", Doc: "Dimension of the word vectors u_w and v_c.",
			Ptr: func(s *Spec) any { return &s.Dim }},
		obj,
		k,
		{Name: kAlpha, Kind: spec.KindFloat, Default: "0.75", Min: 0, Max: 1,
			Label: "Noise power α", Doc: "Noise q ∝ unigram^α (1: the unigram, which makes the optimum exactly PMI − log k).",
			Ptr: func(s *Spec) any { return &s.Alpha }},
		opt,
		lr,
		{Name: kEpochs, Kind: spec.KindInt, Default: "3", Min: 1, Max: 100, Log: true,
			Label: "Epochs", Doc: "Passes over the corpus; the learning rate decays linearly over all of them, as in word2vec.",
			Ptr: func(s *Spec) any { return &s.Epochs }},
		seed,
	}
}

func rules() []spec.Rule[Spec] {
	return []spec.Rule[Spec]{
		{Keys: []string{kVocab}, Check: func(s *Spec) (float64, string) {
			if s.corpus().Chain == nil || s.Vocab <= MaxGenVocab {
				return 0, ""
			}
			return float64(s.Vocab - MaxGenVocab),
				fmt.Sprintf("is too large for the generator %s=%s, which has at most %d words", kCorpus, s.Corpus, MaxGenVocab)
		}},
		{Keys: []string{kEpochs, kTokens, kWindow, kK, kDim}, Check: func(s *Spec) (float64, string) {
			if s.corpus().Chain == nil {
				return 0, "" // a text's length is known when it is read (New)
			}
			w := s.Work(s.Tokens)
			if w <= MaxWork {
				return 0, ""
			}
			return w - MaxWork, s.workReason(s.Tokens, w)
		}},
	}
}

// Work returns the training work of s on a corpus of n tokens:
// epochs × 2·window·n pairs × (k+1) × dim (docs/spec.md#lab-w2v).
func (s *Spec) Work(n int) float64 {
	return float64(s.Epochs) * 2 * float64(s.Window) * float64(n) * float64(s.K+1) * float64(s.Dim)
}

func (s *Spec) workReason(n int, w float64) string {
	return fmt.Sprintf("gives %s·2·%s·(%s+1)·%s = %d·2·%d·%d·%d·%d = %.3g multiply-adds for %d tokens, more than %.0e; lower %s, %s, %s or %s",
		kEpochs, kWindow, kK, kDim, s.Epochs, s.Window, n, s.K+1, s.Dim, w, n, MaxWork, kEpochs, kWindow, kK, kDim)
}

// corpus returns the corpus's registry row (the first's for an unknown
// name, which only a spec built by hand can hold; Validate reports it).
func (s *Spec) corpus() *CorpusInfo {
	if c := LookupCorpus(s.Corpus); c != nil {
		return c
	}
	return Corpora[0]
}

// Objective returns the registry row of s's objective.
func (s Spec) Objective() *objective.Objective {
	if o := objective.Lookup(s.Obj); o != nil {
		return o
	}
	return objective.Neg
}

// CorpusInfo returns the registry row of s's corpus.
func (s Spec) CorpusInfo() *CorpusInfo { return s.corpus() }

// Parse parses a query of the lab (see spec.Table.Parse); the query names
// the lab (lab=w2v) or not.
func Parse(query string) (Spec, error) { return Table.Parse(query) }

// Validate checks a spec built by hand as Parse checks a query.
func (s Spec) Validate() error { return Table.Validate(s) }

// Query returns s in canonical form: lab=w2v, then the keys not at their
// default (docs/spec.md#canonical-form).
func (s Spec) Query() string { return Table.Query(s, true) }
