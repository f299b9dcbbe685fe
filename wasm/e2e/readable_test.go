package e2e

import (
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

// Issue 9's checks in the browser: fractions, text sizes, overflow,
// legends, the phone's toolbar, the hover readout and the exports.

// settled waits until the page has drawn the current run's first frames
// at the sizes it measured: every plot's view box is its slot's size.
func (tb *tab) settled(minStep int) {
	tb.t.Helper()
	tb.waitFor(fmt.Sprintf(`+document.querySelector('[data-metric="step"]').textContent >= %d`, minStep), 90*time.Second)
	tb.waitFor(`[...document.querySelectorAll('[data-slot]')].every(s => {
		const svg = s.querySelector('svg');
		const r = s.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) return true; // hidden by the layout
		if (!svg) return false;
		const vb = (svg.getAttribute('viewBox') || '').split(' ').map(Number);
		return Math.abs(vb[2] - Math.max(120, Math.round(r.width))) <= 1 && Math.abs(vb[3] - Math.max(90, Math.round(r.height))) <= 1;
	})`, 30*time.Second)
	time.Sleep(300 * time.Millisecond)
}

// layoutProblems lists, for every panel: elements that leave it (by more
// than a pixel), text drawn under 11 px (computed font size, times the
// SVG's scale for SVG text), and legends over their plot's area; and the
// page overflowing sideways.
const layoutProblemsJS = `(() => {
	const out = [];
	const visible = (el) => { const cs = getComputedStyle(el); return cs.display !== 'none' && cs.visibility !== 'hidden'; };
	const name = (el) => el.tagName.toLowerCase() + (el.getAttribute('class') ? '.' + el.getAttribute('class').split(' ').join('.') : '') + (el.textContent ? ' "' + el.textContent.trim().slice(0, 24) + '"' : '');
	const de = document.documentElement;
	if (de.scrollWidth > de.clientWidth + 1) out.push('the page is ' + de.scrollWidth + ' px wide in a ' + de.clientWidth + ' px viewport');
	for (const p of document.querySelectorAll('[data-panel]')) {
		const pr = p.getBoundingClientRect();
		const id = p.dataset.panel;
		for (const el of p.querySelectorAll('*')) {
			if (!el.getClientRects().length) continue;
			let hidden = false;
			for (let a = el; a && a !== p; a = a.parentElement) if (!visible(a)) { hidden = true; break; }
			if (hidden) continue;
			const r = el.getBoundingClientRect();
			if (r.width === 0 && r.height === 0) continue;
			if (r.left < pr.left - 1 || r.right > pr.right + 1 || r.top < pr.top - 1 || r.bottom > pr.bottom + 1)
				out.push(id + ': ' + name(el) + ' leaves the panel (' + [r.left, r.top, r.right, r.bottom].map(Math.round) + ' in ' + [pr.left, pr.top, pr.right, pr.bottom].map(Math.round) + ')');
			const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== '');
			if (own) {
				let px = parseFloat(getComputedStyle(el).fontSize);
				if (el instanceof SVGElement && el.getScreenCTM()) px *= el.getScreenCTM().a;
				if (px < 10.95) out.push(id + ': ' + name(el) + ' is ' + px.toFixed(1) + ' px');
			}
		}
		for (const svg of p.querySelectorAll('svg.nce-plot')) {
			const axis = svg.querySelector('.nce-axis');
			if (!axis || !svg.getClientRects().length) continue;
			const a = axis.getBoundingClientRect();
			for (const item of svg.querySelectorAll('.nce-leg > g > *')) {
				const r = item.getBoundingClientRect();
				if (r.width === 0 && r.height === 0) continue;
				if (r.left < a.right - 0.5 && r.right > a.left + 0.5 && r.top < a.bottom - 0.5 && r.bottom > a.top + 0.5)
					out.push(id + ': legend ' + name(item) + ' lies over the plot');
			}
		}
	}
	return out;
})()`

func (tb *tab) layoutProblems() []string {
	tb.t.Helper()
	return eval[[]string](tb, layoutProblemsJS)
}

// steadyLayoutProblems is layoutProblems once the layout has settled: a
// page still training can be caught between a resize and the re-render
// that answers it (a slot that shrank a frame ago holds a plot drawn for
// the old size, its text scaled below 11 px), which a user sees for a
// frame. It looks again every 100 ms while there are problems, for up to
// 10 s (a loaded machine's main thread can lag a second behind), and
// returns the last look: a problem that lasts is reported.
func (tb *tab) steadyLayoutProblems() []string {
	tb.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := tb.layoutProblems()
		if len(out) == 0 || time.Now().After(deadline) {
			return out
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// The screenshots of every size and theme (build/screenshots/size-*.png)
// and, at each, no overflow, no small text, no legend over data.
func TestEveryPanelReadable(t *testing.T) {
	type page struct {
		name string
		w, h int64
		path string
	}
	ring := "target=ring&model=mlp&units=16&k=8&lr=0.003"
	var pages []page
	for _, theme := range []string{spec.ThemeLight, spec.ThemeDark} {
		pages = append(pages,
			page{"full-1d-" + theme, 1400, 900, "/?speed=4&theme=" + theme},
			page{"full-2d-" + theme, 1400, 900, "/?" + ring + "&speed=10&theme=" + theme},
			page{"phone-1d-" + theme, 360, 740, "/?speed=4&theme=" + theme},
			page{"phone-2d-" + theme, 360, 740, "/?" + ring + "&speed=10&theme=" + theme},
			page{"embed640-2d-" + theme, 640, 400, "/embed?" + ring + "&autoplay=1&speed=10&theme=" + theme},
			page{"embed480-2d-" + theme, 480, 360, "/embed?" + ring + "&autoplay=1&speed=10&captions=1&theme=" + theme},
			page{"embed640-1d-" + theme, 640, 400, "/embed?autoplay=1&speed=4&captions=1&theme=" + theme},
			page{"embed480-1d-" + theme, 480, 360, "/embed?autoplay=1&speed=4&theme=" + theme},
		)
	}
	for _, pg := range pages {
		tb := newTab(t, pg.w, pg.h)
		tb.open(pg.path)
		if !strings.Contains(pg.path, "autoplay=1") {
			tb.click("play")
		}
		if strings.Contains(pg.path, "ring") {
			tb.settled(10)
		} else {
			tb.settled(300)
		}
		problems := tb.steadyLayoutProblems()
		tb.screenshot("size-" + pg.name)
		if strings.HasPrefix(pg.name, "full") || strings.HasPrefix(pg.name, "phone") {
			full, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(screenshotDir, "size-"+pg.name+"-full.png"), full, 0o644)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", pg.name, p)
		}
		tb.noErrors()
	}
}

// While a run trains, the page holds still: the toolbar, the panels and
// the plots keep their places and sizes, frame after frame. A readout
// whose value changes its width used to rewrap the toolbar's readouts
// several times a second (at 1280 and 1024 px and in a 640×400 embed),
// moving every panel under them by a line and re-laying out the page
// (wasm/ui/live.go, readoutChars); a lab's readouts and progress count
// keep theirs too (labview.ReadoutRoom, ProgressRoom), and so does
// the status word, so that pausing leaves the toolbar as it is. Watched from
// the run's first steps for five seconds, at every frame the browser
// draws.
func TestLayoutHoldsStillWhileTraining(t *testing.T) {
	long := "&steps=1000000" // still training at the end
	ring := "target=ring&model=mlp&units=16&k=8&lr=0.003&speed=10" + long
	for _, pg := range []struct {
		w, h int64
		path string
	}{
		{1400, 900, "/?" + w2},
		{1280, 900, "/?" + w2},
		{1024, 768, "/?" + w2},
		{360, 740, "/?" + ring},
		{640, 400, "/embed?autoplay=1&" + ring},
		{480, 360, "/embed?autoplay=1&captions=1&speed=4" + long},
		{1280, 900, "/?lab=vocab&speed=10"},
		{1280, 900, "/?lab=infonce&steps=20000&speed=10"},
		{640, 400, "/embed?lab=vocab&autoplay=1&speed=10"},
	} {
		tb := newTab(t, pg.w, pg.h)
		tb.open(pg.path)
		isLab := strings.Contains(pg.path, "lab=")
		if !strings.Contains(pg.path, "autoplay=1") {
			tb.click("play")
		}
		if isLab {
			tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'training'`, 60*time.Second)
			time.Sleep(time.Second) // its first frames
		} else {
			tb.settled(1)
		}
		moved := eval[[]string](tb, `new Promise((resolve) => {
			const els = [...document.querySelectorAll('.nce-bar, .nce-readouts, [data-panel], [data-slot]')];
			const where = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top + scrollY, r.width, r.height].map(Math.round).join(' '); };
			const name = (e) => e.dataset.slot || e.dataset.panel || e.className;
			const last = new Map(els.map((e) => [e, where(e)]));
			const out = [];
			const t0 = performance.now();
			const look = () => {
				for (const e of els) {
					const w = where(e);
					if (w !== last.get(e)) { out.push(name(e) + ": " + last.get(e) + " → " + w); last.set(e, w); }
				}
				if (performance.now() - t0 < 5000) requestAnimationFrame(look); else resolve(out);
			};
			requestAnimationFrame(look);
		})`)
		if len(moved) > 0 {
			t.Errorf("%d×%d %s: %d moves while training, the first: %v", pg.w, pg.h, pg.path, len(moved), moved[:min(4, len(moved))])
		}
		// Pausing leaves the toolbar as it is too: the status word keeps the
		// room of "training" (.nce-fit). (The panels may grow: a paused run
		// judges its numbers, and a warning may open.)
		status := eval[string](tb, `document.querySelector('.nce-app').dataset.status`)
		if !strings.Contains(pg.path, "autoplay=1") && status == "training" {
			boxes := `JSON.stringify([...document.querySelectorAll('.nce-bar, .nce-readouts, .nce-ro')].map((e) => { const r = e.getBoundingClientRect(); return [r.left, r.top + scrollY, r.width, r.height].map(Math.round); }))`
			before := eval[string](tb, boxes)
			tb.click("pause")
			tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'paused'`, 10*time.Second)
			time.Sleep(300 * time.Millisecond)
			if after := eval[string](tb, boxes); after != before {
				t.Errorf("%d×%d %s: pausing moved the toolbar:\n%s\n%s", pg.w, pg.h, pg.path, before, after)
			}
		}
		if isLab {
			if status != "training" && status != "done" {
				t.Errorf("%d×%d %s: the lab is %q after the watch", pg.w, pg.h, pg.path, status)
			}
		} else if step := tb.metric("step"); step < 20 {
			t.Errorf("%d×%d %s: only %v steps: the run did not train while watched", pg.w, pg.h, pg.path, step)
		}
		tb.noErrors()
	}
}

