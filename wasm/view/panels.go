package view

import (
	"math"
	"strconv"
	"strings"

	"nceplay/chart"
	"nceplay/wasm/wire"
)

// A Line is one SVG path of a plot; Class selects its style (see the
// page's CSS: data, noise, true, model, bayes, half, bars, rug-data,
// rug-noise, c, logz, logztrue, loss, kl, acc, …) and Label names it in
// the legend (none when empty).
type Line struct{ D, Class, Label string }

// A Dot is a marker at pixel position (X, Y).
type Dot struct {
	X, Y  float64
	Class string
}

// A Plot is everything an SVG plot shows, in pixel coordinates of Geo.
type Plot struct {
	Geo            Geom
	XTicks, YTicks []AxisTick
	Lines          []Line
	Dots           []Dot
	XLabel, YLabel string
	Title          string
}

// Legend returns the labelled lines.
func (p *Plot) Legend() []Line {
	var out []Line
	for _, l := range p.Lines {
		if l.Label != "" {
			out = append(out, l)
		}
	}
	return out
}

// GridLines returns the SVG path of the horizontal grid lines.
func (p *Plot) GridLines() string {
	var b strings.Builder
	for _, t := range p.YTicks {
		b.WriteString("M" + px(p.Geo.L) + " " + px(t.Pos) + "H" + px(p.Geo.W-p.Geo.R))
	}
	return b.String()
}

// Axes returns the SVG path of the x and y axes.
func (p *Plot) Axes() string {
	g := p.Geo
	return "M" + px(g.L) + " " + px(g.T) + "V" + px(g.H-g.B) + "H" + px(g.W-g.R)
}

// XTickY and YTickX are where tick labels go.
func (p *Plot) XTickY() float64 { return p.Geo.H - p.Geo.B + 12 }
func (p *Plot) YTickX() float64 { return p.Geo.L - 4 }

// XLabelX etc. place the axis labels.
func (p *Plot) XLabelX() float64 { return p.Geo.W - p.Geo.R }
func (p *Plot) XLabelY() float64 { return p.Geo.H - 2 }

func newPlot(geo Geom, sx, sy Scale, xl, yl, title string) Plot {
	return Plot{Geo: geo, XTicks: AxisTicks(sx, 6), YTicks: AxisTicks(sy, 4), XLabel: xl, YLabel: yl, Title: title}
}

// rug returns a path of short vertical ticks at the x positions inside
// the scale's domain (wide noise would otherwise draw across the page),
// from pixel y0 up by h.
func rug(xs []float32, sx Scale, y0, h float64) string {
	lo, hi := min(sx.D0, sx.D1), max(sx.D0, sx.D1)
	var b strings.Builder
	for _, x := range xs {
		if v := float64(x); !(v >= lo && v <= hi) {
			continue
		}
		b.WriteString("M" + px(sx.At(float64(x))) + " " + px(y0) + "v" + px(-h))
	}
	return b.String()
}

// SamplesPlot1D is the Samples panel in 1D: the data histogram with the
// true density p̃, the noise density k·U, and rugs of data and noise
// samples. The y range fits the data; k·U may run off the top.
func SamplesPlot1D(f *wire.Frame) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pTrue := exp32(f.Grid.LogTrue)
	kU := exp32(f.Grid.LogNoise)
	for i := range kU {
		kU[i] *= float64(f.K)
	}
	hist := to64(f.Hist)
	top := 1.15 * math.Max(maxFinite(hist, pTrue), 1e-9)
	g := DefaultGeom
	sx, sy := g.X(x0, x1), g.Y(0, top)
	p := newPlot(g, sx, sy, "x", "density", "Samples")
	base := g.H - g.B
	p.Lines = []Line{
		{D: Bars(x0, x1, hist, sx, sy), Class: "bars", Label: "data histogram"},
		{D: Path(xs, pTrue, sx, sy), Class: "true", Label: "p̃ (true)"},
		{D: Path(xs, kU, sx, sy), Class: "noise", Label: "k·U (noise)"},
		{D: rug(f.Data, sx, base, 6), Class: "rug-data"},
		{D: rug(f.Noise, sx, base-7, 6), Class: "rug-noise"},
	}
	return p
}

