package vocab

import (
	"errors"
	"hash/fnv"
	"math"
	"strings"
	"testing"

	"nceplay/core/embed"
	"nceplay/core/fmath"
	"nceplay/core/spec"
)

func mustParse(t testing.TB, q string) Spec {
	t.Helper()
	s, err := Parse(q)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return s
}

func mustNew(t testing.TB, q string) *Trainer {
	t.Helper()
	s := mustParse(t, q)
	l, err := NewLanguage(s)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	tr, err := NewOn(l, s)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return tr
}

// hashModel hashes the bits of every parameter.
func hashModel(m *embed.Model) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, p := range [][]float64{m.U, m.V, m.BU, m.BV} {
		for _, x := range p {
			u := math.Float64bits(x)
			for i := range b {
				b[i] = byte(u >> (8 * i))
			}
			h.Write(b[:])
		}
	}
	return h.Sum64()
}

// small is a language small enough for the fast tests.
const small = "vocab=500&contexts=20&pairs=5000&dim=8"

// TestGolden: the parameters after a short run of each objective hash to
// recorded values, natively and in WebAssembly (make test-wasm runs this
// package under Node.js): the determinism of docs/spec.md#determinism. The
// test prints the hash to record when a deliberate change moves it.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want uint64
	}{
		{small, 0xbbb307f0a8258244},
		{small + "&norm=learn&k=7", 0x61b75ce34a373abd},
		{small + "&obj=neg&sched=const&seed=3", 0xfa50f3e6174f532e},
		{small + "&obj=rank&k=4&passes=2", 0x5a4a5dd48f85e0d2},
		{small + "&obj=mle&lr=0.2", 0xad7b4b8235183ff9},
	} {
		tr := mustNew(t, tc.q)
		for !tr.Done() {
			if err := tr.Step(777); err != nil {
				t.Fatal(err)
			}
		}
		if got := hashModel(tr.Model()); got != tc.want {
			t.Errorf("%q: parameters hash to %#x, recorded %#x", tc.q, got, tc.want)
		}
	}
}

// TestLanguageGolden: the language (truth, pairs, noise) hashes to a
// recorded value, natively and in WebAssembly.
func TestLanguageGolden(t *testing.T) {
	l, err := NewLanguage(mustParse(t, small+"&seed=5"))
	if err != nil {
		t.Fatal(err)
	}
	h := fnv.New64a()
	var b [8]byte
	for _, p := range [][]float64{l.Truth.U, l.Truth.V, l.LogZ, l.Entropy, l.Q, l.SumPOverQ, l.SumP2OverQ} {
		for _, x := range p {
			u := math.Float64bits(x)
			for i := range b {
				b[i] = byte(u >> (8 * i))
			}
			h.Write(b[:])
		}
	}
	for i := range l.Ctx {
		h.Write([]byte{byte(l.Ctx[i]), byte(l.Word[i]), byte(l.Word[i] >> 8)})
	}
	if got, want := h.Sum64(), uint64(0xe930f9e6bc8c51fd); got != want {
		t.Errorf("language hashes to %#x, recorded %#x", got, want)
	}
}

// TestSlicing: Step(n) in any slicing trains the same model as one call,
// bit for bit (a worker runs it in slices), for a sampled objective and
// the softmax.
func TestSlicing(t *testing.T) {
	for _, q := range []string{small + "&passes=2&k=3", "vocab=500&contexts=20&pairs=1000&dim=8&obj=mle"} {
		a := mustNew(t, q)
		a.Step(1 << 30)
		b := mustNew(t, q)
		for i := 1; !b.Done(); i++ {
			b.Step(i % 7)
		}
		if hashModel(a.Model()) != hashModel(b.Model()) || a.Progress() != b.Progress() {
			t.Errorf("%q: sliced training differs: %+v vs %+v", q, a.Progress(), b.Progress())
		}
		s := a.Spec()
		if p := a.Progress(); p.Steps != s.Passes*s.Pairs || p.Pass != s.Passes || !p.Done {
			t.Errorf("%q: progress %+v", q, p)
		}
	}
}

