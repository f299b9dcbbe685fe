package gifexport

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/gif"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nceplay/chart"
	"nceplay/core/dataset"
	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/raster"
)

// decode decodes a GIF and composites its frames (each is drawn over the
// one before: no disposal), returning the full pictures.
func decode(t *testing.T, b []byte) (*gif.GIF, []*image.RGBA) {
	t.Helper()
	g, err := gif.DecodeAll(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("DecodeAll: %v", err)
	}
	cv := image.NewRGBA(image.Rect(0, 0, g.Config.Width, g.Config.Height))
	var full []*image.RGBA
	for _, fr := range g.Image {
		draw.Draw(cv, fr.Bounds(), fr, fr.Bounds().Min, draw.Src)
		full = append(full, image.NewRGBA(cv.Bounds()))
		copy(full[len(full)-1].Pix, cv.Pix)
	}
	return g, full
}

// shot writes a picture into build/screenshots, to be looked at.
func shot(t *testing.T, name string, img image.Image) {
	dir := filepath.Join("..", "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestEncode(t *testing.T) {
	const q = "steps=300"
	opt := Options{Panels: []string{spec.PanelDensity, spec.PanelCurves}, Frames: 12, Width: 480}
	b, err := Encode(q, opt)
	if err != nil {
		t.Fatal(err)
	}
	g, full := decode(t, b)
	if len(g.Image) != 12 {
		t.Errorf("%d frames, want 12", len(g.Image))
	}
	if g.Config.Width != 480 || g.Config.Height != 270 {
		t.Errorf("size %d×%d, want 480×270", g.Config.Width, g.Config.Height)
	}
	if g.LoopCount != 0 {
		t.Errorf("LoopCount %d, want 0 (forever)", g.LoopCount)
	}
	if g.Delay[0] != DefaultDelay || g.Delay[len(g.Delay)-1] != HoldLast {
		t.Errorf("delays %v: want %d, …, %d", g.Delay, DefaultDelay, HoldLast)
	}
	shot(t, "gif-quartic-first.png", full[0])
	shot(t, "gif-quartic-last.png", full[len(full)-1])

	// Training moves the picture: the density panel's pixels differ
	// between the first frame and the last, and so do the curves'.
	c, err := newCanvas(&recording{s: mustParse(t, q), snaps: []snap{dummySnap(t, q)}}, mustOpts(t, opt))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range c.panels {
		if n := differing(full[0], full[len(full)-1], r); n < 200 {
			t.Errorf("panel %s: %d pixels differ between the first and last frames", opt.Panels[i], n)
		}
	}

	// Same spec and options, same bytes.
	again, err := Encode(q, opt)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, again) {
		t.Error("two encodings of one spec differ")
	}
}

// differing counts the pixels of r that differ between a and b.
func differing(a, b *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if a.RGBAAt(x, y) != b.RGBAAt(x, y) {
				n++
			}
		}
	}
	return n
}

