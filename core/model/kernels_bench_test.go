package model

import (
	"math/rand/v2"
	"testing"
)

// BenchmarkGemm2304x64x64 is one of the W2 model's three big products.
func BenchmarkGemm2304x64x64(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	a, w := randVec(r, 2304*64, 1), randVec(r, 64*64, 1)
	c := make([]float64, 2304*64)
	for range b.N {
		gemmNT(c, 64, a, w, 2304, 64, 64, false)
	}
	b.ReportMetric(2*2304*64*64*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkGemm64x64x2304 is the weight-gradient product (long sums).
func BenchmarkGemm64x64x2304(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	a, w := randVec(r, 2304*64, 1), randVec(r, 2304*64, 1)
	c := make([]float64, 64*64)
	for range b.N {
		gemmNT(c, 64, a, w, 64, 64, 2304, true)
	}
	b.ReportMetric(2*2304*64*64*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
}

// BenchmarkTanh2304x64 is one hidden layer's activation.
func BenchmarkTanh2304x64(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	z, bias := randVec(r, 2304*64, 2), randVec(r, 64, 0.1)
	for range b.N {
		activate(z, bias)
	}
	b.ReportMetric(float64(b.N)*2304*64/b.Elapsed().Seconds()/1e6, "Mtanh/s")
}

// BenchmarkTranspose2304x64 is one transposed copy.
func BenchmarkTranspose2304x64(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 1))
	a := randVec(r, 2304*64, 1)
	c := make([]float64, 2304*64)
	for range b.N {
		transpose(c, a, 2304, 64)
	}
}
