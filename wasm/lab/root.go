package main

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"nceplay/core/lab"
	"nceplay/core/spec"
	"nceplay/wasm/labview"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Root is a lab's page: it owns the settings (the address bar), the
// user's text, the latest frame and the lab's payload, and sends commands
// to the lab worker. Data flows one way: settings → worker → frame →
// panels.
type Root struct {
	S         lab.Settings // S.Lab is nil for a link naming no known lab (the labs' index)
	Errs      []*spec.Error
	EmbedPath bool // the page is /embed
	F         *wire.LabFrame
	W2V       *wire.W2VPanels  // the word2vec payload, static parts kept
	Figs      []wire.LabFigure // the panels the worker drew (the sweep's, InfoNCE's, the vocab lab's)
	Ver       int              // counts payloads, so panels rebuild and repaint once per new payload
	Running   bool
	cmds      wire.Commands // the Play, Pause and Step sent (frames catch up with them)
	Done      bool
	Diverged  string
	EngineErr string
	Ready     bool // the worker's wasm is loaded
	ShowEmbed bool
	Toast     string

	// The user's own text, for a lab that trains on one: Used is the
	// text of the current run (nil before one is given), TextErr why the
	// last one was refused.
	Used    *string
	TextErr string
	draft   string // the text box's content, as of its last change

	gen   int
	queue []wire.Message
	parts int // the lab workers sharing a run (labview.Page.Workers, when there are the cores)
}

// textBoxID is the text box's element id.
const textBoxID = "nce-lab-text"

// start reads the link, starts the worker glue and the goroutine that
// applies the worker's messages.
func (c *Root) start(env vugu.EventEnv) {
	path, query := pageLocation()
	c.EmbedPath = strings.HasSuffix(strings.TrimSuffix(path, "/"), "/embed")
	c.F = labview.Blank()
	s, err := lab.Open(query)
	c.Errs = labview.Errors(err)
	if s.Lab == nil {
		setTitle("Labs · NCE Playground")
		return
	}
	c.S = s
	setTitle(s.Lab.Title + " · NCE Playground")
	setTheme(s.View.Theme)
	replaceURL(labview.Address(s, c.EmbedPath))

	msgs := make(chan wire.Message, 64)
	keys := make(chan string, 16)
	startBrowser(msgs, keys)
	c.parts = startWorkers(c.Page().Workers)
	c.restart(s.View.Autoplay)
	go func() {
		for {
			select {
			case m := <-msgs:
				env.Lock()
				c.onMessage(m)
				env.UnlockRender()
			case k := <-keys:
				env.Lock()
				c.OnKey(k)
				env.UnlockRender()
			}
		}
	}()
}

func (c *Root) send(m wire.Message) {
	if c.parts > 1 { // the other workers play, pause and step their shares alike
		switch m.(type) {
		case wire.Play, wire.Pause, wire.Speed, wire.Step:
			postHelpers(m)
		}
	}
	if !c.Ready {
		c.queue = append(c.queue, m)
		return
	}
	postWorker(m)
}

// Page is the lab's page description.
func (c *Root) Page() *labview.Page { return labview.PageOf(c.S.Lab) }

// NeedsText reports whether the experiment trains on the user's text.
func (c *Root) NeedsText() bool {
	p := c.Page()
	return c.S.Lab != nil && c.S.Lab.Text && p.NeedsText != nil && p.NeedsText(c.S)
}

// WaitsForText reports whether the experiment needs a text not given yet.
func (c *Root) WaitsForText() bool { return c.NeedsText() && c.Used == nil }

// restart builds a fresh run of the current settings (at the start) and
// plays it if play. An experiment on the user's text waits for one.
func (c *Root) restart(play bool) {
	c.gen++
	c.Running, c.Done, c.Diverged, c.EngineErr = false, false, "", ""
	c.F, c.W2V, c.Figs = labview.Blank(), nil, nil
	c.Ver++
	if c.WaitsForText() {
		return
	}
	var text *string
	if c.NeedsText() {
		text = c.Used
	}
	for i := 1; i < c.parts; i++ {
		postHelper(i, wire.LabInit{Gen: c.gen, Query: c.S.Query, Speed: c.S.View.Speed, Part: i, Parts: c.parts})
	}
	c.send(wire.LabInit{Gen: c.gen, Query: c.S.Query, Text: text, Speed: c.S.View.Speed, Parts: c.parts})
	if play {
		c.send(wire.Play{Seq: c.cmds.Next()})
		c.Running = true
	}
}

