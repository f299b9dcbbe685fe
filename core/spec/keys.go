package spec

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unsafe"
)

// A Kind is the type of a key's value.
type Kind int

// The kinds of key. Their Go types in a spec struct are: KindEnum string, KindInt
// int, KindUint64 uint64, KindFloat float64, KindBool bool, KindList
// []string, KindInts []int, KindFloats []float64.
const (
	KindEnum   Kind = iota // one of Key.Values
	KindInt                // a whole number in Min … Max
	KindUint64             // a decimal uint64 (all of 0 … 2^64−1)
	KindFloat              // a finite number in Min … Max
	KindBool               // 0 or 1
	KindList               // a comma-separated subset of Key.Values
	// KindInts is a comma-separated set of whole numbers, each as KindInt
	// (Min … Max, Even), at most MaxListItems of them; its canonical form
	// lists them ascending without repeats (a lab's ks).
	KindInts
	// KindFloats is a comma-separated set of numbers, each as KindFloat,
	// at most MaxListItems; canonical: ascending without repeats.
	KindFloats
	// KindText is an opaque token (Go type string): at most Max
	// characters of A–Z, a–z, 0–9, '-' and '_' (base64url, hex, names), or
	// empty for none; Values may name its well-known values (the tour
	// key's built-in tours); its content is checked by the table's rules
	// (the data key, docs/spec.md#data; the tour key, #tours).
	KindText
)

// MaxListItems is the most numbers a KindInts or KindFloats value may
// list: each is one more point of a lab's sweep.
const MaxListItems = 16

