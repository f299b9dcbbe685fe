// Package raster draws the project's pictures with Go's image packages
// and golang.org/x/image: anti-aliased polylines, dashes and filled areas,
// heatmaps through chart's colour maps, text in the Go fonts, and a plot's
// data-to-pixel mapping. The server's link previews (server/preview) and
// the animated GIFs (gifexport) share it, so their pictures look alike.
// Every result depends on its inputs alone, natively and in WebAssembly:
// the rasterizer runs in fixed point (tiles of at most 512 pixels) and no
// function here calls the platform's assembly maths.
package raster

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"nceplay/chart"
)

// RGBA converts a chart colour.
func RGBA(c chart.RGB) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }

// Translucent is c with alpha a (not premultiplied).
func Translucent(c chart.RGB, a uint8) color.NRGBA { return color.NRGBA{c.R, c.G, c.B, a} }

// FillRect fills r with c (alpha-blended).
func FillRect(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Over)
}

// Pt is a point in pixel coordinates.
type Pt struct{ X, Y float64 }

// StrokePolyline draws the polyline p with the given width in pixels,
// anti-aliased. Points with a NaN coordinate break the line.
func StrokePolyline(dst draw.Image, p []Pt, width float64, c color.Color) {
	paint(dst, bounds(dst, p, width), c, func(z *vector.Rasterizer, o image.Point) {
		addStroke(z, shift(p, o), width/2)
	})
}

// maxTile is the largest side of a rasterizer paint uses: up to 512 pixels
// x/image/vector works in fixed-point integers, beyond in float32 with
// SSE4.1 assembly on amd64 and plain Go elsewhere, which round
// differently — and the picture must be the same bytes in WebAssembly.
const maxTile = 512

// paint fills the path that add adds (in pixel coordinates shifted by −o)
// over the rectangle b of dst with c, anti-aliased, in tiles of at most
// maxTile² pixels. Each tile rasterizes the whole path (the rasterizer
// clips it exactly), so the tiles join without seams.
func paint(dst draw.Image, b image.Rectangle, c color.Color, add func(z *vector.Rasterizer, o image.Point)) {
	src := image.NewUniform(c)
	for y := b.Min.Y; y < b.Max.Y; y += maxTile {
		for x := b.Min.X; x < b.Max.X; x += maxTile {
			t := image.Rect(x, y, min(x+maxTile, b.Max.X), min(y+maxTile, b.Max.Y))
			z := vector.NewRasterizer(t.Dx(), t.Dy())
			add(z, t.Min)
			z.Draw(dst, t, src, image.Point{})
		}
	}
}

// bounds returns the bounding box of p grown by pad, clipped to dst:
// drawing costs in proportion to the area rasterized.
func bounds(dst draw.Image, p []Pt, pad float64) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range p {
		if math.IsNaN(q.X) || math.IsNaN(q.Y) {
			continue
		}
		x0, y0, x1, y1 = math.Min(x0, q.X), math.Min(y0, q.Y), math.Max(x1, q.X), math.Max(y1, q.Y)
	}
	b := dst.Bounds()
	if x0 <= x1 {
		b = b.Intersect(image.Rect(int(x0-pad-2), int(y0-pad-2), int(x1+pad+3), int(y1+pad+3)))
	}
	if b.Empty() {
		b = image.Rect(0, 0, 1, 1)
	}
	return b
}

// shift translates p by −o.
func shift(p []Pt, o image.Point) []Pt {
	out := make([]Pt, len(p))
	for i, q := range p {
		out[i] = Pt{q.X - float64(o.X), q.Y - float64(o.Y)}
	}
	return out
}

// addStroke adds the outline of the polyline p with half-width hw to z:
// one quad per segment and a round cap at every vertex (the rasterizer's
// coverage saturates where they overlap). Each is a closed path, which
// changes no pixel outside its bounding box, so those that miss z's
// bounds are left out (a tile of paint rasterizes only its share).
func addStroke(z *vector.Rasterizer, p []Pt, hw float64) {
	size := z.Size()
	w, h := float64(size.X), float64(size.Y)
	misses := func(x0, y0, x1, y1 float64) bool { return x1 < 0 || y1 < 0 || x0 > w || y0 > h }
	valid := func(q Pt) bool { return !math.IsNaN(q.X) && !math.IsNaN(q.Y) }
	for i := range p {
		if !valid(p[i]) {
			continue
		}
		c := p[i]
		if !misses(c.X-hw, c.Y-hw, c.X+hw, c.Y+hw) {
			disc(z, c, hw)
		}
		if i == 0 || !valid(p[i-1]) {
			continue
		}
		a, e := p[i-1], p[i]
		if misses(math.Min(a.X, e.X)-hw, math.Min(a.Y, e.Y)-hw, math.Max(a.X, e.X)+hw, math.Max(a.Y, e.Y)+hw) {
			continue
		}
		dx, dy := e.X-a.X, e.Y-a.Y
		l := math.Sqrt(dx*dx + dy*dy) // not math.Hypot: assembly on amd64, so wasm could round differently
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*hw, dx/l*hw
		z.MoveTo(f32(a.X+nx), f32(a.Y+ny))
		z.LineTo(f32(e.X+nx), f32(e.Y+ny))
		z.LineTo(f32(e.X-nx), f32(e.Y-ny))
		z.LineTo(f32(a.X-nx), f32(a.Y-ny))
		z.ClosePath()
	}
}

