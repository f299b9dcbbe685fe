// Package preview draws an experiment's density panel as a 1200×630 PNG
// (the Open Graph image of a playground link) with the core engine and
// Go's image packages: no browser. Its cost is bounded by a Budget, and
// what it trains is planned from the spec alone (MakePlan), so a preview
// is the same picture, byte for byte, on every host and every run:
// natively and in WebAssembly (the arithmetic is core/fmath's, or exact).
package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"time"

	"nceplay/chart"
	"nceplay/core/fmath"
	"nceplay/core/nce"
	"nceplay/core/objective"
	"nceplay/core/spec"
)

// Size of the image (Open Graph's recommended 1.91:1).
const (
	Width  = 1200
	Height = 630
)

// A Result is a drawn preview.
type Result struct {
	PNG []byte
	// Plan is what was trained (its Mode says what the picture shows; an
	// Optimum plan whose Newton run did not converge was replaced by its
	// Fallback). Steps is the number of steps taken.
	Plan  Plan
	Steps int
	// Diverged holds the divergence message if training diverged (the
	// last finite state is drawn).
	Diverged string
	// Converged: Newton's method reached its tolerance (the picture is
	// the optimum). Stopped: Newton's method stopped by itself without
	// converging (its logits separate data from noise, or its line
	// search stalled), before the spec's steps.
	Converged, Stopped bool
	// Train and Draw are the time spent training (with the trainer's
	// set-up and the metrics) and drawing and encoding.
	Train, Draw time.Duration
}

// Info is what the picture says besides the data.
type Info struct {
	Title     string // the headline, e.g. "NCE Playground: ring · mlp 32×2 · nce k=10"
	Query     string // the canonical query ("" for the default experiment)
	Mode      Mode
	Steps     int // steps trained
	SpecSteps int // the spec's steps
	Diverged  string
	Converged bool // Newton's method converged
	Stopped   bool // Newton's method stopped by itself without converging
	// Objective and FixedNorm (norm=fixed) say how to label c.
	Objective *objective.Objective
	FixedNorm bool
}

// ErrSpec wraps errors that come from the experiment itself (the engine
// refused it): the caller should answer 4xx, not 5xx.
var ErrSpec = errors.New("preview: the experiment cannot be run")

// Render trains s as MakePlan(s, b) says and draws it. The picture
// depends only on s and b. It returns an error wrapping ErrSpec if the
// engine refuses s, or ctx's error if ctx ends before the picture is
// drawn (training is abandoned between steps).
func Render(ctx context.Context, s spec.Spec, b Budget, title string) (*Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	start := time.Now()
	res := &Result{Plan: MakePlan(s, b)}
	tr, ok, err := trainPlan(res.Plan, ctx.Err)
	if err == nil && !ok {
		// Newton did not converge within its budget: show the early
		// steps instead.
		res.Plan = *res.Plan.Fallback
		tr, _, err = trainPlan(res.Plan, ctx.Err)
	}
	switch {
	case err != nil && ctx.Err() != nil:
		return nil, ctx.Err()
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrSpec, err)
	}
	res.Steps = tr.StepCount()
	if e := tr.Err(); e != nil {
		res.Diverged = e.Error()
	}
	res.Converged = tr.Converged()
	res.Stopped = tr.Done() && !res.Converged && res.Diverged == "" && res.Steps < s.Steps && res.Steps < res.Plan.Steps
	m := tr.Metrics()
	gres := gridRes1D
	if tr.Spec().Dim() == 2 {
		gres = gridRes2D
	}
	g := tr.Grid(gres, m.LogZ)
	res.Train = time.Since(start)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	start = time.Now()
	img, err := Draw(g, m, Info{
		Title: title, Query: s.Canonical(), Mode: res.Plan.Mode, Steps: res.Steps, SpecSteps: s.Steps,
		Diverged: res.Diverged, Converged: res.Converged, Stopped: res.Stopped,
		Objective: s.Objective(), FixedNorm: s.Norm == spec.NormFixed,
	})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, err
	}
	res.PNG = buf.Bytes()
	res.Draw = time.Since(start)
	return res, nil
}

