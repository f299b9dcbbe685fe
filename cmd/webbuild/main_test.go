package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"nceplay/chart"
	"nceplay/server/routes"
)

const index = `<!doctype html><html><head>
<!--nce:meta--><title>x</title><!--/nce:meta-->
<link rel="stylesheet" href="style.css"><script src='./app.js' defer></script>
<link rel="preload" href="/ui.wasm" as="fetch"><a href="https://example.org/style.css">x</a>
</head><body></body></html>`

func TestBuild(t *testing.T) {
	css := strings.Repeat("body { color: red; }\n", 50)
	wasm := "\x00asm" + strings.Repeat("\x01\x02\x03", 300)
	s, err := Build([]input{{name: "index.html", data: []byte(index)}, {name: "style.css", data: []byte(css)}, {name: "app.js", data: []byte("tiny")}, {name: "ui.wasm", data: []byte(wasm)}})
	if err != nil {
		t.Fatal(err)
	}
	cssName := s.Manifest.Assets["style.css"]
	if !strings.HasPrefix(cssName, "style.") || !strings.HasSuffix(cssName, ".css") || len(cssName) != len("style.0123456789ab.css") {
		t.Errorf("hashed name %q", cssName)
	}
	page := string(s.Files["index.html"])
	for _, want := range []string{`href="` + cssName + `"`, `src='./` + s.Manifest.Assets["app.js"] + `'`,
		`href="/` + s.Manifest.Assets["ui.wasm"] + `"`, `href="https://example.org/style.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("index lacks %s:\n%s", want, page)
		}
	}
	f := s.Manifest.Files[cssName]
	if !f.Immutable || len(f.Encodings) != 2 || s.Manifest.Files["index.html"].Immutable {
		t.Errorf("manifest entries: css %+v index %+v", f, s.Manifest.Files["index.html"])
	}
	if len(s.Manifest.Files["app."+strings.Split(s.Manifest.Assets["app.js"], ".")[1]+".js"].Encodings) != 0 {
		t.Errorf("a 4-byte file was compressed")
	}
	br, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(s.Files[cssName+".br"])))
	zr, err := gzip.NewReader(bytes.NewReader(s.Files[cssName+".gz"]))
	if err != nil {
		t.Fatal(err)
	}
	gz, _ := io.ReadAll(zr)
	if string(br) != css || string(gz) != css {
		t.Errorf("compressed siblings do not decode to the file")
	}
	if !contains(s.Manifest.Files[s.Manifest.Assets["ui.wasm"]].Encodings, "br") {
		t.Errorf("wasm not precompressed")
	}
	// The same input builds the same names (content hashing).
	s2, _ := Build([]input{{name: "index.html", data: []byte(index)}, {name: "style.css", data: []byte(css)}, {name: "app.js", data: []byte("tiny")}, {name: "ui.wasm", data: []byte(wasm)}})
	if s2.Manifest.Assets["style.css"] != cssName || !bytes.Equal(s2.Files["index.html"], s.Files["index.html"]) {
		t.Errorf("build is not deterministic")
	}
}

func TestBuildRejectsTemplate(t *testing.T) {
	if _, err := Build([]input{{name: "index.html", data: []byte("<html><head></head></html>")}}); err == nil {
		t.Errorf("index without markers accepted")
	}
	if _, err := Build([]input{{name: "style.css", data: []byte("x")}}); err == nil {
		t.Errorf("site without index accepted")
	}
}

func TestRunWritesSiteAndWorkerAssets(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	os.MkdirAll(src, 0o755)
	os.WriteFile(filepath.Join(src, "index.html"), []byte(index), 0o644)
	os.WriteFile(filepath.Join(src, "style.css"), []byte("body{}"), 0o644)
	os.WriteFile(filepath.Join(src, ".hidden"), []byte("no"), 0o644)
	extra := filepath.Join(dir, "wasm_exec.js")
	os.WriteFile(extra, []byte("// go"), 0o644)
	out := filepath.Join(dir, "out")
	os.MkdirAll(out, 0o755)
	os.WriteFile(filepath.Join(out, ".gitignore"), []byte("*\n"), 0o644)
	os.WriteFile(filepath.Join(out, "stale.js"), []byte("old"), 0o644)
	assets, page := filepath.Join(dir, "assets"), filepath.Join(dir, "page", "index.html")
	if err := run(src, out, []string{extra}, assets, page); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{".gitignore", "index.html", "manifest.json"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s missing: %v", name, err)
		}
	}
	for _, gone := range []string{"stale.js", ".hidden"} {
		if _, err := os.Stat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s in the output", gone)
		}
	}
	h, err := os.ReadFile(filepath.Join(assets, "_headers"))
	if err != nil || !strings.Contains(string(h), "Cache-Control: "+routes.ImmutableCache) || !strings.Contains(string(h), "Content-Security-Policy") {
		t.Errorf("_headers: %v\n%s", err, h)
	}
	entries, _ := os.ReadDir(assets)
	for _, e := range entries {
		if e.Name() == "index.html" || strings.HasSuffix(e.Name(), ".br") || strings.HasSuffix(e.Name(), ".gz") {
			t.Errorf("worker assets hold %s", e.Name())
		}
	}
	if b, err := os.ReadFile(page); err != nil || routes.CheckTemplate(b) != nil {
		t.Errorf("worker page: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestPaletteCoversStyles: every CSS variable the page's stylesheet uses
// is defined by the generated palette.css (package chart), in both themes.
func TestPaletteCoversStyles(t *testing.T) {
	css, err := os.ReadFile("../../web/static/style.css")
	if err != nil {
		t.Fatal(err)
	}
	pal := chart.CSS()
	for _, m := range regexp.MustCompile(`var\((--[a-z-]+)\)`).FindAllStringSubmatch(string(css), -1) {
		if n := strings.Count(pal, m[1]+":"); n != 4 {
			t.Errorf("style.css uses %s, which palette.css defines %d times (want 4: light, dark by system, dark, light by theme)", m[1], n)
		}
	}
	if strings.Contains(string(css), "#") && regexp.MustCompile(`:\s*#[0-9a-fA-F]{3,6}\b`).MatchString(string(css)) {
		t.Errorf("style.css spells a colour itself; use a palette variable")
	}
}

