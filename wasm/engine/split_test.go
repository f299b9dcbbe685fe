package engine

import (
	"testing"
	"time"
)

// localPeer runs the helper in the same goroutine, as the other worker
// would.
type localPeer struct {
	h     *Helper
	l1    float64
	g1    []float64
	asked bool
	steps int
}

func (p *localPeer) Go() {
	l, g := p.h.Shard()
	p.l1, p.g1 = l, append([]float64(nil), g...)
	p.asked = true
	p.h.DrawNext() // as the worker does while it waits for shard 0
}

func (p *localPeer) Wait() (float64, []float64, error) {
	if !p.asked {
		panic("Wait before Go")
	}
	return p.l1, p.g1, nil
}

func (p *localPeer) Send(l0 float64, g0 []float64, more bool) {
	if err := p.h.Apply(l0, append([]float64(nil), g0...), p.l1, p.g1); err != nil {
		panic(err)
	}
	p.asked = false
	p.steps++
	if more {
		p.Go()
	}
}

// Split steps give the same numbers as unsplit ones, bit for bit.
func TestSplitIsBitIdentical(t *testing.T) {
	for _, q := range []string{"k=5&seed=3", "target=ring&model=mlp&units=8&batch=33", "obj=mle", "obj=rank&k=4"} {
		a, err := New(q)
		if err != nil {
			t.Fatal(err)
		}
		b := mustNew(t, q)
		h, err := NewHelper(q, nil)
		if err != nil {
			t.Fatal(err)
		}
		p := &localPeer{h: h}
		b.SetPeer(p)
		a.Train(40, time.Minute)
		for b.StepCount() < 40 {
			b.Train(min(7, 40-b.StepCount()), time.Minute)
		}
		a.Refresh(true, false)
		b.Refresh(true, false)
		ma, mb := a.Frame(0, false, false).Metrics, b.Frame(0, false, false).Metrics
		for i, pair := range [][2]float64{{float64(ma.Step), float64(mb.Step)}, {ma.Loss, mb.Loss}, {ma.LogZ, mb.LogZ}, {ma.KL, mb.KL}, {ma.C, mb.C}} {
			if pair[0] != pair[1] && !(pair[0] != pair[0] && pair[1] != pair[1]) {
				t.Errorf("%s: metric %d (step, loss, log Z, KL, c): alone %v, split %v", q, i, pair[0], pair[1])
			}
		}
		if h.StepCount() != 40 || p.steps != 40 {
			t.Errorf("%s: helper at step %d (%d sends)", q, h.StepCount(), p.steps)
		}
		// The profiles count every step; only the split run waits and exchanges.
		pa, pb := a.Profile(), b.Profile()
		if pa.Steps != 40 || pb.Steps != 40 || !(pa.Compute > 0) || !(pb.Compute > 0) || pa.Wait != 0 || pa.Exchange != 0 ||
			!(pb.Exchange > 0) || !(pa.Frames > 0) {
			t.Errorf("%s: profiles alone %+v, split %+v", q, pa, pb)
		}
	}
}