// TestStepAllocatesNothing: a warm step of every objective allocates
// nothing.
func TestStepAllocatesNothing(t *testing.T) {
	for _, obj := range []string{"&obj=nce", "&obj=nce&norm=learn", "&obj=neg", "&obj=rank", "&obj=mle"} {
		tr := mustNew(t, small+obj)
		tr.Step(10)
		if a := testing.AllocsPerRun(20, func() { tr.Step(50) }); a != 0 {
			t.Errorf("%s: Step allocates %v times per call", obj, a)
		}
		p, err := NewProbe(mustParse(t, small+obj))
		if err != nil {
			t.Fatal(err)
		}
		p.Step(10)
		if a := testing.AllocsPerRun(20, func() { p.Step(50) }); a != 0 {
			t.Errorf("%s: Probe.Step allocates %v times per call", obj, a)
		}
	}
}

// TestLanguage: the data follow the truth (the empirical conditional of a
// frequent word within 5 standard errors of p̃), the contexts are about
// uniform, q is the add-one smoothed unigram, and the per-context sums of
// theory are what their definitions say.
func TestLanguage(t *testing.T) {
	s := mustParse(t, "vocab=300&contexts=10&pairs=200000&dim=6")
	l, err := NewLanguage(s)
	if err != nil {
		t.Fatal(err)
	}
	if l.Rank != 3 || len(l.Ctx) != s.Pairs || len(l.Word) != s.Pairs {
		t.Fatalf("rank %d, %d pairs", l.Rank, len(l.Ctx))
	}
	n := make([]float64, l.Contexts)
	nw := make([]float64, l.Contexts) // occurrences of word 0
	for i, c := range l.Ctx {
		n[c]++
		if l.Word[i] == 0 {
			nw[c]++
		}
	}
	g := make([]float64, l.Words)
	for c := range l.Contexts {
		if e := float64(s.Pairs) / float64(l.Contexts); math.Abs(n[c]-e) > 5*math.Sqrt(e) {
			t.Errorf("context %d has %v pairs, expected %v", c, n[c], e)
		}
		l.Truth.RowScores(c, g)
		p := fmath.Exp(g[0] - l.LogZ[c])
		if se := math.Sqrt(p * (1 - p) / n[c]); math.Abs(nw[c]/n[c]-p) > 5*se {
			t.Errorf("context %d: word 0 in %.4f of its pairs, p̃ = %.4f (se %.4f)", c, nw[c]/n[c], p, se)
		}
		// Σ p̃ = 1, the entropy, Σ p̃/q and Σ p̃²/q from their definitions.
		var sum, h, s1, s2 float64
		for w, x := range g {
			p := fmath.Exp(x - l.LogZ[c])
			sum += p
			h -= p * math.Log(p)
			s1 += p / l.Q[w]
			s2 += p * p / l.Q[w]
		}
		if math.Abs(sum-1) > 1e-12 || math.Abs(h-l.Entropy[c]) > 1e-9 ||
			math.Abs(s1/l.SumPOverQ[c]-1) > 1e-12 || math.Abs(s2/l.SumP2OverQ[c]-1) > 1e-12 {
			t.Errorf("context %d: Σp̃ %v, H %v vs %v, Σp̃/q %v vs %v, Σp̃²/q %v vs %v", c, sum, h, l.Entropy[c], s1, l.SumPOverQ[c], s2, l.SumP2OverQ[c])
		}
	}
	for w, q := range l.Q {
		// The alias table realizes q up to its rounding.
		if want := float64(l.Count[w]+1) / float64(s.Pairs+s.Vocab); math.Abs(q-want) > 1e-8 {
			t.Errorf("q(%d) = %v, want (count+1)/(N+V) = %v", w, q, want)
		}
	}
}

