package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// tourCounter is the tour box's "Step i of n" ("" without a box).
func (tb *tab) tourCounter() string {
	tb.t.Helper()
	return eval[string](tb, `(document.querySelector('[data-tour="counter"]') || {}).textContent || ""`)
}

// reportSpec asks the page for the Metrics JSON (the worker's report of
// the run it is training) and returns its spec field.
func (tb *tab) reportSpec() string {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name === "nce-report.json"`, 30*time.Second)
	var r struct {
		Spec  string `json:"spec"`
		Steps int    `json:"steps"`
	}
	if err := json.Unmarshal([]byte(eval[string](tb, `window.nceLastDownload.text`)), &r); err != nil {
		tb.t.Fatal(err)
	}
	if r.Steps == 0 {
		tb.t.Errorf("the report of %q has trained no step", r.Spec)
	}
	return r.Spec
}

// A tour advances and applies its spec changes (the k control, the link
// and the run the worker trains follow), Back restores the step before,
// and closing it takes the tour key out of the link.
func TestTour(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?seed=3&tour=" + spec.TourRatio)
	tb.waitFor(`document.querySelector('[data-tour="box"]')`, 10*time.Second)
	if got := tb.tourCounter(); got != "Step 1 of 3" {
		t.Fatalf("counter %q", got)
	}
	if got := tb.attr(".nce-app", "data-tour-at"); got != spec.PanelClassifier {
		t.Errorf("step 1 is anchored to %q", got)
	}
	if got := tb.path(); got != "/?seed=3&tour="+spec.TourRatio {
		t.Errorf("address %s", got)
	}
	if tb.control("k") != "1" || tb.has(`[data-action="tour-back"]:not([disabled])`) {
		t.Errorf("step 1: k = %s, Back enabled %v", tb.control("k"), tb.has(`[data-action="tour-back"]:not([disabled])`))
	}

	clickSteady(tb, "tour-next")
	tb.waitFor(`document.querySelector('[data-tour="counter"]').textContent === "Step 2 of 3"`, 10*time.Second)
	if got := tb.control("k"); got != "10" {
		t.Errorf("step 2: k control %q, want 10", got)
	}
	if got, want := tb.path(), "/?k=10&seed=3&tour="+spec.TourRatio; got != want {
		t.Errorf("step 2: address %s, want %s", got, want)
	}
	// The step trains its experiment, playing.
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent >= 20`, 60*time.Second)
	tb.screenshot("tour-1400x900-light")
	tb.click("pause")
	if got := tb.reportSpec(); got != "k=10&seed=3" {
		t.Errorf("step 2: the worker trains %q, want k=10&seed=3", got)
	}
	if got := tb.attr(".nce-app", "data-tour-at"); got != spec.PanelClassifier {
		t.Errorf("step 2 is anchored to %q", got)
	}
	// The box is near its panel: it overlaps it or touches it within 40 px.
	gap := eval[float64](tb, `(() => { const b = document.querySelector('[data-tour="box"]').getBoundingClientRect(), p = document.querySelector('[data-panel="classifier"]').getBoundingClientRect();
		const dx = Math.max(0, p.left - b.right, b.left - p.right), dy = Math.max(0, p.top - b.bottom, b.top - p.bottom); return Math.hypot(dx, dy); })()`)
	if gap > 40 {
		t.Errorf("the tour box is %.0f px from its panel", gap)
	}

	clickSteady(tb, "tour-next")
	tb.waitFor(`document.querySelector('[data-tour="counter"]').textContent === "Step 3 of 3"`, 10*time.Second)
	if tb.control("k") != "100" || tb.attr(".nce-app", "data-tour-at") != spec.PanelCurves || tb.has(`[data-action="tour-next"]`) {
		t.Errorf("step 3: k %s, anchor %q", tb.control("k"), tb.attr(".nce-app", "data-tour-at"))
	}

	clickSteady(tb, "tour-back")
	tb.waitFor(`document.querySelector('[data-tour="counter"]').textContent === "Step 2 of 3"`, 10*time.Second)
	if got := tb.control("k"); got != "10" {
		t.Errorf("back to step 2: k %q", got)
	}
	clickSteady(tb, "tour-back")
	tb.waitFor(`document.querySelector('[data-tour="counter"]').textContent === "Step 1 of 3"`, 10*time.Second)
	if got := tb.path(); got != "/?seed=3&tour="+spec.TourRatio {
		t.Errorf("back to step 1: address %s", got)
	}
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent >= 5`, 60*time.Second)
	tb.click("pause")
	if got := tb.reportSpec(); got != "seed=3" {
		t.Errorf("back to step 1: the worker trains %q, want seed=3", got)
	}

	tb.click("tour-close")
	tb.waitFor(`!document.querySelector('[data-tour="box"]')`, 10*time.Second)
	if got := tb.path(); got != "/?seed=3" {
		t.Errorf("closed: address %s", got)
	}
	tb.noErrors()
}

// The tour box is readable wherever the page is shown: screenshots of a
// step at 1400×900 dark, a 360 px phone (both themes) and the 640×400
// embed (both themes), each box within the viewport.
func TestTourLooks(t *testing.T) {
	for _, c := range []struct {
		name string
		w, h int64
		path string
	}{
		{"tour-1400x900-dark", 1400, 900, "/?theme=dark&tour=" + spec.TourIntro},
		{"tour-phone-light", 360, 740, "/?theme=light&tour=" + spec.TourIntro},
		{"tour-phone-dark", 360, 740, "/?theme=dark&tour=" + spec.TourIntro},
		{"tour-embed-light", 640, 400, "/embed?theme=light&tour=" + spec.TourCover},
		{"tour-embed-dark", 640, 400, "/embed?theme=dark&tour=" + spec.TourCover},
	} {
		t.Run(c.name, func(t *testing.T) {
			tb := newTab(t, c.w, c.h)
			tb.open(c.path)
			tb.waitFor(`document.querySelector('[data-tour="box"]')`, 10*time.Second)
			clickSteady(tb, "tour-next")
			tb.waitFor(`document.querySelector('[data-tour="counter"]').textContent.startsWith("Step 2 ")`, 10*time.Second)
			// A step leaves training as it was (the page's paused, the
			// embed's playing): play if paused, with the button's own
			// click, not one at its coordinates: on a phone the tour is
			// still scrolling its panel into view, and a click there can
			// land elsewhere.
			eval[bool](tb, `(() => { const b = document.querySelector('[data-action="play"]:not([disabled])'); if (b) b.click(); return true; })()`)
			tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent >= 20`, 60*time.Second)
			time.Sleep(800 * time.Millisecond) // the smooth scroll to the panel
			tb.screenshot(c.name)
			out := eval[string](tb, `(() => { const r = document.querySelector('[data-tour="box"]').getBoundingClientRect(); const fs = parseFloat(getComputedStyle(document.querySelector('[data-tour="text"]')).fontSize);
				return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight, fs].map(Math.round).join(","); })()`)
			var l, tp, r, b, w, h, fs int
			fmt.Sscanf(out, "%d,%d,%d,%d,%d,%d,%d", &l, &tp, &r, &b, &w, &h, &fs)
			if l < 0 || r > w || tp < 0 || b > h {
				t.Errorf("the tour box %d,%d–%d,%d leaves the %d×%d viewport", l, tp, r, b, w, h)
			}
			if fs < 11 {
				t.Errorf("the tour's text is %d px", fs)
			}
			tb.noErrors()
		})
	}
}

