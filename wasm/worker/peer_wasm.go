//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"time"

	"nceplay/core/nce"
	"nceplay/wasm/engine"
	"nceplay/wasm/wire"
)

// The two training workers talk directly over a MessageChannel that the
// page hands them (wire.Connect): the leader (the worker the page talks
// to) splits each step with the helper (engine.Peer). The leader sends
// wire.PeerInit, wire.PeerGo and wire.Shard0; the helper answers
// wire.Shard1 or wire.PeerFailure.

// listen delivers the port's messages to ch.
func listen(port js.Value, ch chan<- wire.Message) {
	port.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		m, err := wire.FromJS(args[0].Get("data"))
		if err != nil {
			js.Global().Get("console").Call("error", "training worker: "+err.Error())
			return nil
		}
		ch <- m // buffered; the peers exchange one message per step
		return nil
	}))
}

// sendPeer posts a message to the other worker, transferring its arrays.
func sendPeer(port js.Value, m wire.Message) {
	v, transfer := wire.ToJS(m)
	port.Call("postMessage", v, transfer)
}

// portPeer is the leader's engine.Peer.
type portPeer struct {
	port js.Value
	in   chan wire.Message
	gen  int
	// failed is the helper's failure in this generation, once heard (by
	// Wait or Energies: both then return it).
	failed error
}

func (p *portPeer) Go() { sendPeer(p.port, wire.PeerGo{Gen: p.gen}) }

// next returns the first message of this generation that take accepts
// (others, from before a reset, are dropped), or the helper's failure, or
// a timeout.
func (p *portPeer) next(take func(wire.Message) bool) (wire.Message, error) {
	if p.failed != nil {
		return nil, p.failed
	}
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m := <-p.in:
			if f, ok := m.(wire.PeerFailure); ok && f.Gen == p.gen {
				p.failed = errors.New("helper worker: " + f.Msg)
				return nil, p.failed
			}
			if take(m) {
				return m, nil
			}
		case <-timeout:
			return nil, errors.New("the helper worker did not answer")
		}
	}
}

func (p *portPeer) Wait() (float64, []float64, error) {
	m, err := p.next(func(m wire.Message) bool { s, ok := m.(wire.Shard1); return ok && s.Gen == p.gen })
	if err != nil {
		return 0, nil, err
	}
	s := m.(wire.Shard1)
	return s.Loss, s.Grad, nil
}

// Eval implements engine.EvalPeer.
func (p *portPeer) Eval(metrics, grid bool, res int) {
	sendPeer(p.port, wire.PeerEval{Gen: p.gen, Metrics: metrics, Grid: grid, Res: res})
}

// Energies implements engine.EvalPeer.
func (p *portPeer) Energies(set nce.EvalSet) ([]float64, error) {
	m, err := p.next(func(m wire.Message) bool {
		e, ok := m.(wire.PeerEnergies)
		return ok && e.Gen == p.gen && e.Set == int(set)
	})
	if err != nil {
		return nil, err
	}
	return m.(wire.PeerEnergies).Vals, nil
}

func (p *portPeer) Send(loss float64, grad []float64, more bool) {
	sendPeer(p.port, wire.Shard0{Gen: p.gen, Loss: loss, Grad: grad, More: more})
}