// Every panel combination an embed can show fits 640×400 and 480×360:
// nothing leaves its panel, nothing overflows sideways, no small text
// (the frame may scroll vertically).
func TestEmbedCombinations(t *testing.T) {
	// Every non-empty set of the registry's panels, in 1D and in 2D.
	var combos []string
	for mask := 1; mask < 1<<len(spec.Panels); mask++ {
		var ids []string
		for i, p := range spec.Panels {
			if mask&(1<<i) != 0 {
				ids = append(ids, p.ID)
			}
		}
		combos = append(combos, strings.Join(ids, ","))
	}
	four := strings.Join([]string{spec.PanelSamples, spec.PanelClassifier, spec.PanelDensity, spec.PanelCurves}, ",")
	for _, size := range [][2]int64{{640, 400}, {480, 360}} {
		tb := newTab(t, size[0], size[1])
		for _, dim := range []string{"", "target=ring&model=mlp&units=8&k=8&"} {
			for _, c := range combos {
				path := "/embed?" + dim + "panels=" + c + "&captions=1&speed=4"
				tb.open(path)
				tb.click("step")
				tb.settled(1)
				for _, p := range tb.steadyLayoutProblems() {
					t.Errorf("%dx%d %s: %s", size[0], size[1], path, p)
				}
				if c == four && dim != "" {
					tb.screenshot(fmt.Sprintf("embed%d-four", size[0]))
				}
			}
		}
		tb.noErrors()
	}
}

