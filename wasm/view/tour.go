//go:build !labpage

package view

import (
	"strconv"

	"nceplay/core/spec"
)

// A Tour is the page's state of a guided tour (the tour key,
// docs/spec.md#tours): its steps, the step shown, and the spec the page
// had before each step's change, so that Back restores the spec of the
// step before.
type Tour struct {
	Value string // the tour key's value it was started from
	Title string
	Steps []spec.TourStep
	I     int         // the step shown
	Prior []spec.Spec // Prior[i]: the spec just before step i's change
}

// Active reports whether a tour is shown.
func (t *Tour) Active() bool { return len(t.Steps) > 0 }

// Step is the step shown.
func (t *Tour) Step() spec.TourStep { return t.Steps[t.I] }

// Counter is "Step 2 of 7".
func (t *Tour) Counter() string {
	return "Step " + strconv.Itoa(t.I+1) + " of " + strconv.Itoa(len(t.Steps))
}

// Panel is the ID of the panel the step is anchored to, "" without a tour.
func (t *Tour) Panel() string {
	if !t.Active() {
		return ""
	}
	return t.Step().Panel
}

// HasBack and HasNext report whether there is a step before or after.
func (t *Tour) HasBack() bool { return t.I > 0 }
func (t *Tour) HasNext() bool { return t.I+1 < len(t.Steps) }

// StartTour starts the tour of s's tour key at its first step: it returns
// the tour and s with the first step's change applied (the other settings
// kept). Without a tour key it returns an inactive tour and s.
func StartTour(s spec.Spec) (Tour, spec.Spec, error) {
	if s.View.Tour == "" {
		return Tour{}, s, nil
	}
	steps, err := spec.DecodeTour(s.View.Tour)
	if err != nil {
		return Tour{}, s, err
	}
	t := Tour{Value: s.View.Tour, Title: spec.TourTitle(s.View.Tour), Steps: steps}
	next, err := t.enter(s)
	return t, next, err
}

// enter records cur as the spec before step I and applies its change.
func (t *Tour) enter(cur spec.Spec) (spec.Spec, error) {
	t.Prior = append(t.Prior[:t.I], cur)
	return cur.Apply(t.Step().Change)
}

// Next moves to the next step: its change applies over cur, the page's
// spec now (with whatever the user changed since). At the last step it
// returns cur.
func (t *Tour) Next(cur spec.Spec) (spec.Spec, error) {
	if !t.HasNext() {
		return cur, nil
	}
	t.I++
	return t.enter(cur)
}

// Back moves to the step before and returns the spec the page had when
// that step was left (its view keys as in cur). At the first step it
// returns cur.
func (t *Tour) Back(cur spec.Spec) spec.Spec {
	if !t.HasBack() {
		return cur
	}
	s := t.Prior[t.I]
	t.I--
	s.View = cur.View
	return s
}

// TourLink returns s with a teacher's tour text as its tour key, checked
// (a file the page loaded): the text's errors name its line, and a text
// too long for a link is refused.
func TourLink(s spec.Spec, text string) (spec.Spec, error) {
	if _, err := spec.ParseTour(text); err != nil {
		return s, err
	}
	t := s
	t.View.Tour = spec.EncodeTour(text)
	return spec.Parse(t.Canonical())
}

// ShownControls returns the controls of s that its controls key lists
// (Controls, in table order).
func ShownControls(s spec.Spec) []Control {
	all := Controls(s)
	if s.View.AllControls() {
		return all
	}
	var out []Control
	for _, c := range all {
		if s.View.ShowsControl(c.Name) {
			out = append(out, c)
		}
	}
	return out
}
