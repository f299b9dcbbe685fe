package main

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/vugu/vugu"

	"nceplay/chart"
	"nceplay/core/density"
	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/wasm/wire"
)

// Root is the page: it owns the spec (the address bar), the latest frame
// and the curves' history, and sends commands to the worker. Data flows
// one way: spec → worker → frame → panels.
type Root struct {
	S         spec.Spec
	Errs      []*spec.Error // the bad keys of the link, or of a rule
	EmbedPath bool          // the page is /embed
	F         *wire.Frame   // the last frame of the current run (view.Blank before the first)
	Ver       int           // counts frames, so panels redraw their canvases once per frame
	H         view.History
	Running   bool
	cmds      wire.Commands // the Play, Pause and Step sent (frames catch up with them)
	Done      bool
	Diverged  string
	EngineErr string
	// Your data (docs/spec.md#data): the pasted CSV, and the worker's
	// error about it or a note on what it became.
	DataCSV, DataErr, DataMsg string
	ShowData                  bool // the "Your data" box is open
	ShowEmbed                 bool
	Toast                     string
	Ready                     bool // the worker's wasm is loaded

	// FileID is the data file the worker keeps (docs/spec.md#data-file;
	// "" none); dataName the name of the file last sent to it.
	FileID   string
	dataName string

	Sizes        view.Sizes // the plots' slots as the page measured them, and "viewport", "bar"
	SysDark      bool       // the system asks for a dark theme (theme=auto follows it)
	ShowSettings bool       // the settings drawer is open (narrow screens)

	// Pin is the run drawn under the current one as a ghost (nil: none);
	// page state, kept across runs and spec changes (view.Pin).
	Pin *view.Pin

	Tour    view.Tour // the guided tour of the tour key (docs/spec.md#tours)
	TourErr string    // why a tour file was refused

	gen   int
	queue []wire.Message
	live  liveState // the parts a frame changes (live.go)
}

