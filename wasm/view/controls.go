package view

import (
	"html"
	"math"
	"slices"
	"strconv"

	"nceplay/chart"
	"nceplay/core/spec"
)

// SliderSteps is the number of positions of a range control.
const SliderSteps = 10000

// Widget kinds of a Control.
const (
	WidgetSelect = "select"
	WidgetRange  = "range"
	WidgetNumber = "number"
)

// A Control is the UI of one experiment key, derived from its row in
// spec.Keys (label, tooltip, kind, range, log scale) and the current spec.
type Control struct {
	Name     string
	Label    string
	Doc      string // the tooltip
	Widget   string
	Options  []string // WidgetSelect: the allowed values
	Value    string   // the current value in canonical text
	Pos      int      // WidgetRange: the slider position of Value
	Disabled bool     // the key is irrelevant to the current experiment
}

// Controls returns the controls of the experiment keys of s, in table
// order. The version key v has no control: it has one allowed value.
func Controls(s spec.Spec) []Control {
	var out []Control
	for i := range spec.Keys {
		k := &spec.Keys[i]
		// A KindText key (your data, docs/spec.md#data) has no control:
		// the page's "Your data" box sets it.
		if k.View || (k.Min == k.Max && k.Kind == spec.KindInt) || k.Kind == spec.KindText {
			continue
		}
		c := Control{Name: k.Name, Label: k.Label, Doc: k.Doc + " Allowed: " + k.Allowed() + ".",
			Value: k.Get(&s), Disabled: !k.Relevant(&s)}
		switch k.Kind {
		case spec.KindEnum, spec.KindBool, spec.KindList:
			c.Widget, c.Options = WidgetSelect, k.Values
		case spec.KindUint64:
			c.Widget = WidgetNumber
		default:
			c.Widget = WidgetRange
			c.Pos = SliderPos(k, c.Value)
		}
		out = append(out, c)
	}
	return out
}

// logLo is the lower end of a log slider: Min, or 1 when Min is 0.
func logLo(k *spec.Key[spec.Spec]) float64 {
	if k.Min > 0 {
		return k.Min
	}
	return 1
}

// SliderPos returns the slider position (0 … SliderSteps) of a value of a
// numeric key, on a log scale when the key says so.
func SliderPos(k *spec.Key[spec.Spec], value string) int {
	v, err := strconv.ParseFloat(value, 64)
	if err != nil || k.Max <= k.Min {
		return 0
	}
	var t float64
	if k.Log {
		lo := logLo(k)
		if v < lo {
			return 0
		}
		t = math.Log(v/lo) / math.Log(k.Max/lo)
	} else {
		t = (v - k.Min) / (k.Max - k.Min)
	}
	return int(math.Round(math.Max(0, math.Min(1, t)) * SliderSteps))
}

