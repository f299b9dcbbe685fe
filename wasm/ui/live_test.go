package main

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vugu/vugu"

	"nceplay/core/spec"
	"nceplay/wasm/engine"
	"nceplay/wasm/view"
)

// TestFramesChangeOnlyLiveParts: a frame whose frameKey equals the last
// one's is drawn without a Vugu render (live.go), so everything Vugu
// builds must then be the same. Real runs (1D and 2D, Newton's
// convergence readout, warnings, the embed) feed their frames to the page
// as the worker sends them; wherever two frames in a row have one key,
// the page Vugu builds (live elements empty) must be byte for byte the
// same, while the live content changes.
func TestFramesChangeOnlyLiveParts(t *testing.T) {
	cases := []struct {
		q     string
		embed bool
	}{
		{"steps=40", false},
		{"target=ring&model=mlp&units=8&layers=1&steps=40", false},
		{"target=gauss&deg=2&opt=newton&steps=40", false},
		{"k=1&noise=gauss&nscale=0.3&steps=40", false}, // narrow noise: warnings
		{"target=moons&model=rbf&steps=40&panels=curves,explain", true},
	}
	for _, tc := range cases {
		t.Run(tc.q, func(t *testing.T) {
			s, err := spec.Parse(tc.q)
			if err != nil {
				t.Fatal(err)
			}
			c := &Root{S: s, EmbedPath: tc.embed}
			c.restart(true)
			c.Ready = true
			r, err := engine.New(s.ExperimentQuery())
			if err != nil {
				t.Fatal(err)
			}
			env, err := vugu.NewBuildEnv()
			if err != nil {
				t.Fatal(err)
			}
			page := func() string { return pageHTML(t, env.RunBuild(c)) }
			var same, differ int
			lastKey, lastPage, lastLive, lastStep := "", "", "", -1
			for i := 0; i < 40; i++ {
				r.Train(1, time.Second)
				r.Refresh(true, true)
				f := r.Frame(c.gen, true, i == 0)
				c.onMessage(f)
				key, html := c.frameKey(), page()
				c.updateLive(false)
				live := liveText(c)
				if i > 0 && key == lastKey {
					same++
					if html != lastPage {
						t.Fatalf("frame %d: the key %q did not change, but the page Vugu builds did:\n%s", i, key, firstDiff(lastPage, html))
					}
					if live == lastLive && c.F.Step != lastStep {
						t.Errorf("frame %d: the live content did not change from the last frame", i)
					}
				} else if i > 0 {
					differ++
				}
				lastKey, lastPage, lastLive, lastStep = key, html, live, c.F.Step
				if strings.Contains(html, "Loading the engine") {
					t.Errorf("frame %d: the page still says it is loading", i)
				}
			}
			// Most frames change only the live parts (else the page renders
			// every frame and the test has compared little).
			if same < 30 && !c.Done {
				t.Errorf("%d of 39 frames kept the key (%d changed it)", same, differ)
			}
			// The live parts are in the page Vugu builds, empty, and hold
			// what the frames change.
			html := page()
			for _, id := range []string{liveStep, liveLoss, liveC} {
				i := strings.Index(html, `data-live="`+id+`"`)
				if j := strings.IndexByte(html[max(i, 0):], '>'); i < 0 || !strings.HasPrefix(html[i+j:], "></b>") {
					t.Errorf("no empty live readout %q in the page", id)
				}
			}
			if got := c.live.items[liveStep].content; got != strconv.Itoa(c.F.Step) {
				t.Errorf("live step %q, want %d", got, c.F.Step)
			}
			for _, p := range spec.Panels {
				if c.Show(p.ID) && p.ID != spec.PanelExplain && p.ID != spec.PanelCurves {
					if it := c.live.items[p.ID]; it == nil || !strings.HasPrefix(it.content, "<svg") {
						t.Errorf("panel %s: no plot markup in the live content", p.ID)
					}
				}
			}
		})
	}
}

// liveText is the page's live content, in a fixed order.
func liveText(c *Root) string {
	var b strings.Builder
	for _, id := range append([]string{liveStep, liveLoss, liveNow}, append(curveSlots, spec.PanelDensity, spec.PanelClassifier)...) {
		if it := c.live.items[id]; it != nil {
			b.WriteString(id + "=" + it.content + "\n")
		}
	}
	return b.String()
}

// pageHTML writes the page Vugu built as markup (attributes in order,
// components in place).
func pageHTML(t *testing.T, br *vugu.BuildResults) string {
	var b strings.Builder
	var walk func(n *vugu.VGNode)
	walk = func(n *vugu.VGNode) {
		if n.Component != nil {
			for _, o := range br.ResultFor(n.Component).Out {
				walk(o)
			}
			return
		}
		switch n.Type {
		case vugu.TextNode:
			b.WriteString(n.Data)
			return
		case vugu.CommentNode:
			return
		}
		if !n.IsTemplate() {
			b.WriteString("<" + n.Data)
			for _, a := range n.Attr {
				b.WriteString(" " + a.Key + `="` + a.Val + `"`)
			}
			for _, p := range n.Prop {
				b.WriteString(" ." + p.Key + "=" + string(p.JSONVal))
			}
			b.WriteString(">")
		}
		if n.InnerHTML != nil {
			b.WriteString(*n.InnerHTML)
		}
		for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
			walk(ch)
		}
		if !n.IsTemplate() {
			b.WriteString("</" + n.Data + ">")
		}
	}
	walk(br.Out.Out[0])
	return b.String()
}

