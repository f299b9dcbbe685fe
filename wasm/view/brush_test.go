package view

import (
	"math"
	"reflect"
	"testing"

	"nceplay/chart"
	"nceplay/core/density"
)

// TestPainting: a dab adds PaintPerDab points inside the brush's disc,
// the same ones for the same strokes; a drag dabs every half radius;
// points outside the data box are refused; erasing removes exactly the
// points under the brush; the cap holds; Clear empties.
func TestPainting(t *testing.T) {
	var p Painting
	if !p.Begin(1, -1) || p.N() != PaintPerDab {
		t.Fatalf("one dab: %d points, want %d", p.N(), PaintPerDab)
	}
	r := p.Radius()
	for i := 0; i < len(p.Pts); i += 2 {
		if d := math.Hypot(p.Pts[i]-1, p.Pts[i+1]+1); d > r {
			t.Errorf("point %d at %g from the pointer, outside the brush (r = %g)", i/2, d, r)
		}
	}
	if p.Move(1+r/4, -1) || p.N() != PaintPerDab {
		t.Errorf("a move of r/4 dabbed: %d points", p.N())
	}
	if !p.Move(1+r, -1) || p.N() != 2*PaintPerDab {
		t.Errorf("a move of r did not dab: %d points", p.N())
	}
	var q Painting
	q.Begin(1, -1)
	q.Move(1+r, -1)
	if !reflect.DeepEqual(p.Pts, q.Pts) {
		t.Error("the same strokes gave different points")
	}
	q.Begin(1, -1)
	if reflect.DeepEqual(q.Pts[:2*PaintPerDab], q.Pts[2*PaintPerDab:4*PaintPerDab]) {
		t.Error("a second stroke repeated the first's points")
	}

	// The box's corner: only the points inside are kept.
	var c Painting
	c.R = 0.5
	for range 20 {
		c.Begin(4, 4)
	}
	if c.N() == 0 || c.N() >= 20*PaintPerDab {
		t.Errorf("at the corner %d of %d points kept; want some, not all", c.N(), 20*PaintPerDab)
	}
	b := density.DataBox(2)
	for i := 0; i < len(c.Pts); i += 2 {
		if c.Pts[i] > b.Hi[0] || c.Pts[i+1] > b.Hi[1] {
			t.Fatalf("point (%g, %g) outside the box", c.Pts[i], c.Pts[i+1])
		}
	}

	// Erase: everything within r of (1, -1) goes, the rest stays.
	p.Begin(-2, 2)
	n := p.N()
	p.Erasing = true
	if !p.Begin(1, -1) {
		t.Fatal("erasing under the first dab removed nothing")
	}
	for i := 0; i < len(p.Pts); i += 2 {
		if math.Hypot(p.Pts[i]-1, p.Pts[i+1]+1) <= r {
			t.Errorf("point (%g, %g) under the eraser stayed", p.Pts[i], p.Pts[i+1])
		}
	}
	if p.N() < PaintPerDab || p.N() >= n {
		t.Errorf("after erasing: %d points of %d", p.N(), n)
	}
	p.Clear()
	if p.N() != 0 {
		t.Errorf("Clear left %d points", p.N())
	}

	// The cap.
	var f Painting
	f.Pts = make([]float64, 2*(density.MaxDataPoints-3))
	f.Begin(0, 0)
	if f.N() != density.MaxDataPoints || !f.Full() {
		t.Errorf("at the cap: %d points, full %v", f.N(), f.Full())
	}
}

// TestPaintedHeat: the paint mode's scatter spans the data box, its
// pointer maps back to the data (ToData inverts the axes, and refuses the
// margins), and its pixels show the points in the data colour.
func TestPaintedHeat(t *testing.T) {
	var p Painting
	p.Begin(0, 0)
	h := PaintedHeat(Size{W: 400, H: 400}, chart.Light, &p, nil)
	if h.Hover.SX.D0 != -4 || h.Hover.SX.D1 != 4 || h.Hover.SY.D0 != -4 || h.Hover.SY.D1 != 4 {
		t.Fatalf("axes %+v %+v, want the data box [-4, 4]²", h.Hover.SX, h.Hover.SY)
	}
	for _, v := range [][2]float64{{0, 0}, {-3.5, 2}, {3.9, -3.9}} {
		x, y, ok := h.Hover.ToData(h.Hover.SX.At(v[0]), h.Hover.SY.At(v[1]))
		if !ok || math.Abs(x-v[0]) > 1e-9 || math.Abs(y-v[1]) > 1e-9 {
			t.Errorf("ToData(At(%v)) = %g, %g, %v", v, x, y, ok)
		}
	}
	if _, _, ok := h.Hover.ToData(1, 1); ok {
		t.Error("the top-left margin maps to the data")
	}
	if h.Hover.Text(h.Hover.SX.At(0), h.Hover.SY.At(0)) != "" {
		t.Error("paint mode shows a hover readout")
	}
	// Pixels in the data colour lie only around the dab: within its radius
	// (0.3 of 8 units: 10 px of 256) plus a point's 1 px square.
	d := chart.Light.Data
	in, out := 0, 0
	for y := range ScatterSize {
		for x := range ScatterSize {
			q := (y*ScatterSize + x) * 4
			if h.Pix[q+3] == 0 {
				continue
			}
			if h.Pix[q] != d.R || h.Pix[q+1] != d.G || h.Pix[q+2] != d.B {
				t.Fatalf("pixel (%d, %d) is %v, not the data colour", x, y, h.Pix[q:q+4])
			}
			if math.Hypot(float64(x)-ScatterSize/2, float64(y)-ScatterSize/2) <= 0.3*ScatterSize/8+2.5 {
				in++
			} else {
				out++
			}
		}
	}
	if in == 0 || out != 0 {
		t.Errorf("painted pixels: %d under the dab, %d elsewhere", in, out)
	}
	if h.Legend[0].Label != "your points: 8" {
		t.Errorf("legend %q", h.Legend[0].Label)
	}
}
