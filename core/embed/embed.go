// Package embed holds the embedding kernels the word labs share: two
// tables of word vectors, u_w for a word as a centre and v_c for a word as
// a context, optional per-word biases, the score
//
//	s(w, c) = ⟨u_w, v_c⟩ (+ b_w + b'_c)
//
// and the sparse SGD step of a binary-logistic loss of one centre word
// against one observed context and k sampled ones: negative sampling and
// NCE proper (docs/math.md#word2vec). A step touches k + 2 rows and costs
// O(k·dim), whatever the vocabulary; it allocates nothing. The package
// also holds what panels need from a table of vectors: a deterministic 2D
// projection (principal components by power iteration) and nearest
// neighbours by cosine. Everything is deterministic: the same inputs give
// the same bits natively and in WebAssembly (docs/spec.md#determinism).
package embed

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// A Model holds the two tables of vectors, row-major, and optional
// biases. U and V must not overlap. In a word model (word2vec) both
// tables have a row per word; in a conditional model (a context predicts
// a word, NewConditional) U has a row per context and V a row per word.
type Model struct {
	Rows, Dim int
	// Centres is the number of rows of U (and BU): Rows for a word model.
	Centres int
	U       []float64 // Centres×Dim: centre vectors u_w
	V       []float64 // Rows×Dim: context (target) vectors v_c
	// BU and BV are per-row biases added to the score: BU[w] of the
	// centre (Centres long) and BV[c] of the target (Rows long). Each is
	// nil for none (word2vec has neither; a model whose per-centre
	// constant is held at 0 has BV alone).
	BU, BV []float64
}

// NewModel returns a model of rows words with dim-dimensional vectors, all
// zero, with both biases if biases is set.
func NewModel(rows, dim int, biases bool) *Model {
	return NewConditional(rows, rows, dim, biases, biases)
}

// NewConditional returns a model of centres centre rows (contexts) and
// rows target rows (words) with dim-dimensional vectors, all zero, with
// the centre biases BU if bu and the target biases BV if bv.
func NewConditional(centres, rows, dim int, bu, bv bool) *Model {
	m := &Model{Rows: rows, Dim: dim, Centres: centres, U: make([]float64, centres*dim), V: make([]float64, rows*dim)}
	if bu {
		m.BU = make([]float64, centres)
	}
	if bv {
		m.BV = make([]float64, rows)
	}
	return m
}

// InitWord2Vec initializes the model as word2vec does: each u_w uniform
// in [−0.5/dim, 0.5/dim)^dim, drawn row by row from r, every v_c and bias
// zero.
func (m *Model) InitWord2Vec(r *rand.Rand) {
	scale := 1 / float64(m.Dim)
	for i := range m.U {
		m.U[i] = (r.Float64() - 0.5) * scale
	}
	clear(m.V)
	clear(m.BU)
	clear(m.BV)
}

// URow returns u_w (a view into U).
func (m *Model) URow(w int) []float64 { return m.U[w*m.Dim : (w+1)*m.Dim : (w+1)*m.Dim] }

// VRow returns v_c (a view into V).
func (m *Model) VRow(c int) []float64 { return m.V[c*m.Dim : (c+1)*m.Dim : (c+1)*m.Dim] }

// Score returns s(w, c) = ⟨u_w, v_c⟩, plus the biases the model has.
func (m *Model) Score(w, c int) float64 {
	return Dot(m.URow(w), m.VRow(c)) + m.biases(w, c)
}

// biases returns BU[w] + BV[c], either term 0 where the model has none.
func (m *Model) biases(w, c int) float64 {
	switch {
	case m.BU != nil && m.BV != nil:
		return m.BU[w] + m.BV[c]
	case m.BU != nil:
		return m.BU[w]
	case m.BV != nil:
		return m.BV[c]
	}
	return 0
}

// Scores writes s(w, c) for every c into dst (length Rows).
func (m *Model) Scores(w int, dst []float64) {
	u := m.URow(w)
	for c := range m.Rows {
		dst[c] = Dot(u, m.VRow(c))
	}
	if m.BU != nil || m.BV != nil {
		for c := range dst[:m.Rows] {
			dst[c] += m.biases(w, c)
		}
	}
}

// Finite reports whether every parameter is finite.
func (m *Model) Finite() bool {
	for _, p := range [][]float64{m.U, m.V, m.BU, m.BV} {
		for _, x := range p {
			if x-x != 0 {
				return false
			}
		}
	}
	return true
}

