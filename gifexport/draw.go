package gifexport

import (
	"fmt"
	"image"
	"image/color"
	"math"

	"nceplay/chart"
	"nceplay/core/fmath"
	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/raster"
)

// A canvas draws the frames of one recording: the layout, the palette and
// the scales, which are the same in every frame so that only the run
// moves.
type canvas struct {
	r      *recording
	o      Options
	pal    chart.Palette
	fc     *raster.Faces
	f      float64 // the layout's scale: 1 at 1100×620 pixels
	panels []image.Rectangle

	// Density: the y range of 1D curves, the colour scale of 2D heatmaps.
	densMax float64
	// Curves: log10 of the KL axis's range; the range of c and log Z (or
	// of the log mass where c is no estimate of log Z).
	klLo, klHi float64
	zLo, zHi   float64
	cKnown     bool
	// noTruth: the user's own data (docs/math.md#no-truth): no p̃, no
	// Bayes classifier, no KL; the held-out log-likelihood (its range
	// llLo, llHi) takes KL's place, as on the page.
	noTruth    bool
	llLo, llHi float64
}

// newCanvas lays out o's panels and fixes the scales from every snap.
func newCanvas(r *recording, o Options) (*canvas, error) {
	f := math.Max(0.5, math.Min(1, math.Min(float64(o.Width)/1100, float64(o.Height)/620)))
	fc, err := raster.NewFaces(f)
	if err != nil {
		return nil, err
	}
	c := &canvas{r: r, o: o, pal: chart.ThemeOf(o.Dark), fc: fc, f: f}
	m, gap := c.px(16), c.px(14)
	top, bottom := c.px(80), o.Height-c.px(30)
	n := len(o.Panels)
	w := (o.Width - 2*m - (n-1)*gap) / n
	for i := range n {
		x := m + i*(w+gap)
		c.panels = append(c.panels, image.Rect(x, top, x+w, bottom))
	}

	// Density: the truth's peak, and the model's up to 3× it (a model
	// that overshoots far would flatten the truth to a line).
	maxT, maxM := 0.0, 0.0
	for _, sn := range r.snaps {
		for i := range sn.g.LogTrue {
			maxT = math.Max(maxT, expOrZero(sn.g.LogTrue[i]))
			maxM = math.Max(maxM, expOrZero(sn.g.LogModel[i]))
			if r.s.Dim() == 1 {
				maxM = math.Max(maxM, expOrZero(sn.g.LogNoise[i]))
			}
		}
	}
	c.densMax = maxT
	if r.s.Dim() == 1 {
		c.densMax = math.Max(maxT, math.Min(maxM, 3*maxT)) * 1.12
	}
	c.noTruth = r.s.IsData()
	if c.noTruth {
		// No p̃ to scale by: the fitted p̂'s peak (the last frame's), so
		// that early frames far off clip rather than flatten the fit.
		last := r.snaps[len(r.snaps)-1].g
		peak := 0.0
		for i := range last.LogModel {
			peak = math.Max(peak, expOrZero(last.LogModel[i]))
			if r.s.Dim() == 1 {
				peak = math.Max(peak, expOrZero(last.LogNoise[i]))
			}
		}
		c.densMax = peak
		if r.s.Dim() == 1 {
			c.densMax *= 1.12
		}
	}
	if !(c.densMax > 0) || math.IsInf(c.densMax, 0) {
		c.densMax = 1
	}

	// Curves.
	c.cKnown = r.snaps[0].m.CKnown
	c.klLo, c.klHi = math.Inf(1), math.Inf(-1)
	c.zLo, c.zHi = math.Inf(1), math.Inf(-1)
	c.llLo, c.llHi = math.Inf(1), math.Inf(-1)
	widen := func(lo, hi *float64, v float64) {
		if !math.IsNaN(v) && !math.IsInf(v, 0) {
			*lo, *hi = math.Min(*lo, v), math.Max(*hi, v)
		}
	}
	for _, sn := range r.snaps {
		if sn.m.KL > 0 {
			widen(&c.klLo, &c.klHi, log10(sn.m.KL))
		}
		widen(&c.llLo, &c.llHi, sn.m.HeldOutLL)
		if c.cKnown {
			widen(&c.zLo, &c.zHi, sn.m.C)
			widen(&c.zLo, &c.zHi, sn.m.LogZ)
			widen(&c.zLo, &c.zHi, sn.m.LogZTrue)
		} else {
			widen(&c.zLo, &c.zHi, sn.m.LogMass)
			widen(&c.zLo, &c.zHi, 0)
		}
	}
	if c.klLo > c.klHi {
		c.klLo, c.klHi = -4, 0
	}
	c.klLo, c.klHi = math.Floor(c.klLo), math.Max(math.Ceil(c.klHi), math.Floor(c.klLo)+1)
	if c.zLo > c.zHi {
		c.zLo, c.zHi = -1, 1
	}
	pad := math.Max(0.1*(c.zHi-c.zLo), 0.05)
	c.zLo, c.zHi = c.zLo-pad, c.zHi+pad
	if c.llLo > c.llHi {
		c.llLo, c.llHi = -1, 0
	}
	pad = math.Max(0.1*(c.llHi-c.llLo), 0.05)
	c.llLo, c.llHi = c.llLo-pad, c.llHi+pad
	return c, nil
}

