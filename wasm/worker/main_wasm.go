//go:build js && wasm

// Command worker is the playground's training worker: a core-only wasm
// loaded by web/static/worker.js in a Web Worker. It runs one experiment
// at a time (package engine) in slices, returning to the event loop
// between them, and posts snapshots to the page as transferable typed
// arrays (package wire).
package main

import (
	"encoding/json"
	"math"
	"syscall/js"
	"time"
	"unsafe"

	"nceplay/wasm/engine"
	"nceplay/wasm/wire"
)

// Slice budgets.
const (
	trainBudget   = 25 * time.Millisecond // training per slice
	frameInterval = 33 * time.Millisecond // at most ~30 frames per second
	// A metrics refresh may take at most 1/metricsShare of the time between
	// refreshes, a grid refresh 1/gridShare (a large 2D mlp's metrics take
	// ~180 ms in wasm, its grid ~30 ms): for W2 about 10% + 10% of the time,
	// and a new heatmap about every 300 ms (each frame costs the page a
	// render: fewer frames, more fps and more steps/s on two cores).
	metricsShare = 10
	gridShare    = 10
)

var (
	inbox  = make(chan js.Value, 1024)
	wakeCh = make(chan struct{}, 1)
	self   = js.Global()
)

func main() {
	self.Set("nceDeliver", js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case inbox <- args[0]:
		default: // a flood of commands: drop (the page sends few)
		}
		return nil
	}))
	mc := self.Get("MessageChannel").New()
	port := mc.Get("port2")
	mc.Get("port1").Set("onmessage", js.FuncOf(func(js.Value, []js.Value) any { wake(); return nil }))
	timeout := js.FuncOf(func(js.Value, []js.Value) any { wake(); return nil })
	w := &worker{yieldPort: port, timeout: timeout, gen: -1}
	go w.loop()
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	post(map[string]any{wire.FKind: wire.KindReady}, nil)
	select {}
}

func wake() {
	select {
	case wakeCh <- struct{}{}:
	default:
	}
}

type worker struct {
	r         *engine.Runner
	gen       int
	running   bool
	speed     float64
	pacer     engine.Pacer
	lastFrame time.Time
	lastM     time.Time // last metrics refresh
	lastG     time.Time // last grid refresh

	yieldPort js.Value
	timeout   js.Func
	peer      *portPeer // the helper worker, when the page gave us one
}

// sleep returns to the event loop for d (0: just yield), handling any
// command that arrives meanwhile.
func (w *worker) sleep(d time.Duration) {
	if d <= 0 {
		w.yieldPort.Call("postMessage", 0)
	} else {
		self.Call("setTimeout", w.timeout, d.Milliseconds()+1)
	}
	select {
	case <-wakeCh:
	case m := <-inbox:
		w.handle(m)
	}
}

func (w *worker) loop() {
	for {
		if w.r == nil || !w.running || w.r.Done() {
			if w.running && w.r != nil && w.r.Done() {
				w.running = false
				w.frame(true, false)
			}
			w.handle(<-inbox)
			continue
		}
	drain:
		for {
			select {
			case m := <-inbox:
				w.handle(m)
			default:
				break drain
			}
		}
		if !w.running || w.r == nil {
			continue
		}
		if due := w.pacer.Due(time.Now()); due > 0 {
			w.pacer.Spend(w.r.Train(due, trainBudget))
		}
		now := time.Now()
		if now.Sub(w.lastFrame) >= frameInterval {
			w.frame(false, false)
		}
		wait := min(w.pacer.Wait(), frameInterval-time.Since(w.lastFrame))
		w.sleep(wait)
	}
}

