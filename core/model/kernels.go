package model

import (
	"math"
	"unsafe"
)

// This file holds the numeric kernels of the models: an exact-enough tanh,
// a register-blocked matrix product and a transposed copy. They are written
// for Go's WebAssembly backend as much as for amd64 (see docs/architecture.md#wasm-speed,
// "Go's wasm code speed"): 4-row × 2-column blocks of running sums fit the
// 16 float registers, inner loops are unrolled 4×, and both operands of a
// product are contiguous along the summed index.
//
// Every sum is taken in one fixed order (index 0 upwards, one running sum
// per output, no FMA), so the results do not depend on the block an output
// falls in, on the number of points processed at once, or on the platform.

// Constants of the exponential inside tanh: e^y = 2^(k/64)·e^r with
// k = round(64·y/ln2) and |r| ≤ ln2/128.
const (
	expInvStep = 64 / math.Ln2      // 64/ln2
	expStep    = math.Ln2 / 64      // rounded; r = y − k·expStep is off by ≤ |k|·9e-19 ≤ 4e-15, damped in tanh by 2e^{−|y|}
	expMagic   = 0x1.8p52           // adding it rounds to an integer held in the low bits
	tanhClamp  = 20                 // tanh(20) rounds to 1
	expMagicHi = 0x4338000000000000 // math.Float64bits(expMagic)
)

// exp2Tab[j] = 2^(j/64), correctly rounded (checked by a test).
var exp2Tab = [64]float64{
	0x1p+00,               // 2^(0/64)
	0x1.02c9a3e778061p+00, // 2^(1/64)
	0x1.059b0d3158574p+00, // 2^(2/64)
	0x1.0874518759bc8p+00, // 2^(3/64)
	0x1.0b5586cf9890fp+00, // 2^(4/64)
	0x1.0e3ec32d3d1a2p+00, // 2^(5/64)
	0x1.11301d0125b51p+00, // 2^(6/64)
	0x1.1429aaea92dep+00,  // 2^(7/64)
	0x1.172b83c7d517bp+00, // 2^(8/64)
	0x1.1a35beb6fcb75p+00, // 2^(9/64)
	0x1.1d4873168b9aap+00, // 2^(10/64)
	0x1.2063b88628cd6p+00, // 2^(11/64)
	0x1.2387a6e756238p+00, // 2^(12/64)
	0x1.26b4565e27cddp+00, // 2^(13/64)
	0x1.29e9df51fdee1p+00, // 2^(14/64)
	0x1.2d285a6e4030bp+00, // 2^(15/64)
	0x1.306fe0a31b715p+00, // 2^(16/64)
	0x1.33c08b26416ffp+00, // 2^(17/64)
	0x1.371a7373aa9cbp+00, // 2^(18/64)
	0x1.3a7db34e59ff7p+00, // 2^(19/64)
	0x1.3dea64c123422p+00, // 2^(20/64)
	0x1.4160a21f72e2ap+00, // 2^(21/64)
	0x1.44e086061892dp+00, // 2^(22/64)
	0x1.486a2b5c13cdp+00,  // 2^(23/64)
	0x1.4bfdad5362a27p+00, // 2^(24/64)
	0x1.4f9b2769d2ca7p+00, // 2^(25/64)
	0x1.5342b569d4f82p+00, // 2^(26/64)
	0x1.56f4736b527dap+00, // 2^(27/64)
	0x1.5ab07dd485429p+00, // 2^(28/64)
	0x1.5e76f15ad2148p+00, // 2^(29/64)
	0x1.6247eb03a5585p+00, // 2^(30/64)
	0x1.6623882552225p+00, // 2^(31/64)
	0x1.6a09e667f3bcdp+00, // 2^(32/64)
	0x1.6dfb23c651a2fp+00, // 2^(33/64)
	0x1.71f75e8ec5f74p+00, // 2^(34/64)
	0x1.75feb564267c9p+00, // 2^(35/64)
	0x1.7a11473eb0187p+00, // 2^(36/64)
	0x1.7e2f336cf4e62p+00, // 2^(37/64)
	0x1.82589994cce13p+00, // 2^(38/64)
	0x1.868d99b4492edp+00, // 2^(39/64)
	0x1.8ace5422aa0dbp+00, // 2^(40/64)
	0x1.8f1ae99157736p+00, // 2^(41/64)
	0x1.93737b0cdc5e5p+00, // 2^(42/64)
	0x1.97d829fde4e5p+00,  // 2^(43/64)
	0x1.9c49182a3f09p+00,  // 2^(44/64)
	0x1.a0c667b5de565p+00, // 2^(45/64)
	0x1.a5503b23e255dp+00, // 2^(46/64)
	0x1.a9e6b5579fdbfp+00, // 2^(47/64)
	0x1.ae89f995ad3adp+00, // 2^(48/64)
	0x1.b33a2b84f15fbp+00, // 2^(49/64)
	0x1.b7f76f2fb5e47p+00, // 2^(50/64)
	0x1.bcc1e904bc1d2p+00, // 2^(51/64)
	0x1.c199bdd85529cp+00, // 2^(52/64)
	0x1.c67f12e57d14bp+00, // 2^(53/64)
	0x1.cb720dcef9069p+00, // 2^(54/64)
	0x1.d072d4a07897cp+00, // 2^(55/64)
	0x1.d5818dcfba487p+00, // 2^(56/64)
	0x1.da9e603db3285p+00, // 2^(57/64)
	0x1.dfc97337b9b5fp+00, // 2^(58/64)
	0x1.e502ee78b3ff6p+00, // 2^(59/64)
	0x1.ea4afa2a490dap+00, // 2^(60/64)
	0x1.efa1bee615a27p+00, // 2^(61/64)
	0x1.f50765b6e454p+00,  // 2^(62/64)
	0x1.fa7c1819e90d8p+00, // 2^(63/64)
}

