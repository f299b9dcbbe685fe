//go:build js && wasm

// Command worker is the playground on Cloudflare Workers: Workers Static
// Assets serve the built site's content-hashed files (see wrangler.toml and
// the `_headers` that cmd/webbuild writes), and every other request runs
// this Go program, which serves the same routes as the Go server with
// server/routes. Each request starts a fresh Go instance, so nothing is
// cached in memory here; previews have the Go server's budget and are
// kept in the Cache API (README).
package main

import (
	"bytes"
	_ "embed"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
	"github.com/syumai/workers/cloudflare/cache"

	"nceplay/core/spec"
	"nceplay/server/routes"
)

// page is the built index.html (`make worker` writes it with webbuild's
// -worker-page).
//
//go:embed page/index.html
var page []byte

// Preview is the Worker's preview configuration: the Go server's budget
// (routes.DefaultPreview), so that both hosts draw the same bytes for an
// experiment, with the bounds of a fresh instance per request: no memory
// cache (the Cache API holds the pictures, see previewEdge), and a safety
// stop inside the Paid plan's default CPU limit (30 s).
var Preview = routes.PreviewConfig{
	Budget:       routes.DefaultPreview.Budget,
	Timeout:      25 * time.Second,
	Concurrency:  1,
	QueueLen:     4,
	QueueWait:    2 * time.Second,
	PerClient:    -1, // an instance serves one request
	CacheEntries: 1,
	CacheBytes:   1 << 20,
}

func main() {
	// Cloudflare routes only this Worker's own host names to it, so the
	// request's host is the site's.
	h, err := routes.New(routes.Config{Index: page, Preview: Preview, TrustHost: true})
	if err != nil {
		workers.Serve(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}))
		return
	}
	workers.Serve(headFix(previewEdge(h)))
}

// previewEdge serves /preview.png for valid specs without drawing when it
// can: with the PREVIEW_ORIGIN variable set (e.g. the Go server's
// origin), it redirects there (302) so the Worker spends no CPU on
// pictures; otherwise it looks the picture up in the Cache API of the
// colo (keyed by the canonical experiment query) and stores what it
// draws, so each distinct experiment is drawn once per colo.
func previewEdge(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/preview.png" || r.Method != http.MethodGet || r.Header.Get("If-None-Match") != "" {
			h.ServeHTTP(w, r)
			return
		}
		s, err := spec.Parse(r.URL.RawQuery)
		if err != nil || len(r.URL.RawQuery) > routes.MaxURLLen {
			h.ServeHTTP(w, r) // the handler explains the error
			return
		}
		key := "/preview.png"
		if q := s.ExperimentQuery(); q != "" {
			key += "?" + q
		}
		if origin := strings.TrimSuffix(cloudflare.Getenv("PREVIEW_ORIGIN"), "/"); origin != "" {
			routes.SetSecurityHeaders(w, "/preview.png")
			w.Header().Set("Location", origin+key)
			w.Header().Set("Cache-Control", "public, max-age=86400")
			w.WriteHeader(http.StatusFound)
			return
		}
		u := *r.URL
		u.Path, u.RawQuery = "/preview.png", strings.TrimPrefix(key, "/preview.png?")
		if u.Scheme == "" {
			u.Scheme, u.Host = "https", r.Host
		}
		creq, _ := http.NewRequest(http.MethodGet, u.String(), nil)
		c := cache.New()
		if res, err := c.Match(creq, nil); err == nil && res != nil {
			defer res.Body.Close()
			for k, v := range res.Header {
				w.Header()[k] = v
			}
			w.Header().Set("X-Preview-Cache", "hit")
			w.WriteHeader(res.StatusCode)
			io.Copy(w, res.Body)
			return
		}
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Set("X-Preview-Cache", "miss")
		if rec.status == http.StatusOK && rec.header.Get("ETag") != "" {
			res := &http.Response{StatusCode: http.StatusOK, Header: rec.header.Clone(),
				Body: io.NopCloser(bytes.NewReader(rec.body.Bytes())), ContentLength: int64(rec.body.Len())}
			res.Header.Set("Content-Length", strconv.Itoa(rec.body.Len()))
			c.Put(creq, res) // best effort: a failed put only costs a redraw
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
	})
}

// recorder buffers a handler's response.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(code int)        { r.status = code }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// headFix makes HEAD work under the Worker shim: the handler writes no
// body for HEAD, but the shim turns a Content-Length into a fixed-length
// stream that then fails as short (a 500). The shim converts the response
// only after the handler returns when nothing was written, so the header
// can still be dropped here.
func headFix(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method == http.MethodHead {
			w.Header().Del("Content-Length")
		}
	})
}
