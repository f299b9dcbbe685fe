package routes

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"nceplay/server/preview"
)

const testIndex = `<!doctype html><html><head><meta charset="utf-8">
<!--nce:meta--><title>NCE Playground</title><!--/nce:meta-->
<link rel="stylesheet" href="style.0123456789ab.css"></head>
<body><noscript>enable JS</noscript><div id="app"></div></body></html>
`

// testSite is a built site: a page, a hashed stylesheet with br and gzip
// siblings, and a hashed wasm file.
func testSite(t testing.TB) fstest.MapFS {
	t.Helper()
	css := []byte(strings.Repeat("body { color: #123; }\n", 40))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(css)
	zw.Close()
	wasm := []byte("\x00asm\x01\x00\x00\x00fake module")
	m := Manifest{Version: 1, Files: map[string]File{
		"index.html":             {Size: int64(len(testIndex)), SHA256: strings.Repeat("a", 64)},
		"style.0123456789ab.css": {Size: int64(len(css)), SHA256: strings.Repeat("b", 64), Immutable: true, Encodings: []string{"br", "gzip"}},
		"app.0123456789ab.wasm":  {Size: int64(len(wasm)), SHA256: strings.Repeat("c", 64), Immutable: true},
	}, Assets: map[string]string{"style.css": "style.0123456789ab.css", "app.wasm": "app.0123456789ab.wasm"}}
	mb, _ := json.Marshal(m)
	return fstest.MapFS{
		"manifest.json":                 {Data: mb},
		"index.html":                    {Data: []byte(testIndex)},
		"index.html.br":                 {Data: []byte("br-index")},
		"style.0123456789ab.css":        {Data: css},
		"style.0123456789ab.css.br":     {Data: []byte("BROTLI-BYTES")},
		"style.0123456789ab.css.gz":     {Data: gz.Bytes()},
		"app.0123456789ab.wasm":         {Data: wasm},
		".gitignore":                    {Data: []byte("*\n")},
		"secret/../../etc/passwd-clone": {Data: []byte("root:x:0:0")},
	}
}

var testPreview = PreviewConfig{Budget: DefaultPreview.Budget, Timeout: 30 * time.Second, Concurrency: 1, QueueLen: 8, QueueWait: 30 * time.Second}

// newTestHandler returns a handler whose public origin is http://play.test,
// the host serve sends.
func newTestHandler(t testing.TB) *Handler {
	t.Helper()
	h, err := New(Config{Static: testSite(t), Preview: testPreview, PublicURL: "http://play.test"})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// serve runs one request through h.
func serve(h http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	r.Host = "play.test"
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkSecurity checks the headers every response carries.
func checkSecurity(t *testing.T, target string, w *httptest.ResponseRecorder, frameable bool) {
	t.Helper()
	h := w.Header()
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "'wasm-unsafe-eval'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("%s: CSP %q lacks %q", target, csp, want)
		}
	}
	if strings.Contains(csp, "http:") || strings.Contains(csp, "https:") {
		t.Errorf("%s: CSP %q allows another origin", target, csp)
	}
	if frameable {
		if !strings.Contains(csp, "frame-ancestors *") || h.Get("X-Frame-Options") != "" {
			t.Errorf("%s: embed must be frameable: CSP %q, XFO %q", target, csp, h.Get("X-Frame-Options"))
		}
	} else if !strings.Contains(csp, "frame-ancestors 'self'") || h.Get("X-Frame-Options") != "SAMEORIGIN" {
		t.Errorf("%s: CSP %q / XFO %q must allow framing by self only", target, csp, h.Get("X-Frame-Options"))
	}
	if h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("%s: no nosniff", target)
	}
	if h.Get("Referrer-Policy") != ReferrerPolicy {
		t.Errorf("%s: Referrer-Policy %q", target, h.Get("Referrer-Policy"))
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	h := newTestHandler(t)
	for _, c := range []struct {
		method, target string
		frameable      bool
	}{
		{"GET", "/", false}, {"GET", "/embed?target=ring", true}, {"GET", "/healthz", false},
		{"GET", "/style.0123456789ab.css", false}, {"GET", "/nope", false}, {"POST", "/", false},
		{"GET", "/oembed", false}, {"GET", "/preview.png?target=x", false}, {"GET", "/../etc/passwd", false},
		{"GET", "/?" + strings.Repeat("x", MaxURLLen), false}, {"POST", "/embed", true},
	} {
		w := serve(h, c.method, c.target)
		checkSecurity(t, c.target, w, c.frameable)
	}
}

