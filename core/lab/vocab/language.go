package vocab

import (
	"math"
	"math/rand/v2"

	"nceplay/core/density"
	"nceplay/core/embed"
	"nceplay/core/fmath"
)

// Random streams derived from the seed (PCG stream ids).
const (
	streamTruth = 1 + iota
	streamData
	streamInit
	streamNoise
)

// The synthetic language's constants (docs/spec.md#lab-vocab).
const (
	// Tau is the spread of the true context–word interaction: ⟨e*_ctx,
	// o*_w⟩ has standard deviation Tau over the words.
	Tau = 1.5
	// Zipf is the exponent of the true word biases, b*_w = −Zipf·log(w+1):
	// word 0 is the most frequent, and the unigram falls off as in text.
	Zipf = 1.0
)

// A Language is the lab's synthetic conditional language and its data
// (docs/spec.md#lab-vocab): C contexts, V words and
//
//	p̃(w | ctx) = exp(⟨e*_ctx, o*_w⟩ + b*_w) / Z*(ctx),
//
// with true embeddings of rank Rank = dim/2 (e* ~ N(0, Tau²/Rank),
// o* ~ N(0, 1) per coordinate) and the Zipf-like biases b*_w; a training
// set of Pairs (ctx, word) pairs, ctx uniform and word ~ p̃(·|ctx), in
// random order; and the noise q, the training words' unigram, add-one
// smoothed, drawn by an alias table. A Language is built once per data
// set (the keys vocab, contexts, pairs, dim and seed) and read-only
// afterwards: several trainers (the softmax and NCE at several k) can
// share it.
type Language struct {
	Contexts, Words, Rank int
	// Truth holds e* (U, Contexts×Rank), o* (V, Words×Rank) and b* (BV).
	Truth *embed.Model
	// LogZ and Entropy are per context: log Z*(ctx) and the entropy of
	// p̃(·|ctx), in nats.
	LogZ, Entropy []float64
	// Ctx and Word are the training pairs, in training order.
	Ctx, Word []int32
	// Count is each word's count among the training pairs.
	Count []int32
	// Q is the noise distribution as the alias table realizes it (within
	// 10⁻⁸ of (Count + 1)/(Pairs + V)), LogQ its logarithm.
	Q, LogQ []float64
	noise   *embed.Alias
	// SumPOverQ and SumP2OverQ are per context: Σ_w p̃(w|ctx)/q(w), whose
	// logarithm minus log k is negative sampling's log Z(ctx) at its
	// optimum (docs/math.md#e12), and Σ_w p̃(w|ctx)²/q(w) = 1 + χ²(p̃_ctx ‖ q),
	// which is not (docs/spec.md#lab-vocab).
	SumPOverQ, SumP2OverQ []float64
	// UnigramCE is the cross-entropy of the noise q as a model, averaged
	// over contexts: log of the perplexity of a model that ignores the
	// context.
	UnigramCE float64

	data dataKey
}

// dataKey is what determines a language: the keys a trainer must share
// with the language it trains on.
type dataKey struct {
	vocab, contexts, pairs, rank int
	seed                         uint64
}

func (s *Spec) dataKey() dataKey {
	return dataKey{vocab: s.Vocab, contexts: s.Contexts, pairs: s.Pairs, rank: s.Rank(), seed: s.Seed}
}