// frame refreshes what is due (everything when fresh) and posts a frame.
func (w *worker) frame(fresh, points bool) {
	now := time.Now()
	r := w.r
	needM := fresh || now.Sub(w.lastM).Seconds() >= max(frameInterval.Seconds(), metricsShare*r.MetricsCost())
	needG := fresh || now.Sub(w.lastG).Seconds() >= max(frameInterval.Seconds(), gridShare*r.GridCost())
	if !needM && !needG {
		return
	}
	if needM {
		w.lastM = now
	}
	if needG {
		w.lastG = now
	}
	r.Refresh(needM, needG)
	w.lastFrame = time.Now()
	sn := r.Snapshot(w.running, points)
	if w.r.StepCost() > 0 {
		sn.M[wire.MSPS] = math.Min(w.pacer.Rate, 1/w.r.StepCost())
	}
	msg := map[string]any{
		wire.FKind: wire.KindFrame, wire.FGen: w.gen,
		wire.FNote: sn.Note, wire.FErr: sn.Err, wire.FPoints: points,
	}
	var transfer []any
	add := func(name string, v js.Value) {
		msg[name] = v
		transfer = append(transfer, v.Get("buffer"))
	}
	add(wire.FM, f64(sn.M))
	add(wire.FGrid, f32(sn.Grid))
	if len(sn.Theta) > 0 {
		add(wire.FTheta, f64(sn.Theta))
	}
	if points {
		add(wire.FData, f32(sn.Data))
		add(wire.FNoise, f32(sn.Noise))
		if sn.Hist != nil {
			add(wire.FHist, f32(sn.Hist))
		}
	}
	post(msg, transfer)
}

func (w *worker) handle(m js.Value) {
	switch m.Get(wire.FCmd).String() {
	case wire.CmdPeer:
		ch := make(chan peerMsg, 64)
		port := m.Get(wire.FPort)
		listen(port, ch)
		if m.Get(wire.FRole).String() == wire.RoleHelper {
			go helperLoop(port, ch)
		} else {
			w.peer = &portPeer{port: port, in: ch}
		}
	case wire.CmdInit:
		w.gen = m.Get(wire.FGen).Int()
		w.running = false
		r, err := engine.New(m.Get(wire.FSpec).String())
		if err != nil {
			w.r = nil
			post(map[string]any{wire.FKind: wire.KindError, wire.FGen: w.gen, wire.FMsg: err.Error()}, nil)
			return
		}
		w.r = r
		if w.peer != nil {
			w.peer.gen = w.gen
			sendPeer(w.peer.port, map[string]any{"t": "init", "gen": w.gen, "spec": m.Get(wire.FSpec).String()}, nil)
			r.SetPeer(w.peer)
		}
		if w.speed == 0 {
			w.speed = r.Spec().View.Speed
		}
		w.pacer.Rate = engine.BaseRate * w.speed
		w.frame(true, true)
	case wire.CmdPlay:
		if w.r != nil && !w.r.Done() {
			w.running = true
			w.pacer.Start(time.Now())
			w.frame(true, false)
		}
	case wire.CmdPause:
		if w.r != nil {
			w.running = false
			w.frame(true, false)
		}
	case wire.CmdStep:
		if w.r != nil {
			w.running = false
			w.r.Train(m.Get(wire.FN).Int(), 10*time.Second)
			w.frame(true, false)
		}
	case wire.CmdSpeed:
		w.speed = m.Get(wire.FV).Float()
		w.pacer.Rate = engine.BaseRate * w.speed
	case wire.CmdReport:
		if w.r != nil {
			b, _ := json.MarshalIndent(w.r.Report(), "", "  ")
			post(map[string]any{wire.FKind: wire.KindReport, wire.FGen: w.gen, wire.FJSON: string(b)}, nil)
		}
	}
}

func post(msg map[string]any, transfer []any) {
	if transfer == nil {
		self.Call("postMessage", msg)
		return
	}
	self.Call("postMessage", msg, transfer)
}

// readF64 copies a Float64Array into a new slice.
func readF64(a js.Value) []float64 {
	out := make([]float64, a.Length())
	if len(out) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 8*len(out))
		js.CopyBytesToGo(b, js.Global().Get("Uint8Array").New(a.Get("buffer"), a.Get("byteOffset"), a.Get("byteLength")))
	}
	return out
}

// f64 and f32 copy a slice into a new typed array.
func f64(v []float64) js.Value {
	a := js.Global().Get("Float64Array").New(len(v))
	if len(v) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 8*len(v))
		js.CopyBytesToJS(js.Global().Get("Uint8Array").New(a.Get("buffer")), b)
	}
	return a
}

func f32(v []float32) js.Value {
	a := js.Global().Get("Float32Array").New(len(v))
	if len(v) > 0 {
		b := unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), 4*len(v))
		js.CopyBytesToJS(js.Global().Get("Uint8Array").New(a.Get("buffer")), b)
	}
	return a
}
