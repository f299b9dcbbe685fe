// Package conformance is the list of requests that both hosts of the
// playground (the Go server and the Cloudflare Worker) must answer alike,
// with what each answer must hold. The Go server's TCP test checks them
// against the real binary; the Worker's smoke test (server/worker/smoke)
// checks them against wrangler dev and compares the two hosts.
package conformance

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"image/png"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/andybalholm/brotli"

	"nceplay/server/routes"
)

// A Case is one request and what its answer must hold. In Target,
// "{origin}" stands for the host's origin, query-escaped.
type Case struct {
	Name   string
	Method string // "" is GET
	Target string // the raw request target, sent as is
	Header map[string]string

	Status   []int             // acceptable statuses (the first is the Go server's)
	Type     string            // Content-Type prefix; "" skips the check
	Headers  map[string]string // exact header values ("" = must be absent)
	Contains []string          // substrings of the (decoded) body
	Absent   []string          // strings the body must not hold
	PNG      bool              // the body is a 1200×630 PNG
	NoBody   bool              // HEAD: no body
	// Revalidate sends the request again with If-None-Match set to the
	// first answer's ETag and expects 304.
	Revalidate bool
	// Static marks a build file, which the Worker serves from Workers
	// Static Assets (its own ETag); SameBody compares the decoded bodies
	// of the two hosts (with each host's origin replaced).
	Static, SameBody bool
}

// Frame is the frame-ancestors part of the CSP of non-embed answers.
const (
	frameSelf = "frame-ancestors 'self'"
	frameAny  = "frame-ancestors *"
)

