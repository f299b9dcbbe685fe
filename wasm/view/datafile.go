//go:build !labpage

package view

import (
	"strconv"
	"strings"

	"nceplay/core/spec"
)

// Data files on the page (docs/spec.md#data-file).

// File kinds: what a chosen or dropped file is for.
const (
	FileTour = "tour-file" // a guided tour's text (docs/spec.md#tours)
	FileData = "data-file" // a data set as CSV
	FileAny  = "drop"      // dropped on the page: FileKind decides
)

// FileKind says what a file the user chose or dropped is: a data set when
// it came through a data control (kind FileData), when the page waits for
// a data file, or when its name says CSV or TSV; else a tour.
func FileKind(kind, name string, needFile bool) string {
	if kind == FileData || kind == FileTour {
		return kind
	}
	n := strings.ToLower(name)
	if needFile || strings.HasSuffix(n, ".csv") || strings.HasSuffix(n, ".tsv") {
		return FileData
	}
	return FileTour
}

// NeedsFile reports whether s trains on a data file other than the one
// the worker keeps (held: its datafile key value, "" for none), so the
// page must ask for it before anything runs.
func NeedsFile(s spec.Spec, held string) bool {
	return s.IsData() && s.Data == "" && s.DataFile != "" && s.DataFile != held
}

// NeedFileText is the page's request for a link's data file: "this
// experiment needs data file <hash> (n points)".
func NeedFileText(id string) string {
	n, _ := spec.DataFileSize(id)
	return "This experiment needs data file " + id + " (" + strconv.Itoa(n) + " points)."
}

// FileNote says what an imported data file became: the link names it.
func FileNote(id string, n int) string {
	return strconv.Itoa(n) + " points, too many for a link: it names data file " + id +
		". Export data file saves them as CSV; whoever opens the link gives that file."
}

// DataFileName is the name of the exported data file.
func DataFileName(id string) string { return "nce-data-" + id + ".csv" }
