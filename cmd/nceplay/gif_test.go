package main

import (
	"bytes"
	"image/gif"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"nceplay/core/dataset"
	"nceplay/gifexport"
)

// TestGif: the gif command writes gifexport's bytes for its flags, and
// exits 2 on bad flags, options or specs, 1 on divergence with the GIF
// written (docs/spec.md#gif).
func TestGif(t *testing.T) {
	code, out, errOut := runCLI("gif", "--panels", "classifier,curves", "--frames=5", "--width", "400", "--height=300", "--delay=20", "--theme=dark", "steps=40&k=3")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want, err := gifexport.Encode("steps=40&k=3", gifexport.Options{Panels: []string{"classifier", "curves"}, Frames: 5, Width: 400, Height: 300, Delay: 20, Dark: true})
	if err != nil {
		t.Fatal(err)
	}
	if out != string(want) {
		t.Error("the runner's GIF differs from gifexport.Encode's")
	}
	g, err := gif.DecodeAll(bytes.NewReader([]byte(out)))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 5 || g.Config.Width != 400 || g.Config.Height != 300 || g.Delay[0] != 20 {
		t.Errorf("%d frames of %d×%d, delay %d", len(g.Image), g.Config.Width, g.Config.Height, g.Delay[0])
	}
	// --data: an experiment on a data file, as nceplay run --data.
	pts := make([]float64, 0, 400)
	for i := range 200 {
		x := float64(i) / 40
		pts = append(pts, x*0.3-1, 0.5*x-x*x/16)
	}
	file := filepath.Join(t.TempDir(), "pts.csv")
	if err := os.WriteFile(file, dataset.FormatCSV(pts, 2), 0o644); err != nil {
		t.Fatal(err)
	}
	q := "target=data2d&steps=40&datafile=" + dataset.ID(pts, 2)
	code, out, errOut = runCLI("gif", "--frames=3", "--width=320", "--data", file, q)
	want, err = gifexport.Encode(q, gifexport.Options{Frames: 3, Width: 320, Points: pts})
	if code != 0 || err != nil || out != string(want) {
		t.Errorf("--data: exit %d (%s), gifexport: %v; the GIFs agree: %v", code, errOut, err, out == string(want))
	}
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"gif", q}, 2, "nceplay run or gif --data"},
		{[]string{"gif", "--data", file, "target=data2d&steps=40&datafile=0123456789abcdef-200"}, 2, "not the 0123456789abcdef-200"},
		{[]string{"gif", "--frames=61", "k=3"}, 2, "frames = 61"},
		{[]string{"gif", "--width=abc", "k=3"}, 2, "not a whole number"},
		{[]string{"gif", "--panels=samples", "k=3"}, 2, `"samples" cannot be drawn`},
		{[]string{"gif", "--theme=blue", "k=3"}, 2, "light or dark"},
		{[]string{"gif", "--bogus", "k=3"}, 2, "unknown flag"},
		{[]string{"gif", "--frames"}, 2, "needs a value"},
		{[]string{"gif", "k=abc"}, 2, `"k"`},
		{[]string{"gif", "k=5", "n=100"}, 2, "one argument"},
		{[]string{"gif", "lab=w2v"}, 2, "cannot be exported as a GIF"},
		{[]string{"gif", "--frames=3", "--width=320", "deg=8&opt=sgd&lr=10&nscale=20"}, 1, "diverged"},
	} {
		code, out, errOut := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %s", tc.args, code, errOut, tc.code, tc.msg)
		}
		if tc.code == 1 {
			if _, err := gif.DecodeAll(strings.NewReader(out)); err != nil {
				t.Errorf("%q: the diverged run's GIF: %v", tc.args, err)
			}
		}
	}
}