// Draw draws the density panel of g with the metrics m: for a 1D target
// the curves of p̃, p̂ and U on shared axes; for a 2D target heatmaps of
// p̃ and p̂ side by side on one colour scale.
func Draw(g *nce.Grid, m nce.Metrics, info Info) (*image.RGBA, error) {
	fc, err := newFaces()
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	fillRect(img, img.Bounds(), colBackground)

	// Header: headline, the canonical query, a rule.
	drawText(img, fc.title, 48, 58, fitText(fc.title, info.Title, Width-96), colInk, left)
	q := "?" + info.Query
	if info.Query == "" {
		q = "default experiment (empty query)"
	}
	status, col := statusLine(info)
	sw := textWidth(fc.label, status)
	drawText(img, fc.label, Width-48, 92, status, col, right)
	drawText(img, fc.mono, 48, 90, fitText(fc.mono, q, Width-96-sw-24), colMuted, left)
	fillRect(img, image.Rect(48, 106, Width-48, 108), colAccent)

	if g.Dim == 1 {
		draw1D(img, fc, g)
	} else {
		draw2D(img, fc, g)
	}
	drawFooter(img, fc, m, info)
	return img, nil
}

// statusLine says what the picture shows: the experiment's result (all
// its steps), the optimum Newton found (for the spec, or for a convex case
// whose steps do not fit the budget), or an early state, and in which
// colour.
func statusLine(info Info) (string, color.RGBA) {
	switch {
	case info.Diverged != "":
		return fmt.Sprintf("diverged at step %d of %d", info.Steps+1, info.SpecSteps), colWarn
	case info.Converged:
		return fmt.Sprintf("optimum (Newton, %d steps)", info.Steps), colAccent
	case info.Stopped:
		return fmt.Sprintf("Newton stopped at step %d, not converged", info.Steps), colWarn
	case info.Mode == Early:
		return fmt.Sprintf("step %d of %d \u2014 early", info.Steps, info.SpecSteps), colWarn
	}
	return fmt.Sprintf("step %d of %d", info.Steps, info.SpecSteps), colMuted
}

// footerLines returns the two lines of numbers under the plot, each
// labelled with whose it is: the fit of the model's density p̂ to the
// data's p̃, then the normalizer — the learned c, the true log Z (when the
// target lies in the model family) and the model's own log Z.
func footerLines(m nce.Metrics, obj *objective.Objective, fixedNorm bool) (fit, norm string) {
	fit = fmt.Sprintf("KL(p\u0303 || p\u0302) %s    mass of p\u0302 %s    accuracy %s (Bayes %s)",
		chart.Num(m.KL), chart.Num(m.Mass), chart.Num(m.Accuracy), chart.Num(m.BayesAccuracy))
	var parts []string
	switch {
	case obj.EstimatesLogZ && fixedNorm:
		parts = append(parts, "c fixed at 0 (Z = 1)")
	case obj.EstimatesLogZ && m.CKnown:
		parts = append(parts, "learned c "+chart.Num(m.C))
	case obj.ExactLogZ:
		parts = append(parts, obj.Name+": c is the model's log Z")
	default:
		parts = append(parts, obj.Name+" learns no c")
	}
	if !math.IsNaN(m.LogZTrue) {
		parts = append(parts, "true log Z "+chart.Num(m.LogZTrue))
	}
	parts = append(parts, "model's log Z "+chart.Num(m.LogZ))
	return fit, strings.Join(parts, "    ")
}

// drawFooter writes the numbers under the plot.
func drawFooter(img *image.RGBA, fc *faces, m nce.Metrics, info Info) {
	fit, norm := footerLines(m, info.Objective, info.FixedNorm)
	drawText(img, fc.label, 48, 590, fitText(fc.label, fit, Width-96), colInk, left)
	drawText(img, fc.label, 48, 618, fitText(fc.label, norm, Width-96), colInk, left)
}

// plot maps data coordinates to a pixel rectangle.
type plot struct {
	x0, y0, x1, y1 float64 // pixel box (y0 top)
	lo, hi         float64 // x range
	ylo, yhi       float64 // y range
}

