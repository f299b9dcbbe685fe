package view

import (
	"testing"

	"nceplay/core/spec"
)

func TestGIFChoices(t *testing.T) {
	got := GIFChoices(func(p string) bool { return p == spec.PanelCurves })
	if len(got) != len(GIFPanels) {
		t.Fatalf("%d choices, want %d", len(got), len(GIFPanels))
	}
	for i, c := range got {
		if c.ID != GIFPanels[i] {
			t.Errorf("choice %d is %s, want GIFPanels' order %v", i, c.ID, GIFPanels)
		}
		if c.Title == "" || c.On != (c.ID == spec.PanelCurves) {
			t.Errorf("%+v: want a title, on only for curves", c)
		}
	}
	for _, c := range GIFChoices(func(string) bool { return false }) {
		if !c.On {
			t.Errorf("%s off when no drawable panel is shown: want all on", c.ID)
		}
	}
}
