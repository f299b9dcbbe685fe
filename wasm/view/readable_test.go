package view

import (
	"encoding/xml"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"nceplay/chart"
	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/docs/mathml"
	"nceplay/wasm/wire"
)

// fracChildren parses MathML and returns, for each <mfrac>, the number of
// its child elements.
func fracChildren(t *testing.T, m string) []int {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(m))
	var stack []string
	var kids []int   // children counted per open element
	var fracs []*int // open mfrac counters
	var out []int
	for {
		tok, err := d.Token()
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			t.Fatalf("MathML does not parse: %v\n%s", err, m)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if len(kids) > 0 {
				kids[len(kids)-1]++
			}
			stack = append(stack, e.Name.Local)
			kids = append(kids, 0)
			if e.Name.Local == "mfrac" {
				fracs = append(fracs, &kids[len(kids)-1])
			}
		case xml.EndElement:
			n := kids[len(kids)-1]
			if stack[len(stack)-1] == "mfrac" {
				out = append(out, n)
				fracs = fracs[:len(fracs)-1]
			}
			stack, kids = stack[:len(stack)-1], kids[:len(kids)-1]
		}
	}
	return out
}

// Every formula the Explain panel can show (every objective × norm ×
// dimension) converts with docs/mathml, and every fraction in it has
// exactly two children: a numerator and a denominator (issue 9: rank's
// ratio read as a product when a fraction had loose children).
func TestFormulasHaveTwoChildFractions(t *testing.T) {
	fracs := 0
	for _, obj := range spec.Lookup("obj").Values {
		for _, norm := range spec.Lookup("norm").Values {
			for _, target := range []string{"quartic", "ring"} {
				q := "obj=" + obj + "&norm=" + norm + "&target=" + target
				e := Explain(mustParse(t, q))
				for _, tex := range append(append([]string(nil), e.ObjectiveTeX...), e.ReadBackTeX) {
					m, err := mathml.Convert(tex, true)
					if err != nil {
						t.Errorf("%s: %q does not convert: %v", q, tex, err)
						continue
					}
					for _, n := range fracChildren(t, m) {
						fracs++
						if n != 2 {
							t.Errorf("%s: a fraction of %q has %d children, want 2:\n%s", q, tex, n, m)
						}
					}
				}
				for _, m := range []string{e.Objective, e.ReadBack} {
					if !strings.HasPrefix(m, `<math display="block">`) || strings.Contains(m, "<mtext>") {
						t.Errorf("%s: not converted MathML: %s", q, m)
					}
					fracChildren(t, "<r>"+m+"</r>")
				}
				if len(e.Sources) == 0 || !strings.Contains(e.More, "](docs/math.md#") {
					t.Errorf("%s: no sources or no link to the math notes: %+v", q, e)
				}
			}
		}
	}
	// rank's objective and read-back, and mle's read-back, are fractions.
	if fracs < 3*2*2 {
		t.Errorf("only %d fractions checked", fracs)
	}
}

// The primary sources link to docs/math.md's references, with titles.
func TestSourcesCiteTheReferences(t *testing.T) {
	seen := map[string]bool{}
	for _, q := range []string{"", "norm=fixed", "obj=neg", "obj=rank", "obj=cls", "obj=mle", "nscale=10", "nshift=5"} {
		for _, r := range Explain(mustParse(t, q)).Sources {
			spans := Rich(r)
			if len(spans) != 1 || !strings.HasPrefix(spans[0].Href, "/docs/math.html#ref-") || !strings.Contains(spans[0].Text, "“") {
				t.Errorf("%q: source %q is not one titled link to a reference", q, r)
			}
			seen[spans[0].Href] = true
		}
	}
	for _, id := range []string{"gutmann2010", "gutmann2012", "mnih2012", "mikolov2013", "levy2014", "oord2018"} {
		if !seen["/docs/math.html#ref-"+id] {
			t.Errorf("no experiment cites ref-%s", id)
		}
	}
}

// After a divergence the Explain panel agrees with the banner: nothing
// says training stalls, and the live sentence says it diverged.
func TestExplainAfterDivergence(t *testing.T) {
	s := mustParse(t, "deg=8&k=10&opt=sgd&lr=1&nscale=10&steps=5000") // the browser test's divergence
	look := strings.Join(Explain(s).Look, " ")
	if strings.Contains(look, "stall") {
		t.Errorf("Explain says training stalls: %s", look)
	}
	f := Blank()
	f.Dim, f.Step, f.Diverged = 1, 12, "At step 13 the loss is not finite (lr = 1)."
	if now := Now(f); !strings.Contains(now, "diverged") || !strings.Contains(now, "step 12") {
		t.Errorf("Now after a divergence: %q", now)
	}
}

