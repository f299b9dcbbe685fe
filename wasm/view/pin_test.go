package view

import (
	"testing"

	"nceplay/core/spec"
)

func TestPinLabels(t *testing.T) {
	for _, c := range []struct{ a, b, la, lb string }{
		{"obj=nce&k=3", "obj=mle", "obj=nce k=3", "obj=mle k=1"},
		{"model=mlp&units=16", "", "model=mlp units=16", "model=poly"},
		{"k=1", "k=100", "k=1", "k=100"},
		{"k=3", "k=3", "same spec", "same spec"},
	} {
		a, err := spec.Parse(c.a)
		if err != nil {
			t.Fatal(err)
		}
		b, err := spec.Parse(c.b)
		if err != nil {
			t.Fatal(err)
		}
		la, lb := PinLabels(a, b)
		if la != c.la || lb != c.lb {
			t.Errorf("%s against %s: %q, %q; want %q, %q", c.a, c.b, la, lb, c.la, c.lb)
		}
	}
}
