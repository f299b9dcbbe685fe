package chart

import (
	"math"
	"strings"
	"testing"
)

func TestViridisEnds(t *testing.T) {
	if got := Viridis(0).Hex(); got != "#440154" {
		t.Errorf("Viridis(0) = %s", got)
	}
	if got := Viridis(1).Hex(); got != "#fde725" {
		t.Errorf("Viridis(1) = %s", got)
	}
	if got := Viridis(math.NaN()).Hex(); got != "#440154" {
		t.Errorf("Viridis(NaN) = %s", got)
	}
	if got, want := Viridis(0.0625), (RGB{0x46, 0x17, 0x68}); got != want {
		t.Errorf("Viridis(1/16) = %v, want %v", got, want)
	}
}

func TestTicks(t *testing.T) {
	cases := []struct {
		lo, hi float64
		n      int
		want   string
	}{
		{0, 1, 4, "0 0.5 1"}, {0, 1, 5, "0 0.2 0.4 0.6 0.8 1"},
		{-3, 3, 6, "-3 -2 -1 0 1 2 3"},
		{0, 2000, 3, "0 1000 2000"},
		{0.3, 0.8, 4, "0.4 0.6 0.8"},
	}
	for _, c := range cases {
		var s []string
		for _, v := range Ticks(c.lo, c.hi, c.n) {
			s = append(s, Tick(v))
		}
		if got := strings.Join(s, " "); got != c.want {
			t.Errorf("Ticks(%v, %v, %d) = %s, want %s", c.lo, c.hi, c.n, got, c.want)
		}
	}
	if got := LogTicks(1e-3, 2); len(got) != 4 || got[0] != 1e-3 || got[3] != 1 {
		t.Errorf("LogTicks = %v", got)
	}
	// Three decades or more: the powers of ten; fewer: 1, 2 and 5 times them.
	for _, c := range []struct {
		lo, hi float64
		want   string
	}{{1, 1000, "1 10 100 1000"}, {0.5, 2e4, "1 10 100 1000 10k"}, {3, 40, "5 10 20"},
		{0.015, 0.6, "0.02 0.05 0.1 0.2 0.5"}, {20, 30, "20"}, {21, 30, ""}, {0, 10, ""}, {5, 1, ""}} {
		var s []string
		for _, v := range LogTicks125(c.lo, c.hi) {
			s = append(s, Tick(v))
		}
		if got := strings.Join(s, " "); got != c.want {
			t.Errorf("LogTicks125(%v, %v) = %s, want %s", c.lo, c.hi, got, c.want)
		}
	}
	for v, want := range map[float64]string{20000: "20k", 0.001: "1e-3", 2e6: "2M", 1e12: "1e12", 1e6: "1M",
		2.5e-7: "2.5e-7", 3e9: "3e9", -0.005: "-5e-3", 2000: "2000", 0.25: "0.25"} {
		if got := Tick(v); got != want {
			t.Errorf("Tick(%g) = %q, want %q", v, got, want)
		}
	}
	// A KL that blew up spans many decades: every decade would crowd the
	// axis, so ticks skip decades.
	if got := LogTicksN(1e-4, 1e12, 5); len(got) > 6 || len(got) < 3 || got[0] != 1e-4 {
		t.Errorf("LogTicksN(1e-4, 1e12, 5) = %v", got)
	}
}

func TestNum(t *testing.T) {
	for v, want := range map[float64]string{0.31371: "0.3137", 12: "12", math.NaN(): "–", 0.000123456: "0.0001235"} {
		if got := Num(v); got != want {
			t.Errorf("Num(%v) = %q, want %q", v, got, want)
		}
	}
}
