package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/codegen"
	"nceplay/core/objective"
	"nceplay/core/spec"
	"nceplay/wasm/view"
)

// Issue 13 §2 and §3 on the page: a pinned run drawn under the next as a
// ghost, and "Show code" (code.wasm, loaded on the first click).

// trainToEnd plays the current run and waits until it is done.
func (tb *tab) trainToEnd() {
	tb.t.Helper()
	tb.click("play")
	tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'done'`, 4*time.Minute)
}

// count is the number of matches of a selector.
func (tb *tab) count(sel string) int {
	tb.t.Helper()
	return eval[int](tb, `document.querySelectorAll(`+strconv.Quote(sel)+`).length`)
}

// drawn is the number of matches of a selector that are paths with
// something to draw.
func (tb *tab) drawn(sel string) int {
	tb.t.Helper()
	return eval[int](tb, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].filter(p => (p.getAttribute('d') || '').includes('L')).length`)
}

// legendOf is the legend text of the plots matching a selector.
func (tb *tab) legendOf(sel string) []string {
	tb.t.Helper()
	s := eval[string](tb, `[...document.querySelectorAll(`+strconv.Quote(sel)+`)].map(svg => [...svg.querySelectorAll('.nce-leg text')].map(t => t.textContent).join('|')).join('\n')`)
	return strings.Split(s, "\n")
}

// setTheme switches the theme with the toolbar's control (a view key:
// the run and the pin stay).
func (tb *tab) setTheme(theme string) {
	tb.t.Helper()
	tb.setField(`.nce-viewctl [data-key="theme"] select`, theme)
	tb.waitFor(`document.documentElement.dataset.theme === `+strconv.Quote(theme), 10*time.Second)
	time.Sleep(300 * time.Millisecond) // a render with the new colours
}