// On your own data the Explain panel names nothing the data do not have:
// no Bayes boundary or crossings, no KL, no Bayes accuracy; it says what
// is measured instead, in 1D and 2D.
func TestExplainOwnData(t *testing.T) {
	pts := make([]float64, 80)
	for i := range pts {
		pts[i] = math.Sin(float64(i))
	}
	for _, dim := range []int{1, 2} {
		v, err := dataset.Encode(pts, dim)
		if err != nil {
			t.Fatal(err)
		}
		q := "target=data&data=" + v
		if dim == 2 {
			q = "target=data2d&data=" + v
		}
		s := mustParse(t, q)
		look := strings.Join(Explain(s).Look, " ")
		if strings.Contains(look, "Bayes boundary") || strings.Contains(look, "crossings") || !strings.Contains(look, "held-out") {
			t.Errorf("%.30s: Explain says %s", q, look)
		}
	}
	f := Blank()
	f.Dim, f.Step, f.MetricsAt = 2, 40, 40
	f.Metrics.TruthNote, f.Metrics.HeldOutLL, f.Metrics.Mass, f.Metrics.Accuracy, f.Metrics.LogZ = nce.TruthNote, -2.5, 1, 0.6, 0.3
	now := Now(f)
	if strings.Contains(now, "KL") || strings.Contains(now, "Bayes") || strings.Contains(now, "–") || !strings.Contains(now, "held-out log-likelihood "+chart.Num(-2.5)) {
		t.Errorf("Now on your own data: %q", now)
	}
}

// Each dimension has its own captions: the 2D ones speak of maps and
// contours, never of 1D curves, rugs or crossings, and the other way
// round. Every panel has a short caption for embeds.
func TestCaptionsFitTheDimension(t *testing.T) {
	oneD := regexp.MustCompile(`(?i)\b1D\b|ticks below|histogram|crossing|the curves`)
	twoD := regexp.MustCompile(`(?i)\b2D\b|contour|heatmap|colour|scatter`)
	for _, p := range Panels() {
		if p == spec.PanelExplain {
			continue
		}
		for _, dim := range []int{1, 2} {
			for _, data := range []bool{false, true} {
				c := Captions(p, dim, data)
				if c.Full == "" || c.Short == "" || len(Plain(c.Short)) > 90 {
					t.Errorf("%s %dD (data %v): caption %+v (short must exist and fit a line)", p, dim, data, c)
				}
				// On the user's own data there is no p̃ to speak of, and
				// the caption says what replaces it.
				if data && (strings.Contains(c.Full+c.Short, "p̃") || !strings.Contains(c.Full, "docs/math.md#no-truth")) {
					t.Errorf("%s %dD on your data: the caption speaks of p̃ or does not cite #no-truth: %q", p, dim, c.Full)
				}
				if p == spec.PanelCurves {
					continue
				}
				for _, text := range []string{c.Full, c.Short} {
					if dim == 2 && oneD.MatchString(text) || dim == 1 && twoD.MatchString(text) {
						t.Errorf("%s %dD (data %v): caption speaks of the other dimension: %q", p, dim, data, text)
					}
				}
			}
		}
	}
}

// frame1D is a 1D frame with p̃ = N(0, 1), U = N(0, 4) and k = 10, so
// k·U peaks far above p̃.
func frame1D() *wire.Frame {
	const n = 200
	f := &wire.Frame{Dim: 1, K: 10, Step: 300, MetricsAt: 300, Grid: wire.Grid{Res: n, Box: density.Box{Lo: [2]float64{-4, -4}, Hi: [2]float64{4, 4}}}}
	g := &f.Grid
	for _, x := range Xs(f) {
		lt := -x*x/2 - 0.9189
		lu := -x*x/8 - 1.6121
		g.LogTrue = append(g.LogTrue, float32(lt))
		g.LogModel = append(g.LogModel, float32(lt+0.05))
		g.LogNoise = append(g.LogNoise, float32(lu))
		pb := 1 / (1 + 10*math.Exp(lu-lt))
		g.PBayes = append(g.PBayes, float32(pb))
		g.PModel = append(g.PModel, float32(pb*0.9))
	}
	for i := range 64 {
		x := -4 + (float64(i)+0.5)/8
		f.Hist = append(f.Hist, float32(math.Exp(-x*x/2-0.9189)))
	}
	f.Data, f.Noise = []float32{0, 1, -1}, []float32{3, -3, 9}
	return f
}

