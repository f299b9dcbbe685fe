package labview

import (
	"math"
	"strings"
	"testing"

	"nceplay/core/lab"
	"nceplay/wasm/wire"
)

func vocabPayload() *VocabData {
	return &VocabData{Vocab: 2000, Contexts: 4, Dim: 8, K: 25, Obj: "nce", Norm: "fixed", EvalContexts: 4, PPLTrue: 300, PPLUnigram: 900,
		Curves: []VocabCurve{
			{Label: "NCE k = 25", Obj: "nce", K: 25, Run: true, MS: []float64{0.5, 1, 2}, PPL: []float64{1900, 800, 400}},
			{Label: "NCE k = 5", Obj: "nce", K: 5, MS: []float64{0.3}, PPL: []float64{1500}},
			{Label: "softmax", Obj: "mle", Softmax: true}},
		LogZ: []float64{0.1, -0.05, 0.02, 0.3}, NegOptimum: math.NaN(),
		Probe:    []VocabTiming{{V: 1000, Softmax: 0.1, Sampled: 0.004}, {V: 100000, Softmax: 10, Sampled: 0.006}},
		ProbeObj: "NCE k = 25"}
}

// TestVocabCharts: the three panels' charts from a payload: a line per
// curve and the true model's floor, on log axes; the histogram's bars
// with the line at 0 (and negative sampling's optimum, docs/math.md#e12); a_ctx only where it is
// learned; the probe's two series and the ∝ V guide.
func TestVocabCharts(t *testing.T) {
	p := vocabPayload()
	c := VocabCurves(p)
	if len(c.Lines) != 4 || c.Lines[3].Class != "true" || c.Lines[0].Label != "NCE k = 25 (run)" || c.Lines[2].D != "" {
		t.Errorf("curves %+v", c.Lines)
	}
	if len(c.Dots) != 2 || len(c.XTicks) < 2 || len(c.LegendItems()) != 4 {
		t.Errorf("curves' dots %+v, ticks %+v", c.Dots, c.XTicks)
	}
	h := VocabLogZ(p)
	if len(h.Lines) != 2 || h.Lines[0].Class != "bars" || !strings.HasPrefix(h.Lines[0].D, "M") {
		t.Errorf("histogram %+v", h.Lines)
	}
	if _, ok := VocabA(p); ok {
		t.Error("an a_ctx chart for norm=fixed")
	}
	p.A, p.Rest = []float64{-1, -2, -3, -4}, []float64{1.1, 2, 3, 3.7}
	a, ok := VocabA(p)
	if !ok || len(a.Dots) != 4 || len(a.Lines) != 1 {
		t.Errorf("a_ctx chart %+v", a)
	}
	p.Obj, p.NegOptimum = "neg", 3.5
	if h := VocabLogZ(p); len(h.Lines) != 3 || h.Lines[2].Label != "neg's optimum" {
		t.Errorf("neg histogram %+v", h.Lines)
	}
	pr := VocabProbe(p)
	if len(pr.Lines) != 3 || len(pr.Dots) != 4 || !strings.Contains(pr.Lines[1].Label, "k = 25") {
		t.Errorf("probe %+v %+v", pr.Lines, pr.Dots)
	}
	for _, panel := range []string{VocabPanelCurves, VocabPanelLogZ, VocabPanelProbe} {
		cap := VocabCaptions(panel, p)
		if !strings.Contains(cap.Full, "(docs/math.md#") || !strings.Contains(cap.Short, " ") {
			t.Errorf("%s: caption %+v", panel, cap)
		}
	}
	if cap := VocabCaptions(VocabPanelLogZ, p); !strings.Contains(cap.Full, "docs/math.md#e12") {
		t.Errorf("neg's caption %q", cap.Full)
	}
	p.EvalContexts, p.Contexts = 69, 200
	if cap := VocabCaptions(VocabPanelCurves, p); !strings.Contains(cap.Full, "the first 69 of the 200 contexts") {
		t.Errorf("caption %q", cap.Full)
	}
}

// TestVocabReadouts: the toolbar shows the report's numbers and its
// timings (which frames carry apart).
func TestVocabReadouts(t *testing.T) {
	f := &wire.LabFrame{Metrics: []wire.LabMetric{{Key: "ppl", Value: 512.25}, {Key: "ppl_softmax", Null: true}},
		Timings: []wire.LabMetric{{Key: "ms_per_step", Value: 0.0125}}}
	got := map[string]Readout{}
	for _, r := range Readouts(lab.Vocab, f) {
		got[r.Key] = r
	}
	if r := got["ppl"]; !r.Known || r.Value != "512.25" {
		t.Errorf("ppl %+v", r)
	}
	if r := got["ppl_softmax"]; r.Known || r.Text != "–" {
		t.Errorf("ppl_softmax %+v", r)
	}
	if r := got["ms_per_step"]; !r.Known || r.Value != "0.0125" {
		t.Errorf("ms_per_step %+v", r)
	}
	if len(got) != 7 {
		t.Errorf("%d readouts", len(got))
	}
}
