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
	"nceplay/core/lab/w2v"
)

// The labs' pages (docs/spec.md#labs; wasm/lab): the word2vec lab on a
// generator and on a pasted text, its panels, its numbers against the
// runner's, its links, its bad keys, and how it looks.

// labStatus is the lab page's status (data-status).
func (tb *tab) labStatus() string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector('.nce-app') || {dataset: {}}).dataset.status || ""`)
}

// readout returns a live readout's full-precision value (NaN when unknown).
func (tb *tab) readout(key string) float64 {
	tb.t.Helper()
	s := eval[string](tb, `(document.querySelector('[data-metric="`+key+`"]') || {dataset: {}}).dataset.value || ""`)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// waitDone waits until the run is over.
func (tb *tab) waitDone(timeout time.Duration) {
	tb.t.Helper()
	tb.waitFor(`['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`, timeout)
	if s := tb.labStatus(); s != "done" {
		tb.t.Fatalf("the run ended %s: %s", s, eval[string](tb, `(document.querySelector('[data-banner="diverged"]') || {}).textContent || ""`))
	}
}

// canvasInk returns the share of a canvas's pixels that are painted (not
// transparent), or −1 without such a canvas.
func (tb *tab) canvasInk(id string) float64 {
	tb.t.Helper()
	return eval[float64](tb, `(() => {
		const cv = document.getElementById(`+strconv.Quote(id)+`);
		if (!cv || !cv.width || !cv.height) return -1;
		const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
		let n = 0;
		for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
		return n / (cv.width * cv.height);
	})()`)
}

// setField sets a form field's value and sends its change event, as a
// user's edit does.
func (tb *tab) setField(sel, value string) {
	tb.t.Helper()
	ok := eval[bool](tb, `(() => {
		const el = document.querySelector(`+strconv.Quote(sel)+`);
		if (!el) return false;
		el.value = `+strconv.Quote(value)+`;
		el.dispatchEvent(new Event('input', {bubbles: true}));
		el.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`)
	if !ok {
		tb.t.Fatalf("no %s", sel)
	}
}

// labControl is a lab setting's value as its control shows it.
func (tb *tab) labControl(key string) string {
	tb.t.Helper()
	return eval[string](tb, fmt.Sprintf(`(() => {
		const d = document.querySelector('.nce-ctl[data-key="%s"]');
		if (!d) return "(none)";
		const exact = d.querySelector('[data-value-of]');
		return exact ? exact.value : d.querySelector("select, input").value;
	})()`, key))
}

// TestLabGenerator: the default word2vec lab on its topics generator. Its
// panels draw before training (the optimum, the colour bar) and as it
// trains; Step trains 1% of the run; trained, the learned products
// correlate with the optimum (r ≥ 0.9: the scatter's points lie near the
// identity line) and the neighbours of the focused word are listed.
func TestLabGenerator(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?lab=w2v&speed=10")
	if s := tb.labStatus(); s != "paused" {
		t.Fatalf("status %q before play", s)
	}
	if h := eval[string](tb, `document.querySelector('h1').textContent`); h != lab.W2V.Title {
		t.Errorf("heading %q, want %q", h, lab.W2V.Title)
	}
	if n := eval[int](tb, `document.querySelectorAll('a[href="/"][data-action="playground"]').length`); n != 1 {
		t.Errorf("%d links back to the playground", n)
	}
	if p := eval[string](tb, `document.querySelector('[data-progress="text"]').textContent`); p != "0 / 300,000 words · epoch 1 of 3" {
		t.Errorf("progress before play: %q", p)
	}
	tb.waitFor(`document.getElementById('nce-cv-w2v-theory') && document.getElementById('nce-cv-w2v-theory').__nceSeq`, 30*time.Second)
	if ink := tb.canvasInk("nce-cv-w2v-theory"); ink < 0.9 {
		t.Errorf("the optimum's heatmap has %.2f of its pixels painted", ink)
	}
	if ink := tb.canvasInk("nce-cv-w2v-bar"); ink != 1 {
		t.Errorf("the colour bar has %.2f of its pixels painted", ink)
	}

	tb.click("step")
	tb.waitFor(`document.querySelector('[data-progress="text"]').textContent.startsWith('3,000 / 300,000')`, 60*time.Second)
	if s := tb.labStatus(); s != "paused" {
		t.Errorf("status %q after a step", s)
	}

	tb.click("play")
	tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'training' || document.querySelector('.nce-app').dataset.status === 'done'`, 30*time.Second)
	tb.waitDone(3 * time.Minute)
	r := tb.readout("pmi_r")
	t.Logf("trained: r = %v, RMSE = %v, loss = %v", r, tb.readout("pmi_rmse"), tb.readout("loss"))
	if !(r >= 0.9) {
		t.Errorf("r = %v after training, want ≥ 0.9", r)
	}
	if fit := eval[string](tb, `document.querySelector('[data-scatter="fit"]').textContent`); !strings.Contains(fit, "r 0.9") {
		t.Errorf("the scatter's header says %q", fit)
	}
	for _, id := range []string{"nce-cv-w2v-learned", "nce-cv-w2v-theory"} {
		if ink := tb.canvasInk(id); ink < 0.9 {
			t.Errorf("%s: %.2f of its pixels painted", id, ink)
		}
	}
	if ink := tb.canvasInk("nce-cv-w2v-scatter"); !(ink > 0.01) {
		t.Errorf("the scatter has %.3f of its pixels painted", ink)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-neighbours] li').length`); n != 8 {
		t.Errorf("%d neighbours listed", n)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-panel="w2v-words"] circle.nce-dot').length`); n != 30 {
		t.Errorf("%d words on the map", n)
	}
	if eval[bool](tb, `!!document.querySelector('[data-panel="w2v-selfnorm"]')`) {
		t.Error("the self-normalization panel is shown for obj=neg")
	}
	tb.screenshot("lab-w2v-topics")
	tb.noErrors()
}

