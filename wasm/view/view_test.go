package view

import (
	"math"
	"strings"
	"testing"

	"nceplay/chart"
	"nceplay/core/density"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

func TestPaintFlipsY(t *testing.T) {
	vals := []float32{0, 0, 1, 1} // row y=0 low, row y=1 high
	dst := make([]byte, 16)
	Paint(dst, vals, 2, 0, 1, chart.Viridis)
	if dst[0] != 0xfd || dst[8] != 0x44 { // top row is y = 1
		t.Errorf("pixels %v", dst)
	}
}

func TestScaleAndPath(t *testing.T) {
	s := Scale{D0: 0, D1: 10, R0: 100, R1: 200}
	if s.At(5) != 150 {
		t.Errorf("At(5) = %v", s.At(5))
	}
	l := Scale{D0: 1, D1: 100, R0: 0, R1: 2, Log: true}
	if math.Abs(l.At(10)-1) > 1e-12 {
		t.Errorf("log At(10) = %v", l.At(10))
	}
	p := Path([]float64{0, 1, 2, 3}, []float64{0, math.NaN(), 1, 2}, Scale{0, 3, 0, 30, false}, Scale{0, 2, 20, 0, false})
	if p != "M20 10L30 0" {
		t.Errorf("Path = %q", p)
	}
	// A peak above the top is cut at the edge, not drawn along it.
	p = Path([]float64{0, 1, 2, 3, 4}, []float64{0, 4, 8, 4, 0}, Scale{0, 4, 0, 40, false}, Scale{0, 4, 40, 0, false})
	if p != "M0 40L10 0M30 0L40 40" {
		t.Errorf("clipped Path = %q", p)
	}
}

func TestCrossings(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 4}
	ys := []float64{0, 1, 0, 1, 1}
	got := Crossings(xs, ys, 0.5)
	want := []float64{0.5, 1.5, 2.5}
	if len(got) != len(want) {
		t.Fatalf("Crossings = %v", got)
	}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-12 {
			t.Errorf("Crossings = %v, want %v", got, want)
		}
	}
}

func TestContourCircle(t *testing.T) {
	// P = 1 inside a disc of radius 1 on [-2, 2]²: the ½ contour stays near
	// radius 1.
	const res = 40
	vals := make([]float64, res*res)
	h := 4.0 / res
	for j := range res {
		for i := range res {
			x, y := -2+(float64(i)+0.5)*h, -2+(float64(j)+0.5)*h
			vals[j*res+i] = 1 / (1 + math.Exp(8*(math.Hypot(x, y)-1)))
		}
	}
	sc := Scale{D0: -2, D1: 2, R0: 0, R1: 400}
	d := Contour(vals, res, 0.5, -2, 2, -2, 2, sc, sc)
	segs := strings.Count(d, "M")
	if segs < 40 {
		t.Fatalf("only %d segments", segs)
	}
	for _, f := range strings.FieldsFunc(d, func(r rune) bool { return r == 'M' || r == 'L' }) {
		var x, y float64
		if _, err := fmtSscan(f, &x, &y); err != nil {
			t.Fatal(err)
		}
		if r := math.Hypot(x/100-2, y/100-2); math.Abs(r-1) > 0.03 {
			t.Errorf("contour point at radius %v", r)
		}
	}
}

