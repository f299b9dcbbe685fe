package routes

import (
	"bytes"
	"encoding/json"
	"image/png"
	"net/url"
	"strings"
	"testing"

	"nceplay/core/spec"
	"nceplay/server/preview"
)

// TestDataFileLink: a link whose points travel as a data file
// (docs/spec.md#data-file) is never drawn as some other experiment: the
// page's title, the oEmbed title and the preview's picture say which file
// it needs, and the preview trains nothing.
func TestDataFileLink(t *testing.T) {
	const id = "0123456789abcdef-20000"
	q := "target=data2d&datafile=" + id + "&k=4"
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	h := newTestHandler(t)
	const needs = "needs data file " + id + " (20000 points)"

	w := serve(h, "GET", "/oembed?format=json&url="+url.QueryEscape("http://play.test/?"+q))
	var o struct{ Title string }
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &o) != nil || !strings.Contains(o.Title, needs) {
		t.Errorf("oEmbed: %d, title %q", w.Code, o.Title)
	}
	if w := serve(h, "GET", "/?"+q); !strings.Contains(w.Body.String(), needs) {
		t.Errorf("the page's head does not say %q", needs)
	}

	w = serve(h, "GET", "/preview.png?"+q)
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("preview: %d %s %s", w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	got, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want, err := preview.DrawNeedsFile(Title(s), s)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Bounds().Eq(want.Bounds()) {
		t.Fatalf("preview size %v", got.Bounds())
	}
	for y := 0; y < want.Bounds().Dy(); y++ {
		for x := 0; x < want.Bounds().Dx(); x++ {
			r0, g0, b0, _ := got.At(x, y).RGBA()
			r1, g1, b1, _ := want.At(x, y).RGBA()
			if r0 != r1 || g0 != g1 || b0 != b1 {
				t.Fatalf("the preview is not the needs-file card at (%d, %d)", x, y)
			}
		}
	}
	res, err := preview.Render(t.Context(), s, DefaultPreview.Budget, Title(s))
	if err != nil || res.Steps != 0 {
		t.Errorf("Render: %v, %d steps", err, res.Steps)
	}
	// A data set in the link is drawn as usual.
	if preview.NeedsFile(spec.Default()) {
		t.Error("the default experiment needs a file")
	}
}
