package labview

import (
	"math"
	"strings"
	"testing"

	"nceplay/wasm/wire"
)

// sweepPayload is a sweep of two ns, two settings and two ks, one cell
// without repetitions yet (NaN).
func sweepPayload() *wire.SweepPanels {
	p := &wire.SweepPanels{Reps: 10, Done: 4}
	for _, n := range []int{100, 1000} {
		for _, sc := range []float64{1, 3} {
			for _, k := range []int{1, 10} {
				f := 100 / float64(n)
				p.Rows = append(p.Rows, wire.SweepRow{K: k, N: n, Noise: "gauss", NScale: sc, MSE: f * (1 + 1/float64(k)) * sc,
					SE: f * 0.1, Theory: f * (1 + 1/float64(k)), MLE: f, MLESE: f * 0.05, MLEThe: f, Evals: float64((1 + k) * n), Reps: 4})
			}
		}
	}
	p.Rows[len(p.Rows)-1].MSE = math.NaN()
	return p
}

// TestSweepCharts: each chart draws a line and markers per series, the
// theory dashed, ±1 SE bars, maximum likelihood in ink; its log axes
// hold every value; a value not there yet draws no marker; the SVG the
// page inserts has the chart's parts and escapes its text.
func TestSweepCharts(t *testing.T) {
	p := sweepPayload()
	k := SweepKChart(p)
	classes := map[string]int{}
	for _, l := range k.Lines {
		classes[l.Class]++
	}
	if classes["s0"] != 1 || classes["s1"] != 1 || classes["s0 theory"] != 1 || classes["s0 err"] != 1 || classes["mle"] != 1 || classes["mleband"] != 1 {
		t.Errorf("k chart lines %v", classes)
	}
	if len(k.Dots) != 3 { // n = 1000: 2 settings × 2 ks, one NaN
		t.Errorf("k chart: %d markers", len(k.Dots))
	}
	if len(k.XTicks) != 2 || k.XTicks[0].Label != "1" || k.XTicks[1].Label != "10" {
		t.Errorf("k ticks %+v", k.XTicks)
	}
	for _, d := range k.Dots {
		if d.X < k.Geo.L || d.X > k.Geo.W-k.Geo.R || d.Y < k.Geo.T || d.Y > k.Geo.H-k.Geo.B {
			t.Errorf("marker %+v outside the plot", d)
		}
	}
	cost := SweepCostChart(p)
	if len(cost.Dots) != 7+2 { // 8 cells, one NaN; MLE at 2 ns
		t.Errorf("cost chart: %d markers", len(cost.Dots))
	}
	n := SweepNChart(p)
	theory := 0
	for _, l := range n.Lines {
		if strings.HasSuffix(l.Class, "theory") {
			theory++
		}
	}
	if theory != 3 || len(n.Dots) != 2*2+2 { // a 1/n line per k and MLE's; setting 1: 2 ks × 2 ns; MLE 2
		t.Errorf("n chart: %d theory lines, %d markers", theory, len(n.Dots))
	}
	figs := SweepFigures(p)
	if len(figs) != 3 || !figs[0].Embed || figs[2].Embed || figs[0].Sub != "4 of 10 repetitions" {
		t.Fatalf("figures %+v", figs)
	}
	svg := figs[0].SVG
	for _, want := range []string{`<svg class="nce-plot nce-labchart nce-fig"`, `class="nce-l s0 theory"`, `<circle class="nce-dot s1"`, `class="nce-legbox"`, "NCE gauss ×3", "</svg>"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the SVG has no %s", want)
		}
	}
	c := Chart{}
	c.Geo = sweepGeom
	c.XLabel = `a<b & "c"`
	if s := SVG(c, ""); !strings.Contains(s, "a&lt;b &amp; &#34;c&#34;") {
		t.Errorf("unescaped label in %s", s)
	}
	for _, panel := range []string{SweepPanelK, SweepPanelCost, SweepPanelN} {
		if c := SweepCaptions(panel, p); c.Full == "" || c.Short == "" {
			t.Errorf("%s: no caption", panel)
		}
	}
}

// TestInfoNCECharts: the estimate over steps under the ceiling, the true
// information; across k, a marker per best-critic bound and per trained
// critic, the run's own ringed.
func TestInfoNCECharts(t *testing.T) {
	p := &wire.InfoNCEPanels{K: 3, Steps: 100, True: 1.96, Bound: math.Log(4), Step: []float64{0, 50, 100}, Est: []float64{math.NaN(), 1, 1.03},
		Ks: []float64{1, 3, 7}, KBound: []float64{math.Log(2), math.Log(4), math.Log(8)}, KOpt: []float64{0.68, 1.05, 1.6}, KEst: []float64{0.66, 1.03, math.NaN()}}
	s := InfoNCEStepsChart(p)
	if len(s.Lines) != 3 || s.Lines[2].D == "" || !strings.Contains(s.Lines[0].Label, "1.386") {
		t.Errorf("steps chart %+v", s.Lines)
	}
	k := InfoNCEKChart(p)
	own, best := 0, 0
	for _, d := range k.Dots {
		switch d.Class {
		case "model own":
			own++
		case "best":
			best++
		}
	}
	if len(k.Dots) != 5 || own != 1 || best != 3 || len(k.XTicks) != 3 || k.XTicks[0].Label != "2" {
		t.Errorf("k chart: %d markers (%d own, %d best), ticks %+v", len(k.Dots), own, best, k.XTicks)
	}
	if c := InfoNCECaptions(InfoNCEPanelSteps, p); !strings.Contains(c.Full, "above the ceiling") {
		t.Errorf("ρ = 0.99, k = 3: the caption does not say the estimate saturates: %s", c.Full)
	}
	if figs := InfoNCEFigures(p); len(figs) != 2 || !strings.Contains(figs[1].SVG, "trained critic") {
		t.Errorf("figures %+v", figs)
	}
}