// TestMetricsExact: the untrained model (every score equal) has
// perplexity V exactly; the truth copied into the model has the true
// perplexity, KL 0, and with a_ctx = −log Z*(ctx) log Z = 0 in every
// context; negative sampling's metrics report E12 beside log Z.
func TestMetricsExact(t *testing.T) {
	tr := mustNew(t, small+"&norm=learn")
	m := tr.Metrics()
	for w, b := range tr.Model().BV {
		if b != -tr.shift[w] {
			t.Fatalf("untrained: word %d's bias %v, want −log(k·q) = %v", w, b, -tr.shift[w])
		}
	}
	if math.Abs(m.PPL/500-1) > 1e-12 || math.Abs(m.LogZMean-math.Log(500)) > 1e-12 || m.LogZSD > 1e-12 || m.AMean != 0 {
		t.Errorf("untrained: ppl %v (want 500), log Z %v ± %v (want log 500), a %v", m.PPL, m.LogZMean, m.LogZSD, m.AMean)
	}
	l, md := tr.Language(), tr.Model()
	for c := range l.Contexts {
		copy(md.U[c*md.Dim:], l.Truth.U[c*l.Rank:(c+1)*l.Rank])
		clear(md.U[c*md.Dim+l.Rank : (c+1)*md.Dim])
		md.BU[c] = -l.LogZ[c]
	}
	for w := range l.Words {
		copy(md.V[w*md.Dim:], l.Truth.V[w*l.Rank:(w+1)*l.Rank])
		clear(md.V[w*md.Dim+l.Rank : (w+1)*md.Dim])
	}
	for w, b := range l.Truth.BV {
		md.BV[w] = b - tr.shift[w] // the model keeps b_w − log(k·q(w))
	}
	m = tr.Metrics()
	if math.Abs(m.KL) > 1e-12 || math.Abs(m.PPL/m.PPLTrue-1) > 1e-12 || m.LogZMeanAbs > 1e-12 {
		t.Errorf("the truth: kl %v, ppl %v vs %v, mean |log Z| %v", m.KL, m.PPL, m.PPLTrue, m.LogZMeanAbs)
	}
	if m.PPLUnigram <= m.PPLTrue || m.PPLUnigram > 500 {
		t.Errorf("unigram ppl %v; true %v, V 500", m.PPLUnigram, m.PPLTrue)
	}
	if h := Histogram(m.LogZ, -1, 1, 10); h[4]+h[5] != l.Contexts {
		t.Errorf("histogram of log Z = 0: %v", h)
	}
	if sub := tr.MetricsOver(5); sub.Contexts != 5 || len(sub.LogZ) != 5 || math.Abs(sub.KL) > 1e-12 {
		t.Errorf("over 5 contexts: %+v", sub)
	}
	neg := mustNew(t, small+"&obj=neg&k=4")
	nm := neg.Metrics()
	if len(nm.NegOptimum) != 20 || math.Abs(nm.NegOptimum[3]-(math.Log(neg.Language().SumPOverQ[3])-math.Log(4))) > 1e-12 || math.IsNaN(nm.LogZErrorRMS) {
		t.Errorf("neg: E12 %v, rms %v", nm.NegOptimum, nm.LogZErrorRMS)
	}
}

