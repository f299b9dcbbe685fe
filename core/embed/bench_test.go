package embed

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkStep is one pair step of word2vec's benchmark setting: 200
// words, dim 32, k = 5 negatives.
func BenchmarkStep(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const rows, dim, k = 200, 32, 5
	m := randomModel(r, rows, dim, false)
	c := NewContrast(rows, dim, k+1)
	ts := make([]int32, k+1)
	pick := make([][]int32, 1024)
	for i := range pick {
		p := make([]int32, k+1)
		for j := range p {
			p[j] = int32(r.IntN(rows))
		}
		pick[i] = p
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		copy(ts, pick[i&1023])
		c.Step(m, i%rows, ts, nil, 1e-3)
		i++
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pairs/s")
}

// BenchmarkSoftmax is one full-softmax step over 20000 rows, dim 32.
func BenchmarkSoftmax(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const centres, rows, dim = 200, 20000, 32
	m := randomConditional(r, centres, rows, dim, false, true)
	for i := range m.V {
		m.V[i] *= 0.1
	}
	s := NewSoftmax(rows, dim)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		s.Step(m, i%centres, (i*7919)%rows, 1e-3)
		i++
	}
}

// BenchmarkRank is one ranking step, dim 32, k = 25.
func BenchmarkRank(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	const centres, rows, dim, k = 200, 20000, 32, 25
	m := randomConditional(r, centres, rows, dim, false, true)
	c := NewContrast(rows, dim, k+1)
	ts := make([]int32, k+1)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		for j := range ts {
			ts[j] = int32(r.IntN(rows))
		}
		c.RankStep(m, i%centres, ts, nil, 1e-3)
		i++
	}
}
