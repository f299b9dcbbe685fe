//go:build js && wasm

package main

import (
	"errors"
	"syscall/js"
	"time"

	"nceplay/wasm/engine"
)

// The two training workers talk directly over a MessageChannel that the
// page hands them (web/static/app.js): the leader (the worker the page
// talks to) splits each step with the helper (engine.Peer). Messages:
//
//	leader → helper: {t: "init", gen, spec}, {t: "go", gen},
//	                 {t: "g0", gen, loss, grad: Float64Array, more}
//	helper → leader: {t: "g1", gen, loss, grad: Float64Array}, {t: "err", gen, msg}

type peerMsg struct {
	t, spec, msg string
	gen          int
	loss         float64
	grad         []float64
	more         bool
}

func listen(port js.Value, ch chan<- peerMsg) {
	port.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
		d := args[0].Get("data")
		m := peerMsg{t: str(d.Get("t")), spec: str(d.Get("spec")), msg: str(d.Get("msg")), gen: d.Get("gen").Int()}
		if v := d.Get("loss"); v.Type() == js.TypeNumber {
			m.loss = v.Float()
		}
		if g := d.Get("grad"); g.Type() == js.TypeObject {
			m.grad = readF64(g)
		}
		m.more = d.Get("more").Truthy()
		ch <- m // buffered; the peers exchange one message per step
		return nil
	}))
}

func str(v js.Value) string {
	if v.Type() == js.TypeString {
		return v.String()
	}
	return ""
}

func sendPeer(port js.Value, m map[string]any, grad []float64) {
	if grad != nil {
		a := f64(grad)
		m["grad"] = a
		port.Call("postMessage", m, []any{a.Get("buffer")})
		return
	}
	port.Call("postMessage", m)
}

// portPeer is the leader's engine.Peer.
type portPeer struct {
	port js.Value
	in   chan peerMsg
	gen  int
}

func (p *portPeer) Go() { sendPeer(p.port, map[string]any{"t": "go", "gen": p.gen}, nil) }

func (p *portPeer) Wait() (float64, []float64, error) {
	timeout := time.After(20 * time.Second)
	for {
		select {
		case m := <-p.in:
			if m.gen != p.gen {
				continue // from before a reset
			}
			if m.t == "err" {
				return 0, nil, errors.New("helper worker: " + m.msg)
			}
			if m.t == "g1" {
				return m.loss, m.grad, nil
			}
		case <-timeout:
			return 0, nil, errors.New("the helper worker did not answer")
		}
	}
}

func (p *portPeer) Send(loss float64, grad []float64, more bool) {
	sendPeer(p.port, map[string]any{"t": "g0", "gen": p.gen, "loss": loss, "more": more}, grad)
}

// helperLoop is the helper worker's life: a replica that computes shard 1
// of each step the leader asks for.
func helperLoop(port js.Value, in <-chan peerMsg) {
	var h *engine.Helper
	gen := -1
	var l1 float64
	var g1 []float64
	shard := func() {
		l, g := h.Shard()
		l1, g1 = l, append(g1[:0], g...)
		sendPeer(port, map[string]any{"t": "g1", "gen": gen, "loss": l}, g1)
	}
	for m := range in {
		switch m.t {
		case "init":
			gen = m.gen
			var err error
			if h, err = engine.NewHelper(m.spec); err != nil {
				h = nil
				sendPeer(port, map[string]any{"t": "err", "gen": gen, "msg": err.Error()}, nil)
			}
		case "go":
			if m.gen == gen && h != nil {
				shard()
			}
		case "g0":
			if m.gen == gen && h != nil {
				if err := h.Apply(m.loss, m.grad, l1, g1); err != nil && m.more {
					sendPeer(port, map[string]any{"t": "err", "gen": gen, "msg": err.Error()}, nil)
					continue
				}
				if m.more {
					shard()
				}
			}
		}
	}
}