func TestStaticTypesAndEncodings(t *testing.T) {
	h := newTestHandler(t)
	cases := []struct {
		target, accept, wantEnc, wantBody string
	}{
		{"/style.0123456789ab.css", "gzip, deflate, br", "br", "BROTLI-BYTES"},
		{"/style.0123456789ab.css", "gzip", "gzip", ""},
		{"/style.0123456789ab.css", "br;q=0, gzip;q=0.5", "gzip", ""},
		{"/style.0123456789ab.css", "", "", "body { color"},
		{"/style.0123456789ab.css", "identity", "", "body { color"},
		{"/style.0123456789ab.css", "br;q=0.2, identity;q=0.9", "", "body { color"},
		{"/style.0123456789ab.css", "*", "br", "BROTLI-BYTES"},
	}
	for _, c := range cases {
		w := serve(h, "GET", c.target, "Accept-Encoding", c.accept)
		if w.Code != 200 {
			t.Fatalf("%s (%q): status %d", c.target, c.accept, w.Code)
		}
		if got := w.Header().Get("Content-Encoding"); got != c.wantEnc {
			t.Errorf("Accept-Encoding %q: Content-Encoding %q, want %q", c.accept, got, c.wantEnc)
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/css; charset=utf-8" {
			t.Errorf("Content-Type %q", ct)
		}
		if w.Header().Get("Vary") != "Accept-Encoding" {
			t.Errorf("no Vary: Accept-Encoding")
		}
		if w.Header().Get("Cache-Control") != ImmutableCache {
			t.Errorf("hashed file Cache-Control %q", w.Header().Get("Cache-Control"))
		}
		if c.wantEnc == "gzip" {
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(zr)
			if !strings.HasPrefix(string(b), "body { color") {
				t.Errorf("gzip body decodes to %q", b[:20])
			}
		} else if !strings.HasPrefix(w.Body.String(), c.wantBody) {
			t.Errorf("Accept-Encoding %q: body %q", c.accept, w.Body.String()[:min(20, w.Body.Len())])
		}
	}
	w := serve(h, "GET", "/app.0123456789ab.wasm")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/wasm" || !strings.HasPrefix(w.Body.String(), "\x00asm") {
		t.Errorf("wasm: %d %q", w.Code, w.Header().Get("Content-Type"))
	}
	if w.Header().Get("Vary") != "" {
		t.Errorf("wasm without siblings has Vary %q", w.Header().Get("Vary"))
	}
}

func TestStaticRevalidation(t *testing.T) {
	h := newTestHandler(t)
	w := serve(h, "GET", "/style.0123456789ab.css", "Accept-Encoding", "br")
	etag := w.Header().Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	// The same ETag (or the identity one) from a client that now takes gzip.
	for _, inm := range []string{etag, `"bbbbbbbbbbbbbbbb"`, `W/` + etag, `"zzz", ` + etag} {
		w2 := serve(h, "GET", "/style.0123456789ab.css", "If-None-Match", inm, "Accept-Encoding", "gzip")
		if w2.Code != http.StatusNotModified || w2.Body.Len() != 0 {
			t.Errorf("If-None-Match %s: %d with %d bytes, want 304", inm, w2.Code, w2.Body.Len())
		}
	}
	if w3 := serve(h, "GET", "/style.0123456789ab.css", "If-None-Match", `"other"`); w3.Code != 200 {
		t.Errorf("stale ETag: %d", w3.Code)
	}
	// Range and HEAD.
	if w4 := serve(h, "GET", "/style.0123456789ab.css", "Range", "bytes=0-3"); w4.Code != http.StatusPartialContent || w4.Body.String() != "body" {
		t.Errorf("Range: %d %q", w4.Code, w4.Body.String())
	}
	if w5 := serve(h, "HEAD", "/style.0123456789ab.css"); w5.Code != 200 || w5.Body.Len() != 0 || w5.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: %d, %d bytes, length %q", w5.Code, w5.Body.Len(), w5.Header().Get("Content-Length"))
	}
}

