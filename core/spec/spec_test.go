package spec

import (
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"nceplay/core/model"
)

// TestTable checks the table's consistency: names, kinds against the Spec
// fields, defaults, ranges, values and docs.
func TestTable(t *testing.T) {
	wantOrder := []string{"v", "target", "noise", "nscale", "nshift", "ncomp", "model", "deg", "units", "layers",
		"obj", "norm", "k", "n", "batch", "opt", "lr", "sched", "steps", "seed",
		"data", "datafile", "embed", "autoplay", "panels", "speed", "theme", "captions", "workers", "tour", "controls"}
	var names []string
	for _, k := range Keys {
		names = append(names, k.Name)
	}
	if !slices.Equal(names, wantOrder) {
		t.Fatalf("Keys order = %v, want %v", names, wantOrder)
	}
	wantLog := []string{"nscale", "k", "n", "batch", "lr", "steps", "speed"}
	wantView := []string{"embed", "autoplay", "panels", "speed", "theme", "captions", "workers", "tour", "controls"}
	var s Spec
	for i := range Keys {
		k := &Keys[i]
		var ok bool
		switch k.Ptr(&s).(type) {
		case *string:
			ok = k.Kind == KindEnum || k.Kind == KindText
		case *int:
			ok = k.Kind == KindInt
		case *uint64:
			ok = k.Kind == KindUint64
		case *float64:
			ok = k.Kind == KindFloat
		case *bool:
			ok = k.Kind == KindBool
		case *[]string:
			ok = k.Kind == KindList
		}
		if !ok {
			t.Errorf("%s: field type %T does not match kind %v", k.Name, k.Ptr(&s), k.Kind)
		}
		if err := k.Set(&s, k.Default); err != nil {
			t.Errorf("%s: default %q: %v", k.Name, k.Default, err)
		}
		if got := k.Get(&s); got != k.Default {
			t.Errorf("%s: default %q is not canonical (Get gives %q)", k.Name, k.Default, got)
		}
		switch k.Kind {
		case KindEnum, KindList, KindBool:
			if len(k.Values) == 0 {
				t.Errorf("%s: no Values", k.Name)
			}
		case KindInt, KindFloat:
			if !(k.Min <= k.Max) {
				t.Errorf("%s: Min %v > Max %v", k.Name, k.Min, k.Max)
			}
		}
		if (k.Dims != nil) != (k.Name == "target") || len(k.Dims) != len(k.Values) && k.Dims != nil {
			t.Errorf("%s: Dims %v for Values %v", k.Name, k.Dims, k.Values)
		}
		for _, d := range k.Dims {
			if d != 1 && d != 2 {
				t.Errorf("%s: dimension %d", k.Name, d)
			}
		}
		if k.Label == "" || !strings.HasSuffix(k.Doc, ".") || strings.Count(k.Doc, ". ") > 0 {
			t.Errorf("%s: want a Label and a one-sentence Doc, have %q, %q", k.Name, k.Label, k.Doc)
		}
		if k.Log != slices.Contains(wantLog, k.Name) {
			t.Errorf("%s: Log = %v", k.Name, k.Log)
		}
		if k.View != slices.Contains(wantView, k.Name) {
			t.Errorf("%s: View = %v", k.Name, k.View)
		}
		if Lookup(k.Name) != k {
			t.Errorf("Lookup(%q) is not &Keys[%d]", k.Name, i)
		}
		if k.Kind.String() == "" || strings.HasPrefix(k.Kind.String(), "Kind(") {
			t.Errorf("%s: kind %d has no name", k.Name, k.Kind)
		}
	}
	if Lookup("nope") != nil {
		t.Error("Lookup of an unknown key is not nil")
	}
}

func TestDefault(t *testing.T) {
	want := Spec{V: 1, Target: "quartic", Noise: "gauss", NScale: 1, NShift: 0, NComp: 8, Model: "poly", Deg: 4,
		Units: 32, Layers: 2, Obj: "nce", Norm: "learn", K: 1, N: 10000, Batch: 256, Opt: "adam",
		LR: 0.01, Sched: "const", Steps: 2000, Seed: 1,
		View: View{Panels: []string{"samples", "classifier", "density", "curves", "explain"}, Speed: 1, Theme: "auto", Workers: 2,
			Controls: []string{"target", "noise", "nscale", "nshift", "ncomp", "model", "deg", "units", "layers", "obj", "norm",
				"k", "n", "batch", "opt", "lr", "sched", "steps", "seed"}}}
	d := Default()
	if !reflect.DeepEqual(d, want) {
		t.Fatalf("Default() = %+v\nwant %+v", d, want)
	}
	for _, q := range []string{"", "?", "&&", "?v=1&&target=quartic&seed=1"} {
		s, err := Parse(q)
		if err != nil || !reflect.DeepEqual(s, want) {
			t.Errorf("Parse(%q) = %+v, %v; want the default", q, s, err)
		}
	}
	if c := d.Canonical(); c != "" {
		t.Errorf("Default().Canonical() = %q, want \"\"", c)
	}
	if c := d.ExperimentQuery(); c != "" {
		t.Errorf("Default().ExperimentQuery() = %q, want \"\"", c)
	}
	if err := d.Validate(); err != nil {
		t.Errorf("Default().Validate() = %v", err)
	}
	if d.Dim() != 1 {
		t.Errorf("Default().Dim() = %d", d.Dim())
	}
	d.View.Panels[0] = "changed"
	if Default().View.Panels[0] != "samples" {
		t.Error("Default shares its Panels slice")
	}
}

