// Package spec is the experiment spec v1 (docs/spec.md): the query string
// that fully describes an experiment, shared by the browser app, the
// headless runner, the server and the tests.
//
// One declarative table, Playground, describes every key: its kind,
// default, range or values, documentation and UI hints. Parse, Canonical,
// the error messages, Validate, the docs' key table (MarkdownTable,
// written by cmd/specdoc) and the UI's controls are all driven by it;
// adding a key is one row there plus a field in Spec. The values of the
// enum keys come from the registries of the packages that own them
// (density.Targets, density.Noises, model.All, objective.All, optim.All,
// optim.Schedules, Panels), so a value is spelled once. Labs build their own tables with
// the same machinery (Table, Shared).
//
// The contract (docs/spec.md#rules): Parse never panics and never silently
// runs something else. Every bad key, value or combination gives an *Error
// that names the key, the value and what is allowed, and the key runs its
// default. Keys irrelevant to the experiment (deg unless the model uses
// it on a 1D target, units and layers unless the model uses them, norm
// unless the objective has a scalar, lr and sched for newton) are reset to their defaults, so that
// for any query q, Parse(Parse(q).Canonical()) returns the same spec
// without error. Cost caps (StepCost, NewtonCost) keep any URL from
// hanging a browser tab.
package spec

import (
	"math"
	"slices"
	"strings"

	"nceplay/core/density"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/optim"
)

// Spec is a parsed, validated experiment of the playground. Its zero
// value is not valid; use Default or Parse. Field comments name the query
// key.
type Spec struct {
	V      int     // v
	Target string  // target
	Noise  string  // noise
	NScale float64 // nscale
	NShift float64 // nshift
	NComp  int     // ncomp
	Model  string  // model
	Deg    int     // deg
	Units  int     // units
	Layers int     // layers
	Obj    string  // obj
	Norm   string  // norm
	K      int     // k
	N      int     // n
	Batch  int     // batch
	Opt    string  // opt
	LR     float64 // lr
	Sched  string  // sched
	Steps  int     // steps
	Seed   uint64  // seed
	// Data is the user's data set, encoded (docs/spec.md#data-encoding),
	// and DataFile names a data set that travels as a file
	// (docs/spec.md#data-file); only for the data targets, which need one
	// of them.
	Data     string // data
	DataFile string // datafile

	// View-only keys: they change nothing computed.
	View View
}

// View holds the view-only keys (docs/spec.md#view-keys).
type View struct {
	Embed    bool     // embed
	Autoplay bool     // autoplay
	Panels   []string // panels
	Speed    float64  // speed
	Theme    string   // theme
	Captions bool     // captions
	Workers  int      // workers
	Tour     string   // tour: a built-in tour's name, or a tour's text in base64url
	Controls []string // controls: the settings the page shows
}

// The values of the norm key.
const (
	NormLearn = "learn" // c (or γ) is learned
	NormFixed = "fixed" // c (or γ) is held at 0: Z fixed to 1
)

// The values of the theme key.
const (
	ThemeAuto  = "auto"
	ThemeLight = "light"
	ThemeDark  = "dark"
)

// A Panel is one row of the panel registry, Panels: a view of the
// experiment that the panels key can show or hide.
type Panel struct {
	ID    string // the value in the panels key
	Title string // its heading
	// Embed reports whether the compact embed layout shows the panel
	// while the panels key is at its default.
	Embed bool
}

// The panels' IDs, each spelled once; code that shows a particular
// panel names it by these.
const (
	PanelSamples    = "samples"
	PanelClassifier = "classifier"
	PanelDensity    = "density"
	PanelCurves     = "curves"
	PanelExplain    = "explain"
)

// Panels is the registry of the playground's panels, in page order.
var Panels = []Panel{
	{ID: PanelSamples, Title: "Samples"},
	{ID: PanelClassifier, Title: "Classifier", Embed: true},
	{ID: PanelDensity, Title: "Density", Embed: true},
	{ID: PanelCurves, Title: "Curves", Embed: true},
	{ID: PanelExplain, Title: "Explain"},
}

