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
	for _, key := range []string{"spec", "steps", "loss", "c", "logz", "mass", "kl", "accuracy", "bayes_accuracy", "theta", "theta_true", "ms"} {
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
