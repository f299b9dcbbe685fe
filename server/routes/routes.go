// Package routes is the playground's HTTP surface: one net/http handler
// that both hosts serve, the Go server (server/nceserver) and the
// Cloudflare Worker (server/worker), so the two cannot drift apart.
//
// The routes are listed once, in Table. Every response carries the
// security headers (headers.go); only GET and HEAD are allowed; a path is
// either one of Table's routes or a file named in the build's manifest,
// and anything else is a 404 page. Requests whose URL is too long, whose
// path tries to leave the build (in any encoding) or whose spec is
// invalid get a 4xx with a message that says why, never a 5xx.
package routes

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"sync"
	"time"
)

// MaxURLLen is the longest request target (path and query) accepted; a
// longer one gets 414. The spec's own limit (spec.MaxQueryLen) is lower.
const MaxURLLen = 8192

// A Route is one dynamic path of the playground.
type Route struct {
	Path string
	// Frameable routes may be framed by any site (frame-ancestors *, and
	// CORP cross-origin, so that a cross-origin isolated page may frame
	// them too).
	Frameable bool
	// Shared answers are meant for other sites (an oEmbed consumer, an
	// <img> of a preview): CORP cross-origin (headers.go).
	Shared bool
	// Doc is one line for the README.
	Doc   string
	serve func(h *Handler, w http.ResponseWriter, r *http.Request)
}

// Table lists the dynamic routes, the same on both hosts. Every other
// path is a static file of the build, or 404.
var Table = []Route{
	{Path: "/", Doc: "the playground page for `?<spec>`, with Open Graph / Twitter card tags and oEmbed discovery",
		serve: (*Handler).servePage},
	{Path: "/embed", Frameable: true, Doc: "the same page for iframes: any site may frame it",
		serve: (*Handler).servePage},
	{Path: "/oembed", Shared: true, Doc: "oEmbed JSON (type rich, an iframe of /embed) for `url=` a playground link",
		serve: (*Handler).serveOEmbed},
	{Path: "/preview.png", Shared: true, Doc: "a 1200×630 PNG of the experiment's density panel, drawn by the server",
		serve: (*Handler).servePreview},
	{Path: "/healthz", Doc: "liveness: 200 `ok`",
		serve: (*Handler).serveHealth},
	{Path: "/index.html", Doc: "redirects to `/` (the page is always served with its tags)",
		serve: (*Handler).serveIndexRedirect},
}

// Config configures a Handler.
type Config struct {
	// Static is the built site (cmd/webbuild's output folder): its
	// manifest.json, index.html (the page template) and the files to
	// serve. Required unless Index is set.
	Static fs.FS
	// Index, when set, is the page template, and static files are not
	// served by the handler (the Worker: Workers Static Assets serve them).
	Index []byte
	// Reload re-reads Static when its manifest.json or index.html
	// changes (for `-dir` in development).
	Reload bool
	// PublicURL (e.g. "https://nce.example") is the origin of absolute
	// links (og:image, og:url, the oEmbed iframe) — the only one when it
	// is not a loopback origin. While it is unset or a loopback origin
	// (development), a request whose host is "localhost" or a loopback
	// address gets links on its own host; a request for any other host
	// gets links on PublicURL, or, where PublicURL is unset, a page
	// without them and 421 from /oembed. So a forged Host header (or
	// absolute request URL) never puts another site into an answer that
	// a shared cache may keep.
	PublicURL string
	// TrustHost uses the request's host for links whatever it is: for a
	// platform that routes only its own host names to the handler (the
	// Cloudflare Worker).
	TrustHost bool
	// ClientHeader names the request header that holds the client's
	// address behind a proxy (e.g. "X-Forwarded-For": its last address),
	// for the per-client preview cap. Set it only behind a proxy that
	// sets it; unset, the connection's address is the client.
	ClientHeader string
	// Preview bounds the cost of /preview.png; zero fields take
	// DefaultPreview's values.
	Preview PreviewConfig
	// Now is the clock (tests); nil means time.Now.
	Now func() time.Time
}

// Handler serves the playground. Create it with New.
type Handler struct {
	cfg     Config
	public  string // Config.PublicURL, checked
	routes  map[string]*Route
	preview *previewer

	mu       sync.Mutex
	site     *site
	siteMark string // Reload: the build's modification marker
}

// New returns the playground's handler, or an error if the build is
// missing or malformed.
func New(cfg Config) (*Handler, error) {
	h := &Handler{cfg: cfg, routes: map[string]*Route{}}
	if cfg.Now == nil {
		h.cfg.Now = time.Now
	}
	for i := range Table {
		h.routes[Table[i].Path] = &Table[i]
	}
	switch {
	case cfg.Index != nil:
		if _, _, err := splitTemplate(cfg.Index); err != nil {
			return nil, err
		}
		h.site = &site{index: cfg.Index, manifest: Manifest{Version: 1}}
	case cfg.Static != nil:
		s, err := loadSite(cfg.Static)
		if err != nil {
			return nil, err
		}
		if _, _, err := splitTemplate(s.index); err != nil {
			return nil, err
		}
		h.site, h.siteMark = s, buildMark(cfg.Static)
	default:
		return nil, errors.New("routes: Config needs Static or Index")
	}
	if cfg.PublicURL != "" {
		o, err := parseOrigin(cfg.PublicURL)
		if err != nil {
			return nil, err
		}
		h.public = o
	}
	h.preview = newPreviewer(cfg.Preview.withDefaults())
	return h, nil
}