// tanhExpm1 returns e^{2v} − 1 for v clamped to [−20, 20], the e of
// biasTanh's tanh v = e/(e+2), written out for one value. biasTanh
// repeats this body inline (as a function it is too big for Go's inliner,
// and a call per value costs as much as the arithmetic in wasm).
//
// e^{2v} = s·e^r with s = 2^(k/64) from a 64-entry table and the exponent
// bits, k = round(64·2v/ln2), and e^r − 1 = p by a degree-5 polynomial on
// |r| ≤ ln2/128. Then e = (s − 1) + s·p: s − 1 is exact when s ∈ [½, 2]
// and for k = 0 e = p(2v), so small |v| keeps its relative accuracy
// (1 − 2/(e^{2v}+1) would lose it); the worst case is where k turns ±1
// and the table's rounding meets cancellation. NaN gives NaN.
func tanhExpm1(v float64) float64 {
	if v > tanhClamp {
		v = tanhClamp
	}
	if v < -tanhClamp {
		v = -tanhClamp
	}
	y := v + v
	kf := y*expInvStep + expMagic // k in the low bits, rounded to nearest
	k := math.Float64bits(kf) - expMagicHi
	kf -= expMagic
	r := y - kf*expStep
	p := r * (1 + r*(1.0/2+r*(1.0/6+r*(1.0/24+r*(1.0/120)))))
	s := math.Float64frombits(math.Float64bits(exp2Tab[k&63]) + uint64(int64(k)>>6)<<52)
	return (s - 1) + s*p
}

