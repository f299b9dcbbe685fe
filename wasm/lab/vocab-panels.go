package main

import "nceplay/wasm/wire"

// The panels a lab's worker draws (the large-vocabulary lab's: perplexity
// against training time, log Z(ctx) per context, time per step against
// V; labview.VocabDrawn), rendered by root.vugu as they come: SVG markup
// and captions, so that lab.wasm holds none of their code (it is at its
// budget; a component of their own cost more than the markup in the root).

// DrawnCapClass is the drawn panels' caption class: full on the page, one
// line in an embed (which shows them when its link asks, captions=1).
func (c *Root) DrawnCapClass() string {
	if c.Embed() {
		return "nce-capline"
	}
	return "nce-cap"
}

// DrawnCaption is a drawn panel's caption for the layout.
func (c *Root) DrawnCaption(p wire.LabPanel) string {
	if c.Embed() {
		return p.Short
	}
	return p.Full
}