// px scales a length of the 1100×620 layout.
func (c *canvas) px(v float64) int { return int(math.Round(v * c.f)) }

func (c *canvas) col(rgb chart.RGB) color.RGBA { return raster.RGBA(rgb) }

// frame draws snap i.
func (c *canvas) frame(i int) *image.RGBA {
	sn := c.r.snaps[i]
	W, H := c.o.Width, c.o.Height
	img := image.NewRGBA(image.Rect(0, 0, W, H))
	raster.FillRect(img, img.Bounds(), c.col(c.pal.Panel))
	m := c.px(16)

	// Header: the step counter, the spec, a rule.
	status, scol := c.status(i)
	sw := raster.TextWidth(c.fc.Label, status)
	raster.DrawText(img, c.fc.Label, W-m, c.px(34), status, c.col(scol), raster.Right)
	q := "?" + c.r.s.Canonical()
	if c.r.s.Canonical() == "" {
		q = "default experiment (empty query)"
	}
	raster.DrawText(img, c.fc.Title, m, c.px(34), raster.FitText(c.fc.Title, "NCE Playground", W-2*m-sw-c.px(16)), c.col(c.pal.Fg), raster.Left)
	raster.DrawText(img, c.fc.Mono, m, c.px(60), raster.FitText(c.fc.Mono, q, W-2*m), c.col(c.pal.Muted), raster.Left)
	raster.FillRect(img, image.Rect(m, c.px(70), W-m, c.px(70)+max(1, c.px(2))), c.col(c.pal.Accent))

	for j, id := range c.o.Panels {
		r := c.panels[j]
		raster.DrawText(img, c.fc.Label, r.Min.X, r.Min.Y+c.px(18), panelTitle(id), c.col(c.pal.Fg), raster.Left)
		switch id {
		case spec.PanelDensity:
			c.density(img, r, sn)
		case spec.PanelClassifier:
			c.classifier(img, r, sn)
		case spec.PanelCurves:
			c.curves(img, r, i)
		}
	}

	// Footer: the numbers of this frame.
	raster.DrawText(img, c.fc.Small, m, H-c.px(10), raster.FitText(c.fc.Small, c.footer(sn), W-2*m), c.col(c.pal.Fg), raster.Left)
	return img
}