// helperLoop is the helper worker's life: a replica that computes shard 1
// of each step the leader asks for, exchanging gradients by messages or,
// when the leader gave the run a shared buffer, through it (sharedChain).
func helperLoop(port js.Value, in <-chan wire.Message) {
	var h *engine.Helper
	var sh *shared
	gen := -1
	var l1 float64
	var g1 []float64
	shard := func() {
		l, g := h.Shard()
		l1, g1 = l, append(g1[:0], g...)
		sendPeer(port, wire.Shard1{Gen: gen, Loss: l, Grad: g1})
		h.DrawNext() // while the leader finishes shard 0
	}
	var sab js.Value // this run's shared buffer, if any
	fail := func(msg string) {
		sendPeer(port, wire.PeerFailure{Gen: gen, Msg: msg})
		if sab.Truthy() { // the leader waits on the buffer, not the port
			ctl := int32Array.New(sab, 0, ctlWords)
			atomics.Call("store", ctl, ctlFail, 1)
			atomics.Call("notify", ctl, ctlH1)
		}
	}
	for m := range in {
		switch m := m.(type) {
		case wire.PeerInit:
			gen, sh, sab = m.Gen, nil, js.Value{}
			var err error
			h, err = engine.NewHelper(m.Spec, m.Points)
			if v, ok := m.Shared.(js.Value); ok && v.Truthy() {
				sab = v
				n := 0
				if h != nil {
					n = h.GradLen()
				}
				var serr error
				if sh, serr = openShared(sab, n); serr != nil && err == nil {
					err = serr
				}
			}
			if err != nil {
				h = nil
				fail(err.Error())
			}
		case wire.PeerEval:
			if m.Gen != gen {
				continue
			}
			if h == nil { // the leader waits for an answer
				fail("no replica to evaluate")
				continue
			}
			if sh != nil {
				sh.busy()
			}
			evaluate(port, h, gen, m)
			if sh != nil {
				if err := linger(port, h, sh, gen); err != nil {
					fail(err.Error())
				}
			}
		case wire.PeerGo:
			if m.Gen != gen || h == nil {
				continue
			}
			if sh != nil {
				sh.busy()
				err := sharedChain(h, sh)
				if err == nil {
					err = linger(port, h, sh, gen)
				}
				if err != nil {
					fail(err.Error())
				}
			} else {
				shard()
			}
		case wire.Shard0:
			if m.Gen == gen && h != nil && sh == nil {
				if err := h.Apply(m.Loss, m.Grad, l1, g1); err != nil && m.More {
					fail(err.Error())
					continue
				}
				if m.More {
					shard()
				}
			}
		}
	}
}

// evaluate sends the leader the helper's parts of the sets a refresh
// evaluates (engine.EvalPeer), one message per set.
func evaluate(port js.Value, h *engine.Helper, gen int, m wire.PeerEval) {
	var sets []nce.EvalSet
	if m.Metrics {
		sets = append(sets, nce.EvalQuad, nce.EvalHeldOut)
	}
	if m.Grid {
		sets = append(sets, nce.EvalGrid)
	}
	for _, set := range sets {
		sendPeer(port, wire.PeerEnergies{Gen: gen, Set: int(set), Vals: h.Energies(set, m.Res)})
	}
}

// linger keeps the helper in Atomics.wait for up to lingerMS after a
// chain of steps or an evaluation, for the leader's next command through
// the shared buffer (sharedPeer.claim): the next chain, or the next
// refresh's evaluations. The leader comes back within a frame while
// training plays, and a command through the buffer costs no message and
// no wake-up of the helper's event loop and Go's scheduler (a
// millisecond or more, once per chain of two or three steps). Unclaimed,
// the helper returns to its event loop (a new run, or a paused one).
func linger(port js.Value, h *engine.Helper, sh *shared, gen int) error {
	for {
		cmd, ok := sh.idle()
		if !ok {
			return nil
		}
		switch cmd.op {
		case cmdGo:
			if err := sharedChain(h, sh); err != nil {
				return err
			}
		case cmdEval:
			evaluate(port, h, gen, wire.PeerEval{Gen: gen, Metrics: cmd.metrics, Grid: cmd.grid, Res: cmd.res})
		}
	}
}

// sharedChain computes shard 1 of the leader's steps through the shared
// buffer, blocking in Atomics.wait between them, until the leader says
// that no step follows at once; then the helper returns to its event loop.
func sharedChain(h *engine.Helper, sh *shared) error {
	for {
		l1, g1 := h.Shard()
		seq := sh.seq + 1
		if err := sh.put(sh.b[seq&1], false, l1, g1); err != nil {
			return err
		}
		sh.post(ctlH1, seq)
		h.DrawNext() // while the leader finishes shard 0
		if !sh.await(ctlL0, seq, false) {
			return errors.New("the leader did not send its shard")
		}
		sh.seq = seq
		more, l0, g0 := sh.get(sh.a[seq&1])
		if err := h.Apply(l0, g0, l1, g1); err != nil {
			// Diverged: the leader, bit-identical, stops at this step too.
			return nil
		}
		if !more {
			return nil
		}
	}
}