// TestRoundTrip parses non-default specs: each must parse without error to
// the given canonical form, and that form must parse to the same spec.
func TestRoundTrip(t *testing.T) {
	cases := []struct{ in, canonical string }{
		{"k=3", "k=3"},
		{"?lr=1e-2", ""},
		{"lr=1e-3", "lr=0.001"},
		{"lr=1e-6", "lr=1e-06"},
		{"lr=10&nscale=20&nshift=-10", "nscale=20&nshift=-10&lr=10"},
		{"nshift=-0", ""},
		{"nshift=%2B2.50", "nshift=2.5"},
		{"nshift=.5", "nshift=0.5"},
		{"nscale=3.", "nscale=3"},
		{"nscale=0.1&speed=0.1", "nscale=0.1&speed=0.1"},
		{"k=1e0", ""},
		{"k=1e1", "k=10"},
		{"steps=1e4&n=1E6&batch=2.5e1", "n=1000000&batch=25&steps=10000"},
		{"steps=0", "steps=0"},
		{"seed=0", "seed=0"},
		{"seed=007", "seed=7"},
		{"seed=18446744073709551615", "seed=18446744073709551615"},
		{"theme=dark&seed=2&target=moons&v=1", "target=moons&seed=2&theme=dark"},
		{"target=spiral&model=mlp&units=64&layers=3&obj=rank&k=100&batch=64&opt=momentum",
			"target=spiral&model=mlp&units=64&layers=3&obj=rank&k=100&batch=64&opt=momentum"},
		{"model=poly&deg=8&opt=newton&obj=mle&n=100000", "deg=8&obj=mle&n=100000&opt=newton"},
		{"model=rbf&units=16&target=checker&opt=newton&n=100&k=2", "target=checker&model=rbf&units=16&k=2&n=100&opt=newton"},
		{"obj=cls&norm=fixed", "obj=cls&norm=fixed"},
		// Newton takes no learning rate and no schedule: both are dropped.
		{"opt=newton&lr=1&sched=cosine", "opt=newton"},
		{"sched=cosine&lr=0.003", "lr=0.003&sched=cosine"},
		{"sched=const", ""},
		{"noise=laplace&nscale=0.5&nshift=1.25", "noise=laplace&nscale=0.5&nshift=1.25"},
		{"noise=mix", "noise=mix"},
		{"ncomp=3&noise=mix&nscale=2", "noise=mix&nscale=2&ncomp=3"},
		{"noise=mix&ncomp=8", "noise=mix"},
		{"ncomp=3", ""}, // ncomp applies to mix only
		{"panels=density,samples,density", "panels=samples,density"},
		{"panels=explain%2Ccurves", "panels=curves,explain"},
		{"panels=samples,classifier,density,curves,explain", ""},
		{"embed=1&autoplay=1&speed=2.5&theme=light", "embed=1&autoplay=1&speed=2.5&theme=light"},
		{"%6B=3&%6Ebatch=1", ""}, // placeholder replaced below
	}
	cases[len(cases)-1] = struct{ in, canonical string }{"%6B=3&mod%65l=mlp", "model=mlp&k=3"}
	for _, c := range cases {
		s, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := s.Canonical(); got != c.canonical {
			t.Errorf("Parse(%q).Canonical() = %q, want %q", c.in, got, c.canonical)
		}
		s2, err := Parse(s.Canonical())
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Errorf("Parse(%q) = %+v, but Parse(%q) = %+v, %v", c.in, s, s.Canonical(), s2, err)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("Parse(%q).Validate() = %v", c.in, err)
		}
	}
}

func TestExperimentQuery(t *testing.T) {
	s, err := Parse("theme=dark&k=3&embed=1&panels=density&speed=2&autoplay=1&seed=9")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := s.ExperimentQuery(), "k=3&seed=9"; got != want {
		t.Errorf("ExperimentQuery() = %q, want %q", got, want)
	}
	if got, want := s.Canonical(), "k=3&seed=9&embed=1&autoplay=1&panels=density&speed=2&theme=dark"; got != want {
		t.Errorf("Canonical() = %q, want %q", got, want)
	}
}

func TestDim(t *testing.T) {
	for _, c := range []struct {
		target string
		dim    int
	}{{"quartic", 1}, {"gauss", 1}, {"bimodal", 1}, {"laplace", 1},
		{"gauss2d", 2}, {"ring", 2}, {"moons", 2}, {"spiral", 2}, {"checker", 2}, {"nope", 0}} {
		s := Default()
		s.Target = c.target
		if got := s.Dim(); got != c.dim {
			t.Errorf("Dim(%s) = %d, want %d", c.target, got, c.dim)
		}
	}
}

