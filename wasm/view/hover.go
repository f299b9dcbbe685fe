package view

import (
	"math"
	"sort"
	"strings"

	"nceplay/chart"
)

// A Hover answers what lies under the pointer in a plot: the readout the
// page shows beside it (the values at that x, cell or step).
type Hover struct {
	Geo    Geom
	SX, SY Scale
	XName  string
	Res    int       // 2D: the rows' values are a Res×Res grid over the box (x fastest)
	Steps  []float64 // Curves: the rows' values are per step
	Rows   []HoverRow
}

// A HoverRow is one value of the readout: its label and its values over
// the plot's x range in equal cells (1D), over the 2D grid, or per step.
type HoverRow struct {
	Label string
	V     []float64
}

// Text returns the readout at pixel (x, y) of the plot's box, one value
// a line, or "" outside the plotting area.
func (h *Hover) Text(x, y float64) string {
	g := h.Geo
	if len(h.Rows) == 0 || x < g.L || x > g.W-g.R || y < g.T || y > g.H-g.B {
		return ""
	}
	var b strings.Builder
	at := func(v []float64, i int) string {
		if i < 0 || i >= len(v) {
			return "–"
		}
		return chart.Num(v[i])
	}
	line := func(label, val string) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(label + " = " + val)
	}
	cell := func(v, d0, d1 float64, n int) int {
		return min(n-1, max(0, int(math.Floor((v-d0)/(d1-d0)*float64(n)))))
	}
	vx := h.SX.Inv(x)
	switch {
	case len(h.Steps) > 0:
		i := sort.SearchFloat64s(h.Steps, vx)
		if i == len(h.Steps) || i > 0 && vx-h.Steps[i-1] < h.Steps[i]-vx {
			i--
		}
		line(h.XName, chart.Num(h.Steps[i]))
		for _, r := range h.Rows {
			line(r.Label, at(r.V, i))
		}
	case h.Res > 0:
		vy := h.SY.Inv(y)
		i := cell(vy, h.SY.D0, h.SY.D1, h.Res)*h.Res + cell(vx, h.SX.D0, h.SX.D1, h.Res)
		line("x", "("+chart.Num(chart.RoundSig(vx, 3))+", "+chart.Num(chart.RoundSig(vy, 3))+")")
		for _, r := range h.Rows {
			line(r.Label, at(r.V, i))
		}
	default:
		line(h.XName, chart.Num(chart.RoundSig(vx, 3)))
		for _, r := range h.Rows {
			line(r.Label, at(r.V, cell(vx, h.SX.D0, h.SX.D1, len(r.V))))
		}
	}
	return b.String()
}
