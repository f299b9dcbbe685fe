// Command nceserver serves the NCE Playground from one machine: the built
// site embedded in the binary (or a folder, with -dir) and the dynamic
// routes of server/routes.
//
//	nceserver [-addr 127.0.0.1:8080] [-dir web/site] [-public-url URL] [-quiet]
//	          [-preview-steps N] [-preview-timeout D] [-preview-cache-mb N]
//
// It logs one line per request to stderr and shuts down gracefully on
// SIGINT or SIGTERM. Its first line on stdout is "listening on http://ADDR".
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
	fl := flag.NewFlagSet("nceserver", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fl.String("dir", "", "serve the built site from this folder instead of the embedded one (re-read when it changes)")
	publicURL := fl.String("public-url", "", "origin for absolute links (og:image, oEmbed), e.g. https://nce.example; default: the request's")
	quiet := fl.Bool("quiet", false, "no access log")
	steps := fl.Int("preview-steps", routes.DefaultPreview.MaxSteps, "preview: cap on training steps")
	timeout := fl.Duration("preview-timeout", routes.DefaultPreview.Timeout, "preview: training time limit")
	cacheMB := fl.Int("preview-cache-mb", int(routes.DefaultPreview.CacheBytes>>20), "preview: cache size in MB (LRU)")
	if err := fl.Parse(args); err != nil {
		return err
	}

	cfg := routes.Config{PublicURL: *publicURL}
	cfg.Preview.MaxSteps, cfg.Preview.Timeout = *steps, *timeout
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

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "nceserver: shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
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
