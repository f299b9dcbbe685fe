package e2e

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"nceplay/core/density"
)

// Painting your own 2D data on the Samples panel (docs/spec.md#data): the
// strokes are drawn at once on the page, PaintDelay after the last one
// the points become the data key and training restarts on them.

// paintSpec is the experiment painted over: a small mlp, so the density
// can take the painted blobs' shape in a short run.
const paintSpec = "target=gauss2d&model=mlp&units=16&k=4&steps=400"

// spyPaintFrames keeps, from the workers' frames, the last frame with
// points (its drawn data count) and the last metrics' held-out count.
const spyPaintFrames = `(() => {
	const f = window.nceOnWorker;
	window.ncePaintSpy = {};
	window.nceOnWorker = (d) => {
		if (d && d.t === "frame") {
			if (d.points) window.ncePaintSpy.data = d.data.length / 2;
			window.ncePaintSpy.heldOutN = d.metrics.heldOutN;
			window.ncePaintSpy.spec = d.spec;
		}
		f(d);
	};
})()`

// timePointer measures the page's handling of pointer events while
// painting: every pointerdown and pointermove is counted, and the Event
// Timing API reports those whose handling took 16 ms or more (the
// longest processing time, and how many). For the report, not a pass
// or fail: this machine's load decides the times.
const timePointer = `(() => {
	let n = 0, slow = 0, worst = 0;
	const count = () => n++;
	document.addEventListener('pointerdown', count, true);
	document.addEventListener('pointermove', count, true);
	try {
		new PerformanceObserver((list) => {
			for (const e of list.getEntries()) {
				if (e.name !== 'pointermove' && e.name !== 'pointerdown') continue;
				slow++;
				worst = Math.max(worst, e.processingEnd - e.processingStart);
			}
		}).observe({type: 'event', durationThreshold: 16});
	} catch (e) {}
	window.ncePaintTiming = () => [n, worst, slow];
})()`

// plotPoint returns the page coordinates of data point (x, y) in a 2D
// panel's plotting area (its canvas's foreignObject spans the data box).
func plotPoint(tb *tab, panel string, x, y float64) (float64, float64) {
	tb.t.Helper()
	r := eval[[]float64](tb, `(() => {
		const fo = document.querySelector('[data-slot="`+panel+`"] foreignObject').getBoundingClientRect();
		return [fo.left, fo.top, fo.width, fo.height];
	})()`)
	return r[0] + (x+4)/8*r[2], r[1] + (4-y)/8*r[3]
}

// stroke drags the mouse through the data points of each stroke (a
// press at the first, moves, a release at the last): trusted pointer
// events, dispatched together once every position is known (the page
// sends the points 400 ms after a stroke, and may restart meanwhile).
func stroke(tb *tab, strokes ...[][2]float64) {
	tb.t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for _, pts := range strokes {
		for i, p := range pts {
			x, y := plotPoint(tb, "samples", p[0], p[1])
			switch i {
			case 0:
				acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y), chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft))
			default:
				acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y, chromedp.ButtonLeft))
			}
			if i == len(pts)-1 {
				acts = append(acts, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y, chromedp.ButtonLeft))
			}
		}
	}
	tb.do(acts...)
}

// blob is a stroke of rings around (cx, cy) out to radius r: many dabs.
func blob(cx, cy, r float64) [][2]float64 {
	var pts [][2]float64
	for ring := 1; ring <= 3; ring++ {
		rr := r * float64(ring) / 3
		for i := range 24 {
			a := 2 * math.Pi * float64(i) / 24
			pts = append(pts, [2]float64{cx + rr*math.Cos(a), cy + rr*math.Sin(a)})
		}
	}
	return pts
}

// density returns p̂ at data point (x, y), read from the Density panel's
// hover readout.
func densityAt(tb *tab, x, y float64) float64 {
	tb.t.Helper()
	px, py := plotPoint(tb, "density", x, y)
	txt := eval[string](tb, fmt.Sprintf(`(() => {
		const r = document.querySelector('[data-slot="density"]').getBoundingClientRect();
		return window.nceHover("density", %g - r.left, %g - r.top);
	})()`, px, py))
	for _, l := range strings.Split(txt, "\n") {
		if v, ok := strings.CutPrefix(l, "p̂(x) = "); ok {
			var f float64
			if _, err := fmt.Sscan(v, &f); err == nil {
				return f
			}
		}
	}
	tb.t.Fatalf("no p̂ in the Density readout at (%g, %g): %q", x, y, txt)
	return 0
}