// biasTanh sets z[j] = tanh(z[j] + b[j]) for j < len(z), with an absolute
// error below 6e-16 (3 ulp of 1) and a relative error below 2e-14 (a test checks it
// against math.Tanh on millions of points), identically on every platform.
//
// It takes the values in pairs, tanh v = e/(e+2) with e from tanhExpm1
// (inlined by hand), and shares one division between the two:
// t₀ = e₀·((e₁+2)·q), t₁ = e₁·((e₀+2)·q), q = 1/((e₀+2)(e₁+2)) — a
// division costs as much as the rest of the arithmetic in wasm, so this is
// 25% faster. So a value's last bits depend on its pair partner, z[j^1];
// the models always pair the same units of a point, so a point's energy
// does not depend on the batch it is in.
func biasTanh(z, b []float64) {
	b = b[:len(z)]
	j := 0
	for ; j+2 <= len(z); j += 2 {
		v0, v1 := z[j]+b[j], z[j+1]+b[j+1]
		if v0 > tanhClamp {
			v0 = tanhClamp
		}
		if v0 < -tanhClamp {
			v0 = -tanhClamp
		}
		if v1 > tanhClamp {
			v1 = tanhClamp
		}
		if v1 < -tanhClamp {
			v1 = -tanhClamp
		}
		y0, y1 := v0+v0, v1+v1
		kf0, kf1 := y0*expInvStep+expMagic, y1*expInvStep+expMagic
		k0, k1 := math.Float64bits(kf0)-expMagicHi, math.Float64bits(kf1)-expMagicHi
		kf0 -= expMagic
		kf1 -= expMagic
		r0, r1 := y0-kf0*expStep, y1-kf1*expStep
		p0 := r0 * (1 + r0*(1.0/2+r0*(1.0/6+r0*(1.0/24+r0*(1.0/120)))))
		p1 := r1 * (1 + r1*(1.0/2+r1*(1.0/6+r1*(1.0/24+r1*(1.0/120)))))
		s0 := math.Float64frombits(math.Float64bits(exp2Tab[k0&63]) + uint64(int64(k0)>>6)<<52)
		s1 := math.Float64frombits(math.Float64bits(exp2Tab[k1&63]) + uint64(int64(k1)>>6)<<52)
		e0, e1 := (s0-1)+s0*p0, (s1-1)+s1*p1
		d0, d1 := e0+2, e1+2
		q := 1 / (d0 * d1)
		z[j], z[j+1] = e0*(d1*q), e1*(d0*q)
	}
	if j < len(z) {
		e := tanhExpm1(z[j] + b[j])
		z[j] = e / (e + 2)
	}
}

// gemmNT computes the product of a (m×k) and the transpose of b (n×k),
// both row-major with row stride k: c[i·ldc+j] = Σ_{q<k} a[i·k+q]·b[j·k+q]
// for i < m, j < n, or adds that sum to c[i·ldc+j] when add is set. Each
// sum runs from q = 0 upwards in one running total, whatever block the
// output falls in.
func gemmNT(c []float64, ldc int, a, b []float64, m, n, k int, add bool) {
	if m <= 0 || n <= 0 {
		return
	}
	_ = c[(m-1)*ldc+n-1]
	a, b = a[:m*k], b[:n*k]
	i := 0
	for ; i+4 <= m; i += 4 {
		stripe4(c[i*ldc:], ldc, a[i*k:(i+4)*k], b, n, k, add)
	}
	for ; i < m; i++ {
		stripe1(c[i*ldc:i*ldc+n], a[i*k:(i+1)*k], b, k, add)
	}
}

// stripe4 is gemmNT for four rows of a (4×k, contiguous) and all n rows of
// b, in blocks of 4 rows × 2 columns.
func stripe4(c []float64, ldc int, a, b []float64, n, k int, add bool) {
	c0, c1, c2, c3 := c[:n], c[ldc:ldc+n], c[2*ldc:2*ldc+n], c[3*ldc:3*ldc+n]
	j := 0
	for ; j+2 <= n; j += 2 {
		s00, s01, s10, s11, s20, s21, s30, s31 := dot4x2(a, b[j*k:(j+2)*k], k)
		if add {
			s00 += c0[j]
			s01 += c0[j+1]
			s10 += c1[j]
			s11 += c1[j+1]
			s20 += c2[j]
			s21 += c2[j+1]
			s30 += c3[j]
			s31 += c3[j+1]
		}
		c0[j], c0[j+1] = s00, s01
		c1[j], c1[j+1] = s10, s11
		c2[j], c2[j+1] = s20, s21
		c3[j], c3[j+1] = s30, s31
	}
	if j < n {
		s0, s1, s2, s3 := dot4x1(a, b[j*k:(j+1)*k], k)
		if add {
			s0 += c0[j]
			s1 += c1[j]
			s2 += c2[j]
			s3 += c3[j]
		}
		c0[j], c1[j], c2[j], c3[j] = s0, s1, s2, s3
	}
}

