package sweep

import (
	"fmt"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/nce"
)

// Quadrature resolution of the theory's integrals (cells per axis): the
// integrands are smooth and decay inside the targets' boxes, where the
// midpoint rule is spectrally accurate (docs/math.md#metrics).
const (
	theoryRes1D = 4000
	theoryRes2D = 128
)

// A population holds p̃ on the theory's grid.
type population struct {
	pts     []float64
	logCell float64
	logT    []float64 // log p̃
	phi     []float64 // features, cells × p
}

func (sw *Sweep) newPopulation() *population {
	res := theoryRes1D
	if sw.dim == 2 {
		res = theoryRes2D
	}
	pts, logCell := nce.GridPoints(sw.target.Box(), sw.dim, res)
	n := len(pts) / sw.dim
	pop := &population{pts: pts, logCell: logCell, logT: make([]float64, n), phi: make([]float64, n*sw.p)}
	for i := range n {
		pop.logT[i] = sw.target.LogProb(pts[i*sw.dim : (i+1)*sw.dim])
	}
	sw.lin.Features(pts, pop.phi)
	return pop
}

// populationNoise returns the noise of the setting fitted to p̃ itself
// (density.FitNoiseWeighted with the quadrature weights): the fixed U
// that the asymptotic theory assumes, and what the fits to data sets
// scatter around.
func (sw *Sweep) populationNoise(pop *population, st Setting) (density.Noise, error) {
	w := make([]float64, len(pop.logT))
	for i, lt := range pop.logT {
		w[i] = fmath.Exp(lt + pop.logCell)
	}
	return density.FitNoiseWeighted(st.Noise, pop.pts, w, sw.dim,
		density.NoiseParams{NScale: st.NScale, NShift: sw.s.NShift, NComp: sw.s.NComp}, sw.target.Box())
}

// nceTheory returns n times the mean squared error of θ (without c) of
// docs/math.md#e8, tr(Σ_θθ) for Σ = I⁻¹ − (1 + 1/k) I⁻¹ m mᵀ I⁻¹ with
// I = ∫ g gᵀ P p̃, m = ∫ g P p̃, P = kU/(p̃ + kU) and g = (∇θG, −1), by
// quadrature at the true θ.
func (sw *Sweep) nceTheory(pop *population, logU []float64, k int) (float64, error) {
	p, q := sw.p, sw.p+1
	info := make([]float64, q*q)
	m := make([]float64, q)
	logK := fmath.Log(float64(k))
	psi := make([]float64, q)
	for i, lt := range pop.logT {
		if lt == negInf {
			continue
		}
		// P·p̃·cell = σ(log k + log U − log p̃)·p̃·cell
		w := fmath.Sigmoid(logK+logU[i]-lt) * fmath.Exp(lt+pop.logCell)
		copy(psi, pop.phi[i*p:(i+1)*p])
		psi[p] = -1
		for a, va := range psi {
			m[a] += w * va
			for b := a; b < q; b++ {
				info[a*q+b] += w * va * psi[b]
			}
		}
	}
	for a := range q {
		for b := a + 1; b < q; b++ {
			info[b*q+a] = info[a*q+b]
		}
	}
	// I⁻¹ column by column, then I⁻¹m.
	inv := make([]float64, q*q)
	for c := range q {
		col := make([]float64, q)
		col[c] = 1
		if err := cholSolve(append([]float64(nil), info...), col, q); err != nil {
			return 0, fmt.Errorf("sweep: the theory's matrix I is singular: %w", err)
		}
		for r := range q {
			inv[r*q+c] = col[r]
		}
	}
	im := make([]float64, q)
	for a := range q {
		for b := range q {
			im[a] += inv[a*q+b] * m[b]
		}
	}
	tr := 0.0
	corr := 1 + 1/float64(k)
	for a := range p {
		tr += inv[a*q+a] - corr*im[a]*im[a]
	}
	return tr, nil
}

// fisherTheory returns n times maximum likelihood's asymptotic mean squared
// error of θ: tr(Cov_p̃(φ)⁻¹), the inverse Fisher information
// (docs/math.md#efficiency).
func (sw *Sweep) fisherTheory(pop *population) (float64, error) {
	p := sw.p
	mean := make([]float64, p)
	cov := make([]float64, p*p)
	for i, lt := range pop.logT {
		if lt == negInf {
			continue
		}
		w := fmath.Exp(lt + pop.logCell)
		f := pop.phi[i*p : (i+1)*p]
		for a, fa := range f {
			mean[a] += w * fa
			for b := range p {
				cov[a*p+b] += w * fa * f[b]
			}
		}
	}
	for a := range p {
		for b := range p {
			cov[a*p+b] -= mean[a] * mean[b]
		}
	}
	tr := 0.0
	for c := range p {
		col := make([]float64, p)
		col[c] = 1
		if err := cholSolve(append([]float64(nil), cov...), col, p); err != nil {
			return 0, fmt.Errorf("sweep: the Fisher information is singular: %w", err)
		}
		tr += col[c]
	}
	return tr, nil
}
