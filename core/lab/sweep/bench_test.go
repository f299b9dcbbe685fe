package sweep

import (
	"context"
	"runtime"
	"testing"
)

// BenchmarkSweep400 is the lab's speed target (docs/spec.md#lab-sweep):
// 400 repetitions × k ∈ {1, 3, 10, 30} on the default quartic with
// n = 1000, on every core (GOMAXPROCS goroutines; one under wasm, where a
// browser would run two workers). One iteration is the whole sweep.
func BenchmarkSweep400(b *testing.B) {
	sw := mustSweep(b, "reps=400")
	sw.Theory()
	for b.Loop() {
		if _, err := sw.Run(context.Background(), runtime.GOMAXPROCS(0), nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/sweep")
}

// BenchmarkRepetition is one repetition of that sweep on one worker: an
// MLE fit and four NCE fits (48,000 points of data and noise).
func BenchmarkRepetition(b *testing.B) {
	sw := mustSweep(b, "reps=400")
	w := sw.NewWorker(0, 1)
	for b.Loop() {
		if w.Done() {
			w = sw.NewWorker(0, 1)
		}
		for n := len(w.tasks); n > 0; n-- {
			w.Step(0)
		}
		w.Results()
	}
}
