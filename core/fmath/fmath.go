// Package fmath holds the elementary functions the engine computes with,
// written so that they give bit-identical results on every platform.
//
// The standard library's math.Exp, math.Log and math.Hypot use assembly on
// amd64 and pure Go elsewhere (wasm included); the two can differ in the
// last bit, and training amplifies last-bit differences. docs/spec.md#determinism promises
// the same numbers natively and in WebAssembly, so every transcendental
// function in core goes through this package (a test in core enforces it).
// Functions here use only +, −, ×, ÷, sqrt and bit manipulation, which IEEE
// 754 defines exactly, and math functions that are pure Go on every
// platform (Log1p, Expm1, Float64bits …).
//
// Build note: Go may fuse x*y+z into an FMA on some architectures (arm64,
// ppc64, s390x, riscv64, amd64 with GOAMD64=v3). The reference platforms,
// amd64 (GOAMD64=v1, the default) and wasm, never fuse.
package fmath

import "math"

// Coefficients of the classic fdlibm exp and log kernels (Remez
// approximations on the reduced range).
const (
	ln2Hi = 6.93147180369123816490e-01
	ln2Lo = 1.90821492927058770002e-10
	log2e = 1.44269504088896338700e+00

	ep1 = 1.66666666666666657415e-01
	ep2 = -2.77777777770155933842e-03
	ep3 = 6.61375632143793436117e-05
	ep4 = -1.65339022054652515390e-06
	ep5 = 4.13813679705723846039e-08

	lg1 = 6.666666666666735130e-01
	lg2 = 3.999999999940941908e-01
	lg3 = 2.857142874366239149e-01
	lg4 = 2.222219843214978396e-01
	lg5 = 1.818357216161805012e-01
	lg6 = 1.531383769920937332e-01
	lg7 = 1.479819860511658591e-01

	expOverflow  = 7.09782712893383973096e+02
	expUnderflow = -7.45133219101941108420e+02
	nearZero     = 1.0 / (1 << 28)
)

// Exp returns e**x, within 1 ulp, identically on every platform.
func Exp(x float64) float64 {
	switch {
	case x != x:
		return x
	case x > expOverflow:
		return math.Inf(1)
	case x < expUnderflow:
		return 0
	case -nearZero < x && x < nearZero:
		return 1 + x
	}
	// Reduce: x = k·ln2 + r, |r| ≤ ln2/2 (up to rounding). Adding 1.5·2⁵²
	// rounds log2e·x to an integer held in the low mantissa bits: no
	// float-to-int conversion, which is slow in wasm.
	kf := log2e*x + roundMagic
	k := int(int64(math.Float64bits(kf) - roundMagicBits))
	kf -= roundMagic
	hi := x - kf*ln2Hi
	lo := kf * ln2Lo
	return expmulti(hi, lo, k)
}

const (
	roundMagic     = 0x1.8p52
	roundMagicBits = 0x4338000000000000 // math.Float64bits(roundMagic)
)

// expmulti returns e**r × 2**k where r = hi − lo and |r| ≤ ln2/2.
func expmulti(hi, lo float64, k int) float64 {
	r := hi - lo
	t := r * r
	c := r - t*(ep1+t*(ep2+t*(ep3+t*(ep4+t*ep5))))
	y := 1 - ((lo - (r*c)/(2-c)) - hi)
	if k >= -1021 && k <= 1023 {
		return y * math.Float64frombits(uint64(k+1023)<<52)
	}
	return math.Ldexp(y, k)
}

// Log returns the natural logarithm of x, within 1 ulp, identically on
// every platform. Log(0) = −Inf, Log(x<0) = NaN.
func Log(x float64) float64 {
	switch {
	case x != x || x > math.MaxFloat64:
		return x
	case x < 0:
		return math.NaN()
	case x == 0:
		return math.Inf(-1)
	}
	f1, ki := math.Frexp(x)
	if f1 < math.Sqrt2/2 {
		f1 *= 2
		ki--
	}
	f := f1 - 1
	k := float64(ki)
	s := f / (2 + f)
	s2 := s * s
	s4 := s2 * s2
	t1 := s2 * (lg1 + s4*(lg3+s4*(lg5+s4*lg7)))
	t2 := s4 * (lg2 + s4*(lg4+s4*lg6))
	R := t1 + t2
	hfsq := 0.5 * f * f
	return k*ln2Hi - ((hfsq - (s*(hfsq+R) + k*ln2Lo)) - f)
}

// Softplus returns log(1 + e^z), stable for every z: the loss of a logit z
// for label 0 is Softplus(z), for label 1 Softplus(−z) (docs/math.md#e3).
func Softplus(z float64) float64 {
	if z > 0 {
		if z > 36.8 { // e^{-z} < 1 ulp of z
			return z
		}
		return z + Log1pUnit(Exp(-z))
	}
	if z < -745 {
		return 0
	}
	return Log1pUnit(Exp(z))
}

// Sigmoid returns σ(z) = 1/(1 + e^{−z}), stable for every z.
func Sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + Exp(-z))
	}
	e := Exp(z)
	return e / (1 + e)
}

