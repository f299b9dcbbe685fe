package view

import (
	"strconv"
	"strings"
)

// The plots' SVG markup. A plot changes with every frame, so the page
// does not build it as Vugu nodes (a whole-page rebuild and re-sync per
// frame): it writes the markup here and puts it into the plot's slot
// itself (wasm/ui/live.go, docs/architecture.md#live).

// SVG is a Plot's markup: grid, axes, ticks, lines, dots, the x axis's
// name and the legend; attrs are extra attribute name/value pairs of the
// svg element (data-* readouts for the tests).
func (p *Plot) SVG(attrs ...string) string {
	var b svgBuilder
	b.open("svg", "class", "nce-plot", "xmlns", svgNS, "viewBox", p.Geo.ViewBox(), "role", "img", "aria-label", p.Title, "data-plot", p.ID)
	b.attrs(attrs...)
	b.endOpen()
	b.elem("path", "", "class", "nce-gridl", "d", p.GridLines())
	b.elem("path", "", "class", "nce-axis", "d", p.Axes())
	b.ticks(p.XTicks, "middle", func(t AxisTick) (float64, float64) { return t.Pos, p.XTickY() })
	b.ticks(p.YTicks, "end", func(t AxisTick) (float64, float64) { return p.YTickX(), t.Pos + 4 })
	for _, l := range Paths(p.Lines) {
		b.elem("path", "", "class", "nce-l "+l.Class, "d", l.D)
	}
	for _, d := range p.Dots {
		b.elem("circle", "", "class", "nce-dot "+d.Class, "cx", px(d.X), "cy", px(d.Y), "r", "3.5")
	}
	b.elem("text", p.XName, "class", "nce-axl", "text-anchor", "end", "x", px(p.XNameX), "y", px(p.XTickY()))
	b.legend(p.Legend)
	b.close("svg")
	return b.String()
}

// SVG is a Heat's markup: the canvas its pixels are painted on (by id,
// after the markup is in the page), axes, ticks, contours with their
// halos, the colour bar and the legend.
func (h *Heat) SVG() string {
	var b svgBuilder
	b.open("svg", "class", "nce-plot nce-heat", "xmlns", svgNS, "viewBox", h.Geo.ViewBox(), "role", "img", "aria-label", h.Title)
	b.endOpen()
	if h.Bar != nil {
		b.WriteString("<defs>")
		b.open("linearGradient", "id", h.Bar.ID, "x1", "0", "y1", "0", "x2", "0", "y2", "1")
		b.endOpen()
		for _, s := range h.Bar.Stops {
			b.elem("stop", "", "offset", s.Offset, "stop-color", s.Color)
		}
		b.close("linearGradient")
		b.WriteString("</defs>")
	}
	b.open("foreignObject", "x", px(h.Geo.L), "y", px(h.Geo.T), "width", px(h.InnerW()), "height", px(h.InnerH()))
	b.endOpen()
	b.elem("canvas", "", "class", "nce-heatcv", "id", h.ID, "width", strconv.Itoa(h.W), "height", strconv.Itoa(h.H))
	b.close("foreignObject")
	b.elem("path", "", "class", "nce-axis", "d", h.Axes())
	b.ticks(h.XTicks, "middle", func(t AxisTick) (float64, float64) { return t.Pos, h.TickY() })
	b.ticks(h.YTicks, "end", func(t AxisTick) (float64, float64) { return h.TickX(), t.Pos + 4 })
	lines := Paths(h.Lines)
	for _, l := range lines {
		if l.Halo && l.D != "" {
			b.elem("path", "", "class", "nce-halo h-"+l.Class, "d", l.D)
		}
	}
	for _, l := range lines {
		b.elem("path", "", "class", "nce-l "+l.Class, "d", l.D)
	}
	if c := h.Bar; c != nil {
		b.WriteString(`<g class="nce-cbar">`)
		b.elem("rect", "", "class", "nce-cbar-grad", "x", px(c.X), "y", px(c.Y), "width", px(c.W), "height", px(c.H), "fill", "url(#"+c.ID+")")
		b.elem("path", "", "class", "nce-cbar-marks", "d", c.Marks)
		if c.Over != "" {
			b.elem("path", "", "class", "nce-over", "d", c.Over)
			b.elem("text", c.OverLabel, "class", "nce-tick", "text-anchor", "start", "x", px(c.LabelX), "y", px(c.OverLabelY))
		}
		b.ticks(c.Ticks, "start", func(t AxisTick) (float64, float64) { return c.LabelX, t.Pos + 4 })
		b.WriteString("</g>")
	}
	b.legend(h.Legend)
	b.close("svg")
	return b.String()
}

