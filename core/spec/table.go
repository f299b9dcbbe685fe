package spec

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// A Table is a query language: the keys of one kind of experiment, in
// canonical order, and the rules that involve several keys. The
// playground's table is Playground; each lab builds its own with the same
// machinery, sharing the playground's rows for the keys they share
// (Shared), so that a key keeps one meaning everywhere
// (docs/spec.md#labs).
//
// A Table is built once by NewTable and read-only afterwards.
type Table[S any] struct {
	// Lab is the lab's name, "" for the playground.
	Lab   string
	Keys  []Key[S]
	rules []Rule[S]
	index map[string]int
}

// A Rule involves several keys. Check returns excess > 0 and a reason when
// s breaks the rule; the reason follows `value "…"` in the message. To
// repair s, Parse and Validate reset one of Keys to its default: the first
// non-default one whose reset alone satisfies the rule, else the first
// whose reset reduces the excess (and then look again).
type Rule[S any] struct {
	Keys  []string
	Check func(s *S) (excess float64, reason string)
}

// NewTable returns the table of the keys and rules. It panics on a
// duplicate key name or a rule naming an unknown key (a bug in the
// table, which the package's tests catch).
func NewTable[S any](lab string, keys []Key[S], rules []Rule[S]) *Table[S] {
	t := &Table[S]{Lab: lab, Keys: keys, rules: rules, index: make(map[string]int)}
	for i, k := range keys {
		if _, dup := t.index[k.Name]; dup {
			panic("spec: duplicate key " + k.Name)
		}
		t.index[k.Name] = i
	}
	for i, k := range keys {
		if k.Alias == "" {
			continue
		}
		if _, dup := t.index[k.Alias]; dup {
			panic("spec: alias " + k.Alias + " of " + k.Name + " is taken")
		}
		t.index[k.Alias] = i
	}
	for _, r := range rules {
		for _, n := range r.Keys {
			if _, ok := t.index[n]; !ok {
				panic("spec: rule names unknown key " + n)
			}
		}
	}
	return t
}

// Lookup returns the row named name (or whose Alias is name), or nil if
// there is none.
func (t *Table[S]) Lookup(name string) *Key[S] {
	if i, ok := t.index[name]; ok {
		return &t.Keys[i]
	}
	return nil
}

// key is Lookup for names the table is known to hold.
func (t *Table[S]) key(name string) *Key[S] { return &t.Keys[t.index[name]] }

// Default returns the spec with every key at its default.
func (t *Table[S]) Default() S {
	var s S
	for i := range t.Keys {
		t.Keys[i].reset(&s)
	}
	return s
}

// Parse parses a query string (docs/spec.md#syntax): an optional leading
// '?', then key=value pairs separated by '&', percent-encoded as by
// url.QueryUnescape ('+' is a space); empty pairs are skipped and ';' is no
// separator. Queries longer than MaxQueryLen bytes are rejected whole.
//
// Parse never panics. On success it returns the spec and a nil error; the
// spec is normalized (keys irrelevant to the experiment hold their
// defaults, see Key.Relevant), so Parse(Query(s)) returns s. Otherwise
// the error is an Errors listing every problem, and the spec holds the
// default for every key named in it and the given values for the others,
// which is what the app runs.
func (t *Table[S]) Parse(query string) (S, error) { return t.Apply(t.Default(), query) }

