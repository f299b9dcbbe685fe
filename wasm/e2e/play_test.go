package e2e

import (
	"math"
	"strings"
	"testing"
	"time"

	"nceplay/core/density"
)

// The default page trains: after play, c reaches the true log Z ≈ 0.3137
// (density.QuarticLogZ) within 0.05 and KL falls below 0.01.
func TestDefaultTrains(t *testing.T) {
	tb := newTab(t, 1280, 900)
	tb.open("/")
	tb.screenshot("default-start")
	if got := tb.metric("step"); got != 0 {
		t.Fatalf("step before play = %v, want 0", got)
	}
	tb.click("play")
	deadline := time.Now().Add(90 * time.Second)
	for {
		c, kl := tb.metric("c"), tb.metric("kl")
		if math.Abs(c-density.QuarticLogZ()) < 0.05 && kl < 0.01 {
			t.Logf("step %v: c = %v, kl = %v", tb.metric("step"), c, kl)
			break
		}
		if time.Now().After(deadline) {
			tb.screenshot("default-fail")
			t.Fatalf("after 90 s: step %v, c = %v, kl = %v", tb.metric("step"), c, kl)
		}
		time.Sleep(250 * time.Millisecond)
	}
	tb.screenshot("default")
	tb.noErrors()
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, u := range tb.requests {
		if !strings.HasPrefix(u, baseURL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			t.Errorf("request beyond the page's origin: %s", u)
		}
	}
}
