package w2v

import (
	"math"
	"math/rand/v2"
	"strconv"

	"nceplay/core/embed"
)

// A Chain is a stationary Markov chain over a vocabulary: a language whose
// pair statistics are known exactly (docs/spec.md#lab-w2v). Started from
// its stationary distribution π, the pair (centre w_t, context w_{t+d})
// has probability π_i (P^d)_ij at offset d > 0 and π_j (P^d)_ji at offset
// −d, so the pairs of a window of size L, every offset ±1 … ±L weighted
// alike as the lab's sampler does (no reduced window), have the
// distribution
//
//	p(i, j) = 1/(2L) · Σ_{d=1..L} [π_i (P^d)_ij + π_j (P^d)_ji],
//
// whose marginals are both π (Σ_j π_i (P^d)_ij = π_i, and Σ_j π_j (P^d)_ji
// = (πP^d)_i = π_i). PairProb computes it; its PMI is log p(i,j) − log π_i
// − log π_j.
type Chain struct {
	V     int
	Words []string
	P     []float64 // V×V, row i the distribution of the word after word i
	Pi    []float64 // the stationary distribution: πP = π, Σπ = 1
}

// newChain returns the chain of the transition matrix P (rows summing to
// 1) with its stationary distribution.
func newChain(words []string, p []float64) *Chain {
	c := &Chain{V: len(words), Words: words, P: p}
	c.Pi = stationary(p, c.V)
	return c
}

// stationary solves π(P − I) = 0 with Σπ = 1 by Gaussian elimination with
// partial pivoting (the system is (P − I)ᵀπ = 0 with its last equation
// replaced by Σπ = 1; the chains here are irreducible and aperiodic, so
// the solution is unique).
func stationary(p []float64, n int) []float64 {
	a := make([]float64, n*(n+1)) // augmented, row-major
	w := n + 1
	for i := range n {
		for j := range n {
			a[i*w+j] = p[j*n+i]
		}
		a[i*w+i]--
	}
	for j := range n {
		a[(n-1)*w+j] = 1
	}
	a[(n-1)*w+n] = 1
	for col := range n {
		piv := col
		for r := col + 1; r < n; r++ {
			if math.Abs(a[r*w+col]) > math.Abs(a[piv*w+col]) {
				piv = r
			}
		}
		if piv != col {
			for j := range w {
				a[col*w+j], a[piv*w+j] = a[piv*w+j], a[col*w+j]
			}
		}
		for r := col + 1; r < n; r++ {
			f := a[r*w+col] / a[col*w+col]
			if f == 0 {
				continue
			}
			for j := col; j < w; j++ {
				a[r*w+j] -= f * a[col*w+j]
			}
		}
	}
	pi := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		s := a[i*w+n]
		for j := i + 1; j < n; j++ {
			s -= a[i*w+j] * pi[j]
		}
		pi[i] = s / a[i*w+i]
	}
	return pi
}

// PairProb returns p(i, j) (V×V, row-major) for a window of size window
// (see Chain).
func (c *Chain) PairProb(window int) []float64 {
	n := c.V
	out := make([]float64, n*n)
	pd := append([]float64(nil), c.P...)
	next := make([]float64, n*n)
	for d := 1; d <= window; d++ {
		if d > 1 {
			matMul(next, pd, c.P, n)
			pd, next = next, pd
		}
		for i := range n {
			for j := range n {
				out[i*n+j] += c.Pi[i] * pd[i*n+j]
			}
		}
	}
	// Symmetrize (the offsets −d) and average over the 2L offsets.
	inv := 1 / float64(2*window)
	for i := range n {
		for j := i; j < n; j++ {
			s := (out[i*n+j] + out[j*n+i]) * inv
			out[i*n+j], out[j*n+i] = s, s
		}
	}
	return out
}

// matMul sets dst = a·b for n×n matrices.
func matMul(dst, a, b []float64, n int) {
	clear(dst)
	for i := range n {
		row := dst[i*n : (i+1)*n]
		for k := range n {
			embed.Axpy(a[i*n+k], b[k*n:(k+1)*n], row)
		}
	}
}

// generate returns n tokens of the chain started from π, drawn from r:
// every token is one 32-bit draw from an alias table (two per PCG draw).
func (c *Chain) generate(r *rand.PCG, n int) []int32 {
	start, err := embed.NewAlias(c.Pi)
	if err != nil {
		panic(err) // not reached: π is a distribution
	}
	rows := make([]*embed.Alias, c.V)
	for i := range rows {
		if rows[i], err = embed.NewAlias(c.P[i*c.V : (i+1)*c.V]); err != nil {
			panic(err)
		}
	}
	out := make([]int32, n)
	var spare uint32
	have := false
	draw := func() uint32 {
		if have {
			have = false
			return spare
		}
		x := r.Uint64()
		spare, have = uint32(x), true
		return uint32(x >> 32)
	}
	if n == 0 {
		return out
	}
	out[0] = start.Draw(draw())
	for t := 1; t < n; t++ {
		out[t] = rows[out[t-1]].Draw(draw())
	}
	return out
}

