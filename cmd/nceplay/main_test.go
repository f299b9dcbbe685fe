package main

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"math/rand/v2"

	"nceplay/core/dataset"
	"nceplay/core/density"
	"nceplay/core/lab"
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
	if !strings.HasPrefix(out, `{"spec":"k=5&steps=300",`) {
		t.Errorf("the spec is not written as a link: %.60s", out)
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

// TestInfoNCE runs the InfoNCE lab: its JSON names the estimate, the true
// information and the ceiling log(k+1) (docs/spec.md#lab-infonce).
func TestInfoNCE(t *testing.T) {
	code, out, errOut := runCLI("run", "--json", "lab=infonce&rho=0.99&k=3&units=8&steps=300")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"spec", "steps", "loss", "mi_est", "mi_est_se", "mi_true", "mi_bound", "mi_opt", "ms"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, out)
		}
	}
	est, bound, truth := rep["mi_est"].(float64), rep["mi_bound"].(float64), rep["mi_true"].(float64)
	if rep["spec"] != "lab=infonce&rho=0.99&k=3&units=8&steps=300" || math.Abs(bound-math.Log(4)) > 1e-15 || est > bound || !(truth > 1.95 && truth < 1.96) {
		t.Errorf("spec %v, mi_est %v, mi_bound %v, mi_true %v", rep["spec"], est, bound, truth)
	}
	if code, _, errOut := runCLI("run", "lab=infonce&k=600"); code != 2 || !strings.Contains(errOut, `"k"`) {
		t.Errorf("k=600: exit %d, %s", code, errOut)
	}
}

