package wire

import (
	"math"
	"reflect"
	"testing"

	"nceplay/core/density"
	"nceplay/core/nce"
)

// filled returns a value of every message type with every field set, so
// that a round trip that drops a field fails.
func filled() []Message {
	m := nce.Metrics{Step: 7, Loss: 0.5, C: math.NaN(), CKnown: true, CNote: "note", LogZ: 0.3, LogZTrue: 0.31,
		Mass: 1.01, KL: 0.002, Accuracy: 0.9, BayesAccuracy: 0.91, Theta: []float64{1, -2}, ThetaTrue: []float64{0, -1},
		Warnings: []nce.Warning{{Code: "mass_off", Message: "m", Fix: "nscale=1"}, {Code: "separable", Final: true}}}
	return []Message{
		Init{Gen: 3, Spec: "k=5"}, Play{}, Pause{}, Step{N: 4}, Speed{V: 2.5}, ReportRequest{},
		Connect{Role: RoleHelper, Port: "port"},
		Ready{}, Failure{Gen: 2, Msg: "bad"}, Report{Gen: 1, JSON: "{}"},
		Frame{Gen: 9, Spec: "target=ring", K: 8, Dim: 2, Step: 100, Running: true, Done: true, SPS: 150, MetricsAt: 99,
			Metrics: m, Diverged: "div",
			Grid: Grid{Res: 2, Box: density.Box{Lo: [2]float64{-1, -2}, Hi: [2]float64{1, 2}},
				LogTrue: []float32{1}, LogModel: []float32{2}, LogNoise: []float32{3}, PModel: []float32{0.4}, PBayes: []float32{0.5}},
			Points: true, Data: []float32{1, 2}, Noise: []float32{3, 4}, Hist: []float32{5}},
		PeerInit{Gen: 1, Spec: "q", Points: []float64{0.5, -1}}, PeerGo{Gen: 2}, Shard0{Gen: 3, Loss: 1.5, Grad: []float64{1, 2}, More: true},
		Shard1{Gen: 4, Loss: 2.5, Grad: []float64{3}}, PeerFailure{Gen: 5, Msg: "x"},
		PeerEval{Gen: 6, Metrics: true, Grid: true, Res: 64}, PeerEnergies{Gen: 7, Set: 2, Vals: []float64{-1.5, 3}},
		LabInit{Gen: 6, Query: "lab=w2v&corpus=text", Text: &text, Speed: 2, Part: 1, Parts: 2},
		LabFocus{Gen: 7, Item: -1},
		LabFrame{Gen: 8, Lab: "w2v", Query: "lab=w2v", Running: true, Done: true,
			Progress: LabProgress{Done: 5, Total: 1 << 40, Unit: "words", Stage: "epoch 1 of 3"}, Rate: 1e5, MetricsAt: 4,
			Metrics: []LabMetric{{Key: "pmi_r", Value: 0.99}, {Key: "pmi_rmse", Null: true}}, Texts: []LabText{{Key: "theory", Value: "exact"}},
			Diverged: "d",
			W2V: &W2VPanels{Vocab: 30, Tokens: 1000, Exact: true, Obj: "neg", LogK: 1.6, N: 2, Static: true,
				Words: []string{"a1", "a2"}, Counts: []float64{3, 4}, Theory: []float32{float32(math.Inf(-1)), 1, 2, 3},
				Pairs: []float32{0, 1, 2, 3}, Learned: []float32{4, 5, 6, 7}, LogZ: []float32{0.1, 0.2}, XY: []float32{1, 2, 3, 4},
				Focus: 1, Neighbours: []W2VNeighbour{{Word: "a1", Cos: 0.5}}},
			Figures: []LabFigure{{ID: "f", Title: "t", Sub: "s", Full: "full", Short: "short", Embed: true, SVG: "<svg></svg>"}}},
		SweepShare{Gen: 3, Done: 5, Total: 9, Reps: []SweepRep{{Index: 1, SqErr: []float64{0.1}, Fail: []float64{0}, MLE: []float64{0.05}}}},
		DataImport{CSV: "x,y\n1,2\n", Dim: 2, Want: "0123456789abcdef-20", Points: []float64{-3.999, 0.25, 1.0 / 3, 4}},
		DataImported{Value: "AQIM", File: "0123456789abcdef-20", Dim: 2, N: 20, Err: "line 3: 'abc' is not a number", Painted: true},
		DataExport{}, DataFileCSV{ID: "0123456789abcdef-20", CSV: "x\n1\n", Err: "none"},
		CodeRequest{ID: 4, Query: "k=3", Lang: "numpy"},
		CodeScript{ID: 4, Script: "import math", Err: "bad"},
		GIFRequest{ID: 5, Query: "k=3", Panels: "density,curves", Frames: 8, Width: 480, Dark: true},
		GIFImage{ID: 5, GIF: []byte("GIF89a\x00\xff"), Name: "nce-k-3.gif", Warn: "diverged", Err: "bad"},
	}
}

