package preview

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"nceplay/core/density"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

// budget is the hosts' budget (routes.DefaultPreview's).
var budget = Budget{Work: 1e9, MaxSteps: 100000}

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
	res, err := Render(context.Background(), s, budget, "NCE Playground: quartic")
	if err != nil {
		t.Fatal(err)
	}
	// The default experiment fits the budget: the picture is its result.
	if res.Plan.Mode != Full || res.Steps != s.Steps || res.Diverged != "" {
		t.Errorf("mode %d steps %d, want Full %d", res.Plan.Mode, res.Steps, s.Steps)
	}
	img := checkImage(t, res.PNG)
	save(t, "quartic.png", res.PNG)
	if n := countColour(img, [3]int{int(colModel.R), int(colModel.G), int(colModel.B)}, 30); n < 300 {
		t.Errorf("the model curve covers %d sampled pixels, want ≥ 300", n)
	}
}

func TestRender2D(t *testing.T) {
	for _, q := range []string{"target=ring&model=mlp&units=16", "target=gauss2d&opt=newton&steps=5"} {
		s := mustParse(t, q)
		res, err := Render(context.Background(), s, budget, "NCE Playground: "+s.Target)
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

// TestPlanModes checks what a preview shows: the experiment's result when
// its steps fit the budget, Newton's optimum for a convex case that does
// not fit, and the early steps otherwise — each depending on the spec
// alone.
func TestPlanModes(t *testing.T) {
	for _, c := range []struct {
		q    string
		mode Mode
	}{
		{"", Full},
		{"k=3", Full},
		{"obj=rank", Full},
		{"target=gauss2d&steps=100000", Optimum},
		{"deg=8&steps=1000000", Optimum},
		{"obj=mle&steps=50000", Optimum},
		{"norm=fixed&k=10&batch=4096", Optimum},
		{"target=ring&model=mlp", Early},           // not linear in θ
		{"obj=rank&steps=10000000", Early},         // not convex
		{"model=rbf&units=64&steps=100000", Early}, // Newton would not fit
	} {
		s := mustParse(t, c.q)
		p := MakePlan(s, budget)
		if p.Mode != c.mode {
			t.Errorf("%q: mode %d, want %d (plan %+v)", c.q, p.Mode, c.mode, p)
			continue
		}
		if p.Cost > budget.Work && p.Steps > 1 {
			t.Errorf("%q: estimated cost %.3g over the budget %.3g", c.q, p.Cost, budget.Work)
		}
		switch p.Mode {
		case Full:
			if p.Steps != s.Steps || p.Spec.Canonical() != s.Canonical() {
				t.Errorf("%q: Full plan %d steps of %q", c.q, p.Steps, p.Spec.Canonical())
			}
		case Optimum:
			if !p.Spec.Optimizer().SecondOrder || p.Fallback == nil || p.Fallback.Mode != Early {
				t.Errorf("%q: Optimum plan %+v", c.q, p)
			}
		case Early:
			if p.Steps < 1 || p.Steps >= s.Steps {
				t.Errorf("%q: Early plan of %d steps", c.q, p.Steps)
			}
		}
		if again := MakePlan(s, budget); again.Mode != p.Mode || again.Steps != p.Steps || again.Spec.Canonical() != p.Spec.Canonical() {
			t.Errorf("%q: a second plan differs", c.q)
		}
	}
	// A heavy spec still trains one step.
	heavy := mustParse(t, "target=ring&model=mlp&units=88&layers=4&batch=1024&k=10")
	if p := MakePlan(heavy, budget); p.Mode != Early || p.Steps < 1 || p.Steps > 20 {
		t.Errorf("heavy: %+v, want 1 … 20 early steps", p)
	}
	if p := MakePlan(mustParse(t, "steps=0"), budget); p.Mode != Full || p.Steps != 0 {
		t.Errorf("steps=0: %+v", p)
	}
	if p := MakePlan(mustParse(t, "steps=100000"), Budget{Work: 1e12, MaxSteps: 300}); p.Mode != Optimum {
		t.Errorf("MaxSteps 300: %+v, want Optimum", p)
	}
}

// TestOptimumLabelled renders a Newton optimum and checks the plan it
// reports: converged in fewer steps than budgeted.
func TestOptimumLabelled(t *testing.T) {
	s := mustParse(t, "steps=100000")
	res, err := Render(context.Background(), s, budget, "t")
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Mode != Optimum || res.Steps < 3 || res.Steps >= res.Plan.Steps {
		t.Errorf("mode %d, %d of %d Newton steps", res.Plan.Mode, res.Steps, res.Plan.Steps)
	}
	if !res.Converged {
		t.Errorf("Newton did not converge")
	}
	if got, _ := statusLine(Info{Mode: res.Plan.Mode, Steps: res.Steps, SpecSteps: s.Steps, Converged: res.Converged}); got != "optimum (Newton, "+strconv.Itoa(res.Steps)+" steps)" {
		t.Errorf("status %q", got)
	}
	checkImage(t, res.PNG)
	save(t, "optimum.png", res.PNG)
}

// TestNewtonFallback: a convex case on which Newton does not converge —
// 16 data points that a noise set shifted far away separates, so no
// optimum exists — is drawn from its early steps instead.
func TestNewtonFallback(t *testing.T) {
	s := mustParse(t, "n=16&nshift=8&steps=1000000")
	b := Budget{Work: 1e12, MaxSteps: 200}
	if p := MakePlan(s, b); p.Mode != Optimum {
		t.Fatalf("plan %+v, want Optimum first", p)
	}
	res, err := Render(context.Background(), s, b, "t")
	if err != nil {
		t.Fatal(err)
	}
	if res.Plan.Mode != Early || res.Steps != 200 || res.Plan.Spec.Canonical() != s.Canonical() || res.Converged {
		t.Errorf("mode %v, %d steps of %q; want the early 200 steps of the spec", res.Plan.Mode, res.Steps, res.Plan.Spec.Canonical())
	}
}

// TestNewtonSpecLabels: a spec that is itself a Newton run shows how it
// ended: converged (the optimum), or stopped without converging.
func TestNewtonSpecLabels(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"opt=newton", "optimum (Newton, "},
		{"opt=newton&n=16&nshift=8", "Newton stopped at step "},
	} {
		s := mustParse(t, c.q)
		res, err := Render(context.Background(), s, budget, "t")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := statusLine(Info{Mode: res.Plan.Mode, Steps: res.Steps, SpecSteps: s.Steps, Diverged: res.Diverged,
			Converged: res.Converged, Stopped: res.Stopped})
		if !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: mode %v, status %q, want %q…", c.q, res.Plan.Mode, got, c.want)
		}
	}
}

