package labview

import (
	"html"
	"strings"

	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// A lab page's charts may be drawn in the worker (wire.LabFigure): SVG
// writes a chart as the SVG element wasm/lab's LabChart renders (the same
// classes, so the page's styles and themes apply), which the page only
// inserts, so that its wasm holds no lab's drawing code.

// SVG returns the chart (without pixels) as an SVG element of the given
// extra class ("" for none), each marker's title as its tooltip.
func SVG(c Chart, class string) string {
	var b strings.Builder
	g := c.Geo
	esc := html.EscapeString
	text := func(cls, anchor string, x, y float64, s string) {
		b.WriteString(`<text class="` + cls + `"`)
		if anchor != "" {
			b.WriteString(` text-anchor="` + anchor + `"`)
		}
		b.WriteString(` x="` + view.Px(x) + `" y="` + view.Px(y) + `">` + esc(s) + `</text>`)
	}
	path := func(cls, d string) { b.WriteString(`<path class="` + cls + `" d="` + d + `"></path>`) }
	cls := "nce-plot nce-labchart"
	if class != "" {
		cls += " " + class
	}
	b.WriteString(`<svg class="` + cls + `" xmlns="http://www.w3.org/2000/svg" viewBox="` + g.ViewBox() +
		`" role="img" aria-label="` + esc(c.Title) + `"`)
	if c.ID != "" {
		b.WriteString(` data-chart="` + esc(c.ID) + `"`)
	}
	b.WriteString(`>`)
	path("nce-axis", c.Axes())
	for _, t := range c.XTicks {
		text("nce-tick", "middle", t.Pos, c.TickY(), t.Label)
	}
	for _, t := range c.YTicks {
		text("nce-tick", "end", c.TickX(), t.Pos+3, t.Label)
	}
	for _, l := range c.Lines {
		if l.D != "" {
			path("nce-l "+l.Class, l.D)
		}
	}
	for _, d := range c.Dots {
		b.WriteString(`<circle class="nce-dot ` + d.Class + `" cx="` + view.Px(d.X) + `" cy="` + view.Px(d.Y) + `" r="` + view.Px(d.R) + `">`)
		if d.Title != "" {
			b.WriteString(`<title>` + esc(d.Title) + `</title>`)
		}
		b.WriteString(`</circle>`)
	}
	if c.XLabel != "" {
		text("nce-axl", "end", c.XLabelX(), c.XLabelY(), c.XLabel)
	}
	if c.YLabel != "" {
		text("nce-axl", "", c.YLabelX(), c.YLabelY(), c.YLabel)
	}
	if items := c.LegendItems(); len(items) > 0 {
		b.WriteString(`<g class="nce-leg">`)
		path("nce-legbox", c.LegendBox())
		for _, it := range items {
			path("nce-l "+it.Class, it.Swatch)
			text("nce-legt", "end", it.TextX, it.TextY, it.Label)
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// figure packs one panel.
func figure(id, title, sub string, c Chart, cap view.Caption, embed bool) wire.LabFigure {
	return wire.LabFigure{ID: id, Title: title, Sub: sub, Full: cap.Full, Short: cap.Short, Embed: embed, SVG: SVG(c, "nce-fig")}
}

// SweepFigures draws the sweep page's panels (in the worker).
func SweepFigures(p *wire.SweepPanels) []wire.LabFigure {
	sub := itoa(p.Done) + " of " + itoa(p.Reps) + " repetitions"
	return []wire.LabFigure{
		figure(SweepPanelK, "Error against k", sub, SweepKChart(p), SweepCaptions(SweepPanelK, p), true),
		figure(SweepPanelCost, "The price of k", sub, SweepCostChart(p), SweepCaptions(SweepPanelCost, p), true),
		figure(SweepPanelN, "Error against n", sub, SweepNChart(p), SweepCaptions(SweepPanelN, p), false),
	}
}

// InfoNCEFigures draws the InfoNCE page's panels (in the worker).
func InfoNCEFigures(p *wire.InfoNCEPanels) []wire.LabFigure {
	return []wire.LabFigure{
		figure(InfoNCEPanelSteps, "The estimate over training", "k = "+itoa(p.K), InfoNCEStepsChart(p), InfoNCECaptions(InfoNCEPanelSteps, p), true),
		figure(InfoNCEPanelK, "Across k: the ceiling", "", InfoNCEKChart(p), InfoNCECaptions(InfoNCEPanelK, p), true),
	}
}
