package e2e

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/server/routes"
)

// The training workers (docs/architecture.md#workers): one worker or two,
// exchanging gradients through shared memory when the page is
// cross-origin isolated and by messages when it is not, give the runner's
// numbers bit for bit.

// workersSpec is a short 2D mlp run of Adam (split between the workers).
const workersSpec = "target=ring&model=mlp&units=16&k=4&steps=300"

// plainHost serves the site without the cross-origin isolation headers
// (COOP, COEP, CORP), as a host that does not send them would, and a
// parent page that frames the isolated host's embed: neither is isolated.
var plainHost = sync.OnceValues(func() (string, error) {
	h, err := routes.New(routes.Config{Static: os.DirFS(os.Getenv("NCE_SITE"))})
	if err != nil {
		return "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/parent.html", func(w http.ResponseWriter, r *http.Request) {
		// A page of another origin (another port) that sends none of the
		// headers and frames the embed.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>parent</title><h1>A tutorial</h1>
<iframe id="nce" src="%s/embed?%s" width="640" height="400"></iframe>`, baseURL, r.URL.RawQuery)
	})
	mux.HandleFunc("/parent-isolated.html", func(w http.ResponseWriter, r *http.Request) {
		// A cross-origin isolated page of another origin that frames the
		// embed and lets it be isolated too: only an embed sent with CORP
		// cross-origin (and COEP) may load there.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		fmt.Fprintf(w, `<!doctype html><title>parent</title><h1>An isolated tutorial</h1>
<iframe id="nce" allow="cross-origin-isolated" src="%s/embed?%s" width="640" height="400"></iframe>`, baseURL, r.URL.RawQuery)
	})
	mux.Handle("/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(stripIsolation{w}, r)
	}))
	go (&http.Server{Handler: mux}).Serve(ln)
	return "http://" + ln.Addr().String(), nil
})

// stripIsolation drops the cross-origin isolation headers of an answer.
type stripIsolation struct{ http.ResponseWriter }

func (s stripIsolation) strip() {
	for _, k := range []string{"Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy"} {
		s.Header().Del(k)
	}
}
func (s stripIsolation) WriteHeader(code int)        { s.strip(); s.ResponseWriter.WriteHeader(code) }
func (s stripIsolation) Write(b []byte) (int, error) { s.strip(); return s.ResponseWriter.Write(b) }

// runnerJSON returns `nceplay run --json q` (native).
func runnerJSON(t *testing.T, q string) map[string]any {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nceplay")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/nceplay").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "--json", q)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nceplay: %v\n%s", err, stderr.String())
	}
	return decodeReport(t, out)
}

// spyFrames keeps the workers' last frame's fields in window.nceLastFrame.
const spyFrames = `(() => {
	const f = window.nceOnWorker;
	window.nceOnWorker = (d) => { if (d && d.t === "frame") window.nceLastFrame = {workers: d.workers, shared: d.shared, step: d.step, sps: d.sps, done: d.done, metricsAt: d.metricsAt, kl: d.metrics.kl, logZ: d.metrics.logZ, sharedEvals: d.profile.sharedEvals, claims: d.profile.claims}; f(d); };
})()`

// playReport opens the playground at base with q, plays it to the end and
// returns the page's report (its Metrics JSON), whether the page was
// cross-origin isolated, and how the last frame says the workers split.
func playReport(tb *tab, base, q string) (rep map[string]any, isolated bool, workers int, shared bool, frameKL, frameLogZ float64) {
	tb.t.Helper()
	return playReportWith(tb, base, q, nil)
}

// playReportWith is playReport with during, if not nil, called once the
// run plays (it may pause and play it again; it must leave it playing or
// done).
func playReportWith(tb *tab, base, q string, during func()) (rep map[string]any, isolated bool, workers int, shared bool, frameKL, frameLogZ float64) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(base + "/?" + q))
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 90*time.Second)
	tb.do(chromedp.Evaluate[chromedp.Void](spyFrames))
	isolated = eval[bool](tb, `crossOriginIsolated`)
	tb.click("play")
	if during != nil {
		during()
	}
	tb.waitFor(`['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`, 5*time.Minute)
	if s := eval[string](tb, `document.querySelector('.nce-app').dataset.status`); s != "done" {
		tb.t.Fatalf("%s: the run ended %s", q, s)
	}
	tb.waitFor(`window.nceLastFrame`, 10*time.Second)
	workers = eval[int](tb, `window.nceLastFrame.workers`)
	shared = eval[bool](tb, `window.nceLastFrame.shared`)
	// The last frame's metrics, measured by the workers (with two, each
	// evaluating half of every point set: engine.EvalPeer), at the last
	// step: the report's below must agree with them.
	tb.waitFor(`window.nceLastFrame.metricsAt === window.nceLastFrame.step && window.nceLastFrame.done`, 10*time.Second)
	num := func(js string) float64 { // NaN (own data's KL) as well as numbers
		v, err := strconv.ParseFloat(eval[string](tb, "String("+js+")"), 64)
		if err != nil {
			tb.t.Fatal(err)
		}
		return v
	}
	frameKL, frameLogZ = num(`window.nceLastFrame.kl`), num(`window.nceLastFrame.logZ`)
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.text`, 60*time.Second)
	return decodeReport(tb.t, []byte(eval[string](tb, `window.nceLastDownload.text`))), isolated, workers, shared, frameKL, frameLogZ
}

// TestWorkersMatchRunner: the final report of one run is the runner's,
// bit for bit (but the timing), with one worker and with two, on the
// isolated host (shared memory) and on a host without the headers
// (messages).
func TestWorkersMatchRunner(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	plain, err := plainHost()
	if err != nil {
		t.Fatal(err)
	}
	want := runnerJSON(t, workersSpec)
	tb := newTab(t, 1400, 900)
	for _, c := range []struct {
		name          string
		base, workers string
		isolated      bool
		split, shared bool
	}{
		{"one worker, isolated", baseURL, "&workers=1", true, false, false},
		{"two workers, shared memory", baseURL, "", true, true, true},
		{"two workers, messages", plain, "", false, true, false},
		{"one worker, not isolated", plain, "&workers=1", false, false, false},
	} {
		got, isolated, workers, shared, kl, logZ := playReport(tb, c.base, workersSpec+c.workers)
		// With two workers the helper evaluated half of each metrics'
		// and grid refresh (the mlp has 337 parameters).
		if n := eval[int](tb, `window.nceLastFrame.sharedEvals`); (n > 0) != c.split {
			t.Errorf("%s: %d refreshes shared with the helper", c.name, n)
		}
		// Through shared memory the lingering helper took most commands
		// through the buffer; with messages, none.
		if n := eval[int](tb, `window.nceLastFrame.claims`); (n > 0) != c.shared {
			t.Errorf("%s: %d commands through the shared buffer", c.name, n)
		}
		if fmt.Sprint(kl) != fmt.Sprint(want["kl"]) || fmt.Sprint(logZ) != fmt.Sprint(want["logz"]) {
			t.Errorf("%s: the last frame's kl %v and log Z %v, the runner's %v and %v", c.name, kl, logZ, want["kl"], want["logz"])
		}
		if isolated != c.isolated {
			t.Errorf("%s: crossOriginIsolated %v, want %v", c.name, isolated, c.isolated)
		}
		if wantW := map[bool]int{false: 1, true: 2}[c.split]; workers != wantW || shared != c.shared {
			t.Errorf("%s: the frames say %d workers, shared memory %v; want %d, %v", c.name, workers, shared, wantW, c.shared)
		}
		for k, w := range want {
			if k == "ms" {
				continue
			}
			if fmt.Sprint(got[k]) != fmt.Sprint(w) {
				t.Errorf("%s: report %s = %v, the runner's %v", c.name, k, got[k], w)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: the page's report has %d fields, the runner's %d", c.name, len(got), len(want))
		}
		t.Logf("%s: kl %v, loss %v, steps %v", c.name, got["kl"], got["loss"], got["steps"])
	}
	tb.noErrors()
}

// TestWorkersPauseAndPlay: a run paused, stepped and played again at
// odd moments, over and over, still ends with the runner's numbers, with
// two workers on both paths. Each pause ends a chain of split steps
// wherever it is; some pauses outlast the helper's linger (it goes back
// to its event loop and the next chain is asked for by a message), and
// either worker may run a step ahead of the other within a chain.
func TestWorkersPauseAndPlay(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	plain, err := plainHost()
	if err != nil {
		t.Fatal(err)
	}
	const q = workersSpec + "&speed=0.5"
	want := runnerJSON(t, q)
	tb := newTab(t, 1400, 900)
	for _, c := range []struct {
		name, base string
		shared     bool
	}{{"shared memory", baseURL, true}, {"messages", plain, false}} {
		status := func() string { return eval[string](tb, `document.querySelector('.nce-app').dataset.status`) }
		pauses, steps := 0, 0
		got, _, workers, shared, _, _ := playReportWith(tb, c.base, q, func() {
			// Pauses of 20 to 140 ms (the helper lingers 60 ms) after 30
			// to 250 ms of training, and every third pause a step.
			const app = `document.querySelector('.nce-app').dataset.status`
			for i := 0; status() == "training"; i++ {
				time.Sleep(time.Duration(30+(i*37)%220) * time.Millisecond)
				if status() != "training" {
					break
				}
				// Every status the page shows from the click on (frames
				// still on their way must not put "training" back).
				tb.do(chromedp.Evaluate[chromedp.Void](`(() => { const a = document.querySelector('.nce-app'); window.nceStatuses = [];
					if (window.nceStatusWatch) window.nceStatusWatch.disconnect();
					window.nceStatusWatch = new MutationObserver(() => window.nceStatuses.push(a.dataset.status));
					window.nceStatusWatch.observe(a, {attributes: true, attributeFilter: ['data-status']}); })()`))
				tb.click("pause")
				tb.waitFor(app+` !== 'training'`, 10*time.Second)
				if status() != "paused" {
					break // done meanwhile
				}
				pauses++
				time.Sleep(time.Duration(20+(i*53)%120) * time.Millisecond)
				if i%3 == 2 {
					before := tb.metric("step")
					tb.click("step")
					tb.waitFor(fmt.Sprintf(`+document.querySelector('[data-metric="step"]').textContent > %v || %s !== 'paused'`, before, app), 10*time.Second)
					steps++
				}
				if seen := eval[[]string](tb, `window.nceStatuses`); slices.Contains(seen, "training") {
					t.Errorf("%s: after Pause the page showed %v", c.name, seen)
				}
				if status() == "paused" {
					tb.click("play")
					tb.waitFor(app+` !== 'paused'`, 10*time.Second)
				}
			}
		})
		if workers != 2 || shared != c.shared {
			t.Errorf("%s: the frames say %d workers, shared memory %v", c.name, workers, shared)
		}
		if pauses < 5 {
			t.Errorf("%s: only %d pauses before the run ended", c.name, pauses)
		}
		for k, w := range want {
			if k != "ms" && fmt.Sprint(got[k]) != fmt.Sprint(w) {
				t.Errorf("%s: report %s = %v, the runner's %v", c.name, k, got[k], w)
			}
		}
		t.Logf("%s: %d pauses, %d steps while paused: kl %v, steps %v", c.name, pauses, steps, got["kl"], got["steps"])
	}
	tb.noErrors()
}

// TestEmbedInParents: the embed, sent with COEP and CORP cross-origin,
// loads and trains in an iframe of another origin's page, whether that
// page is isolated or not; in a parent that is not isolated it is not
// isolated either (and exchanges by messages), in an isolated parent that
// allows it, it is (and shares memory).
func TestEmbedInParents(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	plain, err := plainHost()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		page     string
		isolated string
	}{{"/parent.html", "false"}, {"/parent-isolated.html", "true"}} {
		tb := newTab(t, 1000, 700)
		tb.do(chromedp.Navigate(plain + c.page + "?" + workersSpec + "&autoplay=1&steps=100000"))
		frames, err := chromedp.Run(tb.ctx, chromedp.Nodes(chromedp.CSS("iframe#nce")))
		if err != nil || len(frames) == 0 {
			t.Fatalf("%s: no iframe: %v", c.page, err)
		}
		in := func(expr string) string {
			t.Helper()
			v, err := chromedp.Run(tb.ctx, chromedp.Poll[string](expr,
				chromedp.WithPollingInFrame(frames[0]), chromedp.WithPollingTimeout(2*time.Minute)))
			if err != nil {
				t.Fatalf("%s: in the embed, %s: %v", c.page, expr, err)
			}
			return v
		}
		status := in(`(() => { const a = document.querySelector('.nce-app'); return a && a.dataset.status === 'training' && a.dataset.status; })()`)
		isolated := in(`String(crossOriginIsolated)`)
		// Training goes on: the step readout grows.
		in(`(() => { const e = document.querySelector('[data-metric="step"]'); const v = e ? parseFloat(e.textContent) : NaN; return v > 20 && String(v); })()`)
		if isolated != c.isolated {
			t.Errorf("%s: the embed's crossOriginIsolated is %s, want %s", c.page, isolated, c.isolated)
		}
		t.Logf("embed in %s: %s, crossOriginIsolated %s", c.page, status, isolated)
		if !strings.Contains(eval[string](tb, `document.title`), "parent") {
			t.Errorf("%s: the parent page did not load", c.page)
		}
		tb.noErrors()
	}
}
