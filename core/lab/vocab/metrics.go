package vocab

import (
	"math"

	"nceplay/core/embed"
	"nceplay/core/fmath"
	"nceplay/core/objective"
)

// Metrics are a trainer's exact measurements against the truth
// (docs/spec.md#lab-vocab), over the first Contexts contexts of the
// language (all of them unless fewer were asked for: the contexts are
// independent draws, so a prefix is a random sample of them).
type Metrics struct {
	Contexts int // contexts evaluated
	// PPL is the held-out perplexity of the exactly normalized model,
	// exp of the cross-entropy −Σ_w p̃(w|ctx) log p̂(w|ctx) averaged over
	// the contexts: the perplexity on unseen pairs drawn from the truth,
	// computed exactly rather than on a sample. p̂ is the objective's
	// read-back (docs/math.md#metrics) normalized over all V words
	// (evaluation may cost O(V), training does not): p̂ ∝ exp s for nce,
	// rank and mle, p̂ ∝ exp(s)·q for neg, whose scores are log p̃/(k·q)
	// at its optimum (docs/math.md#e6).
	PPL float64
	// PPLTrue is the true model's (exp of the mean entropy), the floor;
	// PPLUnigram is that of the noise q used as a model (a context-blind
	// baseline).
	PPLTrue, PPLUnigram float64
	// KL is the mean over contexts of KL(p̃(·|ctx) ‖ p̂(·|ctx)) = log PPL −
	// log PPLTrue.
	KL float64
	// LogZ is log Z(ctx) = log Σ_w exp s(w, ctx) per context, the logits
	// with a_ctx: 0 where the model is self-normalized. LogZMean, LogZSD,
	// LogZMin, LogZMax and LogZMeanAbs (the mean of |log Z|) describe it.
	LogZ                                            []float64
	LogZMean, LogZSD, LogZMin, LogZMax, LogZMeanAbs float64
	// LogZWithoutA is log Σ_w exp(s(w, ctx) − a_ctx) per context: what a
	// learned a_ctx must cancel (norm=learn: A ≈ −LogZWithoutA).
	LogZWithoutA []float64
	// A is a_ctx per context, nil where it is held at 0 (norm=fixed, rank,
	// mle); AMean and ASD are NaN there.
	A          []float64
	AMean, ASD float64
	// NegOptimum is, per context, negative sampling's log Z at its optimum
	// with the trainer's k (docs/math.md#e12): log Σ_w p̃(w|ctx)/q(w) −
	// log k; nil for mle, which draws no noise. NegOptimumMean is its mean.
	NegOptimum     []float64
	NegOptimumMean float64
	// LogZErrorRMS is, for obj=neg, the RMS over the contexts of LogZ −
	// NegOptimum; NaN for the others.
	LogZErrorRMS float64
	// Objective, Steps, Total and Pass are the trainer's at the time.
	Objective          string
	Steps, Total, Pass int
}

// Metrics measures the model over every context: O(contexts·V·(dim +
// rank)) time; it allocates its result.
func (t *Trainer) Metrics() Metrics { return t.MetricsOver(t.lang.Contexts) }

// MetricsOver measures the model over the first n contexts (n ≤ 0 or
// beyond the language's: all of them), for a cheaper live curve.
// After KeepMetrics, a measurement is kept until the trainer steps: taken
// again at the same step over the same contexts, it is the same (a copy),
// at no cost.
func (t *Trainer) MetricsOver(n int) Metrics {
	l := t.lang
	if n <= 0 || n > l.Contexts {
		n = l.Contexts
	}
	if !t.keep {
		return t.measure(n)
	}
	if t.memo != nil && t.memo.Contexts == n && t.memo.Steps == t.steps {
		return t.memo.clone()
	}
	r := t.measure(n)
	t.memo = &r
	return r.clone()
}

// KeepMetrics makes MetricsOver keep its last measurement until the
// trainer steps (a page measures a finished run often): for a caller that
// changes the model only through Step.
func (t *Trainer) KeepMetrics() { t.keep = true }

// clone returns m with its slices copied.
func (m Metrics) clone() Metrics {
	for _, s := range []*[]float64{&m.LogZ, &m.LogZWithoutA, &m.A, &m.NegOptimum} {
		if *s != nil {
			*s = append([]float64(nil), *s...)
		}
	}
	return m
}

