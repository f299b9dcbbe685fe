package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/performance"
	"github.com/chromedp/chromedp"

	"nceplay/core/spec"
	"nceplay/server/routes"
)

// Budgets of issue #3 (README): the UI wasm ≤ 1.2 MB brotli; first render
// ≤ 1 s after navigation on localhost; no request beyond the page's own
// origin. It also reports W2's training speed and the page's frame rate
// while W2 trains. Run by `make ui-bench` (NCE_BENCH=1).
const (
	maxUIWasmBrotli = 1_200_000
	maxFirstRender  = time.Second
)

// W2 of the core issue, run open-ended at full speed.
const w2 = "target=ring&model=mlp&units=64&layers=2&k=8&batch=256&lr=0.001&steps=10000000&speed=10"

// Targets of the W2 comparison, reported (not failed: a benchmark on a
// noisy machine is not a test).
const (
	benchRounds  = 3
	benchSeconds = 6
	minTFJSRatio = 2.5 // W2 in two workers against TF.js wasm (issue 15)
	minFPS       = 55
	// Two workers against one on W2 (issue 15).
	minTwoWorkers = 1.7
	// Time to quality: the kl a 2D preset must reach.
	maxKL = 0.1
)

// trainW2 plays W2 in the playground at base (the isolated host, or
// plainHost) with the view keys extra, and returns its steps per second
// and the page's frames per second, measured over the same benchSeconds.
func trainW2(tb *tab, base, extra string) (sps, fps float64) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(base + "/?" + w2 + extra))
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 90*time.Second)
	// The leader's profile (wire.Profile) rides on every frame.
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const f = window.nceOnWorker;
		window.nceOnWorker = (d) => { if (d && d.t === "frame" && d.profile) window.nceProfile = d.profile; f(d); };
	})()`))
	tb.click("play")
	time.Sleep(3 * time.Second) // warm up
	p0 := eval[map[string]float64](tb, `window.nceProfile || {}`)
	m0, c0 := mainThread(tb), threadCPU()
	s0, t0 := tb.metric("step"), time.Now()
	fps = eval[float64](tb, fmt.Sprintf(`new Promise((resolve) => {
		let n = 0;
		const t0 = performance.now();
		const f = (now) => { n++; if (now - t0 < %d) requestAnimationFrame(f); else resolve(n / ((now - t0) / 1000)); };
		requestAnimationFrame(f);
	})`, benchSeconds*1000))
	s1, t1 := tb.metric("step"), time.Now()
	p1 := eval[map[string]float64](tb, `window.nceProfile || {}`)
	m1, c1 := mainThread(tb), threadCPU()
	sps = (s1 - s0) / t1.Sub(t0).Seconds()
	tb.t.Logf("BENCH W2 %-34s %.1f steps/s (%v steps in %.1f s); page: %.1f fps while training", w2Name(base, extra)+":", sps, s1-s0, t1.Sub(t0).Seconds(), fps)
	// The page's main thread: its CPU time (thread ticks) over the span,
	// as a share of one core — what the training workers cannot have.
	if wall := t1.Sub(t0).Seconds(); m1 != nil && m0 != nil {
		share := func(k string) float64 { return (m1[k] - m0[k]) / wall * 100 }
		tb.t.Logf("BENCH     page main thread: %.0f%% of a core (script %.0f%%, style %.0f%%, layout %.0f%%)",
			share("TaskDuration"), share("ScriptDuration"), share("RecalcStyleDuration"), share("LayoutDuration"))
	}
	if c0 != nil && c1 != nil {
		tb.t.Logf("BENCH     Chromium's threads: %s", cpuShares(c0, c1, t1.Sub(t0).Seconds(), s1-s0))
	}
	// Where the leader's time went over the same span, per step (ms).
	if n := p1["steps"] - p0["steps"]; n > 0 {
		per := func(k string) float64 { return (p1[k] - p0[k]) / n * 1000 }
		tb.t.Logf("BENCH     leader per step: own shard(s) %.2f ms, wait for the helper %.2f ms (%.2f in the first steps of %.0f chains), exchange+apply %.2f ms, frames %.2f ms (%.0f of %.0f refreshes shared with the helper; %.0f commands through the shared buffer)",
			per("compute"), per("wait"), per("waitFirst"), p1["chains"]-p0["chains"], per("exchange"), per("frames"), p1["sharedEvals"]-p0["sharedEvals"], p1["refreshes"]-p0["refreshes"], p1["claims"]-p0["claims"])
	}
	return sps, fps
}

// trainTwoPages plays W2 with one worker in two tabs at once, a and b,
// and returns their steps per second together (over the same
// benchSeconds): two workers that never wait for each other, each page
// drawing its own panels, beside which the split's lockstep can be
// judged. Both tabs go blank after.
func trainTwoPages(a, b *tab) float64 {
	a.t.Helper()
	tabs := []*tab{a, b}
	for _, tb := range tabs {
		tb.do(chromedp.Navigate(baseURL + "/?" + w2 + "&workers=1"))
		tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 90*time.Second)
	}
	for _, tb := range tabs {
		tb.click("play")
	}
	time.Sleep(3 * time.Second) // warm up
	s0, t0 := a.metric("step")+b.metric("step"), time.Now()
	time.Sleep(benchSeconds * time.Second)
	s1, t1 := a.metric("step")+b.metric("step"), time.Now()
	for _, tb := range tabs {
		tb.do(chromedp.Navigate("about:blank"))
	}
	sps := (s1 - s0) / t1.Sub(t0).Seconds()
	a.t.Logf("BENCH W2 two 1-worker pages at once:    %.1f steps/s together", sps)
	return sps
}

// mainThread returns the page main thread's cumulative durations
// (Performance.getMetrics in thread ticks: CPU time, not wall time), or
// nil if the browser does not report them.
func mainThread(tb *tab) map[string]float64 {
	if _, err := chromedp.Call(tb.ctx, performance.Enable, performance.EnableParams{TimeDomain: performance.EnableTimeDomainThreadTicks}); err != nil {
		tb.t.Logf("Performance.enable: %v", err)
		return nil
	}
	r, err := chromedp.Call(tb.ctx, performance.GetMetrics, cdp.Empty{})
	if err != nil {
		tb.t.Logf("Performance.getMetrics: %v", err)
		return nil
	}
	m := map[string]float64{}
	for _, x := range r.Metrics {
		m[x.Name] = x.Value
	}
	return m
}

func w2Name(base, extra string) string {
	w := "2 workers"
	if strings.Contains(extra, "workers=1") {
		w = "1 worker"
	}
	if strings.Contains(extra, "panels=explain") {
		w += ", Explain only"
	}
	if base == baseURL {
		return w + ", isolated"
	}
	return w + ", not isolated"
}

// loadAvg returns the machine's load averages (/proc/loadavg), to report
// beside the figures.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// coreScaling measures what the machine's second core gives at this
// moment, natively: core/nce's BenchmarkW2 (the same step) in one process,
// then in two at once, then in one again, and returns the two's summed
// steps/s over the one's (the mean of before and after).
// This machine's cores come and go (a virtual machine's second core is
// sometimes busy elsewhere), and the page's two workers cannot scale
// better than two native processes do in the same minute; each round
// reports it beside the page's ratio. bin is core/nce's test binary.
func coreScaling(t *testing.T, bin string) float64 {
	run := func() float64 { return benchSPS(t, bin, "^BenchmarkW2$", "1") }
	before := run()
	other := make(chan float64)
	go func() { other <- run() }()
	a := run()
	b := <-other
	return (a + b) / ((before + run()) / 2) // one process: before and after the two
}

// lockstepScaling measures what two threads in lockstep get from the
// machine at this moment, natively: wasm/engine's BenchmarkW2Split, the
// split step with its helper in a goroutine, two threads against one
// (one before and after the two). It is the ceiling of the page's ratio
// closer than coreScaling's: the two workers wait for each other every
// step, two processes never. bin is wasm/engine's test binary.
func lockstepScaling(t *testing.T, bin string) float64 {
	run := func(workers int) float64 {
		return benchSPS(t, bin, fmt.Sprintf("^BenchmarkW2Split$/^workers=%d$", workers), "2")
	}
	before := run(1)
	two := run(2)
	return two / ((before + run(1)) / 2)
}

// benchSPS runs the benchmark bench of the test binary bin for 2 s with
// GOMAXPROCS cpu and returns the steps/s it reports (NaN on failure).
func benchSPS(t *testing.T, bin, bench, cpu string) float64 {
	out, err := exec.Command(bin, "-test.run", "^$", "-test.bench", bench, "-test.benchtime", "2s", "-test.cpu", cpu).Output()
	if err != nil {
		t.Logf("%s %s: %v", filepath.Base(bin), bench, err)
		return math.NaN()
	}
	f := strings.Fields(string(out))
	for i := 1; i < len(f); i++ {
		if f[i] == "steps/s" {
			v, _ := strconv.ParseFloat(f[i-1], 64)
			return v
		}
	}
	return math.NaN()
}

// timeToKL plays a preset's link at full speed and returns the wall time
// from Play to the first frame whose metrics have kl ≤ maxKL, and the step
// those metrics are of (the frames measure at strides, so the step is
// the first measured one at or past the crossing); ok is false if the run
// ended or limit passed first.
func timeToKL(tb *tab, q string, limit time.Duration) (ms, step float64, ok bool) {
	tb.t.Helper()
	tb.do(chromedp.Navigate(baseURL + "/?" + q))
	tb.waitFor(`document.querySelector('.nce-app') && document.querySelector('.nce-app').dataset.status !== 'loading'`, 90*time.Second)
	tb.do(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
		window.nceKLAt = undefined;
		const f = window.nceOnWorker;
		window.nceOnWorker = (d) => {
			if (d && d.t === "frame" && window.ncePlayT0 !== undefined && window.nceKLAt === undefined &&
				d.metricsAt > 0 && d.metrics && d.metrics.kl <= %g) {
				window.nceKLAt = {ms: performance.now() - window.ncePlayT0, step: d.metricsAt};
			}
			f(d);
		};
		window.ncePlayT0 = performance.now();
		document.querySelector('[data-action="play"]').click();
	})()`, maxKL)))
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if eval[bool](tb, `window.nceKLAt !== undefined`) {
			return eval[float64](tb, `window.nceKLAt.ms`), eval[float64](tb, `window.nceKLAt.step`), true
		}
		if eval[bool](tb, `['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`) {
			time.Sleep(time.Second) // the last frame
			if eval[bool](tb, `window.nceKLAt !== undefined`) {
				return eval[float64](tb, `window.nceKLAt.ms`), eval[float64](tb, `window.nceKLAt.step`), true
			}
			return 0, tb.metric("step"), false
		}
		time.Sleep(200 * time.Millisecond)
	}
	return 0, tb.metric("step"), false
}

