package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedCodeIsFresh: the committed Vugu code (0_components_gen.go)
// is what vugugen makes of the components today, so a .vugu file edited
// without `make lab-gen` fails here instead of shipping stale markup.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if testing.Short() {
		t.Skip("runs vugugen")
	}
	dir := t.TempDir()
	files, err := filepath.Glob("*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f == genFile || filepath.Ext(f) != ".go" && filepath.Ext(f) != ".vugu" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "tool", "vugugen", "-s", "-skip-go-mod", dir)
	cmd.Env = append(os.Environ(), "GOOS=", "GOARCH=") // vugugen runs natively (docs/architecture.md#build)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("vugugen: %v\n%s", err, out)
	}
	fresh, err := os.ReadFile(filepath.Join(dir, genFile))
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadFile(genFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh, committed) {
		t.Errorf("%s is stale: run `make lab-gen` and commit it", genFile)
	}
}

// genFile is vugugen's single output file (-s).
const genFile = "0_components_gen.go"