// measure is MetricsOver without the memo.
func (t *Trainer) measure(n int) Metrics {
	l := t.lang
	m := t.model
	p := t.Progress()
	r := Metrics{Contexts: n, Objective: t.spec.Obj, Steps: p.Steps, Total: p.Total, Pass: p.Pass,
		LogZ: make([]float64, n), LogZWithoutA: make([]float64, n),
		AMean: math.NaN(), ASD: math.NaN(), NegOptimumMean: math.NaN(), LogZErrorRMS: math.NaN()}
	if m.BU != nil {
		r.A = append([]float64(nil), m.BU[:n]...)
		r.AMean, r.ASD = meanSD(r.A)
	}
	if t.spec.Objective().DrawsNoise() {
		r.NegOptimum = make([]float64, n)
		for c := range n {
			r.NegOptimum[c] = fmath.Log(l.SumPOverQ[c]) - t.logK
		}
		r.NegOptimumMean, _ = meanSD(r.NegOptimum)
	}
	s := make([]float64, l.Words)
	g := make([]float64, l.Words)
	timesQ := t.spec.Objective().ReadBack == objective.TimesKU
	ce, h := 0.0, 0.0
	for c := range n {
		m.RowScores(c, s)           // without a_c, which cancels in p̂
		for w, x := range t.shift { // BV holds b_w − shift(w)
			s[w] += x
		}
		r.LogZWithoutA[c] = logSumExp(s)
		r.LogZ[c] = r.LogZWithoutA[c]
		if m.BU != nil {
			r.LogZ[c] += m.BU[c]
		}
		// The read-back's log-density up to its normalizer.
		if timesQ {
			for w, lq := range l.LogQ {
				s[w] += lq
			}
		}
		logZ := logSumExp(s)
		// Cross-entropy −Σ p̃ (s − log Z), with p̃ from the truth.
		l.Truth.RowScores(c, g)
		lz := l.LogZ[c]
		e := 0.0
		for w, x := range g {
			e -= embed.ExpNeg(x-lz) * (s[w] - logZ)
		}
		ce += e
		h += l.Entropy[c]
	}
	ce /= float64(n)
	h /= float64(n)
	r.PPL = fmath.Exp(ce)
	r.PPLTrue = fmath.Exp(h)
	r.PPLUnigram = fmath.Exp(l.UnigramCE)
	r.KL = ce - h
	r.LogZMean, r.LogZSD = meanSD(r.LogZ)
	r.LogZMin, r.LogZMax = math.Inf(1), math.Inf(-1)
	for _, z := range r.LogZ {
		r.LogZMin, r.LogZMax = min(r.LogZMin, z), max(r.LogZMax, z)
		r.LogZMeanAbs += math.Abs(z)
	}
	r.LogZMeanAbs /= float64(n)
	if t.spec.Objective() == objective.Neg {
		sq := 0.0
		for c, z := range r.LogZ {
			d := z - r.NegOptimum[c]
			sq += d * d
		}
		r.LogZErrorRMS = math.Sqrt(sq / float64(n))
	}
	return r
}

// logSumExp returns log Σ exp x_i (x not empty).
func logSumExp(x []float64) float64 {
	hi := x[0]
	for _, v := range x {
		hi = max(hi, v)
	}
	sum := 0.0
	for _, v := range x {
		sum += embed.ExpNeg(v - hi)
	}
	return hi + fmath.Log(sum)
}

// meanSD returns the mean and the standard deviation (divided by n) of x.
func meanSD(x []float64) (mean, sd float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	for _, v := range x {
		mean += v
	}
	mean /= float64(len(x))
	for _, v := range x {
		sd += (v - mean) * (v - mean)
	}
	return mean, math.Sqrt(sd / float64(len(x)))
}

// Histogram counts the values in bins equal bins over [lo, hi): counts[i]
// holds those in [lo + i·w, lo + (i+1)·w), w = (hi − lo)/bins; values
// below lo go to the first bin and values at or above hi to the last
// (a panel shows them at its edges); NaNs are left out.
func Histogram(values []float64, lo, hi float64, bins int) []int {
	counts := make([]int, bins)
	if bins < 1 || !(hi > lo) {
		return counts
	}
	w := (hi - lo) / float64(bins)
	for _, v := range values {
		if v != v {
			continue
		}
		i := int(math.Floor((v - lo) / w))
		counts[min(max(i, 0), bins-1)]++
	}
	return counts
}
