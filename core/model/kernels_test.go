package model

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
)

// TestTanhAccuracy checks the tanh kernel against math.Tanh on millions
// of points: uniform over [−25, 25], log-uniform magnitudes from 1e-300
// to 30, and special values.
func TestTanhAccuracy(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 3_000_000
	if testing.Short() {
		n = 300_000
	}
	var maxAbsErr, maxRelErr float64
	var worstAbs, worstRel float64
	for i := range n {
		var x float64
		if i%2 == 0 {
			x = 50*r.Float64() - 25
		} else {
			x = math.Pow(10, -300+r.Float64()*301.5)
			if r.IntN(2) == 0 {
				x = -x
			}
		}
		// The lone-value path, and the pair path with a random partner.
		pair := [2]float64{x, 50*r.Float64() - 25}
		biasTanh(pair[:], zero2[:])
		for _, got := range []float64{tanh(x), pair[0]} {
			want := math.Tanh(x)
			if e := math.Abs(got - want); e > maxAbsErr {
				maxAbsErr, worstAbs = e, x
			}
			if e := math.Abs(got-want) / math.Abs(want); e > maxRelErr {
				maxRelErr, worstRel = e, x
			}
		}
	}
	t.Logf("max abs error %.3g at %v, max rel error %.3g at %v", maxAbsErr, worstAbs, maxRelErr, worstRel)
	if maxAbsErr > 6e-16 {
		t.Errorf("max abs error %g at x = %v", maxAbsErr, worstAbs)
	}
	if maxRelErr > 2e-14 {
		t.Errorf("max rel error %g at x = %v", maxRelErr, worstRel)
	}
	special := map[float64]float64{0: 0, 20: 1, -20: -1, 1e6: 1, -1e6: -1, math.Inf(1): 1, math.Inf(-1): -1, math.MaxFloat64: 1}
	for x, want := range special {
		pair := [2]float64{0.5, x}
		biasTanh(pair[:], zero2[:])
		// The lone value is exact at saturation, a pair within 1 ulp.
		if got := tanh(x); got != want || math.Abs(pair[1]-want) > 0x1p-52 {
			t.Errorf("tanh(%v) = %v and %v, want %v", x, got, pair[1], want)
		}
	}
	pair := [2]float64{math.NaN(), 1}
	biasTanh(pair[:], zero2[:])
	if !math.IsNaN(tanh(math.NaN())) || !math.IsNaN(pair[0]) {
		t.Error("tanh(NaN) is not NaN")
	}
}

var zero2 [2]float64

// TestTanhDerivative checks that 1 − tanh² is the derivative of the kernel
// as computed (central differences), so the MLP's backward pass matches
// its forward pass.
func TestTanhDerivative(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		x := 16*r.Float64() - 8
		const h = 1e-5
		fd := (tanh(x+h) - tanh(x-h)) / (2 * h)
		d := 1 - tanh(x)*tanh(x)
		if math.Abs(fd-d) > 1e-9 {
			t.Fatalf("at %v: finite difference %v, 1 − tanh² = %v", x, fd, d)
		}
	}
}

// TestExp2Table checks that exp2Tab[j] is 2^(j/64) correctly rounded.
func TestExp2Table(t *testing.T) {
	const prec = 300
	for j, got := range exp2Tab {
		// 2^(j/64) is the root of y^64 = 2^j; Newton in big floats.
		y := new(big.Float).SetPrec(prec).SetFloat64(math.Pow(2, float64(j)/64))
		target := new(big.Float).SetPrec(prec).SetMantExp(big.NewFloat(1), j)
		for range 8 {
			p := new(big.Float).SetPrec(prec).SetInt64(1)
			for range 63 {
				p.Mul(p, y)
			}
			// y ← y − (y·p − target)/(64·p)
			f := new(big.Float).SetPrec(prec).Mul(y, p)
			f.Sub(f, target)
			d := new(big.Float).SetPrec(prec).Mul(p, big.NewFloat(64))
			f.Quo(f, d)
			y.Sub(y, f)
		}
		want, _ := y.Float64()
		if got != want {
			t.Errorf("exp2Tab[%d] = %x, want %x", j, got, want)
		}
	}
}

// naiveGemmNT is gemmNT by the definition.
func naiveGemmNT(c []float64, ldc int, a, b []float64, m, n, k int, add bool) {
	for i := range m {
		for j := range n {
			s := 0.0
			for q := range k {
				s += a[i*k+q] * b[j*k+q]
			}
			if add {
				s += c[i*ldc+j]
			}
			c[i*ldc+j] = s
		}
	}
}

// TestGemmNT checks the blocked product against the definition, bit for
// bit (the sums run in the same order), on every small size and a stride.
func TestGemmNT(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for m := 1; m <= 9; m++ {
		for n := 1; n <= 7; n++ {
			for _, k := range []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 13, 64} {
				for _, add := range []bool{false, true} {
					ldc := n + 3
					a, b := randVec(r, m*k, 1), randVec(r, n*k, 1)
					c := randVec(r, m*ldc, 1)
					want := append([]float64(nil), c...)
					gemmNT(c, ldc, a, b, m, n, k, add)
					naiveGemmNT(want, ldc, a, b, m, n, k, add)
					for i := range c {
						if c[i] != want[i] {
							t.Fatalf("m=%d n=%d k=%d add=%v: c[%d] = %v, want %v", m, n, k, add, i, c[i], want[i])
						}
					}
				}
			}
		}
	}
}

// TestTranspose checks the transposed copy on awkward shapes.
func TestTranspose(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for rows := 1; rows <= 11; rows++ {
		for cols := 1; cols <= 11; cols++ {
			src := randVec(r, rows*cols, 1)
			dst := make([]float64, rows*cols)
			transpose(dst, src, rows, cols)
			for i := range rows {
				for j := range cols {
					if dst[j*rows+i] != src[i*cols+j] {
						t.Fatalf("%d×%d: dst[%d][%d] = %v, want %v", rows, cols, j, i, dst[j*rows+i], src[i*cols+j])
					}
				}
			}
		}
	}
}

// TestBiasTanhRow checks that biasTanh adds the bias before tanh and that
// every position of a row is computed alike.
func TestBiasTanhRow(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	z, b := randVec(r, 37, 4), randVec(r, 37, 1)
	want := make([]float64, len(z))
	for j := 0; j < len(z); j += 2 {
		v := [2]float64{z[j] + b[j]}
		if j+1 < len(z) {
			v[1] = z[j+1] + b[j+1]
			biasTanh(v[:], zero2[:])
			want[j], want[j+1] = v[0], v[1]
		} else {
			want[j] = tanh(v[0])
		}
	}
	biasTanh(z, b)
	for j := range z {
		if z[j] != want[j] {
			t.Fatalf("z[%d] = %v, want %v", j, z[j], want[j])
		}
	}
}

// tanh returns the hyperbolic tangent of x as biasTanh computes it for a
// lone value: the reference the kernel tests compare with.
func tanh(x float64) float64 {
	e := tanhExpm1(x)
	return e / (e + 2)
}
