package main

import (
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Density is the Density panel: the recovered p̂ against the true p̃ (its
// plot is live content, Root.livePlots).
type Density struct {
	F       *wire.Frame
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)
	Cap     string
}
