package engine

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"nceplay/core/nce"
	"nceplay/wasm/wire"
)

// localPeer runs the helper in the same goroutine, as the other worker
// would.
type localPeer struct {
	h     *Helper
	l1    float64
	g1    []float64
	asked bool
	sent  bool // Send came, Wait not yet
	l0    float64
	g0    []float64
	more  bool
	steps int
	gos   int // chains asked for
}

func (p *localPeer) Go() {
	p.gos++
	p.shard()
}

// shard computes the helper's shard 1 of the next step.
func (p *localPeer) shard() {
	l, g := p.h.Shard()
	p.l1, p.g1 = l, append([]float64(nil), g...)
	p.asked = true
	p.h.DrawNext() // as the worker does while it waits for shard 0
}

func (p *localPeer) Send(l0 float64, g0 []float64, more bool) {
	if !p.asked || p.sent {
		panic("Send before Go, or twice")
	}
	p.l0, p.g0, p.more, p.sent = l0, append(p.g0[:0], g0...), more, true
}

// Wait returns shard 1 and, as the helper does once it has shard 0,
// applies the step and goes on if asked.
func (p *localPeer) Wait() (float64, []float64, error) {
	if !p.sent {
		panic("Wait before Send")
	}
	l1, g1 := p.l1, p.g1
	if err := p.h.Apply(p.l0, p.g0, l1, g1); err != nil {
		panic(err)
	}
	p.asked, p.sent = false, false
	p.steps++
	if p.more {
		p.shard()
	}
	return l1, g1, nil
}

// evalPeer is a localPeer that also shares the evaluations; with fail
// set its Energies fail.
type evalPeer struct {
	localPeer
	res   int
	asked []nce.EvalSet
	fail  bool
}

func (p *evalPeer) Eval(metrics, grid bool, res int) {
	if metrics {
		p.asked = append(p.asked, nce.EvalQuad, nce.EvalHeldOut)
	}
	if grid {
		p.asked = append(p.asked, nce.EvalGrid)
	}
	p.res = res
}

func (p *evalPeer) Energies(set nce.EvalSet) ([]float64, error) {
	if len(p.asked) == 0 || p.asked[0] != set {
		panic(fmt.Sprintf("Energies(%d) not asked for in this order: %v", set, p.asked))
	}
	p.asked = p.asked[1:]
	if p.fail {
		return nil, errors.New("no answer")
	}
	return p.h.Energies(set, p.res), nil
}

// A runner that shares its evaluations with its peer draws the frames of
// one that does not, bit for bit (metrics and grid); a peer that fails to
// answer leaves the values the same.
func TestSharedEvaluationIsBitIdentical(t *testing.T) {
	for _, q := range []string{"target=ring&model=mlp&units=16&k=4", "model=mlp", "target=moons&model=rbf&units=20"} {
		for _, fail := range []bool{false, true} {
			a := mustNew(t, q)
			b := mustNew(t, q)
			h, err := NewHelper(q, nil)
			if err != nil {
				t.Fatal(err)
			}
			p := &evalPeer{localPeer: localPeer{h: h}, fail: fail}
			b.SetPeer(p)
			if _, ok := b.sharesEval(); !ok {
				t.Fatalf("%s: %d parameters, and the runner does not share its evaluations", q, b.GradLen())
			}
			for range 3 {
				a.Train(10, time.Minute)
				b.Train(10, time.Minute)
				a.Refresh(true, true)
				b.Refresh(true, true)
				if len(p.asked) != 0 {
					t.Fatalf("%s: asked for %v and never took it", q, p.asked)
				}
				fa, fb := a.Frame(0, false, false), b.Frame(0, false, false)
				fa.Profile, fb.Profile, fa.SPS, fb.SPS = wire.Profile{}, wire.Profile{}, 0, 0
				if ga, gb := fmt.Sprintf("%+v", fa), fmt.Sprintf("%+v", fb); ga != gb {
					t.Fatalf("%s (peer fails %v): alone\n%s\nshared\n%s", q, fail, ga, gb)
				}
			}
			if pb := b.Profile(); pb.SharedEvals != 3 || a.Profile().SharedEvals != 0 {
				t.Errorf("%s: %d shared refreshes, want 3 (alone: %d)", q, pb.SharedEvals, a.Profile().SharedEvals)
			}
			if want := map[bool]int{true: 9, false: 0}[fail]; b.evalFailures != want {
				t.Errorf("%s: %d failed shares, want %d", q, b.evalFailures, want)
			}
		}
	}
	// A small model evaluates alone: asking would cost more than it saves.
	b := mustNew(t, "k=5")
	h, _ := NewHelper("k=5", nil)
	b.SetPeer(&evalPeer{localPeer: localPeer{h: h}})
	if _, ok := b.sharesEval(); ok {
		t.Errorf("the poly model (%d parameters) shares its evaluations", b.GradLen())
	}
}

// Split steps give the same numbers as unsplit ones, bit for bit.
// trainAndCompare trains a alone and b split, in chains of up to chain
// steps, to n steps, and reports where their metrics differ (step, loss,
// log Z, KL, c; NaN equals NaN).
func trainAndCompare(t *testing.T, q string, a, b *Runner, n, chain int) {
	t.Helper()
	a.Train(n, time.Minute)
	for b.StepCount() < n {
		b.Train(min(chain, n-b.StepCount()), time.Minute)
	}
	a.Refresh(true, false)
	b.Refresh(true, false)
	ma, mb := a.Frame(0, false, false).Metrics, b.Frame(0, false, false).Metrics
	if ma.Step != n {
		t.Errorf("%s: the metrics are of step %d, want %d", q, ma.Step, n)
	}
	for i, pair := range [][2]float64{{float64(ma.Step), float64(mb.Step)}, {ma.Loss, mb.Loss}, {ma.LogZ, mb.LogZ}, {ma.KL, mb.KL}, {ma.C, mb.C}} {
		if pair[0] != pair[1] && !(pair[0] != pair[0] && pair[1] != pair[1]) {
			t.Errorf("%s: metric %d (step, loss, log Z, KL, c): alone %v, split %v", q, i, pair[0], pair[1])
		}
	}
}

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
		trainAndCompare(t, q, a, b, 40, 7)
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

// A Train call is one chain of split steps, whatever the step's estimated
// cost (the helper is asked once), and it keeps to its budget: with none
// left it takes one step and tells the helper that none follows.
func TestTrainIsOneChain(t *testing.T) {
	q := "target=ring&model=mlp&units=8&batch=33"
	a, b := mustNew(t, q), mustNew(t, q)
	h, err := NewHelper(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &localPeer{h: h}
	b.SetPeer(p)
	b.stepCost = 3600 // alone, Train would take one step per chunk
	if n := b.Train(12, time.Minute); n != 12 || p.gos != 1 || p.asked {
		t.Fatalf("Train(12): %d steps, %d chains, helper still busy %v", n, p.gos, p.asked)
	}
	if n := b.Train(12, 0); n != 1 || p.gos != 2 || p.asked || b.peerBusy {
		t.Fatalf("Train(12) without budget: %d steps, %d chains, helper still busy %v", n, p.gos, p.asked)
	}
	a.Train(13, time.Minute)
	a.Refresh(true, false)
	b.Refresh(true, false)
	if ma, mb := a.Frame(0, false, false).Metrics, b.Frame(0, false, false).Metrics; ma.Step != 13 || ma.Loss != mb.Loss || ma.KL != mb.KL {
		t.Errorf("alone %+v, split %+v", ma, mb)
	}
}