// A tour file: one with a bad line is refused naming it, and the page goes
// on; a good one starts its tour and the link carries it.
func TestTourFile(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?k=2")
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	good := filepath.Join(dir, "good.txt")
	text := "# my lesson\ndensity | k=5 | Five noise points ([E8](docs/math.md#e8)).\ncurves | nscale=2 | Wider noise.\n"
	os.WriteFile(bad, []byte("density | k=5 | fine\nsideways | | no such panel\n"), 0o644)
	os.WriteFile(good, []byte(text), 0o644)

	tb.do(chromedp.SetUploadFiles(chromedp.CSS(`input[data-action="tour-file"]`), []string{bad}))
	tb.waitFor(`document.querySelector('[data-banner="tour"]')`, 10*time.Second)
	msg := eval[string](tb, `document.querySelector('[data-banner="tour"]').textContent`)
	if !strings.Contains(msg, "bad.txt: tour line 2: panel \"sideways\" is not one of") {
		t.Errorf("banner %q", msg)
	}
	if tb.has(`[data-tour="box"]`) || tb.path() != "/?k=2" {
		t.Errorf("a bad file changed the page: %s", tb.path())
	}

	tb.do(chromedp.SetUploadFiles(chromedp.CSS(`input[data-action="tour-file"]`), []string{good}))
	tb.waitFor(`document.querySelector('[data-tour="box"]')`, 10*time.Second)
	if got := tb.tourCounter(); got != "Step 1 of 2" || tb.control("k") != "5" || tb.has(`[data-banner="tour"]`) {
		t.Errorf("good file: counter %q, k %s", got, tb.control("k"))
	}
	if got, want := tb.path(), "/?k=5&tour="+spec.EncodeTour(text); got != want {
		t.Errorf("good file: address %s, want %s", got, want)
	}
	// The link alone brings the tour back.
	tb.do(chromedp.Reload())
	tb.waitFor(`document.querySelector('[data-tour="box"]')`, 60*time.Second)
	if got := eval[string](tb, `document.querySelector('[data-tour="text"]').textContent`); got != "Five noise points (E8)." {
		t.Errorf("after reload: step text %q", got)
	}
	tb.noErrors()
}