func TestPageTags(t *testing.T) {
	h := newTestHandler(t)
	w := serve(h, "GET", "/?model=mlp&target=ring&autoplay=1")
	if w.Code != 200 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d type %q", w.Code, w.Header().Get("Content-Type"))
	}
	body := w.Body.String()
	for _, want := range []string{
		"<title>NCE Playground: ring · mlp 32×2 · nce k=1</title>",
		`<meta property="og:title" content="NCE Playground: ring · mlp 32×2 · nce k=1">`,
		`<meta property="og:image" content="http://play.test/preview.png?target=ring&amp;model=mlp">`,
		`<meta property="og:image:width" content="1200">`,
		`<meta property="og:url" content="http://play.test/?target=ring&amp;model=mlp&amp;autoplay=1">`,
		`<meta name="twitter:card" content="summary_large_image">`,
		`<meta name="twitter:image" content="http://play.test/preview.png?target=ring&amp;model=mlp">`,
		`<meta name="description" content="Fit the 2D ring data with a tanh MLP`,
		`<link rel="alternate" type="application/json+oembed" href="http://play.test/oembed?format=json&amp;url=http%3A%2F%2Fplay.test%2F%3Ftarget%3Dring%26model%3Dmlp%26autoplay%3D1"`,
		`<link rel="stylesheet" href="style.0123456789ab.css">`, "<noscript>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<!--nce:meta-->") || strings.Count(body, "<title>") != 1 {
		t.Errorf("marker not replaced exactly once:\n%s", body)
	}
	// Revalidation of the page.
	etag := w.Header().Get("ETag")
	if w.Header().Get("Cache-Control") != "no-cache" || etag == "" {
		t.Errorf("page Cache-Control %q ETag %q", w.Header().Get("Cache-Control"), etag)
	}
	if w2 := serve(h, "GET", "/?model=mlp&target=ring&autoplay=1", "If-None-Match", etag); w2.Code != http.StatusNotModified {
		t.Errorf("page revalidation: %d", w2.Code)
	}
	if w3 := serve(h, "GET", "/?target=moons", "If-None-Match", etag); w3.Code != 200 {
		t.Errorf("another spec with the old ETag: %d", w3.Code)
	}
	// The embed page has the same tags.
	if w4 := serve(h, "GET", "/embed?target=moons"); w4.Code != 200 || !strings.Contains(w4.Body.String(), "preview.png?target=moons") {
		t.Errorf("embed: %d", w4.Code)
	}
	// HTML injection through the spec is impossible (values are validated
	// and escaped); through the Host header it is refused.
	r := httptest.NewRequest("GET", "/", nil)
	r.Host = `evil"><script>`
	w5 := httptest.NewRecorder()
	h.ServeHTTP(w5, r)
	if w5.Code != 400 || strings.Contains(w5.Body.String(), "<script>") {
		t.Errorf("hostile Host: %d %q", w5.Code, w5.Body.String())
	}
}