// status is the header's step counter and its colour.
func (c *canvas) status(i int) (string, chart.RGB) {
	sn := c.r.snaps[i]
	last := i == len(c.r.snaps)-1
	switch {
	case last && c.r.diverged != nil:
		return fmt.Sprintf("diverged after step %d", sn.step), c.pal.Warn
	case c.r.s.Optimizer().SecondOrder:
		total := c.r.snaps[len(c.r.snaps)-1].step
		s := fmt.Sprintf("Newton step %d of %d", sn.step, total)
		if last && sn.m.Converged {
			s += ", converged"
		}
		return s, c.pal.Muted
	}
	return fmt.Sprintf("step %d of %d", sn.step, c.r.s.Steps), c.pal.Muted
}

// footer is the line of numbers under the panels.
func (c *canvas) footer(sn snap) string {
	m := sn.m
	s := "KL(p\u0303 || p\u0302) " + chart.Num(m.KL)
	if c.noTruth {
		s = "held-out log-likelihood " + chart.Num(m.HeldOutLL)
	}
	if m.CKnown {
		s += "    c " + chart.Num(m.C)
	}
	s += "    log Z " + chart.Num(m.LogZ)
	if !math.IsNaN(m.LogZTrue) {
		s += " (true " + chart.Num(m.LogZTrue) + ")"
	}
	s += "    mass " + chart.Num(m.Mass) + "    accuracy " + chart.Num(m.Accuracy)
	if !c.noTruth {
		s += " (Bayes " + chart.Num(m.BayesAccuracy) + ")"
	}
	return s
}

// panelTitle is a panel's title in the registry.
func panelTitle(id string) string {
	for _, p := range spec.Panels {
		if p.ID == id {
			return p.Title
		}
	}
	return id
}

// plotBox is the plotting area of a panel: room for the title above, the
// y tick labels on the left and the x tick labels below.
func (c *canvas) plotBox(r image.Rectangle) (x0, y0, x1, y1 float64) {
	return float64(r.Min.X + c.px(50)), float64(r.Min.Y + c.px(34)), float64(r.Max.X - c.px(8)), float64(r.Max.Y - c.px(30))
}

// axes draws grid lines and tick labels at xt and yt (labelled by xl and
// yl), and the axis lines.
func (c *canvas) axes(img *image.RGBA, p raster.Plot, xt, yt []float64, xl, yl func(float64) string, grid bool) {
	gridCol, axis, muted := c.col(c.pal.Grid), c.col(c.pal.Axis), c.col(c.pal.Muted)
	x0, y0, x1, y1 := int(p.X0), int(p.Y0), int(p.X1), int(p.Y1)
	for _, t := range yt {
		y := int(math.Round(p.PY(t)))
		if grid {
			raster.FillRect(img, image.Rect(x0, y, x1, y+1), gridCol)
		}
		raster.FillRect(img, image.Rect(x0-c.px(5), y, x0, y+1), axis)
		raster.DrawText(img, c.fc.Small, x0-c.px(8), y+c.px(5), yl(t), muted, raster.Right)
	}
	for _, t := range xt {
		x := int(math.Round(p.PX(t)))
		if grid {
			raster.FillRect(img, image.Rect(x, y0, x+1, y1), gridCol)
		}
		raster.FillRect(img, image.Rect(x, y1, x+1, y1+c.px(5)), axis)
		raster.DrawText(img, c.fc.Small, x, y1+c.px(20), xl(t), muted, raster.Center)
	}
	raster.FillRect(img, image.Rect(x0, y1, x1+1, y1+1), axis)
	raster.FillRect(img, image.Rect(x0-1, y0, x0, y1+1), axis)
}

// ticks returns about n ticks within [lo, hi], for a span w pixels long
// (fewer when the panel is narrow).
func (c *canvas) ticks(lo, hi float64, n int, w float64) []float64 {
	return chart.Ticks(lo, hi, max(2, min(n, int(w/(60*c.f)))))
}

