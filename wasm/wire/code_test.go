package wire

import (
	"os"
	"reflect"
	"strings"
	"testing"
)

// props returns the property names of m's fields, in field order.
func props(m Message) []string {
	t := reflect.TypeOf(m)
	var out []string
	for i := range t.NumField() {
		out = append(out, propName(t.Field(i).Name))
	}
	return out
}

// TestCodeMessagesInAppJS: web/static/app.js, which talks to the code
// worker, writes CodeRequest with its type and every property by the
// names Encode gives them, and reads CodeScript's type and properties by
// theirs: renaming a field here fails until the page follows.
func TestCodeMessagesInAppJS(t *testing.T) {
	b, err := os.ReadFile("../../web/static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	req := []string{TypeKey + `: "` + (CodeRequest{}).Type() + `"`}
	for _, p := range props(CodeRequest{}) {
		req = append(req, p+": "+p)
	}
	if want := "codeWorker.postMessage({ " + strings.Join(req, ", ") + " })"; !strings.Contains(js, want) {
		t.Errorf("app.js does not send %s", want)
	}
	if want := "m." + TypeKey + ` !== "` + (CodeScript{}).Type() + `"`; !strings.Contains(js, want) {
		t.Errorf("app.js does not check the answer's type: %s", want)
	}
	for _, p := range props(CodeScript{}) {
		if !strings.Contains(js, "m."+p) {
			t.Errorf("app.js does not read the answer's %s (m.%s)", p, p)
		}
	}
	o := Encode(CodeScript{ID: 1, Script: "s", Err: "e"})
	if len(o) != 4 || o["id"] != 1.0 || o["script"] != "s" || o["err"] != "e" || o[TypeKey] != "code" {
		t.Errorf("CodeScript encodes as %v", o)
	}
}

// TestGIFMessagesInAppJS: the same for the GIF worker's GIFRequest and
// GIFImage.
func TestGIFMessagesInAppJS(t *testing.T) {
	b, err := os.ReadFile("../../web/static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	req := []string{TypeKey + `: "` + (GIFRequest{}).Type() + `"`}
	for _, p := range props(GIFRequest{}) {
		v := "req." + p
		if p == "id" {
			v = p
		}
		req = append(req, p+": "+v)
	}
	if want := "gifWorker.postMessage({ " + strings.Join(req, ", ") + " })"; !strings.Contains(js, want) {
		t.Errorf("app.js does not send %s", want)
	}
	if want := "m." + TypeKey + ` !== "` + (GIFImage{}).Type() + `"`; !strings.Contains(js, want) {
		t.Errorf("app.js does not check the answer's type: %s", want)
	}
	for _, p := range props(GIFImage{}) {
		if !strings.Contains(js, "m."+p) {
			t.Errorf("app.js does not read the answer's %s (m.%s)", p, p)
		}
	}
}
