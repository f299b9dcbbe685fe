package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// Explain is the Explain panel: the objective and the read-back formula
// in MathML, what to look for, the run's numbers in a sentence (live
// content, Root.updateLive), where to read more and the primary sources.
type Explain struct {
	S       spec.Spec
	W       []view.Callout   // the panel's warnings (view.Callouts)
	OnFix   func(fix string) // applies a warning's fix
	Compact bool             // one-line callouts (the embed)

	E   view.Explanation
	key string // the experiment E explains
}

func (c *Explain) Compute() {
	if k := c.S.ExperimentQuery(); k != c.key || c.E.Title == "" {
		c.E, c.key = view.Explain(c.S), k
	}
}
