package spec

import (
	"reflect"
	"testing"
)

// TestRowMirrorsKey: row has every field of Key but its accessors, with
// the same names and types in the same order, and Key.row copies each of
// them, so that a field added to Key reaches the shared code (or this
// test fails).
func TestRowMirrorsKey(t *testing.T) {
	kt, rt := reflect.TypeFor[Key[Spec]](), reflect.TypeFor[row]()
	accessors := map[string]bool{"Ptr": true, "Applies": true}
	var j int
	for i := range kt.NumField() {
		f := kt.Field(i)
		if accessors[f.Name] {
			continue
		}
		if j >= rt.NumField() {
			t.Fatalf("row has no field %s", f.Name)
		}
		if g := rt.Field(j); g.Name != f.Name || g.Type != f.Type {
			t.Fatalf("row field %d is %s %v, Key's is %s %v", j, g.Name, g.Type, f.Name, f.Type)
		}
		j++
	}
	if j != rt.NumField() {
		t.Fatalf("row has %d fields, Key has %d besides its accessors", rt.NumField(), j)
	}
	// Every field set to a distinct non-zero value comes through row().
	var k Key[Spec]
	kv := reflect.ValueOf(&k).Elem()
	for i := range kt.NumField() {
		f := kv.Field(i)
		switch f.Kind() {
		case reflect.String:
			f.SetString("s" + kt.Field(i).Name)
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
			t.Fatalf("Key field %s: kind %v not covered by this test", kt.Field(i).Name, f.Kind())
		}
	}
	r := k.row()
	rv := reflect.ValueOf(r)
	for i := range rt.NumField() {
		name := rt.Field(i).Name
		if !reflect.DeepEqual(rv.Field(i).Interface(), kv.FieldByName(name).Interface()) {
			t.Errorf("row().%s = %v, want %v", name, rv.Field(i), kv.FieldByName(name))
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
