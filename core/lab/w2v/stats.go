package w2v

import (
	"math"

	"nceplay/core/fmath"
)

var nan = math.NaN()

// stats holds the pair statistics of a corpus and the theory they give
// (docs/math.md#word2vec): the pair counts of one epoch (every epoch
// trains the same pairs), and for a generator the exact pair distribution.
type stats struct {
	v      int
	count  []uint32  // V×V: #(w, c), centre w, context c, over one epoch
	nW, nC []float64 // #(w) = Σ_c #(w, c), #(c) = Σ_w #(w, c)
	d      float64   // |D|, the pairs of one epoch
	// exact is the generator's p(i, j) (Chain.PairProb); nil for a text.
	exact []float64
	// Per word: log π (exact), log q_α of π (exact), log q (the noise
	// drawn), log #(w), log #(c).
	logPi, logQExact, logQ, logNW, logNC []float64
	noiseInLogit                         bool    // nce: the optimum is log p(c|w)
	logK                                 float64 // log k
	frequent                             []int32 // w·V + c for #(w, c) ≥ MinPairCount, in that order
	centres                              []int32 // words with #(w) ≥ MinPairCount
	scores                               []float64
}

func newStats(t *Trainer) *stats {
	c := t.corpus
	v := len(c.Words)
	st := &stats{v: v, count: make([]uint32, v*v), nW: make([]float64, v), nC: make([]float64, v),
		logQ: make([]float64, v), logNW: make([]float64, v), logNC: make([]float64, v),
		noiseInLogit: t.shift != nil, logK: t.logK, scores: make([]float64, v)}
	toks, win := c.Tokens, t.spec.Window
	for p, w := range toks {
		row := st.count[int(w)*v : (int(w)+1)*v]
		for j := max(0, p-win); j <= min(len(toks)-1, p+win); j++ {
			if j != p {
				row[toks[j]]++
			}
		}
	}
	for w := range v {
		for x := range v {
			n := float64(st.count[w*v+x])
			st.nW[w] += n
			st.nC[x] += n
			st.d += n
		}
	}
	for i := range v {
		st.logQ[i] = fmath.Log(t.q[i])
		st.logNW[i] = fmath.Log(st.nW[i])
		st.logNC[i] = fmath.Log(st.nC[i])
		if st.nW[i] >= MinPairCount {
			st.centres = append(st.centres, int32(i))
		}
	}
	for i, n := range st.count {
		if n >= MinPairCount {
			st.frequent = append(st.frequent, int32(i))
		}
	}
	if ch := c.Chain; ch != nil {
		st.exact = ch.PairProb(win)
		st.logPi = make([]float64, v)
		st.logQExact = make([]float64, v)
		z := 0.0
		for i, p := range ch.Pi {
			st.logPi[i] = fmath.Log(p)
			z += pow(p, t.spec.Alpha)
		}
		logZ := fmath.Log(z)
		for i := range ch.Pi {
			st.logQExact[i] = t.spec.Alpha*st.logPi[i] - logZ
		}
	}
	return st
}

// theory returns, for the pair (w, c), the optimum of the objective —
// log p(c|w) for nce, log p(c|w) − log k − log q(c) for neg, which is
// PMI − log k + log(p(c)/q(c)) (docs/math.md#word2vec) — and the PMI, both
// exact for a generator (with q the exact unigram^α) and otherwise
// empirical, from the epoch's pair counts (with q the noise drawn). Both
// are −Inf for a pair of probability (or count) 0.
func (st *stats) theory(w, c int) (opt, pmi float64) {
	var logP, logPw, logPc, logQ float64
	if st.exact != nil {
		logP, logPw, logPc, logQ = fmath.Log(st.exact[w*st.v+c]), st.logPi[w], st.logPi[c], st.logQExact[c]
	} else {
		n := float64(st.count[w*st.v+c])
		logD := fmath.Log(st.d)
		logP, logPw, logPc, logQ = fmath.Log(n)-logD, st.logNW[w]-logD, st.logNC[c]-logD, st.logQ[c]
	}
	cond := logP - logPw // log p(c|w)
	pmi = cond - logPc
	if st.noiseInLogit {
		return cond, pmi
	}
	return cond - st.logK - logQ, pmi
}

// empiricalPMI returns the PMI of the pair (w, c) from the epoch's pair
// counts: log(#(w, c)·|D| / (#(w)·#(c))), −Inf for a pair never seen.
func (st *stats) empiricalPMI(w, c int) float64 {
	return fmath.Log(float64(st.count[w*st.v+c])) + fmath.Log(st.d) - st.logNW[w] - st.logNC[c]
}

