package density

import (
	"fmt"
	"math"
	"strings"
)

// A NoiseInfo is one row of the noise registry, Noises: a family's spec
// value (docs/spec.md#keys, key noise), one line for the docs and the UI,
// whether it has components (the ncomp key), and how to fit it.
type NoiseInfo struct {
	Name string
	Doc  string
	// Components reports a family made of NComp components (mix): the
	// spec's ncomp key applies to it only.
	Components bool
	Fit        func(f *FitData) (Noise, error)
}

// NoiseParams are the spec keys a noise is fitted with (docs/spec.md#keys).
type NoiseParams struct {
	NScale float64 // nscale: multiplies the noise's spread about the data's mean
	NShift float64 // nshift: moves the noise's centre, in data spreads
	NComp  int     // ncomp: the components of a family with Components
}

// A FitData is what a family's Fit gets: the points it is fitted to, their
// per-axis mean and standard deviation (computed and checked by
// FitNoise), the parameters (checked) and the target's box.
type FitData struct {
	Dim    int
	Points []float64 // n·Dim values
	// Weights is nil for a data set (every point weighs 1/n), else a
	// probability per point: a quadrature rule for p̃, for the noise a
	// data set fits on average (FitNoiseWeighted).
	Weights  []float64
	Mean, SD [2]float64
	NoiseParams
	Box Box
}

// Noises is the registry of noise families, in the order the spec lists
// them. A family's name is spelled here only.
var Noises = []NoiseInfo{
	{Name: "gauss", Doc: "a normal with the data's mean and spread", Fit: fitGauss},
	{Name: "uniform", Doc: "a uniform covering the target's box", Fit: fitUniform},
	{Name: "laplace", Doc: "a Laplace with the data's mean and spread (heavier tails)", Fit: fitLaplace},
	{Name: "mix", Doc: "a Gaussian mixture of ncomp components fitted to the data by EM", Components: true, Fit: fitMix},
}

// LookupNoise returns the registry row of the noise family called name.
func LookupNoise(name string) (NoiseInfo, bool) {
	for _, n := range Noises {
		if n.Name == name {
			return n, true
		}
	}
	return NoiseInfo{}, false
}

// FitNoise returns the noise U of the given family fitted to data, n =
// len(data)/dim points in dim dimensions (docs/math.md#noise). The data's
// per-axis mean m and standard deviation s (over n) set the noise's
// centre and spread, which p's nscale then widens and p's nshift moves by
// nshift·s:
//
//   - gauss: N(m + nshift·s, (nscale·s)²), independent axes;
//   - laplace: Laplace(m + nshift·s, b) with b = nscale·s/√2, whose standard
//     deviation is nscale·s, independent axes;
//   - uniform: centred at m + nshift·s with half-width nscale·R, where
//     R = max(|box.Lo − m|, |box.Hi − m|), so that at nscale = 1 and
//     nshift = 0 it covers box;
//   - mix: a mixture of p.NComp Gaussians with full covariances, fitted to
//     the data by EM (docs/math.md#e13; see MixNoise), then every component
//     widened by nscale (its covariance times nscale², its mean kept) and
//     all moved by nshift·s.
//
// NCE needs U > 0 wherever p̃ > 0, and the target's box holds its support
// up to 1e-6; a uniform noise that does not cover box is an error that
// names the smallest nscale that would. FitNoise also rejects an unknown
// family, dim other than 1 or 2, empty, ragged or non-finite data, data
// with zero spread on an axis, nscale ≤ 0, non-finite nscale or nshift,
// and for mix an ncomp outside 1 … MaxComponents.
func FitNoise(family string, data []float64, dim int, p NoiseParams, box Box) (Noise, error) {
	return FitNoiseWeighted(family, data, nil, dim, p, box)
}