func TestSlider(t *testing.T) {
	lr := spec.Lookup("lr")
	for _, v := range []string{"0.01", "0.001", "1e-06", "10"} {
		if got := SliderValue(lr, SliderPos(lr, v)); got != v {
			t.Errorf("lr %s → pos %d → %s", v, SliderPos(lr, v), got)
		}
	}
	deg := spec.Lookup("deg")
	for pos := 0; pos <= SliderSteps; pos += 370 {
		v := SliderValue(deg, pos)
		if _, err := spec.Parse("deg=" + v); err != nil {
			t.Errorf("deg slider %d → %s: %v", pos, v, err)
		}
	}
	steps := spec.Lookup("steps")
	if SliderValue(steps, 0) != "0" || SliderValue(steps, SliderSteps) != "10000000" {
		t.Errorf("steps ends: %s %s", SliderValue(steps, 0), SliderValue(steps, SliderSteps))
	}
	// Every slider value of every numeric key parses.
	for _, c := range Controls(spec.Default()) {
		if c.Widget != WidgetRange {
			continue
		}
		k := spec.Lookup(c.Name)
		for pos := 0; pos <= SliderSteps; pos += 500 {
			if _, err := spec.Parse(c.Name + "=" + SliderValue(k, pos)); err != nil {
				t.Errorf("%s slider %d: %v", c.Name, pos, err)
			}
		}
	}
}

func TestControlsFromTable(t *testing.T) {
	cs := Controls(spec.Default())
	names := map[string]bool{}
	for _, c := range cs {
		names[c.Name] = true
		if c.Doc == "" || c.Label == "" {
			t.Errorf("%s has no tooltip or label", c.Name)
		}
	}
	for _, k := range spec.Keys {
		if !k.View && k.Min != k.Max && k.Kind != spec.KindText && !names[k.Name] {
			t.Errorf("no control for %s", k.Name)
		}
	}
	if names["v"] || names["speed"] {
		t.Errorf("controls for v or a view key: %v", names)
	}
	for _, c := range cs {
		if c.Name == "layers" && !c.Disabled {
			t.Errorf("layers is enabled for poly")
		}
	}
}

func TestWithValue(t *testing.T) {
	s, err := WithValue(spec.Default(), "k", "100")
	if err != nil || s.Canonical() != "k=100" {
		t.Fatalf("k=100: %q %v", s.Canonical(), err)
	}
	s2, err := WithValue(s, "k", "abc")
	if err == nil || s2.Canonical() != "k=100" {
		t.Errorf("bad k: %q %v", s2.Canonical(), err)
	}
	if got := Address(s, true); got != "/embed?k=100" {
		t.Errorf("Address = %s", got)
	}
	if got := Address(spec.Default(), false); got != "/" {
		t.Errorf("Address = %s", got)
	}
}

func TestPresets(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range Presets {
		s, err := spec.Parse(p.Query)
		if err != nil {
			t.Errorf("preset %s: %v", p.ID, err)
		}
		if seen[s.ExperimentQuery()] || seen[p.ID] {
			t.Errorf("preset %s repeats", p.ID)
		}
		seen[s.ExperimentQuery()], seen[p.ID] = true, true
		if PresetOf(s) != p.ID {
			t.Errorf("PresetOf(%s) = %q", p.ID, PresetOf(s))
		}
	}
	cur := mustParse(t, "speed=3&theme=dark")
	s, err := ApplyPreset(cur, Presets[1])
	if err != nil {
		t.Fatal(err)
	}
	if want := Presets[1].Query + "&speed=3&theme=dark"; s.Canonical() != want {
		t.Errorf("ApplyPreset keeps view keys: %s", s.Canonical())
	}
}

func TestExplainEveryObjective(t *testing.T) {
	for _, obj := range spec.Lookup("obj").Values {
		s, err := spec.Parse("obj=" + obj)
		if err != nil {
			t.Fatal(err)
		}
		e := Explain(s)
		for _, m := range []string{e.Objective, e.ReadBack} {
			if !strings.HasPrefix(m, `<math display="block">`) || strings.Count(m, "<mrow>") != strings.Count(m, "</mrow>") {
				t.Errorf("%s: bad MathML %q", obj, m)
			}
		}
		if len(e.Look) == 0 || e.Title == "" {
			t.Errorf("%s: no explanation", obj)
		}
	}
	far := mustParse(t, "nshift=6")
	if !strings.Contains(strings.Join(Explain(far).Look, " "), "far from the data") {
		t.Errorf("far noise not explained")
	}
}

