package w2v

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestChains checks every generator at several sizes: rows are
// distributions, π is stationary and positive, and the exact pair
// distribution is symmetric, sums to 1 and has marginals π (as derived in
// Chain's comment); the PMI has both signs.
func TestChains(t *testing.T) {
	for _, c := range Corpora {
		if c.Chain == nil {
			continue
		}
		for _, v := range []int{MinVocab, 21, 37, 64, MaxGenVocab} {
			ch := c.Chain(v)
			if ch.V != v || len(ch.Words) != v {
				t.Fatalf("%s(%d): %d words", c.Name, v, len(ch.Words))
			}
			seen := map[string]bool{}
			for _, w := range ch.Words {
				if seen[w] {
					t.Errorf("%s(%d): word %q twice", c.Name, v, w)
				}
				seen[w] = true
			}
			if err := checkChain(ch); err != nil {
				t.Fatalf("%s(%d): %v", c.Name, v, err)
			}
			for _, win := range []int{1, 2, 5} {
				p := ch.PairProb(win)
				total, pos, neg := 0.0, 0, 0
				for i := range v {
					row := 0.0
					for j := range v {
						row += p[i*v+j]
						if p[i*v+j] != p[j*v+i] {
							t.Fatalf("%s(%d) window %d: p is not symmetric at %d,%d", c.Name, v, win, i, j)
						}
						if p[i*v+j] > 0 {
							if pmi := math.Log(p[i*v+j] / (ch.Pi[i] * ch.Pi[j])); pmi > 0.1 {
								pos++
							} else if pmi < -0.1 {
								neg++
							}
						}
					}
					total += row
					if math.Abs(row-ch.Pi[i]) > 1e-13 {
						t.Fatalf("%s(%d) window %d: marginal %d is %v, π %v", c.Name, v, win, i, row, ch.Pi[i])
					}
				}
				if math.Abs(total-1) > 1e-12 || pos == 0 || neg == 0 {
					t.Errorf("%s(%d) window %d: Σp = %v, %d pairs with PMI > 0.1, %d below −0.1", c.Name, v, win, total, pos, neg)
				}
			}
		}
	}
}

// TestPairDistributionMatchesSampling compares the exact pair
// distribution with the pair frequencies of a long generated corpus, for
// each generator at window 2: 10⁶ tokens in 20 batches of 5·10⁴, whose
// batch means estimate each pair's frequency and its standard error (the
// pairs of a Markov chain are correlated, so the multinomial error would
// be wrong; batches far longer than the chain's mixing time are nearly
// independent). Every pair's z-score must be below 6 in absolute value,
// and their mean square, which is about 19/17 ≈ 1.1 for t-statistics
// with 19 degrees of freedom, must be in [0.7, 1.6]. The same test with
// the offsets' symmetrization left out of p fails (checked below), so it
// has the power to see a wrong formula.
func TestPairDistributionMatchesSampling(t *testing.T) {
	if testing.Short() {
		t.Skip("10⁶ tokens per generator; TestChains checks the algebra")
	}
	const v, win, batches, per = 24, 2, 20, 50000
	for _, c := range Corpora {
		if c.Chain == nil {
			continue
		}
		ch := c.Chain(v)
		exact := ch.PairProb(win)
		toks := ch.generate(rand.NewPCG(7, 11), batches*per)
		freq := make([][]float64, batches)
		for b := range batches {
			seg := toks[b*per : (b+1)*per]
			cnt := make([]float64, v*v)
			n := 0.0
			for p := range seg {
				for j := max(0, p-win); j <= min(len(seg)-1, p+win); j++ {
					if j != p {
						cnt[int(seg[p])*v+int(seg[j])]++
						n++
					}
				}
			}
			for i := range cnt {
				cnt[i] /= n
			}
			freq[b] = cnt
		}
		zs := func(p []float64) (maxZ, meanZ2 float64) {
			cells := 0
			for i := range p {
				mean, ss := 0.0, 0.0
				for b := range batches {
					mean += freq[b][i]
				}
				mean /= batches
				for b := range batches {
					ss += (freq[b][i] - mean) * (freq[b][i] - mean)
				}
				se := math.Sqrt(ss / (batches - 1) / batches)
				if exact[i] < 1e-4 || se == 0 {
					continue // too rare to estimate an error from 20 batches
				}
				z := (mean - p[i]) / se
				maxZ = max(maxZ, math.Abs(z))
				meanZ2 += z * z
				cells++
			}
			return maxZ, meanZ2 / float64(cells)
		}
		maxZ, meanZ2 := zs(exact)
		t.Logf("%s: max |z| %.2f, mean z² %.3f", c.Name, maxZ, meanZ2)
		if maxZ > 6 || meanZ2 < 0.7 || meanZ2 > 1.6 {
			t.Errorf("%s: the exact pair distribution does not match sampling: max |z| %.2f, mean z² %.3f", c.Name, maxZ, meanZ2)
		}
		// Power: the offsets +d alone (π_i (P^d)_ij, not symmetrized).
		wrong := make([]float64, v*v)
		pd := append([]float64(nil), ch.P...)
		next := make([]float64, v*v)
		for d := 1; d <= win; d++ {
			if d > 1 {
				matMul(next, pd, ch.P, v)
				pd, next = next, pd
			}
			for i := range v {
				for j := range v {
					wrong[i*v+j] += ch.Pi[i] * pd[i*v+j] / win
				}
			}
		}
		if maxZ, meanZ2 := zs(wrong); maxZ <= 6 && meanZ2 <= 1.6 {
			t.Errorf("%s: the test cannot tell the one-sided distribution (max |z| %.2f, mean z² %.3f)", c.Name, maxZ, meanZ2)
		}
	}
}

// checkChain returns an error unless c's rows are distributions and π is
// stationary (a bug in a generator; the tests run it for every size).
func checkChain(c *Chain) error {
	n := c.V
	for i := range n {
		s := 0.0
		for j := range n {
			if c.P[i*n+j] < 0 {
				return fmt.Errorf("P[%d][%d] < 0", i, j)
			}
			s += c.P[i*n+j]
		}
		if math.Abs(s-1) > 1e-12 {
			return fmt.Errorf("row %d sums to %v", i, s)
		}
	}
	for j := range n {
		s := 0.0
		for i := range n {
			s += c.Pi[i] * c.P[i*n+j]
		}
		if math.Abs(s-c.Pi[j]) > 1e-13 || !(c.Pi[j] > 0) {
			return fmt.Errorf("π is not stationary at %d: %v vs %v", j, s, c.Pi[j])
		}
	}
	return nil
}
