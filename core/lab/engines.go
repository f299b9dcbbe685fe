//go:build !labpage

package lab

// The labs' engines: each row's New and its run. A lab's page (wasm/lab)
// is built with the tag labpage, which leaves this file out, so that the
// page links the labs' key tables but none of their engines (they run in
// the labs' worker): the page's wasm stays small as labs are added.
// Every other build (the runner, the workers, the tests) has them.

import (
	"fmt"
	"io"
	"strconv"

	"nceplay/core/lab/w2v"
)

func init() {
	W2V.New = withView(newW2V)
}

func newW2V(query string, in Input) (Run, error) {
	s, err := w2v.Parse(query)
	if err != nil {
		return nil, err
	}
	if in.Text != nil && s.Corpus != w2v.Pasted.Name {
		// A text given with no corpus named means corpus=text.
		if HasKey(query, "corpus") {
			return nil, fmt.Errorf("w2v: a text was given, but the query asks for corpus=%s: use corpus=%s (or leave corpus out)", s.Corpus, w2v.Pasted.Name)
		}
		s.Corpus = w2v.Pasted.Name
	}
	t, err := w2v.New(s, in.Text)
	if err != nil {
		return nil, err
	}
	return w2vRun{t}, nil
}

type w2vRun struct{ *w2v.Trainer }

func (r w2vRun) Query() string { return r.Spec().Query() }

// WriteCorpus writes the corpus, 10⁴ words per line.
func (r w2vRun) WriteCorpus(w io.Writer) error { return r.Corpus().WriteText(w, 10000) }

// Track says how far training has come, in centre words over all epochs.
func (r w2vRun) Track() Progress {
	p := r.Progress()
	e := r.Spec().Epochs
	return Progress{Done: p.Tokens, Total: p.Total, Unit: "words",
		Stage: "epoch " + strconv.Itoa(min(p.Epoch+1, e)) + " of " + strconv.Itoa(e)}
}

func (r w2vRun) Report(stepSeconds, ms float64) any {
	return w2v.NewReport(r.Trainer, stepSeconds, ms)
}