// TestNormalization: keys irrelevant to the experiment are accepted,
// range-checked, and reset to their defaults so that Canonical drops them.
func TestNormalization(t *testing.T) {
	cases := []struct{ in, canonical string }{
		{"model=mlp&deg=6", "model=mlp"},
		{"target=ring&deg=6", "target=ring"},
		{"model=rbf&deg=2&layers=3", "model=rbf"},
		{"deg=6&units=64&layers=1", "deg=6"},
		{"model=mlp&units=64&layers=1&deg=8", "model=mlp&units=64&layers=1"},
		{"obj=neg&norm=fixed", "obj=neg"},
		{"obj=rank&norm=fixed", "obj=rank"},
		{"obj=mle&norm=fixed", "obj=mle"},
		{"obj=nce&norm=fixed", "norm=fixed"},
	}
	for _, c := range cases {
		s, err := Parse(c.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.in, err)
			continue
		}
		if got := s.Canonical(); got != c.canonical {
			t.Errorf("Parse(%q).Canonical() = %q, want %q", c.in, got, c.canonical)
		}
		want, err := Parse(c.canonical)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.canonical, err)
		}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("Parse(%q) = %+v, want %+v", c.in, s, want)
		}
	}
	// Irrelevant keys are still range-checked.
	if _, err := Parse("model=mlp&deg=5"); err == nil {
		t.Error(`Parse("model=mlp&deg=5") accepted an odd deg`)
	}
	// A hand-built spec keeps irrelevant values, but Canonical drops them.
	s := Default()
	s.Model, s.Deg, s.View.Panels = "mlp", 6, []string{"density", "samples", "density"}
	if err := s.Validate(); err != nil {
		t.Errorf("Validate: %v", err)
	}
	if got := s.Canonical(); got != "model=mlp&panels=samples,density" {
		t.Errorf("Canonical of a hand-built spec = %q", got)
	}
	n := s.Normalized()
	if n.Deg != 4 || !slices.Equal(n.View.Panels, []string{"samples", "density"}) || s.Deg != 6 {
		t.Errorf("Normalized() = %+v (from %+v)", n, s)
	}
}

// badCase is a query with one problem: Parse(good + "&" + bad) must return
// exactly one Error for key, whose message names the value and contains
// allowed, and the spec Parse(good) (the bad key at its default).
type badCase struct {
	good, bad string
	key       string
	value     string // Error.Value
	reason    string // a part of Error.Reason
	allowed   string // Error.Allowed
}

func checkBad(t *testing.T, c badCase) {
	t.Helper()
	q := c.bad
	if c.good != "" {
		q = c.good + "&" + c.bad
	}
	s, err := Parse(q)
	want, werr := Parse(c.good)
	if werr != nil {
		t.Fatalf("Parse(%q): %v", c.good, werr)
	}
	es := asErrors(err)
	if len(es) != 1 {
		t.Errorf("Parse(%q): want one Error, have %v", q, err)
		return
	}
	e := es[0]
	if e.Key != c.key || e.Value != c.value || !strings.Contains(e.Reason, c.reason) || e.Allowed != c.allowed {
		t.Errorf("Parse(%q) error = %#v\nwant key %q, value %q, reason ~%q, allowed %q", q, e, c.key, c.value, c.reason, c.allowed)
	}
	msg := err.Error()
	prefix := "spec: key " + quote(c.key)
	if c.key == "" {
		prefix = "spec: query"
	}
	if c.value != "" {
		prefix += ": value " + quote(c.value) + " "
	}
	if !strings.HasPrefix(msg, prefix) || !strings.HasSuffix(msg, "; allowed: "+c.allowed) {
		t.Errorf("Parse(%q) message %q does not name key, value and allowed", q, msg)
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse(%q) = %+v\nwant %+v", q, s, want)
	}
	var pe *Error
	if !errors.As(err, &pe) || pe != e {
		t.Errorf("errors.As does not find the *Error in %v", err)
	}
}

