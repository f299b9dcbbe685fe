package view

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	"nceplay/core/spec"
	"nceplay/wasm/engine"
)

// TestTruthCache: the 2D maps built with a TruthCache over a run's frames
// are the maps built without one (markup, pixels, hover readouts), the
// truth's part is computed once while the grid's truth and the map's size
// stay, and again for a new size or a new run.
func TestTruthCache(t *testing.T) {
	var tc TruthCache
	sz := Size{W: 420, H: 380}
	for _, q := range []string{"target=ring&model=mlp&units=8&layers=1&steps=30", "target=moons&model=rbf&steps=30&k=4"} {
		r, err := engine.New(q)
		if err != nil {
			t.Fatal(err)
		}
		var firstTrue, firstBayes *float64
		for i := range 6 {
			r.Train(5, time.Second)
			r.Refresh(true, true)
			f := r.Frame(1, true, false)
			for _, size := range []Size{sz, sz} {
				d, dc := DensityHeat2D(&f, size), DensityHeat2DCached(&f, nil, spec.Spec{}, size, &tc)
				k, kc := ClassifierHeat2D(&f, size), ClassifierHeat2DCached(&f, size, &tc)
				if d.SVG() != dc.SVG() || !bytes.Equal(d.Pix, dc.Pix) || !reflect.DeepEqual(d.Hover.Rows, dc.Hover.Rows) {
					t.Fatalf("%s frame %d: the density map with the cache differs from the one without", q, i)
				}
				if k.SVG() != kc.SVG() || !bytes.Equal(k.Pix, kc.Pix) || !reflect.DeepEqual(k.Hover.Rows, kc.Hover.Rows) {
					t.Fatalf("%s frame %d: the classifier map with the cache differs from the one without", q, i)
				}
				pt, pb := &dc.Hover.Rows[1].V[0], &kc.Hover.Rows[1].V[0]
				if i == 0 && firstTrue == nil {
					firstTrue, firstBayes = pt, pb
				} else if pt != firstTrue || pb != firstBayes {
					t.Errorf("%s frame %d: p̃ or the Bayes P(1|x) computed again for the same truth", q, i)
				}
			}
		}
		// Another size: the contours are laid out again.
		f := r.Frame(1, true, false)
		if dc := DensityHeat2DCached(&f, nil, spec.Spec{}, Size{W: 300, H: 280}, &tc); &dc.Hover.Rows[1].V[0] == firstTrue {
			t.Errorf("%s: a new size kept the old layout's truth", q)
		}
	}
}
