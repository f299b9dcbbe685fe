package routes

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"nceplay/core/spec"
	"nceplay/server/preview"
)

// PreviewConfig bounds what /preview.png may cost the host.
type PreviewConfig struct {
	// Budget bounds what one preview trains (preview.MakePlan). The plan
	// depends on the spec and the budget only, so hosts with the same
	// budget draw the same bytes; both hosts use DefaultPreview's.
	Budget preview.Budget
	// Timeout is a safety stop, far above what the budget costs: a
	// render still running after it (an overloaded machine) is abandoned,
	// its waiters get 503 with Retry-After, and its experiment is not
	// tried again for FailTTL.
	Timeout time.Duration
	FailTTL time.Duration
	// Concurrency is the number of previews drawn at once; QueueLen the
	// number of distinct previews that may wait for a slot, each at most
	// QueueWait. Beyond them a request gets 429 with Retry-After.
	Concurrency int
	QueueLen    int
	QueueWait   time.Duration
	// PerClient caps the previews one client may have queued or drawing
	// at once (requests that share a render count once); beyond it, 429.
	// The client is the connection's address, or Config.ClientHeader's
	// value behind a proxy. Negative: no cap.
	PerClient int
	// CacheEntries and CacheBytes bound the LRU cache of drawn PNGs,
	// keyed by the spec's canonical experiment query.
	CacheEntries int
	CacheBytes   int64
}

// DefaultPreview is the preview budget of both hosts: about 1 s of one
// core of the reference machine at most per distinct experiment (the cost
// model's estimate), then served from the cache.
var DefaultPreview = PreviewConfig{
	Budget:       preview.Budget{Work: 1e9, MaxSteps: 100000},
	Timeout:      10 * time.Second,
	FailTTL:      time.Minute,
	Concurrency:  max(1, runtime.GOMAXPROCS(0)/2),
	QueueLen:     64,
	QueueWait:    15 * time.Second,
	PerClient:    4,
	CacheEntries: 512,
	CacheBytes:   64 << 20,
}

func (c PreviewConfig) withDefaults() PreviewConfig {
	d := DefaultPreview
	if c.Budget.Work == 0 {
		c.Budget.Work = d.Budget.Work
	}
	if c.Budget.MaxSteps == 0 {
		c.Budget.MaxSteps = d.Budget.MaxSteps
	}
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.FailTTL == 0 {
		c.FailTTL = d.FailTTL
	}
	if c.Concurrency == 0 {
		c.Concurrency = d.Concurrency
	}
	if c.QueueLen == 0 {
		c.QueueLen = d.QueueLen
	}
	if c.QueueWait == 0 {
		c.QueueWait = d.QueueWait
	}
	if c.PerClient == 0 {
		c.PerClient = d.PerClient
	}
	if c.CacheEntries == 0 {
		c.CacheEntries = d.CacheEntries
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = d.CacheBytes
	}
	return c
}

// previewer draws previews within a PreviewConfig: an LRU cache, one
// render per key at a time that every request for the key shares (a
// flight), a bounded queue and a semaphore.
type previewer struct {
	cfg   PreviewConfig
	cache *lru
	sem   chan struct{}
	// renders counts the previews drawn (tests).
	renders atomic.Int64

	// life ends every flight (a shutdown's deadline); closing is closed
	// when the previewer stops taking work (Shutdown).
	life     context.Context
	stop     context.CancelFunc
	closing  chan struct{}
	idle     chan struct{} // closed when a Shutdown finds no render left
	testHook func(event string, key string)

	mu        sync.Mutex
	closed    bool
	inflight  map[string]*flight
	queued    int            // flights waiting for a slot
	drawing   int            // flights holding a slot
	waiters   int            // requests waiting for a flight
	perClient map[string]int // client → flights it waits for
	failed    map[string]time.Time
}

// A flight is one render that every concurrent request for its key
// shares. It ends when the picture is drawn, or when its last waiter
// leaves (a waiter's disconnect never fails the others).
type flight struct {
	key     string
	done    chan struct{}
	cancel  context.CancelFunc
	waiters int            // guarded by previewer.mu
	clients map[string]int // client → its waiters; guarded by previewer.mu
	drawing bool           // guarded by previewer.mu

	// Set before done is closed.
	res    *preview.Result
	status int // the HTTP status; err's message is the body
	err    error
}

