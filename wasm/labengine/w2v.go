package labengine

import (
	"unicode/utf8"

	"nceplay/core/embed"
	"nceplay/core/lab"
	"nceplay/core/lab/w2v"
	"nceplay/wasm/wire"
)

// The word2vec lab's payload (wire.W2VPanels).

// W2VWords is how many words the word2vec panels show: the first of the
// vocabulary (a text's most frequent). Their matrices are W2VWords² pairs.
const W2VWords = 60

// W2VNeighbours is how many nearest neighbours of the focused word are
// listed.
const W2VNeighbours = 8

func init() { PanelsFor[w2v.Name] = newW2V }

// w2vEngine is what the panels read of a w2v run (the trainer's methods,
// which the registry's run promotes).
type w2vEngine interface {
	Spec() w2v.Spec
	Corpus() *w2v.Corpus
	Snapshot(dst *w2v.Snapshot, n int)
	Project(dst []float64)
	Neighbours(w, n int) []embed.Neighbour
}

type w2vPanels struct {
	e     w2vEngine
	logK  float64
	snap  w2v.Snapshot
	xy    []float64
	focus int
}

func newW2V(r lab.Run) Panels {
	e, ok := r.(w2vEngine)
	if !ok {
		return nil
	}
	words := e.Corpus().Words
	return &w2vPanels{e: e, xy: make([]float64, 2*len(words)), focus: defaultFocus(words[:min(len(words), W2VWords)])}
}

// defaultFocus is the word whose neighbours are listed until the page
// picks another: the first (a text's most frequent) of at least four
// letters, past the short function words, or else the first.
func defaultFocus(words []string) int {
	for i, w := range words {
		if utf8.RuneCountInString(w) >= 4 {
			return i
		}
	}
	return 0
}

func (p *w2vPanels) Focus(item int) { p.focus = item }

func (p *w2vPanels) Pack(f *wire.LabFrame, static bool) {
	s, c := p.e.Spec(), p.e.Corpus()
	n := min(len(c.Words), W2VWords)
	p.e.Snapshot(&p.snap, n)
	sn := &p.snap
	w := &wire.W2VPanels{Vocab: len(c.Words), Tokens: len(c.Tokens), Exact: sn.Exact, Obj: s.Obj, N: n,
		Learned: to32(sn.Learned), LogZ: to32(sn.LogZ), Focus: -1}
	for _, m := range f.Metrics {
		if m.Key == "log_k" {
			w.LogK = m.Value
		}
	}
	if static {
		w.Static = true
		w.Words = append([]string(nil), sn.Words...)
		w.Counts = make([]float64, n)
		for i, k := range sn.Counts {
			w.Counts[i] = float64(k)
		}
		w.Theory, w.Pairs = to32(sn.Theory), to32(sn.Pairs)
	}
	p.e.Project(p.xy)
	w.XY = to32(p.xy[:2*n])
	if p.focus >= 0 && p.focus < len(c.Words) {
		w.Focus = p.focus
		for _, nb := range p.e.Neighbours(p.focus, W2VNeighbours) {
			w.Neighbours = append(w.Neighbours, wire.W2VNeighbour{Word: c.Words[nb.Row], Cos: nb.Cosine})
		}
	}
	f.W2V = w
}

func to32(v []float64) []float32 {
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(x)
	}
	return out
}
