package e2e

import (
	"bytes"
	"encoding/base64"
	"image/gif"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"nceplay/core/dataset"
	"nceplay/core/spec"
	"nceplay/gifexport"
	"nceplay/wasm/gifworker/answer"
	"nceplay/wasm/view"

	"github.com/chromedp/chromedp"
)

// isGIFWasm says whether a served path is gif.wasm (its name is hashed).
func isGIFWasm(u string) bool {
	_, file, _ := strings.Cut(strings.TrimPrefix(u, baseURL), "/")
	return strings.HasPrefix(file, "gif.") && strings.HasSuffix(file, ".wasm")
}

// gifBytes reads the dialog's GIF back: the Blob behind the preview's
// blob URL (the page's CSP has no blob: in connect-src, so the URL itself
// cannot be fetched; that the preview <img> decoded it is checked by
// makeGIF).
func (tb *tab) gifBytes() []byte {
	tb.t.Helper()
	if !eval[bool](tb, `document.querySelector('[data-gif="img"]').src === window.nceLastGIF.url`) {
		tb.t.Error("the preview does not show the GIF's blob URL")
	}
	s := eval[string](tb, `window.nceLastGIF.blob.arrayBuffer().then((b) => {
		const u = new Uint8Array(b); let s = "";
		for (let i = 0; i < u.length; i += 0x8000) s += String.fromCharCode.apply(null, u.subarray(i, i + 0x8000));
		return btoa(s); })`)
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		tb.t.Fatal(err)
	}
	return b
}

// makeGIF sets the dialog's options, clicks Make GIF and waits for the
// preview (or an error).
func (tb *tab) makeGIF(panels []string, frames, width int, dark bool) {
	tb.t.Helper()
	for _, p := range view.GIFPanels {
		on := slices.Contains(panels, p)
		eval[bool](tb, `(() => { const b = document.querySelector('[data-gif-panel="`+p+`"]'); b.checked = `+strconv.FormatBool(on)+`; return true; })()`)
	}
	tb.setField(`[data-gif="frames"]`, strconv.Itoa(frames))
	tb.setField(`[data-gif="width"]`, strconv.Itoa(width))
	eval[bool](tb, `(() => { document.querySelector('[data-gif="dark"]').checked = `+strconv.FormatBool(dark)+`; return true; })()`)
	tb.click("gif-make")
	tb.waitFor(`document.querySelector('[data-gif="img"]:not([hidden])') || document.querySelector('[data-gif="error"]:not([hidden])')`, 4*time.Minute)
	if msg := eval[string](tb, `(document.querySelector('[data-gif="error"]:not([hidden])') || {}).textContent || ""`); msg != "" {
		tb.t.Fatalf("the dialog shows an error: %s", msg)
	}
	tb.waitFor(`document.querySelector('[data-gif="img"]').complete && document.querySelector('[data-gif="img"]').naturalWidth > 0`, 30*time.Second)
}

