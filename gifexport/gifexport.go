// Package gifexport exports a run of the playground as an animated GIF
// for slides (docs/spec.md#gif): it trains the spec headlessly with
// core/nce's Trainer — the numbers of the runner and the page — and draws
// one frame per checkpoint of the chosen panels (density, classifier,
// curves: spec.Panels' IDs) with package raster, in chart's palette,
// encoded with the standard library's image/gif on a fixed palette. The
// bytes depend on the query and the options alone. It reads no files,
// starts no processes and opens no connections, so a wasm worker can call
// it.
package gifexport

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"nceplay/core/dataset"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

// Options say what to draw. The zero value draws the default panels at
// the default size and frame count.
type Options struct {
	// Panels are the panels to draw, side by side, by their spec.Panels
	// ID (density, classifier, curves); nil means DefaultPanels.
	Panels []string
	// Frames is the number of checkpoints drawn, spread evenly over the
	// run from step 0 to its last step (0 means DefaultFrames). A run
	// with fewer steps, or a Newton run that stops by itself, has one
	// frame per step taken plus the initial one.
	Frames int
	// Width and Height are the picture's size in pixels (0: DefaultWidth,
	// and a height of 9/16 of the width).
	Width, Height int
	// Delay is the time each frame is shown, in hundredths of a second
	// (0 means DefaultDelay); the last frame is held for HoldLast.
	Delay int
	// Dark draws in chart's dark theme instead of the light one.
	Dark bool
	// Points are the data file's points when the query names one
	// (datafile=…, docs/spec.md#data-file), as `nceplay run --data` reads
	// them; nil otherwise. The trainer checks them against the key's hash.
	Points []float64
}

// The defaults and caps of Options.
const (
	DefaultFrames = 36
	MinFrames     = 2
	MaxFrames     = 60

	DefaultWidth = 800
	MinWidth     = 320
	MaxWidth     = 1200
	MinHeight    = 180
	MaxHeight    = 900

	DefaultDelay = 12  // 0.12 s a frame
	MaxDelay     = 500 // 5 s
	HoldLast     = 200 // 2 s on the last frame
)

// DefaultPanels are drawn when Options.Panels is nil.
var DefaultPanels = []string{spec.PanelDensity, spec.PanelCurves}

// Drawable are the panels a GIF can show (the Samples and Explain panels
// cannot: one is a scatter of the page's samples, the other text).
var Drawable = []string{spec.PanelDensity, spec.PanelClassifier, spec.PanelCurves}

// ErrOptions wraps an error in the options (not in the spec).
var ErrOptions = errors.New("gifexport: bad options")

// ErrDiverged wraps the divergence that stopped training: Encode still
// returns the GIF, whose last frame is the last finite state.
var ErrDiverged = errors.New("gifexport: training diverged")

// Encode trains the experiment of query (docs/spec.md#keys; its view keys,
// panels included, are ignored: opt says what to draw) and returns it as
// an animated GIF that loops forever. Errors: the spec's (spec.Errors) for
// a bad query, one wrapping ErrOptions for bad options, the trainer's
// when it refuses the spec; when training diverges, the GIF and an error
// wrapping ErrDiverged.
func Encode(query string, opt Options) ([]byte, error) {
	s, err := spec.Parse(query)
	if err != nil {
		return nil, err
	}
	o, err := opt.normalized()
	if err != nil {
		return nil, err
	}
	r, err := record(s, o.Points, o.Frames)
	if err != nil {
		return nil, err
	}
	g, err := animate(r, o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := encodeGIF(&buf, g); err != nil {
		return nil, err
	}
	if r.diverged != nil {
		return buf.Bytes(), fmt.Errorf("%w: %v", ErrDiverged, r.diverged)
	}
	return buf.Bytes(), nil
}

// normalized fills in the defaults and checks the caps.
func (o Options) normalized() (Options, error) {
	bad := func(format string, a ...any) (Options, error) {
		return o, fmt.Errorf("%w: "+format, append([]any{ErrOptions}, a...)...)
	}
	if o.Panels == nil {
		o.Panels = DefaultPanels
	}
	if len(o.Panels) == 0 {
		return bad("no panels: choose from %s", strings.Join(Drawable, ", "))
	}
	seen := map[string]bool{}
	for _, p := range o.Panels {
		if !slices.Contains(Drawable, p) {
			return bad("panel %q cannot be drawn: choose from %s", p, strings.Join(Drawable, ", "))
		}
		if seen[p] {
			return bad("panel %q given twice", p)
		}
		seen[p] = true
	}
	if o.Frames == 0 {
		o.Frames = DefaultFrames
	}
	if o.Frames < MinFrames || o.Frames > MaxFrames {
		return bad("frames = %d: between %d and %d", o.Frames, MinFrames, MaxFrames)
	}
	if o.Width == 0 {
		o.Width = DefaultWidth
	}
	if o.Width < MinWidth || o.Width > MaxWidth {
		return bad("width = %d: between %d and %d pixels", o.Width, MinWidth, MaxWidth)
	}
	if o.Height == 0 {
		o.Height = max(MinHeight, min(MaxHeight, (o.Width*9+8)/16))
	}
	if o.Height < MinHeight || o.Height > MaxHeight {
		return bad("height = %d: between %d and %d pixels", o.Height, MinHeight, MaxHeight)
	}
	if o.Delay == 0 {
		o.Delay = DefaultDelay
	}
	if o.Delay < 1 || o.Delay > MaxDelay {
		return bad("delay = %d: between 1 and %d hundredths of a second", o.Delay, MaxDelay)
	}
	return o, nil
}

// A snap is the state drawn in one frame.
type snap struct {
	step int
	m    nce.Metrics
	g    *nce.Grid
}

// A recording is a run's checkpoints.
type recording struct {
	s        spec.Spec
	snaps    []snap
	diverged error
}

// Grid resolutions of the frames' panels (cells per axis): fine enough
// that a 1D curve is smooth at 1200 pixels and a 2D heatmap, bilinearly
// interpolated, shows no cells.
const (
	gridRes1D = 400
	gridRes2D = 80
)

// record trains s and keeps the state at frames checkpoints, evenly spread
// from step 0 to the run's last step (one per step when there are fewer
// steps). A Newton run stops by itself, usually within a few steps: it is
// run once to count them, then again (the same run, bit for bit) to
// record it. Training stops at divergence, whose last finite state is the
// last checkpoint.
func record(s spec.Spec, file []float64, frames int) (*recording, error) {
	tr, err := dataset.NewTrainer(s, file) // a data target: its data key or file (docs/spec.md#data)
	if err != nil {
		return nil, err
	}
	total := s.Steps
	if s.Optimizer().SecondOrder {
		for !tr.Done() {
			tr.Step(1)
		}
		total = max(1, tr.StepCount())
		if tr, err = dataset.NewTrainer(s, file); err != nil {
			return nil, err
		}
	}
	res := gridRes1D
	if s.Dim() == 2 {
		res = gridRes2D
	}
	r := &recording{s: s}
	take := func() {
		m := tr.Metrics()
		r.snaps = append(r.snaps, snap{step: tr.StepCount(), m: m, g: tr.Grid(res, m.LogZ)})
	}
	take()
	n := min(frames-1, total)
	for i := 1; i <= n && !tr.Done(); i++ {
		next := (i*total + n/2) / n // round(i·total/n)
		err := tr.Step(next - tr.StepCount())
		if tr.StepCount() > r.snaps[len(r.snaps)-1].step {
			take()
		}
		if err != nil {
			r.diverged = err
			break
		}
	}
	return r, nil
}
