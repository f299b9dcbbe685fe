package density

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
)

// DataTargets is the registry of the targets that are a data set the user
// supplies instead of a distribution (docs/spec.md#data): one per
// dimension. They have no sampler and no density of their own: the trainer
// builds an Empirical from the spec's data key or a data file, and the
// metrics that need p̃ are replaced (docs/math.md#no-truth). Their names are
// spelled here only; LookupTarget finds them beside Targets.
var DataTargets = []TargetInfo{
	{Name: "data", Dim: 1, Data: true, Doc: "your data: 1D points you supply (the data key, or a data file); no true density"},
	{Name: "data2d", Dim: 2, Data: true, Doc: "your data: 2D points you supply (pasted, the data key, or a data file); no true density"},
}

// DataBox returns the box of the data targets of dimension dim: [−5, 5]
// in 1D, [−4, 4]² in 2D. Every point of a data set lies in it
// (docs/spec.md#data), and the metrics integrate over it.
func DataBox(dim int) Box {
	if dim == 2 {
		return box2(4)
	}
	return box1(-5, 5)
}

// DataTarget returns the data target row of dimension dim.
func DataTarget(dim int) TargetInfo {
	if dim == 2 {
		return DataTargets[1]
	}
	return DataTargets[0]
}

// Empirical is a data set as a target: its points, in the box of its
// dimension (DataBox). Sample draws one of its points uniformly; it has
// no density, so LogProb is NaN everywhere (docs/math.md#no-truth).
type Empirical struct {
	D   int
	Pts []float64 // n·D values
}

// Dim returns the data's dimension.
func (e Empirical) Dim() int { return e.D }

// Box returns DataBox(Dim).
func (e Empirical) Box() Box { return DataBox(e.D) }

// Len returns the number of points.
func (e Empirical) Len() int { return len(e.Pts) / e.D }

// Sample copies a point chosen uniformly from the data set into x.
func (e Empirical) Sample(r *rand.Rand, x []float64) {
	i := r.IntN(e.Len())
	copy(x[:e.D], e.Pts[i*e.D:(i+1)*e.D])
}

// LogProb returns NaN: a data set has no true density.
func (e Empirical) LogProb([]float64) float64 { return math.NaN() }

var _ Target = Empirical{}

// CheckData returns an error naming the first point (counted from 1) that
// lies outside DataBox(dim) or is not finite, and one for a count outside
// MinDataPoints … MaxDataPoints.
func CheckData(pts []float64, dim int) error {
	if dim != 1 && dim != 2 {
		return fmt.Errorf("data: dimension %d; want 1 or 2", dim)
	}
	n := len(pts) / dim
	if len(pts)%dim != 0 {
		return fmt.Errorf("data: %d values are not whole %dD points", len(pts), dim)
	}
	if n < MinDataPoints || n > MaxDataPoints {
		return fmt.Errorf("data: %d points; a data set has %d … %d", n, MinDataPoints, MaxDataPoints)
	}
	b := DataBox(dim)
	for i := range n {
		for a := range dim {
			x := pts[i*dim+a]
			if !(x >= b.Lo[a] && x <= b.Hi[a]) {
				return fmt.Errorf("data: point %d (%s) lies outside the box %s", i+1, FmtPoint(pts[i*dim:(i+1)*dim]), DataBoxText(dim))
			}
		}
	}
	return nil
}

// DataBoxText describes DataBox(dim): "[−5, 5]" or "[−4, 4]²".
func DataBoxText(dim int) string {
	b := DataBox(dim)
	s := fmt.Sprintf("[%g, %g]", b.Lo[0], b.Hi[0])
	if dim == 2 {
		s += "²"
	}
	return s
}

// FmtPoint writes a point for a message: "1.5" or "1.5, -2".
func FmtPoint(p []float64) string {
	s := strconv.FormatFloat(p[0], 'g', 6, 64)
	if len(p) == 2 {
		s += ", " + strconv.FormatFloat(p[1], 'g', 6, 64)
	}
	return s
}

// HeldOut returns how many of a data set's n points are held out for the
// held-out log-likelihood (docs/math.md#no-truth): a fifth, rounded down.
func HeldOut(n int) int { return n / 5 }
