package e2e

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"nceplay/core/dataset"
	"nceplay/core/density"
)

// Data files on the page (docs/spec.md#data-file): a CSV dropped or
// chosen goes through the worker's import; a bad row is refused naming
// its line; a data set too large for a link becomes a data file the
// workers keep and train on, the link names it (datafile=) and Export
// data file saves it as canonical CSV; a datafile= link opened afresh asks
// for its file, refuses a wrong one by its hash and runs the right one to
// the numbers of nceplay run --data.

// dataFileCSV is n 2D points of the ring target in a messy layout (a
// comment, a header, semicolons, 7 decimals): 20,000 of them take more
// than a link holds.
func dataFileCSV(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	b.WriteString("# ring points\nx;y\n")
	x := make([]float64, 2)
	for i := 0; i < n; {
		density.Ring{}.Sample(r, x)
		if math.Abs(x[0]) >= 4 || math.Abs(x[1]) >= 4 {
			continue
		}
		fmt.Fprintf(&b, "%.7f; %.7f\n", x[0], x[1])
		i++
	}
	return b.String()
}

// runnerDataJSON is nceplay run --json --data file q.
func runnerDataJSON(t *testing.T, file, q string) map[string]any {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nceplay")
	if out, err := exec.Command("go", "build", "-o", bin, "../../cmd/nceplay").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "run", "--json", "--data", file, q)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("nceplay run --data: %v\n%s", err, stderr.String())
	}
	return decodeReport(t, out)
}

// dropFile dispatches a drop of a file with text on the element sel, as a
// user dragging it from the desktop.
func (tb *tab) dropFile(sel, name, text string) {
	tb.t.Helper()
	tb.do(chromedp.Evaluate[chromedp.Void](`(() => {
		const dt = new DataTransfer();
		dt.items.add(new File([` + jsString(text) + `], ` + jsString(name) + `, {type: "text/csv"}));
		const el = document.querySelector(` + jsString(sel) + `);
		el.dispatchEvent(new DragEvent("dragover", {dataTransfer: dt, bubbles: true, cancelable: true}));
		el.dispatchEvent(new DragEvent("drop", {dataTransfer: dt, bubbles: true, cancelable: true}));
	})()`))
}

