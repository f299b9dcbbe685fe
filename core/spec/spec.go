// Package spec is the experiment spec v1 of SPEC.md: the query string that
// fully describes an experiment, shared by the browser app, the headless
// runner, the server and the tests.
//
// One declarative table, Keys, describes every key: its kind, default,
// range or values, documentation and UI hints. Parse, Canonical, the error
// messages, Validate, the README's key table (MarkdownTable, written by
// cmd/specdoc) and the UI's controls are all driven by it; adding a key is
// one row there plus a field in Spec.
//
// The contract (SPEC.md, Rules): Parse never panics and never silently runs
// something else. Every bad key, value or combination gives an *Error that
// names the key, the value and what is allowed, and the key runs its
// default. Keys irrelevant to the experiment (deg unless model=poly on a
// 1D target, units for poly, layers unless mlp, norm for neg, rank and
// mle) are reset to their defaults, so that for any query q,
// Parse(Parse(q).Canonical()) returns the same spec without error. Cost
// caps (StepCost, NewtonCost) keep any URL from hanging a browser tab.
package spec

import (
	"fmt"
	"net/url"
	"strings"
)

// Spec is a parsed, validated experiment. Its zero value is not valid; use
// Default or Parse. Field comments name the query key.
type Spec struct {
	V      int     // v
	Target string  // target
	Noise  string  // noise
	NScale float64 // nscale
	NShift float64 // nshift
	Model  string  // model
	Deg    int     // deg
	Units  int     // units
	Layers int     // layers
	Obj    string  // obj
	Norm   string  // norm
	K      int     // k
	N      int     // n
	Batch  int     // batch
	Opt    string  // opt
	LR     float64 // lr
	Steps  int     // steps
	Seed   uint64  // seed

	// View-only keys: they change nothing computed.
	View View
}

// View holds the view-only keys of SPEC.md.
type View struct {
	Embed    bool     // embed
	Autoplay bool     // autoplay
	Panels   []string // panels
	Speed    float64  // speed
	Theme    string   // theme
}

// Default returns the spec with every key at its default: the experiment
// of the empty query.
func Default() Spec {
	var s Spec
	for i := range Keys {
		Keys[i].reset(&s)
	}
	return s
}

// Parse parses a query string in the language of SPEC.md: an optional
// leading '?', then key=value pairs separated by '&', percent-encoded as by
// url.QueryUnescape ('+' is a space); empty pairs are skipped and ';' is no
// separator. Queries longer than MaxQueryLen bytes are rejected whole.
//
// Parse never panics. On success it returns the spec and a nil error; the
// spec is normalized (keys irrelevant to the experiment hold their
// defaults, see Key.Relevant), so Parse(s.Canonical()) returns s. Otherwise
// the error is an Errors listing every problem, and the spec holds the
// default for every key named in it and the given values for the others,
// which is what the app runs.
func Parse(query string) (Spec, error) {
	s := Default()
	query = strings.TrimPrefix(query, "?")
	if len(query) > MaxQueryLen {
		return s, Errors{newError("", query, fmt.Sprintf("is too long (%d bytes)", len(query)),
			fmt.Sprintf("at most %d bytes", MaxQueryLen))}
	}
	var errs Errors
	seen := make(map[*Key]int)
	for pair := range strings.SplitSeq(query, "&") {
		if pair == "" {
			continue
		}
		rawName, rawValue, hasValue := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			name = rawName
		}
		k := Lookup(name)
		if k == nil {
			errs = append(errs, newError(name, "", "is not a known key", keyNames()))
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
	s.normalize()
	errs = append(errs, s.repair()...)
	return s, errs.err()
}

// keyNames lists the key names for the unknown-key message.
func keyNames() string {
	names := make([]string, len(Keys))
	for i, k := range Keys {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// Validate checks a spec built by hand as Parse checks a query: every
// key's value, then the rules that involve several keys (newton's models
// and objectives, rbf's 2D size, and the cost caps of StepCost and
// NewtonCost). It returns nil or an Errors. Keys irrelevant to the
// experiment are checked but may hold any valid value.
func (s Spec) Validate() error {
	var errs Errors
	for i := range Keys {
		k := &Keys[i]
		if e := k.set(&s, k.Get(&s)); e != nil {
			errs = append(errs, e)
			k.reset(&s)
		}
	}
	s.normalize()
	errs = append(errs, s.repair()...)
	return errs.err()
}

// Normalized returns s with the keys irrelevant to its experiment set to
// their defaults (see Key.Relevant) and list values in canonical order, as
// Parse returns it.
func (s Spec) Normalized() Spec {
	s.normalize()
	return s
}

func (s *Spec) normalize() {
	for i := range Keys {
		k := &Keys[i]
		if !k.Relevant(s) {
			k.reset(s)
		} else if p, ok := k.field(s).(*[]string); ok {
			*p = k.canonicalList(*p)
		}
	}
}

// Canonical returns s in canonical query form (SPEC.md, Rules): the keys,
// view-only keys included, in table order, without those at their default
// or irrelevant to the experiment, numbers in shortest round-trip form
// (strconv 'g', -1) and ints in decimal; "" for the default spec. For a
// valid s, Parse(s.Canonical()) returns s.Normalized() and no error.
func (s Spec) Canonical() string { return s.query(true) }

// ExperimentQuery is Canonical without the view-only keys: it names the
// experiment (the runner's JSON "spec" field, cache keys), not how it is
// shown.
func (s Spec) ExperimentQuery() string { return s.query(false) }

func (s Spec) query(view bool) string {
	s.normalize()
	var b strings.Builder
	for i := range Keys {
		k := &Keys[i]
		if k.View && !view {
			continue
		}
		v := k.Get(&s)
		if v == k.Default {
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