func TestPageBadSpec(t *testing.T) {
	h := newTestHandler(t)
	w := serve(h, "GET", "/?target=nope&k=0")
	if w.Code != 400 {
		t.Fatalf("status %d, want 400", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{"invalid experiment", `key &#34;target&#34;: value &#34;nope&#34; is not`, "(and 1 more)", `<div id="app">`, `name="robots" content="noindex"`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if strings.Contains(body, "og:image") || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("invalid page has og:image or is cacheable (%q)", w.Header().Get("Cache-Control"))
	}
}

func TestPublicURL(t *testing.T) {
	h, err := New(Config{Static: testSite(t), PublicURL: "https://nce.example/"})
	if err != nil {
		t.Fatal(err)
	}
	w := serve(h, "GET", "/?k=3")
	if !strings.Contains(w.Body.String(), `content="https://nce.example/preview.png?k=3"`) {
		t.Errorf("PublicURL not used")
	}
	if _, err := New(Config{Static: testSite(t), PublicURL: "javascript:alert(1)"}); err == nil {
		t.Errorf("bad PublicURL accepted")
	}
}

func TestOEmbed(t *testing.T) {
	h := newTestHandler(t)
	get := func(q string) *httptest.ResponseRecorder { return serve(h, "GET", "/oembed?"+q) }
	w := get("url=http%3A%2F%2Fplay.test%2F%3Ftarget%3Dring%26k%3D3&format=json")
	if w.Code != 200 || w.Header().Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("status %d type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	var o OEmbed
	if err := json.Unmarshal(w.Body.Bytes(), &o); err != nil {
		t.Fatal(err)
	}
	if o.Version != "1.0" || o.Type != "rich" || o.Width != EmbedWidth || o.Height != EmbedHeight ||
		!strings.Contains(o.HTML, `<iframe src="http://play.test/embed?target=ring&amp;k=3" width="800" height="500"`) ||
		o.ProviderName != SiteName || o.ThumbnailURL != "http://play.test/preview.png?target=ring&k=3" || o.ThumbnailWidth != 1200 {
		t.Errorf("oEmbed = %+v", o)
	}
	// maxwidth/maxheight scale the iframe and drop a thumbnail that would not fit.
	w = get("url=http%3A%2F%2Fplay.test%2Fembed&maxwidth=400&maxheight=1000")
	json.Unmarshal(w.Body.Bytes(), &o)
	if w.Code != 200 || o.Width != 400 || o.Height != 250 || strings.Contains(w.Body.String(), "thumbnail_url") {
		t.Errorf("maxwidth 400: %d %s", w.Code, w.Body)
	}
	for _, c := range []struct {
		q    string
		want int
	}{
		{"url=http%3A%2F%2Fplay.test%2F&format=xml", 501},
		{"url=http%3A%2F%2Fplay.test%2F&format=yaml", 501},
		{"url=https%3A%2F%2Fevil.example%2F%3Ftarget%3Dring", 404},
		{"url=http%3A%2F%2Fplay.test.evil.example%2F", 404},
		{"url=http%3A%2F%2Fplay.test%2Fhealthz", 404},
		{"url=javascript%3Aalert(1)", 400},
		{"url=ftp%3A%2F%2Fplay.test%2F", 404},
		{"url=%2F%3Ftarget%3Dring", 400},
		{"", 400},
		{"url=", 400},
		{"url=%zz", 400},
		{"url=http%3A%2F%2Fplay.test%2F&maxwidth=-3", 400},
		{"url=http%3A%2F%2Fplay.test%2F&maxheight=abc", 400},
		{"url=http%3A%2F%2Fplay.test%2F&maxwidth=20", 404},
		{"url=http%3A%2F%2Fplay.test%2F%3Ftarget%3Dnope", 400},
		{"url=http%3A%2F%2Fplay.test%2F&url=http%3A%2F%2Fplay.test%2F", 400},
	} {
		w := get(c.q)
		if w.Code != c.want {
			t.Errorf("/oembed?%s: %d, want %d (%s)", c.q, w.Code, c.want, strings.TrimSpace(w.Body.String()))
		}
		if w.Code >= 400 && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") {
			t.Errorf("/oembed?%s: error type %q", c.q, w.Header().Get("Content-Type"))
		}
	}
}

func TestPreview(t *testing.T) {
	h := newTestHandler(t)
	w := serve(h, "GET", "/preview.png?target=gauss&steps=10")
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("status %d type %q: %s", w.Code, w.Header().Get("Content-Type"), w.Body)
	}
	img, err := png.Decode(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != PreviewWidth || b.Dy() != PreviewHeight {
		t.Fatalf("size %v", b)
	}
	colours := map[uint32]bool{}
	for y := 0; y < PreviewHeight; y += 5 {
		for x := 0; x < PreviewWidth; x += 5 {
			r, g, b, _ := img.At(x, y).RGBA()
			colours[r>>8<<16|g>>8<<8|b>>8] = true
		}
	}
	if len(colours) < 30 {
		t.Errorf("%d distinct colours: blank image", len(colours))
	}
	if got := w.Header().Get("X-Preview-Steps"); got != "10/10" {
		t.Errorf("X-Preview-Steps %q", got)
	}
	etag := w.Header().Get("ETag")
	if etag == "" || !strings.Contains(w.Header().Get("Cache-Control"), "max-age=86400") {
		t.Errorf("ETag %q Cache-Control %q", etag, w.Header().Get("Cache-Control"))
	}
	renders := h.preview.renders.Load()
	// Equivalent URLs (order, defaults, view keys) share the cache entry.
	for _, q := range []string{"steps=10&target=gauss", "target=gauss&steps=10&k=1&theme=dark", "?target=gauss&steps=10&embed=1"} {
		w2 := serve(h, "GET", "/preview.png?"+q)
		if w2.Code != 200 || !bytes.Equal(w2.Body.Bytes(), w.Body.Bytes()) || w2.Header().Get("ETag") != etag {
			t.Errorf("%s: %d, same bytes %v", q, w2.Code, bytes.Equal(w2.Body.Bytes(), w.Body.Bytes()))
		}
	}
	if n := h.preview.renders.Load(); n != renders {
		t.Errorf("equivalent specs rendered %d more times", n-renders)
	}
	if w3 := serve(h, "GET", "/preview.png?target=gauss&steps=10", "If-None-Match", etag); w3.Code != 304 {
		t.Errorf("revalidation: %d", w3.Code)
	}
	if w4 := serve(h, "HEAD", "/preview.png?steps=10&target=gauss"); w4.Code != 200 || w4.Body.Len() != 0 {
		t.Errorf("HEAD: %d, %d bytes", w4.Code, w4.Body.Len())
	}
}

func TestPreviewHostile(t *testing.T) {
	h := newTestHandler(t)
	for _, q := range []string{
		"target=nope", "n=1000000000", "lr=NaN", "lr=1e999", "steps=-1", "batch=65536&k=1024",
		"model=mlp&units=256&layers=4&batch=65536", "seed=" + strings.Repeat("9", 5000), "k=1&k=2",
		"target=%zz", "v=2", "%00=1",
	} {
		w := serve(h, "GET", "/preview.png?"+q)
		if w.Code != 400 && w.Code != 414 {
			t.Errorf("%.40s: %d, want 400", q, w.Code)
		}
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/plain") || !strings.Contains(w.Body.String(), "spec") && w.Code == 400 {
			t.Errorf("%.40s: message %q", q, w.Body.String())
		}
	}
	if h.preview.renders.Load() != 0 {
		t.Errorf("hostile specs were rendered")
	}
}

func TestPreviewBusy(t *testing.T) {
	h, err := New(Config{Static: testSite(t), Preview: PreviewConfig{Concurrency: 1, QueueLen: 1, QueueWait: 20 * time.Millisecond, Budget: preview.Budget{Work: 1e8, MaxSteps: 5}}})
	if err != nil {
		t.Fatal(err)
	}
	h.preview.sem <- struct{}{} // every slot taken
	w := serve(h, "GET", "/preview.png?seed=7")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" {
		t.Errorf("busy: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	<-h.preview.sem
	if w := serve(h, "GET", "/preview.png?seed=7"); w.Code != 200 {
		t.Errorf("after the slot freed: %d", w.Code)
	}
}

func TestPreviewSharesRenders(t *testing.T) {
	h := newTestHandler(t)
	var wg sync.WaitGroup
	codes := make([]int, 8)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = serve(h, "GET", "/preview.png?seed=11&steps=5").Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("request %d: %d", i, c)
		}
	}
	if n := h.preview.renders.Load(); n != 1 {
		t.Errorf("8 concurrent requests for one spec rendered %d times, want 1", n)
	}
}

