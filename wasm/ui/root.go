package main

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"nceplay/chart"
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// inMsg is a message from the worker, decoded.
type inMsg struct {
	Kind   string
	Gen    int
	Frame  *view.Frame
	Points bool
	Msg    string
	JSON   string
}

// Root is the page: it owns the spec (the address bar), the latest frame
// and the curves' history, and sends commands to the worker. Data flows
// one way: spec → worker → frame → panels.
type Root struct {
	S         spec.Spec
	Errs      []*spec.Error // the bad keys of the link, or of a rule
	EmbedPath bool          // the page is /embed
	F         *view.Frame
	Ver       int // counts frames, so panels redraw their canvases once per frame
	H         view.History
	Running   bool
	Done      bool
	Diverged  string
	EngineErr string
	ShowEmbed bool
	Toast     string
	Ready     bool // the worker's wasm is loaded

	gen   int
	queue []map[string]any
}

// start reads the link, starts the worker glue and the goroutine that
// applies the worker's messages.
func (c *Root) start(env vugu.EventEnv) {
	path, query := pageLocation()
	c.EmbedPath = strings.HasSuffix(strings.TrimSuffix(path, "/"), "/embed")
	s, err := spec.Parse(query)
	c.S = s
	c.Errs = specErrors(err)
	setTheme(s.View.Theme)
	replaceURL(view.Address(c.S, c.EmbedPath))

	msgs := make(chan inMsg, 64)
	keys := make(chan string, 16)
	startBrowser(msgs, keys)
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

// specErrors lists the *spec.Error values of err.
func specErrors(err error) []*spec.Error {
	if err == nil {
		return nil
	}
	if es, ok := err.(spec.Errors); ok {
		return es
	}
	return []*spec.Error{{Reason: err.Error()}}
}

func (c *Root) send(m map[string]any) {
	if !c.Ready {
		c.queue = append(c.queue, m)
		return
	}
	postWorker(m)
}

// restart builds a fresh trainer for the current spec (step 0) and plays
// it if play.
func (c *Root) restart(play bool) {
	c.gen++
	c.H.Reset()
	c.Running, c.Done, c.Diverged, c.EngineErr = false, false, "", ""
	c.send(map[string]any{wire.FCmd: wire.CmdSpeed, wire.FV: c.S.View.Speed})
	c.send(map[string]any{wire.FCmd: wire.CmdInit, wire.FSpec: c.S.ExperimentQuery(), wire.FGen: c.gen})
	if play {
		c.send(map[string]any{wire.FCmd: wire.CmdPlay})
		c.Running = true
	}
}

func (c *Root) onMessage(m inMsg) {
	switch m.Kind {
	case wire.KindReady:
		c.Ready = true
		for _, q := range c.queue {
			postWorker(q)
		}
		c.queue = nil
	case wire.KindFrame:
		if m.Gen != c.gen {
			return
		}
		f := m.Frame
		if !m.Points && c.F != nil {
			f.Data, f.Noise, f.Hist = c.F.Data, c.F.Noise, c.F.Hist
		}
		c.F = f
		c.Ver++
		c.Running = f.Get(wire.MRunning) == 1
		c.Done = f.Get(wire.MDone) == 1
		c.Diverged = f.Err
		c.H.Add(f.Sample())
	case wire.KindError:
		if m.Gen == c.gen || m.Gen < 0 {
			c.EngineErr = m.Msg
			c.Running = false
		}
	case wire.KindReport:
		download("nce-report.json", "application/json", m.JSON+"\n")
	}
}

// setSpec makes s the experiment: the address bar follows, and a changed
// experiment restarts training (playing on if it was playing).
func (c *Root) setSpec(s spec.Spec, err error) {
	c.Errs = specErrors(err)
	old := c.S
	c.S = s
	replaceURL(view.Address(c.S, c.EmbedPath))
	if s.View.Theme != old.View.Theme {
		setTheme(s.View.Theme)
	}
	if s.View.Speed != old.View.Speed {
		c.send(map[string]any{wire.FCmd: wire.CmdSpeed, wire.FV: s.View.Speed})
	}
	if !view.SameExperiment(old, s) {
		c.restart(c.Running)
	}
}

// Embed reports whether the compact embed layout is shown.
func (c *Root) Embed() bool { return c.EmbedPath || c.S.View.Embed }

// Show reports whether a panel is shown.
func (c *Root) Show(panel string) bool { return view.ShowPanelIn(c.S, panel, c.Embed()) }

// ShowInEmbed reports whether the embed snippet's layout shows a panel
// (the embed dialog's checkboxes).
func (c *Root) ShowInEmbed(panel string) bool { return view.ShowPanelIn(c.S, panel, true) }

// AppClass is the root element's class.
func (c *Root) AppClass() string {
	if c.Embed() {
		return "nce-app nce-embed"
	}
	return "nce-app"
}

// Actions (event handlers run with the render lock held).

func (c *Root) Play() {
	if c.Done {
		c.restart(true)
		return
	}
	c.send(map[string]any{wire.FCmd: wire.CmdPlay})
	c.Running = true
}

func (c *Root) Pause() {
	c.send(map[string]any{wire.FCmd: wire.CmdPause})
	c.Running = false
}

func (c *Root) Toggle() {
	if c.Running {
		c.Pause()
	} else {
		c.Play()
	}
}

func (c *Root) StepOnce() {
	c.send(map[string]any{wire.FCmd: wire.CmdStep, wire.FN: 1})
	c.Running = false
}

func (c *Root) Reset() { c.restart(false) }

func (c *Root) NewSeed() {
	s := c.S
	s.Seed = rand.Uint64N(1_000_000) + 2
	c.setSpec(spec.Parse(s.Canonical()))
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
	s, err := view.WithValue(c.S, name, value)
	if err != nil && view.SameExperiment(s, c.S) && s.Canonical() == c.S.Canonical() {
		c.Errs = specErrors(err)
		return
	}
	c.setSpec(s, err)
}

// OnSlider applies a range control's new position.
func (c *Root) OnSlider(name string, pos string) {
	k := spec.Lookup(name)
	if k == nil {
		return
	}
	p := 0
	for _, ch := range pos {
		if ch >= '0' && ch <= '9' {
			p = p*10 + int(ch-'0')
		}
	}
	c.OnValue(name, view.SliderValue(k, p))
}

func (c *Root) OnPreset(id string) {
	for _, p := range view.Presets {
		if p.ID == id {
			c.setSpec(view.ApplyPreset(c.S, p))
			return
		}
	}
}

// PresetID is the preset the current experiment is, or "".
func (c *Root) PresetID() string { return view.PresetOf(c.S) }

// PresetStory is the current preset's story, or "".
func (c *Root) PresetStory() string {
	id := c.PresetOf()
	for _, p := range view.Presets {
		if p.ID == id {
			return p.Story
		}
	}
	return ""
}

func (c *Root) PresetOf() string { return view.PresetOf(c.S) }

func (c *Root) DismissErrs() { c.Errs = nil }

func (c *Root) CopyLink() {
	copyText(pageOrigin() + view.Address(c.S, c.EmbedPath))
	c.Toast = "Link copied"
}

func (c *Root) OpenEmbed()  { c.ShowEmbed = true }
func (c *Root) CloseEmbed() { c.ShowEmbed = false }

// EmbedSnippet is the iframe for the current experiment.
func (c *Root) EmbedSnippet() string { return view.EmbedSnippet(pageOrigin(), c.S) }

func (c *Root) CopySnippet() {
	copyText(c.EmbedSnippet())
	c.Toast = "Embed code copied"
}

// OnEmbedPanel toggles a panel of the embed snippet's panels key.
func (c *Root) OnEmbedPanel(panel string, on bool) {
	c.setSpec(view.TogglePanel(c.S, panel, on))
}

func (c *Root) OnAutoplay(on bool) {
	s := c.S
	s.View.Autoplay = on
	c.setSpec(spec.Parse(s.Canonical()))
}

func (c *Root) ExportCSV() { download("nce-curves.csv", "text/csv", c.H.CSV()) }

func (c *Root) ExportJSON() { c.send(map[string]any{wire.FCmd: wire.CmdReport}) }

// Readouts.

func (c *Root) Metric(i int) string { return chart.Num(c.F.Get(i)) }

func (c *Root) StepText() string {
	if c.F == nil {
		return "0"
	}
	return strconv.Itoa(c.F.Step())
}

func (c *Root) Status() string {
	switch {
	case c.EngineErr != "":
		return "error"
	case c.Diverged != "":
		return "diverged"
	case !c.Ready || c.F == nil:
		return "loading"
	case c.Done:
		return "done"
	case c.Running:
		return "training"
	}
	return "paused"
}

func (c *Root) Controls() []view.Control     { return view.Controls(c.S) }
func (c *Root) ViewControls() []view.Control { return view.ViewControls(c.S) }
func (c *Root) Panels() []string             { return view.Panels() }

// FullAddress is the full playground's address of the experiment (the
// embed layout links to it).
func (c *Root) FullAddress() string {
	s := c.S
	s.View.Embed = false
	return view.Address(s, false)
}

// CtlClass is a control's class.
func (c *Root) CtlClass(k view.Control) string {
	if k.Disabled {
		return "nce-ctl nce-off"
	}
	return "nce-ctl"
}

// SpeedText reports the measured training speed.
func (c *Root) SpeedText() string {
	sps := c.F.Get(wire.MSPS)
	if !c.Running || !(sps > 0) {
		return ""
	}
	return chart.Num(sps) + " steps/s"
}
