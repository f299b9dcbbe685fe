// Package vocab is the large-vocabulary lab (docs/spec.md#lab-vocab): NCE
// against the full softmax on a synthetic conditional language with a
// known truth, and Mnih & Teh's per-context normalizers fixed to 1.
//
// A Language (the truth, its training pairs and the noise) is built once
// and shared, read-only, by any number of Trainers, one per objective
// (the softmax, NCE at several k, …), so that their runs are on the same
// data. A Trainer advances in slices (Step(n) trains n pairs), so that a
// browser worker can run it between frames; a step allocates nothing and
// touches only the rows it samples (the softmax, by its nature, all V).
// Progress is cheap; Metrics (the exact held-out perplexity, log Z of every
// context, the KL from the truth) costs O(contexts·V·dim) and is taken on
// demand. Probe times steps at any V without building a language (the
// time-per-step panel), and Experiment is the runner's pairing of a run
// with its softmax reference. The same spec gives the same numbers bit
// for bit natively and in WebAssembly: one seed derives every random
// stream (PCG), and every exponential and logarithm comes from core/fmath
// or embed.ExpNeg.
package vocab

import (
	"fmt"
	"math"
	"math/rand/v2"

	"nceplay/core/embed"
	"nceplay/core/fmath"
	"nceplay/core/objective"
	"nceplay/core/optim"
)

// lossDecay is the weight of the newest step's loss in the running loss
// (an exponential average over about 1000 steps).
const lossDecay = 1e-3

// The step kinds.
const (
	kindBinary  = iota // nce, neg: embed.Contrast.Step
	kindRank           // rank: embed.Contrast.RankStep
	kindSoftmax        // mle: embed.Softmax.Step
)

// A Trainer trains one objective on a Language. It is not safe for
// concurrent use (several trainers may share a Language).
type Trainer struct {
	spec     Spec
	lang     *Language
	model    *embed.Model
	kind     int
	contrast *embed.Contrast
	softmax  *embed.Softmax
	shift    []float64 // nce: log(k·q(w)); rank: log q(w); neg, mle: nil (folded into BV)
	sched    *optim.Schedule
	logK     float64
	rng      embed.PCG32 // the noise words
	ts       []int32     // the data word and its k noise words

	steps, total int // pair steps taken, and of the whole run
	loss         float64
	lossPrimed   bool
	err          error
	keep         bool     // KeepMetrics
	memo         *Metrics // the last MetricsOver, for its contexts and step
}

// DivergedError reports that the loss became NaN or infinite. Training
// stops there; the model is that of the step that diverged.
type DivergedError struct {
	Obj  string // the objective
	Step int    // from 1, over all passes
	LR   float64
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("vocab: training (obj=%s) diverged at step %d: the loss is no longer finite; lower lr (now %g)", e.Obj, e.Step, e.LR)
}

// NewOn builds a trainer of s on the language l, which must be s's data
// set (Language.Fits): the runs of several objectives on one language
// share its data. The model starts as word2vec's: context vectors uniform
// in ±0.5/dim, word vectors, word biases b_w and normalizers a_ctx zero
// (so every context's log Z starts at log V).
func NewOn(l *Language, s Spec) (*Trainer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	if !l.Fits(s) {
		return nil, fmt.Errorf("vocab: the language is not the data set of %s (vocab, contexts, pairs, dim and seed must match)", s.Query())
	}
	return newTrainer(l, s), nil
}

// newTrainer builds the trainer of s on l, both checked.
func newTrainer(l *Language, s Spec) *Trainer {
	o := s.Objective()
	t := &Trainer{spec: s, lang: l, sched: s.Schedule(), logK: fmath.Log(float64(s.K)),
		model: embed.NewConditional(l.Contexts, l.Words, s.Dim, s.LearnsNormalizers(), true),
		total: s.Passes * s.Pairs}
	t.model.InitWord2Vec(rand.New(rand.NewPCG(s.Seed, streamInit)))
	switch o.Kernel {
	case objective.Binary:
		t.kind = kindBinary
		if o.LogitHasNoise { // nce: z = s − log(k·q(w))
			t.shift = make([]float64, l.Words)
			for w, lq := range l.LogQ {
				t.shift[w] = t.logK + lq
			}
		}
	case objective.Ranking:
		t.kind = kindRank
		t.shift = l.LogQ // z = s − log q(w); log k is a constant of the softmax
	default:
		t.kind = kindSoftmax
		t.softmax = embed.NewSoftmax(l.Words, s.Dim)
	}
	if t.kind != kindSoftmax {
		// The loss sees b_w − shift(w): the model keeps that as its word
		// bias (one array a step reads, not two; Metrics adds shift back).
		for w, x := range t.shift {
			t.model.BV[w] = -x
		}
		t.contrast = embed.NewContrast(l.Words, s.Dim, s.K+1)
		t.ts = make([]int32, s.K+1)
		t.rng = embed.NewPCG32(rand.NewPCG(s.Seed, streamNoise))
	}
	return t
}

