package dataset

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"nceplay/core/density"
)

// points draws n points of a target, kept inside the data box.
func points(t *testing.T, name string, n int, seed uint64) ([]float64, int) {
	t.Helper()
	tg, err := density.NewTarget(name)
	if err != nil {
		t.Fatal(err)
	}
	d := tg.Dim()
	b := density.DataBox(d)
	r := rand.New(rand.NewPCG(seed, 9))
	pts := make([]float64, 0, n*d)
	x := make([]float64, d)
	for len(pts) < n*d {
		tg.Sample(r, x)
		if x[0] >= b.Lo[0] && x[0] <= b.Hi[0] && (d == 1 || x[1] >= b.Lo[1] && x[1] <= b.Hi[1]) {
			pts = append(pts, x...)
		}
	}
	return pts, d
}

// TestRoundTrip: decode(encode(x)) gives the same points, sorted by
// cell, each within half a grid step of one encoded (the multisets match
// after moving every point to its cell's centre), for both dimensions and
// at the box's edges.
func TestRoundTrip(t *testing.T) {
	for _, c := range []struct {
		target string
		n      int
	}{{"gauss", 3000}, {"gauss2d", 2000}, {"ring", 10}, {"bimodal", density.MaxDataPoints}} {
		pts, d := points(t, c.target, c.n, 1)
		b := density.DataBox(d)
		// The corners of the box belong too.
		copy(pts, []float64{b.Lo[0], b.Lo[1]}[:d])
		copy(pts[d:], []float64{b.Hi[0], b.Hi[1]}[:d])
		v, err := Encode(pts, d)
		if err != nil {
			t.Fatal(err)
		}
		dim, got, err := Decode(v)
		if err != nil || dim != d || len(got) != len(pts) {
			t.Fatalf("%s: Decode: dim %d, %d values, %v", c.target, dim, len(got), err)
		}
		step := density.DataStep(d)
		// Sort the originals by cell as the encoding does, then compare
		// point by point.
		orig := sortByCell(pts, d)
		worst := 0.0
		for i := range got {
			worst = math.Max(worst, math.Abs(got[i]-orig[i]))
		}
		if worst > step/2*(1+1e-9) {
			t.Errorf("%s: a point moved by %g, more than half a grid step %g", c.target, worst, step/2)
		}
		// A second round trip is exact.
		v2, _ := Encode(got, d)
		if v2 != v {
			t.Errorf("%s: re-encoding the decoded points changed the value", c.target)
		}
		t.Logf("%s: %d points in %d characters (%.2f per point), grid step %g, worst error %.3g", c.target, c.n, len(v), float64(len(v))/float64(c.n), step, worst)
	}
}

// sortByCell returns the points ordered by their cells, as Encode orders
// them (ties keep their order).
func sortByCell(pts []float64, d int) []float64 {
	n := len(pts) / d
	b, bits := density.DataBox(d), density.DataBits(d)
	type pc struct {
		q uint64
		p []float64
	}
	ps := make([]pc, n)
	for i := range n {
		q := cell(pts[i*d], b, 0, bits)
		if d == 2 {
			q = q<<bits | cell(pts[i*d+1], b, 1, bits)
		}
		ps[i] = pc{q, pts[i*d : (i+1)*d]}
	}
	for i := 1; i < n; i++ { // insertion sort: stable
		for j := i; j > 0 && ps[j].q < ps[j-1].q; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
	out := make([]float64, 0, len(pts))
	for _, p := range ps {
		out = append(out, p.p...)
	}
	return out
}

// TestLinkCapacity: how many 2D points fit under the data key's
// cap (spec.MaxDataLen = 7000 characters): at least 2000 spread over the
// ring.
func TestLinkCapacity(t *testing.T) {
	pts, d := points(t, "ring", 2000, 2)
	v, err := Encode(pts, d)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) > 7000 {
		t.Errorf("2000 ring points take %d characters, more than 7000", len(v))
	}
}

// TestEncodeErrors: a point outside the box is named (counted from 1);
// too few or too many points are refused.
func TestEncodeErrors(t *testing.T) {
	pts := make([]float64, 20)
	pts[13] = 5.5
	if _, err := Encode(pts, 1); err == nil || !strings.Contains(err.Error(), "point 14 (5.5) lies outside the box [-5, 5]") {
		t.Errorf("outside: %v", err)
	}
	pts[13] = math.NaN()
	if _, err := Encode(pts, 1); err == nil || !strings.Contains(err.Error(), "point 14") {
		t.Errorf("NaN: %v", err)
	}
	if _, err := Encode(make([]float64, 9), 1); err == nil || !strings.Contains(err.Error(), "9 points") {
		t.Errorf("too few: %v", err)
	}
	if _, err := Encode(make([]float64, 2*(density.MaxDataPoints+1)), 2); err == nil {
		t.Error("too many accepted")
	}
}

