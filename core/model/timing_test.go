package model

import (
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"
)

// TestTiming prints the best of several interleaved timings of the W2
// model step, its phases and the naive reference, when MODEL_TIMING is
// set. This machine's speed drifts by 2× within minutes, so ratios taken
// side by side in one run are more telling than separate benchmarks:
//
//	MODEL_TIMING=1 go test -count=1 -run Timing -v ./core/model/
//	MODEL_TIMING=1 GOOS=js GOARCH=wasm PATH="$(go env GOROOT)/lib/wasm:$PATH" go test -count=1 -run Timing -v ./core/model/
func TestTiming(t *testing.T) {
	if os.Getenv("MODEL_TIMING") == "" {
		t.Skip("set MODEL_TIMING=1 to run")
	}
	const n, u = w2Points, 64
	r := rand.New(rand.NewPCG(1, 1))
	m := NewMLP(2, u, 2)
	th := make([]float64, m.NumParams())
	m.Init(r, th)
	xs, dg := randVec(r, 2*n, 3), randVec(r, n, 1)
	g, grad := make([]float64, n), make([]float64, m.NumParams())
	tape := m.NewTape(n)
	a, b, c := randVec(r, n*u, 1), randVec(r, n*u, 1), make([]float64, n*u)
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
		{"  product 2304×64·(64×64)ᵀ", 5, func() { gemmNT(c, u, a, w, n, u, u, false) }},
		{"  product 64×2304·(64×2304)ᵀ", 5, func() { gemmNT(w, u, a, b, u, u, n, true) }},
		{"  tanh of 2304×64", 5, func() { activate(c, w[:u]) }},
		{"  transpose 2304×64", 5, func() { transpose(c, a, n, u) }},
		{"Energy of 2304 points", 5, func() { m.Energy(th, xs, g) }},
		{"naive reference step", 1, func() { naiveMLP(m, th, xs, dg) }},
	}
	best := make([]time.Duration, len(phases))
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
	for i, p := range phases {
		fmt.Printf("%-30s %8.3f ms  %7.1f /s\n", p.name, best[i].Seconds()*1e3, 1/best[i].Seconds())
	}
	fmt.Printf("naive/fast step time: %.1f\n", best[len(best)-1].Seconds()/best[0].Seconds())
}