// firstDiff shows where two pages first differ.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return "before: …" + a[lo:min(len(a), i+200)] + "…\nafter:  …" + b[lo:min(len(b), i+200)] + "…"
}

// TestPlotMarkup: the live plots' markup has the elements and classes the
// page's CSS and the browser tests address, with text escaped.
func TestPlotMarkup(t *testing.T) {
	p := view.Plot{Geo: view.Geom{W: 300, H: 200, L: 40, R: 10, T: 20, B: 30}, Title: `a <b> & "c"`, ID: "loss",
		XTicks: []view.AxisTick{{Pos: 50, Label: "1"}}, YTicks: []view.AxisTick{{Pos: 60, Label: "−2"}},
		Lines: []view.Line{{D: "M0 0L1 1", Class: "nce-model"}}, Dots: []view.Dot{{X: 3, Y: 4, Class: "nce-data"}},
		Legend: []view.LegendItem{{Label: "title", Title: true}, {Swatch: "M0 0H9", Class: "nce-model", Label: "p̂"}}, XName: "step"}
	got := p.SVG("data-x", "1 2")
	for _, want := range []string{
		`<svg class="nce-plot" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 200" role="img" aria-label="a &lt;b&gt; &amp; &quot;c&quot;" data-plot="loss" data-x="1 2">`,
		`<path class="nce-l nce-model" d="M0 0L1 1"></path>`,
		`<circle class="nce-dot nce-data" cx="3" cy="4" r="3.5"></circle>`,
		`<text class="nce-tick" text-anchor="end" x="35" y="64">−2</text>`,
		`<text class="nce-legt nce-legtitle" x="0" y="0">title</text>`,
		`<g><path class="nce-l nce-model" d="M0 0H9"></path><text class="nce-legt" x="0" y="0">p̂</text></g>`,
		`</svg>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plot markup lacks %s\n%s", want, got)
		}
	}
	if got := view.RichHTML("see [E5](docs/math.md#e5) & more"); got != `<span class="nce-rich"><span><span>see </span></span><span><a href="/docs/math.html#e5" target="_blank" rel="noopener">E5</a></span><span><span> &amp; more</span></span></span>` {
		t.Errorf("rich markup %s", got)
	}
}

// TestPlotsFollowTheirData: a frame with new metrics but the same grid
// draws new curves and keeps the maps; one with a new grid but the same
// metrics draws new maps and keeps the curves; the Samples panel stays
// for the whole run (it draws the run's points, p̃ and U).
func TestPlotsFollowTheirData(t *testing.T) {
	q := "target=ring&model=mlp&units=8&layers=1&steps=100"
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	c := &Root{S: s, Sizes: view.Sizes{}}
	c.restart(true)
	c.Ready = true
	r, err := engine.New(s.ExperimentQuery())
	if err != nil {
		t.Fatal(err)
	}
	seqs := func() (samples, density, classifier, curve uint64) {
		// The maps' pixels (their markup may stay the same); the samples'
		// markup (their pixels stay at a new size).
		it, l := c.live.items, &c.live
		return it[spec.PanelSamples].seq, l.density.heat.Seq, l.classifier.heat.Seq, it[view.CurveSlot(0)].seq
	}
	frame := func(metrics, grid bool) {
		r.Train(3, time.Second)
		r.Refresh(metrics, grid)
		c.onMessage(r.Frame(c.gen, true, c.F.Dim == 0))
		c.updateLive(false)
	}
	frame(true, true)
	s0, d0, k0, v0 := seqs()
	frame(true, false)
	s1, d1, k1, v1 := seqs()
	if s1 != s0 || d1 != d0 || k1 != k0 || v1 == v0 {
		t.Errorf("new metrics, same grid: samples %v, density %v, classifier %v kept; curves %v redrawn; want true, true, true, true", s1 == s0, d1 == d0, k1 == k0, v1 != v0)
	}
	frame(false, true)
	s2, d2, k2, v2 := seqs()
	if s2 != s1 || d2 == d1 || k2 == k1 || v2 != v1 {
		t.Errorf("new grid, same metrics: samples kept %v, density redrawn %v, classifier redrawn %v, curves kept %v; want all true", s2 == s1, d2 != d1, k2 != k1, v2 == v1)
	}
	// A size change redraws every plot.
	c.SetSizes(view.Sizes{spec.PanelSamples: {W: 300, H: 280}, spec.PanelDensity: {W: 300, H: 280}, spec.PanelClassifier: {W: 300, H: 280}, view.CurveSlot(0): {W: 200, H: 150}})
	c.updateLive(true)
	s3, d3, k3, v3 := seqs()
	if s3 == s2 || d3 == d2 || k3 == k2 || v3 == v2 {
		t.Errorf("new sizes: samples %v, density %v, classifier %v, curves %v redrawn; want all true", s3 != s2, d3 != d2, k3 != k2, v3 != v2)
	}
}
