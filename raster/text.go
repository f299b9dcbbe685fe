package raster

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// The Go fonts, parsed once (the image never depends on system fonts).
var (
	fontsOnce                   sync.Once
	fontRegular, fontBold, mono *opentype.Font
	fontsErr                    error
)

func loadFonts() error {
	fontsOnce.Do(func() {
		for _, f := range []struct {
			dst **opentype.Font
			src []byte
		}{{&fontRegular, goregular.TTF}, {&fontBold, gobold.TTF}, {&mono, gomono.TTF}} {
			if *f.dst, fontsErr = opentype.Parse(f.src); fontsErr != nil {
				return
			}
		}
	})
	return fontsErr
}

// Faces holds the font faces of one drawing (a face is not safe for
// concurrent use, so each drawing makes its own): a bold title, labels,
// small text (ticks) and a monospaced face.
type Faces struct {
	Title, Label, Small, Mono font.Face
}

// NewFaces returns the faces at scale times their preview sizes (title
// 32 px, label 20, small 16, mono 17).
func NewFaces(scale float64) (*Faces, error) {
	if err := loadFonts(); err != nil {
		return nil, err
	}
	mk := func(f *opentype.Font, size float64) font.Face {
		face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			panic(err) // only for invalid options, which are constant here
		}
		return face
	}
	return &Faces{
		Title: mk(fontBold, 32*scale),
		Label: mk(fontRegular, 20*scale),
		Small: mk(fontRegular, 16*scale),
		Mono:  mk(mono, 17*scale),
	}, nil
}

// An Align places text relative to its anchor point.
type Align int

// The alignments.
const (
	Left Align = iota
	Center
	Right
)

// accents maps the combining marks used in labels (p̃, p̂) to spacing
// glyphs of the Go fonts, which lack the combining ones.
var accents = map[rune]rune{'\u0303': '\u02dc', '\u0302': '\u02c6'}

// TextWidth returns the advance of s in face, ignoring combining marks.
func TextWidth(face font.Face, s string) int {
	var w fixed.Int26_6
	prev := rune(-1)
	for _, r := range s {
		if _, ok := accents[r]; ok {
			continue
		}
		if prev >= 0 {
			w += face.Kern(prev, r)
		}
		a, _ := face.GlyphAdvance(r)
		w += a
		prev = r
	}
	return w.Ceil()
}

// DrawText draws s with its baseline at y, anchored at x by al. A
// combining tilde or circumflex is drawn over the preceding letter.
func DrawText(dst draw.Image, face font.Face, x, y int, s string, c color.Color, al Align) {
	switch al {
	case Center:
		x -= TextWidth(face, s) / 2
	case Right:
		x -= TextWidth(face, s)
	}
	src := image.NewUniform(c)
	dot := fixed.P(x, y)
	prev := rune(-1)
	var prevDot fixed.Point26_6
	var prevAdv fixed.Int26_6
	for _, r := range s {
		if acc, ok := accents[r]; ok && prev >= 0 {
			aAdv, _ := face.GlyphAdvance(acc)
			p := fixed.Point26_6{X: prevDot.X + (prevAdv-aAdv)/2, Y: prevDot.Y - face.Metrics().Height/8}
			drawGlyph(dst, face, p, acc, src)
			continue
		}
		if prev >= 0 {
			dot.X += face.Kern(prev, r)
		}
		adv := drawGlyph(dst, face, dot, r, src)
		prevDot, prevAdv = dot, adv
		dot.X += adv
		prev = r
	}
}

func drawGlyph(dst draw.Image, face font.Face, dot fixed.Point26_6, r rune, src image.Image) fixed.Int26_6 {
	dr, mask, mp, adv, ok := face.Glyph(dot, r)
	if !ok {
		dr, mask, mp, adv, _ = face.Glyph(dot, '?')
	}
	if mask != nil {
		draw.DrawMask(dst, dr, src, image.Point{}, mask, mp, draw.Over)
	}
	return adv
}

// FitText cuts s with "…" until it fits in width pixels.
func FitText(face font.Face, s string, width int) string {
	if TextWidth(face, s) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && TextWidth(face, string(r)+"…") > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}
