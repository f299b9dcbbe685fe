package e2e

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/dataset"
	"nceplay/core/density"
)

// Your own data (docs/spec.md#data) on the page: a data set carried in
// the link trains in the workers to the runner's numbers, and the
// readouts say which metrics are replaced.

// ownDataQuery is a 2D data set of 400 ring points in the data key (a
// painted data set's link) and a short mlp run on it.
func ownDataQuery(t *testing.T) string {
	r := rand.New(rand.NewPCG(11, 11))
	pts := make([]float64, 0, 800)
	x := make([]float64, 2)
	for len(pts) < cap(pts) {
		density.Ring{}.Sample(r, x)
		pts = append(pts, x...)
	}
	v, err := dataset.Encode(pts, 2)
	if err != nil {
		t.Fatal(err)
	}
	return "target=data2d&model=mlp&units=16&k=4&steps=300&data=" + v
}

// TestOwnDataLink: opening a link with a data set runs it; the report is
// the runner's bit for bit (but the timing), kl and the Bayes numbers are
// null with the note, and the readout shows the held-out log-likelihood
// in place of KL. Screenshots at 1400×900, the 640×400 embed and a 360 px
// phone, in both themes.
func TestOwnDataLink(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	q := ownDataQuery(t)
	want := runnerJSON(t, q)
	if want["kl"] != nil || want["heldout_ll"] == nil {
		t.Fatalf("the runner's report: kl %v, heldout_ll %v", want["kl"], want["heldout_ll"])
	}
	tb := newTab(t, 1400, 900)
	got, _, _, _, _, _ := playReport(tb, baseURL, q)
	for k, w := range want {
		if k != "ms" && fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("report %s = %v, the runner's %v", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("the page's report has %d fields, the runner's %d", len(got), len(want))
	}
	if eval[bool](tb, `!!document.querySelector('[data-metric="kl"]')`) {
		t.Error("the KL readout is shown for a data set without a true density")
	}
	label := eval[string](tb, `(document.querySelector('[data-metric="heldout_ll"]') || {parentElement: {textContent: ""}}).parentElement.textContent`)
	if ll := tb.metric("heldout_ll"); !strings.Contains(label, "no true density: held-out LL") || fmt.Sprint(ll) == "NaN" {
		t.Errorf("the held-out readout: %q (%v)", label, ll)
	}
	// Nothing names what a data set does not have: no excess-loss readout
	// (its Bayes floor), no Bayes accuracy beside the learned one, and the
	// Explain panel speaks of no Bayes boundary and no KL.
	if tb.has(`[data-metric="excess"]`) || tb.has(`.nce-bayes-acc`) {
		t.Error("the readouts show the excess loss or the Bayes accuracy for a data set")
	}
	if txt := eval[string](tb, `document.querySelector('[data-panel="explain"]').textContent`); strings.Contains(txt, "Bayes boundary") || strings.Contains(txt, "KL =") || !strings.Contains(txt, "held-out log-likelihood") {
		t.Errorf("the Explain panel on a data set: %.600s", txt)
	}
	// The Curves panel draws what a data set allows: the held-out
	// log-likelihood in the KL plot's place, no Bayes floor or accuracy.
	if !tb.has(`svg[data-plot="heldout-ll"] path.nce-l.heldoutll[d^="M"]`) || tb.has(`svg[data-plot="kl"]`) || tb.has(`svg[data-plot="loss"] .nce-l.bayes`) || tb.has(`svg[data-plot="accuracy"] .nce-l.bayes`) {
		t.Error("the Curves panel on a data set: want the held-out log-likelihood plot, no KL plot and no Bayes lines")
	}
	// The link survives: the page's address still carries the same data.
	if p := tb.path(); !strings.Contains(p, q[strings.Index(q, "data="):]) {
		t.Errorf("the address lost the data: %.120s", p)
	}
	tb.screenshot("owndata-1400-light")
	tb.noErrors()
	for _, c := range []struct {
		name string
		w, h int64
		path string
	}{
		{"owndata-1400-dark", 1400, 900, "/?" + q + "&theme=dark&autoplay=1"},
		{"owndata-embed-light", 640, 400, "/embed?" + q + "&theme=light&autoplay=1"},
		{"owndata-embed-dark", 640, 400, "/embed?" + q + "&theme=dark&autoplay=1"},
		{"owndata-phone-light", 360, 780, "/?" + q + "&theme=light&autoplay=1"},
		{"owndata-phone-dark", 360, 780, "/?" + q + "&theme=dark&autoplay=1"},
	} {
		tb := newTab(t, c.w, c.h)
		tb.open(c.path)
		tb.waitFor(`['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`, 5*time.Minute)
		tb.screenshot(c.name)
		tb.noErrors()
	}
}

// TestOwnDataPaste: a pasted CSV with one bad row is refused naming the
// row, and nothing the user had is lost (the experiment, the address and
// the pasted text stay); with the row fixed, the points become the
// experiment: the link carries them and training uses them (the held-out
// readout appears).
func TestOwnDataPaste(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	tb := newTab(t, 1400, 900)
	tb.open("/?k=4")
	before := tb.path()
	var b strings.Builder
	b.WriteString("# a pasted data set\nx,y\n")
	r := rand.New(rand.NewPCG(2, 2))
	for i := range 60 {
		if i == 41 {
			b.WriteString("0.5,abc\n") // line 44
			continue
		}
		fmt.Fprintf(&b, "%.4f,%.4f\n", r.Float64()*4-2, r.Float64()*4-2)
	}
	csv := b.String()
	tb.click("data-open")
	tb.waitFor(`document.querySelector('[data-input="data-csv"]')`, 30*time.Second)
	paste := func(text string) {
		tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
			const a = document.querySelector('[data-input="data-csv"]');
			a.value = ` + jsString(text) + `;
			a.dispatchEvent(new Event('change', {bubbles: true}));
		})()`))
		tb.click("data-use")
	}
	paste(csv)
	tb.waitFor(`document.querySelector('[data-data-error]')`, 60*time.Second)
	msg := eval[string](tb, `document.querySelector('[data-data-error]').textContent`)
	if !strings.Contains(msg, "line 44: 'abc' is not a number") {
		t.Errorf("the error %q does not name line 44", msg)
	}
	tb.screenshot("owndata-paste-error")
	if p := tb.path(); p != before {
		t.Errorf("a bad paste changed the address: %s → %s", before, p)
	}
	if got := eval[string](tb, `document.querySelector('[data-input="data-csv"]').value`); got != csv {
		t.Error("the pasted text was lost")
	}
	paste(strings.Replace(csv, "0.5,abc", "0.5,0.25", 1))
	tb.waitFor(`location.search.includes('target=data2d') && location.search.includes('data=')`, 60*time.Second)
	if eval[bool](tb, `!!document.querySelector('[data-data-error]')`) {
		t.Error("the error stayed after a good paste")
	}
	tb.click("play")
	tb.waitFor(`document.querySelector('[data-metric="heldout_ll"]') && document.querySelector('[data-metric="heldout_ll"]').textContent.trim() !== '–'`, 3*time.Minute)
	tb.screenshot("owndata-paste-done")
	tb.noErrors()
}

// jsString quotes s as a JS string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