// Apply is Parse starting from s instead of the defaults: the keys in
// query override those of s, and the result is normalized and repaired as
// Parse's is. It applies a change to an experiment, such as a warning's
// one-click fix ("noise=laplace", "nshift=0&k=1"); Apply(s, "") is
// Normalized(s). A key whose value in query is bad keeps its value in s
// (for Parse, its default); the error names it.
func (t *Table[S]) Apply(s S, query string) (S, error) {
	query = strings.TrimPrefix(query, "?")
	if len(query) > MaxQueryLen {
		return s, Errors{newError("", query, fmt.Sprintf("is too long (%d bytes)", len(query)),
			fmt.Sprintf("at most %d bytes", MaxQueryLen))}
	}
	var errs Errors
	seen := make(map[*Key[S]]int)
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			name = rawName
		}
		if name == "" {
			errs = append(errs, newError("", "", "has a pair "+quote(sanitize(pair))+" with no key name", "key=value pairs with the keys "+t.keyNames()))
			continue
		}
		k := t.Lookup(name)
		if k == nil {
			errs = append(errs, newError(name, "", "is not a known key", t.keyNames()))
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		seen[k]++
		switch {
		case seen[k] > 2:
			// Reported at the second occurrence.
		case seen[k] == 2:
			errs = append(errs, k.errorf(value, "repeats the key (a key may be given once)"))
			k.reset(&s)
		case !hasValue:
			errs = append(errs, k.errorf("", "has no value (no '=')"))
		case err != nil:
			errs = append(errs, k.errorf(rawValue, "is not valid percent-encoding"))
		default:
			if e := k.set(&s, value); e != nil {
				errs = append(errs, e)
			}
		}
	}
	t.normalize(&s)
	errs = append(errs, t.repair(&s)...)
	return s, errs.err()
}

