//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"unsafe"

	"nceplay/core/nce"
)

// The fast exchange (docs/architecture.md#workers): when the page is
// cross-origin isolated the leader gives each run a SharedArrayBuffer
// (wire.PeerInit.Shared) and the two workers hand each other their shard
// gradients through it, waking each other with Atomics.notify, without a
// message or a trip through the event loop and Go's scheduler. Each worker
// blocks in Atomics.wait (allowed in a worker) while the other computes.
//
// Layout: ctlWords int32 control words, then slot A (the leader's shard 0:
// loss, then the gradient) and slot B (the helper's shard 1), float64 each.
// Each step has a sequence number: the helper writes B and sets ctlH1 to
// it; the leader reads B, writes A, sets ctlMore and then ctlL0 to it; the
// helper reads A. Neither writes a slot before the other has read it: the
// helper writes B of step s+1 only after reading A of step s, which the
// leader writes only after reading B of step s.
const (
	ctlH1    = 0  // the step whose shard 1 the helper has posted
	ctlL0    = 1  // the step whose shard 0 the leader has posted
	ctlMore  = 2  // 1: the leader goes on with the next step at once
	ctlFail  = 3  // 1: the helper failed (its message came by the port)
	ctlWords = 16 // 64 bytes, keeping the slots 8-byte aligned

	// waitMS bounds a wait for the other worker.
	waitMS = 20000
)

var (
	atomics       = js.Global().Get("Atomics")
	sabCtor       = js.Global().Get("SharedArrayBuffer")
	int32Array    = js.Global().Get("Int32Array")
	uint8Array    = js.Global().Get("Uint8Array")
	errPeerFailed = errors.New("the helper worker failed")
	errNoAnswer   = errors.New("the helper worker did not answer")
)

// canShare reports whether this worker may share memory with the other:
// the page is cross-origin isolated.
func canShare() bool {
	return self.Get("crossOriginIsolated").Truthy() && sabCtor.Type() == js.TypeFunction
}

// newSharedBuffer allocates the buffer of a run whose gradients have n
// values.
func newSharedBuffer(n int) js.Value { return sabCtor.New(4*ctlWords + 2*8*(1+n)) }

// A shared is one worker's view of a run's SharedArrayBuffer.
type shared struct {
	ctl  js.Value  // Int32Array over the control words
	a, b js.Value  // Uint8Array views of slots A and B
	n    int       // gradient values
	out  []float64 // what put writes (loss, then the gradient)
	in   []float64 // what get read: apart from out, since a step reads the other's slot before it writes its own and uses both
	seq  int32     // the last step posted or read
}

// openShared views sab for gradients of n values, or fails if its size
// does not fit them.
func openShared(sab js.Value, n int) (*shared, error) {
	size := 8 * (1 + n)
	if sab.Get("byteLength").Int() != 4*ctlWords+2*size {
		return nil, errors.New("the shared buffer does not fit this run's gradient")
	}
	return &shared{
		ctl: int32Array.New(sab, 0, ctlWords),
		a:   uint8Array.New(sab, 4*ctlWords, size),
		b:   uint8Array.New(sab, 4*ctlWords+size, size),
		n:   n, out: make([]float64, 1+n), in: make([]float64, 1+n),
	}, nil
}

func bytesOf(v []float64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
}

// put writes a loss and gradient into a slot.
func (s *shared) put(slot js.Value, loss float64, grad []float64) error {
	if len(grad) != s.n {
		return errors.New("a gradient does not fit the shared buffer")
	}
	s.out[0] = loss
	copy(s.out[1:], grad)
	js.CopyBytesToJS(slot, bytesOf(s.out))
	return nil
}

// get reads a slot (a view, valid until the next get).
func (s *shared) get(slot js.Value) (float64, []float64) {
	js.CopyBytesToGo(bytesOf(s.in), slot)
	return s.in[0], s.in[1:]
}

// post sets a control word and wakes the worker waiting on it.
func (s *shared) post(word int, v int32) {
	atomics.Call("store", s.ctl, word, v)
	atomics.Call("notify", s.ctl, word)
}

func (s *shared) load(word int) int32 { return int32(atomics.Call("load", s.ctl, word).Int()) }

// await blocks until control word reaches want (or, for the leader, the
// helper fails); false if waitMS passed first.
func (s *shared) await(word int, want int32, leader bool) (ok bool) {
	for range 3 {
		for {
			cur := s.load(word)
			if cur == want {
				return true
			}
			if leader && s.load(ctlFail) != 0 {
				return false
			}
			if atomics.Call("wait", s.ctl, word, cur, waitMS/3).String() == "timed-out" {
				break
			}
		}
	}
	return false
}

// sharedPeer is the leader's engine.Peer over a shared buffer; Go still
// travels by the port (it wakes the helper from its event loop, once per
// slice of steps).
type sharedPeer struct {
	port *portPeer
	sh   *shared
}

func (p *sharedPeer) Go() { p.port.Go() }

// Eval and Energies travel by the port: the helper answers them from its
// event loop, between chains of steps.
func (p *sharedPeer) Eval(metrics, grid bool, res int) { p.port.Eval(metrics, grid, res) }
func (p *sharedPeer) Energies(set nce.EvalSet) ([]float64, error) {
	return p.port.Energies(set)
}

func (p *sharedPeer) Wait() (float64, []float64, error) {
	next := p.sh.seq + 1
	if !p.sh.await(ctlH1, next, true) {
		if p.sh.load(ctlFail) != 0 {
			// The helper's message says why.
			if _, _, err := p.port.Wait(); err != nil {
				return 0, nil, err
			}
			return 0, nil, errPeerFailed
		}
		return 0, nil, errNoAnswer
	}
	p.sh.seq = next
	l, g := p.sh.get(p.sh.b)
	return l, g, nil
}

func (p *sharedPeer) Send(loss float64, grad []float64, more bool) {
	if err := p.sh.put(p.sh.a, loss, grad); err != nil {
		panic(err) // the runner checked the lengths
	}
	m := int32(0)
	if more {
		m = 1
	}
	atomics.Call("store", p.sh.ctl, ctlMore, m)
	p.sh.post(ctlL0, p.sh.seq)
}
