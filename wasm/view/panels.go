package view

import (
	"math"
	"strconv"
	"strings"

	"nceplay/chart"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// A Line is one SVG path of a plot; Class selects its style (see the
// page's CSS: data, noise, true, model, bayes, half, bars, rug-data,
// rug-noise, c, logz, logztrue, loss, kl, acc, contour-*, …) and Label
// names it in the legend (none when empty; Short, if set, when the legend
// would not fit a row otherwise). Halo draws a light halo under it, so
// that it stands out over a heatmap in either theme.
type Line struct {
	D, Class, Label, Short string
	Halo                   bool
}

// A Dot is a marker at pixel position (X, Y).
type Dot struct {
	X, Y  float64
	Class string
}

// A Plot is everything an SVG plot shows, in the pixels of its box (Geo:
// the view box is the box the page measured).
type Plot struct {
	Geo            Geom
	XTicks, YTicks []AxisTick
	Lines          []Line
	Dots           []Dot
	Legend         []LegendItem // above the plotting area, never over it
	XName          string       // the x axis's name, bottom left
	XNameX         float64
	Title          string // the plot's accessible name
	ID             string // names the plot for tests and styles (the SVG's data-plot), or ""
	Hover          Hover  // the readout under the pointer
}

func (p *Plot) set(l laid) {
	p.Geo, p.XTicks, p.YTicks, p.Legend, p.XName, p.XNameX = l.Geo, l.XTicks, l.YTicks, l.Legend, l.XName, l.XNameX
	p.Hover.Geo, p.Hover.SX, p.Hover.SY = l.Geo, l.SX, l.SY
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

// XTickY is the baseline of the x tick labels (and the x axis's name),
// YTickX the right end of the y tick labels.
func (p *Plot) XTickY() float64 { return p.Geo.H - p.Geo.B + tickGap + 9 }
func (p *Plot) YTickX() float64 { return p.Geo.L - tickGap }

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

// NoiseLogScale is how much higher k·U may peak than the data before the
// 1D Samples plot switches to a log scale (on a linear one the data would
// shrink to a sliver under k·U).
const NoiseLogScale = 3

// SamplesPlot1D is the Samples panel in 1D: the data histogram with the
// true density p̃, the noise density k·U, and rugs of data and noise
// samples. Every curve fits: when k·U peaks far above the data the y axis
// is logarithmic, where the gap between log p̃ and log kU is the Bayes
// log-odds.
func SamplesPlot1D(f *wire.Frame, sz Size) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pTrue := exp32(f.Grid.LogTrue)
	kU := exp32(f.Grid.LogNoise)
	for i := range kU {
		kU[i] *= float64(f.K)
	}
	hist := to64(f.Hist)
	dataTop := math.Max(maxFinite(hist, pTrue), 1e-9)
	noiseTop := maxFinite(kU)
	ya, title := Axis{Lo: 0, Hi: 1.12 * math.Max(dataTop, noiseTop)}, ""
	if noiseTop > NoiseLogScale*dataTop {
		ya, title = Axis{Lo: dataTop * 1e-3, Hi: 1.6 * math.Max(dataTop, noiseTop), Log: true}, "log scale"
	}
	lines := []Line{
		{Class: "bars", Label: "data histogram", Short: "data"},
		{Class: "true", Label: "p̃ (true)", Short: "p̃"},
		{Class: "noise", Label: "k·U (noise)", Short: "k·U"},
	}
	var p Plot
	l := layout(frame{Size: sz, Title: title, Legend: lines, X: Axis{Lo: x0, Hi: x1, Name: "x"}, Y: ya})
	p.set(l)
	p.Title = "Samples"
	sx, sy := l.SX, l.SY
	base := l.Geo.H - l.Geo.B
	lines[0].D = Bars(x0, x1, hist, sx, sy)
	lines[1].D = Path(xs, pTrue, sx, sy)
	lines[2].D = Path(xs, kU, sx, sy)
	p.Lines = append(lines,
		Line{D: rug(f.Data, sx, base, 6), Class: "rug-data"},
		Line{D: rug(f.Noise, sx, base-7, 6), Class: "rug-noise"})
	p.Hover.XName = "x"
	p.Hover.Rows = []HoverRow{{"p̃(x)", pTrue}, {"k·U(x)", kU}, {"histogram", hist}}
	return p
}

// ClassifierPlot1D is the Classifier panel in 1D: the learned P(1|x) and
// the Bayes P(1|x) = p̃/(p̃ + kU), with the level ½ and their crossings
// (the decision boundaries) marked.
func ClassifierPlot1D(f *wire.Frame, sz Size) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pm, pb := to64(f.Grid.PModel), to64(f.Grid.PBayes)
	lines := []Line{
		{Class: "half"},
		{Class: "bayes", Label: "Bayes p̃/(p̃+kU)", Short: "Bayes"},
		{Class: "model", Label: "learned"},
	}
	if !hasFinite32(f.Grid.PBayes) { // the user's own data (docs/math.md#no-truth)
		lines[1].Label, lines[1].Short = "", ""
	}
	var p Plot
	l := layout(frame{Size: sz, Title: "P(1|x)", Legend: lines, X: Axis{Lo: x0, Hi: x1, Name: "x"}, Y: Axis{Lo: 0, Hi: 1}})
	p.set(l)
	p.Title = "Classifier"
	g, sx, sy := l.Geo, l.SX, l.SY
	half := sy.At(0.5)
	lines[0].D = "M" + px(g.L) + " " + px(half) + "H" + px(g.W-g.R)
	lines[1].D = Path(xs, pb, sx, sy)
	lines[2].D = Path(xs, pm, sx, sy)
	p.Lines = lines
	for _, x := range Crossings(xs, pb, 0.5) {
		p.Dots = append(p.Dots, Dot{X: sx.At(x), Y: half, Class: "cross-bayes"})
	}
	for _, x := range Crossings(xs, pm, 0.5) {
		p.Dots = append(p.Dots, Dot{X: sx.At(x), Y: half, Class: "cross-model"})
	}
	p.Hover.XName = "x"
	p.Hover.Rows = []HoverRow{{"learned P(1|x)", pm}, {"Bayes P(1|x)", pb}}
	return p
}

