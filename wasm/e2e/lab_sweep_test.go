package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/lab"
)

// The sweep lab's and the InfoNCE lab's pages (docs/spec.md#lab-sweep,
// docs/spec.md#lab-infonce): each runs with progress, can be cancelled and
// restarted, round-trips its link and draws its panels; the sweep's rows,
// merged from the page's two workers, are `nceplay sweep --json`'s, and
// InfoNCE's report is `nceplay run --json`'s, bit for bit.

// progressDone is the progress bar's numerator (the lab's units).
func (tb *tab) progressDone() float64 {
	tb.t.Helper()
	return eval[float64](tb, `parseFloat(document.querySelector('[data-progress="fill"]').style.width) || 0`)
}

// runner runs cmd/nceplay natively and returns its stdout.
func runner(t *testing.T, args ...string) []byte {
	t.Helper()
	cmd := exec.Command("go", append([]string{"run", "../../cmd/nceplay"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nceplay %v: %v\n%s", args, err, stderr.String())
	}
	return out
}

// pageReport clicks Metrics JSON and returns the worker's report.
func (tb *tab) pageReport() []byte {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.text`, 60*time.Second)
	return []byte(eval[string](tb, `window.nceLastDownload.text`))
}

// sweepSmall is a sweep of a few seconds: two noise scales, two sizes,
// three ks.
const sweepSmall = "lab=sweep&ks=1,3,10&ns=200,400&nscales=1,2&reps=40&seed=3"

// TestLabSweepMatchesRunner: the page runs the sweep on two workers (the
// second started on demand), shows its progress as repetitions arrive,
// and its final rows — merged from both workers — are the runner's, bit
// for bit (the JSON of every row, numbers in their shortest form).
func TestLabSweepMatchesRunner(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	var want struct {
		Rows json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(runner(t, "sweep", "--json", sweepSmall), &want); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, 1400, 900)
	tb.open("/?" + sweepSmall + "&speed=10")
	if p := tb.path(); p != "/?"+sweepSmall+"&speed=10" {
		t.Errorf("address %s", p)
	}
	if n := eval[int](tb, `window.nceWorkers.length`); n != 2 {
		t.Errorf("%d lab workers", n)
	}
	tb.click("play")
	tb.waitFor(`parseFloat(document.querySelector('[data-progress="fill"]').style.width) > 0`, 60*time.Second)
	tb.waitDone(4 * time.Minute)
	if p := tb.progressDone(); p != 100 {
		t.Errorf("progress %v%% when done", p)
	}
	var got struct {
		Reps int             `json:"reps"`
		Rows json.RawMessage `json:"rows"`
	}
	if err := json.Unmarshal(tb.pageReport(), &got); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	json.Compact(&a, got.Rows)
	json.Compact(&b, want.Rows)
	if a.String() != b.String() || got.Reps != 40 {
		t.Errorf("the page's rows (%d repetitions)\n%s\nthe runner's\n%s", got.Reps, a.String(), b.String())
	}
	for _, id := range []string{"sweep-k", "sweep-cost", "sweep-n"} {
		if n := eval[int](tb, `document.querySelectorAll('[data-panel="`+id+`"] circle.nce-dot').length`); n < 4 {
			t.Errorf("panel %s has %d markers", id, n)
		}
	}
	if r := tb.readout("reps"); r != 40 {
		t.Errorf("readout reps %v", r)
	}
	tb.noErrors()
}

// TestLabInfoNCEMatchesRunner: InfoNCE's report in the page is the
// runner's, bit for bit; the chart over steps and the one across k draw
// (the smaller ks trained after the run, in sequence).
func TestLabInfoNCEMatchesRunner(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	const q = "lab=infonce&rho=0.99&k=3&steps=1500&critic=bilinear"
	want := decodeReport(t, runner(t, "run", "--json", q))
	tb := newTab(t, 1400, 900)
	tb.open("/?" + q + "&speed=10")
	tb.click("play")
	tb.waitDone(4 * time.Minute)
	got := decodeReport(t, tb.pageReport())
	for k, w := range want {
		if contains(lab.InfoNCE.Timings, k) {
			continue
		}
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("report %s = %v, the runner's %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the page's report has %d fields, the runner's %d", len(got), len(want))
	}
	for _, k := range []string{"mi_est", "mi_true", "mi_bound"} {
		w, _ := want[k].(json.Number).Float64()
		if r := tb.readout(k); math.Float64bits(r) != math.Float64bits(w) {
			t.Errorf("readout %s = %v, the runner's %v", k, r, w)
		}
	}
	// Trained at k = 3 and, after it, at k = 1: two trained markers.
	if n := eval[int](tb, `document.querySelectorAll('[data-panel="infonce-k"] circle.nce-dot.model').length`); n != 2 {
		t.Errorf("%d trained critics across k", n)
	}
	if d := eval[string](tb, `document.querySelector('[data-panel="infonce-steps"] path.nce-l.model').getAttribute('d')`); len(d) < 200 {
		t.Errorf("the estimate's curve: %q", d)
	}
	tb.noErrors()
}

// TestLabSweepCancel: each lab can be cancelled mid-run: Reset stops the
// run (its progress goes to 0 and stays there), the page stays usable (a
// control changes the link), and Play runs the new experiment to the end.
func TestLabSweepCancel(t *testing.T) {
	for _, c := range []struct{ q, key, value string }{
		{"lab=sweep&ks=1,3&ns=300&reps=400", "reps", "20"},
		{"lab=infonce&steps=20000", "steps", "1000"},
	} {
		tb := newTab(t, 1400, 900)
		tb.open("/?" + c.q)
		tb.click("play")
		tb.waitFor(`parseFloat(document.querySelector('[data-progress="fill"]').style.width) > 0`, 60*time.Second)
		if s := tb.labStatus(); s != "training" {
			t.Errorf("%s: status %q while it runs", c.q, s)
		}
		tb.click("reset")
		tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'paused'`, 30*time.Second)
		time.Sleep(1500 * time.Millisecond)
		if p := tb.progressDone(); p != 0 {
			t.Errorf("%s: progress %v%% after the cancel", c.q, p)
		}
		tb.setField(`[data-value-of="`+c.key+`"]`, c.value)
		tb.waitFor(`location.search.includes('`+c.key+`=`+c.value+`')`, 10*time.Second)
		tb.click("play")
		tb.waitDone(4 * time.Minute)
		tb.noErrors()
	}
}

