package e2e

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// setControl sets a control of the settings form and fires its change.
func (tb *tab) setControl(key, value string) {
	tb.t.Helper()
	eval[bool](tb, fmt.Sprintf(`(() => { const e = document.getElementById("nce-k-%s"); e.value = %q; e.dispatchEvent(new Event("change", {bubbles: true})); return true })()`, key, value))
}

// control reads a control's shown value (the output of a slider).
func (tb *tab) control(key string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => { const d = document.querySelector('.nce-ctl[data-key="%s"]'); const o = d.querySelector("output"); return o ? o.textContent : d.querySelector("select, input").value })()`, key))
}

func canonical(t *testing.T, q string) string {
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	return view.Address(s, false)
}

// stepN presses the step button n times and waits for the step counter.
func (tb *tab) stepN(n int) {
	tb.t.Helper()
	start := int(tb.metric("step"))
	for range n {
		tb.click("step")
	}
	tb.waitFor(fmt.Sprintf(`document.querySelector('[data-metric="step"]').textContent === "%d"`, start+n), 20*time.Second)
}

// URL round trip: load a non-default spec, read the controls back; change a
// control, the address bar holds the canonical spec; reload, same state
// and the same numbers at the same step.
func TestURLRoundTrip(t *testing.T) {
	tb := newTab(t, 1280, 900)
	q := "seed=7&lr=0.003&k=5&target=bimodal"
	tb.open("/?" + q)
	if got, want := tb.path(), canonical(t, q); got != want {
		t.Errorf("address %s, want the canonical %s", got, want)
	}
	for key, want := range map[string]string{"target": "bimodal", "k": "5", "lr": "0.003", "seed": "7", "obj": "nce"} {
		if got := tb.control(key); got != want {
			t.Errorf("control %s = %q, want %q", key, got, want)
		}
	}
	tb.setControl("obj", "cls")
	want := canonical(t, q+"&obj=cls")
	tb.waitFor(fmt.Sprintf(`location.pathname + location.search === %q`, want), 10*time.Second)
	tb.waitFor(`document.querySelector('[data-metric="step"]').textContent === "0"`, 10*time.Second)
	tb.stepN(5)
	loss, logz := tb.metric("loss"), tb.metric("logz")

	tb.do(chromedp.Reload())
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 60*time.Second)
	if got := tb.path(); got != want {
		t.Errorf("after reload: address %s, want %s", got, want)
	}
	if got := tb.control("obj"); got != "cls" {
		t.Errorf("after reload: obj = %q", got)
	}
	tb.stepN(5)
	if l2, z2 := tb.metric("loss"), tb.metric("logz"); l2 != loss || z2 != logz {
		t.Errorf("after reload at step 5: loss %v logz %v, before %v %v", l2, z2, loss, logz)
	}
	tb.noErrors()
}

// Bad URLs show the banner naming the key, the value and what is allowed,
// and run the defaults for that key.
func TestBadURLs(t *testing.T) {
	tb := newTab(t, 1280, 900)
	cases := []struct {
		query string
		want  []string
	}{
		{"foo=1&target=gauss", []string{"foo", "not a known key"}},
		{"k=abc&target=gauss", []string{"k", "abc", "1 … 1024"}},
		{"noise=pink&target=gauss", []string{"noise", "pink", "gauss, uniform, laplace"}},
		{"lr=1e9&target=gauss", []string{"lr", "1e9", "1e-6 … 10"}},
	}
	for _, c := range cases {
		tb.open("/?" + c.query)
		text := eval[string](tb, `(document.querySelector('[data-banner="spec"]') || {}).textContent || ""`)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: banner %q lacks %q", c.query, text, w)
			}
		}
		if got := tb.control("target"); got != "gauss" {
			t.Errorf("%s: the good key was not kept: target = %q", c.query, got)
		}
		if got := tb.path(); got != "/?target=gauss" {
			t.Errorf("%s: address %s, want /?target=gauss", c.query, got)
		}
	}
	tb.noErrors()
}

// Every preset and every target renders all panels without console errors.
func TestPresetsAndTargets(t *testing.T) {
	tb := newTab(t, 1280, 900)
	var queries []string
	for _, p := range view.Presets {
		queries = append(queries, p.Query)
	}
	for _, tg := range spec.Lookup("target").Values {
		queries = append(queries, "target="+tg)
	}
	for _, q := range queries {
		tb.open("/?" + q + "&speed=10")
		tb.click("play")
		// 20 steps, or fewer when the run stops itself (Newton converges in a handful).
		tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent >= 20 || document.querySelector('.nce-app').dataset.status === "done"`, 60*time.Second)
		for _, p := range view.Panels() {
			ok := eval[bool](tb, fmt.Sprintf(`(() => {
				const el = document.querySelector('[data-panel="%s"]');
				if (!el) return false;
				if (%q === "explain") return !!el.querySelector("math");
				return [...el.querySelectorAll("svg path.nce-l")].some(p => (p.getAttribute("d") || "").length > 8) ||
					[...el.querySelectorAll("canvas")].some(c => c.__nceSeq > 0 && c.width > 0);
			})()`, p, p))
			if !ok {
				t.Errorf("%q: panel %s is empty", q, p)
			}
		}
		if p := spec.Presets; q == presetQuery(p, "ring") {
			tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent >= 1500`, 90*time.Second)
			tb.screenshot("preset-ring")
		}
		tb.click("pause")
	}
	tb.noErrors()
}

// Keyboard: space plays and pauses, s steps, r resets.
func TestKeyboard(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("/")
	tb.do(chromedp.KeyEvent(" "))
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 10`, 20*time.Second)
	tb.do(chromedp.KeyEvent(" "))
	tb.waitFor(`document.querySelector('.nce-app').dataset.status === "paused"`, 10*time.Second)
	n := tb.stableStep()
	tb.do(chromedp.KeyEvent("s"))
	tb.waitFor(fmt.Sprintf(`+document.querySelector('[data-metric="step"]').textContent === %v`, n+1), 10*time.Second)
	tb.do(chromedp.KeyEvent("r"))
	tb.waitFor(`document.querySelector('[data-metric="step"]').textContent === "0"`, 10*time.Second)
	tb.noErrors()
}

