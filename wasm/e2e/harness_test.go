// Package e2e drives the built playground in headless Chromium (chromedp):
// the behaviour of issue #3's "What it must show" list, and (with
// NCE_BENCH=1) the budgets. It needs the built site in $NCE_SITE (make
// ui-e2e builds it) and Chromium ($CHROMIUM, default /usr/bin/chromium);
// without them every test skips.
package e2e

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"nceplay/server/routes"
)

var (
	baseURL    string
	browserCtx context.Context
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	site := os.Getenv("NCE_SITE")
	chrome := os.Getenv("CHROMIUM")
	if chrome == "" {
		chrome = "/usr/bin/chromium"
	}
	switch {
	case site == "":
		skipReason = "NCE_SITE is not set (run make ui-e2e)"
	case !exists(filepath.Join(site, routes.ManifestName)):
		skipReason = "no built site in " + site
	case !exists(chrome):
		skipReason = "no Chromium at " + chrome
	}
	if skipReason != "" {
		return m.Run()
	}
	h, err := routes.New(routes.Config{Static: os.DirFS(site)})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	mux := http.NewServeMux()
	mux.Handle("/bench/tfjs/", benchFiles())
	mux.Handle("/", logServed(h))
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	defer srv.Close()
	baseURL = "http://" + ln.Addr().String()

	dir, err := os.MkdirTemp("", "nce-chromium-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(dir),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	bctx, cancelB := chromedp.NewContext(actx)
	defer cancelB()
	if err := chromedp.Do(bctx); err != nil { // start the browser
		fmt.Fprintln(os.Stderr, "e2e: starting Chromium:", err)
		return 1
	}
	browserCtx = bctx
	return m.Run()
}

// benchFiles serves the TensorFlow.js comparison (wasm/bench/tfjs: its
// page, script and the pinned npm packages' browser builds) at /bench/tfjs/
// on the page's own origin, so the benchmark loads nothing from elsewhere.
// With ?coi=1 the page is cross-origin isolated, which lets TF.js use
// its threaded wasm build.
func benchFiles() http.Handler {
	fs := http.StripPrefix("/bench/tfjs/", http.FileServer(http.Dir(filepath.Join("..", "bench", "tfjs"))))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := strings.TrimPrefix(r.URL.Path, "/bench/tfjs/")
		ok := p == "bench.html" || p == "nce.js" ||
			strings.HasPrefix(p, "node_modules/@tensorflow/") && strings.Contains(p, "/dist/") && !strings.Contains(p, "..")
		if !ok {
			http.NotFound(w, r)
			return
		}
		if p == "bench.html" && r.URL.Query().Get("coi") == "1" || r.Header.Get("Sec-Fetch-Dest") == "worker" {
			w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
			w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		}
		w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
		fs.ServeHTTP(w, r)
	})
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// The server's log of the paths it served: it sees the workers' fetches
// too, which the tabs' network events leave out (a dedicated worker is a
// target of its own).
var (
	servedMu sync.Mutex
	served   []string
)

func logServed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		servedMu.Lock()
		served = append(served, r.URL.Path)
		servedMu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// servedCount is how many requests for paths matching f the server has
// answered so far.
func servedCount(f func(path string) bool) int {
	servedMu.Lock()
	defer servedMu.Unlock()
	n := 0
	for _, p := range served {
		if f(p) {
			n++
		}
	}
	return n
}

// A tab is one page under test, with the console errors and the requests
// it made.
type tab struct {
	t   *testing.T
	ctx context.Context

	mu       sync.Mutex
	errors   []string
	requests []string
	panicked bool // a Go program of the page printed a panic
}

// newTab opens a tab of the given viewport size.
func newTab(t *testing.T, w, h int64) *tab {
	t.Helper()
	return newTabFor(t, w, h, 8*time.Minute) // generous: this machine slows down 2× and more
}

// newTabFor opens a tab that lives at most d (a benchmark's is long).
func newTabFor(t *testing.T, w, h int64, d time.Duration) *tab {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tb := &tab{t: t}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithListener(tb.listen))
	t.Cleanup(cancel)
	ctx, cancelT := context.WithTimeout(ctx, d)
	t.Cleanup(cancelT)
	tb.ctx = ctx
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(w, h)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	return tb
}

func (tb *tab) listen(ev any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, string(a.Value)+a.Description)
		}
		line := strings.Join(parts, " ")
		// Go's wasm prints a panic and its goroutine stacks with
		// console.log: from "panic:" on, every line is an error.
		if strings.Contains(line, "panic:") || strings.Contains(line, "fatal error:") {
			tb.panicked = true
		}
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || tb.panicked {
			tb.errors = append(tb.errors, "console."+string(ev.Type)+": "+line)
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg := d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
		tb.errors = append(tb.errors, "exception: "+msg)
	case *network.EventRequestWillBeSent:
		tb.requests = append(tb.requests, ev.Request.URL)
	}
}

// consoleErrors returns the errors seen so far.
func (tb *tab) consoleErrors() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	return append([]string(nil), tb.errors...)
}

func (tb *tab) noErrors() {
	tb.t.Helper()
	if errs := tb.consoleErrors(); len(errs) > 0 {
		tb.t.Errorf("console errors:\n  %s", strings.Join(errs, "\n  "))
	}
}

func (tb *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// eval evaluates a JS expression (awaiting a promise) as T.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// open navigates to path (with query) and waits until the UI has rendered
// and the engine has sent its first frame.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(baseURL + path))
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 60*time.Second)
}

// waitFor polls a JS condition until it is true.
func (tb *tab) waitFor(cond string, timeout time.Duration) {
	tb.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool]("!!("+cond+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`(() => { const a = document.querySelector(".nce-app"), s = document.querySelector('[data-metric="step"]'), b = document.querySelector("[data-banner]");
				return location.pathname + location.search + " status=" + (a ? a.dataset.status : "no app") + " step=" + (s ? s.textContent : "–") + (b ? " banner=" + b.textContent.slice(0, 200) : ""); })()`))
			tb.t.Fatalf("timed out after %v waiting for %s (last error %v; page: %s)", timeout, cond, err, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// metric reads a live readout as a number (NaN for "–").
func (tb *tab) metric(name string) float64 {
	tb.t.Helper()
	s := eval[string](tb, `(document.querySelector('[data-metric="`+name+`"]') || {}).textContent || ""`)
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil {
		return mathNaN()
	}
	return v
}

func (tb *tab) click(action string) {
	tb.t.Helper()
	tb.do(chromedp.Click(chromedp.CSS(`[data-action="` + action + `"]`)))
}

// path returns the page's path and query.
func (tb *tab) path() string {
	return eval[string](tb, `location.pathname + location.search`)
}

// screenshotDir is where the browser tests save their screenshots, to be
// looked at (the repository's build output folder).
const screenshotDir = "../../build/screenshots"

// screenshot saves a PNG of the viewport into screenshotDir.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	buf, err := chromedp.Run(tb.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	if err := os.MkdirAll(screenshotDir, 0o755); err != nil {
		tb.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(screenshotDir, name+".png"), buf, 0o644); err != nil {
		tb.t.Fatal(err)
	}
}

func mathNaN() float64 { return math.NaN() }

// requested is how many of the tab's requests so far match f.
func (tb *tab) requested(f func(url string) bool) int {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	n := 0
	for _, u := range tb.requests {
		if f(u) {
			n++
		}
	}
	return n
}
