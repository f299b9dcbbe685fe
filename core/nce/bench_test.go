package nce

import (
	"net/url"
	"testing"

	"nceplay/core/spec"
)

// The two standard workloads of the core issue. Each benchmark iteration
// is one training step; steps/s is reported beside ns/op, and allocs/op
// must be 0 once warm.
//
// Every key that matters for the experiment is spelled out rather than
// left at its default: a changed default must not move the speed figures
// (TestWorkloadsPinned checks it). W1 is the seed experiment as it was
// when the speed targets were set (quartic, poly 4, nce, k = 10) with
// batch 256; W2 is a 2D mlp.
const (
	W1 = "v=1&target=quartic&noise=gauss&nscale=1&nshift=0&model=poly&deg=4&obj=nce&norm=learn" +
		"&k=10&n=10000&batch=256&opt=adam&lr=0.01&sched=const&steps=2000&seed=1"
	W2 = "v=1&target=ring&noise=gauss&nscale=1&nshift=0&model=mlp&units=64&layers=2&obj=nce&norm=learn" +
		"&k=8&n=10000&batch=256&opt=adam&lr=0.001&sched=const&steps=2000&seed=1"
)

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
