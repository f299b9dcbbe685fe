package view

import (
	"math"
	"slices"

	"nceplay/chart"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// A Heat is a 2D plot: a canvas of W×H RGBA pixels under an SVG with
// axes, contour lines and, when the colours encode a value, a colour bar;
// in the pixels of its box, like a Plot.
type Heat struct {
	ID             string // the canvas element's id
	Geo            Geom
	XTicks, YTicks []AxisTick
	Lines          []Line
	Legend         []LegendItem // above the map, never over it
	Bar            *ColorBar    // nil: the colours are categories (the scatter)
	Title          string       // the plot's accessible name
	Pix            []byte
	W, H           int
	Seq            uint64 // identifies Pix: the page paints each Seq once per canvas
	Hover          Hover
}

// A ColorBar is the key to a heatmap's colours: a gradient of the colour
// map with labelled ticks and, when values beyond the top are painted in
// an over colour, a cap of that colour.
type ColorBar struct {
	ID         string // the gradient's element id
	X, Y, W, H float64
	Stops      []GradStop
	Ticks      []AxisTick // Pos is a y position
	LabelX     float64
	Over       string // the cap's path ("" when there is none)
	OverLabel  string
	OverLabelY float64
	Marks      string // short marks across the bar at the contour levels
}

// A GradStop is one stop of the bar's gradient.
type GradStop struct{ Offset, Color string }

// InnerW and InnerH are the plotting area's size in pixels.
func (h *Heat) InnerW() float64 { return h.Geo.W - h.Geo.L - h.Geo.R }
func (h *Heat) InnerH() float64 { return h.Geo.H - h.Geo.T - h.Geo.B }

// Axes returns the SVG path of the frame around the plotting area.
func (h *Heat) Axes() string {
	g := h.Geo
	return "M" + px(g.L) + " " + px(g.T) + "H" + px(g.W-g.R) + "V" + px(g.H-g.B) + "H" + px(g.L) + "Z"
}

// TickY returns where a heatmap's x tick labels go, and TickX the y ones.
func (h *Heat) TickY() float64 { return h.Geo.H - h.Geo.B + tickGap + 9 }
func (h *Heat) TickX() float64 { return h.Geo.L - tickGap }

// barRoom is the width a colour bar takes right of the map: gap, bar,
// gap, labels.
func barRoom(labels ...string) float64 {
	w := 0.0
	for _, l := range labels {
		w = math.Max(w, TextWidth(l, false))
	}
	return 10 + 12 + 5 + w
}

// newHeat lays out a heatmap of the frame's box in a box of size sz.
func newHeat(f *wire.Frame, sz Size, id, name, title string, legend []Line, barW float64) (Heat, laid) {
	x0, x1, y0, y1 := box(f)
	l := layout(frame{Size: sz, Title: title, Legend: legend, X: Axis{Lo: x0, Hi: x1}, Y: Axis{Lo: y0, Hi: y1}, Square: true, BarW: barW})
	h := Heat{ID: id, Geo: l.Geo, XTicks: l.XTicks, YTicks: l.YTicks, Legend: l.Legend, Title: name}
	h.Hover = Hover{Geo: l.Geo, SX: l.SX, SY: l.SY, Res: f.Grid.Res}
	return h, l
}

// bar returns the colour bar beside h's map for values lo … hi mapped
// through cm (a linear gradient reproduces the piecewise-linear maps
// exactly at these stops).
func (h *Heat) bar(cm chart.ColorMap, lo, hi float64, ticks []float64, label func(float64) string) *ColorBar {
	g := h.Geo
	b := &ColorBar{ID: h.ID + "-bar", X: g.W - g.R + 10, Y: g.T, W: 12, H: g.H - g.T - g.B}
	b.LabelX = b.X + b.W + 5
	const n = 24
	for i := 0; i <= n; i++ {
		t := float64(i) / n
		b.Stops = append(b.Stops, GradStop{Offset: px(100*t) + "%", Color: cm(1 - t).Hex()})
	}
	for _, v := range ticks {
		b.Ticks = append(b.Ticks, AxisTick{Pos: b.Y + b.H*(1-(v-lo)/(hi-lo)), Label: label(v)})
	}
	return b
}

// contourLine is a contour drawn over a heatmap: with a halo.
func contourLine(d, class, label string) Line {
	return Line{D: d, Class: class, Label: label, Halo: true}
}

// ScatterSize is the canvas size of the 2D scatter, in pixels.
const ScatterSize = 256

// PaintScatter draws the points (x, y pairs) as small opaque squares of
// the colour into a size×size RGBA image of the box (y upwards).
func PaintScatter[F float32 | float64](dst []byte, size int, pts []F, x0, x1, y0, y1 float64, c chart.RGB, alpha uint8) {
	for i := 0; i+1 < len(pts); i += 2 {
		px := int((float64(pts[i]) - x0) / (x1 - x0) * float64(size))
		py := size - 1 - int((float64(pts[i+1])-y0)/(y1-y0)*float64(size))
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				x, y := px+dx, py+dy
				if x < 0 || y < 0 || x >= size || y >= size {
					continue
				}
				p := (y*size + x) * 4
				dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, alpha
			}
		}
	}
}

