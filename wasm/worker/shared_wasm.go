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
//
// Between commands the helper lingers (linger): ctlIdle says where it is.
// idleGone: in its event loop, or about to be (commands go by the port);
// idleBusy: running a chain of steps or an evaluation, after which it
// lingers again; idleWaiting: in Atomics.wait on ctlIdle, for up to
// lingerMS. The leader gives a lingering helper its next command by
// writing ctlCmd (and, for an evaluation, ctlEval*) and claiming it,
// compareExchange(ctlIdle, idleWaiting → idleBusy); a busy helper it waits
// for; a gone one gets the command by the port. A helper whose wait times
// out leaves with compareExchange(ctlIdle, idleWaiting → idleGone): of the
// two exchanges exactly one succeeds, so a command is taken once.
const (
	ctlH1       = 0  // the step whose shard 1 the helper has posted
	ctlL0       = 1  // the step whose shard 0 the leader has posted
	ctlMore     = 2  // 1: the leader goes on with the next step at once
	ctlFail     = 3  // 1: the helper failed (its message came by the port)
	ctlIdle     = 4  // idleGone, idleWaiting or idleBusy
	ctlCmd      = 5  // the claimed command: cmdGo or cmdEval
	ctlEvalSets = 6  // cmdEval: bit 1 the metrics' sets, bit 2 the grid's
	ctlEvalRes  = 7  // cmdEval: the grid's resolution
	ctlWords    = 16 // 64 bytes, keeping the slots 8-byte aligned

	idleGone    = 0
	idleWaiting = 1
	idleBusy    = 2

	cmdGo   = 1
	cmdEval = 2

	// waitMS bounds a wait for the other worker; lingerMS is how long the
	// helper waits for the leader's next command (while training plays
	// the leader comes back within a frame, 33 ms).
	waitMS   = 20000
	lingerMS = 60
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

// A command is what a lingering helper was claimed for.
type command struct {
	op            int32
	metrics, grid bool
	res           int
}

// busy marks the helper busy with a command that came by the port: the
// leader then waits for it to linger rather than use the port again.
func (s *shared) busy() { atomics.Call("store", s.ctl, ctlIdle, idleBusy) }

// idle lingers for the leader's next command (the helper's side): false
// when lingerMS passed unclaimed and the helper left.
func (s *shared) idle() (command, bool) {
	s.post(ctlIdle, idleWaiting) // a leader waiting for the busy helper wakes
	for {
		atomics.Call("wait", s.ctl, ctlIdle, idleWaiting, lingerMS)
		if atomics.Call("compareExchange", s.ctl, ctlIdle, idleWaiting, idleGone).Int() == idleWaiting {
			return command{}, false // timed out, and now gone: the leader will use the port
		}
		if s.load(ctlIdle) == idleBusy {
			break // claimed
		}
	}
	sets := s.load(ctlEvalSets)
	return command{op: s.load(ctlCmd), metrics: sets&1 != 0, grid: sets&2 != 0, res: int(s.load(ctlEvalRes))}, true
}

// claim gives a lingering helper a command (the leader's side), waiting
// while the helper is busy: false if it is gone (or failed), and the
// command must go by the port.
func (s *shared) claim(c command) bool {
	sets := int32(0)
	if c.metrics {
		sets |= 1
	}
	if c.grid {
		sets |= 2
	}
	atomics.Call("store", s.ctl, ctlCmd, c.op)
	atomics.Call("store", s.ctl, ctlEvalSets, sets)
	atomics.Call("store", s.ctl, ctlEvalRes, c.res)
	for range waitMS / 20 {
		switch int32(atomics.Call("compareExchange", s.ctl, ctlIdle, idleWaiting, idleBusy).Int()) {
		case idleWaiting:
			atomics.Call("notify", s.ctl, ctlIdle)
			return true
		case idleGone:
			return false
		}
		if s.load(ctlFail) != 0 {
			return false
		}
		atomics.Call("wait", s.ctl, ctlIdle, idleBusy, 20)
	}
	return false
}

// sharedPeer is the leader's engine.Peer over a shared buffer. Go and Eval
// go through the buffer to a lingering helper, else by the port (waking
// the helper's event loop); the helper's energies come by the port.
type sharedPeer struct {
	port   *portPeer
	sh     *shared
	claims int // commands given through the buffer (wire.Profile.Claims)
}

func (p *sharedPeer) Go() {
	if p.sh.claim(command{op: cmdGo}) {
		p.claims++
	} else {
		p.port.Go()
	}
}

func (p *sharedPeer) Eval(metrics, grid bool, res int) {
	if p.sh.claim(command{op: cmdEval, metrics: metrics, grid: grid, res: res}) {
		p.claims++
	} else {
		p.port.Eval(metrics, grid, res)
	}
}

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
