// Package lab is the registry of labs (docs/architecture.md#add-a-lab): one
// row per lab, with its name, title, doc, key table and how the runner
// runs it. A query selects a lab with its lab key (lab=w2v); a query
// without one is the playground's (core/spec), whose table stays as it is.
// Each lab's own package holds its key table (a spec.Table sharing the
// playground's rows through spec.Shared), its engine and its report; this
// package adapts them to one interface, Run, so that the runner (and any
// other host) drives every lab alike.
package lab

import (
	"io"
	"net/url"
	"strings"

	"nceplay/core/lab/infonce"
	"nceplay/core/lab/sweep"
	"nceplay/core/lab/vocab"
	"nceplay/core/lab/w2v"
	"nceplay/core/spec"
)

// KeyName is the key that names a lab in a query. Every lab's table
// starts with it, written even at its default (spec.Key.Always), so that
// a lab's canonical link names its lab.
const KeyName = "lab"

// Input is what a lab may need beside its query.
type Input struct {
	// Text is the user's own text, for a lab that trains on one (Lab.Text):
	// pasted in the page, or read from a file by the runner's --text. A
	// link never holds it. nil when none is given.
	Text *string
}

// A Run is one experiment of a lab, as the runner drives it.
type Run interface {
	// Query returns the experiment's canonical query (lab=<name>&…).
	Query() string
	// Step advances by up to n of the lab's units (w2v: centre words).
	// Its only error is a divergence, which stops the run.
	Step(n int) error
	// Done reports whether the run is finished (or diverged).
	Done() bool
	// Report returns the runner's JSON object, given the seconds spent
	// in Step and the run's wall time in milliseconds.
	Report(stepSeconds, ms float64) any
}

// A VectorWriter is a Run that can write its learned word vectors in
// word2vec's text format (the runner's --vectors FILE).
type VectorWriter interface {
	WriteVectors(w io.Writer) error
}

// A CorpusWriter is a Run that can write its training corpus as text (the
// runner's --corpus FILE), for another tool to train on the same words.
type CorpusWriter interface {
	WriteCorpus(w io.Writer) error
}

// A Key describes one row of a lab's key table (spec.Key without its
// accessors).
type Key struct {
	Name, Label, Doc string
	Kind             spec.Kind
	Default          string
	Min, Max         float64
	Even             bool
	Values           []string
	Log, View        bool
	Always           bool
	Allowed          string // the allowed values, as the error messages say them
}

// Describe returns the rows of a key table.
func Describe[S any](t *spec.Table[S]) []Key {
	keys := make([]Key, len(t.Keys))
	for i, k := range t.Keys {
		keys[i] = Key{Name: k.Name, Label: k.Label, Doc: k.Doc, Kind: k.Kind, Default: k.Default,
			Min: k.Min, Max: k.Max, Even: k.Even, Values: k.Values, Log: k.Log, View: k.View, Always: k.Always,
			Allowed: k.Allowed()}
	}
	return keys
}

// A Lab is one row of the registry All.
type Lab struct {
	Name  string // the lab key's value
	Title string // a heading
	Doc   string // one line
	Cite  string // the docs anchor that describes it
	Keys  []Key  // its key table, in canonical order
	// Table is the key table as a page drives it (TableOf), row for row
	// the same as Keys.
	Table Table
	// Markdown returns its key table for docs/spec.md (cmd/specdoc). It
	// is set in engines.go, as New is: a lab's page has no use for it,
	// and its build leaves the docs' code out.
	Markdown func() string
	// Text reports whether the lab can train on a user's text
	// (Input.Text), and MaxText is the largest text it takes, in bytes.
	Text    bool
	MaxText int
	// Timings names the report's wall-clock fields, which differ from run
	// to run: comparisons of native and WebAssembly output leave them out.
	Timings []string
	// New parses the query (which may name the lab or not) and builds
	// the run; its errors are bad input (a spec.Errors, or a clear message
	// about the text). It is set in engines.go, which a lab page's build
	// leaves out (the tag labpage): nil there.
	New func(query string, in Input) (Run, error)
}

