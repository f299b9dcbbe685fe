package vocab

import (
	"math"
	"testing"

	"nceplay/core/fmath"
)

// trainOn trains the spec base&q to the end on the language l.
func trainOn(t *testing.T, l *Language, base, q string) *Trainer {
	t.Helper()
	tr, err := NewOn(l, mustParse(t, base+"&"+q))
	if err != nil {
		t.Fatal(err)
	}
	for !tr.Done() {
		if err := tr.Step(1 << 20); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	return tr
}

// corr is Pearson's correlation of a and b.
func corr(a, b []float64) float64 {
	ma, sa := meanSD(a)
	mb, sb := meanSD(b)
	c := 0.0
	for i := range a {
		c += (a[i] - ma) * (b[i] - mb)
	}
	return c / float64(len(a)) / (sa * sb)
}

// theoryBase is the CI-sized comparison (the issue's V = 5,000; the
// default V = 20,000 figures are make bench-vocab's and the README's):
// 200 contexts, rank-8 truth, dim 16, 3·10⁴ pairs seen twice, lr 0.1
// with the cosine schedule, k = 25.
const theoryBase = "vocab=5000&contexts=200&pairs=30000&passes=2&dim=16"

// TestNCEAgainstSoftmax is the lab's claim (docs/spec.md#lab-vocab), on
// one language and the same passes for every objective:
//
//   - NCE with k = 25 and every normalizer fixed to 0 (Mnih & Teh) reaches
//     a held-out perplexity within 10% of the full softmax's, and
//     normalizes itself: over the 200 contexts, log Z(ctx) has |mean| ≤ 0.2
//     and spread ≤ 0.3. Measured (seeds 1, 2, 3): ppl 532.1, 362.2, 479.3
//     against the softmax's 539.4, 365.8, 483.1 (NCE 1–1.4% lower), log Z
//     −0.007 ± 0.078, −0.000 ± 0.088, 0.009 ± 0.080. Both are well below
//     the unigram's 748 (seed 1): they learned the contexts. The softmax's
//     own log Z sits near log V + 0.8 ≈ 9.3 (nothing pins it).
//   - With learned normalizers (norm=learn) the logits' log Z(ctx),
//     a_ctx included, is ≈ 0 in every context: asserted |log Z| ≤ 0.3
//     everywhere and mean |log Z| ≤ 0.1 (measured: within [−0.24, 0.21],
//     means 0.043, 0.038, 0.038), and a_ctx tracks −log Z of the rest
//     (correlation ≥ 0.95; measured 0.987, 0.989, 0.990). Its
//     perplexity is 6–8% above norm=fixed's (574.3, 389.8, 520.1): fixing
//     the normalizers lost nothing, as Mnih & Teh found.
//   - Negative sampling's log Z(ctx) follows E12, log Σ_w p̃(w|ctx)/q(w)
//     − log k with the true p̃ and the data's q, not 0 (≈ log(V/k) = 5.3
//     here): mean within 0.1 and RMS over contexts ≤ 0.2 (measured means
//     off by +0.004, +0.003, 0.000; RMS 0.074, 0.107, 0.071), and the
//     issue's log(1 + χ²(p̃_ctx ‖ q)) − log k is off by more than 5 nats.
//     TestNegSamplingE12 checks it tightly with more data per word.
//   - Ranking NCE's perplexity is within 10% of the softmax's too
//     (measured 550.9, 374.3, 492.4: 2% above).
func TestNCEAgainstSoftmax(t *testing.T) {
	if testing.Short() {
		t.Skip("trains a full softmax over 5000 words for 60000 steps (about 10 s)")
	}
	l, err := NewLanguage(mustParse(t, theoryBase))
	if err != nil {
		t.Fatal(err)
	}
	soft := trainOn(t, l, theoryBase, "obj=mle").Metrics()
	t.Logf("softmax: ppl %.2f (true %.2f, unigram %.2f), log Z %.3f ± %.3f", soft.PPL, soft.PPLTrue, soft.PPLUnigram, soft.LogZMean, soft.LogZSD)
	if soft.PPL > 0.8*soft.PPLUnigram || soft.LogZMean < 1 {
		t.Errorf("softmax: ppl %.2f against the unigram's %.2f (want ≤ 80%%), log Z %.3f", soft.PPL, soft.PPLUnigram, soft.LogZMean)
	}

	fixed := trainOn(t, l, theoryBase, "obj=nce&norm=fixed&k=25").Metrics()
	t.Logf("nce, norm=fixed: ppl %.2f (%.4f of the softmax's), log Z %.3f ± %.3f in [%.3f, %.3f]",
		fixed.PPL, fixed.PPL/soft.PPL, fixed.LogZMean, fixed.LogZSD, fixed.LogZMin, fixed.LogZMax)
	if fixed.PPL > 1.1*soft.PPL || math.Abs(fixed.LogZMean) > 0.2 || fixed.LogZSD > 0.3 || fixed.A != nil {
		t.Errorf("nce, norm=fixed: ppl %.2f (softmax %.2f: want ≤ 1.1×), log Z %.3f ± %.3f (want |mean| ≤ 0.2, sd ≤ 0.3)",
			fixed.PPL, soft.PPL, fixed.LogZMean, fixed.LogZSD)
	}

	learn := trainOn(t, l, theoryBase, "obj=nce&norm=learn&k=25").Metrics()
	negLogZ0 := make([]float64, len(learn.LogZWithoutA))
	for c, z := range learn.LogZWithoutA {
		negLogZ0[c] = -z
	}
	ra := corr(learn.A, negLogZ0)
	t.Logf("nce, norm=learn: ppl %.2f, log Z %.3f ± %.3f in [%.3f, %.3f], mean |log Z| %.3f; a %.3f ± %.3f, corr(a, −log Z without a) %.4f",
		learn.PPL, learn.LogZMean, learn.LogZSD, learn.LogZMin, learn.LogZMax, learn.LogZMeanAbs, learn.AMean, learn.ASD, ra)
	if learn.LogZMin < -0.3 || learn.LogZMax > 0.3 || learn.LogZMeanAbs > 0.1 || ra < 0.95 {
		t.Errorf("nce, norm=learn: log Z in [%.3f, %.3f] (want within ±0.3), mean |log Z| %.3f (≤ 0.1), corr %.4f (≥ 0.95)",
			learn.LogZMin, learn.LogZMax, learn.LogZMeanAbs, ra)
	}

	neg := trainOn(t, l, theoryBase, "obj=neg&k=25").Metrics()
	chi := issueChi2(l, 25, len(neg.LogZ))
	t.Logf("neg: log Z %.3f ± %.3f; E12 %.3f (RMS off %.3f, corr %.3f); the issue's log(1+χ²) − log k %.3f; ppl %.2f",
		neg.LogZMean, neg.LogZSD, neg.NegOptimumMean, neg.LogZErrorRMS, corr(neg.LogZ, neg.NegOptimum), chi, neg.PPL)
	if math.Abs(neg.LogZMean-neg.NegOptimumMean) > 0.1 || neg.LogZErrorRMS > 0.2 || math.Abs(neg.LogZMean-chi) < 5 {
		t.Errorf("neg: log Z %.3f, E12 %.3f (want within 0.1), RMS %.3f (≤ 0.2), the issue's %.3f (want more than 5 away)",
			neg.LogZMean, neg.NegOptimumMean, neg.LogZErrorRMS, chi)
	}

	rank := trainOn(t, l, theoryBase, "obj=rank&k=25").Metrics()
	t.Logf("rank: ppl %.2f, log Z %.3f ± %.3f", rank.PPL, rank.LogZMean, rank.LogZSD)
	if rank.PPL > 1.1*soft.PPL {
		t.Errorf("rank: ppl %.2f, softmax %.2f", rank.PPL, soft.PPL)
	}
}

// issueChi2 returns the mean over the first n contexts of the issue's
// formula for negative sampling's log Z, log(1 + χ²(p̃_ctx ‖ q)) − log k =
// log Σ_w p̃²/q − log k, which is not E12's log Σ_w p̃/q − log k.
func issueChi2(l *Language, k, n int) float64 {
	s := 0.0
	for c := range n {
		s += fmath.Log(l.SumP2OverQ[c]) - fmath.Log(float64(k))
	}
	return s / float64(n)
}

// TestNegSamplingE12: with 200 pairs per word on average (V = 1000,
// 2·10⁵ pairs, three passes), negative sampling's log Z(ctx) = log Σ_w
// exp s(w, ctx) matches E12 (docs/math.md#e12), log Σ_w p̃(w|ctx)/q(w) −
// log k, context by context — q the data's add-one smoothed unigram,
// which training sees, p̃ the truth. Asserted: mean within 0.05, RMS
// difference over the 200 contexts ≤ 0.08, correlation ≥ 0.95 across
// contexts (E12's own spread is 0.15–0.23). Measured (seeds 1, 2, 3): mean
// 3.661, 3.672, 3.670 against 3.669, 3.689, 3.671; RMS 0.040, 0.039,
// 0.037; correlation 0.986, 0.974, 0.985. The residual is finite data:
// the optimum of the loss SGD sees has the empirical p(w|ctx), not p̃,
// and rare words' counts are noisy (with 5·10⁴ pairs over 5000 words the
// RMS grows to 0.1–0.2). The issue's log(1 + χ²) − log k = log Σ p̃²/q −
// log k is about −1.8 here, 5.5 nats off.
func TestNegSamplingE12(t *testing.T) {
	if testing.Short() {
		t.Skip("600000 steps")
	}
	const base = "vocab=1000&contexts=200&pairs=200000&passes=3&dim=16"
	l, err := NewLanguage(mustParse(t, base))
	if err != nil {
		t.Fatal(err)
	}
	m := trainOn(t, l, base, "obj=neg&k=25").Metrics()
	r := corr(m.LogZ, m.NegOptimum)
	_, sd := meanSD(m.NegOptimum)
	chi := issueChi2(l, 25, l.Contexts)
	t.Logf("neg: log Z %.3f ± %.3f, E12 %.3f ± %.3f; RMS %.3f, corr %.4f; the issue's formula %.3f", m.LogZMean, m.LogZSD, m.NegOptimumMean, sd, m.LogZErrorRMS, r, chi)
	if math.Abs(m.LogZMean-m.NegOptimumMean) > 0.05 || m.LogZErrorRMS > 0.08 || r < 0.95 || math.Abs(m.LogZMean-chi) < 5 {
		t.Errorf("neg: log Z %.3f vs E12 %.3f (≤ 0.05), RMS %.3f (≤ 0.08), corr %.4f (≥ 0.95); the issue's %.3f",
			m.LogZMean, m.NegOptimumMean, m.LogZErrorRMS, r, chi)
	}
}