func TestHistogram(t *testing.T) {
	got := Histogram([]float64{-5, -1, -0.5, 0, 0.49, 0.5, 1, 7, math.NaN()}, -1, 1, 4)
	if want := []int{2, 1, 2, 3}; !equal(got, want) {
		t.Errorf("Histogram = %v, want %v", got, want)
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestSpec: the key table's defaults, canonical form, relevance and
// rules (docs/spec.md#lab-vocab).
func TestSpec(t *testing.T) {
	d := Table.Default()
	if d.Vocab != 20000 || d.Contexts != 200 || d.Dim != 32 || d.Obj != "nce" || d.Norm != spec.NormFixed || d.K != 25 || d.Query() != "lab=vocab" {
		t.Errorf("defaults %+v, query %q", d, d.Query())
	}
	for q, want := range map[string]string{
		"":                              "lab=vocab",
		"obj=neg&norm=learn":            "lab=vocab&obj=neg",      // norm only for nce
		"obj=mle&k=5":                   "lab=vocab&obj=mle",      // k not for the softmax
		"obj=rank&k=5&norm=learn":       "lab=vocab&obj=rank&k=5", // norm not for rank
		"pairs=1e5&passes=2.0":          "lab=vocab&pairs=100000&passes=2",
		"lab=vocab&vocab=5000&lr=0.05":  "lab=vocab&vocab=5000&lr=0.05",
		"norm=learn&sched=const&seed=7": "lab=vocab&norm=learn&sched=const&seed=7",
	} {
		if got := mustParse(t, q).Query(); got != want {
			t.Errorf("%q: canonical %q, want %q", q, got, want)
		}
	}
	for q, msg := range map[string]string{
		"vocab=99":                     `key "vocab": value "99" is out of range; allowed: 100 … 100000`,
		"vocab=100001":                 `allowed: 100 … 100000`,
		"obj=cls":                      `key "obj": value "cls" is not one of the allowed values; allowed: nce, neg, rank, mle`,
		"opt=adam":                     `allowed: sgd`,
		"target=ring":                  `key "target" is not a known key`,
		"lab=w2v":                      `key "lab": value "w2v" is not one of the allowed values; allowed: vocab`,
		"vocab=100000&dim=64":          `key "dim": value "64" gives a word table of vocab·dim = 100000·64 = 6400000 floats, more than 4194304; lower vocab or dim; allowed: 2 … 41`,
		"contexts=1000&vocab=100000":   `gives an exact evaluation`,
		"pairs=5000000&passes=10":      `key "passes": value "10"`,
		"pairs=5000000&obj=mle&dim=16": `key "pairs"`,
		"lr=2":                         `allowed: 1e-6 … 1`,
		"passes=0":                     `allowed: 1 … 100`,
		"dim=1":                        `allowed: 2 … 256`,
		"k=0":                          `allowed: 1 … 1024`,
	} {
		_, err := Parse(q)
		var errs spec.Errors
		if !errors.As(err, &errs) || !strings.Contains(err.Error(), msg) {
			t.Errorf("%q: error %v; want one containing %s", q, err, msg)
		}
	}
	if s := mustParse(t, "obj=neg"); !s.LearnsNormalizers() || mustParse(t, "").LearnsNormalizers() ||
		!mustParse(t, "norm=learn").LearnsNormalizers() || mustParse(t, "obj=mle").LearnsNormalizers() || mustParse(t, "obj=rank").LearnsNormalizers() {
		t.Error("LearnsNormalizers: want nce with norm=learn and neg only")
	}
	if s := mustParse(t, "k=5&obj=neg").Softmax(); s.Obj != "mle" || s.Query() != "lab=vocab&obj=mle" {
		t.Errorf("Softmax() = %q", s.Query())
	}
}

// TestNewOn: a trainer on another spec's language is refused.
func TestNewOn(t *testing.T) {
	l, err := NewLanguage(mustParse(t, small))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewOn(l, mustParse(t, small+"&k=3&obj=rank&lr=0.3")); err != nil {
		t.Errorf("same data, another objective: %v", err)
	}
	for _, q := range []string{small + "&seed=2", "vocab=500&contexts=20&pairs=5001&dim=8", "vocab=501&contexts=20&pairs=5000&dim=8",
		"vocab=500&contexts=21&pairs=5000&dim=8", "vocab=500&contexts=20&pairs=5000&dim=10"} {
		if _, err := NewOn(l, mustParse(t, q)); err == nil {
			t.Errorf("%q: a trainer on another data set's language was built", q)
		}
	}
}

// TestDiverges: lr = 1 with 1000 noise words a step stops training with a
// DivergedError naming the objective, and Done holds; the runner's
// experiment leaves its softmax reference untrained and unreported.
func TestDiverges(t *testing.T) {
	const q = "vocab=500&contexts=20&pairs=5000&dim=256&obj=neg&k=1000&lr=1&sched=const"
	tr := mustNew(t, q)
	var err error
	for !tr.Done() && err == nil {
		err = tr.Step(1000)
	}
	var d *DivergedError
	if !errors.As(err, &d) || d.Obj != "neg" || d.Step >= 5000 || !strings.Contains(err.Error(), "lower lr") || !tr.Done() || tr.Err() != err {
		t.Fatalf("error %v, done %v", err, tr.Done())
	}
	e, err := NewExperiment(mustParse(t, q))
	if err != nil {
		t.Fatal(err)
	}
	for !e.Done() {
		e.Step(1000)
	}
	r := e.Report(1)
	if e.Softmax.Progress().Steps != 0 || r.PPLSoftmax != nil || r.MSPerStepSoftmax != nil || !strings.Contains(r.Error, "diverged") {
		t.Errorf("after a divergence: reference steps %d, report %+v", e.Softmax.Progress().Steps, r)
	}
}

// TestProbe: a probe steps at any vocabulary without building its
// language, and never finishes.
func TestProbe(t *testing.T) {
	for _, q := range []string{"vocab=100000&k=10", "vocab=100000&obj=mle&dim=8"} {
		p, err := NewProbe(mustParse(t, q))
		if err != nil {
			t.Fatal(err)
		}
		p.Step(3)
		if p.t.lang.Truth != nil || p.t.Done() || p.t.Err() != nil {
			t.Errorf("%q: probe state %+v", q, p.t.Progress())
		}
	}
	if w := mustParse(t, "k=10&dim=16").StepWork(); w != 16*11 {
		t.Errorf("StepWork nce = %v", w)
	}
	if w := mustParse(t, "obj=mle&vocab=1000&dim=16").StepWork(); w != 16*1000 {
		t.Errorf("StepWork mle = %v", w)
	}
}
