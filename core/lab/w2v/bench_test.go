package w2v

import "testing"

// Bench is the gensim comparison's setting (make bench-w2v): 200 words,
// window 2, dim 32, k = 5, the unigram^0.75 noise.
const Bench = "vocab=200&tokens=1000000&window=2&dim=32&k=5&epochs=1"

// BenchmarkTrain measures training throughput on Bench: each iteration
// trains 10⁴ centre words (4·10⁴ pair steps); pairs/s and tokens/s are
// reported, and allocs/op must be 0.
func BenchmarkTrain(b *testing.B) {
	tr := newTrainer(b, Bench, nil)
	tr.Step(1000) // warm
	b.ReportAllocs()
	b.ResetTimer()
	var pairs, tokens int64
	for b.Loop() {
		if tr.Done() {
			b.StopTimer()
			tr = newTrainer(b, Bench, nil)
			b.StartTimer()
		}
		p := tr.Progress()
		tr.Step(10000)
		q := tr.Progress()
		pairs += q.Pairs - p.Pairs
		tokens += q.Tokens - p.Tokens
	}
	b.ReportMetric(float64(pairs)/b.Elapsed().Seconds(), "pairs/s")
	b.ReportMetric(float64(tokens)/b.Elapsed().Seconds(), "tokens/s")
}