var text = "the user's text"

// TestPointers: a nil pointer field travels as null and comes back nil;
// a set one as its value, into a fresh variable.
func TestPointers(t *testing.T) {
	o := Encode(LabFrame{Gen: 1})
	if v, ok := o["w2V"]; !ok || v != nil {
		t.Errorf("nil payload encodes as %v (present %v)", v, ok)
	}
	m, err := Decode(o)
	if err != nil || m.(LabFrame).W2V != nil {
		t.Errorf("nil payload decodes as %+v, %v", m, err)
	}
	s := "x"
	o = Encode(LabInit{Text: &s})
	if o["text"] != "x" {
		t.Errorf("text encodes as %v", o["text"])
	}
	m, _ = Decode(o)
	if p := m.(LabInit).Text; p == nil || *p != "x" || p == &s {
		t.Errorf("text decodes as %v", p)
	}
	if _, err := Decode(Obj{"t": "lab-init", "text": 3.0}); err == nil {
		t.Error("a number decoded into *string")
	}
}

// TestRoundTrip: every message type decodes to what was encoded (NaN
// compared as NaN), and every type is known to Decode.
func TestRoundTrip(t *testing.T) {
	ms := filled()
	if len(ms) != len(messages) {
		t.Fatalf("the test covers %d message types, the package has %d", len(ms), len(messages))
	}
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Type()] {
			t.Errorf("two message types are called %q", m.Type())
		}
		seen[m.Type()] = true
		got, err := Decode(Encode(m))
		if err != nil {
			t.Errorf("%s: %v", m.Type(), err)
			continue
		}
		if !sameNaN(reflect.ValueOf(got), reflect.ValueOf(m)) {
			t.Errorf("%s: round trip gave %+v, want %+v", m.Type(), got, m)
		}
	}
}

// sameNaN is reflect.DeepEqual with NaN equal to NaN.
func sameNaN(a, b reflect.Value) bool {
	if a.Kind() == reflect.Float64 {
		return a.Float() == b.Float() || math.IsNaN(a.Float()) && math.IsNaN(b.Float())
	}
	if a.Kind() == reflect.Struct {
		for i := range a.NumField() {
			if !sameNaN(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	}
	if a.Kind() == reflect.Interface && !a.IsNil() && !b.IsNil() {
		return sameNaN(a.Elem(), b.Elem())
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}

// TestNames: the properties are the fields' names in lower camel case.
func TestNames(t *testing.T) {
	o := Encode(Frame{})
	for _, name := range []string{"t", "gen", "spec", "k", "dim", "step", "running", "done", "sps", "metricsAt", "metrics", "diverged", "grid", "points", "data", "noise", "hist"} {
		if _, ok := o[name]; !ok {
			t.Errorf("Frame has no property %q: %v", name, o)
		}
	}
	g := o["grid"].(Obj)
	for _, name := range []string{"res", "box", "logTrue", "logModel", "logNoise", "pModel", "pBayes"} {
		if _, ok := g[name]; !ok {
			t.Errorf("Grid has no property %q", name)
		}
	}
	if o["t"] != "frame" {
		t.Errorf("t = %v", o["t"])
	}
	for in, want := range map[string]string{"Gen": "gen", "SPS": "sps", "MetricsAt": "metricsAt", "LogZTrue": "logZTrue", "PModel": "pModel", "JSON": "json", "K": "k"} {
		if got := propName(in); got != want {
			t.Errorf("propName(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDecodeErrors: an unknown type or a property of the wrong kind is an
// error, not a message with a silently wrong field.
func TestDecodeErrors(t *testing.T) {
	for _, o := range []Obj{
		{"t": "nope"},
		{},
		{"t": "init", "gen": "three"},
		{"t": "frame", "grid": Obj{"logTrue": []float64{1}}},
		{"t": "frame", "metrics": "x"},
	} {
		if m, err := Decode(o); err == nil {
			t.Errorf("Decode(%v) = %+v, want an error", o, m)
		}
	}
}
