package wire

import (
	"reflect"
	"testing"
)

// TestVocabRoundTrip: a frame with the large-vocabulary lab's payload and
// the report's timings, every field set, comes back the same.
func TestVocabRoundTrip(t *testing.T) {
	f := LabFrame{Gen: 2, Lab: "vocab", Query: "lab=vocab", Metrics: []LabMetric{{Key: "ppl", Value: 500}}, Texts: []LabText{{Key: "spec", Value: "lab=vocab"}},
		Timings: []LabMetric{{Key: "ms_per_step", Value: 0.01}, {Key: "speedup", Null: true}},
		Vocab: &VocabPanels{Vocab: 2000, Contexts: 20, Dim: 8, K: 25, Obj: "nce", Norm: "learn", EvalContexts: 20,
			PPLTrue: 300, PPLUnigram: 900,
			Curves: []VocabCurve{{Label: "NCE k = 25", Obj: "nce", K: 25, Run: true, MS: []float64{1, 2}, PPL: []float64{900, 400}, Steps: 10, Total: 20},
				{Label: "softmax", Obj: "mle", Softmax: true, MS: []float64{3}, PPL: []float64{700}, Err: "diverged"}},
			Steps: 10, LogZ: []float32{0.1, -0.2}, A: []float32{-5, -6}, Rest: []float32{5.1, 5.8}, E12: 3.5,
			Probe: []VocabProbe{{V: 1000, Softmax: 0.2, Sampled: 0.003}}, ProbeObj: "nce", ProbeDone: true,
			Panels: []LabPanel{{Name: "vocab-logz", Title: "t", Sub: "s", Pair: true, Full: "f", Short: "sh",
				Charts: []LabChart{{ID: "c", Title: "t", XLabel: "x", YLabel: "y", W: 1, H: 2, L: 3, R: 4, T: 5, B: 6,
					XTicks: []LabTick{{Pos: 1, Label: "1"}}, YTicks: []LabTick{{Pos: 2, Label: "2"}},
					Lines: []LabLine{{D: "M0 0", Class: "c", Label: "l"}}, Dots: []LabDot{{X: 1, Y: 2, R: 3, Class: "d", Title: "t"}}}}}}}}
	got, err := Decode(Encode(f))
	if err != nil {
		t.Fatal(err)
	}
	if !sameNaN(reflect.ValueOf(got), reflect.ValueOf(f)) {
		t.Errorf("round trip gave %+v, want %+v", *got.(LabFrame).Vocab, *f.Vocab)
	}
}
