package gifexport

import (
	"image"
	"image/color"
	"image/gif"
	"io"

	"nceplay/chart"
)

// palette is the GIF's fixed palette, built from the theme alone (so the
// quantization, and the bytes, depend on nothing else): the panel's
// background, ramps from it to every ink and line colour of the theme
// (anti-aliased edges and text are blends of the two), and the colour
// maps of the heatmaps, sampled finely. At most 256 colours.
func palette(p chart.Palette) color.Palette {
	var pal color.Palette
	seen := map[color.RGBA]bool{}
	add := func(c chart.RGB) {
		rc := color.RGBA{c.R, c.G, c.B, 0xff}
		if !seen[rc] && len(pal) < 256 {
			seen[rc] = true
			pal = append(pal, rc)
		}
	}
	blend := func(a, b chart.RGB, t float64) chart.RGB {
		mix := func(x, y uint8) uint8 { return uint8(float64(x) + t*(float64(y)-float64(x)) + 0.5) }
		return chart.RGB{R: mix(a.R, b.R), G: mix(a.G, b.G), B: mix(a.B, b.B)}
	}
	add(p.Panel)
	inks := []chart.RGB{p.Fg, p.Muted, p.Axis, p.Grid, p.Accent, p.Warn, p.Truth, p.Model, p.Noise, p.C, p.LogZ, p.KL}
	const steps = 7
	for _, ink := range inks {
		for i := 1; i <= steps; i++ {
			add(blend(p.Panel, ink, float64(i)/steps))
		}
	}
	for i := range 64 {
		add(chart.Diverging(float64(i) / 63))
	}
	n := 256 - len(pal) // the rest, evenly over viridis
	for i := range n {
		add(chart.Viridis(float64(i) / float64(n-1)))
	}
	return pal
}

// quantizer maps colours to their nearest palette entry (squared RGB
// distance, the first entry on a tie), remembering the answers: a frame
// has few distinct colours.
type quantizer struct {
	pal  color.Palette
	memo map[color.RGBA]uint8
}

func (q *quantizer) index(c color.RGBA) uint8 {
	if i, ok := q.memo[c]; ok {
		return i
	}
	best, bd := 0, int(^uint(0)>>1)
	for i, pc := range q.pal {
		p := pc.(color.RGBA)
		dr, dg, db := int(c.R)-int(p.R), int(c.G)-int(p.G), int(c.B)-int(p.B)
		if d := dr*dr + dg*dg + db*db; d < bd {
			best, bd = i, d
		}
	}
	q.memo[c] = uint8(best)
	return uint8(best)
}

// paletted quantizes img (opaque) to q's palette.
func (q *quantizer) paletted(img *image.RGBA) *image.Paletted {
	b := img.Bounds()
	out := image.NewPaletted(b, q.pal)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):]
		orow := out.Pix[out.PixOffset(b.Min.X, y):]
		last, li := color.RGBA{}, uint8(0) // most pixels repeat their left neighbour's colour
		for x := 0; x < b.Dx(); x++ {
			c := color.RGBA{row[4*x], row[4*x+1], row[4*x+2], 0xff}
			if x == 0 || c != last {
				last, li = c, q.index(c)
			}
			orow[x] = li
		}
	}
	return out
}

// changed returns the smallest rectangle holding every pixel where a and
// b differ (empty when none does).
func changed(a, b *image.Paletted) image.Rectangle {
	r := image.Rectangle{}
	bd := a.Bounds()
	for y := bd.Min.Y; y < bd.Max.Y; y++ {
		ra, rb := a.Pix[a.PixOffset(bd.Min.X, y):][:bd.Dx()], b.Pix[b.PixOffset(bd.Min.X, y):][:bd.Dx()]
		for x := range ra {
			if ra[x] != rb[x] {
				r = r.Union(image.Rect(bd.Min.X+x, y, bd.Min.X+x+1, y+1))
			}
		}
	}
	return r
}

// crop copies the rectangle r of m.
func crop(m *image.Paletted, r image.Rectangle) *image.Paletted {
	out := image.NewPaletted(r, m.Palette)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		copy(out.Pix[out.PixOffset(r.Min.X, y):][:r.Dx()], m.Pix[m.PixOffset(r.Min.X, y):])
	}
	return out
}

// animate draws every frame of r and returns the animation: the first
// frame whole, each next one only the rectangle where it differs from
// the one before (drawn over it: no disposal), each shown for o.Delay and
// the last for HoldLast; it loops forever.
func animate(r *recording, o Options) (*gif.GIF, error) {
	c, err := newCanvas(r, o)
	if err != nil {
		return nil, err
	}
	q := &quantizer{pal: palette(c.pal), memo: map[color.RGBA]uint8{}}
	g := &gif.GIF{LoopCount: 0, Config: image.Config{ColorModel: q.pal, Width: o.Width, Height: o.Height}}
	var prev *image.Paletted
	for i := range r.snaps {
		cur := q.paletted(c.frame(i))
		fr := cur
		if prev != nil {
			d := changed(prev, cur)
			if d.Empty() {
				d = image.Rect(0, 0, 1, 1)
			}
			fr = crop(cur, d)
		}
		prev = cur
		delay := o.Delay
		if i == len(r.snaps)-1 {
			delay = max(o.Delay, HoldLast)
		}
		g.Image = append(g.Image, fr)
		g.Delay = append(g.Delay, delay)
		g.Disposal = append(g.Disposal, gif.DisposalNone)
	}
	return g, nil
}

// encodeGIF writes g.
func encodeGIF(w io.Writer, g *gif.GIF) error { return gif.EncodeAll(w, g) }