// TestLabMatchesRunner: the page's numbers are the runner's. One small
// spec of NCE proper trains in the browser's lab worker, in its slices;
// its live readouts and its Metrics JSON (the worker's report) equal, bit
// for bit, what `nceplay run --json` prints natively (but the timings).
func TestLabMatchesRunner(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	const q = "lab=w2v&corpus=syntax&tokens=20000&dim=16&obj=nce&k=10&alpha=1&epochs=2"
	cmd := exec.Command("go", "run", "../../cmd/nceplay", "run", "--json", q)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nceplay: %v\n%s", err, stderr.String())
	}
	want := decodeReport(t, out)

	tb := newTab(t, 1400, 900)
	tb.open("/?" + q + "&speed=10")
	if p := tb.path(); p != "/?"+q+"&speed=10" {
		t.Errorf("address %s", p)
	}
	tb.click("play")
	tb.waitDone(3 * time.Minute)

	// The live readouts.
	keys := eval[[]string](tb, `[...document.querySelectorAll('[data-metric]')].map((e) => e.dataset.metric)`)
	if len(keys) < 5 {
		t.Fatalf("readouts %v", keys)
	}
	for _, k := range keys {
		w, ok := want[k].(json.Number)
		if !ok {
			t.Errorf("readout %s: the runner has %v", k, want[k])
			continue
		}
		wf, _ := strconv.ParseFloat(string(w), 64)
		if got := tb.readout(k); math.Float64bits(got) != math.Float64bits(wf) {
			t.Errorf("readout %s = %v, the runner's %v", k, got, wf)
		}
	}

	// The whole report, by the Metrics JSON button.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.text`, 30*time.Second)
	got := decodeReport(t, []byte(eval[string](tb, `window.nceLastDownload.text`)))
	for k, w := range want {
		if contains(lab.W2V.Timings, k) || k == "ms" {
			continue
		}
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("report %s = %v, the runner's %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the page's report has %d fields, the runner's %d", len(got), len(want))
	}
	// NCE proper is self-normalized: the panel shows Σ exp ≈ 1.
	if n := eval[int](tb, `document.querySelectorAll('[data-panel="w2v-selfnorm"] circle.nce-dot').length`); n != 30 {
		t.Errorf("%d words in the self-normalization panel", n)
	}
	t.Logf("r %v, selfnorm_mean %v", want["pmi_r"], want["selfnorm_mean"])
	tb.noErrors()
}

