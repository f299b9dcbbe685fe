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

	"golang.org/x/image/font"

	"nceplay/chart"
	"nceplay/core/fmath"
	"nceplay/core/nce"
	"nceplay/core/objective"
	"nceplay/core/spec"
	"nceplay/raster"
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
	if NeedsFile(s) {
		// The points are in a file the link only names: nothing to train,
		// and no other data to draw in their place.
		img, err := DrawNeedsFile(title, s)
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		if err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, img); err != nil {
			return nil, err
		}
		res.PNG, res.Draw = buf.Bytes(), time.Since(start)
		return res, nil
	}
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

// The palette of the preview: package chart's light theme, the page's.
var (
	pal           = chart.Light
	colBackground = raster.RGBA(pal.Panel)
	colInk        = raster.RGBA(pal.Fg)
	colMuted      = raster.RGBA(pal.Muted)
	colGrid       = raster.RGBA(pal.Grid)
	colAxis       = raster.RGBA(pal.Axis)
	colTrue       = raster.RGBA(pal.Truth) // p̃
	colTrueFill   = raster.Translucent(pal.Truth, 0x22)
	colModel      = raster.RGBA(pal.Model) // p̂
	colNoise      = raster.RGBA(pal.Noise) // U
	colAccent     = raster.RGBA(pal.Accent)
	colWarn       = raster.RGBA(pal.Warn)
)

// Draw draws the density panel of g with the metrics m: for a 1D target
// the curves of p̃, p̂ and U on shared axes; for a 2D target heatmaps of
// p̃ and p̂ side by side on one colour scale.
func Draw(g *nce.Grid, m nce.Metrics, info Info) (*image.RGBA, error) {
	fc, err := raster.NewFaces(1)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	raster.FillRect(img, img.Bounds(), colBackground)

	// Header: headline, the canonical query, a rule.
	raster.DrawText(img, fc.Title, 48, 58, raster.FitText(fc.Title, info.Title, Width-96), colInk, raster.Left)
	q := "?" + info.Query
	if info.Query == "" {
		q = "default experiment (empty query)"
	}
	status, col := statusLine(info)
	sw := raster.TextWidth(fc.Label, status)
	raster.DrawText(img, fc.Label, Width-48, 92, status, col, raster.Right)
	raster.DrawText(img, fc.Mono, 48, 90, raster.FitText(fc.Mono, q, Width-96-sw-24), colMuted, raster.Left)
	raster.FillRect(img, image.Rect(48, 106, Width-48, 108), colAccent)

	if g.Dim == 1 {
		draw1D(img, fc, g)
	} else {
		draw2D(img, fc, g)
	}
	drawFooter(img, fc, m, info)
	return img, nil
}

// NeedsFile reports whether s trains on a data file, which its link names
// but does not carry (docs/spec.md#data-file).
func NeedsFile(s spec.Spec) bool { return s.IsData() && s.Data == "" && s.DataFile != "" }

// NeedsFileText says which file: "needs data file <hash>-<n> (n points)".
func NeedsFileText(s spec.Spec) string {
	n, _ := spec.DataFileSize(s.DataFile)
	return fmt.Sprintf("needs data file %s (%d points)", s.DataFile, n)
}

