package view

import (
	"math"
	"strings"

	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// PinPoints is the most samples a pinned run keeps of its curves: the
// widest Curves plot is under 700 px wide, and Thin draws two points per
// pixel column at most, so 1024 samples draw as the full history would
// (the run itself keeps up to MaxHistory).
const PinPoints = 1024

// A Pin is a run kept to be drawn under the current one, as a ghost:
// its experiment, its curves (decimated to PinPoints) and its recovered
// density p̂ (1D: the curve over its grid; 2D: the grid, for contours).
// It is the page's state, not the link's: a link reproduces one run.
type Pin struct {
	S   spec.Spec
	H   History // its curves, at most PinPoints samples
	Dim int
	Res int // the density grid's points per axis
	// Box is the density grid's box (x0, x1, y0, y1).
	Box  [4]float64
	PHat []float64 // p̂ on the grid (1D: Res values; 2D: Res², x fastest)
}

// NewPin keeps the run of s whose history is h and whose last frame is f.
func NewPin(s spec.Spec, h *History, f *wire.Frame) *Pin {
	p := &Pin{S: s, Dim: f.Dim}
	p.H.Spec, p.H.NoC, p.H.NoTruth = h.Spec, h.NoC, h.NoTruth
	n := len(h.S)
	every := (n + PinPoints - 1) / PinPoints
	if every < 1 {
		every = 1
	}
	for i := 0; i < n; i += every {
		p.H.S = append(p.H.S, h.S[i])
	}
	if n > 0 && p.H.S[len(p.H.S)-1].Step != h.S[n-1].Step {
		p.H.S = append(p.H.S, h.S[n-1])
	}
	if f.Dim > 0 && len(f.Grid.LogModel) > 0 {
		p.Res = f.Grid.Res
		x0, x1, y0, y1 := box(f)
		p.Box = [4]float64{x0, x1, y0, y1}
		p.PHat = exp32(f.Grid.LogModel)
	}
	return p
}

// PinLabels are the two runs' specs in short form, only the keys whose
// values differ, in the key table's order: "obj=nce k=1" against
// "obj=mle". A key a run's query leaves out is at its default when it
// applies to that run, and left out of its label when it does not (the
// mlp's units beside a poly model). Identical experiments (a pinned run
// trained again) are both "same spec".
func PinLabels(pinned, now spec.Spec) (string, string) {
	qa, qb := pairs(pinned.ExperimentQuery()), pairs(now.ExperimentQuery())
	var a, b []string
	for i := range spec.Playground.Keys {
		k := &spec.Playground.Keys[i]
		va, ina := qa[k.Name]
		vb, inb := qb[k.Name]
		if !ina && !inb {
			continue
		}
		ra, rb := ina || k.Relevant(&pinned), inb || k.Relevant(&now)
		if !ina {
			va = k.Default
		}
		if !inb {
			vb = k.Default
		}
		if ra && rb && va == vb {
			continue
		}
		if ra {
			a = append(a, k.Name+"="+va)
		}
		if rb {
			b = append(b, k.Name+"="+vb)
		}
	}
	la, lb := strings.Join(a, " "), strings.Join(b, " ")
	if la == "" && lb == "" {
		return "same spec", "same spec"
	}
	return la, lb
}

// pairs splits a canonical query into its keys' values.
func pairs(q string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(q, "&") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// pinLegend is the legend's two entries for a pinned run beside the
// current one: a dotted swatch for the pinned run, a solid one for now.
func pinLegend(pin *Pin, now spec.Spec) []Line {
	a, b := PinLabels(pin.S, now)
	return []Line{
		{Class: "pin-key", Label: "pinned: " + a, Short: "pin: " + a},
		{Class: "now-key", Label: "now: " + b, Short: "now: " + b},
	}
}

// pinnedLine is the ghost of a line: the same class (its hue) drawn
// dotted and faded (the page's CSS, class "pinned"), before the current
// run's lines so that it lies under them.
func pinnedLine(d, class string) Line { return Line{D: d, Class: class + " pinned"} }

// Query is the pinned run's experiment, for the page's pin bar.
func (p *Pin) Query() string {
	if q := p.S.ExperimentQuery(); q != "" {
		return q
	}
	return "(defaults)"
}

// Steps is the pinned run's last step measured.
func (p *Pin) Steps() int {
	if n := len(p.H.S); n > 0 {
		return p.H.S[n-1].Step
	}
	return 0
}

// pinDensity1D is the pinned p̂ as a path on the current plot's scales,
// cut where it leaves the current x range.
func pinDensity1D(p *Pin, sx, sy Scale) string {
	if p == nil || p.Dim != 1 || p.Res == 0 {
		return ""
	}
	lo, hi := min(sx.D0, sx.D1), max(sx.D0, sx.D1)
	xs, ys := make([]float64, p.Res), make([]float64, p.Res)
	for i := range xs {
		xs[i] = p.Box[0] + (float64(i)+0.5)*(p.Box[1]-p.Box[0])/float64(p.Res)
		ys[i] = p.PHat[i]
		if xs[i] < lo || xs[i] > hi {
			ys[i] = math.NaN()
		}
	}
	return Path(xs, ys, sx, sy)
}

// pinContours are the pinned p̂'s contours at the given densities on the
// current map's scales, inside the current map only (the pinned run's
// box may differ): grid points outside it are NaN, whose cells Contour
// skips.
func pinContours(p *Pin, levels []float64, sx, sy Scale) string {
	if p == nil || p.Dim != 2 || p.Res == 0 {
		return ""
	}
	n := p.Res
	hx, hy := (p.Box[1]-p.Box[0])/float64(n), (p.Box[3]-p.Box[2])/float64(n)
	in := func(v float64, s Scale) bool { return v >= min(s.D0, s.D1) && v <= max(s.D0, s.D1) }
	vals := make([]float64, len(p.PHat))
	for j := range n {
		for i := range n {
			v := p.PHat[j*n+i]
			if !in(p.Box[0]+(float64(i)+0.5)*hx, sx) || !in(p.Box[2]+(float64(j)+0.5)*hy, sy) {
				v = math.NaN()
			}
			vals[j*n+i] = v
		}
	}
	var d string
	for _, lv := range levels {
		d += Contour(vals, n, lv, p.Box[0], p.Box[1], p.Box[2], p.Box[3], sx, sy)
	}
	return d
}
