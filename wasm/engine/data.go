package engine

import (
	"fmt"

	"nceplay/core/dataset"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// A File is a data set the worker keeps because it travels as a data file
// (docs/spec.md#data-file): its datafile key value, dimension and points
// in file order.
type File struct {
	ID  string
	Dim int
	Pts []float64
}

// For returns the file's points when the spec query names this file
// (its datafile key), else nil.
func (f *File) For(query string) []float64 {
	if f == nil {
		return nil
	}
	s, err := spec.Parse(query)
	if err != nil || !s.IsData() || s.DataFile != f.ID {
		return nil
	}
	return f.Pts
}

// CSV is the file's canonical text (dataset.FormatCSV): a header, then one
// point per line with the shortest numbers that read back to the same
// float64s, so its hash, and nceplay run --data on it, are the page's.
func (f *File) CSV() string { return string(dataset.FormatCSV(f.Pts, f.Dim)) }

// ImportData reads a pasted, dropped or chosen CSV data set
// (docs/spec.md#data-file), or the points painted on the Samples panel
// (m.Points), for the page. Points that fit in a link give the data key's
// value; more points, or any points when the page asks for a file
// (m.Want), give a File the worker keeps and trains on, and the datafile
// key's value. A file whose points are not the ones m.Want names is
// refused saying the hash does not match. Bad input gives the parser's
// error, which names the line.
func ImportData(m wire.DataImport) (wire.DataImported, *File) {
	r, f := importData(m)
	r.Painted = len(m.Points) > 0
	return r, f
}

func importData(m wire.DataImport) (wire.DataImported, *File) {
	pts, dim := m.Points, m.Dim
	if len(pts) == 0 { // a CSV (JS gives an absent Points back as an empty slice)
		var err error
		pts, dim, err = dataset.ParseCSV([]byte(m.CSV), m.Dim)
		if err != nil {
			return wire.DataImported{Err: err.Error()}, nil
		}
	} else if dim == 0 {
		dim = 2
	}
	n := len(pts) / dim
	id := dataset.ID(pts, dim)
	if m.Want != "" {
		if id != m.Want {
			return wire.DataImported{Err: fmt.Sprintf("the hash does not match: this file's points are %s, "+
				"this experiment needs data file %s", id, m.Want)}, nil
		}
		return wire.DataImported{File: id, Dim: dim, N: n}, &File{ID: id, Dim: dim, Pts: pts}
	}
	v, err := dataset.Encode(pts, dim)
	if err != nil {
		return wire.DataImported{Err: err.Error()}, nil
	}
	if len(v) > spec.MaxDataLen { // too long for a link: a data file
		return wire.DataImported{File: id, Dim: dim, N: n}, &File{ID: id, Dim: dim, Pts: pts}
	}
	return wire.DataImported{Value: v, Dim: dim, N: n}, nil
}
