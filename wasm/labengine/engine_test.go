package labengine

import (
	"math"
	"slices"
	"testing"
	"time"

	"nceplay/core/lab"
	"nceplay/wasm/wire"
)

const small = "lab=w2v&tokens=3000&dim=8&epochs=2"

func TestNew(t *testing.T) {
	if _, err := New("k=5", nil); err == nil {
		t.Error("a playground query built a lab run")
	}
	if _, err := New("lab=nope", nil); err == nil {
		t.Error("an unknown lab built a run")
	}
	if _, err := New("lab=w2v&corpus=text", nil); err == nil {
		t.Error("corpus=text without a text built a run")
	}
	text := "the cat sat on the mat and the dog sat on the log"
	r, err := New("lab=w2v&corpus=text", &text)
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != "lab=w2v&corpus=text" || !r.HasPanels() {
		t.Errorf("query %q, panels %v", r.Query(), r.HasPanels())
	}
}

// TestSlicesMatchTheRunner: a run trained in the worker's slices ends with
// the report's numbers of the registry's run trained in one go (the
// runner's), bit for bit, and its frames say how far it has come.
func TestSlicesMatchTheRunner(t *testing.T) {
	r, err := New(small, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Frame(1, false, true)
	if f.Progress.Done != 0 || f.Progress.Total != 6000 || f.Progress.Unit != "words" || f.Done || f.Lab != "w2v" || f.Query != small {
		t.Errorf("first frame %+v", f)
	}
	steps := 0
	for !r.Done() {
		n, err := r.Train(700, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 || n > 700 {
			t.Fatalf("Train(700) took %d", n)
		}
		steps++
	}
	if steps < 9 {
		t.Errorf("%d slices", steps)
	}
	r.RefreshMetrics()
	f = r.Frame(1, true, false)
	if !f.Done || f.Running || f.Progress.Done != 6000 || f.MetricsAt != 6000 || f.W2V != nil {
		t.Errorf("last frame %+v", f)
	}

	run, err := lab.W2V.New(small, lab.Input{})
	if err != nil {
		t.Fatal(err)
	}
	for !run.Done() {
		run.Step(1 << 20)
	}
	want, _, err := Flatten(run.Report(1, 1), lab.W2V.Timings)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Metrics) != len(want) || len(want) < 10 {
		t.Fatalf("metrics %+v, want %+v", f.Metrics, want)
	}
	for i, m := range want {
		g := f.Metrics[i]
		if g.Key != m.Key || g.Null != m.Null || math.Float64bits(g.Value) != math.Float64bits(m.Value) {
			t.Errorf("metric %d: %+v, want %+v", i, g, m)
		}
	}
}

func TestFlatten(t *testing.T) {
	one := 1.0
	rep := struct {
		Spec  string   `json:"spec"`
		R     *float64 `json:"pmi_r"`
		N     *float64 `json:"null"`
		OK    bool     `json:"ok"`
		List  []int    `json:"list"`
		Obj   struct{} `json:"obj"`
		Tiny  float64  `json:"tiny"`
		MS    float64  `json:"ms"`
		Pairs int64    `json:"pairs"`
	}{Spec: "lab=w2v", R: &one, OK: true, List: []int{1}, Tiny: 0.1 + 0.2, MS: 5, Pairs: 1 << 40}
	ms, ts, err := Flatten(rep, []string{"ms"})
	if err != nil {
		t.Fatal(err)
	}
	want := []wire.LabMetric{{Key: "pmi_r", Value: 1}, {Key: "null", Null: true}, {Key: "ok", Value: 1},
		{Key: "tiny", Value: 0.1 + 0.2}, {Key: "pairs", Value: 1 << 40}}
	if !slices.Equal(ms, want) {
		t.Errorf("metrics %+v, want %+v", ms, want)
	}
	if !slices.Equal(ts, []wire.LabText{{Key: "spec", Value: "lab=w2v"}}) {
		t.Errorf("texts %+v", ts)
	}
	if _, _, err := Flatten(3, nil); err == nil {
		t.Error("a number flattened")
	}
}

// TestW2VPanels: the payload's sizes, its static parts in the first frame
// only, the theory's −Inf for impossible pairs, the neighbours of the
// focused word, and the learned products after training.
func TestW2VPanels(t *testing.T) {
	r, err := New("lab=w2v&corpus=alice&vocab=100&dim=8&epochs=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Frame(3, false, true)
	w := f.W2V
	if w == nil {
		t.Fatal("no payload")
	}
	n := W2VWords
	if w.Vocab != 100 || w.N != n || !w.Static || len(w.Words) != n || len(w.Counts) != n ||
		len(w.Theory) != n*n || len(w.Pairs) != n*n || len(w.Learned) != n*n || len(w.LogZ) != n || len(w.XY) != 2*n ||
		w.Exact || w.Obj != "neg" || math.Abs(w.LogK-math.Log(5)) > 1e-15 {
		t.Fatalf("payload sizes: %+v", w)
	}
	if w.Words[0] != "the" || w.Counts[0] < w.Counts[n-1] {
		t.Errorf("words %v counts %v", w.Words[:3], w.Counts[:3])
	}
	// The default focus: the most frequent word of four letters or more.
	if w.Focus < 0 || len([]rune(w.Words[w.Focus])) < 4 || len(w.Neighbours) != W2VNeighbours {
		t.Errorf("default focus %d (%q), neighbours %v", w.Focus, w.Words[max(w.Focus, 0)], w.Neighbours)
	}
	for _, x := range w.Words[:w.Focus] {
		if len([]rune(x)) >= 4 {
			t.Errorf("the default focus %q comes after %q", w.Words[w.Focus], x)
		}
	}
	inf := 0
	for i, th := range w.Theory {
		if math.IsInf(float64(th), -1) != (w.Pairs[i] == 0) {
			t.Fatalf("pair %d: theory %v, count %v", i, th, w.Pairs[i])
		}
		if w.Pairs[i] == 0 {
			inf++
		}
	}
	if inf == 0 {
		t.Error("every pair of the first 60 words of a text occurs")
	}
	r.Focus(1)
	for !r.Done() {
		r.Train(1<<20, time.Minute)
	}
	f = r.Frame(3, false, true)
	w = f.W2V
	if w.Static || w.Words != nil || w.Theory != nil || w.Focus != 1 || len(w.Neighbours) != W2VNeighbours {
		t.Fatalf("later payload: static %v words %d theory %d focus %d neighbours %v", w.Static, len(w.Words), len(w.Theory), w.Focus, w.Neighbours)
	}
	if w.Neighbours[0].Cos < w.Neighbours[1].Cos || w.Neighbours[0].Word == "" {
		t.Errorf("neighbours %+v", w.Neighbours)
	}
	moved := 0
	for _, x := range w.Learned {
		if x != 0 {
			moved++
		}
	}
	if moved < n*n/2 {
		t.Errorf("%d of %d learned products moved", moved, n*n)
	}
}
