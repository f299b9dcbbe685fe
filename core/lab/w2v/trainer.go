// Package w2v is the word2vec lab (docs/spec.md#lab-w2v): skip-gram with
// negative sampling is NCE with γ fixed to 0, and its optimum is the
// shifted PMI of the pair distribution (docs/math.md#word2vec). The lab
// trains word vectors on a corpus whose pair statistics are known exactly
// (a Markov chain, chain.go) or on a text (a built-in public-domain one,
// or the user's), with obj=neg (word2vec's loss) or obj=nce (NCE proper,
// logit ⟨u, v⟩ − log(k·q(c))), and measures the learned dot products
// against theory.
//
// A Trainer is built from a Spec (and a text for corpus=text) and
// advances in slices (Step(n) trains n centre words), so that a browser
// worker can run it between frames; Progress is cheap, Metrics and
// Snapshot cost O(V²·dim) and are taken on demand. The same spec gives the
// same numbers bit for bit natively and in WebAssembly: one seed derives
// every random stream (PCG), and every exponential and logarithm comes
// from core/fmath.
package w2v

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"

	"nceplay/core/embed"
	"nceplay/core/fmath"
)

// Random streams derived from the seed (PCG stream ids).
const (
	streamCorpus = 1 + iota
	streamInit
	streamNegatives
	streamSample
)

// minLRFraction is the floor of word2vec's linear decay: the learning rate
// never falls below lr·10⁻⁴.
const minLRFraction = 1e-4

// lossDecay is the weight of the newest centre word's mean pair loss in
// the running loss (an exponential average over about 1000 words).
const lossDecay = 1e-3

// A Trainer trains one experiment of the lab. It is not safe for
// concurrent use.
type Trainer struct {
	spec   Spec
	corpus *Corpus
	model  *embed.Model
	step   *embed.Contrast
	noise  *embed.Alias
	q      []float64 // the noise distribution as the alias table realizes it
	shift  []float64 // nce: log(k·q(c)); neg: nil
	logK   float64
	rng    embed.PCG32 // negatives
	ts     []int32     // the context and its k negatives

	pos        int // the next centre's position in the epoch
	epoch      int
	tokens     int64 // centre words trained
	pairs      int64 // pair steps taken
	total      int64 // epochs × corpus length
	loss       float64
	lossPrimed bool
	err        error

	stats *stats
}

// DivergedError reports that the loss became NaN or infinite. Training
// stops there; the vectors are those of the step that diverged.
type DivergedError struct {
	Epoch int   // the epoch (from 1)
	Token int64 // the centre word (from 1, over all epochs)
	LR    float64
}

func (e *DivergedError) Error() string {
	return fmt.Sprintf("w2v: training diverged at word %d (epoch %d): the loss is no longer finite; lower lr (now %g)", e.Token, e.Epoch, e.LR)
}

// New builds the trainer of s: it builds the corpus (generating it, or
// reading the built-in text, or text for corpus=text; text is ignored for
// the other corpora), its pair statistics and the noise, and initializes
// the vectors as word2vec does. It fails on an invalid spec, a missing or
// unusable text, or a text whose training work exceeds MaxWork.
func New(s Spec, text *string) (*Trainer, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	c, err := buildCorpus(s, text)
	if err != nil {
		return nil, err
	}
	if w := s.Work(len(c.Tokens)); w > MaxWork {
		return nil, fmt.Errorf("spec: key %q: value %q %s", kEpochs, strconv.Itoa(s.Epochs), s.workReason(len(c.Tokens), w))
	}
	v := len(c.Words)
	t := &Trainer{spec: s, corpus: c, logK: fmath.Log(float64(s.K)),
		model: embed.NewModel(v, s.Dim, false), step: embed.NewContrast(v, s.Dim, s.K+1),
		rng: embed.NewPCG32(rand.NewPCG(s.Seed, streamNegatives)), ts: make([]int32, s.K+1),
		total: int64(s.Epochs) * int64(len(c.Tokens))}
	t.model.InitWord2Vec(rand.New(rand.NewPCG(s.Seed, streamInit)))
	weights := make([]float64, v)
	for i, n := range c.Counts {
		if n > 0 {
			weights[i] = pow(float64(n), s.Alpha)
		}
	}
	if t.noise, err = embed.NewAlias(weights); err != nil {
		return nil, err
	}
	t.q = t.noise.Prob()
	if s.Objective().LogitHasNoise { // nce: the logit is s − log(k·q(c))
		t.shift = make([]float64, v)
		for i, q := range t.q {
			t.shift[i] = t.logK + fmath.Log(q) // −Inf for a word never drawn: never a target
		}
	}
	t.stats = newStats(t)
	return t, nil
}

// pow returns x^a for x > 0 by core/fmath.
func pow(x, a float64) float64 { return fmath.Exp(a * fmath.Log(x)) }

// Spec returns the experiment.
func (t *Trainer) Spec() Spec { return t.spec }

