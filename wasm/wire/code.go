package wire

func init() { messages = append(messages, CodeRequest{}, CodeScript{}) }

// Page → code worker (wasm/codeworker, code.wasm: "Show code",
// docs/spec.md#code). web/static/app.js writes and reads these two
// messages by the names defined here (TestCodeMessagesInAppJS).

// CodeRequest asks for the experiment Query as a script in Lang
// (codeworker/answer's LangTorch or LangNumPy); ID numbers the requests,
// and the answer carries it back.
type CodeRequest struct {
	ID    int
	Query string
	Lang  string
}

// CodeScript answers CodeRequest ID: the script, or the error that kept
// it from being written (Script then empty).
type CodeScript struct {
	ID     int
	Script string
	Err    string
}

func (CodeRequest) Type() string { return "code?" }
func (CodeScript) Type() string  { return "code" }
