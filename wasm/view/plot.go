package view

import (
	"math"
	"strconv"
	"strings"

	"nceplay/chart"
)

// A Scale maps a data interval [D0, D1] linearly (or, with Log, in log10)
// onto a pixel interval [R0, R1].
type Scale struct {
	D0, D1, R0, R1 float64
	Log            bool
}

// At returns the pixel position of v.
func (s Scale) At(v float64) float64 {
	d0, d1 := s.D0, s.D1
	if s.Log {
		v, d0, d1 = math.Log10(v), math.Log10(d0), math.Log10(d1)
	}
	if d1 == d0 {
		return (s.R0 + s.R1) / 2
	}
	return s.R0 + (v-d0)/(d1-d0)*(s.R1-s.R0)
}

// Inv returns the data value at pixel position p (the inverse of At).
func (s Scale) Inv(p float64) float64 {
	if s.R1 == s.R0 {
		return s.D0
	}
	t := (p - s.R0) / (s.R1 - s.R0)
	if s.Log {
		return math.Pow(10, math.Log10(s.D0)+t*(math.Log10(s.D1)-math.Log10(s.D0)))
	}
	return s.D0 + t*(s.D1-s.D0)
}

// Geom is the geometry of one plot in an SVG view box: the view box is
// W×H and the plotting area leaves the margins L, R, T, B for axes.
type Geom struct {
	W, H, L, R, T, B float64
}

// X returns the x scale of the frame for the data interval [lo, hi].
func (f Geom) X(lo, hi float64) Scale { return Scale{D0: lo, D1: hi, R0: f.L, R1: f.W - f.R} }

// Y returns the y scale (pixels grow downwards) for [lo, hi].
func (f Geom) Y(lo, hi float64) Scale { return Scale{D0: lo, D1: hi, R0: f.H - f.B, R1: f.T} }

// ViewBox returns the SVG viewBox attribute.
func (f Geom) ViewBox() string { return "0 0 " + px(f.W) + " " + px(f.H) }

