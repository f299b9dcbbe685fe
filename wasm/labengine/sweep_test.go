package labengine

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"nceplay/core/lab"
	"nceplay/core/lab/sweep"
	"nceplay/wasm/wire"
)

// smallSweep is a sweep of a few seconds: two noises, two scales, three ks.
const smallSweep = "lab=sweep&ks=1,3,10&ns=200,400&noises=gauss,laplace&nscales=1,2&reps=24&seed=5"

// rowsOf returns the rows of a sweep report as JSON.
func rowsOf(t *testing.T, rep any) string {
	t.Helper()
	b, err := json.Marshal(rep.(sweep.Report).Rows)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSweepSplitMatchesTheRunner: two workers' shares of a sweep (parts 0
// and 1 of 2, as the page runs them), the second's repetitions handed to
// the first in its messages — late, and in an order of arrival unlike
// the runner's — give the runner's rows bit for bit; the payload carries
// them; the first worker waits for the second once its own share is done.
func TestSweepSplitMatchesTheRunner(t *testing.T) {
	run, err := lab.Sweep.New(smallSweep, lab.Input{})
	if err != nil {
		t.Fatal(err)
	}
	for !run.Done() {
		run.Step(1 << 20)
	}
	want := rowsOf(t, run.Report(0, 0))

	lead, err := NewPart(smallSweep, nil, 0, 2)
	if err != nil {
		t.Fatal(err)
	}
	help, err := NewPart(smallSweep, nil, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewPart("lab=infonce", nil, 1, 2); err == nil {
		t.Error("the InfoNCE lab was split")
	}
	if _, err := NewPart(smallSweep, nil, 2, 2); err == nil {
		t.Error("part 2 of 2 built a run")
	}
	// The helper runs its whole share first; its messages are held back
	// and delivered newest first.
	var held []*wire.SweepShare
	for !help.Done() {
		if _, err := help.Train(1<<30, 50*time.Millisecond); err != nil {
			t.Fatal(err)
		}
		if m := help.Outbox(3); m != nil {
			if m.Gen != 3 || m.Total <= 0 {
				t.Fatalf("share %+v", m)
			}
			held = append(held, m)
		}
	}
	if help.Outbox(3) != nil {
		t.Error("a second message without news")
	}
	for !lead.Waiting() {
		if lead.Done() {
			t.Fatal("the first worker was done without the second's repetitions")
		}
		lead.Train(1<<30, 50*time.Millisecond)
	}
	f := lead.Frame(3, true, true)
	if pl := lead.panels.(sweepPanels).payload(); pl.Done != 12 || pl.Reps != 24 || len(pl.Rows) != 2*4*3 {
		t.Fatalf("payload before the merge: %+v", pl)
	}
	if len(f.Figures) != 3 || !strings.Contains(f.Figures[0].SVG, "<svg") || f.Figures[0].Sub != "12 of 24 repetitions" {
		t.Fatalf("figures before the merge: %+v", f.Figures)
	}
	if f.Progress.Done >= f.Progress.Total || f.Progress.Unit != "points" {
		t.Errorf("progress before the merge %+v", f.Progress)
	}
	for i := len(held) - 1; i >= 0; i-- {
		if err := lead.Absorb(*held[i]); err != nil {
			t.Fatal(err)
		}
	}
	if !lead.Done() || lead.Waiting() {
		t.Fatal("the first worker is not done after the merge")
	}
	if got := rowsOf(t, lead.Report()); got != want {
		t.Errorf("merged rows\n%s\nwant the runner's\n%s", got, want)
	}
	// The payload holds the same numbers.
	f = lead.Frame(3, false, true)
	if f.Progress.Done != f.Progress.Total || !f.Done {
		t.Errorf("final progress %+v", f.Progress)
	}
	var rows []sweep.Row
	json.Unmarshal([]byte(want), &rows)
	pl := lead.panels.(sweepPanels).payload()
	for i, r := range rows {
		p := pl.Rows[i]
		if p.K != r.K || p.N != r.N || p.Noise != r.Noise || p.NScale != r.NScale || p.Reps != r.Reps || p.Fails != r.Fails ||
			!same(p.MSE, r.MSE) || !same(p.SE, r.MSESE) || !same(p.Theory, r.MSETheory) || !same(p.MLE, r.MSEMLE) ||
			!same(p.MLESE, r.MSEMLESE) || !same(p.MLEThe, r.MLETheory) || p.Evals != r.Evals {
			t.Errorf("payload row %d %+v, report %+v", i, p, r)
		}
	}
	// A repetition delivered twice is refused.
	if err := lead.Absorb(*held[0]); err == nil && len(held[0].Reps) > 0 {
		t.Error("a repetition merged twice")
	}
}

// same reports whether a payload number is the report's (NaN for null).
func same(v float64, p *float64) bool {
	if p == nil {
		return math.IsNaN(v)
	}
	return v == *p
}

// TestSweepWhole: one worker (parts 1) runs the whole sweep with the
// runner's rows and never waits.
func TestSweepWhole(t *testing.T) {
	q := "lab=sweep&ks=1,3&reps=6&ns=200"
	r, err := New(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	for !r.Done() {
		if r.Waiting() {
			t.Fatal("a whole sweep waits")
		}
		r.Train(1<<30, time.Second)
	}
	run, _ := lab.Sweep.New(q, lab.Input{})
	for !run.Done() {
		run.Step(1 << 20)
	}
	if got, want := rowsOf(t, r.Report()), rowsOf(t, run.Report(0, 0)); got != want {
		t.Errorf("rows\n%s\nwant\n%s", got, want)
	}
	if r.Outbox(1) != nil {
		t.Error("a whole sweep sends repetitions")
	}
}

// TestInfoNCESeries: the InfoNCE page's run ends with the runner's report
// (bit for bit, but the wall time), then trains the smaller ks of the
// series in sequence; the payload has the estimate over steps and, across
// k, the ceiling, the best critic's bound (never above the ceiling) and
// the trained critics' bounds.
func TestInfoNCESeries(t *testing.T) {
	q := "lab=infonce&rho=0.99&k=7&steps=300&critic=bilinear"
	run, err := lab.InfoNCE.New(q, lab.Input{})
	if err != nil {
		t.Fatal(err)
	}
	for !run.Done() {
		run.Step(1000)
	}
	wantM, wantT, _ := Flatten(run.Report(0, 0), lab.InfoNCE.Timings)

	r, err := New(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	f := r.Frame(1, false, true)
	if f.Progress.Total != 300*3 || f.Progress.Unit != "steps" || len(f.Figures) != 2 {
		t.Fatalf("first frame %+v", f)
	}
	p := r.panels.(infoncePanels).payload()
	if !reflect.DeepEqual(p.Ks, []float64{1, 3, 7, 15, 31, 63, 127, 255}) || p.K != 7 || math.Abs(p.Bound-math.Log(8)) > 1e-12 {
		t.Errorf("series ks %v, k %d, bound %g", p.Ks, p.K, p.Bound)
	}
	for i, k := range p.Ks {
		if math.Abs(p.KBound[i]-math.Log(k+1)) > 1e-12 || !(p.KOpt[i] <= p.KBound[i]) || !math.IsNaN(p.KEst[i]) {
			t.Errorf("k=%g: bound %g, best %g, trained %g", k, p.KBound[i], p.KOpt[i], p.KEst[i])
		}
	}
	// The best critic saturates: near log(k+1) at k = 1, near I at k = 255.
	if p.KBound[0]-p.KOpt[0] > 0.15 || math.Abs(p.KOpt[7]-p.True) > 0.25 {
		t.Errorf("best critic %v against bounds %v and I = %g", p.KOpt, p.KBound, p.True)
	}
	for !r.Done() {
		if _, err := r.Train(97, time.Second); err != nil {
			t.Fatal(err)
		}
		if r.Progress().Done == 300 && !reflect.DeepEqual(r.Progress().Stage, "k = 7") {
			r.RefreshMetrics()
		}
	}
	r.RefreshMetrics()
	f = r.Frame(1, false, true)
	if !reflect.DeepEqual(f.Metrics, wantM) || !reflect.DeepEqual(f.Texts, wantT) {
		t.Errorf("metrics %+v\nwant %+v", f.Metrics, wantM)
	}
	if f.Progress.Done != f.Progress.Total {
		t.Errorf("progress %+v", f.Progress)
	}
	p = r.panels.(infoncePanels).payload()
	if len(p.Step) < 100 || len(p.Step) > InfoNCEPoints+1 || p.Step[len(p.Step)-1] != 300 || len(p.Est) != len(p.Step) {
		t.Errorf("%d samples, last at %g", len(p.Step), p.Step[len(p.Step)-1])
	}
	for i, k := range p.Ks {
		trained := k <= 7
		if trained == math.IsNaN(p.KEst[i]) || p.KEst[i] > p.KBound[i] {
			t.Errorf("k=%g: trained bound %g (ceiling %g)", k, p.KEst[i], p.KBound[i])
		}
	}
	est, _ := Metric(f.Metrics, "mi_est")
	if p.KEst[2] != est {
		t.Errorf("the series' own k has %g, the report %g", p.KEst[2], est)
	}
}

// Metric returns the metric called key.
func Metric(ms []wire.LabMetric, key string) (float64, bool) {
	for _, m := range ms {
		if m.Key == key {
			return m.Value, !m.Null
		}
	}
	return 0, false
}