// A 1D run pinned (obj=nce, k=3), then the objective changed to mle and
// trained: the Density panel draws the pinned p̂ dotted under the new
// one and every Curves chart the pinned run's lines; each legend names
// both specs in short form. The pin survives Reset and a change of spec,
// and Unpin removes it.
func TestPinGhost1D(t *testing.T) {
	tb := newTab(t, 1400, 900)
	tb.open("/?obj=" + objective.NCE.Name + "&k=3&steps=400&speed=10")
	tb.trainToEnd()
	pinned := tb.specOf()
	if tb.count(`path.pinned`) != 0 {
		t.Fatal("ghost paths before anything is pinned")
	}
	tb.click("pin")
	tb.waitFor(`document.querySelector('[data-action="unpin"]')`, 10*time.Second)
	if tb.attr(`[data-action="unpin"]`, "aria-pressed") != "true" {
		t.Error("the pin button does not say it is pressed")
	}

	tb.setField(`#nce-k-obj`, objective.MLE.Name)
	tb.waitFor(`location.search.includes("obj=`+objective.MLE.Name+`")`, 20*time.Second)
	tb.trainToEnd()
	now := tb.specOf()
	checkGhost1D := func() {
		t.Helper()
		if n := tb.drawn(`[data-panel="density"] path.nce-l.pinned`); n != 1 {
			t.Errorf("density: %d ghost paths drawn, want 1 (the pinned p̂)", n)
		}
		// The ghost lies under the current run's lines: it comes first.
		if first := eval[string](tb, `document.querySelector('[data-panel="density"] svg path.nce-l:not(.nce-leg path)').getAttribute('class')`); !strings.Contains(first, "pinned") {
			t.Errorf("density: the first line is %q, not the ghost", first)
		}
		for _, id := range []string{view.PlotLoss, view.PlotC, view.PlotKL, view.PlotAcc} {
			sel := `[data-panel="curves"] svg[data-plot="` + id + `"]`
			if n := tb.drawn(sel + ` path.nce-l.pinned`); n < 1 {
				t.Errorf("curves %s: no ghost path drawn", id)
			}
		}
		a, b := view.PinLabels(pinned, now)
		for _, sel := range []string{`[data-panel="density"] svg`, `[data-panel="curves"] svg`} {
			for _, leg := range tb.legendOf(sel) {
				if !strings.Contains(leg, a) || !strings.Contains(leg, b) || !strings.Contains(leg, "pin") || !strings.Contains(leg, "now: ") {
					t.Errorf("%s: legend %q does not name both runs (%q, %q)", sel, leg, a, b)
				}
			}
		}
	}
	checkGhost1D()
	a, b := view.PinLabels(pinned, now)
	if a != "obj="+objective.NCE.Name || b != "obj="+objective.MLE.Name {
		t.Errorf("labels %q against %q, want only the keys that differ", a, b)
	}
	// Pinned ghosts are decimated: the curves' history at most PinPoints.
	tb.screenshot("pin-1d-light")
	tb.setTheme(spec.ThemeDark)
	tb.screenshot("pin-1d-dark")
	tb.setTheme(spec.ThemeLight)

	// Reset and play again: the ghost stays.
	tb.click("reset")
	tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'paused' && document.querySelector('[data-panel="density"] svg')`, 30*time.Second)
	if n := tb.drawn(`[data-panel="density"] path.nce-l.pinned`); n != 1 {
		t.Errorf("after Reset: %d density ghosts", n)
	}
	tb.trainToEnd()
	checkGhost1D()

	tb.click("unpin")
	tb.waitFor(`document.querySelector('[data-action="pin"]')`, 10*time.Second)
	if n := tb.count(`path.pinned`); n != 0 {
		t.Errorf("after Unpin: %d ghost paths", n)
	}
	if leg := strings.Join(tb.legendOf(`[data-panel="density"] svg`), " "); strings.Contains(leg, "pinned") {
		t.Errorf("after Unpin the legend still names a pinned run: %q", leg)
	}
	// The pin is not in the link.
	if strings.Contains(tb.path(), "pin") {
		t.Errorf("the address names the pin: %s", tb.path())
	}
	tb.noErrors()
}

// A 2D run pinned (obj=nce, k = 3), then the objective changed to cls: the Density map draws the pinned p̂'s
// contours (dotted, at p̃'s levels) under the truth's, and the legend
// names both specs. Screenshots at 1400×900, 640×400 and on a phone, in
// both themes.
func TestPinGhost2D(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int64
	}{{"1400", 1400, 900}, {"640", 640, 400}, {"phone", 360, 740}} {
		t.Run(sz.name, func(t *testing.T) {
			tb := newTab(t, sz.w, sz.h)
			tb.open("/?target=gauss2d&k=3&steps=300&speed=10")
			tb.trainToEnd()
			pinned := tb.specOf()
			tb.click("pin")
			tb.waitFor(`document.querySelector('[data-action="unpin"]')`, 10*time.Second)
			tb.setField(`#nce-k-obj`, objective.Cls.Name)
			tb.waitFor(`location.search.includes("obj=`+objective.Cls.Name+`")`, 20*time.Second)
			tb.trainToEnd()
			now := tb.specOf()
			if n := tb.drawn(`[data-panel="density"] path.nce-l.contour-pinned`); n != 1 {
				t.Errorf("density: %d pinned contour paths drawn, want 1", n)
			}
			if n := tb.drawn(`[data-panel="density"] path.nce-halo.h-contour-pinned`); n != 1 {
				t.Errorf("density: %d halos of the pinned contours, want 1", n)
			}
			a, b := view.PinLabels(pinned, now)
			if a != "obj="+objective.NCE.Name || b != "obj="+objective.Cls.Name {
				t.Errorf("labels %q against %q", a, b)
			}
			leg := strings.Join(tb.legendOf(`[data-panel="density"] svg`), " ")
			if sz.w >= 640 && (!strings.Contains(leg, a) || !strings.Contains(leg, b)) {
				t.Errorf("density legend %q does not name both runs", leg)
			}
			tb.scrollBelowBar(`[data-panel="density"]`)
			tb.screenshot("pin-2d-" + sz.name + "-light")
			tb.setTheme(spec.ThemeDark)
			tb.screenshot("pin-2d-" + sz.name + "-dark")
			tb.noErrors()
		})
	}
}

