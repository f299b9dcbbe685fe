package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nceplay/core/lab"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

// TestDocsUpToDate fails when a generated region is out of date: the key
// tables of docs/spec.md (spec.MarkdownTable, and each lab's) or the
// warnings table of README.md (nce.WarningsMarkdown). Run `go run ./cmd/specdoc -w FILE`.
func TestDocsUpToDate(t *testing.T) {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	files := []struct{ file, marker string }{{"docs/spec.md", Begin}, {"README.md", WarningsBegin}, {"README.md", RunsBegin}}
	for _, l := range lab.All {
		files = append(files, struct{ file, marker string }{"docs/spec.md", LabBegin(l.Name)})
	}
	for _, c := range files {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(c.file)))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), c.marker+"\n") {
			t.Errorf("%s lacks its generated region %q", c.file, c.marker)
		}
		want, err := Generate(string(b))
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if want != string(b) {
			t.Errorf("%s's generated table is out of date: run `go run ./cmd/specdoc -w %s`", c.file, c.file)
		}
	}
}

// TestGenerate: Generate updates every region a document holds, and
// fails on a document with none.
func TestGenerate(t *testing.T) {
	doc := Begin + "\nx\n" + End + "\ntext\n" + WarningsBegin + "\ny\n" + WarningsEnd + "\n"
	got, err := Generate(doc)
	want := Begin + "\n" + spec.MarkdownTable() + End + "\ntext\n" + WarningsBegin + "\n" + nce.WarningsMarkdown() + WarningsEnd + "\n"
	if err != nil || got != want {
		t.Errorf("Generate = %q, %v", got, err)
	}
	if _, err := Generate("no markers\n"); err == nil {
		t.Error("Generate accepted a document without regions")
	}
}

func TestReplace(t *testing.T) {
	replace := func(doc, text string) (string, error) { return ReplaceRegion(doc, Begin, End, text) }
	doc := "intro\n" + Begin + "\nold\nrows\n" + End + "\nrest\n"
	got, err := replace(doc, "new\n")
	if want := "intro\n" + Begin + "\nnew\n" + End + "\nrest\n"; err != nil || got != want {
		t.Errorf("Replace = %q, %v; want %q", got, err, want)
	}
	again, err := replace(got, "new\n")
	if err != nil || again != got {
		t.Errorf("Replace is not idempotent: %q, %v", again, err)
	}
	for _, bad := range []string{
		"no markers\n",
		Begin + "\n",
		End + "\n" + Begin + "\n",
		Begin + "\n" + Begin + "\n" + End + "\n",
		Begin + "\n" + End, // End without its newline
		" " + Begin + "\n" + End + "\n",
	} {
		if _, err := replace(bad, "x\n"); err == nil {
			t.Errorf("replace(%q) accepted it", bad)
		}
	}
}

func TestTableShape(t *testing.T) {
	table := spec.MarkdownTable()
	lines := strings.Split(strings.TrimSuffix(table, "\n"), "\n")
	if len(lines) != len(spec.Keys)+2 || lines[0] != "| key | values | default | meaning |" {
		t.Fatalf("table has %d lines, header %q", len(lines), lines[0])
	}
	for i, k := range spec.Keys {
		if !strings.HasPrefix(lines[i+2], "| `"+k.Name+"` | ") || strings.Count(lines[i+2], " | ") != 3 {
			t.Errorf("row %q", lines[i+2])
		}
	}
}