// String returns the kind's name: enum, int, uint64, float, bool or list.
func (k Kind) String() string {
	switch k {
	case KindEnum:
		return "enum"
	case KindInt:
		return "int"
	case KindUint64:
		return "uint64"
	case KindFloat:
		return "float"
	case KindBool:
		return "bool"
	case KindList:
		return "list"
	case KindInts:
		return "ints"
	case KindFloats:
		return "floats"
	case KindText:
		return "text"
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// A Key is one row of a key table (see Table): everything Parse,
// Canonical, the error messages, the docs and the UI's controls need to
// know about one query key of a spec type S (docs/spec.md#keys).
type Key[S any] struct {
	Name    string  // the query key, e.g. "lr"
	Kind    Kind    // the value's type
	Default string  // the default value in canonical text form
	Min     float64 // KindInt, KindUint64, KindFloat: the smallest value
	Max     float64 // KindInt, KindUint64, KindFloat: the largest value
	Even    bool    // KindInt: only even values are allowed
	// Values are the allowed values of a KindEnum or KindList key, in
	// table (and canonical list) order; KindBool has "0" and "1".
	Values []string
	// Dims holds, for the target key, the dimension (1 or 2) of each of
	// Values; nil for the other keys.
	Dims  []int
	Label string // a short label for a UI control
	Doc   string // one sentence for tooltips and the docs
	Log   bool   // a UI slider for the key should be logarithmic
	View  bool   // view-only: changes nothing computed
	// Always makes Canonical write the key even at its default (a lab's
	// lab key, which names the table).
	Always bool
	// Alias is another name a query may give the key under (a sweep's ns
	// accepts n, so that n alone is a one-element list); the canonical
	// form writes Name. Giving both is giving the key twice.
	Alias string
	// Hint ends the message about a KindText value that is too long (what
	// to do instead).
	Hint string

	// Ptr returns a pointer to the key's field in s; its type follows
	// Kind (see the Kind constants).
	Ptr func(s *S) any
	// Applies reports whether the key matters for s; nil means always.
	// Parse and Canonical set keys that do not apply to their defaults.
	Applies func(s *S) bool
}

// Relevant reports whether the key matters for s. Parse and Canonical set
// an irrelevant key to its default (e.g. deg only for poly on a 1D
// target, docs/spec.md#keys); a UI can hide its control.
func (k *Key[S]) Relevant(s *S) bool { return k.Applies == nil || k.Applies(s) }

// Get returns the key's value in s in canonical text form (a KindList
// value lists its known values in table order without duplicates,
// followed by any unknown ones). Get(s) == Default means s holds the
// default.
func (k *Key[S]) Get(s *S) string { return k.row().get(k.Ptr(s)) }

// Set parses value (already percent-decoded) as the key's value and stores
// it in s. On a malformed, unknown or out-of-range value it returns an
// *Error and leaves s unchanged. Set checks only this key: the rules that
// involve other keys are Validate's.
func (k *Key[S]) Set(s *S, value string) error {
	if e := k.row().set(k.Ptr(s), value); e != nil {
		return e
	}
	return nil
}

// Allowed describes the key's allowed values, as in the error messages:
// "1 … 1024", "2 … 8 (even)", "0.1 … 20", "gauss, uniform, laplace", "0, 1",
// or for a list "comma-separated subset of samples, classifier, …".
func (k *Key[S]) Allowed() string { return k.row().allowed() }

// A row is a Key without its accessors: all that the code shared by every
// table (parsing, formatting, errors, rules, docs) needs to know of a key.
// That code works on the key's field through the pointer Key.Ptr returns,
// so that only the accessors are compiled once per spec type
// (docs/architecture.md#key-tables).
//
// Its fields are Key's first fields, the same names and types in the same
// order, so that a *Key[S] is a *row too (Key.row); TestRowMirrorsKey
// checks the layout.
type row struct {
	Name    string
	Kind    Kind
	Default string
	Min     float64
	Max     float64
	Even    bool
	Values  []string
	Dims    []int
	Label   string
	Doc     string
	Log     bool
	View    bool
	Always  bool
	Alias   string
	Hint    string
}

// row returns the key's row: the key itself, seen without its accessors.
// row's fields are the leading fields of Key[S] (TestRowMirrorsKey), so
// the conversion reinterprets memory of an equivalent layout, as the
// first pattern of unsafe.Pointer allows; no copy is made.
func (k *Key[S]) row() *row { return (*row)(unsafe.Pointer(k)) }

// get returns the value of the key's field, which p points at, in
// canonical text form (see Key.Get).
func (k *row) get(p any) string {
	switch p := p.(type) {
	case *string:
		return *p
	case *int:
		return strconv.Itoa(*p)
	case *uint64:
		return strconv.FormatUint(*p, 10)
	case *float64:
		f := *p
		if f == 0 {
			f = 0 // −0 reads as 0
		}
		return strconv.FormatFloat(f, 'g', -1, 64)
	case *bool:
		if *p {
			return "1"
		}
		return "0"
	case *[]string:
		return strings.Join(k.canonicalList(*p), ",")
	case *[]int:
		items := make([]string, 0, len(*p))
		for _, v := range sortedSet(*p) {
			items = append(items, strconv.Itoa(v))
		}
		return strings.Join(items, ",")
	case *[]float64:
		items := make([]string, 0, len(*p))
		for _, v := range sortedSet(*p) {
			items = append(items, strconv.FormatFloat(v, 'g', -1, 64))
		}
		return strings.Join(items, ",")
	}
	return ""
}

// sortedSet returns the values ascending without repeats (−0 as 0), in a
// new slice.
func sortedSet[T int | float64](v []T) []T {
	out := make([]T, 0, len(v))
	for _, x := range v {
		out = append(out, x+0) // −0 + 0 = +0
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// canonicalList returns the items of list that are in k.Values in table
// order without duplicates, then the unknown ones in the given order.
func (k *row) canonicalList(list []string) []string {
	out := make([]string, 0, len(list))
	for _, v := range k.Values {
		if slices.Contains(list, v) {
			out = append(out, v)
		}
	}
	for _, v := range list {
		if !slices.Contains(k.Values, v) {
			out = append(out, v)
		}
	}
	return out
}

// set is Key.Set on the field p points at, returning the concrete type.
func (k *row) set(p any, value string) *Error {
	if k.Kind == KindText {
		return k.setText(p, value)
	}
	if value == "" {
		return k.errorf("", "has no value")
	}
	switch p := p.(type) {
	case *string: // KindEnum
		if !slices.Contains(k.Values, value) {
			return k.errorf(value, "is not one of the allowed values")
		}
		*p = value
	case *bool:
		switch value {
		case "0":
			*p = false
		case "1":
			*p = true
		default:
			return k.errorf(value, "is not 0 or 1")
		}
	case *uint64:
		if !isDigits(value) {
			return k.errorf(value, "is not a whole number in decimal")
		}
		u, err := strconv.ParseUint(value, 10, 64)
		if err != nil {
			return k.errorf(value, "is out of range")
		}
		*p = u
	case *int:
		v, e := k.parseInt(value)
		if e != nil {
			return e
		}
		*p = v
	case *float64:
		f, e := k.parseFloat(value)
		if e != nil {
			return e
		}
		*p = f
	case *[]int:
		items, e := k.splitItems(value)
		if e != nil {
			return e
		}
		vs := make([]int, len(items))
		for i, it := range items {
			if vs[i], e = k.parseInt(it); e != nil {
				return e
			}
		}
		*p = sortedSet(vs)
	case *[]float64:
		items, e := k.splitItems(value)
		if e != nil {
			return e
		}
		vs := make([]float64, len(items))
		for i, it := range items {
			if vs[i], e = k.parseFloat(it); e != nil {
				return e
			}
		}
		*p = sortedSet(vs)
	case *[]string:
		items := strings.Split(value, ",")
		for _, it := range items {
			if it == "" {
				return k.errorf(value, "has an empty item")
			}
			if !slices.Contains(k.Values, it) {
				return k.errorf(it, "is not one of the allowed values")
			}
		}
		*p = k.canonicalList(items)
	default:
		return k.errorf(value, "has no field in the spec") // a bug in a key table; a test checks
	}
	return nil
}

// setText is set for a KindText key: "" (none) or at most Max
// characters of the token alphabet.
func (k *row) setText(p any, value string) *Error {
	sp, ok := p.(*string)
	if !ok {
		return k.errorf(value, "has no field in the spec") // a bug in a key table; a test checks
	}
	if float64(len(value)) > k.Max {
		reason := fmt.Sprintf("is %d characters long, more than %s", len(value), fmtNum(k.Max))
		if k.Hint != "" {
			reason += "; " + k.Hint
		}
		return k.errorf(value, reason)
	}
	for i := 0; i < len(value); i++ {
		c := value[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return k.errorf(value, fmt.Sprintf("has the character %q at %d", c, i+1))
		}
	}
	*sp = value
	return nil
}

// parseInt parses one whole number of a KindInt or KindInts key (any
// decimal notation whose value is exactly whole, docs/spec.md#syntax) and
// checks its range and parity.
func (k *row) parseInt(value string) (int, *Error) {
	m, ok := parseDecimal(value)
	if !ok || !m.integral() {
		return 0, k.errorf(value, "is not a whole number")
	}
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || f < k.Min || f > k.Max {
		if k.Min == k.Max {
			return 0, k.errorf(value, "is not supported")
		}
		return 0, k.errorf(value, "is out of range")
	}
	if k.Even && int(f)%2 != 0 {
		return 0, k.errorf(value, "is not even")
	}
	return int(f), nil
}

// parseFloat parses one number of a KindFloat or KindFloats key and
// checks its range; −0 becomes +0.
func (k *row) parseFloat(value string) (float64, *Error) {
	if _, ok := parseDecimal(value); !ok {
		return 0, k.errorf(value, "is not a number")
	}
	f, err := strconv.ParseFloat(value, 64)
	if err != nil || f < k.Min || f > k.Max {
		return 0, k.errorf(value, "is out of range")
	}
	return f + 0, nil
}

// splitItems splits a number list at its commas: no empty item, at most
// MaxListItems.
func (k *row) splitItems(value string) ([]string, *Error) {
	items := strings.Split(value, ",")
	if len(items) > MaxListItems {
		return nil, k.errorf(value, fmt.Sprintf("has %d items, more than %d", len(items), MaxListItems))
	}
	for _, it := range items {
		if it == "" {
			return nil, k.errorf(value, "has an empty item")
		}
	}
	return items, nil
}

// errorf returns an error about value of key k with the allowed values.
func (k *row) errorf(value, reason string) *Error {
	return newError(k.Name, value, reason, k.allowed())
}

// allowed is Key.Allowed.
func (k *row) allowed() string {
	switch k.Kind {
	case KindEnum, KindBool:
		return strings.Join(k.Values, ", ")
	case KindList:
		return "comma-separated subset of " + strings.Join(k.Values, ", ")
	case KindUint64:
		return "0 … " + strconv.FormatUint(math.MaxUint64, 10)
	case KindInt, KindFloat:
		if k.Min == k.Max {
			return fmtNum(k.Min)
		}
		r := fmtNum(k.Min) + " … " + fmtNum(k.Max)
		if k.Even {
			r += " (even)"
		}
		return r
	case KindInts, KindFloats:
		what := "numbers"
		if k.Kind == KindInts {
			what = "whole numbers"
		}
		r := fmt.Sprintf("comma-separated %s in %s … %s", what, fmtNum(k.Min), fmtNum(k.Max))
		if k.Even {
			r += " (even)"
		}
		return r + fmt.Sprintf(", at most %d", MaxListItems)
	case KindText:
		r := "at most " + fmtNum(k.Max) + " characters of A–Z, a–z, 0–9, - and _"
		if len(k.Values) > 0 {
			r = strings.Join(k.Values, ", ") + ", or " + r
		}
		return r
	}
	return ""
}

// fmtNum formats a number for messages and docs: shortest round-trip
// form, whole numbers below 1e21 without exponent, and exponents without
// leading zeros ("1e-6", not "1e-06").
func fmtNum(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e21 {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	return strings.NewReplacer("e-0", "e-", "e+0", "e+").Replace(s)
}

// isDigits reports whether s is one or more ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// decimal is the syntax of a decimal number: [sign] int [. frac] [e exp].
type decimal struct {
	intPart, frac, exp string // exp keeps its sign
}

// parseDecimal accepts exactly [+-]digits[.digits][(e|E)[+-]digits] and
// [+-].digits[…]: no hex, no underscores, no Inf or NaN, no spaces.
func parseDecimal(s string) (d decimal, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	d.intPart = s[i:j]
	if j < len(s) && s[j] == '.' {
		j++
		f := j
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		d.frac = s[f:j]
	}
	if d.intPart == "" && d.frac == "" {
		return d, false
	}
	if j < len(s) && (s[j] == 'e' || s[j] == 'E') {
		j++
		e := j
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if !isDigits(s[j:]) {
			return d, false
		}
		d.exp = s[e:]
		j = len(s)
	}
	return d, j == len(s)
}

// integral reports whether the decimal's value is a whole number, exactly
// (so "1e4" and "2.50e1" are whole and "2.5" or "1.0000000000000000001"
// are not).
func (d decimal) integral() bool {
	digits := d.intPart + d.frac
	exp := 0
	if d.exp != "" {
		e, err := strconv.Atoi(d.exp)
		if err != nil { // an absurd exponent: whole if ≥ 0 (and out of range)
			return !strings.HasPrefix(d.exp, "-") || strings.Trim(digits, "0") == ""
		}
		exp = e
	}
	// The value is 0.digits × 10^point.
	point := len(d.intPart) + exp
	if point < 0 {
		point = 0
	}
	if point >= len(digits) {
		return true
	}
	return strings.Trim(digits[point:], "0") == ""
}