// Shutdown stops the preview route for a graceful shutdown of the
// server: renders still queued, and every preview request from now on,
// get 503 with Retry-After at once; renders being drawn go on until ctx
// ends, then are abandoned (503 too). It returns when no render is left,
// with ctx's error if some had to be abandoned. Call it with, or just
// before, http.Server.Shutdown, with a deadline inside the server's.
func (h *Handler) Shutdown(ctx context.Context) error { return h.preview.shutdown(ctx) }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	route := h.routes[p]
	setSecurityHeaders(w, route != nil && route.Frameable, route != nil && route.Shared)

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeError(w, r, http.StatusMethodNotAllowed, "Method not allowed",
			fmt.Sprintf("%s is not allowed here; use GET or HEAD.", sanitize(r.Method, 20)))
		return
	}
	if n := len(r.URL.EscapedPath()) + len(r.URL.RawQuery); n > MaxURLLen {
		writeError(w, r, http.StatusRequestURITooLong, "URL too long",
			fmt.Sprintf("The URL is %d bytes long; at most %d are accepted.", n, MaxURLLen))
		return
	}
	if msg := badPath(r); msg != "" {
		writeError(w, r, http.StatusBadRequest, "Bad path", msg)
		return
	}
	if route != nil {
		route.serve(h, w, r)
		return
	}
	s := h.currentSite()
	name := strings.TrimPrefix(p, "/")
	if _, ok := s.manifest.Files[name]; ok && name != IndexName && s.fsys != nil {
		s.serveFile(w, r, name)
		return
	}
	writeError(w, r, http.StatusNotFound, "Not found",
		fmt.Sprintf("There is nothing at %s.", sanitize(p, 200)))
}

// badPath returns why the request's path is refused, or "": any "." or
// ".." segment, empty segment, backslash, NUL or control character, or
// percent-encoding of '.', '/', '\' or '%' (encoded traversal and double
// encoding), in the raw or the decoded path.
func badPath(r *http.Request) string {
	lower := strings.ToLower(r.URL.EscapedPath())
	for _, enc := range []string{"%2e", "%2f", "%5c", "%25", "%00"} {
		if strings.Contains(lower, enc) {
			return "The path contains an encoded '.', '/', '\\', '%' or NUL, which is not allowed."
		}
	}
	p := r.URL.Path
	if !strings.HasPrefix(p, "/") {
		return "The path must start with '/'."
	}
	if strings.ContainsAny(p, "\\%") {
		return "The path contains '\\' or '%', which is not allowed."
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f {
			return "The path contains a control character."
		}
	}
	if p == "/" {
		return ""
	}
	for _, seg := range strings.Split(p[1:], "/") {
		switch seg {
		case "..", ".":
			return "The path contains a '.' or '..' segment; paths may not leave the site."
		case "":
			return "The path contains an empty segment ('//')."
		}
	}
	return ""
}

// currentSite returns the loaded build, reloading it first when Reload is
// set and the build changed.
func (h *Handler) currentSite() *site {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.cfg.Reload && h.cfg.Static != nil {
		if mark := buildMark(h.cfg.Static); mark != h.siteMark {
			if s, err := loadSite(h.cfg.Static); err == nil {
				if _, _, err := splitTemplate(s.index); err == nil {
					h.site, h.siteMark = s, mark
				}
			}
		}
	}
	return h.site
}

// buildMark returns a string that changes when the build's manifest or
// index changes (their sizes and modification times).
func buildMark(fsys fs.FS) string {
	var b strings.Builder
	for _, name := range []string{ManifestName, IndexName} {
		if fi, err := fs.Stat(fsys, name); err == nil {
			fmt.Fprintf(&b, "%s:%d:%d;", name, fi.Size(), fi.ModTime().UnixNano())
		}
	}
	return b.String()
}

// serveHealth answers "ok", with the preview queue's state in the
// X-Preview-Load header ("drawing=1 queued=3 waiting=5").
func (h *Handler) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Preview-Load", h.preview.load().String())
	writeBody(w, r, http.StatusOK, "text/plain; charset=utf-8", []byte("ok\n"))
}

func (h *Handler) serveIndexRedirect(w http.ResponseWriter, r *http.Request) {
	target := "/"
	if r.URL.RawQuery != "" {
		target += "?" + r.URL.RawQuery
	}
	w.Header().Set("Location", target)
	w.Header().Set("Cache-Control", RevalidateCache)
	writeBody(w, r, http.StatusMovedPermanently, "text/plain; charset=utf-8", []byte("Moved to "+target+"\n"))
}