func newPreviewer(cfg PreviewConfig) *previewer {
	life, stop := context.WithCancel(context.Background())
	return &previewer{
		cfg:       cfg,
		cache:     newLRU(cfg.CacheEntries, cfg.CacheBytes),
		sem:       make(chan struct{}, cfg.Concurrency),
		life:      life,
		stop:      stop,
		closing:   make(chan struct{}),
		inflight:  map[string]*flight{},
		perClient: map[string]int{},
		failed:    map[string]time.Time{},
	}
}

// previewETag names a preview by its experiment and the budget that
// shaped it (the same on every host with that budget).
func (p *previewer) etag(key string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "v2|%g|%d|%s", p.cfg.Budget.Work, p.cfg.Budget.MaxSteps, key))
	return `"i-` + hex.EncodeToString(sum[:8]) + `"`
}

// Errors of the preview route: the message is the body, the status goes
// with it (429 and 503 with Retry-After).
var (
	errBusy       = errors.New("the server is drawing too many previews; retry in a few seconds")
	errClientBusy = errors.New("too many of your previews are waiting to be drawn; retry when they are done")
	errShutdown   = errors.New("the server is shutting down; retry in a few seconds")
	errSlow       = errors.New("this preview took too long to draw on this server; retry later")
	errGone       = errors.New("the request ended before its preview was drawn")
)

// retryAfter is the Retry-After of each retryable error, in seconds.
func retryAfter(err error) string {
	switch err {
	case errBusy, errClientBusy:
		return "5"
	case errShutdown:
		return "10"
	case errSlow:
		return "60"
	}
	return ""
}