// density draws p̃ (filled), p̂ and U in 1D; p̂ as a heatmap on p̃'s scale
// in 2D.
func (c *canvas) density(img *image.RGBA, r image.Rectangle, sn snap) {
	g := sn.g
	if g.Dim == 2 && c.noTruth {
		c.heat(img, r, g, expAll(g.LogModel), c.densMax, chart.Viridis, "p\u0302 (your data: no true density)")
		return
	}
	if g.Dim == 2 {
		p := c.heat(img, r, g, expAll(g.LogModel), c.densMax, chart.Viridis, "p\u0302; p\u0303's contours")
		pt := expAll(g.LogTrue)
		var lines []raster.Pt
		for _, lv := range []float64{0.1, 0.5} {
			lines = append(lines, contour(p, g.Res, pt, lv*c.densMax)...)
		}
		w := math.Max(1, 1.4*c.f)
		raster.StrokePolyline(img, lines, 2.6*w, c.col(c.pal.HeatHalo))
		raster.StrokePolyline(img, lines, w, c.col(c.pal.HeatInk))
		return
	}
	x0, y0, x1, y1 := c.plotBox(r)
	p := raster.Plot{X0: x0, Y0: y0, X1: x1, Y1: y1, Lo: g.Box.Lo[0], Hi: g.Box.Hi[0], YLo: 0, YHi: c.densMax}
	c.axes(img, p, c.ticks(p.Lo, p.Hi, 8, x1-x0), c.ticks(0, c.densMax, 4, 1e9), chart.Tick, chart.Tick, true)
	ct, cm, cu := c.curve(p, g.X, g.LogTrue), c.curve(p, g.X, g.LogModel), c.curve(p, g.X, g.LogNoise)
	w := math.Max(1.5, 3*c.f)
	if c.noTruth {
		raster.StrokeDashed(img, cu, w*0.7, 9*c.f, 6*c.f, c.col(c.pal.Noise))
		raster.StrokePolyline(img, cm, w*1.15, c.col(c.pal.Model))
		c.legend(img, p, []legendEntry{{"p\u0302 model", c.pal.Model, false}, {"U noise", c.pal.Noise, true}})
		return
	}
	raster.FillArea(img, ct, p.Y1, raster.Translucent(c.pal.Truth, 0x22))
	raster.StrokeDashed(img, cu, w*0.7, 9*c.f, 6*c.f, c.col(c.pal.Noise))
	raster.StrokePolyline(img, ct, w, c.col(c.pal.Truth))
	raster.StrokePolyline(img, cm, w*1.15, c.col(c.pal.Model))
	c.legend(img, p, []legendEntry{{"p\u0303 data", c.pal.Truth, false}, {"p\u0302 model", c.pal.Model, false}, {"U noise", c.pal.Noise, true}})
}

// curve maps the log-densities lv at xs to pixels.
func (c *canvas) curve(p raster.Plot, xs, lv []float64) []raster.Pt {
	out := make([]raster.Pt, len(lv))
	for i := range lv {
		out[i] = raster.Pt{X: p.PX(xs[i]), Y: p.PY(expOrZero(lv[i]))}
	}
	return out
}

// classifier draws the learned P(1|x) against the Bayes one in 1D, the
// learned one as a heatmap in 2D.
func (c *canvas) classifier(img *image.RGBA, r image.Rectangle, sn snap) {
	g := sn.g
	if g.Dim == 2 {
		c.heat(img, r, g, g.PModel, 1, chart.Diverging, "learned P(data | x)")
		return
	}
	x0, y0, x1, y1 := c.plotBox(r)
	p := raster.Plot{X0: x0, Y0: y0, X1: x1, Y1: y1, Lo: g.Box.Lo[0], Hi: g.Box.Hi[0], YLo: 0, YHi: 1.05}
	c.axes(img, p, c.ticks(p.Lo, p.Hi, 8, x1-x0), []float64{0, 0.5, 1}, chart.Tick, chart.Tick, true)
	line := func(v []float64) []raster.Pt {
		out := make([]raster.Pt, len(v))
		for i := range v {
			out[i] = raster.Pt{X: p.PX(g.X[i]), Y: p.PY(v[i])}
		}
		return out
	}
	w := math.Max(1.5, 3*c.f)
	if c.noTruth {
		raster.StrokePolyline(img, line(g.PModel), w*1.15, c.col(c.pal.Model))
		c.legend(img, p, []legendEntry{{"learned P(1|x)", c.pal.Model, false}})
		return
	}
	raster.StrokeDashed(img, line(g.PBayes), w*0.8, 9*c.f, 6*c.f, c.col(c.pal.Truth))
	raster.StrokePolyline(img, line(g.PModel), w*1.15, c.col(c.pal.Model))
	c.legend(img, p, []legendEntry{{"learned P(1|x)", c.pal.Model, false}, {"Bayes P(1|x)", c.pal.Truth, true}})
}

