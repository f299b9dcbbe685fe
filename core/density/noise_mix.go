package density

import (
	"fmt"
	"math"
	"math/rand/v2"

	"nceplay/core/fmath"
)

// The mixture noise's fit (docs/math.md#e13).
const (
	// MaxComponents is the most components a mixture noise may have (the
	// ncomp key's maximum): LogProb keeps one value per component on the
	// stack.
	MaxComponents = 32
	// MixMaxPoints bounds the points EM runs on: a larger data set is
	// thinned to MixMaxPoints evenly strided points (the data are
	// independent draws, so any choice that ignores their values is a
	// uniform subsample). EM then costs at most MixMaxPoints·ncomp
	// component evaluations per iteration, whatever n.
	MixMaxPoints = 4096
	// MixMaxIter bounds the EM iterations; mixTol stops them earlier, when
	// an iteration raises the mean log-likelihood per point by less. EM's
	// last gains are tiny (redundant components of a unimodal target
	// creep for hundreds of iterations at 1e-5 to 1e-6 nats per point
	// each, together under 0.01 nats), and a noise needs to be near the
	// data, not at EM's exact fixed point; the sweep lab fits one per
	// repetition. Typically 10–50 iterations.
	MixMaxIter = 100
	mixTol     = 1e-4
	// MixFloor is the smallest standard deviation a component may have in
	// any direction, in units of the data's standard deviation on each
	// axis: EM fits in standardized coordinates and clips every
	// component's covariance eigenvalues at MixFloor², which keeps a
	// component from collapsing onto one point (where the likelihood is
	// unbounded) and keeps EM monotone (docs/math.md#e13). It is far
	// below the narrowest structure of the targets (σ ≈ 0.1 of the spread
	// for ring and spiral).
	MixFloor = 0.01
	// mixSeed seeds EM's k-means++ start: the fit depends on the data and
	// ncomp only.
	mixSeed = 0x6d6978 // "mix"
)

// MixNoise is the noise U(x) = Σ_j π_j N(x; μ_j, Σ_j), a Gaussian mixture
// with full covariances fitted to the data by EM (docs/math.md#e13), then
// every component widened by nscale (Σ_j → nscale²·Σ_j, the means kept)
// and moved by nshift data spreads (FitNoise). For one component this is
// the gauss family's nscale and nshift; for several, nscale > 1 blurs
// the fitted modes into the gaps between them instead of moving them
// apart. Build it with FitNoise; it is
// read-only, and its methods are safe for concurrent use.
type MixNoise struct {
	D     int
	comps []mixComp
	// LogLik is the mean log-likelihood per point of EM's fit after each
	// iteration (in standardized coordinates), non-decreasing
	// (docs/math.md#e13); the fit's diagnostics.
	LogLik []float64
}

// mixComp is one component, with what LogProb and Sample need at hand.
type mixComp struct {
	w        float64 // π_j
	mx, my   float64 // μ_j
	sxx, sxy float64 // Σ_j (1D: sxx only)
	syy      float64
	logc     float64 // log π_j − ½ log det(2πΣ_j)
	a, b, c  float64 // ½Σ_j⁻¹: the exponent is −(a·dx² + 2b·dx·dy + c·dy²)
	l11, l21 float64 // Σ_j = LLᵀ, L lower triangular (1D: l11 = σ_j)
	l22      float64
	aliasP   float64 // Walker's alias table: keep j with this probability,
	aliasJ   int32   // else take aliasJ
}

// Dim returns D.
func (m *MixNoise) Dim() int { return m.D }

// Components returns the number of components (at most the ncomp asked
// for: EM drops a component that no point is responsible for).
func (m *MixNoise) Components() int { return len(m.comps) }

// Component returns component j's weight, mean and covariance (xx, xy,
// yy; 1D: the variance, 0, 0).
func (m *MixNoise) Component(j int) (w float64, mean [2]float64, cov [3]float64) {
	c := &m.comps[j]
	return c.w, [2]float64{c.mx, c.my}, [3]float64{c.sxx, c.sxy, c.syy}
}