// HalfCrossings returns where a 1D frame's Bayes and learned P(1|x) cross
// ½ — the decision boundaries that the Classifier panel marks — and nil
// for a 2D frame. The page writes them into data attributes
// (NumList), which the browser tests read.
func HalfCrossings(f *wire.Frame) (bayes, learned []float64) {
	if f.Dim != 1 || len(f.Grid.PBayes) == 0 {
		return nil, nil
	}
	xs := Xs(f)
	return Crossings(xs, to64(f.Grid.PBayes), 0.5), Crossings(xs, to64(f.Grid.PModel), 0.5)
}

// NumList formats numbers to 4 significant digits, separated by spaces.
func NumList(v []float64) string {
	var b strings.Builder
	for i, x := range v {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(x, 'g', 4, 64))
	}
	return b.String()
}

// DensityPlot1D is the Density panel in 1D: the read-back density p̂ of
// the objective (docs/math.md#metrics, not renormalized) beside the true p̃.
func DensityPlot1D(f *wire.Frame, sz Size) Plot { return DensityPlot1DWith(f, nil, spec.Spec{}, sz) }

// DensityPlot1DWith is DensityPlot1D with a pinned run's p̂ drawn under
// the current one as a ghost (pin may be nil), now the current run's
// spec for the legend.
func DensityPlot1DWith(f *wire.Frame, pin *Pin, now spec.Spec, sz Size) Plot {
	x0, x1, _, _ := box(f)
	xs := Xs(f)
	pTrue, pHat := exp32(f.Grid.LogTrue), exp32(f.Grid.LogModel)
	mt := maxFinite(pTrue)
	top := 1.15 * math.Max(math.Max(mt, math.Min(maxFinite(pHat), 2.5*mt)), 1e-9)
	lines := []Line{
		{Class: "true", Label: "p̃ (true)", Short: "p̃"},
		{Class: "model", Label: "p̂ (recovered)", Short: "p̂"},
	}
	if pin != nil && pin.Dim != 1 {
		pin = nil
	}
	legend := lines
	if pin != nil {
		legend = append(append([]Line(nil), lines...), pinLegend(pin, now)...)
	}
	var p Plot
	l := layout(frame{Size: sz, Legend: legend, X: Axis{Lo: x0, Hi: x1, Name: "x"}, Y: Axis{Lo: 0, Hi: top}})
	p.set(l)
	p.Title = "Density"
	lines[0].D = Path(xs, pTrue, l.SX, l.SY)
	lines[1].D = Path(xs, pHat, l.SX, l.SY)
	if pin != nil {
		lines = append([]Line{pinnedLine(pinDensity1D(pin, l.SX, l.SY), "model")}, lines...)
	}
	p.Lines = lines
	p.Hover.XName = "x"
	p.Hover.Rows = []HoverRow{{"p̃(x)", pTrue}, {"p̂(x)", pHat}}
	return p
}