// ClassifierPlot1D is the Classifier panel in 1D: the learned P(1|x) and
// the Bayes P(1|x) = p̃/(p̃ + kU), with the level ½ and their crossings
// (the decision boundaries) marked.
func ClassifierPlot1D(f *wire.Frame) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pm, pb := to64(f.Grid.PModel), to64(f.Grid.PBayes)
	g := DefaultGeom
	sx, sy := g.X(x0, x1), g.Y(0, 1)
	p := newPlot(g, sx, sy, "x", "P(1|x)", "Classifier")
	half := sy.At(0.5)
	p.Lines = []Line{
		{D: "M" + px(g.L) + " " + px(half) + "H" + px(g.W-g.R), Class: "half"},
		{D: Path(xs, pb, sx, sy), Class: "bayes", Label: "Bayes p̃/(p̃+kU)"},
		{D: Path(xs, pm, sx, sy), Class: "model", Label: "learned"},
	}
	for _, x := range Crossings(xs, pb, 0.5) {
		p.Dots = append(p.Dots, Dot{X: sx.At(x), Y: half, Class: "cross-bayes"})
	}
	for _, x := range Crossings(xs, pm, 0.5) {
		p.Dots = append(p.Dots, Dot{X: sx.At(x), Y: half, Class: "cross-model"})
	}
	return p
}

// DensityPlot1D is the Density panel in 1D: the read-back density p̂ of
// the objective (docs/math.md#metrics, not renormalized) beside the true p̃.
func DensityPlot1D(f *wire.Frame) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pTrue, pHat := exp32(f.Grid.LogTrue), exp32(f.Grid.LogModel)
	mt := maxFinite(pTrue)
	top := 1.15 * math.Max(math.Max(mt, math.Min(maxFinite(pHat), 2.5*mt)), 1e-9)
	g := DefaultGeom
	sx, sy := g.X(x0, x1), g.Y(0, top)
	p := newPlot(g, sx, sy, "x", "density", "Density")
	p.Lines = []Line{
		{D: Path(xs, pTrue, sx, sy), Class: "true", Label: "p̃ (true)"},
		{D: Path(xs, pHat, sx, sy), Class: "model", Label: "p̂ (recovered)"},
	}
	return p
}

// SmallGeom is the geometry of the four small Curves plots.
var SmallGeom = Geom{W: 240, H: 150, L: 38, R: 8, T: 8, B: 22}

// CurvePlots are the Curves panel: loss; c against log Z (by quadrature,
// and the true value when known); KL (log scale); accuracy against the
// Bayes accuracy — all over steps.
func CurvePlots(h *History) []Plot {
	n := len(h.S)
	last := 1.0
	if n > 0 {
		last = math.Max(1, float64(h.S[n-1].Step))
	}
	g := SmallGeom
	sx := g.X(0, last)
	col := func(f func(Sample) float64) ([]float64, []float64) { return h.Column(f) }
	mk := func(title, ylabel string, sy Scale, lines ...Line) Plot {
		p := newPlot(g, sx, sy, "step", ylabel, title)
		p.XTicks = AxisTicks(sx, 3)
		p.YTicks = AxisTicks(sy, 3)
		p.Lines = lines
		return p
	}
	rangeOf := func(pad float64, vs ...[]float64) (float64, float64) {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range vs {
			for _, x := range v {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
		}
		if lo > hi {
			return 0, 1
		}
		if hi-lo < 1e-6 {
			lo, hi = lo-0.5, hi+0.5
		}
		d := (hi - lo) * pad
		return lo - d, hi + d
	}

	st, loss := col(func(s Sample) float64 { return s.Loss })
	lo, hi := rangeOf(0.05, loss)
	sy := g.Y(lo, hi)
	pLoss := mk("Loss", "loss", sy, Line{D: Path(st, loss, sx, sy), Class: "loss", Label: "loss"})

	_, c := col(func(s Sample) float64 { return s.C })
	_, lz := col(func(s Sample) float64 { return s.LogZ })
	_, lzt := col(func(s Sample) float64 { return s.LogZTrue })
	lo, hi = rangeOf(0.08, c, lz, lzt)
	sy = g.Y(lo, hi)
	cl := []Line{}
	if t := lastFinite(lzt); !math.IsNaN(t) {
		y := px(sy.At(t))
		cl = append(cl, Line{D: "M" + px(g.L) + " " + y + "H" + px(g.W-g.R), Class: "logztrue", Label: "true log Z"})
	}
	cl = append(cl, Line{D: Path(st, lz, sx, sy), Class: "logz", Label: "log Z (quadrature)"})
	if !math.IsNaN(lastFinite(c)) {
		cl = append(cl, Line{D: Path(st, c, sx, sy), Class: "c", Label: "c"})
	}
	pC := mk("c against log Z", "nats", sy, cl...)

	_, kl := col(func(s Sample) float64 { return s.KL })
	klo, khi := math.Inf(1), 0.0
	for _, v := range kl {
		if v > 0 && !math.IsInf(v, 0) {
			klo, khi = math.Min(klo, v), math.Max(khi, v)
		}
	}
	if !(klo <= khi) {
		klo, khi = 1e-4, 1
	}
	klo = math.Pow(10, math.Floor(math.Log10(math.Max(klo, 1e-8))))
	khi = math.Pow(10, math.Ceil(math.Log10(math.Max(khi, klo*10))))
	sy = g.Y(klo, khi)
	sy.Log = true
	pKL := mk("KL(p̃ ‖ p̂)", "nats", sy, Line{D: Path(st, kl, sx, sy), Class: "kl", Label: "KL"})

	_, acc := col(func(s Sample) float64 { return s.Accuracy })
	_, bay := col(func(s Sample) float64 { return s.BayesAcc })
	lo, hi = rangeOf(0.1, acc, bay)
	hi = math.Min(hi, 1)
	sy = g.Y(lo, hi)
	pAcc := mk("Accuracy", "accuracy", sy,
		Line{D: Path(st, bay, sx, sy), Class: "bayes", Label: "Bayes"},
		Line{D: Path(st, acc, sx, sy), Class: "acc", Label: "learned"})
	return []Plot{pLoss, pC, pKL, pAcc}
}

func lastFinite(v []float64) float64 {
	for i := len(v) - 1; i >= 0; i-- {
		if !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) {
			return v[i]
		}
	}
	return math.NaN()
}