func (p plot) px(x float64) float64 { return p.x0 + (x-p.lo)/(p.hi-p.lo)*(p.x1-p.x0) }
func (p plot) py(y float64) float64 {
	v := p.y1 - (y-p.ylo)/(p.yhi-p.ylo)*(p.y1-p.y0)
	return math.Max(p.y0-1, math.Min(p.y1, v))
}

// draw1D draws p̃ (filled), p̂ and U as curves with axes and a legend.
func draw1D(img *image.RGBA, fc *faces, g *nce.Grid) {
	n := len(g.X)
	pt0, pm, pu := make([]float64, n), make([]float64, n), make([]float64, n)
	maxT, maxM, maxU := 0.0, 0.0, 0.0
	for i := range n {
		pt0[i], pm[i], pu[i] = expOrZero(g.LogTrue[i]), expOrZero(g.LogModel[i]), expOrZero(g.LogNoise[i])
		maxT, maxM, maxU = math.Max(maxT, pt0[i]), math.Max(maxM, pm[i]), math.Max(maxU, pu[i])
	}
	ymax := math.Max(maxT, math.Min(math.Max(maxM, maxU), 3*maxT)) * 1.12
	if !(ymax > 0) || math.IsInf(ymax, 0) {
		ymax = 1
	}
	p := plot{x0: 110, y0: 140, x1: Width - 60, y1: 505, lo: g.Box.Lo[0], hi: g.Box.Hi[0], ylo: 0, yhi: ymax}

	for _, t := range chart.Ticks(p.ylo, p.yhi, 5) {
		y := int(math.Round(p.py(t)))
		fillRect(img, image.Rect(int(p.x0), y, int(p.x1), y+1), colGrid)
		drawText(img, fc.small, int(p.x0)-10, y+6, chart.Tick(t), colMuted, right)
	}
	for _, t := range chart.Ticks(p.lo, p.hi, 8) {
		x := int(math.Round(p.px(t)))
		fillRect(img, image.Rect(x, int(p.y0), x+1, int(p.y1)), colGrid)
		fillRect(img, image.Rect(x, int(p.y1), x+1, int(p.y1)+6), colAxis)
		drawText(img, fc.small, x, int(p.y1)+24, chart.Tick(t), colMuted, center)
	}
	fillRect(img, image.Rect(int(p.x0), int(p.y1), int(p.x1)+1, int(p.y1)+2), colAxis)
	fillRect(img, image.Rect(int(p.x0)-1, int(p.y0), int(p.x0)+1, int(p.y1)+2), colAxis)
	drawText(img, fc.small, int(p.x1), int(p.y1)+24+20, "x", colMuted, right)
	drawText(img, fc.small, int(p.x0)-10, int(p.y0)-14, "density", colMuted, left)

	curve := func(v []float64) []pt {
		out := make([]pt, n)
		for i := range n {
			out[i] = pt{p.px(g.X[i]), p.py(v[i])}
		}
		return out
	}
	ct, cm, cu := curve(pt0), curve(pm), curve(pu)
	fillArea(img, ct, p.y1, colTrueFill)
	strokeDashed(img, cu, 2.2, 9, 6, colNoise)
	strokePolyline(img, ct, 3, colTrue)
	strokePolyline(img, cm, 3.5, colModel)

	// Legend, top right inside the plot.
	lx, ly := int(p.x1)-250, int(p.y0)+10
	fillRect(img, image.Rect(lx-14, ly-8, int(p.x1)-10, ly+102), color.NRGBA{0xff, 0xff, 0xff, 0xe0})
	entries := []struct {
		label  string
		col    color.RGBA
		dashed bool
	}{{"p\u0303  data", colTrue, false}, {"p\u0302  model", colModel, false}, {"U  noise", colNoise, true}}
	for i, e := range entries {
		y := float64(ly + 18 + i*32)
		seg := []pt{{float64(lx), y}, {float64(lx + 44), y}}
		if e.dashed {
			strokeDashed(img, seg, 2.2, 9, 6, e.col)
		} else {
			strokePolyline(img, seg, 3.5, e.col)
		}
		drawText(img, fc.label, lx+58, int(y)+7, e.label, colInk, left)
	}
}