// Key names the rules of this package refer to. Each key name is spelled
// here once; the table and the rules use these.
const (
	kV        = "v"
	kTarget   = "target"
	kNoise    = "noise"
	kNScale   = "nscale"
	kNShift   = "nshift"
	kNComp    = "ncomp"
	kModel    = "model"
	kDeg      = "deg"
	kUnits    = "units"
	kLayers   = "layers"
	kObj      = "obj"
	kNorm     = "norm"
	kK        = "k"
	kN        = "n"
	kBatch    = "batch"
	kOpt      = "opt"
	kLR       = "lr"
	kSched    = "sched"
	kSteps    = "steps"
	kSeed     = "seed"
	kData     = "data"
	kDataFile = "datafile"
	kEmbed    = "embed"
	kAutoplay = "autoplay"
	kPanels   = "panels"
	kSpeed    = "speed"
	kTheme    = "theme"
	kCaptions = "captions"
	kWorkers  = "workers"
	kTour     = "tour"
	kControls = "controls"
)

// MaxTourValue is the longest value of the tour key, in bytes: the
// base64url of a tour of MaxTourBytes (docs/spec.md#tours).
const MaxTourValue = (MaxTourBytes*4 + 2) / 3

// ShowsControl reports whether the page shows the control of key name:
// the controls key lists it.
func (v View) ShowsControl(name string) bool { return slices.Contains(v.Controls, name) }

// AllControls reports whether the controls key is at its default: every
// control shown.
func (v View) AllControls() bool { return len(v.Controls) == len(Lookup(kControls).Values) }

// Playground is the playground's key table (docs/spec.md#keys), in
// canonical order: the experiment keys, then the view-only keys. It is the
// single description of the query language; do not modify it.
var Playground *Table[Spec]

// Keys is Playground's rows.
var Keys []Key[Spec]

func init() {
	// In init, not a var initializer: the rules' messages consult the
	// table they belong to.
	Playground = NewTable("", playgroundKeys(), playgroundRules())
	Keys = Playground.Keys
}

