package lab

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"nceplay/core/spec"
)

// TestTables: every lab has a Table with the rows of its Keys, whose
// default state is the lab's canonical default query.
func TestTables(t *testing.T) {
	for _, l := range All {
		if l.Table == nil {
			t.Errorf("%s: no Table (lab.TableOf of its key table)", l.Name)
			continue
		}
		st, err := l.Table.Parse("")
		if err != nil || st.Query != "lab="+l.Name || len(st.Values) != len(l.Keys) || len(st.Relevant) != len(l.Keys) {
			t.Errorf("%s: default state %+v, %v", l.Name, st, err)
			continue
		}
		for i, k := range l.Keys {
			if st.Values[i] != k.Default {
				t.Errorf("%s.%s: default value %q, row says %q", l.Name, k.Name, st.Values[i], k.Default)
			}
		}
	}
}

func TestOpen(t *testing.T) {
	s, err := Open("?k=10&theme=dark&lab=w2v&embed=1&corpus=alice")
	if err != nil {
		t.Fatal(err)
	}
	if s.Lab != W2V || s.Query != "lab=w2v&corpus=alice&k=10" || s.ViewQuery != "embed=1&theme=dark" ||
		!s.View.Embed || s.View.Theme != spec.ThemeDark || s.View.Speed != 1 {
		t.Errorf("settings %+v", s)
	}
	if got := s.Link(); got != "lab=w2v&corpus=alice&k=10&embed=1&theme=dark" {
		t.Errorf("link %q", got)
	}
	if s.ViewValue("theme") != "dark" || s.ViewValue("embed") != "1" || s.ViewValue("panels") != "" || s.ViewValue("k") != "" {
		t.Errorf("view values %+v", s.View)
	}
	if s.Value("corpus") != "alice" || s.Value("k") != "10" || s.Value("nope") != "" {
		t.Errorf("values %v", s.Values)
	}
	// tokens applies to a generator only.
	for i, k := range W2V.Keys {
		if k.Name == "tokens" && s.Relevant[i] {
			t.Error("tokens is relevant to a text corpus")
		}
	}

	// No lab: nothing, no error; an unknown lab: the error.
	if s, err := Open("k=5"); s.Lab != nil || err != nil {
		t.Errorf("Open(k=5) = %+v, %v", s, err)
	}
	if s, err := Open("lab=nope"); s.Lab != nil || err == nil {
		t.Errorf("Open(lab=nope) = %+v, %v", s, err)
	}

	// Bad keys: each runs its default, the others keep their values; the
	// experiment's errors come first, then the view keys'.
	s, err = Open("lab=w2v&k=abc&theme=pink&dim=8&panels=density&foo=1")
	var es spec.Errors
	if !errors.As(err, &es) {
		t.Fatalf("error %v", err)
	}
	var keys []string
	for _, e := range es {
		keys = append(keys, e.Key)
	}
	if !slices.Equal(keys, []string{"k", "panels", "foo", "theme"}) {
		t.Errorf("error keys %v: %v", keys, err)
	}
	if s.Query != "lab=w2v&dim=8" || s.ViewQuery != "" {
		t.Errorf("after bad keys: %q, %q", s.Query, s.ViewQuery)
	}

	// A query too long is refused whole.
	if s, err := Open("lab=w2v&k=5&x=" + strings.Repeat("a", spec.MaxQueryLen)); err == nil || s.Query != "lab=w2v" {
		t.Errorf("too long: %q, %v", s.Query, err)
	}
}

func TestWith(t *testing.T) {
	s, _ := Open("lab=w2v&corpus=syntax")
	s2, err := W2V.With(s, "k", "20")
	if err != nil || s2.Link() != "lab=w2v&corpus=syntax&k=20" {
		t.Errorf("k=20: %q, %v", s2.Link(), err)
	}
	// A bad value changes nothing.
	s3, err := W2V.With(s2, "k", "1000")
	if err == nil || s3.Link() != s2.Link() {
		t.Errorf("k=1000: %q, %v", s3.Link(), err)
	}
	// A view key.
	s4, err := W2V.With(s2, "theme", "light")
	if err != nil || s4.Link() != "lab=w2v&corpus=syntax&k=20&theme=light" || s4.Query != s2.Query {
		t.Errorf("theme: %q, %v", s4.Link(), err)
	}
	// Back to the default drops the key.
	s5, err := W2V.With(s4, "corpus", "topics")
	if err != nil || s5.Link() != "lab=w2v&k=20&theme=light" {
		t.Errorf("corpus=topics: %q, %v", s5.Link(), err)
	}
	// A rule repairs: a generator has at most 200 words.
	s6, _ := Open("lab=w2v&corpus=alice&vocab=500")
	s7, err := W2V.With(s6, "corpus", "topics")
	if err == nil || s7.Value("vocab") != "30" || s7.Value("corpus") != "topics" {
		t.Errorf("vocab rule: %q, %v", s7.Link(), err)
	}
	if _, err := W2V.With(s, "nope", "1"); err == nil {
		t.Error("an unknown key was accepted")
	}
}

func TestTrack(t *testing.T) {
	r, err := W2V.New("lab=w2v&tokens=2000&epochs=2&dim=4", Input{})
	if err != nil {
		t.Fatal(err)
	}
	tr, ok := r.(Tracker)
	if !ok {
		t.Fatal("the w2v run is no Tracker")
	}
	if p := tr.Track(); p.Done != 0 || p.Total != 4000 || p.Unit != "words" || p.Stage != "epoch 1 of 2" {
		t.Errorf("start: %+v", p)
	}
	r.Step(2500)
	if p := tr.Track(); p.Done != 2500 || p.Stage != "epoch 2 of 2" {
		t.Errorf("after 2500: %+v", p)
	}
	r.Step(5000)
	if p := tr.Track(); p.Done != 4000 || p.Stage != "epoch 2 of 2" || !r.Done() {
		t.Errorf("done: %+v", p)
	}
}

// TestLinksRun: a link copied from a lab's page runs as is: its view-only
// keys are checked and left out of the experiment.
func TestLinksRun(t *testing.T) {
	r, err := W2V.New("lab=w2v&tokens=2000&theme=dark&embed=1&speed=2", Input{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Query() != "lab=w2v&tokens=2000" {
		t.Errorf("query %q", r.Query())
	}
	if _, err := W2V.New("lab=w2v&theme=pink", Input{}); err == nil || !strings.Contains(err.Error(), `key "theme"`) {
		t.Errorf("a bad view key: %v", err)
	}
	if _, err := W2V.New("lab=w2v&panels=density", Input{}); err == nil {
		t.Error("the playground's panels key was taken")
	}
}