// keyNames lists the key names for the unknown-key message.
func (t *Table[S]) keyNames() string {
	names := make([]string, len(t.Keys))
	for i, k := range t.Keys {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// Validate checks a spec built by hand as Parse checks a query: every
// key's value, then the rules. It returns nil or an Errors. Keys
// irrelevant to the experiment are checked but may hold any valid value.
func (t *Table[S]) Validate(s S) error {
	var errs Errors
	for i := range t.Keys {
		k := &t.Keys[i]
		if e := k.set(&s, k.Get(&s)); e != nil {
			errs = append(errs, e)
			k.reset(&s)
		}
	}
	t.normalize(&s)
	errs = append(errs, t.repair(&s)...)
	return errs.err()
}

// Normalized returns s with the keys irrelevant to its experiment set to
// their defaults (see Key.Relevant) and list values in canonical order, as
// Parse returns it.
func (t *Table[S]) Normalized(s S) S {
	t.normalize(&s)
	return s
}

func (t *Table[S]) normalize(s *S) {
	for i := range t.Keys {
		k := &t.Keys[i]
		if !k.Relevant(s) {
			k.reset(s)
			continue
		}
		switch p := k.Ptr(s).(type) {
		case *[]string:
			*p = k.canonicalList(*p)
		case *[]int:
			*p = sortedSet(*p)
		case *[]float64:
			*p = sortedSet(*p)
		}
	}
}

// Query returns s in canonical query form (docs/spec.md#canonical-form):
// the keys in table order, without those at their default (unless
// Always) or irrelevant to the experiment, numbers in shortest round-trip
// form and ints in decimal; view-only keys only if view. For a valid s,
// Parse(Query(s, true)) returns Normalized(s) and no error.
func (t *Table[S]) Query(s S, view bool) string {
	t.normalize(&s)
	var b strings.Builder
	for i := range t.Keys {
		k := &t.Keys[i]
		if k.View && !view {
			continue
		}
		v := k.Get(&s)
		if v == k.Default && !k.Always {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k.Name)
		b.WriteByte('=')
		b.WriteString(escape(v))
	}
	return b.String()
}

// escape percent-encodes the bytes of v other than letters, digits and
// "-._~," (a canonical value needs it only for the '+' of an exponent).
func escape(v string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~,", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// reset sets the key in s to its default.
func (k *Key[S]) reset(s *S) { k.set(s, k.Default) }

// isDefault reports whether s holds the key's default.
func (k *Key[S]) isDefault(s *S) bool { return k.Get(s) == k.Default }

// choose returns the key that the repair of s resets (see Rule).
func (t *Table[S]) choose(r *Rule[S], s *S) *Key[S] {
	excess, _ := r.Check(s)
	var reduces *Key[S]
	for _, name := range r.Keys {
		k := t.key(name)
		if k.isDefault(s) || !k.Relevant(s) {
			continue
		}
		u := *s
		k.reset(&u)
		e, _ := r.Check(&u)
		if e == 0 {
			return k
		}
		if e < excess && reduces == nil {
			reduces = k
		}
	}
	if reduces != nil {
		return reduces
	}
	return t.key(r.Keys[len(r.Keys)-1]) // not reached: the defaults satisfy every rule
}

// allowed describes the values of k that satisfy r, the other keys of s
// being as given: "1 … 1023" or "adam, sgd, momentum".
func (r *Rule[S]) allowed(k *Key[S], s *S) string {
	ok := func(text string) bool {
		u := *s
		if k.set(&u, text) != nil {
			return false
		}
		e, _ := r.Check(&u)
		return e == 0
	}
	switch k.Kind {
	case KindEnum:
		var vs []string
		for _, v := range k.Values {
			if ok(v) {
				vs = append(vs, v)
			}
		}
		return strings.Join(vs, ", ")
	case KindInt:
		// The rules' costs grow with each int key: find the largest value
		// that fits by bisection over lo, lo+step, …
		step := 1
		if k.Even {
			step = 2
		}
		lo, hi := int(k.Min), int(k.Max)
		val := func(i int) string { return strconv.Itoa(lo + i*step) }
		if !ok(val(0)) {
			return fmt.Sprintf("no value of %s, with the other keys as given", k.Name)
		}
		a, b := 0, (hi-lo)/step // ok(a) holds
		for a < b {
			m := a + (b-a+1)/2
			if ok(val(m)) {
				a = m
			} else {
				b = m - 1
			}
		}
		r := strconv.Itoa(lo) + " … " + val(a)
		if k.Even {
			r += " (even)"
		}
		return r
	}
	return k.Allowed()
}

// repair resets keys of s until every rule holds, and returns one Error
// per reset key. It expects the keys to be valid one by one. Each repair
// resets a non-default key, so len(Keys)+1 rounds always suffice.
func (t *Table[S]) repair(s *S) Errors {
	var errs Errors
	for range len(t.Keys) + 1 {
		var broken *Rule[S]
		var reason string
		for i := range t.rules {
			if e, why := t.rules[i].Check(s); e > 0 {
				broken, reason = &t.rules[i], why
				break
			}
		}
		if broken == nil {
			return errs
		}
		k := t.choose(broken, s)
		errs = append(errs, &Error{Key: k.Name, Value: k.Get(s), Reason: reason, Allowed: broken.allowed(k, s)})
		k.reset(s)
	}
	// Not reached (a test checks the defaults satisfy every rule).
	*s = t.Default()
	return errs
}

// LowerList joins the names of the keys relevant for s, "n, k or units",
// for a rule's message ("…; lower n, k or units").
func (t *Table[S]) LowerList(s *S, names ...string) string { return t.lowerList(s, names...) }

// lowerList joins the names of the keys relevant for s: "n, k or units".
func (t *Table[S]) lowerList(s *S, names ...string) string {
	var rel []string
	for _, n := range names {
		if t.key(n).Relevant(s) {
			rel = append(rel, n)
		}
	}
	if len(rel) <= 1 {
		return strings.Join(rel, "")
	}
	return strings.Join(rel[:len(rel)-1], ", ") + " or " + rel[len(rel)-1]
}

// Shared returns the playground's row of the key called name for a lab's
// table over S, reading and writing the field that ptr points at (of the
// same Go type as the playground's). A lab may narrow the row's range or
// values, never widen them or change the key's meaning; a test checks
// every lab table (docs/spec.md#labs).
func Shared[S any](name string, ptr func(s *S) any) Key[S] {
	p := Playground.Lookup(name)
	if p == nil {
		panic("spec: Shared: the playground has no key " + name)
	}
	return Key[S]{Name: p.Name, Kind: p.Kind, Default: p.Default, Min: p.Min, Max: p.Max, Even: p.Even,
		Values: append([]string(nil), p.Values...), Label: p.Label, Doc: p.Doc, Log: p.Log, View: p.View,
		Ptr: ptr}
}
