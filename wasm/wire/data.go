package wire

func init() { messages = append(messages, DataImport{}, DataImported{}) }

// DataImport asks the worker to read a data set the user pasted or dropped
// (docs/spec.md#data-file: CSV, 1 or 2 columns): the worker parses and
// encodes it, since the encoding's DEFLATE would cost the page's wasm
// 50 KB. Dim is the dimension wanted (0: the file's).
type DataImport struct {
	CSV string
	Dim int
}

// DataImported answers DataImport: the data key's value, the points'
// dimension and count, or the error (which names the line), with nothing
// else changed.
type DataImported struct {
	Value string
	Dim   int
	N     int
	Err   string
}

func (DataImport) Type() string   { return "data-import" }
func (DataImported) Type() string { return "data-imported" }
