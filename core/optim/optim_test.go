package optim

import (
	"math"
	"testing"
)

// TestSchedules: const keeps lr; cosine starts at lr, is at lr/2 halfway,
// reaches 0 at the last step and stays there, and decreases monotonically.
func TestSchedules(t *testing.T) {
	if Schedules[0] != Const || LookupSchedule("cosine") != Cosine || LookupSchedule("nope") != nil {
		t.Fatal("registry")
	}
	for _, st := range []int{0, 1000} {
		if got := Const.LR(0.01, st, 1000); got != 0.01 {
			t.Errorf("const at %d: %v", st, got)
		}
	}
	for _, c := range []struct {
		t    int
		want float64
	}{{0, 0.01}, {500, 0.005}, {1000, 0}, {2000, 0}} {
		if got := Cosine.LR(0.01, c.t, 1000); math.Abs(got-c.want) > 1e-15 {
			t.Errorf("cosine at %d: %v, want %v", c.t, got, c.want)
		}
	}
	prev := math.Inf(1)
	for st := range 1001 {
		lr := Cosine.LR(1, st, 1000)
		if lr > prev {
			t.Fatalf("cosine rises at step %d", st)
		}
		prev = lr
	}
}

// TestSetLR: every first-order optimizer's step scales with the rate set
// by SetLR (SGD and momentum exactly; Adam's first step is lr·g/(|g| + ε)).
func TestSetLR(t *testing.T) {
	for _, info := range All {
		if info.New == nil {
			continue
		}
		o := info.New(1, 1)
		o.SetLR(0.25)
		th := []float64{0}
		o.Step(th, []float64{2})
		want := -0.5
		if info.Name == "adam" {
			want = -0.25
		}
		if math.Abs(th[0]-want) > 1e-8 { // Adam: lr·g/(|g| + ε), ε = 1e-8
			t.Errorf("%s after SetLR(0.25): θ = %v, want %v", info.Name, th[0], want)
		}
	}
}
