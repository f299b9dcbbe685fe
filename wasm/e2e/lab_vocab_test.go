package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/lab"
	"nceplay/core/lab/vocab"
	"nceplay/wasm/labview"
)

// The large-vocabulary lab's page (docs/spec.md#lab-vocab): its three
// panels drawn as it trains, its numbers against the runner's, its links,
// its bad keys, and how it looks.

// vocabSmall is a run that trains in the browser in well under a minute
// (the softmax reference is the longest: V = 2,000 words a step).
const vocabSmall = "lab=vocab&vocab=2000&contexts=50&pairs=20000&dim=16"

// vocabPanelCounts returns, per panel, how many drawn paths (with data)
// and markers it shows, and its subtitle.
func (tb *tab) vocabPanel(name string) (paths, dots int, sub string) {
	tb.t.Helper()
	v := eval[[]any](tb, `(() => {
		const p = document.querySelector('[data-panel="`+name+`"]');
		if (!p) return [-1, -1, ""];
		const paths = [...p.querySelectorAll('svg > path.nce-l')].filter((e) => (e.getAttribute('d') || '').length > 3).length;
		return [paths, p.querySelectorAll('svg circle.nce-dot').length, (p.querySelector('.nce-psub') || {}).textContent || ""];
	})()`)
	return int(v[0].(float64)), int(v[1].(float64)), v[2].(string)
}