// Dot returns ⟨a, b⟩ for len(b) ≥ len(a), with four partial sums added in
// a fixed order.
func Dot(a, b []float64) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		x, y := a[i:i+4:i+4], b[i:i+4:i+4]
		s0 += x[0] * y[0]
		s1 += x[1] * y[1]
		s2 += x[2] * y[2]
		s3 += x[3] * y[3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// Axpy adds a·x to y (len(y) ≥ len(x)).
func Axpy(a float64, x, y []float64) {
	y = y[:len(x)]
	for i, v := range x {
		y[i] += a * v
	}
}

// scanTargets is the most targets whose repeats a step finds by scanning
// the rows merged so far; beyond, by per-row stamps.
const scanTargets = 32

// A Contrast is the scratch space of the pair step (Step), sized for a
// dimension and a number of targets. It is not safe for concurrent use.
type Contrast struct {
	gu   []float64 // the centre's gradient step, accumulated over the targets
	g    []float64 // per target: the score, then the step's coefficient
	rows []int32   // the distinct target rows
	rg   []float64 // their summed coefficients
	seen []uint32  // per row: the last step that drew it
	slot []int32   // per row: its place in rows, for that step
	now  uint32
}

// NewContrast returns the scratch space for a model of rows words with
// vectors of dimension dim and up to targets targets per step (1 + k).
func NewContrast(rows, dim, targets int) *Contrast {
	return &Contrast{gu: make([]float64, dim), g: make([]float64, targets),
		rows: make([]int32, targets), rg: make([]float64, targets),
		seen: make([]uint32, rows), slot: make([]int32, rows)}
}

// Step takes one SGD step of rate lr on the binary-logistic loss of
// centre w against the targets ts: ts[0] the observed context (label 1),
// ts[1:] the sampled ones (label 0),
//
//	−log σ(z₀) − Σ_{j≥1} log σ(−z_j),   z_j = s(w, ts[j]) − shift[ts[j]],
//
// and returns the loss before the step. shift is nil for negative sampling
// (z = s) and log(k·q(c)) for NCE proper (docs/math.md#word2vec). It is
// one exact gradient step: every score and gradient is taken at the
// parameters before the step (a row drawn twice gets both targets' terms,
// summed into one coefficient), applied to u_w, to the targets' rows of V
// and to the biases; nothing else is touched. σ and softplus come from
// the logistic table, logTab (beyond |z| = 16, their limits).
func (c *Contrast) Step(m *Model, w int, ts []int32, shift []float64, lr float64) (loss float64) {
	// One leaf function with every loop written inline: Go's WebAssembly
	// pays for each call, and for the values it must save around it
	// (docs/architecture.md#wasm-speed).
	d := m.Dim
	u := m.U[w*d : w*d+d : w*d+d]
	V := m.V
	n := len(ts)
	g := c.g[:n]
	// The scores, four targets at a time over chunks of four elements of
	// u (loaded once for the four rows), then one at a time.
	j := 0
	for ; j+4 <= n; j += 4 {
		ra, rb, rc, rd := int(ts[j])*d, int(ts[j+1])*d, int(ts[j+2])*d, int(ts[j+3])*d
		a, b, cc, dd := V[ra:ra+d:ra+d], V[rb:rb+d:rb+d], V[rc:rc+d:rc+d], V[rd:rd+d:rd+d]
		var sa, sb, sc, sd float64
		i := 0
		for ; i+4 <= d; i += 4 {
			uu := u[i : i+4 : i+4]
			u0, u1, u2, u3 := uu[0], uu[1], uu[2], uu[3]
			x := a[i : i+4 : i+4]
			sa += (u0*x[0] + u1*x[1]) + (u2*x[2] + u3*x[3])
			x = b[i : i+4 : i+4]
			sb += (u0*x[0] + u1*x[1]) + (u2*x[2] + u3*x[3])
			x = cc[i : i+4 : i+4]
			sc += (u0*x[0] + u1*x[1]) + (u2*x[2] + u3*x[3])
			x = dd[i : i+4 : i+4]
			sd += (u0*x[0] + u1*x[1]) + (u2*x[2] + u3*x[3])
		}
		for ; i < d; i++ {
			x := u[i]
			sa += x * a[i]
			sb += x * b[i]
			sc += x * cc[i]
			sd += x * dd[i]
		}
		g[j], g[j+1], g[j+2], g[j+3] = sa, sb, sc, sd
	}
	for ; j < n; j++ {
		ra := int(ts[j]) * d
		a := V[ra : ra+d : ra+d]
		var s0, s1, s2, s3 float64
		i := 0
		for ; i+4 <= d; i += 4 {
			x, y := u[i:i+4:i+4], a[i:i+4:i+4]
			s0 += x[0] * y[0]
			s1 += x[1] * y[1]
			s2 += x[2] * y[2]
			s3 += x[3] * y[3]
		}
		for ; i < d; i++ {
			s0 += u[i] * a[i]
		}
		g[j] = (s0 + s1) + (s2 + s3)
	}
	if bv := m.BV; bv != nil {
		bu := 0.0
		if m.BU != nil {
			bu = m.BU[w]
		}
		for j, t := range ts {
			g[j] += bu + bv[t]
		}
	} else if m.BU != nil {
		for j := range ts {
			g[j] += m.BU[w]
		}
	}
	if shift != nil {
		for j, t := range ts {
			g[j] -= shift[t]
		}
	}
	// The loss and the coefficients lr·(label − σ(z)), σ and softplus by
	// the logistic table (logTab), written inline; beyond |z| = 16 they are taken as
	// their limits (σ ∈ {0, 1}, softplus ∈ {0, z}: off by less than 1.2e-7).
	// The observed context has label 1: σ(−z) = 1 − σ(z), −log σ(z) =
	// softplus(−z). Then a row drawn more than once steps once with the
	// sum of its coefficients (the same step: its gradient terms share the
	// old row).
	for j, z := range g {
		coef := -lr
		if j == 0 {
			z, coef = -z, lr
		}
		var sig, sp float64
		if t := (z + logMax) * logRes; t >= 0 && t <= logNodes-1 {
			r := t + roundMagic
			e := &logTab[int(math.Float64bits(r)-roundMagicBits)]
			x := (t - (r - roundMagic)) * (1.0 / logRes)
			sig = e[1] + x*(e[2]+x*(0.5*e[3]+x*(1.0/6)*e[4]))
			sp = e[0] + x*(e[1]+x*(0.5*e[2]+x*(1.0/6)*e[3]))
		} else if z > 0 {
			sig, sp = 1, z
		} else if z < 0 {
			sig, sp = 0, 0
		} else { // NaN
			sig, sp = z, z
		}
		loss += sp
		g[j] = coef * sig
	}
	rows, rg := c.rows[:n], c.rg[:n]
	nr := 0
	if n <= scanTargets {
		// Few targets: find a repeat among the rows so far, touching no
		// per-row memory (a cache miss each on a large vocabulary).
		for j, t := range ts {
			r := 0
			for r < nr && rows[r] != t {
				r++
			}
			if r < nr {
				rg[r] += g[j]
			} else {
				rows[nr], rg[nr] = t, g[j]
				nr++
			}
		}
	} else {
		c.now++
		if c.now == 0 { // wrapped: forget the old stamps
			for i := range c.seen {
				c.seen[i] = 0
			}
			c.now = 1
		}
		seen, slot, now := c.seen, c.slot, c.now
		for j, t := range ts {
			if seen[t] == now {
				rg[slot[t]] += g[j]
			} else {
				seen[t], slot[t] = now, int32(nr)
				rows[nr], rg[nr] = t, g[j]
				nr++
			}
		}
	}
	// The step: gu = Σ g_r v_r (old rows), v_r += g_r·u, four rows per
	// pass over u; then u += gu (gu is left zero for the next step).
	gu := c.gu[:d]
	j = 0
	for ; j+4 <= nr; j += 4 {
		ra, rb, rc, rd := int(rows[j])*d, int(rows[j+1])*d, int(rows[j+2])*d, int(rows[j+3])*d
		a, b, cc, dd := V[ra:ra+d:ra+d], V[rb:rb+d:rb+d], V[rc:rc+d:rc+d], V[rd:rd+d:rd+d]
		ga, gb, gc, gd := rg[j], rg[j+1], rg[j+2], rg[j+3]
		for i, x := range u {
			ai, bi, ci, di := a[i], b[i], cc[i], dd[i]
			gu[i] += (ga*ai + gb*bi) + (gc*ci + gd*di)
			a[i] = ai + ga*x
			b[i] = bi + gb*x
			cc[i] = ci + gc*x
			dd[i] = di + gd*x
		}
	}
	if j+2 <= nr {
		ra, rb := int(rows[j])*d, int(rows[j+1])*d
		a, b := V[ra:ra+d:ra+d], V[rb:rb+d:rb+d]
		ga, gb := rg[j], rg[j+1]
		for i, x := range u {
			ai, bi := a[i], b[i]
			gu[i] += ga*ai + gb*bi
			a[i] = ai + ga*x
			b[i] = bi + gb*x
		}
		j += 2
	}
	if j < nr {
		ra := int(rows[j]) * d
		a := V[ra : ra+d : ra+d]
		ga := rg[j]
		for i, x := range u {
			ai := a[i]
			gu[i] += ga * ai
			a[i] = ai + ga*x
		}
	}
	if m.BU != nil {
		for j := range rows[:nr] {
			m.BU[w] += rg[j]
		}
	}
	if bv := m.BV; bv != nil {
		for j, t := range rows[:nr] {
			bv[t] += rg[j]
		}
	}
	for i, x := range gu {
		u[i] += x
		gu[i] = 0
	}
	return loss
}

// Check returns an error if the model's sizes are inconsistent.
func (m *Model) Check() error {
	if m.Rows < 1 || m.Centres < 1 || m.Dim < 1 || len(m.U) != m.Centres*m.Dim || len(m.V) != m.Rows*m.Dim ||
		m.BU != nil && len(m.BU) != m.Centres || m.BV != nil && len(m.BV) != m.Rows {
		return fmt.Errorf("embed: inconsistent model: %d centres and %d rows of %d, |U| %d, |V| %d, |BU| %d, |BV| %d",
			m.Centres, m.Rows, m.Dim, len(m.U), len(m.V), len(m.BU), len(m.BV))
	}
	return nil
}