// heat draws v (a 2D grid's values) as a square heatmap on [0, vmax]
// with the box's ticks and a caption.
func (c *canvas) heat(img *image.RGBA, r image.Rectangle, g *nce.Grid, v []float64, vmax float64, cm chart.ColorMap, caption string) raster.Plot {
	x0, y0, x1, y1 := c.plotBox(r)
	side := math.Floor(math.Min(x1-x0, y1-y0))
	x0 = math.Floor(x0 + (x1-x0-side)/2)
	box := image.Rect(int(x0), int(y0), int(x0+side), int(y0+side))
	raster.Heatmap(img, box, g.Res, v, vmax, cm)
	p := raster.Plot{X0: x0, Y0: y0, X1: x0 + side, Y1: y0 + side, Lo: g.Box.Lo[0], Hi: g.Box.Hi[0], YLo: g.Box.Lo[1], YHi: g.Box.Hi[1]}
	c.axes(img, p, c.ticks(p.Lo, p.Hi, 5, side), c.ticks(p.YLo, p.YHi, 5, side), chart.Tick, chart.Tick, false)
	// The caption, right of the panel's title when both fit.
	if raster.TextWidth(c.fc.Small, caption)+raster.TextWidth(c.fc.Label, panelTitle(spec.PanelClassifier))+c.px(12) <= r.Dx() {
		raster.DrawText(img, c.fc.Small, r.Max.X, r.Min.Y+c.px(18), caption, c.col(c.pal.Muted), raster.Right)
	}
	return p
}

// contour returns the level set v = level of the res×res grid v (cell
// centres, y up) in p's pixels by marching squares, as segments separated
// by NaN points (which break a polyline). A saddle's two segments are
// paired one way, which at this resolution no one sees.
func contour(p raster.Plot, res int, v []float64, level float64) []raster.Pt {
	cw, ch := (p.X1-p.X0)/float64(res), (p.Y1-p.Y0)/float64(res)
	at := func(i, j int) float64 { return v[j*res+i] }
	pix := func(fi, fj float64) raster.Pt { return raster.Pt{X: p.X0 + (fi+0.5)*cw, Y: p.Y1 - (fj+0.5)*ch} }
	var out []raster.Pt
	brk := raster.Pt{X: math.NaN(), Y: math.NaN()}
	for j := 0; j+1 < res; j++ {
		for i := 0; i+1 < res; i++ {
			// Corners counter-clockwise from (i, j); crossings on the
			// edges from corner k to corner k+1.
			ci := [4]int{i, i + 1, i + 1, i}
			cj := [4]int{j, j, j + 1, j + 1}
			var cross []raster.Pt
			for k := range 4 {
				a, b := at(ci[k], cj[k]), at(ci[(k+1)%4], cj[(k+1)%4])
				if (a >= level) != (b >= level) {
					t := (level - a) / (b - a)
					cross = append(cross, pix(float64(ci[k])+t*float64(ci[(k+1)%4]-ci[k]), float64(cj[k])+t*float64(cj[(k+1)%4]-cj[k])))
				}
			}
			for k := 0; k+1 < len(cross); k += 2 {
				out = append(out, cross[k], cross[k+1], brk)
			}
		}
	}
	return out
}

