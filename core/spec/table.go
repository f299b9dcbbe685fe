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
//
// Only the accessors (Key.Ptr, Key.Applies, Rule.Check) and thin
// wrappers depend on S: parsing, formatting, the canonical form, the
// rules' repairs, the errors and the docs are one copy of code shared by
// every table (table, row), which reaches a spec's fields through the
// pointers Key.Ptr returns (docs/architecture.md#key-tables).
type Table[S any] struct {
	// Lab is the lab's name, "" for the playground.
	Lab   string
	Keys  []Key[S]
	rules []Rule[S]
	tab   *table
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
	return &Table[S]{Lab: lab, Keys: keys, rules: rules,
		tab: newTable(len(keys), func(i int) *row { return keys[i].row() },
			len(rules), func(i int) []string { return rules[i].Keys })}
}

// Lookup returns the row named name (or whose Alias is name), or nil if
// there is none.
func (t *Table[S]) Lookup(name string) *Key[S] {
	if i, ok := t.tab.index[name]; ok {
		return &t.Keys[i]
	}
	return nil
}

// Default returns the spec with every key at its default.
func (t *Table[S]) Default() S {
	var s S
	t.tab.defaults(t.ref(&s))
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
	err := t.tab.apply(t.ref(&s), query)
	return s, err
}

// Validate checks a spec built by hand as Parse checks a query: every
// key's value, then the rules. It returns nil or an Errors. Keys
// irrelevant to the experiment are checked but may hold any valid value.
func (t *Table[S]) Validate(s S) error { return t.tab.validate(t.ref(&s)) }

// Normalized returns s with the keys irrelevant to its experiment set to
// their defaults (see Key.Relevant) and list values in canonical order, as
// Parse returns it.
func (t *Table[S]) Normalized(s S) S {
	t.tab.normalize(t.ref(&s))
	return s
}

// Query returns s in canonical query form (docs/spec.md#canonical-form):
// the keys in table order, without those at their default (unless
// Always) or irrelevant to the experiment, numbers in shortest round-trip
// form and ints in decimal; view-only keys only if view. For a valid s,
// Parse(Query(s, true)) returns Normalized(s) and no error.
func (t *Table[S]) Query(s S, view bool) string { return t.tab.query(t.ref(&s), view) }

// Values returns, row by row of Keys, the key's value in s in canonical
// text (Key.Get) and whether it applies to s (Key.Relevant).
func (t *Table[S]) Values(s *S) (values []string, relevant []bool) { return t.tab.values(t.ref(s)) }

// LowerList joins the names of the keys relevant for s, "n, k or units",
// for a rule's message ("…; lower n, k or units").
func (t *Table[S]) LowerList(s *S, names ...string) string {
	return t.tab.lowerList(t.ref(s), names)
}

// MarkdownTable returns the table's keys as a Markdown table (see the
// package function MarkdownTable).
func (t *Table[S]) MarkdownTable() string { return t.tab.markdown() }

// Shared returns the playground's row of the key called name for a lab's
// table over S, reading and writing the field that ptr points at (of the
// same Go type as the playground's). A lab may narrow the row's range or
// values, never widen them or change the key's meaning; a test checks
// every lab table (docs/spec.md#labs).
//
// Not inlined: a lab's table calls it for each shared key.
//
//go:noinline
func Shared[S any](name string, ptr func(s *S) any) Key[S] {
	var k Key[S]
	k.row().share(name)
	k.Ptr = ptr
	return k
}

// share sets r to the playground's row of the key called name, as Shared
// returns it.
func (r *row) share(name string) {
	p := Playground.Lookup(name)
	if p == nil {
		panic("spec: Shared: the playground has no key " + name)
	}
	*r = row{Name: p.Name, Kind: p.Kind, Default: p.Default, Min: p.Min, Max: p.Max, Even: p.Even,
		Values: append([]string(nil), p.Values...), Label: p.Label, Doc: p.Doc, Log: p.Log, View: p.View}
}

// ref is one spec of a Table[S] as the shared code sees it (fields).
type ref[S any] struct {
	t *Table[S]
	s *S
}

func (t *Table[S]) ref(s *S) *ref[S] { return &ref[S]{t, s} }