// The Curves panel's plots, in order, and their slots' ids.
const CurveCount = 4

// CurveSlot is the page's slot id of Curves plot i.
func CurveSlot(i int) string { return "curves-" + strconv.Itoa(i) }

// The Curves panel's plots' IDs (Plot.ID, the SVG's data-plot).
const (
	PlotLoss    = "loss"
	PlotC       = "c-logz"
	PlotLogMass = "log-mass"
	PlotKL      = "kl"
	PlotLL      = "heldout-ll"
	PlotAcc     = "accuracy"
)

// CurvePlots are the Curves panel, each in its slot's size, over steps:
// the loss against its floor (the minibatch loss, the held-out loss and
// the Bayes loss, docs/math.md#e9); c against log Z (by quadrature, and
// the true value when known) where c is an estimate of log Z, else the
// log mass of the read-back density (0 when it is normalized); KL and
// the excess loss (held-out − Bayes) on a log scale; the accuracy
// against the Bayes accuracy. On the user's own data (History.NoTruth)
// there is no Bayes floor, KL or Bayes accuracy: the third plot is the
// held-out log-likelihood (docs/math.md#no-truth).
func CurvePlots(h *History, sz Sizes) []Plot { return CurvePlotsWith(h, nil, spec.Spec{}, sz) }