func playgroundKeys() []Key[Spec] {
	targets, dims := targetValues()
	var objNames, modelDocs []string
	for _, m := range model.All {
		modelDocs = append(modelDocs, m.Name+" = "+m.Doc)
	}
	objNames = objective.Names()
	var panelIDs []string
	for _, p := range Panels {
		panelIDs = append(panelIDs, p.ID)
	}
	noises := make([]string, len(density.Noises))
	for i, n := range density.Noises {
		noises[i] = n.Name
	}
	keys := []Key[Spec]{
		{Name: kV, Kind: KindInt, Default: "1", Min: 1, Max: 1,
			Label: "Spec version", Doc: "Spec version; only 1 exists.",
			Ptr: func(s *Spec) any { return &s.V }},
		{Name: kTarget, Kind: KindEnum, Default: targets[0],
			Values: targets, Dims: dims,
			Label: "Data", Doc: "Data distribution p̃ (quartic is G = −x² − x⁴).",
			Ptr: func(s *Spec) any { return &s.Target }},
		{Name: kNoise, Kind: KindEnum, Default: noises[0], Values: noises,
			Label: "Noise", Doc: "Noise family U, fitted to the data: to its mean and spread, or (mix) a Gaussian mixture fitted by EM.",
			Ptr: func(s *Spec) any { return &s.Noise }},
		{Name: kNScale, Kind: KindFloat, Default: "1", Min: 0.1, Max: 20, Log: true,
			Label: "Noise scale", Doc: "Multiplies the noise spread (far/narrow noise).",
			Ptr: func(s *Spec) any { return &s.NScale }},
		{Name: kNShift, Kind: KindFloat, Default: "0", Min: -10, Max: 10,
			Label: "Noise shift", Doc: "Shifts the noise mean, in units of the data spread.",
			Ptr: func(s *Spec) any { return &s.NShift }},
		{Name: kNComp, Kind: KindInt, Default: "8", Min: 1, Max: density.MaxComponents,
			Label: "Components", Doc: "Components of the mix noise, a Gaussian mixture fitted to the data by EM (docs/math.md#e13).",
			Ptr:     func(s *Spec) any { return &s.NComp },
			Applies: func(s *Spec) bool { return s.noiseInfo().Components }},
		{Name: kModel, Kind: KindEnum, Default: model.All[0].Name, Values: model.Names(),
			Label: "Model", Doc: "Energy G(x;θ): " + strings.Join(modelDocs, ", ") + ".",
			Ptr: func(s *Spec) any { return &s.Model }},
		{Name: kDeg, Kind: KindInt, Default: "4", Min: 2, Max: 8, Even: true,
			Label: "Degree", Doc: "Degree of the poly model on a 1D target (2D poly is quadratic).",
			Ptr:     func(s *Spec) any { return &s.Deg },
			Applies: func(s *Spec) bool { return s.modelInfo().Uses.Deg && s.Dim() == 1 }},
		{Name: kUnits, Kind: KindInt, Default: "32", Min: 4, Max: 256,
			Label: "Units", Doc: "MLP hidden width, or RBF centres per axis.",
			Ptr:     func(s *Spec) any { return &s.Units },
			Applies: func(s *Spec) bool { return s.modelInfo().Uses.Units }},
		{Name: kLayers, Kind: KindInt, Default: "2", Min: 1, Max: 4,
			Label: "Layers", Doc: "Number of MLP hidden layers.",
			Ptr:     func(s *Spec) any { return &s.Layers },
			Applies: func(s *Spec) bool { return s.modelInfo().Uses.Layers }},
		{Name: kObj, Kind: KindEnum, Default: objNames[0], Values: objNames,
			Label: "Objective", Doc: "Objective: NCE, classifier, negative sampling, ranking or maximum likelihood (docs/math.md#nce).",
			Ptr: func(s *Spec) any { return &s.Obj }},
		{Name: kNorm, Kind: KindEnum, Default: NormLearn, Values: []string{NormLearn, NormFixed},
			Label: "Normalizer", Doc: "Learn the normalizer c, or fix it to 0 (Z = 1); only for obj nce and cls.",
			Ptr:     func(s *Spec) any { return &s.Norm },
			Applies: func(s *Spec) bool { return s.objective().Scalar }},
		{Name: kK, Kind: KindInt, Default: "1", Min: 1, Max: 1024, Log: true,
			Label: "Noise ratio k", Doc: "Noise samples per data sample.",
			Ptr: func(s *Spec) any { return &s.K }},
		{Name: kN, Kind: KindInt, Default: "10000", Min: 16, Max: 1000000, Log: true,
			Label: "Data size n", Doc: "Size of the fixed data set drawn from p̃ (your data's size is its own).",
			Ptr:     func(s *Spec) any { return &s.N },
			Applies: func(s *Spec) bool { return !s.IsData() }},
		{Name: kBatch, Kind: KindInt, Default: "256", Min: 1, Max: 65536, Log: true,
			Label: "Batch", Doc: "Data points per step (k·batch noise points).",
			Ptr: func(s *Spec) any { return &s.Batch }},
		{Name: kOpt, Kind: KindEnum, Default: optim.All[0].Name, Values: optim.Names(),
			Label: "Optimizer", Doc: "Optimizer (newton: full-batch second-order, for the convex poly and rbf cases).",
			Ptr: func(s *Spec) any { return &s.Opt }},
		{Name: kLR, Kind: KindFloat, Default: "0.01", Min: 1e-6, Max: 10, Log: true,
			Label: "Learning rate", Doc: "Learning rate of the first-order optimizers (newton takes none).",
			Ptr:     func(s *Spec) any { return &s.LR },
			Applies: func(s *Spec) bool { return !s.Optimizer().SecondOrder }},
		{Name: kSched, Kind: KindEnum, Default: optim.Schedules[0].Name, Values: optim.ScheduleNames(),
			Label: "LR schedule", Doc: "Learning-rate schedule: const, or cosine decay to 0 over the steps (ends a run at rest).",
			Ptr:     func(s *Spec) any { return &s.Sched },
			Applies: func(s *Spec) bool { return !s.Optimizer().SecondOrder }},
		{Name: kSteps, Kind: KindInt, Default: "2000", Min: 0, Max: 10000000, Log: true,
			Label: "Steps", Doc: "Training steps.",
			Ptr: func(s *Spec) any { return &s.Steps }},
		{Name: kSeed, Kind: KindUint64, Default: "1", Min: 0, Max: math.MaxUint64,
			Label: "Seed", Doc: "One seed for data, noise, init and minibatches.",
			Ptr: func(s *Spec) any { return &s.Seed }},
		{Name: kData, Kind: KindText, Default: "", Max: MaxDataLen,
			Label: "Your data", Doc: "Your data set (targets data, data2d): points on a grid over the data box, deflated, base64url (docs/spec.md#data-encoding).",
			Hint:    "a link stays under 8 KB: export the data as a file and share the link with datafile (docs/spec.md#data-file)",
			Ptr:     func(s *Spec) any { return &s.Data },
			Applies: func(s *Spec) bool { return s.IsData() }},
		{Name: kDataFile, Kind: KindText, Default: "", Max: 40,
			Label: "Data file", Doc: "A data set that travels as a file (targets data, data2d): its SHA-256 prefix and size, hex16-n (docs/spec.md#data-file).",
			Ptr:     func(s *Spec) any { return &s.DataFile },
			Applies: func(s *Spec) bool { return s.IsData() }},

		{Name: kEmbed, Kind: KindBool, Default: "0", Values: []string{"0", "1"}, View: true,
			Label: "Embed", Doc: "Compact layout without controls, for embedding in a page.",
			Ptr: func(s *Spec) any { return &s.View.Embed }},
		{Name: kAutoplay, Kind: KindBool, Default: "0", Values: []string{"0", "1"}, View: true,
			Label: "Autoplay", Doc: "Start training as soon as the page loads.",
			Ptr: func(s *Spec) any { return &s.View.Autoplay }},
		{Name: kPanels, Kind: KindList, Default: strings.Join(panelIDs, ","),
			Values: panelIDs, View: true,
			Label: "Panels", Doc: "Which panels to show, comma-separated.",
			Ptr: func(s *Spec) any { return &s.View.Panels }},
		{Name: kSpeed, Kind: KindFloat, Default: "1", Min: 0.1, Max: 10, Log: true, View: true,
			Label: "Speed", Doc: "Multiplies the training steps run per animation frame.",
			Ptr: func(s *Spec) any { return &s.View.Speed }},
		{Name: kTheme, Kind: KindEnum, Default: ThemeAuto, Values: []string{ThemeAuto, ThemeLight, ThemeDark}, View: true,
			Label: "Theme", Doc: "Colour theme: follow the system, light or dark.",
			Ptr: func(s *Spec) any { return &s.View.Theme }},
		{Name: kCaptions, Kind: KindBool, Default: "0", Values: []string{"0", "1"}, View: true,
			Label: "Captions", Doc: "In the embed layout, a one-line caption under each panel.",
			Ptr: func(s *Spec) any { return &s.View.Captions }},
		{Name: kWorkers, Kind: KindInt, Default: "2", Min: 1, Max: 2, View: true,
			Label: "Workers", Doc: "Training workers of the playground: 2 split every minibatch between two cores (with one core, one runs); the numbers are the same bit for bit (docs/architecture.md#workers).",
			Ptr: func(s *Spec) any { return &s.View.Workers }},
		{Name: kTour, Kind: KindText, Default: "", Max: MaxTourValue, Values: TourNames(), View: true,
			Label: "Tour", Doc: "A guided tour: a built-in tour's name, or a teacher's tour in the text format of docs/spec.md#tours as base64url.",
			Ptr: func(s *Spec) any { return &s.View.Tour }},
	}
	var controls []string
	for _, k := range keys {
		if !k.View && !(k.Kind == KindInt && k.Min == k.Max) && k.Kind != KindText { // the data keys have no control
			controls = append(controls, k.Name)
		}
	}
	return append(keys, Key[Spec]{Name: kControls, Kind: KindList, Default: strings.Join(controls, ","), Values: controls, View: true,
		Label: "Controls", Doc: "Which settings the page shows, comma-separated; the others stay as the link sets them (a classroom embed).",
		Ptr: func(s *Spec) any { return &s.View.Controls }})
}