func (c *Root) onMessage(m wire.Message) {
	switch m := m.(type) {
	case wire.Ready:
		c.Ready = true
		for _, q := range c.queue {
			postWorker(q)
		}
		c.queue = nil
	case wire.LabFrame:
		if m.Gen != c.gen {
			return // from a run before the last LabInit
		}
		if m.Metrics == nil && c.F.Gen == m.Gen {
			m.Metrics, m.Texts = c.F.Metrics, c.F.Texts
		}
		if m.W2V != nil { // a frame without payload keeps the last
			c.W2V = labview.W2VMerge(c.W2V, m.W2V)
			c.Ver++
		}
		if m.Figures != nil {
			c.Figs = m.Figures
			c.Ver++
		}
		c.F = &m
		if c.cmds.Caught(m.Seq) { // else the frame is from before the last Play, Pause or Step
			c.Running = m.Running
		}
		c.Done, c.Diverged = m.Done, m.Diverged
	case wire.Failure:
		switch {
		case m.Gen == c.gen && c.NeedsText() && c.Used != nil:
			// The run could not be built from the user's text (no words, too
			// many, too much work): say so by the text box, and wait for
			// another.
			c.TextErr, c.Used, c.Running = m.Msg, nil, false
		case m.Gen == c.gen || m.Gen < 0:
			c.EngineErr = m.Msg
			c.Running = false
		}
	case wire.Report:
		download("nce-"+c.S.Lab.Name+"-report.json", "application/json", m.JSON+"\n")
	}
}

// setSettings makes s the page's settings: the address bar follows, and a
// changed experiment restarts (playing on if it was playing).
func (c *Root) setSettings(s lab.Settings, err error) {
	c.Errs = labview.Errors(err)
	old := c.S
	c.S = s
	replaceURL(labview.Address(s, c.EmbedPath))
	if s.View.Theme != old.View.Theme {
		setTheme(s.View.Theme)
	}
	if s.View.Speed != old.View.Speed {
		c.send(wire.Speed{V: s.View.Speed})
	}
	if s.Query != old.Query {
		c.restart(c.Running)
	}
}

// Caption is a figure's caption: the full one, or in the embed layout
// the one-line one when the link asks for captions (else none).
func (c *Root) Caption(f wire.LabFigure) string {
	switch {
	case !c.Embed():
		return f.Full
	case c.ShortCaptions():
		return f.Short
	}
	return ""
}

// Embed reports whether the compact embed layout is shown.
func (c *Root) Embed() bool { return c.EmbedPath || c.S.View.Embed }

// Captions reports whether the panels show their one-line captions: the
// full page always shows its full captions; the embed layout its one-line
// ones when the link asks (captions=1).
func (c *Root) ShortCaptions() bool { return c.Embed() && c.S.ViewValue("captions") == "1" }

// AppClass is the root element's class.
func (c *Root) AppClass() string {
	if c.Embed() {
		return "nce-app nce-labapp nce-embed"
	}
	return "nce-app nce-labapp"
}

// LabName is the lab's name ("" on the labs' index).
func (c *Root) LabName() string {
	if c.S.Lab == nil {
		return ""
	}
	return c.S.Lab.Name
}

// Actions (event handlers run with the render lock held).

func (c *Root) Play() {
	if c.WaitsForText() {
		return
	}
	if c.Done || c.EngineErr != "" {
		c.restart(true)
		return
	}
	c.send(wire.Play{Seq: c.cmds.Next()})
	c.Running = true
}

func (c *Root) Pause() {
	c.send(wire.Pause{Seq: c.cmds.Next()})
	c.Running = false
}

func (c *Root) Toggle() {
	if c.Running {
		c.Pause()
	} else {
		c.Play()
	}
}

// StepOnce trains 1% of the run.
func (c *Root) StepOnce() {
	if c.WaitsForText() || c.Done {
		return
	}
	c.send(wire.Step{N: labview.StepUnits(c.F.Progress) / max(c.parts, 1), Seq: c.cmds.Next()})
	c.Running = false
}

func (c *Root) Reset() { c.restart(false) }

func (c *Root) NewSeed() {
	c.setSettings(c.S.Lab.With(c.S, "seed", strconv.FormatUint(rand.Uint64N(1_000_000)+2, 10)))
}

func (c *Root) OnKey(k string) {
	switch k {
	case " ":
		c.Toggle()
	case "s":
		c.StepOnce()
	case "r":
		c.Reset()
	}
}

