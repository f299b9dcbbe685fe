package density

import (
	"fmt"
	"strings"
)

// Constants shared by the targets, exact to the last bit as Go constants.
const (
	ln2Pi     = 1.83787706640934548356065947281123527972279494727556 // log 2π
	lnSqrt2Pi = ln2Pi / 2                                            // log √(2π)
	ln2       = 0.69314718055994530941723212145817656807550013436026 // log 2
)

// A TargetInfo is one row of the target registry, Targets: a target's
// spec value (docs/spec.md#keys, key target), its dimension, one line
// for the docs and the UI, and its constructor.
type TargetInfo struct {
	Name string
	Dim  int // 1 or 2
	Doc  string
	// TailPower is the Tail.Power of log p̃: it falls like −|x|^TailPower
	// far out (0: bounded support), and TailQ the coefficient: log p̃(x) ≈
	// −TailQ[0][0]·|x|^TailPower in 1D, −xᵀ·TailQ·x in 2D (TailPower 2),
	// up to lower-order terms. Comparing them with the noise's tells
	// whether p̃/U grows without bound (docs/math.md#light-tails).
	TailPower float64
	TailQ     [2][2]float64
	// Data marks a row of DataTargets: a data set the user supplies, with
	// no sampler or density of its own (New is nil).
	Data bool
	New  func() Target
}

// Targets is the registry of targets, in the order the spec lists them:
// the 1D ones, then the 2D ones. A target's name is spelled here only;
// adding a target is one row here plus its file (docs/architecture.md#add-a-target).
var Targets = []TargetInfo{
	{Name: "quartic", Dim: 1, TailPower: 4, TailQ: [2][2]float64{{1, 0}, {0, 0}}, Doc: "p̃ ∝ exp(−x² − x⁴), whose normalizer has no closed form", New: func() Target { return Quartic{} }},
	{Name: "gauss", Dim: 1, TailPower: 2, TailQ: [2][2]float64{{0.5, 0}, {0, 0}}, Doc: "the standard normal N(0, 1)", New: func() Target { return Gauss{} }},
	{Name: "bimodal", Dim: 1, TailPower: 2, TailQ: [2][2]float64{{1 / (2 * bimodalSig * bimodalSig), 0}, {0, 0}}, Doc: "two normals of unequal weight, outside the poly family", New: func() Target { return Bimodal{} }},
	{Name: "laplace", Dim: 1, TailPower: 1, TailQ: [2][2]float64{{1, 0}, {0, 0}}, Doc: "Laplace(0, 1): heavier tails than a normal and a kink at 0", New: func() Target { return Laplace{} }},
	{Name: "gauss2d", Dim: 2, TailPower: 2, TailQ: gauss2dTailQ, Doc: "a correlated 2D normal", New: func() Target { return Gauss2D{} }},
	{Name: "ring", Dim: 2, TailPower: 2, TailQ: isoQ(ringSigma), Doc: "eight normals on a circle", New: func() Target { return Ring{} }},
	{Name: "moons", Dim: 2, TailPower: 2, TailQ: isoQ(moonsSigma), Doc: "two interleaved half-moons", New: func() Target { return Moons{} }},
	{Name: "spiral", Dim: 2, TailPower: 2, TailQ: isoQ(spiralSigma), Doc: "a one-arm spiral", New: func() Target { return Spiral{} }},
	{Name: "checker", Dim: 2, TailPower: 0, Doc: "uniform on the black squares of a 4×4 board", New: func() Target { return Checker{} }},
}

// isoQ is the tail form of a mixture of isotropic normals of standard
// deviation σ: far out log p̃ ≈ −|x|²/(2σ²).
func isoQ(sigma float64) [2][2]float64 {
	q := 1 / (2 * sigma * sigma)
	return [2][2]float64{{q, 0}, {0, q}}
}

// gauss2dTailQ is ½Σ⁻¹ of Gauss2D: log p̃ = −½xᵀΣ⁻¹x + const.
var gauss2dTailQ = [2][2]float64{
	{0.5 / gauss2dDet, -0.5 * gauss2dRho / gauss2dDet},
	{-0.5 * gauss2dRho / gauss2dDet, 0.5 / gauss2dDet},
}

// LookupTarget returns the registry row of the target called name.
func LookupTarget(name string) (TargetInfo, bool) {
	for _, t := range Targets {
		if t.Name == name {
			return t, true
		}
	}
	for _, t := range DataTargets {
		if t.Name == name {
			return t, true
		}
	}
	return TargetInfo{}, false
}

// NewTarget returns the target p̃ whose spec value is name. All targets
// are fixed distributions; an unknown name is an error naming the allowed
// values.
func NewTarget(name string) (Target, error) {
	if t, ok := LookupTarget(name); ok {
		if t.Data {
			return nil, fmt.Errorf("density: target %q is a data set: it needs its points (docs/spec.md#data)", name)
		}
		return t.New(), nil
	}
	names := make([]string, len(Targets))
	for i, t := range Targets {
		names[i] = t.Name
	}
	return nil, fmt.Errorf("density: unknown target %q (want one of %s)", name, strings.Join(names, ", "))
}

// The targets and noises implement the interfaces.
var (
	_ PolyTarget = Quartic{}
	_ PolyTarget = Gauss{}
	_ PolyTarget = Gauss2D{}
	_ Target     = Bimodal{}
	_ Target     = Laplace{}
	_ Target     = Ring{}
	_ Target     = Moons{}
	_ Target     = Spiral{}
	_ Target     = Checker{}
	_ Noise      = GaussNoise{}
	_ Noise      = LaplaceNoise{}
	_ Noise      = UniformNoise{}
	_ Noise      = (*MixNoise)(nil)
)

// box1 returns the 1D box [lo, hi] (index 1 repeats index 0).
func box1(lo, hi float64) Box {
	return Box{Lo: [2]float64{lo, lo}, Hi: [2]float64{hi, hi}}
}

// box2 returns the square box [−a, a]².
func box2(a float64) Box {
	return Box{Lo: [2]float64{-a, -a}, Hi: [2]float64{a, a}}
}

// polyCoeffs returns a slice of length deg with the given leading
// coefficients (x, x², …) and zeros after them.
func polyCoeffs(deg int, lead ...float64) []float64 {
	c := make([]float64, deg)
	copy(c, lead)
	return c
}
