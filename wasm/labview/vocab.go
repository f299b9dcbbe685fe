package labview

import (
	"math"
	"strconv"
	"strings"

	"nceplay/chart"
	"nceplay/core/lab/vocab"
	"nceplay/core/objective"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The large-vocabulary lab's page (docs/spec.md#lab-vocab): perplexity
// against wall time for the softmax and NCE at several k, each context's
// log Z, and the time per step against V.

func init() {
	Pages[vocab.Name] = &Page{Readouts: []ReadoutDef{
		{Key: "ppl", Label: "ppl", Title: "Held-out perplexity of the run"},
		{Key: "ppl_softmax", Label: "softmax", Title: "The softmax's (once trained)"},
		{Key: "ppl_true", Label: "true", Title: "The true model's: the floor"},
		{Key: "logz_mean", Label: "log Z", Title: "Mean of log Z(ctx) over the contexts"},
		{Key: "logz_sd", Label: "sd", Title: "Its spread"},
		{Key: "ms_per_step", Label: "ms/step", Title: "Time per step of the run"},
		{Key: "ms_per_step_softmax", Label: "softmax ms/step", Title: "The softmax's (once trained)"},
	}}
}

// VocabData is what the large-vocabulary lab's panels draw
// (docs/spec.md#lab-vocab): the perplexity curves of the run, of NCE at
// other k and of the softmax reference on the same data, each context's
// log Z of the run, and the time per step against V measured in the
// worker. The worker fills it and draws it (VocabFigures); it never travels.
type VocabData struct {
	Vocab, Contexts, Dim, K int
	Obj, Norm               string
	// EvalContexts is how many contexts (the first) the curves'
	// perplexities are taken over: all of them when that is cheap enough.
	EvalContexts int
	// PPLTrue and PPLUnigram are the true model's and the unigram's
	// perplexities over all contexts (the floor and a context-blind model).
	PPLTrue, PPLUnigram float64
	Curves              []VocabCurve

	// LogZ is log Z(ctx) = log Σ_w exp s(w, ctx) of the run per context,
	// the logits with a_ctx, at step Steps of the run. A holds a_ctx and
	// Rest log Σ_w exp(s(w, ctx) − a_ctx), per context, when the run
	// learns its normalizers (nil when they are held at 0).
	Steps   int
	LogZ    []float64
	A, Rest []float64
	// NegOptimum is, for obj=neg, the mean over contexts of negative sampling's
	// log Z at its optimum (docs/math.md#e12); NaN otherwise.
	NegOptimum float64

	// Probe is the time per step against V, measured in the worker
	// (vocab.Probe) for the softmax and for ProbeObj, the run's sampled
	// objective (NCE at k for obj=mle); ProbeDone says every V is timed.
	Probe     []VocabTiming
	ProbeObj  string
	ProbeDone bool
}

// A VocabCurve is one trainer's held-out perplexity (over EvalContexts
// contexts) against its training wall time, in milliseconds.
type VocabCurve struct {
	Label   string
	Obj     string
	K       int
	Run     bool // the runner's run (the report's ppl)
	Softmax bool // the full softmax
	MS, PPL []float64
	Steps   int    // steps trained
	Total   int    // of its whole run
	Err     string // its divergence, or ""
}

// A VocabTiming is the time per step (the fastest of several rounds), in milliseconds, at a
// vocabulary size: of the full softmax and of the sampled objective.
type VocabTiming struct {
	V                int
	Softmax, Sampled float64
}

// The vocab page's panels.
const (
	VocabPanelCurves = "vocab-curves"
	VocabPanelLogZ   = "vocab-logz"
	VocabPanelProbe  = "vocab-probe"
)

// vocabClass is a curve's line class (the palette's distinct colours):
// the softmax, NCE at the lab's k (5, 25, 100), another k or objective.
func vocabClass(c *VocabCurve) string {
	switch {
	case c.Softmax:
		return "noise"
	case c.Obj != objective.NCE.Name:
		return "model"
	case c.K == 5:
		return "loss"
	case c.K == 25:
		return "c"
	case c.K == 100:
		return "logz"
	}
	return "model"
}

// headroom raises a log scale's top so that the top share of the plot
// stays free for the legend.
func headroom(lo, hi, share float64) float64 {
	return hi * math.Pow(hi/lo, share/(1-share))
}

// logRange returns a padded log-scale domain of the positive finite
// values, or [lo, hi] without any.
func logRange(lo, hi float64, vals ...[]float64) (float64, float64) {
	a, b := math.Inf(1), math.Inf(-1)
	for _, vs := range vals {
		for _, v := range vs {
			if v > 0 && !math.IsInf(v, 0) {
				a, b = min(a, v), max(b, v)
			}
		}
	}
	if a > b {
		return lo, hi
	}
	if b/a < 10 {
		m := math.Sqrt(a * b)
		a, b = m/math.Sqrt(10), m*math.Sqrt(10)
	}
	return a / 1.4, b * 1.4
}

// logChart returns a chart of log scales, with ticks at the powers of ten,
// or at 1, 2 and 5 times them on a range of less than two decades.
func logChart(id string, g view.Geom, sx, sy view.Scale) Chart {
	c := Chart{Heat: view.Heat{ID: id, Geo: g}}
	c.XTicks, c.YTicks = logTicks(sx), logTicks(sy)
	return c
}

// VocabCurves is the held-out perplexity of every trainer against its
// training wall time, on log axes, with the true model's as a floor.
func VocabCurves(p *VocabData) Chart {
	g := defaultGeom
	var xs, ys [][]float64
	for _, c := range p.Curves {
		xs, ys = append(xs, c.MS), append(ys, c.PPL)
	}
	x0, x1 := logRange(1, 1000, xs...)
	y0, y1 := logRange(1, 1000, append(ys, []float64{p.PPLTrue})...)
	y1 = headroom(y0, y1, 0.3)
	sx := view.Scale{D0: x0, D1: x1, R0: g.L, R1: g.W - g.R, Log: true}
	sy := view.Scale{D0: y0, D1: y1, R0: g.H - g.B, R1: g.T, Log: true}
	c := logChart("nce-vocab-curves", g, sx, sy)
	c.Title = "held-out perplexity against training time"
	c.XLabel, c.YLabel = "training time (ms)", "perplexity"
	for i := range p.Curves {
		cv := &p.Curves[i]
		label := cv.Label
		if cv.Run && !cv.Softmax {
			label += " (run)"
		}
		ys := make([]float64, len(cv.PPL)) // a perplexity beyond float64 (∞) at the top edge
		for j, y := range cv.PPL {
			ys[j] = min(y, y1)
		}
		c.Lines = append(c.Lines, view.Line{D: view.Path(cv.MS, ys, sx, sy), Class: vocabClass(cv), Label: label})
		if n := len(cv.MS); n > 0 {
			c.Dots = append(c.Dots, Dot{X: sx.At(cv.MS[n-1]), Y: sy.At(ys[n-1]), R: 2.5, Class: "v" + vocabClass(cv), Item: -1,
				Title: cv.Label + ": " + chart.Num(cv.PPL[n-1]) + " after " + chart.Num(cv.MS[n-1]) + " ms"})
		}
	}
	if p.PPLTrue > 0 {
		c.Lines = append(c.Lines, view.Line{D: view.Path([]float64{x0, x1}, []float64{p.PPLTrue, p.PPLTrue}, sx, sy), Class: "true", Label: "true model"})
	}
	return c
}

// VocabBins is the histogram's number of bins.
const VocabBins = 30

// VocabLogZ is the histogram of the run's log Z(ctx) over the contexts,
// with 0 (self-normalized) and, for negative sampling, its optimum's
// mean (docs/math.md#e12) marked.
func VocabLogZ(p *VocabData) Chart {
	g := defaultGeom
	z := make([]float64, len(p.LogZ))
	lo, hi := -0.5, 0.5
	for i, v := range p.LogZ {
		z[i] = v
		if !math.IsNaN(z[i]) && !math.IsInf(z[i], 0) {
			lo, hi = min(lo, z[i]), max(hi, z[i])
		}
	}
	if !math.IsNaN(p.NegOptimum) {
		lo, hi = min(lo, p.NegOptimum), max(hi, p.NegOptimum)
	}
	pad := 0.05 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	counts := vocab.Histogram(z, lo, hi, VocabBins)
	hs := make([]float64, len(counts))
	top := 1.0
	for i, n := range counts {
		hs[i] = float64(n)
		top = max(top, hs[i])
	}
	top *= 1.35 // room for the legend
	sx, sy := g.X(lo, hi), g.Y(0, top)
	c := newChart("nce-vocab-logz", g, sx, sy, 6, 4)
	c.Title = "log Z(ctx) over the contexts"
	c.XLabel, c.YLabel = "log Z(ctx)", "contexts"
	c.Lines = []view.Line{{D: view.Bars(lo, hi, hs, sx, sy), Class: "bars"},
		{D: view.Path([]float64{0, 0}, []float64{0, top}, sx, sy), Class: "identity", Label: "0: Z = 1"}}
	if !math.IsNaN(p.NegOptimum) {
		c.Lines = append(c.Lines, view.Line{D: view.Path([]float64{p.NegOptimum, p.NegOptimum}, []float64{0, top}, sx, sy), Class: "true", Label: "neg's optimum"})
	}
	return c
}

// VocabA plots, per context, the learned a_ctx against −log Z of the rest
// of the logits, log Σ_w exp(s − a_ctx): on the identity line when a_ctx
// alone normalizes the context. ok is false when the run holds a_ctx at 0.
func VocabA(p *VocabData) (c Chart, ok bool) {
	if len(p.A) == 0 || len(p.A) != len(p.Rest) {
		return Chart{}, false
	}
	g := defaultGeom
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, a := range p.A {
		x, y := -p.Rest[i], a
		lo, hi = min(lo, x, y), max(hi, x, y)
	}
	if !(hi-lo > 0.2) {
		lo, hi = lo-0.1, hi+0.1
	}
	pad := 0.06 * (hi - lo)
	lo, hi = lo-pad, hi+pad
	sx, sy := g.X(lo, hi), g.Y(lo, hi)
	c = newChart("nce-vocab-a", g, sx, sy, 5, 4)
	c.Title = "learned a_ctx against −log Z of the rest"
	c.XLabel, c.YLabel = "−log Σ exp(s − a)", "a_ctx"
	c.Lines = []view.Line{{D: view.Path([]float64{lo, hi}, []float64{lo, hi}, sx, sy), Class: "identity", Label: "a = −log Z rest"}}
	for i, a := range p.A {
		c.Dots = append(c.Dots, Dot{X: sx.At(-p.Rest[i]), Y: sy.At(a), R: 2, Class: "norm", Item: -1,
			Title: "context " + strconv.Itoa(i) + ": a " + chart.Num(a)})
	}
	return c, true
}

// VocabProbe is the time per step against V on log axes, as measured: the
// softmax and the sampled objective, with a line ∝ V through the
// softmax's first point.
func VocabProbe(p *VocabData) Chart {
	g := defaultGeom
	n := len(p.Probe)
	vs, soft, samp := make([]float64, n), make([]float64, n), make([]float64, n)
	for i, pt := range p.Probe {
		vs[i], soft[i], samp[i] = float64(pt.V), pt.Softmax, pt.Sampled
	}
	x0, x1 := logRange(1000, 100000, vs, []float64{float64(vocab.ProbeVocabs[0]), float64(vocab.ProbeVocabs[len(vocab.ProbeVocabs)-1])})
	y0, y1 := logRange(0.001, 10, soft, samp)
	y1 = headroom(y0, y1, 0.2)
	sx := view.Scale{D0: x0, D1: x1, R0: g.L, R1: g.W - g.R, Log: true}
	sy := view.Scale{D0: y0, D1: y1, R0: g.H - g.B, R1: g.T, Log: true}
	c := logChart("nce-vocab-probe", g, sx, sy)
	c.Title = "time per step against V"
	c.XLabel, c.YLabel = "vocabulary V", "ms per step"
	c.Lines = []view.Line{{D: view.Path(vs, soft, sx, sy), Class: "noise", Label: "softmax"},
		{D: view.Path(vs, samp, sx, sy), Class: "c", Label: p.ProbeObj}}
	if n > 0 {
		c.Lines = append(c.Lines, view.Line{D: view.Path([]float64{vs[0], x1}, []float64{soft[0], soft[0] * x1 / vs[0]}, sx, sy), Class: "half", Label: "∝ V"})
	}
	for i := range n {
		c.Dots = append(c.Dots, Dot{X: sx.At(vs[i]), Y: sy.At(soft[i]), R: 2.5, Class: "vnoise", Item: -1, Title: "softmax, V = " + chart.Num(vs[i]) + ": " + chart.Num(soft[i]) + " ms"},
			Dot{X: sx.At(vs[i]), Y: sy.At(samp[i]), R: 2.5, Class: "vc", Item: -1, Title: p.ProbeObj + ", V = " + chart.Num(vs[i]) + ": " + chart.Num(samp[i]) + " ms"})
	}
	return c
}

// VocabCaptions are the panels' captions: a sentence or two for the full
// page, one line for embeds (rich text: citations link to the docs).
func VocabCaptions(panel string, p *VocabData) view.Caption {
	switch panel {
	case VocabPanelCurves:
		over := "all " + strconv.Itoa(p.Contexts) + " contexts"
		if p.EvalContexts < p.Contexts {
			over = "the first " + strconv.Itoa(p.EvalContexts) + " of the " + strconv.Itoa(p.Contexts) + " contexts (the readouts: all of them)"
		}
		return view.Caption{
			Full: "Held-out perplexity of the exactly normalized model ([metrics](docs/math.md#metrics)) against each run's own training time, on log axes, over " + over +
				"; the dashed floor is the true model's; a perplexity beyond the range of floats (∞) sits on the top edge. The run and its softmax reference are the runner's; NCE at the other k (5, 25, 100, with k + 1 ≤ V/4) trains here too, after the run and before the softmax, on the same data and passes. A softmax step sums over all V words, an NCE step over k + 1 ([the cost](docs/math.md#softmax-cost)).",
			Short: "Perplexity against training time: softmax and NCE at several k ([cost](docs/math.md#softmax-cost)).",
		}
	case VocabPanelLogZ:
		full := "log Z(ctx) = log Σ_w exp s(w, ctx) of the run's logits (with a_ctx) in each context, over all V words. NCE fits normalized scores, so with every a_ctx fixed to 0 the contexts cluster near 0 without Z ever being computed ([self-normalization](docs/math.md#self-normalization)); every context starts at log V."
		switch {
		case p.Obj == objective.Neg.Name:
			full += " Negative sampling's optimum is not normalized: its log Z is log Σ_w p̃/q − log k ([E12](docs/math.md#e12)), marked."
		case len(p.A) > 0:
			full += " With norm=learn a_ctx does the work: below, each learned a_ctx against −log Z of the rest of the logits, on the identity line when it normalizes its context alone."
		case p.Obj == objective.MLE.Name || p.Obj == objective.Rank.Name:
			full += " The softmax and ranking losses ignore a constant per context, so nothing pins log Z."
		}
		return view.Caption{Full: full, Short: "log Z(ctx) per context: near 0 when self-normalized ([why](docs/math.md#self-normalization))."}
	case VocabPanelProbe:
		return view.Caption{
			Full:  "Wall time per training step against the vocabulary size, measured in this page's worker with the engine's probe (the fastest of several rounds per V, at the run's dim and k, after the NCE runs): the softmax grows with V, the sampled objective's k + 1 rows do not ([the cost](docs/math.md#softmax-cost)); the dashed line is ∝ V. The toolbar's ms/step are the runs' means over all their steps, which on a busy machine include the time the worker waited.",
			Short: "Time per step against V: softmax grows, NCE stays flat.",
		}
	}
	return view.Caption{}
}

// VocabFigures draws the three panels for the page (the worker calls it,
// so that the page's wasm holds none of this code): their charts as SVG,
// captions and subtitles, the log Z one from the report's numbers in f.
func VocabFigures(p *VocabData, f *wire.LabFrame) []wire.LabFigure {
	curves, logz, probe := VocabCurves(p), VocabLogZ(p), VocabProbe(p)
	z := wire.LabFigure{ID: VocabPanelLogZ, Title: "log Z(ctx) per context", SVG: SVG(logz, "")}
	if a, ok := VocabA(p); ok {
		z.SVG = `<div class="nce-vpair">` + z.SVG + SVG(a, "") + `</div>`
	}
	for _, k := range []string{"logz_mean", "logz_sd"} {
		if v, ok := Metric(f, k); ok {
			if z.Sub != "" {
				z.Sub += " · "
			}
			z.Sub += strings.TrimPrefix(k, "logz_") + " " + chart.Num(v)
		}
	}
	state := "timed after the NCE runs"
	switch {
	case p.ProbeDone:
		state = "measured in this page's worker"
	case len(p.Probe) > 0:
		state = "measuring… V ≤ " + chart.Num(float64(p.Probe[len(p.Probe)-1].V))
	}
	out := []wire.LabFigure{
		{ID: VocabPanelCurves, Title: "Perplexity against time", SVG: SVG(curves, ""),
			Sub: "V = " + group(int64(p.Vocab)) + ", " + strconv.Itoa(p.Contexts) + " contexts"},
		z,
		{ID: VocabPanelProbe, Title: "Time per step against V", Sub: state, SVG: SVG(probe, "")},
	}
	for i := range out {
		cap := VocabCaptions(out[i].ID, p)
		out[i].Full, out[i].Short, out[i].Embed = cap.Full, cap.Short, true
	}
	return out
}
