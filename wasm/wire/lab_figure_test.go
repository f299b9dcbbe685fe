package wire

import (
	"reflect"
	"testing"
)

// TestFiguresRoundTrip: a frame with panels drawn in the worker and the
// report's timings, every field set, comes back the same.
func TestFiguresRoundTrip(t *testing.T) {
	f := LabFrame{Gen: 2, Lab: "vocab", Query: "lab=vocab", Metrics: []LabMetric{{Key: "ppl", Value: 500}}, Texts: []LabText{{Key: "spec", Value: "lab=vocab"}},
		Timings: []LabMetric{{Key: "ms_per_step", Value: 0.01}, {Key: "speedup", Null: true}},
		Figures: []LabFigure{{ID: "vocab-logz", Title: "t", Sub: "s", SVG: "<svg></svg>", Full: "f", Short: "sh", Embed: true}}}
	got, err := Decode(Encode(f))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, f) {
		t.Errorf("round trip gave %+v, want %+v", got, f)
	}
}