func TestHistoryDecimates(t *testing.T) {
	var h History
	for i := range 10 * MaxHistory {
		h.Add(Sample{Step: i, Loss: float64(i)})
	}
	if len(h.S) >= MaxHistory || len(h.S) < MaxHistory/4 {
		t.Errorf("len = %d", len(h.S))
	}
	if h.S[0].Step != 0 || h.S[len(h.S)-1].Step != 10*MaxHistory-1 {
		t.Errorf("ends %d %d", h.S[0].Step, h.S[len(h.S)-1].Step)
	}
	for i := 1; i < len(h.S); i++ {
		if h.S[i].Step <= h.S[i-1].Step {
			t.Fatalf("not increasing at %d", i)
		}
	}
	csv := h.CSV()
	if _, rest, _ := strings.Cut(csv, "step,"); !strings.HasPrefix(rest, "loss,c,logz,logz_true,mass,kl,accuracy,bayes_accuracy,heldout_loss,bayes_loss,log_mass\n0,0,0,") {
		t.Errorf("CSV starts %q", csv[:160])
	}
}

func TestPanelsFromFrame(t *testing.T) {
	f := &wire.Frame{Dim: 1, K: 10, Grid: wire.Grid{Res: 100, Box: density.Box{Lo: [2]float64{-3, -3}, Hi: [2]float64{3, 3}}}}
	g := &f.Grid
	g.LogTrue, g.LogModel, g.LogNoise, g.PModel, g.PBayes = make([]float32, 100), make([]float32, 100), make([]float32, 100), make([]float32, 100), make([]float32, 100)
	for i, x := range Xs(f) {

		g.LogTrue[i] = float32(-x * x)
		g.LogModel[i] = float32(-x * x)
		g.LogNoise[i] = float32(-x * x / 4)
		g.PModel[i] = float32(1 / (1 + math.Exp(x*x-1)))
		g.PBayes[i] = float32(1 / (1 + math.Exp(x*x-1)))
	}
	f.Hist = []float32{0.1, 0.5, 0.1}
	if p := ClassifierPlot1D(f, DefaultSize); len(p.Dots) != 4 {
		t.Errorf("classifier crossings: %d dots", len(p.Dots))
	}
	if p := SamplesPlot1D(f, DefaultSize); len(p.Lines) != 5 || p.Lines[0].D == "" {
		t.Errorf("samples plot: %+v", p.Lines)
	}
	if p := DensityPlot1D(f, DefaultSize); len(p.Legend) != 2 {
		t.Errorf("density legend %+v", p.Legend)
	}
	var h History
	h.Add(SampleOf(f))
	if ps := CurvePlots(&h, nil); len(ps) != CurveCount {
		t.Errorf("curves: %d", len(ps))
	}
}

func TestRugStaysInTheBox(t *testing.T) {
	sx := Scale{D0: -1, D1: 1, R0: 0, R1: 100}
	got := rug([]float32{-5, 0, 0.5, 7}, sx, 10, 4)
	if strings.Count(got, "M") != 2 {
		t.Errorf("rug %q: want the 2 ticks inside [-1, 1]", got)
	}
}

func TestRich(t *testing.T) {
	got := Rich("read back by [E5](docs/math.md#e5), see [the noise](docs/math.md#noise).")
	want := []Span{{Text: "read back by "}, {Text: "E5", Href: "/docs/math.html#e5"}, {Text: ", see "}, {Text: "the noise", Href: "/docs/math.html#noise"}, {Text: "."}}
	if len(got) != len(want) {
		t.Fatalf("Rich = %+v", got)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Errorf("span %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if p := Plain("by [E5](docs/math.md#e5)."); p != "by E5." {
		t.Errorf("Plain = %q", p)
	}
}

// mustParse parses a spec or fails the test.
func mustParse(t *testing.T, q string) spec.Spec {
	t.Helper()
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return s
}