// controls=k,nscale shows only those controls, on the page and in the
// embed's toolbar (where they work); an unknown name is a banner listing
// the allowed ones.
func TestControlsKey(t *testing.T) {
	visible := `[...document.querySelectorAll('.nce-controls .nce-ctl')].filter(e => e.getClientRects().length).map(e => e.dataset.key).join(",")`
	tb := newTab(t, 1400, 900)
	tb.open("/?controls=k,nscale")
	if got := eval[string](tb, visible); got != "nscale,k" {
		t.Errorf("page: visible controls %q, want nscale,k", got)
	}
	if tb.has("#nce-preset") || tb.has(`[data-action="seed"]`) {
		t.Error("page: the presets or New seed are shown")
	}
	tb.screenshot("controls-1400x900")
	tb.open("/?controls=k,foo")
	msg := eval[string](tb, `(document.querySelector('[data-banner="spec"]') || {}).textContent || ""`)
	if !strings.Contains(msg, "foo") || !strings.Contains(msg, "comma-separated subset of "+strings.Join(spec.Lookup("controls").Values, ", ")) {
		t.Errorf("controls=k,foo: banner %q", msg)
	}

	em := newTab(t, 640, 400)
	em.open("/embed?controls=k,nscale&theme=dark")
	if got := eval[string](em, visible); got != "nscale,k" {
		t.Errorf("embed: visible controls %q, want nscale,k", got)
	}
	em.setControl("k", strconv.Itoa(view.SliderPos(spec.Lookup("k"), "4"))) // the slider's position of k = 4
	em.waitFor(`location.search.includes("k=4")`, 10*time.Second)
	em.stepN(3)
	// The embed has no Metrics JSON: its numbers are those of the full
	// page's run whose report says k=4 (and not those of k=1).
	tb.open("/?k=4")
	tb.stepN(3)
	if got := tb.reportSpec(); got != "k=4" {
		t.Fatalf("page: the worker trains %q", got)
	}
	if a, b := em.metric("loss"), tb.metric("loss"); a != b {
		t.Errorf("embed: loss %v at step 3 after k=4; the page's k=4 run: %v", a, b)
	}
	tb.open("/")
	tb.stepN(3)
	if a, b := em.metric("loss"), tb.metric("loss"); a == b {
		t.Errorf("embed: loss %v at step 3 is k=1's", a)
	}
	em.screenshot("controls-embed-640x400")
	em.noErrors()
	tb.noErrors()
}

// clickSteady clicks an action's button once it has stayed in place for
// three animation frames: the tour box moves to its step's panel after a
// step (CSS anchor positioning), and a click at the old place would land
// on whatever is there now.
func clickSteady(tb *tab, action string) {
	tb.t.Helper()
	eval[bool](tb, `new Promise((resolve) => {
		let last = "", n = 0;
		const f = () => {
			const el = document.querySelector('[data-action="`+action+`"]');
			const b = el && el.getBoundingClientRect();
			const s = b ? [b.x, b.y, b.width, b.height].join() : "";
			if (s !== "" && s === last) {
				if (++n >= 3) { resolve(true); return; }
			} else {
				n = 0;
			}
			last = s;
			requestAnimationFrame(f);
		};
		f();
	})`)
	tb.click(action)
}
