package main

import (
	"testing"

	"nceplay/core/spec"
	"nceplay/wasm/engine"
)

// TestFramesCatchUpWithClicks: a frame the worker posted before it
// handled the last Play, Pause or Step (still on its way when the user
// clicked) leaves the page as the click set it; a frame from after it
// decides. Before, such a frame put "training" back for a moment after
// Pause (and disabled Play), or "paused" after Play.
func TestFramesCatchUpWithClicks(t *testing.T) {
	s, err := spec.Parse("target=ring&model=mlp&units=8&layers=1&steps=100")
	if err != nil {
		t.Fatal(err)
	}
	c := &Root{S: s}
	c.restart(false)
	c.Ready = true
	r, err := engine.New(s.ExperimentQuery())
	if err != nil {
		t.Fatal(err)
	}
	seq := 0 // the last command the "worker" handled
	frame := func(running bool) {
		f := r.Frame(c.gen, running, c.F.Dim == 0)
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
	frame(false) // posted before the worker saw Play
	want("a frame from before Play", "training")
	seq = 1
	frame(true)
	c.Pause()
	frame(true) // on its way when the user paused
	want("a frame from before Pause", "paused")
	seq = 2
	frame(false)
	want("the worker paused", "paused")
	c.StepOnce()
	c.Play()
	seq = 3
	frame(false) // the step's frame, before the worker saw Play
	want("the step's frame after Play", "training")
	seq = 4
	frame(false) // the worker stopped by itself (a later frame decides)
	want("the worker stopped", "paused")
}
