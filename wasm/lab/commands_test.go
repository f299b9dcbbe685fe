package main

import (
	"testing"

	"nceplay/core/lab"
	"nceplay/wasm/labengine"
)

// TestFramesCatchUpWithClicks: as in the playground (wasm/ui), a lab's
// frame posted before the worker handled the last Play, Pause or Step
// leaves the page as the click set it.
func TestFramesCatchUpWithClicks(t *testing.T) {
	s, err := lab.Open("lab=sweep&reps=4")
	if err != nil || s.Lab == nil {
		t.Fatalf("lab.Open: %v", err)
	}
	c := &Root{S: s}
	c.restart(false)
	c.Ready = true
	r, err := labengine.New(s.Query, nil)
	if err != nil {
		t.Fatal(err)
	}
	seq := 0 // the last command the "worker" handled
	frame := func(running bool) {
		f := r.Frame(c.gen, running, true)
		f.Seq = seq
		c.onMessage(f)
	}
	want := func(when, status string) {
		t.Helper()
		if got := c.Status(); got != status {
			t.Errorf("%s: status %q, want %q", when, got, status)
		}
	}
	frame(false)
	want("after the first frame", "paused")
	c.Play()
	frame(false)
	want("a frame from before Play", "training")
	seq = 1
	frame(true)
	c.Pause()
	frame(true)
	want("a frame from before Pause", "paused")
	seq = 2
	frame(true) // the worker says it trains (it decides once caught up)
	want("a frame from after Pause", "training")
}
