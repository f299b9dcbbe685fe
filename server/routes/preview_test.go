package routes

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// waitFor polls cond until it holds, failing the test after 30 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// request is a preview request running in the background.
type request struct {
	cancel context.CancelFunc
	done   chan *httptest.ResponseRecorder
}

// start sends a GET for target with the given client address (RemoteAddr)
// and extra headers; cancel() disconnects it.
func start(h http.Handler, target, remote string, hdr ...string) *request {
	ctx, cancel := context.WithCancel(context.Background())
	r := httptest.NewRequest("GET", target, nil).WithContext(ctx)
	r.Host = "play.test"
	r.RemoteAddr = remote
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	q := &request{cancel: cancel, done: make(chan *httptest.ResponseRecorder, 1)}
	go func() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		q.done <- w
	}()
	return q
}

func (q *request) wait(t *testing.T) *httptest.ResponseRecorder {
	t.Helper()
	select {
	case w := <-q.done:
		return w
	case <-time.After(60 * time.Second):
		t.Fatal("request did not finish")
		return nil
	}
}

func previewHandler(t *testing.T, cfg PreviewConfig, hc ...func(*Config)) *Handler {
	t.Helper()
	c := Config{Static: testSite(t), Preview: cfg, PublicURL: "http://play.test"}
	for _, f := range hc {
		f(&c)
	}
	h, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestPreviewWaiterSurvivesDisconnect is issue 14's first fault: the
// request that started a shared render disconnects while it is queued;
// the other request for the same preview still gets it.
func TestPreviewWaiterSurvivesDisconnect(t *testing.T) {
	h := previewHandler(t, testPreview)
	p := h.preview
	p.sem <- struct{}{} // the only slot is busy
	const target = "/preview.png?k=5&seed=777123"
	a := start(h, target, "192.0.2.1:1000")
	waitFor(t, "A queued", func() bool { return p.load() == PreviewLoad{Queued: 1, Waiting: 1} })
	b := start(h, target, "192.0.2.2:1000")
	waitFor(t, "B joined", func() bool { return p.load().Waiting == 2 })
	a.cancel()
	if w := a.wait(t); w.Code != http.StatusRequestTimeout {
		t.Errorf("A: %d", w.Code)
	}
	// A left; the render is still queued for B.
	if l := p.load(); l != (PreviewLoad{Queued: 1, Waiting: 1}) {
		t.Errorf("after A left: %v, want queued=1 waiting=1", l)
	}
	<-p.sem
	w := b.wait(t)
	if w.Code != 200 || w.Header().Get("Content-Type") != "image/png" {
		t.Fatalf("B: %d %s", w.Code, w.Body)
	}
	if n := p.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}

// TestPreviewLastWaiterEnds: a render nobody waits for any more is
// cancelled and leaves the queue; the next request starts afresh.
func TestPreviewLastWaiterEnds(t *testing.T) {
	h := previewHandler(t, testPreview)
	p := h.preview
	p.sem <- struct{}{}
	a := start(h, "/preview.png?seed=5", "192.0.2.1:1000")
	waitFor(t, "A queued", func() bool { return p.load().Queued == 1 })
	a.cancel()
	a.wait(t)
	waitFor(t, "the flight to end", func() bool { return p.load() == PreviewLoad{} })
	<-p.sem
	if p.renders.Load() != 0 {
		t.Errorf("an abandoned render was drawn")
	}
	if w := serve(h, "GET", "/preview.png?seed=5"); w.Code != 200 {
		t.Errorf("next request: %d", w.Code)
	}
}

// TestPreviewPerClient: one client may have PerClient renders queued;
// beyond, 429 — but joining a render already wanted costs nothing, and
// other clients are not affected. Behind a proxy the client is the last
// address of ClientHeader.
func TestPreviewPerClient(t *testing.T) {
	cfg := testPreview
	cfg.PerClient = 2
	h := previewHandler(t, cfg, func(c *Config) { c.ClientHeader = "X-Forwarded-For" })
	p := h.preview
	p.sem <- struct{}{}
	xff := func(addr string) []string { return []string{"X-Forwarded-For", "203.0.113.9, " + addr} }
	var reqs []*request
	for _, seed := range []string{"1", "2"} {
		reqs = append(reqs, start(h, "/preview.png?seed="+seed, "10.0.0.1:1", xff("198.51.100.7")...))
	}
	waitFor(t, "two queued", func() bool { return p.load().Queued == 2 })
	w := serve(h, "GET", "/preview.png?seed=3", "X-Forwarded-For", "198.51.100.7")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "your previews") {
		t.Errorf("third distinct preview: %d %q %s", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
	// The same preview again joins its render.
	reqs = append(reqs, start(h, "/preview.png?seed=2", "10.0.0.1:1", xff("198.51.100.7")...))
	// Another client (same proxy, another address) may start its own.
	reqs = append(reqs, start(h, "/preview.png?seed=3", "10.0.0.1:1", xff("198.51.100.8")...))
	waitFor(t, "four waiting", func() bool { return p.load() == PreviewLoad{Queued: 3, Waiting: 4} })
	<-p.sem
	for i, q := range reqs {
		if w := q.wait(t); w.Code != 200 {
			t.Errorf("request %d: %d", i, w.Code)
		}
	}
	if n := p.renders.Load(); n != 3 {
		t.Errorf("%d renders, want 3", n)
	}
	// Without ClientHeader the header is ignored: the connection counts.
	h2 := previewHandler(t, cfg)
	if got := h2.client(httptest.NewRequest("GET", "/", nil)); got != "192.0.2.1" {
		t.Errorf("client without ClientHeader: %q", got)
	}
}

// TestPreviewShutdown is issue 14's second fault, in process: on
// Shutdown, queued renders answer 503 with Retry-After at once, new
// requests too, and the render being drawn finishes.
func TestPreviewShutdown(t *testing.T) {
	h := previewHandler(t, testPreview)
	p := h.preview
	drawing := make(chan struct{})
	release := make(chan struct{})
	p.testHook = func(ev, key string) {
		if ev == "draw" && key == "seed=100" {
			close(drawing)
			<-release
		}
	}
	first := start(h, "/preview.png?seed=100", "192.0.2.1:1")
	<-drawing
	var queued []*request
	for i := range 5 {
		queued = append(queued, start(h, "/preview.png?seed="+string(rune('1'+i)), "192.0.2."+string(rune('1'+i))+":1"))
	}
	waitFor(t, "five queued", func() bool { return p.load().Queued == 5 })
	done := make(chan error, 1)
	go func() { done <- h.Shutdown(context.Background()) }()
	for i, q := range queued {
		w := q.wait(t)
		if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
			t.Errorf("queued %d: %d Retry-After %q", i, w.Code, w.Header().Get("Retry-After"))
		}
	}
	if w := serve(h, "GET", "/preview.png?seed=77"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("new request while shutting down: %d", w.Code)
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a render was drawing", err)
	default:
	}
	close(release)
	if w := first.wait(t); w.Code != 200 {
		t.Errorf("the render in progress: %d", w.Code)
	}
	if err := <-done; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
}

// TestPreviewShutdownDeadline: a render still drawing when Shutdown's
// context ends is abandoned; its waiter gets 503.
func TestPreviewShutdownDeadline(t *testing.T) {
	h := previewHandler(t, testPreview)
	p := h.preview
	drawing := make(chan struct{})
	p.testHook = func(ev, key string) {
		if ev == "draw" {
			close(drawing)
			<-p.life.Done() // a render that does not finish in time
		}
	}
	first := start(h, "/preview.png?seed=100", "192.0.2.1:1")
	<-drawing
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- h.Shutdown(ctx) }()
	cancel()
	if err := <-done; err != context.Canceled {
		t.Errorf("Shutdown: %v, want context.Canceled", err)
	}
	if w := first.wait(t); w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("abandoned render: %d %q", w.Code, w.Header().Get("Retry-After"))
	}
}

