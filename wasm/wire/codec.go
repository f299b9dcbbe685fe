package wire

import (
	"fmt"
	"reflect"
	"unicode"
)

// TypeKey is the property that names a message.
const TypeKey = "t"

// An Obj is a message's JS object as a tree of Go values: map[string]any
// for objects, []any for arrays of structs, and float64, string, bool,
// []float64, []float32, []string or a Handle for the rest (ints travel as
// float64, like every JS number). A pointer field travels as what it
// points at, or as null (nil here) when it is nil.
type Obj = map[string]any

// Encode returns m's object: TypeKey holds m.Type(), and every exported
// field its value under its lower-camel-case name.
func Encode(m Message) Obj {
	o := encodeStruct(reflect.ValueOf(m))
	o[TypeKey] = m.Type()
	return o
}

func encodeStruct(v reflect.Value) Obj {
	o := make(Obj, v.NumField()+1)
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		o[propName(f.Name)] = encodeValue(v.Field(i))
	}
	return o
}

func encodeValue(v reflect.Value) any {
	switch v.Kind() {
	case reflect.Struct:
		return encodeStruct(v)
	case reflect.Array: // density.Box's corners
		out := make([]float64, v.Len())
		for i := range out {
			out[i] = v.Index(i).Float()
		}
		return out
	case reflect.Slice:
		switch v.Type().Elem().Kind() {
		case reflect.Struct:
			out := make([]any, v.Len())
			for i := range out {
				out[i] = encodeStruct(v.Index(i))
			}
			return out
		}
		return v.Interface() // []float64, []float32, []string, []byte
	case reflect.Int, reflect.Int64:
		return float64(v.Int())
	case reflect.Float64:
		return v.Float()
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return v.Bool()
	case reflect.Interface: // a Handle
		return v.Interface()
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return encodeValue(v.Elem())
	}
	panic(fmt.Sprintf("wire: cannot encode a %s", v.Type())) // a bug in a message type; a test covers them all
}

// propName is a field's property name: its name with the leading capitals
// of its first word lowered (Gen → gen, SPS → sps, MetricsAt → metricsAt,
// LogZTrue → logZTrue).
func propName(field string) string {
	rs := []rune(field)
	for i := range rs {
		if !unicode.IsUpper(rs[i]) {
			break
		}
		if i > 0 && i+1 < len(rs) && unicode.IsLower(rs[i+1]) {
			break // the capital that starts the next word
		}
		rs[i] = unicode.ToLower(rs[i])
	}
	return string(rs)
}

// Decode returns the message of an object made by Encode (or by its JS
// twin): the type TypeKey names, with every field the object holds. It
// fails on an unknown type or a property of the wrong kind; a missing
// property leaves its field zero.
func Decode(o Obj) (Message, error) {
	name, _ := o[TypeKey].(string)
	for _, m := range messages {
		if m.Type() == name {
			v := reflect.New(reflect.TypeOf(m)).Elem()
			if err := decodeStruct(v, o); err != nil {
				return nil, fmt.Errorf("wire: %s: %w", name, err)
			}
			return v.Interface().(Message), nil
		}
	}
	return nil, fmt.Errorf("wire: unknown message type %q", name)
}

func decodeStruct(v reflect.Value, o Obj) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		x, ok := o[propName(f.Name)]
		if !ok || x == nil {
			continue
		}
		if err := decodeValue(v.Field(i), x); err != nil {
			return fmt.Errorf("%s: %w", propName(f.Name), err)
		}
	}
	return nil
}

func decodeValue(v reflect.Value, x any) error {
	bad := func() error { return fmt.Errorf("have %T, want %s", x, v.Type()) }
	switch v.Kind() {
	case reflect.Struct:
		o, ok := x.(Obj)
		if !ok {
			return bad()
		}
		return decodeStruct(v, o)
	case reflect.Array:
		a, ok := x.([]float64)
		if !ok || len(a) != v.Len() {
			return bad()
		}
		for i, f := range a {
			v.Index(i).SetFloat(f)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Struct {
			a, ok := x.([]any)
			if !ok {
				return bad()
			}
			if len(a) == 0 {
				return nil // an empty list decodes as nil, as Go would have it
			}
			s := reflect.MakeSlice(v.Type(), len(a), len(a))
			for i, e := range a {
				o, ok := e.(Obj)
				if !ok {
					return bad()
				}
				if err := decodeStruct(s.Index(i), o); err != nil {
					return err
				}
			}
			v.Set(s)
			return nil
		}
		if a, ok := x.([]any); ok && len(a) == 0 {
			return nil // an empty JS array: the type of its items is unknown
		}
		xv := reflect.ValueOf(x)
		if xv.Type() != v.Type() {
			return bad()
		}
		v.Set(xv)
	case reflect.Int, reflect.Int64:
		f, ok := x.(float64)
		if !ok {
			return bad()
		}
		v.SetInt(int64(f))
	case reflect.Float64:
		f, ok := x.(float64)
		if !ok {
			return bad()
		}
		v.SetFloat(f)
	case reflect.String:
		s, ok := x.(string)
		if !ok {
			return bad()
		}
		v.SetString(s)
	case reflect.Bool:
		b, ok := x.(bool)
		if !ok {
			return bad()
		}
		v.SetBool(b)
	case reflect.Interface:
		v.Set(reflect.ValueOf(x))
	case reflect.Pointer: // x is not nil (decodeStruct skips null)
		p := reflect.New(v.Type().Elem())
		if err := decodeValue(p.Elem(), x); err != nil {
			return err
		}
		v.Set(p)
	default:
		return bad()
	}
	return nil
}
