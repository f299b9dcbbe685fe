package model

import (
	"math/rand/v2"
	"testing"
)

// w2Points is the W2 workload's step: batch 256 data points and 256·8
// noise points.
const w2Points = 256 + 256*8

// benchW2 runs one Forward and Backward of the W2 model (dim 2, units 64,
// layers 2) over w2Points points per iteration and reports steps/s.
func benchW2(b *testing.B, step func(th, xs, g, dg, grad []float64)) {
	m := NewMLP(2, 64, 2)
	r := rand.New(rand.NewPCG(1, 2))
	th := make([]float64, m.NumParams())
	m.Init(r, th)
	xs := randVec(r, 2*w2Points, 3)
	dg := randVec(r, w2Points, 1)
	g := make([]float64, w2Points)
	grad := make([]float64, m.NumParams())
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		step(th, xs, g, dg, grad)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}

// BenchmarkW2Model is the model part of a W2 training step.
func BenchmarkW2Model(b *testing.B) {
	tape := NewMLP(2, 64, 2).NewTape(w2Points)
	benchW2(b, func(th, xs, g, dg, grad []float64) {
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
	})
}

// BenchmarkW2ModelNaive is the same step with the plain-loop reference, for
// the speed ratio.
func BenchmarkW2ModelNaive(b *testing.B) {
	m := NewMLP(2, 64, 2)
	benchW2(b, func(th, xs, g, dg, grad []float64) {
		naiveMLP(m, th, xs, dg)
	})
}

// BenchmarkW2Energy is Energy over the same points.
func BenchmarkW2Energy(b *testing.B) {
	m := NewMLP(2, 64, 2)
	benchW2(b, func(th, xs, g, dg, grad []float64) {
		m.Energy(th, xs, g)
	})
}

// BenchmarkRBF2D is a W2-sized step of the 2D RBF model with the default
// 32 centres per axis (1024 parameters).
func BenchmarkRBF2D(b *testing.B) {
	m := NewRBF(2, 32, testBox)
	r := rand.New(rand.NewPCG(1, 2))
	th := randVec(r, m.NumParams(), 1)
	xs := randPoints(r, w2Points, 2)
	dg := randVec(r, w2Points, 1)
	g := make([]float64, w2Points)
	grad := make([]float64, m.NumParams())
	tape := m.NewTape(w2Points)
	b.ReportAllocs()
	for b.Loop() {
		tape.Forward(th, xs, g)
		tape.Backward(th, dg, grad)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
}
