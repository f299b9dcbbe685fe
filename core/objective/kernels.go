package objective

import "nceplay/core/fmath"

// BinaryLoss computes the minibatch sum of docs/math.md#e3 for a Binary
// objective over nd data points and len(g)−nd noise points, whose energies
// are g[:nd] and g[nd:]:
//
//	Σ_data softplus(−z) + Σ_noise softplus(z)
//
// It writes ∂/∂G_i into dg and returns the sum and ∂/∂c. The label's sign
// goes into the logit first (−z for data), so that one loop over all
// points computes every softplus and sigmoid.
func (o *Objective) BinaryLoss(nd int, c, logK float64, g, logU, dg []float64) (loss, dc float64) {
	// z = G − shift(x), the objective's logit; the form is chosen once,
	// outside the loops over points.
	switch {
	case o.LogitHasNoise:
		for i := range g {
			dg[i] = g[i] - c - logK - logU[i]
		}
	case o.Scalar:
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

// RankLoss computes the minibatch sum of docs/math.md#e7: for each of the
// nd data points x₀ and its k noise points x₁..x_k (noise point j of data
// point i is g[nd + i·k + j − 1]), the softmax cross-entropy of picking x₀
// with scores s = G − log U:
//
//	−s₀ + log Σ_{i=0..k} exp(s_i)
//
// It writes ∂/∂G into dg. The scores buffer must hold k+1 values.
func RankLoss(nd, k int, g, logU, dg, scores []float64) (loss float64) {
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