func TestParseErrors(t *testing.T) {
	const keys = "v, target, noise, nscale, nshift, ncomp, model, deg, units, layers, obj, norm, k, n, batch, opt, lr, sched, steps, seed, data, datafile, embed, autoplay, panels, speed, theme, captions, workers, tour, controls"
	targets := strings.Join(registries()[kTarget], ", ")
	cases := []badCase{
		{"k=3", "foo=1", "foo", "", "is not a known key", keys},
		{"k=3", "=1", "", "", `has a pair "=1" with no key name`, "key=value pairs with the keys " + keys},
		{"k=3", "target=quartic%00", "target", `quartic\x00`, "is not one of the allowed values", targets},
		{"k=3", "steps=1e3%00", "steps", `1e3\x00`, "is not a whole number", "0 … 10000000"},
		{"k=3", "K=1", "K", "", "is not a known key", keys},
		{"target=ring", "k", "k", "", "has no value", "1 … 1024"},
		{"target=ring", "k=", "k", "", "has no value", "1 … 1024"},
		{"target=ring", "k=3&k=4", "k", "4", "repeats the key", "1 … 1024"},
		{"target=ring", "model=cnn", "model", "cnn", "is not one of the allowed values", strings.Join(model.Names(), ", ")},
		{"k=3", "target=Ring", "target", "Ring", "is not one of", targets},
		{"k=3", "theme=blue", "theme", "blue", "is not one of", "auto, light, dark"},
		{"lr=0.1", "k=abc", "k", "abc", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "k=2.5", "k", "2.5", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "k=1.0000000000000000001", "k", "1.0000000000000000001", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "k=0x10", "k", "0x10", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "n=1_000", "n", "1_000", "is not a whole number", "16 … 1000000"},
		{"lr=0.1", "k=%201", "k", " 1", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "k=1+", "k", "1 ", "is not a whole number", "1 … 1024"},
		{"lr=0.1", "k=0", "k", "0", "is out of range", "1 … 1024"},
		{"lr=0.1", "k=1025", "k", "1025", "is out of range", "1 … 1024"},
		{"lr=0.1", "n=1e400", "n", "1e400", "is out of range", "16 … 1000000"},
		{"lr=0.1", "steps=-1", "steps", "-1", "is out of range", "0 … 10000000"},
		{"k=3", "lr=NaN", "lr", "NaN", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=Inf", "lr", "Inf", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=-inf", "lr", "-inf", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=0x1p-3", "lr", "0x1p-3", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=0.0_1", "lr", "0.0_1", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=1e", "lr", "1e", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=.", "lr", ".", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=0.1;k=2", "lr", "0.1;k=2", "is not a number", "1e-6 … 10"},
		{"k=3", "lr=1e400", "lr", "1e400", "is out of range", "1e-6 … 10"},
		{"k=3", "lr=1e-400", "lr", "1e-400", "is out of range", "1e-6 … 10"},
		{"k=3", "lr=11", "lr", "11", "is out of range", "1e-6 … 10"},
		{"k=3", "nshift=-10.5", "nshift", "-10.5", "is out of range", "-10 … 10"},
		{"k=3", "speed=0.05", "speed", "0.05", "is out of range", "0.1 … 10"},
		{"k=3", "lr=%zz", "lr", "%zz", "is not valid percent-encoding", "1e-6 … 10"},
		{"k=3", "seed=-1", "seed", "-1", "is not a whole number in decimal", "0 … 18446744073709551615"},
		{"k=3", "seed=1e3", "seed", "1e3", "is not a whole number in decimal", "0 … 18446744073709551615"},
		{"k=3", "seed=0x10", "seed", "0x10", "is not a whole number in decimal", "0 … 18446744073709551615"},
		{"k=3", "seed=%2B1", "seed", "+1", "is not a whole number in decimal", "0 … 18446744073709551615"},
		{"k=3", "seed=18446744073709551616", "seed", "18446744073709551616", "is out of range", "0 … 18446744073709551615"},
		{"k=3", "deg=5", "deg", "5", "is not even", "2 … 8 (even)"},
		{"k=3", "deg=10", "deg", "10", "is out of range", "2 … 8 (even)"},
		{"k=3", "v=2", "v", "2", "is not supported", "1"},
		{"k=3", "embed=true", "embed", "true", "is not 0 or 1", "0, 1"},
		{"k=3", "panels=samples,plots", "panels", "plots", "is not one of", "comma-separated subset of samples, classifier, density, curves, explain"},
		{"k=3", "panels=samples,,density", "panels", "samples,,density", "has an empty item", "comma-separated subset of samples, classifier, density, curves, explain"},
	}
	for _, c := range cases {
		checkBad(t, c)
	}
}

func TestErrorMessage(t *testing.T) {
	_, err := Parse("k=abc")
	if got, want := err.Error(), `spec: key "k": value "abc" is not a whole number; allowed: 1 … 1024`; got != want {
		t.Errorf("message\n%s\nwant\n%s", got, want)
	}
	_, err = Parse("foo=1&k")
	want := `spec: key "foo" is not a known key; allowed: v, target, noise, nscale, nshift, ncomp, model, deg, units, layers, obj, norm, k, n, batch, opt, lr, sched, steps, seed, data, datafile, embed, autoplay, panels, speed, theme, captions, workers, tour, controls` +
		"\n" + `spec: key "k" has no value (no '='); allowed: 1 … 1024`
	if got := err.Error(); got != want {
		t.Errorf("message\n%s\nwant\n%s", got, want)
	}
}

// TestAllErrors: every problem is listed, in query order, and every good
// key keeps its value.
func TestAllErrors(t *testing.T) {
	s, err := Parse("k=abc&target=moons&lr=0&foo=1&seed=5&deg=3&model=mlp&opt=newton")
	var keys []string
	for _, e := range asErrors(err) {
		keys = append(keys, e.Key)
	}
	if want := []string{"k", "lr", "foo", "deg", "opt"}; !slices.Equal(keys, want) {
		t.Errorf("error keys %v, want %v (%v)", keys, want, err)
	}
	want, werr := Parse("target=moons&seed=5&model=mlp")
	if werr != nil {
		t.Fatal(werr)
	}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("Parse = %+v, want %+v", s, want)
	}
}