// SliderValue returns the value, in canonical text, at a slider position
// of a numeric key: rounded to two significant digits on a log scale (or
// to a whole, even number as the key requires), to the key's resolution
// on a linear one, and always within Min … Max.
func SliderValue(k *spec.Key[spec.Spec], pos int) string {
	t := float64(max(0, min(SliderSteps, pos))) / SliderSteps
	var v float64
	if k.Log {
		lo := logLo(k)
		if pos <= 0 {
			v = k.Min
		} else {
			v = chart.RoundSig(lo*math.Pow(k.Max/lo, t), 2)
		}
	} else {
		v = k.Min + t*(k.Max-k.Min)
		v = math.Round(v*10) / 10
	}
	if k.Kind == spec.KindInt {
		v = math.Round(v)
		if k.Even && int(v)%2 != 0 {
			v++
			if v > k.Max {
				v -= 2
			}
		}
	}
	v = math.Max(k.Min, math.Min(k.Max, v))
	if k.Kind == spec.KindInt {
		return strconv.Itoa(int(v))
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

// WithValue returns s with key name set to value, normalized through
// spec.Parse of its canonical form (so the rules that involve several
// keys are applied). On a bad value it returns s unchanged and the error;
// when a rule resets a key, it returns the repaired spec and the error.
func WithValue(s spec.Spec, name, value string) (spec.Spec, error) {
	k := spec.Lookup(name)
	if k == nil {
		return s, &spec.Error{Key: name, Reason: "is not a known key"}
	}
	t := s
	t.View.Panels = append([]string(nil), s.View.Panels...)
	if err := k.Set(&t, value); err != nil {
		return s, err
	}
	return spec.Parse(t.Canonical())
}

// SameExperiment reports whether a and b describe the same computation
// (they differ at most in view-only keys).
func SameExperiment(a, b spec.Spec) bool { return a.ExperimentQuery() == b.ExperimentQuery() }

// Address returns the path and query of the page showing s: "/" or
// "/embed" (when embedPath), then "?" and the canonical spec if any.
func Address(s spec.Spec, embedPath bool) string {
	p := "/"
	if embedPath {
		p = "/embed"
	}
	if q := s.Canonical(); q != "" {
		return p + "?" + q
	}
	return p
}

// ShowPanel reports whether the panel is listed in s's panels key.
func ShowPanel(s spec.Spec, panel string) bool {
	for _, p := range s.View.Panels {
		if p == panel {
			return true
		}
	}
	return false
}

// Panels lists the panel names in their canonical order (the default of
// the panels key shows them all).
func Panels() []string { return spec.Default().View.Panels }

// ViewControls returns the controls of the view-only keys that the
// toolbar offers (the numeric and enum ones: speed, theme); the embed
// dialog handles the others.
func ViewControls(s spec.Spec) []Control {
	var out []Control
	for i := range spec.Keys {
		k := &spec.Keys[i]
		if !k.View || (k.Kind != spec.KindFloat && k.Kind != spec.KindEnum) {
			continue
		}
		c := Control{Name: k.Name, Label: k.Label, Doc: k.Doc + " Allowed: " + k.Allowed() + ".", Value: k.Get(&s)}
		if k.Kind == spec.KindEnum {
			c.Widget, c.Options = WidgetSelect, k.Values
		} else {
			c.Widget, c.Pos = WidgetRange, SliderPos(k, c.Value)
		}
		out = append(out, c)
	}
	return out
}

// EmbedDefaultPanels are the panels of the compact embed layout when the
// link leaves the panels key at its default (all five): at 640×400 five
// panels are too small to read. A link that sets panels= gets its choice.
var EmbedDefaultPanels = func() []string {
	var ids []string
	for _, p := range spec.Panels {
		if p.Embed {
			ids = append(ids, p.ID)
		}
	}
	return ids
}()

// ShowPanelIn reports whether a layout shows a panel: the full page as
// the panels key says; the compact embed layout (embed) the same, except
// EmbedDefaultPanels while the key is at its default.
func ShowPanelIn(s spec.Spec, panel string, embed bool) bool {
	if embed && slices.Equal(s.View.Panels, Panels()) {
		return slices.Contains(EmbedDefaultPanels, panel)
	}
	return ShowPanel(s, panel)
}

// TogglePanel returns s with the panel shown or hidden in the embed
// layout (the embed dialog's checkboxes; at least one panel stays).
func TogglePanel(s spec.Spec, panel string, on bool) (spec.Spec, error) {
	var list []string
	for _, p := range Panels() {
		has := ShowPanelIn(s, p, true)
		if p == panel {
			has = on
		}
		if has {
			list = append(list, p)
		}
	}
	if len(list) == 0 {
		return s, nil
	}
	t := s
	t.View.Panels = list
	return spec.Parse(t.Canonical())
}

// EmbedSnippet returns the iframe that embeds s's experiment from origin
// (640×400, the size the embed layout is made for).
func EmbedSnippet(origin string, s spec.Spec) string {
	s.View.Embed = false
	src := origin + Address(s, true)
	return `<iframe src="` + html.EscapeString(src) + `" width="640" height="400" style="border:0" loading="lazy" title="NCE Playground"></iframe>`
}

// An EmbedGrid is how the embed layout arranges its panels: Cols × Rows
// panels of PanelH pixels at least; the last panel spans LastSpan columns
// and the one before it PrevSpan, so that no cell stays empty.
type EmbedGrid struct {
	Cols, Rows, LastSpan, PrevSpan int
	PanelH                         float64
}

// MinExplainW is the least width of the Explain panel: its widest formula
// line at 16 px, and its padding.
const MinExplainW = 300

// EmbedLayout chooses the embed's grid for n panels of an experiment of
// dimension dim in a w × h frame whose toolbar takes bar pixels: the
// arrangement whose plots come out largest (the side of a 2D map, the
// height of a 3:2 curve plot), with fewer rows on a tie. Panels are
// never shorter than needed for a readable plot; when the frame is too
// small for all of them, it scrolls. The Explain panel (explain: it is
// shown, and last) takes a row of its own when a column would be too
// narrow for its formulas; captions: the panels show one-line captions.
func EmbedLayout(n, dim int, w, h, bar float64, explain, captions bool) EmbedGrid {
	n = max(n, 1)
	const gap, pad = 4, 8
	// A panel spends about this much height on its title, legend and tick
	// labels (and its caption), and a 2D map this much width on its labels
	// and colour bar.
	chromeH, chromeW := 72.0, 70.0
	if captions {
		chromeH += 30
	}
	minH := chromeH + 100
	best, bestScore := EmbedGrid{Cols: 1, Rows: n, LastSpan: 1, PrevSpan: 1, PanelH: minH}, -1.0
	for c := n; c >= 1; c-- {
		pw := (w - pad - gap*float64(c-1)) / float64(c)
		g := EmbedGrid{Cols: c, Rows: (n + c - 1) / c, LastSpan: c*((n+c-1)/c) - n + 1, PrevSpan: 1}
		if explain && pw < MinExplainW && c > 1 {
			// Explain on a row of its own, under the others.
			r := (n - 1 + c - 1) / c
			g = EmbedGrid{Cols: c, Rows: r + 1, LastSpan: c, PrevSpan: c*r - (n - 1) + 1}
		}
		fit := (h - bar - pad - gap*float64(g.Rows-1)) / float64(g.Rows)
		ph := math.Max(minH, fit)
		var score float64
		if dim == 2 {
			score = math.Min(pw-chromeW, ph-chromeH)
		} else {
			score = math.Min(pw/1.5, ph-chromeH)
		}
		if fit < minH {
			score *= 0.9 // the frame scrolls
		}
		if score > bestScore {
			bestScore = score
			g.PanelH = math.Floor(ph)
			best = g
		}
	}
	return best
}

// Style is the CSS custom properties of the embed's panel grid.
func (g EmbedGrid) Style() string {
	return "--cols:" + strconv.Itoa(g.Cols) + ";--last-span:" + strconv.Itoa(g.LastSpan) + ";--prev-span:" + strconv.Itoa(g.PrevSpan) + ";--panel-h:" + strconv.Itoa(int(g.PanelH)) + "px"
}