// The generators' shapes. Frequencies follow Zipf's law (weight
// 1/(rank + 2)), so that the smoothed noise q ∝ p^α differs from the
// unigram and alpha matters.
const (
	topicStay   = 0.7 // topics: the probability of staying in the topic
	topicBoost  = 4   // topics: the extra weight of a word's successor in its topic
	syntaxBoost = 3   // syntax: the extra weight of agreeing words
)

func zipf(rank int) float64 { return 1 / float64(rank+2) }

// topicsChain is the topics generator over v words: T = v/8 topics (2 to
// 8), words named by topic letter and rank in it (a1, a2, …, b1, …), in
// topic-major order. After word i of topic τ the next word is, with
// probability topicStay, a word of τ drawn by frequency with its
// successor in τ weighted topicBoost times more, and otherwise any word
// drawn by frequency. PMI is positive within a topic (most of all for a
// word and its successor) and negative across topics.
func topicsChain(v int) *Chain {
	nt := min(max(v/8, 2), 8)
	size := make([]int, nt)
	for i := range v {
		size[i%nt]++
	}
	var words []string
	topic := make([]int, v)
	first := make([]int, nt)
	g := make([]float64, v)
	id := 0
	for tau := range nt {
		first[tau] = id
		for j := range size[tau] {
			words = append(words, string(rune('a'+tau))+strconv.Itoa(j+1))
			topic[id] = tau
			g[id] = zipf(j*nt + tau) // topics interleave in the frequency ranking
			id++
		}
	}
	normalize(g)
	p := make([]float64, v*v)
	f := make([]float64, v)
	for i := range v {
		tau := topic[i]
		clear(f)
		succ := first[tau] + (i-first[tau]+1)%size[tau]
		for x := first[tau]; x < first[tau]+size[tau]; x++ {
			f[x] = g[x]
			if x == succ {
				f[x] *= 1 + topicBoost
			}
		}
		normalize(f)
		for x := range v {
			p[i*v+x] = topicStay*f[x] + (1-topicStay)*g[x]
		}
	}
	return newChain(words, p)
}

// The syntax generator's word classes: their share of the vocabulary and
// the probabilities of the class that follows each.
var (
	syntaxClasses = []string{"det", "adj", "noun", "verb", "prep"}
	syntaxShare   = []float64{0.1, 0.2, 0.35, 0.25, 0.1}
	syntaxNext    = [][]float64{
		{0, 0.35, 0.65, 0, 0},   // det → adj, noun
		{0, 0.15, 0.85, 0, 0},   // adj → adj, noun
		{0.15, 0, 0, 0.6, 0.25}, // noun → det, verb, prep
		{0.6, 0.15, 0, 0, 0.25}, // verb → det, adj, prep
		{0.8, 0, 0.2, 0, 0},     // prep → det, noun
	}
)

// syntaxChain is the syntax generator over v words: five word classes
// (det, adj, noun, verb, prep; words named det1, adj3, …) whose order
// follows a small grammar (syntaxNext), the word within its class drawn
// by frequency with the words that "agree" with the previous one (the same
// rank modulo 3) weighted syntaxBoost times more. PMI is positive between
// classes that follow each other (det and noun) and negative within a
// class (noun and noun): a structure by role rather than by topic.
func syntaxChain(v int) *Chain {
	nc := len(syntaxClasses)
	size := make([]int, nc)
	sum := 0
	for c := range nc {
		size[c] = max(2, int(syntaxShare[c]*float64(v)+0.5))
		sum += size[c]
	}
	size[2] += v - sum // the nouns take what rounding left (at most a few words)
	var words []string
	class := make([]int, v)
	rank := make([]int, v)
	first := make([]int, nc)
	id := 0
	for c := range nc {
		first[c] = id
		for j := range size[c] {
			words = append(words, syntaxClasses[c]+strconv.Itoa(j+1))
			class[id], rank[id] = c, j
			id++
		}
	}
	p := make([]float64, v*v)
	h := make([]float64, v)
	for i := range v {
		for c := range nc {
			if syntaxNext[class[i]][c] == 0 {
				continue
			}
			clear(h)
			for x := first[c]; x < first[c]+size[c]; x++ {
				h[x] = zipf(rank[x])
				if rank[x]%3 == rank[i]%3 {
					h[x] *= 1 + syntaxBoost
				}
			}
			normalize(h)
			for x := first[c]; x < first[c]+size[c]; x++ {
				p[i*v+x] = syntaxNext[class[i]][c] * h[x]
			}
		}
	}
	return newChain(words, p)
}

// normalize scales v to sum to 1.
func normalize(v []float64) {
	s := 0.0
	for _, x := range v {
		s += x
	}
	for i := range v {
		v[i] /= s
	}
}