// A LegendItem is one legend entry placed in a plot's top-right corner.
type LegendItem struct {
	Swatch, Class, Label string
	TextX, TextY         float64
}

func legend(g Geom, lines []Line) []LegendItem {
	var out []LegendItem
	for _, l := range lines {
		if l.Label == "" {
			continue
		}
		y := g.T + 9 + 11*float64(len(out))
		x1 := g.W - g.R - 4
		out = append(out, LegendItem{
			Swatch: "M" + px(x1-14) + " " + px(y-3) + "H" + px(x1),
			Class:  l.Class, Label: l.Label, TextX: x1 - 18, TextY: y,
		})
	}
	return out
}

// legendBox is the background path of a legend of n items.
func legendBox(g Geom, n int) string {
	if n == 0 {
		return ""
	}
	x1 := g.W - g.R - 1
	return "M" + px(x1-118) + " " + px(g.T+1) + "H" + px(x1) + "V" + px(g.T+4+11*float64(n)) + "H" + px(x1-118) + "Z"
}

// LegendBox is a background for the legend.
func (p *Plot) LegendBox() string { return legendBox(p.Geo, len(p.LegendItems())) }

// LegendItems places the plot's legend.
func (p *Plot) LegendItems() []LegendItem { return legend(p.Geo, p.Lines) }

// LegendItems places the heatmap's legend.
func (h *Heat) LegendItems() []LegendItem { return legend(h.Geo, h.Lines) }

// TickY returns where a heatmap's x tick labels go, and TickX the y ones.
func (h *Heat) TickY() float64 { return h.Geo.H - h.Geo.B + 12 }
func (h *Heat) TickX() float64 { return h.Geo.L - 4 }

// ClassifierNote explains an empty boundary: when the Bayes posterior
// stays below ½ everywhere (k·U exceeds p̃ at every x), there is no
// decision boundary to draw. It returns "" otherwise.
func ClassifierNote(f *wire.Frame) string {
	pb := f.Grid.PBayes
	if len(pb) == 0 {
		return ""
	}
	_, hi, ok := Range(pb)
	if !ok || hi >= 0.5 {
		return ""
	}
	return "Here k·U exceeds p̃ everywhere (k = " + strconv.Itoa(f.K) + "): no x is more likely data than noise, so there is no boundary P = ½ — the largest Bayes P(1|x) is " + chart.Num(hi) + ". Lower k or narrow the noise to see one."
}