// curves draws, up to snap i, KL(p̃ ‖ p̂) on a log scale above, and c
// against log Z (and the true log Z) below — or the log mass of the
// read-back density where c is no estimate of log Z.
func (c *canvas) curves(img *image.RGBA, r image.Rectangle, i int) {
	x0, y0, x1, y1 := c.plotBox(r)
	mid := math.Round((y0 + y1) / 2)
	last := float64(max(1, c.r.snaps[len(c.r.snaps)-1].step))
	top := raster.Plot{X0: x0, Y0: y0, X1: x1, Y1: mid - float64(c.px(34)), Lo: 0, Hi: last, YLo: c.klLo, YHi: c.klHi}
	bot := raster.Plot{X0: x0, Y0: mid + float64(c.px(4)), X1: x1, Y1: y1, Lo: 0, Hi: last, YLo: c.zLo, YHi: c.zHi}
	xt := c.ticks(0, last, 5, x1-x0)
	var kt []float64
	for e := c.klLo; e <= c.klHi; e++ {
		kt = append(kt, e)
	}
	if len(kt) > 5 {
		kt = []float64{c.klLo, math.Round((c.klLo + c.klHi) / 2), c.klHi}
	}
	if c.noTruth {
		top.YLo, top.YHi = c.llLo, c.llHi
		c.axes(img, top, xt, c.ticks(c.llLo, c.llHi, 4, 1e9), chart.Tick, chart.Tick, true)
	} else {
		c.axes(img, top, xt, kt, chart.Tick, func(e float64) string { return chart.Tick(math.Pow(10, e)) }, true)
	}
	c.axes(img, bot, xt, c.ticks(c.zLo, c.zHi, 4, 1e9), chart.Tick, chart.Tick, true)

	series := func(p raster.Plot, v func(snap) float64) []raster.Pt {
		var out []raster.Pt
		for _, sn := range c.r.snaps[:i+1] {
			y := v(sn)
			if math.IsNaN(y) || math.IsInf(y, 0) {
				y = math.NaN() // breaks the line
			}
			out = append(out, raster.Pt{X: p.PX(float64(sn.step)), Y: p.PY(y)})
		}
		return out
	}
	w := math.Max(1.5, 2.5*c.f)
	stroke := func(p raster.Plot, v func(snap) float64, col chart.RGB) {
		pts := series(p, v)
		raster.StrokePolyline(img, pts, w, c.col(col))
		if q := pts[len(pts)-1]; !math.IsNaN(q.Y) {
			raster.StrokePolyline(img, []raster.Pt{q}, 2.2*w, c.col(col)) // a dot at the current step
		}
	}
	if c.noTruth { // the held-out log-likelihood in KL's place
		stroke(top, func(sn snap) float64 { return sn.m.HeldOutLL }, c.pal.KL)
		c.labels(img, int(x1)-c.px(6), int(top.Y0)+c.px(14), []labelPart{{"held-out log-likelihood", c.pal.KL}})
	} else {
		stroke(top, func(sn snap) float64 {
			if sn.m.KL > 0 {
				return log10(sn.m.KL)
			}
			return math.NaN()
		}, c.pal.KL)
		c.labels(img, int(x1)-c.px(6), int(top.Y0)+c.px(14), []labelPart{{"KL(p\u0303 || p\u0302)", c.pal.KL}})
	}

	if c.cKnown {
		if lz := c.r.snaps[0].m.LogZTrue; !math.IsNaN(lz) {
			y := bot.PY(lz)
			raster.StrokeDashed(img, []raster.Pt{{X: bot.X0, Y: y}, {X: bot.X1, Y: y}}, w*0.7, 8*c.f, 5*c.f, c.col(c.pal.Truth))
		}
		stroke(bot, func(sn snap) float64 { return sn.m.LogZ }, c.pal.LogZ)
		stroke(bot, func(sn snap) float64 { return sn.m.C }, c.pal.C)
		parts := []labelPart{{"c", c.pal.C}, {"  log Z", c.pal.LogZ}}
		if !math.IsNaN(c.r.snaps[0].m.LogZTrue) {
			parts = append(parts, labelPart{"  true log Z", c.pal.Truth})
		}
		c.labels(img, int(x1)-c.px(6), int(bot.Y0)+c.px(14), parts)
	} else {
		y := bot.PY(0)
		raster.StrokeDashed(img, []raster.Pt{{X: bot.X0, Y: y}, {X: bot.X1, Y: y}}, w*0.7, 8*c.f, 5*c.f, c.col(c.pal.Truth))
		stroke(bot, func(sn snap) float64 { return sn.m.LogMass }, c.pal.LogZ)
		c.labels(img, int(x1)-c.px(6), int(bot.Y0)+c.px(14), []labelPart{{"log mass of p\u0302", c.pal.LogZ}, {"  (0: normalized)", c.pal.Muted}})
	}
}