// CurvePlotsWith is CurvePlots with a pinned run's curves drawn under
// the current run's as ghosts (pin may be nil; now is the current run's
// spec, for the legend): the step axis spans both runs, the y ranges
// hold both, and each plot's legend names both specs.
func CurvePlotsWith(h *History, pin *Pin, now spec.Spec, sz Sizes) []Plot {
	n := len(h.S)
	last := 1.0
	if n > 0 {
		last = math.Max(1, float64(h.S[n-1].Step))
	}
	if pin != nil {
		last = math.Max(last, float64(pin.Steps()))
	}
	xa := Axis{Lo: 0, Hi: last, Name: "step"}
	g := &ghosts{pin: pin, m: map[*float64][]float64{}}
	col := func(f func(Sample) float64) ([]float64, []float64) { return g.column(h, f) }
	mk := func(i int, id, title string, ya Axis, lines []Line, rows []HoverRow, steps []float64) Plot {
		var legend []Line
		if len(lines) > 1 || pin != nil {
			for _, l := range lines {
				if l.Label != "" {
					legend = append(legend, l)
				}
			}
		}
		if pin != nil {
			legend = append(legend, pinLegend(pin, now)...)
		}
		var p Plot
		l := layout(frame{Size: sz.Of(CurveSlot(i)), Title: title, Legend: legend, X: xa, Y: ya})
		p.set(l)
		p.Title, p.ID = title, id
		cols := int(l.Geo.W - l.Geo.L - l.Geo.R)
		for j := range lines {
			switch {
			case lines[j].D != "":
			case lines[j].Class == "zero":
				if y := l.SY.At(0); y >= l.Geo.T && y <= l.Geo.H-l.Geo.B {
					lines[j].D = "M" + px(l.Geo.L) + " " + px(y) + "H" + px(l.Geo.W-l.Geo.R)
				}
			default:
				xs, ys := Thin(steps, rows[j].V, cols)
				lines[j].D = Path(xs, ys, l.SX, l.SY)
			}
		}
		if pin != nil {
			var ghosts []Line
			for j := range lines {
				pv := g.of(rows[j].V)
				if pv == nil || lines[j].Class == "zero" {
					continue
				}
				xs, ys := Thin(g.steps, pv, cols)
				ghosts = append(ghosts, pinnedLine(Path(xs, ys, l.SX, l.SY), lines[j].Class))
			}
			lines = append(ghosts, lines...)
		}
		p.Lines = lines
		p.Hover.XName = "step"
		p.Hover.Steps = steps
		for _, r := range rows {
			if r.V != nil {
				p.Hover.Rows = append(p.Hover.Rows, r)
			}
		}
		return p
	}
	rangeOf := func(pad float64, vs ...[]float64) Axis {
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, v := range g.with(vs) {
			for _, x := range v {
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					lo, hi = math.Min(lo, x), math.Max(hi, x)
				}
			}
		}
		if lo > hi {
			return Axis{Lo: 0, Hi: 1}
		}
		if hi-lo < 1e-6 {
			lo, hi = lo-0.5, hi+0.5
		}
		d := (hi - lo) * pad
		return Axis{Lo: lo - d, Hi: hi + d}
	}

	st, loss := col(func(s Sample) float64 { return s.Loss })
	_, held := col(func(s Sample) float64 { return s.HeldOut })
	_, floor := col(func(s Sample) float64 { return s.Bayes })
	lossLines := []Line{{Class: "loss", Label: "minibatch", Short: "batch"}, {Class: "heldout", Label: "held-out", Short: "held-out"},
		{Class: "bayes", Label: "Bayes floor", Short: "floor"}}
	lossRows := []HoverRow{{"minibatch loss", loss}, {"held-out loss", held}, {"Bayes floor", floor}}
	lossTitle := "Loss against its floor"
	if h.NoTruth {
		lossLines, lossRows, lossTitle = lossLines[:2], lossRows[:2], "Loss (no Bayes floor: your data)"
	}
	pLoss := mk(0, PlotLoss, lossTitle, rangeOf(0.05, loss, held, floor), lossLines, lossRows, st)

	var pC Plot
	if h.NoC {
		_, lm := col(func(s Sample) float64 { return s.LogMass })
		ya := rangeOf(0.08, lm, []float64{0})
		pC = mk(1, PlotLogMass, "log mass of p̂ (0: normalized)", ya,
			[]Line{{Class: "zero"}, {Class: "logmass", Label: "log ∫ p̂"}},
			[]HoverRow{{}, {"log mass", lm}}, st)
	} else {
		_, c := col(func(s Sample) float64 { return s.C })
		_, lz := col(func(s Sample) float64 { return s.LogZ })
		_, lzt := col(func(s Sample) float64 { return s.LogZTrue })
		ya := rangeOf(0.08, c, lz, lzt)
		var cl []Line
		var cr []HoverRow
		if !math.IsNaN(lastFinite(c)) {
			cl, cr = append(cl, Line{Class: "c", Label: "c"}), append(cr, HoverRow{"c", c})
		}
		cl, cr = append(cl, Line{Class: "logz", Label: "log Z (quadrature)", Short: "log Z"}), append(cr, HoverRow{"log Z", lz})
		if t := lastFinite(lzt); !math.IsNaN(t) {
			cl, cr = append(cl, Line{Class: "logztrue", Label: "true log Z", Short: "true"}), append(cr, HoverRow{"true log Z", lzt})
		}
		pC = mk(1, PlotC, "c against log Z", ya, cl, cr, st)
	}

	_, kl := col(func(s Sample) float64 { return s.KL })
	_, ex := col(func(s Sample) float64 { return s.Excess() })
	klo, khi := math.Inf(1), 0.0
	for _, v := range g.with([][]float64{kl, ex}) {
		for _, x := range v {
			if x > 0 && !math.IsInf(x, 0) {
				klo, khi = math.Min(klo, x), math.Max(khi, x)
			}
		}
	}
	if !(klo <= khi) {
		klo, khi = 1e-4, 1
	}
	klo = math.Pow(10, math.Floor(math.Log10(math.Max(klo, 1e-8))))
	khi = math.Pow(10, math.Ceil(math.Log10(math.Max(khi, klo*10))))
	pKL := mk(2, PlotKL, "KL and excess loss", Axis{Lo: klo, Hi: khi, Log: true},
		[]Line{{Class: "kl", Label: "KL(p̃ ‖ p̂)", Short: "KL"}, {Class: "excess", Label: "excess loss", Short: "excess"}},
		[]HoverRow{{"KL", kl}, {"excess loss", ex}}, st)

	_, acc := col(func(s Sample) float64 { return s.Accuracy })
	_, bay := col(func(s Sample) float64 { return s.BayesAcc })
	ya := rangeOf(0.1, acc, bay)
	ya.Hi = math.Min(ya.Hi, 1)
	accLines := []Line{{Class: "acc", Label: "learned"}, {Class: "bayes", Label: "Bayes"}}
	accRows := []HoverRow{{"learned", acc}, {"Bayes", bay}}
	if h.NoTruth {
		accLines, accRows = accLines[:1], accRows[:1]
	}
	pAcc := mk(3, PlotAcc, "Accuracy", ya, accLines, accRows, st)
	if h.NoTruth {
		_, ll := col(func(s Sample) float64 { return s.HeldOutLL })
		pKL = mk(2, PlotLL, "Held-out log-likelihood per point", rangeOf(0.08, ll),
			[]Line{{Class: "heldoutll", Label: "log p̂ of held-out data", Short: "held-out LL"}},
			[]HoverRow{{"held-out LL", ll}}, st)
	}
	return []Plot{pLoss, pC, pKL, pAcc}
}