// finishReport plays the page's experiment to its end and returns its
// Metrics JSON.
func (tb *tab) finishReport() map[string]any {
	tb.t.Helper()
	tb.click("play")
	tb.waitFor(`['done', 'diverged', 'error'].includes(document.querySelector('.nce-app').dataset.status)`, 5*time.Minute)
	if s := eval[string](tb, `document.querySelector('.nce-app').dataset.status`); s != "done" {
		tb.t.Fatalf("the run ended %s", s)
	}
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("json")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name === "nce-report.json"`, 60*time.Second)
	return decodeReport(tb.t, []byte(eval[string](tb, `window.nceLastDownload.text`)))
}

// sameReport compares a page's report with the runner's, field by field
// (the timing left out).
func sameReport(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if k != "ms" && fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("%s: report %s = %v, the runner's %v", what, k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s: the page's report has %d fields, the runner's %d", what, len(got), len(want))
	}
}

func TestDataFile(t *testing.T) {
	if skipReason != "" {
		t.Skip(skipReason)
	}
	dir := t.TempDir()
	big := dataFileCSV(20000, 5)
	bigPath := filepath.Join(dir, "ring.csv")
	os.WriteFile(bigPath, []byte(big), 0o644)
	pts, dim, err := dataset.ParseCSV([]byte(big), 0)
	if err != nil {
		t.Fatal(err)
	}
	id := dataset.ID(pts, dim)

	tb := newTab(t, 1400, 900)
	tb.open("/?k=4&steps=300")
	before := tb.path()

	// A dropped file with a bad row: refused naming the line; nothing changes.
	lines := strings.SplitAfter(dataFileCSV(40, 6), "\n")
	bad := strings.Join(lines[:20], "") + "0.5;abc\n" + strings.Join(lines[20:], "") // line 21
	tb.dropFile(".nce-panels", "bad.csv", bad)
	tb.waitFor(`document.querySelector('[data-data-error]')`, 60*time.Second)
	if msg := eval[string](tb, `document.querySelector('[data-data-error]').textContent`); !strings.Contains(msg, "bad.csv: line 21: 'abc' is not a number") {
		t.Errorf("the error %q does not name line 21", msg)
	}
	if p := tb.path(); p != before {
		t.Errorf("a bad file changed the address: %s → %s", before, p)
	}
	tb.screenshot("datafile-drop-error")

	// A small good file dropped on the Your data box: the link carries it.
	tb.dropFile(`[data-panel="owndata"]`, "small.txt", dataFileCSV(40, 6))
	tb.waitFor(`location.search.includes('target=data2d') && location.search.includes('data=')`, 60*time.Second)
	if eval[bool](tb, `!!document.querySelector('[data-data-error]')`) {
		t.Error("the error stayed after a good file")
	}

	// The large file, chosen: too many for a link, so the link names it.
	tb.do(chromedp.SetUploadFiles(chromedp.CSS(`.nce-owndata input[data-action="data-file"]`), []string{bigPath}))
	tb.waitFor(`location.search.includes('datafile=`+id+`')`, 2*time.Minute)
	if p := tb.path(); strings.Contains(p, "?data=") || strings.Contains(p, "&data=") {
		t.Errorf("the address carries the data key beside the file: %.200s", p)
	}
	if msg := eval[string](tb, `document.querySelector('[data-data-msg]').textContent`); !strings.Contains(msg, "20000 points, too many for a link: it names data file "+id) {
		t.Errorf("the note: %q", msg)
	}
	link := tb.path()
	tb.screenshot("datafile-imported-1400-light")

	// Export data file: the canonical CSV, whose hash is the key's.
	tb.do(chromedp.Evaluate[chromedp.Void](`window.nceLastDownload = undefined`))
	tb.click("data-export")
	tb.waitFor(`window.nceLastDownload && window.nceLastDownload.name.startsWith("nce-data-")`, 60*time.Second)
	name := eval[string](tb, `window.nceLastDownload.name`)
	canon := eval[string](tb, `window.nceLastDownload.text`)
	if name != "nce-data-"+id+".csv" {
		t.Errorf("exported as %s", name)
	}
	cp, cd, err := dataset.ParseCSV([]byte(canon), 0)
	if err != nil || dataset.ID(cp, cd) != id {
		t.Fatalf("the exported file: %v, its points are %s, not %s", err, dataset.ID(cp, cd), id)
	}
	canonPath := filepath.Join(dir, name)
	os.WriteFile(canonPath, []byte(canon), 0o644)

	rep := tb.finishReport()
	want := runnerDataJSON(t, canonPath, fmt.Sprint(rep["spec"]))
	if !strings.Contains(fmt.Sprint(want["spec"]), "datafile="+id) || want["heldout_ll"] == nil {
		t.Fatalf("the runner's report: spec %v, heldout_ll %v", want["spec"], want["heldout_ll"])
	}
	sameReport(t, "after the import", rep, want)
	tb.noErrors()

	// The link in a fresh page: it asks for the file.
	tb2 := newTab(t, 1400, 900)
	tb2.open(link)
	if s := eval[string](tb2, `document.querySelector('.nce-app').dataset.status`); s != "needs-file" {
		t.Fatalf("a datafile link opened without its file: status %s", s)
	}
	if got := eval[string](tb2, `document.querySelector('[data-need-file]').textContent`); got != "This experiment needs data file "+id+" (20000 points)." {
		t.Errorf("the request: %q", got)
	}
	if tb2.has(`.nce-panels`) || tb2.has(`[data-banner="diverged"]`) || !eval[bool](tb2, `document.querySelector('[data-action="play"]').disabled`) {
		t.Error("a datafile link without its file shows panels, an engine error or a Play button")
	}
	tb2.screenshot("datafile-needs-1400-light")
	// A wrong file: refused, saying the hash does not match.
	other := filepath.Join(dir, "other.csv")
	os.WriteFile(other, []byte(dataFileCSV(20000, 7)), 0o644)
	tb2.do(chromedp.SetUploadFiles(chromedp.CSS(`.nce-needfile input[data-action="data-file"]`), []string{other}))
	tb2.waitFor(`document.querySelector('[data-data-error]')`, 2*time.Minute)
	if msg := eval[string](tb2, `document.querySelector('[data-data-error]').textContent`); !strings.Contains(msg, "other.csv: the hash does not match") || !strings.Contains(msg, id) {
		t.Errorf("a wrong file: %q", msg)
	}
	if s := eval[string](tb2, `document.querySelector('.nce-app').dataset.status`); s != "needs-file" || tb2.path() != link {
		t.Errorf("a wrong file changed the page: status %s, %s", s, tb2.path())
	}
	tb2.screenshot("datafile-wrong-1400-light")
	// The right one (the user's own layout, dropped on the box): it runs,
	// to the runner's numbers.
	tb2.dropFile(".nce-needfile", "ring.csv", big)
	tb2.waitFor(`document.querySelector('.nce-panels') && document.querySelector('.nce-app').dataset.status !== 'needs-file'`, 2*time.Minute)
	if tb2.path() != link {
		t.Errorf("the right file changed the link: %s", tb2.path())
	}
	tb2.waitFor(`['done', 'training', 'paused'].includes(document.querySelector('.nce-app').dataset.status)`, 2*time.Minute)
	sameReport(t, "the link with its file", tb2.finishReport(), want)
	tb2.screenshot("datafile-run-1400-light")
	tb2.noErrors()

	for _, c := range []struct {
		name string
		w, h int64
		path string
	}{
		{"datafile-needs-1400-dark", 1400, 900, link + "&theme=dark"},
		{"datafile-needs-embed-light", 640, 400, "/embed" + strings.TrimPrefix(link, "/") + "&theme=light"},
		{"datafile-needs-embed-dark", 640, 400, "/embed" + strings.TrimPrefix(link, "/") + "&theme=dark"},
		{"datafile-needs-phone-light", 360, 780, link + "&theme=light"},
		{"datafile-needs-phone-dark", 360, 780, link + "&theme=dark"},
	} {
		tb := newTab(t, c.w, c.h)
		tb.open(c.path)
		tb.waitFor(`document.querySelector('[data-need-file]')`, time.Minute)
		tb.screenshot(c.name)
		tb.noErrors()
	}
}
