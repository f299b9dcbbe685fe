// Package objective is the registry of the losses the trainer can fit
// (docs/math.md#nce through docs/math.md#mle) and their minibatch kernels.
// An Objective describes, as data, everything the rest of the engine needs
// to know about one loss: its logit, whether it learns a scalar (c or γ),
// how the density is read back, whether its c estimates log Z, and which
// optimizers and keys apply. Code elsewhere asks these questions of the
// Objective instead of switching on its name, so adding an objective is one
// entry in All plus its kernel.
package objective

// A ReadBack is how the density p̂ is read back from the energy G
// (docs/math.md#metrics).
type ReadBack int

const (
	// ExpGMinusC: p̂ = exp(G − c) (nce, docs/math.md#e2).
	ExpGMinusC ReadBack = iota
	// TimesKU: p̂ = exp(G − γ)·k·U (cls, and neg with γ = 0; docs/math.md#e5).
	TimesKU
	// Normalized: p̂ = exp(G)/∫exp(G), by quadrature (rank, mle).
	Normalized
)

// A Kernel is the family of minibatch loss a trainer runs.
type Kernel int

const (
	// Binary is the logistic loss of data against noise (docs/math.md#e3),
	// with the objective's logit.
	Binary Kernel = iota
	// Ranking is the softmax over one data point and its k noise points
	// (docs/math.md#e7).
	Ranking
	// Likelihood is −G(x) on the data plus log Z(θ) by quadrature
	// (docs/math.md#mle); it draws no noise.
	Likelihood
)

// An Objective is one row of the registry All.
type Objective struct {
	Name  string // the spec value of the obj key
	Title string // a short name for headings
	Doc   string // one line for the docs and the UI
	// Phrase names the method in a sentence ("negative sampling").
	Phrase string
	Cite   string // the docs/math.md anchor that derives it

	Kernel Kernel
	// Scalar reports whether the logit has a learned scalar: nce's c
	// (docs/math.md#e2) or cls's γ (docs/math.md#e5). The norm key applies
	// exactly to these: norm=fixed holds the scalar at 0.
	Scalar bool
	// EstimatesLogZ reports whether the scalar estimates log Z (nce; for mle
	// log Z is computed exactly, see ExactLogZ).
	EstimatesLogZ bool
	// ExactLogZ reports whether the objective computes log Z itself (mle).
	ExactLogZ bool
	// LogitHasNoise reports whether the logit subtracts log k + log U (nce
	// and rank need log U of every point; cls and neg do not).
	LogitHasNoise bool
	ReadBack      ReadBack
	// RecoversLogP reports whether G converges to log p̃ up to a constant
	// (nce, rank, mle), so that a target in the model family has a true θ
	// to compare with; cls and neg learn log p̃/(kU) instead.
	RecoversLogP bool
	// Convex reports whether the loss is convex in θ for models linear in θ,
	// so that Newton's method applies (docs/math.md#mle).
	Convex bool
	// CNote says, where the scalar does not estimate log Z, why.
	CNote string
}

// The objectives, in the order the spec lists them.
var (
	NCE = &Objective{Name: "nce", Title: "Noise-contrastive estimation", Cite: "docs/math.md#nce", Phrase: "noise-contrastive estimation",
		Doc:    "NCE: classify data against k noise points per data point, with a learned normalizer c",
		Kernel: Binary, Scalar: true, EstimatesLogZ: true, LogitHasNoise: true, ReadBack: ExpGMinusC,
		RecoversLogP: true, Convex: true}
	Cls = &Objective{Name: "cls", Title: "Classifier form", Cite: "docs/math.md#classifier-form", Phrase: "the classifier form of NCE",
		Doc:    "the classifier form σ(G − γ), read back by multiplying with k·U",
		Kernel: Binary, Scalar: true, ReadBack: TimesKU, Convex: true,
		CNote: "cls learns log p̃/(kU): γ is no estimate of log Z (the density is read back by [E5](docs/math.md#e5))"}
	Neg = &Objective{Name: "neg", Title: "Negative sampling", Cite: "docs/math.md#negative-sampling", Phrase: "negative sampling",
		Doc:    "negative sampling: the classifier form with γ fixed to 0",
		Kernel: Binary, ReadBack: TimesKU, Convex: true,
		CNote: "neg learns log p̃/(kU) with no scalar: no estimate of log Z (the density is read back by [E5](docs/math.md#e5))"}
	Rank = &Objective{Name: "rank", Title: "Ranking NCE / InfoNCE", Cite: "docs/math.md#ranking", Phrase: "ranking NCE (InfoNCE)",
		Doc:    "ranking NCE (InfoNCE): pick the data point among k + 1 candidates",
		Kernel: Ranking, LogitHasNoise: true, ReadBack: Normalized, RecoversLogP: true,
		CNote: "rank: the constant is not identifiable ([E7](docs/math.md#e7) recovers the shape only)"}
	MLE = &Objective{Name: "mle", Title: "Maximum likelihood", Cite: "docs/math.md#mle", Phrase: "maximum likelihood",
		Doc:    "maximum likelihood with Z by quadrature, the reference",
		Kernel: Likelihood, ExactLogZ: true, ReadBack: Normalized, RecoversLogP: true, Convex: true}
)

// All is the registry of objectives, in the order the spec lists them. An
// objective's name is spelled here only.
var All = []*Objective{NCE, Cls, Neg, Rank, MLE}

// Names returns the objectives' names in registry order.
func Names() []string {
	names := make([]string, len(All))
	for i, o := range All {
		names[i] = o.Name
	}
	return names
}

// Lookup returns the objective called name, or nil.
func Lookup(name string) *Objective {
	for _, o := range All {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// DrawsNoise reports whether the objective contrasts the data with noise.
func (o *Objective) DrawsNoise() bool { return o.Kernel != Likelihood }

// Logit returns, for a Binary objective, the logit z(x) of P(1|x) given
// the energy G(x), the scalar c (nce's log Z estimate, cls's γ; 0 when
// fixed), log k and log U(x):
//
//	nce: z = G − c − log k − log U   (docs/math.md#e2)
//	cls: z = G − γ                  (docs/math.md#e5)
//	neg: z = G                      (docs/math.md#e6, γ = 0)
func (o *Objective) Logit(g, c, logK, logU float64) float64 {
	if o.LogitHasNoise {
		return g - c - logK - logU
	}
	if o.Scalar {
		return g - c
	}
	return g
}