// FitNoiseWeighted is FitNoise for points with weights w (nil: a data set,
// as FitNoise): the weights are probabilities, one per point, for example
// a quadrature rule for p̃ on a grid, so that the result is the noise a
// data set of p̃ fits on average ("the population fit", which the theory
// of docs/math.md#e8 assumes fixed).
func FitNoiseWeighted(family string, pts, w []float64, dim int, p NoiseParams, box Box) (Noise, error) {
	info, ok := LookupNoise(family)
	if !ok {
		names := make([]string, len(Noises))
		for i, n := range Noises {
			names[i] = n.Name
		}
		return nil, fmt.Errorf("noise: unknown family %q (want one of %s)", family, strings.Join(names, ", "))
	}
	if dim != 1 && dim != 2 {
		return nil, fmt.Errorf("noise: dimension %d not supported (want 1 or 2)", dim)
	}
	if !(p.NScale > 0) || math.IsInf(p.NScale, 1) {
		return nil, fmt.Errorf("noise: nscale = %g must be positive and finite", p.NScale)
	}
	if math.IsNaN(p.NShift) || math.IsInf(p.NShift, 0) {
		return nil, fmt.Errorf("noise: nshift = %g must be finite", p.NShift)
	}
	if info.Components && (p.NComp < 1 || p.NComp > MaxComponents) {
		return nil, fmt.Errorf("noise: ncomp = %d components; want 1 … %d", p.NComp, MaxComponents)
	}
	if w != nil && len(w)*dim != len(pts) {
		return nil, fmt.Errorf("noise: %d weights for %d points", len(w), len(pts)/dim)
	}
	m, s, err := moments(pts, w, dim)
	if err != nil {
		return nil, err
	}
	return info.Fit(&FitData{Dim: dim, Points: pts, Weights: w, Mean: m, SD: s, NoiseParams: p, Box: box})
}

// shifted returns the fitted noise's per-axis centre m + nshift·s and
// spread nscale·s.
func shifted(dim int, m, s [2]float64, nscale, nshift float64) (mu, spread [2]float64) {
	for a := 0; a < dim; a++ {
		mu[a] = m[a] + nshift*s[a]
		spread[a] = nscale * s[a]
	}
	return mu, spread
}

func fitGauss(f *FitData) (Noise, error) {
	mu, spread := shifted(f.Dim, f.Mean, f.SD, f.NScale, f.NShift)
	return GaussNoise{D: f.Dim, Mean: mu, SD: spread}, nil
}

func fitLaplace(f *FitData) (Noise, error) {
	mu, spread := shifted(f.Dim, f.Mean, f.SD, f.NScale, f.NShift)
	var b [2]float64
	for a := 0; a < f.Dim; a++ {
		b[a] = spread[a] / math.Sqrt2
	}
	return LaplaceNoise{D: f.Dim, Mean: mu, Scale: b}, nil
}

// axisName names axis a of a dim-dimensional point for messages.
func axisName(dim, a int) string {
	if dim == 1 {
		return ""
	}
	return [2]string{"x ∈ ", "y ∈ "}[a]
}

// moments returns the per-axis mean and standard deviation of the points
// in data, by two passes for accuracy: over n for a data set (w nil), or
// under the probabilities w (normalized by their sum).
func moments(data, w []float64, dim int) (m, s [2]float64, err error) {
	if len(data) == 0 {
		return m, s, fmt.Errorf("noise: cannot fit a noise to an empty data set")
	}
	if len(data)%dim != 0 {
		return m, s, fmt.Errorf("noise: data length %d is not a multiple of the dimension %d", len(data), dim)
	}
	n := len(data) / dim
	for i, v := range data {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return m, s, fmt.Errorf("noise: data point %d has a non-finite coordinate %g", i/dim, v)
		}
	}
	if w == nil {
		for i, v := range data {
			m[i%dim] += v
		}
		for a := 0; a < dim; a++ {
			m[a] /= float64(n)
		}
		for i, v := range data {
			d := v - m[i%dim]
			s[i%dim] += d * d
		}
		for a := 0; a < dim; a++ {
			s[a] = math.Sqrt(s[a] / float64(n))
		}
	} else {
		total := 0.0
		for _, v := range w {
			if !(v >= 0) || math.IsInf(v, 1) {
				return m, s, fmt.Errorf("noise: weight %g is not a finite non-negative number", v)
			}
			total += v
		}
		if !(total > 0) {
			return m, s, fmt.Errorf("noise: the weights sum to %g", total)
		}
		for i, v := range data {
			m[i%dim] += w[i/dim] * v
		}
		for a := 0; a < dim; a++ {
			m[a] /= total
		}
		for i, v := range data {
			d := v - m[i%dim]
			s[i%dim] += w[i/dim] * d * d
		}
		for a := 0; a < dim; a++ {
			s[a] = math.Sqrt(s[a] / total)
		}
	}
	for a := 0; a < dim; a++ {
		// Below ~1e-13 relative the spread is rounding noise of equal values.
		if !(s[a] > 1e-13*(math.Abs(m[a])+1e-300)) {
			axis := ""
			if dim == 2 {
				axis = [2]string{" on axis x", " on axis y"}[a]
			}
			return m, s, fmt.Errorf("noise: the data have zero spread%s (all values are %.3g), so no noise can be fitted to them", axis, m[a])
		}
	}
	return m, s, nil
}
