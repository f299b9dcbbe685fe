package dist

import (
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// The variates below replace rand's NormFloat64 and ExpFloat64, whose
// ziggurat tails call math.Log and math.Exp: those are assembly on amd64
// and pure Go in wasm, and may round differently, so the same seed could
// draw different samples natively and in the browser. These use only
// Float64, arithmetic, sqrt and core/fmath, and are bit-identical
// everywhere.

// NormalPair returns two independent standard normal variates by
// Marsaglia's polar method (acceptance π/4).
func NormalPair(r *rand.Rand) (float64, float64) {
	for {
		u := 2*r.Float64() - 1
		v := 2*r.Float64() - 1
		s := u*u + v*v
		if s < 1 && s > 0 {
			f := math.Sqrt(-2 * fmath.Log(s) / s)
			return u * f, v * f
		}
	}
}

// Normal returns a standard normal variate (one of a NormalPair).
func Normal(r *rand.Rand) float64 {
	z, _ := NormalPair(r)
	return z
}

// FillNormal fills dst with independent standard normal variates, two per
// polar draw.
func FillNormal(r *rand.Rand, dst []float64) {
	i := 0
	for ; i+1 < len(dst); i += 2 {
		dst[i], dst[i+1] = NormalPair(r)
	}
	if i < len(dst) {
		dst[i] = Normal(r)
	}
}

// Exponential returns an Exp(1) variate by inversion, −log(1 − U) with U
// uniform on [0, 1).
func Exponential(r *rand.Rand) float64 {
	return -fmath.Log(1 - r.Float64())
}
