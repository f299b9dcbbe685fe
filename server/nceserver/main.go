// Command nceserver serves the NCE Playground from one machine: the built
// site embedded in the binary (or a folder, with -dir) and the dynamic
// routes of server/routes.
//
//	nceserver [-addr 127.0.0.1:8080] [-dir web/site] [-public-url URL]
//	          [-client-header NAME] [-quiet] [-grace 10s]
//	          [-preview-steps N] [-preview-budget D] [-preview-timeout D]
//	          [-preview-concurrency N] [-preview-queue N] [-preview-queue-wait D]
//	          [-preview-per-client N]
//	          [-preview-cache-mb N]
//
// It logs one line per request to stderr and shuts down gracefully on
// SIGINT or SIGTERM (exit status 0): queued previews get 503 at once, the
// rest have -grace to finish. Its first line on stdout is "listening on
// http://ADDR".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"nceplay/server/routes"
	"nceplay/web"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "nceserver:", err)
		os.Exit(1)
	}
}

func run(args []string, stdout, stderr io.Writer) error {
	d := routes.DefaultPreview
	fl := flag.NewFlagSet("nceserver", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fl.String("dir", "", "serve the built site from this folder instead of the embedded one (re-read when it changes)")
	publicURL := fl.String("public-url", "", "the site's public origin, e.g. https://nce.example: every absolute link (og:image, oEmbed) uses it whatever the Host header; unset, only loopback hosts get links")
	clientHeader := fl.String("client-header", "", "behind a proxy: the header that holds the client's address (e.g. X-Forwarded-For), for -preview-per-client")
	quiet := fl.Bool("quiet", false, "no access log")
	grace := fl.Duration("grace", 10*time.Second, "on SIGINT/SIGTERM: time for requests in flight to finish")
	steps := fl.Int("preview-steps", d.Budget.MaxSteps, "preview: cap on training steps")
	budget := fl.Duration("preview-budget", time.Duration(d.Budget.Work), "preview: work budget, in estimated time on the reference machine (changes the pictures)")
	timeout := fl.Duration("preview-timeout", d.Timeout, "preview: safety stop; a render still running after it gets 503")
	conc := fl.Int("preview-concurrency", d.Concurrency, "preview: renders at once")
	queue := fl.Int("preview-queue", d.QueueLen, "preview: distinct renders that may wait for a slot (429 beyond)")
	queueWait := fl.Duration("preview-queue-wait", d.QueueWait, "preview: longest wait for a slot (then 429)")
	perClient := fl.Int("preview-per-client", d.PerClient, "preview: renders one client may have queued or drawing (429 beyond; -1: no cap)")
	cacheMB := fl.Int("preview-cache-mb", int(d.CacheBytes>>20), "preview: cache size in MB (LRU)")
	if err := fl.Parse(args); err != nil {
		return err
	}

	cfg := routes.Config{PublicURL: *publicURL, ClientHeader: *clientHeader}
	cfg.Preview.Budget.MaxSteps, cfg.Preview.Budget.Work = *steps, float64(*budget)
	cfg.Preview.Timeout, cfg.Preview.Concurrency, cfg.Preview.QueueLen = *timeout, *conc, *queue
	cfg.Preview.PerClient, cfg.Preview.QueueWait = *perClient, *queueWait
	cfg.Preview.CacheBytes = int64(max(1, *cacheMB)) << 20
	if *dir != "" {
		cfg.Static, cfg.Reload = os.DirFS(*dir), true
	} else {
		b, err := web.Site()
		if err != nil {
			return err
		}
		cfg.Static = b
	}
	h, err := routes.New(cfg)
	if err != nil {
		return err
	}
	var handler http.Handler = h
	if !*quiet {
		handler = accessLog(h, log.New(stderr, "", log.LstdFlags))
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(stderr, "nceserver: ", log.LstdFlags),
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(stdout, "listening on http://%s\n", ln.Addr())
	if *publicURL == "" {
		if ip, err := netip.ParseAddrPort(ln.Addr().String()); err == nil && !ip.Addr().IsLoopback() {
			fmt.Fprintln(stderr, "nceserver: -public-url is not set: only requests for loopback hosts get link-preview tags")
		}
	}

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	stop() // a second signal kills the process
	return shutdown(srv, h, errc, *grace, stderr)
}

// shutdown drains srv within grace: the listener closes, queued previews
// get 503 at once, renders in progress have until one second before the
// end of grace (then they are abandoned, 503 too), and the other requests
// in flight until its end; connections still open then are closed.
func shutdown(srv *http.Server, h *routes.Handler, errc <-chan error, grace time.Duration, stderr io.Writer) error {
	fmt.Fprintf(stderr, "nceserver: shutting down (grace %v)\n", grace)
	sctx, cancel := context.WithTimeout(context.Background(), grace)
	defer cancel()
	pctx, pcancel := context.WithTimeout(context.Background(), max(grace-time.Second, grace/2))
	defer pcancel()
	previews := make(chan error, 1)
	go func() { previews <- h.Shutdown(pctx) }()
	err := srv.Shutdown(sctx)
	if perr := <-previews; perr != nil {
		fmt.Fprintln(stderr, "nceserver: previews still drawing at the deadline were abandoned")
	}
	if err != nil {
		fmt.Fprintf(stderr, "nceserver: %v after %v; closing the connections still open\n", err, grace)
		srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stderr, "nceserver: stopped")
	return nil
}

// accessLog logs one line per request: client, method, target, status,
// bytes, duration, user agent.
func accessLog(next http.Handler, l *log.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		target := r.RequestURI
		if len(target) > 300 {
			target = target[:300] + "…"
		}
		l.Printf("%s %s %s %d %d %s %s", r.RemoteAddr, r.Method, strconv.Quote(target), rec.status, rec.bytes,
			time.Since(start).Round(10*time.Microsecond), strconv.Quote(r.UserAgent()))
	})
}

type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}
