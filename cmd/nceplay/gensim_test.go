package main

import (
	"encoding/json"
	"math"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"nceplay/core/lab/w2v"
)

// python is Debian's interpreter, which python3-gensim installs into.
const python = "/usr/bin/python3"

// TestVectorsGensim (issue 11): gensim reads the file `nceplay run
// --vectors` writes — KeyedVectors.load_word2vec_format(path,
// binary=False), in bench/w2v/check_vectors.py — and gets the trainer's
// vectors back: the same words in the same order, each coordinate within
// float32's rounding of the float64 the trainer learned (the text format
// writes the shortest text of its float32; gensim holds float32). Skipped
// when python3-gensim is absent (`make bench-w2v` installs it and runs the
// same check on the benchmark's vectors).
func TestVectorsGensim(t *testing.T) {
	if err := exec.Command(python, "-c", "import gensim").Run(); err != nil {
		t.Skipf("%s cannot import gensim (%v): install python3-gensim (make bench-w2v does) to run this check", python, err)
	}
	const q = "lab=w2v&vocab=30&tokens=5000&dim=8&epochs=1"
	vec := filepath.Join(t.TempDir(), "vectors.txt")
	if code, _, errOut := runCLI("run", "--vectors", vec, q); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	out, err := exec.Command(python, "../../bench/w2v/check_vectors.py", "--json", vec).Output()
	if err != nil {
		msg := ""
		if e, ok := err.(*exec.ExitError); ok {
			msg = string(e.Stderr)
		}
		t.Fatalf("check_vectors.py: %v\n%s", err, msg)
	}
	var got struct {
		Words   []string
		Vectors [][]float64
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("check_vectors.py printed no JSON: %v\n%s", err, out)
	}

	// The same run in process: the runner's vectors are the trainer's.
	s, err := w2v.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := w2v.New(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	for !tr.Done() {
		if err := tr.Step(10000); err != nil {
			t.Fatal(err)
		}
	}
	words, m := tr.Corpus().Words, tr.Model()
	if !slices.Equal(got.Words, words) || len(got.Vectors) != len(words) {
		t.Fatalf("gensim read %d words %v, the trainer has %d %v", len(got.Words), got.Words, len(words), words)
	}
	worst := 0.0
	for i := range words {
		u := m.URow(i)
		if len(got.Vectors[i]) != len(u) {
			t.Fatalf("%s: gensim read %d numbers, want %d", words[i], len(got.Vectors[i]), len(u))
		}
		for j, x := range u {
			d := math.Abs(got.Vectors[i][j] - x)
			worst = max(worst, d)
			if d > math.Abs(x)*0x1p-24 {
				t.Errorf("%s[%d]: gensim %v, the trainer %v (off by %.3g, more than float32's rounding)", words[i], j, got.Vectors[i][j], x, d)
			}
		}
	}
	t.Logf("gensim read %d vectors of %d; max |gensim − trainer| = %.3g", len(words), m.Dim, worst)
}
