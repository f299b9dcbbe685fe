package spec

import (
	"reflect"
	"testing"
)

// TestRowMirrorsKey: row's fields are Key's leading fields, with the same
// names, types and offsets, and Key's accessors come after them, so that
// Key.row may view a key as a row; each field, set through the key, reads
// the same through its row. A field added to Key fails this test until
// row has it (or it is an accessor, after the others).
func TestRowMirrorsKey(t *testing.T) {
	for _, kt := range []reflect.Type{reflect.TypeFor[Key[Spec]](), reflect.TypeFor[Key[string]](), reflect.TypeFor[Key[View]]()} {
		rt := reflect.TypeFor[row]()
		if kt.NumField() != rt.NumField()+2 {
			t.Fatalf("%v has %d fields, row %d: want row's and Ptr, Applies", kt, kt.NumField(), rt.NumField())
		}
		for i := range kt.NumField() {
			f := kt.Field(i)
			if i >= rt.NumField() {
				if want := []string{"Ptr", "Applies"}[i-rt.NumField()]; f.Name != want {
					t.Errorf("%v field %d is %s, want %s", kt, i, f.Name, want)
				}
				continue
			}
			if g := rt.Field(i); g.Name != f.Name || g.Type != f.Type || g.Offset != f.Offset {
				t.Errorf("row field %d is %s %v at %d, %v's is %s %v at %d", i, g.Name, g.Type, g.Offset, kt, f.Name, f.Type, f.Offset)
			}
		}
	}
	var k Key[Spec]
	kv := reflect.ValueOf(&k).Elem()
	for i := range kv.NumField() {
		f := kv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("s" + kv.Type().Field(i).Name)
		case reflect.Int:
			f.SetInt(int64(i + 1))
		case reflect.Float64:
			f.SetFloat(float64(i) + 0.5)
		case reflect.Bool:
			f.SetBool(true)
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), i+1, i+1))
		case reflect.Func:
		default:
			t.Fatalf("Key field %s: kind %v not covered by this test", kv.Type().Field(i).Name, f.Kind())
		}
	}
	rv := reflect.ValueOf(k.row()).Elem()
	for i := range rv.NumField() {
		if !reflect.DeepEqual(rv.Field(i).Interface(), kv.Field(i).Interface()) {
			t.Errorf("row().%s = %v, want %v", rv.Type().Field(i).Name, rv.Field(i), kv.Field(i))
		}
	}
}

// TestShared: a lab's shared row is the playground's, with its own
// accessor and a copy of the values, and without the playground's Dims,
// Always and Alias.
func TestShared(t *testing.T) {
	ptr := func(s *string) any { return s }
	for _, p := range Keys {
		k := Shared(p.Name, ptr)
		want := Key[string]{Name: p.Name, Kind: p.Kind, Default: p.Default, Min: p.Min, Max: p.Max, Even: p.Even,
			Values: p.Values, Label: p.Label, Doc: p.Doc, Log: p.Log, View: p.View}
		got := k
		got.Ptr = nil
		if !reflect.DeepEqual(got, want) || k.Ptr == nil || len(p.Values) > 0 && &k.Values[0] == &p.Values[0] {
			t.Errorf("Shared(%s) = %+v, want %+v with its own Ptr and Values", p.Name, got, want)
		}
	}
}

// TestSharedCodeErrors: the shared code behind every table gives each
// table's own errors (names, ranges), whatever its spec type.
func TestSharedCodeErrors(t *testing.T) {
	type lab struct {
		N  int
		Xs []float64
	}
	tb := NewTable("t", []Key[lab]{
		{Name: "n", Kind: KindInt, Default: "2", Min: 2, Max: 8, Even: true, Ptr: func(s *lab) any { return &s.N }},
		{Name: "xs", Kind: KindFloats, Default: "0.5", Min: 0, Max: 1, Alias: "x", Ptr: func(s *lab) any { return &s.Xs }},
	}, []Rule[lab]{{Keys: []string{"n", "xs"}, Check: func(s *lab) (float64, string) {
		if e := float64(s.N*len(s.Xs)) - 8; e > 0 {
			return e, "gives too many points"
		}
		return 0, ""
	}}})
	s, err := tb.Parse("n=6&x=0.25,0.75,0.5&xs=1")
	want := `spec: key "xs": value "1" repeats the key (a key may be given once); allowed: comma-separated numbers in 0 … 1, at most 16`
	if err == nil || err.Error() != want || s.N != 6 || len(s.Xs) != 1 {
		t.Errorf("Parse = %+v, %v; want n=6 xs=0.5 and %s", s, err, want)
	}
	s, err = tb.Parse("n=6&x=0.25,0.75")
	want = `spec: key "n": value "6" gives too many points; allowed: 2 … 4 (even)`
	if err == nil || err.Error() != want || s.N != 2 || len(s.Xs) != 2 {
		t.Errorf("Parse = %+v, %v; want n=2 and %s", s, err, want)
	}
	if q := tb.Query(lab{N: 4, Xs: []float64{0.75, -0.0, 0.75}}, true); q != "n=4&xs=0,0.75" {
		t.Errorf("Query = %q", q)
	}
}
