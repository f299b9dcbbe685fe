package density

import (
	"fmt"
	"math"
	"strings"
)

// A NoiseInfo is one row of the noise registry, Noises: a family's spec
// value (docs/spec.md#keys, key noise), one line for the docs and the UI,
// and how to fit it. Fit gets the data's per-axis mean m and standard
// deviation s (over n) with nscale and nshift already checked, and the
// target's box.
type NoiseInfo struct {
	Name string
	Doc  string
	Fit  func(dim int, m, s [2]float64, nscale, nshift float64, box Box) (Noise, error)
}

// Noises is the registry of noise families, in the order the spec lists
// them. A family's name is spelled here only.
var Noises = []NoiseInfo{
	{Name: "gauss", Doc: "a normal with the data's mean and spread", Fit: fitGauss},
	{Name: "uniform", Doc: "a uniform covering the target's box", Fit: fitUniform},
	{Name: "laplace", Doc: "a Laplace with the data's mean and spread (heavier tails)", Fit: fitLaplace},
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
// len(data)/dim points in dim dimensions (docs/math.md#noise). The axes are
// independent: on each axis the noise is fitted to the data's mean m and
// standard deviation s (over n), then widened by nscale and moved by
// nshift·s:
//
//   - gauss: N(m + nshift·s, (nscale·s)²);
//   - laplace: Laplace(m + nshift·s, b) with b = nscale·s/√2, whose standard
//     deviation is nscale·s;
//   - uniform: centred at m + nshift·s with half-width nscale·R, where
//     R = max(|box.Lo − m|, |box.Hi − m|), so that at nscale = 1 and
//     nshift = 0 it covers box.
//
// NCE needs U > 0 wherever p̃ > 0, and the target's box holds its support
// up to 1e-6; a uniform noise that does not cover box is an error that
// names the smallest nscale that would. FitNoise also rejects an unknown
// family, dim other than 1 or 2, empty, ragged or non-finite data, data
// with zero spread on an axis, nscale ≤ 0 and non-finite nscale or nshift.
func FitNoise(family string, data []float64, dim int, nscale, nshift float64, box Box) (Noise, error) {
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
	if !(nscale > 0) || math.IsInf(nscale, 1) {
		return nil, fmt.Errorf("noise: nscale = %g must be positive and finite", nscale)
	}
	if math.IsNaN(nshift) || math.IsInf(nshift, 0) {
		return nil, fmt.Errorf("noise: nshift = %g must be finite", nshift)
	}
	m, s, err := moments(data, dim)
	if err != nil {
		return nil, err
	}
	return info.Fit(dim, m, s, nscale, nshift, box)
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

func fitGauss(dim int, m, s [2]float64, nscale, nshift float64, _ Box) (Noise, error) {
	mu, spread := shifted(dim, m, s, nscale, nshift)
	return GaussNoise{D: dim, Mean: mu, SD: spread}, nil
}

func fitLaplace(dim int, m, s [2]float64, nscale, nshift float64, _ Box) (Noise, error) {
	mu, spread := shifted(dim, m, s, nscale, nshift)
	var b [2]float64
	for a := 0; a < dim; a++ {
		b[a] = spread[a] / math.Sqrt2
	}
	return LaplaceNoise{D: dim, Mean: mu, Scale: b}, nil
}

// axisName names axis a of a dim-dimensional point for messages.
func axisName(dim, a int) string {
	if dim == 1 {
		return ""
	}
	return [2]string{"x ∈ ", "y ∈ "}[a]
}

// moments returns the per-axis mean and standard deviation (over n) of
// the points in data, by two passes for accuracy.
func moments(data []float64, dim int) (m, s [2]float64, err error) {
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