// TestBrotliCache: a file over 1 MB is compressed at -br-large and its .br
// kept in -br-cache by content; a later build takes it from there (here an
// entry planted at quality 0, which the build would not have written), a
// corrupt entry is ignored and rewritten, and an entry unused for a week
// is pruned.
func TestBrotliCache(t *testing.T) {
	defer func(q int, c string) { brLarge, brCache = q, c }(brLarge, brCache)
	brLarge, brCache = 1, t.TempDir() // quality 1 keeps the test fast
	var big bytes.Buffer
	for i := 0; big.Len() <= 1<<20; i++ {
		fmt.Fprintf(&big, "line %d of a large wasm\n", i%5000)
	}
	data := big.Bytes()
	build := func() []byte {
		t.Helper()
		s, err := Build([]input{{name: "index.html", data: []byte(index)}, {name: "ui.wasm", data: data}})
		if err != nil {
			t.Fatal(err)
		}
		br := s.Files[s.Manifest.Assets["ui.wasm"]+".br"]
		d, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br)))
		if err != nil || !bytes.Equal(d, data) {
			t.Fatalf("the .br does not decode to the file (%v)", err)
		}
		return br
	}
	first := build()
	entries, _ := filepath.Glob(filepath.Join(brCache, "*-q1.br"))
	if len(entries) != 1 {
		t.Fatalf("cache entries %v, want one", entries)
	}
	if b, _ := os.ReadFile(entries[0]); !bytes.Equal(b, first) {
		t.Errorf("the cache entry is not the site's .br")
	}
	var q0 bytes.Buffer
	w := brotli.NewWriterLevel(&q0, 0)
	w.Write(data)
	w.Close()
	if bytes.Equal(q0.Bytes(), first) {
		t.Fatal("quality 0 and 1 give the same bytes; the test cannot tell the cache was used")
	}
	os.WriteFile(entries[0], q0.Bytes(), 0o644)
	if got := build(); !bytes.Equal(got, q0.Bytes()) {
		t.Errorf("the build did not take the cached .br")
	}
	os.WriteFile(entries[0], []byte("corrupt"), 0o644)
	if got := build(); !bytes.Equal(got, first) {
		t.Errorf("a corrupt entry was used or not recompressed")
	}
	if b, _ := os.ReadFile(entries[0]); !bytes.Equal(b, first) {
		t.Errorf("the corrupt entry was not rewritten")
	}
	old := time.Now().Add(-8 * 24 * time.Hour)
	os.Chtimes(entries[0], old, old)
	if err := pruneCache(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(entries[0]); !os.IsNotExist(err) {
		t.Errorf("an entry unused for 8 days was kept")
	}
}
