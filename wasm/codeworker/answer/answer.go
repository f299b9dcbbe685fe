// Package answer is what the code worker (wasm/codeworker) answers to a
// query: the experiment's PyTorch or NumPy script (package codegen), or
// why there is none. It is tested natively; the worker only carries the
// messages.
package answer

import (
	"nceplay/codegen"
	"nceplay/core/spec"
)

// The languages a query may ask for.
const (
	LangTorch = "torch"
	LangNumPy = "numpy"
)

// An Answer is a script or an error message.
type Answer struct {
	Script, Err string
}

// For returns the script of the experiment query in lang (LangTorch or
// LangNumPy): codegen's text, byte for byte, or a clear error.
func For(query, lang string) Answer {
	s, err := spec.Parse(query)
	if err != nil {
		return Answer{Err: "this experiment's link is not valid: " + err.Error()}
	}
	var script string
	switch lang {
	case LangTorch:
		script, err = codegen.PyTorch(s)
	case LangNumPy:
		script, err = codegen.NumPy(s)
	default:
		return Answer{Err: "no script language " + lang + " (torch or numpy)"}
	}
	if err != nil {
		return Answer{Err: err.Error()}
	}
	return Answer{Script: script}
}
