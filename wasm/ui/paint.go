package main

import (
	"strconv"
	"time"

	"nceplay/chart"
	"nceplay/core/density"
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// The Samples panel's paint mode (2D; docs/spec.md#data): the painted
// points live here, on the page, and are drawn at once on the scatter's
// canvas by the pointer handlers (paint_wasm.go), with no render and no
// worker round trip per pointer move. PaintDelay after the last stroke
// the page sends them to the worker (wire.DataImport with Points), whose
// answer makes them the data key and restarts training (Root.onPainted).
//
// JS callbacks run only while every goroutine is blocked, so the pointer
// handlers and the render never see this state half-changed.
var paint struct {
	on      bool
	set     view.Painting
	pix     []byte        // the scatter of set's points (view.ScatterSize²)
	pal     chart.Palette // the colours pix was painted in
	seq     uint64        // pix's Heat.Seq
	geo     view.Hover    // the painted heat's geometry: pointer → data
	drawing bool          // a stroke is under way
	gen     int           // strokes ended, for the debounce
	dirty   bool          // the points changed since they were last sent
	msg     string        // what the last commit became
	err     string        // why it was refused
}

// PaintDelay is how long after the last stroke the painted points become
// the experiment.
const PaintDelay = 400 * time.Millisecond

// paintPost hands a function to Root's goroutine (set by the browser
// glue; nil natively).
var paintPost func(func(*Root))

// Painting reports whether the Samples panel is in paint mode: in 2D,
// and while a new run has sent no frame yet (so the painting survives
// the restart a stroke causes).
func (c *Samples) Painting() bool { return painting(c.F.Dim, c.Compact) }

// painting reports whether a panel of a frame of dimension dim (0 before
// the first) is in paint mode; compact: the embed, which never paints.
func painting(dim int, compact bool) bool { return paint.on && dim != 1 && !compact }

// Is2D reports whether the panel shows a 2D scatter (the frame's, or the
// paint mode's).
func (c *Samples) Is2D() bool { return c.F.Dim == 2 || c.Painting() }

// TogglePaint turns paint mode on or off. Painting starts from the points
// painted before on this page, else from an empty canvas.
func (c *Samples) TogglePaint() {
	paint.on = !paint.on
	paint.err = ""
}

// PaintCaption is the Samples panel's caption while painting.
const PaintCaption = "Paint your own data: click or drag to add points around the pointer (the brush's radius in data units), Erase removes the points under it. " +
	"Painting starts from an empty canvas (later, from the points you painted on this page), and your points replace the target: a moment after each stroke training restarts on them, with the noise fitted to them, " +
	"and the link carries them (about 2,000 points fit; more become a data file: [your data](docs/spec.md#data))."

// CapText is the panel's caption: the paint mode's while painting.
func (c *Samples) CapText() string {
	if c.Painting() {
		return PaintCaption
	}
	return c.Cap
}

// PaintLabel is the paint button's label.
func (c *Samples) PaintLabel() string {
	if c.Painting() {
		return "Done painting"
	}
	return "Paint"
}

// SetErase chooses the brush's action: add points or erase them.
func (c *Samples) SetErase(on bool) { paint.set.Erasing = on }

// Erasing reports whether the brush erases.
func (c *Samples) Erasing() bool { return paint.set.Erasing }

// OnBrush sets the brush's size from its control's position.
func (c *Samples) OnBrush(pos string) {
	i, err := strconv.Atoi(pos)
	if err == nil && i >= 0 && i < len(view.BrushRadii) {
		paint.set.R = view.BrushRadii[i]
	}
}

// BrushPos is the size control's position; BrushMax its last.
func (c *Samples) BrushPos() string {
	r := paint.set.Radius()
	for i, v := range view.BrushRadii {
		if v == r {
			return strconv.Itoa(i)
		}
	}
	return strconv.Itoa(view.BrushDefault)
}

func (c *Samples) BrushMax() string { return strconv.Itoa(len(view.BrushRadii) - 1) }

// BrushText is the brush's radius, in data units.
func (c *Samples) BrushText() string { return "r " + chart.Num(paint.set.Radius()) }

// ClearPaint removes every painted point (the experiment keeps the data
// it trains on until ten or more are painted again).
func (c *Samples) ClearPaint() {
	paint.set.Clear()
	paint.dirty = true
	repaintAll()
	paint.err = ""
	paint.msg = "Cleared: paint at least " + strconv.Itoa(density.MinDataPoints) + " points; until then the experiment keeps its data."
}

// PaintCount is the number of painted points.
func (c *Samples) PaintCount() int { return paint.set.N() }

// PaintMsg and PaintErr are the paint mode's status and error.
func (c *Samples) PaintMsg() string { return paint.msg }
func (c *Samples) PaintErr() string { return paint.err }

// repaintAll paints the scatter again from the points (after an erase,
// a clear or a change of theme) as a new Seq.
func repaintAll() {
	if len(paint.pix) != 4*view.ScatterSize*view.ScatterSize {
		paint.pix = make([]byte, 4*view.ScatterSize*view.ScatterSize)
	} else {
		clear(paint.pix)
	}
	view.PaintPoints(paint.pix, paint.set.Pts, paint.pal)
	pixSeq++
	paint.seq = pixSeq
}

// strokeAt applies a pointer event at pixel (x, y) of the Samples slot:
// begin a stroke (first) or continue it. It reports whether the pixels
// changed (the caller draws them).
func strokeAt(x, y float64, first bool) bool {
	dx, dy, ok := paint.geo.ToData(x, y)
	if !ok {
		return false
	}
	n := len(paint.set.Pts)
	var changed bool
	if first {
		paint.drawing = true
		changed = paint.set.Begin(dx, dy)
	} else {
		changed = paint.set.Move(dx, dy)
	}
	if !changed {
		return false
	}
	paint.dirty = true
	if paint.set.Erasing || len(paint.pix) == 0 {
		repaintAll()
	} else {
		view.PaintPoints(paint.pix, paint.set.Pts[n:], paint.pal)
		pixSeq++
		paint.seq = pixSeq
	}
	return true
}

// strokeEnd ends a stroke: PaintDelay later, unless another stroke ended
// meanwhile, the points go to the worker.
func strokeEnd() {
	if !paint.drawing {
		return
	}
	paint.drawing = false
	paint.gen++
	g := paint.gen
	if paintPost == nil {
		return
	}
	paintPost(func(*Root) {}) // a render: the count and the legend
	time.AfterFunc(PaintDelay, func() {
		paintPost(func(c *Root) {
			if g == paint.gen && !paint.drawing {
				c.commitPaint()
			}
		})
	})
}

// commitPaint sends the painted points to the worker to become the data
// key (answered by wire.DataImported with Painted).
func (c *Root) commitPaint() {
	n := paint.set.N()
	if !paint.dirty {
		return
	}
	if n < density.MinDataPoints {
		paint.err, paint.msg = "", strconv.Itoa(n)+" points: paint at least "+strconv.Itoa(density.MinDataPoints)+"; until then the experiment keeps its data."
		return
	}
	paint.dirty = false
	paint.err, paint.msg = "", "Sending "+strconv.Itoa(n)+" points…"
	c.send(wire.DataImport{Dim: 2, Points: paint.set.Points()})
}

// onPainted makes the worker's answer for painted points the experiment:
// target data2d with the data key, trained from step 0, playing; or says
// why not (too many points for a link: the data file is the way).
func (c *Root) onPainted(m wire.DataImported) {
	if m.Err != "" {
		paint.err, paint.msg = m.Err, "The experiment keeps the data it had: erase or clear points to fit a link."
		return
	}
	s := c.S
	paint.err = ""
	if m.File != "" { // too many for a link: the worker keeps them as a data file
		c.FileID = m.File
		s.Target, s.Data, s.DataFile = density.DataTarget(m.Dim).Name, "", m.File
		paint.msg = view.FileNote(m.File, m.N)
	} else {
		s.Target, s.Data, s.DataFile = density.DataTarget(m.Dim).Name, m.Value, ""
		paint.msg = strconv.Itoa(m.N) + " points: training on them; the link carries them (" + strconv.Itoa(len(m.Value)) + " of " + strconv.Itoa(spec.MaxDataLen) + " characters)."
	}
	gen := c.gen
	c.Running = true
	c.setSpec(s.Normalized(), s.Validate())
	if c.gen == gen { // the same experiment as before (the same file): train it now
		c.restart(true)
	}
}
