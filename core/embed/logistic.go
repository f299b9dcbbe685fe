package embed

import (
	"math"

	"nceplay/core/fmath"
)

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
// (so the same on every platform).
var logTab [logNodes][5]float64

func init() {
	for j := range logTab {
		x := -logMax + float64(j)/logRes
		s := fmath.Sigmoid(x)
		d1 := s * (1 - s)
		logTab[j] = [5]float64{fmath.Softplus(x), s, d1, d1 * (1 - 2*s), d1 * (1 - 6*d1)}
	}
}

// Logistic returns σ(z) = 1/(1 + e^−z) and softplus(z) = log(1 + e^z),
// whose sum over a step is the binary-logistic loss (docs/math.md#e3): for
// |z| < 16 by a cubic Taylor expansion at the nearest of the table's
// nodes, 1/32 apart (absolute error below 1e-9 for σ and softplus, far
// below an SGD step's noise, and relative error in σ′ below 1e-6 where
// the gradient lives), and beyond by core/fmath. The pair step
// (Contrast.Step) writes the table path inline, 1 + k times per pair.
func Logistic(z float64) (sig, sp float64) {
	t := (z + logMax) * logRes
	if !(t >= 0 && t <= logNodes-1) { // NaN, or beyond the table
		sp, sig = fmath.SoftplusSigmoid(z)
		return sig, sp
	}
	r := t + roundMagic
	j := int(math.Float64bits(r) - roundMagicBits)
	d := (t - (r - roundMagic)) * (1.0 / logRes) // z − x_j, |d| ≤ 1/64
	e := &logTab[j]
	sig = e[1] + d*(e[2]+d*(0.5*e[3]+d*(1.0/6)*e[4]))
	sp = e[0] + d*(e[1]+d*(0.5*e[2]+d*(1.0/6)*e[3]))
	return sig, sp
}
