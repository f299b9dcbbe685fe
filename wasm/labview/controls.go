// Package labview is the labs' pages' presentation logic (docs/spec.md#labs):
// controls generated from a lab's key table, the address bar, readouts of
// a run's report, captions, and each lab page's panels (w2v.go). It builds
// on package view's primitives (plots, heatmaps, scales, ticks, controls,
// rich text) and package chart's palette and colour maps, and holds no
// browser code, so everything here is tested natively; the Vugu
// components of wasm/lab only call it.
package labview

import (
	"html"
	"strconv"

	"nceplay/core/lab"
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// Controls returns the controls of a lab's experiment keys, in table
// order, from its key table (lab.Key) and the current settings: an enum or
// a bool is a select, a number a slider over the key's range (log-scaled
// as the key says) with its value editable beside it, a seed or a list a
// text input. A key with a single allowed value (the lab key, v, a lab's
// only optimizer) has none: there is nothing to choose.
func Controls(s lab.Settings) []view.Control {
	var out []view.Control
	for i, k := range s.Lab.Keys {
		if k.View || len(k.Values) == 1 || (k.Kind == spec.KindInt || k.Kind == spec.KindFloat) && k.Min == k.Max {
			continue
		}
		c := view.Control{Name: k.Name, Label: k.Label, Doc: k.Doc + " Allowed: " + k.Allowed + ".",
			Value: s.Values[i], Disabled: !s.Relevant[i]}
		switch k.Kind {
		case spec.KindEnum, spec.KindBool:
			c.Widget, c.Options = view.WidgetSelect, k.Values
		case spec.KindInt, spec.KindFloat:
			c.Widget = view.WidgetRange
			sk := sliderKey(k)
			c.Pos = view.SliderPos(&sk, c.Value)
		default: // uint64 (a seed), lists, and kinds to come: typed
			c.Widget = view.WidgetNumber
		}
		out = append(out, c)
	}
	return out
}

// ViewControls returns the controls of the view-only keys that the
// toolbar offers (speed and theme; embed and autoplay belong to links).
func ViewControls(s lab.Settings) []view.Control {
	var out []view.Control
	v := spec.Spec{View: s.View}
	for _, k := range spec.Playground.Keys {
		if !k.View || (k.Kind != spec.KindFloat && k.Kind != spec.KindEnum) {
			continue
		}
		if !isLabViewKey(k.Name) {
			continue
		}
		c := view.Control{Name: k.Name, Label: k.Label, Doc: k.Doc + " Allowed: " + k.Allowed() + ".", Value: k.Get(&v)}
		if k.Kind == spec.KindEnum {
			c.Widget, c.Options = view.WidgetSelect, k.Values
		} else {
			c.Widget, c.Pos = view.WidgetRange, view.SliderPos(&k, c.Value)
		}
		out = append(out, c)
	}
	return out
}

func isLabViewKey(name string) bool {
	for _, k := range lab.ViewKeys() {
		if k.Name == name {
			return true
		}
	}
	return false
}

// sliderKey is a lab key as package view's slider functions take it.
func sliderKey(k lab.Key) spec.Key[spec.Spec] {
	return spec.Key[spec.Spec]{Name: k.Name, Kind: k.Kind, Min: k.Min, Max: k.Max, Even: k.Even, Log: k.Log}
}

// SliderValue returns the value of the key called name at a slider
// position (text of a whole number 0 … view.SliderSteps), or "" if it has
// no slider: a view key's (speed) or a lab key's.
func SliderValue(l *lab.Lab, name, pos string) string {
	p, err := strconv.Atoi(pos)
	if err != nil {
		return ""
	}
	if k := spec.Playground.Lookup(name); k != nil && k.View && isLabViewKey(name) {
		return view.SliderValue(k, p)
	}
	for _, k := range l.Keys {
		if k.Name == name && (k.Kind == spec.KindInt || k.Kind == spec.KindFloat) {
			sk := sliderKey(k)
			return view.SliderValue(&sk, p)
		}
	}
	return ""
}

// Address returns the path and query of the page showing s: "/?" or
// "/embed?" and its canonical link (lab.Settings.Link).
func Address(s lab.Settings, embedPath bool) string {
	p := "/?"
	if embedPath {
		p = "/embed?"
	}
	return p + s.Link()
}

// FullAddress is the full page's address of s (an embed links to it).
func FullAddress(s lab.Settings) string {
	t, _ := s.Lab.With(s, "embed", "0")
	return Address(t, false)
}

// EmbedSnippet returns the iframe that embeds s from origin (640×400, the
// size the embed layout is made for).
func EmbedSnippet(origin string, s lab.Settings) string {
	t, _ := s.Lab.With(s, "embed", "0")
	src := origin + Address(t, true)
	return `<iframe src="` + html.EscapeString(src) + `" width="640" height="400" style="border:0" loading="lazy" title="` +
		html.EscapeString(s.Lab.Title) + `"></iframe>`
}

// Errors lists the problems of err for the page's banner (as the
// playground's: the key, the value, the reason, what is allowed).
func Errors(err error) []*spec.Error {
	if err == nil {
		return nil
	}
	if es, ok := err.(spec.Errors); ok {
		return es
	}
	if e, ok := err.(*spec.Error); ok {
		return []*spec.Error{e}
	}
	return []*spec.Error{{Reason: err.Error()}}
}