// start reads the link, starts the worker glue and the goroutine that
// applies the worker's messages.
func (c *Root) start(env vugu.EventEnv) {
	path, query := pageLocation()
	c.EmbedPath = strings.HasSuffix(strings.TrimSuffix(path, "/"), "/embed")
	s, err := spec.Parse(query)
	errs := specErrors(err)
	if s.View.Tour != "" {
		var terr error
		c.Tour, s, terr = view.StartTour(s)
		errs = append(errs, specErrors(terr)...)
	}
	c.S = s
	c.F = view.Blank()
	c.Errs = errs
	setTheme(s.View.Theme)
	replaceURL(view.Address(c.S, c.EmbedPath))

	msgs := make(chan wire.Message, 64)
	keys := make(chan string, 16)
	events := make(chan func(*Root), 64)
	c.Sizes = view.Sizes{}
	c.SysDark = prefersDark()
	startBrowser(msgs, keys, events)
	c.restart(s.View.Autoplay)
	go func() {
		for {
			select {
			case m := <-msgs:
				env.Lock()
				key := c.frameKey()
				c.onMessage(m)
				if _, ok := m.(wire.Frame); ok && c.frameKey() == key {
					// Only the live parts changed: no render (live.go).
					c.updateLive(false)
					env.UnlockOnly()
					break
				}
				env.UnlockRender()
			case k := <-keys:
				env.Lock()
				c.OnKey(k)
				env.UnlockRender()
			case f := <-events:
				env.Lock()
				f(c)
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

func (c *Root) send(m wire.Message) {
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
	c.H.Spec = c.S.ExperimentQuery()
	o := c.S.Objective()
	c.H.NoC = !o.EstimatesLogZ && !o.ExactLogZ
	c.H.NoTruth = c.S.IsData()
	c.Running, c.Done, c.Diverged, c.EngineErr = false, false, "", ""
	c.F = view.Blank()
	c.Ver++
	if c.NeedFile() {
		return // nothing runs until the user gives the link's data file
	}
	c.send(wire.Speed{V: c.S.View.Speed})
	c.send(wire.Init{Gen: c.gen, Spec: c.S.ExperimentQuery()})
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
	case wire.Frame:
		if m.Gen != c.gen {
			return // from a run before the last Init
		}
		if !m.Points && c.F != nil && c.F.Gen == m.Gen {
			m.Data, m.Noise, m.Hist = c.F.Data, c.F.Noise, c.F.Hist
		}
		same := c.F != nil && c.F.Gen == m.Gen && c.F.Dim == m.Dim
		sameGrid, sameMetrics := same && c.F.GridAt == m.GridAt, same && c.F.MetricsAt == m.MetricsAt
		c.F = &m
		c.Ver++
		if sameGrid {
			c.live.gridSame = c.Ver
		}
		if sameMetrics {
			c.live.metricsSame = c.Ver
		}
		if c.cmds.Caught(m.Seq) { // else the frame is from before the last Play, Pause or Step
			c.Running = m.Running
		}
		c.Done = m.Done
		c.Diverged = m.Diverged
		c.H.Add(view.SampleOf(&m))
	case wire.Failure:
		if m.Gen == c.gen || m.Gen < 0 {
			c.EngineErr = m.Msg
			c.Running = false
		}
	case wire.DataImported:
		if m.Painted {
			c.onPainted(m) // the Samples panel's paint mode (paint.go)
			return
		}
		c.DataErr, c.DataMsg = m.Err, ""
		if m.Err != "" && c.dataName != "" {
			c.DataErr = c.dataName + ": " + m.Err
		}
		switch {
		case m.File != "": // kept by the worker: the link names the file
			c.FileID = m.File
			s := c.S
			s.Target, s.Data, s.DataFile = density.DataTarget(m.Dim).Name, "", m.File
			gen := c.gen
			c.setSpec(s.Normalized(), s.Validate())
			if c.gen == gen { // the link already named this file: run it now
				c.restart(true)
			}
			c.DataMsg = view.FileNote(m.File, m.N)
		case m.Err == "":
			s := c.S
			s.Target, s.Data, s.DataFile = density.DataTarget(m.Dim).Name, m.Value, ""
			c.setSpec(s.Normalized(), s.Validate())
			c.DataMsg = strconv.Itoa(m.N) + " points: the link carries them (" + strconv.Itoa(len(m.Value)) + " characters)"
		}
	case wire.DataFileCSV:
		if m.For == wire.ForGIF {
			c.gifWithFile(m)
			break
		}
		if m.Err != "" {
			c.Toast = m.Err
		} else {
			download(view.DataFileName(m.ID), "text/csv", m.CSV)
			c.Toast = "Data file saved: " + view.DataFileName(m.ID)
		}
	case wire.Report:
		download("nce-report.json", "application/json", view.PlainJSON(m.JSON)+"\n")
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
		c.send(wire.Speed{V: s.View.Speed})
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
	cl := "nce-app"
	if c.Embed() {
		cl += " nce-embed"
	}
	if c.ShowSettings {
		cl += " nce-settings-open"
	}
	return cl
}

// Dark reports whether the page shows the dark theme (the canvases'
// colours follow it).
func (c *Root) Dark() bool {
	return c.S.View.Theme == spec.ThemeDark || c.S.View.Theme == spec.ThemeAuto && c.SysDark
}

// Caption is a panel's caption: the full one on the page, the one-line
// one in an embed that asks for captions, none in other embeds.
func (c *Root) Caption(panel string) string {
	cp := view.Captions(panel, c.F.Dim, c.S.IsData())
	switch {
	case !c.Embed():
		return cp.Full
	case c.S.View.Captions:
		return cp.Short
	}
	return ""
}

// PanelsStyle places the embed's panels (view.EmbedLayout) in the frame
// the page measured; the full page's grid is CSS alone.
func (c *Root) PanelsStyle() string {
	if !c.Embed() {
		return ""
	}
	n := 0
	for _, p := range view.Panels() {
		if c.Show(p) {
			n++
		}
	}
	vp, ok := c.Sizes["viewport"]
	if !ok {
		vp = view.Size{W: 640, H: 400} // the snippet's frame, until measured
	}
	bar, ok := c.Sizes["bar"]
	if !ok {
		bar.H = 40
	}
	return view.EmbedLayout(n, c.S.Dim(), vp.W, vp.H, bar.H, c.Show(spec.PanelExplain), c.S.View.Captions).Style()
}

// SetSizes records measured slot sizes.
func (c *Root) SetSizes(m view.Sizes) {
	for k, v := range m {
		c.Sizes[k] = v
	}
}

func (c *Root) ToggleSettings() { c.ShowSettings = !c.ShowSettings }
func (c *Root) CloseSettings()  { c.ShowSettings = false }

// OnCaptions sets the captions key (the embed dialog).
func (c *Root) OnCaptions(on bool) {
	s := c.S
	s.View.Captions = on
	c.setSpec(spec.Parse(s.Canonical()))
}

// Actions (event handlers run with the render lock held).

func (c *Root) Play() {
	if c.NeedFile() {
		return // nothing to train until the data file is given
	}
	if c.Done {
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

func (c *Root) StepOnce() {
	if c.NeedFile() {
		return
	}
	c.send(wire.Step{N: 1, Seq: c.cmds.Next()})
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

// Warn is a panel's warnings as callouts (view.Callouts: a warning
// whose panel is hidden shows in the first panel shown).
func (c *Root) Warn(panel string) []view.Callout {
	return view.Callouts(c.F, c.Running, c.Show)[panel]
}

// OnFix applies a warning's fix over the current spec (the user's other
// settings kept) and trains the new experiment from step 0.
func (c *Root) OnFix(fix string) {
	s, err := view.ApplyFix(c.S, fix)
	if err != nil {
		c.Errs = specErrors(err)
		return
	}
	if view.SameExperiment(c.S, s) {
		c.setSpec(s, nil)
		c.restart(true)
	} else {
		c.Running = true // setSpec restarts playing
		c.setSpec(s, nil)
	}
	c.Toast = "Applied " + fix + ": training again"
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

func (c *Root) ExportJSON() { c.send(wire.ReportRequest{}) }

// Readouts.

// CText is the readout of c: "–" where the objective has no estimate of
// log Z.
func (c *Root) CText() string {
	if !c.F.Metrics.CKnown {
		return "–"
	}
	return chart.Num(c.F.Metrics.C)
}

func (c *Root) StepText() string { return strconv.Itoa(c.F.Step) }

func (c *Root) Status() string {
	switch {
	case c.EngineErr != "":
		return "error"
	case c.Diverged != "":
		return "diverged"
	case c.NeedFile():
		return "needs-file"
	case !c.Ready || c.F.Dim == 0:
		return "loading"
	case c.Done:
		return "done"
	case c.Running:
		return "training"
	}
	return "paused"
}

func (c *Root) ViewControls() []view.Control { return view.ViewControls(c.S) }

// AllControls reports whether the page shows every control (the controls
// key at its default): a classroom link that lists some hides the rest,
// the presets, New seed and the view controls.
func (c *Root) AllControls() bool { return c.S.View.AllControls() }

// The guided tour (view.Tour). A step that changes the experiment trains
// it from step 0, playing.

// tourTo makes s the experiment of the tour's step and shows its panel.
func (c *Root) tourTo(s spec.Spec, err error) {
	if !view.SameExperiment(c.S, s) {
		c.Running = true
	}
	c.setSpec(s, err)
	scrollToPanel(c.Tour.Panel())
}

func (c *Root) TourNext() {
	s, err := c.Tour.Next(c.S)
	c.tourTo(s, err)
}

func (c *Root) TourBack() { c.tourTo(c.Tour.Back(c.S), nil) }

// TourClose ends the tour: the tour key leaves the link, the experiment
// stays.
func (c *Root) TourClose() {
	c.Tour = view.Tour{}
	s := c.S
	s.View.Tour = ""
	c.setSpec(spec.Parse(s.Canonical()))
}

// LoadTourFile starts the tour of a chosen or dropped file (its text, or
// ok false when it could not be read); a bad file is refused naming its
// line, and the page goes on as it was.
func (c *Root) LoadTourFile(name, text string, ok bool) {
	c.TourErr = ""
	if !ok {
		c.TourErr = name + ": could not be read as text (at most 1 MB)"
		return
	}
	s, err := view.TourLink(c.S, text)
	if err != nil {
		c.TourErr = name + ": " + err.Error()
		return
	}
	t, s, err := view.StartTour(s)
	c.Tour = t
	c.tourTo(s, err)
	c.Toast = "Tour loaded: the link now carries it"
}

func (c *Root) DismissTourErr()  { c.TourErr = "" }
func (c *Root) Panels() []string { return view.Panels() }

// FullAddress is the full playground's address of the experiment (the
// embed layout links to it).
func (c *Root) FullAddress() string {
	s := c.S
	s.View.Embed = false
	return view.Address(s, false)
}

// SpeedText reports the measured training speed.
func (c *Root) SpeedText() string {
	sps := c.F.SPS
	if !c.Running || !(sps > 0) {
		return ""
	}
	return chart.Num(sps) + " steps/s"
}

// OnDataCSV keeps the pasted CSV.
func (c *Root) OnDataCSV(v string) { c.DataCSV = v }

// ImportData sends the pasted CSV to the worker, which parses and encodes
// it (wire.DataImport); the experiment changes only when it is good.
func (c *Root) ImportData() {
	c.DataErr, c.DataMsg, c.dataName = "", "", ""
	c.send(wire.DataImport{CSV: c.DataCSV, Want: c.wantFile()})
}

// wantFile is the data file the link names and the worker lacks, or "".
func (c *Root) wantFile() string {
	if c.NeedFile() {
		return c.S.DataFile
	}
	return ""
}

// NeedFile reports whether the link names a data file the worker does
// not keep: the page asks for it, and nothing runs until it is given.
func (c *Root) NeedFile() bool { return view.NeedsFile(c.S, c.FileID) }

// NeedFileText says which file the link needs.
func (c *Root) NeedFileText() string { return view.NeedFileText(c.S.DataFile) }

// HasFile reports whether the experiment trains on the data file the
// worker keeps (Export data file saves it).
func (c *Root) HasFile() bool { return c.S.IsData() && c.S.DataFile != "" && c.S.DataFile == c.FileID }

// ExportDataFile asks the worker for the data file as canonical CSV
// (wire.DataExport); the answer is downloaded.
func (c *Root) ExportDataFile() { c.send(wire.DataExport{For: wire.ForDownload}) }

// LoadFile takes a file the user chose or dropped (its text, or ok false
// when it could not be read): a data set (the CSV goes to the worker,
// which refuses a bad row naming its line, or a file whose hash is not
// the link's) or a tour (view.FileKind). Nothing the user had changes
// unless the file is good.
func (c *Root) LoadFile(kind, name, text string, ok bool) {
	if view.FileKind(kind, name, c.NeedFile()) == view.FileTour {
		c.LoadTourFile(name, text, ok)
		return
	}
	c.DataErr, c.DataMsg, c.dataName = "", "", name
	if !c.NeedFile() {
		c.ShowData = true
	}
	if !ok {
		c.DataErr = name + ": could not be read as text (a data file is at most 1 MiB)"
		return
	}
	c.send(wire.DataImport{CSV: text, Want: c.wantFile()})
}

// ToggleData opens or closes the "Your data" box.
func (c *Root) ToggleData() { c.ShowData = !c.ShowData }

// Runs side by side (a pinned run's ghost).

// CanPin reports whether the pin button does something: unpin, or pin
// a run that has something to draw.
func (c *Root) CanPin() bool { return c.Pin != nil || c.F.Dim > 0 && len(c.H.S) > 0 }

// TogglePin keeps the current run as the ghost (view.Pin), or drops the
// pinned one.
func (c *Root) TogglePin() {
	if c.Pin != nil {
		c.Pin = nil
		c.Toast = "Unpinned"
	} else if c.CanPin() {
		c.Pin = view.NewPin(c.S, &c.H, c.F)
		c.Toast = "Pinned: this run stays, dotted, under the next ones"
	}
	c.Ver++
}

// The pin button's action (for tests), label and tooltip.
func (c *Root) PinAction() string {
	if c.Pin != nil {
		return "unpin"
	}
	return "pin"
}

func (c *Root) PinLabel() string {
	if c.Pin != nil {
		return "Unpin"
	}
	return "Pin run"
}

func (c *Root) PinTitle() string {
	if c.Pin != nil {
		return "Stop drawing the pinned run (" + c.Pin.Query() + ") under the current one"
	}
	return "Keep this run's curves and density, to draw the next runs over them (page state, not part of the link)"
}
