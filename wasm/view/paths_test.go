package view

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// segments lists the straight pieces a path of M and L commands draws.
func segments(t *testing.T, d string) []string {
	t.Helper()
	var out []string
	last := ""
	for _, f := range strings.FieldsFunc(d, func(r rune) bool { return r == 'M' || r == 'L' }) {
		i := strings.Index(d, f)
		cmd := d[i-1]
		d = d[i+len(f):]
		if cmd == 'L' {
			out = append(out, last+"→"+f)
		}
		last = f
	}
	return out
}

// TestPaths checks that a long contour is cut into pieces Vugu can send,
// that the pieces draw the same segments, and that the label stays on
// the first piece only.
func TestPaths(t *testing.T) {
	// A ring contour on a fine grid: thousands of separate segments.
	res := 400
	vals := make([]float64, res*res)
	for j := range res {
		for i := range res {
			x, y := float64(i)/float64(res)-0.5, float64(j)/float64(res)-0.5
			vals[j*res+i] = math.Sin(40*math.Hypot(x, y)) + math.Cos(13*x)
		}
	}
	s := Scale{D0: 0, D1: 1, R0: 0, R1: 300}
	d := Contour(vals, res, 0.5, 0, 1, 0, 1, s, s)
	curve := Path([]float64{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, []float64{5, 4, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2}, Scale{D0: 0, D1: 11, R0: 0, R1: 300}, Scale{D0: 0, D1: 10, R0: 200, R1: 0})
	long := strings.Repeat(curve[strings.Index(curve, "L"):], 2000)
	long = curve[:strings.Index(curve, "L")] + long
	if len(d) < 4*MaxPathD || len(long) < 4*MaxPathD {
		t.Fatalf("test paths too short: %d, %d bytes", len(d), len(long))
	}
	in := []Line{{D: "M0 0L1 1", Class: "a", Label: "short"}, {D: d, Class: "contour", Label: "p̃ = ½"}, {D: long, Class: "curve", Label: "loss", Short: "L"}}
	out := Paths(in)
	if out[0] != in[0] {
		t.Errorf("a short path was changed: %+v", out[0])
	}
	for _, want := range in[1:] {
		var got []string
		first := true
		for _, l := range out {
			if l.Class != want.Class {
				continue
			}
			if len(l.D) > MaxPathD {
				t.Errorf("%s: a piece of %d bytes", want.Class, len(l.D))
			}
			if l.D[0] != 'M' {
				t.Errorf("%s: a piece starts with %q", want.Class, l.D[:1])
			}
			if first != (l.Label == want.Label) || !first && (l.Label != "" || l.Short != "") {
				t.Errorf("%s: label %q short %q on a piece (first %v)", want.Class, l.Label, l.Short, first)
			}
			first = false
			got = append(got, segments(t, l.D)...)
		}
		if w := segments(t, want.D); strings.Join(got, ";") != strings.Join(w, ";") {
			t.Errorf("%s: the pieces draw %d segments, the path %d", want.Class, len(got), len(w))
		}
	}
	if a := Paths(in[:1]); &a[0] != &in[0] {
		t.Error("short paths were copied")
	}
}

// TestPx: px writes what strconv writes for v rounded to tenths (but
// "0" for a negative zero).
func TestPx(t *testing.T) {
	for _, v := range []float64{0, -0.0, 0.04, -0.04, -0.05, 0.05, 1, -1, 12.34, -12.36, 99.95, 1e6 + 0.25, -7.5, 3.0000001, 1234567.89} {
		want := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
		if want == "-0" {
			want = "0"
		}
		if got := px(v); got != want {
			t.Errorf("px(%v) = %q, want %q", v, got, want)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		v := (r.Float64() - 0.5) * math.Pow(10, float64(r.IntN(8)))
		want := strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
		if got := px(v); got != want && want != "-0" {
			t.Fatalf("px(%v) = %q, want %q", v, got, want)
		}
	}
}
