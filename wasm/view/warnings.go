package view

import (
	"strconv"
	"strings"

	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// A Callout is one of the engine's warnings (nce.Warning) as a panel
// shows it: a title, the engine's message with this run's numbers, a link
// to the theory and, when the warning has one, a one-click fix.
type Callout struct {
	Code    string
	Title   string
	Message string // rich text (Rich): the engine's message
	Why     string // rich text: a link to the warning's docs
	WhyLink string // the same link, labelled "why?" (the embed's callouts)
	// Fix is the spec change to apply over the current spec
	// (spec.Spec.Apply), "" when there is none; FixLabel is its button's
	// text and FixTitle the button's tooltip.
	Fix, FixLabel, FixTitle string
	// Note says when the verdict was reached, for a warning on the state
	// where training stopped (nce.Warning.Final) shown while paused.
	Note string
}

// FinalShown reports whether a frame's warnings on the state where
// training stopped (nce.Warning.Final) are shown: once the run is done,
// or paused after its first step with metrics of the current step —
// while θ moves they would judge a point on the way. running is the
// page's own state (it knows of a Play before the worker's next frame).
func FinalShown(f *wire.Frame, running bool) bool {
	if f == nil || f.Dim == 0 || f.Step == 0 || f.MetricsAt != f.Step {
		return false
	}
	return f.Done || f.Metrics.Done || !running && !f.Running
}

// Callouts returns the warnings of a frame that the page shows now, in
// the engine's order, placed in panels: each in the panel it concerns
// when shown is true of that panel, else in the first panel of
// spec.Panels that is shown (a warning is never hidden with its panel).
// A fix is offered once: a later warning with the same fix (mass_off
// follows from its cause) has no button of its own. Nothing is placed
// when no panel is shown.
func Callouts(f *wire.Frame, running bool, shown func(panel string) bool) map[string][]Callout {
	if f == nil || f.Dim == 0 || len(f.Metrics.Warnings) == 0 {
		return nil
	}
	first := ""
	for _, p := range spec.Panels {
		if shown(p.ID) {
			first = p.ID
			break
		}
	}
	if first == "" {
		return nil
	}
	final := FinalShown(f, running)
	out := map[string][]Callout{}
	offered := map[string]bool{}
	for _, w := range f.Metrics.Warnings {
		if w.Final && !final {
			continue
		}
		p := w.Panel
		if !shown(p) {
			p = first
		}
		if w.Fix != "" {
			if offered[w.Fix] {
				w.Fix = ""
			} else {
				offered[w.Fix] = true
			}
		}
		c := CalloutOf(w)
		if w.Final && !f.Done && !f.Metrics.Done {
			c.Note = "Judged at step " + strconv.Itoa(f.Step) + ", where training is paused: it may change as training goes on."
		}
		out[p] = append(out[p], c)
	}
	return out
}

// CalloutOf turns an engine warning into a callout.
func CalloutOf(w nce.Warning) Callout {
	c := Callout{Code: w.Code, Title: w.Title, Message: w.Message, Fix: w.Fix}
	if w.Cite != "" {
		c.Why = "[Why, and the theory](" + w.Cite + ")"
		c.WhyLink = "[why?](" + w.Cite + ")"
	}
	if w.Fix != "" {
		c.FixLabel = "Apply " + strings.ReplaceAll(w.Fix, "&", ", ")
		c.FixTitle = "Set " + FixDescription(w.Fix) + ", keep the other settings, and train again"
	}
	return c
}

// FixDescription describes a fix's query pairs with the keys' labels:
// "noise scale = 1" for "nscale=1".
func FixDescription(fix string) string {
	var parts []string
	for _, kv := range strings.Split(fix, "&") {
		k, v, _ := strings.Cut(kv, "=")
		label := k
		if key := spec.Lookup(k); key != nil {
			label = strings.ToLower(key.Label[:1]) + key.Label[1:]
		}
		parts = append(parts, label+" = "+v)
	}
	return strings.Join(parts, " and ")
}

// ApplyFix returns s with a warning's fix applied over it (spec.Spec.Apply:
// the other keys, view keys included, kept; normalized and repaired as
// a parsed link is); on an error, s unchanged and the error.
func ApplyFix(s spec.Spec, fix string) (spec.Spec, error) {
	t, err := s.Apply(fix)
	if err != nil {
		return s, err
	}
	return t, nil
}

// ConvergenceText is the readout of an optimizer with a convergence test
// (Newton, nce.Metrics.HasConvergence): "converged in N steps" once it
// reached its tolerance, "stopped: not converged" when it ended without,
// "converging" while it runs; "" for the first-order optimizers.
func ConvergenceText(f *wire.Frame) string {
	m := &f.Metrics
	switch {
	case !m.HasConvergence:
		return ""
	case m.Converged:
		if m.Step == 1 {
			return "converged in 1 step"
		}
		return "converged in " + strconv.Itoa(m.Step) + " steps"
	case m.Done || f.Done:
		return "stopped: not converged"
	}
	return "converging"
}
