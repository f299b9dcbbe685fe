package w2v

import (
	"bufio"
	"errors"
	"hash/fnv"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"

	"nceplay/core/spec"
)

func newTrainer(t testing.TB, q string, text *string) *Trainer {
	t.Helper()
	s, err := Parse(q)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	tr, err := New(s, text)
	if err != nil {
		t.Fatalf("%q: %v", q, err)
	}
	return tr
}

// hashModel hashes the bits of every vector.
func hashModel(tr *Trainer) uint64 {
	h := fnv.New64a()
	var b [8]byte
	for _, p := range [][]float64{tr.model.U, tr.model.V} {
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

// TestGolden: the vectors after a short run of each objective and corpus
// kind hash to recorded values, natively and in WebAssembly (make
// test-wasm runs this package under Node.js): the determinism of
// docs/spec.md#determinism. The test prints the hash to record when a
// deliberate change moves it.
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want uint64
	}{
		{"tokens=5000&epochs=2", 0x67e903cf42f88fbc},
		{"corpus=syntax&obj=nce&alpha=0.5&k=3&dim=7&window=3&tokens=3000&seed=9", 0xada06b14f8d51ee5},
		{"corpus=blake&vocab=200&sample=0.001&dim=10", 0xd7ca815c2a3ba589},
	} {
		tr := newTrainer(t, tc.q, nil)
		for !tr.Done() {
			tr.Step(777)
		}
		if got := hashModel(tr); got != tc.want {
			t.Errorf("%q: vectors hash to %#x, recorded %#x", tc.q, got, tc.want)
		}
	}
}

// TestSlicing: Step(n) in any slicing trains the same vectors as one call,
// bit for bit (a worker runs it in slices).
func TestSlicing(t *testing.T) {
	const q = "corpus=syntax&tokens=2000&epochs=2&k=3&dim=6"
	a := newTrainer(t, q, nil)
	a.Step(1 << 30)
	b := newTrainer(t, q, nil)
	for i := 1; !b.Done(); i++ {
		b.Step(i % 5)
	}
	if hashModel(a) != hashModel(b) || a.Progress() != b.Progress() {
		t.Errorf("sliced training differs: %+v vs %+v", a.Progress(), b.Progress())
	}
	if p := a.Progress(); p.Tokens != 4000 || p.Epoch != 2 || !p.Done || p.Pairs != 2*(4*2000-2*(1+2)) {
		t.Errorf("progress %+v; want 4000 words, 2 epochs and 2·(4·2000 − 6) pairs", p)
	}
}

func TestStepAllocatesNothing(t *testing.T) {
	tr := newTrainer(t, "tokens=100000", nil)
	tr.Step(10)
	if a := testing.AllocsPerRun(20, func() { tr.Step(100) }); a != 0 {
		t.Errorf("Step allocates %v times per call", a)
	}
}

// TestLearningRate: word2vec's linear decay with its floor.
func TestLearningRate(t *testing.T) {
	tr := newTrainer(t, "tokens=1000&epochs=2&lr=0.1", nil)
	if lr := tr.Progress().LR; lr != 0.1 {
		t.Errorf("initial lr %v", lr)
	}
	tr.Step(500)
	if lr := tr.Progress().LR; math.Abs(lr-0.075) > 1e-15 {
		t.Errorf("lr after a quarter %v, want 0.075", lr)
	}
	tr.Step(1500)
	if lr := tr.Progress().LR; lr != 0.1*minLRFraction || !tr.Done() {
		t.Errorf("lr at the end %v, want the floor 1e-5", lr)
	}
}

func TestTokenize(t *testing.T) {
	words, toks, counts, err := Tokenize("Ça va? L'été—déjà! ÇA, va... e\u0301te\u0301 x2y 42")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"ça", "va", "l", "été", "déjà", "e\u0301te\u0301", "x", "y"}
	if !slices.Equal(words, want) || !slices.Equal(toks, []int32{0, 1, 2, 3, 4, 0, 1, 5, 6, 7}) || counts[0] != 2 {
		t.Errorf("Tokenize = %q %v %v", words, toks, counts)
	}
	if _, _, _, err := Tokenize(strings.Repeat("a", MaxTextBytes+1)); err == nil || !strings.Contains(err.Error(), "bytes") {
		t.Errorf("an oversized text: %v", err)
	}
	if _, _, _, err := Tokenize(strings.Repeat("a ", MaxTokens+1)); err == nil || !strings.Contains(err.Error(), "more than 2000000 words") {
		t.Errorf("too many words: %v", err)
	}
}

