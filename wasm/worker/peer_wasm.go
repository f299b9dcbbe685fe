//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"time"

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
}

func (p *portPeer) Go() { sendPeer(p.port, wire.PeerGo{Gen: p.gen}) }

func (p *portPeer) Wait() (float64, []float64, error) {
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m := <-p.in:
			switch m := m.(type) {
			case wire.PeerFailure:
				if m.Gen == p.gen {
					return 0, nil, errors.New("helper worker: " + m.Msg)
				}
			case wire.Shard1:
				if m.Gen == p.gen { // else from before a reset
					return m.Loss, m.Grad, nil
				}
			}
		case <-timeout:
			return 0, nil, errors.New("the helper worker did not answer")
		}
	}
}

func (p *portPeer) Send(loss float64, grad []float64, more bool) {
	sendPeer(p.port, wire.Shard0{Gen: p.gen, Loss: loss, Grad: grad, More: more})
}

// helperLoop is the helper worker's life: a replica that computes shard 1
// of each step the leader asks for.
func helperLoop(port js.Value, in <-chan wire.Message) {
	var h *engine.Helper
	gen := -1
	var l1 float64
	var g1 []float64
	shard := func() {
		l, g := h.Shard()
		l1, g1 = l, append(g1[:0], g...)
		sendPeer(port, wire.Shard1{Gen: gen, Loss: l, Grad: g1})
	}
	for m := range in {
		switch m := m.(type) {
		case wire.PeerInit:
			gen = m.Gen
			var err error
			if h, err = engine.NewHelper(m.Spec); err != nil {
				h = nil
				sendPeer(port, wire.PeerFailure{Gen: gen, Msg: err.Error()})
			}
		case wire.PeerGo:
			if m.Gen == gen && h != nil {
				shard()
			}
		case wire.Shard0:
			if m.Gen == gen && h != nil {
				if err := h.Apply(m.Loss, m.Grad, l1, g1); err != nil && m.More {
					sendPeer(port, wire.PeerFailure{Gen: gen, Msg: err.Error()})
					continue
				}
				if m.More {
					shard()
				}
			}
		}
	}
}