// checkGIF checks the dialog's GIF against gifexport.Encode run natively
// on the page's query with the same options: the same bytes, the frame
// count and size asked for, and the file name from the spec.
func (tb *tab) checkGIF(opt gifexport.Options, wantFrames int) {
	tb.t.Helper()
	s := tb.specOf()
	if q := tb.attr(`[data-dialog="gif"]`, "data-query"); q != s.ExperimentQuery() {
		tb.t.Errorf("the dialog's query %q, the address's %q", q, s.ExperimentQuery())
	}
	got := tb.gifBytes()
	g, err := gif.DecodeAll(bytes.NewReader(got))
	if err != nil {
		tb.t.Fatalf("the page's GIF does not decode: %v", err)
	}
	h := (opt.Width*9 + 8) / 16
	if len(g.Image) != wantFrames || g.Config.Width != opt.Width || g.Config.Height != h {
		tb.t.Errorf("%d frames of %d×%d, want %d of %d×%d", len(g.Image), g.Config.Width, g.Config.Height, wantFrames, opt.Width, h)
	}
	want, err := gifexport.Encode(s.ExperimentQuery(), opt)
	if err != nil {
		tb.t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		tb.t.Errorf("the page's GIF (%d bytes) is not gifexport.Encode's (%d bytes) for %q %+v", len(got), len(want), s.ExperimentQuery(), opt)
	}
	if name, wantName := eval[string](tb, `window.nceLastGIF.name`), answer.FileName(s); name != wantName {
		tb.t.Errorf("named %q, want %q", name, wantName)
	}
	tb.click("gif-download")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name.endsWith('.gif')`, 10*time.Second)
	if size := eval[int](tb, `window.nceLastDownload.size`); size != len(want) {
		tb.t.Errorf("the downloaded GIF has %d bytes, want %d", size, len(want))
	}
}

// The GIF export on the page (issue 13 §4): gif.wasm is fetched on the
// first Make GIF only; the GIF read back from its blob URL decodes, has
// the frames and size asked for and is gifexport.Encode's, byte for byte;
// bad options and a spec gifexport refuses are errors in the dialog;
// Cancel stops a GIF under way and the page stays alive; the dialog in
// the embed. Screenshots gif-*.png.
func TestGIF(t *testing.T) {
	t.Run("1400", func(t *testing.T) {
		tb := newTab(t, 1400, 900)
		tb.open("/?steps=300&k=3")
		pageRequests := func() int { return tb.requested(isGIFWasm) }
		before := servedCount(isGIFWasm)
		time.Sleep(time.Second) // anything the page would fetch on its own
		if n := servedCount(isGIFWasm) - before + pageRequests(); n != 0 {
			t.Fatalf("gif.wasm fetched %d times before Make GIF", n)
		}
		tb.click("gif")
		tb.waitFor(`document.querySelector('[data-dialog="gif"]')`, 10*time.Second)
		// The page shows every drawable panel: all are checked.
		for _, p := range view.GIFPanels {
			if !tb.has(`[data-gif-panel="` + p + `"]:checked`) {
				t.Errorf("panel %s not checked", p)
			}
		}
		if n := servedCount(isGIFWasm) - before + pageRequests(); n != 0 {
			t.Errorf("gif.wasm fetched %d times on opening the dialog", n)
		}
		tb.screenshot("gif-1400-light-dialog")

		// Errors: no panel; frames over the cap (gifexport's message).
		tb.setField(`[data-gif="frames"]`, "61")
		tb.click("gif-make")
		tb.waitFor(`document.querySelector('[data-gif="error"]:not([hidden])')`, 3*time.Minute)
		if msg := eval[string](tb, `document.querySelector('[data-gif="error"]').textContent`); !strings.Contains(msg, "frames = 61: between 2 and 60") {
			t.Errorf("frames=61: the dialog says %q", msg)
		}
		tb.screenshot("gif-1400-light-error")
		for _, p := range view.GIFPanels {
			eval[bool](tb, `(() => { document.querySelector('[data-gif-panel="`+p+`"]').checked = false; return true; })()`)
		}
		tb.click("gif-make")
		tb.waitFor(`document.querySelector('[data-gif="error"]').textContent.includes("choose at least one panel")`, 10*time.Second)

		opt := gifexport.Options{Panels: []string{spec.PanelDensity, spec.PanelCurves}, Frames: 8, Width: 480}
		tb.makeGIF(opt.Panels, opt.Frames, opt.Width, false)
		if n := servedCount(isGIFWasm) - before; before == 0 && n != 1 || n > 1 {
			t.Errorf("gif.wasm fetched %d times, want 1 (before: %d)", n, before)
		}
		tb.checkGIF(opt, 8)
		tb.screenshot("gif-1400-light-result")

		// Dark, the classifier alone, from the same worker.
		opt = gifexport.Options{Panels: []string{spec.PanelClassifier}, Frames: 5, Width: 640, Dark: true}
		tb.makeGIF(opt.Panels, opt.Frames, opt.Width, true)
		tb.checkGIF(opt, 5)
		if n := servedCount(isGIFWasm) - before; before == 0 && n != 1 || n > 1 {
			t.Errorf("gif.wasm fetched %d times in all, want 1 (one worker)", n)
		}
		tb.do(clickCSS(`[data-action="gif-close"]`))
		tb.waitFor(`!document.querySelector('[data-dialog="gif"]')`, 10*time.Second)
		tb.noErrors()
	})

	t.Run("1400-dark", func(t *testing.T) {
		tb := newTab(t, 1400, 900)
		tb.open("/?target=ring&steps=100&k=4&theme=dark")
		tb.click("gif")
		opt := gifexport.Options{Panels: []string{spec.PanelDensity, spec.PanelClassifier, spec.PanelCurves}, Frames: 6, Width: 800, Dark: true}
		if !tb.has(`[data-gif="dark"]:checked`) {
			t.Error("the dialog's dark box is not checked on a dark page")
		}
		tb.makeGIF(opt.Panels, opt.Frames, opt.Width, true)
		tb.checkGIF(opt, 6)
		tb.screenshot("gif-1400-dark-result")
		tb.noErrors()
	})

	t.Run("phone", func(t *testing.T) {
		tb := newTab(t, 360, 740)
		tb.open("/?steps=200&k=3&theme=dark")
		tb.click("gif")
		tb.waitFor(`document.querySelector('[data-dialog="gif"]')`, 10*time.Second)
		tb.screenshot("gif-phone-dark-dialog")
		// Cancel: the largest GIF is stopped while under way; the page
		// keeps answering and a new GIF is made after.
		tb.setField(`[data-gif="frames"]`, "60")
		tb.setField(`[data-gif="width"]`, "1200")
		tb.click("gif-make")
		tb.waitFor(`!document.querySelector('[data-gif="busy"]').hidden`, 10*time.Second)
		tb.screenshot("gif-phone-dark-working")
		tb.click("gif-cancel") // at once: the largest GIF takes seconds
		tb.waitFor(`document.querySelector('[data-gif="busy"]').hidden && !document.querySelector('[data-action="gif-make"]').disabled`, 10*time.Second)
		if tb.has(`[data-gif="img"]:not([hidden])`) || tb.has(`[data-gif="error"]:not([hidden])`) {
			t.Error("a cancelled GIF shows a picture or an error")
		}
		// The page is not frozen while a GIF is made: it trains.
		tb.click("gif-make")
		tb.waitFor(`!document.querySelector('[data-gif="busy"]').hidden`, 10*time.Second)
		eval[bool](tb, `(() => { document.querySelector('[data-action="play"]').click(); return true; })()`)
		tb.waitFor(`Number(document.querySelector('[data-metric="step"]').textContent) > 0`, time.Minute)
		if !eval[bool](tb, `(() => { const b = document.querySelector('[data-action="gif-cancel"]'); if (b.hidden) return false; b.click(); return true; })()`) {
			t.Log("the GIF was done before the page's first steps: not a test of a busy worker this time")
		}
		tb.waitFor(`document.querySelector('[data-gif="busy"]').hidden && !document.querySelector('[data-action="gif-make"]').disabled`, 10*time.Second)
		opt := gifexport.Options{Panels: []string{spec.PanelDensity}, Frames: 4, Width: 320, Dark: true}
		tb.makeGIF(opt.Panels, opt.Frames, opt.Width, true)
		tb.checkGIF(opt, 4)
		tb.screenshot("gif-phone-dark-result")
		tb.do(clickCSS(`[data-action="gif-close"]`))
		tb.setTheme(spec.ThemeLight)
		tb.click("gif")
		tb.waitFor(`document.querySelector('[data-dialog="gif"]')`, 10*time.Second)
		tb.makeGIF([]string{spec.PanelCurves}, 3, 320, false)
		tb.checkGIF(gifexport.Options{Panels: []string{spec.PanelCurves}, Frames: 3, Width: 320}, 3)
		tb.screenshot("gif-phone-light-result")
		tb.noErrors()
	})

	for _, theme := range []string{spec.ThemeLight, spec.ThemeDark} {
		t.Run("embed-"+theme, func(t *testing.T) {
			tb := newTab(t, 640, 400)
			tb.open("/embed?steps=150&k=3&theme=" + theme)
			if !tb.has(`.nce-bar [data-action="gif"]`) {
				t.Fatal("no GIF button in the embed's toolbar")
			}
			tb.screenshot("gif-embed-" + theme + "-bar")
			tb.click("gif")
			tb.waitFor(`document.querySelector('[data-dialog="gif"]')`, 10*time.Second)
			tb.screenshot("gif-embed-" + theme + "-dialog")
			dark := theme == spec.ThemeDark
			opt := gifexport.Options{Panels: []string{spec.PanelDensity, spec.PanelCurves}, Frames: 4, Width: 480, Dark: dark}
			tb.makeGIF(opt.Panels, opt.Frames, opt.Width, dark)
			tb.checkGIF(opt, 4)
			tb.screenshot("gif-embed-" + theme + "-result")
			tb.noErrors()
		})
	}

	// An experiment on a data file: without the file there is no GIF (a
	// note says why, and no dialog opens); with it, the training worker
	// hands the file to the GIF's worker, and the GIF is gifexport's of
	// the file's points (nceplay gif --data), byte for byte.
	t.Run("datafile", func(t *testing.T) {
		csv := dataFileCSV(500, 9)
		pts, dim, err := dataset.ParseCSV([]byte(csv), 0)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(t.TempDir(), "ring.csv")
		os.WriteFile(path, []byte(csv), 0o644)
		tb := newTab(t, 1400, 900)
		tb.open("/?target=data2d&steps=60&datafile=" + dataset.ID(pts, dim))
		tb.click("gif")
		tb.waitFor(`document.querySelector('.nce-toast').textContent.includes("No GIF: no data file")`, 30*time.Second)
		if tb.has(`[data-dialog="gif"]`) {
			t.Error("the GIF dialog opened without the data file")
		}
		tb.do(chromedp.SetUploadFiles(chromedp.CSS(`.nce-needfile input[data-action="data-file"]`), []string{path}))
		tb.waitFor(`document.querySelector('.nce-panels') && document.querySelector('.nce-app').dataset.status !== 'needs-file'`, 2*time.Minute)
		tb.click("gif")
		tb.waitFor(`document.querySelector('[data-dialog="gif"]')`, 30*time.Second)
		opt := gifexport.Options{Panels: []string{spec.PanelDensity, spec.PanelCurves}, Frames: 4, Width: 320, Points: pts}
		tb.makeGIF(opt.Panels, opt.Frames, opt.Width, false)
		tb.checkGIF(opt, 4)
		if c := eval[string](tb, `document.querySelector('.nce-gif-cmd').textContent`); !strings.Contains(c, "--data FILE.csv") {
			t.Errorf("the dialog's command: %q", c)
		}
		tb.screenshot("gif-1400-light-datafile")
		tb.noErrors()
	})
}