// TestTextCorpus: the vocabulary keeps the most frequent words, ties by
// word; the other words' tokens are dropped; bad texts get clear errors.
func TestTextCorpus(t *testing.T) {
	s := Table.Default()
	s.Corpus, s.Vocab = Pasted.Name, 3
	c, err := textCorpus("b a c b a d b e e", s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(c.Words, []string{"b", "a", "e"}) || !slices.Equal(c.Counts, []int64{3, 2, 2}) ||
		!slices.Equal(c.Tokens, []int32{0, 1, 0, 1, 0, 2, 2}) || c.TextWords != 9 {
		t.Errorf("corpus %q %v %v (%d words)", c.Words, c.Counts, c.Tokens, c.TextWords)
	}
	for _, tc := range []struct{ text, msg string }{
		{"", "0 distinct words"},
		{"12 34 !!", "0 distinct words"},
		{"word word word", "1 distinct words"},
	} {
		s, err := Parse("corpus=text")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := New(s, &tc.text); err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: %v; want %q", tc.text, err, tc.msg)
		}
	}
	s, _ = Parse("corpus=text")
	if _, err := New(s, nil); !errors.Is(err, ErrNoText) {
		t.Errorf("corpus=text without a text: %v", err)
	}
	long := strings.Repeat("the cat sat on the mat ", 20000)
	s, _ = Parse("corpus=text&epochs=100&dim=300&k=100&window=10")
	if _, err := New(s, &long); err == nil || !strings.Contains(err.Error(), `key "epochs"`) {
		t.Errorf("a text beyond the work cap: %v", err)
	}
}

// TestSubsampling: with sample t, a word of frequency f is kept with
// probability (√(f/t) + 1)·t/f, once for all epochs.
func TestSubsampling(t *testing.T) {
	var b strings.Builder
	for i := range 20000 {
		b.WriteString("the ")
		if i%10 == 0 {
			b.WriteString("rare" + strconv.Itoa(i%7) + " ")
		}
	}
	text := b.String()
	tr := newTrainer(t, "corpus=text&sample=0.01", &text)
	c := tr.Corpus()
	f := 20000.0 / 22000
	want := (math.Sqrt(f/0.01) + 1) * 0.01 / f * 20000
	got := float64(slices.Index(c.Words, "the"))
	n := 0.0
	for _, tok := range c.Tokens {
		if tok == int32(got) {
			n++
		}
	}
	if math.Abs(n-want) > 4*math.Sqrt(want) {
		t.Errorf("kept %v of 20000 'the', want %.0f ± %.0f", n, want, 4*math.Sqrt(want))
	}
}

// TestSpec checks the lab's table: the canonical form always names the
// lab, keys that do not apply are dropped, and the rules name the key.
func TestSpec(t *testing.T) {
	d := Table.Default()
	if d.Query() != "lab=w2v" || d.Corpus != Topics.Name || d.Obj != "neg" || d.K != 5 || d.Alpha != 0.75 || d.LR != 0.025 {
		t.Errorf("default %+v, query %q", d, d.Query())
	}
	for q, want := range map[string]string{
		"":                                   "lab=w2v",
		"lab=w2v&k=10&obj=nce":               "lab=w2v&obj=nce&k=10",
		"corpus=alice&tokens=5000&sample=0":  "lab=w2v&corpus=alice",
		"tokens=5000&sample=0.001":           "lab=w2v&tokens=5000",
		"corpus=text&vocab=500&sample=1e-3":  "lab=w2v&corpus=text&vocab=500&sample=0.001",
		"seed=7&epochs=1e1&dim=16&window=5":  "lab=w2v&window=5&dim=16&epochs=10&seed=7",
		"?lab=w2v&v=1&alpha=1&opt=sgd&lr=.1": "lab=w2v&alpha=1&lr=0.1",
	} {
		s, err := Parse(q)
		if err != nil || s.Query() != want {
			t.Errorf("%q: %q, %v; want %q", q, s.Query(), err, want)
			continue
		}
		if again, err := Parse(s.Query()); err != nil || again != s {
			t.Errorf("%q does not round-trip: %+v, %v", s.Query(), again, err)
		}
	}
	for q, want := range map[string]string{
		"vocab=500":                         `spec: key "vocab": value "500" is too large for the generator corpus=topics, which has at most 200 words; allowed: 20 … 200`,
		"obj=rank":                          `spec: key "obj": value "rank" is not one of the allowed values; allowed: neg, nce`,
		"opt=adam":                          `spec: key "opt": value "adam" is not one of the allowed values; allowed: sgd`,
		"k=1000":                            `spec: key "k": value "1000" is out of range; allowed: 1 … 100`,
		"lab=sweep":                         `spec: key "lab": value "sweep" is not one of the allowed values; allowed: w2v`,
		"corpus=moby":                       `spec: key "corpus": value "moby" is not one of the allowed values; allowed: topics, syntax, alice, austen, blake, text`,
		"text=hello":                        `spec: key "text" is not a known key; allowed: lab, v, corpus, vocab, tokens, sample, window, dim, obj, k, alpha, opt, lr, epochs, seed`,
		"tokens=2000000&epochs=100&dim=300": `spec: key "epochs": value "100" gives epochs·2·window·(k+1)·dim = 100·2·2·2000000·6·300 = 1.44e+12 multiply-adds for 2000000 tokens, more than 1e+11; lower epochs, window, k or dim; allowed: 1 … 6`,
	} {
		_, err := Parse(q)
		if err == nil || err.Error() != want {
			t.Errorf("%q:\n got %v\nwant %s", q, err, want)
		}
		var es spec.Errors
		if !errors.As(err, &es) {
			t.Errorf("%q: not a spec.Errors", q)
		}
	}
}