// TestSweep runs the sweep lab: one row per cell with the fields of
// docs/spec.md#lab-sweep, the same through "run" with lab=sweep and with
// one worker or several (the rows do not depend on the workers).
func TestSweep(t *testing.T) {
	q := "target=gauss&deg=2&ks=1,10&ns=100,300&reps=8"
	code, out, errOut := runCLI("sweep", "--json", q)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Spec string           `json:"spec"`
		Reps int              `json:"reps"`
		Rows []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if rep.Spec != "lab=sweep&target=gauss&deg=2&ks=1,10&ns=100,300&reps=8" || rep.Reps != 8 || len(rep.Rows) != 4 {
		t.Fatalf("spec %q, reps %d, %d rows", rep.Spec, rep.Reps, len(rep.Rows))
	}
	if !strings.Contains(out, `"lab=sweep&target=gauss&`) {
		t.Errorf("the spec is not written as a link: %.80s", out)
	}
	for _, key := range []string{"k", "n", "nscale", "noise", "mse", "mse_se", "mse_theory", "mse_mle", "mse_mle_se", "mse_mle_theory", "ratio", "ratio_se", "evals", "reps", "fails"} {
		if _, ok := rep.Rows[0][key]; !ok {
			t.Errorf("row lacks %q: %v", key, rep.Rows[0])
		}
	}
	_, viaRun, _ := runCLI("run", "--json", "lab=sweep&"+q)
	_, oneWorker, _ := runCLI("sweep", "--json", "--workers=1", q)
	if a, b, c := dropMS(t, out), dropMS(t, viaRun), dropMS(t, oneWorker); a != b || a != c {
		t.Errorf("sweep, run lab=sweep and one worker differ:\n%s\n%s\n%s", a, b, c)
	}
	for _, bad := range [][]string{{"sweep", "deg=2"}, {"sweep", "--workers=0", ""}, {"sweep", "--part=2/2", ""}, {"sweep", "lab=infonce"}} {
		if code, _, _ := runCLI(bad...); code != 2 {
			t.Errorf("%q: exit %d, want 2", bad, code)
		}
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
		"lab=w2v&tokens=20000&k=10&alpha=1",
		"lab=w2v&corpus=syntax&obj=nce&tokens=5000&window=3&dim=8&epochs=2",
		"lab=w2v&corpus=austen&sample=0.001&vocab=300&epochs=5",
		"--text=" + textFile(t) + " lab=w2v&vocab=50&epochs=2",
		"target=ring&noise=mix&ncomp=6&model=mlp&units=8&k=4&steps=50",
		"lab=infonce&critic=mlp&k=15&units=8&steps=100",
		"lab=infonce&critic=cosine&rho=0.5&k=7&units=8&steps=100",
		"lab=sweep&target=gauss&deg=2&ks=1,10&ns=64,256&noises=gauss,mix&ncomp=3&reps=6",
		"lab=vocab&vocab=2000&contexts=50&pairs=20000&dim=16",
		"lab=vocab&vocab=1000&contexts=30&pairs=10000&dim=8&obj=neg&k=5&norm=learn",
		"lab=vocab&vocab=1000&contexts=30&pairs=10000&dim=8&obj=rank&passes=2&sched=const",
		dataLink(t, 400) + "&model=mlp&units=8&k=4&steps=100",
		"--data=" + dataFile(t, 300) + " target=data2d&k=2&steps=200",
	} {
		args := append([]string{"run", "--json"}, strings.Fields(q)...)
		_, native, _ := runCLI(args...)
		out, err := exec.Command(node, append([]string{filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js"), wasm}, args...)...).Output()
		if err != nil {
			t.Fatalf("%q under node: %v", q, err)
		}
		if a, b := dropMS(t, native), dropMS(t, string(out)); a != b {
			t.Errorf("%q:\nnative %s\nwasm   %s", q, a, b)
		}
	}
	// A GIF is the same bytes too (the drawing is package raster's fixed
	// point and fmath's exp and log): a 1D and a 2D run, every panel.
	for _, args := range [][]string{
		{"gif", "--frames=4", "--width=480", "--panels=density,classifier,curves", "steps=60"},
		{"gif", "--frames=3", "--width=320", "--panels=density,classifier", "target=gauss2d&deg=2&opt=newton"},
	} {
		_, native, _ := runCLI(args...)
		out, err := exec.Command(node, append([]string{filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js"), wasm}, args...)...).Output()
		if err != nil {
			t.Fatalf("%q under node: %v", args, err)
		}
		if native == "" || native != string(out) {
			t.Errorf("%q: native GIF (%d bytes) and wasm GIF (%d bytes) differ", args, len(native), len(out))
		}
	}
}

// dropMS drops the wall-clock fields: the playground's ms and every
// lab's timings.
func dropMS(t *testing.T, s string) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("not JSON: %v: %s", err, s)
	}
	delete(m, "ms")
	for _, l := range lab.All {
		for _, f := range l.Timings {
			delete(m, f)
		}
	}
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

// textFile writes a small text for --text and returns its path.
func textFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "text.txt")
	text := strings.Repeat("The cat sat on the mat. The dog sat on the log. A cat and a dog met on a mat; the dog ran. ", 60)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestLabJSON: lab=w2v prints the lab's fields (docs/spec.md#lab-w2v).
func TestLabJSON(t *testing.T) {
	code, out, errOut := runCLI("run", "--json", "lab=w2v&tokens=20000&alpha=1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"spec", "pmi_r", "pmi_rmse", "pmi_offset", "selfnorm_mean", "selfnorm_sd", "tokens_per_s", "pairs_per_s", "ms", "check_pairs", "theory"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, out)
		}
	}
	if rep["spec"] != "lab=w2v&tokens=20000&alpha=1" || rep["theory"] != "exact" || !strings.Contains(out, `"spec":"lab=w2v&tokens`) {
		t.Errorf("spec %v, theory %v", rep["spec"], rep["theory"])
	}
	if r, _ := rep["pmi_r"].(float64); r < 0.9 {
		t.Errorf("pmi_r = %v", rep["pmi_r"])
	}
	code, out, _ = runCLI("run", "lab=w2v&tokens=2000&epochs=1")
	if code != 0 || !strings.Contains(out, "pmi_offset") || !strings.Contains(out, "spec            lab=w2v&tokens=2000&epochs=1") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

// TestLabText: --text trains on a file (corpus=text implied), --vectors
// writes word2vec's text format.
func TestLabText(t *testing.T) {
	vec := filepath.Join(t.TempDir(), "vectors.txt")
	code, out, errOut := runCLI("run", "--json", "--text", textFile(t), "--vectors", vec, "lab=w2v&dim=5&vocab=20")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	json.Unmarshal([]byte(out), &rep)
	if rep["spec"] != "lab=w2v&corpus=text&vocab=20&dim=5" || rep["theory"] != "empirical" || rep["note"] == nil {
		t.Errorf("spec %v, theory %v, note %v", rep["spec"], rep["theory"], rep["note"])
	}
	b, err := os.ReadFile(vec)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(lines) != 12 || lines[0] != "11 5" || !strings.HasPrefix(lines[1], "the ") || len(strings.Fields(lines[1])) != 6 {
		t.Errorf("vectors file:\n%s", b)
	}
}

// TestLabVocab: lab=vocab prints the lab's fields (docs/spec.md#lab-vocab):
// the run's perplexity beside its softmax reference's on the same data
// and passes, the true model's, log Z over the contexts, and the timings.
func TestLabVocab(t *testing.T) {
	const q = "lab=vocab&vocab=2000&contexts=50&pairs=20000&dim=16"
	code, out, errOut := runCLI("run", "--json", q)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	for _, key := range []string{"spec", "steps", "loss", "ppl", "ppl_softmax", "ppl_true", "ppl_unigram", "kl", "kl_softmax",
		"logz_mean", "logz_sd", "logz_min", "logz_max", "logz_softmax_mean", "logz_softmax_sd", "a_mean", "a_sd", "logz_e12", "logz_e12_rms",
		"ms_per_step", "ms_per_step_softmax", "speedup", "ms"} {
		if _, ok := rep[key]; !ok {
			t.Errorf("JSON lacks %q: %s", key, out)
		}
	}
	num := func(k string) float64 { f, _ := rep[k].(float64); return f }
	if rep["spec"] != q || num("steps") != 20000 || !(num("ppl_true") < num("ppl")) || !(num("ppl") < 1.1*num("ppl_softmax")) ||
		!(num("ms_per_step") < num("ms_per_step_softmax")) || rep["a_mean"] != nil || rep["logz_e12"] != nil {
		t.Errorf("report %s", out)
	}
	code, out, _ = runCLI("run", "lab=vocab&vocab=300&contexts=10&pairs=2000&dim=4&obj=mle")
	if code != 0 || !strings.Contains(out, "ppl_softmax") || !strings.Contains(out, "spec            lab=vocab&vocab=300") {
		t.Errorf("text output (exit %d):\n%s", code, out)
	}
}

func TestLabExitCodes(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"run", "lab=nope"}, 2, `key "lab"`},
		{[]string{"run", "lab=w2v&k=0"}, 2, `key "k"`},
		{[]string{"run", "lab=w2v&target=ring"}, 2, `key "target" is not a known key`},
		{[]string{"run", "lab=w2v&corpus=text"}, 2, "link cannot hold"},
		{[]string{"run", "--text", textFile(t), "lab=w2v&corpus=alice"}, 2, "corpus=alice"},
		{[]string{"run", "--text", filepath.Join(dir, "missing.txt"), "lab=w2v"}, 2, "missing.txt"},
		{[]string{"run", "--text", textFile(t), "k=5"}, 2, "lab=w2v"},
		{[]string{"run", "--vectors", filepath.Join(dir, "no", "such", "dir"), "lab=w2v"}, 2, "no such"},
		{[]string{"run", "--text"}, 2, "needs a file"},
		{[]string{"run", "--text", bigFile(t), "lab=w2v"}, 2, "more than 8388608"},
		{[]string{"run", "lab=w2v&lr=1&tokens=20000"}, 1, "diverged"},
		{[]string{"run", "lab=vocab&vocab=100001"}, 2, `key "vocab": value "100001" is out of range; allowed: 100 … 100000`},
		{[]string{"run", "lab=vocab&obj=cls"}, 2, `key "obj"`},
		{[]string{"run", "lab=vocab&vocab=100000&dim=64"}, 2, `key "dim": value "64" gives a word table`},
		{[]string{"run", "--text", textFile(t), "lab=vocab"}, 2, "trains on no text"},
		{[]string{"run", "--vectors", filepath.Join(dir, "v.txt"), "lab=vocab&vocab=100&pairs=1000&contexts=10&dim=2"}, 2, "no word vectors"},
		{[]string{"run", "lab=vocab&vocab=500&contexts=20&pairs=5000&dim=256&obj=neg&k=1000&lr=1&sched=const"}, 1, "diverged"},
	} {
		code, _, errOut := runCLI(tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%q: exit %d, stderr %q; want exit %d mentioning %s", tc.args, code, errOut, tc.code, tc.msg)
		}
	}
}

// bigFile writes a text one byte over the w2v lab's limit.
func bigFile(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "big.txt")
	if err := os.WriteFile(p, bytes.Repeat([]byte("ab "), lab.W2V.MaxText/3+1), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCode: the code command prints the script of a spec (the same text
// as the codegen package) and exits 2 on what it cannot write.
func TestCode(t *testing.T) {
	for _, args := range [][]string{{"code", "target=ring&model=mlp&k=8"}, {"code", "--numpy", "obj=cls&k=4"}, {"code"}} {
		code, out, errOut := runCLI(args...)
		if code != 0 || !strings.HasPrefix(out, "# NCE Playground's experiment") || errOut != "" {
			t.Errorf("%q: exit %d, stderr %q, output starts %.60q", args, code, errOut, out)
		}
		if _, again, _ := runCLI(args...); again != out {
			t.Errorf("%q: two runs printed different scripts", args)
		}
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"code", "k=abc"}, `"k"`},
		{[]string{"code", "--numpy", "model=mlp"}, "poly model only"},
		{[]string{"code", "--numpy", "opt=newton"}, "first-order"},
		{[]string{"code", "lab=w2v"}, "lab=w2v"},
		{[]string{"code", "--bogus", "k=2"}, "unknown flag"},
		{[]string{"code", "k=2", "n=100"}, "one argument"},
	} {
		code, out, errOut := runCLI(tc.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.msg) {
			t.Errorf("%q: exit %d, stdout %d bytes, stderr %q; want exit 2 mentioning %s", tc.args, code, len(out), errOut, tc.msg)
		}
	}
}

// ringPoints returns n points of the ring target (inside the 2D data box).
func ringPoints(n int) []float64 {
	r := rand.New(rand.NewPCG(5, 5))
	pts := make([]float64, 0, 2*n)
	x := make([]float64, 2)
	for len(pts) < 2*n {
		density.Ring{}.Sample(r, x)
		pts = append(pts, x...)
	}
	return pts
}

// dataLink returns a query with n ring points in its data key.
func dataLink(t *testing.T, n int) string {
	v, err := dataset.Encode(ringPoints(n), 2)
	if err != nil {
		t.Fatal(err)
	}
	return "target=data2d&data=" + v
}

// dataFile writes n ring points as a CSV file and returns its path.
func dataFile(t *testing.T, n int) string {
	p := filepath.Join(t.TempDir(), "ring.csv")
	if err := os.WriteFile(p, dataset.FormatCSV(ringPoints(n), 2), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestRunData: the data targets in the runner (docs/spec.md#data): a link
// with its points, a data file and the link naming it, and the errors —
// a link whose file is missing says which file, a bad row is named, a
// file for a target with a density is refused; all exit 2.
func TestRunData(t *testing.T) {
	code, out, errOut := runCLI("run", "--json", dataLink(t, 200)+"&k=4&steps=100")
	if code != 0 || !strings.Contains(out, `"kl":null`) || !strings.Contains(out, `"heldout_ll":`) || !strings.Contains(out, `"heldout_n":40`) || !strings.Contains(out, `"truth_note":`) {
		t.Errorf("data link: exit %d\n%s\n%s", code, out, errOut)
	}
	f := dataFile(t, 300)
	id := dataset.ID(ringPoints(300), 2)
	code, out, errOut = runCLI("encode", f)
	if code != 0 || !strings.HasPrefix(out, "target=data2d&data=") {
		t.Errorf("encode: exit %d %q %s", code, out, errOut)
	}
	code, out, errOut = runCLI("run", "--data", f, "k=2&steps=50")
	if code != 0 || !strings.Contains(out, "datafile="+id) || !strings.Contains(out, "heldout_ll") {
		t.Errorf("run --data: exit %d\n%s\n%s", code, out, errOut)
	}
	code, _, errOut = runCLI("run", "target=data2d&datafile="+id)
	if code != 2 || !strings.Contains(errOut, "needs data file "+id+" (300 points)") {
		t.Errorf("without the file: exit %d %s", code, errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("x,y\n"+strings.Repeat("0.5,1\n", 14)+"1,abc\n"), 0o644)
	code, _, errOut = runCLI("run", "--data", bad, "target=data2d")
	if code != 2 || !strings.Contains(errOut, "line 16: 'abc' is not a number") {
		t.Errorf("bad row: exit %d %s", code, errOut)
	}
	code, _, errOut = runCLI("run", "--data", f, "target=ring")
	if code != 2 || !strings.Contains(errOut, "needs a data target") {
		t.Errorf("ring with a file: exit %d %s", code, errOut)
	}
}
