package wire

func init() {
	messages = append(messages, DataImport{}, DataImported{}, DataExport{}, DataFileCSV{})
}

// DataImport asks the worker to read a data set the user pasted, dropped
// or chose (docs/spec.md#data-file: CSV, 1 or 2 columns): the worker
// parses and encodes it, since the encoding's DEFLATE would cost the
// page's wasm 50 KB. Dim is the dimension wanted (0: the file's). Want,
// when set, is the datafile key's value the page's link names: the file
// must hash to it (a datafile= link asking for its file). Points, when
// set, are the points painted on the Samples panel (Dim values each, Dim
// 2), taken as they are instead of CSV; the answer says Painted.
type DataImport struct {
	CSV    string
	Dim    int
	Want   string
	Points []float64
}

// DataImported answers DataImport: the data key's value (Value) when the
// points fit in a link, or the datafile key's value (File) when they do
// not (or when the page asked for a file): the worker then keeps the
// points and trains on them for any spec naming that file. Dim and N are
// the points' dimension and count; Err the error (which names the line,
// or says the hash does not match), with nothing else changed. Painted
// says it answers painted Points (the Samples panel's paint mode shows
// it, not the "Your data" box).
type DataImported struct {
	Value   string
	File    string
	Dim     int
	N       int
	Err     string
	Painted bool
}

// DataExport asks the worker for the data file it keeps, as the canonical
// CSV (dataset.FormatCSV: its hash is the datafile key's). For says what
// the page wants it for (ForDownload, ForGIF), and comes back in the
// answer.
type DataExport struct{ For string }

// What the page asks for the data file for.
const (
	ForDownload = ""    // Export data file: a download
	ForGIF      = "gif" // the GIF dialog: the GIF's worker trains on it (GIFRequest.Data)
)

// DataFileCSV answers DataExport: the file's ID and text, or why there is
// none.
type DataFileCSV struct {
	ID  string
	CSV string
	Err string
	For string
}

func (DataImport) Type() string   { return "data-import" }
func (DataImported) Type() string { return "data-imported" }
func (DataExport) Type() string   { return "data-export" }
func (DataFileCSV) Type() string  { return "data-file-csv" }
