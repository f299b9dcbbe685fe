package view

import "nceplay/core/spec"

// Presets are the playground's stories (spec.Presets: the engine's tests
// train every one and check what its story claims).
var Presets = spec.Presets

// ApplyPreset returns the preset's experiment with the view-only keys of
// cur kept (layout, speed, theme stay as the user set them).
func ApplyPreset(cur spec.Spec, p spec.Preset) (spec.Spec, error) {
	s, err := spec.Parse(p.Query)
	s.View = cur.View
	return s, err
}

// PresetOf returns the ID of the preset whose experiment s is, or "".
func PresetOf(s spec.Spec) string {
	q := s.ExperimentQuery()
	for _, p := range Presets {
		t, err := spec.Parse(p.Query)
		if err == nil && t.ExperimentQuery() == q {
			return p.ID
		}
	}
	return ""
}
