package labview

import (
	"math"
	"strconv"

	"nceplay/chart"
	"nceplay/core/lab/sweep"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The sweep lab's page (docs/spec.md#lab-sweep): NCE's mean squared error
// of θ against k, beside maximum likelihood's on the same data sets and
// the theory of docs/math.md#e8; what each k costs; and the convergence in
// n. The worker sends the runner's rows (wire.SweepPanels); these
// functions only draw them.

func init() {
	Pages[sweep.Name] = &Page{
		Readouts: []ReadoutDef{
			{Key: "reps", Label: "repetitions", Title: "Repetitions gathered so far, from both workers: every row's mean runs over them"},
		},
		Workers: 2,
	}
}

// The sweep page's panels.
const (
	SweepPanelK    = "sweep-k"
	SweepPanelCost = "sweep-cost"
	SweepPanelN    = "sweep-n"
)

// SweepSeries is how many line colours the sweep's charts cycle through
// (the classes s0 … s5 of lab.css).
const SweepSeries = 6

// sweepClass is the colour class of series i.
func sweepClass(i int) string { return "s" + strconv.Itoa(i%SweepSeries) }

// settingName names a noise setting, e.g. "gauss ×2".
func settingName(r wire.SweepRow) string {
	return r.Noise + " ×" + strconv.FormatFloat(r.NScale, 'g', -1, 64)
}

// sweepAxes lists the distinct ns, settings and ks of the rows, in the
// rows' order (n, then setting, then k).
func sweepAxes(p *wire.SweepPanels) (ns []int, settings []string, ks []int) {
	seen := map[string]bool{}
	for _, r := range p.Rows {
		if !seen["n"+strconv.Itoa(r.N)] {
			seen["n"+strconv.Itoa(r.N)] = true
			ns = append(ns, r.N)
		}
		if s := settingName(r); !seen["s"+s] {
			seen["s"+s] = true
			settings = append(settings, s)
		}
		if !seen["k"+strconv.Itoa(r.K)] {
			seen["k"+strconv.Itoa(r.K)] = true
			ks = append(ks, r.K)
		}
	}
	return ns, settings, ks
}

// span gathers a log axis's finite positive values.
type span struct{ lo, hi float64 }

func newSpan() span { return span{math.Inf(1), math.Inf(-1)} }

func (s *span) add(vs ...float64) {
	for _, v := range vs {
		if v > 0 && !math.IsInf(v, 0) {
			s.lo, s.hi = min(s.lo, v), max(s.hi, v)
		}
	}
}

// scale returns a log scale over the span, widened by the factor pad on
// each side (a decade around 1 when the span is empty).
func (s span) scale(r0, r1, pad float64) view.Scale {
	lo, hi := s.lo, s.hi
	if !(hi >= lo) {
		lo, hi = 0.1, 10
	}
	if hi/lo < 3 {
		m := math.Sqrt(lo * hi)
		lo, hi = m/1.8, m*1.8
	}
	return view.Scale{D0: lo / pad, D1: hi * pad, R0: r0, R1: r1, Log: true}
}

// logTicks returns ticks of a log scale: the powers of ten, or 1, 2 and 5
// times them when the range holds fewer than three powers.
func logTicks(s view.Scale) []view.AxisTick {
	vs := chart.LogTicks125(min(s.D0, s.D1), max(s.D0, s.D1))
	out := make([]view.AxisTick, len(vs))
	for i, v := range vs {
		out[i] = view.AxisTick{Pos: s.At(v), Label: chart.Tick(v)}
	}
	return out
}

// valueTicks returns ticks at the given values (the sweep's ks or ns).
func valueTicks(s view.Scale, vs []int) []view.AxisTick {
	if len(vs) > 7 {
		return logTicks(s)
	}
	out := make([]view.AxisTick, len(vs))
	for i, v := range vs {
		out[i] = view.AxisTick{Pos: s.At(float64(v)), Label: chart.Tick(float64(v))}
	}
	return out
}

// sweepGeom is the sweep charts' geometry.
var sweepGeom = view.Geom{W: 320, H: 230, L: 42, R: 10, T: 10, B: 26}

// sweepChart builds an empty chart over the spans.
func sweepChart(id, title string, xs, ys span, xpad float64) (Chart, view.Scale, view.Scale) {
	g := sweepGeom
	sx := xs.scale(g.L, g.W-g.R, xpad)
	sy := ys.scale(g.H-g.B, g.T, 1.25)
	c := Chart{Heat: view.Heat{ID: id, Geo: g, Title: title, XTicks: logTicks(sx), YTicks: logTicks(sy)}}
	c.YLabel = "MSE of θ"
	return c, sx, sy
}

// points adds a series: its line, a marker per point and the ±1 SE bars.
func (c *Chart) points(sx, sy view.Scale, xs, ys, se []float64, class, label, what string) {
	c.Lines = append(c.Lines, view.Line{D: view.Path(xs, ys, sx, sy), Class: class, Label: label})
	bars := ""
	for i, x := range xs {
		y := ys[i]
		if !(y > 0) || math.IsInf(y, 0) {
			continue
		}
		c.Dots = append(c.Dots, Dot{X: sx.At(x), Y: sy.At(y), R: 2.6, Class: class, Item: -1,
			Title: what + ": " + chart.Num(y) + " ± " + chart.Num(se[i])})
		if s := se[i]; s > 0 {
			lo := max(y-s, sy.D0)
			bars += "M" + view.Px(sx.At(x)) + " " + view.Px(sy.At(lo)) + "V" + view.Px(sy.At(min(y+s, sy.D1)))
		}
	}
	if bars != "" {
		c.Lines = append(c.Lines, view.Line{D: bars, Class: class + " err"})
	}
}

// SweepKChart is the mean squared error of θ against k at the largest n,
// one line per noise setting with its ±1 SE bars and its theory (dashed),
// beside maximum likelihood's on the same data sets (the ink line, which
// does not depend on k) and its theory.
func SweepKChart(p *wire.SweepPanels) Chart {
	ns, settings, ks := sweepAxes(p)
	n := 0
	if len(ns) > 0 {
		n = ns[len(ns)-1]
		for _, v := range ns {
			n = max(n, v)
		}
	}
	xs, ys := newSpan(), newSpan()
	var mle, mleSE, mleThe float64 = math.NaN(), 0, math.NaN()
	for _, r := range p.Rows {
		if r.N == n {
			xs.add(float64(r.K))
			ys.add(r.MSE-r.SE, r.MSE+r.SE, r.Theory, r.MLE, r.MLEThe)
			mle, mleSE, mleThe = r.MLE, r.MLESE, r.MLEThe
		}
	}
	c, sx, sy := sweepChart("nce-sweep-k", "MSE of θ against k at n = "+strconv.Itoa(n), xs, ys, 1.3)
	c.XTicks = valueTicks(sx, ks)
	c.XLabel = "k (noise per data point)"
	x0, x1 := sx.D0, sx.D1
	c.Lines = append(c.Lines,
		view.Line{D: view.Path([]float64{x0, x1}, []float64{mle, mle}, sx, sy), Class: "mle", Label: "MLE"},
		view.Line{D: view.Path([]float64{x0, x1}, []float64{mleThe, mleThe}, sx, sy), Class: "mle theory"})
	if mleSE > 0 && mle > 0 {
		c.Lines = append(c.Lines, view.Line{D: "M" + view.Px(sx.At(x0)) + " " + view.Px(sy.At(min(mle+mleSE, sy.D1))) +
			"H" + view.Px(sx.At(x1)) + "V" + view.Px(sy.At(max(mle-mleSE, sy.D0))) + "H" + view.Px(sx.At(x0)) + "Z", Class: "mleband"})
	}
	for si, s := range settings {
		var kx, my, se, th []float64
		for _, r := range p.Rows {
			if r.N == n && settingName(r) == s {
				kx, my, se, th = append(kx, float64(r.K)), append(my, r.MSE), append(se, r.SE), append(th, r.Theory)
			}
		}
		cl := sweepClass(si)
		c.Lines = append(c.Lines, view.Line{D: view.Path(kx, th, sx, sy), Class: cl + " theory"})
		c.points(sx, sy, kx, my, se, cl, "NCE "+s, "NCE "+s)
	}
	c.Lines = append(c.Lines, view.Line{Class: "theory key", Label: "theory"}) // docs/math.md#e8
	return c
}

// SweepCostChart is the mean squared error against what a pass costs:
// (1+k)·n evaluations of G for NCE, one line over k per noise setting and
// n; maximum likelihood's n evaluations (plus its normalizer, which NCE
// never computes) as ink markers.
func SweepCostChart(p *wire.SweepPanels) Chart {
	ns, settings, _ := sweepAxes(p)
	xs, ys := newSpan(), newSpan()
	for _, r := range p.Rows {
		xs.add(r.Evals, float64(r.N))
		ys.add(r.MSE, r.MLE)
	}
	c, sx, sy := sweepChart("nce-sweep-cost", "MSE of θ against evaluations of G per pass", xs, ys, 1.5)
	c.XLabel = "(1+k)·n evaluations per pass"
	for si, s := range settings {
		for ni, n := range ns {
			var ex, my, se []float64
			for _, r := range p.Rows {
				if r.N == n && settingName(r) == s {
					ex, my, se = append(ex, r.Evals), append(my, r.MSE), append(se, r.SE)
				}
			}
			label := ""
			if ni == 0 {
				label = "NCE " + s
			}
			c.points(sx, sy, ex, my, se, sweepClass(si), label, "NCE "+s+", n = "+strconv.Itoa(n))
		}
	}
	var mx, my, mse []float64
	for _, n := range ns {
		for _, r := range p.Rows {
			if r.N == n {
				mx, my, mse = append(mx, float64(n)), append(my, r.MLE), append(mse, r.MLESE)
				break
			}
		}
	}
	c.points(sx, sy, mx, my, mse, "mle", "MLE (n + its Z)", "MLE")
	return c
}

// SweepNChart is the convergence in n: for the first noise setting, the
// mean squared error against n for each k, with the theory's 1/n lines
// (dashed) and maximum likelihood's.
func SweepNChart(p *wire.SweepPanels) Chart {
	ns, settings, ks := sweepAxes(p)
	first := ""
	if len(settings) > 0 {
		first = settings[0]
	}
	xs, ys := newSpan(), newSpan()
	for _, r := range p.Rows {
		if settingName(r) == first {
			xs.add(float64(r.N))
			ys.add(r.MSE-r.SE, r.MSE+r.SE, r.Theory, r.MLE)
		}
	}
	// The theory lines run over the whole axis: c/n through each theory point.
	c, sx, sy := sweepChart("nce-sweep-n", "MSE of θ against n, noise "+first, xs, ys, 2)
	c.XTicks = valueTicks(sx, ns)
	c.XLabel = "n (data points)"
	line := func(th float64, n int) []float64 {
		return []float64{th * float64(n) / sx.D0, th * float64(n) / sx.D1}
	}
	ends := []float64{sx.D0, sx.D1}
	for ki, k := range ks {
		var nx, my, se []float64
		for _, r := range p.Rows {
			if settingName(r) == first && r.K == k {
				nx, my, se = append(nx, float64(r.N)), append(my, r.MSE), append(se, r.SE)
				if len(nx) == 1 && r.Theory > 0 {
					c.Lines = append(c.Lines, view.Line{D: view.Path(ends, line(r.Theory, r.N), sx, sy), Class: sweepClass(ki) + " theory"})
				}
			}
		}
		c.points(sx, sy, nx, my, se, sweepClass(ki), "k = "+strconv.Itoa(k), "NCE k = "+strconv.Itoa(k))
	}
	var mx, my, mse []float64
	for _, n := range ns {
		for _, r := range p.Rows {
			if r.N == n {
				mx, my, mse = append(mx, float64(n)), append(my, r.MLE), append(mse, r.MLESE)
				if len(mx) == 1 && r.MLEThe > 0 {
					c.Lines = append(c.Lines, view.Line{D: view.Path(ends, line(r.MLEThe, r.N), sx, sy), Class: "mle theory"})
				}
				break
			}
		}
	}
	c.points(sx, sy, mx, my, mse, "mle", "MLE", "MLE")
	return c
}

// SweepCaptions are the sweep panels' captions: sentences for the full
// page, one line for embeds (rich text: citations link to the docs).
func SweepCaptions(panel string, p *wire.SweepPanels) view.Caption {
	got := strconv.Itoa(p.Done) + " of " + strconv.Itoa(p.Reps) + " repetitions"
	switch panel {
	case SweepPanelK:
		return view.Caption{
			Full: "NCE's mean squared error of θ (summed over its components, c left out) against k, each point a mean over " + got +
				" (bars: ±1 standard error), beside maximum likelihood's on the same data sets (ink; its band ±1 SE) and the asymptotic theory, dashed ([E8](docs/math.md#e8)). " +
				"With the noise equal to the data (target=gauss&deg=2&noises=gauss) NCE's error is (1 + 1/k) times maximum likelihood's: twice at k = 1, 1.1 times at k = 10 ([efficiency](docs/math.md#efficiency)). " +
				"As k grows every line falls toward maximum likelihood's, never below it; noise close to the data (nscales=1) beats noise far from it (nscales=1,3 compares them). " +
				"The sweep refits the noise to each data set while the theory assumes a fixed one ([the refit](docs/math.md#refit)).",
			Short: "MSE against k beside MLE and theory ([E8](docs/math.md#e8)).",
		}
	case SweepPanelCost:
		return view.Caption{
			Full: "The price of k: the same errors against the evaluations of G one pass over the data and the noise costs, (1+k)·n. " +
				"Each step of k buys less error for more work: past a few k the line flattens while the cost keeps growing in proportion to k. " +
				"Maximum likelihood passes over n points only, but needs its normalizer Z(θ), an integral NCE never computes ([why NCE](docs/math.md#partition-function)).",
			Short: "MSE against (1+k)·n evaluations: what k costs.",
		}
	case SweepPanelN:
		return view.Caption{
			Full: "The convergence itself: the error against the data size n for each k, with the theory's c/n lines (dashed, [E8](docs/math.md#e8)) and maximum likelihood's. " +
				"Every estimator falls as 1/n; a larger k moves the whole line down toward maximum likelihood's. Give several sizes (ns=100,300,1000) to see the lines.",
			Short: "MSE against n per k, with the 1/n theory lines.",
		}
	}
	return view.Caption{}
}

// Num is a number for people (chart.Num), "–" when it is not one.
func Num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "–"
	}
	return chart.Num(v)
}

// Full is a number in full precision (the shortest form that reads back
// as the same float64), "" when it is not one: for tests and copying.
func Full(v float64) string {
	if math.IsNaN(v) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func itoa(n int) string { return strconv.Itoa(n) }