// TestHostile: a hostile URL gives short, printable messages.
func TestHostile(t *testing.T) {
	long := strings.Repeat("9", 1000)
	_, err := Parse("k=" + long)
	es := asErrors(err)
	if len(es) != 1 || es[0].Value != strings.Repeat("9", MaxValueLen)+"…" {
		t.Errorf("long value: %#v", es)
	}
	_, err = Parse("lr=%1B%5B31m%E2%80%AEred%00%0A%7F&%07bell=1")
	es = asErrors(err)
	if len(es) != 2 || es[0].Value != `\x1b[31m\u202ered\x00\x0a\x7f` || es[1].Key != `\x07bell` {
		t.Errorf("control characters: %#v", es)
	}
	for _, e := range es {
		if strings.ContainsAny(e.Error(), "\x1b\x00\n\x7f\u202e") {
			t.Errorf("message %q holds control characters", e.Error())
		}
	}
	_, err = Parse("lr=%FF%FE")
	if es := asErrors(err); len(es) != 1 || es[0].Value != "\uFFFD\uFFFD" {
		t.Errorf("invalid UTF-8: %#v", es)
	}
	// Too long: one error for the whole query, and the defaults.
	q := "k=3&" + strings.Repeat("a", MaxQueryLen)
	s, err := Parse(q)
	es = asErrors(err)
	if len(es) != 1 || es[0].Key != "" || !strings.Contains(es[0].Error(), "too long") ||
		!strings.HasPrefix(es[0].Error(), `spec: query: value "k=3&aaa`) || !reflect.DeepEqual(s, Default()) {
		t.Errorf("too long: %v, %+v", err, s)
	}
	if _, err := Parse("?" + strings.Repeat("&", MaxQueryLen)); err != nil {
		t.Errorf("a query of exactly MaxQueryLen bytes after '?': %v", err)
	}
	// Many repeats of a key give one error.
	_, err = Parse(strings.Repeat("k=3&", 100))
	if es := asErrors(err); len(es) != 1 || es[0].Key != "k" {
		t.Errorf("repeats: %v", err)
	}
}

// TestRules covers the rules that involve several keys: the key reset,
// the message and the allowed values.
func TestRules(t *testing.T) {
	cases := []badCase{
		{"model=mlp", "opt=newton", "opt", "newton", "needs a model linear in θ (model=poly or model=rbf), not model=mlp", "adam, sgd, momentum"},
		{"obj=rank", "opt=newton", "opt", "newton", "needs a convex objective (obj=nce, cls, neg, mle), not obj=rank", "adam, sgd, momentum"},
		{"model=rbf&target=ring", "units=64", "units", "64", "gives units² = 4096 rbf centres on a 2D target", "4 … 32"},
		// Points per step: batch·(k+1) ≤ 2^20.
		{"k=1024", "batch=2000", "batch", "2000", "gives batch·(k+1) = 2000·1025 = 2050000 points per step, more than 1048576; lower batch or k", "1 … 1023"},
		{"k=16", "batch=65536", "batch", "65536", "gives batch·(k+1) = 65536·17 = 1114112 points per step, more than 1048576; lower batch or k", "1 … 61680"},
		{"obj=mle&k=1024", "batch=1023", "batch", "1023", "+ 1024 quadrature points = 1023·1025 + 1024 = 1049599 points", "1 … 1022"},
		{"obj=mle&k=1024&target=ring", "batch=1020", "batch", "1020", "+ 4096 quadrature points", "1 … 1019"},
		// Work per step: points × multiply-adds per point ≤ 2^28.
		// (At the default k = 1 and batch 256 no units breaks it: the
		// key that alone repairs it is reset, here k.)
		{"target=moons&model=mlp&layers=4&units=256", "k=10", "k", "10",
			"gives batch·(k+1) = 256·11 = 2816 points × 197376 multiply-adds per point = 5.56e+08 multiply-adds per step, more than 268435456; lower batch, k, units or layers", "1 … 4"},
		{"model=mlp&units=256&k=10", "batch=4096", "batch", "4096", "lower batch, k, units or layers", "1 … 369"},
		{"model=rbf&target=ring&batch=1000", "k=1024", "k", "1024", "1000·1025 = 1025000 points × 1024 multiply-adds per point = 1.05e+09 multiply-adds per step, more than 268435456; lower batch, k or units", "1 … 261"},
		// opt=newton: n·(k+1)·P² ≤ 2^31.
		{"model=rbf&target=ring&k=10", "opt=newton", "opt", "newton",
			"gives a full-batch opt=newton step of n·(k+1)·P² = 10000·11·1025² = 1.16e+11 with P = 1025 parameters (with c), more than 2147483648; lower n, k or units, or choose another opt", "adam, sgd, momentum"},
		{"model=rbf&opt=newton&units=256", "k=10", "k", "10", "lower n, k or units, or choose another opt", "1 … 2"},
		// opt=newton holds n·(k+1) points (n for mle) ≤ 2^22.
		{"opt=newton&k=100", "n=1000000", "n", "1000000", "makes a full-batch opt=newton run hold n·(k+1) = 1000000·101 = 1.01e+08 points, more than 4194304; lower n or k, or choose another opt", "16 … 41527"},
		{"opt=newton&target=ring&k=100", "n=1000000", "n", "1000000", "lower n or k, or choose another opt", "16 … 41527"},
	}
	for _, c := range cases {
		checkBad(t, c)
	}
}

