package view

import (
	"math"

	"nceplay/chart"
)

// A Size is the box a plot fills on the page, in CSS pixels, as the page
// measured it. Plots are laid out in these pixels (their SVG view box is
// the box itself), so a font of FontPx is drawn FontPx tall at any size.
type Size struct{ W, H float64 }

// DefaultSize is a plot's size before the page has measured its box.
var DefaultSize = Size{W: 340, H: 226}

// Sizes are the measured boxes of the plot slots, by slot id.
type Sizes map[string]Size

// Of returns the size of a slot, or DefaultSize before it is measured.
func (s Sizes) Of(id string) Size {
	if z, ok := s[id]; ok && z.W > 0 && z.H > 0 {
		return z
	}
	return DefaultSize
}

// Shown reports whether a slot has a measured, non-empty box (a slot the
// layout hides has none: its plot need not be built).
func (s Sizes) Shown(id string) bool {
	z, ok := s[id]
	return !ok || z.W > 0 && z.H > 0
}

// Text metrics of the plots (the page's CSS sets the same sizes).
const (
	FontPx  = 11.0 // ticks, legends, titles, readouts: never smaller
	rowH    = 15.0 // one legend row
	tickGap = 5.0  // between an axis and its tick labels
)

// TextWidth estimates the width of s in CSS pixels at FontPx (bold: the
// titles). The advance widths are DejaVu Sans's (the widest common UI
// font, Debian's system-ui) rounded up, so layouts leave room on every
// system.
func TextWidth(s string, bold bool) float64 {
	w := 0.0
	for _, r := range s {
		switch {
		case r >= 0x300 && r < 0x370: // combining marks (p̃, p̂)
		case r >= '0' && r <= '9', r == '+', r == '=', r == '<', r == '>', r == '~', r == '∼':
			w += 0.64
		case r == '.', r == ',', r == ':', r == ';', r == ' ', r == '·', r == '(', r == ')', r == '|', r == 'i', r == 'l', r == 'j', r == '\'':
			w += 0.36
		case r == '-', r == 'f', r == 't', r == 'r':
			w += 0.42
		case r == '−', r == '—', r == 'm', r == 'w', r == 'M', r == 'W', r == '‖':
			w += 0.9
		case r >= 'A' && r <= 'Z':
			w += 0.72
		default:
			w += 0.62
		}
	}
	if bold {
		w *= 1.12
	}
	return w * FontPx
}

// An Axis is what one axis of a plot shows.
type Axis struct {
	Lo, Hi float64
	Log    bool
	Name   string // the x axis's name, written in the bottom-left corner
}

// A LegendItem is one legend entry: a swatch and its label, or (with no
// Class) the plot's title in bold.
type LegendItem struct {
	Swatch, Class, Label string
	TextX, TextY         float64
	Title                bool
}

// A frame is the outline of a plot: the box, the title and legend rows
// above the plotting area, and the axes.
type frame struct {
	Size   Size
	Title  string // what the plot (or its colours) show, bold, first in the legend rows
	Legend []Line // the entries with a Label are listed
	X, Y   Axis
	Square bool    // the plotting area is a square (2D), centred
	BarW   float64 // room right of the plotting area for a colour bar and its labels
}

// laid is a frame laid out: its geometry, scales, ticks and legend.
type laid struct {
	Geo            Geom
	SX, SY         Scale
	XTicks, YTicks []AxisTick
	Legend         []LegendItem
	XName          string
	XNameX         float64
}

// layoutLegend flows the title and the legend entries in rows from x0 to
// x1, the first row's baseline at y; it returns the items and the rows.
// When the entries' labels take more than a row, their short forms are
// used if that saves a row.
func layoutLegend(title string, lines []Line, x0, x1, y float64) ([]LegendItem, int) {
	items, rows := flowLegend(title, lines, x0, x1, y, false)
	if rows > 1 {
		if short, r := flowLegend(title, lines, x0, x1, y, true); r < rows {
			return short, r
		}
	}
	return items, rows
}

func flowLegend(title string, lines []Line, x0, x1, y float64, short bool) ([]LegendItem, int) {
	var out []LegendItem
	x, rows := x0, 0
	place := func(w float64) {
		if rows == 0 {
			rows = 1
		} else if x > x0 && x+w > x1 {
			x, rows = x0, rows+1
		}
	}
	if title != "" {
		w := TextWidth(title, true)
		place(w)
		out = append(out, LegendItem{Label: title, TextX: x, TextY: y + rowH*float64(rows-1), Title: true})
		x += w + 12
	}
	for _, l := range lines {
		label := l.Label
		if short && l.Short != "" {
			label = l.Short
		}
		if label == "" {
			continue
		}
		w := 18 + TextWidth(label, false)
		place(w)
		ty := y + rowH*float64(rows-1)
		out = append(out, LegendItem{
			Swatch: "M" + px(x) + " " + px(ty-4) + "H" + px(x+14),
			Class:  l.Class, Label: label, TextX: x + 18, TextY: ty,
		})
		x += w + 12
	}
	return out, rows
}

