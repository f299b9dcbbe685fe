package spec

import (
	"strings"
	"testing"

	"nceplay/core/density"
)

// A valid data value: 20 1D points (a header of version 1, dim 1, 16
// bits, n = 20, and their deflated deltas): the points −2, −1.8, …, 1.8
// as core/dataset encodes them.
const data1D = "AQEQFDozk3E-13yueVzzuTBpZB4gAAD__w"

// TestDataKeys: the data targets need their points; each problem with the
// data and datafile keys is one error naming the key and what to do, and
// the canonical form keeps a valid value as given.
func TestDataKeys(t *testing.T) {
	dim, n, _, _, err := density.DataHeader(data1D)
	if err != nil || dim != 1 || n != 20 {
		t.Fatalf("the test's value: dim %d, n %d, %v", dim, n, err)
	}
	q := "target=data&k=4&data=" + data1D
	s, err := Parse(q)
	if err != nil || s.Data != data1D || !s.IsData() {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	if c := s.Canonical(); c != q {
		t.Errorf("canonical %q, want %q", c, q)
	}
	// n does not apply to a data target; data does not apply to others.
	if s, err := Parse(q + "&n=500"); err != nil || s.N != 10000 || strings.Contains(s.Canonical(), "n=") {
		t.Errorf("n kept for a data target: %q, %v", s.Canonical(), err)
	}
	if s, err := Parse("data=" + data1D); err != nil || s.Data != "" || s.Canonical() != "" {
		t.Errorf("data with quartic: %q, %v", s.Canonical(), err)
	}
	long := strings.Repeat("A", MaxDataLen+1)
	for _, c := range []struct{ q, key, want string }{
		{"target=data", "target", "needs its points: the data key"},
		{"target=data2d&k=2", "target", "needs its points"},
		{"target=data&data=" + long, "data", "7001 characters long, more than 7000; a link stays under 8 KB: export the data as a file"},
		{"target=data&data=ab%2Bc", "data", `has the character '+'`},
		{"target=data2d&data=" + data1D, "data", "holds 20 1D points, but target=data2d is 2D"},
		{"target=data&data=AgEQFA", "data", "format version 2"},
		{"target=data&data=" + data1D + "&datafile=0123456789abcdef-20", "datafile", "not both"},
		{"target=data&datafile=0123456789abcdeg-20", "datafile", "16 hex digits"},
		{"target=data&datafile=0123456789abcdef-5", "datafile", "16 hex digits"},
	} {
		_, err := Parse(c.q)
		es := asErrors(err)
		if len(es) == 0 || es[0].Key != c.key || !strings.Contains(es[0].Error(), c.want) {
			t.Errorf("Parse(%.60q) = %v; want an error on %s with %q", c.q, err, c.key, c.want)
		}
	}
	// A bad data value leaves the target without points: it runs the
	// default target, with both errors shown.
	if s, err := Parse("target=data&data=AgEQFA"); len(asErrors(err)) != 2 || s.Target != Default().Target {
		t.Errorf("bad data: %q %v", s.Canonical(), err)
	}
	if n, ok := DataFileSize("0123456789abcdef-20000"); !ok || n != 20000 {
		t.Errorf("DataFileSize: %d %v", n, ok)
	}
	// The longest data value fits the query cap with every other key.
	if MaxQueryLen-MaxDataLen < 512 || MaxQueryLen+len("https://nceplay.example/embed?") > 8000 {
		t.Errorf("caps: query %d, data %d", MaxQueryLen, MaxDataLen)
	}
}