// RichHTML is a rich text's markup, as the page's RichText component
// writes it: its citations as links to the docs.
func RichHTML(text string) string { return SpansHTML(Rich(text)) }

// SpansHTML is the markup of rich-text spans: links, texts, and numbers
// in the room they keep (Span.Room; the class nce-room makes them
// inline blocks).
func SpansHTML(spans []Span) string {
	var b svgBuilder
	b.WriteString(`<span class="nce-rich">`)
	for _, s := range spans {
		b.WriteString("<span>")
		switch {
		case s.Href != "":
			b.elem("a", s.Text, "href", s.Href, "target", "_blank", "rel", "noopener")
		case s.Room > 0:
			b.elem("span", s.Text, "class", "nce-room", "style", "min-width:"+strconv.Itoa(s.Room)+"ch")
		default:
			b.elem("span", s.Text)
		}
		b.WriteString("</span>")
	}
	b.WriteString("</span>")
	return b.String()
}

const svgNS = "http://www.w3.org/2000/svg"

// An svgBuilder writes markup with its text and attribute values escaped.
type svgBuilder struct{ strings.Builder }

func (b *svgBuilder) open(tag string, attrs ...string) {
	b.WriteByte('<')
	b.WriteString(tag)
	b.attrs(attrs...)
}

func (b *svgBuilder) attrs(kv ...string) {
	for i := 0; i+1 < len(kv); i += 2 {
		b.WriteByte(' ')
		b.WriteString(kv[i])
		b.WriteString(`="`)
		escape(&b.Builder, kv[i+1], true)
		b.WriteByte('"')
	}
}

func (b *svgBuilder) endOpen() { b.WriteByte('>') }

func (b *svgBuilder) close(tag string) {
	b.WriteString("</")
	b.WriteString(tag)
	b.WriteByte('>')
}

// elem writes a whole element: its attributes, its text, its end tag.
func (b *svgBuilder) elem(tag, text string, attrs ...string) {
	b.open(tag, attrs...)
	b.endOpen()
	escape(&b.Builder, text, false)
	b.close(tag)
}

// ticks writes tick labels anchored at anchor, each at at(t).
func (b *svgBuilder) ticks(ts []AxisTick, anchor string, at func(AxisTick) (float64, float64)) {
	for _, t := range ts {
		x, y := at(t)
		b.elem("text", t.Label, "class", "nce-tick", "text-anchor", anchor, "x", px(x), "y", px(y))
	}
}

// legend writes the legend rows: a swatch (when the entry draws a line)
// and the label, the title in bold.
func (b *svgBuilder) legend(items []LegendItem) {
	b.WriteString(`<g class="nce-leg">`)
	for _, it := range items {
		b.WriteString("<g>")
		if it.Class != "" {
			b.elem("path", "", "class", "nce-l "+it.Class, "d", it.Swatch)
		}
		class := "nce-legt"
		if it.Title {
			class = "nce-legt nce-legtitle"
		}
		b.elem("text", it.Label, "class", class, "x", px(it.TextX), "y", px(it.TextY))
		b.WriteString("</g>")
	}
	b.WriteString("</g>")
}

// escape writes s with &, < and > (and in an attribute value ") as
// character references.
func escape(b *strings.Builder, s string, attr bool) {
	last := 0
	for i := 0; i < len(s); i++ {
		var r string
		switch s[i] {
		case '&':
			r = "&amp;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '"':
			if !attr {
				continue
			}
			r = "&quot;"
		default:
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}