// TestVectorsFormat: word2vec's text format, read back.
func TestVectorsFormat(t *testing.T) {
	tr := newTrainer(t, "tokens=1000&dim=3&epochs=1", nil)
	tr.Step(1000)
	var b strings.Builder
	if err := tr.WriteVectors(&b); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(strings.NewReader(b.String()))
	sc.Scan()
	if sc.Text() != "30 3" {
		t.Fatalf("header %q", sc.Text())
	}
	for i := 0; sc.Scan(); i++ {
		f := strings.Fields(sc.Text())
		if len(f) != 4 || f[0] != tr.Corpus().Words[i] {
			t.Fatalf("line %d: %q", i, sc.Text())
		}
		for j, x := range f[1:] {
			v, err := strconv.ParseFloat(x, 32)
			if err != nil || float32(v) != float32(tr.model.URow(i)[j]) {
				t.Errorf("line %d: %q is not u[%d] = %v", i, x, j, tr.model.URow(i)[j])
			}
		}
	}
}

// TestSnapshot: the panels' matrices agree with the model, the metrics
// and the pair counts, and the empirical PMI of a pair seen n ≥ 400 times
// is within 4/√n of the exact one (the log of a count has a sampling error
// of about 1/√n, which the chain's correlations inflate).
func TestSnapshot(t *testing.T) {
	tr := newTrainer(t, "corpus=syntax&tokens=20000&obj=nce", nil)
	tr.Step(30000)
	var s Snapshot
	tr.Snapshot(&s, 10)
	if s.N != 10 || len(s.Learned) != 100 || len(s.Words) != 10 || !s.Exact {
		t.Fatalf("snapshot of %d words, %d products", s.N, len(s.Learned))
	}
	total := 0.0
	for w := range 10 {
		for c := range 10 {
			if s.Learned[w*10+c] != tr.model.Score(w, c) {
				t.Fatal("Learned is not the model's score")
			}
			opt, pmi := tr.stats.theory(w, c)
			if !(s.Theory[w*10+c] == opt || math.IsNaN(opt)) || s.PMI[w*10+c] != pmi {
				t.Fatal("Theory or PMI differs from the stats")
			}
			total += s.Pairs[w*10+c]
			if n := s.Pairs[w*10+c]; n >= 400 && math.Abs(s.PMIEmpirical[w*10+c]-pmi) > 4/math.Sqrt(n) {
				t.Errorf("%s,%s: empirical PMI %.3f, exact %.3f (%v pairs)", s.Words[w], s.Words[c], s.PMIEmpirical[w*10+c], pmi, n)
			}
		}
	}
	if total <= 0 {
		t.Error("no pair counts")
	}
	tr.Snapshot(&s, 0)
	if s.N != 30 {
		t.Errorf("a full snapshot has %d words", s.N)
	}
	a := testing.AllocsPerRun(5, func() { tr.Snapshot(&s, 0) })
	if a > 1 {
		t.Errorf("a snapshot into a used one allocates %v times", a)
	}
	p := make([]float64, 60)
	tr.Project(p)
	if nb := tr.Neighbours(0, 3); len(nb) != 3 || nb[0].Cosine < nb[1].Cosine {
		t.Errorf("neighbours %+v", nb)
	}
}

// TestShortText: a snippet too short for the check reports no correlation
// rather than one of a handful of points.
func TestShortText(t *testing.T) {
	tr := newTrainer(t, "corpus=alice&vocab=200&epochs=1", nil)
	tr.Step(1 << 20)
	m := tr.Metrics()
	if m.CheckPairs >= MinCheckPairs || !math.IsNaN(m.R) || math.IsNaN(m.SelfNormMean) || m.Exact {
		t.Errorf("alice: %d check pairs, r %v, log Z mean %v, exact %v", m.CheckPairs, m.R, m.SelfNormMean, m.Exact)
	}
}