// Embed mode fits a 640×400 frame's width (it may scroll vertically),
// shows the chosen panels, autoplays.
func TestEmbed(t *testing.T) {
	tb := newTab(t, 640, 400)
	tb.open("/embed?target=ring&model=mlp&units=16&k=8&lr=0.003&autoplay=1&speed=4&panels=samples,classifier,density,curves")
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 200`, 60*time.Second)
	size := eval[[]int](tb, `[document.documentElement.scrollWidth, document.documentElement.scrollHeight]`)
	if size[0] > 640 {
		t.Errorf("embed page is %dx%d, wider than 640", size[0], size[1])
	}
	shown := eval[[]string](tb, `[...document.querySelectorAll("[data-panel]")].map(e => e.dataset.panel)`)
	if strings.Join(shown, ",") != "samples,classifier,density,curves" {
		t.Errorf("panels %v", shown)
	}
	// Every panel is inside the frame's width, none too small.
	out := eval[[]string](tb, `[...document.querySelectorAll("[data-panel]")].filter(e => { const r = e.getBoundingClientRect(); return r.right > 641 || r.width < 60 || r.height < 60 }).map(e => e.dataset.panel)`)
	if len(out) > 0 {
		t.Errorf("panels outside the frame or too small: %v", out)
	}
	tb.screenshot("embed")

	// Legible: the heatmaps' tick labels are at least 8 px tall.
	if h := eval[float64](tb, `Math.min(...[...document.querySelectorAll('.nce-heat .nce-tick')].map(e => e.getBoundingClientRect().height))`); h < 8 {
		t.Errorf("embed tick labels are %.1f px tall, want ≥ 8", h)
	}

	// Left at the default (all five), the panels key gives the embed
	// layout fewer, larger panels.
	tb.open("/embed?target=ring&model=mlp&units=16&k=8&lr=0.003&autoplay=1&speed=4")
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 200`, 60*time.Second)
	shown = eval[[]string](tb, `[...document.querySelectorAll("[data-panel]")].map(e => e.dataset.panel)`)
	if strings.Join(shown, ",") != strings.Join(view.EmbedDefaultPanels, ",") {
		t.Errorf("default embed panels %v, want %v", shown, view.EmbedDefaultPanels)
	}
	tb.screenshot("embed-default")

	tb.open("/?embed=1&panels=density")
	if n := eval[int](tb, `document.querySelectorAll(".nce-embed [data-panel]").length`); n != 1 {
		t.Errorf("embed=1&panels=density shows %d panels", n)
	}
	tb.noErrors()
}