// draw2D draws p̃ and p̂ as heatmaps on one viridis scale, with a colour bar.
func draw2D(img *image.RGBA, fc *faces, g *nce.Grid) {
	n := len(g.LogTrue)
	pt0, pm := make([]float64, n), make([]float64, n)
	maxT, maxM := 0.0, 0.0
	for i := range n {
		pt0[i], pm[i] = expOrZero(g.LogTrue[i]), expOrZero(g.LogModel[i])
		maxT, maxM = math.Max(maxT, pt0[i]), math.Max(maxM, pm[i])
	}
	vmax := math.Max(maxT, math.Min(maxM, 3*maxT))
	if !(vmax > 0) || math.IsInf(vmax, 0) {
		vmax = 1
	}
	const size, top = 376, 146
	panels := []struct {
		x     int
		label string
		v     []float64
	}{{150, "data p\u0303", pt0}, {660, "model p\u0302", pm}}
	for _, pn := range panels {
		r := image.Rect(pn.x, top, pn.x+size, top+size)
		heatmap(img, r, g.Res, pn.v, vmax)
		drawText(img, fc.label, pn.x+size/2, top-14, pn.label, colInk, center)
		p := plot{x0: float64(r.Min.X), y0: float64(r.Min.Y), x1: float64(r.Max.X), y1: float64(r.Max.Y),
			lo: g.Box.Lo[0], hi: g.Box.Hi[0], ylo: g.Box.Lo[1], yhi: g.Box.Hi[1]}
		for _, t := range chart.Ticks(p.lo, p.hi, 5) {
			x := int(math.Round(p.px(t)))
			fillRect(img, image.Rect(x, r.Max.Y, x+1, r.Max.Y+6), colAxis)
			drawText(img, fc.small, x, r.Max.Y+24, chart.Tick(t), colMuted, center)
		}
		for _, t := range chart.Ticks(p.ylo, p.yhi, 5) {
			y := int(math.Round(p.py(t)))
			fillRect(img, image.Rect(r.Min.X-6, y, r.Min.X, y+1), colAxis)
			drawText(img, fc.small, r.Min.X-10, y+6, chart.Tick(t), colMuted, right)
		}
	}
	// Colour bar.
	cb := image.Rect(1100, top, 1120, top+size)
	for y := cb.Min.Y; y < cb.Max.Y; y++ {
		t := 1 - (float64(y-cb.Min.Y)+0.5)/float64(size)
		fillRect(img, image.Rect(cb.Min.X, y, cb.Max.X, y+1), rgba(chart.Viridis(t)))
	}
	drawText(img, fc.small, cb.Min.X+10, top-14, "density", colMuted, center)
	for _, t := range chart.Ticks(0, vmax, 4) {
		y := cb.Max.Y - int(math.Round(t/vmax*size))
		fillRect(img, image.Rect(cb.Max.X, y, cb.Max.X+5, y+1), colAxis)
		drawText(img, fc.small, cb.Max.X+9, y+6, chart.Tick(t), colMuted, left)
	}
}

// heatmap fills r with the res×res grid v (row-major, x fastest, y up),
// bilinearly interpolated and mapped through viridis on [0, vmax].
func heatmap(img *image.RGBA, r image.Rectangle, res int, v []float64, vmax float64) {
	w, h := r.Dx(), r.Dy()
	at := func(ix, iy int) float64 {
		ix = max(0, min(res-1, ix))
		iy = max(0, min(res-1, iy))
		return v[iy*res+ix]
	}
	for py := range h {
		fy := (float64(h-py)-0.5)/float64(h)*float64(res) - 0.5
		iy := int(math.Floor(fy))
		ty := fy - float64(iy)
		for px := range w {
			fx := (float64(px)+0.5)/float64(w)*float64(res) - 0.5
			ix := int(math.Floor(fx))
			tx := fx - float64(ix)
			val := (at(ix, iy)*(1-tx)+at(ix+1, iy)*tx)*(1-ty) + (at(ix, iy+1)*(1-tx)+at(ix+1, iy+1)*tx)*ty
			img.SetRGBA(r.Min.X+px, r.Min.Y+py, rgba(chart.Viridis(val/vmax)))
		}
	}
}

// expOrZero is exp(v), or 0 for a non-finite or −Inf v.
func expOrZero(v float64) float64 {
	e := fmath.Exp(v)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return 0
	}
	return e
}