// frame2D is a 2D frame of res² cells: p̃ a bump at the origin, U wide,
// the model's p̂ twice p̃ (so it saturates the colour scale), P(1|x) the
// Bayes posterior.
func frame2D(res int) *wire.Frame {
	f := &wire.Frame{Dim: 2, K: 8, Grid: wire.Grid{Res: res, Box: density.Box{Lo: [2]float64{-3, -3}, Hi: [2]float64{3, 3}}}}
	g := &f.Grid
	for iy := range res {
		for ix := range res {
			x, y := -3+6*(float64(ix)+0.5)/float64(res), -3+6*(float64(iy)+0.5)/float64(res)
			r2 := x*x + y*y
			lt, lu := -r2/0.5-math.Log(math.Pi*0.5), -r2/8-math.Log(8*math.Pi)
			g.LogTrue = append(g.LogTrue, float32(lt))
			g.LogModel = append(g.LogModel, float32(lt+math.Ln2))
			g.LogNoise = append(g.LogNoise, float32(lu))
			pb := 1 / (1 + 8*math.Exp(lu-lt))
			g.PBayes = append(g.PBayes, float32(pb))
			g.PModel = append(g.PModel, float32(pb))
		}
	}
	f.Data, f.Noise = []float32{0, 0, 0.5, 0.5}, []float32{2, 2, -2, 1}
	return f
}

// box of an estimated text at anchor x (start, middle or end) and
// baseline y.
type rect struct{ x0, y0, x1, y1 float64 }