// "Show code": code.wasm is fetched on the first click only; the script
// shown is codegen's for the page's experiment, byte for byte, and so is
// the downloaded file; the NumPy tab writes the NumPy script, or says
// why there is none.
func TestShowCode(t *testing.T) {
	for _, sz := range []struct {
		name string
		w, h int64
	}{{"1400", 1400, 900}, {"phone", 360, 740}} {
		t.Run(sz.name, func(t *testing.T) {
			tb := newTab(t, sz.w, sz.h)
			tb.open("/?target=ring&model=mlp&k=8")
			// The page's network log and the server's (a worker's fetch
			// is only in the latter). code.wasm's name is hashed and
			// immutable: once fetched, later tabs of this browser take it
			// from the cache, so only the first fetch is counted.
			isCode := func(u string) bool {
				_, file, _ := strings.Cut(strings.TrimPrefix(u, baseURL), "/")
				return strings.HasPrefix(file, "code.") && strings.HasSuffix(file, ".wasm")
			}
			pageRequests := func() int { return tb.requested(isCode) }
			before := servedCount(isCode)
			time.Sleep(time.Second) // anything the page would fetch on its own
			if n := servedCount(isCode) - before + pageRequests(); n != 0 {
				t.Fatalf("code.wasm fetched %d times before Show code", n)
			}
			codeRequests := func() int { return servedCount(isCode) - before }
			s := tb.specOf()
			want, err := codegen.PyTorch(mustSpec(t, s.ExperimentQuery()))
			if err != nil {
				t.Fatal(err)
			}
			tb.click("code")
			tb.waitFor(`document.querySelector('[data-code="script"]:not([hidden])')`, 2*time.Minute)
			if n := codeRequests(); before == 0 && n != 1 || n > 1 {
				t.Errorf("code.wasm fetched %d times, want 1 (before: %d)", n, before)
			}
			got := eval[string](tb, `document.querySelector('[data-code="script"]').textContent`)
			if got != want {
				t.Errorf("the script shown (%d bytes) is not codegen's (%d bytes)", len(got), len(want))
			}
			tb.click("code-download")
			tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name.endsWith('.py')`, 10*time.Second)
			if name := eval[string](tb, `window.nceLastDownload.name`); name != "nce_experiment.py" {
				t.Errorf("downloaded as %q", name)
			}
			if dl := eval[string](tb, `window.nceLastDownload.text`); dl != want {
				t.Errorf("the download (%d bytes) is not codegen's script (%d bytes)", len(dl), len(want))
			}
			if size := eval[int](tb, `window.nceLastDownload.size`); size != len(want) {
				t.Errorf("the downloaded file has %d bytes, want %d", size, len(want))
			}
			tb.click("code-copy")
			if c := eval[string](tb, `window.nceLastCopied || ""`); c != want {
				t.Errorf("Copy copied %d bytes, not the script", len(c))
			}
			tb.screenshot("code-" + sz.name + "-light")

			// NumPy: the mlp has no NumPy script; the dialog says why.
			tb.do(clickCSS(`[data-lang="numpy"]`))
			tb.waitFor(`document.querySelector('[data-code="error"]:not([hidden])')`, time.Minute)
			_, npErr := codegen.NumPy(mustSpec(t, s.ExperimentQuery()))
			if msg := eval[string](tb, `document.querySelector('[data-code="error"]').textContent`); npErr == nil || msg != npErr.Error() {
				t.Errorf("NumPy for the mlp: the dialog says %q, codegen %v", msg, npErr)
			}
			if !tb.has(`[data-action="code-download"][disabled]`) {
				t.Error("Download is enabled without a script")
			}
			tb.do(clickCSS(`[data-action="code-close"]`))
			tb.waitFor(`!document.querySelector('[data-dialog="code"]')`, 10*time.Second)

			// The default poly: its NumPy script, from the same worker.
			tb.setField(`#nce-k-model`, spec.Playground.Lookup("model").Default)
			tb.waitFor(`!location.search.includes("model=")`, 20*time.Second)
			tb.setTheme(spec.ThemeDark)
			s = tb.specOf()
			wantNP, err := codegen.NumPy(mustSpec(t, s.ExperimentQuery()))
			if err != nil {
				t.Fatal(err)
			}
			tb.click("code")
			tb.do(clickCSS(`[data-lang="numpy"]`))
			tb.waitFor(`document.querySelector('[data-lang="numpy"][aria-pressed="true"]') && document.querySelector('[data-code="script"]:not([hidden])')`, time.Minute)
			if got := eval[string](tb, `document.querySelector('[data-code="script"]').textContent`); got != wantNP {
				t.Errorf("the NumPy script shown (%d bytes) is not codegen's (%d bytes)", len(got), len(wantNP))
			}
			tb.click("code-download")
			tb.waitFor(`window.nceLastDownload.name === 'nce_experiment_numpy.py'`, 10*time.Second)
			if dl := eval[string](tb, `window.nceLastDownload.text`); dl != wantNP {
				t.Errorf("the NumPy download is not codegen's script")
			}
			if n := codeRequests(); before == 0 && n != 1 || n > 1 {
				t.Errorf("code.wasm fetched %d times in all, want 1 (one worker)", n)
			}
			tb.screenshot("code-" + sz.name + "-dark")
			tb.noErrors()
		})
	}
}

// clickCSS clicks the first match of a selector.
func clickCSS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(sel))
}

// scrollBelowBar scrolls the page so that the first match of a selector
// starts just below the toolbar (which stays on top on narrow screens).
func (tb *tab) scrollBelowBar(sel string) {
	tb.t.Helper()
	eval[bool](tb, `(() => { const el = document.querySelector(`+strconv.Quote(sel)+`), bar = document.querySelector('.nce-bar');
		const top = el.getBoundingClientRect().top + scrollY - (getComputedStyle(bar).position === 'sticky' ? bar.offsetHeight + 8 : 8);
		window.scrollTo(0, Math.max(0, top)); return true; })()`)
	time.Sleep(300 * time.Millisecond)
}
