package spec

import (
	"slices"
	"strings"
	"testing"
)

// listSpec is a lab-like spec with the number-list kinds.
type listSpec struct {
	Ks     []int
	Degs   []int
	Scales []float64
}

var listTable = NewTable("test", []Key[listSpec]{
	{Name: "ks", Kind: KindInts, Default: "1,3,10,30", Min: 1, Max: 1024, Label: "ks", Doc: "k values.", Alias: "k",
		Ptr: func(s *listSpec) any { return &s.Ks }},
	{Name: "degs", Kind: KindInts, Default: "2", Min: 2, Max: 8, Even: true, Label: "degs", Doc: "Degrees.",
		Ptr: func(s *listSpec) any { return &s.Degs }},
	{Name: "scales", Kind: KindFloats, Default: "0.5,1", Min: 0.1, Max: 20, Label: "scales", Doc: "Scales.",
		Ptr: func(s *listSpec) any { return &s.Scales }},
}, nil)

// TestNumberLists checks the ints and floats kinds: whole-number and
// number syntax per item as for int and float keys, ranges, parity, the
// canonical form (ascending, no repeats) and the errors.
func TestNumberLists(t *testing.T) {
	d := listTable.Default()
	if !slices.Equal(d.Ks, []int{1, 3, 10, 30}) || !slices.Equal(d.Scales, []float64{0.5, 1}) {
		t.Fatalf("defaults %v %v", d.Ks, d.Scales)
	}
	for _, c := range []struct{ in, canonical string }{
		{"ks=30,10,3,1", ""},
		{"ks=3,3,1e1", "ks=3,10"},
		{"ks=2.0e2", "ks=200"},
		{"degs=8,4", "degs=4,8"},
		{"scales=1,0.5,0.50", ""},
		{"scales=2,.3", "scales=0.3,2"},
		{"k=7", "ks=7"}, // the alias
		{"k=7,1", "ks=1,7"},
	} {
		s, err := listTable.Parse(c.in)
		if err != nil {
			t.Errorf("%q: %v", c.in, err)
			continue
		}
		if q := listTable.Query(s, true); q != c.canonical {
			t.Errorf("%q: canonical %q, want %q", c.in, q, c.canonical)
		}
		if s2, err := listTable.Parse(listTable.Query(s, true)); err != nil || listTable.Query(s2, true) != c.canonical {
			t.Errorf("%q: canonical form does not round-trip: %v", c.in, err)
		}
	}
	for _, c := range []struct{ in, want string }{
		{"ks=", "has no value"},
		{"ks=1,,3", "has an empty item"},
		{"ks=1,", "has an empty item"},
		{"ks=0,3", `value "0" is out of range; allowed: comma-separated whole numbers in 1 … 1024, at most 16`},
		{"ks=1.5", `value "1.5" is not a whole number`},
		{"ks=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", "has 17 items, more than 16"},
		{"degs=2,3", `value "3" is not even; allowed: comma-separated whole numbers in 2 … 8 (even), at most 16`},
		{"scales=1,abc", `value "abc" is not a number; allowed: comma-separated numbers in 0.1 … 20, at most 16`},
		{"scales=NaN", "is not a number"},
		{"scales=25", "is out of range"},
		{"ks=3&k=4", `key "ks": value "4" repeats the key`},
	} {
		s, err := listTable.Parse(c.in)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want one containing %q", c.in, err, c.want)
		}
		if !slices.Equal(s.Ks, d.Ks) || !slices.Equal(s.Degs, d.Degs) || !slices.Equal(s.Scales, d.Scales) {
			t.Errorf("%q: a bad list did not run its default: %+v", c.in, s)
		}
	}
	// A hand-built spec: Validate accepts any order and repeats, and
	// rejects an empty list; Normalized sorts.
	s := listTable.Default()
	s.Ks = []int{10, 1, 10}
	if err := listTable.Validate(s); err != nil {
		t.Errorf("Validate(%v): %v", s.Ks, err)
	}
	if n := listTable.Normalized(s); !slices.Equal(n.Ks, []int{1, 10}) {
		t.Errorf("Normalized: %v", n.Ks)
	}
	s.Ks = nil
	if err := listTable.Validate(s); err == nil {
		t.Error("Validate accepted an empty list")
	}
	if KindInts.String() != "ints" || KindFloats.String() != "floats" {
		t.Error("kind names")
	}
}