// targetValues returns the target registry's names and dimensions.
func targetValues() (names []string, dims []int) {
	for _, t := range density.Targets {
		names = append(names, t.Name)
		dims = append(dims, t.Dim)
	}
	for _, t := range density.DataTargets {
		names = append(names, t.Name)
		dims = append(dims, t.Dim)
	}
	return names, dims
}

// IsData reports whether s's target is a data set the user supplies
// (density.DataTargets; docs/spec.md#data).
func (s Spec) IsData() bool {
	t, ok := density.LookupTarget(s.Target)
	return ok && t.Data
}

// Dim returns the dimension of s's target: 1 or 2, or 0 if the target is
// unknown.
func (s Spec) Dim() int {
	if t, ok := density.LookupTarget(s.Target); ok {
		return t.Dim
	}
	return 0
}

// modelInfo returns the model's registry row (poly's for an unknown name,
// which only a spec built by hand can hold; Validate reports it).
func (s *Spec) modelInfo() *model.Info {
	if m := model.Lookup(s.Model); m != nil {
		return m
	}
	return model.All[0]
}

// noiseInfo returns the noise family's registry row (the default's for an
// unknown name, which only a spec built by hand can hold).
func (s *Spec) noiseInfo() density.NoiseInfo {
	if n, ok := density.LookupNoise(s.Noise); ok {
		return n
	}
	return density.Noises[0]
}

