// Package infonce is the InfoNCE lab (lab=infonce, docs/spec.md#lab-infonce):
// a critic f(x, y) trained with the ranking loss of docs/math.md#e7 on
// pairs from a bivariate Gaussian with correlation ρ, each positive pair
// ranked against the k other pairs of its batch, and the lower bound
// log(k+1) − J of docs/math.md#e10 on the mutual information compared
// with its true value −½ log(1 − ρ²) (docs/math.md#e11). The bound can
// never pass log(k+1), whatever the critic.
//
// An Engine is built from a Spec and trained in slices (Step), so that a
// browser worker can run it and post its Metrics between slices; the same
// spec gives the same numbers on every platform.
package infonce

import (
	"fmt"
	"math"
	"strings"

	"nceplay/core/model"
	"nceplay/core/optim"
	"nceplay/core/spec"
)

// Name is the lab's value of the lab key.
const Name = "infonce"

// Spec is a parsed, validated InfoNCE experiment. Field comments name the
// query key.
type Spec struct {
	Lab    string  // lab
	Rho    float64 // rho
	Critic string  // critic
	K      int     // k
	Units  int     // units
	Layers int     // layers
	EDim   int     // edim
	Tau    float64 // tau
	Opt    string  // opt
	LR     float64 // lr
	Steps  int     // steps
	Seed   uint64  // seed
}

// A CriticInfo is one row of the critic registry, Critics.
type CriticInfo struct {
	Name string
	Doc  string
	// Uses names the sizes the critic reads.
	Units, Layers, Embed bool
	new                  func(s *Spec) critic
	// cost returns the multiply-adds and the floats of working memory per
	// scored pair (x_i, y_j), for the caps.
	cost func(s *Spec) (flops, floats float64)
}

// Critics is the registry of critics, in the order the spec lists them.
var Critics = []*CriticInfo{
	{Name: "mlp", Doc: "a tanh MLP of the pair", Units: true, Layers: true,
		new: newMLPCritic,
		cost: func(s *Spec) (float64, float64) {
			c := model.MLPInfo.Cost(model.Shape{Dim: 2, Units: s.Units, Layers: s.Layers})
			return 3 * c.Flops, c.Tape + 3 // forward and backward; the pair, f and ∂J/∂f
		}},
	{Name: "bilinear", Doc: "a·x·y, which lacks the best critic's y² term",
		new:  func(*Spec) critic { return &bilinear{} },
		cost: func(*Spec) (float64, float64) { return 3, 2 }},
	{Name: "cosine", Doc: "SimCLR's cos(g(x), h(y))/τ with MLP encoders into ℝ^edim", Units: true, Embed: true,
		new: newCosineCritic,
		// Per pair the B×B similarity and its gradient; the encoders'
		// work is per point, B per batch, counted per pair as /B ≤ 1.
		cost: func(s *Spec) (float64, float64) {
			return 3*float64(s.EDim) + 2*float64(s.Units*(s.EDim+2)), 2
		}},
}

// LookupCritic returns the critic called name, or nil.
func LookupCritic(name string) *CriticInfo {
	for _, c := range Critics {
		if c.Name == name {
			return c
		}
	}
	return nil
}

func (s *Spec) critic() *CriticInfo {
	if c := LookupCritic(s.Critic); c != nil {
		return c
	}
	return Critics[0]
}

// Key names, each spelled once.
const (
	kLab    = "lab"
	kRho    = "rho"
	kCritic = "critic"
	kK      = "k"
	kUnits  = "units"
	kLayers = "layers"
	kEDim   = "edim"
	kTau    = "tau"
	kOpt    = "opt"
	kLR     = "lr"
	kSteps  = "steps"
	kSeed   = "seed"
)

// Caps, as the playground's (docs/spec.md#caps): the pairs a step scores,
// (k+1)², the work per step and the working memory per step.
const (
	MaxK = 511
)

// Table is the lab's key table (docs/spec.md#lab-infonce).
var Table *spec.Table[Spec]

func init() { Table = spec.NewTable(Name, keys(), rules()) }

