// Package spec is the experiment spec v1 of ../shared/SPEC.md: the query
// string that fully describes an experiment, shared by the browser app, the
// headless runner, the server and the tests.
package spec

// Spec is a parsed, validated experiment. Its zero value is not valid; use
// Default or Parse. Field comments name the query key.
type Spec struct {
	V      int     // v
	Target string  // target
	Noise  string  // noise
	NScale float64 // nscale
	NShift float64 // nshift
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
	Steps  int     // steps
	Seed   uint64  // seed

	// View-only keys: they change nothing computed.
	View View
}

// View holds the view-only keys of SPEC.md.
type View struct {
	Embed    bool     // embed
	Autoplay bool     // autoplay
	Panels   []string // panels
	Speed    float64  // speed
	Theme    string   // theme
}