// Copy link, the embed dialog and the exports.
func TestLinkEmbedAndExports(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("/?k=20")
	tb.stepN(3)
	tb.click("copy-link")
	if got := eval[string](tb, `window.nceLastCopied || ""`); got != baseURL+"/?k=20" {
		t.Errorf("copied %q", got)
	}
	tb.click("embed")
	snippet := eval[string](tb, `document.querySelector('[data-snippet="embed"]').value`)
	if !strings.Contains(snippet, `<iframe src="`+baseURL+`/embed?k=20"`) || !strings.Contains(snippet, `width="640" height="400"`) {
		t.Errorf("snippet %q", snippet)
	}
	u, _ := url.Parse(baseURL + "/embed?k=20")
	if u == nil {
		t.Fatal("bad URL")
	}
	tb.do(chromedp.Click(chromedp.CSS(`.nce-dialog .nce-btn:not(.nce-primary)`)))

	for _, c := range []struct{ click, name string }{
		{`[data-action="csv"]`, "nce-curves.csv"},
		{`[data-action="json"]`, "nce-report.json"},
		{`[data-panel="samples"] .nce-png`, "nce-samples.png"},
		{`[data-panel="curves"] .nce-png`, "nce-curves.png"},
	} {
		tb.do(chromedp.Click(chromedp.CSS(c.click)))
		tb.waitFor(fmt.Sprintf(`window.nceLastDownload && window.nceLastDownload.name === %q && window.nceLastDownload.size > 100`, c.name), 10*time.Second)
	}
	// A 2D panel: its heatmap canvas goes into the PNG too.
	tb.open("/?target=ring&model=mlp&units=8")
	tb.stepN(3)
	tb.do(chromedp.Click(chromedp.CSS(`[data-panel="classifier"] .nce-png`)))
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name === "nce-classifier.png" && window.nceLastDownload.size > 1000`, 10*time.Second)
	tb.noErrors()
}

// stableStep waits until the step counter stops changing and returns it.
func (tb *tab) stableStep() float64 {
	tb.t.Helper()
	last := tb.metric("step")
	for range 50 {
		time.Sleep(150 * time.Millisecond)
		n := tb.metric("step")
		if n == last {
			return n
		}
		last = n
	}
	tb.t.Fatal("the step counter does not settle")
	return 0
}

// A run that diverges says so, naming the step and the learning rate,
// keeps its last finite state drawn, and offers a reset that works.
func TestDiverged(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("/?deg=8&k=10&opt=sgd&lr=1&nscale=10&steps=5000&speed=10") // core/nce's divergence test spec
	tb.click("play")
	tb.waitFor(`document.querySelector('[data-banner="diverged"]')`, 60*time.Second)
	tb.waitFor(`document.querySelector('.nce-app').dataset.status === "diverged"`, 10*time.Second)
	msg := eval[string](tb, `document.querySelector('[data-banner="diverged"]').textContent`)
	step := int(tb.metric("step"))
	if !strings.Contains(msg, "Training diverged.") || !strings.Contains(msg, fmt.Sprintf("At step %d ", step+1)) || !strings.Contains(msg, "lr = 1)") {
		t.Errorf("banner %q (step readout %d): want the step that diverged and the lr", msg, step)
	}
	if step < 1 {
		t.Errorf("step readout %d: want the last finite state's step", step)
	}
	for _, p := range []string{"samples", "classifier", "density"} {
		ok := eval[bool](tb, fmt.Sprintf(`[...document.querySelectorAll('[data-panel="%s"] svg path.nce-l')].some(p => /^M[-0-9.]+ [-0-9.]+L/.test(p.getAttribute("d") || ""))`, p))
		if !ok {
			t.Errorf("panel %s draws no finite curve after divergence", p)
		}
	}
	tb.screenshot("diverged")
	tb.click("diverged-reset")
	tb.waitFor(`!document.querySelector('[data-banner="diverged"]') && document.querySelector('.nce-app').dataset.status === "paused"`, 20*time.Second)
	if s := tb.metric("step"); s != 0 {
		t.Errorf("after reset: step %v, want 0", s)
	}
	tb.noErrors()
}

// presetQuery returns the query of the preset with the ID id.
func presetQuery(ps []spec.Preset, id string) string {
	for _, p := range ps {
		if p.ID == id {
			return p.Query
		}
	}
	return ""
}