// Spec returns the experiment.
func (t *Trainer) Spec() Spec { return t.spec }

// Language returns the language the trainer trains on.
func (t *Trainer) Language() *Language { return t.lang }

// Model returns the model (read-only while training): U the context
// vectors e_ctx, V the word vectors o_w, BU the normalizers a_ctx (nil
// where they are held at 0), and BV the word biases as the loss sees them:
// b_w − Shift(w), so that a step reads one bias array, not two.
func (t *Trainer) Model() *embed.Model { return t.model }

// Shift returns the known term the logit subtracts from s(w, ctx):
// log(k·q(w)) for nce, log q(w) for rank (docs/math.md#e2,
// docs/math.md#e7); nil for neg and mle. The model's score is s(w, ctx) =
// ⟨e_ctx, o_w⟩ + BV[w] + Shift[w] + a_ctx.
func (t *Trainer) Shift() []float64 { return t.shift }

// Err returns the divergence that stopped training, or nil.
func (t *Trainer) Err() error { return t.err }

// Done reports whether every pass is trained or training diverged.
func (t *Trainer) Done() bool { return t.steps >= t.total || t.err != nil }

// LR returns the learning rate of step i (0-based): the spec's schedule
// over all passes.
func (t *Trainer) LR(i int) float64 { return t.sched.LR(t.spec.LR, i, t.total) }

// Step trains up to n pairs, in the language's order, pass after pass:
// one SGD step each on the objective's loss for the pair (ctx, w) — nce
// and neg against k noise words drawn from q (embed.Contrast.Step, with
// the logit s − log(k·q(w)) for nce, s for neg), rank picking w among
// them (embed.Contrast.RankStep), mle the full softmax over all V words
// (embed.Softmax.Step) — at the schedule's learning rate. It returns a
// *DivergedError if the loss stops being finite (and then trains no
// more). It allocates nothing.
func (t *Trainer) Step(n int) error {
	l := t.lang
	m, ts, k := t.model, t.ts, t.spec.K
	ctxs, words := l.Ctx, l.Word
	pairs := len(words)
	var thresh []uint64
	var alias []int32
	var ashift uint
	var amask uint32
	if t.kind != kindSoftmax {
		thresh, alias, ashift, amask = l.noise.Tables()
	}
	rng := t.rng // in a local for the loop (embed.PCG32), stored back below
	for range n {
		if t.err != nil || t.steps >= t.total {
			break
		}
		i := t.steps % pairs
		ctx, w := int(ctxs[i]), words[i]
		lr := t.LR(t.steps)
		var loss float64
		switch t.kind {
		case kindSoftmax:
			loss = t.softmax.Step(m, ctx, int(w), lr)
		default:
			ts[0] = w
			for j := 1; j <= k; j++ {
				ts[j] = embed.DrawFrom(thresh, alias, ashift, amask, rng.Next())
			}
			if t.kind == kindBinary {
				loss = t.contrast.Step(m, ctx, ts, nil, lr)
			} else {
				loss = t.contrast.RankStep(m, ctx, ts, nil, lr)
			}
		}
		t.steps++
		if loss-loss != 0 {
			t.err = &DivergedError{Obj: t.spec.Obj, Step: t.steps, LR: t.spec.LR}
			break
		}
		if !t.lossPrimed {
			t.loss, t.lossPrimed = loss, true
		}
		t.loss += lossDecay * (loss - t.loss)
	}
	t.rng = rng
	return t.err
}

// Progress is the state of training, cheap to take.
type Progress struct {
	Pass  int     // passes completed
	Steps int     // pair steps taken, over all passes
	Total int     // pair steps of the whole run: passes × pairs
	LR    float64 // the learning rate of the next step
	// Loss is a running average (over about 1000 steps) of the
	// objective's loss per pair, in nats: 1 + k logistic terms for nce
	// and neg, a cross-entropy for rank and mle; NaN before the first step.
	Loss float64
	Done bool
}

// Progress returns the state of training.
func (t *Trainer) Progress() Progress {
	p := Progress{Pass: t.steps / t.spec.Pairs, Steps: t.steps, Total: t.total, Done: t.Done(),
		LR: t.LR(min(t.steps, t.total)), Loss: math.NaN()}
	if t.lossPrimed {
		p.Loss = t.loss
	}
	return p
}
