package main

import "nceplay/wasm/view"

// Curves is the Curves panel: loss, c against log Z, KL and accuracy over
// steps (its plots are live content, Root.livePlots).
type Curves struct {
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Cap     string
}

// curveSlots are the page's slot ids of the curves' plots.
var curveSlots = func() []string {
	s := make([]string, view.CurveCount)
	for i := range s {
		s[i] = view.CurveSlot(i)
	}
	return s
}()
