package engine

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"nceplay/core/density"
	"nceplay/wasm/wire"
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
	sn := r.Snapshot(false, true)
	c, lz, kl := sn.M[wire.MC], sn.M[wire.MLogZTrue], sn.M[wire.MKL]
	truth := density.QuarticLogZ()
	if math.Abs(lz-truth) > 1e-12 {
		t.Errorf("true log Z = %v, want %v", lz, truth)
	}
	if math.Abs(c-truth) > 0.05 || kl > 0.01 {
		t.Errorf("after %v steps: c = %v, kl = %v", sn.M[wire.MStep], c, kl)
	}
	if len(sn.Grid) != wire.GridFields*GridRes1D || len(sn.Hist) != HistBins || len(sn.Data) != ShowData1D {
		t.Errorf("sizes: grid %d hist %d data %d", len(sn.Grid), len(sn.Hist), len(sn.Data))
	}
	if sn.M[wire.MDone] != 1 {
		t.Errorf("not done")
	}
}

func TestSameNumbersAtTheSameStep(t *testing.T) {
	a, _ := New("k=5&seed=9")
	b, _ := New("k=5&seed=9")
	a.Train(37, time.Minute)
	for range 37 {
		b.Train(1, time.Minute)
	}
	a.Refresh(true, false)
	b.Refresh(true, false)
	ma, mb := a.Snapshot(false, false).M, b.Snapshot(false, false).M
	for _, i := range []int{wire.MLoss, wire.MC, wire.MKL, wire.MLogZ} {
		if ma[i] != mb[i] {
			t.Errorf("metric %d: %v != %v", i, ma[i], mb[i])
		}
	}
}

func TestTwoD(t *testing.T) {
	r, err := New("target=ring&model=mlp&units=16")
	if err != nil {
		t.Fatal(err)
	}
	r.Train(5, time.Minute)
	sn := r.Snapshot(true, true)
	if sn.M[wire.MDim] != 2 || len(sn.Grid) != wire.GridFields*GridRes2D*GridRes2D || sn.Hist != nil || len(sn.Data) != 2*ShowData2D {
		t.Errorf("2D snapshot: dim %v grid %d hist %v data %d", sn.M[wire.MDim], len(sn.Grid), sn.Hist != nil, len(sn.Data))
	}
	if !math.IsNaN(sn.M[wire.MLogZTrue]) {
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
	sn := r.Snapshot(true, false)
	want := fmt.Sprintf("At step %d ", r.StepCount()+1)
	if !strings.HasPrefix(sn.Err, want) || !strings.Contains(sn.Err, "lr = 10") {
		t.Errorf("message %q, want it to start %q and name lr = 10", sn.Err, want)
	}
	if sn.M[wire.MDone] != 1 || sn.M[wire.MRunning] != 0 {
		t.Errorf("done %v running %v", sn.M[wire.MDone], sn.M[wire.MRunning])
	}
	finite := 0
	for _, v := range sn.Grid[wire.GLogModel*GridRes1D : (wire.GLogModel+1)*GridRes1D] {
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
