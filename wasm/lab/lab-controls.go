package main

import "nceplay/wasm/view"

// LabControls is the settings form: one control per experiment key of the
// lab's key table (labview.Controls), which reports a changed value.
type LabControls struct {
	C []view.Control
	// OnValue is called with a key and its new value in text form,
	// OnSlider with a key and a range control's new position.
	OnValue  func(name, value string)
	OnSlider func(name, pos string)
}

// Class is a control's class: greyed out when the key does not apply.
func (c *LabControls) Class(k view.Control) string {
	if k.Disabled {
		return "nce-ctl nce-off"
	}
	return "nce-ctl"
}
