package main

import "nceplay/wasm/view"

// WarnBox shows a panel's warnings (view.Callouts) as callouts: the
// title, the engine's message (in an embed, only as the title's tooltip),
// a link to the theory and, where there is one, the one-click fix.
type WarnBox struct {
	W       []view.Callout
	OnFix   func(fix string) // applies a fix and trains again
	Compact bool             // the embed's one-line callouts
}

// Tip is the title's tooltip: the message in the compact callout, which
// does not show it, else the note on when it was judged.
func (c *WarnBox) Tip(w view.Callout) string {
	if c.Compact {
		return view.Plain(w.Message)
	}
	return w.Note
}
