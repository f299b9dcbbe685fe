package density

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

// Normal returns a standard normal variate by Marsaglia and Tsang's
// ziggurat (2000), the 128-layer, 32-bit version that rand's NormFloat64
// uses, with tables built at start-up from core/fmath and a tail drawn with
// fmath.Log, so that it is bit-identical on every platform.
func Normal(r *rand.Rand) float64 {
	return normalFrom(r, int32(r.Uint32()))
}

// normalFrom finishes a ziggurat draw whose first 32 random bits are hz.
func normalFrom(r *rand.Rand, hz int32) float64 {
	for {
		iz := hz & 127
		x := float64(hz) * zigW[iz]
		if absInt32(hz) < zigK[iz] {
			return x // inside the layer's rectangle: ~98.8% of draws
		}
		if iz == 0 {
			// The tail beyond zigR, by Marsaglia's method.
			for {
				t := -fmath.Log(1-r.Float64()) / zigR
				y := -fmath.Log(1 - r.Float64())
				if y+y >= t*t {
					if hz > 0 {
						return zigR + t
					}
					return -zigR - t
				}
			}
		}
		// The wedge between the layer's rectangle and the curve.
		if zigF[iz]+r.Float64()*(zigF[iz-1]-zigF[iz]) < fmath.Exp(-0.5*x*x) {
			return x
		}
		hz = int32(r.Uint32())
	}
}

func absInt32(v int32) uint32 {
	if v < 0 {
		return uint32(-v)
	}
	return uint32(v)
}

// FillNormal fills dst with independent standard normal variates. Each
// 64-bit draw starts two ziggurat draws, one per half: PCG's 128-bit
// multiply is slow in wasm, and this halves the calls.
func FillNormal(r *rand.Rand, dst []float64) {
	i := 0
	for ; i+1 < len(dst); i += 2 {
		u := r.Uint64()
		dst[i] = normalFrom(r, int32(u>>32))
		dst[i+1] = normalFrom(r, int32(u))
	}
	if i < len(dst) {
		dst[i] = Normal(r)
	}
}

// The ziggurat's tables: zigK[i] the rectangle test bound, zigW[i] the
// scale from a 32-bit integer to x, zigF[i] the density at the layer edge.
var (
	zigK [128]uint32
	zigW [128]float64
	zigF [128]float64
)

const (
	zigR = 3.442619855899      // start of the tail
	zigV = 9.91256303526217e-3 // area of each layer
	zigM = 2147483648.0        // 2³¹
)

func init() {
	dn, tn := zigR, zigR
	q := zigV / fmath.Exp(-0.5*dn*dn)
	zigK[0] = uint32(dn / q * zigM)
	zigK[1] = 0
	zigW[0] = q / zigM
	zigW[127] = dn / zigM
	zigF[0] = 1
	zigF[127] = fmath.Exp(-0.5 * dn * dn)
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * fmath.Log(zigV/dn+fmath.Exp(-0.5*dn*dn)))
		zigK[i+1] = uint32(dn / tn * zigM)
		tn = dn
		zigF[i] = fmath.Exp(-0.5 * dn * dn)
		zigW[i] = dn / zigM
	}
}

// Exponential returns an Exp(1) variate by inversion, −log(1 − U) with U
// uniform on [0, 1).
func Exponential(r *rand.Rand) float64 {
	return -fmath.Log(1 - r.Float64())
}