func textBox(s string, x, y float64, anchor string) rect {
	w := TextWidth(s, false)
	switch anchor {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return rect{x, y - 9, x + w, y + 3}
}

func (a rect) overlaps(b rect) bool {
	return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

func (a rect) inside(w, h float64) bool {
	return a.x0 >= -0.5 && a.y0 >= -0.5 && a.x1 <= w+0.5 && a.y1 <= h+0.5
}

// checkLayout: every label of a plot lies in its box, x tick labels
// never overlap each other or the axis name, and the legend sits above
// the plotting area, never over it.
func checkLayout(t *testing.T, what string, g Geom, xt, yt []AxisTick, legend []LegendItem, xname string, xnameX float64, tickY, tickX float64) {
	t.Helper()
	area := rect{g.L, g.T, g.W - g.R, g.H - g.B}
	if area.x1-area.x0 < 30 || area.y1-area.y0 < 30 {
		t.Errorf("%s: plotting area %+v too small in %vx%v", what, area, g.W, g.H)
	}
	var boxes []rect
	if xname != "" {
		boxes = append(boxes, textBox(xname, xnameX, tickY, "end"))
	}
	for _, tk := range xt {
		b := textBox(tk.Label, tk.Pos, tickY, "middle")
		for _, o := range boxes {
			if b.overlaps(o) {
				t.Errorf("%s: x tick %q overlaps a neighbour", what, tk.Label)
			}
		}
		boxes = append(boxes, b)
	}
	for _, tk := range yt {
		boxes = append(boxes, textBox(tk.Label, tickX, tk.Pos+4, "end"))
	}
	for _, b := range boxes {
		if !b.inside(g.W, g.H) {
			t.Errorf("%s: a tick label %+v leaves the %vx%v box", what, b, g.W, g.H)
		}
	}
	for _, it := range legend {
		b := textBox(it.Label, it.TextX, it.TextY, "start")
		if !b.inside(g.W, g.H) || b.overlaps(area) {
			t.Errorf("%s: legend %q at %+v is outside the box or over the plot %+v", what, it.Label, b, area)
		}
	}
}

// Every plot fits its box, from a phone's embed to a wide page, with
// nothing clipped, nothing overlapping and no legend over the data.
func TestPlotsFitTheirBox(t *testing.T) {
	f1, f2 := frame1D(), frame2D(24)
	var h History
	for s := 0; s <= 2000; s += 8 {
		h.Add(Sample{Step: s, Loss: 3 + 1/float64(s+1), C: 0.3, LogZ: 0.31, LogZTrue: 0.3137, KL: 1e-4 + 1e12/float64(s*s*s+1), Accuracy: 0.9, BayesAcc: 0.91})
	}
	for _, sz := range []Size{{130, 95}, {150, 100}, {200, 130}, {236, 140}, {310, 177}, {340, 226}, {355, 310}, {700, 300}} {
		name := fmt.Sprintf("%vx%v", sz.W, sz.H)
		for _, p := range []Plot{SamplesPlot1D(f1, sz), ClassifierPlot1D(f1, sz), DensityPlot1D(f1, sz)} {
			checkLayout(t, p.Title+" "+name, p.Geo, p.XTicks, p.YTicks, p.Legend, p.XName, p.XNameX, p.XTickY(), p.YTickX())
		}
		for _, p := range CurvePlots(&h, Sizes{CurveSlot(0): sz, CurveSlot(1): sz, CurveSlot(2): sz, CurveSlot(3): sz}) {
			checkLayout(t, p.Title+" "+name, p.Geo, p.XTicks, p.YTicks, p.Legend, p.XName, p.XNameX, p.XTickY(), p.YTickX())
			if !strings.Contains(p.Axes(), "") || len(p.XTicks) == 0 {
				t.Errorf("%s %s: no x ticks", p.Title, name)
			}
		}
		for _, hm := range []Heat{SamplesHeat2D(f2, sz, chart.Dark, nil), ClassifierHeat2D(f2, sz), DensityHeat2D(f2, sz)} {
			checkLayout(t, hm.Title+" "+name, hm.Geo, hm.XTicks, hm.YTicks, hm.Legend, "", 0, hm.TickY(), hm.TickX())
			if b := hm.Bar; b != nil {
				for _, tk := range b.Ticks {
					if bx := textBox(tk.Label, b.LabelX, tk.Pos+4, "start"); !bx.inside(hm.Geo.W, hm.Geo.H) {
						t.Errorf("%s %s: colour bar label %q leaves the box", hm.Title, name, tk.Label)
					}
				}
			}
		}
	}
	// The x axis of the curves keeps its last tick whole ("2000", not
	// "200" cut at the edge) and KL's labels are plain powers of ten.
	ps := CurvePlots(&h, Sizes{CurveSlot(2): {300, 180}})
	last := ps[0].XTicks[len(ps[0].XTicks)-1]
	if last.Label != "2000" {
		t.Errorf("last step tick %q", last.Label)
	}
	for _, tk := range ps[2].YTicks {
		if strings.Contains(tk.Label, "+") || strings.Contains(tk.Label, "M") {
			t.Errorf("KL tick %q", tk.Label)
		}
	}
}

// pathYs returns the y coordinates of an SVG path of M/L/H/V commands
// with absolute coordinates.
func pathYs(d string) []float64 {
	var ys []float64
	num := regexp.MustCompile(`([MLHVZ])([-0-9.]*)(?: ([-0-9.]+))?`)
	for _, m := range num.FindAllStringSubmatch(d, -1) {
		switch m[1] {
		case "M", "L":
			y, _ := strconv.ParseFloat(m[3], 64)
			ys = append(ys, y)
		case "V":
			y, _ := strconv.ParseFloat(m[2], 64)
			ys = append(ys, y)
		}
	}
	return ys
}

// 1D Samples: k·U ten times above p̃ turns the axis logarithmic, and
// every curve stays inside the plotting area (issue 9: k·U ran off the
// top). The histogram is one outline (no seams between bars).
func TestSamplesCurvesStayInside(t *testing.T) {
	p := SamplesPlot1D(frame1D(), Size{340, 226})
	if len(p.Legend) == 0 || !p.Legend[0].Title || p.Legend[0].Label != "log scale" {
		t.Errorf("no log scale announced: %+v", p.Legend)
	}
	g := p.Geo
	for _, l := range p.Lines[:3] {
		for _, y := range pathYs(l.D) {
			if y < g.T-0.05 || y > g.H-g.B+0.05 {
				t.Errorf("%s leaves the plot: y = %v, area %v … %v", l.Class, y, g.T, g.H-g.B)
				break
			}
		}
	}
	if strings.Count(p.Lines[0].D, "M") != 1 || !strings.HasSuffix(p.Lines[0].D, "Z") {
		t.Errorf("histogram is not one outline: %.80s…", p.Lines[0].D)
	}
	f := frame1D()
	f.K = 1
	if q := SamplesPlot1D(f, Size{340, 226}); len(q.Legend) > 0 && q.Legend[0].Title {
		t.Errorf("k = 1: log scale, want linear")
	}
}

// The 2D Classifier colours P(1|x) by its log-odds: P = ½ neutral, and
// P = 0.1 and 0.01 (where k = 8 puts most of the plane) distinct colours
// rather than one flat orange; its colour bar reads in P.
func TestClassifierLogOdds(t *testing.T) {
	f := frame2D(2)
	f.Grid.PModel = []float32{0.5, 0.1, 0.01, 0.001}
	h := ClassifierHeat2D(f, Size{340, 300})
	px := func(ix, iy int) chart.RGB {
		p := ((1-iy)*2 + ix) * 4
		return chart.RGB{R: h.Pix[p], G: h.Pix[p+1], B: h.Pix[p+2]}
	}
	half, tenth, hundredth := px(0, 0), px(1, 0), px(0, 1)
	if half != chart.Diverging(0.5) {
		t.Errorf("P = ½ painted %v, want the neutral %v", half, chart.Diverging(0.5))
	}
	if tenth == hundredth || tenth == half {
		t.Errorf("P = 0.1 and 0.01 look alike: %v %v", tenth, hundredth)
	}
	var labels []string
	for _, tk := range h.Bar.Ticks {
		labels = append(labels, tk.Label)
	}
	if strings.Join(labels, " ") != "0.01 0.1 0.5 0.9 0.99" {
		t.Errorf("colour bar labels %v", labels)
	}
	if len(h.Legend) < 3 || !h.Legend[0].Title {
		t.Errorf("legend %+v: want the title and both boundaries", h.Legend)
	}
}

// The 2D Density shares one colour scale with a colour bar; p̂ above the
// scale's top is painted in the over colour (a cap on the bar), never as
// the top colour, and p̃ is drawn as contours over it.
func TestDensitySaturationShows(t *testing.T) {
	f := frame2D(16)
	h := DensityHeat2D(f, Size{340, 300})
	if h.Bar == nil || h.Bar.Over == "" || !strings.HasPrefix(h.Bar.OverLabel, "> ") {
		t.Fatalf("no over cap on the colour bar: %+v", h.Bar)
	}
	over := 0
	for i := 0; i+3 < len(h.Pix); i += 4 {
		if (chart.RGB{R: h.Pix[i], G: h.Pix[i+1], B: h.Pix[i+2]}) == chart.Light.Over {
			over++
		}
	}
	if over == 0 {
		t.Errorf("p̂ = 2 p̃ peaks above the scale but no pixel shows the over colour")
	}
	if len(h.Lines) == 0 || h.Lines[0].Class != "contour-true" || h.Lines[0].D == "" || !h.Lines[0].Halo {
		t.Errorf("no p̃ contours: %+v", h.Lines)
	}
	if NiceTop(0.497*1.15) != 0.6 || NiceTop(7) != 8 || NiceTop(1) != 1 {
		t.Errorf("NiceTop: %v %v %v", NiceTop(0.497*1.15), NiceTop(7), NiceTop(1))
	}
}

// The 2D Samples shows U as contours, and paints the scatter in the
// theme's colours.
func TestSamples2DNoiseContoursAndTheme(t *testing.T) {
	f := frame2D(24)
	for _, pal := range []chart.Palette{chart.Light, chart.Dark} {
		h := SamplesHeat2D(f, Size{340, 300}, pal, nil)
		var d string
		for _, l := range h.Lines {
			if l.Class == "contour-noise" && l.D != "" {
				d = l.D
			}
		}
		if d == "" {
			t.Errorf("no contours of U")
		}
		found := false
		for i := 0; i+3 < len(h.Pix); i += 4 {
			if (chart.RGB{R: h.Pix[i], G: h.Pix[i+1], B: h.Pix[i+2]}) == pal.Data && h.Pix[i+3] > 0 {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("scatter not in the theme's data colour %v", pal.Data)
		}
	}
}

// The hover readout gives the values under the pointer.
func TestHoverReadout(t *testing.T) {
	f := frame1D()
	p := DensityPlot1D(f, Size{340, 226})
	g := p.Geo
	x := p.Hover.SX.At(0.01)
	got := p.Hover.Text(x, (g.T+g.H-g.B)/2)
	if !strings.Contains(got, "x = 0.0") || !strings.Contains(got, "p̃(x) = 0.3989") || !strings.Contains(got, "p̂(x) = 0.4") {
		t.Errorf("density readout at x = 0: %q", got)
	}
	if p.Hover.Text(1, 1) != "" {
		t.Errorf("readout outside the plot")
	}
	c := ClassifierPlot1D(f, Size{340, 226})
	if got := c.Hover.Text(c.Hover.SX.At(0.01), g.T+5); !strings.Contains(got, "Bayes P(1|x) = ") || !strings.Contains(got, "learned P(1|x) = ") {
		t.Errorf("classifier readout %q", got)
	}
	s := SamplesPlot1D(f, Size{340, 226})
	if got := s.Hover.Text(s.Hover.SX.At(0.01), s.Geo.T+5); !strings.Contains(got, "k·U(x) = ") || !strings.Contains(got, "histogram = ") {
		t.Errorf("samples readout %q", got)
	}
	h2 := ClassifierHeat2D(frame2D(8), Size{340, 300})
	gg := h2.Geo
	if got := h2.Hover.Text(gg.L+1, gg.H-gg.B-1); !strings.HasPrefix(got, "x = (-2.9") || !strings.Contains(got, "Bayes P(1|x)") {
		t.Errorf("2D readout %q", got)
	}
	var hist History
	for s := 0; s <= 64; s += 16 {
		hist.Add(Sample{Step: s, Loss: float64(s), HeldOut: float64(s) / 2, Bayes: 1})
	}
	cp := CurvePlots(&hist, nil)[0]
	if got := cp.Hover.Text(cp.Hover.SX.At(30), cp.Geo.T+5); got != "step = 32\nminibatch loss = 32\nheld-out loss = 16\nBayes floor = 1" {
		t.Errorf("curve readout %q", got)
	}
}

// The CSV names its experiment and has uniform steps, whatever the
// pauses, single steps and thinning of the run (the worker measures at
// multiples of strides of wire.NextStride's chain).
func TestCSVSpecAndUniformSteps(t *testing.T) {
	h := History{Spec: "target=ring&k=8"}
	for s, stride := 0, 8; s <= 20000; s += stride {
		h.Add(Sample{Step: s, Loss: 1})
		if s == 800 {
			h.Add(Sample{Step: 803, Loss: 2}) // a pause
			h.Add(Sample{Step: 804, Loss: 2}) // a single step
			stride = 32                       // then a coarser stride: play resumes at 832
			s = 832 - stride
		}
	}
	csv := h.CSV()
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if lines[0] != "# NCE Playground spec: target=ring&k=8" || !strings.HasPrefix(lines[2], "step,loss") {
		t.Fatalf("CSV starts %q", lines[:3])
	}
	var prev, step = -1, -1
	for _, l := range lines[3:] {
		s, _ := strconv.Atoi(strings.SplitN(l, ",", 2)[0])
		if prev >= 0 && step < 0 {
			step = s - prev
		} else if prev >= 0 && s-prev != step {
			t.Fatalf("uneven steps: %d after %d (step %d)", s, prev, step)
		}
		prev = s
	}
	if step <= 0 || len(lines) < 100 || len(h.S) >= MaxHistory {
		t.Errorf("step %d, %d rows, %d samples", step, len(lines)-3, len(h.S))
	}
	if d := new(History).CSV(); !strings.HasPrefix(d, "# NCE Playground spec: (the defaults)\n") {
		t.Errorf("empty CSV %q", d)
	}
}

func TestPlainJSON(t *testing.T) {
	for in, want := range map[string]string{
		`{"spec":"k=8\u0026target=ring"}`:     `{"spec":"k=8&target=ring"}`,
		`{"a":"\\u0026","b":"\u003cx\u003e"}`: `{"a":"\\u0026","b":"<x>"}`,
		`{"c":"\u00e9\"\\"}`:                  `{"c":"\u00e9\"\\"}`,
	} {
		if got := PlainJSON(in); got != want {
			t.Errorf("PlainJSON(%s) = %s, want %s", in, got, want)
		}
	}
}

// The embed layout gives 2D maps room: three panels at 640×400 stand in
// one row; any number of panels in the two embed sizes gets panels wide
// and tall enough to read.
func TestEmbedLayout(t *testing.T) {
	if g := EmbedLayout(3, 2, 640, 400, 34, false, false); g.Cols != 3 || g.Rows != 1 {
		t.Errorf("3 maps at 640×400: %+v, want one row of 3", g)
	}
	for _, fr := range []Size{{640, 400}, {480, 360}} {
		for n := 1; n <= 5; n++ {
			for _, dim := range []int{1, 2} {
				for _, explain := range []bool{false, true} {
					g := EmbedLayout(n, dim, fr.W, fr.H, 40, explain, n%2 == 0)
					pw := (fr.W - 8 - 4*float64(g.Cols-1)) / float64(g.Cols)
					cells := g.LastSpan // every cell filled: n − 2 panels, the spanning two
					if n >= 2 {
						cells += n - 2 + g.PrevSpan
					}
					if cells != g.Cols*g.Rows {
						t.Errorf("%v, %d panels, explain %v: %+v fills %d of %d cells", fr, n, explain, g, cells, g.Cols*g.Rows)
					}
					if g.Cols*g.Rows < n || g.LastSpan < 1 || g.LastSpan > g.Cols || g.PrevSpan > g.Cols || pw < 140 || g.PanelH < 160 {
						t.Errorf("%v, %d panels, %dD, explain %v: %+v (panel %.0f px wide)", fr, n, dim, explain, g, pw)
					}
					if explain && n > 1 && g.LastSpan*int(pw) < MinExplainW-8 && g.Cols > 1 {
						t.Errorf("%v, %d panels: Explain gets %d of %d columns, %0.f px each", fr, n, g.LastSpan, g.Cols, pw)
					}
				}
			}
		}
	}
}

func TestPathClipsBothEdges(t *testing.T) {
	sx, sy := Scale{0, 4, 0, 40, false}, Scale{0, 4, 40, 0, false}
	if p := Path([]float64{0, 1, 2, 3, 4}, []float64{2, -2, -4, -2, 2}, sx, sy); p != "M0 20L5 40M35 40L40 20" {
		t.Errorf("Path below the bottom = %q", p)
	}
}

// A long curve is drawn with about two points per pixel, keeping its
// extremes.
func TestThinKeepsTheEnvelope(t *testing.T) {
	var xs, ys []float64
	for i := range 2000 {
		xs, ys = append(xs, float64(i)), append(ys, math.Sin(float64(i)/7))
	}
	ys[777] = 5
	tx, ty := Thin(xs, ys, 100)
	if len(tx) > 201 || tx[len(tx)-1] != 1999 {
		t.Errorf("%d points, last x %v", len(tx), tx[len(tx)-1])
	}
	found := false
	for i := range tx {
		found = found || tx[i] == 777 && ty[i] == 5
	}
	if !found {
		t.Errorf("the spike at 777 is lost")
	}
}

// The live sentence's numbers keep their room (NowSpans), with the
// punctuation after them, so that it keeps its line breaks while they
// change: the step the room of the run's steps, the others theirs; the
// words around them are Now's.
func TestNowNumbersKeepTheirRoom(t *testing.T) {
	f := Blank()
	f.Dim, f.Step, f.MetricsAt = 2, 40, 40
	f.Metrics.CKnown, f.Metrics.C, f.Metrics.LogZ, f.Metrics.Mass, f.Metrics.KL = true, -0.002035, 0.05, 1.002, 1.948
	f.Metrics.Accuracy, f.Metrics.BayesAccuracy, f.Metrics.LogZTrue = 0.85, 0.911, math.NaN()
	spans := NowSpans(f, 10000)
	var text strings.Builder
	var rooms []string
	for _, s := range spans {
		text.WriteString(s.Text)
		if s.Room > 0 {
			rooms = append(rooms, fmt.Sprintf("%s:%d", s.Text, s.Room))
		}
	}
	if text.String() != Now(f) {
		t.Errorf("the spans read %q, Now %q", text.String(), Now(f))
	}
	want := []string{"40::6", "-0.002035,:10", "0.05;:10", "1.002;:7", "1.948;:10", "0.85:6"}
	if fmt.Sprint(rooms) != fmt.Sprint(want) {
		t.Errorf("numbers and their rooms %v, want %v", rooms, want)
	}
	html := SpansHTML(spans)
	if !strings.Contains(html, `<span class="nce-room" style="min-width:10ch">-0.002035,</span>`) || strings.Count(html, "nce-room") != len(want) {
		t.Errorf("the sentence's markup: %s", html)
	}
}
