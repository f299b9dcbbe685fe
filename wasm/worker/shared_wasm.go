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
// Layout: ctlWords int32 control words, then two slots A (the leader's
// shard 0: whether another step follows, the loss, the gradient) and two
// slots B (the helper's shard 1: 0, the loss, the gradient), float64
// each; step s uses A[s%2] and B[s%2]. Each step has a sequence number,
// and both workers post as soon as their shard is ready: the leader
// writes A and sets ctlL0 to the step's number, the helper writes B and
// sets ctlH1; each then waits until the other's word has reached the
// step (the words only grow) and reads the other's slot. So whichever
// finishes last goes on at once, and a step costs one wake-up. Neither
// writes a slot before the other has read it: the leader writes A of step
// s+2 only after reading B of step s+1, which the helper writes only
// after reading A of step s; the same holds for B.
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
	ctlFail     = 2  // 1: the helper failed (its message came by the port)
	ctlIdle     = 3  // idleGone, idleWaiting or idleBusy
	ctlCmd      = 4  // the claimed command: cmdGo or cmdEval
	ctlEvalSets = 5  // cmdEval: bit 1 the metrics' sets, bit 2 the grid's
	ctlEvalRes  = 6  // cmdEval: the grid's resolution
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

// slotSize is the bytes of a slot for gradients of n values: the flag,
// the loss and the gradient.
func slotSize(n int) int { return 8 * (2 + n) }

// newSharedBuffer allocates the buffer of a run whose gradients have n
// values.
func newSharedBuffer(n int) js.Value { return sabCtor.New(4*ctlWords + 4*slotSize(n)) }

// A shared is one worker's view of a run's SharedArrayBuffer.
type shared struct {
	ctl  js.Value    // Int32Array over the control words
	a, b [2]js.Value // Uint8Array views of slots A and B, by step parity
	n    int         // gradient values
	out  []float64   // what put writes (flag, loss, gradient)
	in   []float64   // what get read: apart from out, since a step uses both
	seq  int32       // the last step read
}

// openShared views sab for gradients of n values, or fails if its size
// does not fit them.
func openShared(sab js.Value, n int) (*shared, error) {
	size := slotSize(n)
	if sab.Get("byteLength").Int() != 4*ctlWords+4*size {
		return nil, errors.New("the shared buffer does not fit this run's gradient")
	}
	s := &shared{ctl: int32Array.New(sab, 0, ctlWords), n: n, out: make([]float64, 2+n), in: make([]float64, 2+n)}
	for i := range 2 {
		s.a[i] = uint8Array.New(sab, 4*ctlWords+i*size, size)
		s.b[i] = uint8Array.New(sab, 4*ctlWords+(2+i)*size, size)
	}
	return s, nil
}

func bytesOf(v []float64) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
}

// put writes a flag (more: another step follows), a loss and a gradient
// into a slot.
func (s *shared) put(slot js.Value, more bool, loss float64, grad []float64) error {
	if len(grad) != s.n {
		return errors.New("a gradient does not fit the shared buffer")
	}
	s.out[0] = 0
	if more {
		s.out[0] = 1
	}
	s.out[1] = loss
	copy(s.out[2:], grad)
	js.CopyBytesToJS(slot, bytesOf(s.out))
	return nil
}

// get reads a slot (the gradient a view, valid until the next get).
func (s *shared) get(slot js.Value) (more bool, loss float64, grad []float64) {
	js.CopyBytesToGo(bytesOf(s.in), slot)
	return s.in[0] == 1, s.in[1], s.in[2:]
}

// post sets a control word and wakes the worker waiting on it.
func (s *shared) post(word int, v int32) {
	atomics.Call("store", s.ctl, word, v)
	atomics.Call("notify", s.ctl, word)
}

func (s *shared) load(word int) int32 { return int32(atomics.Call("load", s.ctl, word).Int()) }

// await blocks until control word reaches want (the words only grow: the
// other worker may be a step ahead already), or, for the leader, the
// helper fails; false if waitMS passed first.
func (s *shared) await(word int, want int32, leader bool) (ok bool) {
	for range 3 {
		for {
			cur := s.load(word)
			if cur-want >= 0 {
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

func (p *sharedPeer) Send(loss float64, grad []float64, more bool) {
	next := p.sh.seq + 1
	if err := p.sh.put(p.sh.a[next&1], more, loss, grad); err != nil {
		panic(err) // the runner checked the lengths
	}
	p.sh.post(ctlL0, next)
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
	_, l, g := p.sh.get(p.sh.b[next&1])
	return l, g, nil
}
