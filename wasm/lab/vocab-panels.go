package main

import "nceplay/wasm/wire"

// VocabPanels renders the large-vocabulary lab's three panels
// (perplexity against training time, log Z(ctx) per context, time per
// step against V) as the worker drew them (labview.VocabDrawn): SVG
// markup and captions, so that lab.wasm holds none of their code.
type VocabPanels struct {
	P            []wire.LabPanel
	Short, Embed bool
}

// Body is a panel body's class: two charts side by side when paired.
func (c *VocabPanels) Body(pair bool) string {
	if pair {
		return "nce-pbody nce-vpair"
	}
	return "nce-pbody"
}

// CapClass is the captions' class: full on the page, one line in an
// embed (which shows them when its link asks, captions=1).
func (c *VocabPanels) CapClass() string {
	if c.Embed {
		return "nce-capline"
	}
	return "nce-cap"
}

// Caption is a panel's caption for the layout.
func (c *VocabPanels) Caption(p wire.LabPanel) string {
	if c.Embed {
		return p.Short
	}
	return p.Full
}
