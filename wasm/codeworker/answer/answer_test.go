package answer

import (
	"strings"
	"testing"

	"nceplay/codegen"
	"nceplay/core/spec"
)

func TestFor(t *testing.T) {
	for _, q := range []string{"", "target=ring&model=mlp&k=8", "obj=cls&k=4"} {
		s, err := spec.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := codegen.PyTorch(s)
		if err != nil {
			t.Fatal(err)
		}
		if a := For(q, LangTorch); a.Err != "" || a.Script != want {
			t.Errorf("%q torch: error %q, script equal %v", q, a.Err, a.Script == want)
		}
	}
	d, err := spec.Parse("")
	if err != nil {
		t.Fatal(err)
	}
	want, err := codegen.NumPy(d)
	if err != nil {
		t.Fatal(err)
	}
	if a := For("", LangNumPy); a.Err != "" || a.Script != want {
		t.Errorf("default numpy: error %q", a.Err)
	}
	// The NumPy script has the poly model only: the error says so and
	// names the way out.
	if a := For("model=mlp", LangNumPy); a.Script != "" || !strings.Contains(a.Err, "PyTorch") {
		t.Errorf("model=mlp numpy: %+v", a)
	}
	if a := For("k=-3", LangTorch); a.Script != "" || !strings.Contains(a.Err, "not valid") {
		t.Errorf("bad query: %+v", a)
	}
	if a := For("", "julia"); a.Script != "" || a.Err == "" {
		t.Errorf("unknown language: %+v", a)
	}
}
