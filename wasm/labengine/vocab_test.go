package labengine

import (
	"math"
	"testing"
	"time"

	"nceplay/core/lab"
	"nceplay/core/lab/vocab"
	"nceplay/wasm/wire"
)

const smallVocab = "lab=vocab&vocab=1000&contexts=20&pairs=4000&dim=8"

// TestVocabPage: the page's run trains the runner's experiment, NCE at the
// other k and the softmax reference on the same data, and times a step
// at every V of the probe; its report is the runner's bit for bit (the
// extra work changes nothing), its curves have their points, the softmax
// reference trains last, and the probe's softmax costs more per step at
// V = 10⁵ than at 10³ (a ratio far beyond timing noise).
func TestVocabPage(t *testing.T) {
	r, err := New(smallVocab, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Frame(1, false, true)
	// 4000 steps per trainer: the run (k = 25), k = 5, k = 100, the softmax.
	probeUnits := int64(len(vocab.ProbeVocabs)) * (1 + VocabProbeRounds)
	if f.Progress.Total != VocabWarmRounds+4*4000+probeUnits || f.Progress.Unit != "steps" || f.Progress.Stage != "warming up" {
		t.Errorf("first frame's progress %+v", f.Progress)
	}
	p := r.panels.(*vocabPanels).last
	if len(f.Figures) != 3 || p == nil || len(p.Curves) != 4 || len(p.LogZ) != 20 || p.A != nil || p.EvalContexts != 20 || !(p.PPLTrue > 1) {
		t.Fatalf("first payload %+v", p)
	}
	for i, want := range []string{"NCE k = 25", "NCE k = 5", "NCE k = 100", "softmax"} {
		if p.Curves[i].Label != want {
			t.Errorf("curve %d is %q, want %q", i, p.Curves[i].Label, want)
		}
	}
	// At most 16 units a call: the probe's 56 units (7 V × 8) span several
	// calls whatever the machine's speed, so its stage is seen between them.
	sawProbe := false
	for !r.Done() {
		if _, err := r.Train(16, time.Second); err != nil {
			t.Fatal(err)
		}
		st := r.Progress().Stage
		if len(st) > 6 && st[:6] == "timing" {
			sawProbe = true
			if c := r.run.(*vocabStudy).curves; !c[2].t.Done() || c[3].t.Progress().Steps != 0 {
				t.Errorf("the probe runs before the extra runs end or after the softmax starts")
			}
		}
	}
	if !sawProbe {
		t.Error("no probe stage")
	}
	r.RefreshMetrics()
	f = r.Frame(1, false, true)
	if f.Progress.Done != f.Progress.Total || !f.Done {
		t.Errorf("last frame's progress %+v", f.Progress)
	}
	p = r.panels.(*vocabPanels).last
	for _, c := range p.Curves {
		if len(c.MS) != VocabPoints || len(c.PPL) != VocabPoints || c.Steps != 4000 || c.Err != "" {
			t.Errorf("curve %s: %d points, %d steps, %q", c.Label, len(c.MS), c.Steps, c.Err)
		}
		for i := 1; i < len(c.MS); i++ {
			if !(c.MS[i] >= c.MS[i-1]) {
				t.Errorf("curve %s: time goes back: %v", c.Label, c.MS)
			}
		}
		t.Logf("%s: ppl %.0f", c.Label, c.PPL)
		if c.K != 5 && !(c.PPL[len(c.PPL)-1] < c.PPL[0]) { // k = 5 is too noisy for 4000 pairs at lr 0.1
			t.Errorf("curve %s: perplexity %v does not fall", c.Label, c.PPL)
		}
	}
	// All contexts are evaluated: the run's last point is the report's ppl.
	if ppl, _ := metric(f, "ppl"); ppl != p.Curves[0].PPL[VocabPoints-1] {
		t.Errorf("the run's last point %v, the report's ppl %v", p.Curves[0].PPL[VocabPoints-1], ppl)
	}
	if len(p.Probe) != len(vocab.ProbeVocabs) || !p.ProbeDone {
		t.Fatalf("probe %+v", p.Probe)
	}
	lo, hi := p.Probe[0], p.Probe[len(p.Probe)-1]
	if lo.V != 1000 || hi.V != 100000 || !(hi.Softmax > 10*lo.Softmax) || !(hi.Softmax > 10*hi.Sampled) {
		t.Errorf("probe %+v … %+v", lo, hi)
	}
	if len(f.Timings) != len(vocab.Timings) {
		t.Errorf("timings %+v", f.Timings)
	}

	run, err := lab.Vocab.New(smallVocab, lab.Input{})
	if err != nil {
		t.Fatal(err)
	}
	for !run.Done() {
		run.Step(1 << 20)
	}
	want, _, err := Flatten(run.Report(1, 1), lab.Vocab.Timings)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Metrics) != len(want) {
		t.Fatalf("metrics %+v, want %+v", f.Metrics, want)
	}
	for i, m := range want {
		g := f.Metrics[i]
		if g.Key != m.Key || g.Null != m.Null || math.Float64bits(g.Value) != math.Float64bits(m.Value) {
			t.Errorf("metric %d: %+v, want %+v", i, g, m)
		}
	}
}

// TestVocabLearn: with norm=learn the payload has a_ctx and the rest's
// log Z, and a learned a_ctx tracks −log Z of the rest.
func TestVocabLearn(t *testing.T) {
	r, err := New("lab=vocab&vocab=300&contexts=10&pairs=3000&dim=8&norm=learn&passes=3", nil)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Done() {
		if _, err := r.Train(1<<20, time.Second); err != nil {
			t.Fatal(err)
		}
	}
	r.Frame(1, false, true)
	p := r.panels.(*vocabPanels).last
	if len(p.A) != 10 || len(p.Rest) != 10 {
		t.Fatalf("a %v, rest %v", p.A, p.Rest)
	}
	// k = 100 is left out: 101 · 4 > 300.
	if len(p.Curves) != 3 || p.Curves[1].K != 5 {
		t.Errorf("curves %+v", p.Curves)
	}
	for i, a := range p.A {
		if d := a + p.Rest[i]; math.Abs(d-p.LogZ[i]) > 1e-9 {
			t.Errorf("context %d: a %v + rest %v ≠ log Z %v", i, a, p.Rest[i], p.LogZ[i])
		}
	}
}

func metric(f wire.LabFrame, key string) (float64, bool) {
	for _, m := range f.Metrics {
		if m.Key == key {
			return m.Value, !m.Null
		}
	}
	return math.NaN(), false
}
