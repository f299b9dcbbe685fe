// Package wire is the message format between the playground's page and
// its training worker. Messages are plain JS objects; their numbers travel
// as transferable typed arrays. Both sides use these names, so the format
// is spelled once.
package wire

// Commands, the page → worker "cmd" field.
const (
	CmdInit   = "init"   // spec: canonical query; builds a fresh trainer
	CmdPlay   = "play"   // run until the spec's steps or pause
	CmdPause  = "pause"  //
	CmdStep   = "step"   // n: steps to take now
	CmdSpeed  = "speed"  // v: the view's speed multiplier
	CmdReport = "report" // replies KindReport with nce.NewReport as JSON
	// CmdPeer hands a worker its end (port) of the MessageChannel to the
	// other worker, and its role: the leader (the worker the page talks
	// to) splits each step with the helper.
	CmdPeer    = "peer"
	RoleLeader = "leader"
	RoleHelper = "helper"
)

// Kinds, the worker → page "kind" field.
const (
	KindReady  = "ready"  // the worker's wasm is loaded
	KindFrame  = "frame"  // a snapshot, see the fields below
	KindReport = "report" // json: the report object
	KindError  = "error"  // msg: the trainer could not be built
)

// Field names of the messages.
const (
	FCmd    = "cmd"
	FKind   = "kind"
	FSpec   = "spec"
	FGen    = "gen" // the init generation a frame belongs to
	FN      = "n"
	FV      = "v"
	FMsg    = "msg"
	FJSON   = "json"
	FNote   = "note" // Metrics.CNote
	FErr    = "err"  // the divergence message, or ""
	FM      = "m"    // Float64Array of the metrics, indexed by M*
	FGrid   = "grid" // Float32Array of the grid fields, GridFields of Res^Dim each
	FData   = "data" // Float32Array: data points to draw (Dim per point)
	FNoise  = "noise"
	FHist   = "hist" // Float32Array: 1D histogram of the whole data set, as a density
	FTheta  = "theta"
	FPoints = "points" // whether data, noise and hist are included (they change only at init)
	FPort   = "port"
	FRole   = "role"
)

// Indices of the metrics array FM.
const (
	MStep = iota
	MLoss
	MC // NaN when the objective has no estimate of log Z
	MLogZ
	MLogZTrue // log Z of the unnormalized target in the model family; NaN if unknown
	MMass
	MKL
	MAcc
	MBayesAcc
	MRunning // 1 while the worker trains
	MDone    // 1 when the spec's steps are reached
	MSPS     // training steps per second, measured over the last frames
	MDim
	MRes
	MBoxX0
	MBoxX1
	MBoxY0
	MBoxY1
	MMetricsAt // the step at which the metrics were last computed
	MLen
)

// Grid fields, in their order in FGrid.
const (
	GLogTrue = iota
	GLogModel
	GLogNoise
	GPModel
	GPBayes
	GridFields
)
