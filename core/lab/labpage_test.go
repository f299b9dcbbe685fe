//go:build labpage

package lab

import "testing"

// TestPageHasNoEngines: built for a lab's page (-tags labpage), the
// registry holds the labs' tables and no engine, which the page's wasm
// would otherwise carry (make lab-wasm runs this test).
func TestPageHasNoEngines(t *testing.T) {
	for _, l := range All {
		if l.New != nil {
			t.Errorf("%s: New is set in the page's build: define it in engines.go", l.Name)
		}
		if l.Table == nil || len(l.Keys) == 0 {
			t.Errorf("%s: no key table", l.Name)
		}
	}
}
