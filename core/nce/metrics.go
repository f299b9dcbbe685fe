package nce

import (
	"math"
	"math/rand/v2"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/model"
	"nceplay/core/objective"
)

// Metrics are the exact measurements of docs/math.md#metrics at one step.
type Metrics struct {
	Step int
	// Done reports that training is over (Trainer.Done): the spec's steps
	// are taken, training diverged, or Newton's method stopped by itself.
	Done bool
	// Loss is the mean minibatch loss over the last (up to 50) steps; for
	// opt=newton, the full-batch loss at the current θ. NaN before any
	// step.
	Loss float64
	// GradNorm is ‖∇J‖ (θ and c): for the first-order optimizers that of
	// the last step's minibatch (noisy: it does not go to 0); for Newton
	// the full-batch gradient at the current θ, which does. NaN before
	// any step.
	GradNorm float64
	// Converged reports that Newton's method reached its tolerance;
	// HasConvergence whether the optimizer has a convergence test at all
	// (Newton only: the first-order ones run their steps).
	Converged, HasConvergence bool
	// HeldOutLoss is the objective's expected value per data point, the
	// population version of the training loss (docs/math.md#e3), and
	// BayesLoss its floor: the same with the Bayes posterior of
	// docs/math.md#e1 in place of the model's. Their difference is ≥ 0 and
	// 0 only when the classifier is the Bayes classifier, i.e. the
	// density is recovered (docs/math.md#e9; for nce it is docs/math.md#e4's
	// ∫ (p̃ + kU)·KL). nce, cls, neg: ∫ p̃ softplus(−z) + k ∫ U softplus(z)
	// by the metric quadrature over the target's box (U's mass outside the
	// box is left out of both); mle: the cross-entropy −∫ p̃ log p̂ and the
	// entropy of p̃ (their difference is kl); rank: a Monte Carlo
	// estimate, see ExcessSE.
	HeldOutLoss, BayesLoss float64
	// ExcessSE is the standard error of HeldOutLoss − BayesLoss where they
	// are estimated by Monte Carlo (rank: the k + 1 scores of a data point
	// and k noise points have no quadrature; the held-out set gives
	// min(4000, 4000/k) groups, and each group's loss is averaged over
	// which of its points is the data one with the Bayes posterior's
	// weights, so every group's excess is a KL divergence ≥ 0). NaN where
	// they are exact.
	ExcessSE float64
	// Gamma is cls's learned γ (docs/math.md#e5; 0 with norm=fixed), NaN
	// for the other objectives.
	Gamma float64
	// NoiseFit describes the fitted noise U: family, mean and spread,
	// e.g. "gauss(mean 0.00, sd 0.48)".
	NoiseFit string
	// C is the learned normalizer: nce's c (0 with norm=fixed), mle's exact
	// log Z. CKnown is false, and C is NaN, where the objective has no
	// estimate of log Z (CNote says why).
	C      float64
	CKnown bool
	CNote  string
	// LogZ is log ∫ exp(G(x;θ)) dx over the box, by quadrature.
	LogZ float64
	// LogZTrue is the value c converges to when the target lies in the
	// model family (ThetaTrue non-nil): log ∫ exp(G(x;θ_true)) dx, e.g.
	// 0.3137 for the quartic (docs/math.md#partition-function). NaN otherwise.
	LogZTrue float64
	// Mass is ∫ p̂ dx, the read-back density's total mass (≈ 1 when the
	// normalizer was learned correctly); LogMass its log, finite even
	// where Mass overflows. Where c is no estimate of log Z (CKnown false)
	// LogMass is what to plot instead of c against log Z: it is 0 exactly
	// when the read-back is normalized.
	Mass, LogMass float64
	// KL is KL(p̃ ‖ p̂/Mass) over the box, by quadrature.
	KL float64
	// HeldOutLL is, for a data target, the mean log-likelihood per point
	// of the held-out fifth of the data under the read-back density
	// normalized by quadrature, log(p̂/Mass) (docs/math.md#no-truth); NaN
	// for a target with a density. HeldOutN is the number of those points.
	HeldOutLL float64
	HeldOutN  int
	// TruthNote says, for a data target, which numbers are undefined
	// without a true density and what replaces them; "" otherwise.
	TruthNote string
	// Accuracy is the learned classifier's accuracy on held-out data and
	// noise, weighted 1 : k as in training; BayesAccuracy that of the Bayes
	// posterior (docs/math.md#e1) on the same points.
	Accuracy, BayesAccuracy float64
	// Theta holds the poly model's parameters (nil for other models);
	// ThetaTrue the target's, when the target lies in the model family,
	// the objective recovers log p̃ up to a constant (nce, rank, mle) and
	// the model can reach it (not with c fixed at 0: a poly has no
	// constant to absorb log Z).
	Theta, ThetaTrue []float64
	// Warnings say which numbers above must not be taken at face value,
	// why, and what to change (see Warning); nil when there are none.
	Warnings []Warning
}