// StrokeDashed draws p as dashes of on pixels separated by off pixels.
func StrokeDashed(dst draw.Image, p []Pt, width, on, off float64, c color.Color) {
	var dashes [][]Pt
	var seg []Pt
	flush := func() {
		if len(seg) > 1 {
			dashes = append(dashes, seg)
		}
		seg = nil
	}
	dist, drawing := 0.0, true
	for i := 1; i < len(p); i++ {
		a, e := p[i-1], p[i]
		if math.IsNaN(a.Y) || math.IsNaN(e.Y) {
			flush()
			continue
		}
		l := math.Sqrt((e.X-a.X)*(e.X-a.X) + (e.Y-a.Y)*(e.Y-a.Y))
		t := 0.0
		for t < l {
			lim := on
			if !drawing {
				lim = off
			}
			step := math.Min(lim-dist, l-t)
			q0 := Pt{a.X + (e.X-a.X)*t/l, a.Y + (e.Y-a.Y)*t/l}
			t += step
			dist += step
			q1 := Pt{a.X + (e.X-a.X)*t/l, a.Y + (e.Y-a.Y)*t/l}
			if drawing {
				if len(seg) == 0 {
					seg = append(seg, q0)
				}
				seg = append(seg, q1)
			}
			if dist >= lim {
				if drawing {
					flush()
				}
				drawing, dist = !drawing, 0
			}
		}
	}
	flush()
	paint(dst, bounds(dst, p, width), c, func(z *vector.Rasterizer, o image.Point) {
		for _, d := range dashes {
			addStroke(z, shift(d, o), width/2)
		}
	})
}

// FillArea fills the region between the polyline p and the horizontal
// line y = base.
func FillArea(dst draw.Image, p []Pt, base float64, c color.Color) {
	if len(p) < 2 {
		return
	}
	b := bounds(dst, append(p[:len(p):len(p)], Pt{p[0].X, base}), 0)
	paint(dst, b, c, func(z *vector.Rasterizer, o image.Point) {
		q := shift(p, o)
		bo := base - float64(o.Y)
		z.MoveTo(f32(q[0].X), f32(bo))
		for _, v := range q {
			y := v.Y
			if math.IsNaN(y) {
				y = bo
			}
			z.LineTo(f32(v.X), f32(y))
		}
		z.LineTo(f32(q[len(q)-1].X), f32(bo))
		z.ClosePath()
	})
}

// disc adds a polygonal disc of radius r around c to z, wound the same
// way as addStroke's quads (opposite windings would cancel).
func disc(z *vector.Rasterizer, c Pt, r float64) {
	const n = 12
	z.MoveTo(f32(c.X+r), f32(c.Y))
	for i := 1; i < n; i++ {
		a := -2 * math.Pi * float64(i) / n
		z.LineTo(f32(c.X+r*math.Cos(a)), f32(c.Y+r*math.Sin(a)))
	}
	z.ClosePath()
}

func f32(v float64) float32 { return float32(v) }

// A Plot maps data coordinates to a pixel rectangle: x in [Lo, Hi] to
// [X0, X1], y in [YLo, YHi] to [Y1, Y0] (pixel y grows downwards).
type Plot struct {
	X0, Y0, X1, Y1 float64 // pixel box (Y0 top)
	Lo, Hi         float64 // x range
	YLo, YHi       float64 // y range
}

// PX is the pixel column of x.
func (p Plot) PX(x float64) float64 { return p.X0 + (x-p.Lo)/(p.Hi-p.Lo)*(p.X1-p.X0) }

// PY is the pixel row of y, clamped to one pixel above the box's top and
// its bottom (a curve that leaves the box runs along its edge).
func (p Plot) PY(y float64) float64 {
	v := p.Y1 - (y-p.YLo)/(p.YHi-p.YLo)*(p.Y1-p.Y0)
	return math.Max(p.Y0-1, math.Min(p.Y1, v))
}

// Heatmap fills r with the res×res grid v (row-major, x fastest, y up),
// bilinearly interpolated, each value divided by vmax and mapped through
// cm (which clamps to [0, 1]).
func Heatmap(img *image.RGBA, r image.Rectangle, res int, v []float64, vmax float64, cm chart.ColorMap) {
	w, h := r.Dx(), r.Dy()
	at := func(ix, iy int) float64 {
		ix = max(0, min(res-1, ix))
		iy = max(0, min(res-1, iy))
		return v[iy*res+ix]
	}
	for py := range h {
		fy := (float64(h-py)-0.5)/float64(h)*float64(res) - 0.5
		iy := int(math.Floor(fy))
		ty := fy - float64(iy)
		for px := range w {
			fx := (float64(px)+0.5)/float64(w)*float64(res) - 0.5
			ix := int(math.Floor(fx))
			tx := fx - float64(ix)
			val := (at(ix, iy)*(1-tx)+at(ix+1, iy)*tx)*(1-ty) + (at(ix, iy+1)*(1-tx)+at(ix+1, iy+1)*tx)*ty
			img.SetRGBA(r.Min.X+px, r.Min.Y+py, RGBA(cm(val/vmax)))
		}
	}
}
