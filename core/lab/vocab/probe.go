package vocab

import (
	"math/rand/v2"

	"nceplay/core/embed"
	"nceplay/core/fmath"
)

// ProbeVocabs are the vocabulary sizes of the time-per-step panel
// (docs/spec.md#lab-vocab): 10³ to 10⁵ on a log axis.
var ProbeVocabs = []int{1000, 2000, 5000, 10000, 20000, 50000, 100000}

// probePairs is the size of a probe's cycle of pairs.
const probePairs = 1 << 16

// A Probe times the training step of a spec at its vocabulary size
// without building its language (the time-per-step panel and make
// bench-vocab): the same Trainer and step on a model of the spec's sizes,
// trained on a cycle of 2¹⁶ pairs whose contexts are uniform and whose
// words, like its noise, follow the Zipf unigram q(w) ∝ (w+1)^−Zipf of
// the language's word biases. A step costs what a training step of the
// spec costs (the noise words fall on the same rows as often); its
// numbers mean nothing. Building it costs O(V·dim).
type Probe struct {
	t *Trainer
}

// NewProbe returns the probe of s (its keys vocab, contexts, dim, obj,
// norm, k, lr and seed).
func NewProbe(s Spec) (*Probe, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	l := &Language{Contexts: s.Contexts, Words: s.Vocab, Rank: s.Rank(), data: s.dataKey()}
	weights := make([]float64, s.Vocab)
	for w := range weights {
		weights[w] = fmath.Exp(-Zipf * fmath.Log(float64(w+1)))
	}
	var err error
	if l.noise, err = embed.NewAlias(weights); err != nil {
		return nil, err
	}
	l.Q = l.noise.Prob()
	l.LogQ = make([]float64, s.Vocab)
	for w, q := range l.Q {
		l.LogQ[w] = fmath.Log(q)
	}
	r := rand.New(rand.NewPCG(s.Seed, streamData))
	l.Ctx = make([]int32, probePairs)
	l.Word = make([]int32, probePairs)
	for i := range probePairs {
		u := r.Uint64()
		l.Ctx[i] = int32(r.IntN(s.Contexts))
		l.Word[i] = l.noise.Draw(uint32(u))
	}
	s.Pairs = probePairs
	s.Passes = 1 << 14 // 2³⁰ steps: more than a probe takes
	return &Probe{t: newTrainer(l, s)}, nil
}

// Step trains n steps.
func (p *Probe) Step(n int) { p.t.Step(n) }

// StepWork returns the multiply-adds of a step's scores, dim·(k + 1) for
// the sampled objectives and dim·V for the softmax: a host can size its
// timing slices by it.
func (s Spec) StepWork() float64 {
	rows := s.Vocab
	if s.Objective().DrawsNoise() {
		rows = s.K + 1
	}
	return float64(s.Dim) * float64(rows)
}
