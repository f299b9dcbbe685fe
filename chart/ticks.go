package chart

import (
	"math"
	"strconv"
	"strings"
)

// Ticks returns about n "nice" tick values (1, 2 or 5 times a power of
// ten apart) covering [lo, hi], all inside it.
func Ticks(lo, hi float64, n int) []float64 {
	if !(hi > lo) || n < 1 || math.IsInf(lo, 0) || math.IsInf(hi, 0) {
		if math.IsNaN(lo) || math.IsInf(lo, 0) {
			return nil
		}
		return []float64{lo}
	}
	step := niceStep((hi - lo) / float64(n))
	first := math.Ceil(lo/step - 1e-9)
	var out []float64
	for i := first; i*step <= hi+step*1e-9 && len(out) < 100; i++ {
		v := i * step
		if math.Abs(v) < step*1e-9 {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

// niceStep rounds a raw step up to 1, 2 or 5 times a power of ten.
func niceStep(raw float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch f := raw / p; {
	case f <= 1:
		return p
	case f <= 2:
		return 2 * p
	case f <= 5:
		return 5 * p
	}
	return 10 * p
}

// LogTicks returns the powers of ten within [lo, hi] (lo > 0).
func LogTicks(lo, hi float64) []float64 { return LogTicksN(lo, hi, 1000) }

// LogTicks125 returns the ticks of a log axis over [lo, hi] (lo > 0): the
// powers of ten, or on a range holding fewer than three of them, 1, 2 and
// 5 times the powers of ten.
func LogTicks125(lo, hi float64) []float64 {
	vs := LogTicks(lo, hi)
	if len(vs) >= 3 || !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return vs
	}
	vs = vs[:0]
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		for _, m := range []float64{1, 2, 5} {
			if v := m * math.Pow(10, e); v >= lo && v <= hi {
				vs = append(vs, v)
			}
		}
	}
	return vs
}

// LogTicksN returns at most about n powers of ten within [lo, hi]
// (lo > 0): every one, or every second, third, … decade when the range
// spans more than n of them.
func LogTicksN(lo, hi float64, n int) []float64 {
	if !(lo > 0) || !(hi >= lo) || math.IsInf(hi, 0) {
		return nil
	}
	e0, e1 := math.Ceil(math.Log10(lo)-1e-9), math.Floor(math.Log10(hi)+1e-9)
	every := math.Max(1, math.Ceil((e1-e0+1)/float64(max(n, 1))))
	var out []float64
	for e := e0; e <= e1; e += every {
		out = append(out, math.Pow(10, e))
	}
	return out
}

// Tick formats a tick value briefly: "0", "0.5", "-2", "1e-3", "10k",
// "2M", "1e12".
func Tick(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e4 && a < 1e6 && math.Mod(v, 1000) == 0:
		return strconv.FormatFloat(v/1000, 'g', -1, 64) + "k"
	case a >= 1e6 && a < 1e9 && math.Mod(v, 1e5) == 0:
		return strconv.FormatFloat(v/1e6, 'g', -1, 64) + "M"
	case a < 1e-2 || a >= 1e6:
		return expForm(v)
	}
	return strconv.FormatFloat(RoundSig(v, 6), 'g', -1, 64)
}

// ExpTick formats a tick value in exponent form, as Tick does for the
// very small and very large: "1e-3", "2.5e12", "1e6" (a log axis labels
// every power of ten so, rather than mixing 1M with 1e12).
func ExpTick(v float64) string { return expForm(v) }

// expForm writes v as "1e-3", "2.5e12": no plus sign, no leading zero in
// the exponent.
func expForm(v float64) string {
	s := strconv.FormatFloat(RoundSig(v, 6), 'e', -1, 64)
	mant, exp, _ := strings.Cut(s, "e")
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	exp = strings.TrimLeft(exp[1:], "0")
	if exp == "" {
		exp = "0"
	}
	return mant + "e" + sign + exp
}

// Num formats a live readout: up to 4 significant digits, "–" for NaN.
func Num(v float64) string {
	if math.IsNaN(v) {
		return "–"
	}
	if math.IsInf(v, 0) {
		if v > 0 {
			return "∞"
		}
		return "−∞"
	}
	return strconv.FormatFloat(RoundSig(v, 4), 'g', -1, 64)
}

// RoundSig rounds v to n significant digits.
func RoundSig(v float64, n int) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	s := strconv.FormatFloat(v, 'e', n-1, 64)
	r, _ := strconv.ParseFloat(s, 64)
	return r
}
