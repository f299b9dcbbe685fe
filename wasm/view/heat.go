package view

import (
	"math"

	"nceplay/chart"
	"nceplay/wasm/wire"
)

// A Heat is a 2D plot: a canvas of W×H RGBA pixels under an SVG with
// axes and contour lines, in pixel coordinates of Geo.
type Heat struct {
	ID             string // the canvas element's id
	Geo            Geom
	XTicks, YTicks []AxisTick
	Lines          []Line
	Title          string
	Pix            []byte
	W, H           int
	Seq            uint64 // identifies Pix: the page paints each Seq once per canvas
	ShowTitle      bool   // draw Title in the plot (when a panel has two)
}

// InnerW and InnerH are the plotting area's size in view-box pixels.
func (h *Heat) InnerW() float64 { return h.Geo.W - h.Geo.L - h.Geo.R }
func (h *Heat) InnerH() float64 { return h.Geo.H - h.Geo.T - h.Geo.B }

// LegendBox is a background for the legend.
func (h *Heat) LegendBox() string { return legendBox(h.Geo, len(h.LegendItems())) }

// Axes returns the SVG path of the frame around the plotting area.
func (h *Heat) Axes() string {
	g := h.Geo
	return "M" + px(g.L) + " " + px(g.T) + "H" + px(g.W-g.R) + "V" + px(g.H-g.B) + "H" + px(g.L) + "Z"
}

// Legend returns the labelled lines.
func (h *Heat) Legend() []Line {
	var out []Line
	for _, l := range h.Lines {
		if l.Label != "" {
			out = append(out, l)
		}
	}
	return out
}

func newHeat(f *wire.Frame, id, title string) (Heat, Scale, Scale) {
	x0, x1, y0, y1 := box(f)
	g := SquareGeom
	sx, sy := g.X(x0, x1), g.Y(y0, y1)
	return Heat{ID: id, Geo: g, XTicks: AxisTicks(sx, 5), YTicks: AxisTicks(sy, 5), Title: title}, sx, sy
}

// ScatterSize is the canvas size of the 2D scatter, in pixels.
const ScatterSize = 256

// PaintScatter draws the points (x, y pairs) as small opaque squares of
// the colour into a size×size RGBA image of the box (y upwards).
func PaintScatter(dst []byte, size int, pts []float32, x0, x1, y0, y1 float64, c chart.RGB, alpha uint8) {
	for i := 0; i+1 < len(pts); i += 2 {
		px := int((float64(pts[i]) - x0) / (x1 - x0) * float64(size))
		py := size - 1 - int((float64(pts[i+1])-y0)/(y1-y0)*float64(size))
		for dy := -1; dy <= 1; dy++ {
			for dx := -1; dx <= 1; dx++ {
				x, y := px+dx, py+dy
				if x < 0 || y < 0 || x >= size || y >= size {
					continue
				}
				p := (y*size + x) * 4
				dst[p], dst[p+1], dst[p+2], dst[p+3] = c.R, c.G, c.B, alpha
			}
		}
	}
}

// SamplesHeat2D is the Samples panel in 2D: a scatter of noise points
// (under) and data points (over).
func SamplesHeat2D(f *wire.Frame) Heat {
	h, _, _ := newHeat(f, "nce-cv-samples", "Samples")
	x0, x1, y0, y1 := box(f)
	h.W, h.H = ScatterSize, ScatterSize
	h.Pix = make([]byte, 4*h.W*h.H)
	PaintScatter(h.Pix, h.W, f.Noise, x0, x1, y0, y1, chart.Light.Noise, 200)
	PaintScatter(h.Pix, h.W, f.Data, x0, x1, y0, y1, chart.Light.Data, 230)
	h.Lines = []Line{{Class: "legend-data", Label: "data"}, {Class: "legend-noise", Label: "noise"}}
	return h
}

// ClassifierHeat2D is the Classifier panel in 2D: the learned P(1|x) as
// a heatmap with its ½ contour and the Bayes ½ contour (p̃ = kU).
func ClassifierHeat2D(f *wire.Frame) Heat {
	h, sx, sy := newHeat(f, "nce-cv-classifier", "Classifier")
	x0, x1, y0, y1 := box(f)
	res := f.Grid.Res
	h.W, h.H = res, res
	h.Pix = make([]byte, 4*res*res)
	Paint(h.Pix, f.Grid.PModel, res, 0, 1, chart.Diverging)
	h.Lines = []Line{
		{D: Contour(to64(f.Grid.PBayes), res, 0.5, x0, x1, y0, y1, sx, sy), Class: "contour-bayes", Label: "Bayes P = ½"},
		{D: Contour(to64(f.Grid.PModel), res, 0.5, x0, x1, y0, y1, sx, sy), Class: "contour-model", Label: "learned P = ½"},
	}
	return h
}

// DensityHeats2D is the Density panel in 2D: the true p̃ and the
// recovered p̂ as heatmaps on one colour scale (0 … the largest p̃).
func DensityHeats2D(f *wire.Frame) []Heat {
	res := f.Grid.Res
	pt, pm := f.Grid.LogTrue, f.Grid.LogModel
	_, hiT, ok := Range(pt)
	if !ok {
		hiT = 0
	}
	top := math.Exp(hiT)
	mk := func(id, title string, logv []float32) Heat {
		h, _, _ := newHeat(f, id, title)
		h.W, h.H = res, res
		h.Pix = make([]byte, 4*res*res)
		lin := make([]float32, len(logv))
		for i, v := range logv {
			lin[i] = float32(math.Exp(float64(v)))
		}
		Paint(h.Pix, lin, res, 0, top, chart.Viridis)
		h.ShowTitle = true
		return h
	}
	return []Heat{mk("nce-cv-density-true", "p̃ (true)", pt), mk("nce-cv-density-model", "p̂ (recovered)", pm)}
}
