package engine

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"nceplay/core/density"
	"nceplay/core/spec"
)

func TestDefaultConverges(t *testing.T) {
	r, err := New("")
	if err != nil {
		t.Fatal(err)
	}
	for !r.Done() {
		r.Train(100, time.Second)
	}
	r.Refresh(true, true)
	f := r.Frame(3, false, true)
	c, lz, kl := f.Metrics.C, f.Metrics.LogZTrue, f.Metrics.KL
	truth := density.QuarticLogZ()
	if math.Abs(lz-truth) > 1e-12 {
		t.Errorf("true log Z = %v, want %v", lz, truth)
	}
	if math.Abs(c-truth) > 0.05 || kl > 0.01 {
		t.Errorf("after %v steps: c = %v, kl = %v", f.Step, c, kl)
	}
	if len(f.Grid.LogModel) != GridRes1D || f.Grid.Res != GridRes1D || len(f.Hist) != HistBins || len(f.Data) != ShowData1D {
		t.Errorf("sizes: grid %d hist %d data %d", len(f.Grid.LogModel), len(f.Hist), len(f.Data))
	}
	if !f.Done || f.Gen != 3 || f.K != spec.Default().K || f.Dim != 1 || f.Spec != "" {
		t.Errorf("frame header: done %v gen %d k %d dim %d spec %q", f.Done, f.Gen, f.K, f.Dim, f.Spec)
	}
}

func TestSameNumbersAtTheSameStep(t *testing.T) {
	a, b := mustNew(t, "k=5&seed=9"), mustNew(t, "k=5&seed=9")
	a.Train(37, time.Minute)
	for range 37 {
		b.Train(1, time.Minute)
	}
	a.Refresh(true, false)
	b.Refresh(true, false)
	ma, mb := a.Frame(0, false, false).Metrics, b.Frame(0, false, false).Metrics
	if ma.Loss != mb.Loss || ma.C != mb.C || ma.KL != mb.KL || ma.LogZ != mb.LogZ {
		t.Errorf("metrics differ: %+v != %+v", ma, mb)
	}
}

func TestTwoD(t *testing.T) {
	r, err := New("target=ring&model=mlp&units=16")
	if err != nil {
		t.Fatal(err)
	}
	r.Train(5, time.Minute)
	f := r.Frame(0, true, true)
	if f.Dim != 2 || len(f.Grid.PModel) != GridRes2D*GridRes2D || f.Hist != nil || len(f.Data) != 2*ShowData2D || f.K != r.Spec().K {
		t.Errorf("2D frame: dim %v grid %d hist %v data %d", f.Dim, len(f.Grid.PModel), f.Hist != nil, len(f.Data))
	}
	if !math.IsNaN(f.Metrics.LogZTrue) {
		t.Errorf("ring has no closed-form log Z in the mlp family")
	}
}

func TestBadSpec(t *testing.T) {
	if _, err := New("k=abc"); err == nil {
		t.Error("no error")
	}
}

func TestPacer(t *testing.T) {
	var p Pacer
	p.Rate = 100
	t0 := time.Unix(0, 0)
	p.Start(t0)
	if n := p.Due(t0); n != 1 {
		t.Errorf("due at start = %d", n)
	}
	p.Spend(1)
	if n := p.Due(t0.Add(50 * time.Millisecond)); n != 5 {
		t.Errorf("due after 50ms = %d", n)
	}
	p.Spend(5)
	if n := p.Due(t0.Add(10 * time.Second)); n != 10 { // capped at MaxBurst
		t.Errorf("due after a long pause = %d", n)
	}
	p.Spend(10)
	if w := p.Wait(); w != 10*time.Millisecond {
		t.Errorf("wait = %v", w)
	}
}

// deg=8&opt=sgd&lr=10&nscale=20 blows up (core/nce's divergence test spec;
// opt=newton no longer diverges since its backtracking): the snapshot says
// where and with which lr, and still carries the last finite state.
func TestDiverged(t *testing.T) {
	r, err := New(divergingSpec)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 200 && !r.Done(); i++ {
		r.Train(10, time.Minute)
	}
	if r.Err() == nil {
		t.Fatalf("no divergence after %d steps", r.StepCount())
	}
	r.Refresh(true, true)
	f := r.Frame(0, true, false)
	want := fmt.Sprintf("At step %d ", r.StepCount()+1)
	if !strings.HasPrefix(f.Diverged, want) || !strings.Contains(f.Diverged, "lr = 10") {
		t.Errorf("message %q, want it to start %q and name lr = 10", f.Diverged, want)
	}
	if !f.Done || f.Running {
		t.Errorf("done %v running %v", f.Done, f.Running)
	}
	finite := 0
	for _, v := range f.Grid.LogModel {
		if !math.IsNaN(float64(v)) && !math.IsInf(float64(v), 0) {
			finite++
		}
	}
	if finite == 0 {
		t.Errorf("the last state's density has no finite value")
	}
}

// divergingSpec is a spec that truly diverges (core/nce's own test).
const divergingSpec = "deg=8&opt=sgd&lr=10&nscale=20"

// mustNew builds a runner or fails the test.
func mustNew(t *testing.T, q string) *Runner {
	t.Helper()
	r, err := New(q)
	if err != nil {
		t.Fatalf("New(%q): %v", q, err)
	}
	return r
}

// While playing, training stops at each multiple of the stride that Pace
// chose, so the metrics are measured at uniform steps (the page's curves
// and their CSV).
func TestStrideAlignsMeasurements(t *testing.T) {
	r := mustNew(t, "steps=1000")
	r.Pace(0.1, 150) // 15 steps a measurement at 150 steps/s: stride 16
	if r.every != 16 {
		t.Fatalf("stride %d, want 16", r.every)
	}
	var at []int
	for !r.Done() && len(at) < 5 {
		r.Train(7, time.Minute) // the pacer's batches need not divide the stride
		if r.OnStride() {
			r.Refresh(true, false)
			at = append(at, r.metricsAt)
		}
	}
	if fmt.Sprint(at) != "[16 32 48 64 80]" {
		t.Errorf("measured at steps %v, want every 16", at)
	}
	r.Pace(0, 150)
	if n := r.Train(13, time.Minute); n != 13 || r.OnStride() {
		t.Errorf("without a stride: %d steps, on stride %v", n, r.OnStride())
	}
}
