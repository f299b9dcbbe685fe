package embed

import (
	"nceplay/core/fmath"
)

// RowScores writes ⟨u_w, v_c⟩ + BV[c] for every row c into dst (length
// ≥ Rows): the scores s(w, c) without the centre's bias BU[w], a constant
// over c that no softmax over the rows sees. Four rows at a time, each
// chunk of four elements of u loaded once for the four (the layout of
// Contrast.Step's scores); O(Rows·Dim).
func (m *Model) RowScores(w int, dst []float64) {
	d := m.Dim
	u := m.U[w*d : w*d+d : w*d+d]
	V := m.V
	n := m.Rows
	dst = dst[:n]
	c := 0
	for ; c+4 <= n; c += 4 {
		r := c * d
		a, b, cc, dd := V[r:r+d:r+d], V[r+d:r+2*d:r+2*d], V[r+2*d:r+3*d:r+3*d], V[r+3*d:r+4*d:r+4*d]
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
		dst[c], dst[c+1], dst[c+2], dst[c+3] = sa, sb, sc, sd
	}
	for ; c < n; c++ {
		r := c * d
		a := V[r : r+d : r+d]
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
		dst[c] = (s0 + s1) + (s2 + s3)
	}
	if bv := m.BV; bv != nil {
		bv = bv[:n]
		for c, b := range bv {
			dst[c] += b
		}
	}
}

// A Softmax is the scratch space of the full-softmax step (Softmax.Step)
// for a model's rows and dimension. It is not safe for concurrent use.
type Softmax struct {
	z  []float64 // per row: the score, then the step's coefficient
	gu []float64 // the centre's gradient step
}

// NewSoftmax returns the scratch space for a model of rows target rows
// with vectors of dimension dim.
func NewSoftmax(rows, dim int) *Softmax {
	return &Softmax{z: make([]float64, rows), gu: make([]float64, dim)}
}

// Step takes one SGD step of rate lr on the cross-entropy of the full
// softmax over every row of V, given centre w and the observed row t
// (docs/math.md#softmax-cost):
//
//	−s(w, t) + log Σ_c exp s(w, c),
//
// and returns the loss before the step. Its gradient has a term for every
// row — (1[c = t] − p(c|w))·u_w for v_c and the same coefficient for
// BV[c] — so the step costs O(Rows·Dim) and rewrites all of V: that is the
// softmax's cost, which the sampled objectives avoid. BU[w] has gradient
// 0 (a softmax ignores a constant added to every score) and is not
// touched. It is one exact gradient step (scores and gradients at the
// parameters before the step), two passes over V: the scores
// (RowScores), then gu = Σ_c g_c v_c and v_c += g_c·u four rows at a
// time; the exponentials are ExpNeg's.
func (s *Softmax) Step(m *Model, w, t int, lr float64) (loss float64) {
	d := m.Dim
	n := m.Rows
	z := s.z[:n]
	m.RowScores(w, z)
	hi := z[0]
	for _, x := range z {
		if x > hi {
			hi = x
		}
	}
	zt := z[t]
	sum := 0.0
	for c, x := range z {
		e := ExpNeg(x - hi)
		z[c] = e
		sum += e
	}
	loss = fmath.Log(sum) + hi - zt
	if loss-loss != 0 { // NaN or infinite: leave the model as it is
		return loss
	}
	f := -lr / sum
	for c, e := range z {
		z[c] = f * e
	}
	z[t] += lr
	u := m.U[w*d : w*d+d : w*d+d]
	gu := s.gu[:d]
	V := m.V
	c := 0
	for ; c+4 <= n; c += 4 {
		r := c * d
		a, b, cc, dd := V[r:r+d:r+d], V[r+d:r+2*d:r+2*d], V[r+2*d:r+3*d:r+3*d], V[r+3*d:r+4*d:r+4*d]
		ga, gb, gc, gd := z[c], z[c+1], z[c+2], z[c+3]
		for i, x := range u {
			ai, bi, ci, di := a[i], b[i], cc[i], dd[i]
			gu[i] += (ga*ai + gb*bi) + (gc*ci + gd*di)
			a[i] = ai + ga*x
			b[i] = bi + gb*x
			cc[i] = ci + gc*x
			dd[i] = di + gd*x
		}
	}
	for ; c < n; c++ {
		r := c * d
		a := V[r : r+d : r+d]
		ga := z[c]
		for i, x := range u {
			ai := a[i]
			gu[i] += ga * ai
			a[i] = ai + ga*x
		}
	}
	if bv := m.BV; bv != nil {
		bv = bv[:n]
		for c, g := range z {
			bv[c] += g
		}
	}
	for i, x := range gu {
		u[i] += x
		gu[i] = 0
	}
	return loss
}