// LogSumExp returns log Σ exp(v_i) without overflow; −Inf for an empty or
// all −Inf slice.
func LogSumExp(v []float64) float64 {
	m := math.Inf(-1)
	for _, x := range v {
		if x > m {
			m = x
		}
	}
	if math.IsInf(m, 0) {
		return m
	}
	s := 0.0
	for _, x := range v {
		s += Exp(x - m)
	}
	return m + Log(s)
}

// SoftplusSigmoid returns Softplus(z) and Sigmoid(z) from one exponential:
// with e = exp(−|z|), softplus(z) = max(z, 0) + log1p(e) and
// σ(z) = 1/(1+e) for z ≥ 0, e/(1+e) otherwise. The loss of a logistic
// objective needs both for every point (docs/math.md#e3 and its gradient).
func SoftplusSigmoid(z float64) (sp, sig float64) {
	a := z
	if a < 0 {
		a = -a
	}
	e := Exp(-a)
	u := 1 + e
	r := 1 / u
	l := log1pKernel(e, u, r)
	if z >= 0 {
		return z + l, r
	}
	return l, e * r
}

// Log1pUnit returns log(1 + e) for 0 ≤ e ≤ 1 (the range softplus needs),
// within 2 ulp and several times faster than math.Log1p, with no division.
// With u = 1 + e rounded, u − 1 is exact and log(1+e) = log u + (e −
// (u−1))/u to first order in the tiny rounding residue. log u for u in
// [1, 2] is read from a table at c = 1 + j/128 (the top 7 mantissa bits)
// plus log1p(r) for r = (u − c)/c in [0, 1/128), a degree-8 series whose
// truncation error is below r⁹/9 < 2⁻⁶⁶. The table is filled with Log, so
// it is the same on every platform.
func Log1pUnit(e float64) float64 {
	u := 1 + e
	return log1pKernel(e, u, 1/u)
}

// log1pKernel is Log1pUnit given u = 1 + e and invU = 1/u (which softplus
// has at hand anyway: a division saved).
func log1pKernel(e, u, invU float64) float64 {
	if u == 1 {
		return e
	}
	corr := (e - (u - 1)) * invU
	b := math.Float64bits(u)
	if b>>52 != 1023 { // u = 2
		return math.Ln2 + corr
	}
	j := (b >> 45) & 127
	r := (u - (1 + float64(j)*(1.0/128))) * log1pInv[j]
	// Estrin's scheme: a shorter dependency chain than Horner's.
	r2 := r * r
	r4 := r2 * r2
	p := r * ((1 - 0.5*r) + r2*(1.0/3-0.25*r) + r4*((0.2-1.0/6*r)+r2*(1.0/7-0.125*r)))
	return log1pTab[j] + p + corr
}

// log1pTab[j] = log(1 + j/128) and log1pInv[j] = 1/(1 + j/128).
var log1pTab, log1pInv [128]float64

func init() {
	for j := range log1pTab {
		c := 1 + float64(j)/128
		log1pTab[j] = Log(c)
		log1pInv[j] = 1 / c
	}
}

// SoftplusSigmoidSum replaces every z[i] by σ(z[i]) and returns
// Σ Softplus(z[i]), summed in index order: the values are exactly those of
// SoftplusSigmoid, computed in one loop with the exponential and the
// logarithm written inline. Go's wasm code pays dearly for every call, and
// the logistic losses (docs/math.md#e3) need this for every point of every step.
func SoftplusSigmoidSum(z []float64) (sum float64) {
	for i, v := range z {
		a := v
		if a < 0 {
			a = -a
		}
		if !(a >= nearZero && a <= 708) { // NaN, tiny or huge: the general path
			sp, sig := SoftplusSigmoid(v)
			sum += sp
			z[i] = sig
			continue
		}
		// e = exp(−a), as Exp computes it (k ∈ [−1021, 0] here).
		x := -a
		kf := log2e*x + roundMagic
		k := int64(math.Float64bits(kf) - roundMagicBits)
		kf -= roundMagic
		hi := x - kf*ln2Hi
		lo := kf * ln2Lo
		r := hi - lo
		t := r * r
		c := r - t*(ep1+t*(ep2+t*(ep3+t*(ep4+t*ep5))))
		e := (1 - ((lo - (r*c)/(2-c)) - hi)) * math.Float64frombits(uint64(k+1023)<<52)
		// log1p(e), as log1pKernel computes it.
		u := 1 + e
		inv := 1 / u
		var l float64
		if u == 1 {
			l = e
		} else {
			corr := (e - (u - 1)) * inv
			b := math.Float64bits(u)
			if b>>52 != 1023 {
				l = math.Ln2 + corr
			} else {
				j := (b >> 45) & 127
				q := (u - (1 + float64(j)*(1.0/128))) * log1pInv[j]
				q2 := q * q
				q4 := q2 * q2
				p := q * ((1 - 0.5*q) + q2*(1.0/3-0.25*q) + q4*((0.2-1.0/6*q)+q2*(1.0/7-0.125*q)))
				l = log1pTab[j] + p + corr
			}
		}
		if v >= 0 {
			sum += v + l
			z[i] = inv
		} else {
			sum += l
			z[i] = e * inv
		}
	}
	return sum
}
