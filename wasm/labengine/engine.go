// Package labengine runs one lab experiment for the labs' training worker
// (wasm/labworker): it drives the lab's lab.Run from the registry in
// slices, measures what a slice and a refresh cost, and packs frames
// (wire.LabFrame): the progress, the runner's report (the numbers of
// `nceplay run --json`, bit for bit) and the lab page's payload. It holds
// no browser code, so it is tested natively.
//
// Adding a lab's page adds its payload here: a Panels for its runs, in
// PanelsFor (w2v.go is the example).
package labengine

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"nceplay/core/lab"
	"nceplay/wasm/engine"
	"nceplay/wasm/wire"
)

// BaseSeconds is how long a run takes at the view's speed 1 when the
// machine is fast enough: slow enough to watch; the speed key divides it.
const BaseSeconds = 12

// A Panels packs a lab page's payload into frames.
type Panels interface {
	// Pack sets f's payload for the run's current state; with static it
	// adds the parts that change only with the run.
	Pack(f *wire.LabFrame, static bool)
	// Focus sets the item the page looks at closer (wire.LabFocus).
	Focus(item int)
}

// PanelsFor builds the payload packer of a lab's runs, by the lab's name.
// A lab without an entry gets frames without payload (its page shows its
// report's numbers).
var PanelsFor = map[string]func(lab.Run) Panels{}

// WrapFor lets a lab's page train more than the runner's run (the vocab
// page's NCE at other k and its timing probe), by the lab's name: the
// wrapper steps the run and its own work, says how far both have come
// (lab.Tracker), and reports the run's report, so that the page's numbers
// stay the runner's.
var WrapFor = map[string]func(lab.Run) lab.Run{}

// A Runner is one lab run in the worker.
type Runner struct {
	Lab   *lab.Lab
	run   lab.Run
	query string

	trainDur time.Duration // time spent in Step, for the report's rates
	started  time.Time
	unitCost float64 // seconds per unit (running estimate)

	metrics     []wire.LabMetric
	texts       []wire.LabText
	timings     []wire.LabMetric
	metricsAt   int64 // progress of the metrics; −1 before any
	metricsCost float64

	panels    Panels
	panelCost float64
	static    bool // the next payload carries its static parts
	packed    bool // a payload was packed since the last Refresh asked for one

	parts int // the workers that share the run (NewPart)
}

// New builds the runner of a lab query (the experiment query, which must
// parse without error) on the user's text (nil for none).
func New(query string, text *string) (*Runner, error) { return NewPart(query, text, 0, 1) }

// Builders build a lab's run for its page where the registry's New does
// not do: a share of a run that two workers split (part of parts, see
// wire.LabInit), or a run with more to show than the runner's (InfoNCE's
// series across k). A lab without an entry runs l.New's run, whole.
var Builders = map[string]func(l *lab.Lab, query string, in lab.Input, part, parts int) (lab.Run, error){}

// NewPart builds the runner of part of parts of a lab query (New for
// parts ≤ 1).
func NewPart(query string, text *string, part, parts int) (*Runner, error) {
	l, err := lab.Select(query)
	if err != nil {
		return nil, err
	}
	if l == nil {
		return nil, fmt.Errorf("labengine: the query %q names no lab", query)
	}
	parts = max(parts, 1)
	if part < 0 || part >= parts {
		return nil, fmt.Errorf("labengine: part %d of %d", part, parts)
	}
	var run lab.Run
	if b := Builders[l.Name]; b != nil {
		run, err = b(l, query, lab.Input{Text: text}, part, parts)
	} else if parts > 1 {
		err = errSplit(l)
	} else {
		run, err = l.New(query, lab.Input{Text: text})
	}
	if err != nil {
		return nil, err
	}
	if w := WrapFor[l.Name]; w != nil {
		run = w(run)
	}
	r := &Runner{Lab: l, run: run, query: run.Query(), metricsAt: -1, static: true, started: time.Now(), parts: parts}
	if p := PanelsFor[l.Name]; p != nil {
		r.panels = p(run)
	}
	return r, nil
}

// Query returns the run's canonical experiment query.
func (r *Runner) Query() string { return r.query }

// Done reports whether the run is finished or diverged.
func (r *Runner) Done() bool { return r.run.Done() }

// Progress returns how far the run has come (a run that cannot say counts
// 0 of 1 until it is done).
func (r *Runner) Progress() lab.Progress {
	if t, ok := r.run.(lab.Tracker); ok {
		return t.Track()
	}
	if r.run.Done() {
		return lab.Progress{Done: 1, Total: 1}
	}
	return lab.Progress{Total: 1}
}

// Rate returns the units trained per second, measured (0 before any).
func (r *Runner) Rate() float64 {
	if r.unitCost > 0 {
		return 1 / r.unitCost
	}
	return 0
}

// BaseRate is the pace at speed 1, in units per second: the whole run in
// BaseSeconds.
func (r *Runner) BaseRate() float64 {
	return max(1, float64(r.Progress().Total)/BaseSeconds/float64(max(r.parts, 1)))
}

