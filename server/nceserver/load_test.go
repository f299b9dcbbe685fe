package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"nceplay/server/routes"
)

// BenchmarkLoad is the load benchmark of `make bench` (run it once:
// -benchtime 1x). Against the real binary on 127.0.0.1 it sends 20,000
// requests from 64 concurrent clients, a mix of static files, pages and
// previews of a few specs (drawn once, then cached), and requires zero
// errors; it reports p50/p99 latency and requests/s. The clients stand
// for 64 users behind a proxy (-client-header X-Forwarded-For, one
// address each), so the per-client preview cap applies to each. Then it
// requests previews of many distinct specs and reports the server's
// resident memory, which the preview cache's bounds must keep in check.
func BenchmarkLoad(b *testing.B) {
	bin, site := build(b)
	// An 8 MB preview cache, so that the distinct-spec phase below evicts.
	s := start(b, bin, "-dir", site, "-quiet", "-preview-cache-mb", "8", "-client-header", "X-Forwarded-For")
	m := readManifest(b, site)
	b.ResetTimer()
	client := loadMix(b, s.base, m, loadOptions{clients: 64, static: true, xff: true})
	b.StopTimer()
	// The mix of BenchmarkLoadWorker (no static files, 32 clients), to
	// set beside the Worker's figures.
	loadMix(b, s.base, m, loadOptions{clients: 32, xff: true})
	memoryPhase(b, s, client)
	s.stop(b)
}

// BenchmarkLoadWorker runs the mix of the Worker's own routes (pages,
// oEmbed, health and previews; the static files are Workers Static
// Assets, not the Worker) against the Worker under wrangler dev (`make
// bench-worker` starts it and sets NCE_WORKER_URL). NCE_LOAD_CLIENTS sets
// the number of clients (make bench-worker: 32; at 64, wrangler dev
// 4.86's proxy loses its connection to the Worker within seconds — 500
// "Network connection lost" — and stops listening).
func BenchmarkLoadWorker(b *testing.B) {
	base := os.Getenv("NCE_WORKER_URL")
	if base == "" {
		b.Skip("NCE_WORKER_URL is not set (make bench-worker sets it)")
	}
	clients := 64
	if v, err := strconv.Atoi(os.Getenv("NCE_LOAD_CLIENTS")); err == nil && v > 0 {
		clients = v
	}
	// Under wrangler dev every request runs in one isolate, one at a
	// time, and a preview's first draw holds it for a second or more;
	// many clients asking for the same undrawn preview at once would each
	// draw it (instances share nothing but the Cache API). So the mix's
	// previews are drawn once first, one after the other, as a colo
	// would after its first requests.
	for _, p := range loadPreviews {
		t0 := time.Now()
		resp, err := http.Get(base + p)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		fmt.Printf("warm-up %s: %d %s in %.0f ms (%s)\n", p, resp.StatusCode, resp.Header.Get("X-Preview-Cache"),
			ms(time.Since(t0)), resp.Header.Get("Server-Timing"))
	}
	b.ResetTimer()
	loadMix(b, base, routes.Manifest{}, loadOptions{clients: clients})
}

// loadPreviews are the previews of the load mix.
var loadPreviews = []string{"/preview.png", "/preview.png?target=gauss", "/preview.png?target=bimodal",
	"/preview.png?target=laplace", "/preview.png?target=gauss2d", "/preview.png?target=ring&steps=100",
	"/preview.png?k=3", "/preview.png?seed=2"}

// loadOptions shape the mix: the number of clients, whether the build's
// static files are in it, and whether each client sends its own
// X-Forwarded-For address (not to wrangler dev, whose proxy then drops
// its connection to the Worker).
type loadOptions struct {
	clients     int
	static, xff bool
}