// TestDecodeErrors: every kind of damage gives its own clear error.
func TestDecodeErrors(t *testing.T) {
	pts, _ := points(t, "gauss", 50, 3)
	good, err := Encode(pts, 1)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(b ...byte) string { return b64(b) }
	for _, c := range []struct{ value, want string }{
		{"", "too short"},
		{"AB=C", "not base64url"},
		{good + "AA", "bytes follow the compressed points"},
		{raw(2, 1, 16, 20, 0), "format version 2"},
		{raw(1, 3, 16, 20, 0), "dimension 3"},
		{raw(1, 1, 12, 20, 0), "12 bits"},
		{raw(1, 1, 16, 5, 0), "holds 5 points"},
		{raw(1, 1, 16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), "malformed point count"},
		{raw(1, 1, 16, 20, 0xff, 0xff), "corrupt"},
		{good[:len(good)-8], "the points end after"},
	} {
		_, _, err := Decode(c.value)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Decode(%q) = %v, want an error with %q", c.value, err, c.want)
		}
	}
}

func b64(b []byte) string {
	const a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	var s strings.Builder
	for i := 0; i < len(b); i += 3 {
		var v uint32
		k := min(3, len(b)-i)
		for j := range 3 {
			v <<= 8
			if j < k {
				v |= uint32(b[i+j])
			}
		}
		for j := range k + 1 {
			s.WriteByte(a[v>>(18-6*j)&63])
		}
	}
	return s.String()
}

// FuzzDecode: hostile input never panics, and whatever decodes is a valid
// data set that re-encodes to a value decoding to the same points.
func FuzzDecode(f *testing.F) {
	pts := make([]float64, 0, 40)
	for i := range 40 {
		pts = append(pts, float64(i)/10-2)
	}
	for _, d := range []int{1, 2} {
		v, _ := Encode(pts, d)
		f.Add(v)
	}
	f.Add("AQEQFAA")
	f.Fuzz(func(t *testing.T, v string) {
		dim, got, err := Decode(v)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "data: ") {
				t.Errorf("error without its prefix: %v", err)
			}
			return
		}
		if err := density.CheckData(got, dim); err != nil {
			t.Fatalf("decoded an invalid data set: %v", err)
		}
		v2, err := Encode(got, dim)
		if err != nil {
			t.Fatal(err)
		}
		_, got2, err := Decode(v2)
		if err != nil || len(got2) != len(got) {
			t.Fatalf("re-encoded value does not decode: %v", err)
		}
		for i := range got {
			if got[i] != got2[i] {
				t.Fatalf("point value %d: %g then %g", i, got[i], got2[i])
			}
		}
	})
}

// TestCSV: the file rules and their errors, each naming the line.
func TestCSV(t *testing.T) {
	good := "# my points\nx,y\n0.5,1\n\n-1;2\n3\t-4\n" + strings.Repeat("1 1\n", 10)
	pts, d, err := ParseCSV([]byte(good), 0)
	if err != nil || d != 2 || len(pts) != 26 || pts[2] != -1 || pts[5] != -4 {
		t.Fatalf("good file: %v %d %v", pts, d, err)
	}
	if _, _, err := ParseCSV([]byte(good), 1); err == nil || !strings.Contains(err.Error(), "line 3: 2 columns; want 1 (x)") {
		t.Errorf("dimension: %v", err)
	}
	for _, c := range []struct{ file, want string }{
		{"x\n" + strings.Repeat("1\n", 15) + "abc\n" + strings.Repeat("1\n", 5), "line 17: 'abc' is not a number"},
		{"1,2,3\n", "line 1: 3 columns"},
		{strings.Repeat("1,2\n", 5) + "1\n", "line 6: 1 columns; want 2"},
		{strings.Repeat("1\n", 5) + "6\n", "line 6: point (6) lies outside the box [-5, 5]"},
		{strings.Repeat("1,1\n", 5) + "1,-4.5\n", "line 6: point (1, -4.5) lies outside the box [-4, 4]²"},
		{"1\nNaN\n", "line 2: 'NaN' is not a number"},
		{"1\n2\n", "2 points; a data set has 10"},
		{strings.Repeat("0\n", density.MaxDataPoints+1), "more than 20000 points"},
		{strings.Repeat("#", MaxFileBytes+1), "more than 1048576"},
		{"1\n\x00\n", `line 2: '\x00' is not a number`},
	} {
		_, _, err := ParseCSV([]byte(c.file), 0)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("file %.30q: %v, want %q", c.file, err, c.want)
		}
	}
	// FormatCSV writes what ParseCSV reads back exactly: the same ID.
	p2, _ := points(t, "moons", 500, 4)
	back, d2, err := ParseCSV(FormatCSV(p2, 2), 2)
	if err != nil || d2 != 2 || ID(back, 2) != ID(p2, 2) {
		t.Errorf("FormatCSV round trip: %v", err)
	}
	if id := ID(p2, 2); len(id) != 20 || !strings.HasSuffix(id, "-500") {
		t.Errorf("ID %q", id)
	}
}