// Corpus returns the corpus (read-only).
func (t *Trainer) Corpus() *Corpus { return t.corpus }

// Model returns the word vectors (read-only while training).
func (t *Trainer) Model() *embed.Model { return t.model }

// Noise returns q, the noise distribution the negatives are drawn from (as
// the alias table realizes unigram^α; read-only).
func (t *Trainer) Noise() []float64 { return t.q }

// Err returns the divergence that stopped training, or nil.
func (t *Trainer) Err() error { return t.err }

// Done reports whether every epoch is trained or training diverged.
func (t *Trainer) Done() bool { return t.tokens >= t.total || t.err != nil }

// Step trains up to n centre words, in corpus order, epoch after epoch:
// for each, every context within the window, in order of position, is one
// pair step (embed.Contrast.Step) against k negatives drawn from q (32
// bits of the negatives' embed.PCG32 each), at
// word2vec's learning rate lr·max(1 − done/total, 10⁻⁴), done counting the
// centre words before this one. It returns a *DivergedError if the loss
// stops being finite (and then trains no more). It allocates nothing.
func (t *Trainer) Step(n int) error {
	toks := t.corpus.Tokens
	win, k := t.spec.Window, t.spec.K
	lr0, total := t.spec.LR, float64(t.total)
	m, ts, shift := t.model, t.ts, t.shift
	thresh, alias, ashift, amask := t.noise.Tables()
	rng := t.rng // in a local for the loop (embed.PCG32), stored back below
	for range n {
		if t.err != nil || t.tokens >= t.total {
			break
		}
		p := t.pos
		w := int(toks[p])
		lr := lr0 * max(1-float64(t.tokens)/total, minLRFraction)
		lo, hi := max(0, p-win), min(len(toks)-1, p+win)
		sum := 0.0
		for j := lo; j <= hi; j++ {
			if j == p {
				continue
			}
			ts[0] = toks[j]
			for i := 1; i <= k; i++ {
				ts[i] = embed.DrawFrom(thresh, alias, ashift, amask, rng.Next())
			}
			sum += t.step.Step(m, w, ts, shift, lr)
		}
		np := hi - lo
		if sum-sum != 0 {
			t.err = &DivergedError{Epoch: t.epoch + 1, Token: t.tokens + 1, LR: t.spec.LR}
			break
		}
		if np > 0 {
			l := sum / float64(np)
			if !t.lossPrimed {
				t.loss, t.lossPrimed = l, true
			}
			t.loss += lossDecay * (l - t.loss)
		}
		t.pairs += int64(np)
		t.tokens++
		if t.pos++; t.pos == len(toks) {
			t.pos = 0
			t.epoch++
		}
	}
	t.rng = rng
	return t.err
}

// Progress is the state of training, cheap to take.
type Progress struct {
	Epoch  int     // epochs completed
	Tokens int64   // centre words trained, over all epochs
	Pairs  int64   // pair steps taken
	Total  int64   // centre words of the whole run: epochs × corpus length
	LR     float64 // the learning rate of the next step
	// Loss is a running average (over about 1000 centre words) of the
	// pair loss, in nats per pair (1 + k logistic terms); NaN before the
	// first step.
	Loss float64
	Done bool
}

// Progress returns the state of training.
func (t *Trainer) Progress() Progress {
	p := Progress{Epoch: t.epoch, Tokens: t.tokens, Pairs: t.pairs, Total: t.total, Done: t.Done(),
		LR: t.spec.LR * max(1-float64(t.tokens)/float64(t.total), minLRFraction), Loss: nan}
	if t.lossPrimed {
		p.Loss = t.loss
	}
	return p
}

// WriteVectors writes the centre vectors u_w in word2vec's text format,
// which gensim's KeyedVectors.load_word2vec_format and other tools read:
// a line "V dim", then one line per word, "word x1 x2 …", the numbers in
// the shortest form that reads back as the same float32.
func (t *Trainer) WriteVectors(w io.Writer) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "%d %d\n", t.model.Rows, t.model.Dim)
	var num []byte
	for i, word := range t.corpus.Words {
		b.WriteString(word)
		for _, x := range t.model.URow(i) {
			num = strconv.AppendFloat(num[:0], x, 'g', -1, 32)
			b.WriteByte(' ')
			b.Write(num)
		}
		b.WriteByte('\n')
	}
	return b.Flush()
}

// Project writes the 2D projection of the centre vectors (embed.Project2D)
// into dst: dst[2w], dst[2w+1] for word w (len(dst) ≥ 2V).
func (t *Trainer) Project(dst []float64) {
	embed.Project2D(t.model.U, t.model.Rows, t.model.Dim, dst)
}

// Neighbours returns the n words nearest to word w by the cosine of their
// centre vectors, best first.
func (t *Trainer) Neighbours(w, n int) []embed.Neighbour {
	return embed.Neighbours(t.model.U, t.model.Rows, t.model.Dim, w, n)
}
