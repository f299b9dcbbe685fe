package w2v

import (
	"bufio"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A CorpusInfo is one row of the corpus registry, Corpora: a value of the
// corpus key.
type CorpusInfo struct {
	Name  string // the corpus key's value
	Title string // a short title for a menu
	Doc   string // one line
	// Chain builds a generator's Markov chain over vocab words; nil for a
	// text.
	Chain func(vocab int) *Chain
	// Text is a built-in text; "" for a generator and for Pasted.
	Text string
	// Source says where a built-in text comes from (texts/README.md).
	Source string
	// Pasted marks the user's own text, which a link cannot hold: the page
	// asks for it, the runner reads it with --text FILE.
	Pasted bool
}

var (
	//go:embed texts/alice.txt
	aliceText string
	//go:embed texts/austen.txt
	austenText string
	//go:embed texts/blake.txt
	blakeText string
)

// The corpora.
var (
	Topics = &CorpusInfo{Name: "topics", Title: "Topics (exact PMI)", Chain: topicsChain,
		Doc: "a Markov chain whose words cluster in topics: positive PMI within a topic, negative across"}
	Syntax = &CorpusInfo{Name: "syntax", Title: "Syntax (exact PMI)", Chain: syntaxChain,
		Doc: "a Markov chain over word classes (det, adj, noun, verb, prep) that follow a small grammar"}
	Alice = &CorpusInfo{Name: "alice", Title: "Alice in Wonderland, ch. I", Text: aliceText,
		Doc:    "Lewis Carroll, Alice's Adventures in Wonderland (1865), Chapter I",
		Source: "Project Gutenberg eBook #11, public domain (core/lab/w2v/texts/README.md)"}
	Austen = &CorpusInfo{Name: "austen", Title: "Sense and Sensibility, ch. 1", Text: austenText,
		Doc:    "Jane Austen, Sense and Sensibility (1811), Chapter 1",
		Source: "Project Gutenberg eBook #161, public domain (core/lab/w2v/texts/README.md)"}
	Blake = &CorpusInfo{Name: "blake", Title: "Songs of Innocence", Text: blakeText,
		Doc:    "William Blake, Songs of Innocence (1789)",
		Source: "Project Gutenberg eBook #1934, public domain (core/lab/w2v/texts/README.md)"}
	Pasted = &CorpusInfo{Name: "text", Title: "Your own text", Pasted: true,
		Doc: "a text you paste (or the runner's --text FILE); a link holds the settings, never the text"}
)

// Corpora is the registry of corpora, in the order the corpus key lists
// them: the generators, the built-in texts, the user's text.
var Corpora = []*CorpusInfo{Topics, Syntax, Alice, Austen, Blake, Pasted}

// LookupCorpus returns the corpus called name, or nil.
func LookupCorpus(name string) *CorpusInfo {
	for _, c := range Corpora {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// A Corpus is the token stream a trainer trains on, with its vocabulary.
type Corpus struct {
	// Words is the vocabulary: a generator's in its own order (by topic or
	// by class), a text's by count, most frequent first, ties by word.
	Words []string
	// Counts holds each word's occurrences: a generator's in Tokens, a
	// text's before subsampling (the noise distribution is built from
	// these, as word2vec does).
	Counts []int64
	Tokens []int32 // the stream; every pair within the window is trained
	Chain  *Chain  // the generator's chain; nil for a text
	// TextWords is a text's number of words before the vocabulary cap and
	// subsampling; 0 for a generator.
	TextWords int
}

// ErrNoText is returned for corpus=text when no text is given.
var ErrNoText = errors.New("w2v: corpus=text trains on your own text, which a link cannot hold: paste a text (the link keeps the other settings), or give the runner one with --text FILE")

// buildCorpus builds s's corpus: a generator's stream drawn from the
// seed's corpus stream, or a text (the built-in one, or text for
// corpus=text) tokenized, capped and subsampled.
func buildCorpus(s Spec, text *string) (*Corpus, error) {
	info := s.corpus()
	if info.Chain != nil {
		ch := info.Chain(s.Vocab)
		c := &Corpus{Words: ch.Words, Chain: ch, Counts: make([]int64, ch.V)}
		c.Tokens = ch.generate(rand.NewPCG(s.Seed, streamCorpus), s.Tokens)
		for _, t := range c.Tokens {
			c.Counts[t]++
		}
		return c, nil
	}
	src := info.Text
	if info.Pasted {
		if text == nil {
			return nil, ErrNoText
		}
		src = *text
	}
	return textCorpus(src, s)
}

// Tokenize splits text into words the way the lab does: maximal runs of
// letters (with the combining marks that follow a letter), lowercased;
// everything else separates words. It returns the words in order of first
// appearance, each token's index among them, and each word's count. It
// fails beyond MaxTextBytes bytes or MaxTokens words.
func Tokenize(text string) (words []string, tokens []int32, counts []int64, err error) {
	if len(text) > MaxTextBytes {
		return nil, nil, nil, fmt.Errorf("w2v: the text has %d bytes, more than %d (%d MiB): use a shorter text", len(text), MaxTextBytes, MaxTextBytes>>20)
	}
	index := make(map[string]int32)
	var buf []byte
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		id, ok := index[string(buf)]
		if !ok {
			id = int32(len(words))
			w := string(buf)
			index[w] = id
			words = append(words, w)
			counts = append(counts, 0)
		}
		if len(tokens) == MaxTokens {
			return fmt.Errorf("w2v: the text has more than %d words: use a shorter text", MaxTokens)
		}
		tokens = append(tokens, id)
		counts[id]++
		buf = buf[:0]
		return nil
	}
	for _, r := range text {
		if unicode.IsLetter(r) || len(buf) > 0 && unicode.IsMark(r) {
			buf = utf8.AppendRune(buf, unicode.ToLower(r))
			continue
		}
		if err := flush(); err != nil {
			return nil, nil, nil, err
		}
	}
	if err := flush(); err != nil {
		return nil, nil, nil, err
	}
	return words, tokens, counts, nil
}

// textCorpus tokenizes text, keeps the s.Vocab most frequent words (ties
// by word, in byte order) and drops the others' tokens, then subsamples
// with s.Sample (word2vec's rule, drawn once from the seed's sample
// stream, so that every epoch trains the same pairs).
func textCorpus(text string, s Spec) (*Corpus, error) {
	words, tokens, counts, err := Tokenize(text)
	if err != nil {
		return nil, err
	}
	if len(words) < 2 {
		return nil, fmt.Errorf("w2v: the text has %d distinct words (runs of letters); the lab needs at least 2", len(words))
	}
	order := make([]int32, len(words))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(a, b int32) int {
		if counts[a] != counts[b] {
			return int(counts[b] - counts[a]) // more frequent first
		}
		return strings.Compare(words[a], words[b])
	})
	order = order[:min(len(order), s.Vocab)]
	newID := make([]int32, len(words))
	for i := range newID {
		newID[i] = -1
	}
	c := &Corpus{TextWords: len(tokens)}
	for i, id := range order {
		newID[id] = int32(i)
		c.Words = append(c.Words, words[id])
		c.Counts = append(c.Counts, counts[id])
	}
	kept := tokens[:0]
	for _, t := range tokens {
		if n := newID[t]; n >= 0 {
			kept = append(kept, n)
		}
	}
	if s.Sample > 0 {
		// word2vec keeps a word of frequency f = count/total with
		// probability (√(f/t) + 1)·t/f.
		total := 0.0
		for _, n := range c.Counts {
			total += float64(n)
		}
		keep := make([]float64, len(c.Counts))
		for i, n := range c.Counts {
			f := float64(n) / total
			keep[i] = (math.Sqrt(f/s.Sample) + 1) * s.Sample / f
		}
		r := rand.New(rand.NewPCG(s.Seed, streamSample))
		sub := kept[:0]
		for _, t := range kept {
			if keep[t] >= 1 || r.Float64() < keep[t] {
				sub = append(sub, t)
			}
		}
		kept = sub
	}
	if len(kept) < 2 {
		return nil, fmt.Errorf("w2v: %d words of the text are left to train on (after the vocabulary cap and subsampling); the lab needs at least 2", len(kept))
	}
	c.Tokens = slices.Clip(kept)
	return c, nil
}

// WriteText writes the corpus's token stream as text, perLine words per
// line (gensim's LineSentence reads it; its sentences hold at most 10⁴
// words): the same corpus for another tool.
func (c *Corpus) WriteText(w io.Writer, perLine int) error {
	b := bufio.NewWriter(w)
	for i, t := range c.Tokens {
		b.WriteString(c.Words[t])
		if (i+1)%perLine == 0 || i == len(c.Tokens)-1 {
			b.WriteByte('\n')
		} else {
			b.WriteByte(' ')
		}
	}
	return b.Flush()
}
