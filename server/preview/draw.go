package preview

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"golang.org/x/image/vector"

	"nceplay/chart"
)

// The palette of the preview: package chart's light theme, the page's.
var (
	pal           = chart.Light
	colBackground = rgba(pal.Panel)
	colInk        = rgba(pal.Fg)
	colMuted      = rgba(pal.Muted)
	colGrid       = rgba(pal.Grid)
	colAxis       = rgba(pal.Axis)
	colTrue       = rgba(pal.Truth) // p̃
	colTrueFill   = color.NRGBA{pal.Truth.R, pal.Truth.G, pal.Truth.B, 0x22}
	colModel      = rgba(pal.Model) // p̂
	colNoise      = rgba(pal.Noise) // U
	colAccent     = rgba(pal.Accent)
	colWarn       = rgba(pal.Warn)
)

// rgba converts a chart colour.
func rgba(c chart.RGB) color.RGBA { return color.RGBA{c.R, c.G, c.B, 0xff} }

// fillRect fills r with c (alpha-blended).
func fillRect(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Over)
}

// pt is a point in pixel coordinates.
type pt struct{ x, y float64 }

// strokePolyline draws the polyline p with the given width in pixels,
// anti-aliased. Points with a NaN coordinate break the line.
func strokePolyline(dst draw.Image, p []pt, width float64, c color.Color) {
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
func bounds(dst draw.Image, p []pt, pad float64) image.Rectangle {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, q := range p {
		if math.IsNaN(q.x) || math.IsNaN(q.y) {
			continue
		}
		x0, y0, x1, y1 = math.Min(x0, q.x), math.Min(y0, q.y), math.Max(x1, q.x), math.Max(y1, q.y)
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
func shift(p []pt, o image.Point) []pt {
	out := make([]pt, len(p))
	for i, q := range p {
		out[i] = pt{q.x - float64(o.X), q.y - float64(o.Y)}
	}
	return out
}

// addStroke adds the outline of the polyline p with half-width hw to z:
// one quad per segment and a round cap at every vertex (the rasterizer's
// coverage saturates where they overlap). Each is a closed path, which
// changes no pixel outside its bounding box, so those that miss z's
// bounds are left out (a tile of paint rasterizes only its share).
func addStroke(z *vector.Rasterizer, p []pt, hw float64) {
	size := z.Size()
	w, h := float64(size.X), float64(size.Y)
	misses := func(x0, y0, x1, y1 float64) bool { return x1 < 0 || y1 < 0 || x0 > w || y0 > h }
	valid := func(q pt) bool { return !math.IsNaN(q.x) && !math.IsNaN(q.y) }
	for i := range p {
		if !valid(p[i]) {
			continue
		}
		c := p[i]
		if !misses(c.x-hw, c.y-hw, c.x+hw, c.y+hw) {
			disc(z, c, hw)
		}
		if i == 0 || !valid(p[i-1]) {
			continue
		}
		a, e := p[i-1], p[i]
		if misses(math.Min(a.x, e.x)-hw, math.Min(a.y, e.y)-hw, math.Max(a.x, e.x)+hw, math.Max(a.y, e.y)+hw) {
			continue
		}
		dx, dy := e.x-a.x, e.y-a.y
		l := math.Sqrt(dx*dx + dy*dy) // not math.Hypot: assembly on amd64, so wasm could round differently
		if l == 0 {
			continue
		}
		nx, ny := -dy/l*hw, dx/l*hw
		z.MoveTo(f32(a.x+nx), f32(a.y+ny))
		z.LineTo(f32(e.x+nx), f32(e.y+ny))
		z.LineTo(f32(e.x-nx), f32(e.y-ny))
		z.LineTo(f32(a.x-nx), f32(a.y-ny))
		z.ClosePath()
	}
}

// strokeDashed draws p as dashes of on pixels separated by off pixels.
func strokeDashed(dst draw.Image, p []pt, width, on, off float64, c color.Color) {
	var dashes [][]pt
	var seg []pt
	flush := func() {
		if len(seg) > 1 {
			dashes = append(dashes, seg)
		}
		seg = nil
	}
	dist, drawing := 0.0, true
	for i := 1; i < len(p); i++ {
		a, e := p[i-1], p[i]
		if math.IsNaN(a.y) || math.IsNaN(e.y) {
			flush()
			continue
		}
		l := math.Sqrt((e.x-a.x)*(e.x-a.x) + (e.y-a.y)*(e.y-a.y))
		t := 0.0
		for t < l {
			lim := on
			if !drawing {
				lim = off
			}
			step := math.Min(lim-dist, l-t)
			q0 := pt{a.x + (e.x-a.x)*t/l, a.y + (e.y-a.y)*t/l}
			t += step
			dist += step
			q1 := pt{a.x + (e.x-a.x)*t/l, a.y + (e.y-a.y)*t/l}
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

// fillArea fills the region between the polyline p and the horizontal
// line y = base.
func fillArea(dst draw.Image, p []pt, base float64, c color.Color) {
	if len(p) < 2 {
		return
	}
	b := bounds(dst, append(p[:len(p):len(p)], pt{p[0].x, base}), 0)
	paint(dst, b, c, func(z *vector.Rasterizer, o image.Point) {
		q := shift(p, o)
		bo := base - float64(o.Y)
		z.MoveTo(f32(q[0].x), f32(bo))
		for _, v := range q {
			y := v.y
			if math.IsNaN(y) {
				y = bo
			}
			z.LineTo(f32(v.x), f32(y))
		}
		z.LineTo(f32(q[len(q)-1].x), f32(bo))
		z.ClosePath()
	})
}

// disc adds a polygonal disc of radius r around c to z, wound the same
// way as addStroke's quads (opposite windings would cancel).
func disc(z *vector.Rasterizer, c pt, r float64) {
	const n = 12
	z.MoveTo(f32(c.x+r), f32(c.y))
	for i := 1; i < n; i++ {
		a := -2 * math.Pi * float64(i) / n
		z.LineTo(f32(c.x+r*math.Cos(a)), f32(c.y+r*math.Sin(a)))
	}
	z.ClosePath()
}

func f32(v float64) float32 { return float32(v) }