// TestRuleRepairs checks specs where more than one key is reset, or where
// the reset must not pick a key that would not help.
func TestRuleRepairs(t *testing.T) {
	cases := []struct {
		in, want string // want: the canonical form of the result
		keys     []string
	}{
		// batch alone cannot fix mlp 2D with 4 layers of 256 units; units can.
		// Then 4096·11 points × 263 floats is over the memory cap: batch.
		{"target=moons&model=mlp&layers=4&units=256&batch=4096&k=10", "target=moons&model=mlp&layers=4&k=10", []string{"units", "batch"}},
		// Resetting layers=1 to 2 would raise the cost: batch is reset.
		{"model=mlp&layers=1&units=256&batch=65536", "model=mlp&units=256&layers=1", []string{"batch"}},
		// The work cap resets k (batch is at its default); then neither n
		// nor units alone fixes rbf 2D newton: opt is reset (and then
		// n·(k+1) = 2·10⁶ points is within the cap: n stays).
		{"target=ring&model=rbf&units=32&opt=newton&n=1000000&k=1024", "target=ring&model=rbf&n=1000000", []string{"k", "opt"}},
		// Three repairs: opt for mlp, the points cap, then the work cap
		// (mlp's 1088 multiply-adds × 256·1025 points > 2^28).
		{"model=mlp&opt=newton&batch=65536&k=1024", "model=mlp", []string{"opt", "batch", "k"}},
	}
	for _, c := range cases {
		s, err := Parse(c.in)
		var keys []string
		for _, e := range asErrors(err) {
			keys = append(keys, e.Key)
		}
		if !slices.Equal(keys, c.keys) || s.Canonical() != c.want {
			t.Errorf("Parse(%q) = %q, errors %v; want %q, keys %v", c.in, s.Canonical(), err, c.want, c.keys)
		}
		if err := s.Validate(); err != nil {
			t.Errorf("Parse(%q) is not valid: %v", c.in, err)
		}
	}
}

func TestStepCost(t *testing.T) {
	cases := []struct {
		q             string
		points, work  float64
		newton        float64
		validPointCap bool
	}{
		{"", 512, 512 * 4, 10000 * 2 * 25, true},
		{"k=10", 2816, 2816 * 4, 10000 * 11 * 25, true},
		{"deg=8&k=10", 2816, 2816 * 8, 10000 * 11 * 81, true},
		{"target=ring&k=10", 2816, 2816 * 5, 10000 * 11 * 36, true},
		{"model=rbf&units=10&k=10", 2816, 28160, 10000 * 11 * 121, true},
		{"model=rbf&units=10&target=ring&k=10", 2816, 281600, 10000 * 11 * 101 * 101, true},
		{"obj=mle&k=10", 2816 + 1024, (2816 + 1024) * 4, 10000 * 11 * 25, true},
		{"obj=mle&target=moons&k=10", 2816 + 4096, (2816 + 4096) * 5, 10000 * 11 * 36, true},
		{"model=mlp&units=8&layers=3&k=10", 2816, 2816 * (8 + 2*64 + 8), 0, true},
		{"model=mlp&units=8&layers=3&target=ring&k=10", 2816, 2816 * (16 + 2*64 + 8), 0, true},
		{"batch=65536&k=15", 1 << 20, 4 << 20, 0, true},
	}
	for _, c := range cases {
		s, err := Parse(c.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.q, err)
		}
		p, w := s.StepCost()
		if p != c.points || w != c.work {
			t.Errorf("%q: StepCost = %v, %v; want %v, %v", c.q, p, w, c.points, c.work)
		}
		if c.newton != 0 && s.NewtonCost() != c.newton {
			t.Errorf("%q: NewtonCost = %v, want %v", c.q, s.NewtonCost(), c.newton)
		}
	}
	// The caps are inclusive: exactly MaxStepPoints is allowed.
	if _, err := Parse("batch=65536&k=15"); err != nil {
		t.Error(err)
	}
	if _, err := Parse("batch=65536&k=16"); err == nil {
		t.Error("batch=65536&k=16 accepted")
	}
}

// TestDefaultsSatisfyRules: with every key that a rule may reset at its
// default, all rules hold, whatever the target, model and objective. The
// repair loop relies on it.
func TestDefaultsSatisfyRules(t *testing.T) {
	for _, target := range Lookup("target").Values {
		for _, model := range Lookup("model").Values {
			for _, obj := range Lookup("obj").Values {
				s := Default()
				s.Target, s.Model, s.Obj = target, model, obj
				if s.IsData() {
					// A data target's points are not a key a rule resets.
					s.DataFile = "0123456789abcdef-100"
				}
				for i := range Playground.rules {
					if e, why := Playground.rules[i].Check(&s); e > 0 {
						t.Errorf("%s %s %s: %s", target, model, obj, why)
					}
				}
			}
		}
	}
}

func TestValidate(t *testing.T) {
	s := Default()
	s.K, s.LR, s.Target, s.View.Panels, s.Seed = 0, 1/zero(), "torus", nil, 1<<63
	err := s.Validate()
	var keys []string
	for _, e := range asErrors(err) {
		keys = append(keys, e.Key)
	}
	if want := []string{"target", "k", "lr", "panels"}; !slices.Equal(keys, want) {
		t.Errorf("Validate error keys %v, want %v: %v", keys, want, err)
	}
	if s.K != 0 || s.Target != "torus" {
		t.Error("Validate changed its receiver")
	}
	s = Default()
	s.Model, s.Opt = "mlp", "newton"
	if es := asErrors(s.Validate()); len(es) != 1 || es[0].Key != "opt" {
		t.Errorf("Validate(mlp, newton) = %v", es)
	}
	s = Default()
	s.NShift = -zero()
	if err := s.Validate(); err != nil || s.Canonical() != "" {
		t.Errorf("−0: %v, %q", err, s.Canonical())
	}
	// Canonical escapes what a hand-built value needs, and Parse reads it back.
	s = Default()
	s.Target = "a b+ü&k=1"
	if got := s.Canonical(); got != "target=a%20b%2B%C3%BC%26k%3D1" {
		t.Errorf("Canonical escapes %q as %q", s.Target, got)
	}
	if _, err := Parse(s.Canonical()); len(asErrors(err)) != 1 || asErrors(err)[0].Value != s.Target {
		t.Errorf("Parse of an escaped bad value: %v", err)
	}
	if s, err := Parse("nshift=-0"); err != nil || math.Signbit(s.NShift) {
		t.Error("Parse keeps −0")
	}
}

