package dist

import "fmt"

// Constants shared by the targets, exact to the last bit as Go constants.
const (
	ln2Pi     = 1.83787706640934548356065947281123527972279494727556 // log 2π
	lnSqrt2Pi = ln2Pi / 2                                            // log √(2π)
	ln2       = 0.69314718055994530941723212145817656807550013436026 // log 2
)

// NewTarget returns the target p̃ whose spec value is name (SPEC.md, key
// target): quartic, gauss, bimodal, laplace (1D) or gauss2d, ring, moons,
// spiral, checker (2D). All targets are fixed distributions; an unknown
// name is an error naming the allowed values.
func NewTarget(name string) (Target, error) {
	switch name {
	case "quartic":
		return Quartic{}, nil
	case "gauss":
		return Gauss{}, nil
	case "bimodal":
		return Bimodal{}, nil
	case "laplace":
		return Laplace{}, nil
	case "gauss2d":
		return Gauss2D{}, nil
	case "ring":
		return Ring{}, nil
	case "moons":
		return Moons{}, nil
	case "spiral":
		return Spiral{}, nil
	case "checker":
		return Checker{}, nil
	}
	return nil, fmt.Errorf("dist: unknown target %q (want quartic, gauss, bimodal, laplace, gauss2d, ring, moons, spiral or checker)", name)
}

// TargetDim returns the dimension (1 or 2) of the target called name, and
// false when there is no such target.
func TargetDim(name string) (int, bool) {
	switch name {
	case "quartic", "gauss", "bimodal", "laplace":
		return 1, true
	case "gauss2d", "ring", "moons", "spiral", "checker":
		return 2, true
	}
	return 0, false
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
