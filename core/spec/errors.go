package spec

import (
	"fmt"
	"strings"
	"unicode"
)

// MaxValueLen is the number of characters of a user's key or value that an
// Error keeps; longer ones are cut and end in "…".
const MaxValueLen = 40

// An Error is one problem with a spec: a bad key or value, or a rule that
// involves several keys (docs/spec.md#rules). Parse and Validate reset Key to
// its default. Key and Value come from the user but are sanitized: cut to
// MaxValueLen characters and stripped of control and other non-printing
// characters.
type Error struct {
	Key     string // the key; "" for a problem with the whole query
	Value   string // the offending value; "" when there is none
	Reason  string // what is wrong, e.g. "is not a whole number"
	Allowed string // what is allowed, e.g. "1 … 1024"
}

// Error reads like
//
//	spec: key "k": value "abc" is not a whole number; allowed: 1 … 1024
//	spec: key "foo" is not a known key; allowed: v, target, …
func (e *Error) Error() string {
	msg := "spec: query"
	if e.Key != "" {
		msg = "spec: key " + quote(e.Key)
	}
	if e.Value != "" {
		msg += ": value " + quote(e.Value)
	}
	msg += " " + e.Reason
	if e.Allowed != "" {
		msg += "; allowed: " + e.Allowed
	}
	return msg
}

// quote puts s, already sanitized, in double quotes, escaping the quotes
// in it.
func quote(s string) string {
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}

// Errors is the list of all problems found in one spec, in query order and
// then the cross-key rules. Parse and Validate return a non-empty Errors or
// a nil error.
type Errors []*Error

// Error returns the messages of the errors, one per line.
func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors, for errors.As and errors.Is.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// err returns es as an error, or nil when es is empty.
func (es Errors) err() error {
	if len(es) == 0 {
		return nil
	}
	return es
}

// newError returns an Error with key and value sanitized.
func newError(key, value, reason, allowed string) *Error {
	return &Error{Key: sanitize(key), Value: sanitize(value), Reason: reason, Allowed: allowed}
}

// sanitize makes s safe to show: a control or other non-printing
// character becomes its escape (\x00, \u200b), so that a message never
// hides the character that made a value wrong; invalid UTF-8 becomes
// U+FFFD; the result is cut to MaxValueLen characters (an escape counts
// as one) plus "…".
func sanitize(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range s {
		if n == MaxValueLen {
			b.WriteString("…")
			break
		}
		switch {
		case r == ' ' || unicode.IsPrint(r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			fmt.Fprintf(&b, `\u%04x`, r)
		}
		n++
	}
	return b.String()
}