func zero() float64 { return 0 }

func TestKeyGetSet(t *testing.T) {
	s := Default()
	lr := Lookup("lr")
	if err := lr.Set(&s, "0.5"); err != nil || s.LR != 0.5 || lr.Get(&s) != "0.5" {
		t.Errorf("Set lr 0.5: %v, %v", err, s.LR)
	}
	err := lr.Set(&s, "11")
	var e *Error
	if !errors.As(err, &e) || e.Key != "lr" || s.LR != 0.5 {
		t.Errorf("Set lr 11: %v, lr = %v", err, s.LR)
	}
	if err := Lookup("seed").Set(&s, "18446744073709551615"); err != nil || s.Seed != 1<<64-1 {
		t.Errorf("Set seed: %v, %v", err, s.Seed)
	}
	deg, units, norm := Lookup("deg"), Lookup("units"), Lookup("norm")
	if !deg.Relevant(&s) || units.Relevant(&s) || !norm.Relevant(&s) {
		t.Error("Relevant wrong for the default spec")
	}
	s.Model, s.Obj = "mlp", "rank"
	if deg.Relevant(&s) || !units.Relevant(&s) || norm.Relevant(&s) {
		t.Error("Relevant wrong for mlp, rank")
	}
}

// TestRandomQueries builds many queries from plausible and extreme values
// and checks what FuzzParse checks: valid results that round-trip.
func TestRandomQueries(t *testing.T) {
	pool := map[string][]string{}
	for _, k := range Keys {
		vs := append([]string{k.Default, "", "x", "-1"}, k.Values...)
		if k.Kind == KindInt || k.Kind == KindFloat {
			vs = append(vs, fmtNum(k.Min), fmtNum(k.Max), fmtNum((k.Min+k.Max)/2), fmtNum(k.Max/4), fmtNum(k.Max/16), "1e400")
		}
		pool[k.Name] = vs
	}
	r := rand.New(rand.NewPCG(1, 2))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		var parts []string
		for range r.IntN(10) {
			k := Keys[r.IntN(len(Keys))]
			vs := pool[k.Name]
			parts = append(parts, k.Name+"="+vs[r.IntN(len(vs))])
		}
		q := strings.Join(parts, "&")
		s, _ := Parse(q)
		s2, err := Parse(s.Canonical())
		if err != nil || !reflect.DeepEqual(s, s2) {
			t.Fatalf("Parse(%q) = %q; Parse of that: %+v, %v", q, s.Canonical(), s2, err)
		}
	}
}

// TestStepMemoryCap: the working memory of a step, points × floats per
// point, is capped; a narrow mlp with 2²⁰ points per step is within the
// work cap but not the memory cap.
func TestStepMemoryCap(t *testing.T) {
	for _, c := range []struct {
		q   string
		mem float64
		ok  bool
	}{
		{"", 512 * 4, true},
		{"k=10", 2816 * 4, true},
		{"target=ring&model=mlp&units=64&layers=2&k=8&batch=256", 2304 * (5 + 6*64 + 2), true}, // W2
		{"model=rbf&units=32&target=ring&k=10", 2816 * (5 + 5*32), true},
		{"model=mlp&units=16&layers=1&batch=1024&k=1023", 1 << 20 * (4 + 5*16 + 1), false},
	} {
		s, err := Parse(c.q)
		if (err == nil) != c.ok {
			t.Errorf("Parse(%q) error = %v, want ok = %v", c.q, err, c.ok)
			continue
		}
		if c.ok && s.StepMemory() != c.mem {
			t.Errorf("%q: StepMemory = %v, want %v", c.q, s.StepMemory(), c.mem)
		}
		if !c.ok && !strings.Contains(err.Error(), "of working memory per step, more than 8388608 (64 MB)") {
			t.Errorf("%q: %v", c.q, err)
		}
	}
}

// TestNewtonPointsCap: a full-batch Newton run holds n·(k+1) points (n for
// mle, which draws no noise), at most MaxNewtonPoints; the cap is
// inclusive.
func TestNewtonPointsCap(t *testing.T) {
	for _, c := range []struct {
		q  string
		ok bool
	}{
		{"opt=newton&obj=mle&n=1000000", true}, // 10⁶ ≤ 2²²
		{"opt=newton&n=381300&k=10", true},     // 381300·11 = 4194300
		{"opt=newton&n=381301&k=10", false},    // 4194311
		{"opt=newton&n=1000000", true},         // 2·10⁶ at the default k = 1
		{"opt=newton&n=1000000&k=3", true},     // 4·10⁶
		{"opt=newton&n=1000000&k=4", false},    // 5·10⁶
		{"n=1000000&k=1024&batch=16", true},    // not Newton: no such cap
	} {
		_, err := Parse(c.q)
		if (err == nil) != c.ok {
			t.Errorf("Parse(%q) error = %v, want ok = %v", c.q, err, c.ok)
		}
	}
}

