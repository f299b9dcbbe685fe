package nce

import (
	"fmt"

	"nceplay/core/fmath"
)

// An Objective is one of the losses of NCE.md §2–§7, by its spec value.
type Objective string

// The objectives of SPEC.md's obj key.
const (
	NCE  Objective = "nce"  // NCE.md §2, E2–E3
	Cls  Objective = "cls"  // NCE.md §4, the classifier form, read back by E5
	Neg  Objective = "neg"  // NCE.md §5, negative sampling: cls with γ = 0
	Rank Objective = "rank" // NCE.md §6, ranking NCE / InfoNCE, E7
	MLE  Objective = "mle"  // NCE.md §7, maximum likelihood with Z by quadrature
)

// Logit returns, for a binary objective, the logit z(x) of P(1|x) given
// the energy G(x), the scalar c (NCE's log Z estimate or cls's γ), log k and
// log U(x):
//
//	nce: z = G − c − log k − log U   (E2)
//	cls: z = G − γ                  (§4)
//	neg: z = G                      (§5, γ = 0)
func (o Objective) Logit(g, c, logK, logU float64) float64 {
	switch o {
	case NCE:
		return g - c - logK - logU
	case Cls:
		return g - c
	default:
		return g
	}
}

// binaryLoss computes E3's minibatch sum for a binary objective over nd data
// points and len(g)−nd noise points, whose energies are g[:nd] and g[nd:]:
//
//	Σ_data softplus(−z) + Σ_noise softplus(z)
//
// It writes ∂/∂G_i into dg and returns the sum and ∂/∂c (E3 in log space).
// The label's sign goes into the logit first (−z for data), so that one
// loop over all points computes every softplus and sigmoid.
func binaryLoss(o Objective, nd int, c, logK float64, g, logU, dg []float64) (loss, dc float64) {
	// z = G − shift(x) with the shift of E2, §4 or §5; the objective is
	// chosen once, outside the loops over points.
	switch o {
	case NCE:
		for i := range g {
			dg[i] = g[i] - c - logK - logU[i]
		}
	case Cls:
		for i := range g {
			dg[i] = g[i] - c
		}
	default:
		copy(dg, g)
	}
	for i := range dg[:nd] {
		dg[i] = -dg[i]
	}
	// label 1: −log σ(z) = softplus(−z), d/dz = −σ(−z);
	// label 0: −log σ(−z) = softplus(z), d/dz = σ(z).
	loss = fmath.SoftplusSigmoidSum(dg)
	for i := range dg[:nd] {
		dg[i] = -dg[i]
	}
	for _, d := range dg {
		dc -= d
	}
	return loss, dc
}

// rankLoss computes E7's minibatch sum: for each of the nd data points x₀
// and its k noise points x₁..x_k (noise point j of data point i is g[nd +
// i·k + j − 1]), the softmax cross-entropy of picking x₀ with scores
// s = G − log U:
//
//	−s₀ + log Σ_{i=0..k} exp(s_i)
//
// It writes ∂/∂G into dg. The scores buffer must hold k+1 values.
func rankLoss(nd, k int, g, logU, dg, scores []float64) (loss float64) {
	for i := range nd {
		scores[0] = g[i] - logU[i]
		for j := 1; j <= k; j++ {
			q := nd + i*k + j - 1
			scores[j] = g[q] - logU[q]
		}
		lse := fmath.LogSumExp(scores[:k+1])
		loss += lse - scores[0]
		// ∂/∂s_j = softmax_j − [j = 0]
		dg[i] = fmath.Exp(scores[0]-lse) - 1
		for j := 1; j <= k; j++ {
			q := nd + i*k + j - 1
			dg[q] = fmath.Exp(scores[j] - lse)
		}
	}
	return loss
}

// parseObjective checks an obj value.
func parseObjective(s string) (Objective, error) {
	switch o := Objective(s); o {
	case NCE, Cls, Neg, Rank, MLE:
		return o, nil
	}
	return "", fmt.Errorf("nce: unknown objective %q", s)
}
