//go:build !labpage

package spec

import (
	"reflect"
	"strings"
	"testing"
)

// TestBuiltinTours: every built-in tour parses, each step cites
// docs/math.md, every step's change applies to the spec the step before
// left without error, and the tour's text fits a link.
func TestBuiltinTours(t *testing.T) {
	for _, tour := range Tours {
		steps, err := DecodeTour(tour.Name)
		if err != nil {
			t.Fatalf("tour %s: %v", tour.Name, err)
		}
		if len(tour.Text()) > MaxTourBytes || len(EncodeTour(tour.Text())) > MaxTourValue {
			t.Errorf("tour %s: %d bytes, more than a link holds", tour.Name, len(tour.Text()))
		}
		s := Default()
		for i, st := range steps {
			if !strings.Contains(st.Text, "](docs/math.md#") {
				t.Errorf("tour %s step %d cites no docs/math.md anchor: %q", tour.Name, i+1, st.Text)
			}
			if s, err = s.Apply(st.Change); err != nil {
				t.Errorf("tour %s step %d: %v", tour.Name, i+1, err)
			}
		}
	}
	// The intro tells the seed's story, in order.
	steps, _ := DecodeTour(TourIntro)
	var anchors []string
	for _, st := range steps {
		_, a, _ := strings.Cut(st.Text, "docs/math.md#")
		a, _, _ = strings.Cut(a, ")")
		anchors = append(anchors, a)
	}
	want := []string{"partition-function", "e3", "why-c-is-log-z", "metrics", "e5", "e8", "noise"}
	if !reflect.DeepEqual(anchors, want) {
		t.Errorf("intro cites %v, want %v", anchors, want)
	}
}

// TestTourRoundTrip: FormatTour then ParseTour returns the steps; the
// tour key carries the text as base64url through Parse and Canonical.
func TestTourRoundTrip(t *testing.T) {
	steps := []TourStep{
		{Panel: PanelDensity, Change: "k=1", Text: "Start with one noise point per data point ([E8](docs/math.md#e8))."},
		{Panel: PanelClassifier, Change: "", Text: "Look | the pipe is text: only the first two separate."},
		{Panel: PanelCurves, Change: "k=10&nscale=2", Text: "Now ten, and wider noise — ünïcode is fine."},
	}
	text := FormatTour(steps)
	got, err := ParseTour(text)
	if err != nil || !reflect.DeepEqual(got, steps) {
		t.Fatalf("ParseTour(FormatTour) = %+v, %v; want %+v", got, err, steps)
	}
	s, err := Parse("k=3&tour=" + EncodeTour(text))
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeTour(s.View.Tour)
	if err != nil || !reflect.DeepEqual(back, steps) {
		t.Fatalf("DecodeTour = %+v, %v", back, err)
	}
	if s.ExperimentQuery() != "k=3" {
		t.Errorf("tour is not view-only: experiment %q", s.ExperimentQuery())
	}
	s2, err := Parse(s.Canonical())
	if err != nil || !reflect.DeepEqual(s, s2) {
		t.Errorf("round trip through %q: %v", s.Canonical(), err)
	}
	// Comments, blank lines, CRLF and padding are accepted.
	got, err = DecodeTour(EncodeTour("# a comment\r\n\r\n"+text) + "==")
	if err != nil || !reflect.DeepEqual(got, steps) {
		t.Errorf("with a comment and CRLF: %+v, %v", got, err)
	}
}