// ghosts are a pinned run's columns beside the current run's: column
// reads both, and of finds the pinned column of a current one (by the
// address of its first value: each column is a new slice).
type ghosts struct {
	pin   *Pin
	steps []float64
	m     map[*float64][]float64
}

func (g *ghosts) column(h *History, f func(Sample) float64) ([]float64, []float64) {
	st, v := h.Column(f)
	if g.pin != nil && len(v) > 0 {
		var pv []float64
		g.steps, pv = g.pin.H.Column(f)
		g.m[&v[0]] = pv
	}
	return st, v
}

func (g *ghosts) of(v []float64) []float64 {
	if len(v) == 0 {
		return nil
	}
	return g.m[&v[0]]
}

// with returns vs and the pinned columns of its columns.
func (g *ghosts) with(vs [][]float64) [][]float64 {
	for _, v := range vs {
		if pv := g.of(v); pv != nil {
			vs = append(vs, pv)
		}
	}
	return vs
}

// Thin returns at most about 2n of the points (xs[i], ys[i]), for a line
// n pixels wide: in each of n runs of consecutive points, the lowest and
// the highest (in their order), so that the line keeps its envelope; a
// run with no finite value keeps a NaN (a break in the line).
func Thin(xs, ys []float64, n int) ([]float64, []float64) {
	if n < 1 || len(xs) <= 2*n {
		return xs, ys
	}
	ox, oy := make([]float64, 0, 2*n+1), make([]float64, 0, 2*n+1)
	for b := range n {
		i0, i1 := b*len(xs)/n, (b+1)*len(xs)/n
		lo, hi := -1, -1
		for i := i0; i < i1; i++ {
			if math.IsNaN(ys[i]) || math.IsInf(ys[i], 0) {
				continue
			}
			if lo < 0 || ys[i] < ys[lo] {
				lo = i
			}
			if hi < 0 || ys[i] > ys[hi] {
				hi = i
			}
		}
		switch {
		case lo < 0:
			ox, oy = append(ox, xs[i0]), append(oy, math.NaN())
		case lo == hi:
			ox, oy = append(ox, xs[lo]), append(oy, ys[lo])
		default:
			a, c := min(lo, hi), max(lo, hi)
			ox, oy = append(ox, xs[a], xs[c]), append(oy, ys[a], ys[c])
		}
	}
	if last := len(xs) - 1; ox[len(ox)-1] != xs[last] {
		ox, oy = append(ox, xs[last]), append(oy, ys[last])
	}
	return ox, oy
}

func lastFinite(v []float64) float64 {
	for i := len(v) - 1; i >= 0; i-- {
		if !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) {
			return v[i]
		}
	}
	return math.NaN()
}

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