// stripe1 is gemmNT for one row of a and the rows of b, len(c) of them.
func stripe1(c, a, b []float64, k int, add bool) {
	for j := range c {
		s := dot1(a, b[j*k:(j+1)*k])
		if add {
			s += c[j]
		}
		c[j] = s
	}
}

// dot1 returns Σ_q a[q]·b[q] over len(a) terms, from q = 0 upwards.
func dot1(a, b []float64) float64 {
	b = b[:len(a)]
	s := 0.0
	for q, v := range a {
		s += v * b[q]
	}
	return s
}

// dot4x1 returns the 4 dot products s_r = Σ_{q<k} a[r·k+q]·b[q] of the
// four rows of a (4×k) with b, each summed from q = 0 upwards (four
// independent running sums, so the additions overlap).
func dot4x1(a, b []float64, k int) (s0, s1, s2, s3 float64) {
	b = b[:k]
	a0, a1, a2, a3 := a[:k], a[k:2*k], a[2*k:3*k], a[3*k:4*k]
	for q, x := range b {
		s0 += a0[q] * x
		s1 += a1[q] * x
		s2 += a2[q] * x
		s3 += a3[q] * x
	}
	return
}

// dot4x2 returns the 8 dot products s_rc = Σ_{q<k} a[r·k+q]·b[c·k+q] of the
// four rows of a (4×k) with the two rows of b (2×k), each summed from q = 0
// upwards. It is the innermost kernel of every product: 8 running sums and
// 3 operands fit the 16 float registers of Go's wasm backend, and the loop
// is unrolled 4×. It reads through unsafe pointers, which natively saves
// the index arithmetic and bounds checks (1.3–1.4× faster on amd64; about
// even in wasm); every address it forms lies inside a or b, whose lengths
// are checked on entry.
func dot4x2(a, b []float64, k int) (s00, s01, s10, s11, s20, s21, s30, s31 float64) {
	if k <= 0 {
		return
	}
	a, b = a[:4*k], b[:2*k]
	row := uintptr(k) * 8
	a0 := unsafe.Pointer(&a[0])
	a1, a2, a3 := unsafe.Add(a0, row), unsafe.Add(a0, 2*row), unsafe.Add(a0, 3*row)
	b0 := unsafe.Pointer(&b[0])
	b1 := unsafe.Add(b0, row)
	o, end := uintptr(0), uintptr(k&^3)*8
	for ; o < end; o += 32 {
		p0, p1, p2, p3 := unsafe.Add(a0, o), unsafe.Add(a1, o), unsafe.Add(a2, o), unsafe.Add(a3, o)
		q0, q1 := unsafe.Add(b0, o), unsafe.Add(b1, o)
		x, y := *(*float64)(q0), *(*float64)(q1)
		v := *(*float64)(p0)
		s00 += v * x
		s01 += v * y
		v = *(*float64)(p1)
		s10 += v * x
		s11 += v * y
		v = *(*float64)(p2)
		s20 += v * x
		s21 += v * y
		v = *(*float64)(p3)
		s30 += v * x
		s31 += v * y
		x, y = *(*float64)(unsafe.Add(q0, 8)), *(*float64)(unsafe.Add(q1, 8))
		v = *(*float64)(unsafe.Add(p0, 8))
		s00 += v * x
		s01 += v * y
		v = *(*float64)(unsafe.Add(p1, 8))
		s10 += v * x
		s11 += v * y
		v = *(*float64)(unsafe.Add(p2, 8))
		s20 += v * x
		s21 += v * y
		v = *(*float64)(unsafe.Add(p3, 8))
		s30 += v * x
		s31 += v * y
		x, y = *(*float64)(unsafe.Add(q0, 16)), *(*float64)(unsafe.Add(q1, 16))
		v = *(*float64)(unsafe.Add(p0, 16))
		s00 += v * x
		s01 += v * y
		v = *(*float64)(unsafe.Add(p1, 16))
		s10 += v * x
		s11 += v * y
		v = *(*float64)(unsafe.Add(p2, 16))
		s20 += v * x
		s21 += v * y
		v = *(*float64)(unsafe.Add(p3, 16))
		s30 += v * x
		s31 += v * y
		x, y = *(*float64)(unsafe.Add(q0, 24)), *(*float64)(unsafe.Add(q1, 24))
		v = *(*float64)(unsafe.Add(p0, 24))
		s00 += v * x
		s01 += v * y
		v = *(*float64)(unsafe.Add(p1, 24))
		s10 += v * x
		s11 += v * y
		v = *(*float64)(unsafe.Add(p2, 24))
		s20 += v * x
		s21 += v * y
		v = *(*float64)(unsafe.Add(p3, 24))
		s30 += v * x
		s31 += v * y
	}
	for end = uintptr(k) * 8; o < end; o += 8 {
		x, y := *(*float64)(unsafe.Add(b0, o)), *(*float64)(unsafe.Add(b1, o))
		v := *(*float64)(unsafe.Add(a0, o))
		s00 += v * x
		s01 += v * y
		v = *(*float64)(unsafe.Add(a1, o))
		s10 += v * x
		s11 += v * y
		v = *(*float64)(unsafe.Add(a2, o))
		s20 += v * x
		s21 += v * y
		v = *(*float64)(unsafe.Add(a3, o))
		s30 += v * x
		s31 += v * y
	}
	return
}

