//go:build js && wasm

package wire

import (
	"fmt"
	"syscall/js"
	"unsafe"
)

// ToJS returns m as a JS object and the buffers of its typed arrays, to
// transfer with postMessage.
func ToJS(m Message) (obj js.Value, transfer []any) {
	var tr []any
	return toJS(Encode(m), &tr), tr
}

func toJS(x any, tr *[]any) js.Value {
	switch x := x.(type) {
	case Obj:
		o := js.Global().Get("Object").New()
		for k, v := range x {
			o.Set(k, toJS(v, tr))
		}
		return o
	case []any:
		a := js.Global().Get("Array").New(len(x))
		for i, v := range x {
			a.SetIndex(i, toJS(v, tr))
		}
		return a
	case []float64:
		a := js.Global().Get("Float64Array").New(len(x))
		if len(x) > 0 {
			js.CopyBytesToJS(bytesOf(a), unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 8*len(x)))
		}
		*tr = append(*tr, a.Get("buffer"))
		return a
	case []float32:
		a := js.Global().Get("Float32Array").New(len(x))
		if len(x) > 0 {
			js.CopyBytesToJS(bytesOf(a), unsafe.Slice((*byte)(unsafe.Pointer(&x[0])), 4*len(x)))
		}
		*tr = append(*tr, a.Get("buffer"))
		return a
	case []byte:
		a := js.Global().Get("Uint8Array").New(len(x))
		js.CopyBytesToJS(a, x)
		*tr = append(*tr, a.Get("buffer"))
		return a
	case []string:
		a := js.Global().Get("Array").New(len(x))
		for i, v := range x {
			a.SetIndex(i, v)
		}
		return a
	case js.Value:
		return x
	case nil:
		return js.Null()
	}
	return js.ValueOf(x) // float64, string, bool
}

// FromJS decodes a message object (postMessage's data).
func FromJS(v js.Value) (Message, error) {
	o, ok := fromJS(v).(Obj)
	if !ok {
		return nil, fmt.Errorf("wire: a message must be an object, not %s", v.Type())
	}
	return Decode(o)
}

func fromJS(v js.Value) any {
	switch v.Type() {
	case js.TypeNumber:
		return v.Float()
	case js.TypeString:
		return v.String()
	case js.TypeBoolean:
		return v.Bool()
	case js.TypeObject:
		switch {
		case v.InstanceOf(js.Global().Get("Float64Array")):
			out := make([]float64, v.Length())
			if len(out) > 0 {
				js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 8*len(out)), bytesOf(v))
			}
			return out
		case v.InstanceOf(js.Global().Get("Uint8Array")):
			out := make([]byte, v.Length())
			js.CopyBytesToGo(out, v)
			return out
		case v.InstanceOf(js.Global().Get("Float32Array")):
			out := make([]float32, v.Length())
			if len(out) > 0 {
				js.CopyBytesToGo(unsafe.Slice((*byte)(unsafe.Pointer(&out[0])), 4*len(out)), bytesOf(v))
			}
			return out
		case js.Global().Get("Array").Call("isArray", v).Bool():
			n := v.Length()
			if n > 0 && v.Index(0).Type() == js.TypeString {
				out := make([]string, n)
				for i := range out {
					out[i] = v.Index(i).String()
				}
				return out
			}
			out := make([]any, n)
			for i := range out {
				out[i] = fromJS(v.Index(i))
			}
			return out
		case v.Get("constructor").Equal(js.Global().Get("Object")):
			keys := js.Global().Get("Object").Call("keys", v)
			o := make(Obj, keys.Length())
			for i := range keys.Length() {
				k := keys.Index(i).String()
				o[k] = fromJS(v.Get(k))
			}
			return o
		}
		return v // a MessagePort or another object: a Handle
	}
	return nil
}

// bytesOf views a typed array's bytes.
func bytesOf(a js.Value) js.Value {
	return js.Global().Get("Uint8Array").New(a.Get("buffer"), a.Get("byteOffset"), a.Get("byteLength"))
}
