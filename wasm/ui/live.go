package main

import (
	"strconv"
	"strings"

	"nceplay/chart"
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// The live parts of the page (docs/architecture.md#live): what a frame
// changes — the plots, the readouts, the Explain panel's sentence, the
// speed — is written into its element (data-live) by the page itself, not
// built by Vugu. Vugu renders the rest, and renders it only when that
// rest changes: a frame whose frameKey equals the last one's costs the
// page the new plots' markup and no rebuild or re-sync of the ~1,500
// nodes around them. The live elements have no Vugu children, so Vugu
// never writes into them; after every render the live parts are checked
// against the page and written again where a render replaced their
// element.

// A liveItem is one live element's content: text, or markup.
type liveItem struct {
	html    bool
	content string
	seq     uint64 // changes with content: the element keeps the seq it shows
	dirty   bool   // changed since it was last written
}

// liveState is the page's live content by data-live id, and what the
// plots were last built from.
type liveState struct {
	items map[string]*liveItem
	seq   uint64

	samples, classifier, density plotState
	curves                       struct {
		plots []view.Plot
		built int
		sizes [view.CurveCount]view.Size
	}
	heats []*view.Heat    // the 2D maps shown, painted after their markup
	truth view.TruthCache // the maps' truth, the same in every frame of a run
	// gridSame and metricsSame are the Ver of the last frame that brought
	// no new grid, no new metrics: the plots built for the frame before
	// stay (fresh).
	gridSame, metricsSame int
}

// fresh reports whether a plot built (at size sz) for the frame b.ver is
// still the plot for frame now: the same frame, or the next one when that
// frame kept what the plot draws (same is gridSame or metricsSame). A kept
// plot is stamped with now.
func fresh(b *stamp, now int, sz view.Size, same int) bool {
	if b.ok && b.size == sz && b.ver == now-1 && same == now {
		b.ver = now
	}
	return !b.stale(now, sz)
}

// A plotState is a panel's plot (1D) or map (2D) and what it was built for.
type plotState struct {
	plot  view.Plot
	heat  view.Heat
	built stamp
	// The Samples panel only: the data it was drawn from and their run,
	// the theme, and whether it is the paint mode's.
	src     *float32
	gen     int
	dark    bool
	painted bool
}

// set makes content the item id's; a change marks it for writing.
func (l *liveState) set(id string, html bool, content string) {
	if l.items == nil {
		l.items = map[string]*liveItem{}
	}
	it := l.items[id]
	if it == nil {
		it = &liveItem{}
		l.items[id] = it
	} else if it.html == html && it.content == content {
		return
	}
	l.seq++
	it.html, it.content, it.seq, it.dirty = html, content, l.seq, true
}

// Live ids of the readouts (root.vugu): the metric's name.
const (
	liveStep, liveConverged, liveLoss, liveExcess = "step", "converged", "loss", "excess"
	liveC, liveLogZ, liveKL, liveHeldOut          = "c", "logz", "kl", "heldout_ll"
	liveAcc, liveBayesAcc, liveNow, liveSPS       = "accuracy", "bayes-acc", "now", "sps"
)

// readoutChars is how many characters a readout's value keeps room for
// (chart.Num: up to 4 significant digits), whatever it shows now: c and
// log Z hover about 0 ("-0.002035"), KL and the excess fall to
// "0.001234" and below. A value that changes its width would reflow the
// toolbar (its readouts wrap) and move every panel under it several times
// a second (TestLayoutHoldsStill); the readouts use tabular figures, so a
// value of up to this many characters leaves the toolbar as it is.
var readoutChars = map[string]int{
	liveLoss: 7, liveExcess: 9, liveC: 9, liveLogZ: 9, liveKL: 9,
	liveHeldOut: 7, liveAcc: 6, liveBayesAcc: 9,
}

// ReadoutStyle is the style of readout id's value: its room
// (readoutChars), for the step counter the digits of the run's steps.
func (c *Root) ReadoutStyle(id string) string {
	n := readoutChars[id]
	if id == liveStep {
		n = len(strconv.Itoa(c.S.Steps))
	}
	return "min-width:" + strconv.Itoa(n) + "ch"
}

// waitHTML is a plot slot's content before the engine's first frame.
const waitHTML = `<p class="nce-wait">Loading the engine…</p>`

// updateLive brings the live content up to date with the page's state
// and writes it: every item when all (after a Vugu render, which may have
// replaced their elements), else the changed ones.
func (c *Root) updateLive(all bool) {
	l := &c.live
	l.heats = l.heats[:0]
	if !c.NeedFile() {
		c.livePlots()
	}
	m := &c.F.Metrics
	l.set(liveStep, false, c.StepText())
	l.set(liveConverged, false, view.ConvergenceText(c.F))
	l.set(liveLoss, false, chart.Num(m.Loss))
	l.set(liveExcess, false, chart.Num(m.HeldOutLoss-m.BayesLoss))
	l.set(liveC, false, c.CText())
	l.set(liveLogZ, false, chart.Num(m.LogZ))
	l.set(liveKL, false, chart.Num(m.KL))
	l.set(liveHeldOut, false, chart.Num(m.HeldOutLL))
	l.set(liveAcc, false, chart.Num(m.Accuracy))
	l.set(liveBayesAcc, false, " / "+chart.Num(m.BayesAccuracy))
	l.set(liveSPS, false, c.SpeedText())
	if c.Show(spec.PanelExplain) {
		l.set(liveNow, true, view.SpansHTML(view.NowSpans(c.F, c.S.Steps)))
	}
	for id, it := range l.items {
		if all || it.dirty {
			writeLive(id, it.html, it.content, it.seq)
			it.dirty = false
		}
	}
	drawHeats(l.heats...)
}

// livePlots builds the shown panels' plots that are stale and sets their
// markup.
func (c *Root) livePlots() {
	l := &c.live
	if c.Show(spec.PanelSamples) {
		c.liveSamples()
	}
	if c.Show(spec.PanelClassifier) {
		c.liveGridPanel(spec.PanelClassifier, &l.classifier, func(sz view.Size) (view.Plot, []string) {
			b, m := view.HalfCrossings(c.F)
			return view.ClassifierPlot1D(c.F, sz), []string{"data-bayes-cross", view.NumList(b), "data-model-cross", view.NumList(m)}
		}, func(sz view.Size) view.Heat { return view.ClassifierHeat2DCached(c.F, sz, &l.truth) })
	}
	if c.Show(spec.PanelDensity) {
		c.liveGridPanel(spec.PanelDensity, &l.density, func(sz view.Size) (view.Plot, []string) {
			return view.DensityPlot1DWith(c.F, c.Pin, c.S, sz), nil
		}, func(sz view.Size) view.Heat { return view.DensityHeat2DCached(c.F, c.Pin, c.S, sz, &l.truth) })
	}
	if c.Show(spec.PanelCurves) {
		cv := &l.curves
		var sz [view.CurveCount]view.Size
		for i := range sz {
			sz[i] = c.Sizes.Of(view.CurveSlot(i))
		}
		if cv.built == c.Ver-1 && l.metricsSame == c.Ver {
			cv.built = c.Ver // the same history
		}
		if cv.built != c.Ver || cv.plots == nil || sz != cv.sizes {
			cv.built, cv.sizes = c.Ver, sz
			cv.plots = view.CurvePlotsWith(&c.H, c.Pin, c.S, c.Sizes)
			for i := range cv.plots {
				hovers[view.CurveSlot(i)] = &cv.plots[i].Hover
				l.set(view.CurveSlot(i), true, cv.plots[i].SVG())
			}
		}
	}
}

// liveGridPanel builds a panel drawn from the frame's grid, the plot of
// plot1 in 1D (with the svg's extra attributes) or the map of heat2 in
// 2D, when it is stale.
func (c *Root) liveGridPanel(id string, p *plotState, plot1 func(view.Size) (view.Plot, []string), heat2 func(view.Size) view.Heat) {
	l := &c.live
	sz := c.Sizes.Of(id)
	switch {
	case c.F.Dim == 0:
		l.set(id, true, waitHTML)
	case fresh(&p.built, c.Ver, sz, l.gridSame):
	case c.F.Dim == 1:
		var attrs []string
		p.plot, attrs = plot1(sz)
		hovers[id] = &p.plot.Hover
		l.set(id, true, p.plot.SVG(attrs...))
	default:
		p.heat = heat2(sz)
		newPixels(&p.heat)
		hovers[id] = &p.heat.Hover
		l.set(id, true, p.heat.SVG())
	}
	p.built.set(c.Ver, sz, 0)
	if c.F.Dim == 2 {
		l.heats = append(l.heats, &p.heat)
	}
}

// liveSamples builds the Samples panel's plot: the 1D histogram, the 2D
// scatter (its pixels painted again only for new data or a new theme), or
// the paint mode's scatter.
func (c *Root) liveSamples() {
	l := &c.live
	p := &l.samples
	sz := c.Sizes.Of(spec.PanelSamples)
	pal := chart.ThemeOf(c.Dark())
	switch {
	case painting(c.F.Dim, c.Embed()):
		if pal != paint.pal || paint.pix == nil {
			paint.pal = pal
			repaintAll()
		}
		if !p.painted || p.built.size != sz || p.built.seq != paint.seq || p.dark != c.Dark() {
			p.heat = view.PaintedHeat(sz, pal, &paint.set, paint.pix)
			paint.geo = p.heat.Hover
			hovers[spec.PanelSamples] = &p.heat.Hover
			p.src, p.dark, p.painted = nil, c.Dark(), true
			p.built.set(c.Ver, sz, paint.seq)
			l.set(spec.PanelSamples, true, p.heat.SVG())
		}
		p.heat.Seq = paint.seq // strokes paint the canvas between renders
		l.heats = append(l.heats, &p.heat)
		return
	case p.painted:
		p.painted, p.built = false, stamp{}
	}
	// Everything the panel draws is the run's (its points, p̃, U): it is
	// built again for a new run, size or theme, not for each frame.
	var src *float32
	if len(c.F.Data) > 0 {
		src = &c.F.Data[0]
	}
	switch {
	case c.F.Dim == 0 || src == nil:
		l.set(spec.PanelSamples, true, waitHTML)
	case p.built.ok && p.built.size == sz && p.src == src && p.gen == c.F.Gen && p.dark == c.Dark():
	case c.F.Dim == 1:
		p.plot = view.SamplesPlot1D(c.F, sz)
		hovers[spec.PanelSamples] = &p.plot.Hover
		p.built.set(c.Ver, sz, 0)
		p.src, p.gen, p.dark = src, c.F.Gen, c.Dark()
		l.set(spec.PanelSamples, true, p.plot.SVG())
	default:
		pix := p.heat.Pix
		fresh := p.src != src || p.dark != c.Dark()
		if fresh {
			pix = nil
		}
		p.heat = view.SamplesHeat2D(c.F, sz, pal, pix)
		if fresh {
			newPixels(&p.heat)
		} else {
			p.heat.Seq = p.built.seq
		}
		p.src, p.gen, p.dark = src, c.F.Gen, c.Dark()
		hovers[spec.PanelSamples] = &p.heat.Hover
		p.built.set(c.Ver, sz, p.heat.Seq)
		l.set(spec.PanelSamples, true, p.heat.SVG())
	}
	if c.F.Dim == 2 && len(c.F.Data) > 0 {
		l.heats = append(l.heats, &p.heat)
	}
}

// frameKey is everything of a frame that the page's Vugu-built parts
// show: a frame with the same key as the last changes only the live
// parts, and the page skips its render (TestFramesChangeOnlyLiveParts
// checks that the rest of the page is then the same).
func (c *Root) frameKey() string {
	var b strings.Builder
	m := &c.F.Metrics
	b.WriteString(c.Status())
	b.WriteString("|" + c.Diverged + "|" + c.EngineErr + "|" + strconv.Itoa(c.F.Dim) + "|" + strconv.Itoa(c.F.Gen))
	for _, v := range []bool{c.Running, c.Done, m.HasConvergence, m.Converged, m.TruthNote == "", c.CanPin(), c.SpeedText() == ""} {
		b.WriteString(strconv.FormatBool(v))
	}
	b.WriteString(view.ClassifierNote(c.F))
	callouts := view.Callouts(c.F, c.Running, c.Show) // Root.Warn's, all panels at once
	for _, p := range spec.Panels {
		for _, w := range callouts[p.ID] {
			for _, f := range []string{p.ID, w.Code, w.Title, w.Message, w.Why, w.WhyLink, w.Fix, w.FixLabel, w.FixTitle, w.Note} {
				b.WriteString("|" + f)
			}
		}
	}
	return b.String()
}