// Every formula the page can show (every objective × norm × dimension)
// renders its fractions with exactly two children, the numerator above
// the denominator; a screenshot of rank's Explain panel shows the bar.
func TestFractionsRender(t *testing.T) {
	tb := newTab(t, 1400, 900)
	seen := map[string]bool{}
	fracs := 0
	for _, obj := range spec.Lookup("obj").Values {
		for _, norm := range spec.Lookup("norm").Values {
			for _, target := range []string{"quartic", "ring"} {
				s, err := spec.Parse("obj=" + obj + "&norm=" + norm + "&target=" + target + "&panels=explain")
				if err != nil {
					t.Fatal(err)
				}
				q := s.Canonical()
				if seen[q] {
					continue
				}
				seen[q] = true
				tb.open("/?" + q)
				tb.waitFor(`document.querySelector('[data-panel="explain"] math')`, 20*time.Second)
				bad := eval[[]string](tb, `[...document.querySelectorAll('[data-panel="explain"] mfrac')].flatMap(f => {
					const k = f.children;
					if (k.length !== 2) return ['a fraction with ' + k.length + ' children: ' + f.textContent];
					const a = k[0].getBoundingClientRect(), b = k[1].getBoundingClientRect();
					return a.bottom <= b.top + 1 ? [] : ['numerator not above denominator: ' + f.textContent];
				})`)
				for _, b := range bad {
					t.Errorf("%s: %s", q, b)
				}
				fracs += eval[int](tb, `document.querySelectorAll('[data-panel="explain"] mfrac').length`)
				if obj == "rank" && target == "quartic" {
					buf, err := chromedp.Run(tb.ctx, chromedp.ScreenshotScale(chromedp.CSS(`[data-panel="explain"]`), 2))
					if err != nil {
						t.Fatal(err)
					}
					os.MkdirAll(screenshotDir, 0o755)
					os.WriteFile(filepath.Join(screenshotDir, "explain-rank.png"), buf, 0o644)
				}
			}
		}
	}
	if fracs < 6 {
		t.Errorf("only %d fractions on the pages", fracs)
	}
	tb.noErrors()
}