// TestLabSweepLinks: the canonical link of a page reopens the same
// settings, for both labs.
func TestLabSweepLinks(t *testing.T) {
	for _, c := range []struct {
		in, canon string
		keys      map[string]string
	}{
		{"/?reps=50&lab=sweep&ks=3,1&nscales=2,1&theme=dark", "/?lab=sweep&ks=1,3&nscales=1,2&reps=50&theme=dark",
			map[string]string{"ks": "1,3", "nscales": "1,2", "reps": "50"}},
		{"/?k=7&lab=infonce&rho=0.5&critic=cosine", "/?lab=infonce&rho=0.5&critic=cosine&k=7",
			map[string]string{"rho": "0.5", "critic": "cosine", "k": "7"}},
	} {
		tb := newTab(t, 1400, 900)
		tb.open(c.in)
		if p := tb.path(); p != c.canon {
			t.Errorf("%s: address %s, want %s", c.in, p, c.canon)
		}
		if s, err := lab.Open(strings.TrimPrefix(c.canon, "/?")); err != nil || "/?"+s.Link() != c.canon {
			t.Errorf("%s is not canonical: %v, %v", c.canon, s.Link(), err)
		}
		tb.open(c.canon)
		for k, want := range c.keys {
			if got := tb.labControl(k); got != want {
				t.Errorf("%s reopened: %s = %q, want %q", c.canon, k, got, want)
			}
		}
		tb.noErrors()
	}
}

// TestLabSweepLooks: screenshots to look at (1400×900, the 640×400 embed,
// a 360 px phone; light and dark) of both labs, run to the end.
func TestLabSweepLooks(t *testing.T) {
	for _, q := range []string{"lab=sweep&ks=1,3,10,30&ns=100,300,1000&nscales=1,3&reps=60", "lab=infonce&rho=0.99&k=15&steps=3000"} {
		name := strings.TrimPrefix(strings.SplitN(q, "&", 2)[0], "lab=")
		for _, theme := range []string{"light", "dark"} {
			full := newTab(t, 1400, 900)
			full.open("/?" + q + "&speed=10&theme=" + theme)
			full.click("play")
			full.waitDone(5 * time.Minute)
			full.screenshot("lab-" + name + "-full-" + theme)
			buf, err := chromedp.Run(full.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(screenshotDir+"/lab-"+name+"-page-"+theme+".png", buf, 0o644)
			full.noErrors()

			embed := newTab(t, 640, 400)
			embed.open("/embed?" + q + "&speed=10&captions=1&theme=" + theme)
			embed.click("play")
			embed.waitDone(5 * time.Minute)
			if h := eval[int](embed, `document.documentElement.scrollHeight`); h > 400 {
				t.Errorf("%s %s embed: %d px tall in a 400 px frame", name, theme, h)
			}
			embed.screenshot("lab-" + name + "-embed-" + theme)
			embed.noErrors()

			phone := newTab(t, 360, 740)
			phone.open("/?" + q + "&speed=10&theme=" + theme)
			phone.click("play")
			phone.waitDone(5 * time.Minute)
			if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 360 {
				t.Errorf("%s %s phone: the page is %d px wide", name, theme, w)
			}
			phone.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('.nce-labpanels').scrollIntoView()`))
			phone.screenshot("lab-" + name + "-phone-" + theme)
			phone.noErrors()
		}
	}
}

// TestLabSweepBench (NCE_BENCH=1): the default sweep with 400 repetitions
// in the browser's two lab workers, from Play to the last row, at speed 10
// (the pacing then asks for 1.2 s at least). Reported, not asserted: the
// target is 30 s on this machine, whose speed drifts with its load.
func TestLabSweepBench(t *testing.T) {
	if os.Getenv("NCE_BENCH") == "" {
		t.Skip("set NCE_BENCH=1 (make ui-bench)")
	}
	tb := newTab(t, 1400, 900)
	for round := range 2 {
		tb.open("/?lab=sweep&reps=400&speed=10")
		if n := eval[int](tb, `window.nceWorkers.length`); n != 2 {
			t.Errorf("%d lab workers", n)
		}
		tb.do(chromedp.Evaluate[chromedp.Void](`window.nceT0 = performance.now()`))
		tb.click("play")
		tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'done' && (window.nceT1 = window.nceT1 || performance.now())`, 10*time.Minute)
		ms := eval[float64](tb, `window.nceT1 - window.nceT0`)
		tb.do(chromedp.Evaluate[chromedp.Void](`window.nceT1 = undefined`))
		if r := tb.readout("reps"); r != 400 {
			t.Errorf("readout reps %v", r)
		}
		t.Logf("BENCH sweep, 400 repetitions × k ∈ {1, 3, 10, 30}, two lab workers, round %d: %.1f s", round+1, ms/1000)
	}
	tb.noErrors()
}
