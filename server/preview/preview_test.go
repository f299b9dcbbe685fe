package preview

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"nceplay/core/spec"
)

// opts are the Go server's bounds, small enough for tests.
var opts = Options{MaxSteps: 300, MaxWork: 1e9}

func mustParse(t *testing.T, q string) spec.Spec {
	t.Helper()
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return s
}

// checkImage decodes b and checks the size and that the picture is not
// blank: many distinct colours, and both the model's orange (1D) or the
// viridis extremes (2D) present.
func checkImage(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if got := img.Bounds().Size(); got != image.Pt(Width, Height) {
		t.Fatalf("size %v, want %dx%d", got, Width, Height)
	}
	colours := map[[3]uint32]int{}
	nonWhite := 0
	for y := 0; y < Height; y += 3 {
		for x := 0; x < Width; x += 3 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[[3]uint32{r >> 8, g >> 8, b >> 8}]++
			if r>>8 < 250 || g>>8 < 250 || b>>8 < 250 {
				nonWhite++
			}
		}
	}
	if len(colours) < 50 {
		t.Errorf("only %d distinct colours: the picture looks blank", len(colours))
	}
	if frac := float64(nonWhite) / float64(len(colours)+1); nonWhite < 2000 {
		t.Errorf("only %d non-white sampled pixels (%.2f)", nonWhite, frac)
	}
	return img
}

func save(t *testing.T, name string, b []byte) {
	if dir := os.Getenv("PREVIEW_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// countColour counts sampled pixels within tol of c.
func countColour(img image.Image, c [3]int, tol int) int {
	n := 0
	for y := 0; y < Height; y += 2 {
		for x := 0; x < Width; x += 2 {
			r, g, b, _ := img.At(x, y).RGBA()
			if abs(int(r>>8)-c[0]) <= tol && abs(int(g>>8)-c[1]) <= tol && abs(int(b>>8)-c[2]) <= tol {
				n++
			}
		}
	}
	return n
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func TestRender1D(t *testing.T) {
	s := mustParse(t, "")
	res, err := Render(context.Background(), s, opts, "NCE Playground: quartic")
	if err != nil {
		t.Fatal(err)
	}
	if res.Steps != 300 || res.Planned != 300 || res.Truncated || res.Diverged != "" {
		t.Errorf("steps %d/%d truncated %v diverged %q, want 300/300", res.Steps, res.Planned, res.Truncated, res.Diverged)
	}
	img := checkImage(t, res.PNG)
	save(t, "quartic.png", res.PNG)
	if n := countColour(img, [3]int{0xe3, 0x6c, 0x0a}, 30); n < 300 {
		t.Errorf("the model curve (orange) covers %d sampled pixels, want ≥ 300", n)
	}
}

func TestRender2D(t *testing.T) {
	for _, q := range []string{"target=ring&model=mlp&units=16", "target=gauss2d&opt=newton&steps=5"} {
		s := mustParse(t, q)
		res, err := Render(context.Background(), s, opts, "NCE Playground: "+s.Target)
		if err != nil {
			t.Fatal(err)
		}
		img := checkImage(t, res.PNG)
		save(t, s.Target+".png", res.PNG)
		// Both ends of the viridis scale appear (background and peaks).
		if n := countColour(img, [3]int{68, 1, 84}, 12); n < 1000 {
			t.Errorf("%s: dark viridis end covers %d sampled pixels", q, n)
		}
		if n := countColour(img, [3]int{59, 81, 139}, 40) + countColour(img, [3]int{33, 144, 141}, 40); n < 100 {
			t.Errorf("%s: mid viridis covers %d sampled pixels: no density drawn", q, n)
		}
	}
}

func TestPlanBounds(t *testing.T) {
	heavy := mustParse(t, "target=ring&model=mlp&units=88&layers=4&batch=1024&k=10")
	if n := Plan(heavy, opts); n < 1 || n > 20 {
		t.Errorf("Plan(heavy) = %d, want 1 … 20 under MaxWork %g", n, opts.MaxWork)
	}
	if n := Plan(mustParse(t, "steps=0"), opts); n != 0 {
		t.Errorf("Plan(steps=0) = %d", n)
	}
	if n := Plan(mustParse(t, "steps=7"), opts); n != 7 {
		t.Errorf("Plan(steps=7) = %d", n)
	}
	if n := Plan(mustParse(t, "steps=100000"), opts); n != 300 {
		t.Errorf("Plan(steps=100000) = %d, want the cap 300", n)
	}
}

func TestDeadlineTruncates(t *testing.T) {
	s := mustParse(t, "")
	o := opts
	o.Deadline = time.Now().Add(-time.Second) // already past: no step runs
	res, err := Render(context.Background(), s, o, "t")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Truncated || res.Steps != 0 {
		t.Errorf("truncated %v steps %d, want true 0", res.Truncated, res.Steps)
	}
	checkImage(t, res.PNG)
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, mustParse(t, ""), opts, "t"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}
