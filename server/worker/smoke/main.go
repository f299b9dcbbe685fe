// Command smoke checks the Worker (under wrangler dev) against the Go
// server: every case of server/conformance is sent to both, each answer
// is checked, and the two are compared. It serves the Go side itself,
// in-process on 127.0.0.1 with the same routes and the built site. The
// last line it prints is "N passed, N failed".
//
//	smoke -worker http://127.0.0.1:8787 [-site web/site] [-wait 90s] [-ready-only]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"time"

	"nceplay/server/conformance"
	"nceplay/server/routes"
)

func main() {
	worker := flag.String("worker", "", "the Worker's origin (wrangler dev)")
	site := flag.String("site", "web/site", "the built site, served by the Go side")
	wait := flag.Duration("wait", 90*time.Second, "how long to wait for the Worker to answer /healthz")
	readyOnly := flag.Bool("ready-only", false, "only wait until the Worker answers /healthz")
	flag.Parse()
	if *readyOnly {
		if err := waitReady(*worker, *wait); err != nil {
			fmt.Println("FAIL worker ready:", err)
			os.Exit(1)
		}
		return
	}
	passed, failed := run(*worker, *site, *wait)
	fmt.Printf("%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		os.Exit(1)
	}
}

func run(worker, site string, wait time.Duration) (passed, failed int) {
	b, err := os.ReadFile(filepath.Join(site, routes.ManifestName))
	var m routes.Manifest
	if err == nil {
		err = json.Unmarshal(b, &m)
	}
	if err != nil {
		fmt.Println("FAIL setup: reading the site's manifest:", err)
		return 0, 1
	}
	h, err := routes.New(routes.Config{Static: os.DirFS(site)})
	if err != nil {
		fmt.Println("FAIL setup:", err)
		return 0, 1
	}
	srv := httptest.NewServer(h) // 127.0.0.1, a free port
	defer srv.Close()

	if err := waitReady(worker, wait); err != nil {
		fmt.Println("FAIL worker ready:", err)
		return 0, 1
	}
	for _, c := range conformance.Cases(m) {
		g, err1 := conformance.Do(srv.URL, c)
		w, err2 := conformance.Do(worker, c)
		var bad []string
		switch {
		case err1 != nil:
			bad = append(bad, "go: "+err1.Error())
		case err2 != nil:
			bad = append(bad, "worker: "+err2.Error())
		default:
			for _, p := range conformance.Check(srv.URL, c, g) {
				bad = append(bad, "go: "+p)
			}
			for _, p := range conformance.Check(worker, c, w) {
				bad = append(bad, "worker: "+p)
			}
			bad = append(bad, conformance.Compare(c, srv.URL, g, worker, w)...)
		}
		name := c.Name
		if len(name) > 70 {
			name = name[:70] + "…"
		}
		if len(bad) > 0 {
			failed++
			fmt.Printf("FAIL %s\n    %s\n", name, strings.Join(bad, "\n    "))
			continue
		}
		passed++
		extra := ""
		if st := w.Header.Get("Server-Timing"); st != "" {
			extra = "  [worker " + st + "]"
		}
		fmt.Printf("ok   %s (go %d, worker %d)%s\n", name, g.Status, w.Status, extra)
	}
	return passed, failed
}

func waitReady(base string, limit time.Duration) error {
	if base == "" {
		return fmt.Errorf("no -worker URL")
	}
	deadline := time.Now().Add(limit)
	client := &http.Client{Timeout: 5 * time.Second}
	for {
		resp, err := client.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s/healthz did not answer 200 within %v: %v", base, limit, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}
