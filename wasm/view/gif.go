package view

import "nceplay/core/spec"

// The GIF export's choices as the page's "GIF" dialog offers them. The
// GIF itself is made by gif.wasm (wasm/gifworker, package gifexport),
// which ui.wasm does not link; these copies of gifexport's panels and
// caps are checked against it by wasm/gifworker/answer's tests.
var GIFPanels = []string{spec.PanelDensity, spec.PanelClassifier, spec.PanelCurves}

// The caps and defaults of the frames and the width (gifexport's).
const (
	GIFMinFrames, GIFDefaultFrames, GIFMaxFrames = 2, 36, 60
	GIFMinWidth, GIFDefaultWidth, GIFMaxWidth    = 320, 800, 1200
)

// A GIFChoice is one panel's checkbox in the GIF dialog.
type GIFChoice struct {
	ID, Title string
	On        bool
}

// GIFChoices are the dialog's panel checkboxes, in GIFPanels' order (the
// GIF's, left to right): on for the drawable panels shown (shown reports
// it), all on when none of them is.
func GIFChoices(shown func(panel string) bool) []GIFChoice {
	var out []GIFChoice
	any := false
	for _, g := range GIFPanels { // gifexport's order, left to right in the GIF
		for _, p := range spec.Panels {
			if p.ID == g {
				on := shown(g)
				any = any || on
				out = append(out, GIFChoice{ID: g, Title: p.Title, On: on})
			}
		}
	}
	if !any {
		for i := range out {
			out[i].On = true
		}
	}
	return out
}
