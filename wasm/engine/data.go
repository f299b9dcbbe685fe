package engine

import (
	"fmt"

	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// ImportData reads a pasted or dropped CSV data set (docs/spec.md#data-file)
// for the page: the data key's value when it fits in a link, else an error
// that says to use a data file. Bad input gives the parser's error, which
// names the line.
func ImportData(m wire.DataImport) wire.DataImported {
	pts, dim, err := dataset.ParseCSV([]byte(m.CSV), m.Dim)
	if err != nil {
		return wire.DataImported{Err: err.Error()}
	}
	v, err := dataset.Encode(pts, dim)
	if err != nil {
		return wire.DataImported{Err: err.Error()}
	}
	n := len(pts) / dim
	if len(v) > spec.MaxDataLen {
		return wire.DataImported{Err: fmt.Sprintf("%d points take %d characters, more than a link holds (%d): "+
			"run them as a data file (nceplay run --data FILE.csv 'target=%s'; docs/spec.md#data-file)", n, len(v), spec.MaxDataLen, density.DataTarget(dim).Name)}
	}
	return wire.DataImported{Value: v, Dim: dim, N: n}
}
