package model

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkW2Phases reports the best of several interleaved timings of the
// W2 model step, its phases and the naive reference, as metrics of one
// benchmark. This machine's speed drifts by 2× within minutes, so ratios
// taken side by side in one run are more telling than separate
// benchmarks:
//
//	go test -run '^$' -bench W2Phases -benchtime 1x ./core/model/
//	GOOS=js GOARCH=wasm PATH="$(go env GOROOT)/lib/wasm:$PATH" go test -run '^$' -bench W2Phases -benchtime 1x ./core/model/
func BenchmarkW2Phases(b *testing.B) {
	const n, u = w2Points, 64
	r := rand.New(rand.NewPCG(1, 1))
	m := NewMLP(2, u, 2)
	th := make([]float64, m.NumParams())
	m.Init(r, th)
	xs, dg := randVec(r, 2*n, 3), randVec(r, n, 1)
	g, grad := make([]float64, n), make([]float64, m.NumParams())
	tape := m.NewTape(n)
	pa, pb, pc := randVec(r, n*u, 1), randVec(r, n*u, 1), make([]float64, n*u)
	w := randVec(r, u*u, 0.2)
	type phase struct {
		name string
		reps int
		f    func()
	}
	phases := []phase{
		{"W2 step (Forward+Backward)", 5, func() { tape.Forward(th, xs, g); tape.Backward(th, dg, grad) }},
		{"  Forward", 5, func() { tape.Forward(th, xs, g) }},
		{"  Backward", 5, func() { tape.Backward(th, dg, grad) }},
		{"  product 2304×64·(64×64)ᵀ", 5, func() { gemmNT(pc, u, pa, w, n, u, u, false) }},
		{"  product 64×2304·(64×2304)ᵀ", 5, func() { gemmNT(w, u, pa, pb, u, u, n, true) }},
		{"  tanh of 2304×64", 5, func() { activate(pc, w[:u]) }},
		{"  transpose 2304×64", 5, func() { transpose(pc, pa, n, u) }},
		{"Energy of 2304 points", 5, func() { m.Energy(th, xs, g) }},
		{"naive reference step", 1, func() { naiveMLP(m, th, xs, dg) }},
	}
	best := make([]time.Duration, len(phases))
	for range b.N {
		for round := range 8 {
			for i, p := range phases {
				t0 := time.Now()
				for range p.reps {
					p.f()
				}
				if d := time.Since(t0) / time.Duration(p.reps); round == 0 || d < best[i] {
					best[i] = d
				}
			}
		}
	}
	for i, p := range phases {
		b.Logf("%-30s %8.3f ms  %7.1f /s", p.name, best[i].Seconds()*1e3, 1/best[i].Seconds())
	}
	b.ReportMetric(1/best[0].Seconds(), "steps/s")
	b.ReportMetric(best[len(best)-1].Seconds()/best[0].Seconds(), "naive/fast")
}