// Sample fills xs with len(xs)/D points: all the normal variates first
// (two per PCG draw, as GaussNoise), then per point one uniform picks a
// component by Walker's alias method and the point is μ_j + L_j z.
func (m *MixNoise) Sample(r *rand.Rand, xs []float64) {
	FillNormal(r, xs)
	cs := m.comps
	nc := float64(len(cs))
	last := len(cs) - 1
	if m.D == 1 {
		for i, z := range xs {
			u := r.Float64() * nc
			j := min(int(u), last)
			if u-float64(j) >= cs[j].aliasP {
				j = int(cs[j].aliasJ)
			}
			c := &cs[j]
			xs[i] = c.mx + c.l11*z
		}
		return
	}
	for i := 0; i+1 < len(xs); i += 2 {
		u := r.Float64() * nc
		j := min(int(u), last)
		if u-float64(j) >= cs[j].aliasP {
			j = int(cs[j].aliasJ)
		}
		c := &cs[j]
		zx, zy := xs[i], xs[i+1]
		xs[i] = c.mx + c.l11*zx
		xs[i+1] = c.my + c.l21*zx + c.l22*zy
	}
}

// LogProb sets out[i] = log Σ_j π_j N(x_i; μ_j, Σ_j) by log-sum-exp with
// core/fmath, so it is finite and accurate far from every component.
// Components more than e^{−36} below the largest are skipped (together
// below 32·e^{−36} < 1e-14 relative).
func (m *MixNoise) LogProb(xs, out []float64) {
	var e [MaxComponents]float64
	cs := m.comps
	ev := e[:len(cs)]
	inf := math.Inf(-1)
	if m.D == 1 {
		out = out[:len(xs)]
		for i, x := range xs {
			top := inf
			for j := range cs {
				c := &cs[j]
				d := x - c.mx
				v := c.logc - c.a*d*d
				ev[j] = v
				if v > top {
					top = v
				}
			}
			out[i] = top + fmath.Log(sumExpAbove(ev, top))
		}
		return
	}
	n := len(xs) / 2
	out, xs = out[:n], xs[:2*n]
	for i := range out {
		x, y := xs[2*i], xs[2*i+1]
		top := inf
		for j := range cs {
			c := &cs[j]
			dx, dy := x-c.mx, y-c.my
			v := c.logc - (c.a*dx*dx + 2*c.b*dx*dy + c.c*dy*dy)
			ev[j] = v
			if v > top {
				top = v
			}
		}
		out[i] = top + fmath.Log(sumExpAbove(ev, top))
	}
}

// sumExpAbove returns Σ exp(v_j − top) over the v_j > top − 36.
func sumExpAbove(v []float64, top float64) float64 {
	s := 0.0
	cut := top - 36
	for _, x := range v {
		if x > cut {
			s += fmath.Exp(x - top)
		}
	}
	return s
}

// Tail implements Noise: log U falls like its widest component along each
// axis, −min_j ½(Σ_j⁻¹)_aa·x_a², the slowest decay being the one that
// matters for p̃/U (docs/math.md#light-tails).
func (m *MixNoise) Tail() Tail {
	t := Tail{Power: 2, Coef: [2]float64{math.Inf(1), math.Inf(1)}}
	for j := range m.comps {
		c := &m.comps[j]
		t.Coef[0] = math.Min(t.Coef[0], c.a)
		if m.D == 2 {
			t.Coef[1] = math.Min(t.Coef[1], c.c)
		}
	}
	if m.D == 1 {
		t.Coef[1] = 0
	}
	return t
}

// String describes the noise, e.g. "mix(8 components, mean 0.00, sd
// 0.61)": its components and the mixture's overall mean and standard
// deviation per axis.
func (m *MixNoise) String() string {
	var mean, v [2]float64
	for j := range m.comps {
		c := &m.comps[j]
		mean[0] += c.w * c.mx
		mean[1] += c.w * c.my
	}
	for j := range m.comps {
		c := &m.comps[j]
		dx, dy := c.mx-mean[0], c.my-mean[1]
		v[0] += c.w * (c.sxx + dx*dx)
		v[1] += c.w * (c.syy + dy*dy)
	}
	comps := fmt.Sprintf("%d components", len(m.comps))
	if len(m.comps) == 1 {
		comps = "1 component"
	}
	if m.D == 1 {
		return fmt.Sprintf("mix(%s, mean %.2f, sd %.2f)", comps, mean[0], math.Sqrt(v[0]))
	}
	return fmt.Sprintf("mix(%s, mean (%.2f, %.2f), sd (%.2f, %.2f))", comps, mean[0], mean[1], math.Sqrt(v[0]), math.Sqrt(v[1]))
}