// TestApply: a change applied over a spec overrides only its keys, and
// the result is normalized as Parse's is (a fix that makes a key
// irrelevant drops it).
func TestApply(t *testing.T) {
	for _, c := range []struct{ base, change, want string }{
		{"target=laplace&k=5", "noise=laplace", "target=laplace&noise=laplace&k=5"},
		{"nshift=10&opt=newton", "nshift=0", "opt=newton"},
		{"norm=fixed&lr=0.1", "norm=learn", "lr=0.1"},
		{"lr=0.1&sched=cosine", "opt=newton", "opt=newton"},
		{"k=3", "", "k=3"},
		{"k=3", "?k=4&seed=2", "k=4&seed=2"},
	} {
		base, err := Parse(c.base)
		if err != nil {
			t.Fatal(err)
		}
		got, err := base.Apply(c.change)
		if err != nil || got.Canonical() != c.want {
			t.Errorf("Parse(%q).Apply(%q) = %q, %v; want %q", c.base, c.change, got.Canonical(), err, c.want)
		}
	}
	base, err := Parse("k=3&seed=9")
	if err != nil {
		t.Fatal(err)
	}
	got, err := base.Apply("k=abc")
	if err == nil || got.Canonical() != "k=3&seed=9" {
		t.Errorf("Apply(k=abc) = %q, %v; want the error and k as it was", got.Canonical(), err)
	}
}

// TestFrozenDefaults freezes the default of every key of spec v=1. A
// shared link omits the keys at their defaults (Canonical drops them), so
// changing a default silently changes the experiment of every link ever
// shared that omits it — the page would run something else under the
// same URL, with no error. Never edit a row of this table: change the
// meaning of a link only by a new spec version (v=2), and add new keys
// with a default that keeps the old behaviour (sched=const did). The
// table was frozen after the defaults were last changed (issue 8: k = 10
// → 1, so that the default classifier crosses ½ where p̃ = U; sched added
// at const; ncomp added at 8, for the mix noise only, which old links
// cannot name; captions added at 0, embeds without captions as before; workers added
// at 2, the two workers the page started before the key; tour added at "",
// no tour; controls added listing every control, all shown as before).
func TestFrozenDefaults(t *testing.T) {
	frozen := map[string]string{
		"v": "1", "target": "quartic", "noise": "gauss", "nscale": "1", "nshift": "0", "ncomp": "8",
		"model": "poly", "deg": "4", "units": "32", "layers": "2", "obj": "nce", "norm": "learn",
		"k": "1", "n": "10000", "batch": "256", "opt": "adam", "lr": "0.01", "sched": "const",
		"steps": "2000", "seed": "1", "data": "", "datafile": "",
		"embed": "0", "autoplay": "0", "panels": "samples,classifier,density,curves,explain",
		"speed": "1", "theme": "auto", "captions": "0", "workers": "2",
		"tour": "", "controls": strings.Join(Lookup(kControls).Values, ","),
	}
	for _, k := range Keys {
		want, ok := frozen[k.Name]
		if !ok {
			t.Errorf("key %s (default %q) is not in the frozen table: add it, with a default that keeps the behaviour of links without it", k.Name, k.Default)
			continue
		}
		if k.Default != want {
			t.Errorf("key %s: default %q, frozen at %q — a changed default changes every shared link that omits the key", k.Name, k.Default, want)
		}
		delete(frozen, k.Name)
	}
	for name := range frozen {
		t.Errorf("frozen key %s is gone: links that give it would fail to parse", name)
	}
}

// TestWorkersKey: workers is view-only (the experiment is the same with
// one training worker or two), 1 or 2, default 2; a bad value is an error
// naming the key and runs the default.
func TestWorkersKey(t *testing.T) {
	s, err := Parse("target=ring&workers=1")
	if err != nil || s.View.Workers != 1 {
		t.Fatalf("workers=1: %v, %v", s.View.Workers, err)
	}
	if got := s.Canonical(); got != "target=ring&workers=1" {
		t.Errorf("Canonical = %q", got)
	}
	if got := s.ExperimentQuery(); got != "target=ring" {
		t.Errorf("ExperimentQuery = %q (workers is view-only)", got)
	}
	if s, err := Parse("workers=2"); err != nil || s.Canonical() != "" {
		t.Errorf("workers=2 (the default) canonical %q, %v", s.Canonical(), err)
	}
	for _, bad := range []string{"workers=3", "workers=0", "workers=two"} {
		s, err := Parse(bad)
		var errs Errors
		if !errors.As(err, &errs) || len(errs) != 1 || errs[0].Key != "workers" {
			t.Errorf("%s: error %v", bad, err)
		}
		if s.View.Workers != 2 {
			t.Errorf("%s: runs workers=%d, want the default 2", bad, s.View.Workers)
		}
	}
}