// DrawNeedsFile draws the preview of a data file's link: the header of
// every preview, then, where the density panel would be, what the link
// needs (docs/spec.md#data-file) in a dashed box.
func DrawNeedsFile(title string, s spec.Spec) (*image.RGBA, error) {
	fc, err := raster.NewFaces(1)
	if err != nil {
		return nil, err
	}
	img := image.NewRGBA(image.Rect(0, 0, Width, Height))
	raster.FillRect(img, img.Bounds(), colBackground)
	raster.DrawText(img, fc.Title, 48, 58, raster.FitText(fc.Title, title, Width-96), colInk, raster.Left)
	status := "not run: it needs a data file"
	sw := raster.TextWidth(fc.Label, status)
	raster.DrawText(img, fc.Label, Width-48, 92, status, colWarn, raster.Right)
	raster.DrawText(img, fc.Mono, 48, 90, raster.FitText(fc.Mono, "?"+s.Canonical(), Width-96-sw-24), colMuted, raster.Left)
	raster.FillRect(img, image.Rect(48, 106, Width-48, 108), colAccent)

	box := []raster.Pt{{X: 120, Y: 170}, {X: Width - 120, Y: 170}, {X: Width - 120, Y: 540}, {X: 120, Y: 540}, {X: 120, Y: 170}}
	raster.StrokeDashed(img, box, 3, 14, 10, colMuted)
	n, _ := spec.DataFileSize(s.DataFile)
	lines := []struct {
		face font.Face
		text string
		col  color.RGBA
		y    int
	}{
		{fc.Title, "This experiment needs data file", colInk, 290},
		{fc.Mono, s.DataFile, colInk, 345},
		{fc.Label, fmt.Sprintf("%d points of your own, in a CSV file the link names but does not carry.", n), colMuted, 410},
		{fc.Label, "Open the link and give the file: the page checks its hash and runs it.", colMuted, 445},
	}
	for _, l := range lines {
		raster.DrawText(img, l.face, Width/2, l.y, raster.FitText(l.face, l.text, Width-300), l.col, raster.Center)
	}
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
func drawFooter(img *image.RGBA, fc *raster.Faces, m nce.Metrics, info Info) {
	fit, norm := footerLines(m, info.Objective, info.FixedNorm)
	raster.DrawText(img, fc.Label, 48, 590, raster.FitText(fc.Label, fit, Width-96), colInk, raster.Left)
	raster.DrawText(img, fc.Label, 48, 618, raster.FitText(fc.Label, norm, Width-96), colInk, raster.Left)
}

// draw1D draws p̃ (filled), p̂ and U as curves with axes and a legend.
func draw1D(img *image.RGBA, fc *raster.Faces, g *nce.Grid) {
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
	p := raster.Plot{X0: 110, Y0: 140, X1: Width - 60, Y1: 505, Lo: g.Box.Lo[0], Hi: g.Box.Hi[0], YLo: 0, YHi: ymax}

	for _, t := range chart.Ticks(p.YLo, p.YHi, 5) {
		y := int(math.Round(p.PY(t)))
		raster.FillRect(img, image.Rect(int(p.X0), y, int(p.X1), y+1), colGrid)
		raster.DrawText(img, fc.Small, int(p.X0)-10, y+6, chart.Tick(t), colMuted, raster.Right)
	}
	for _, t := range chart.Ticks(p.Lo, p.Hi, 8) {
		x := int(math.Round(p.PX(t)))
		raster.FillRect(img, image.Rect(x, int(p.Y0), x+1, int(p.Y1)), colGrid)
		raster.FillRect(img, image.Rect(x, int(p.Y1), x+1, int(p.Y1)+6), colAxis)
		raster.DrawText(img, fc.Small, x, int(p.Y1)+24, chart.Tick(t), colMuted, raster.Center)
	}
	raster.FillRect(img, image.Rect(int(p.X0), int(p.Y1), int(p.X1)+1, int(p.Y1)+2), colAxis)
	raster.FillRect(img, image.Rect(int(p.X0)-1, int(p.Y0), int(p.X0)+1, int(p.Y1)+2), colAxis)
	raster.DrawText(img, fc.Small, int(p.X1), int(p.Y1)+24+20, "x", colMuted, raster.Right)
	raster.DrawText(img, fc.Small, int(p.X0)-10, int(p.Y0)-14, "density", colMuted, raster.Left)

	curve := func(v []float64) []raster.Pt {
		out := make([]raster.Pt, n)
		for i := range n {
			out[i] = raster.Pt{X: p.PX(g.X[i]), Y: p.PY(v[i])}
		}
		return out
	}
	ct, cm, cu := curve(pt0), curve(pm), curve(pu)
	raster.FillArea(img, ct, p.Y1, colTrueFill)
	raster.StrokeDashed(img, cu, 2.2, 9, 6, colNoise)
	raster.StrokePolyline(img, ct, 3, colTrue)
	raster.StrokePolyline(img, cm, 3.5, colModel)

	// Legend, top right inside the plot.
	lx, ly := int(p.X1)-250, int(p.Y0)+10
	raster.FillRect(img, image.Rect(lx-14, ly-8, int(p.X1)-10, ly+102), color.NRGBA{0xff, 0xff, 0xff, 0xe0})
	entries := []struct {
		label  string
		col    color.RGBA
		dashed bool
	}{{"p\u0303  data", colTrue, false}, {"p\u0302  model", colModel, false}, {"U  noise", colNoise, true}}
	for i, e := range entries {
		y := float64(ly + 18 + i*32)
		seg := []raster.Pt{{X: float64(lx), Y: y}, {X: float64(lx + 44), Y: y}}
		if e.dashed {
			raster.StrokeDashed(img, seg, 2.2, 9, 6, e.col)
		} else {
			raster.StrokePolyline(img, seg, 3.5, e.col)
		}
		raster.DrawText(img, fc.Label, lx+58, int(y)+7, e.label, colInk, raster.Left)
	}
}

// draw2D draws p̃ and p̂ as heatmaps on one viridis scale, with a colour bar.
func draw2D(img *image.RGBA, fc *raster.Faces, g *nce.Grid) {
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
		raster.Heatmap(img, r, g.Res, pn.v, vmax, chart.Viridis)
		raster.DrawText(img, fc.Label, pn.x+size/2, top-14, pn.label, colInk, raster.Center)
		p := raster.Plot{X0: float64(r.Min.X), Y0: float64(r.Min.Y), X1: float64(r.Max.X), Y1: float64(r.Max.Y),
			Lo: g.Box.Lo[0], Hi: g.Box.Hi[0], YLo: g.Box.Lo[1], YHi: g.Box.Hi[1]}
		for _, t := range chart.Ticks(p.Lo, p.Hi, 5) {
			x := int(math.Round(p.PX(t)))
			raster.FillRect(img, image.Rect(x, r.Max.Y, x+1, r.Max.Y+6), colAxis)
			raster.DrawText(img, fc.Small, x, r.Max.Y+24, chart.Tick(t), colMuted, raster.Center)
		}
		for _, t := range chart.Ticks(p.YLo, p.YHi, 5) {
			y := int(math.Round(p.PY(t)))
			raster.FillRect(img, image.Rect(r.Min.X-6, y, r.Min.X, y+1), colAxis)
			raster.DrawText(img, fc.Small, r.Min.X-10, y+6, chart.Tick(t), colMuted, raster.Right)
		}
	}
	// Colour bar.
	cb := image.Rect(1100, top, 1120, top+size)
	for y := cb.Min.Y; y < cb.Max.Y; y++ {
		t := 1 - (float64(y-cb.Min.Y)+0.5)/float64(size)
		raster.FillRect(img, image.Rect(cb.Min.X, y, cb.Max.X, y+1), raster.RGBA(chart.Viridis(t)))
	}
	raster.DrawText(img, fc.Small, cb.Min.X+10, top-14, "density", colMuted, raster.Center)
	for _, t := range chart.Ticks(0, vmax, 4) {
		y := cb.Max.Y - int(math.Round(t/vmax*size))
		raster.FillRect(img, image.Rect(cb.Max.X, y, cb.Max.X+5, y+1), colAxis)
		raster.DrawText(img, fc.Small, cb.Max.X+9, y+6, chart.Tick(t), colMuted, raster.Left)
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