// OnValue applies a control's new value (text form) for a key.
func (c *Root) OnValue(name, value string) {
	s, err := c.S.Lab.With(c.S, name, value)
	if err != nil && s.Link() == c.S.Link() {
		c.Errs = labview.Errors(err)
		return
	}
	c.setSettings(s, err)
}

// OnSlider applies a range control's new position.
func (c *Root) OnSlider(name, pos string) {
	if v := labview.SliderValue(c.S.Lab, name, pos); v != "" {
		c.OnValue(name, v)
	}
}

// OnFocus looks closer at an item of the payload (w2v: a word).
func (c *Root) OnFocus(item int) {
	if c.W2V != nil { // until the worker's frame lists the new neighbours
		c.W2V.Focus = item
		c.W2V.Neighbours = nil
		c.Ver++
	}
	c.send(wire.LabFocus{Gen: c.gen, Item: item})
}

// OnDraft keeps the text box's content.
func (c *Root) OnDraft(text string) { c.draft = text }

// UseText trains on the text box's content, if it can be.
func (c *Root) UseText() {
	if p := labview.TextProblem(c.S.Lab, c.draft); p != "" {
		c.TextErr = p
		return
	}
	t := c.draft
	c.Used, c.TextErr = &t, ""
	c.restart(true)
}

// OnSnippet fills the text box with a built-in text, to train on or edit.
func (c *Root) OnSnippet(name string) {
	for _, sn := range c.Page().Snippets {
		if sn.Name == name {
			c.draft = sn.Text
			setFieldValue(textBoxID, sn.Text)
			c.TextErr = ""
		}
	}
}

func (c *Root) DismissErrs() { c.Errs = nil }

func (c *Root) CopyLink() {
	copyText(pageOrigin() + labview.Address(c.S, c.EmbedPath))
	if c.NeedsText() {
		c.Toast = "Link copied (without your text)"
	} else {
		c.Toast = "Link copied"
	}
}

func (c *Root) OpenEmbed()  { c.ShowEmbed = true }
func (c *Root) CloseEmbed() { c.ShowEmbed = false }

// EmbedSnippet is the iframe for the current experiment.
func (c *Root) EmbedSnippet() string { return labview.EmbedSnippet(pageOrigin(), c.S) }

func (c *Root) CopySnippet() {
	copyText(c.EmbedSnippet())
	c.Toast = "Embed code copied"
}

func (c *Root) ExportJSON() { c.send(wire.ReportRequest{}) }

// Readouts.

func (c *Root) Readouts() []labview.Readout { return labview.Readouts(c.S.Lab, c.F) }

func (c *Root) ProgressText() string { return labview.ProgressText(c.F.Progress) }

func (c *Root) ProgressStyle() string {
	return "width:" + strconv.FormatFloat(labview.ProgressPercent(c.F.Progress), 'f', 1, 64) + "%"
}

func (c *Root) RateText() string { return labview.RateText(c.F, c.Running) }

func (c *Root) Status() string {
	switch {
	case c.S.Lab == nil:
		return "index"
	case c.EngineErr != "":
		return "error"
	case c.Diverged != "":
		return "diverged"
	case c.WaitsForText():
		return "text"
	case !c.Ready || c.F.Gen != c.gen:
		return "loading"
	case c.Done:
		return "done"
	case c.Running:
		return "training"
	}
	return "paused"
}

// StatusText is the status for people.
func (c *Root) StatusText() string {
	if c.Status() == "text" {
		return "waiting for a text"
	}
	return c.Status()
}

func (c *Root) Controls() []view.Control     { return labview.Controls(c.S) }
func (c *Root) ViewControls() []view.Control { return labview.ViewControls(c.S) }

// FullAddress is the full page's address (the embed layout links to it).
func (c *Root) FullAddress() string { return labview.FullAddress(c.S) }

// Labs lists the labs for the menu and the index.
func (c *Root) Labs() []*lab.Lab { return lab.All }

// LabHref is the address of a lab's page at its defaults.
func LabHref(l *lab.Lab) string { return "/?" + lab.KeyName + "=" + l.Name }

// Cite is the lab's one line and its docs citation, as rich text.
func (c *Root) Cite() string { return Sentence(c.S.Lab) }

// Sentence is a lab's one line as a sentence, with its docs citation.
func Sentence(l *lab.Lab) string { return Line(l) + " ([the lab](" + l.Cite + "))." }

// Line is a lab's one line, capitalized.
func Line(l *lab.Lab) string {
	d := l.Doc
	if d != "" {
		d = strings.ToUpper(d[:1]) + d[1:]
	}
	return d
}