// TruthNote is Metrics.TruthNote for a data target.
const TruthNote = "your data: no true density, so kl, bayes_accuracy, bayes_loss and logz_true are undefined; " +
	"heldout_ll (the held-out fifth's log-likelihood per point under p̂/mass) and c against logz replace them (docs/math.md#no-truth)"

// metricCache holds what metrics reuse across calls: the quadrature grid
// and the held-out set with the target's and the noise's log-densities.
type metricCache struct {
	pts     []float64
	logCell float64
	logT    []float64 // log p̃ on the grid
	logU    []float64 // log U on the grid
	g       []float64

	ho        []float64 // heldOutData data points, then heldOutNoise noise points
	hoLogT    []float64
	hoLogU    []float64
	hoG       []float64
	bayesAcc  float64
	thetaTrue []float64
	logZTrue  float64
	// bayesLoss is the floor of HeldOutLoss (training-independent), and
	// overlap = ∫ min(p̃, kU): the Bayes classifier's error mass per data
	// point (docs/math.md#separable).
	bayesLoss, overlap float64
	// nho is the number of held-out data points that come first in ho:
	// heldOutData, or a data target's held-out fifth.
	nho int
}

func (t *Trainer) cache() *metricCache {
	if t.metrics != nil {
		return t.metrics
	}
	res := t.metricRes
	if res == 0 {
		res = MetricRes1D
		if t.dim == 2 {
			res = MetricRes2D
		}
	}
	m := &metricCache{}
	m.pts, m.logCell = GridPoints(t.target.Box(), t.dim, res)
	n := len(m.pts) / t.dim
	m.logT, m.logU, m.g = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		m.logT[i] = t.target.LogProb(m.pts[i*t.dim : (i+1)*t.dim])
	}
	t.noise.LogProb(m.pts, m.logU)

	d := t.dim
	m.nho = heldOutData
	if t.heldOut != nil {
		m.nho = len(t.heldOut) / d
	}
	nh := m.nho + heldOutNoise
	m.ho = make([]float64, nh*d)
	r := rand.New(rand.NewPCG(t.spec.Seed, streamHeldOut))
	if t.heldOut != nil {
		copy(m.ho, t.heldOut)
	} else {
		for i := range heldOutData {
			t.target.Sample(r, m.ho[i*d:(i+1)*d])
		}
	}
	t.noise.Sample(r, m.ho[m.nho*d:])
	m.hoLogT, m.hoLogU, m.hoG = make([]float64, nh), make([]float64, nh), make([]float64, nh)
	for i := range nh {
		m.hoLogT[i] = t.target.LogProb(m.ho[i*d : (i+1)*d])
	}
	t.noise.LogProb(m.ho, m.hoLogU)
	m.bayesAcc = t.accuracy(m, m.hoLogT, m.hoLogU)

	// With c fixed at 0 (norm=fixed) the poly cannot reach the target's θ:
	// it would need c = log Z.
	reachable := t.learnC || !t.obj.Scalar
	if pt, ok := t.target.(density.PolyTarget); ok && t.spec.Model == model.PolyInfo.Name && t.obj.RecoversLogP && reachable {
		if th, ok := pt.LogPoly(t.spec.Deg); ok {
			m.thetaTrue = th
		}
	}
	m.logZTrue = math.NaN()
	if m.thetaTrue != nil {
		// G(x;θ_true) − log p̃(x) is the same constant log Z_true at every
		// x; read it at the data's first point.
		full := make([]float64, t.np)
		copy(full, m.thetaTrue)
		g := make([]float64, 1)
		t.model.Energy(full, t.data[:t.dim], g)
		m.logZTrue = g[0] - t.target.LogProb(t.data[:t.dim])
	}
	for i, lt := range m.logT {
		m.overlap += fmath.Exp(math.Min(lt, t.logK+m.logU[i]) + m.logCell)
	}
	m.bayesLoss = t.bayesLoss(m)
	if t.heldOut != nil {
		// No true density: the Bayes classifier and its loss, the overlap
		// and KL are undefined (docs/math.md#no-truth).
		m.bayesAcc, m.bayesLoss, m.overlap = math.NaN(), math.NaN(), math.NaN()
	}
	t.metrics = m
	return m
}