// TestTourErrors: a bad tour is an error naming its line and what is
// wrong, and the tour key then runs its default (no tour).
func TestTourErrors(t *testing.T) {
	for _, c := range []struct{ text, want string }{
		{"density | k=2 | fine\nsamples | k=2", "tour line 2: has 2 field(s)"},
		{"\n\nbogus | | text", `tour line 3: panel "bogus" is not one of samples, classifier, density, curves, explain`},
		{"density | k=0 | text", `tour line 1: key "k": value "0" is out of range; allowed: 1 … 1024`},
		{"density | foo=1 | text", `tour line 1: key "foo" is not a known key`},
		{"density | theme=dark | text", "tour line 1: key theme is view-only"},
		{"density | tour=intro | text", "tour line 1: key tour is view-only"},
		{"density | k=2 |   ", "tour line 1: has no text"},
		{"density | | " + strings.Repeat("x", MaxStepText+1), "tour line 1: has a text of 401 bytes"},
		{strings.Repeat("curves | | x\n", MaxTourSteps+1), "tour line 17: is one step too many (at most 16)"},
		{"# only a comment\n", "tour has no steps"},
		{strings.Repeat("#", MaxTourBytes+1), "tour is too long (2049 bytes; at most 2048)"},
		{"density | | \xff", "tour is not UTF-8 text"},
	} {
		_, err := ParseTour(c.text)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("ParseTour(%.40q) = %v, want %q…", c.text, err, c.want)
		}
		s, err := Parse("k=2&tour=" + EncodeTour(c.text))
		es := asErrors(err)
		if len(es) != 1 || es[0].Key != kTour || !strings.Contains(es[0].Reason, c.want) && !strings.Contains(es[0].Reason, "characters long, more than") || s.View.Tour != "" || s.K != 2 {
			t.Errorf("Parse with tour %.40q: %v, tour %q, k %d", c.text, err, s.View.Tour, s.K)
		}
	}
	_, err := Parse("tour=intro%21")
	if es := asErrors(err); len(es) != 1 || !strings.Contains(es[0].Error(), `has the character '!' at 6; allowed: intro, cover, ratio, or`) {
		t.Errorf("tour=intro!: %v", err)
	}
	_, err = Parse("tour=" + strings.Repeat("A", MaxTourValue+1))
	if es := asErrors(err); len(es) != 1 || !strings.Contains(es[0].Error(), "characters long, more than") {
		t.Errorf("a long tour: %v", err)
	}
}

// TestControlsKey: controls lists the settings shown, view-only; an
// unknown name is an error listing the allowed ones.
func TestControlsKey(t *testing.T) {
	s, err := Parse("nscale=2&controls=nscale,k")
	if err != nil || !reflect.DeepEqual(s.View.Controls, []string{"nscale", "k"}) || !s.View.ShowsControl("k") || s.View.ShowsControl("seed") || s.View.AllControls() {
		t.Fatalf("controls=nscale,k: %+v, %v", s.View.Controls, err)
	}
	if got := s.Canonical(); got != "nscale=2&controls=nscale,k" || s.ExperimentQuery() != "nscale=2" {
		t.Errorf("Canonical %q, experiment %q", got, s.ExperimentQuery())
	}
	if !Default().View.AllControls() {
		t.Error("the default shows every control")
	}
	_, err = Parse("controls=k,speed")
	es := asErrors(err)
	if len(es) != 1 || es[0].Key != kControls || es[0].Value != "speed" ||
		es[0].Allowed != "comma-separated subset of "+strings.Join(Lookup(kControls).Values, ", ") {
		t.Errorf("controls=k,speed: %#v", es)
	}
}

// FuzzParseTour: ParseTour never panics; what it accepts survives
// FormatTour and the tour key.
func FuzzParseTour(f *testing.F) {
	for _, tour := range Tours {
		f.Add(tour.Text())
	}
	for _, s := range []string{"", "|", "||", "density||x", "density | k=1&& | x", "samples | %zz | x", "#\n\n | | ", "curves | k=1&k=2 | x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		steps, err := ParseTour(text)
		if err != nil {
			if _, ok := err.(*TourError); !ok {
				t.Fatalf("error type %T", err)
			}
			return
		}
		again, err := ParseTour(FormatTour(steps))
		if err != nil || !reflect.DeepEqual(again, steps) {
			t.Fatalf("round trip of %q: %+v, %v", text, again, err)
		}
		if len(steps) > MaxTourSteps {
			t.Fatalf("%d steps", len(steps))
		}
	})
}

// FormatTour writes steps in the text format, one line each; ParseTour
// of the result returns them.
func FormatTour(steps []TourStep) string {
	var b strings.Builder
	for _, st := range steps {
		b.WriteString(st.Panel + " | " + st.Change + " | " + st.Text + "\n")
	}
	return b.String()
}