func TestErrors(t *testing.T) {
	h := newTestHandler(t)
	for _, c := range []struct {
		method, target string
		want           int
	}{
		{"GET", "/nope", 404},
		{"GET", "/manifest.json", 404},
		{"GET", "/index.html.br", 404},
		{"GET", "/.gitignore", 404},
		{"GET", "/style.css", 404},
		{"POST", "/", 405},
		{"PUT", "/style.0123456789ab.css", 405},
		{"DELETE", "/healthz", 405},
		{"OPTIONS", "/", 405},
		{"GET", "/../etc/passwd", 400},
		{"GET", "/%2e%2e/%2e%2e/etc/passwd", 400},
		{"GET", "/%2E%2E%2Fetc%2Fpasswd", 400},
		{"GET", "/..%2f..%2fetc/passwd", 400},
		{"GET", "/%252e%252e/etc/passwd", 400},
		{"GET", "/..%5c..%5cetc%5cpasswd", 400},
		{"GET", "/secret/../../etc/passwd-clone", 400},
		{"GET", "//etc/passwd", 400},
		{"GET", "/./style.0123456789ab.css", 400},
		{"GET", "/style.0123456789ab.css/..", 400},
		{"GET", "/a%00b", 400},
		{"GET", "/" + strings.Repeat("a", MaxURLLen+1), 414},
		{"GET", "/?" + strings.Repeat("k=1&", MaxURLLen/4+1), 414},
	} {
		w := serve(h, c.method, c.target)
		if w.Code != c.want {
			t.Errorf("%s %.60s: %d, want %d", c.method, c.target, w.Code, c.want)
		}
		body := w.Body.String()
		if strings.Contains(body, "root:x") || strings.Contains(body, "BROTLI") {
			t.Errorf("%s %.60s leaked a file", c.method, c.target)
		}
		if c.want == 405 && w.Header().Get("Allow") != "GET, HEAD" {
			t.Errorf("405 without Allow")
		}
		if w.Header().Get("Cache-Control") != "no-store" {
			t.Errorf("%s %.60s: error Cache-Control %q", c.method, c.target, w.Header().Get("Cache-Control"))
		}
		if !strings.Contains(body, "<h1>"+strconv.Itoa(c.want)+" ") || !strings.Contains(body, "<p>") {
			t.Errorf("%s %.60s: body %q does not say why", c.method, c.target, body)
		}
	}
	if w := serve(h, "GET", "/nope"); !strings.Contains(w.Body.String(), "There is nothing at /nope") {
		t.Errorf("404 page: %s", w.Body)
	}
}

