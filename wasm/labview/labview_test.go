package labview

import (
	"math"
	"strings"
	"testing"

	"nceplay/core/lab"
	"nceplay/core/lab/w2v"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

func open(t *testing.T, q string) lab.Settings {
	t.Helper()
	s, err := lab.Open(q)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestControlsFromTable: the controls follow the lab's key table.
func TestControlsFromTable(t *testing.T) {
	s := open(t, "lab=w2v&corpus=alice&vocab=200&k=10")
	byName := map[string]view.Control{}
	for _, c := range Controls(s) {
		byName[c.Name] = c
	}
	for _, name := range []string{"lab", "v", "opt"} {
		if _, ok := byName[name]; ok {
			t.Errorf("a control for %s, which has one value", name)
		}
	}
	if c := byName["corpus"]; c.Widget != view.WidgetSelect || c.Value != "alice" || len(c.Options) != len(w2v.Corpora) {
		t.Errorf("corpus control %+v", c)
	}
	if c := byName["obj"]; c.Widget != view.WidgetSelect || strings.Join(c.Options, ",") != "neg,nce" {
		t.Errorf("obj control %+v", c)
	}
	if c := byName["k"]; c.Widget != view.WidgetRange || c.Value != "10" || c.Pos <= 0 || c.Pos >= view.SliderSteps ||
		!strings.Contains(c.Doc, "Allowed: 1 … 100.") {
		t.Errorf("k control %+v", c)
	}
	if c := byName["seed"]; c.Widget != view.WidgetNumber || c.Value != "1" {
		t.Errorf("seed control %+v", c)
	}
	if c := byName["tokens"]; !c.Disabled {
		t.Errorf("tokens applies to a text: %+v", c)
	}
	if c := byName["vocab"]; c.Disabled || c.Value != "200" {
		t.Errorf("vocab control %+v", c)
	}
	// A slider's ends are the key's range.
	if v := SliderValue(lab.W2V, "k", "0"); v != "1" {
		t.Errorf("k at 0: %q", v)
	}
	if v := SliderValue(lab.W2V, "k", "10000"); v != "100" {
		t.Errorf("k at the end: %q", v)
	}
	if v := SliderValue(lab.W2V, "alpha", "5000"); v != "0.5" {
		t.Errorf("alpha halfway: %q", v)
	}
	if v := SliderValue(lab.W2V, "speed", "0"); v != "0.1" {
		t.Errorf("speed at 0: %q", v)
	}
	if v := SliderValue(lab.W2V, "corpus", "3"); v != "" {
		t.Errorf("corpus has a slider: %q", v)
	}
	var names []string
	for _, c := range ViewControls(s) {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "speed,theme" {
		t.Errorf("view controls %v", names)
	}
}

func TestAddress(t *testing.T) {
	s := open(t, "theme=dark&lab=w2v&k=10&embed=1")
	if a := Address(s, false); a != "/?lab=w2v&k=10&embed=1&theme=dark" {
		t.Errorf("address %q", a)
	}
	if a := FullAddress(s); a != "/?lab=w2v&k=10&theme=dark" {
		t.Errorf("full address %q", a)
	}
	if e := EmbedSnippet("https://x.test", s); !strings.Contains(e, `src="https://x.test/embed?lab=w2v&amp;k=10&amp;theme=dark"`) ||
		!strings.Contains(e, `width="640" height="400"`) {
		t.Errorf("snippet %s", e)
	}
	_, err := lab.Open("lab=w2v&k=abc")
	if es := Errors(err); len(es) != 1 || es[0].Key != "k" || es[0].Value != "abc" {
		t.Errorf("errors %+v", es)
	}
}

func TestReadouts(t *testing.T) {
	f := &wire.LabFrame{Metrics: []wire.LabMetric{{Key: "loss", Value: 2.4076975122928794}, {Key: "pmi_r", Null: true}, {Key: "other", Value: 1}}}
	rs := Readouts(lab.W2V, f)
	if len(rs) != 5 || rs[0].Key != "loss" || rs[0].Text != "2.408" || rs[0].Value != "2.4076975122928794" || !rs[0].Known {
		t.Errorf("readouts %+v", rs)
	}
	if rs[1].Known || rs[1].Text != "–" || rs[4].Known {
		t.Errorf("undefined readouts %+v", rs[1])
	}
	other := &lab.Lab{Name: "other"}
	if rs := Readouts(other, f); len(rs) != 3 || rs[2].Key != "other" {
		t.Errorf("a lab without a page: %+v", rs)
	}
	p := wire.LabProgress{Done: 1234567, Total: 3000000, Unit: "words", Stage: "epoch 2 of 3"}
	if s := ProgressText(p); s != "1,234,567 / 3,000,000 words · epoch 2 of 3" {
		t.Errorf("progress %q", s)
	}
	if ProgressPercent(p) < 41 || ProgressPercent(p) > 41.2 || StepUnits(p) != 30000 || StepUnits(wire.LabProgress{Total: 5}) != 1 {
		t.Errorf("percent %v, step %v", ProgressPercent(p), StepUnits(p))
	}
	if group(0) != "0" || group(999) != "999" || group(1000) != "1,000" || group(-12345) != "-12,345" {
		t.Error("group")
	}
}

func TestTextProblem(t *testing.T) {
	if TextProblem(lab.W2V, "") == "" || TextProblem(lab.W2V, " \n\t") == "" {
		t.Error("an empty text passed")
	}
	if TextProblem(lab.W2V, "some words here") != "" {
		t.Error("a text was refused")
	}
	if p := TextProblem(lab.W2V, strings.Repeat("a", lab.W2V.MaxText+1)); !strings.Contains(p, "8 MiB") {
		t.Errorf("too long: %q", p)
	}
	pg := PageOf(lab.W2V)
	if !pg.NeedsText(open(t, "lab=w2v&corpus=text")) || pg.NeedsText(open(t, "lab=w2v")) || len(pg.Snippets) != 3 {
		t.Errorf("w2v page %+v", pg)
	}
}

// payload is a trained-looking 3-word payload: theory −∞ for one pair.
func payload() *wire.W2VPanels {
	inf := float32(math.Inf(-1))
	return &wire.W2VPanels{Vocab: 3, N: 3, Obj: "nce", Static: true, Words: []string{"a", "bb", "ccc"}, Counts: []float64{5, 3, 1},
		Theory:  []float32{1, -2, inf, 0.5, 0, 1.5, -1, 2.5, 0},
		Pairs:   []float32{50, 2, 0, 9, 3, 7, 1, 30, 2},
		Learned: []float32{1.1, -1.8, -3, 0.4, 0.1, 1.4, -0.9, 2.4, 0.1},
		LogZ:    []float32{0, 0.1, -0.2}, XY: []float32{0, 0, 1, 1, -1, 2}, Focus: 1,
		Neighbours: []wire.W2VNeighbour{{Word: "a", Cos: 0.91}, {Word: "ccc", Cos: -0.2}}}
}

func TestW2VPanels(t *testing.T) {
	p := payload()
	if lo, hi := W2VScale(p); lo != -2 || hi != 2.5 {
		t.Errorf("scale %v … %v", lo, hi)
	}
	l, th, bar := W2VHeats(p)
	if l.W != 3 || len(l.Pix) != 36 || !l.Pixelated || th.Title != "optimum log p(c|w)" || bar.W != 128 || len(bar.XTicks) == 0 {
		t.Fatalf("heats %+v %+v", l, bar)
	}
	if th.Pix[4*2+3] != 0 || th.Pix[3] != 255 {
		t.Errorf("−∞ is not transparent: alpha %d, %d", th.Pix[4*2+3], th.Pix[3])
	}
	// Row 0 at the top: the first pixel is pair (0, 0) = 1; pair (0, 1) = −2 is the scale's low end.
	if c := W2VColours(3.0 / 4.5); th.Pix[0] != c.R || th.Pix[1] != c.G || th.Pix[2] != c.B {
		t.Errorf("pair (0,0) = 1 is %v, want %v", th.Pix[:4], c)
	}
	if c := W2VColours(0); th.Pix[4] != c.R || th.Pix[5] != c.G || th.Pix[6] != c.B {
		t.Errorf("pair (0,1) = -2 is %v, want %v", th.Pix[4:8], c)
	}

	sc := W2VScatter(p, nil)
	painted := 0
	for i := 3; i < len(sc.Pix); i += 4 {
		if sc.Pix[i] != 0 {
			painted++
		}
	}
	if painted < 7*4 || len(sc.Lines) != 1 || sc.Lines[0].Class != "identity" || sc.XLabel == "" {
		t.Errorf("scatter: %d pixels, lines %+v", painted, sc.Lines)
	}
	if again := W2VScatter(p, sc.Pix); &again.Pix[0] != &sc.Pix[0] || string(again.Pix) != string(sc.Pix) {
		t.Error("the scatter did not repaint its buffer alike")
	}

	sn := W2VSelfNorm(p)
	if len(sn.Dots) != 3 || !W2VShowSelfNorm(p) || sn.Dots[0].Title != "a: 1" {
		t.Errorf("self-normalization %+v", sn.Dots)
	}
	p.Obj = "neg"
	if W2VShowSelfNorm(p) {
		t.Error("self-normalization shown for neg")
	}

	w := W2VWords(p)
	if len(w.Dots) != 3 || len(w.Labels) != 3 || w.Dots[1].Class != "word focus" || w.Dots[0].Class != "word near" || w.Dots[2].Item != 2 {
		t.Errorf("words %+v", w.Dots)
	}
	// Labels never overlap: three words at one point get one label, the
	// focused word's.
	same := *p
	same.XY = []float32{1, 1, 1, 1, 1, 1}
	if w := W2VWords(&same); len(w.Labels) != 1 || w.Labels[0].Text != "bb" || len(w.Dots) != 3 {
		t.Errorf("labels of words at one point: %+v", w.Labels)
	}
	focus, items := W2VNeighbours(p)
	if focus != "bb" || strings.Join(items, "|") != "a 0.910|ccc -0.200" {
		t.Errorf("neighbours %q %v", focus, items)
	}

	next := &wire.W2VPanels{N: 3, Learned: p.Learned}
	m := W2VMerge(p, next)
	if m != next || len(m.Words) != 3 || len(m.Theory) != 9 {
		t.Errorf("merge %+v", m)
	}
	if W2VMerge(p, nil) != p {
		t.Error("merge of nothing")
	}
	for _, panel := range []string{W2VPanelHeat, W2VPanelScatter, W2VPanelSelfNorm, W2VPanelWords} {
		c := W2VCaptions(panel, p)
		if c.Full == "" || c.Short == "" || strings.Contains(view.Plain(c.Short), "](") {
			t.Errorf("%s: caption %+v", panel, c)
		}
	}
}
