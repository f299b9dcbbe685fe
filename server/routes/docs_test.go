package routes

import (
	"regexp"
	"strings"
	"testing"

	"nceplay/core/spec"
	"nceplay/wasm/view"
	"nceplay/web"
)

// mathCite matches a caption's citation of docs/math.md and its anchor.
var mathCite = regexp.MustCompile(`docs/math\.md#([A-Za-z0-9_-]+)`)

// TestDocsMathServed: the built site's server answers the link the
// panels' captions make (view.DocHref: /docs/math.html) with the rendered
// math page — HTML with MathML, holding every anchor a caption cites
// (e1, e5, noise, …), so a learner who clicks a citation lands on it.
// Needs the built site (`make site`; `make test` builds it first).
func TestDocsMathServed(t *testing.T) {
	site, err := web.Site()
	if err != nil {
		t.Skipf("%v: this test serves the built site's docs", err)
	}
	h, err := New(Config{Static: site, Preview: testPreview, PublicURL: "http://play.test"})
	if err != nil {
		t.Fatal(err)
	}
	path := view.DocHref("docs/math.md", "")
	w := serve(h, "GET", path)
	body := w.Body.String()
	if w.Code != 200 || !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET %s: %d %q", path, w.Code, w.Header().Get("Content-Type"))
	}
	if !strings.Contains(body, "<math") || !strings.Contains(body, "</math>") {
		t.Errorf("GET %s: no MathML in the page", path)
	}
	cited := map[string]bool{}
	for _, p := range spec.Panels {
		for _, dim := range []int{1, 2} {
			c := view.Captions(p.ID, dim, false)
			for _, m := range mathCite.FindAllStringSubmatch(c.Full+" "+c.Short, -1) {
				cited[m[1]] = true
			}
		}
	}
	if !cited["e5"] && !cited["e1"] {
		t.Fatalf("the captions cite %v: neither e1 nor e5, the test would check little", cited)
	}
	for a := range cited {
		if !strings.Contains(body, `id="`+a+`"`) {
			t.Errorf("GET %s: no id=%q, which a caption cites", path, a)
		}
	}
	if !strings.Contains(body, `id="e5"`) {
		t.Errorf("GET %s: no id=\"e5\"", path)
	}
	t.Logf("%s: %d bytes, MathML, the %d anchors the captions cite", path, len(body), len(cited))
}
