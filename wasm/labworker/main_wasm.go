//go:build js && wasm

// Command labworker is the labs' training worker: a core-only wasm loaded
// by web/static/worker.js in a Web Worker when a lab's page is opened (the
// playground's worker never holds a lab's code). It runs one lab
// experiment at a time (package labengine) in slices, returning to the
// event loop between them, and posts frames to the page (package wire).
package main

import (
	"encoding/json"
	"syscall/js"
	"time"

	"nceplay/wasm/engine"
	"nceplay/wasm/labengine"
	"nceplay/wasm/wire"
)

// Slice budgets.
const (
	trainBudget   = 25 * time.Millisecond  // training per slice
	frameInterval = 250 * time.Millisecond // at most 4 frames per second: each costs the page a render
	// A refresh of the report's metrics or of the panels' payload may take
	// at most 1/share of the time between refreshes.
	share = 10
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
	w := &worker{yieldPort: port, timeout: timeout, gen: -1, speed: 1}
	go w.loop()
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	post(wire.Ready{})
	select {}
}

func wake() {
	select {
	case wakeCh <- struct{}{}:
	default:
	}
}

type worker struct {
	r         *labengine.Runner
	gen       int
	running   bool
	seq       int // the last Play, Pause or Step handled (wire.Play)
	speed     float64
	pacer     engine.Pacer
	lastFrame time.Time
	lastM     time.Time // last metrics refresh
	lastP     time.Time // last payload refresh

	yieldPort js.Value
	timeout   js.Func

	// A run split between workers (wire.LabInit.Part): the port to the
	// other worker (wire.Connect), and whether this one runs a share
	// that it hands on (wire.SweepShare) rather than showing the run.
	peer   js.Value
	helper bool
	// early holds shares of a run this worker has not been told of yet
	// (the other worker may start it first).
	early []wire.SweepShare
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
		if w.r == nil || !w.running || w.r.Done() || w.r.Waiting() {
			if w.running && w.r != nil && w.r.Done() {
				w.running = false
				w.frame(true)
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
			n, _ := w.r.Train(due, trainBudget)
			w.pacer.Spend(n)
			w.share()
		}
		if time.Since(w.lastFrame) >= frameInterval || w.r.Done() {
			w.frame(w.r.Done())
		}
		wait := min(w.pacer.Wait(), frameInterval-time.Since(w.lastFrame))
		w.sleep(wait)
	}
}

// frame refreshes what is due (everything when fresh) and posts a frame:
// the progress always, the metrics and the payload when their refresh is
// due (the page keeps the last ones).
func (w *worker) frame(fresh bool) {
	if w.helper {
		w.share()
		return
	}
	now := time.Now()
	r := w.r
	needM := fresh || now.Sub(w.lastM).Seconds() >= max(frameInterval.Seconds(), share*r.MetricsCost())
	needP := r.HasPanels() && (fresh || now.Sub(w.lastP).Seconds() >= max(frameInterval.Seconds(), share*r.PanelCost()))
	if needM {
		w.lastM = now
		r.RefreshMetrics()
	}
	if needP {
		w.lastP = now
	}
	w.lastFrame = time.Now()
	f := r.Frame(w.gen, w.running, needP)
	f.Seq = w.seq
	f.Rate = min(f.Rate, w.pacer.Rate)
	post(f)
}

func (w *worker) setSpeed(v float64) {
	if v > 0 {
		w.speed = v
	}
	if w.r != nil {
		w.pacer.Rate = w.r.BaseRate() * w.speed
	}
}

func (w *worker) handle(v js.Value) {
	m, err := wire.FromJS(v)
	if err != nil {
		js.Global().Get("console").Call("error", "lab worker: "+err.Error())
		return
	}
	switch m := m.(type) {
	case wire.LabInit:
		w.gen = m.Gen
		w.running = false
		w.helper = m.Part > 0
		r, err := labengine.NewPart(m.Query, m.Text, m.Part, m.Parts)
		if err != nil {
			w.r = nil
			post(wire.Failure{Gen: w.gen, Msg: err.Error()})
			return
		}
		w.r = r
		w.setSpeed(m.Speed)
		early := w.early
		w.early = nil
		for _, s := range early {
			if s.Gen == w.gen {
				w.absorb(s)
			} else if s.Gen > w.gen {
				w.early = append(w.early, s)
			}
		}
		w.frame(true)
	case wire.LabFocus:
		if w.r != nil && m.Gen == w.gen {
			w.r.Focus(m.Item)
			w.frame(true)
		}
	case wire.Play:
		w.seq = m.Seq
		if w.r != nil && !w.r.Done() {
			w.running = true
			w.pacer.Start(time.Now())
			w.frame(true)
		}
	case wire.Pause:
		w.seq = m.Seq
		if w.r != nil {
			w.running = false
			w.frame(true)
		}
	case wire.Step:
		w.seq = m.Seq
		if w.r != nil {
			w.running = false
			w.r.Train(m.N, 10*time.Second)
			w.frame(true)
		}
	case wire.Speed:
		w.setSpeed(m.V)
	case wire.Connect:
		w.peer = m.Port.(js.Value)
		w.peer.Set("onmessage", js.FuncOf(func(_ js.Value, args []js.Value) any {
			select {
			case inbox <- args[0].Get("data"):
			default:
			}
			return nil
		}))
	case wire.SweepShare:
		switch {
		case m.Gen > w.gen:
			w.early = append(w.early, m)
		case m.Gen == w.gen && w.r != nil:
			w.absorb(m)
			if w.r.Done() || time.Since(w.lastFrame) >= frameInterval {
				w.frame(w.r.Done())
			}
		}
	case wire.ReportRequest:
		if w.r != nil {
			b, _ := json.MarshalIndent(w.r.Report(), "", "  ")
			post(wire.Report{Gen: w.gen, JSON: string(b)})
		}
	}
}

// absorb merges another worker's share of the run.
func (w *worker) absorb(m wire.SweepShare) {
	if err := w.r.Absorb(m); err != nil {
		post(wire.Failure{Gen: w.gen, Msg: err.Error()})
	}
}

// share hands this worker's new results to the first worker, if it runs
// a share of a split run.
func (w *worker) share() {
	if w.r == nil || !w.peer.Truthy() {
		return
	}
	if m := w.r.Outbox(w.gen); m != nil {
		v, transfer := wire.ToJS(*m)
		w.peer.Call("postMessage", v, transfer)
	}
}

// post sends a message to the page, transferring its typed arrays.
func post(m wire.Message) {
	v, transfer := wire.ToJS(m)
	self.Call("postMessage", v, transfer)
}
