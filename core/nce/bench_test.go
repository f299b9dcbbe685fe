package nce

import (
	"net/url"
	"testing"

	"nceplay/core/spec"
)

// The benchmarks' workloads, W1 and W2, are in workloads.go. Each
// benchmark iteration is one training step; steps/s is reported beside
// ns/op, and allocs/op must be 0 once warm.

// TestWorkloadsPinned: every experiment key relevant to W1 and W2 is given
// explicitly, so that no change of a default changes what the benchmarks
// measure.
func TestWorkloadsPinned(t *testing.T) {
	for _, q := range []string{W1, W2} {
		vals, err := url.ParseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		s := mustSpec(t, q)
		for i := range spec.Keys {
			k := &spec.Keys[i]
			if k.View || !k.Relevant(&s) {
				continue
			}
			if !vals.Has(k.Name) {
				t.Errorf("%q leaves key %s at its default (%s): spell it out", q, k.Name, k.Default)
			}
		}
	}
}

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
