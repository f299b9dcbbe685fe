package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Explain is the Explain panel: the objective and the read-back formula
// in MathML, what to look for, and the run's numbers in a sentence.
type Explain struct {
	S   spec.Spec
	F   *wire.Frame
	Ver int

	E view.Explanation
}

func (c *Explain) Compute() { c.E = view.Explain(c.S) }