// binaryLoss returns the expected logistic loss per data point of the
// logits z on the quadrature grid (docs/math.md#e3): Σ_cells p̃·softplus(−z)
// + k·U·softplus(z), skipping the terms whose weight is 0 (where p̃ or U
// vanishes the logit may be infinite).
func (t *Trainer) binaryLoss(m *metricCache, z func(i int) float64) float64 {
	loss := 0.0
	for i, lt := range m.logT {
		zi := z(i)
		if lt > math.Inf(-1) {
			loss += fmath.Exp(lt+m.logCell) * fmath.Softplus(-zi)
		}
		if lu := m.logU[i]; lu > math.Inf(-1) {
			loss += fmath.Exp(t.logK+lu+m.logCell) * fmath.Softplus(zi)
		}
	}
	return loss
}

// bayesLoss returns the floor of HeldOutLoss: the objective's expected
// loss with the Bayes posterior (docs/math.md#e1). rank's is computed with
// its held-out groups in Metrics; NaN here.
func (t *Trainer) bayesLoss(m *metricCache) float64 {
	switch t.obj.Kernel {
	case objective.Binary:
		return t.binaryLoss(m, func(i int) float64 { return m.logT[i] - t.logK - m.logU[i] })
	case objective.Likelihood:
		h := 0.0 // the entropy of p̃ over the box
		for _, lt := range m.logT {
			if lt > math.Inf(-1) {
				h -= fmath.Exp(lt+m.logCell) * lt
			}
		}
		return h
	}
	return math.NaN()
}

// rankLosses returns the Monte Carlo estimate of rank's expected loss
// (docs/math.md#e7) and of its Bayes floor on the held-out set, and the
// standard error of their difference. Group g is held-out data point g
// with the k noise points g·k … g·k + k − 1; its scores are s = log p̂ −
// log U (any constant in log p̂ cancels in the softmax) and the Bayes
// scores s* = log p̃ − log U. Rather than the loss of the data point's
// position alone, each group scores the cross-entropy Σ_i π*_i·(−log π_i)
// of the model's softmax π against the Bayes posterior π* of which point
// is the data (Rao–Blackwell: the same expectation, less variance), and
// the floor the entropy of π*; so each group's excess is KL(π* ‖ π) ≥ 0.
func (t *Trainer) rankLosses(m *metricCache) (loss, bayes, se float64) {
	k := t.spec.K
	groups := min(m.nho, heldOutNoise/k)
	var sumEx, sumEx2 float64
	n := 0
	s, sb := make([]float64, k+1), make([]float64, k+1)
	for g := range groups {
		ok := true
		for j := 0; j <= k; j++ {
			i := g
			if j > 0 {
				i = m.nho + g*k + j - 1
			}
			s[j] = m.hoG[i] - m.hoLogU[i]
			sb[j] = m.hoLogT[i] - m.hoLogU[i]
			if !(s[j] < math.Inf(1)) || !(sb[j] < math.Inf(1)) {
				ok = false // a data point outside U's support: no contrast
			}
		}
		if !ok {
			continue
		}
		lse, lseB := fmath.LogSumExp(s), fmath.LogSumExp(sb)
		ce, h := lse, lseB
		for j := range s {
			if sb[j] > math.Inf(-1) {
				w := fmath.Exp(sb[j] - lseB)
				ce -= w * s[j]
				h -= w * sb[j]
			}
		}
		loss += ce
		bayes += h
		ex := ce - h
		sumEx += ex
		sumEx2 += ex * ex
		n++
	}
	if n == 0 {
		return math.NaN(), math.NaN(), math.NaN()
	}
	fn := float64(n)
	mean := sumEx / fn
	v := (sumEx2/fn - mean*mean) * fn / math.Max(fn-1, 1)
	return loss / fn, bayes / fn, math.Sqrt(math.Max(v, 0) / fn)
}

