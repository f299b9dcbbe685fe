package view

import (
	"math"
	"math/rand/v2"
	"strconv"

	"nceplay/chart"
	"nceplay/core/density"
	"nceplay/wasm/wire"
)

// Painting is the Samples panel's paint mode in 2D (docs/spec.md#data):
// the points the user painted, kept on the page and drawn at once; the
// page sends them to the worker to become the data key only after a
// stroke ends. A dab of the brush adds PaintPerDab points spread
// uniformly over a disc of radius R around the pointer, from a PCG
// seeded by the stroke's and the dab's numbers, so the same strokes give
// the same points; points outside the data box (density.DataBox) are
// refused, and at most density.MaxDataPoints are kept. Erasing removes
// the points within R of the pointer.
type Painting struct {
	Pts     []float64 // x, y pairs, in the order painted
	R       float64   // the brush's radius, in data units
	Erasing bool
	strokes int // strokes begun (seeds the dabs)
	dabs    int // dabs of the current stroke
	lx, ly  float64
	full    bool // a dab was cut short by the cap
}

// PaintPerDab is the number of points one dab of the brush adds.
const PaintPerDab = 8

// BrushRadii are the brush sizes the page offers (its size control's
// positions), in data units; BrushDefault is the index of the default.
var BrushRadii = []float64{0.1, 0.2, 0.3, 0.5, 0.8}

const BrushDefault = 2

// Radius returns the brush's radius (the default before a size is set).
func (p *Painting) Radius() float64 {
	if p.R > 0 {
		return p.R
	}
	return BrushRadii[BrushDefault]
}

// N returns the number of points painted.
func (p *Painting) N() int { return len(p.Pts) / 2 }

// Begin starts a stroke at (x, y): one dab there. It reports whether the
// points changed.
func (p *Painting) Begin(x, y float64) bool {
	p.strokes++
	p.dabs = 0
	p.full = false
	return p.dab(x, y)
}

// Move continues the stroke to (x, y): a dab when the pointer has moved
// at least half the radius since the last one (so a drag lays an even
// trail, however often the browser reports it).
func (p *Painting) Move(x, y float64) bool {
	r := p.Radius()
	if math.Hypot(x-p.lx, y-p.ly) < r/2 {
		return false
	}
	return p.dab(x, y)
}

// Full reports whether the last stroke met the cap on the number of
// points.
func (p *Painting) Full() bool { return p.full }

func (p *Painting) dab(x, y float64) bool {
	p.lx, p.ly = x, y
	p.dabs++
	r := p.Radius()
	if p.Erasing {
		keep := p.Pts[:0]
		for i := 0; i+1 < len(p.Pts); i += 2 {
			if math.Hypot(p.Pts[i]-x, p.Pts[i+1]-y) > r {
				keep = append(keep, p.Pts[i], p.Pts[i+1])
			}
		}
		changed := len(keep) != len(p.Pts)
		p.Pts = keep
		return changed
	}
	b := density.DataBox(2)
	g := rand.New(rand.NewPCG(uint64(p.strokes), uint64(p.dabs)))
	added := false
	for range PaintPerDab {
		if p.N() >= density.MaxDataPoints {
			p.full = true
			break
		}
		rho, phi := r*math.Sqrt(g.Float64()), 2*math.Pi*g.Float64()
		px, py := x+rho*math.Cos(phi), y+rho*math.Sin(phi)
		if px < b.Lo[0] || px > b.Hi[0] || py < b.Lo[1] || py > b.Hi[1] {
			continue
		}
		p.Pts = append(p.Pts, px, py)
		added = true
	}
	return added
}

// Clear removes every point.
func (p *Painting) Clear() { p.Pts = p.Pts[:0] }

// Points returns a copy of the points (for the worker).
func (p *Painting) Points() []float64 { return append([]float64(nil), p.Pts...) }

// paintFrame is a frame with the data box: the painted scatter's axes.
func paintFrame() *wire.Frame {
	return &wire.Frame{Dim: 2, Grid: wire.Grid{Box: density.DataBox(2)}}
}

// PaintedHeat is the Samples panel in paint mode: the painted points
// over the data box, no noise (it is fitted to the data once they are
// sent). pix, when given, is the scatter already painted; its Hover has
// no readout rows (no tip while painting) but maps the pointer to the
// data (ToData).
func PaintedHeat(sz Size, pal chart.Palette, p *Painting, pix []byte) Heat {
	legend := []Line{{Class: "legend-data", Label: "your points: " + strconv.Itoa(p.N())}}
	h, _ := newHeat(paintFrame(), sz, "nce-cv-samples", "Samples: paint your data", "", legend, 0)
	h.W, h.H = ScatterSize, ScatterSize
	h.Pix = pix
	if h.Pix == nil {
		h.Pix = make([]byte, 4*h.W*h.H)
		PaintPoints(h.Pix, p.Pts, pal)
	}
	h.Lines = legend
	return h
}

// PaintPoints draws painted points into a ScatterSize² scatter of the
// data box.
func PaintPoints(pix []byte, pts []float64, pal chart.Palette) {
	b := density.DataBox(2)
	PaintScatter(pix, ScatterSize, pts, b.Lo[0], b.Hi[0], b.Lo[1], b.Hi[1], pal.Data, 230)
}

// ToData returns the data point under pixel (x, y) of a 2D plot's box,
// and false outside its plotting area.
func (h *Hover) ToData(x, y float64) (float64, float64, bool) {
	g := h.Geo
	if x < g.L || x > g.W-g.R || y < g.T || y > g.H-g.B || g.W == 0 {
		return 0, 0, false
	}
	return h.SX.Inv(x), h.SY.Inv(y), true
}