func decodeReport(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("report %s: %v", b, err)
	}
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// pasted is a text to paste: short sentences over a dozen words, in
// varied order.
func pasted() string {
	sentences := []string{
		"the cat sat on the mat", "the dog lay on the rug", "a cat and a dog met on the mat",
		"the bird sang in the tree", "a bird and a cat sat in the garden", "the dog ran in the garden",
	}
	var b strings.Builder
	x := uint32(7)
	for range 600 {
		x = x*1664525 + 1013904223
		b.WriteString(sentences[(x>>16)%uint32(len(sentences))])
		b.WriteString(". ")
	}
	return b.String()
}

// TestLabText: your own text. A corpus=text link asks for one (the link
// cannot hold it); an empty or too long text is refused with a clear
// message; a pasted text trains, and its word map and neighbours show;
// the address bar and a copied link hold the settings, never the text.
func TestLabText(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?lab=w2v&corpus=text&speed=10")
	if s := tb.labStatus(); s != "text" {
		t.Fatalf("status %q, want text (waiting for one)", s)
	}
	if !eval[bool](tb, `document.querySelector('[data-action="play"]').disabled`) {
		t.Error("play is enabled without a text")
	}
	note := eval[string](tb, `document.querySelector('[data-panel="text"]').textContent`)
	if !strings.Contains(note, "A link cannot hold your text") {
		t.Errorf("the text panel says %q", note)
	}

	tb.click("use-text")
	tb.waitFor(`document.querySelector('[data-text-error]')`, 10*time.Second)
	if e := eval[string](tb, `document.querySelector('[data-text-error]').textContent`); !strings.Contains(e, "empty") {
		t.Errorf("empty text: %q", e)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const el = document.getElementById('nce-lab-text');
		el.value = 'word '.repeat((8 << 20) / 5 + 10);
		el.dispatchEvent(new Event('change', {bubbles: true}));
	})()`))
	tb.click("use-text")
	tb.waitFor(`document.querySelector('[data-text-error]') && document.querySelector('[data-text-error]').textContent.includes('MiB')`, 30*time.Second)
	if e := eval[string](tb, `document.querySelector('[data-text-error]').textContent`); !strings.Contains(e, "at most 8,388,608") {
		t.Errorf("too long: %q", e)
	}

	// A text the engine cannot train on: the worker's reason, by the box.
	tb.setField("#nce-lab-text", "word word word")
	tb.click("use-text")
	tb.waitFor(`document.querySelector('[data-text-error]') && document.querySelector('[data-text-error]').textContent.includes('distinct words')`, 30*time.Second)
	if s := tb.labStatus(); s != "text" {
		t.Errorf("status %q after a refused text", s)
	}

	// A snippet fills the box.
	tb.click2(`[data-snippet="blake"]`)
	if v := eval[string](tb, `document.getElementById('nce-lab-text').value.slice(0, 200)`); !strings.Contains(w2v.Blake.Text[:200], strings.TrimSpace(v[:50])) {
		t.Errorf("the blake snippet filled the box with %q", v)
	}

	tb.setField("#nce-lab-text", pasted())
	tb.click("use-text")
	tb.waitDone(2 * time.Minute)
	if e := eval[bool](tb, `!!document.querySelector('[data-text-error]')`); e {
		t.Error("a good text is refused")
	}
	if stats := eval[string](tb, `document.querySelector('[data-text="stats"]').textContent`); !strings.Contains(stats, "distinct kept") {
		t.Errorf("text stats %q", stats)
	}
	n := eval[int](tb, `document.querySelectorAll('[data-neighbours] li').length`)
	if n == 0 {
		t.Error("no neighbours listed for the pasted text")
	}
	words := eval[int](tb, `document.querySelectorAll('[data-panel="w2v-words"] circle.nce-dot').length`)
	if words < 10 {
		t.Errorf("%d words on the map", words)
	}
	if ink := tb.canvasInk("nce-cv-w2v-learned"); ink < 0.5 {
		t.Errorf("learned heatmap: %.2f painted", ink)
	}
	// Clicking a word on the map lists its neighbours.
	before := eval[string](tb, `document.getElementById('nce-w2v-focus').value`)
	tb.click2(`[data-panel="w2v-words"] text.nce-wlabel[data-item="1"]`)
	tb.waitFor(`document.getElementById('nce-w2v-focus').value === '1' && document.querySelectorAll('[data-neighbours] li').length > 0`, 20*time.Second)
	t.Logf("focus %s → 1: %s", before, eval[string](tb, `document.querySelector('[data-neighbours]').textContent`))

	if p := tb.path(); p != "/?lab=w2v&corpus=text&speed=10" {
		t.Errorf("address %s", p)
	}
	tb.click("copy-link")
	if c := eval[string](tb, `window.nceLastCopied || ""`); c != baseURL+"/?lab=w2v&corpus=text&speed=10" {
		t.Errorf("copied %q", c)
	}
	if toast := eval[string](tb, `document.querySelector('.nce-toast').textContent`); !strings.Contains(toast, "without your text") {
		t.Errorf("toast %q", toast)
	}
	// A setting changed builds a run of the same text again.
	tb.setField(`[data-value-of="dim"]`, "8")
	tb.waitFor(`location.search.includes('dim=8') && document.querySelector('.nce-app').dataset.status === 'paused'`, 30*time.Second)
	tb.click("play")
	tb.waitDone(2 * time.Minute)
	tb.screenshot("lab-w2v-text")
	tb.noErrors()
}

// click2 clicks the first element matching a CSS selector.
func (tb *tab) click2(sel string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(sel)))
}

// TestLabLinks: a lab link round-trips. A non-canonical link becomes
// canonical in the address bar; changing a control keeps it canonical;
// reopening it restores every setting. The playground links to the labs,
// and the embed layout links to the full page.
func TestLabLinks(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/")
	tb.click2(`.nce-labslink a`)
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.lab === 'w2v' && document.querySelector('.nce-app').dataset.status === 'paused'`, 60*time.Second)
	if p := tb.path(); p != "/?lab=w2v" {
		t.Errorf("the playground's lab link opened %s", p)
	}

	tb.open("/?k=10&lab=w2v&corpus=syntax&theme=dark&seed=1")
	const canon = "/?lab=w2v&corpus=syntax&k=10&theme=dark"
	if p := tb.path(); p != canon {
		t.Errorf("address %s, want %s", p, canon)
	}
	if th := eval[string](tb, `document.documentElement.dataset.theme`); th != "dark" {
		t.Errorf("data-theme %q", th)
	}
	tb.setField(`[data-value-of="window"]`, "4")
	tb.waitFor(`location.search.includes('window=4')`, 10*time.Second)
	tb.setField(`#nce-k-obj`, "nce")
	tb.waitFor(`location.search.includes('obj=nce')`, 10*time.Second)
	tb.setField(`#nce-k-k`, "10000") // the slider's end: k's largest value
	tb.waitFor(`location.search.includes('k=100')`, 10*time.Second)
	const changed = "/?lab=w2v&corpus=syntax&window=4&obj=nce&k=100&theme=dark"
	if p := tb.path(); p != changed {
		t.Errorf("after the changes: %s, want %s", p, changed)
	}
	if s, err := lab.Open(strings.TrimPrefix(changed, "/?")); err != nil || "/?"+s.Link() != changed {
		t.Errorf("the address is not canonical: %v, %v", s.Link(), err)
	}
	tb.open(changed)
	for key, want := range map[string]string{"corpus": "syntax", "window": "4", "obj": "nce", "k": "100", "dim": "32"} {
		if got := tb.labControl(key); got != want {
			t.Errorf("reopened: %s = %q, want %q", key, got, want)
		}
	}
	if th := eval[string](tb, `document.querySelector('.nce-viewctl [data-key="theme"] select').value`); th != "dark" {
		t.Errorf("reopened: theme %q", th)
	}

	tb.open("/embed?lab=w2v&k=10")
	if !eval[bool](tb, `document.querySelector('.nce-app').classList.contains('nce-embed')`) {
		t.Error("/embed is not the embed layout")
	}
	if h := eval[string](tb, `document.querySelector('.nce-open').getAttribute('href')`); h != "/?lab=w2v&k=10" {
		t.Errorf("embed's link to the full page: %s", h)
	}
	tb.noErrors()
}

