package vocab

import (
	"fmt"

	"nceplay/core/objective"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// Name is the lab's name: the value of its lab key.
const Name = "vocab"

// Spec is a parsed, validated experiment of the lab
// (docs/spec.md#lab-vocab). Field comments name the query key.
type Spec struct {
	Lab      string  // lab
	V        int     // v
	Vocab    int     // vocab
	Contexts int     // contexts
	Pairs    int     // pairs
	Passes   int     // passes
	Dim      int     // dim
	Obj      string  // obj
	Norm     string  // norm
	K        int     // k
	Opt      string  // opt
	LR       float64 // lr
	Sched    string  // sched
	Seed     uint64  // seed
}

// Key names, each spelled once.
const (
	kLab      = "lab"
	kV        = "v"
	kVocab    = "vocab"
	kContexts = "contexts"
	kPairs    = "pairs"
	kPasses   = "passes"
	kDim      = "dim"
	kObj      = "obj"
	kNorm     = "norm"
	kK        = "k"
	kOpt      = "opt"
	kLR       = "lr"
	kSched    = "sched"
	kSeed     = "seed"
)

// Limits (docs/spec.md#lab-vocab).
const (
	MinVocab    = 100
	MaxVocab    = 100000
	MinContexts = 10
	MaxContexts = 1000
	MinPairs    = 1000
	// MaxPairs caps the data set: 8 bytes a pair (40 MB).
	MaxPairs = 5000000
	MinDim   = 2
	MaxDim   = 256
	// MaxWordFloats caps the word table, vocab × dim floats (32 MB): a
	// page may hold a few models at once (the softmax's beside NCE's).
	MaxWordFloats = 1 << 22
	// MaxEval caps the exact evaluation (Metrics), contexts × vocab ×
	// (dim + rank) multiply-adds: the model's and the truth's scores of
	// every word in every context (about a second natively).
	MaxEval = 1 << 31
	// MaxWork caps a run's training work, passes × pairs × dim × (vocab
	// + k + 1) multiply-adds of the scores: the sampled run's (k + 1 rows
	// a step) and its full-softmax reference's (vocab rows a step), which
	// the runner trains beside it (about ten minutes natively).
	MaxWork = 1e12
)

// Table is the lab's key table (docs/spec.md#lab-vocab).
var Table *spec.Table[Spec]

func init() {
	Table = spec.NewTable(Name, keys(), rules())
}

func keys() []spec.Key[Spec] {
	obj := spec.Shared(kObj, func(s *Spec) any { return &s.Obj })
	obj.Values = []string{objective.NCE.Name, objective.Neg.Name, objective.Rank.Name, objective.MLE.Name}
	obj.Default = objective.NCE.Name
	// Shared keys keep the playground's kind, label and meaning; their
	// docs say what they do here (core/lab's TestSharedKeys).
	obj.Doc = "Objective on the score of (context, word): " + objective.NCE.Name + " (NCE), " + objective.Neg.Name +
		" (negative sampling), " + objective.Rank.Name + " (ranking NCE) or " + objective.MLE.Name +
		" (the full softmax over the vocabulary, the reference) (docs/math.md#nce)."
	norm := spec.Shared(kNorm, func(s *Spec) any { return &s.Norm })
	norm.Default = spec.NormFixed // Mnih & Teh's choice, the lab's point
	norm.Applies = func(s *Spec) bool { return s.Objective().Scalar }
	norm.Doc = "Learn each context's normalizer, or fix it to 0 (Z = 1, Mnih & Teh's choice); only for obj " + objective.NCE.Name + "."
	k := spec.Shared(kK, func(s *Spec) any { return &s.K })
	k.Default = "25"
	k.Applies = func(s *Spec) bool { return s.Objective().DrawsNoise() }
	k.Doc = "Noise words per training pair, drawn from q, the training words' unigram (add-one smoothed); the full softmax draws none."
	opt := spec.Shared(kOpt, func(s *Spec) any { return &s.Opt })
	sgd := optim.Lookup("sgd").Name // plain SGD: sparse for the sampled objectives (docs/spec.md#lab-vocab)
	opt.Values, opt.Default = []string{sgd}, sgd
	opt.Doc = "Optimizer: plain SGD, one pair per step, touching only the rows a step scores for the sampled objectives."
	lr := spec.Shared(kLR, func(s *Spec) any { return &s.LR })
	lr.Max, lr.Default = 1, "0.1"
	lr.Doc = "Learning rate of SGD; sched shapes it over all passes."
	seed := spec.Shared(kSeed, func(s *Spec) any { return &s.Seed })
	seed.Doc = "One seed for the language, its training pairs, the initial vectors and the noise."
	sched := spec.Shared(kSched, func(s *Spec) any { return &s.Sched })
	sched.Default = optim.Cosine.Name
	return []spec.Key[Spec]{
		{Name: kLab, Kind: spec.KindEnum, Default: Name, Values: []string{Name}, Always: true,
			Label: "Lab", Doc: "The lab: NCE against the full softmax on a large vocabulary, with per-context normalizers fixed to 1.",
			Ptr: func(s *Spec) any { return &s.Lab }},
		spec.Shared(kV, func(s *Spec) any { return &s.V }),
		{Name: kVocab, Kind: spec.KindInt, Default: "20000", Min: MinVocab, Max: MaxVocab, Log: true,
			Label: "Vocabulary V", Doc: "Words in the vocabulary: the classes a full softmax sums over for every example.",
			Ptr: func(s *Spec) any { return &s.Vocab }},
		{Name: kContexts, Kind: spec.KindInt, Default: "200", Min: MinContexts, Max: MaxContexts, Log: true,
			Label: "Contexts", Doc: "Contexts of the synthetic language, each with its own next-word distribution and normalizer.",
			Ptr: func(s *Spec) any { return &s.Contexts }},
		{Name: kPairs, Kind: spec.KindInt, Default: "200000", Min: MinPairs, Max: MaxPairs, Log: true,
			Label: "Training pairs", Doc: "Size of the training set of (context, word) pairs drawn from the language.",
			Ptr: func(s *Spec) any { return &s.Pairs }},
		{Name: kPasses, Kind: spec.KindInt, Default: "1", Min: 1, Max: 100, Log: true,
			Label: "Passes", Doc: "Passes over the training pairs; the learning rate follows sched over all of them.",
			Ptr: func(s *Spec) any { return &s.Passes }},
		{Name: kDim, Kind: spec.KindInt, Default: "32", Min: MinDim, Max: MaxDim, Log: true,
			Label: "Dimension", Doc: "Dimension of the context and word vectors (the true language has rank dim/2).",
			Ptr: func(s *Spec) any { return &s.Dim }},
		obj,
		norm,
		k,
		opt,
		lr,
		sched,
		seed,
	}
}

func rules() []spec.Rule[Spec] {
	return []spec.Rule[Spec]{
		{Keys: []string{kDim, kVocab}, Check: func(s *Spec) (float64, string) {
			f := float64(s.Vocab) * float64(s.Dim)
			if f <= MaxWordFloats {
				return 0, ""
			}
			return f - MaxWordFloats, fmt.Sprintf("gives a word table of %s·%s = %d·%d = %.0f floats, more than %d; lower %s or %s",
				kVocab, kDim, s.Vocab, s.Dim, f, MaxWordFloats, kVocab, kDim)
		}},
		{Keys: []string{kContexts, kDim, kVocab}, Check: func(s *Spec) (float64, string) {
			e := s.EvalCost()
			if e <= MaxEval {
				return 0, ""
			}
			return e - MaxEval, fmt.Sprintf("gives an exact evaluation of %s·%s·(%s + rank) = %d·%d·%d = %.3g multiply-adds, more than %.3g; lower %s, %s or %s",
				kContexts, kVocab, kDim, s.Contexts, s.Vocab, s.Dim+s.Rank(), e, float64(MaxEval), kContexts, kVocab, kDim)
		}},
		{Keys: []string{kPasses, kPairs, kDim, kK, kVocab}, Check: func(s *Spec) (float64, string) {
			w := s.Work()
			if w <= MaxWork {
				return 0, ""
			}
			return w - MaxWork, fmt.Sprintf("gives %s·%s·%s·(%s + k + 1) = %d·%d·%d·%d = %.3g multiply-adds (the run and its softmax reference), more than %.0e; lower %s, %s, %s or %s",
				kPasses, kPairs, kDim, kVocab, s.Passes, s.Pairs, s.Dim, s.Vocab+s.sampled(), w, MaxWork, kPasses, kPairs, kVocab, kDim)
		}},
	}
}

// Rank returns the rank of the true language's embeddings, dim/2: the
// model can represent the truth with room to spare, in particular a
// per-context constant, which a model whose normalizers are fixed to 0
// must produce from its vectors (docs/math.md#self-normalization).
func (s *Spec) Rank() int { return max(1, s.Dim/2) }

// EvalCost returns the multiply-adds of an exact evaluation:
// contexts × vocab × (dim + rank).
func (s *Spec) EvalCost() float64 {
	return float64(s.Contexts) * float64(s.Vocab) * float64(s.Dim+s.Rank())
}

// Work returns the training work of s and of its softmax reference:
// passes × pairs × dim × (vocab + k + 1) multiply-adds of the scores
// (vocab alone for obj=mle, which is its own reference).
func (s *Spec) Work() float64 {
	return float64(s.Passes) * float64(s.Pairs) * float64(s.Dim) * float64(s.Vocab+s.sampled())
}

// sampled returns the rows a sampled objective's step scores, k + 1; 0
// for the softmax.
func (s *Spec) sampled() int {
	if !s.Objective().DrawsNoise() {
		return 0
	}
	return s.K + 1
}

// Objective returns the registry row of s's objective.
func (s Spec) Objective() *objective.Objective {
	if o := objective.Lookup(s.Obj); o != nil {
		return o
	}
	return objective.NCE
}

// Schedule returns the registry row of s's learning-rate schedule.
func (s Spec) Schedule() *optim.Schedule {
	if o := optim.LookupSchedule(s.Sched); o != nil {
		return o
	}
	return optim.Cosine
}

// LearnsNormalizers reports whether the model learns a per-context
// normalizer a_ctx: nce with norm=learn, and neg, whose optimum has a
// per-context constant (docs/math.md#e12). norm=fixed holds it at 0; the
// softmax (mle) and ranking (rank) losses ignore it (its gradient is 0).
func (s Spec) LearnsNormalizers() bool {
	o := s.Objective()
	if o.Scalar {
		return s.Norm == spec.NormLearn
	}
	return o.Kernel == objective.Binary
}

// Parse parses a query of the lab (see spec.Table.Parse); the query names
// the lab (lab=vocab) or not.
func Parse(query string) (Spec, error) { return Table.Parse(query) }

// Validate checks a spec built by hand as Parse checks a query.
func (s Spec) Validate() error { return Table.Validate(s) }

// Query returns s in canonical form: lab=vocab, then the keys not at
// their default (docs/spec.md#canonical-form).
func (s Spec) Query() string { return Table.Query(s, true) }

// Softmax returns the same experiment with the full softmax (obj=mle):
// the reference the runner trains on the same data and passes.
func (s Spec) Softmax() Spec {
	s.Obj = objective.MLE.Name
	return Table.Normalized(s)
}