func TestHealthAndRedirect(t *testing.T) {
	h := newTestHandler(t)
	if w := serve(h, "GET", "/healthz"); w.Code != 200 || w.Body.String() != "ok\n" {
		t.Errorf("healthz: %d %q", w.Code, w.Body)
	}
	if w := serve(h, "HEAD", "/healthz"); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD healthz: %d %q", w.Code, w.Body)
	}
	if w := serve(h, "GET", "/index.html?k=3"); w.Code != 301 || w.Header().Get("Location") != "/?k=3" {
		t.Errorf("index.html: %d %q", w.Code, w.Header().Get("Location"))
	}
}

func TestWorkerMode(t *testing.T) {
	// With Index and no Static (the Worker), static paths are not served.
	h, err := New(Config{Index: []byte(testIndex), Preview: testPreview, TrustHost: true})
	if err != nil {
		t.Fatal(err)
	}
	if w := serve(h, "GET", "/style.0123456789ab.css"); w.Code != 404 {
		t.Errorf("static in worker mode: %d", w.Code)
	}
	if w := serve(h, "GET", "/?k=2"); w.Code != 200 || !strings.Contains(w.Body.String(), "preview.png?k=2") {
		t.Errorf("page in worker mode: %d", w.Code)
	}
}

func TestTemplateContract(t *testing.T) {
	for _, bad := range []string{
		"<html><head><title>x</title></head></html>",
		"<head><!--nce:meta--></head>",
		"<head><!--nce:meta--><!--/nce:meta--><!--nce:meta--><!--/nce:meta--></head>",
		"<head></head><body><!--nce:meta--><!--/nce:meta--></body>",
	} {
		if _, err := New(Config{Index: []byte(bad)}); err == nil {
			t.Errorf("template %q accepted", bad)
		}
	}
	if _, err := New(Config{Static: fstest.MapFS{}}); err == nil || !strings.Contains(err.Error(), "index.html") {
		t.Errorf("empty site: %v", err)
	}
}

