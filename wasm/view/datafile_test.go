//go:build !labpage

package view

import (
	"testing"

	"nceplay/core/spec"
)

// TestFileKind: a data control's file is data, a tour control's a tour; a
// dropped file is data when the page waits for one or its name says CSV.
func TestFileKind(t *testing.T) {
	for _, c := range []struct {
		kind, name string
		need       bool
		want       string
	}{
		{FileData, "a.txt", false, FileData},
		{FileTour, "a.csv", true, FileTour},
		{FileAny, "Points.CSV", false, FileData},
		{FileAny, "p.tsv", false, FileData},
		{FileAny, "lesson.txt", false, FileTour},
		{FileAny, "lesson.txt", true, FileData},
	} {
		if got := FileKind(c.kind, c.name, c.need); got != c.want {
			t.Errorf("FileKind(%q, %q, %v) = %q, want %q", c.kind, c.name, c.need, got, c.want)
		}
	}
}

// TestNeedsFile: a datafile link needs its file until the worker holds
// that one.
func TestNeedsFile(t *testing.T) {
	id := "0123456789abcdef-300"
	s, err := spec.Parse("target=data2d&datafile=" + id)
	if err != nil {
		t.Fatal(err)
	}
	if !NeedsFile(s, "") || !NeedsFile(s, "fedcba9876543210-300") || NeedsFile(s, id) || NeedsFile(spec.Default(), "") {
		t.Error("NeedsFile")
	}
	if got, want := NeedFileText(id), "This experiment needs data file "+id+" (300 points)."; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