// NoiseParams returns the keys the noise is fitted with (nscale, nshift,
// ncomp).
func (s Spec) NoiseParams() density.NoiseParams {
	return density.NoiseParams{NScale: s.NScale, NShift: s.NShift, NComp: s.NComp}
}

// objective returns the objective's registry row (the default's for an
// unknown name, which only a spec built by hand can hold).
func (s *Spec) objective() *objective.Objective {
	if o := objective.Lookup(s.Obj); o != nil {
		return o
	}
	return objective.All[0]
}

// Objective returns the registry row of s's objective.
func (s Spec) Objective() *objective.Objective { return s.objective() }

// ModelInfo returns the registry row of s's model.
func (s Spec) ModelInfo() *model.Info { return s.modelInfo() }

// Schedule returns the registry row of s's learning-rate schedule.
func (s Spec) Schedule() *optim.Schedule {
	if o := optim.LookupSchedule(s.Sched); o != nil {
		return o
	}
	return optim.Schedules[0]
}

// Optimizer returns the registry row of s's optimizer.
func (s Spec) Optimizer() *optim.Info {
	if o := optim.Lookup(s.Opt); o != nil {
		return o
	}
	return optim.All[0]
}

// Shape returns the sizes that build s's model.
func (s Spec) Shape() model.Shape {
	return model.Shape{Dim: s.Dim(), Deg: s.Deg, Units: s.Units, Layers: s.Layers}
}

// Default returns the spec with every key at its default: the experiment
// of the empty query.
func Default() Spec { return Playground.Default() }

// Parse parses a playground query (see Table.Parse).
func Parse(query string) (Spec, error) { return Playground.Parse(query) }

// Apply returns s with the keys of query applied over it (see
// Table.Apply), e.g. a warning's fix.
func (s Spec) Apply(query string) (Spec, error) { return Playground.Apply(s, query) }

// Lookup returns the playground's row named name, or nil.
func Lookup(name string) *Key[Spec] { return Playground.Lookup(name) }

// Validate checks a spec built by hand as Parse checks a query: every
// key's value, then the rules that involve several keys (newton's models
// and objectives, rbf's 2D size, and the cost caps of StepCost and
// NewtonCost). It returns nil or an Errors.
func (s Spec) Validate() error { return Playground.Validate(s) }

// Normalized returns s with the keys irrelevant to its experiment set to
// their defaults and list values in canonical order, as Parse returns it.
func (s Spec) Normalized() Spec { return Playground.Normalized(s) }

// Canonical returns s in canonical query form (docs/spec.md#canonical-form),
// view-only keys included; "" for the default spec.
func (s Spec) Canonical() string { return Playground.Query(s, true) }

// ExperimentQuery is Canonical without the view-only keys: it names the
// experiment (the runner's JSON "spec" field, cache keys), not how it is
// shown.
func (s Spec) ExperimentQuery() string { return Playground.Query(s, false) }
