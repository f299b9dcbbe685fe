package embed

import (
	"math"

	"nceplay/core/fmath"
)

// expTab[j] = 2^(j/256), j = 0 … 255, by core/fmath (within an ulp or
// two, the same on every platform).
var expTab [256]float64

func init() {
	for j := range expTab {
		expTab[j] = fmath.Exp(float64(j) * (math.Ln2 / 256))
	}
}

// ExpNeg returns e^x for x ≤ 0 (the terms of a softmax after its largest
// score is subtracted), within a few ulps: x = (256·k + j)·ln2/256 + y
// with |y| ≤ ln2/512, e^x = 2^k · 2^(j/256) · e^y, whose
// degree-4 Taylor polynomial is exact to 5e-17. It takes no division and
// no call, and returns 0 below −700 (e^−700 ≈ 1e−304, nothing beside a
// softmax's largest term e^0 = 1), x itself for NaN, and is meant for
// x ≤ 0 only (it is wrong beyond x ≈ 700). Every operation is +, × or bit
// manipulation: the same bits on every platform.
func ExpNeg(x float64) float64 {
	if !(x > -700) {
		if x != x {
			return x
		}
		return 0
	}
	// Cody and Waite's reduction: n·ln2Hi is exact (ln2Hi has 32
	// significant bits, |n| < 2¹⁸), so y keeps its precision for large |x|.
	const (
		scale = 256 / math.Ln2
		ln2Hi = 6.93147180369123816490e-01 / 256
		ln2Lo = 1.90821492927058770002e-10 / 256
	)
	r := x*scale + roundMagic
	nf := r - roundMagic
	n := int64(math.Float64bits(r) - roundMagicBits) // round(x·256/ln2)
	y := (x - nf*ln2Hi) - nf*ln2Lo
	p := 1 + y*(1+y*(0.5+y*(1.0/6+y*(1.0/24))))
	return expTab[n&255] * p * math.Float64frombits(uint64(n>>8+1023)<<52)
}