// NoiseLevels are the levels of the noise's contours in the 2D Samples
// panel, in nats below U's peak: for a Gaussian U, its 1, 2 and 3
// standard-deviation ellipses.
var NoiseLevels = []float64{0.5, 2, 4.5}

// SamplesHeat2D is the Samples panel in 2D: a scatter of noise points
// (under) and data points (over) in the theme's colours, with contours of
// the noise density U. Only the geometry depends on sz; pix, when given,
// is the scatter already painted (it changes only with the data).
func SamplesHeat2D(f *wire.Frame, sz Size, pal chart.Palette, pix []byte) Heat {
	legend := []Line{{Class: "legend-data", Label: "data"}, {Class: "legend-noise", Label: "noise"}, {Class: "contour-noise", Label: "U contours"}}
	h, l := newHeat(f, sz, "nce-cv-samples", "Samples", "", legend, 0)
	x0, x1, y0, y1 := box(f)
	h.W, h.H = ScatterSize, ScatterSize
	h.Pix = pix
	if h.Pix == nil {
		h.Pix = make([]byte, 4*h.W*h.H)
		PaintScatter(h.Pix, h.W, f.Noise, x0, x1, y0, y1, pal.Noise, 200)
		PaintScatter(h.Pix, h.W, f.Data, x0, x1, y0, y1, pal.Data, 230)
	}
	res := f.Grid.Res
	logU := to64(f.Grid.LogNoise)
	_, top, ok := Range(f.Grid.LogNoise)
	h.Lines = legend[:2:2]
	if ok {
		d := ""
		for _, lv := range NoiseLevels {
			d += Contour(logU, res, top-lv, x0, x1, y0, y1, l.SX, l.SY)
		}
		h.Lines = append(h.Lines, contourLine(d, "contour-noise", ""))
	}
	kU := exp32(f.Grid.LogNoise)
	for i := range kU {
		kU[i] *= float64(f.K)
	}
	h.Hover.Rows = []HoverRow{{"p̃(x)", exp32(f.Grid.LogTrue)}, {"k·U(x)", kU}}
	return h
}

// LogitRange is the half-width of the Classifier heatmap's scale of
// log-odds: P(1|x) from 0.0025 to 0.9975.
const LogitRange = 6

// ClassifierTicks are the probabilities labelled on the Classifier's
// colour bar.
var ClassifierTicks = []float64{0.01, 0.1, 0.5, 0.9, 0.99}

func logit(p float64) float64 { return math.Log(p / (1 - p)) }

// ClassifierHeat2D is the Classifier panel in 2D: the learned P(1|x) on
// a diverging map of its log-odds centred at ½ (with k noise points per
// data point P is below ½ almost everywhere, and a map linear in P would
// be one flat colour), with its ½ contour and the Bayes ½ contour
// (p̃ = kU) over it, and a colour bar labelled in P.
func ClassifierHeat2D(f *wire.Frame, sz Size) Heat { return ClassifierHeat2DCached(f, sz, nil) }