// transpose sets dst[j·rows+i] = src[i·cols+j] for i < rows, j < cols:
// dst is the cols×rows transpose of the rows×cols matrix src. It moves
// 4×4 blocks (2.5× faster in wasm than one value at a time).
func transpose(dst, src []float64, rows, cols int) {
	if rows <= 0 || cols <= 0 {
		return
	}
	src, dst = src[:rows*cols], dst[:rows*cols]
	i := 0
	for ; i+4 <= rows; i += 4 {
		r0 := src[i*cols : (i+1)*cols]
		r1 := src[(i+1)*cols : (i+2)*cols]
		r2 := src[(i+2)*cols : (i+3)*cols]
		r3 := src[(i+3)*cols : (i+4)*cols]
		j := 0
		for ; j+4 <= cols; j += 4 {
			a, b, c, d := r0[j:j+4:j+4], r1[j:j+4:j+4], r2[j:j+4:j+4], r3[j:j+4:j+4]
			o := j*rows + i
			d0 := dst[o : o+4 : o+4]
			d0[0], d0[1], d0[2], d0[3] = a[0], b[0], c[0], d[0]
			o += rows
			d1 := dst[o : o+4 : o+4]
			d1[0], d1[1], d1[2], d1[3] = a[1], b[1], c[1], d[1]
			o += rows
			d2 := dst[o : o+4 : o+4]
			d2[0], d2[1], d2[2], d2[3] = a[2], b[2], c[2], d[2]
			o += rows
			d3 := dst[o : o+4 : o+4]
			d3[0], d3[1], d3[2], d3[3] = a[3], b[3], c[3], d[3]
		}
		for ; j < cols; j++ {
			o := j*rows + i
			d0 := dst[o : o+4 : o+4]
			d0[0], d0[1], d0[2], d0[3] = r0[j], r1[j], r2[j], r3[j]
		}
	}
	for ; i < rows; i++ {
		for j, v := range src[i*cols : (i+1)*cols] {
			dst[j*rows+i] = v
		}
	}
}
