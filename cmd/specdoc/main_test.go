package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nceplay/core/spec"
)

// TestReadmeUpToDate fails when the README's key table differs from
// spec.MarkdownTable(): run `go run ./cmd/specdoc -w README.md`.
func TestSpecDocUpToDate(t *testing.T) {
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
	b, err := os.ReadFile(filepath.Join(dir, "docs", "spec.md"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := Replace(string(b), spec.MarkdownTable())
	if err != nil {
		t.Fatalf("docs/spec.md: %v", err)
	}
	if want != string(b) {
		t.Error("docs/spec.md's key table is out of date: run `go run ./cmd/specdoc -w docs/spec.md`")
	}
}

func TestReplace(t *testing.T) {
	doc := "intro\n" + Begin + "\nold\nrows\n" + End + "\nrest\n"
	got, err := Replace(doc, "new\n")
	if want := "intro\n" + Begin + "\nnew\n" + End + "\nrest\n"; err != nil || got != want {
		t.Errorf("Replace = %q, %v; want %q", got, err, want)
	}
	again, err := Replace(got, "new\n")
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
		if _, err := Replace(bad, "x\n"); err == nil {
			t.Errorf("Replace(%q) accepted it", bad)
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