// fitMix fits the mixture of FitNoise: EM on the standardized points
// z = (x − m)/s (fitEM), mapped back by x = m + nshift·s + s·z, with every
// covariance times nscale².
func fitMix(f *FitData) (Noise, error) {
	d := f.Dim
	pts, w := f.Points, f.Weights
	n := len(pts) / d
	if w == nil && n > MixMaxPoints {
		// An evenly strided subsample of MixMaxPoints points.
		sub := make([]float64, MixMaxPoints*d)
		for i := range MixMaxPoints {
			j := i * n / MixMaxPoints
			copy(sub[i*d:(i+1)*d], pts[j*d:(j+1)*d])
		}
		pts, n = sub, MixMaxPoints
	}
	z := make([]float64, n*d)
	for i, v := range pts {
		a := i % d
		z[i] = (v - f.Mean[a]) / f.SD[a]
	}
	ws := make([]float64, n)
	if w == nil {
		for i := range ws {
			ws[i] = 1 / float64(n)
		}
	} else {
		total := 0.0
		for _, v := range w {
			total += v
		}
		for i, v := range w {
			ws[i] = v / total
		}
	}
	em := fitEM(z, ws, d, f.NComp)
	mix := &MixNoise{D: d, LogLik: em.trace}
	var mu0, sd, sc [2]float64
	for a := range d {
		mu0[a] = f.Mean[a] + f.NShift*f.SD[a]
		sd[a] = f.SD[a]
		sc[a] = f.NScale * f.SD[a]
	}
	for _, c := range em.comps {
		mc := mixComp{w: c.w, mx: mu0[0] + sd[0]*c.mu[0], sxx: sc[0] * sc[0] * c.cov[0]}
		if d == 2 {
			mc.my = mu0[1] + sd[1]*c.mu[1]
			mc.sxy = sc[0] * sc[1] * c.cov[1]
			mc.syy = sc[1] * sc[1] * c.cov[2]
		}
		mix.comps = append(mix.comps, mc)
	}
	mix.prepare()
	return mix, nil
}

