package labview

import (
	"math"
	"strconv"

	"nceplay/chart"
	"nceplay/core/lab"
	"nceplay/wasm/wire"
)

// A Page describes what a lab's page shows beside the parts every lab
// page has (header, controls, transport, progress, banners): its readouts
// and its panels' hooks. Adding a lab's page adds its Page to Pages (and
// its components to wasm/lab, and its payload to wire and labengine). A
// lab without one gets a page with its report's numbers.
type Page struct {
	// Readouts are the report fields the toolbar shows, in order.
	Readouts []ReadoutDef
	// NeedsText reports whether the experiment trains on the user's text
	// (for a lab with lab.Lab.Text), which the page asks for.
	NeedsText func(s lab.Settings) bool
	// Snippets are texts the user may start from.
	Snippets []Snippet
	// Workers is how many lab workers share a run when the machine has
	// the cores (wire.LabInit.Part; 0 or 1: one).
	Workers int
}

// A ReadoutDef is a report field shown live: its JSON key, a short label
// and a tooltip.
type ReadoutDef struct {
	Key, Label, Title string
}

// ReadoutRoom is how many characters a readout's value keeps room for, so
// that a changing value does not reflow the toolbar (as the playground's
// readouts, wasm/ui/live.go): chart.Num's values, from "-0.002035" (a log Z
// or an offset about 0) and "0.004587" (ms a step) to "12345".
const ReadoutRoom = 9

// readoutStyle is a readout value's style: its room.
var readoutStyle = "min-width:" + strconv.Itoa(ReadoutRoom) + "ch"

// A Snippet is a built-in text offered as a start for the user's own.
type Snippet struct {
	Name, Title, Text string
}

// Pages holds the lab pages, by the lab's name.
var Pages = map[string]*Page{}

// PageOf returns the page of l (an empty one for a lab without its own).
func PageOf(l *lab.Lab) *Page {
	if p := Pages[l.Name]; p != nil {
		return p
	}
	return &Page{}
}

// A Readout is a live number: Text for people (chart.Num), Value in full
// precision (the report's float64, shortest round-trip form) for tests
// and copying; Known is false before the number exists or when the report
// leaves it undefined.
type Readout struct {
	Key, Label, Title string
	Text, Value       string
	Known             bool
	Style             string // the value's room (ReadoutRoom)
}

// Readouts returns the toolbar's numbers from the frame's metrics: the
// page's readouts, or every number of the report for a lab without a
// page.
func Readouts(l *lab.Lab, f *wire.LabFrame) []Readout {
	defs := PageOf(l).Readouts
	if defs == nil {
		for _, m := range f.Metrics {
			defs = append(defs, ReadoutDef{Key: m.Key, Label: m.Key})
		}
	}
	out := make([]Readout, len(defs))
	for i, d := range defs {
		r := Readout{Key: d.Key, Label: d.Label, Title: d.Title, Text: "–", Style: readoutStyle}
		if m, ok := Metric(f, d.Key); ok {
			r.Known = true
			r.Text = chart.Num(m)
			r.Value = strconv.FormatFloat(m, 'g', -1, 64)
		}
		out[i] = r
	}
	return out
}

// Metric returns the report's number called key (one of its timings too),
// and false when the frame has none or the report leaves it undefined.
func Metric(f *wire.LabFrame, key string) (float64, bool) {
	for _, ms := range [][]wire.LabMetric{f.Metrics, f.Timings} {
		for _, m := range ms {
			if m.Key == key {
				if m.Null {
					return math.NaN(), false
				}
				return m.Value, true
			}
		}
	}
	return math.NaN(), false
}

// Text returns the report's string field called key, or "".
func Text(f *wire.LabFrame, key string) string {
	for _, t := range f.Texts {
		if t.Key == key {
			return t.Value
		}
	}
	return ""
}

// ProgressText says how far a run has come: "120,000 / 300,000 words ·
// epoch 2 of 3".
func ProgressText(p wire.LabProgress) string { return ProgressCount(p) + ProgressStage(p) }

// ProgressCount is the count of ProgressText ("1,000 / 300,000 words").
func ProgressCount(p wire.LabProgress) string {
	if p.Total <= 0 {
		return ""
	}
	s := group(p.Done) + " / " + group(p.Total)
	if p.Unit != "" {
		s += " " + p.Unit
	}
	return s
}

// ProgressStage is the rest of ProgressText: the stage, if any
// (" · epoch 1 of 3").
func ProgressStage(p wire.LabProgress) string {
	if p.Total <= 0 || p.Stage == "" {
		return ""
	}
	return " · " + p.Stage
}

// ProgressRoom is the count at the run's end: its span keeps room for
// it (data-room, .nce-fit in style.css), so that the count's growing
// digits do not push the readouts beside it (a new stage may).
func ProgressRoom(p wire.LabProgress) string {
	p.Done = p.Total
	return ProgressCount(p)
}

// ProgressPercent is the share of the run done, 0 … 100.
func ProgressPercent(p wire.LabProgress) float64 {
	if p.Total <= 0 {
		return 0
	}
	return math.Min(100, 100*float64(p.Done)/float64(p.Total))
}

// StepUnits is how many units the Step button trains: 1% of the run.
func StepUnits(p wire.LabProgress) int {
	return int(max(1, p.Total/100))
}

// group writes n with thousands separators: 1234567 → "1,234,567".
func group(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := n < 0
	if neg {
		s = s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

// RateText reports the measured training speed while training: "85,000
// words/s".
func RateText(f *wire.LabFrame, running bool) string {
	if !running || !(f.Rate > 0) {
		return ""
	}
	return group(int64(math.Round(f.Rate))) + " " + f.Progress.Unit + "/s"
}

// Blank is the frame the page shows before the worker's first.
func Blank() *wire.LabFrame { return &wire.LabFrame{Gen: -1} }

// TextProblem returns why a text cannot be trained on before it is sent
// to the worker (empty, or over the lab's limit), or "".
func TextProblem(l *lab.Lab, text string) string {
	switch {
	case len(text) == 0 || isBlank(text):
		return "The text is empty: paste a text (a few paragraphs at least) or start from a snippet."
	case l.MaxText > 0 && len(text) > l.MaxText:
		return "The text has " + group(int64(len(text))) + " bytes; this lab takes at most " + group(int64(l.MaxText)) +
			" (" + strconv.Itoa(l.MaxText>>20) + " MiB): use a shorter text."
	}
	return ""
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
	}
	return true
}

// TextNote is what the page says about a pasted text and links.
const TextNote = "A link cannot hold your text: Copy link shares the other settings, and whoever opens it is asked for a text of their own."