// ClassifierHeat2DCached is ClassifierHeat2D with the Bayes P(1|x) and its
// ½ contour kept in tc from frame to frame (nil: computed each time).
func ClassifierHeat2DCached(f *wire.Frame, sz Size, tc *TruthCache) Heat {
	legend := []Line{{Class: "contour-model", Label: "learned P = ½", Short: "learned ½"}, {Class: "contour-bayes", Label: "Bayes P = ½", Short: "Bayes ½"}}
	bayes := hasFinite32(f.Grid.PBayes) // not on the user's own data (docs/math.md#no-truth)
	if !bayes {
		legend = legend[:1]
	}
	var labs []string
	for _, p := range ClassifierTicks {
		labs = append(labs, chart.Tick(p))
	}
	h, l := newHeat(f, sz, "nce-cv-classifier", "Classifier", "P(1|x)", legend, barRoom(labs...))
	x0, x1, y0, y1 := box(f)
	res := f.Grid.Res
	h.W, h.H = res, res
	h.Pix = make([]byte, 4*res*res)
	PaintWith(h.Pix, f.Grid.PModel, res, func(p float64) chart.RGB {
		return chart.Diverging((logit(p) + LogitRange) / (2 * LogitRange))
	})
	pm := to64(f.Grid.PModel)
	pb, bd := tc.of(bayesEntry, f.Grid.PBayes, f, l, func() ([]float64, string) {
		pb := to64(f.Grid.PBayes)
		if !bayes {
			return pb, ""
		}
		return pb, Contour(pb, res, 0.5, x0, x1, y0, y1, l.SX, l.SY)
	})
	h.Lines = []Line{contourLine(Contour(pm, res, 0.5, x0, x1, y0, y1, l.SX, l.SY), "contour-model", "")}
	if bayes {
		h.Lines = append([]Line{contourLine(bd, "contour-bayes", "")}, h.Lines...)
	}
	ticks := ClassifierTicks
	if h.InnerH() < 130 {
		ticks = []float64{0.01, 0.5, 0.99}
	}
	var lt []float64
	for _, p := range ticks {
		lt = append(lt, logit(p))
	}
	h.Bar = h.bar(chart.Diverging, -LogitRange, LogitRange, lt, func(v float64) string { return chart.Tick(chart.RoundSig(1/(1+math.Exp(-v)), 2)) })
	h.Hover.Rows = []HoverRow{{"learned P(1|x)", pm}, {"Bayes P(1|x)", pb}}
	return h
}

// DensityLevels are the fractions of p̃'s peak at which the Density
// panel draws p̃'s contours (marked on the colour bar too).
var DensityLevels = []float64{0.2, 0.5, 0.8}

// NiceTop returns the smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times
// a power of ten that is at least v (v > 0).
func NiceTop(v float64) float64 {
	if !(v > 0) || math.IsInf(v, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v*(1-1e-12) {
			return chart.RoundSig(m*p, 6)
		}
	}
	return 10 * p
}

// DensityHeat2D is the Density panel in 2D: the recovered p̂ as a heatmap
// on a colour scale from 0 to a little above p̃'s peak, with the true p̃
// as contours over it at levels marked on the colour bar. Values of p̂
// above the scale are painted in the over colour (shown as the bar's
// cap), so a saturated map is never mistaken for a peak.
func DensityHeat2D(f *wire.Frame, sz Size) Heat { return DensityHeat2DWith(f, nil, spec.Spec{}, sz) }

// DensityHeat2DWith is DensityHeat2D with a pinned 2D run's p̂ drawn as
// dotted contours at the same densities as p̃'s (pin may be nil; now is
// the current run's spec, for the legend).
func DensityHeat2DWith(f *wire.Frame, pin *Pin, now spec.Spec, sz Size) Heat {
	return DensityHeat2DCached(f, pin, now, sz, nil)
}

