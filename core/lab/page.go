package lab

import (
	"net/url"
	"strings"

	"nceplay/core/spec"
)

// What a lab's page needs of the registry, for every lab alike: its key
// table as settings (each key's value and whether it applies, the
// canonical query, one key changed at a time), the view-only keys a page
// link may carry beside the experiment, and how far a run has come.

// A Table is a lab's key table as a page drives it: TableOf(t) for the
// lab's spec.Table. Its states are canonical queries, so that a page never
// holds a lab's spec type.
type Table interface {
	// Parse parses an experiment query of the lab (as spec.Table.Parse:
	// every problem is in the spec.Errors, and the bad keys hold their
	// defaults).
	Parse(query string) (State, error)
	// With returns the experiment of the canonical query with the key
	// called name set to value (normalized, and repaired by the rules
	// that involve several keys, as Parse does). A bad value leaves the
	// experiment as it was; both errors are a spec.Errors.
	With(query, name, value string) (State, error)
}

// A State is an experiment of a lab: its canonical query and, per row of
// the lab's Keys, the key's value in canonical text and whether it
// applies to this experiment (a page greys out the others).
type State struct {
	Query    string
	Values   []string
	Relevant []bool
}

// TableOf returns t as a Table.
func TableOf[S any](t *spec.Table[S]) Table { return table[S]{t} }

type table[S any] struct{ t *spec.Table[S] }

func (t table[S]) state(s S) State {
	st := State{Query: t.t.Query(s, true)}
	st.Values, st.Relevant = t.t.Values(&s)
	return st
}

func (t table[S]) Parse(query string) (State, error) {
	s, err := t.t.Parse(query)
	return t.state(s), err
}

func (t table[S]) With(query, name, value string) (State, error) {
	s, _ := t.t.Parse(query)
	k := t.t.Lookup(name)
	if k == nil {
		return t.state(s), spec.Errors{{Key: name, Reason: "is not a known key"}}
	}
	if err := k.Set(&s, value); err != nil {
		return t.state(s), spec.Errors{err.(*spec.Error)}
	}
	s, err := t.t.Parse(t.t.Query(s, true))
	return t.state(s), err
}

// viewTable holds the playground's view-only keys that a lab page takes
// (docs/spec.md#view-keys): all but panels, which names the playground's
// own panels. They change how a lab is shown, never what it computes, so a
// lab's table leaves them to the page: the same rows, spelled once.
var viewTable = func() *spec.Table[spec.Spec] {
	var keys []spec.Key[spec.Spec]
	for _, k := range spec.Playground.Keys {
		if k.View && k.Kind != spec.KindList && k.Kind != spec.KindText {
			keys = append(keys, k)
		}
	}
	return spec.NewTable("", keys, nil)
}()

// ViewKeys returns the rows of the view-only keys a lab page takes.
func ViewKeys() []Key { return Describe(viewTable) }

// Settings is a lab page's link: the lab, its experiment (State) and the
// view-only keys.
type Settings struct {
	Lab *Lab
	State
	// View holds the view-only keys (ViewKeys; Panels is unused).
	View spec.View
	// ViewQuery is their canonical form ("" when all are at their
	// default).
	ViewQuery string
}

// Link returns the canonical query of the page: the experiment, then the
// view-only keys that are not at their default.
func (s Settings) Link() string {
	if s.ViewQuery == "" {
		return s.Query
	}
	return s.Query + "&" + s.ViewQuery
}

// ViewValue returns the value of the view-only key called name (ViewKeys)
// in canonical text, or "" for a key a lab page does not take.
func (s Settings) ViewValue(name string) string {
	k := viewTable.Lookup(name)
	if k == nil {
		return ""
	}
	v := spec.Spec{View: s.View}
	return k.Get(&v)
}

// Value returns the value of the lab key called name, or "".
func (s Settings) Value(name string) string {
	for i, k := range s.Lab.Keys {
		if k.Name == name {
			return s.Values[i]
		}
	}
	return ""
}

// Open reads a lab page's query: the lab its lab key names, its view-only
// keys and its experiment. The error lists every bad key (a spec.Errors,
// in the order: the experiment's keys, then the view keys); each runs its
// default. A query naming no lab, or an unknown one, returns a nil Lab and
// the error (nil for no lab key).
func Open(query string) (Settings, error) {
	l, err := Select(query)
	if l == nil {
		return Settings{}, err
	}
	return l.Parse(query)
}

// Parse reads a page query of the lab l: the view-only keys, and the rest
// as l's experiment.
func (l *Lab) Parse(query string) (Settings, error) {
	exp, view := splitView(query)
	st, err := l.Table.Parse(exp)
	v, verr := viewTable.Parse(view)
	return l.settings(st, v), joinErrors(err, verr)
}

// splitView splits a query into the experiment's pairs and the view-only
// keys' (ViewKeys), each in their order. A query too long is all
// experiment, which the lab's Parse refuses whole.
func splitView(query string) (exp, view string) {
	query = strings.TrimPrefix(query, "?")
	if len(query) > spec.MaxQueryLen {
		return query, ""
	}
	var e, v []string
	for pair := range strings.SplitSeq(query, "&") {
		raw, _, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(raw); err == nil && viewTable.Lookup(name) != nil {
			v = append(v, pair)
		} else {
			e = append(e, pair)
		}
	}
	return strings.Join(e, "&"), strings.Join(v, "&")
}

// withView returns a lab's New that takes a page's link: it checks the
// view-only keys (a bad one is an error, as in the playground's runner)
// and builds the experiment of the others, so that a link copied from a
// lab's page runs as is (docs/spec.md#labs).
func withView(build func(query string, in Input) (Run, error)) func(query string, in Input) (Run, error) {
	return func(query string, in Input) (Run, error) {
		exp, view := splitView(query)
		if _, err := viewTable.Parse(view); err != nil {
			return nil, err
		}
		return build(exp, in)
	}
}

// With returns s with the key called name (the lab's or a view-only key)
// set to value, as Table.With.
func (l *Lab) With(s Settings, name, value string) (Settings, error) {
	if k := viewTable.Lookup(name); k != nil {
		v, _ := viewTable.Parse(s.ViewQuery)
		if err := k.Set(&v, value); err != nil {
			return s, spec.Errors{err.(*spec.Error)}
		}
		return l.settings(s.State, v), nil
	}
	st, err := l.Table.With(s.Query, name, value)
	return l.settings(st, spec.Spec{View: s.View}), err
}

func (l *Lab) settings(st State, v spec.Spec) Settings {
	return Settings{Lab: l, State: st, View: v.View, ViewQuery: viewTable.Query(v, true)}
}

// joinErrors returns the spec.Errors of both errors, or nil.
func joinErrors(errs ...error) error {
	var all spec.Errors
	for _, err := range errs {
		switch e := err.(type) {
		case nil:
		case spec.Errors:
			all = append(all, e...)
		case *spec.Error:
			all = append(all, e)
		default:
			all = append(all, &spec.Error{Reason: err.Error()})
		}
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

// A Tracker is a Run that says how far it has come, cheaply (a page's
// progress readout).
type Tracker interface {
	Track() Progress
}

// Progress is how far a run has come.
type Progress struct {
	Done, Total int64  // in the lab's units
	Unit        string // what Done counts, plural ("words")
	Stage       string // where the run is, in words ("epoch 2 of 3"); may be ""
}
