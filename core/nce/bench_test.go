package nce

import "testing"

// The two standard workloads of the core issue. Each benchmark iteration
// is one training step; steps/s is reported beside ns/op, and allocs/op
// must be 0 once warm.
const (
	W1 = "batch=256"
	W2 = "target=ring&model=mlp&units=64&layers=2&k=8&batch=256&lr=0.001"
)

func benchSteps(b *testing.B, q string) {
	tr := newTrainer(b, q)
	if err := tr.Step(3); err != nil { // warm up
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := tr.Step(1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

func BenchmarkW1(b *testing.B) { benchSteps(b, W1) }
func BenchmarkW2(b *testing.B) { benchSteps(b, W2) }

// BenchmarkMetricsW2 measures one exact-metrics snapshot of W2 (what a UI
// pays to refresh kl, c and accuracy).
func BenchmarkMetricsW2(b *testing.B) {
	tr := newTrainer(b, W2)
	tr.Metrics()
	b.ResetTimer()
	for b.Loop() {
		tr.Metrics()
	}
}
