package codegen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"nceplay/core/nce"
	"nceplay/core/spec"
)

// python is Debian's interpreter, which python3-torch installs into
// (`make test` installs both when missing).
const python = "/usr/bin/python3"

// needTorch skips the test when PyTorch is missing, unless the test runs
// under `make test` (NCE_REQUIRE_TORCH=1), which installs it first: there
// a missing torch is a failure, never a skip.
func needTorch(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("runs PyTorch scripts")
	}
	err := exec.Command(python, "-c", "import torch").Run()
	if err == nil {
		return
	}
	if os.Getenv("NCE_REQUIRE_TORCH") != "" {
		t.Fatalf("%s cannot import torch (%v): `make test` installs python3-torch", python, err)
	}
	t.Skipf("%s cannot import torch (%v); `make test` installs python3-torch", python, err)
}

// runScripts runs the scripts in one Python process (torch is imported
// once: 2–5 s each time otherwise), each as __main__ with its own globals,
// and returns each one's JSON line, or its error.
func runScripts(t *testing.T, scripts []string) (out []map[string]any, errs []string) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for i, s := range scripts {
		p := filepath.Join(dir, fmt.Sprintf("script%d.py", i))
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	const driver = `
import contextlib, io, json, runpy, sys, traceback
for path in sys.argv[1:]:
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            runpy.run_path(path, run_name="__main__")
        print(json.dumps({"ok": buf.getvalue()}), flush=True)
    except BaseException:
        print(json.dumps({"error": traceback.format_exc()}), flush=True)
`
	cmd := exec.Command(python, append([]string{"-c", driver}, paths...)...)
	// One thread per process: the scripts' tensors are small, and the
	// machine's cores are shared.
	cmd.Env = append(os.Environ(), "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("python: %v\n%s", err, stderr.String())
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != len(scripts) {
		t.Fatalf("python printed %d lines for %d scripts:\n%s\n%s", len(lines), len(scripts), b, stderr.String())
	}
	out, errs = make([]map[string]any, len(scripts)), make([]string, len(scripts))
	for i, l := range lines {
		var r struct{ OK, Error string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("driver line %q: %v", l, err)
		}
		if r.Error != "" {
			errs[i] = r.Error
			continue
		}
		if err := json.Unmarshal([]byte(strings.TrimSpace(r.OK)), &out[i]); err != nil {
			errs[i] = fmt.Sprintf("the script printed %q: %v", r.OK, err)
		}
	}
	return out, errs
}

// TestEveryScriptRuns runs the script of every registry value, shortened
// (200 points, 20 steps: this checks that each part runs and reports, not
// what it learns), and the NumPy script of those it writes, in one Python
// process.
func TestEveryScriptRuns(t *testing.T) {
	needTorch(t)
	t.Parallel()
	var qs, scripts []string
	for _, q := range specsOfEveryValue(t) {
		s, err := spec.Parse(q + "&n=200&steps=20")
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		script, err := PyTorch(s)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		qs, scripts = append(qs, s.ExperimentQuery()), append(scripts, script)
		if script, err := NumPy(s); err == nil {
			qs, scripts = append(qs, s.ExperimentQuery()), append(scripts, script)
		}
	}
	out, errs := runScripts(t, scripts)
	for i, q := range qs {
		if errs[i] != "" {
			t.Errorf("%s: %s", q, errs[i])
			continue
		}
		if out[i]["spec"] != q {
			t.Errorf("%s: printed spec %v", q, out[i]["spec"])
		}
		for _, f := range []string{"loss", "logz", "log_mass"} {
			if _, ok := out[i][f].(float64); !ok {
				t.Errorf("%s: %s = %v, want a number", q, f, out[i][f])
			}
		}
	}
}

// An agreement case: a spec, the seeds the engine runs it with, and the
// fields compared.
type agreement struct {
	query  string
	numpy  bool // the NumPy script instead of the PyTorch one
	seeds  int
	fields []string
}

// tQuantile holds Student's t quantiles t(1 − 0.001/2; df): the two-sided
// 99.9% prediction interval of one more draw.
var tQuantile = map[int]float64{4: 8.610, 5: 6.869, 7: 5.408, 9: 4.781, 11: 4.437}

// TestTorchMatchesEngine runs the PyTorch script of three experiments —
// the default quartic (k = 1), the classifier form with k = 4, an mlp on
// the ring — and checks that it lands where the engine does.
//
// The default quartic's NumPy script is checked the same way.
//
// The script draws other random numbers than the engine (another data
// set, noise, start and minibatches), so its numbers differ from the
// engine's run by the sampling noise of the experiment itself. If the
// script is faithful, its result is one more draw from the distribution
// of the engine's results over seeds. So the test runs the engine with S
// seeds, takes the mean m and standard deviation s of each metric, and
// asks the script's value to lie in the 99.9% prediction interval for one
// more draw, m ± t(S−1)·s·√(1 + 1/S) (Student's t, for s estimated from S
// draws): a faithful script fails a metric with probability 0.001. The
// intervals it prints show what it can detect: a script that left out
// log k at k = 4 would move c or γ by log 4 = 1.39, dozens of
// tolerances.
func TestTorchMatchesEngine(t *testing.T) {
	needTorch(t)
	t.Parallel()
	cases := []agreement{
		{"", false, 12, []string{"c", "logz", "kl"}},
		{"", true, 12, []string{"c", "logz", "kl"}},
		{"obj=cls&k=4", false, 12, []string{"gamma", "logz", "kl"}},
		// The mlp on the ring, smaller and shorter than the preset
		// (4000 steps, units 32, k = 8) to keep the test's time modest; at
		// a constant lr Adam's jitter would dominate, cosine ends at rest.
		{"target=ring&model=mlp&units=16&k=4&batch=128&lr=0.03&sched=cosine&steps=1500", false, 8, []string{"c", "logz", "kl"}},
	}
	// The engine's runs, two at a time, while Python runs the scripts.
	type run struct {
		vals map[string]float64
		err  error
	}
	runs := map[string][]run{} // by query: the NumPy case shares the default's
	var wg sync.WaitGroup
	sem := make(chan struct{}, 2)
	for _, c := range cases {
		if runs[c.query] != nil {
			continue
		}
		rs := make([]run, c.seeds)
		runs[c.query] = rs
		for seed := range c.seeds {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				rs[seed] = engineRun(c.query, uint64(seed+1))
			}()
		}
	}
	var scripts []string
	for _, c := range cases {
		s, err := spec.Parse(c.query)
		if err != nil {
			t.Fatal(err)
		}
		gen := PyTorch
		if c.numpy {
			gen = NumPy
		}
		script, err := gen(s)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, script)
	}
	out, errs := runScripts(t, scripts)
	wg.Wait()
	for ci, c := range cases {
		if errs[ci] != "" {
			t.Errorf("%q: the script failed: %s", c.query, errs[ci])
			continue
		}
		for _, f := range c.fields {
			var xs []float64
			for _, r := range runs[c.query] {
				if r.err != nil {
					t.Fatalf("%q: engine: %v", c.query, r.err)
				}
				xs = append(xs, r.vals[f])
			}
			m, s := meanSD(xs)
			S := float64(len(xs))
			tol := tQuantile[len(xs)-1] * s * math.Sqrt(1+1/S)
			got, ok := out[ci][f].(float64)
			kind := "PyTorch"
			if c.numpy {
				kind = "NumPy"
			}
			msg := fmt.Sprintf("%q %s: %s script %.5g, engine over %d seeds %.5g ± %.2g (sd), tolerance ±%.3g", c.query, f, kind, got, len(xs), m, s, tol)
			if !ok || !(math.Abs(got-m) <= tol) {
				t.Error(msg)
			} else {
				t.Log(msg)
			}
		}
	}
}

// TestConstants: the quadrature sizes the package spells are the engine's.
func TestConstants(t *testing.T) {
	if metricRes1D != nce.MetricRes1D || metricRes2D != nce.MetricRes2D {
		t.Errorf("metricRes %d, %d; the engine's %d, %d", metricRes1D, metricRes2D, nce.MetricRes1D, nce.MetricRes2D)
	}
}

// engineRun trains query with seed and returns the metrics the script
// prints.
func engineRun(query string, seed uint64) (r struct {
	vals map[string]float64
	err  error
}) {
	s, err := spec.Parse(query)
	if err != nil {
		r.err = err
		return r
	}
	s.Seed = seed
	tr, err := nce.New(s)
	if err != nil {
		r.err = err
		return r
	}
	for !tr.Done() {
		if err := tr.Step(s.Steps); err != nil {
			r.err = err
			return r
		}
	}
	m := tr.Metrics()
	r.vals = map[string]float64{"c": m.C, "gamma": m.Gamma, "logz": m.LogZ, "kl": m.KL, "mass": m.Mass}
	return r
}

func meanSD(xs []float64) (m, s float64) {
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return m, math.Sqrt(s / float64(len(xs)-1))
}