// Cases returns the conformance cases for a site with this manifest.
func Cases(m routes.Manifest) []Case {
	// Over the spec's query cap (spec.MaxQueryLen, 7680 bytes: a link with
	// a data set stays under 8 KB), under the hosts' URL cap.
	long := "seed=" + strings.Repeat("1", 7700)
	huge := "/x?" + strings.Repeat("a", routes.MaxURLLen+10)
	cs := []Case{
		{Name: "healthz", Target: "/healthz", Status: []int{200}, Type: "text/plain", Contains: []string{"ok"},
			Headers: map[string]string{"Cache-Control": "no-store"}},
		{Name: "page default", Target: "/", Status: []int{200}, Type: "text/html", SameBody: true, Revalidate: true,
			Contains: []string{`property="og:image" content="{origin}/preview.png"`, `name="twitter:card" content="summary_large_image"`,
				`type="application/json+oembed"`, "<noscript>", "</html>"},
			Headers: map[string]string{"Cache-Control": "no-cache", "X-Frame-Options": "SAMEORIGIN",
				// Cross-origin isolated: the workers share memory.
				"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp",
				"Cross-Origin-Resource-Policy": "same-origin"}},
		{Name: "page spec", Target: "/?model=mlp&target=ring", Status: []int{200}, Type: "text/html", SameBody: true,
			Contains: []string{"<title>NCE Playground: ring · mlp 32×2 · nce k=1</title>",
				`content="{origin}/preview.png?target=ring&amp;model=mlp"`, `og:description`}},
		{Name: "embed", Target: "/embed?target=moons", Status: []int{200}, Type: "text/html", SameBody: true,
			Contains: []string{"moons", "og:image"}, Headers: map[string]string{"X-Frame-Options": "",
				// Frameable by any page, an isolated one too (CORP
				// cross-origin); isolated itself when opened as a page.
				"Cross-Origin-Resource-Policy": "cross-origin", "Cross-Origin-Embedder-Policy": "require-corp",
				"Cross-Origin-Opener-Policy": "same-origin"}},
		{Name: "embed autoplay", Target: "/embed?target=ring&model=mlp&autoplay=1&workers=1", Status: []int{200}, Type: "text/html",
			SameBody: true, Contains: []string{"ring", "og:image"},
			Headers: map[string]string{"X-Frame-Options": "", "Cross-Origin-Resource-Policy": "cross-origin"}},
		{Name: "page bad spec", Target: "/?target=nope", Status: []int{400}, Type: "text/html", SameBody: true,
			Contains: []string{"invalid experiment", "target", "nope", "<noscript>"}},
		{Name: "page HEAD", Method: "HEAD", Target: "/", Status: []int{200}, Type: "text/html", NoBody: true},
		{Name: "index.html redirect", Target: "/index.html?k=3", Status: []int{301}, Headers: map[string]string{"Location": "/?k=3"}},
		{Name: "oembed", Target: "/oembed?format=json&url={origin}%2F%3Ftarget%3Dring", Status: []int{200}, Type: "application/json", SameBody: true,
			Contains: []string{`"type":"rich"`, `"version":"1.0"`, `/embed?target=ring`, `<iframe`, `"width":800`, `"thumbnail_url"`},
			Headers:  map[string]string{"Cross-Origin-Resource-Policy": "cross-origin", "Access-Control-Allow-Origin": "*"}},
		{Name: "oembed maxwidth", Target: "/oembed?url={origin}%2Fembed%3Ftarget%3Dspiral&maxwidth=400&maxheight=400", Status: []int{200},
			Type: "application/json", Contains: []string{`"width":400`, `"height":250`}, Absent: []string{"thumbnail_url"}},
		{Name: "oembed xml", Target: "/oembed?url={origin}%2F&format=xml", Status: []int{501}, Type: "text/plain"},
		{Name: "oembed foreign", Target: "/oembed?url=https%3A%2F%2Fevil.example%2F%3Ftarget%3Dring", Status: []int{404}, Type: "text/plain"},
		{Name: "oembed other path", Target: "/oembed?url={origin}%2Fhealthz", Status: []int{404}, Type: "text/plain"},
		{Name: "oembed no url", Target: "/oembed", Status: []int{400}, Type: "text/plain", Contains: []string{"url"}},
		{Name: "oembed bad maxwidth", Target: "/oembed?url={origin}%2F&maxwidth=wide", Status: []int{400}, Type: "text/plain", Contains: []string{"maxwidth"}},
		{Name: "oembed bad escape", Target: "/oembed?url=%zz", Status: []int{400}, Type: "text/plain"},
		// Previews are planned from the spec and the budget alone, so both
		// hosts draw the same bytes: the experiment's result, Newton's
		// optimum, and an early picture.
		{Name: "preview", Target: "/preview.png?steps=30", Status: []int{200}, Type: "image/png", PNG: true, Revalidate: true,
			SameBody: true, Headers: map[string]string{"Cache-Control": "public, max-age=86400", "X-Preview-Plan": "full",
				"Cross-Origin-Resource-Policy": "cross-origin"}},
		{Name: "preview optimum", Target: "/preview.png?k=3&steps=100000", Status: []int{200}, Type: "image/png", PNG: true,
			SameBody: true, Headers: map[string]string{"Cache-Control": "public, max-age=86400", "X-Preview-Plan": "optimum"}},
		{Name: "preview early", Target: "/preview.png?target=ring&model=mlp&units=8&steps=100000", Status: []int{200}, Type: "image/png", PNG: true,
			SameBody: true, Headers: map[string]string{"Cache-Control": "public, max-age=86400", "X-Preview-Plan": "early"}},
		// A data file's link (docs/spec.md#data-file): the picture and the
		// titles say it needs the file; nothing else is trained or drawn.
		{Name: "preview data file", Target: "/preview.png?target=data2d&datafile=0123456789abcdef-20000", Status: []int{200}, Type: "image/png", PNG: true,
			SameBody: true},
		{Name: "oembed data file", Target: "/oembed?url={origin}%2F%3Ftarget%3Ddata2d%26datafile%3D0123456789abcdef-20000", Status: []int{200},
			Type: "application/json", SameBody: true, Contains: []string{`"title":"NCE Playground: needs data file 0123456789abcdef-20000 (20000 points)`}},
		{Name: "preview bad spec", Target: "/preview.png?target=nope", Status: []int{400}, Type: "text/plain", Contains: []string{"target", "nope"}},
		{Name: "preview hostile n", Target: "/preview.png?n=1000000000", Status: []int{400}, Type: "text/plain", Contains: []string{`"n"`}},
		{Name: "preview hostile cost", Target: "/preview.png?batch=65536&k=1024", Status: []int{400}, Type: "text/plain"},
		{Name: "preview NaN", Target: "/preview.png?lr=NaN", Status: []int{400}, Type: "text/plain", Contains: []string{"lr"}},
		{Name: "preview long query", Target: "/preview.png?" + long, Status: []int{400}, Type: "text/plain", Contains: []string{"too long"}},
		{Name: "URL too long", Target: huge, Status: []int{414}, Type: "text/html"},
		{Name: "POST", Method: "POST", Target: "/", Status: []int{405}, Headers: map[string]string{"Allow": "GET, HEAD"}},
		{Name: "DELETE", Method: "DELETE", Target: "/healthz", Status: []int{405}},
		{Name: "unknown path", Target: "/no/such/page", Status: []int{404}, Type: "text/html", Contains: []string{"404"}},
		{Name: "manifest hidden", Target: "/manifest.json", Status: []int{404}},
		{Name: "dotfile", Target: "/.gitignore", Status: []int{404}},
		{Name: "precompressed sibling", Target: "/index.html.br", Status: []int{404}},
	}
	// Path traversal in several encodings: 400 from the Go server; the
	// Worker runtime normalizes the URL first, so there it is a 404.
	for _, t := range []string{
		"/../../../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd",
		"/%252e%252e%252fetc%252fpasswd", "/..%5c..%5cetc%5cpasswd", "//etc/passwd", "/.%2e/go.mod",
		"/static/../../go.mod", "/%2E%2E/%2E%2E/go.mod", "/a/./b",
	} {
		cs = append(cs, Case{Name: "traversal " + t, Target: t, Status: []int{400, 404},
			Absent: []string{"root:", "module nceplay"}})
	}
	names := make([]string, 0, len(m.Files))
	for name := range m.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := m.Files[name]
		if !f.Immutable {
			continue
		}
		c := Case{Name: "static " + name, Target: "/" + name, Status: []int{200}, Type: routes.ContentType(name),
			Header: map[string]string{"Accept-Encoding": "br, gzip"}, Static: true, SameBody: true, Revalidate: true,
			Headers: map[string]string{"Cache-Control": routes.ImmutableCache}}
		cs = append(cs, c)
		if slices.Contains(f.Encodings, "gzip") {
			g := c
			g.Name, g.Header, g.Revalidate = "static gzip "+name, map[string]string{"Accept-Encoding": "gzip"}, false
			cs = append(cs, g)
		}
	}
	return cs
}