// TestRenderDeterministic: the same spec draws the same bytes.
func TestRenderDeterministic(t *testing.T) {
	s := mustParse(t, "target=ring&model=mlp&units=8&steps=100000")
	a, err := Render(context.Background(), s, budget, "t")
	if err != nil {
		t.Fatal(err)
	}
	b, err := Render(context.Background(), s, budget, "t")
	if err != nil {
		t.Fatal(err)
	}
	if a.Plan.Mode != Early || !bytes.Equal(a.PNG, b.PNG) {
		t.Errorf("mode %d; two renders equal: %v", a.Plan.Mode, bytes.Equal(a.PNG, b.PNG))
	}
}

// TestFooterLabels: every number says whose it is; the default target,
// the quartic, shows its true log Z (density.QuarticLogZ, to 4 decimals).
func TestFooterLabels(t *testing.T) {
	trueLogZ := "true log Z " + strconv.FormatFloat(density.QuarticLogZ(), 'f', 4, 64)
	for _, c := range []struct {
		q    string
		want []string
		not  []string
	}{
		{"", []string{"KL(p\u0303 || p\u0302) ", "mass of p\u0302 ", "learned c 0.", trueLogZ, "model's log Z 0."}, nil},
		{"norm=fixed", []string{"c fixed at 0 (Z = 1)", "model's log Z"}, []string{"learned c"}},
		{"obj=rank", []string{"rank learns no c", "true log Z", "model's log Z"}, []string{"learned c"}},
		{"model=mlp&units=4&layers=1&steps=10", []string{"learned c", "model's log Z"}, []string{"true log Z"}},
	} {
		s := mustParse(t, c.q)
		s.Steps = min(s.Steps, 50)
		tr, err := nce.New(s)
		if err != nil {
			t.Fatal(err)
		}
		tr.Step(s.Steps)
		fit, norm := footerLines(tr.Metrics(), s.Objective(), s.Norm == spec.NormFixed)
		line := fit + " | " + norm
		for _, w := range c.want {
			if !strings.Contains(line, w) {
				t.Errorf("%q: %q lacks %q", c.q, line, w)
			}
		}
		for _, w := range c.not {
			if strings.Contains(line, w) {
				t.Errorf("%q: %q holds %q", c.q, line, w)
			}
		}
	}
}

func TestCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Render(ctx, mustParse(t, ""), budget, "t"); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// Cancelled while training: abandoned between steps, no picture.
	ctx, cancel = context.WithCancel(context.Background())
	n := 0
	_, _, err := trainPlan(MakePlan(mustParse(t, "steps=100000&obj=rank"), budget), func() error {
		if n++; n == 10 {
			cancel()
		}
		return ctx.Err()
	})
	if !errors.Is(err, context.Canceled) || n != 10 {
		t.Errorf("err = %v after %d polls, want context.Canceled after 10", err, n)
	}
}
