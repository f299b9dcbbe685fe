package spec

import (
	"encoding/base64"
	"fmt"
)

// Guided tours (docs/spec.md#tours): a sequence of steps, each a short
// text anchored to a panel and a change of the experiment that the page
// applies with Spec.Apply when the step is shown. The tour key names a
// built-in tour (Tours) or carries a teacher's tour in the text format
// below, as base64url. A tour is view-only: it changes no number of an
// experiment, only which experiment the page runs while it is followed.
//
// The text format, one step a line:
//
//	panel | key=value&key=value | text
//
// panel is a panel's ID (Panels); the change is a query of experiment
// keys (may be empty); the text runs to the end of the line and may cite
// the docs as [label](docs/math.md#anchor). Blank lines and lines that
// start with '#' are skipped.

// Limits of a tour (docs/spec.md#tours).
const (
	// MaxTourBytes is the longest tour text, in bytes, so that its
	// base64url (MaxTourValue) fits a link (MaxQueryLen) with the rest of
	// the spec.
	MaxTourBytes = 2048
	// MaxTourSteps is the most steps a tour has.
	MaxTourSteps = 16
	// MaxStepText is the longest text of a step, in bytes.
	MaxStepText = 400
)

// A TourStep is one step of a tour.
type TourStep struct {
	Panel  string // the ID of the panel the text is anchored to (Panels)
	Change string // a query of experiment keys applied over the spec ("" for none)
	Text   string // what to look at, citing the docs
}

// A Tour is one row of the built-in tours' registry, Tours.
type Tour struct {
	Name  string // the tour key's value
	Title string
}

// Text returns the tour's steps in the text format ("" in the labs'
// page, whose build leaves the tours' texts and parser out: it never
// reads a tour key).
func (t *Tour) Text() string { return tourTexts[t.Name] }

// The built-in tours' names, each spelled once.
const (
	TourIntro = "intro"
	TourCover = "cover"
	TourRatio = "ratio"
)

// Tours is the registry of the built-in tours (their texts: tourTexts).
var Tours = []Tour{
	{Name: TourIntro, Title: "From the partition function to the noise"},
	{Name: TourCover, Title: "Why the noise must cover the data"},
	{Name: TourRatio, Title: "The noise ratio k"},
}

// TourNames returns the built-in tours' names in registry order.
func TourNames() []string {
	names := make([]string, len(Tours))
	for i, t := range Tours {
		names[i] = t.Name
	}
	return names
}

// LookupTour returns the built-in tour called name, or nil.
func LookupTour(name string) *Tour {
	for i := range Tours {
		if Tours[i].Name == name {
			return &Tours[i]
		}
	}
	return nil
}

// A TourError is a tour that cannot be read: Line (from 1; 0 for the
// whole tour) and why.
type TourError struct {
	Line   int
	Reason string
}

func (e *TourError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("tour line %d: %s", e.Line, e.Reason)
	}
	return "tour " + e.Reason
}

// EncodeTour returns a tour's text as the tour key's value: base64url
// without padding.
func EncodeTour(text string) string { return base64.RawURLEncoding.EncodeToString([]byte(text)) }

// TourTitle returns the title of the tour key's value: the built-in
// tour's, or "Tour" for a teacher's.
func TourTitle(value string) string {
	if t := LookupTour(value); t != nil {
		return t.Title
	}
	return "Tour"
}