// loadMix sends the 20,000 requests of the mix to base and reports the
// figures; it fails the benchmark on any error.
func loadMix(b *testing.B, base string, m routes.Manifest, o loadOptions) *http.Client {
	var static []string
	for name, f := range m.Files {
		if f.Immutable && o.static {
			static = append(static, "/"+name)
		}
	}
	slices.Sort(static)
	mix := append([]string{"/", "/?target=ring&model=mlp", "/embed?target=moons", "/healthz",
		"/oembed?url=" + url.QueryEscape(base+"/?target=ring")}, static...)
	previews := loadPreviews

	const total = 20000
	clients := o.clients
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	lat := make([]time.Duration, total)
	var next, errs, bytes, nPreviews atomic.Int64
	var previewLat [total / 5]time.Duration
	var firstErr atomic.Value
	var wg sync.WaitGroup
	t0 := time.Now()
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= total {
					return
				}
				target := mix[int(i)%len(mix)]
				if i%5 == 0 { // one request in five is a preview
					target = previews[int(i/5)%len(previews)]
				}
				req, _ := http.NewRequest("GET", base+target, nil)
				req.Header.Set("Accept-Encoding", "br, gzip")
				if o.xff {
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.0.%d.%d", c/256, c%256))
				}
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					var n int64
					n, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					bytes.Add(n)
					if err == nil && resp.StatusCode != 200 {
						err = fmt.Errorf("%s: status %d", target, resp.StatusCode)
					}
				}
				lat[i] = time.Since(start)
				if i%5 == 0 {
					previewLat[nPreviews.Add(1)-1] = lat[i]
				}
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	slices.Sort(lat)
	pl := previewLat[:nPreviews.Load()]
	slices.Sort(pl)
	p50, p99 := lat[total/2], lat[total*99/100]
	rps := float64(total) / elapsed.Seconds()
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(errs.Load()), "errors")
	fmt.Printf("load: %d requests, %d clients, %d errors, %.1f s, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.0f ms, %.1f MB read; previews p50 %.2f ms, p99 %.2f ms\n",
		total, clients, errs.Load(), elapsed.Seconds(), rps, ms(p50), ms(p99), ms(lat[total-1]), float64(bytes.Load())/1e6,
		ms(pl[len(pl)/2]), ms(pl[len(pl)*99/100]))
	if errs.Load() > 0 {
		b.Fatalf("%d errors, first: %v", errs.Load(), firstErr.Load())
	}
	return client
}

// memoryPhase requests previews of many distinct specs from 8 clients
// (each drawn, then evicted by the LRU's bounds) and reports the server's
// memory.
func memoryPhase(b *testing.B, s *server, client *http.Client) {
	var next atomic.Int64
	var wg sync.WaitGroup
	const distinct = 300
	rss0 := rss(b, s)
	var codes sync.Map
	t1 := time.Now()
	for c := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > distinct {
					return
				}
				req, _ := http.NewRequest("GET", s.base+"/preview.png?steps=40&seed="+strconv.FormatInt(i, 10), nil)
				req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.1.0.%d", c))
				resp, err := client.Do(req)
				code := 0
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					code = resp.StatusCode
				}
				v, _ := codes.LoadOrStore(code, new(atomic.Int64))
				v.(*atomic.Int64).Add(1)
			}
		}()
	}
	wg.Wait()
	var summary []string
	codes.Range(func(k, v any) bool {
		summary = append(summary, fmt.Sprintf("%d×%d", v.(*atomic.Int64).Load(), k))
		return true
	})
	slices.Sort(summary)
	rss1, hwm := rss(b, s), hwm(b, s)
	fmt.Printf("memory: %d distinct previews in %.1f s (statuses %s): RSS %.0f MB before, %.0f MB after, peak %.0f MB\n",
		distinct, time.Since(t1).Seconds(), strings.Join(summary, " "), rss0, rss1, hwm)
	b.ReportMetric(hwm, "peak-RSS-MB")
	if hwm > 512 {
		b.Errorf("peak RSS %.0f MB: memory is not bounded", hwm)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// rss and hwm read the server's resident and peak resident memory in MB.
func rss(b *testing.B, s *server) float64 { return procStatus(b, s, "VmRSS:") }
func hwm(b *testing.B, s *server) float64 { return procStatus(b, s, "VmHWM:") }

func procStatus(b *testing.B, s *server, key string) float64 {
	data, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(s.cmd.Process.Pid), "status"))
	if err != nil {
		b.Logf("no /proc: %v", err)
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, key) {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