func (h *Handler) servePreview(w http.ResponseWriter, r *http.Request) {
	s, err := spec.Parse(r.URL.RawQuery)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, "Invalid experiment", specMessage(err))
		return
	}
	p := h.preview
	key := s.ExperimentQuery()
	etag := p.etag(key)
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatch(inm, etag) {
		w.Header().Set("ETag", etag)
		w.Header().Set("Cache-Control", "public, max-age=86400")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	start := time.Now()
	png, cached := p.cache.get(key)
	var res *preview.Result
	if !cached {
		var status int
		res, status, err = p.render(r.Context(), s, key, h.client(r))
		if err != nil {
			if ra := retryAfter(err); ra != "" {
				w.Header().Set("Retry-After", ra)
			}
			writeError(w, r, status, http.StatusText(status), err.Error())
			return
		}
		png = res.PNG
	}
	hd := w.Header()
	hd.Set("Cache-Control", "public, max-age=86400")
	hd.Set("ETag", etag)
	if res != nil {
		hd.Set("X-Preview-Cache", "miss")
		hd.Set("Server-Timing", fmt.Sprintf("train;dur=%.1f, draw;dur=%.1f", ms(res.Train), ms(res.Draw)))
		hd.Set("X-Preview-Steps", strconv.Itoa(res.Steps)+"/"+strconv.Itoa(s.Steps))
		hd.Set("X-Preview-Plan", res.Plan.Mode.String())
	} else {
		hd.Set("X-Preview-Cache", "hit")
		hd.Set("Server-Timing", fmt.Sprintf("cache;dur=%.1f", ms(time.Since(start))))
	}
	writeBody(w, r, http.StatusOK, "image/png", png)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// client names the client of r for PerClient: Config.ClientHeader's value
// when set and present (for X-Forwarded-For, its last address: the one
// the proxy in front of this server saw), else the connection's address.
func (h *Handler) client(r *http.Request) string {
	if name := h.cfg.ClientHeader; name != "" {
		if v := r.Header.Values(name); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			if c := strings.TrimSpace(last); c != "" {
				return sanitize(c, 64)
			}
		}
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}

// render returns the preview of s, joining the flight for key or starting
// one. The request waits until the picture is drawn or ctx ends; leaving
// early does not end the flight for the others. The status goes with err.
func (p *previewer) render(ctx context.Context, s spec.Spec, key, client string) (*preview.Result, int, error) {
	p.mu.Lock()
	f, status, err := p.join(s, key, client)
	p.mu.Unlock()
	if err != nil {
		return nil, status, err
	}
	p.event("join", key)
	select {
	case <-f.done:
		p.leave(f, client)
		return f.res, f.status, f.err
	case <-ctx.Done():
		p.leave(f, client)
		return nil, http.StatusRequestTimeout, errGone
	}
}

// join adds a waiter from client to key's flight, starting the flight if
// there is none. p.mu is held.
func (p *previewer) join(s spec.Spec, key, client string) (*flight, int, error) {
	if p.closed {
		return nil, http.StatusServiceUnavailable, errShutdown
	}
	if until, ok := p.failed[key]; ok {
		if time.Now().Before(until) {
			return nil, http.StatusServiceUnavailable, errSlow
		}
		delete(p.failed, key)
	}
	f := p.inflight[key]
	if f == nil {
		// A new render: it must fit the client's share and the queue.
		if p.cfg.PerClient > 0 && p.perClient[client] >= p.cfg.PerClient {
			return nil, http.StatusTooManyRequests, errClientBusy
		}
		if p.queued >= p.cfg.QueueLen {
			return nil, http.StatusTooManyRequests, errBusy
		}
		ctx, cancel := context.WithCancel(p.life)
		f = &flight{key: key, done: make(chan struct{}), cancel: cancel, clients: map[string]int{}}
		p.inflight[key] = f
		p.queued++
		go p.run(ctx, f, s)
	}
	if f.clients[client] == 0 {
		p.perClient[client]++
	}
	f.clients[client]++
	f.waiters++
	p.waiters++
	return f, 0, nil
}

// leave removes a waiter from client; the last one to leave a flight that
// is not done ends it.
func (p *previewer) leave(f *flight, client string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.waiters--
	f.waiters--
	if f.clients[client]--; f.clients[client] == 0 {
		delete(f.clients, client)
		if p.perClient[client]--; p.perClient[client] <= 0 {
			delete(p.perClient, client)
		}
	}
	if f.waiters == 0 {
		select {
		case <-f.done:
		default:
			// Nobody wants it any more: stop it, and let the next request
			// for the key start afresh.
			f.cancel()
			if p.inflight[f.key] == f {
				delete(p.inflight, f.key)
			}
		}
	}
}

// run draws one flight: it waits for a slot, renders, caches the picture
// and closes f.done.
func (p *previewer) run(ctx context.Context, f *flight, s spec.Spec) {
	defer func() {
		p.mu.Lock()
		if f.drawing {
			p.drawing--
		} else {
			p.queued--
		}
		if p.inflight[f.key] == f {
			delete(p.inflight, f.key)
		}
		if p.closed && p.drawing == 0 && p.idle != nil {
			select {
			case <-p.idle:
			default:
				close(p.idle)
			}
		}
		p.mu.Unlock()
		f.cancel()
		close(f.done)
		p.event("done", f.key)
	}()
	t := time.NewTimer(p.cfg.QueueWait)
	defer t.Stop()
	select {
	case p.sem <- struct{}{}:
	case <-t.C:
		f.status, f.err = http.StatusTooManyRequests, errBusy
		return
	case <-p.closing:
		f.status, f.err = http.StatusServiceUnavailable, errShutdown
		return
	case <-ctx.Done():
		f.status, f.err = p.ended(ctx)
		return
	}
	defer func() { <-p.sem }()
	p.mu.Lock()
	if p.closed {
		// Shutdown began while this flight took the slot.
		p.mu.Unlock()
		f.status, f.err = http.StatusServiceUnavailable, errShutdown
		return
	}
	p.queued--
	p.drawing++
	f.drawing = true
	p.mu.Unlock()
	p.event("draw", f.key)

	f.res, f.status, f.err = p.draw(ctx, s)
	if f.err == nil {
		p.cache.add(f.key, f.res.PNG)
	}
	if f.err == errSlow {
		p.mu.Lock()
		p.noteFailed(f.key)
		p.mu.Unlock()
	}
}

// ended returns the status and error of a flight whose context ended.
func (p *previewer) ended(ctx context.Context) (int, error) {
	select {
	case <-p.closing:
		return http.StatusServiceUnavailable, errShutdown
	default:
	}
	return http.StatusRequestTimeout, errGone
}

// draw renders s under the budget and the safety timeout.
func (p *previewer) draw(ctx context.Context, s spec.Spec) (res *preview.Result, status int, err error) {
	defer func() {
		// A panic in the engine is a bug, but an experiment must never
		// take the host down: report it as unprocessable.
		if v := recover(); v != nil {
			res, status, err = nil, http.StatusUnprocessableEntity, fmt.Errorf("this experiment could not be drawn (%v)", v)
		}
	}()
	p.renders.Add(1)
	tctx, cancel := context.WithTimeout(ctx, p.cfg.Timeout)
	defer cancel()
	res, err = preview.Render(tctx, s, p.cfg.Budget, Title(s))
	switch {
	case err == nil:
		return res, http.StatusOK, nil
	case errors.Is(err, preview.ErrSpec):
		return nil, http.StatusUnprocessableEntity, err
	case ctx.Err() != nil:
		status, err := p.ended(ctx)
		return nil, status, err
	case tctx.Err() != nil:
		return nil, http.StatusServiceUnavailable, errSlow
	}
	return nil, http.StatusUnprocessableEntity, fmt.Errorf("this experiment could not be drawn: %v", err)
}

// maxFailed bounds the experiments remembered as too slow.
const maxFailed = 1024

// noteFailed remembers key as too slow to draw for FailTTL. p.mu is held.
func (p *previewer) noteFailed(key string) {
	now := time.Now()
	if len(p.failed) >= maxFailed {
		for k, until := range p.failed {
			if now.After(until) {
				delete(p.failed, k)
			}
		}
	}
	if len(p.failed) < maxFailed {
		p.failed[key] = now.Add(p.cfg.FailTTL)
	}
}

func (p *previewer) event(name, key string) {
	if p.testHook != nil {
		p.testHook(name, key)
	}
}

// PreviewLoad is a snapshot of the preview queue (the X-Preview-Load
// header of /healthz).
type PreviewLoad struct {
	// Drawing and Queued count renders holding a slot and waiting for
	// one; Waiting counts the requests waiting for either.
	Drawing, Queued, Waiting int
}

func (l PreviewLoad) String() string {
	return fmt.Sprintf("drawing=%d queued=%d waiting=%d", l.Drawing, l.Queued, l.Waiting)
}

func (p *previewer) load() PreviewLoad {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PreviewLoad{Drawing: p.drawing, Queued: p.queued, Waiting: p.waiters}
}

// shutdown stops taking previews: queued renders and every later request
// get 503 at once; renders being drawn go on until ctx ends, then are
// abandoned (their waiters get 503 too). It returns when no render is
// being drawn, or ctx's error if it had to abandon them.
func (p *previewer) shutdown(ctx context.Context) error {
	p.mu.Lock()
	if !p.closed {
		p.closed = true
		p.idle = make(chan struct{})
		close(p.closing)
		if p.drawing == 0 {
			close(p.idle)
		}
	}
	idle := p.idle
	p.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
	}
	p.stop()
	<-idle
	return ctx.Err()
}

// lru is a cache of byte slices bounded by entry count and total bytes.
type lru struct {
	mu         sync.Mutex
	maxN       int
	maxB, size int64
	ll         *list.List
	items      map[string]*list.Element
}

type lruEntry struct {
	key string
	val []byte
}

func newLRU(maxN int, maxB int64) *lru {
	return &lru{maxN: maxN, maxB: maxB, ll: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.items[key]; ok {
		c.ll.MoveToFront(e)
		return e.Value.(*lruEntry).val, true
	}
	return nil, false
}

func (c *lru) add(key string, val []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if int64(len(val)) > c.maxB {
		return
	}
	if e, ok := c.items[key]; ok {
		c.size += int64(len(val)) - int64(len(e.Value.(*lruEntry).val))
		e.Value.(*lruEntry).val = val
		c.ll.MoveToFront(e)
	} else {
		c.items[key] = c.ll.PushFront(&lruEntry{key, val})
		c.size += int64(len(val))
	}
	for c.ll.Len() > c.maxN || c.size > c.maxB {
		e := c.ll.Back()
		c.ll.Remove(e)
		ent := e.Value.(*lruEntry)
		delete(c.items, ent.key)
		c.size -= int64(len(ent.val))
	}
}
