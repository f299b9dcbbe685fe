package wire

func init() { messages = append(messages, GIFRequest{}, GIFImage{}) }

// Page → GIF worker (wasm/gifworker, gif.wasm: the "GIF" dialog,
// docs/spec.md#gif). web/static/app.js writes and reads these two
// messages by the names defined here (TestGIFMessagesInAppJS).

// GIFRequest asks for the experiment Query as an animated GIF with the
// options of `nceplay gif`: Panels (a comma list of panel IDs, as
// --panels), Frames, Width and the Dark theme; Data is the data file's
// CSV text when Query names one (as --data; the training worker keeps the
// file). ID numbers the requests, and the answer carries it back.
type GIFRequest struct {
	ID     int
	Query  string
	Panels string
	Frames int
	Width  int
	Dark   bool
	Data   string
}

// GIFImage answers GIFRequest ID: the GIF's bytes (a Uint8Array in JS,
// its buffer transferred) and file name, with Warn set when the run
// diverged (the GIF then ends at its last finite state); or the error
// that kept it from being made (GIF then empty).
type GIFImage struct {
	ID   int
	GIF  []byte
	Name string
	Warn string
	Err  string
}

func (GIFRequest) Type() string { return "gif?" }
func (GIFImage) Type() string   { return "gif" }
