package e2e

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

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
	minTFJSRatio = 1.5
	minFPS       = 55
)

// trainW2 plays W2 in the playground and returns its steps per second and
// the page's frames per second, measured over the same benchSeconds.
func trainW2(tb *tab) (sps, fps float64) {
	tb.t.Helper()
	tb.open("/?" + w2)
	tb.click("play")
	time.Sleep(3 * time.Second) // warm up
	s0, t0 := tb.metric("step"), time.Now()
	fps = eval[float64](tb, fmt.Sprintf(`new Promise((resolve) => {
		let n = 0;
		const t0 = performance.now();
		const f = (now) => { n++; if (now - t0 < %d) requestAnimationFrame(f); else resolve(n / ((now - t0) / 1000)); };
		requestAnimationFrame(f);
	})`, benchSeconds*1000))
	s1, t1 := tb.metric("step"), time.Now()
	sps = (s1 - s0) / t1.Sub(t0).Seconds()
	tb.t.Logf("BENCH W2 in the workers: %.1f steps/s (%v steps in %.1f s); page: %.1f fps while training", sps, s1-s0, t1.Sub(t0).Seconds(), fps)
	return sps, fps
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
	tb := newTab(t, 1280, 900)

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
	var firsts []float64
	for range 3 {
		tb.do(chromedp.Navigate(baseURL + "/"))
		tb.waitFor(`window.nceFirstRender !== undefined`, 30*time.Second)
		firsts = append(firsts, eval[float64](tb, `window.nceFirstRender`))
	}
	sort.Float64s(firsts)
	t.Logf("BUDGET first render: %.0f ms (median of %v, ms after navigation start)", firsts[1], firsts)
	if time.Duration(firsts[1]*float64(time.Millisecond)) > maxFirstRender {
		t.Errorf("first render %.0f ms, more than %v", firsts[1], maxFirstRender)
	}
	chromedp.Call(tb.ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: false})

	// W2 in our engine (two workers) against the same step in TensorFlow.js
	// (wasm backend), alternating in this one Chromium so that the
	// machine's drift hits both alike (docs/architecture.md#benchmarks).
	var ours, fpss, tfs []float64
	var tfInfo map[string]any
	for range benchRounds {
		sps, fps := trainW2(tb)
		ours, fpss = append(ours, sps), append(fpss, fps)
		info := trainTFJS(tb, os.Getenv("NCE_TFJS_THREADS") == "1")
		tfs, tfInfo = append(tfs, info["sps"].(float64)), info
	}
	t.Logf("BENCH TF.js %v (backend %v, simd %v, threads %v), loss %.4g after %v steps",
		tfInfo["version"], tfInfo["backend"], tfInfo["simd"], tfInfo["threads"], tfInfo["loss"], tfInfo["steps"])
	t.Logf("BENCH %-28s %12s %12s %8s %8s", "W2 (steps/s)", "ours", "TF.js wasm", "ratio", "fps")
	for i := range ours {
		t.Logf("BENCH %-28s %12.1f %12.1f %7.2f× %8.1f", fmt.Sprintf("round %d", i+1), ours[i], tfs[i], ours[i]/tfs[i], fpss[i])
	}
	mo, mt, mf := median(ours), median(tfs), median(fpss)
	t.Logf("BENCH %-28s %12.1f %12.1f %7.2f× %8.1f", "median", mo, mt, mo/mt, mf)
	if mo/mt < minTFJSRatio {
		t.Logf("BENCH below target: %.2f× TF.js, want ≥ %.1f×", mo/mt, minTFJSRatio)
	}
	if mf < minFPS {
		t.Logf("BENCH below target: %.1f fps while W2 trains, want ≥ %d", mf, minFPS)
	}

	// Same origin only.
	tb.mu.Lock()
	reqs := append([]string(nil), tb.requests...)
	tb.mu.Unlock()
	for _, u := range reqs {
		if !strings.HasPrefix(u, baseURL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("request beyond the page's origin: %s", u)
		}
	}
	t.Logf("BUDGET requests: %d, all to %s", len(reqs), baseURL)
	tb.noErrors()
}
