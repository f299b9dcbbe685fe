package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func runCLI(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return code, o.String(), e.String()
}

func TestRunJSON(t *testing.T) {
	code, out, errOut := runCLI("run", "--json", "steps=300&k=5")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"spec", "steps", "converged", "loss", "grad_norm", "heldout_loss", "bayes_loss", "excess_se", "c", "gamma",
		"logz", "logz_true", "mass", "log_mass", "kl", "accuracy", "bayes_accuracy", "noise_fit", "theta", "theta_true", "warnings", "ms"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, out)
		}
	}
	if rep["spec"] != "k=5&steps=300" || rep["steps"] != 300.0 {
		t.Errorf("spec %v, steps %v; want the canonical query and 300", rep["spec"], rep["steps"])
	}
	if th, _ := rep["theta"].([]any); len(th) != 4 {
		t.Errorf("theta = %v, want the 4 poly coefficients", rep["theta"])
	}
	if ws, ok := rep["warnings"].([]any); !ok || len(ws) != 0 {
		t.Errorf("warnings = %v, want []", rep["warnings"])
	}
	if rep["converged"] != nil {
		t.Errorf("converged = %v for adam, want null (no convergence test)", rep["converged"])
	}
}

// TestRunWarns: the silent failures are silent no more. The JSON
// lists each warning with its code, message, fix and docs anchor; the
// text output ends with them. Newton reports the steps it actually took.
func TestRunWarns(t *testing.T) {
	code, out, _ := runCLI("run", "--json", "nshift=10&opt=newton&lr=1")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep struct {
		Spec      string
		Steps     int
		Converged *bool
		Theta     []float64
		Warnings  []struct{ Code, Message, Fix, Cite, Panel string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Spec != "nshift=10&opt=newton" || rep.Steps > 30 || rep.Converged == nil || *rep.Converged {
		t.Errorf("spec %q, %d steps, converged %v: want lr dropped, a few steps, not converged", rep.Spec, rep.Steps, rep.Converged)
	}
	if len(rep.Warnings) == 0 || rep.Warnings[0].Code != "separable" || rep.Warnings[0].Fix != "nshift=0" ||
		rep.Warnings[0].Cite != "docs/math.md#separable" || rep.Warnings[0].Panel != "classifier" || rep.Warnings[0].Message == "" {
		t.Errorf("warnings %+v, want separable first", rep.Warnings)
	}
	for _, th := range rep.Theta {
		if !(th > -1000 && th < 1000) {
			t.Errorf("θ = %v exploded", rep.Theta)
		}
	}
	code, text, _ := runCLI("run", "target=laplace&steps=500")
	if code != 0 || !strings.Contains(text, "\nwarning light_tails: ") || !strings.Contains(text, "  try: noise=laplace\n") ||
		!strings.Contains(text, "heldout_loss") {
		t.Errorf("exit %d, text output:\n%s", code, text)
	}
	code, out, _ = runCLI("run", "--json", "target=gauss&deg=2&opt=newton")
	json.Unmarshal([]byte(out), &rep)
	if code != 0 || rep.Converged == nil || !*rep.Converged || rep.Steps > 30 || len(rep.Warnings) != 0 {
		t.Errorf("gauss newton: exit %d, %d steps, converged %v, warnings %+v", code, rep.Steps, rep.Converged, rep.Warnings)
	}
}

func TestRunNullsWhatIsUndefined(t *testing.T) {
	code, out, _ := runCLI("run", "--json", "obj=rank&model=mlp&units=4&steps=10")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var rep map[string]any
	json.Unmarshal([]byte(out), &rep)
	if rep["c"] != nil || rep["theta"] != nil || rep["theta_true"] != nil {
		t.Errorf("rank+mlp: c %v, theta %v, theta_true %v; want null", rep["c"], rep["theta"], rep["theta_true"])
	}
	if rep["c_note"] == nil {
		t.Error("rank: no c_note saying why c is null")
	}
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "k=abc"}, 2, `"k"`},
		{[]string{"run", "bogus=1"}, 2, `"bogus"`},
		{[]string{"run", "k=5", "n=100"}, 2, "one argument"},
		{[]string{}, 2, "usage"},
		{[]string{"train"}, 2, "usage"},
		{[]string{"run", "--json", "deg=8&opt=sgd&lr=10&nscale=20"}, 1, "diverged"},
	} {
		code, _, errOut := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %s", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
}

// TestWasmMatchesNative builds the runner for GOOS=js GOARCH=wasm, runs it
// under Node.js with Go's wasm_exec_node.js, and requires the same JSON as
// the native run — bit for bit, but for the wall time (docs/spec.md#determinism: the same
// numbers natively and in WebAssembly).
func TestWasmMatchesNative(t *testing.T) {
	if runtime.GOOS == "js" {
		t.Skip("this is the wasm side")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is needed to run the wasm runner (it ships with this machine's image)")
	}
	goroot := strings.TrimSpace(run1(t, "go", "env", "GOROOT"))
	wasm := filepath.Join(t.TempDir(), "nceplay.wasm")
	cmd := exec.Command("go", "build", "-o", wasm, ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wasm build: %v\n%s", err, out)
	}
	for _, q := range []string{
		"steps=500",
		"obj=rank&noise=laplace&steps=300",
		"target=moons&model=mlp&units=8&layers=2&k=4&batch=64&steps=150",
		"target=ring&model=rbf&units=8&obj=cls&steps=100",
		"opt=newton&lr=1&steps=5&n=2000",
		"model=rbf&opt=newton&n=2000",
		"nshift=10&opt=newton",
		"sched=cosine&steps=300&k=4",
		"target=laplace&steps=300",
		"target=moons&model=mlp&units=8&nscale=0.5&obj=cls&steps=100",
	} {
		_, native, _ := runCLI("run", "--json", q)
		out, err := exec.Command(node, filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js"), wasm, "run", "--json", q).Output()
		if err != nil {
			t.Fatalf("%q under node: %v", q, err)
		}
		if a, b := dropMS(t, native), dropMS(t, string(out)); a != b {
			t.Errorf("%q:\nnative %s\nwasm   %s", q, a, b)
		}
	}
}

func dropMS(t *testing.T, s string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	delete(m, "ms")
	b, _ := json.Marshal(m)
	return string(b)
}

func run1(t *testing.T, name string, args ...string) string {
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}