// A labelPart is a run of text in its colour.
type labelPart struct {
	text string
	col  chart.RGB
}

// labels writes parts one after the other, ending at x on the baseline y.
func (c *canvas) labels(img *image.RGBA, x, y int, parts []labelPart) {
	for _, pt := range parts {
		x -= raster.TextWidth(c.fc.Small, pt.text)
	}
	for _, pt := range parts {
		raster.DrawText(img, c.fc.Small, x, y, pt.text, c.col(pt.col), raster.Left)
		x += raster.TextWidth(c.fc.Small, pt.text)
	}
}

// A legendEntry is a line of a legend.
type legendEntry struct {
	label  string
	col    chart.RGB
	dashed bool
}

// legend draws entries in the top right corner of p, if they take at most
// half its width.
func (c *canvas) legend(img *image.RGBA, p raster.Plot, entries []legendEntry) {
	wmax := 0
	for _, e := range entries {
		wmax = max(wmax, raster.TextWidth(c.fc.Small, e.label))
	}
	seg, lh := float64(c.px(26)), c.px(18)
	if float64(wmax)+seg+float64(c.px(30)) > 0.5*(p.X1-p.X0) {
		return // a narrow panel: the legend would hide the curves
	}
	lx := int(p.X1) - c.px(10) - wmax - int(seg) - c.px(8)
	ly := int(p.Y0) + c.px(6)
	bg := c.pal.Panel
	raster.FillRect(img, image.Rect(lx-c.px(6), ly, int(p.X1)-c.px(4), ly+lh*len(entries)+c.px(6)), raster.Translucent(bg, 0xe0))
	w := math.Max(1.5, 3*c.f)
	for i, e := range entries {
		y := float64(ly + lh*i + lh/2 + c.px(3))
		line := []raster.Pt{{X: float64(lx), Y: y}, {X: float64(lx) + seg, Y: y}}
		if e.dashed {
			raster.StrokeDashed(img, line, w*0.7, 7*c.f, 4*c.f, c.col(e.col))
		} else {
			raster.StrokePolyline(img, line, w, c.col(e.col))
		}
		raster.DrawText(img, c.fc.Small, lx+int(seg)+c.px(8), int(y)+c.px(5), e.label, c.col(c.pal.Fg), raster.Left)
	}
}

// expAll returns exp of every value (0 where not finite).
func expAll(lv []float64) []float64 {
	out := make([]float64, len(lv))
	for i, v := range lv {
		out[i] = expOrZero(v)
	}
	return out
}

// expOrZero is exp(v), or 0 for a non-finite v.
func expOrZero(v float64) float64 {
	e := fmath.Exp(v)
	if math.IsNaN(e) || math.IsInf(e, 0) {
		return 0
	}
	return e
}

// log10 is fmath's (the platform's math.Log10 calls assembly on amd64,
// which could round differently from WebAssembly).
func log10(v float64) float64 { return fmath.Log(v) / math.Ln10 }