// RankStep takes one SGD step of rate lr on the ranking loss of centre w
// (docs/math.md#e7): the cross-entropy of picking ts[0], the observed
// target, among the candidates ts (the observed one and the sampled ones)
// by a softmax over z_j = s(w, ts[j]) − shift[ts[j]] (shift is log q(c)
// for ranking NCE; nil for none),
//
//	−z₀ + log Σ_j exp z_j,
//
// and returns the loss before the step. Like Step it touches only the
// candidates' rows, u_w and the candidates' BV (a row drawn twice gets
// both its terms, summed into one coefficient); BU[w] has gradient 0 (a
// softmax ignores a constant) and is not touched. The exponentials are
// ExpNeg's.
func (c *Contrast) RankStep(m *Model, w int, ts []int32, shift []float64, lr float64) (loss float64) {
	d := m.Dim
	u := m.U[w*d : w*d+d : w*d+d]
	n := len(ts)
	g := c.g[:n]
	targetScores(u, m.V, d, ts, g)
	if bv := m.BV; bv != nil {
		for j, t := range ts {
			g[j] += bv[t]
		}
	}
	if shift != nil {
		for j, t := range ts {
			g[j] -= shift[t]
		}
	}
	hi := g[0]
	for _, x := range g {
		if x > hi {
			hi = x
		}
	}
	z0 := g[0]
	sum := 0.0
	for j, x := range g {
		e := ExpNeg(x - hi)
		g[j] = e
		sum += e
	}
	loss = fmath.Log(sum) + hi - z0
	if loss-loss != 0 {
		return loss
	}
	f := -lr / sum
	nr := c.merge(ts, g, f, lr)
	gu := c.gu[:d]
	applyRows(u, m.V, d, c.rows[:nr], c.rg[:nr], gu)
	if bv := m.BV; bv != nil {
		for j, t := range c.rows[:nr] {
			bv[t] += c.rg[j]
		}
	}
	for i, x := range gu {
		u[i] += x
		gu[i] = 0
	}
	return loss
}

// merge turns the candidates' weights e_j into the step's coefficients
// f·e_j (plus lr for ts[0], the observed one) and sums those of a row
// drawn more than once into c.rows, c.rg; it returns the number of
// distinct rows.
func (c *Contrast) merge(ts []int32, e []float64, f, lr float64) int {
	for j := range ts {
		e[j] *= f
	}
	e[0] += lr
	rows, rg := c.rows[:len(ts)], c.rg[:len(ts)]
	nr := 0
	if len(ts) <= scanTargets {
		for j, t := range ts {
			r := 0
			for r < nr && rows[r] != t {
				r++
			}
			if r < nr {
				rg[r] += e[j]
			} else {
				rows[nr], rg[nr] = t, e[j]
				nr++
			}
		}
		return nr
	}
	c.now++
	if c.now == 0 { // wrapped: forget the old stamps
		clear(c.seen)
		c.now = 1
	}
	seen, slot, now := c.seen, c.slot, c.now
	for j, t := range ts {
		if seen[t] == now {
			rg[slot[t]] += e[j]
		} else {
			seen[t], slot[t] = now, int32(nr)
			rows[nr], rg[nr] = t, e[j]
			nr++
		}
	}
	return nr
}

// targetScores writes ⟨u, v_t⟩ for each t of ts into g, four rows at a
// time (Contrast.Step's layout).
func targetScores(u, V []float64, d int, ts []int32, g []float64) {
	n := len(ts)
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
}

// applyRows adds Σ_r g_r v_r (the old rows) to gu and g_r·u to each row
// v_r, four rows per pass over u (Contrast.Step's layout).
func applyRows(u, V []float64, d int, rows []int32, rg []float64, gu []float64) {
	nr := len(rows)
	j := 0
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
	for ; j < nr; j++ {
		ra := int(rows[j]) * d
		a := V[ra : ra+d : ra+d]
		ga := rg[j]
		for i, x := range u {
			ai := a[i]
			gu[i] += ga * ai
			a[i] = ai + ga*x
		}
	}
}