func mustParse(t *testing.T, q string) spec.Spec {
	t.Helper()
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustOpts(t *testing.T, o Options) Options {
	t.Helper()
	o, err := o.normalized()
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// dummySnap is the untrained state of q (for the layout, which depends
// on the options alone).
func dummySnap(t *testing.T, q string) snap {
	tr, err := nce.New(mustParse(t, q))
	if err != nil {
		t.Fatal(err)
	}
	m := tr.Metrics()
	return snap{m: m, g: tr.Grid(gridRes1D, m.LogZ)}
}

// trained runs q to its end and returns the engine's last state, as the
// runner computes it.
func trained(t *testing.T, q string, res int) (*recording, *nce.Grid) {
	t.Helper()
	s := mustParse(t, q)
	tr, err := nce.New(s)
	if err != nil {
		t.Fatal(err)
	}
	tr.Step(s.Steps)
	m := tr.Metrics()
	return &recording{s: s, snaps: []snap{{step: tr.StepCount(), m: m, g: tr.Grid(res, m.LogZ)}}}, tr.Grid(res, m.LogZ)
}

// TestDensity1DAtMode checks the last frame's model curve against the
// engine: in the pixel column of p̂'s mode, the rows drawn in the model's
// full colour (the core of its stroke, drawn last, over the other curves)
// are centred on the mode's height. The stroke is symmetric about the
// curve, which is flat at its mode, so its core's centre is the curve's
// row up to the rasterizer's anti-aliasing: 1 pixel.
func TestDensity1DAtMode(t *testing.T) {
	const q = "steps=400"
	opt := Options{Panels: []string{spec.PanelDensity}, Frames: 4, Width: 800}
	b, err := Encode(q, opt)
	if err != nil {
		t.Fatal(err)
	}
	_, full := decode(t, b)
	last := full[len(full)-1]

	r, g := trained(t, q, gridRes1D)
	// The canvas's y scale is fixed over every frame: rebuild it from the
	// same frames as Encode.
	rec, err := record(r.s, nil, opt.Frames)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCanvas(rec, mustOpts(t, opt))
	if err != nil {
		t.Fatal(err)
	}
	x0, y0, x1, y1 := c.plotBox(c.panels[0])
	mode, peak := 0, math.Inf(-1)
	for i, v := range g.LogModel {
		if v > peak {
			mode, peak = i, v
		}
	}
	px := int(math.Floor(x0 + (g.X[mode]-g.Box.Lo[0])/(g.Box.Hi[0]-g.Box.Lo[0])*(x1-x0)))
	want := y1 - math.Exp(peak)/c.densMax*(y1-y0)
	model := color.RGBA{c.pal.Model.R, c.pal.Model.G, c.pal.Model.B, 0xff}
	sum, n := 0.0, 0
	for y := int(y0); y < int(y1); y++ {
		if last.RGBAAt(px, y) == model {
			sum += float64(y) + 0.5
			n++
		}
	}
	if n == 0 {
		t.Fatalf("no model-coloured pixel in column %d", px)
	}
	got := sum / float64(n)
	t.Logf("column %d: model core rows centred at %.2f, engine's mode at %.2f (%d rows)", px, got, want, n)
	if math.Abs(got-want) > 1 {
		t.Errorf("model curve at row %.2f in column %d, the engine's mode p̂ = %.4f is at row %.2f", got, px, math.Exp(peak), want)
	}
	if s := mustParse(t, q); rec.snaps[len(rec.snaps)-1].step != s.Steps {
		t.Errorf("last frame at step %d, want %d", rec.snaps[len(rec.snaps)-1].step, s.Steps)
	}
}

// TestDensity2DAtMode checks a 2D heatmap against the engine: in the
// pixel column through p̂'s mode, the brightest row (viridis's green
// channel rises monotonically) lies at the mode's row. Bilinear
// interpolation peaks on a grid row, and the palette merges the top few
// shades, so the brightest rows' centre is within one grid cell (plus a
// pixel) of the engine's argmax. (At the mode p̂ > p̃'s upper contour
// level, ½ of its peak: no contour crosses the rows that matter.)
func TestDensity2DAtMode(t *testing.T) {
	const q = "target=gauss2d&deg=2&opt=newton"
	opt := Options{Panels: []string{spec.PanelDensity}, Frames: 3, Width: 640}
	b, err := Encode(q, opt)
	if err != nil {
		t.Fatal(err)
	}
	_, full := decode(t, b)
	last := full[len(full)-1]
	shot(t, "gif-gauss2d-last.png", last)
	rec, err := record(mustParse(t, q), nil, opt.Frames)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newCanvas(rec, mustOpts(t, opt))
	if err != nil {
		t.Fatal(err)
	}
	_, g := trained(t, q, gridRes2D)
	res := g.Res
	best, bi := math.Inf(-1), 0
	for i, v := range g.LogModel {
		if v > best {
			best, bi = v, i
		}
	}
	ix, iy := bi%res, bi/res
	x0, y0, x1, y1 := c.plotBox(c.panels[0])
	side := math.Floor(math.Min(x1-x0, y1-y0))
	x0 = math.Floor(x0 + (x1-x0-side)/2)
	cell := side / float64(res)
	px := int(x0 + (float64(ix)+0.5)*cell)
	want := y0 + side - (float64(iy)+0.5)*cell
	// p̃'s contours are drawn over the heatmap in white and black: leave
	// out the rows their strokes (halo half-width 1.3 px at this size)
	// and anti-aliasing (1 px) may touch.
	hp := raster.Plot{X0: x0, Y0: y0, X1: x0 + side, Y1: y0 + side}
	var lines []raster.Pt
	for _, lv := range []float64{0.1, 0.5} {
		lines = append(lines, contour(hp, res, expAll(g.LogTrue), lv*c.densMax)...)
	}
	nearContour := func(x, y float64) bool {
		for i := 0; i+1 < len(lines); i++ {
			a, e := lines[i], lines[i+1]
			if math.IsNaN(a.X) || math.IsNaN(e.X) {
				continue
			}
			dx, dy := e.X-a.X, e.Y-a.Y
			u := math.Max(0, math.Min(1, ((x-a.X)*dx+(y-a.Y)*dy)/(dx*dx+dy*dy)))
			if math.Hypot(x-a.X-u*dx, y-a.Y-u*dy) < 2.5 {
				return true
			}
		}
		return false
	}
	top, rows := -1, []int{}
	for y := int(y0); y < int(y0+side); y++ {
		if nearContour(float64(px)+0.5, float64(y)+0.5) {
			continue
		}
		gch := int(last.RGBAAt(px, y).G)
		switch {
		case gch > top:
			top, rows = gch, []int{y}
		case gch == top:
			rows = append(rows, y)
		}
	}
	got := (float64(rows[0]+rows[len(rows)-1]) + 1) / 2
	t.Logf("column %d: brightest rows %d–%d (centre %.1f), engine's mode at %.1f, cell %.1f px", px, rows[0], rows[len(rows)-1], got, want, cell)
	if math.Abs(got-want) > cell+1 {
		t.Errorf("brightest rows %d–%d in column %d, the engine's mode is at row %.1f (cell %.1f px)", rows[0], rows[len(rows)-1], px, want, cell)
	}
}

func TestOptionsAndErrors(t *testing.T) {
	for _, o := range []Options{
		{Frames: 1}, {Frames: MaxFrames + 1}, {Width: MinWidth - 1}, {Width: MaxWidth + 1},
		{Height: MaxHeight + 1}, {Height: 10}, {Delay: -1}, {Delay: MaxDelay + 1},
		{Panels: []string{}}, {Panels: []string{spec.PanelSamples}}, {Panels: []string{"bogus"}},
		{Panels: []string{spec.PanelCurves, spec.PanelCurves}},
	} {
		if _, err := Encode("steps=10", o); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: err %v, want ErrOptions", o, err)
		}
	}
	var es spec.Errors
	if _, err := Encode("k=0", Options{}); !errors.As(err, &es) {
		t.Errorf("k=0: err %v, want spec.Errors", err)
	}
	if _, err := Encode("lab=w2v", Options{}); err == nil {
		t.Error("lab=w2v: no error")
	}
	// Divergence: the GIF up to the last finite state, and the error.
	b, err := Encode("deg=8&opt=sgd&lr=10&nscale=20", Options{Frames: 5, Width: MinWidth})
	if !errors.Is(err, ErrDiverged) {
		t.Fatalf("err %v, want ErrDiverged", err)
	}
	if g, _ := decode(t, b); len(g.Image) < 1 {
		t.Error("no frame")
	}
	// A run shorter than the frames has a frame per step, and Newton's
	// run one per step until it stops.
	if b, err := Encode("steps=3", Options{Frames: 10, Width: MinWidth}); err != nil {
		t.Fatal(err)
	} else if g, _ := decode(t, b); len(g.Image) != 4 {
		t.Errorf("steps=3: %d frames, want 4", len(g.Image))
	}
	rec, err := record(mustParse(t, "opt=newton"), nil, 60)
	if err != nil {
		t.Fatal(err)
	}
	if last := rec.snaps[len(rec.snaps)-1]; len(rec.snaps) != last.step+1 || !last.m.Converged {
		t.Errorf("newton: %d frames, last at step %d, converged %v", len(rec.snaps), last.step, last.m.Converged)
	}
}

// On the user's own data (docs/math.md#no-truth) the GIF draws nothing of
// a truth it does not have: with the truth's ink made a colour nothing
// else uses, no pixel of a frame has it (p̃, its contours, the Bayes
// posterior, the true log Z), where the same panels of a built-in target
// have many; the footer gives the held-out log-likelihood, not KL or the
// Bayes accuracy. Screenshots gif-owndata-*.png.
func TestOwnDataDrawsNoTruth(t *testing.T) {
	pts := make([]float64, 0, 600)
	for i := range 300 {
		a := float64(i) * 0.37
		pts = append(pts, 2*math.Cos(a)+0.1*math.Sin(7*a), 2*math.Sin(a))
	}
	opt := mustOpts(t, Options{Panels: Drawable, Frames: 3, Width: 800})
	marker := chart.RGB{R: 0xff, G: 0x00, B: 0xff}
	for _, c := range []struct {
		name, q, builtin string
		dim              int
	}{
		{"2d", "target=data2d&steps=60&data=", "target=ring&steps=60", 2},
		{"1d", "target=data&steps=60&data=", "steps=60", 1},
	} {
		v, err := dataset.Encode(pts[:300*c.dim], c.dim)
		if err != nil {
			t.Fatal(err)
		}
		truthPixels := func(q string) (int, *image.RGBA, *canvas) {
			rec, err := record(mustParse(t, q), nil, opt.Frames)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			cv, err := newCanvas(rec, opt)
			if err != nil {
				t.Fatal(err)
			}
			cv.pal.Truth = marker
			cv.pal.HeatInk = marker // p̃'s contours in 2D
			n := 0
			var img *image.RGBA
			for i := range rec.snaps {
				img = cv.frame(i)
				for j := 0; j+3 < len(img.Pix); j += 4 {
					if img.Pix[j] == marker.R && img.Pix[j+1] == marker.G && img.Pix[j+2] == marker.B {
						n++
					}
				}
			}
			return n, img, cv
		}
		own, last, cv := truthPixels(c.q + v)
		shot(t, "gif-owndata-"+c.name+".png", last)
		builtin, _, _ := truthPixels(c.builtin)
		if own != 0 || builtin < 100 {
			t.Errorf("%s: %d pixels in the truth's ink on your data, %d on %s", c.name, own, builtin, c.builtin)
		}
		foot := cv.footer(cv.r.snaps[len(cv.r.snaps)-1])
		if !strings.Contains(foot, "held-out log-likelihood") || strings.Contains(foot, "KL") || strings.Contains(foot, "Bayes") {
			t.Errorf("%s: the footer says %q", c.name, foot)
		}
	}
}
