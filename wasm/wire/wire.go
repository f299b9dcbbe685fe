// Package wire defines every message between the playground's page and
// its training workers, and between the two workers, once: each message is
// a Go struct, and its JS form is an object whose "t" property names the
// message and whose other properties are the struct's fields by name
// (lower camel case: Frame.MetricsAt travels as metricsAt). Slices of
// float64 and float32 travel as Float64Array and Float32Array and are
// transferred, not copied; a Handle (a MessagePort) travels as itself.
//
// Encode and Decode turn a message into that object's tree of Go values
// and back; they have no browser code, so the format is tested natively.
// wasm.go (js && wasm) turns the tree into JS values and back.
package wire

import (
	"nceplay/core/density"
	"nceplay/core/nce"
)

// A Message is one of the message structs below.
type Message interface {
	// Type is the message's name, its "t" property.
	Type() string
}

// A Handle is a JS object that a message carries as is (a MessagePort).
// Natively it is whatever the test puts there.
type Handle any

// Page → worker.

// Init builds a fresh trainer for Spec (a canonical experiment query);
// Gen numbers the inits, and every frame says which one it belongs to.
type Init struct {
	Gen  int
	Spec string
}

// Play runs until the spec's steps or a Pause. Seq numbers the page's
// commands that start or stop training (Play, Pause, Step), and the
// frames echo the last one the worker has handled (Frame.Seq,
// LabFrame.Seq): until a frame has caught up with the page's last
// command, its Running is from before it, and the page keeps its own.
type Play struct{ Seq int }

// Commands numbers a page's Play, Pause and Step (their Seq).
type Commands int

// Next numbers the next command.
func (c *Commands) Next() int {
	*c++
	return int(*c)
}

// Caught reports whether a frame that echoes seq (Frame.Seq) comes from
// after the last command: only then does its Running overrule what the
// command set.
func (c Commands) Caught(seq int) bool { return seq >= int(c) }

// Pause stops training after the current slice.
type Pause struct{ Seq int }

// Step takes N steps now.
type Step struct{ N, Seq int }

// Speed sets the view's speed multiplier.
type Speed struct{ V float64 }

// ReportRequest asks for the run's report (the object of `nceplay run
// --json`), answered by Report.
type ReportRequest struct{}

// Connect hands a worker its end of the channel to the other worker, and
// its role: the leader (the worker the page talks to) splits each step
// with the helper.
type Connect struct {
	Role string // RoleLeader or RoleHelper
	Port Handle
}

// The roles of Connect.
const (
	RoleLeader = "leader"
	RoleHelper = "helper"
)

// Worker → page.

// Ready says the worker's wasm is loaded.
type Ready struct{}

// Failure says the trainer of generation Gen could not be built.
type Failure struct {
	Gen int
	Msg string
}

// Report answers ReportRequest with the report as JSON.
type Report struct {
	Gen  int
	JSON string
}

// A Frame is everything the panels draw at one moment of a run: which
// run it belongs to (Gen, Spec, and what the panels need of the spec, so
// that no panel mixes a new spec with the last run's frame), the state of
// training, the metrics, the grid, and the display samples.
type Frame struct {
	Gen  int
	Spec string // the experiment query of the run
	K    int    // the run's noise ratio
	Dim  int    // 1 or 2

	Step      int     // steps taken
	Running   bool    // the worker is training
	Seq       int     // the last Play, Pause or Step the worker had handled
	Done      bool    // the spec's steps are reached (or training stopped)
	SPS       float64 // training steps per second, measured
	Workers   int     // the workers splitting each step: 1 or 2
	Shared    bool    // the two exchange gradients through shared memory (else by messages)
	Profile   Profile // where the leader's time went since the run began
	MetricsAt int     // the step the metrics are of (while playing, a multiple of a Stride)
	Metrics   nce.Metrics
	Diverged  string // the divergence banner's text, or ""

	Grid   Grid
	GridAt int // the step the grid is of

	// Points says whether Data, Noise and Hist are set; they change only
	// with the spec, so later frames leave them out.
	Points bool
	Data   []float32 // data points to draw, Dim values each
	Noise  []float32 // noise points to draw
	Hist   []float32 // 1D: the data set's histogram as a density over HistBins bins of the box
}

// A Profile is where the leader worker's time went since its run began, in
// seconds (docs/architecture.md#workers): for the benchmark, not the page.
type Profile struct {
	Steps   int     // steps taken while profiled
	Compute float64 // its shard's gradient and the next points (with one worker: whole steps)
	Wait    float64 // waiting for the helper's shard
	// WaitFirst is the part of Wait spent in the first step of a chain of
	// split steps (Chains counts them), when the helper had to be asked.
	WaitFirst float64
	Chains    int
	Exchange  float64 // sending its shard and applying the sum
	Frames    float64 // metrics, grid and frames
	// Refreshes counts the refreshes of the metrics or the grid, and
	// SharedEvals those whose energy evaluations the helper shared
	// (engine.EvalPeer).
	Refreshes, SharedEvals int
	// Claims counts the commands (a chain of steps, a refresh's
	// evaluations) the leader gave the helper through the shared buffer
	// while it lingered, not by a message (wasm/worker's linger).
	Claims int
}