// TestLabBadKeys: a bad key shows the banner (the key, the value, what is
// allowed) and runs its default, the other keys keep their values; a rule
// says which key it reset; a link naming no lab there is lists the labs.
func TestLabBadKeys(t *testing.T) {
	tb := newTab(t, 1400, 900)
	cases := []struct {
		query, path string
		want        []string
	}{
		{"lab=w2v&k=abc&corpus=syntax", "/?lab=w2v&corpus=syntax", []string{"k", "abc", "1 … 100"}},
		{"lab=w2v&foo=1&corpus=syntax", "/?lab=w2v&corpus=syntax", []string{"foo", "not a known key"}},
		{"lab=w2v&theme=pink&corpus=syntax", "/?lab=w2v&corpus=syntax", []string{"theme", "pink", "auto, light, dark"}},
		{"lab=w2v&vocab=500&corpus=syntax", "/?lab=w2v&corpus=syntax", []string{"vocab", "500", "too large for the generator"}},
	}
	for _, c := range cases {
		tb.open("/?" + c.query)
		text := eval[string](tb, `(document.querySelector('[data-banner="spec"]') || {}).textContent || ""`)
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("%s: banner %q lacks %q", c.query, text, w)
			}
		}
		if got := tb.labControl("corpus"); got != "syntax" {
			t.Errorf("%s: corpus = %q, the good key was not kept", c.query, got)
		}
		if got := tb.labControl("k"); got != "5" {
			t.Errorf("%s: k = %q", c.query, got)
		}
		if p := tb.path(); p != c.path {
			t.Errorf("%s: address %s, want %s", c.query, p, c.path)
		}
		if s := tb.labStatus(); s != "paused" {
			t.Errorf("%s: status %s", c.query, s)
		}
	}
	tb.do(chromedp.Navigate(baseURL + "/?lab=nope"))
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status === 'index'`, 60*time.Second)
	text := eval[string](tb, `document.querySelector('[data-banner="spec"]').textContent`)
	if !strings.Contains(text, "nope") || !strings.Contains(text, "w2v") {
		t.Errorf("lab=nope: banner %q", text)
	}
	if n := eval[int](tb, `document.querySelectorAll('.nce-labcard[data-lab="w2v"]').length`); n != 1 {
		t.Errorf("lab=nope: %d cards for w2v", n)
	}
	tb.screenshot("lab-index")
	tb.noErrors()
}

// TestLabLooks: screenshots to look at (1400×900, the 640×400 embed, a
// 360 px phone; light and dark), with what they must show: no sideways
// scrolling on the phone, the embed within its frame, a dark page in the
// dark theme.
func TestLabLooks(t *testing.T) {
	for _, theme := range []string{"light", "dark"} {
		full := newTab(t, 1400, 900)
		full.open("/?lab=w2v&speed=10&theme=" + theme)
		full.click("play")
		full.waitDone(3 * time.Minute)
		full.screenshot("lab-full-" + theme)
		buf, err := chromedp.Run(full.ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		os.MkdirAll(screenshotDir, 0o755)
		os.WriteFile(filepath.Join(screenshotDir, "lab-page-"+theme+".png"), buf, 0o644)
		if theme == "dark" {
			if bg := eval[float64](full, contrastJS+`luminance(getComputedStyle(document.body).backgroundColor)`); bg > 0.05 {
				t.Errorf("theme=dark: the background has luminance %.3f", bg)
			}
		}
		full.noErrors()

		embed := newTab(t, 640, 400)
		captions := ""
		for _, k := range lab.ViewKeys() {
			if k.Name == "captions" { // one-line captions in embeds, when the key exists
				captions = "&captions=1"
			}
		}
		embed.open("/embed?lab=w2v&speed=10" + captions + "&theme=" + theme)
		embed.click("play")
		embed.waitDone(3 * time.Minute)
		if h := eval[int](embed, `document.documentElement.scrollHeight`); h > 400 {
			t.Errorf("%s embed: %d px tall in a 400 px frame", theme, h)
		}
		embed.screenshot("lab-embed-" + theme)
		embed.noErrors()

		phone := newTab(t, 360, 740)
		phone.open("/?lab=w2v&speed=10&obj=nce&theme=" + theme)
		phone.click("play")
		phone.waitDone(3 * time.Minute)
		if w := eval[int](phone, `document.documentElement.scrollWidth`); w > 360 {
			t.Errorf("%s phone: the page is %d px wide", theme, w)
		}
		phone.screenshot("lab-phone-" + theme)
		phone.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="w2v-heat"]').scrollIntoView()`))
		phone.screenshot("lab-phone-panels-" + theme)
		phone.noErrors()
	}
}
