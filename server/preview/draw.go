package preview

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strconv"

	"golang.org/x/image/vector"
)

// The palette of the preview.
var (
	colBackground = color.RGBA{0xff, 0xff, 0xff, 0xff}
	colInk        = color.RGBA{0x1f, 0x23, 0x28, 0xff}
	colMuted      = color.RGBA{0x5f, 0x66, 0x70, 0xff}
	colGrid       = color.RGBA{0xe6, 0xe8, 0xeb, 0xff}
	colAxis       = color.RGBA{0x9a, 0xa0, 0xa6, 0xff}
	colTrue       = color.RGBA{0x2b, 0x2f, 0x36, 0xff} // p̃
	colTrueFill   = color.NRGBA{0x2b, 0x2f, 0x36, 0x22}
	colModel      = color.RGBA{0xe3, 0x6c, 0x0a, 0xff} // p̂
	colNoise      = color.RGBA{0x3b, 0x82, 0xc4, 0xff} // U
	colAccent     = color.RGBA{0x6a, 0x3d, 0x9a, 0xff}
	colWarn       = color.RGBA{0xb4, 0x23, 0x18, 0xff}
)

// fillRect fills r with c (alpha-blended).
func fillRect(dst draw.Image, r image.Rectangle, c color.Color) {
	draw.Draw(dst, r, image.NewUniform(c), image.Point{}, draw.Over)
}

// pt is a point in pixel coordinates.
type pt struct{ x, y float64 }

// strokePolyline draws the polyline p with the given width in pixels,
// anti-aliased. Points with a NaN coordinate break the line.
func strokePolyline(dst draw.Image, p []pt, width float64, c color.Color) {
	z, b := rasterizerFor(dst, p, width)
	addStroke(z, shift(p, b.Min), width/2)
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}

// rasterizerFor returns a rasterizer covering only the bounding box of p
// grown by pad (clipped to dst), and that box: drawing costs in
// proportion to the area rasterized.
func rasterizerFor(dst draw.Image, p []pt, pad float64) (*vector.Rasterizer, image.Rectangle) {
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
	return vector.NewRasterizer(b.Dx(), b.Dy()), b
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
// coverage saturates where they overlap).
func addStroke(z *vector.Rasterizer, p []pt, hw float64) {
	valid := func(q pt) bool { return !math.IsNaN(q.x) && !math.IsNaN(q.y) }
	for i := range p {
		if !valid(p[i]) {
			continue
		}
		disc(z, p[i], hw)
		if i == 0 || !valid(p[i-1]) {
			continue
		}
		a, e := p[i-1], p[i]
		dx, dy := e.x-a.x, e.y-a.y
		l := math.Hypot(dx, dy)
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
	z, b := rasterizerFor(dst, p, width)
	p = shift(p, b.Min)
	var seg []pt
	flush := func() {
		if len(seg) > 1 {
			addStroke(z, seg, width/2)
		}
		seg = seg[:0]
	}
	dist, drawing := 0.0, true
	for i := 1; i < len(p); i++ {
		a, e := p[i-1], p[i]
		if math.IsNaN(a.y) || math.IsNaN(e.y) {
			flush()
			continue
		}
		l := math.Hypot(e.x-a.x, e.y-a.y)
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
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
}

// fillArea fills the region between the polyline p and the horizontal
// line y = base.
func fillArea(dst draw.Image, p []pt, base float64, c color.Color) {
	if len(p) < 2 {
		return
	}
	z, b := rasterizerFor(dst, append(p, pt{p[0].x, base}), 0)
	p = shift(p, b.Min)
	base -= float64(b.Min.Y)
	z.MoveTo(f32(p[0].x), f32(base))
	for _, q := range p {
		y := q.y
		if math.IsNaN(y) {
			y = base
		}
		z.LineTo(f32(q.x), f32(y))
	}
	z.LineTo(f32(p[len(p)-1].x), f32(base))
	z.ClosePath()
	z.Draw(dst, b, image.NewUniform(c), image.Point{})
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

// niceTicks returns about n round tick values covering [lo, hi]: steps of
// 1, 2 or 5 times a power of ten.
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || math.IsInf(hi-lo, 0) || n < 1 {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for v := math.Ceil(lo/step-1e-9) * step; v <= hi+step*1e-9; v += step {
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		ticks = append(ticks, v)
		if len(ticks) > 50 {
			break
		}
	}
	return ticks
}

// tickLabel formats a tick value compactly ("0.5", "2", "1e-05", "−3").
func tickLabel(v float64) string {
	s := strconv.FormatFloat(v, 'g', 4, 64)
	if v < 0 {
		s = "−" + s[1:]
	}
	return s
}

// num formats a metric with 3 significant digits ("0.0123", "1.25e+03"),
// "n/a" for NaN.
func num(v float64) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case math.IsInf(v, 1):
		return "∞"
	case math.IsInf(v, -1):
		return "−∞"
	}
	s := strconv.FormatFloat(v, 'g', 3, 64)
	if v < 0 {
		s = "−" + s[1:]
	}
	return s
}

// viridis is matplotlib's viridis colour map, sampled at 9 points.
var viridis = [...][3]float64{
	{68, 1, 84}, {71, 44, 122}, {59, 81, 139}, {44, 113, 142}, {33, 144, 141},
	{39, 173, 129}, {92, 200, 99}, {170, 220, 50}, {253, 231, 37},
}

// viridisAt maps t in [0, 1] (clamped) to its colour.
func viridisAt(t float64) color.RGBA {
	if !(t > 0) {
		t = 0
	}
	if t > 1 {
		t = 1
	}
	f := t * float64(len(viridis)-1)
	i := int(f)
	if i >= len(viridis)-1 {
		i = len(viridis) - 2
	}
	u := f - float64(i)
	a, b := viridis[i], viridis[i+1]
	return color.RGBA{
		uint8(a[0] + (b[0]-a[0])*u + 0.5),
		uint8(a[1] + (b[1]-a[1])*u + 0.5),
		uint8(a[2] + (b[2]-a[2])*u + 0.5),
		0xff,
	}
}