// A Grid is the panels' curves (1D) or heatmaps (2D): Res points per axis
// over Box (row-major, x fastest, as core's grids), as float32.
type Grid struct {
	Res      int
	Box      density.Box
	LogTrue  []float32 // log p̃
	LogModel []float32 // log p̂, the read-back density
	LogNoise []float32 // log U
	PModel   []float32 // the learned P(1|x)
	PBayes   []float32 // the Bayes P(1|x)
}

// Worker ↔ worker (engine.Peer).

// PeerInit builds the helper's replica of the trainer. Shared, when set,
// is a SharedArrayBuffer (the page is cross-origin isolated) through
// which the two exchange this run's gradients with Atomics.wait and
// notify instead of messages (wasm/worker, docs/architecture.md#workers);
// nil: by Shard0 and Shard1 messages.
type PeerInit struct {
	Gen    int
	Spec   string
	Shared Handle
	// Points are the data file's points when Spec names one
	// (docs/spec.md#data-file): the helper's replica trains on them too.
	Points []float64
}

// PeerGo asks the helper for shard 1 of the next step.
type PeerGo struct{ Gen int }

// Shard0 gives the helper the leader's shard-0 loss and gradient to apply
// with its shard 1 (the leader sends it before it waits for Shard1);
// More asks it to go on with the next step at once.
type Shard0 struct {
	Gen  int
	Loss float64
	Grad []float64
	More bool
}

// Shard1 is the helper's shard-1 loss and gradient.
type Shard1 struct {
	Gen  int
	Loss float64
	Grad []float64
}

// PeerEval asks the helper for its parts (from engine.EvalCut on) of
// the point sets a refresh evaluates: with Metrics the quadrature grid and
// the held-out points, with Grid the display grid at resolution Res; it
// answers one PeerEnergies per set, in that order.
type PeerEval struct {
	Gen           int
	Metrics, Grid bool
	Res           int
}

// PeerEnergies is the helper's part of one set (Set: an nce.EvalSet).
type PeerEnergies struct {
	Gen  int
	Set  int
	Vals []float64
}

// PeerFailure says the helper's replica failed.
type PeerFailure struct {
	Gen int
	Msg string
}

// The messages' names (their "t" property), each spelled once.
func (Init) Type() string          { return "init" }
func (Play) Type() string          { return "play" }
func (Pause) Type() string         { return "pause" }
func (Step) Type() string          { return "step" }
func (Speed) Type() string         { return "speed" }
func (ReportRequest) Type() string { return "report?" }
func (Connect) Type() string       { return "connect" }
func (Ready) Type() string         { return "ready" }
func (Failure) Type() string       { return "failure" }
func (Report) Type() string        { return "report" }
func (Frame) Type() string         { return "frame" }
func (PeerInit) Type() string      { return "peer-init" }
func (PeerGo) Type() string        { return "peer-go" }
func (Shard0) Type() string        { return "shard0" }
func (Shard1) Type() string        { return "shard1" }
func (PeerFailure) Type() string   { return "peer-failure" }
func (PeerEval) Type() string      { return "peer-eval" }
func (PeerEnergies) Type() string  { return "peer-energies" }

// messages lists one value of every message type, for Decode.
var messages = []Message{
	Init{}, Play{}, Pause{}, Step{}, Speed{}, ReportRequest{}, Connect{},
	Ready{}, Failure{}, Report{}, Frame{},
	PeerInit{}, PeerGo{}, Shard0{}, Shard1{}, PeerFailure{}, PeerEval{}, PeerEnergies{},
	LabInit{}, LabFocus{}, LabFrame{},
}

// Strides: while training plays, the worker measures the metrics at every
// multiple of a stride of the chain 1, 2, 4, 8, … (each divides the next,
// and each is at most twice the spacing the cost of measuring asks for),
// chosen from that cost; the page keeps the samples at the multiples of
// one stride, so the curves (and their CSV) have uniform steps, whichever
// strides the run went through.

// NextStride returns the stride after s in the chain (s ≥ 1).
func NextStride(s int) int { return 2 * max(s, 1) }

// StrideAtLeast returns the smallest stride of the chain that is at
// least n.
func StrideAtLeast(n float64) int {
	s := 1
	for float64(s) < n && s < 1<<40 {
		s = NextStride(s)
	}
	return s
}