// prepare computes each component's normalizer, inverse, Cholesky factor
// and the alias table from the weights, means and covariances.
func (m *MixNoise) prepare() {
	for j := range m.comps {
		c := &m.comps[j]
		if m.D == 1 {
			c.logc = fmath.Log(c.w) - 0.5*fmath.Log(2*math.Pi*c.sxx)
			c.a = 0.5 / c.sxx
			c.l11 = math.Sqrt(c.sxx)
			continue
		}
		det := c.sxx*c.syy - c.sxy*c.sxy
		c.logc = fmath.Log(c.w) - 0.5*fmath.Log(4*math.Pi*math.Pi*det)
		c.a, c.b, c.c = 0.5*c.syy/det, -0.5*c.sxy/det, 0.5*c.sxx/det
		c.l11 = math.Sqrt(c.sxx)
		c.l21 = c.sxy / c.l11
		c.l22 = math.Sqrt(c.syy - c.l21*c.l21)
	}
	// Walker's alias table by Vose's method: scaled weights M·π_j; small
	// ones (< 1) are topped up from large ones.
	nc := len(m.comps)
	p := make([]float64, nc)
	var small, large []int
	for j := range m.comps {
		p[j] = m.comps[j].w * float64(nc)
		if p[j] < 1 {
			small = append(small, j)
		} else {
			large = append(large, j)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		m.comps[s].aliasP, m.comps[s].aliasJ = p[s], int32(l)
		p[l] -= 1 - p[s]
		if p[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left has probability 1 up to rounding.
	for _, j := range append(small, large...) {
		m.comps[j].aliasP, m.comps[j].aliasJ = 1, int32(j)
	}
}

// emComp is one component in standardized coordinates: weight, mean,
// covariance (xx, xy, yy).
type emComp struct {
	w   float64
	mu  [2]float64
	cov [3]float64
}

// emFit is EM's result: the components and the mean log-likelihood per
// point after each iteration.
type emFit struct {
	comps []emComp
	trace []float64
}

// fitEM fits a mixture of at most nc Gaussians to the n = len(w) points z
// (d dimensions) with probabilities w (summing to 1) by EM
// (docs/math.md#e13): a k-means++ start (the first centre drawn by weight,
// each next one with probability ∝ w_i·D_i², D_i the distance to the
// nearest centre chosen, with a fixed seed), hard assignment to the
// nearest centre and one M-step, then E- and M-steps until the mean
// log-likelihood rises by less than mixTol, or MixMaxIter iterations.
// Each M-step clips every covariance's eigenvalues at MixFloor², the
// maximizer of EM's lower bound over the covariances so constrained, so
// the log-likelihood never decreases. A component that no point is
// responsible for (weight 0) is dropped.
func fitEM(z, w []float64, d, nc int) emFit {
	n := len(w)
	r := rand.New(rand.NewPCG(mixSeed, uint64(nc)))
	// k-means++.
	centres := make([][2]float64, 0, nc)
	dist := make([]float64, n)
	pick := func(p func(i int) float64) int {
		total := 0.0
		for i := range n {
			total += p(i)
		}
		if !(total > 0) {
			return -1
		}
		u := r.Float64() * total
		last := -1
		for i := range n {
			if q := p(i); q > 0 {
				last = i
				if u -= q; u < 0 {
					return i
				}
			}
		}
		return last
	}
	point := func(i int) (p [2]float64) {
		copy(p[:d], z[i*d:(i+1)*d])
		return p
	}
	sq := func(p, q [2]float64) float64 {
		dx, dy := p[0]-q[0], p[1]-q[1]
		return dx*dx + dy*dy
	}
	for i := range dist {
		dist[i] = math.Inf(1)
	}
	first := pick(func(i int) float64 { return w[i] })
	centres = append(centres, point(first))
	for len(centres) < nc {
		c := centres[len(centres)-1]
		for i := range n {
			dist[i] = math.Min(dist[i], sq(point(i), c))
		}
		j := pick(func(i int) float64 { return w[i] * dist[i] })
		if j < 0 {
			break // every point sits on a centre already
		}
		centres = append(centres, point(j))
	}
	k := len(centres)
	resp := make([]float64, n*k) // r_ij, row i
	for i := range n {
		best, bd := 0, math.Inf(1)
		for j, c := range centres {
			if dd := sq(point(i), c); dd < bd {
				best, bd = j, dd
			}
		}
		resp[i*k+best] = 1
	}
	comps := make([]emComp, k)
	mStep(z, w, resp, comps, d)
	var trace []float64
	lp := make([]float64, k)
	for it := 0; ; it++ {
		ll := eStep(z, w, resp, comps, d, lp)
		trace = append(trace, ll)
		if it == MixMaxIter || it > 0 && ll-trace[it-1] < mixTol {
			break
		}
		mStep(z, w, resp, comps, d)
	}
	var out []emComp
	for _, c := range comps {
		if c.w > 0 {
			out = append(out, c)
		}
	}
	return emFit{comps: out, trace: trace}
}

// eStep sets the responsibilities r_ij of docs/math.md#e13 for the components (those of
// weight 0 get none) and returns the mean log-likelihood Σ_i w_i log
// Σ_j π_j N(z_i; μ_j, Σ_j). lp is scratch of one value per component.
func eStep(z, w, resp []float64, comps []emComp, d int, lp []float64) float64 {
	k := len(comps)
	type pre struct{ logc, a, b, c float64 }
	ps := make([]pre, k)
	for j, c := range comps {
		if c.w <= 0 {
			ps[j].logc = math.Inf(-1)
			continue
		}
		if d == 1 {
			ps[j] = pre{logc: fmath.Log(c.w) - 0.5*fmath.Log(2*math.Pi*c.cov[0]), a: 0.5 / c.cov[0]}
			continue
		}
		det := c.cov[0]*c.cov[2] - c.cov[1]*c.cov[1]
		ps[j] = pre{logc: fmath.Log(c.w) - 0.5*fmath.Log(4*math.Pi*math.Pi*det),
			a: 0.5 * c.cov[2] / det, b: -0.5 * c.cov[1] / det, c: 0.5 * c.cov[0] / det}
	}
	ll := 0.0
	n := len(w)
	for i := range n {
		x, y := z[i*d], 0.0
		if d == 2 {
			y = z[i*d+1]
		}
		top := math.Inf(-1)
		for j, c := range comps {
			if c.w <= 0 {
				lp[j] = math.Inf(-1)
				continue
			}
			p := &ps[j]
			dx, dy := x-c.mu[0], y-c.mu[1]
			v := p.logc - (p.a*dx*dx + 2*p.b*dx*dy + p.c*dy*dy)
			lp[j] = v
			if v > top {
				top = v
			}
		}
		s := 0.0
		for j := range lp {
			e := fmath.Exp(lp[j] - top) // exp(−Inf) = 0
			lp[j] = e
			s += e
		}
		ll += w[i] * (top + fmath.Log(s))
		row := resp[i*k : (i+1)*k]
		inv := 1 / s
		for j := range row {
			row[j] = lp[j] * inv
		}
	}
	return ll
}

// mStep refits every component to the points it is responsible for (docs/math.md#e13:
// weighted fits, the weights w_i·r_ij), clipping the covariances'
// eigenvalues at MixFloor² (clipEigen). A component with no
// responsibility gets weight 0.
func mStep(z, w, resp []float64, comps []emComp, d int) {
	k := len(comps)
	n := len(w)
	for j := range comps {
		nj := 0.0
		var mu [2]float64
		for i := range n {
			q := w[i] * resp[i*k+j]
			nj += q
			for a := range d {
				mu[a] += q * z[i*d+a]
			}
		}
		if !(nj > 0) {
			comps[j] = emComp{}
			continue
		}
		for a := range d {
			mu[a] /= nj
		}
		var cov [3]float64
		for i := range n {
			q := w[i] * resp[i*k+j]
			dx := z[i*d] - mu[0]
			cov[0] += q * dx * dx
			if d == 2 {
				dy := z[i*d+1] - mu[1]
				cov[1] += q * dx * dy
				cov[2] += q * dy * dy
			}
		}
		for a := range cov {
			cov[a] /= nj
		}
		comps[j] = emComp{w: nj, mu: mu, cov: clipEigen(cov, d, MixFloor*MixFloor)}
	}
	// The weights sum to 1 up to rounding; make it exact-ish for Sample's
	// alias table.
	total := 0.0
	for _, c := range comps {
		total += c.w
	}
	for j := range comps {
		comps[j].w /= total
	}
}

// clipEigen returns the covariance (xx, xy, yy) with its eigenvalues
// raised to at least floor, the eigenvectors kept: the maximizer of a
// Gaussian's weighted log-likelihood over the covariances whose
// eigenvalues are all ≥ floor (docs/math.md#e13). 1D: max(xx, floor).
func clipEigen(cov [3]float64, d int, floor float64) [3]float64 {
	if d == 1 {
		return [3]float64{math.Max(cov[0], floor), 0, 0}
	}
	a, b, c := cov[0], cov[1], cov[2]
	half := (a - c) / 2
	rad := math.Sqrt(half*half + b*b)
	lo, hi := (a+c)/2-rad, (a+c)/2+rad
	if lo >= floor {
		return cov
	}
	if hi <= floor {
		return [3]float64{floor, 0, floor}
	}
	// Raise the small eigenvalue: Σ = S + (floor − lo)·uuᵀ with u the unit
	// eigenvector of lo, (b, lo − a) or (lo − c, b), whichever is longer
	// (both are exact eigenvectors; the longer one is accurate).
	ux, uy := b, lo-a
	if vx, vy := lo-c, b; vx*vx+vy*vy > ux*ux+uy*uy {
		ux, uy = vx, vy
	}
	nn := ux*ux + uy*uy
	if nn == 0 { // b = 0 and lo = a = c… handled above; a diagonal S
		if a < c {
			ux, uy, nn = 1, 0, 1
		} else {
			ux, uy, nn = 0, 1, 1
		}
	}
	t := (floor - lo) / nn
	return [3]float64{a + t*ux*ux, b + t*ux*uy, c + t*uy*uy}
}