// An Answer is a host's response to a Case, with the body decoded.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte // decoded from Content-Encoding
	Raw    int    // bytes on the wire
	// NotModified is the status of the revalidation request (Revalidate).
	NotModified int
}

// Do sends c to the host at base (e.g. "http://127.0.0.1:8080") over a
// fresh TCP connection, with the target exactly as written.
func Do(base string, c Case) (*Answer, error) {
	a, err := do(base, c, "")
	if err != nil || !c.Revalidate {
		return a, err
	}
	etag := a.Header.Get("ETag")
	if etag == "" {
		a.NotModified = -1
		return a, nil
	}
	b, err := do(base, c, etag)
	if err != nil {
		return nil, err
	}
	a.NotModified = b.Status
	return a, nil
}

func do(base string, c Case, ifNoneMatch string) (*Answer, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	method := c.Method
	if method == "" {
		method = "GET"
	}
	target := strings.ReplaceAll(c.Target, "{origin}", url.QueryEscape(base))
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(60 * time.Second))
	var req bytes.Buffer
	fmt.Fprintf(&req, "%s %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: nceplay-conformance\r\nConnection: close\r\n", method, target, u.Host)
	for k, v := range c.Header {
		fmt.Fprintf(&req, "%s: %s\r\n", k, v)
	}
	if ifNoneMatch != "" {
		fmt.Fprintf(&req, "If-None-Match: %s\r\n", ifNoneMatch)
	}
	req.WriteString("\r\n")
	if _, err := conn.Write(req.Bytes()); err != nil {
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	a := &Answer{Status: resp.StatusCode, Header: resp.Header, Body: raw, Raw: len(raw)}
	enc := resp.Header.Get("Content-Encoding")
	if len(raw) == 0 {
		enc = ""
	}
	switch enc {
	case "br":
		a.Body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(raw)))
	case "gzip":
		var zr *gzip.Reader
		if zr, err = gzip.NewReader(bytes.NewReader(raw)); err == nil {
			a.Body, err = io.ReadAll(zr)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("decoding %s body: %w", resp.Header.Get("Content-Encoding"), err)
	}
	return a, nil
}