// W2V is the word2vec lab (core/lab/w2v).
var W2V = &Lab{
	Name: w2v.Name, Title: "word2vec: negative sampling factorizes PMI − log k", Cite: "docs/spec.md#lab-w2v",
	Doc:  "skip-gram with negative sampling (and NCE proper) on a language with exact PMI or on a text, against the shifted PMI it converges to",
	Keys: Describe(w2v.Table), Table: TableOf(w2v.Table), Text: true, MaxText: w2v.MaxTextBytes, Timings: w2v.Timings,
}

// InfoNCE is the InfoNCE lab (core/lab/infonce).
var InfoNCE = &Lab{
	Name: infonce.Name, Title: "InfoNCE: a bound on mutual information that cannot pass log(k+1)", Cite: "docs/spec.md#lab-infonce",
	Doc:  "a critic trained with the ranking loss on Gaussian pairs, its bound log(k+1) − J against the true information",
	Keys: Describe(infonce.Table), Table: TableOf(infonce.Table), Timings: []string{"ms"},
}

// Sweep is the sweep lab (core/lab/sweep). Its run steps one worker per core
// (GOMAXPROCS; one in wasm), in units of points of data and noise passed
// over; its rows are the same on any number of workers.
var Sweep = &Lab{
	Name: sweep.Name, Title: "What k and the noise buy: NCE's efficiency against maximum likelihood", Cite: "docs/spec.md#lab-sweep",
	Doc:  "NCE's mean squared error of θ against k, n and the noise, beside maximum likelihood's on the same data sets and the asymptotic theory",
	Keys: Describe(sweep.Table), Table: TableOf(sweep.Table), Timings: []string{"ms"},
}

// Vocab is the large-vocabulary lab (core/lab/vocab).
var Vocab = &Lab{
	Name: vocab.Name, Title: "A large vocabulary: NCE against the full softmax, normalizers fixed to 1", Cite: "docs/spec.md#lab-vocab",
	Doc:  "NCE, negative sampling and ranking against the full softmax on a synthetic language of up to 10⁵ words: perplexity against wall time, each context's log Z, time per step against V",
	Keys: Describe(vocab.Table), Table: TableOf(vocab.Table), Timings: vocab.Timings,
}

// All is the registry of labs. A lab's name is spelled in its own package
// only.
var All = []*Lab{W2V, Sweep, InfoNCE, Vocab}

// Lookup returns the lab called name, or nil.
func Lookup(name string) *Lab {
	for _, l := range All {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// selector is the one-key table that checks a lab key's value, so that a
// bad one gets the spec's error (docs/spec.md#rules).
var selector = func() *spec.Key[string] {
	names := make([]string, len(All))
	for i, l := range All {
		names[i] = l.Name
	}
	return &spec.Key[string]{Name: KeyName, Kind: spec.KindEnum, Values: names, Label: "Lab",
		Doc: "The lab.", Ptr: func(s *string) any { return s }}
}()

// HasKey reports whether query has a pair with the key name.
func HasKey(query, name string) bool {
	for pair := range strings.SplitSeq(strings.TrimPrefix(query, "?"), "&") {
		raw, _, _ := strings.Cut(pair, "=")
		if k, err := url.QueryUnescape(raw); err == nil && k == name {
			return true
		}
	}
	return false
}

// Select returns the lab that query names with its first lab key, or nil
// for a query without one (the playground's). A lab key with an unknown
// value is an error that names the key and lists the labs.
func Select(query string) (*Lab, error) {
	query = strings.TrimPrefix(query, "?")
	for pair := range strings.SplitSeq(query, "&") {
		rawName, rawValue, _ := strings.Cut(pair, "=")
		if name, err := url.QueryUnescape(rawName); err != nil || name != KeyName {
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			value = rawValue
		}
		var name string
		if err := selector.Set(&name, value); err != nil {
			return nil, spec.Errors{err.(*spec.Error)}
		}
		return Lookup(name), nil
	}
	return nil, nil
}