// trainTFJS runs the same step in TensorFlow.js (wasm/bench/tfjs) and
// returns its report (sps, steps, backend, …).
func trainTFJS(tb *tab, threads bool) map[string]any {
	tb.t.Helper()
	q := ""
	if threads {
		q = "?coi=1"
	}
	tb.do(chromedp.Navigate(baseURL + "/bench/tfjs/bench.html" + q))
	tb.waitFor(`typeof window.nceTFBench === "function"`, 30*time.Second)
	info := eval[map[string]any](tb, fmt.Sprintf(`nceTFBench(%d, %v)`, benchSeconds, threads))
	tb.t.Logf("BENCH W2 in TF.js: %.1f steps/s (%v steps in %.1f s)", info["sps"], info["steps"], info["seconds"])
	return info
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s) == 0 {
		return math.NaN()
	}
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func TestBudgets(t *testing.T) {
	if os.Getenv("NCE_BENCH") == "" {
		t.Skip("set NCE_BENCH=1 (make ui-bench)")
	}
	tb := newTabFor(t, 1280, 900, 38*time.Minute)

	// Size: the brotli sibling of the UI wasm in the built site.
	site := os.Getenv("NCE_SITE")
	raw, err := os.ReadFile(filepath.Join(site, routes.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var man routes.Manifest
	if err := json.Unmarshal(raw, &man); err != nil {
		t.Fatal(err)
	}
	for _, src := range []string{"ui.wasm", "worker.wasm"} {
		name := man.Assets[src]
		fi, err := os.Stat(filepath.Join(site, name+".br"))
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		t.Logf("BUDGET %s: %d bytes raw, %d bytes brotli", src, man.Files[name].Size, fi.Size())
		if src == "ui.wasm" && fi.Size() > maxUIWasmBrotli {
			t.Errorf("the UI wasm is %d bytes brotli, more than %d", fi.Size(), maxUIWasmBrotli)
		}
	}

	// First render, without the HTTP cache, median of three.
	if _, err := chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	// Each load starts from an idle blank page (not while the previous
	// page's workers are being torn down), and says where its time went
	// (the marks wasm/ui/main_wasm.go sets).
	var firsts []float64
	for range 5 {
		tb.do(chromedp.Navigate("about:blank"))
		time.Sleep(time.Second)
		tb.do(chromedp.Navigate(baseURL + "/"))
		tb.waitFor(`window.nceFirstRender !== undefined`, 30*time.Second)
		firsts = append(firsts, eval[float64](tb, `window.nceFirstRender`))
		m := eval[map[string]float64](tb, `(() => {
			const o = {};
			for (const e of performance.getEntriesByType('resource')) if (e.name.includes('/ui.')) o.ui = e.responseEnd;
			for (const m of performance.getEntriesByType('mark')) if (!(m.name in o)) o[m.name] = m.startTime;
			return o; })()`)
		t.Logf("BUDGET     first render %.0f ms: ui.wasm fetched at %.0f, Go's main at %.0f, started %.0f, first build %.0f, rendered %.0f",
			firsts[len(firsts)-1], m["ui"], m["nce-main"], m["nce-started"], m["nce-built"], firsts[len(firsts)-1])
	}
	sort.Float64s(firsts)
	t.Logf("BUDGET first render: %.0f ms (median of %v, ms after navigation start)", firsts[2], firsts)
	if time.Duration(firsts[2]*float64(time.Millisecond)) > maxFirstRender {
		t.Errorf("first render %.0f ms, more than %v", firsts[2], maxFirstRender)
	}
	chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false})

	// W2 in our engine — two workers (shared memory on the isolated host,
	// messages on a host without the isolation headers) and one — against
	// the same step in TensorFlow.js (wasm backend), alternating in this
	// one Chromium so that the machine's drift hits all alike
	// (docs/architecture.md#benchmarks).
	plain, err := plainHost()
	if err != nil {
		t.Fatal(err)
	}
	type config struct{ base, extra string }
	// The last two are a diagnostic, not a target: the page drawing only
	// the Explain panel, so that its renders hardly compete with the
	// workers for the two cores; the ratio there is what the split itself
	// buys.
	configs := []config{{baseURL, ""}, {baseURL, "&workers=1"}, {plain, ""}, {plain, "&workers=1"},
		{baseURL, "&panels=explain"}, {baseURL, "&panels=explain&workers=1"}}
	ours := make([][]float64, len(configs))
	var fpss, tfs []float64
	var tfInfo map[string]any
	t.Logf("BENCH load average at the start: %s (2 cores)", loadAvg())
	bin := filepath.Join(t.TempDir(), "nce.test")
	if out, err := exec.Command("go", "test", "-c", "-o", bin, "nceplay/core/nce").CombinedOutput(); err != nil {
		t.Fatalf("building core/nce's benchmark: %v\n%s", err, out)
	}
	lockBin := filepath.Join(t.TempDir(), "engine.test")
	if out, err := exec.Command("go", "test", "-c", "-o", lockBin, "nceplay/wasm/engine").CombinedOutput(); err != nil {
		t.Fatalf("building wasm/engine's benchmark: %v\n%s", err, out)
	}
	var scaling, lockstep, pages []float64
	tb2 := newTabFor(t, 1280, 900, 38*time.Minute)
	for range benchRounds {
		scaling = append(scaling, coreScaling(t, bin))
		lockstep = append(lockstep, lockstepScaling(t, lockBin))
		for i, c := range configs {
			sps, fps := trainW2(tb, c.base, c.extra)
			ours[i] = append(ours[i], sps)
			if i == 0 {
				fpss = append(fpss, fps)
			}
			if i == 1 { // beside the one worker it is measured against
				pages = append(pages, trainTwoPages(tb, tb2))
			}
		}
		info := trainTFJS(tb, os.Getenv("NCE_TFJS_THREADS") == "1")
		tfs, tfInfo = append(tfs, info["sps"].(float64)), info
	}
	t.Logf("BENCH load average after W2: %s", loadAvg())
	t.Logf("BENCH TF.js %v (backend %v, simd %v, threads %v), loss %.4g after %v steps",
		tfInfo["version"], tfInfo["backend"], tfInfo["simd"], tfInfo["threads"], tfInfo["loss"], tfInfo["steps"])
	t.Logf("BENCH %-10s %10s %10s %10s %10s %10s %9s %9s %9s %7s %9s %9s", "W2 steps/s", "2w shared", "1w iso", "2w msgs", "1w plain", "TF.js",
		"2/1 iso", "2/1 msgs", "2w/TF.js", "fps", "native 2/1", "lockstep")
	row := func(name string, v []float64, tf, fps, sc, ls float64) {
		t.Logf("BENCH %-10s %10.1f %10.1f %10.1f %10.1f %10.1f %8.2f× %8.2f× %8.2f× %7.1f %8.2f× %8.2f×", name, v[0], v[1], v[2], v[3], tf,
			v[0]/v[1], v[2]/v[3], v[0]/tf, fps, sc, ls)
	}
	for r := range benchRounds {
		row(fmt.Sprintf("round %d", r+1), []float64{ours[0][r], ours[1][r], ours[2][r], ours[3][r]}, tfs[r], fpss[r], scaling[r], lockstep[r])
	}
	// Ratios within each round (side by side), then their medians.
	var iso, msgs, tf []float64
	for r := range benchRounds {
		iso = append(iso, ours[0][r]/ours[1][r])
		msgs = append(msgs, ours[2][r]/ours[3][r])
		tf = append(tf, ours[0][r]/tfs[r])
	}
	med := []float64{median(ours[0]), median(ours[1]), median(ours[2]), median(ours[3])}
	t.Logf("BENCH %-10s %10.1f %10.1f %10.1f %10.1f %10.1f %8.2f× %8.2f× %8.2f× %7.1f %8.2f× %8.2f×", "median", med[0], med[1], med[2], med[3], median(tfs),
		median(iso), median(msgs), median(tf), median(fpss), median(scaling), median(lockstep))
	t.Logf("BENCH (native 2/1: two native W2 processes at once against one, in the same round: what the machine's second core gave then;")
	t.Logf("BENCH  lockstep: the split step natively, its helper in a goroutine, two threads against one: what waiting for each other every step leaves)")
	var bare []float64
	for r := range benchRounds {
		bare = append(bare, ours[4][r]/ours[5][r])
	}
	t.Logf("BENCH diagnostic, only the Explain panel drawn: 2 workers %.1f, 1 worker %.1f steps/s (medians); 2/1 %.2f× (median of the rounds' %s)",
		median(ours[4]), median(ours[5]), median(bare), fmt.Sprintf("%.2f", bare))
	var apart []float64
	for r := range benchRounds {
		apart = append(apart, pages[r]/ours[1][r])
	}
	t.Logf("BENCH diagnostic, two 1-worker pages at once (two workers that never wait for each other, two pages drawing) against one: %.2f× (median of the rounds' %s)",
		median(apart), fmt.Sprintf("%.2f", apart))
	if median(iso) < minTwoWorkers {
		t.Logf("BENCH below target: two workers %.2f× one, want ≥ %.1f×", median(iso), minTwoWorkers)
	}
	if median(tf) < minTFJSRatio {
		t.Logf("BENCH below target: %.2f× TF.js, want ≥ %.1f×", median(tf), minTFJSRatio)
	}
	if mf := median(fpss); mf < minFPS {
		t.Logf("BENCH below target: %.1f fps while W2 trains, want ≥ %d", mf, minFPS)
	}

	// Time to quality: each 2D preset's link at full speed, from Play to
	// the first frame with kl ≤ maxKL (two workers, isolated).
	// (NCE_BENCH_PRESETS=0 skips them.)
	t.Logf("BENCH %-10s %12s %10s %s", "preset", "to kl ≤ 0.1", "at step", "spec")
	for _, p := range spec.Presets {
		if os.Getenv("NCE_BENCH_PRESETS") == "0" {
			break
		}
		s, err := spec.Parse(p.Query)
		if err != nil || s.Dim() != 2 {
			continue
		}
		q := p.Query + "&speed=10"
		ms, step, ok := timeToKL(tb, q, 3*time.Minute)
		if !ok {
			t.Logf("BENCH %-10s %12s %10.0f %s (kl > %g when it stopped)", p.ID, "not reached", step, p.Query, maxKL)
			continue
		}
		t.Logf("BENCH %-10s %10.1f s %10.0f %s", p.ID, ms/1000, step, p.Query)
	}
	t.Logf("BENCH load average at the end: %s", loadAvg())

	// Same origin only.
	tb.mu.Lock()
	reqs := append([]string(nil), tb.requests...)
	tb.mu.Unlock()
	for _, u := range reqs {
		// plain is the same site served without the isolation headers.
		if !strings.HasPrefix(u, baseURL+"/") && !strings.HasPrefix(u, plain+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("request beyond the page's origin: %s", u)
		}
	}
	t.Logf("BUDGET requests: %d, all to %s (or the same site without the isolation headers, %s)", len(reqs), baseURL, plain)
	tb.noErrors()
}