func TestDevFolderReload(t *testing.T) {
	fsys := fstest.MapFS{"index.html": {Data: []byte(testIndex), ModTime: time.Unix(1, 0)}, "app.js": {Data: []byte("1")}}
	h, err := New(Config{Static: fsys, Reload: true})
	if err != nil {
		t.Fatal(err)
	}
	w := serve(h, "GET", "/app.js")
	if w.Code != 200 || w.Header().Get("Cache-Control") != "no-cache" || w.Header().Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Errorf("dev file: %d %q", w.Code, w.Header().Get("Cache-Control"))
	}
	fsys["index.html"] = &fstest.MapFile{Data: []byte(strings.Replace(testIndex, "<body>", "<body>v2", 1)), ModTime: time.Unix(2, 0)}
	fsys["new.css"] = &fstest.MapFile{Data: []byte("x")}
	if w := serve(h, "GET", "/"); !strings.Contains(w.Body.String(), "<body>v2") {
		t.Errorf("index change not picked up")
	}
	if w := serve(h, "GET", "/new.css"); w.Code != 200 {
		t.Errorf("new file: %d", w.Code)
	}
}

func TestNegotiate(t *testing.T) {
	both := []string{"br", "gzip"}
	for _, c := range []struct {
		accept []string
		avail  []string
		want   string
	}{
		{nil, both, ""},
		{[]string{"gzip, br"}, both, "br"},
		{[]string{"gzip", " br"}, both, "br"}, // the Worker splits header values
		{[]string{"gzip;q=1, br;q=0.5"}, both, "gzip"},
		{[]string{"br;q=0"}, both, ""},
		{[]string{"x-gzip"}, both, "gzip"},
		{[]string{"*;q=0"}, both, ""},
		{[]string{"BR"}, both, "br"},
		{[]string{"br"}, []string{"gzip"}, ""},
		{[]string{"gzip, br"}, nil, ""},
		{[]string{"br;q=abc"}, both, ""},
	} {
		if got := negotiate(c.accept, c.avail); got != c.want {
			t.Errorf("negotiate(%q, %q) = %q, want %q", c.accept, c.avail, got, c.want)
		}
	}
}

func TestLRU(t *testing.T) {
	c := newLRU(3, 10)
	c.add("a", []byte("1234"))
	c.add("b", []byte("1234"))
	c.get("a") // a is now the most recent
	c.add("c", []byte("1234"))
	if _, ok := c.get("b"); ok {
		t.Errorf("b should be evicted by bytes (12 > 10)")
	}
	if _, ok := c.get("a"); !ok {
		t.Errorf("a evicted despite recent use")
	}
	c.add("d", []byte("1"))
	c.add("e", []byte("1"))
	if n, size := c.stats(); n > 3 || size > 10 {
		t.Errorf("%d entries, %d bytes: over the bounds", n, size)
	}
	c.add("big", make([]byte, 11))
	if _, ok := c.get("big"); ok {
		t.Errorf("an entry larger than the cache was kept")
	}
}

func TestHeadersFile(t *testing.T) {
	f, err := HeadersFile([]string{"/b.1.css", "/a.2.js"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/*\n  Content-Security-Policy: " + CSP, "  X-Content-Type-Options: nosniff", "/a.2.js\n  Cache-Control: " + ImmutableCache} {
		if !strings.Contains(f, want) {
			t.Errorf("_headers lacks %q:\n%s", want, f)
		}
	}
	if _, err := HeadersFile(make([]string, 100)); err == nil {
		t.Errorf("101 rules accepted")
	}
}

// stats returns the entry count and total bytes.
func (c *lru) stats() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.size
}