// Check returns what is wrong with a host's answer to c (nil if
// nothing). base is the host's origin.
func Check(base string, c Case, a *Answer) []string {
	var bad []string
	fail := func(format string, args ...any) { bad = append(bad, fmt.Sprintf(format, args...)) }
	if !slices.Contains(c.Status, a.Status) {
		fail("status %d, want %v", a.Status, c.Status)
	}
	if c.Type != "" && !strings.HasPrefix(a.Header.Get("Content-Type"), c.Type) {
		fail("Content-Type %q, want %q", a.Header.Get("Content-Type"), c.Type)
	}
	// Security headers on every answer.
	csp := a.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "'wasm-unsafe-eval'") || !strings.Contains(csp, "default-src 'self'") {
		fail("CSP %q lacks default-src 'self' or 'wasm-unsafe-eval'", csp)
	}
	frame := frameSelf
	if strings.HasPrefix(c.Target, "/embed") && a.Status < 300 {
		frame = frameAny
	}
	if !strings.Contains(csp, frame) {
		fail("CSP %q lacks %q", csp, frame)
	}
	if v := a.Header.Get("X-Content-Type-Options"); v != "nosniff" {
		fail("X-Content-Type-Options %q", v)
	}
	if v := a.Header.Get("Referrer-Policy"); v != routes.ReferrerPolicy {
		fail("Referrer-Policy %q", v)
	}
	// Cross-origin isolation (routes/headers.go) on every answer; CORP
	// cross-origin only on what other sites use.
	if v := a.Header.Get("Cross-Origin-Opener-Policy"); v != routes.COOP {
		fail("Cross-Origin-Opener-Policy %q, want %q", v, routes.COOP)
	}
	if v := a.Header.Get("Cross-Origin-Embedder-Policy"); v != routes.COEP {
		fail("Cross-Origin-Embedder-Policy %q, want %q", v, routes.COEP)
	}
	corp := routes.CORPSameOrigin
	path, _, _ := strings.Cut(c.Target, "?")
	for _, r := range routes.Table {
		if r.Path == path && (r.Frameable || r.Shared) {
			corp = routes.CORPCrossOrigin
		}
	}
	if v := a.Header.Get("Cross-Origin-Resource-Policy"); v != corp {
		fail("Cross-Origin-Resource-Policy %q, want %q", v, corp)
	}
	for k, want := range c.Headers {
		if got := a.Header.Get(k); got != want {
			fail("%s %q, want %q", k, got, want)
		}
	}
	body := string(a.Body)
	for _, s := range c.Contains {
		s = strings.ReplaceAll(s, "{origin}", base)
		if !strings.Contains(body, s) {
			fail("body lacks %q", s)
		}
	}
	for _, s := range c.Absent {
		if strings.Contains(body, s) {
			fail("body holds %q", s)
		}
	}
	if c.NoBody && len(a.Body) > 0 {
		fail("HEAD answer has a %d-byte body", len(a.Body))
	}
	if c.PNG {
		img, err := png.Decode(bytes.NewReader(a.Body))
		switch {
		case err != nil:
			fail("PNG: %v", err)
		case img.Bounds().Dx() != routes.PreviewWidth || img.Bounds().Dy() != routes.PreviewHeight:
			fail("PNG is %v, want %dx%d", img.Bounds().Size(), routes.PreviewWidth, routes.PreviewHeight)
		}
	}
	if c.Revalidate && a.NotModified != http.StatusNotModified {
		fail("revalidation with the ETag gave %d, want 304", a.NotModified)
	}
	return bad
}

// Compare returns how the Worker's answer w differs from the Go server's
// g, beyond what Check allows: the status (where the case allows one),
// the Content-Type, the security headers, Cache-Control, Location and
// Allow, and the decoded body for SameBody cases (with each host's
// origin replaced).
func Compare(c Case, goBase string, g *Answer, wBase string, w *Answer) []string {
	var bad []string
	if len(c.Status) == 1 && g.Status != w.Status {
		bad = append(bad, fmt.Sprintf("status go %d, worker %d", g.Status, w.Status))
	}
	for _, k := range []string{"Content-Type", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy",
		"X-Frame-Options", "Cross-Origin-Opener-Policy", "Cross-Origin-Embedder-Policy", "Cross-Origin-Resource-Policy",
		"Cache-Control", "Location", "Allow"} {
		if g.Header.Get(k) != w.Header.Get(k) {
			bad = append(bad, fmt.Sprintf("%s: go %q, worker %q", k, g.Header.Get(k), w.Header.Get(k)))
		}
	}
	if c.SameBody {
		gb := strings.ReplaceAll(string(g.Body), goBase, "{origin}")
		gb = strings.ReplaceAll(gb, url.QueryEscape(goBase), "{origin}")
		wb := strings.ReplaceAll(string(w.Body), wBase, "{origin}")
		wb = strings.ReplaceAll(wb, url.QueryEscape(wBase), "{origin}")
		if gb != wb {
			bad = append(bad, fmt.Sprintf("bodies differ (go %d bytes, worker %d bytes)", len(gb), len(wb)))
		}
	}
	return bad
}