func keys() []spec.Key[Spec] {
	var critics, docs []string
	for _, c := range Critics {
		critics = append(critics, c.Name)
		docs = append(docs, c.Name+" ("+c.Doc+")")
	}
	// Shared keys keep the playground's kind, label and meaning (core/lab's
	// TestSharedKeys); their docs say what they do here: k is the
	// negatives per positive (the batch's other pairs), units the critic's
	// width.
	k := spec.Shared(kK, func(s *Spec) any { return &s.K })
	k.Max = MaxK
	k.Doc = "Negatives per positive: a batch holds k + 1 pairs, and each x is scored against every y (docs/math.md#ranking)."
	// The lab's own default: 16 candidates, a ceiling log 16 = 2.77 well
	// above the default ρ's 0.83 nats (the playground's k = 1 would cap
	// the bound at log 2 = 0.69, under it).
	k.Default = "15"
	units := spec.Shared(kUnits, func(s *Spec) any { return &s.Units })
	units.Max = 128
	units.Applies = func(s *Spec) bool { return s.critic().Units }
	units.Doc = "Hidden width of the mlp critic, or of the cosine critic's encoders g and h."
	layers := spec.Shared(kLayers, func(s *Spec) any { return &s.Layers })
	layers.Applies = func(s *Spec) bool { return s.critic().Layers }
	layers.Doc = "Number of hidden layers of the mlp critic."
	opt := spec.Shared(kOpt, func(s *Spec) any { return &s.Opt })
	opt.Doc = "Optimizer: a first-order one (the loss is not convex in a network's parameters)."
	opt.Values = nil // the first-order ones: the loss is not convex in an MLP's parameters
	for _, o := range optim.All {
		if !o.SecondOrder {
			opt.Values = append(opt.Values, o.Name)
		}
	}
	seed := spec.Shared(kSeed, func(s *Spec) any { return &s.Seed })
	seed.Doc = "One seed for the training pairs, the critic's initial parameters and the evaluation pairs."
	lr := spec.Shared(kLR, func(s *Spec) any { return &s.LR })
	lr.Doc = "Learning rate of the optimizer."
	steps := spec.Shared(kSteps, func(s *Spec) any { return &s.Steps })
	steps.Doc = "Training steps, each on a fresh batch of k + 1 pairs."
	return []spec.Key[Spec]{
		{Name: kLab, Kind: spec.KindEnum, Default: Name, Values: []string{Name}, Always: true,
			Label: "Lab", Doc: "The lab: InfoNCE's bound on mutual information.",
			Ptr: func(s *Spec) any { return &s.Lab }},
		{Name: kRho, Kind: spec.KindFloat, Default: "0.9", Min: -0.9999, Max: 0.9999,
			Label: "Correlation ρ", Doc: "Correlation of the Gaussian pair (x, y); its mutual information is −½ log(1 − ρ²) (docs/math.md#e11).",
			Ptr: func(s *Spec) any { return &s.Rho }},
		{Name: kCritic, Kind: spec.KindEnum, Default: critics[0], Values: critics,
			Label: "Critic", Doc: "Critic f(x, y): " + strings.Join(docs, ", ") + ".",
			Ptr: func(s *Spec) any { return &s.Critic }},
		k, units, layers,
		{Name: kEDim, Kind: spec.KindInt, Default: "8", Min: 1, Max: 64,
			Label: "Embedding dim", Doc: "Dimension of the cosine critic's embeddings.",
			Ptr:     func(s *Spec) any { return &s.EDim },
			Applies: func(s *Spec) bool { return s.critic().Embed }},
		{Name: kTau, Kind: spec.KindFloat, Default: "0.1", Min: 0.01, Max: 10, Log: true,
			Label: "Temperature τ", Doc: "Temperature of the cosine critic: f = cos/τ, so |f| ≤ 1/τ.",
			Ptr:     func(s *Spec) any { return &s.Tau },
			Applies: func(s *Spec) bool { return s.critic().Embed }},
		opt,
		lr,
		steps,
		seed,
	}
}

// Pairs returns (k+1)², the pairs (x_i, y_j) a step scores.
func (s Spec) Pairs() float64 { return float64(s.K+1) * float64(s.K+1) }

// StepCost returns the multiply-adds and the working memory (float64s)
// of one training step: (k+1)² pairs times the critic's cost per pair.
func (s Spec) StepCost() (work, memory float64) {
	f, m := s.critic().cost(&s)
	return s.Pairs() * f, s.Pairs() * m
}

func rules() []spec.Rule[Spec] {
	return []spec.Rule[Spec]{
		{Keys: []string{kK, kUnits, kLayers, kEDim}, Check: func(s *Spec) (float64, string) {
			w, _ := s.StepCost()
			if w <= spec.MaxStepWork {
				return 0, ""
			}
			return w - spec.MaxStepWork, fmt.Sprintf("gives (%s+1)² = %.0f pairs per step × the critic's work = %.3g multiply-adds per step, more than %d; lower %s", kK, s.Pairs(), w, spec.MaxStepWork, Table.LowerList(s, kK, kUnits, kLayers, kEDim))
		}},
		{Keys: []string{kK, kUnits, kLayers}, Check: func(s *Spec) (float64, string) {
			_, m := s.StepCost()
			if m <= spec.MaxStepMemory {
				return 0, ""
			}
			return m - spec.MaxStepMemory, fmt.Sprintf("needs (%s+1)² = %.0f pairs × the critic's floats = %.3g floats (%.0f MB) of working memory per step, more than %d (64 MB); lower %s", kK, s.Pairs(), m, m*8/(1<<20), spec.MaxStepMemory, Table.LowerList(s, kK, kUnits, kLayers))
		}},
	}
}

// Parse parses a query of the lab (see spec.Table.Parse).
func Parse(query string) (Spec, error) { return Table.Parse(query) }

// Validate checks a spec built by hand.
func (s Spec) Validate() error { return Table.Validate(s) }

// Query returns the canonical query of the experiment (the lab key
// included).
func (s Spec) Query() string { return Table.Query(s, false) }

// MITrue returns the true mutual information −½ log(1 − ρ²) in nats
// (docs/math.md#e11).
func (s Spec) MITrue() float64 { return -0.5 * math.Log1p(-s.Rho*s.Rho) }
