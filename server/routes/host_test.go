package routes

import (
	"bufio"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// serveHost runs one GET with the given Host header (or, when target is
// an absolute URL, the request line's host).
func serveHost(h http.Handler, host, target string) *httptest.ResponseRecorder {
	raw := "GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n"
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		panic(err)
	}
	r.RemoteAddr = "192.0.2.1:1234"
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// TestHostAllowList is issue 14's fourth fault, in process: links are
// made for loopback hosts and the configured origin only, so a forged
// Host header never reaches a cacheable answer.
func TestHostAllowList(t *testing.T) {
	type want struct {
		host, target string
		status       int
		origin       string // "" : no absolute links at all
	}
	cases := []struct {
		name   string
		public string
		trust  bool
		reqs   []want
	}{
		{"no public URL", "", false, []want{
			{"127.0.0.1:8080", "/?k=3", 200, "http://127.0.0.1:8080"},
			{"localhost:9000", "/?k=3", 200, "http://localhost:9000"},
			{"[::1]:8080", "/?k=3", 200, "http://[::1]:8080"},
			{"127.9.9.9", "/embed?k=3", 200, "http://127.9.9.9"},
			{"evil.example", "/?k=3", 200, ""},
			{"evil.example:8080", "/embed?k=3", 200, ""},
			{"localhost.evil.example", "/?k=3", 200, ""},
			{"127.0.0.1.evil.example", "/?k=3", 200, ""},
			{"127.0.0.1:8080", "http://evil.example/?k=3", 200, ""}, // absolute-form target
			{"evil.example", "/oembed?url=http%3A%2F%2Fevil.example%2F%3Fk%3D3", 421, ""},
			{"localhost:9000", "/oembed?url=http%3A%2F%2Flocalhost%3A9000%2F%3Fk%3D3", 200, "http://localhost:9000"},
		}},
		{"public URL", "https://nce.example", false, []want{
			{"evil.example", "/?k=3", 200, "https://nce.example"},
			{"nce.example", "/?k=3", 200, "https://nce.example"},
			{"127.0.0.1:8080", "/?k=3", 200, "https://nce.example"}, // a proxy that does not pass Host
			{"127.0.0.1:8080", "http://evil.example/?k=3", 200, "https://nce.example"},
			{"evil.example", "/oembed?url=https%3A%2F%2Fnce.example%2F%3Fk%3D3", 200, "https://nce.example"},
			{"evil.example", "/oembed?url=http%3A%2F%2Fevil.example%2F%3Fk%3D3", 404, ""},
		}},
		{"loopback public URL", "http://127.0.0.1:8080", false, []want{
			{"localhost:8080", "/?k=3", 200, "http://localhost:8080"},
			{"evil.example", "/?k=3", 200, "http://127.0.0.1:8080"},
		}},
		{"trusted host (Worker)", "", true, []want{
			{"nce.example.workers.dev", "/?k=3", 200, "http://nce.example.workers.dev"},
		}},
	}
	for _, c := range cases {
		h, err := New(Config{Static: testSite(t), PublicURL: c.public, TrustHost: c.trust, Preview: testPreview})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range c.reqs {
			w := serveHost(h, q.host, q.target)
			body := w.Body.String()
			name := c.name + ": Host " + q.host + " " + q.target
			if w.Code != q.status {
				t.Errorf("%s: status %d, want %d (%s)", name, w.Code, q.status, body)
				continue
			}
			if strings.Contains(body, "evil.example") && !strings.Contains(q.target, "evil.example") || strings.Contains(body, "evil.example/") {
				t.Errorf("%s: the answer holds the forged host:\n%s", name, body)
			}
			if q.origin == "" {
				if strings.Contains(body, "og:image") || strings.Contains(body, "://") && w.Code == 200 {
					t.Errorf("%s: absolute links without a configured origin:\n%s", name, body)
				}
				if w.Code == 200 && !strings.Contains(body, "<title>NCE Playground: quartic") {
					t.Errorf("%s: the page lost its title:\n%s", name, body)
				}
				continue
			}
			link := q.origin + "/preview.png?k=3"
			if strings.HasPrefix(q.target, "/oembed") {
				link = q.origin + "/embed?k=3"
			}
			if !strings.Contains(body, link) {
				t.Errorf("%s: no link %s in\n%s", name, link, body)
			}
		}
	}
}
