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
