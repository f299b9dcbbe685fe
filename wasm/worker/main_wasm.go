//go:build js && wasm

// Command worker is the playground's training worker: a core-only wasm
// loaded by web/static/worker.js in a Web Worker. It runs one experiment
// at a time (package engine) in slices, returning to the event loop
// between them, and posts frames to the page (package wire: every message
// is a Go struct; its typed arrays are transferred).
package main

import (
	"encoding/json"
	"strings"
	"syscall/js"
	"time"

	"nceplay/core/spec"
	"nceplay/wasm/engine"
	"nceplay/wasm/wire"
)

// Slice budgets.
const (
	trainBudget   = 25 * time.Millisecond // training per slice
	frameInterval = 33 * time.Millisecond // at most ~30 frames per second
	fillInterval  = 4 * frameInterval     // frames between far-apart strides
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
	w := &worker{yieldPort: port, timeout: timeout, gen: -1, workers: pageWorkers()}
	go w.loop()
	if f := self.Get("nceFlush"); f.Type() == js.TypeFunction {
		f.Invoke()
	}
	post(wire.Ready{})
	select {}
}

// pageWorkers returns the page's workers key (1 or 2): web/static/app.js
// passes the page's query in the fragment of this worker's URL, parsed
// here as the page parses it (a bad value runs the default).
func pageWorkers() int {
	hash := strings.TrimPrefix(self.Get("location").Get("hash").String(), "#")
	params := js.Global().Get("URLSearchParams").New(hash)
	q := params.Call("get", "q")
	if q.Type() != js.TypeString {
		return spec.Default().View.Workers
	}
	s, _ := spec.Parse(strings.TrimPrefix(q.String(), "?"))
	return s.View.Workers
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
	seq       int // the last Play, Pause or Step handled (wire.Play)
	speed     float64
	pacer     engine.Pacer
	lastFrame time.Time
	lastM     time.Time // last metrics refresh
	lastG     time.Time // last grid refresh

	yieldPort js.Value
	timeout   js.Func
	peer      *portPeer    // the helper worker, when the page gave us one
	workers   int          // the page's workers key: 1 leaves the helper idle
	file      *engine.File // the data file the user gave (docs/spec.md#data-file); nil: none
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
		// Frames come at the stride's multiples, with the metrics measured
		// there (engine.Pace spaces them at least frameInterval apart), and
		// between them, when they are far apart, every fillInterval (the
		// grid and the step counter): about as many frames as before the
		// strides, each a render of the page.
		now := time.Now()
		if w.r.OnStride() || now.Sub(w.lastFrame) >= fillInterval {
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
	// While playing, the metrics are measured at the multiples of a stride
	// (uniform curves, engine.Pace) spaced as far apart as their cost asks.
	interval := max(frameInterval.Seconds(), metricsShare*r.MetricsCost())
	r.Pace(interval, w.pacer.Rate)
	needM := fresh || r.OnStride()
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
	f := r.Frame(w.gen, w.running, points)
	f.Seq = w.seq
	f.SPS = min(f.SPS, w.pacer.Rate)
	f.Workers = 1
	if r.Split() {
		f.Workers = 2
		var sp *sharedPeer
		sp, f.Shared = r.Peer().(*sharedPeer)
		if f.Shared {
			f.Profile.Claims = sp.claims
		}
	}
	post(f)
}

func (w *worker) handle(v js.Value) {
	m, err := wire.FromJS(v)
	if err != nil {
		js.Global().Get("console").Call("error", "training worker: "+err.Error())
		return
	}
	switch m := m.(type) {
	case wire.Connect:
		port, _ := m.Port.(js.Value)
		ch := make(chan wire.Message, 64)
		listen(port, ch)
		if m.Role == wire.RoleHelper {
			go helperLoop(port, ch)
		} else {
			w.peer = &portPeer{port: port, in: ch}
		}
	case wire.Init:
		w.gen = m.Gen
		w.running = false
		pts := w.file.For(m.Spec)
		r, err := engine.NewFile(m.Spec, pts)
		if err != nil {
			w.r = nil
			post(wire.Failure{Gen: w.gen, Msg: err.Error()})
			return
		}
		w.r = r
		if w.peer != nil && w.workers >= 2 && !r.Spec().Optimizer().SecondOrder {
			w.peer.gen, w.peer.failed = w.gen, nil
			init := wire.PeerInit{Gen: w.gen, Spec: m.Spec, Points: pts}
			var p engine.Peer = w.peer
			if canShare() {
				buf := newSharedBuffer(r.GradLen())
				if sh, err := openShared(buf, r.GradLen()); err == nil {
					init.Shared, p = buf, &sharedPeer{port: w.peer, sh: sh}
				}
			}
			sendPeer(w.peer.port, init)
			r.SetPeer(p)
		}
		if w.speed == 0 {
			w.speed = r.Spec().View.Speed
		}
		w.pacer.Rate = engine.BaseRate * w.speed
		w.frame(true, true)
	case wire.Play:
		w.seq = m.Seq
		if w.r != nil && !w.r.Done() {
			w.running = true
			w.pacer.Start(time.Now())
			w.frame(true, false)
		}
	case wire.Pause:
		w.seq = m.Seq
		if w.r != nil {
			w.running = false
			w.frame(true, false)
		}
	case wire.Step:
		w.seq = m.Seq
		if w.r != nil {
			w.running = false
			w.r.Train(m.N, 10*time.Second)
			w.frame(true, false)
		}
	case wire.Speed:
		w.speed = m.V
		w.pacer.Rate = engine.BaseRate * w.speed
	case wire.DataImport:
		a, f := engine.ImportData(m)
		if f != nil {
			w.file = f
		}
		post(a)
	case wire.DataExport:
		if w.file == nil {
			post(wire.DataFileCSV{Err: "no data file: drop or choose a CSV first", For: m.For})
		} else {
			post(wire.DataFileCSV{ID: w.file.ID, CSV: w.file.CSV(), For: m.For})
		}
	case wire.ReportRequest:
		if w.r != nil {
			b, _ := json.MarshalIndent(w.r.Report(), "", "  ")
			post(wire.Report{Gen: w.gen, JSON: string(b)})
		}
	}
}

// post sends a message to the page, transferring its typed arrays.
func post(m wire.Message) {
	v, transfer := wire.ToJS(m)
	self.Call("postMessage", v, transfer)
}
