package engine

import (
	"fmt"
	"testing"
	"time"

	"nceplay/core/nce"
)

// goPeer is the helper worker as a goroutine: the two workers' lockstep
// (docs/architecture.md#workers) natively, channels in place of the
// shared buffer. Go starts a chain of steps; each step the helper posts
// shard 1 and waits for shard 0, as wasm/worker does.
type goPeer struct {
	start chan struct{}
	shard chan []float64 // the helper's loss and gradient, copied
	sent  chan []float64 // the leader's: more (1 or 0), loss, gradient
	out   []float64
}

func newGoPeer(h *Helper) *goPeer {
	p := &goPeer{start: make(chan struct{}), shard: make(chan []float64, 1), sent: make(chan []float64, 1)}
	go func() {
		var mine []float64
		for range p.start {
			for {
				l, g := h.Shard()
				mine = append(append(mine[:0], l), g...)
				p.shard <- append([]float64(nil), mine...)
				h.DrawNext()
				in := <-p.sent
				if err := h.Apply(in[1], in[2:], mine[0], mine[1:]); err != nil {
					panic(err)
				}
				if in[0] == 0 {
					break
				}
			}
		}
	}()
	return p
}

func (p *goPeer) Go() { p.start <- struct{}{} }

func (p *goPeer) Wait() (float64, []float64, error) {
	s := <-p.shard
	return s[0], s[1:], nil
}

func (p *goPeer) Send(loss float64, grad []float64, more bool) {
	m := 0.0
	if more {
		m = 1
	}
	p.sent <- append([]float64{m, loss}, grad...)
}

func (p *goPeer) stop() { close(p.start) }

// BenchmarkW2Split is W2 (nce.W2) taken in this package's split steps,
// natively, in chains of four steps as the worker's slices take them:
// workers=1 the runner alone, workers=2 with its helper in another
// goroutine, the two in lockstep. make ui-bench runs it in every round
// beside the page: what two threads in lockstep get from this machine's
// two cores at that moment (two independent processes get more: neither
// waits for the other).
func BenchmarkW2Split(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var peer *goPeer
			runner := func() *Runner {
				if peer != nil {
					peer.stop()
				}
				r, err := New(nce.W2)
				if err != nil {
					b.Fatal(err)
				}
				if workers == 2 {
					h, err := NewHelper(nce.W2, nil)
					if err != nil {
						b.Fatal(err)
					}
					peer = newGoPeer(h)
					r.SetPeer(peer)
				}
				r.Train(4, time.Second) // warm up
				return r
			}
			r := runner()
			steps := 0
			for b.Loop() {
				n := r.Train(4, time.Second)
				if n == 0 { // W2's steps are done: again from the start
					b.StopTimer()
					r = runner()
					b.StartTimer()
				}
				steps += n
			}
			b.ReportMetric(float64(steps)/b.Elapsed().Seconds(), "steps/s")
			if peer != nil {
				peer.stop()
			}
		})
	}
}

// The benchmark's goroutine helper keeps the run what it is alone, bit for
// bit (a faster lockstep that computed something else would measure
// nothing).
func TestGoPeerIsBitIdentical(t *testing.T) {
	q := "target=ring&model=mlp&units=8&batch=33&k=4"
	a, b := mustNew(t, q), mustNew(t, q)
	h, err := NewHelper(q, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := newGoPeer(h)
	defer p.stop()
	b.SetPeer(p)
	trainAndCompare(t, q, a, b, 30, 4)
}
