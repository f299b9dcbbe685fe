package labview

import (
	"math"

	"nceplay/chart"
	"nceplay/wasm/view"
)

// A Chart is one picture of a lab page: a view.Heat (its geometry, ticks,
// lines, legend and, when Pix is set, a canvas of pixels under the SVG)
// with axis labels, markers and text labels. Markers and labels with an
// Item ≥ 0 can be clicked (the page focuses that item).
type Chart struct {
	view.Heat
	XLabel, YLabel string
	Dots           []Dot
	Labels         []Label
	// Pixelated draws the canvas's pixels as crisp squares (a matrix),
	// not smoothed (a colour bar).
	Pixelated bool
	// ShowTitle draws the title in the plot (when a panel has two).
	ShowTitle bool
}

// The labs' plots are drawn in a fixed view box that the page scales to
// its slot: defaultGeom for a curve, squareGeom for a matrix or a map.
var (
	defaultGeom = view.Geom{W: 320, H: 220, L: 40, R: 10, T: 10, B: 26}
	squareGeom  = view.Geom{W: 300, H: 300, L: 34, R: 8, T: 8, B: 26}
)

// A Dot is a marker at pixel position (X, Y).
type Dot struct {
	X, Y  float64
	R     float64
	Class string
	Item  int
	Title string
}

// A Label is a text at pixel position (X, Y), anchored at its start.
type Label struct {
	X, Y  float64
	Text  string
	Class string
	Item  int
}

// HasCanvas reports whether the chart has pixels.
func (c *Chart) HasCanvas() bool { return c.Pix != nil }

// XLabelX etc. place the axis labels: x at the bottom right, y at the top
// left, inside the frame.
func (c *Chart) XLabelX() float64 { return c.Geo.W - c.Geo.R }
func (c *Chart) XLabelY() float64 { return c.Geo.H - 2 }
func (c *Chart) YLabelX() float64 { return c.Geo.L + 4 }
func (c *Chart) YLabelY() float64 { return c.Geo.T + 11 }

// newChart returns a chart of geometry g with ticks for the scales.
func newChart(id string, g view.Geom, sx, sy view.Scale, nx, ny int) Chart {
	return Chart{Heat: view.Heat{ID: id, Geo: g, XTicks: view.AxisTicks(sx, nx), YTicks: view.AxisTicks(sy, ny)}}
}

// PaintMatrix writes an n×n matrix (row-major, row 0 drawn at the top)
// into dst as RGBA pixels: value v is coloured cm((v − lo)/(hi − lo)); a
// value that is not finite is transparent (the panel shows through).
func PaintMatrix(dst []byte, vals []float32, n int, lo, hi float64, cm chart.ColorMap) {
	span := hi - lo
	if !(span > 0) {
		span = 1
	}
	for i, v := range vals[:n*n] {
		p := 4 * i
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			dst[p], dst[p+1], dst[p+2], dst[p+3] = 0, 0, 0, 0
			continue
		}
		c := cm((f - lo) / span)
		dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, 255
	}
}

// ColourBar returns a horizontal colour bar of the map over [lo, hi].
func ColourBar(id string, lo, hi float64, cm chart.ColorMap) Chart {
	g := view.Geom{W: 300, H: 42, L: 34, R: 8, T: 6, B: 24}
	sx := g.X(lo, hi)
	c := Chart{Heat: view.Heat{ID: id, Geo: g, XTicks: view.AxisTicks(sx, 6), W: 128, H: 1}}
	c.Pix = make([]byte, 4*c.W)
	for i := range c.W {
		col := cm((float64(i) + 0.5) / float64(c.W))
		c.Pix[4*i], c.Pix[4*i+1], c.Pix[4*i+2], c.Pix[4*i+3] = col.R, col.G, col.B, 255
	}
	return c
}

// paintDot draws a size×size square of colour c centred at pixel (x, y)
// of a w×h RGBA image.
func paintDot(dst []byte, w, h, x, y, size int, c chart.RGB) {
	r := size / 2
	for dy := -r; dy <= size-1-r; dy++ {
		for dx := -r; dx <= size-1-r; dx++ {
			px, py := x+dx, y+dy
			if px < 0 || py < 0 || px >= w || py >= h {
				continue
			}
			p := 4 * (py*w + px)
			dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, 255
		}
	}
}

// LegendItems places the chart's labelled lines in its top-right corner.
func (c *Chart) LegendItems() []view.LegendItem {
	var out []view.LegendItem
	g := c.Geo
	for _, l := range c.Lines {
		if l.Label == "" {
			continue
		}
		y := g.T + 9 + 11*float64(len(out))
		x1 := g.W - g.R - 4
		out = append(out, view.LegendItem{
			Swatch: "M" + view.Px(x1-14) + " " + view.Px(y-3) + "H" + view.Px(x1),
			Class:  l.Class, Label: l.Label, TextX: x1 - 18, TextY: y,
		})
	}
	return out
}

// LegendBox is the legend's background.
func (c *Chart) LegendBox() string {
	n := len(c.LegendItems())
	if n == 0 {
		return ""
	}
	g := c.Geo
	x1 := g.W - g.R - 1
	return "M" + view.Px(x1-118) + " " + view.Px(g.T+1) + "H" + view.Px(x1) + "V" + view.Px(g.T+4+11*float64(n)) + "H" + view.Px(x1-118) + "Z"
}