// logDensity turns energies into the read-back log-density log p̂ of
// docs/math.md#metrics, in place:
//
//	nce:  G − c
//	cls:  G − γ + log k + log U   (docs/math.md#e5)
//	neg:  G + log k + log U       (docs/math.md#e5 with γ = 0)
//	rank, mle: G − log Z
func (t *Trainer) logDensity(g, logU []float64, logZ float64) {
	c := t.theta[t.np] // 0 for neg, and with norm=fixed
	switch t.obj.ReadBack {
	case objective.ExpGMinusC:
		for i := range g {
			g[i] -= c
		}
	case objective.TimesKU:
		for i := range g {
			g[i] += t.logK + logU[i] - c
		}
	case objective.Normalized:
		for i := range g {
			g[i] -= logZ
		}
	}
}

// posterior returns P(1|x) of docs/math.md#e1 for a log-density value: σ(log p − log k
// − log U). With the model's p̂ it is the learned classifier (for nce it
// equals σ(z) of docs/math.md#e2); with p̃ it is the Bayes posterior.
func (t *Trainer) posterior(logP, logU float64) float64 {
	return fmath.Sigmoid(logP - t.logK - logU)
}

// accuracy scores the classifier whose log-density is logP on the held-out
// set: (accuracy on data + k × accuracy on noise) / (1 + k), the expected
// accuracy on data and noise mixed 1 : k.
func (t *Trainer) accuracy(m *metricCache, logP, logU []float64) float64 {
	var okD, okN int
	for i := range logP {
		p := t.posterior(logP[i], logU[i])
		if i < m.nho {
			if p >= 0.5 {
				okD++
			}
		} else if p < 0.5 {
			okN++
		}
	}
	k := float64(t.spec.K)
	return (float64(okD)/float64(m.nho) + k*float64(okN)/heldOutNoise) / (1 + k)
}

// Metrics computes the measurements of docs/math.md#metrics for the current state.
// It costs one model evaluation over the quadrature grid and the held-out
// set (a few ms in 1D, tens of ms for a large 2D mlp), and for Newton one
// full-batch gradient per step.
func (t *Trainer) Metrics() Metrics {
	m := t.cache()
	out := Metrics{Step: t.step, Done: t.Done(), Loss: math.NaN(), GradNorm: math.NaN(), BayesAccuracy: m.bayesAcc,
		LogZTrue: m.logZTrue, ExcessSE: math.NaN(), Gamma: math.NaN(), NoiseFit: t.noiseFit}
	if t.nLosses > 0 {
		s := 0.0
		for _, l := range t.losses[:t.nLosses] {
			s += l
		}
		out.Loss = s / float64(t.nLosses)
		out.GradNorm = t.gradNorm
	}
	var nw newtonState
	if t.newton != nil {
		out.HasConvergence, out.Converged = true, t.Converged()
		nw = t.newtonAt()
		out.Loss, out.GradNorm = nw.loss, nw.gradNorm
	}
	t.energyAt(EvalQuad, m.pts, m.g)
	out.LogZ = logIntegral(m.g, m.logCell)
	if t.obj.Kernel == objective.Binary {
		c := t.theta[t.np]
		out.HeldOutLoss = t.binaryLoss(m, func(i int) float64 { return t.obj.Logit(m.g[i], c, t.logK, m.logU[i]) })
	}
	t.logDensity(m.g, m.logU, out.LogZ)
	logMass := logIntegral(m.g, m.logCell)
	out.LogMass = logMass
	out.Mass = fmath.Exp(logMass)
	kl, ce := 0.0, 0.0
	for i, lt := range m.logT {
		if lt > math.Inf(-1) {
			w := fmath.Exp(lt + m.logCell)
			kl += w * (lt - m.g[i] + logMass)
			ce -= w * m.g[i]
		}
	}
	out.KL = kl
	if t.obj.Kernel == objective.Likelihood {
		out.HeldOutLoss = ce
	}
	out.BayesLoss = m.bayesLoss

	t.energyAt(EvalHeldOut, m.ho, m.hoG)
	out.HeldOutLL = math.NaN()
	if t.heldOut != nil {
		// The data's half of the binary loss on the held-out points; the
		// noise's half came from the quadrature above.
		if t.obj.Kernel == objective.Binary {
			c, sum := t.theta[t.np], 0.0
			for i := range m.nho {
				sum += fmath.Softplus(-t.obj.Logit(m.hoG[i], c, t.logK, m.hoLogU[i]))
			}
			out.HeldOutLoss += sum / float64(m.nho)
		}
	}
	t.logDensity(m.hoG, m.hoLogU, out.LogZ)
	out.Accuracy = t.accuracy(m, m.hoG, m.hoLogU)
	if t.heldOut != nil {
		ll := 0.0
		for _, lp := range m.hoG[:m.nho] {
			ll += lp - logMass
		}
		out.HeldOutLL, out.HeldOutN = ll/float64(m.nho), m.nho
		out.KL = math.NaN()
		if t.obj.Kernel == objective.Likelihood {
			out.HeldOutLoss = -out.HeldOutLL
		}
		out.TruthNote = TruthNote
	}
	if t.obj.Kernel == objective.Ranking {
		out.HeldOutLoss, out.BayesLoss, out.ExcessSE = t.rankLosses(m)
	}

	switch {
	case t.obj.EstimatesLogZ:
		out.C, out.CKnown = t.theta[t.np], true
		if !t.learnC {
			out.CNote = "norm=fixed: c is held at 0 (Z = 1)"
		}
	case t.obj.ExactLogZ:
		out.C, out.CKnown = out.LogZ, true
		out.CNote = t.obj.Name + ": c is log Z computed by quadrature"
	default:
		out.C = math.NaN()
		out.CNote = t.obj.CNote
	}
	if t.obj.Scalar && !t.obj.EstimatesLogZ {
		out.Gamma = t.theta[t.np]
	}
	if t.spec.Model == model.PolyInfo.Name {
		out.Theta = t.Theta()
		out.ThetaTrue = m.thetaTrue
	}
	out.Warnings = t.diagnose(&out, m, nw)
	return out
}

