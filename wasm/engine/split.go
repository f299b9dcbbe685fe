package engine

import (
	"fmt"
	"time"

	"nceplay/core/nce"
)

// A Peer is the other worker of a split step (docs/architecture.md#workers: two workers
// exchanging gradients directly): it computes shard 1 of each step on its
// own replica of the trainer while this runner computes shard 0; both
// apply the same sum (nce.Trainer.ApplyShards), so the replicas stay
// bit-identical with each other and with an unsplit run.
type Peer interface {
	// Go asks the peer to compute shard 1 of the next step.
	Go()
	// Send gives the peer shard 0's loss and gradient of the step under
	// way, to apply with its shard 1; more asks it to go on with the next
	// step at once. The runner sends before it waits: whichever worker
	// finishes its shard last finds the other's waiting, so a step costs
	// one wake-up, not two.
	Send(loss float64, grad []float64, more bool)
	// Wait returns the peer's shard-1 loss and gradient of the step under
	// way (blocking until it arrives); call it after Send.
	Wait() (loss float64, grad []float64, err error)
}

// An EvalPeer is a Peer that also shares the metrics' and the grid's
// energy evaluations (nce.EvalSet): it evaluates the part of each set
// from EvalCut on, on its replica, while the runner evaluates the part
// before it.
type EvalPeer interface {
	Peer
	// Eval asks the peer for its parts of the metrics' sets (if metrics:
	// the quadrature grid, then the held-out points) and of the grid's
	// (if grid, at resolution res), in that order.
	Eval(metrics, grid bool, res int)
	// Energies returns the peer's part of a set (blocking until it
	// arrives).
	Energies(set nce.EvalSet) ([]float64, error)
}

// EvalCut is where a set of n points is cut between the two workers: the
// runner evaluates the points before it, the peer the rest.
func EvalCut(n int) int { return n / 2 }

// minSharedParams is the smallest model whose evaluations the runner
// shares with its peer: a smaller one evaluates the ~17,000 points of a
// 2D metrics refresh in a few milliseconds, no more than the round trip
// of asking (W2's mlp 64×2 has 4,417 parameters and takes ~60 ms).
const minSharedParams = 256

// SetPeer makes the runner split its steps with p (nil: run alone). Call
// it right after New, before any step: the peer's replica must be built
// from the same spec and never step alone.
func (r *Runner) SetPeer(p Peer) {
	if r.spec.Optimizer().SecondOrder { // full-batch: cannot be split
		p = nil
	}
	r.peer = p
}

// GradLen returns the length of the gradients the peers exchange.
func (r *Runner) GradLen() int { return r.tr.GradLen() }

// sharesEval reports whether the runner shares its metrics' and grid's
// evaluations with its peer.
func (r *Runner) sharesEval() (EvalPeer, bool) {
	ep, ok := r.peer.(EvalPeer)
	return ep, ok && r.tr.GradLen() >= minSharedParams
}

// shareEval asks the peer for its parts of the sets a refresh evaluates
// and has the trainer evaluate its own part of each, then take the
// peer's; it returns the function that ends the sharing. Should the peer
// fail, the runner evaluates the peer's part itself (the same values).
func (r *Runner) shareEval(ep EvalPeer, metrics, grid bool) (end func()) {
	ep.Eval(metrics, grid, r.res)
	d := r.dim
	r.tr.SetEvaluator(func(set nce.EvalSet, _ int, pts, out []float64) {
		cut := EvalCut(len(out))
		r.tr.Energy(pts[:cut*d], out[:cut])
		theirs, err := ep.Energies(set)
		if err != nil || len(theirs) != len(out)-cut {
			r.evalFailures++
			r.tr.Energy(pts[cut*d:], out[cut:])
			return
		}
		copy(out[cut:], theirs)
	})
	return func() { r.tr.SetEvaluator(nil) }
}

// Peer returns the peer the runner splits its steps with, or nil.
func (r *Runner) Peer() Peer { return r.peer }

// Split reports whether the runner splits its steps with a peer.
func (r *Runner) Split() bool { return r.peer != nil }

// splitStep takes one step with the peer. more, asked once shard 0 is
// ready, says whether another split step follows at once (the peer then
// starts on it); splitStep returns its answer.
func (r *Runner) splitStep(more func() bool) (bool, error) {
	t0 := time.Now()
	first := !r.peerBusy
	if first {
		r.peer.Go()
	}
	l0, g0 := r.tr.ShardGradient(0)
	next := more()
	t1 := time.Now()
	r.peer.Send(l0, g0, next)
	r.peerBusy = next
	t2 := time.Now()
	// While the peer finishes shard 1, draw the next step's shard-0 points:
	// they do not depend on θ (nce.Trainer.DrawShard).
	r.tr.DrawShard(0)
	t3 := time.Now()
	l1, g1, err := r.peer.Wait()
	t4 := time.Now()
	r.prof.Compute += t1.Sub(t0).Seconds() + t3.Sub(t2).Seconds()
	r.prof.Wait += t4.Sub(t3).Seconds()
	if first {
		r.prof.Chains++
		r.prof.WaitFirst += t4.Sub(t3).Seconds()
	}
	if err != nil {
		return false, err
	}
	if len(g1) != len(g0) {
		return false, fmt.Errorf("engine: the peer's gradient has %d values, want %d", len(g1), len(g0))
	}
	err = r.tr.ApplyShards([nce.NumShards]float64{l0, l1}, [nce.NumShards][]float64{g0, g1})
	r.prof.Exchange += t2.Sub(t1).Seconds() + time.Since(t4).Seconds()
	return next, err
}

// A Helper is the peer's side: a replica of the trainer that computes
// shard 1 when asked and applies the steps the leader sends.
type Helper struct {
	tr  *nce.Trainer
	dim int
}

// NewHelper builds the replica of a spec query; file is its data file's
// points when it names one (wire.PeerInit.Points), else nil.
func NewHelper(query string, file []float64) (*Helper, error) {
	r, err := NewFile(query, file)
	if err != nil {
		return nil, err
	}
	return &Helper{tr: r.tr, dim: r.dim}, nil
}

// Shard computes shard 1 of the next step (a view, valid until the next
// call).
func (h *Helper) Shard() (loss float64, grad []float64) { return h.tr.ShardGradient(1) }

// DrawNext draws the next step's shard-1 points, while the helper waits
// for the leader's shard 0 (they do not depend on θ).
func (h *Helper) DrawNext() { h.tr.DrawShard(1) }

// GradLen returns the length of the gradients the peers exchange.
func (h *Helper) GradLen() int { return h.tr.GradLen() }

// Apply finishes the step with the leader's shard 0 and this replica's
// shard 1 (as returned by the last Shard).
func (h *Helper) Apply(l0 float64, g0 []float64, l1 float64, g1 []float64) error {
	return h.tr.ApplyShards([nce.NumShards]float64{l0, l1}, [nce.NumShards][]float64{g0, g1})
}

// Energies evaluates the helper's part of a set (the points from
// EvalCut on; the grid's at resolution res) with the replica's θ, which
// is the leader's.
func (h *Helper) Energies(set nce.EvalSet, res int) []float64 {
	pts := h.tr.EvalPoints(set, res)
	n := len(pts) / h.dim
	cut := EvalCut(n)
	out := make([]float64, n-cut)
	h.tr.Energy(pts[cut*h.dim:], out)
	return out
}

// StepCount returns the replica's steps.
func (h *Helper) StepCount() int { return h.tr.StepCount() }
