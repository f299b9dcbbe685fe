package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Classifier is the Classifier panel: the learned and the Bayes P(1|x)
// and the boundary P = ½ (its plot is live content, Root.livePlots; in 1D
// the plot's svg lists where both cross ½, view.HalfCrossings, for the
// browser tests).
type Classifier struct {
	F       *wire.Frame
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Cap     string
}