// Metrics measures the learned dot products against theory
// (docs/spec.md#lab-w2v). It costs O(V²·dim).
type Metrics struct {
	Progress
	// Exact reports whether the theory is a generator's exact one (else
	// the empirical one of the corpus's pair counts).
	Exact bool
	// CheckPairs is the number of pairs (w, c) seen at least MinPairCount
	// times in an epoch, over which R, RMSE and Offset are taken.
	CheckPairs int
	// R and RMSE compare the learned s(w, c) = ⟨u_w, v_c⟩ with the
	// objective's optimum: their correlation and root-mean-square
	// difference. Offset is the mean of s(w, c) − PMI(w, c): about −log k
	// for neg with α = 1, the mean log p(c) for nce.
	R, RMSE, Offset float64
	// SelfNormMean and SelfNormSD are the mean and standard deviation,
	// over the words seen as a centre at least MinPairCount times
	// (SelfNormWords of them), of log Σ_c exp s(w, c): about 0 for nce
	// (docs/math.md#self-normalization), for neg the value
	// E12 predicts (docs/math.md#e12).
	SelfNormMean, SelfNormSD float64
	SelfNormWords            int
}

// Metrics returns the progress and the check against theory: R, RMSE and
// Offset are NaN over fewer than MinCheckPairs pairs (a correlation of two
// points says nothing), the self-normalization over fewer than two words.
func (t *Trainer) Metrics() Metrics {
	st := t.stats
	m := Metrics{Progress: t.Progress(), Exact: st.exact != nil, CheckPairs: len(st.frequent),
		R: nan, RMSE: nan, Offset: nan, SelfNormMean: nan, SelfNormSD: nan, SelfNormWords: len(st.centres)}
	if n := float64(len(st.frequent)); n >= MinCheckPairs {
		var sx, sy, sxx, syy, sxy, sd2, off float64
		for _, i := range st.frequent {
			w, c := int(i)/st.v, int(i)%st.v
			x := t.model.Score(w, c)
			y, pmi := st.theory(w, c)
			sx += x
			sy += y
			sxx += x * x
			syy += y * y
			sxy += x * y
			sd2 += (x - y) * (x - y)
			off += x - pmi
		}
		cov := sxy - sx*sy/n
		m.R = cov / math.Sqrt((sxx-sx*sx/n)*(syy-sy*sy/n))
		m.RMSE = math.Sqrt(sd2 / n)
		m.Offset = off / n
	}
	if n := float64(len(st.centres)); n >= 2 {
		var s, ss float64
		for _, w := range st.centres {
			t.model.Scores(int(w), st.scores)
			z := fmath.LogSumExp(st.scores)
			s += z
			ss += z * z
		}
		m.SelfNormMean = s / n
		m.SelfNormSD = math.Sqrt(max(ss/n-m.SelfNormMean*m.SelfNormMean, 0))
	}
	return m
}

// A Snapshot is what the panels draw (docs/spec.md#lab-w2v): for the first
// N words of the vocabulary, the matrices of the learned dot products, of
// theory, of the exact and the empirical PMI, the pair counts, and each
// word's log-normalizer. Matrices are
// N×N, row-major, row the centre word w and column the context word c.
type Snapshot struct {
	N      int
	Words  []string // the N words
	Counts []int64  // their occurrences in the corpus
	// Learned is s(w, c) = ⟨u_w, v_c⟩.
	Learned []float64
	// Theory is the objective's optimum (see Metrics), PMI the pointwise
	// mutual information: exact for a generator, else empirical; −Inf for
	// a pair of probability (or count) 0.
	Theory, PMI []float64
	// PMIEmpirical is the PMI of the epoch's pair counts, beside a
	// generator's exact PMI (for a text, the same as PMI); −Inf for a pair
	// never seen.
	PMIEmpirical []float64
	// Pairs is #(w, c), the pair's count in one epoch.
	Pairs []float64
	// LogZ is log Σ_c exp s(w, c) over the whole vocabulary, per word.
	LogZ  []float64
	Exact bool
}

// Snapshot fills dst for the first n words of the vocabulary (all of them
// if n ≤ 0 or n > V), reusing its slices when they are large enough. It
// costs O(n·V·dim).
func (t *Trainer) Snapshot(dst *Snapshot, n int) {
	st := t.stats
	if n <= 0 || n > st.v {
		n = st.v
	}
	grow := func(s []float64, size int) []float64 {
		if cap(s) < size {
			return make([]float64, size)
		}
		return s[:size]
	}
	dst.N, dst.Exact = n, st.exact != nil
	dst.Words = append(dst.Words[:0], t.corpus.Words[:n]...)
	dst.Counts = append(dst.Counts[:0], t.corpus.Counts[:n]...)
	dst.Learned = grow(dst.Learned, n*n)
	dst.Theory = grow(dst.Theory, n*n)
	dst.PMI = grow(dst.PMI, n*n)
	dst.PMIEmpirical = grow(dst.PMIEmpirical, n*n)
	dst.Pairs = grow(dst.Pairs, n*n)
	dst.LogZ = grow(dst.LogZ, n)
	for w := range n {
		t.model.Scores(w, st.scores)
		dst.LogZ[w] = fmath.LogSumExp(st.scores)
		copy(dst.Learned[w*n:(w+1)*n], st.scores[:n])
		for c := range n {
			dst.Theory[w*n+c], dst.PMI[w*n+c] = st.theory(w, c)
			dst.PMIEmpirical[w*n+c] = st.empiricalPMI(w, c)
			dst.Pairs[w*n+c] = float64(st.count[w*st.v+c])
		}
	}
}
