package nce

import (
	"fmt"
	"testing"
)

// Metrics and Grid with an evaluator that evaluates each set in two parts,
// the second by another replica of the same run (as the playground's two
// workers share them), equal Metrics and Grid evaluated whole, bit for bit:
// for every model, 1D and 2D, cut at an odd point and at the middle.
func TestSplitEvaluation(t *testing.T) {
	for _, q := range []string{
		"",
		"model=rbf&units=12",
		"model=mlp&units=7&layers=3",
		"target=ring&model=mlp&units=64&k=8",
		"target=moons&model=mlp&units=5&layers=1&obj=cls",
		"target=spiral&model=rbf&units=9&obj=rank&k=4",
		"target=gauss2d&obj=mle",
	} {
		whole := newTrainer(t, q)
		other := newTrainer(t, q)
		for _, tr := range []*Trainer{whole, other} {
			if err := tr.Step(25); err != nil {
				t.Fatalf("%q: %v", q, err)
			}
		}
		for _, frac := range []float64{3.0 / 7, 0.5} {
			split := newTrainer(t, q)
			if err := split.Step(25); err != nil {
				t.Fatal(err)
			}
			calls := 0
			split.SetEvaluator(func(set EvalSet, res int, pts, out []float64) {
				calls++
				theirs := other.EvalPoints(set, res)
				if fmt.Sprint(theirs) != fmt.Sprint(pts) {
					t.Fatalf("%q: set %d: the replicas' points differ", q, set)
				}
				d := len(pts) / len(out)
				cut := int(frac * float64(len(out)))
				split.Energy(pts[:cut*d], out[:cut])
				other.Energy(theirs[cut*d:], out[cut:])
			})
			want := fmt.Sprintf("%+v", whole.Metrics())
			if got := fmt.Sprintf("%+v", split.Metrics()); got != want {
				t.Errorf("%q cut at %.2f: metrics\n got %s\nwant %s", q, frac, got, want)
			}
			m := whole.Metrics()
			res := 64
			if whole.dim == 1 {
				res = 400
			}
			gw, gs := whole.Grid(res, m.LogZ), split.Grid(res, m.LogZ)
			if fmt.Sprint(gw.LogModel, gw.PModel) != fmt.Sprint(gs.LogModel, gs.PModel) {
				t.Errorf("%q cut at %.2f: the grids differ", q, frac)
			}
			if calls != 3 {
				t.Errorf("%q: the evaluator was called %d times, want 3 (quadrature, held-out, grid)", q, calls)
			}
		}
	}
}
