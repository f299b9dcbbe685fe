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
func LogTicks(lo, hi float64) []float64 {
	if !(lo > 0) || !(hi >= lo) {
		return nil
	}
	var out []float64
	for e := math.Ceil(math.Log10(lo) - 1e-9); e <= math.Log10(hi)+1e-9; e++ {
		out = append(out, math.Pow(10, e))
	}
	return out
}

// Tick formats a tick value briefly: "0", "0.5", "-2", "1e-3", "10k".
func Tick(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e4 && a < 1e6 && math.Mod(v, 1000) == 0:
		return strconv.FormatFloat(v/1000, 'g', -1, 64) + "k"
	case a >= 1e6 && math.Mod(v, 1e5) == 0:
		return strconv.FormatFloat(v/1e6, 'g', -1, 64) + "M"
	case a < 1e-2:
		s := strconv.FormatFloat(v, 'e', -1, 64)
		return strings.Replace(strings.Replace(s, "e-0", "e-", 1), "e+0", "e", 1)
	}
	return strconv.FormatFloat(RoundSig(v, 6), 'g', -1, 64)
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
