package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkLoad is the load benchmark of `make bench` (run it once:
// -benchtime 1x). Against the real binary on 127.0.0.1 it sends 20,000
// requests from 64 concurrent clients, a mix of static files, pages and
// previews of a few specs (drawn once, then cached), and requires zero
// errors; it reports p50/p99 latency and requests/s. Then it requests
// previews of many distinct specs and reports the server's resident
// memory, which the preview cache's bounds must keep in check.
func BenchmarkLoad(b *testing.B) {
	bin, site := build(b)
	// An 8 MB preview cache, so that the distinct-spec phase below evicts.
	s := start(b, bin, "-dir", site, "-quiet", "-preview-cache-mb", "8")
	m := readManifest(b, site)
	var static []string
	for name, f := range m.Files {
		if f.Immutable {
			static = append(static, "/"+name)
		}
	}
	slices.Sort(static)
	mix := append([]string{"/", "/?target=ring&model=mlp", "/embed?target=moons", "/healthz",
		"/oembed?url=" + s.base + "/%3Ftarget%3Dring"}, static...)
	previews := []string{"/preview.png", "/preview.png?target=gauss", "/preview.png?target=bimodal",
		"/preview.png?target=laplace", "/preview.png?target=gauss2d", "/preview.png?target=ring&steps=100",
		"/preview.png?k=3", "/preview.png?seed=2"}

	const total, clients = 20000, 64
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	lat := make([]time.Duration, total)
	var next, errs, bytes atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	b.ResetTimer()
	t0 := time.Now()
	for range clients {
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
				req, _ := http.NewRequest("GET", s.base+target, nil)
				req.Header.Set("Accept-Encoding", "br, gzip")
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
				if err != nil {
					errs.Add(1)
					firstErr.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	slices.Sort(lat)
	p50, p99 := lat[total/2], lat[total*99/100]
	rps := float64(total) / elapsed.Seconds()
	b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
	b.ReportMetric(rps, "req/s")
	b.ReportMetric(float64(errs.Load()), "errors")
	fmt.Printf("load: %d requests, %d clients, %d errors, %.1f s, %.0f req/s, p50 %.2f ms, p99 %.2f ms, max %.0f ms, %.1f MB read\n",
		total, clients, errs.Load(), elapsed.Seconds(), rps, ms(p50), ms(p99), ms(lat[total-1]), float64(bytes.Load())/1e6)
	if errs.Load() > 0 {
		b.Fatalf("%d errors, first: %v", errs.Load(), firstErr.Load())
	}

	// Memory: previews of many distinct specs (each drawn, then evicted
	// by the LRU's bounds), from 8 clients.
	const distinct = 300
	rss0 := rss(b, s)
	next.Store(0)
	var codes sync.Map
	t1 := time.Now()
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > distinct {
					return
				}
				resp, err := client.Get(s.base + "/preview.png?steps=40&seed=" + strconv.FormatInt(i, 10))
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
	s.stop(b)
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
