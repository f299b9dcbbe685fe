//go:build !labpage

package view

import (
	"strings"
	"testing"

	"nceplay/core/spec"
)

// TestTourSteps: a tour applies each step's change over the spec of the
// step before (the user's other settings kept), Back restores that spec,
// and the tour key stays in the link throughout.
func TestTourSteps(t *testing.T) {
	text := "density | k=4 | one ([E8](docs/math.md#e8))\nclassifier | nscale=2 | two\ncurves | | three\n"
	s, err := spec.Parse("seed=7&theme=dark&tour=" + spec.EncodeTour(text))
	if err != nil {
		t.Fatal(err)
	}
	tour, s, err := StartTour(s)
	if err != nil || !tour.Active() || s.K != 4 || tour.Panel() != spec.PanelDensity || tour.Counter() != "Step 1 of 3" || tour.HasBack() {
		t.Fatalf("start: %+v k=%d %v", tour, s.K, err)
	}
	s.N = 500 // the user changes a setting during step 1
	s1 := s
	if s, err = tour.Next(s); err != nil || s.NScale != 2 || s.K != 4 || s.N != 500 || s.Seed != 7 || tour.Panel() != spec.PanelClassifier {
		t.Fatalf("next: %+v %v", s, err)
	}
	if s, _ = tour.Next(s); tour.Counter() != "Step 3 of 3" || tour.HasNext() || s.NScale != 2 {
		t.Fatalf("step 3: %s %v", tour.Counter(), s.NScale)
	}
	if again, _ := tour.Next(s); again.Canonical() != s.Canonical() || tour.I != 2 {
		t.Error("Next at the last step moved")
	}
	s.View.Theme = spec.ThemeLight // a view change is kept by Back
	s = tour.Back(s)
	s = tour.Back(s)
	if s.ExperimentQuery() != s1.ExperimentQuery() || tour.I != 0 || s.View.Theme != spec.ThemeLight {
		t.Errorf("back twice: %q (theme %s), want %q", s.ExperimentQuery(), s.View.Theme, s1.ExperimentQuery())
	}
	if s.View.Tour == "" || !strings.Contains(Address(s, false), "tour=") {
		t.Error("the tour key left the link")
	}
}

// TestTourLink: a loaded text becomes the tour key; a bad one is refused
// naming its line, the spec unchanged.
func TestTourLink(t *testing.T) {
	s := spec.Default()
	got, err := TourLink(s, "samples | k=2 | look\n")
	if err != nil || got.View.Tour != spec.EncodeTour("samples | k=2 | look\n") {
		t.Fatalf("%+v %v", got.View, err)
	}
	got, err = TourLink(s, "samples | k=2 | look\nnowhere | | x\n")
	if err == nil || !strings.Contains(err.Error(), "tour line 2: panel \"nowhere\"") || got.View.Tour != "" {
		t.Errorf("bad line: %v", err)
	}
}

// TestShownControls: controls= keeps only the listed controls, in table
// order; the default keeps all.
func TestShownControls(t *testing.T) {
	s, err := spec.Parse("controls=nscale,k")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range ShownControls(s) {
		names = append(names, c.Name)
	}
	if strings.Join(names, ",") != "nscale,k" {
		t.Errorf("shown %v", names)
	}
	if len(ShownControls(spec.Default())) != len(Controls(spec.Default())) {
		t.Error("the default hides controls")
	}
}