// TestLabVocab: a small experiment of the lab trains in the browser's
// worker. Its three panels draw while it trains and, once done, show a
// curve per run (the run, NCE at k = 5 and 100, the softmax) and the true
// model's floor, the histogram of log Z(ctx), and the time per step at
// every V of the probe for the softmax and NCE, the softmax's growing
// with V; its readouts and its Metrics JSON equal what `nceplay run
// --json` prints natively, bit for bit (but the timings, which the page
// shows apart).
func TestLabVocab(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	cmd := exec.Command("go", "run", "../../cmd/nceplay", "run", "--json", vocabSmall)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nceplay: %v\n%s", err, stderr.String())
	}
	want := decodeReport(t, out)

	tb := newTab(t, 1400, 900)
	tb.open("/?" + vocabSmall + "&speed=10")
	if p := tb.path(); p != "/?"+vocabSmall+"&speed=10" {
		t.Errorf("address %s", p)
	}
	if h := eval[string](tb, `document.querySelector('h1').textContent`); h != lab.Vocab.Title {
		t.Errorf("heading %q, want %q", h, lab.Vocab.Title)
	}
	if s := tb.labStatus(); s != "paused" {
		t.Fatalf("status %q before play", s)
	}
	if p := eval[string](tb, `document.querySelector('[data-progress="text"]').textContent`); !strings.HasPrefix(p, "0 / 80,0") || !strings.Contains(p, "warming up") {
		t.Errorf("progress before play: %q", p)
	}
	tb.click("play")
	// While the NCE runs train: the curves grow.
	tb.waitFor(`document.querySelectorAll('[data-panel="vocab-curves"] svg > path.nce-l').length > 0 && [...document.querySelectorAll('[data-panel="vocab-curves"] svg > path.nce-l')].some((e) => (e.getAttribute('d') || '').length > 10)`, 2*time.Minute)
	tb.waitDone(6 * time.Minute)

	// 1. Perplexity against time: four curves and the floor, with data.
	paths, dots, _ := tb.vocabPanel(labview.VocabPanelCurves)
	if paths != 5 || dots != 4 {
		t.Errorf("curves panel: %d paths with data, %d end markers; want 5 and 4", paths, dots)
	}
	legend := eval[string](tb, `document.querySelector('[data-panel="vocab-curves"] .nce-leg').textContent`)
	for _, w := range []string{"NCE k = 25 (run)", "NCE k = 5", "NCE k = 100", "softmax", "true model"} {
		if !strings.Contains(legend, w) {
			t.Errorf("the curves' legend %q lacks %q", legend, w)
		}
	}
	// 2. log Z: the histogram's bars and the line at 0; mean and sd.
	paths, _, sub := tb.vocabPanel(labview.VocabPanelLogZ)
	if paths != 2 || !strings.Contains(sub, "mean ") || !strings.Contains(sub, "sd ") {
		t.Errorf("log Z panel: %d paths, subtitle %q", paths, sub)
	}
	// 3. Time per step against V: both series at every V, measured.
	paths, dots, sub = tb.vocabPanel(labview.VocabPanelProbe)
	if paths != 3 || dots != 2*len(vocab.ProbeVocabs) || !strings.Contains(sub, "measured") {
		t.Errorf("probe panel: %d paths, %d markers, subtitle %q", paths, dots, sub)
	}
	ms := eval[[]string](tb, `[...document.querySelectorAll('[data-panel="vocab-probe"] circle.nce-dot.vnoise title')].map((e) => e.textContent)`)
	t.Logf("softmax per step: %v", ms)
	if len(ms) == len(vocab.ProbeVocabs) {
		first, last := probeMS(t, ms[0]), probeMS(t, ms[len(ms)-1])
		if !(last > 10*first) {
			t.Errorf("the softmax's step at V = 10⁵ takes %v ms, at 10³ %v ms: not growing with V", last, first)
		}
	}
	for _, id := range []string{"vocab-curves", "vocab-logz", "vocab-probe"} {
		if c := eval[string](tb, `(document.querySelector('[data-panel="`+id+`"] .nce-cap') || {}).textContent || ""`); len(c) < 80 {
			t.Errorf("%s: caption %q", id, c)
		}
		if n := eval[int](tb, `document.querySelectorAll('[data-panel="`+id+`"] .nce-cap a[href^="/docs/math.html#"]').length`); n == 0 {
			t.Errorf("%s: the caption cites no docs/math.md anchor", id)
		}
	}

	// The readouts: the runner's numbers bit for bit; the timings shown.
	keys := eval[[]string](tb, `[...document.querySelectorAll('[data-metric]')].map((e) => e.dataset.metric)`)
	if len(keys) != 7 {
		t.Errorf("readouts %v", keys)
	}
	for _, k := range keys {
		got := tb.readout(k)
		if contains(lab.Vocab.Timings, k) {
			if !(got > 0) {
				t.Errorf("timing readout %s = %v", k, got)
			}
			continue
		}
		w, ok := want[k].(json.Number)
		if !ok {
			t.Errorf("readout %s: the runner has %v", k, want[k])
			continue
		}
		wf, _ := strconv.ParseFloat(string(w), 64)
		if math.Float64bits(got) != math.Float64bits(wf) {
			t.Errorf("readout %s = %v, the runner's %v", k, got, wf)
		}
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.text`, 30*time.Second)
	got := decodeReport(t, []byte(eval[string](tb, `window.nceLastDownload.text`)))
	for k, w := range want {
		if contains(lab.Vocab.Timings, k) {
			continue
		}
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("report %s = %v, the runner's %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the page's report has %d fields, the runner's %d", len(got), len(want))
	}
	t.Logf("ppl %v, ppl_softmax %v, ppl_true %v, logz %v ± %v; page: ms/step %v, softmax %v",
		want["ppl"], want["ppl_softmax"], want["ppl_true"], want["logz_mean"], want["logz_sd"], tb.readout("ms_per_step"), tb.readout("ms_per_step_softmax"))
	tb.screenshot("lab-vocab")
	tb.noErrors()
}

// probeMS reads the milliseconds of a probe marker's title ("softmax, V =
// 1000: 0.12 ms").
func probeMS(t *testing.T, title string) float64 {
	t.Helper()
	_, after, _ := strings.Cut(title, ": ")
	v, err := strconv.ParseFloat(strings.TrimSuffix(after, " ms"), 64)
	if err != nil {
		t.Errorf("marker title %q: %v", title, err)
		return math.NaN()
	}
	return v
}

// TestLabVocabLinks: a vocab link round-trips: a non-canonical one
// becomes canonical, a changed control keeps it canonical, reopening it
// restores every setting; with norm=learn the log Z panel shows a_ctx
// against −log Z of the rest.
func TestLabVocabLinks(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?dim=16&lab=vocab&k=10&theme=dark&seed=1&vocab=2000&pairs=5000&contexts=20")
	const canon = "/?lab=vocab&vocab=2000&contexts=20&pairs=5000&dim=16&k=10&theme=dark"
	if p := tb.path(); p != canon {
		t.Errorf("address %s, want %s", p, canon)
	}
	tb.setField(`#nce-k-norm`, "learn")
	tb.waitFor(`location.search.includes('norm=learn')`, 10*time.Second)
	tb.setField(`[data-value-of="passes"]`, "2")
	tb.waitFor(`location.search.includes('passes=2')`, 10*time.Second)
	const changed = "/?lab=vocab&vocab=2000&contexts=20&pairs=5000&passes=2&dim=16&norm=learn&k=10&theme=dark"
	if p := tb.path(); p != changed {
		t.Errorf("after the changes: %s, want %s", p, changed)
	}
	if s, err := lab.Open(strings.TrimPrefix(changed, "/?")); err != nil || "/?"+s.Link() != changed {
		t.Errorf("the address is not canonical: %v, %v", s.Link(), err)
	}
	tb.open(changed)
	for key, want := range map[string]string{"vocab": "2000", "contexts": "20", "pairs": "5000", "passes": "2", "dim": "16", "norm": "learn", "k": "10", "obj": "nce"} {
		if got := tb.labControl(key); got != want {
			t.Errorf("reopened: %s = %q, want %q", key, got, want)
		}
	}
	tb.click("play")
	tb.waitDone(5 * time.Minute)
	if n := eval[int](tb, `document.querySelectorAll('[data-panel="vocab-logz"] svg').length`); n != 2 {
		t.Errorf("norm=learn: %d charts in the log Z panel, want 2 (the histogram, a_ctx)", n)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-panel="vocab-logz"] svg circle.nce-dot').length`); n != 20 {
		t.Errorf("norm=learn: %d contexts in the a_ctx chart", n)
	}
	tb.screenshot("lab-vocab-learn-dark")

	tb.open("/embed?lab=vocab&k=10")
	if h := eval[string](tb, `document.querySelector('.nce-open').getAttribute('href')`); h != "/?lab=vocab&k=10" {
		t.Errorf("embed's link to the full page: %s", h)
	}
	tb.noErrors()
}

