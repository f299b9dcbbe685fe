package answer

import (
	"bytes"
	"image/gif"
	"slices"
	"strings"
	"testing"

	"nceplay/core/dataset"
	"nceplay/core/spec"
	"nceplay/gifexport"
	"nceplay/wasm/view"
)

// The page's dialog offers gifexport's panels and caps (wasm/view keeps
// copies, since ui.wasm does not link gifexport).
func TestPageCopies(t *testing.T) {
	if !slices.Equal(view.GIFPanels, gifexport.Drawable) {
		t.Errorf("view.GIFPanels %v, gifexport.Drawable %v", view.GIFPanels, gifexport.Drawable)
	}
	for _, c := range []struct {
		name      string
		got, want int
	}{
		{"min frames", view.GIFMinFrames, gifexport.MinFrames},
		{"default frames", view.GIFDefaultFrames, gifexport.DefaultFrames},
		{"max frames", view.GIFMaxFrames, gifexport.MaxFrames},
		{"min width", view.GIFMinWidth, gifexport.MinWidth},
		{"default width", view.GIFDefaultWidth, gifexport.DefaultWidth},
		{"max width", view.GIFMaxWidth, gifexport.MaxWidth},
	} {
		if c.got != c.want {
			t.Errorf("%s: view %d, gifexport %d", c.name, c.got, c.want)
		}
	}
}

func TestFor(t *testing.T) {
	r := Request{Query: "steps=60&k=3", Panels: []string{spec.PanelClassifier, spec.PanelCurves}, Frames: 4, Width: 400, Dark: true}
	a := For(r)
	if a.Err != "" || a.Warn != "" {
		t.Fatalf("error %q, warning %q", a.Err, a.Warn)
	}
	want, err := gifexport.Encode(r.Query, gifexport.Options{Panels: r.Panels, Frames: 4, Width: 400, Dark: true})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.GIF, want) {
		t.Errorf("the answer's GIF (%d bytes) is not gifexport's (%d bytes)", len(a.GIF), len(want))
	}
	g, err := gif.DecodeAll(bytes.NewReader(a.GIF))
	if err != nil {
		t.Fatal(err)
	}
	if len(g.Image) != 4 || g.Config.Width != 400 || g.Config.Height != 225 {
		t.Errorf("%d frames of %d×%d, want 4 of 400×225", len(g.Image), g.Config.Width, g.Config.Height)
	}
	if a.Name != "nce-k-3_steps-60.gif" {
		t.Errorf("name %q", a.Name)
	}

	for _, c := range []struct {
		r    Request
		want string
	}{
		{Request{Query: "k=abc"}, "not valid"},
		{Request{Query: "k=3", Frames: 61}, "frames = 61: between 2 and 60"},
		{Request{Query: "k=3", Width: 100}, "width = 100: between 320 and 1200"},
		{Request{Query: "k=3", Panels: []string{}}, "choose at least one panel"},
		{Request{Query: "k=3", Panels: []string{spec.PanelSamples}}, "cannot be drawn"},
		{Request{Query: "target=data2d&datafile=0123456789abcdef-500"}, "no GIF of an experiment on a data file (0123456789abcdef-500) without the file"},
	} {
		a := For(c.r)
		if a.GIF != nil || !strings.Contains(a.Err, c.want) {
			t.Errorf("%+v: error %q (GIF %d bytes), want one containing %q", c.r, a.Err, len(a.GIF), c.want)
		}
	}
	// An experiment on a data file: with the file's text (as the page's
	// training worker hands it over) the GIF is gifexport's of its
	// points; with another file, the hash says no.
	pts := make([]float64, 0, 400)
	for i := range 200 {
		x := float64(i) / 40
		pts = append(pts, x*0.3-1, 0.5*x-x*x/16)
	}
	csv := string(dataset.FormatCSV(pts, 2))
	q := "target=data2d&steps=40&datafile=" + dataset.ID(pts, 2)
	fa := For(Request{Query: q, Frames: 3, Width: 320, Data: csv})
	want, err = gifexport.Encode(q, gifexport.Options{Frames: 3, Width: 320, Points: pts})
	if err != nil || fa.Err != "" || !bytes.Equal(fa.GIF, want) {
		t.Errorf("data file: error %q / %v, GIF %d bytes, gifexport's %d", fa.Err, err, len(fa.GIF), len(want))
	}
	other := string(dataset.FormatCSV(pts[:398], 2))
	if a := For(Request{Query: q, Frames: 3, Width: 320, Data: other}); a.GIF != nil || !strings.Contains(a.Err, "data") {
		t.Errorf("another file: error %q, GIF %d bytes", a.Err, len(a.GIF))
	}
	if a := For(Request{Query: q, Frames: 3, Width: 320, Data: "x,y\n1,oops\n"}); a.GIF != nil || !strings.Contains(a.Err, "the data file: ") {
		t.Errorf("a bad file: error %q, GIF %d bytes", a.Err, len(a.GIF))
	}
	// A run that diverges keeps its GIF and says why.
	d := For(Request{Query: "deg=8&opt=sgd&lr=10&nscale=20", Frames: 3, Width: 320})
	if d.Err != "" || d.GIF == nil || !strings.Contains(d.Warn, "diverged") {
		t.Errorf("diverged run: error %q, warning %q, GIF %d bytes", d.Err, d.Warn, len(d.GIF))
	}
}

func TestFileName(t *testing.T) {
	for q, want := range map[string]string{
		"":                          "nce-default.gif",
		"target=ring&model=mlp&k=8": "nce-target-ring_model-mlp_k-8.gif",
	} {
		s, err := spec.Parse(q)
		if err != nil {
			t.Fatal(err)
		}
		if got := FileName(s); got != want {
			t.Errorf("%q: %q, want %q", q, got, want)
		}
	}
	// A data key's points (thousands of characters) are left out: the
	// name keeps the key alone, and stays short.
	var pts []float64
	for i := range 200 {
		pts = append(pts, float64(i%17)/8-1, float64(i%13)/6-1)
	}
	v, err := dataset.Encode(pts, 2)
	if err != nil {
		t.Fatal(err)
	}
	q := "target=data2d&k=4&data=" + v
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatal(err)
	}
	if got := FileName(s); got != "nce-target-data2d_k-4_data.gif" {
		t.Errorf("data query %q…: name %q", q[:40], got)
	}
}
