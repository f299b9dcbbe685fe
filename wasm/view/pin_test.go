package view

import (
	"fmt"
	"strings"
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

// pinHistory is a run's history of 1900 samples, more than a pin keeps.
func pinHistory(scale float64) History {
	var h History
	h.Spec = "k=3"
	for s := 0; s < MaxHistory-100; s++ {
		h.Add(Sample{Step: s, Loss: scale * (3 + 1/float64(s+1)), HeldOut: 3, Bayes: 2.9, C: 0.3, LogZ: 0.31, LogZTrue: 0.3137,
			KL: 1e-4 + 1/float64(s+1), Accuracy: 0.9, BayesAcc: 0.91})
	}
	return h
}

// A pin keeps at most PinPoints samples, its last step among them; the
// curves draw its lines first (under the current run's), one per line of
// the current run, and every legend names both runs.
func TestPinCurves(t *testing.T) {
	long := pinHistory(1)
	pin := NewPin(mustParse(t, "k=3"), &long, frame1D())
	if n := len(pin.H.S); n > PinPoints || n < PinPoints/2 {
		t.Errorf("the pin keeps %d samples of %d", n, len(long.S))
	}
	if pin.Steps() != MaxHistory-101 {
		t.Errorf("the pin's last step %d", pin.Steps())
	}
	var cur History
	cur.Spec = "k=30"
	for s := 0; s <= 500; s += 4 {
		cur.Add(Sample{Step: s, Loss: 2, HeldOut: 2.95, Bayes: 2.9, C: 0.3, LogZ: 0.31, LogZTrue: 0.3137, KL: 1e-3, Accuracy: 0.9, BayesAcc: 0.91})
	}
	sz := Size{340, 226}
	plain := CurvePlots(&cur, nil)
	for i, p := range CurvePlotsWith(&cur, pin, mustParse(t, "k=30"), Sizes{CurveSlot(0): sz, CurveSlot(1): sz, CurveSlot(2): sz, CurveSlot(3): sz}) {
		var ghosts, own int
		for j, l := range p.Lines {
			if strings.HasSuffix(l.Class, " pinned") {
				ghosts++
				if j >= ghosts {
					t.Errorf("%s: a ghost line after the run's own lines", p.ID)
				}
				if l.D == "" {
					t.Errorf("%s: ghost %q draws nothing", p.ID, l.Class)
				}
			} else {
				own++
			}
		}
		if own != len(plain[i].Lines) || ghosts == 0 || ghosts > own {
			t.Errorf("%s: %d ghosts beside %d lines (%d without the pin)", p.ID, ghosts, own, len(plain[i].Lines))
		}
		var labels []string
		for _, it := range p.Legend {
			labels = append(labels, it.Label)
		}
		leg := strings.Join(labels, "|")
		if !strings.Contains(leg, "k=3") || !strings.Contains(leg, "k=30") {
			t.Errorf("%s: legend %q does not name both runs", p.ID, leg)
		}
		checkLayout(t, "pinned "+p.ID, p.Geo, p.XTicks, p.YTicks, p.Legend, p.XName, p.XNameX, p.XTickY(), p.YTickX())
		// The step axis spans the pinned run's 1899 steps, not the
		// current run's 500.
		if last := p.XTicks[len(p.XTicks)-1].Label; last != "1500" {
			t.Errorf("%s: the step axis's last tick is %s", p.ID, last)
		}
	}
}

// The 1D density draws the pinned p̂ first; the 2D map draws its
// contours, and drops those of a pinned box larger than the map's; a
// pin of the other dimension draws nothing.
func TestPinDensity(t *testing.T) {
	h := pinHistory(1)
	f1, f2 := frame1D(), frame2D(24)
	p1 := NewPin(mustParse(t, "k=3"), &h, f1)
	d := DensityPlot1DWith(f1, p1, mustParse(t, "k=30"), Size{340, 226})
	if d.Lines[0].Class != "model pinned" || d.Lines[0].D == "" || len(d.Lines) != 3 {
		t.Errorf("1D density lines %+v", d.Lines)
	}
	if hm := DensityHeat2DWith(f2, p1, mustParse(t, "k=30"), Size{340, 300}); len(hm.Lines) != 1 || len(hm.Legend) != 2 {
		t.Errorf("a 1D pin on a 2D map: %d lines, %d legend items", len(hm.Lines), len(hm.Legend))
	}
	p2 := NewPin(mustParse(t, "k=3"), &h, f2)
	hm := DensityHeat2DWith(f2, p2, mustParse(t, "k=30"), Size{340, 300})
	if hm.Lines[0].Class != "contour-pinned pinned" || !hm.Lines[0].Halo || hm.Lines[0].D == "" {
		t.Fatalf("2D pinned contours %+v", hm.Lines[0])
	}
	// The same grid on a box twice as wide: its contours are cut at the
	// map's edges.
	wide := *p2
	for i := range wide.Box {
		wide.Box[i] *= 2
	}
	g := DensityHeat2DWith(f2, &wide, mustParse(t, "k=30"), Size{340, 300})
	for _, seg := range strings.Split(g.Lines[0].D, "M")[1:] {
		for _, pt := range strings.Split(seg, "L") {
			var x, y float64
			fmt.Sscan(strings.Replace(pt, " ", "\n", 1), &x, &y)
			if x < g.Geo.L-0.1 || x > g.Geo.W-g.Geo.R+0.1 || y < g.Geo.T-0.1 || y > g.Geo.H-g.Geo.B+0.1 {
				t.Fatalf("a pinned contour point (%v, %v) outside the map %+v", x, y, g.Geo)
			}
		}
	}
}