// TestLabVocabBadKeys: a bad key shows the banner (the key, the value,
// what is allowed) and runs its default while the other keys keep their
// values; a rule that involves several keys says so.
func TestLabVocabBadKeys(t *testing.T) {
	tb := newTab(t, 1400, 900)
	cases := []struct {
		query, path string
		want        []string
	}{
		{"lab=vocab&k=abc&dim=16", "/?lab=vocab&dim=16", []string{"k", "abc", "whole number"}},
		{"lab=vocab&vocab=50&dim=16", "/?lab=vocab&dim=16", []string{"vocab", "50", "100 … 100000"}},
		{"lab=vocab&obj=cls&dim=16", "/?lab=vocab&dim=16", []string{"obj", "cls", "nce, neg, rank, mle"}},
		{"lab=vocab&opt=adam&dim=16", "/?lab=vocab&dim=16", []string{"opt", "adam", "sgd"}},
		{"lab=vocab&vocab=100000&dim=64", "/?lab=vocab&vocab=100000", []string{"word table", "4194304"}}, // the rule resets dim
	}
	for _, c := range cases {
		tb.open("/?" + c.query)
		text := eval[string](tb, `(document.querySelector('[data-banner="spec"]') || {}).textContent || ""`)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: banner %q lacks %q", c.query, text, w)
			}
		}
		if p := tb.path(); p != c.path {
			t.Errorf("%s: address %s, want %s", c.query, p, c.path)
		}
		if s := tb.labStatus(); s != "paused" {
			t.Errorf("%s: status %s", c.query, s)
		}
	}
	tb.noErrors()
}

// TestLabVocabLooks: screenshots to look at (1400×900, the 640×400 embed,
// a 360 px phone; light and dark): no sideways scrolling on the phone,
// the embed within its frame.
func TestLabVocabLooks(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	const q = "lab=vocab&vocab=2000&contexts=50&pairs=20000&dim=16&speed=10"
	for _, theme := range []string{"light", "dark"} {
		full := newTab(t, 1400, 900)
		full.open("/?" + q + "&theme=" + theme)
		full.click("play")
		full.waitDone(6 * time.Minute)
		full.screenshot("lab-vocab-full-" + theme)
		buf, err := chromedp.Run(full.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(screenshotDir, 0o755)
		os.WriteFile(filepath.Join(screenshotDir, "lab-vocab-page-"+theme+".png"), buf, 0o644)
		full.noErrors()

		embed := newTab(t, 640, 400)
		embed.open("/embed?" + q + "&captions=1&theme=" + theme)
		embed.click("play")
		embed.waitDone(6 * time.Minute)
		if h := eval[int](embed, `document.documentElement.scrollHeight`); h > 400 {
			t.Errorf("%s embed: %d px tall in a 400 px frame", theme, h)
		}
		embed.screenshot("lab-vocab-embed-" + theme)
		embed.noErrors()

		phone := newTab(t, 360, 740)
		phone.open("/?" + q + "&norm=learn&theme=" + theme)
		phone.click("play")
		phone.waitDone(6 * time.Minute)
		if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s phone: the page is %d px wide", theme, w)
		}
		phone.screenshot("lab-vocab-phone-" + theme)
		phone.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="vocab-curves"]').scrollIntoView()`))
		phone.screenshot("lab-vocab-phone-panels-" + theme)
		phone.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="vocab-probe"]').scrollIntoView()`))
		phone.screenshot("lab-vocab-phone-probe-" + theme)
		phone.noErrors()
	}
}