// Pointing at a plot shows the values under the pointer.
func TestHoverReadout(t *testing.T) {
	tb := newTab(t, 1400, 900)
	hover := func(slot string, fx, fy float64) string {
		tb.t.Helper()
		pt := eval[[]float64](tb, fmt.Sprintf(`(() => { const r = document.querySelector('[data-slot="%s"]').getBoundingClientRect(); return [r.left + %v * r.width, r.top + %v * r.height]; })()`, slot, fx, fy))
		tb.do(chromedp.MouseEvent("mouseMoved", pt[0], pt[1]))
		tb.waitFor(fmt.Sprintf(`document.querySelector('.nce-tip') && !document.querySelector('.nce-tip').hidden && document.querySelector('.nce-tip').dataset.slot === %q`, slot), 5*time.Second)
		return eval[string](tb, `document.querySelector('.nce-tip').textContent`)
	}
	tb.open("/?speed=10")
	tb.click("play")
	tb.settled(200)
	for slot, want := range map[string][]string{
		spec.PanelSamples:    {"x = ", "p̃(x) = ", "k·U(x) = ", "histogram = "},
		spec.PanelClassifier: {"learned P(1|x) = ", "Bayes P(1|x) = "},
		spec.PanelDensity:    {"p̃(x) = ", "p̂(x) = "},
		view.CurveSlot(1):    {"step = ", "c = ", "log Z = "},
	} {
		got := hover(slot, 0.55, 0.6)
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: readout %q lacks %q", slot, got, w)
			}
		}
	}
	tb.screenshot("hover-1d")
	tb.open("/?target=ring&model=mlp&units=8&k=8")
	tb.click("step")
	tb.settled(1)
	if got := hover(spec.PanelClassifier, 0.5, 0.55); !strings.Contains(got, "x = (") || !strings.Contains(got, "Bayes P(1|x) = ") {
		t.Errorf("2D classifier readout %q", got)
	}
	tb.noErrors()
}

