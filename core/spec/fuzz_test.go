package spec

import (
	"reflect"
	"regexp"
	"testing"
)

// FuzzParse checks, for any query, that Parse does not panic, that the spec
// it returns (even with errors) is valid and survives a round trip through
// Canonical, and that Canonical is idempotent.
func FuzzParse(f *testing.F) {
	for _, q := range []string{
		"",
		"?",
		"k=abc",
		"target=moons&model=mlp&units=256&layers=4&batch=4096",
		"model=rbf&target=ring&opt=newton",
		"model=rbf&units=256&opt=newton&n=1000000&k=1024",
		"obj=mle&batch=1024&k=1024",
		"panels=density,samples,density&speed=0.5&theme=dark&embed=1&autoplay=1",
		"lr=1e-2&nscale=20&nshift=-0&seed=18446744073709551615&steps=1e4",
		"deg=5&model=mlp&norm=fixed&obj=rank",
		"k=1;lr=2&&&%zz=1&lr=%zz&=&==&k",
		"n=1e400&lr=NaN&nscale=Inf&nshift=0x1p3&batch=1_0&seed=-1",
		"target=data&data=" + data1D,
		"target=data2d&datafile=0123456789abcdef-100&opt=newton&k=1024",
	} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		s, err := Parse(q)
		if err != nil {
			if _, ok := err.(Errors); !ok {
				t.Fatalf("Parse(%q) error type %T, want Errors", q, err)
			}
		}
		c := s.Canonical()
		s2, err2 := Parse(c)
		if err2 != nil {
			t.Fatalf("Parse(%q) = %q; Parse of that: %v", q, c, err2)
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("Parse(%q): round trip through %q changes\n%+v\nto\n%+v", q, c, s, s2)
		}
		if c2 := s2.Canonical(); c2 != c {
			t.Fatalf("Canonical not idempotent: %q then %q", c, c2)
		}
		if err := s.Validate(); err != nil {
			t.Fatalf("Parse(%q) returned a spec that Validate rejects: %v", q, err)
		}
		for _, e := range asErrors(err) {
			// sanitize counts an escape (\x00, \u200b) as one character.
			if n := len([]rune(escapeRE.ReplaceAllString(e.Value, "e"))); n > MaxValueLen+1 {
				t.Fatalf("error value has %d characters: %q", n, e.Value)
			}
		}
	})
}

// escapeRE matches the escapes sanitize writes for a non-printing
// character.
var escapeRE = regexp.MustCompile(`\\x[0-9a-f]{2}|\\u[0-9a-f]{4}`)

// asErrors returns the Errors in err, or nil.
func asErrors(err error) Errors {
	es, _ := err.(Errors)
	return es
}