// TestPreviewTooSlow: a render that hits the safety timeout answers 503
// and is not tried again for FailTTL.
func TestPreviewTooSlow(t *testing.T) {
	cfg := testPreview
	cfg.Timeout = time.Nanosecond
	h := previewHandler(t, cfg)
	w := serve(h, "GET", "/preview.png?seed=9")
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "60" || w.Header().Get("Cache-Control") != "no-store" {
		t.Errorf("slow render: %d %q %q", w.Code, w.Header().Get("Retry-After"), w.Header().Get("Cache-Control"))
	}
	if w := serve(h, "GET", "/preview.png?seed=9"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("again: %d", w.Code)
	}
	if n := h.preview.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
}

// TestPreviewEarlyCached is issue 14's third fault, in process: a preview
// that trains fewer steps than its spec is planned from the budget, so it
// is cached and served again byte for byte.
func TestPreviewEarlyCached(t *testing.T) {
	cfg := testPreview
	cfg.Budget.Work = 3e8 // a cheaper early picture (for -race)
	h := previewHandler(t, cfg)
	const target = "/preview.png?target=ring&model=mlp&units=8&steps=100000"
	w1 := serve(h, "GET", target)
	if w1.Code != 200 || w1.Header().Get("X-Preview-Plan") != "early" || w1.Header().Get("X-Preview-Cache") != "miss" {
		t.Fatalf("first: %d plan %q cache %q", w1.Code, w1.Header().Get("X-Preview-Plan"), w1.Header().Get("X-Preview-Cache"))
	}
	if cc := w1.Header().Get("Cache-Control"); cc != "public, max-age=86400" || w1.Header().Get("ETag") == "" {
		t.Errorf("early preview: Cache-Control %q ETag %q", cc, w1.Header().Get("ETag"))
	}
	w2 := serve(h, "GET", target)
	if w2.Header().Get("X-Preview-Cache") != "hit" || !bytes.Equal(w1.Body.Bytes(), w2.Body.Bytes()) || w2.Header().Get("ETag") != w1.Header().Get("ETag") {
		t.Errorf("second: cache %q, same bytes %v", w2.Header().Get("X-Preview-Cache"), bytes.Equal(w1.Body.Bytes(), w2.Body.Bytes()))
	}
	// A fresh handler (another process, or the Worker) draws the same bytes.
	w3 := serve(previewHandler(t, cfg), "GET", target)
	if !bytes.Equal(w1.Body.Bytes(), w3.Body.Bytes()) || w3.Header().Get("ETag") != w1.Header().Get("ETag") {
		t.Errorf("a fresh handler drew other bytes")
	}
	if h.preview.renders.Load() != 1 {
		t.Errorf("%d renders", h.preview.renders.Load())
	}
}

// TestPreviewConcurrentJoinLeave hammers one flight with waiters that
// come and go (run with -race).
func TestPreviewConcurrentJoinLeave(t *testing.T) {
	h := previewHandler(t, testPreview)
	p := h.preview
	p.sem <- struct{}{}
	var wg sync.WaitGroup
	var keep []*request
	for i := range 40 {
		q := start(h, "/preview.png?seed=42", "192.0.2.1:1")
		if i%4 == 0 {
			keep = append(keep, q)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			q.cancel()
			q.wait(t)
		}()
	}
	wg.Wait()
	waitFor(t, "ten waiters", func() bool { return p.load().Waiting == 10 })
	<-p.sem
	for _, q := range keep {
		if w := q.wait(t); w.Code != 200 {
			t.Errorf("kept waiter: %d", w.Code)
		}
	}
	waitFor(t, "idle", func() bool { return p.load() == PreviewLoad{} })
	if n := p.renders.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
	if len(p.perClient) != 0 || len(p.inflight) != 0 {
		t.Errorf("left over: perClient %v inflight %d", p.perClient, len(p.inflight))
	}
}