// A Grid holds what the panels plot, on res cells per axis over the box
// (see GridPoints for the point order). Log-densities may be −Inf.
type Grid struct {
	Dim, Res int
	Box      density.Box
	X        []float64 // the points
	LogTrue  []float64 // log p̃
	LogModel []float64 // log p̂, the read-back density of docs/math.md#metrics (not divided by Mass)
	LogNoise []float64 // log U (the noise density; k·U is what the classifier weighs)
	PModel   []float64 // the learned P(1|x)
	PBayes   []float64 // the Bayes P(1|x) = p̃/(p̃ + kU) (docs/math.md#e1)
}

// Grid evaluates the panels' curves or heatmaps at res cells per axis.
// logZ is Metrics().LogZ (rank and mle read the density back with it).
// What does not change while training (the points, p̃, U and the Bayes
// posterior) is computed once per resolution and copied, so a UI can ask
// for a grid every frame; every call returns fresh slices.
func (t *Trainer) Grid(res int, logZ float64) *Grid {
	base := t.gridBase(res)
	n := len(base.LogTrue)
	gr := &Grid{Dim: t.dim, Res: res, Box: base.Box,
		X: append([]float64(nil), base.X...), LogTrue: append([]float64(nil), base.LogTrue...),
		LogNoise: append([]float64(nil), base.LogNoise...), PBayes: append([]float64(nil), base.PBayes...),
		LogModel: make([]float64, n), PModel: make([]float64, n)}
	t.energyAt(EvalGrid, gr.X, gr.LogModel)
	t.logDensity(gr.LogModel, gr.LogNoise, logZ)
	for i := range n {
		gr.PModel[i] = t.posterior(gr.LogModel[i], gr.LogNoise[i])
	}
	return gr
}

// gridBase returns the training-independent part of a grid at res,
// computing it on first use (the last resolution asked for is kept).
func (t *Trainer) gridBase(res int) *Grid {
	if g := t.lastGrid; g != nil && g.Res == res {
		return g
	}
	gr := &Grid{Dim: t.dim, Res: res, Box: t.target.Box()}
	gr.X, _ = GridPoints(gr.Box, t.dim, res)
	n := len(gr.X) / t.dim
	gr.LogTrue, gr.LogNoise, gr.PBayes = make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range n {
		gr.LogTrue[i] = t.target.LogProb(gr.X[i*t.dim : (i+1)*t.dim])
	}
	t.noise.LogProb(gr.X, gr.LogNoise)
	for i := range n {
		gr.PBayes[i] = t.posterior(gr.LogTrue[i], gr.LogNoise[i])
	}
	t.lastGrid = gr
	return gr
}

// HeldOutNoise returns up to m noise points of the fixed held-out set (for
// drawing noise samples that do not flicker from frame to frame).
func (t *Trainer) HeldOutNoise(m int) []float64 {
	c := t.cache()
	m = min(m, heldOutNoise)
	return c.ho[c.nho*t.dim : (c.nho+m)*t.dim]
}