// DensityHeat2DCached is DensityHeat2DWith with p̃ and its contours kept
// in tc from frame to frame (nil: computed each time).
func DensityHeat2DCached(f *wire.Frame, pin *Pin, now spec.Spec, sz Size, tc *TruthCache) Heat {
	if pin != nil && pin.Dim != 2 {
		pin = nil
	}
	res := f.Grid.Res
	_, hiT, ok := Range(f.Grid.LogTrue)
	legend := []Line{{Class: "contour-true", Label: "p̃ (true)"}}
	if !ok && f.Metrics.TruthNote != "" {
		// Your data: no p̃ (docs/math.md#no-truth); the scale follows p̂.
		_, hiT, ok = Range(f.Grid.LogModel)
		legend = nil
	}
	if !ok {
		hiT = 0
	}
	peak := math.Exp(hiT)
	top := NiceTop(1.15 * peak)
	ticks := chart.Ticks(0, top, 4)
	var labs []string
	for _, v := range ticks {
		labs = append(labs, chart.Tick(v))
	}
	labs = append(labs, "> "+chart.Tick(top))
	if pin != nil {
		legend = append(legend, pinLegend(pin, now)...)
	}
	h, l := newHeat(f, sz, "nce-cv-density", "Density", "p̂ (recovered)", legend, barRoom(labs...))
	x0, x1, y0, y1 := box(f)
	h.W, h.H = res, res
	h.Pix = make([]byte, 4*res*res)
	over := chart.Light.Over
	pHat := exp32(f.Grid.LogModel)
	for iy := range res { // PaintWith, from pHat: one exp a pixel
		row := (res - 1 - iy) * res * 4
		for ix := range res {
			c, v := over, pHat[iy*res+ix]
			if !(v > top) {
				c = chart.Viridis(v / top)
			}
			p := row + ix*4
			h.Pix[p], h.Pix[p+1], h.Pix[p+2], h.Pix[p+3] = c.R, c.G, c.B, 255
		}
	}
	pTrue, d := tc.of(truthEntryAt, f.Grid.LogTrue, f, l, func() ([]float64, string) {
		pTrue := exp32(f.Grid.LogTrue)
		d := ""
		for _, lv := range DensityLevels {
			d += Contour(pTrue, res, lv*peak, x0, x1, y0, y1, l.SX, l.SY)
		}
		return pTrue, d
	})
	h.Lines = []Line{contourLine(d, "contour-true", "")}
	if pin != nil {
		var lv []float64
		for _, v := range DensityLevels {
			lv = append(lv, v*peak)
		}
		h.Lines = append([]Line{contourLine(pinContours(pin, lv, l.SX, l.SY), "contour-pinned pinned", "")}, h.Lines...)
	}
	// The bar: the gradient below a cap of the over colour.
	const capH = 9
	h.Bar = h.bar(chart.Viridis, 0, top, nil, nil)
	b := h.Bar
	b.Y, b.H = b.Y+capH+3, b.H-capH-3
	for _, v := range ticks {
		b.Ticks = append(b.Ticks, AxisTick{Pos: b.Y + b.H*(1-v/top), Label: chart.Tick(v)})
	}
	cy := b.Y - 3
	b.Over = "M" + px(b.X) + " " + px(cy) + "L" + px(b.X+b.W/2) + " " + px(cy-capH) + "L" + px(b.X+b.W) + " " + px(cy) + "Z"
	b.OverLabel, b.OverLabelY = "> "+chart.Tick(top), cy-1
	// Drop the top tick when it would collide with the cap's label.
	if n := len(b.Ticks); n > 0 && b.Ticks[n-1].Pos-b.OverLabelY < FontPx {
		b.Ticks = b.Ticks[:n-1]
	}
	for _, lv := range DensityLevels {
		y := b.Y + b.H*(1-lv*peak/top)
		b.Marks += "M" + px(b.X-3) + " " + px(y) + "H" + px(b.X+b.W+3)
	}
	h.Hover.Rows = []HoverRow{{"p̂(x)", pHat}, {"p̃(x)", pTrue}}
	return h
}

// PaintWith writes a res×res heatmap of vals (row-major, x fastest, y
// increasing) into dst as RGBA pixels with y increasing upwards, each
// value coloured by col.
func PaintWith(dst []byte, vals []float32, res int, col func(float64) chart.RGB) {
	for iy := range res {
		row := (res - 1 - iy) * res * 4
		for ix := range res {
			c := col(float64(vals[iy*res+ix]))
			p := row + ix*4
			dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, 255
		}
	}
}

// A TruthCache keeps what the page's 2D maps draw of the truth from one
// frame to the next: p̃ on the grid with its contours, and the Bayes
// P(1|x) with its ½ contour. They are the run's, the same in every frame,
// and the page builds the maps for every new grid, several times a
// second. An entry is used while the grid's values, the box and the
// map's scales are those it was computed from. The zero value is empty;
// a nil cache computes everything each time.
type TruthCache struct{ entries [2]truthEntry }

// The cache's entries: p̃ and its contours, the Bayes P(1|x) and its ½ contour.
const (
	truthEntryAt = iota
	bayesEntry
)

type truthEntry struct {
	from   []float32 // the grid's values it was computed from
	box    [4]float64
	sx, sy Scale
	vals   []float64
	d      string
}

// of returns entry i's values and contour path for the grid values from
// in frame f laid out as l, computing them with calc unless they are kept.
func (tc *TruthCache) of(i int, from []float32, f *wire.Frame, l laid, calc func() ([]float64, string)) ([]float64, string) {
	if tc == nil {
		return calc()
	}
	e := &tc.entries[i]
	x0, x1, y0, y1 := box(f)
	b := [4]float64{x0, x1, y0, y1}
	if e.vals == nil || e.box != b || e.sx != l.SX || e.sy != l.SY || !slices.Equal(e.from, from) {
		e.vals, e.d = calc()
		e.from, e.box, e.sx, e.sy = slices.Clone(from), b, l.SX, l.SY
	}
	return e.vals, e.d
}
