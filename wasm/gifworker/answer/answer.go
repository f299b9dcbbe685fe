// Package answer is what the GIF worker (wasm/gifworker) answers to a
// request from the page's "GIF" dialog: gifexport's animated GIF of the
// experiment, byte for byte what `nceplay gif` writes for the same
// options, its file name, or why there is none. It is tested natively;
// the worker only carries the messages.
package answer

import (
	"errors"
	"net/url"
	"strings"

	"nceplay/core/dataset"
	"nceplay/core/nce"
	"nceplay/core/spec"
	"nceplay/gifexport"
)

// A Request is the dialog's choice: the experiment's query and the
// options of `nceplay gif` (panels by their spec.Panels IDs).
type Request struct {
	Query  string
	Panels []string
	Frames int
	Width  int
	Dark   bool
	// Data is the data file's CSV text when Query names one (datafile=…):
	// the page's training worker keeps the file and hands it over.
	Data string
}

// An Answer is a GIF with its file name, or an error. A run that
// diverged still has its GIF (its last frame the last finite state) and
// says so in Warn.
type Answer struct {
	GIF  []byte
	Name string
	Warn string
	Err  string
}

// Options are the gifexport options of r (the height follows the width:
// 9/16 of it, as `nceplay gif` without --height).
func (r Request) Options() gifexport.Options {
	return gifexport.Options{Panels: r.Panels, Frames: r.Frames, Width: r.Width, Dark: r.Dark}
}

// For makes the GIF of r.
func For(r Request) Answer {
	s, err := spec.Parse(r.Query)
	if err != nil {
		return Answer{Err: "this experiment's link is not valid: " + err.Error()}
	}
	if r.Panels != nil && len(r.Panels) == 0 {
		return Answer{Err: "choose at least one panel (" + strings.Join(gifexport.Drawable, ", ") + ")"}
	}
	opt := r.Options()
	if r.Data != "" {
		if opt.Points, _, err = dataset.ParseCSV([]byte(r.Data), s.Dim()); err != nil {
			return Answer{Err: "the data file: " + err.Error()}
		}
	}
	b, err := gifexport.Encode(r.Query, opt)
	a := Answer{GIF: b, Name: FileName(s)}
	switch {
	case err == nil:
	case errors.Is(err, gifexport.ErrDiverged):
		a.Warn = strings.TrimPrefix(err.Error(), "gifexport: ")
	case isNeedsFile(err):
		return Answer{Err: "no GIF of an experiment on a data file (" + s.DataFile + ") without the file: give it to the page (drop or choose it), or to nceplay gif --data"}
	default:
		return Answer{Err: strings.TrimPrefix(strings.TrimPrefix(err.Error(), "gifexport: bad options: "), "gifexport: ")}
	}
	return a
}

// FileName is the GIF's file name for the experiment s: "nce-" and its
// canonical query with '=' as '-' and '&' as '_' ("nce-k-8_target-ring.gif";
// "nce-default.gif" for the defaults), the value of a data key (points,
// thousands of characters) left out, at most 100 characters before ".gif".
func FileName(s spec.Spec) string {
	var parts []string
	for _, kv := range strings.Split(s.ExperimentQuery(), "&") {
		if kv == "" {
			continue
		}
		k, v, _ := strings.Cut(kv, "=")
		if u, err := url.QueryUnescape(v); err == nil {
			v = u
		}
		if len(v) > 24 { // a data key's points, a long list: the key alone
			parts = append(parts, clean(k))
			continue
		}
		parts = append(parts, clean(k)+"-"+clean(v))
	}
	name := "nce-" + strings.Join(parts, "_")
	if len(parts) == 0 {
		name = "nce-default"
	}
	if len(name) > 100 {
		name = strings.TrimRight(name[:100], "_-.")
	}
	return name + ".gif"
}

// clean keeps the characters a file name may hold everywhere.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		case r == ',':
			return '+'
		}
		return -1
	}, s)
}

// isNeedsFile reports whether err is, or wraps, the trainer's "needs a
// data file" error.
func isNeedsFile(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if _, ok := err.(*nce.NeedsFileError); ok {
			return true
		}
	}
	return false
}