func paintCount(tb *tab) int {
	tb.t.Helper()
	txt := eval[string](tb, `(document.querySelector('[data-paint="count"]') || {textContent: "none"}).textContent`)
	var n int
	if _, err := fmt.Sscan(txt, &n); err != nil {
		tb.screenshot("paint-failed")
		tb.t.Fatalf("the paint count reads %q (paint mode off?) at %s", txt, tb.path())
	}
	return n
}

// dataValue is the data key's value in the page's address.
func dataValue(tb *tab) string {
	tb.t.Helper()
	u, err := url.Parse(tb.path())
	if err != nil {
		tb.t.Fatal(err)
	}
	return u.Query().Get("data")
}

// TestPaint: painting two blobs on the Samples panel makes them the data
// key (the address carries them) and trains on them: the frames' data is
// the painted set (training points drawn plus the held-out fifth), the
// held-out readout appears, and the density's mass sits on the blobs, not
// in an empty corner. Erase removes the points under the brush and the
// experiment follows; Clear empties the canvas. The painted link opened
// in a fresh page runs the same points to the runner's numbers.
func TestPaint(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tb := newTab(t, 1400, 900)
	tb.open("/?" + paintSpec)
	tb.do(chromedp.Evaluate[chromedp.Void](spyPaintFrames))
	tb.do(chromedp.Evaluate[chromedp.Void](timePointer))
	tb.click("paint")
	tb.waitFor(`document.querySelector('.nce-painting') && document.querySelector('[data-paint="count"]')`, 30*time.Second)
	if n := paintCount(tb); n != 0 {
		t.Fatalf("paint mode starts with %d points, want an empty canvas", n)
	}
	// Two blobs: one stroke each.
	stroke(tb, blob(-2, 2, 0.6), blob(2, -1.5, 0.6))
	n := paintCount(tb)
	if n < 300 {
		t.Fatalf("painted %d points; want two blobs of 150 or more", n)
	}
	// Drawn at once: the canvas has data pixels around both centres.
	drawn := eval[[]int](tb, `(() => {
		const cv = document.getElementById('nce-cv-samples'), g = cv.getContext('2d');
		const at = (x, y) => { const px = Math.round((x + 4) / 8 * cv.width), py = Math.round((4 - y) / 8 * cv.height);
			const d = g.getImageData(px - 6, py - 6, 13, 13).data; let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) k++; return k; };
		return [at(-2, 2), at(2, -1.5), at(3.5, 3.5)];
	})()`)
	if drawn[0] == 0 || drawn[1] == 0 || drawn[2] != 0 {
		t.Errorf("painted pixels at the blobs and a corner: %v", drawn)
	}
	// PaintDelay later the points are the experiment, training.
	tb.waitFor(`location.search.includes('target=data2d') && location.search.includes('data=')`, 60*time.Second)
	tb.waitFor(fmt.Sprintf(`window.ncePaintSpy.spec && window.ncePaintSpy.spec.includes('target=data2d') && window.ncePaintSpy.data + window.ncePaintSpy.heldOutN === %d`, n), 2*time.Minute)
	q := strings.TrimPrefix(tb.path(), "/?")
	if !strings.Contains(q, "model=mlp") || !strings.Contains(q, "k=4") {
		t.Errorf("painting lost the other settings: %s", q)
	}
	tb.waitFor(`window.ncePaintSpy.spec && window.ncePaintSpy.spec.includes('target=data2d') && window.ncePaintSpy.data && window.ncePaintSpy.heldOutN`, 2*time.Minute)
	if got := eval[int](tb, `window.ncePaintSpy.data + window.ncePaintSpy.heldOutN`); got != n {
		t.Errorf("the run's data: %d drawn + %d held out = %d, painted %d", eval[int](tb, `window.ncePaintSpy.data`), eval[int](tb, `window.ncePaintSpy.heldOutN`), got, n)
	}
	if msg := eval[string](tb, `document.querySelector('[data-paint="msg"]').textContent`); !strings.Contains(msg, fmt.Sprintf("%d points: training on them", n)) {
		t.Errorf("the paint message: %q", msg)
	}
	tb.waitFor(`['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`, 5*time.Minute)
	if s := eval[string](tb, `document.querySelector('.nce-app').dataset.status`); s != "done" {
		t.Fatalf("the painted run ended %s", s)
	}
	if ll := tb.metric("heldout_ll"); math.IsNaN(ll) {
		t.Error("no held-out LL readout after training on painted points")
	}
	if st := tb.metric("step"); st != 400 {
		t.Errorf("step %v, want 400", st)
	}
	a, b, corner := densityAt(tb, -2, 2), densityAt(tb, 2, -1.5), densityAt(tb, 3.5, 3.5)
	t.Logf("p̂ at the blobs %g, %g; at the corner (3.5, 3.5) %g", a, b, corner)
	if !(a > 10*corner && b > 10*corner) {
		t.Errorf("p̂ at the blobs %g, %g, not well above the empty corner's %g", a, b, corner)
	}
	tb.screenshot("paint-1400-light")

	// Erase through the first blob's centre.
	v1 := dataValue(tb)
	tb.click("paint-erase")
	stroke(tb, [][2]float64{{-2.4, 2}, {-2.2, 2}, {-2, 2}, {-1.8, 2}, {-1.6, 2}})
	ne := paintCount(tb)
	if ne >= n || ne < n/4 {
		t.Errorf("erasing a line through a blob: %d points of %d", ne, n)
	}
	tb.waitFor(`new URLSearchParams(location.search).get('data') !== `+jsString(v1), 60*time.Second)
	tb.waitFor(`window.ncePaintSpy.data + window.ncePaintSpy.heldOutN === `+fmt.Sprint(ne), 2*time.Minute)
	under := eval[int](tb, `(() => {
		const cv = document.getElementById('nce-cv-samples'), g = cv.getContext('2d');
		const px = Math.round(2 / 8 * cv.width), py = Math.round(2 / 8 * cv.height);
		const d = g.getImageData(px - 1, py - 1, 3, 3).data; let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) k++; return k;
	})()`)
	if under != 0 {
		t.Errorf("%d painted pixels left at the eraser's path", under)
	}
	tb.screenshot("paint-erase")

	// Clear: no points, an empty canvas; the experiment keeps its data.
	v2 := dataValue(tb)
	tb.click("paint-clear")
	tb.waitFor(`document.querySelector('[data-paint="count"]').textContent.trim() === '0 points'`, 30*time.Second)
	if k := eval[int](tb, `(() => { const cv = document.getElementById('nce-cv-samples'); const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data; let k = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) k++; return k; })()`); k != 0 {
		t.Errorf("Clear left %d painted pixels", k)
	}
	if dataValue(tb) != v2 {
		t.Error("Clear changed the experiment's data")
	}

	// Too many points for a link: three strokes of the biggest brush over
	// the whole box (some 4,000 points spread out; one stroke's 2,800
	// nearly fit). They become a data file the worker keeps, as a pasted
	// set's: the link names it, the panel says so, and training runs.
	tb.click("paint-add")
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => { const r = document.querySelector('[data-input="brush"]'); r.value = r.max; r.dispatchEvent(new Event('input', {bubbles: true})); })()`))
	tb.waitFor(`document.querySelector('.nce-paint-size output').textContent.includes('0.8')`, 30*time.Second)
	var raster [][2]float64
	for i := range 19 {
		y := -3.6 + 0.4*float64(i)
		for j := range 19 {
			x := -3.6 + 0.4*float64(j)
			if i%2 == 1 {
				x = -x
			}
			raster = append(raster, [2]float64{x, y})
		}
	}
	stroke(tb, raster, raster, raster)
	big := paintCount(tb)
	tb.waitFor(fmt.Sprintf(`location.search.includes('datafile=') && location.search.includes('-%d') && !location.search.includes('data=')`, big), 60*time.Second)
	if msg := eval[string](tb, `document.querySelector('[data-paint="msg"]').textContent`); !strings.Contains(msg, fmt.Sprintf("%d points, too many for a link", big)) || !strings.Contains(msg, "data file") {
		t.Errorf("%d points: the panel says %q", big, msg)
	}
	tb.waitFor(fmt.Sprintf(`window.ncePaintSpy.spec.includes('datafile=') && window.ncePaintSpy.heldOutN === %d`, density.HeldOut(big)), 2*time.Minute)
	tb.screenshot("paint-too-large")
	if ev := eval[[]float64](tb, `window.ncePaintTiming()`); len(ev) == 3 {
		t.Logf("pointer events handled: %v, slowest %.1f ms of processing (Event Timing, events over 16 ms: %v)", ev[0], ev[1], ev[2])
	}
	tb.noErrors()

	// The link round trip: a fresh page with the painted link trains on
	// the same points (the same data value) to the runner's numbers.
	want := runnerJSON(t, q)
	fresh := newTab(t, 1400, 900)
	got, _, _, _, _, _ := playReport(fresh, baseURL, q)
	for k, w := range want {
		if k != "ms" && fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("report %s = %v, the runner's %v", k, got[k], w)
		}
	}
	if fmt.Sprint(got["heldout_n"]) != fmt.Sprint(n/5) && fmt.Sprint(got["heldout_n"]) == "" {
		t.Errorf("heldout_n %v", got["heldout_n"])
	}
	if dataValue(fresh) != v1 {
		t.Error("the fresh page's address lost the painted data")
	}
	fresh.noErrors()
}

// TestPaintLooks: the paint mode at 1400×900 (dark), on a 360 px phone
// (painted by touch) in both themes, and a painted data set's link in
// the 640×400 embed (its Samples panel, without the paint button) in
// both themes.
func TestPaintLooks(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	for _, c := range []struct {
		name  string
		w, h  int64
		theme string
		touch bool
	}{
		{"paint-1400-dark", 1400, 900, "dark", false},
		{"paint-phone-light", 360, 780, "light", true},
		{"paint-phone-dark", 360, 780, "dark", true},
	} {
		tb := newTab(t, c.w, c.h)
		tb.open("/?" + paintSpec + "&theme=" + c.theme)
		tb.click("paint")
		tb.waitFor(`document.querySelector('.nce-painting')`, 30*time.Second)
		tb.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-panel="samples"]').scrollIntoView({block: "start"})`))
		if c.touch {
			if ta := eval[string](tb, `getComputedStyle(document.querySelector('.nce-painting')).touchAction`); ta != "none" {
				t.Errorf("%s: touch-action %q while painting, want none", c.name, ta)
			}
			for _, p := range [][2]float64{{-2, 2}, {2, -1.5}, {0, 0}} {
				touch(tb, blob(p[0], p[1], 0.5))
			}
		} else {
			stroke(tb, blob(-2, 2, 0.6), blob(2, -1.5, 0.6))
		}
		if n := paintCount(tb); n < 100 {
			t.Errorf("%s: %d points painted", c.name, n)
		}
		tb.waitFor(`location.search.includes('data=')`, 60*time.Second)
		tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'done'`, 5*time.Minute)
		tb.screenshot(c.name)
		tb.noErrors()
	}
	q := paintSpec + "&data=" + ownDataValue(t)
	for _, theme := range []string{"light", "dark"} {
		tb := newTab(t, 640, 400)
		tb.open("/embed?" + strings.Replace(q, "target=gauss2d", "target=data2d", 1) + "&panels=samples,density,curves&theme=" + theme + "&autoplay=1")
		tb.waitFor(`document.querySelector('[data-slot="samples"] canvas')`, 60*time.Second)
		if eval[bool](tb, `!!document.querySelector('[data-action="paint"]')`) {
			t.Error("the embed shows the paint button")
		}
		tb.waitFor(`document.querySelector('.nce-app').dataset.status === 'done'`, 5*time.Minute)
		tb.screenshot("paint-embed-" + theme)
		tb.noErrors()
	}
}

// ownDataValue is ownDataQuery's data value.
func ownDataValue(t *testing.T) string {
	q := ownDataQuery(t)
	return q[strings.Index(q, "data=")+len("data="):]
}

// touch drags one finger through the data points (touch events, which
// Chromium turns into pointer events of type touch).
func touch(tb *tab, pts [][2]float64) {
	tb.t.Helper()
	if _, err := chromedp.Call(tb.ctx, emulation.SetTouchEmulationEnabled, emulation.SetTouchEmulationEnabledParams{Enabled: true, MaxTouchPoints: 1}); err != nil {
		tb.t.Fatal(err)
	}
	for i, p := range pts {
		x, y := plotPoint(tb, "samples", p[0], p[1])
		typ := input.DispatchTouchEventTypeTouchMove
		if i == 0 {
			typ = input.DispatchTouchEventTypeTouchStart
		}
		if _, err := chromedp.Call(tb.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: typ, TouchPoints: []*input.TouchPoint{{X: x, Y: y}}}); err != nil {
			tb.t.Fatal(err)
		}
	}
	if _, err := chromedp.Call(tb.ctx, input.DispatchTouchEvent, input.DispatchTouchEventParams{Type: input.DispatchTouchEventTypeTouchEnd, TouchPoints: []*input.TouchPoint{}}); err != nil {
		tb.t.Fatal(err)
	}
}