// px formats a pixel coordinate with at most one decimal: the shortest
// form of v rounded to tenths ("12", "12.3", "-0.5"; never "-0"). Plots
// write thousands a frame, so it formats the integer count of tenths
// instead of the float (TestPx checks it against strconv).
func px(v float64) string {
	t := math.Round(v * 10)
	if !(math.Abs(t) < 1e15) { // NaN, ±Inf, or too large for exact tenths
		return strconv.FormatFloat(t/10, 'f', -1, 64)
	}
	n := int64(t)
	var buf [24]byte
	i := len(buf)
	neg := n < 0
	if neg {
		n = -n
	}
	if d := n % 10; d != 0 {
		i -= 2
		buf[i], buf[i+1] = '.', byte('0'+d)
	}
	n /= 10
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// Px is px for templates.
func Px(v float64) string { return px(v) }

// Path returns an SVG path through the points (xs[i], ys[i]); a point with a
// non-finite y (or y ≤ 0 on a log scale) breaks the line. A curve that
// leaves the y scale's range is cut where it leaves and resumes where it
// comes back, so it never draws a false plateau along an edge nor spills
// over the axis labels.
func Path(xs, ys []float64, sx, sy Scale) string {
	var b strings.Builder
	top, bottom := min(sy.R0, sy.R1), max(sy.R0, sy.R1)
	havePrev, pen := false, false
	var prevX, prevY, penX, penY float64
	pt := func(c byte, x, y float64) {
		b.WriteByte(c)
		b.WriteString(px(x) + " " + px(y))
	}
	for i := range xs {
		y := ys[i]
		if math.IsNaN(y) || math.IsInf(y, 0) || (sy.Log && y <= 0) {
			havePrev, pen = false, false
			continue
		}
		cx, cy := sx.At(xs[i]), sy.At(y)
		if !havePrev {
			if i+1 >= len(xs) && cy >= top && cy <= bottom {
				pt('M', cx, cy)
			}
			prevX, prevY, havePrev = cx, cy, true
			continue
		}
		// Clip the segment to the band top ≤ y ≤ bottom.
		t0, t1 := 0.0, 1.0
		dy := cy - prevY
		for _, edge := range [2]struct {
			y    float64
			keep float64 // +1: keep y ≥ edge; −1: keep y ≤ edge
		}{{top, 1}, {bottom, -1}} {
			if dy == 0 {
				if (prevY-edge.y)*edge.keep < 0 {
					t0, t1 = 1, 0
				}
				continue
			}
			t := (edge.y - prevY) / dy
			if dy*edge.keep > 0 {
				t0 = math.Max(t0, t)
			} else {
				t1 = math.Min(t1, t)
			}
		}
		if t0 < t1 {
			ax, ay := prevX+t0*(cx-prevX), prevY+t0*dy
			ex, ey := prevX+t1*(cx-prevX), prevY+t1*dy
			if !pen || ax != penX || ay != penY {
				pt('M', ax, ay)
			}
			pt('L', ex, ey)
			pen, penX, penY = true, ex, ey
		} else {
			pen = false
		}
		prevX, prevY = cx, cy
	}
	return b.String()
}

// Bars returns an SVG path of a histogram: bins of equal width over
// [lo, hi] with the given heights, as one filled outline from the y
// scale's bottom (so neighbouring bars leave no seam between them).
// Heights beyond the scale are drawn at its edge.
func Bars(lo, hi float64, heights []float64, sx, sy Scale) string {
	n := len(heights)
	if n == 0 {
		return ""
	}
	w := (hi - lo) / float64(n)
	bottom, top := max(sy.R0, sy.R1), min(sy.R0, sy.R1)
	y := func(h float64) float64 {
		if !(h > 0) || sy.Log && h <= min(sy.D0, sy.D1) {
			return bottom
		}
		return math.Min(bottom, math.Max(sy.At(h), top))
	}
	var b strings.Builder
	b.WriteString("M" + px(sx.At(lo)) + " " + px(bottom))
	for i, h := range heights {
		b.WriteString("V" + px(y(h)) + "H" + px(sx.At(lo+float64(i+1)*w)))
	}
	b.WriteString("V" + px(bottom) + "Z")
	return b.String()
}

// Crossings returns the x positions where ys crosses level, interpolated
// linearly between neighbouring samples.
func Crossings(xs, ys []float64, level float64) []float64 {
	var out []float64
	for i := 1; i < len(xs); i++ {
		a, b := ys[i-1]-level, ys[i]-level
		if math.IsNaN(a) || math.IsNaN(b) || a == 0 && b == 0 {
			continue
		}
		if a == 0 {
			if i == 1 {
				out = append(out, xs[0])
			}
			continue
		}
		if (a < 0) != (b < 0) || b == 0 {
			t := a / (a - b)
			out = append(out, xs[i-1]+t*(xs[i]-xs[i-1]))
		}
	}
	return out
}

// Contour returns an SVG path of the level set vals = level of a res×res
// grid (row-major, x fastest, y increasing; sample (ix, iy) sits at the
// centre of its cell of the box [x0, x1]×[y0, y1]) by marching squares,
// as separate segments.
func Contour(vals []float64, res int, level float64, x0, x1, y0, y1 float64, sx, sy Scale) string {
	var b strings.Builder
	hx, hy := (x1-x0)/float64(res), (y1-y0)/float64(res)
	cx := func(i float64) float64 { return x0 + (i+0.5)*hx }
	cy := func(j float64) float64 { return y0 + (j+0.5)*hy }
	seg := func(ax, ay, bx, by float64) {
		b.WriteString("M" + px(sx.At(cx(ax))) + " " + px(sy.At(cy(ay))) + "L" + px(sx.At(cx(bx))) + " " + px(sy.At(cy(by))))
	}
	frac := func(a, b float64) float64 {
		if a == b {
			return 0.5
		}
		return (level - a) / (b - a)
	}
	for j := 0; j+1 < res; j++ {
		for i := 0; i+1 < res; i++ {
			v00, v10 := vals[j*res+i], vals[j*res+i+1]
			v01, v11 := vals[(j+1)*res+i], vals[(j+1)*res+i+1]
			if math.IsNaN(v00 + v10 + v01 + v11) {
				continue
			}
			code := 0
			if v00 > level {
				code |= 1
			}
			if v10 > level {
				code |= 2
			}
			if v11 > level {
				code |= 4
			}
			if v01 > level {
				code |= 8
			}
			if code == 0 || code == 15 {
				continue
			}
			fi, fj := float64(i), float64(j)
			// Edge points: bottom (00–10), right (10–11), top (01–11), left (00–01).
			bx, by := fi+frac(v00, v10), fj
			rx, ry := fi+1, fj+frac(v10, v11)
			tx, ty := fi+frac(v01, v11), fj+1
			lx, ly := fi, fj+frac(v00, v01)
			switch code {
			case 1, 14:
				seg(lx, ly, bx, by)
			case 2, 13:
				seg(bx, by, rx, ry)
			case 3, 12:
				seg(lx, ly, rx, ry)
			case 4, 11:
				seg(rx, ry, tx, ty)
			case 6, 9:
				seg(bx, by, tx, ty)
			case 7, 8:
				seg(lx, ly, tx, ty)
			case 5:
				seg(lx, ly, bx, by)
				seg(rx, ry, tx, ty)
			case 10:
				seg(bx, by, rx, ry)
				seg(lx, ly, tx, ty)
			}
		}
	}
	return b.String()
}

// An AxisTick is one labelled tick at pixel position Pos.
type AxisTick struct {
	Pos   float64
	Label string
}

// AxisTicks returns the ticks of a scale, about n of them (powers of ten
// for a log scale).
func AxisTicks(s Scale, n int) []AxisTick {
	lo, hi := min(s.D0, s.D1), max(s.D0, s.D1)
	var vs []float64
	if s.Log {
		vs = chart.LogTicks(lo, hi)
	} else {
		vs = chart.Ticks(lo, hi, n)
	}
	out := make([]AxisTick, len(vs))
	for i, v := range vs {
		out[i] = AxisTick{Pos: s.At(v), Label: chart.Tick(v)}
	}
	return out
}
