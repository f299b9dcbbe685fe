package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"nceplay/server/conformance"
	"nceplay/server/routes"
)

// buildOnce builds the server and webbuild binaries and a site from
// web/static into a temporary folder shared by the tests of this package.
var buildOnce struct {
	sync.Once
	dir, server, site string
	err               error
}

func build(t testing.TB) (server, site string) {
	t.Helper()
	b := &buildOnce
	b.Do(func() {
		b.dir, b.err = os.MkdirTemp("", "nceserver-test-")
		if b.err != nil {
			return
		}
		b.server = filepath.Join(b.dir, "nceserver")
		b.site = filepath.Join(b.dir, "site")
		goroot := strings.TrimSpace(runCmd(&b.err, "go", "env", "GOROOT"))
		runCmd(&b.err, "go", "build", "-o", b.server, ".")
		runCmd(&b.err, "go", "run", "../../cmd/webbuild", "-src", "../../web/static", "-o", b.site,
			"-add", filepath.Join(goroot, "lib", "wasm", "wasm_exec.js"))
	})
	if b.err != nil {
		t.Fatal(b.err)
	}
	return b.server, b.site
}

func runCmd(err *error, name string, args ...string) string {
	if *err != nil {
		return ""
	}
	out, e := exec.Command(name, args...).CombinedOutput()
	if e != nil {
		*err = fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), e, out)
	}
	return string(out)
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildOnce.dir != "" {
		os.RemoveAll(buildOnce.dir)
	}
	os.Exit(code)
}

// server is a running nceserver process.
type server struct {
	cmd    *exec.Cmd
	base   string
	stderr *syncBuffer
	done   chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the binary on 127.0.0.1 with a free port and waits for its
// "listening on" line.
func start(t testing.TB, bin string, args ...string) *server {
	t.Helper()
	args = append([]string{"-addr", "127.0.0.1:0"}, args...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = s.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() {
		cmd.Process.Kill()
		<-s.done
	})
	select {
	case l, ok := <-line:
		if !ok || !strings.HasPrefix(l, "listening on http://127.0.0.1:") {
			t.Fatalf("first line %q; stderr:\n%s", l, s.stderr)
		}
		s.base = strings.TrimPrefix(l, "listening on ")
	case <-time.After(30 * time.Second):
		t.Fatalf("no listening line; stderr:\n%s", s.stderr)
	}
	return s
}

// stop sends SIGTERM and waits for a graceful exit.
func (s *server) stop(t testing.TB) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-s.done:
		s.done <- err // for the cleanup
		if err != nil {
			t.Errorf("exit after SIGTERM: %v; stderr:\n%s", err, s.stderr)
		}
	case <-time.After(15 * time.Second):
		t.Errorf("no exit 15 s after SIGTERM")
	}
}

func readManifest(t testing.TB, site string) routes.Manifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(site, routes.ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m routes.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestBinaryOverTCP starts the real binary on 127.0.0.1 and checks every
// conformance case (the same the Worker's smoke test checks), the access
// log, and the graceful shutdown.
func TestBinaryOverTCP(t *testing.T) {
	bin, site := build(t)
	s := start(t, bin, "-dir", site, "-preview-steps", "50")
	cases := conformance.Cases(readManifest(t, site))
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, c := range cases {
		a, err := conformance.Do(s.base, c)
		if err != nil {
			t.Errorf("%s: %v", c.Name, err)
			continue
		}
		if a.Status != c.Status[0] {
			t.Errorf("%s: status %d, want %d", c.Name, a.Status, c.Status[0])
		}
		for _, p := range conformance.Check(s.base, c, a) {
			t.Errorf("%s: %s", c.Name, p)
		}
	}
	// Oversized request headers are refused by net/http with a 4xx.
	req, _ := http.NewRequest("GET", s.base+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 100<<10))
	if resp, err := http.DefaultClient.Do(req); err == nil {
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("100 KB header: %d, want 431", resp.StatusCode)
		}
		resp.Body.Close()
	}
	s.stop(t)
	log := s.stderr.String()
	if !strings.Contains(log, "shutting down") {
		t.Errorf("no shutdown message:\n%s", log)
	}
	// One access-log line per request: client, method, quoted target, status, bytes, duration, agent.
	re := regexp.MustCompile(`(?m)^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d 127\.0\.0\.1:\d+ GET "/healthz" 200 3 [0-9.]+[µm]?s "nceplay-conformance"$`)
	if !re.MatchString(log) {
		t.Errorf("no access-log line for /healthz in:\n%.2000s", log)
	}
}

// TestEmbeddedSite checks the binary's embedded build, when `make site`
// has built one into web/site (otherwise the binary refuses to start
// without -dir, which is checked instead).
func TestEmbeddedSite(t *testing.T) {
	bin, _ := build(t)
	if _, err := os.Stat("../../web/site/manifest.json"); err != nil {
		out, err := exec.Command(bin, "-addr", "127.0.0.1:0").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "make site") {
			t.Errorf("without a built site: err %v, output %q", err, out)
		}
		return
	}
	s := start(t, bin, "-quiet")
	m := readManifest(t, "../../web/site")
	for _, c := range conformance.Cases(m) {
		if !c.Static && c.Name != "page default" && c.Name != "healthz" {
			continue
		}
		a, err := conformance.Do(s.base, c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range conformance.Check(s.base, c, a) {
			t.Errorf("%s: %s", c.Name, p)
		}
	}
	s.stop(t)
}