// ticksOf returns about n ticks of an axis's values (powers of ten on a
// log axis), unplaced.
func ticksOf(a Axis, n int) []float64 {
	if a.Log {
		return chart.LogTicksN(a.Lo, a.Hi, n)
	}
	return chart.Ticks(a.Lo, a.Hi, n)
}

func maxLabelW(vs []float64, log bool) float64 {
	w := 0.0
	for _, v := range vs {
		w = math.Max(w, TextWidth(tickLabel(v, log), false))
	}
	return w
}

// tickLabel formats a tick: on a log axis, powers of ten beyond 0.01 …
// 1000 as 1e-4, 1e6, so that one axis never mixes 1M with 1e12.
func tickLabel(v float64, log bool) string {
	if log && (v < 1e-2 || v >= 1e4) {
		return chart.ExpTick(v)
	}
	return chart.Tick(v)
}

// layout places a frame in its box: the legend rows on top, the y tick
// labels on the left (as wide as they need), the x tick labels below, the
// x axis's name in the bottom-left corner, and a colour bar's room on the
// right. Tick labels never leave the box and never overlap.
func layout(f frame) laid {
	W, H := math.Max(f.Size.W, 120), math.Max(f.Size.H, 90)
	var out laid
	B := FontPx + tickGap + 6
	// The legend rows take what they need, unless that leaves the plot too
	// little: then the entries go (the hover readout still names every
	// value), and at last the title.
	title, entries := f.Title, f.Legend
	var T float64
	for try := 0; ; try++ {
		legend, rows := layoutLegend(title, entries, 4, W-4, 12)
		out.Legend, T = legend, 10
		if rows > 0 {
			T = rowH*float64(rows) + 10
		}
		if H-T-B >= 50 || try == 2 {
			break
		}
		if try == 0 {
			entries = nil
		} else {
			title = ""
		}
	}
	// y ticks: about one per 34 px.
	ny := int(math.Max(3, math.Min(6, (H-T-B)/34)))
	yv := ticksOf(f.Y, ny)
	L := maxLabelW(yv, f.Y.Log) + tickGap + 3
	if f.X.Name != "" {
		L = math.Max(L, TextWidth(f.X.Name, false)+10)
	}
	R := 6 + f.BarW
	// x ticks: as many as fit with their labels apart.
	wguess := math.Max(maxLabelW(ticksOf(f.X, 5), f.X.Log), 2*FontPx)
	nx := int(math.Max(3, math.Min(8, (W-L-R)/(wguess+16))))
	xv := ticksOf(f.X, nx)
	if n := len(xv); n > 0 && f.BarW == 0 {
		R = math.Max(R, TextWidth(chart.Tick(xv[n-1]), false)/2+2)
	}
	if f.Square {
		S := math.Max(40, math.Min(W-L-R, H-T-B))
		L += math.Max(0, (W-L-R-S)/2)
		R = W - L - S
		B = H - T - S
	}
	g := Geom{W: W, H: H, L: L, R: R, T: T, B: B}
	out.Geo = g
	out.SX, out.SY = g.X(f.X.Lo, f.X.Hi), g.Y(f.Y.Lo, f.Y.Hi)
	out.SX.Log, out.SY.Log = f.X.Log, f.Y.Log
	for _, v := range yv {
		out.YTicks = append(out.YTicks, AxisTick{Pos: out.SY.At(v), Label: tickLabel(v, f.Y.Log)})
	}
	// The x axis's name sits left of the first tick label.
	out.XName = f.X.Name
	out.XNameX = L - 8
	prevEnd := -4.0
	if f.X.Name != "" {
		prevEnd = L - 10
	}
	for _, v := range xv {
		lab := chart.Tick(v)
		pos := out.SX.At(v)
		w := TextWidth(lab, false)
		if pos-w/2 < prevEnd+4 || pos+w/2 > W-1 {
			continue // would overlap its neighbour or leave the box
		}
		out.XTicks = append(out.XTicks, AxisTick{Pos: pos, Label: lab})
		prevEnd = pos + w/2
	}
	return out
}
