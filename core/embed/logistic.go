package embed

import "nceplay/core/fmath"

// The logistic table: nodes x_j = −logMax + j/logRes, j = 0 … logNodes−1,
// each holding softplus and σ with its first three derivatives.
const (
	logMax   = 16
	logRes   = 32
	logNodes = 2*logMax*logRes + 1

	roundMagic     = 0x1.8p52
	roundMagicBits = 0x4338000000000000 // math.Float64bits(roundMagic)
)

// logTab[j] = {softplus, σ, σ′, σ″, σ‴} at x_j, filled with core/fmath
// (so the same on every platform). The pair step (Contrast.Step) reads σ
// and softplus for |z| < 16 inline, 1 + k times per pair, by a cubic
// Taylor expansion at the nearest node, 1/32 apart: absolute error below
// 1e-9 for σ and softplus (far below an SGD step's noise) and relative
// error in σ′ below 1e-6 where the gradient lives (TestLogistic measures
// it); beyond |z| = 16 it takes their limits.
var logTab [logNodes][5]float64

func init() {
	for j := range logTab {
		x := -logMax + float64(j)/logRes
		s := fmath.Sigmoid(x)
		d1 := s * (1 - s)
		logTab[j] = [5]float64{fmath.Softplus(x), s, d1, d1 * (1 - 2*s), d1 * (1 - 6*d1)}
	}
}
