package labview

import (
	"strconv"

	"nceplay/chart"
	"nceplay/core/lab/infonce"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The InfoNCE lab's page (docs/spec.md#lab-infonce): the bound
// log(k+1) − J over training against the true information and the
// ceiling log(k+1), and across k, where it saturates.

func init() {
	Pages[infonce.Name] = &Page{
		Readouts: []ReadoutDef{
			{Key: "mi_est", Label: "estimate", Title: "log(k+1) − J of the trained critic on the evaluation set, in nats (docs/math.md#e10)"},
			{Key: "mi_true", Label: "true I", Title: "The true mutual information −½ log(1 − ρ²), in nats (docs/math.md#e11)"},
			{Key: "mi_bound", Label: "ceiling", Title: "log(k+1): no critic's estimate can pass it"},
			{Key: "mi_opt", Label: "best critic", Title: "The bound of the best critic, log p(y|x)/p(y), on the same evaluation set"},
		},
	}
}

// The InfoNCE page's panels.
const (
	InfoNCEPanelSteps = "infonce-steps"
	InfoNCEPanelK     = "infonce-k"
)

// InfoNCEStepsChart is the running estimate log(k+1) − J over the training
// steps, against the true information and the ceiling log(k+1).
func InfoNCEStepsChart(p *wire.InfoNCEPanels) Chart {
	g, steps := defaultGeom, p.Steps
	hi := max(p.True, p.Bound) * 1.12
	lo := 0.0
	for _, v := range p.Est {
		if v-v == 0 {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	sx, sy := g.X(0, float64(max(steps, 1))), g.Y(lo, hi)
	c := newChart("nce-infonce-steps", g, sx, sy, 5, 5)
	c.Title = "The estimate log(k+1) − J over training"
	c.XLabel, c.YLabel = "step", "nats"
	ends := []float64{0, float64(max(steps, 1))}
	c.Lines = []view.Line{
		{D: view.Path(ends, []float64{p.Bound, p.Bound}, sx, sy), Class: "ceiling", Label: "log(k+1) = " + chart.Num(p.Bound)},
		{D: view.Path(ends, []float64{p.True, p.True}, sx, sy), Class: "true", Label: "true I = " + chart.Num(p.True)},
		{D: view.Path(p.Step, p.Est, sx, sy), Class: "model", Label: "log(k+1) − J"},
	}
	return c
}

// InfoNCEKChart is the bound across k: the ceiling log(k+1), the true
// information, the best critic's bound at every k and the trained
// critics' (the run's k and the smaller ones trained after it).
func InfoNCEKChart(p *wire.InfoNCEPanels) Chart {
	g := defaultGeom
	hi := p.True
	for _, v := range p.KBound {
		hi = max(hi, v)
	}
	x1 := 256.0
	if n := len(p.Ks); n > 0 {
		x1 = p.Ks[n-1] + 1
	}
	sx := view.Scale{D0: 2, D1: x1, R0: g.L, R1: g.W - g.R, Log: true}
	sy := g.Y(0, hi*1.08)
	c := newChart("nce-infonce-k", g, sx, sy, 5, 5)
	c.Title = "The bound across k"
	c.XLabel, c.YLabel = "k + 1 (candidates)", "nats"
	c.XTicks = nil
	for _, k := range p.Ks {
		if k+1 >= 2 {
			c.XTicks = append(c.XTicks, view.AxisTick{Pos: sx.At(k + 1), Label: strconv.Itoa(int(k) + 1)})
		}
	}
	k1 := make([]float64, len(p.Ks))
	for i, k := range p.Ks {
		k1[i] = k + 1
	}
	c.Lines = []view.Line{
		{D: view.Path(k1, p.KBound, sx, sy), Class: "ceiling", Label: "log(k+1)"},
		{D: view.Path([]float64{2, x1}, []float64{p.True, p.True}, sx, sy), Class: "true", Label: "true I"},
		{D: view.Path(k1, p.KOpt, sx, sy), Class: "best", Label: "best critic"},
		{D: view.Path(k1, p.KEst, sx, sy), Class: "model", Label: "trained critic"},
	}
	for i, k := range p.Ks {
		if v := p.KOpt[i]; v-v == 0 {
			c.Dots = append(c.Dots, Dot{X: sx.At(k1[i]), Y: sy.At(v), R: 2.2, Class: "best", Item: -1,
				Title: "k = " + strconv.Itoa(int(k)) + ": best critic " + chart.Num(v)})
		}
		if v := p.KEst[i]; v-v == 0 {
			cls := "model"
			if int(k) == p.K {
				cls = "model own"
			}
			c.Dots = append(c.Dots, Dot{X: sx.At(k1[i]), Y: sy.At(v), R: 3, Class: cls, Item: -1,
				Title: "k = " + strconv.Itoa(int(k)) + ": trained " + chart.Num(v)})
		}
	}
	return c
}

// InfoNCECaptions are the InfoNCE panels' captions.
func InfoNCECaptions(panel string, p *wire.InfoNCEPanels) view.Caption {
	k := strconv.Itoa(p.K)
	switch panel {
	case InfoNCEPanelSteps:
		sat := "The true information is under the ceiling, so a good critic's estimate climbs to near it."
		if p.True > p.Bound {
			sat = "Here the true information is above the ceiling: the estimate saturates under log(k+1) however long it trains."
		}
		return view.Caption{
			Full: "The critic's estimate log(k+1) − J (the mean ranking loss J over the last 100 batches of k + 1 = " + strconv.Itoa(p.K+1) +
				" pairs) against the true information −½ log(1 − ρ²) ([E11](docs/math.md#e11)) and the ceiling log(k+1): J ≥ 0, so the bound ([E10](docs/math.md#e10)) can never pass it. " + sat,
			Short: "log(k+1) − J over training, under its ceiling log(k+1) ([E10](docs/math.md#e10)).",
		}
	case InfoNCEPanelK:
		return view.Caption{
			Full: "The bound across k. The best critic, log p(y|x)/p(y) ([best critic](docs/math.md#best-critic)), needs no training: its bound is drawn at every k and hugs log(k+1) while log(k+1) is under the true information, then saturates at it. " +
				"The engine trains one k per run, so the worker trains the run's k = " + k + " and then, in sequence, each smaller k of the series with the same settings (filled dots as they finish); the run's own k is ringed.",
			Short: "Across k: the bound saturates at log(k+1) ([E10](docs/math.md#e10)).",
		}
	}
	return view.Caption{}
}
