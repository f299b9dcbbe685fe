package routes

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"nceplay/core/spec"
	"nceplay/server/preview"
)

// PreviewConfig bounds what /preview.png may cost the host.
type PreviewConfig struct {
	// MaxSteps and MaxWork cap the training of one preview (see
	// preview.Options); Timeout stops it early.
	MaxSteps int
	MaxWork  float64
	Timeout  time.Duration
	// Concurrency is the number of previews drawn at once; QueueLen the
	// number of requests that may wait for a slot, each at most
	// QueueWait. Beyond them a request gets 429 with Retry-After.
	Concurrency int
	QueueLen    int
	QueueWait   time.Duration
	// CacheEntries and CacheBytes bound the LRU cache of drawn PNGs,
	// keyed by the spec's canonical experiment query.
	CacheEntries int
	CacheBytes   int64
}

// DefaultPreview is the Go server's preview budget: about 2 s of one
// core at most per distinct experiment, then served from the cache.
var DefaultPreview = PreviewConfig{
	MaxSteps:     300,
	MaxWork:      1e9,
	Timeout:      4 * time.Second,
	Concurrency:  max(1, runtime.GOMAXPROCS(0)/2),
	QueueLen:     64,
	QueueWait:    15 * time.Second,
	CacheEntries: 512,
	CacheBytes:   64 << 20,
}

func (c PreviewConfig) withDefaults() PreviewConfig {
	d := DefaultPreview
	if c.MaxSteps == 0 {
		c.MaxSteps = d.MaxSteps
	}
	if c.MaxWork == 0 {
		c.MaxWork = d.MaxWork
	}
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
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
	if c.CacheEntries == 0 {
		c.CacheEntries = d.CacheEntries
	}
	if c.CacheBytes == 0 {
		c.CacheBytes = d.CacheBytes
	}
	return c
}

// previewer draws previews within a PreviewConfig: an LRU cache, one
// render per key at a time (later requests wait for it), and a semaphore.
type previewer struct {
	cfg     PreviewConfig
	cache   *lru
	sem     chan struct{}
	waiting atomic.Int64
	// renders counts the previews drawn (tests).
	renders atomic.Int64

	mu       sync.Mutex
	inflight map[string]*flight
}

// A flight is one render that concurrent requests for its key share.
type flight struct {
	done   chan struct{}
	res    *preview.Result
	err    error
	status int // the HTTP status for err
}

func newPreviewer(cfg PreviewConfig) *previewer {
	return &previewer{
		cfg:      cfg,
		cache:    newLRU(cfg.CacheEntries, cfg.CacheBytes),
		sem:      make(chan struct{}, cfg.Concurrency),
		inflight: map[string]*flight{},
	}
}

// previewETag names a preview by its experiment and the budget that
// shaped it.
func (p *previewer) etag(key string) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "v1|%d|%g|%s", p.cfg.MaxSteps, p.cfg.MaxWork, key))
	return `"i-` + hex.EncodeToString(sum[:8]) + `"`
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
		res, status, err = p.render(r.Context(), s, key)
		if err != nil {
			if status == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "5")
			}
			writeError(w, r, status, http.StatusText(status), err.Error())
			return
		}
		png = res.PNG
	}
	hd := w.Header()
	if res != nil && (res.Truncated) {
		// Shaped by the machine's load: do not let it be kept long.
		hd.Set("Cache-Control", "public, max-age=60")
	} else {
		hd.Set("Cache-Control", "public, max-age=86400")
		hd.Set("ETag", etag)
	}
	if res != nil {
		hd.Set("Server-Timing", fmt.Sprintf("train;dur=%.1f, draw;dur=%.1f", ms(res.Train), ms(res.Draw)))
		hd.Set("X-Preview-Steps", strconv.Itoa(res.Steps)+"/"+strconv.Itoa(res.Planned))
	} else {
		hd.Set("Server-Timing", fmt.Sprintf("cache;dur=%.1f", ms(time.Since(start))))
	}
	writeBody(w, r, http.StatusOK, "image/png", png)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// render draws s, sharing the work with concurrent requests for the same
// key and respecting the concurrency limit. The status goes with err.
func (p *previewer) render(ctx context.Context, s spec.Spec, key string) (*preview.Result, int, error) {
	p.mu.Lock()
	if f, ok := p.inflight[key]; ok {
		p.mu.Unlock()
		select {
		case <-f.done:
			return f.res, f.status, f.err
		case <-ctx.Done():
			return nil, http.StatusRequestTimeout, ctx.Err()
		}
	}
	f := &flight{done: make(chan struct{})}
	p.inflight[key] = f
	p.mu.Unlock()

	f.res, f.status, f.err = p.renderNow(ctx, s, key)
	p.mu.Lock()
	delete(p.inflight, key)
	p.mu.Unlock()
	close(f.done)
	return f.res, f.status, f.err
}

// errBusy is the message of a 429.
var errBusy = errors.New("the server is drawing too many previews; retry in a few seconds")

func (p *previewer) renderNow(ctx context.Context, s spec.Spec, key string) (res *preview.Result, status int, err error) {
	if p.waiting.Add(1) > int64(p.cfg.QueueLen) {
		p.waiting.Add(-1)
		return nil, http.StatusTooManyRequests, errBusy
	}
	t := time.NewTimer(p.cfg.QueueWait)
	select {
	case p.sem <- struct{}{}:
		t.Stop()
		p.waiting.Add(-1)
	case <-t.C:
		p.waiting.Add(-1)
		return nil, http.StatusTooManyRequests, errBusy
	case <-ctx.Done():
		t.Stop()
		p.waiting.Add(-1)
		return nil, http.StatusRequestTimeout, ctx.Err()
	}
	defer func() { <-p.sem }()
	defer func() {
		// A panic in the engine is a bug, but an experiment must never
		// take the host down: report it as unprocessable.
		if v := recover(); v != nil {
			res, status, err = nil, http.StatusUnprocessableEntity, fmt.Errorf("this experiment could not be drawn (%v)", v)
		}
	}()
	p.renders.Add(1)
	o := preview.Options{MaxSteps: p.cfg.MaxSteps, MaxWork: p.cfg.MaxWork, Deadline: time.Now().Add(p.cfg.Timeout)}
	// The render does not stop when one client leaves: others may be
	// waiting for it, and its cost is bounded anyway.
	res, err = preview.Render(context.WithoutCancel(ctx), s, o, Title(s))
	switch {
	case errors.Is(err, preview.ErrSpec):
		return nil, http.StatusUnprocessableEntity, err
	case err != nil:
		return nil, http.StatusUnprocessableEntity, fmt.Errorf("this experiment could not be drawn: %v", err)
	}
	if !res.Truncated {
		p.cache.add(key, res.PNG)
	}
	return res, http.StatusOK, nil
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

// stats returns the entry count and total bytes.
func (c *lru) stats() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ll.Len(), c.size
}
