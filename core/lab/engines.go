//go:build !labpage

package lab

// The labs' engines: each row's New and its run, and its Markdown, which
// only the docs need. A lab's page (wasm/lab) is built with the tag
// labpage, which leaves this file out, so that the page links the labs'
// key tables but none of their engines (they run in the labs' worker) nor
// the docs' code: the page's wasm stays small as labs are added.
// Every other build (the runner, the workers, the tests) has them.

import (
	"fmt"
	"io"
	"runtime"
	"strconv"

	"nceplay/core/lab/infonce"
	"nceplay/core/lab/sweep"
	"nceplay/core/lab/vocab"
	"nceplay/core/lab/w2v"
)

func init() {
	W2V.New = withView(newW2V)
	InfoNCE.New = withView(newInfoNCE)
	Sweep.New = withView(newSweep)
	Vocab.New = withView(newVocab)
	W2V.Markdown = w2v.Table.MarkdownTable
	InfoNCE.Markdown = infonce.Table.MarkdownTable
	Sweep.Markdown = sweep.Table.MarkdownTable
	Vocab.Markdown = vocab.Table.MarkdownTable
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

func newInfoNCE(query string, _ Input) (Run, error) {
	s, err := infonce.Parse(query)
	if err != nil {
		return nil, err
	}
	e, err := infonce.New(s)
	if err != nil {
		return nil, err
	}
	return infonceRun{e}, nil
}

type infonceRun struct{ *infonce.Engine }

func (r infonceRun) Query() string { return r.Spec().Query() }

func (r infonceRun) Report(_, ms float64) any { return infonce.NewReport(r.Engine, ms) }

// newSweep steps one worker per core (GOMAXPROCS; one in wasm).
func newSweep(query string, _ Input) (Run, error) {
	s, err := sweep.Parse(query)
	if err != nil {
		return nil, err
	}
	sw, err := sweep.New(s)
	if err != nil {
		return nil, err
	}
	return sweepRun{sw.NewParallel(runtime.GOMAXPROCS(0))}, nil
}

type sweepRun struct{ *sweep.Parallel }

func (r sweepRun) Query() string { return r.Results().Sweep().Spec().Query() }

func (r sweepRun) Report(_, ms float64) any { return sweep.NewReport(r.Results(), ms) }

func newVocab(query string, _ Input) (Run, error) {
	s, err := vocab.Parse(query)
	if err != nil {
		return nil, err
	}
	e, err := vocab.NewExperiment(s)
	if err != nil {
		return nil, err
	}
	return vocabRun{e}, nil
}

type vocabRun struct{ *vocab.Experiment }

func (r vocabRun) Query() string { return r.Run.Spec().Query() }

func (r vocabRun) Report(_, ms float64) any { return r.Experiment.Report(ms) }