// NewLanguage builds the language and data set of s (its keys vocab,
// contexts, pairs, dim and seed): O(contexts·vocab·rank + pairs·log vocab)
// time. It fails only on an invalid spec.
func NewLanguage(s Spec) (*Language, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c, v, r := s.Contexts, s.Vocab, s.Rank()
	l := &Language{Contexts: c, Words: v, Rank: r, Truth: embed.NewConditional(c, v, r, false, true),
		LogZ: make([]float64, c), Entropy: make([]float64, c), data: s.dataKey()}
	tr := rand.New(rand.NewPCG(s.Seed, streamTruth))
	for i := range l.Truth.V {
		l.Truth.V[i] = density.Normal(tr)
	}
	scale := Tau / math.Sqrt(float64(r))
	for i := range l.Truth.U {
		l.Truth.U[i] = scale * density.Normal(tr)
	}
	for w := range l.Truth.BV {
		l.Truth.BV[w] = -Zipf * fmath.Log(float64(w+1))
	}

	// The contexts of the pairs, uniform; then each context's words by
	// inverse CDF, context after context; then a shuffle.
	dr := rand.New(rand.NewPCG(s.Seed, streamData))
	n := s.Pairs
	perCtx := make([]int, c)
	for range n {
		perCtx[dr.IntN(c)]++
	}
	l.Ctx = make([]int32, 0, n)
	l.Word = make([]int32, 0, n)
	g := make([]float64, v)
	cdf := make([]float64, v)
	for ctx := range c {
		logZ, h := l.truthRow(ctx, g)
		l.LogZ[ctx], l.Entropy[ctx] = logZ, h
		sum := 0.0
		for w, x := range g {
			sum += embed.ExpNeg(x - logZ)
			cdf[w] = sum
		}
		for range perCtx[ctx] {
			u := dr.Float64() * sum
			lo, hi := 0, v-1 // the first w with cdf[w] > u
			for lo < hi {
				mid := (lo + hi) / 2
				if cdf[mid] > u {
					hi = mid
				} else {
					lo = mid + 1
				}
			}
			l.Ctx = append(l.Ctx, int32(ctx))
			l.Word = append(l.Word, int32(lo))
		}
	}
	for i := n - 1; i > 0; i-- {
		j := dr.IntN(i + 1)
		l.Ctx[i], l.Ctx[j] = l.Ctx[j], l.Ctx[i]
		l.Word[i], l.Word[j] = l.Word[j], l.Word[i]
	}

	// The noise: the unigram of the training words, add-one smoothed.
	l.Count = make([]int32, v)
	for _, w := range l.Word {
		l.Count[w]++
	}
	weights := make([]float64, v)
	for w, k := range l.Count {
		weights[w] = float64(k) + 1
	}
	var err error
	if l.noise, err = embed.NewAlias(weights); err != nil {
		return nil, err // not reached: the weights are ≥ 1
	}
	l.Q = l.noise.Prob()
	l.LogQ = make([]float64, v)
	for w, q := range l.Q {
		l.LogQ[w] = fmath.Log(q)
	}

	// Per context, what theory needs of q: Σ p̃/q, Σ p̃²/q, and the
	// unigram's cross-entropy.
	l.SumPOverQ = make([]float64, c)
	l.SumP2OverQ = make([]float64, c)
	ce := 0.0
	for ctx := range c {
		logZ := l.LogZ[ctx]
		l.Truth.RowScores(ctx, g)
		var s1, s2, h float64
		for w, x := range g {
			p := embed.ExpNeg(x - logZ)
			r := p / l.Q[w]
			s1 += r
			s2 += p * r
			h -= p * l.LogQ[w]
		}
		l.SumPOverQ[ctx], l.SumP2OverQ[ctx] = s1, s2
		ce += h
	}
	l.UnigramCE = ce / float64(c)
	return l, nil
}

// truthRow writes the true logits ⟨e*_ctx, o*_w⟩ + b*_w of every word
// into g and returns log Z*(ctx) and the entropy of p̃(·|ctx).
func (l *Language) truthRow(ctx int, g []float64) (logZ, entropy float64) {
	l.Truth.RowScores(ctx, g)
	hi := g[0]
	for _, x := range g {
		hi = max(hi, x)
	}
	sum, mean := 0.0, 0.0
	for _, x := range g {
		e := embed.ExpNeg(x - hi)
		sum += e
		mean += e * x
	}
	logZ = hi + fmath.Log(sum)
	// H = log Z − E_p̃[g].
	return logZ, logZ - mean/sum
}

// Fits reports whether the language is the data set of s.
func (l *Language) Fits(s Spec) bool { return l.data == s.dataKey() }

// TrueEntropy returns the mean over contexts of the entropy of p̃(·|ctx):
// the log of the true model's perplexity (ppl_true).
func (l *Language) TrueEntropy() float64 {
	h := 0.0
	for _, x := range l.Entropy {
		h += x
	}
	return h / float64(l.Contexts)
}
