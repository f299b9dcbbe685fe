package main

import (
	"strconv"

	"nceplay/wasm/labview"
	"nceplay/wasm/wire"
)

// TextPanel asks for the user's own text, for a lab that trains on one: a
// text box (its content is never bound to a property: a text of megabytes
// would travel to the page on every render), snippets to start from, the
// reason a text was refused, and what a link can hold.
type TextPanel struct {
	Page *labview.Page
	Used *string
	Err  string
	W    *wire.W2VPanels // the run's payload, for its corpus's size

	OnDraft   func(text string)
	OnUse     func()
	OnSnippet func(name string)
}

// Stats describes the text in training.
func (c *TextPanel) Stats() string {
	if c.Used == nil {
		return "none yet"
	}
	s := strconv.Itoa(len(*c.Used)) + " bytes"
	if c.W != nil {
		s += " · " + strconv.Itoa(c.W.Tokens) + " words trained on, " + strconv.Itoa(c.W.Vocab) + " distinct kept"
	}
	return s
}

// Limit is the largest text, for people.
func (c *TextPanel) Limit() string { return "8 MiB" } // lab.W2V.MaxText; only w2v takes texts so far
