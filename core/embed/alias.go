package embed

import (
	"fmt"
	"math/bits"
)

// An Alias draws indices 0 … n−1 with given probabilities in O(1) from 32
// random bits, by Walker's alias method over a power-of-two number of
// slots M ≥ n: the top log₂M bits pick a slot, the others are compared
// with the slot's threshold. All of it is integer arithmetic after the
// table is built (with +, ×, ÷ only), so draws are the same on every
// platform. Prob gives the probabilities the table realizes exactly
// (they differ from the weights' by at most 2^−(32−log₂M)/M each).
type Alias struct {
	n      int
	shift  uint   // 32 − log₂M
	mask   uint32 // 2^shift − 1
	thresh []uint64
	alias  []int32
}

// NewAlias builds the table for the weights (finite, ≥ 0, not all zero,
// at most 2²⁰ of them).
func NewAlias(weights []float64) (*Alias, error) {
	n := len(weights)
	if n < 1 || n > 1<<20 {
		return nil, fmt.Errorf("embed: alias table of %d weights (1 … 2²⁰ allowed)", n)
	}
	total := 0.0
	for i, w := range weights {
		if !(w >= 0 && w-w == 0) {
			return nil, fmt.Errorf("embed: weight %d is %v", i, w)
		}
		total += w
	}
	if total <= 0 {
		return nil, fmt.Errorf("embed: the weights sum to %v", total)
	}
	logM := bits.Len(uint(n - 1)) // M = 2^logM ≥ n
	if logM == 0 {
		logM = 1
	}
	m := 1 << logM
	a := &Alias{n: n, shift: uint(32 - logM), thresh: make([]uint64, m), alias: make([]int32, m)}
	a.mask = uint32(1)<<a.shift - 1
	one := float64(uint64(1) << a.shift)
	// Vose's method on the scaled weights p_i = M·w_i/total: slots below 1
	// are topped up from slots above 1, taken in index order.
	p := make([]float64, m)
	for i, w := range weights {
		p[i] = w * float64(m) / total
	}
	var small, large []int32
	for i := m - 1; i >= 0; i-- { // stacks pop the lowest index first
		if p[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.thresh[s] = uint64(p[s]*one + 0.5)
		a.alias[s] = l
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left holds 1 up to rounding: the slot keeps itself (a
	// padding slot, which rounding could leave here, sends every draw to
	// the heaviest index).
	heaviest := int32(0)
	for i, w := range weights {
		if w > weights[heaviest] {
			heaviest = int32(i)
		}
	}
	for _, i := range append(small, large...) {
		a.thresh[i], a.alias[i] = uint64(one), i
		if int(i) >= n {
			a.thresh[i], a.alias[i] = 0, heaviest
		}
	}
	return a, nil
}

// Len returns n, the number of indices.
func (a *Alias) Len() int { return a.n }

// Draw returns an index drawn from the 32 random bits r.
func (a *Alias) Draw(r uint32) int32 {
	s := r >> a.shift
	if uint64(r&a.mask) < a.thresh[s] {
		return int32(s)
	}
	return a.alias[s]
}

// Tables returns the table's parts, for a hot loop that draws with them
// from locals (DrawFrom): the slots' thresholds and aliases, the shift and
// the mask.
func (a *Alias) Tables() (thresh []uint64, alias []int32, shift uint, mask uint32) {
	return a.thresh, a.alias, a.shift, a.mask
}

// DrawFrom is Draw from the parts Tables returns.
func DrawFrom(thresh []uint64, alias []int32, shift uint, mask uint32, r uint32) int32 {
	s := r >> shift
	if uint64(r&mask) < thresh[s] {
		return int32(s)
	}
	return alias[s]
}

// Prob returns the probability with which Draw returns each index, as the
// table realizes it (exact up to one rounding per slot).
func (a *Alias) Prob() []float64 {
	q := make([]float64, a.n)
	one := float64(uint64(1) << a.shift)
	m := float64(len(a.thresh))
	for s, t := range a.thresh {
		keep := float64(t) / one
		if s < a.n {
			q[s] += keep / m
		}
		if keep < 1 {
			q[a.alias[s]] += (1 - keep) / m
		}
	}
	return q
}