func (r *ref[S]) ptr(i int) any                 { return r.t.Keys[i].Ptr(r.s) }
func (r *ref[S]) relevant(i int) bool           { return r.t.Keys[i].Relevant(r.s) }
func (r *ref[S]) check(i int) (float64, string) { return r.t.rules[i].Check(r.s) }
func (r *ref[S]) clone() fields                 { u := *r.s; return &ref[S]{r.t, &u} }
func (r *ref[S]) copyFrom(f fields)             { *r.s = *f.(*ref[S]).s }
func (r *ref[S]) clear()                        { var zero S; *r.s = zero }

// fields is one spec as the code shared by every table sees it: the
// field of each key, whether each key applies, and the rules. Its indices
// are those of the table's Keys and rules.
type fields interface {
	// ptr returns a pointer to key i's field (Key.Ptr).
	ptr(i int) any
	// relevant is Key.Relevant of key i.
	relevant(i int) bool
	// check is Rule.Check of rule i.
	check(i int) (excess float64, reason string)
	// clone returns a copy of the spec.
	clone() fields
	// copyFrom overwrites the spec with f's, a clone of it.
	copyFrom(f fields)
	// clear sets the spec to its type's zero value.
	clear()
}

// table is the part of a Table that does not depend on its spec type:
// the rows, the rules' keys and the name index.
type table struct {
	rows  []*row  // the rows of the Table's Keys
	rules [][]int // each rule's keys, as indices of rows
	index map[string]int
}

// newTable indexes the rows and resolves the rules' keys (see NewTable).
func newTable(nkeys int, key func(i int) *row, nrules int, ruleKeys func(i int) []string) *table {
	rows := make([]*row, nkeys)
	for i := range rows {
		rows[i] = key(i)
	}
	t := &table{rows: rows, rules: make([][]int, nrules), index: make(map[string]int)}
	for i, k := range rows {
		if _, dup := t.index[k.Name]; dup {
			panic("spec: duplicate key " + k.Name)
		}
		t.index[k.Name] = i
	}
	for i, k := range rows {
		if k.Alias == "" {
			continue
		}
		if _, dup := t.index[k.Alias]; dup {
			panic("spec: alias " + k.Alias + " of " + k.Name + " is taken")
		}
		t.index[k.Alias] = i
	}
	for r := range t.rules {
		for _, n := range ruleKeys(r) {
			i, ok := t.index[n]
			if !ok {
				panic("spec: rule names unknown key " + n)
			}
			t.rules[r] = append(t.rules[r], i)
		}
	}
	return t
}

// defaults sets every key of f to its default.
func (t *table) defaults(f fields) {
	for i := range t.rows {
		t.reset(f, i)
	}
}

// reset sets key i of f to its default.
func (t *table) reset(f fields, i int) { t.rows[i].set(f.ptr(i), t.rows[i].Default) }

// isDefault reports whether f holds key i's default.
func (t *table) isDefault(f fields, i int) bool { return t.rows[i].get(f.ptr(i)) == t.rows[i].Default }

// apply is Table.Apply on f.
func (t *table) apply(f fields, query string) error {
	query = strings.TrimPrefix(query, "?")
	if len(query) > MaxQueryLen {
		return Errors{newError("", query, fmt.Sprintf("is too long (%d bytes)", len(query)),
			fmt.Sprintf("at most %d bytes", MaxQueryLen))}
	}
	var errs Errors
	seen := make([]int, len(t.rows)) // how often each key was given
	for rest := query; rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
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
		i, known := t.index[name]
		if !known {
			errs = append(errs, newError(name, "", "is not a known key", t.keyNames()))
			continue
		}
		k := t.rows[i]
		value, err := url.QueryUnescape(rawValue)
		seen[i]++
		switch {
		case seen[i] > 2:
			// Reported at the second occurrence.
		case seen[i] == 2:
			errs = append(errs, k.errorf(value, "repeats the key (a key may be given once)"))
			t.reset(f, i)
		case !hasValue:
			errs = append(errs, k.errorf("", "has no value (no '=')"))
		case err != nil:
			errs = append(errs, k.errorf(rawValue, "is not valid percent-encoding"))
		default:
			if e := k.set(f.ptr(i), value); e != nil {
				errs = append(errs, e)
			}
		}
	}
	t.normalize(f)
	errs = append(errs, t.repair(f)...)
	return errs.err()
}