// Train takes up to n units but stops after budget (at least one unit is
// taken if n > 0 and the run is not done). It returns the units taken and
// the divergence, if training diverged.
func (r *Runner) Train(n int, budget time.Duration) (int, error) {
	start := time.Now()
	done := 0
	for done < n && !r.run.Done() {
		left := budget - time.Since(start)
		if done > 0 && left <= 0 {
			break
		}
		chunk := n - done
		if r.unitCost > 0 {
			chunk = min(chunk, max(1, int(left.Seconds()/r.unitCost)))
		} else {
			chunk = min(chunk, 64)
		}
		before := r.Progress().Done
		t0 := time.Now()
		err := r.run.Step(chunk)
		el := time.Since(t0)
		r.trainDur += el
		took := int(r.Progress().Done - before)
		done += took
		if took > 0 {
			r.unitCost = engine.SmoothCost(r.unitCost, el.Seconds()/float64(took))
		}
		if err != nil {
			return done, err
		}
		if took == 0 {
			break
		}
	}
	return done, nil
}

// MetricsCost and PanelCost return the seconds one refresh of the report
// or of the payload takes (0 before the first).
func (r *Runner) MetricsCost() float64 { return r.metricsCost }
func (r *Runner) PanelCost() float64   { return r.panelCost }

// HasPanels reports whether the lab's page has a payload.
func (r *Runner) HasPanels() bool { return r.panels != nil }

// Focus sets the payload's focused item.
func (r *Runner) Focus(item int) {
	if r.panels != nil {
		r.panels.Focus(item)
	}
}

// Report returns the runner's report (the object of `nceplay run
// --json`) of the current state.
func (r *Runner) Report() any {
	return r.run.Report(r.trainDur.Seconds(), float64(time.Since(r.started).Microseconds())/1000)
}

// RefreshMetrics takes the report's numbers now, if the run has moved
// since the last time.
func (r *Runner) RefreshMetrics() {
	at := r.Progress().Done
	if at == r.metricsAt && r.metrics != nil {
		return
	}
	t0 := time.Now()
	all, t, err := Flatten(r.Report(), nil)
	if err != nil {
		t = append(t, wire.LabText{Key: "report", Value: err.Error()})
	}
	if r.metricsAt >= 0 { // the first also builds what the metrics need once
		r.metricsCost = time.Since(t0).Seconds()
	}
	m, tm := []wire.LabMetric{}, []wire.LabMetric(nil)
	for _, x := range all {
		if slices.Contains(r.Lab.Timings, x.Key) {
			tm = append(tm, x)
		} else {
			m = append(m, x)
		}
	}
	r.metrics, r.texts, r.timings, r.metricsAt = m, t, tm, at
}

// Frame packs a frame of generation gen: the progress, the last metrics
// (taken now if there are none) and, with panels, the payload of the
// current state.
func (r *Runner) Frame(gen int, running, panels bool) wire.LabFrame {
	if r.metrics == nil {
		r.RefreshMetrics()
	}
	p := r.Progress()
	f := wire.LabFrame{Gen: gen, Lab: r.Lab.Name, Query: r.query, Running: running && !r.Done(), Done: r.Done(),
		Progress: wire.LabProgress{Done: p.Done, Total: p.Total, Unit: p.Unit, Stage: p.Stage},
		Rate:     r.Rate(), MetricsAt: r.metricsAt, Metrics: r.metrics, Texts: r.texts, Timings: r.timings}
	for _, t := range r.texts {
		if t.Key == "error" {
			f.Diverged = t.Value
		}
	}
	if panels && r.panels != nil {
		t0 := time.Now()
		static := r.static
		r.panels.Pack(&f, static)
		if !static {
			r.panelCost = time.Since(t0).Seconds()
		}
		r.static = false
	}
	return f
}

// Flatten lists a report's fields, in its JSON order: numbers (and
// booleans, as 0 and 1) and nulls as metrics, strings as texts; the
// fields named in skip (the wall-clock timings) and nested values are
// left out. The numbers are those of the JSON, which reads back as the
// same float64.
func Flatten(report any, skip []string) ([]wire.LabMetric, []wire.LabText, error) {
	b, err := json.Marshal(report)
	if err != nil {
		return nil, nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, nil, errors.New("labengine: the report is not a JSON object")
	}
	ms := []wire.LabMetric{}
	var ts []wire.LabText
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, nil, err
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, nil, err
		}
		if slices.Contains(skip, key) {
			continue
		}
		switch s := string(raw); {
		case s == "null":
			ms = append(ms, wire.LabMetric{Key: key, Null: true})
		case s == "true" || s == "false":
			ms = append(ms, wire.LabMetric{Key: key, Value: map[bool]float64{true: 1}[s == "true"]})
		case s[0] == '"':
			var v string
			json.Unmarshal(raw, &v)
			ts = append(ts, wire.LabText{Key: key, Value: v})
		case s[0] == '[' || s[0] == '{':
		default:
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("labengine: report field %q: %v", key, err)
			}
			ms = append(ms, wire.LabMetric{Key: key, Value: v})
		}
	}
	return ms, ts, nil
}
