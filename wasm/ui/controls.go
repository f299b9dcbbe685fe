package main

import (
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// Controls is the settings form: one control per experiment key of the
// spec table (view.Controls), which reports a changed value to the page.
// On narrow screens it is a drawer that the toolbar's Settings button
// opens (Open) and its Done button closes (OnClose).
type Controls struct {
	S spec.Spec
	// OnValue is called with a key and its new value in text form,
	// OnSlider with a key and a range control's new position.
	OnValue  func(name, value string)
	OnSlider func(name, pos string)
	Open     bool
	OnClose  func()
	// View and OnNewSeed: the toolbar's view controls and New seed, which
	// the drawer shows on phones (the toolbar has no room for them).
	View      []view.Control
	OnNewSeed func()
}

// Class is a control's class: greyed out when the key does not apply.
func (c *Controls) Class(k view.Control) string {
	if k.Disabled {
		return "nce-ctl nce-off"
	}
	return "nce-ctl"
}

// FormClass is the form's class: open as a drawer on narrow screens.
func (c *Controls) FormClass() string {
	if c.Open {
		return "nce-controls nce-open"
	}
	return "nce-controls"
}