// On a phone the toolbar (play, pause, step and the headline numbers)
// stays on screen while the page scrolls, and the settings are one tap
// away.
func TestPhoneToolbarAndSettings(t *testing.T) {
	tb := newTab(t, 360, 740)
	tb.open("/")
	tb.settled(0)
	if h := eval[float64](tb, `document.documentElement.scrollHeight`); h < 2000 {
		t.Fatalf("the page is only %v px tall: nothing to scroll", h)
	}
	for _, y := range []string{"900", "2500", "document.documentElement.scrollHeight"} {
		eval[bool](tb, `(window.scrollTo(0, `+y+`), true)`)
		time.Sleep(200 * time.Millisecond)
		vis := eval[[]string](tb, `(() => {
			const out = [];
			for (const sel of ['[data-action="play"]', '[data-action="pause"]', '[data-action="step"]', '[data-action="settings"]', '[data-metric="step"]', '[data-metric="loss"]', '[data-metric="kl"]']) {
				const el = document.querySelector(sel);
				const r = el.getBoundingClientRect();
				const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
				if (r.top < 0 || r.bottom > innerHeight || !(hit === el || el.contains(hit))) out.push(sel);
			}
			return out;
		})()`)
		if len(vis) > 0 {
			t.Errorf("scrolled to %s: not visible: %v", y, vis)
		}
	}
	if h := eval[float64](tb, `document.querySelector('.nce-bar').getBoundingClientRect().height`); h > 160 {
		t.Errorf("the sticky toolbar is %v px tall on a 740 px phone", h)
	}
	tb.screenshot("phone-scrolled")
	tb.click("step")
	tb.waitFor(`document.querySelector('[data-metric="step"]').textContent === "1"`, 10*time.Second)
	// One tap: the settings cover the screen, scrollable, with Done.
	tb.click("settings")
	tb.waitFor(`document.querySelector('#nce-settings.nce-open')`, 5*time.Second)
	r := eval[[]float64](tb, `(() => { const r = document.getElementById('nce-settings').getBoundingClientRect(); const k = document.getElementById('nce-k-k').getBoundingClientRect(); return [r.top, r.bottom, k.top, k.bottom]; })()`)
	if r[0] > 1 || r[1] < 700 || r[2] < 0 {
		t.Errorf("settings drawer at %v (top, bottom, the k control's top, bottom): want it on screen", r)
	}
	tb.screenshot("phone-settings")
	for _, p := range eval[[]string](tb, `[...document.querySelectorAll('#nce-settings *')].filter(e => e.getClientRects().length && e.getBoundingClientRect().right > innerWidth + 1).map(e => e.tagName)`) {
		t.Errorf("settings: %s overflows sideways", p)
	}
	tb.setControl("obj", "cls")
	tb.waitFor(`location.search.includes("obj=cls")`, 10*time.Second)
	tb.click("settings-done")
	tb.waitFor(`!document.querySelector('#nce-settings.nce-open')`, 5*time.Second)
	tb.noErrors()
}

// The CSV names its experiment and has uniform steps (across a pause and
// single steps); the JSON writes the spec with a plain "&".
func TestExportsSayWhatTheyHold(t *testing.T) {
	tb := newTab(t, 1280, 900)
	q := "target=bimodal&k=5&steps=1000000&speed=2"
	tb.open("/?" + q)
	tb.click("play")
	tb.waitFor(`+document.querySelector('[data-metric="step"]').textContent > 400`, 60*time.Second)
	tb.click("pause")
	n := tb.stableStep()
	tb.stepN(3)
	tb.click("play")
	tb.waitFor(fmt.Sprintf(`+document.querySelector('[data-metric="step"]').textContent > %v`, n+800), 90*time.Second)
	tb.click("pause")
	end := int(tb.stableStep())
	tb.click("csv")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name === "nce-curves.csv"`, 10*time.Second)
	csv := eval[string](tb, `window.nceLastDownload.text`)
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	if want := "# NCE Playground spec: " + s.ExperimentQuery(); len(lines) < 3 || lines[0] != want || !strings.HasPrefix(lines[2], "step,loss,") {
		t.Fatalf("CSV starts %q, want %q", lines[:min(3, len(lines))], want)
	}
	var steps []int
	for _, l := range lines[3:] {
		n, err := strconv.Atoi(strings.SplitN(l, ",", 2)[0])
		if err != nil {
			t.Fatalf("row %q", l)
		}
		steps = append(steps, n)
	}
	if len(steps) < 20 || steps[0] != 0 {
		t.Fatalf("CSV steps %v", steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i]-steps[i-1] != steps[1]-steps[0] {
			t.Fatalf("uneven CSV steps: %v", steps)
		}
	}
	if last := steps[len(steps)-1]; end-last >= steps[1]-steps[0] {
		t.Errorf("the CSV stops at step %d, training at %d", last, end)
	}
	t.Logf("CSV: %d rows every %d steps to step %d (training paused at %d)", len(steps), steps[1]-steps[0], steps[len(steps)-1], end)
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name === "nce-report.json"`, 10*time.Second)
	js := eval[string](tb, `window.nceLastDownload.text`)
	if !strings.Contains(js, `"spec": "`+s.ExperimentQuery()+`"`) || strings.Contains(js, `\u0026`) {
		t.Errorf("JSON report: %.300s", js)
	}
	tb.noErrors()
}