// keyNames lists the key names for the unknown-key message.
func (t *table) keyNames() string {
	names := make([]string, len(t.rows))
	for i, k := range t.rows {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// validate is Table.Validate on f.
func (t *table) validate(f fields) error {
	var errs Errors
	for i := range t.rows {
		k := t.rows[i]
		if e := k.set(f.ptr(i), k.get(f.ptr(i))); e != nil {
			errs = append(errs, e)
			t.reset(f, i)
		}
	}
	t.normalize(f)
	errs = append(errs, t.repair(f)...)
	return errs.err()
}

// normalize is Table.Normalized on f.
func (t *table) normalize(f fields) {
	for i := range t.rows {
		if !f.relevant(i) {
			t.reset(f, i)
			continue
		}
		switch p := f.ptr(i).(type) {
		case *[]string:
			*p = t.rows[i].canonicalList(*p)
		case *[]int:
			*p = sortedSet(*p)
		case *[]float64:
			*p = sortedSet(*p)
		}
	}
}

// query is Table.Query on f, which it normalizes.
func (t *table) query(f fields, view bool) string {
	t.normalize(f)
	var b strings.Builder
	for i := range t.rows {
		k := t.rows[i]
		if k.View && !view {
			continue
		}
		v := k.get(f.ptr(i))
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
	b := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		c := v[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~,", c) >= 0 {
			b = append(b, c)
		} else {
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}

// choose returns the key that the repair of f resets for rule r (see
// Rule).
func (t *table) choose(r int, f fields) int {
	excess, _ := f.check(r)
	reduces := -1
	var u fields
	for _, i := range t.rules[r] {
		if t.isDefault(f, i) || !f.relevant(i) {
			continue
		}
		if u == nil {
			u = f.clone()
		} else {
			u.copyFrom(f)
		}
		t.reset(u, i)
		e, _ := u.check(r)
		if e == 0 {
			return i
		}
		if e < excess && reduces < 0 {
			reduces = i
		}
	}
	if reduces >= 0 {
		return reduces
	}
	return t.rules[r][len(t.rules[r])-1] // not reached: the defaults satisfy every rule
}

// allowed describes the values of key i that satisfy rule r, the other
// keys of f being as given: "1 … 1023" or "adam, sgd, momentum".
func (t *table) allowed(r, i int, f fields) string {
	k := t.rows[i]
	var u fields
	ok := func(text string) bool {
		if u == nil {
			u = f.clone()
		} else {
			u.copyFrom(f)
		}
		if k.set(u.ptr(i), text) != nil {
			return false
		}
		e, _ := u.check(r)
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
	return k.allowed()
}

// repair resets keys of f until every rule holds, and returns one Error
// per reset key. It expects the keys to be valid one by one. Each repair
// resets a non-default key, so len(rows)+1 rounds always suffice.
func (t *table) repair(f fields) Errors {
	var errs Errors
	for range len(t.rows) + 1 {
		broken := -1
		var reason string
		for r := range t.rules {
			if e, why := f.check(r); e > 0 {
				broken, reason = r, why
				break
			}
		}
		if broken < 0 {
			return errs
		}
		i := t.choose(broken, f)
		k := t.rows[i]
		errs = append(errs, &Error{Key: k.Name, Value: k.get(f.ptr(i)), Reason: reason, Allowed: t.allowed(broken, i, f)})
		t.reset(f, i)
	}
	// Not reached (a test checks the defaults satisfy every rule).
	f.clear()
	t.defaults(f)
	return errs
}

// values is Table.Values on f.
func (t *table) values(f fields) (values []string, relevant []bool) {
	values, relevant = make([]string, len(t.rows)), make([]bool, len(t.rows))
	for i := range t.rows {
		values[i], relevant[i] = t.rows[i].get(f.ptr(i)), f.relevant(i)
	}
	return values, relevant
}

// lowerList joins the names of the keys relevant for f: "n, k or units".
func (t *table) lowerList(f fields, names []string) string {
	var rel []string
	for _, n := range names {
		if f.relevant(t.index[n]) {
			rel = append(rel, n)
		}
	}
	if len(rel) <= 1 {
		return strings.Join(rel, "")
	}
	return strings.Join(rel[:len(rel)-1], ", ") + " or " + rel[len(rel)-1]
}
