package spec

import (
	"fmt"
	"strconv"
	"strings"

	"nceplay/core/density"

	"nceplay/core/model"
	"nceplay/core/objective"
)

// Limits that keep any URL from hanging a browser tab (docs/spec.md#rules).
// StepCost and NewtonCost compute the quantities they cap.
const (
	// MaxQueryLen is the longest query Parse accepts, in bytes.
	// A link carrying a data set (docs/spec.md#data) stays under 8 KB
	// with the host's address, and so does an oEmbed URL nesting it.
	MaxQueryLen = 7680
	// MaxDataLen is the longest value of the data key, in characters.
	MaxDataLen = 7000
	// MaxStepPoints caps the points per training step: batch·(k+1), plus
	// the quadrature points for obj=mle.
	MaxStepPoints = 1 << 20
	// MaxStepWork caps the work per training step: points per step times
	// the model's multiply-adds per point.
	MaxStepWork = 1 << 28
	// MaxNewtonWork caps a full-batch Newton step: n·(k+1)·P², where P is
	// the number of parameters including c.
	MaxNewtonWork = 1 << 31
	// MaxNewtonPoints caps the points a full-batch Newton run holds in
	// memory: the n data points and its fixed set of k·n noise points
	// (n alone for obj=mle, which draws no noise) — 4M points, 32–96 MB.
	MaxNewtonPoints = 1 << 22
	// MaxStepMemory caps the working memory of a training step, in
	// float64s: points per step × the floats each point needs (StepMemory)
	// — 64 MB, so that even two replicas in two browser workers fit.
	MaxStepMemory = 1 << 23
	// MaxRBFUnits2D is the largest units (centres per axis) of an rbf
	// model on a 2D target, which has units² centres.
	MaxRBFUnits2D = 32
	// MLEQuadPoints1D and MLEQuadPoints2D are the quadrature points of
	// obj=mle's log Z per step (docs/math.md#mle), counted in StepCost.
	MLEQuadPoints1D = 1024
	MLEQuadPoints2D = 64 * 64
)

// cost returns the model's cost per point (docs/spec.md#caps).
func (s *Spec) cost() model.Cost { return s.modelInfo().Cost(s.Shape()) }

// flopsPerPoint is the model's multiply-adds per point (model.Cost).
func (s *Spec) flopsPerPoint() float64 { return s.cost().Flops }

// params is the number of model parameters plus one for c.
func (s *Spec) params() float64 { return s.cost().Params + 1 }

// StepCost returns the points per training step, batch·(k+1) plus for
// obj=mle the quadrature points (MLEQuadPoints1D or MLEQuadPoints2D), and
// the work per step, points × the model's multiply-adds per point (poly:
// deg in 1D, 5 in 2D; rbf: units^dim; mlp: dim·units + (layers−1)·units²
// + units). Validate requires points ≤ MaxStepPoints and work ≤
// MaxStepWork.
func (s Spec) StepCost() (points, work float64) {
	points = float64(s.Batch) * float64(s.K+1)
	if s.objective().ExactLogZ {
		points += s.quadPoints()
	}
	return points, points * s.flopsPerPoint()
}

// StepMemory returns the float64s a training step keeps: points per step
// (StepCost) × the floats per point — the point, log U, G and ∂J/∂G (dim +
// 3) plus the model's tape (mlp: (layers+4)·units + dim; rbf: units in 1D,
// 5·units in 2D; poly: none). Validate requires it ≤ MaxStepMemory.
func (s Spec) StepMemory() float64 {
	points, _ := s.StepCost()
	return points * (float64(s.Dim()) + 3 + s.cost().Tape)
}

func (s *Spec) quadPoints() float64 {
	if s.Dim() == 2 {
		return MLEQuadPoints2D
	}
	return MLEQuadPoints1D
}

// NewtonCost returns n·(k+1)·P², the work of one full-batch Newton step,
// where P is the number of model parameters plus one for c (poly: deg+1 in
// 1D, 6 in 2D; rbf: units^dim + 1). Validate requires it ≤ MaxNewtonWork
// when opt=newton.
func (s Spec) NewtonCost() float64 {
	p := s.params()
	return float64(s.newtonN()) * float64(s.K+1) * p * p
}

// newtonN is the data size the Newton caps count: n, or for a data
// target the most points a data set may hold (its own count is known
// only when it is decoded).
func (s *Spec) newtonN() int {
	if s.IsData() {
		return density.MaxDataPoints
	}
	return s.N
}

// dataProblem checks a data target's points: one of data and datafile,
// and a data value whose header (density.DataHeader) is sound and of the
// target's dimension. It returns "" when all is well.
func (s *Spec) dataProblem() string {
	if !s.IsData() {
		return ""
	}
	if s.Data == "" && s.DataFile == "" {
		return fmt.Sprintf("needs its points: the %s key (a pasted data set) or a data file (%s)", kData, kDataFile)
	}
	return ""
}

// DataFileSize returns the number of points the datafile key announces
// (its part after the dash), and false when the value is malformed:
// 16 lowercase hex digits, a dash, a count in MinDataPoints …
// MaxDataPoints.
func DataFileSize(v string) (int, bool) {
	h, n, ok := strings.Cut(v, "-")
	if !ok || len(h) != 16 || strings.Trim(h, "0123456789abcdef") != "" || !isDigits(n) || len(n) > 6 {
		return 0, false
	}
	c, _ := strconv.Atoi(n)
	return c, c >= density.MinDataPoints && c <= density.MaxDataPoints
}

func playgroundRules() []Rule[Spec] {
	return []Rule[Spec]{
		{Keys: []string{kTarget}, Check: func(s *Spec) (float64, string) {
			if p := s.dataProblem(); p != "" {
				return 1, p
			}
			return 0, ""
		}},
		{Keys: []string{kData}, Check: func(s *Spec) (float64, string) {
			if !s.IsData() || s.Data == "" {
				return 0, ""
			}
			dim, n, _, _, err := density.DataHeader(s.Data)
			if err != nil {
				return 1, err.Error()
			}
			if dim != s.Dim() {
				return 1, fmt.Sprintf("holds %d %dD points, but %s=%s is %dD", n, dim, kTarget, s.Target, s.Dim())
			}
			return 0, ""
		}},
		{Keys: []string{kDataFile}, Check: func(s *Spec) (float64, string) {
			if !s.IsData() || s.DataFile == "" {
				return 0, ""
			}
			if s.Data != "" {
				return 1, fmt.Sprintf("is given with %s: a data set travels in the link or as a file, not both", kData)
			}
			if _, ok := DataFileSize(s.DataFile); !ok {
				return 1, fmt.Sprintf("is not a data file's name: 16 hex digits of its SHA-256, a dash and its %d … %d points", density.MinDataPoints, density.MaxDataPoints)
			}
			return 0, ""
		}},
		{Keys: []string{kTour}, Check: func(s *Spec) (float64, string) {
			if s.View.Tour == "" {
				return 0, ""
			}
			if _, err := DecodeTour(s.View.Tour); err != nil {
				return 1, err.Error()
			}
			return 0, ""
		}},
		{Keys: []string{kOpt}, Check: func(s *Spec) (float64, string) {
			if !s.Optimizer().SecondOrder || s.modelInfo().Linear {
				return 0, ""
			}
			return 1, fmt.Sprintf("needs a model linear in θ (%s), not %s=%s", strings.Join(linearModels(), " or "), kModel, s.Model)
		}},
		{Keys: []string{kOpt}, Check: func(s *Spec) (float64, string) {
			if !s.Optimizer().SecondOrder || s.objective().Convex {
				return 0, ""
			}
			return 1, fmt.Sprintf("needs a convex objective (%s=%s), not %s=%s", kObj, strings.Join(convexObjectives(), ", "), kObj, s.Obj)
		}},
		{Keys: []string{kUnits}, Check: func(s *Spec) (float64, string) {
			if s.Model != model.RBFInfo.Name || s.Dim() != 2 || s.Units <= MaxRBFUnits2D {
				return 0, ""
			}
			return float64(s.Units - MaxRBFUnits2D), fmt.Sprintf("gives %s² = %d %s centres on a 2D target, more than %d² = %d",
				kUnits, s.Units*s.Units, s.Model, MaxRBFUnits2D, MaxRBFUnits2D*MaxRBFUnits2D)
		}},
		{Keys: []string{kBatch, kK}, Check: func(s *Spec) (float64, string) {
			points, _ := s.StepCost()
			if points <= MaxStepPoints {
				return 0, ""
			}
			return points - MaxStepPoints, fmt.Sprintf("gives %s per step, more than %d; lower %s",
				s.pointsFormula(), MaxStepPoints, Playground.LowerList(s, kBatch, kK))
		}},
		{Keys: []string{kBatch, kK, kUnits, kLayers}, Check: func(s *Spec) (float64, string) {
			_, work := s.StepCost()
			if work <= MaxStepWork {
				return 0, ""
			}
			return work - MaxStepWork, fmt.Sprintf("gives %s × %s multiply-adds per point = %.3g multiply-adds per step, more than %d; lower %s",
				s.pointsFormula(), fmtNum(s.flopsPerPoint()), work, MaxStepWork, Playground.LowerList(s, kBatch, kK, kUnits, kLayers))
		}},
		{Keys: []string{kBatch, kK, kUnits, kLayers}, Check: func(s *Spec) (float64, string) {
			m := s.StepMemory()
			if m <= MaxStepMemory {
				return 0, ""
			}
			points, _ := s.StepCost()
			return m - MaxStepMemory, fmt.Sprintf("needs %s × %s floats per point = %.3g floats (%.0f MB) of working memory per step, more than %d (64 MB); lower %s",
				s.pointsFormula(), fmtNum(m/points), m, m*8/(1<<20), MaxStepMemory, Playground.LowerList(s, kBatch, kK, kUnits, kLayers))
		}},
		{Keys: []string{kN, kK, kOpt}, Check: func(s *Spec) (float64, string) {
			if !s.Optimizer().SecondOrder {
				return 0, ""
			}
			n := s.newtonN()
			pts, formula := float64(n)*float64(s.K+1), fmt.Sprintf("%s·(%s+1) = %d·%d", kN, kK, n, s.K+1)
			if !s.objective().DrawsNoise() {
				pts, formula = float64(n), fmt.Sprintf("%s = %d", kN, n)
			}
			if pts <= MaxNewtonPoints {
				return 0, ""
			}
			return pts - MaxNewtonPoints, fmt.Sprintf("makes a full-batch %s=%s run hold %s = %.3g points, more than %d; lower %s, or choose another %s",
				kOpt, s.Opt, formula, pts, MaxNewtonPoints, Playground.LowerList(s, kN, kK), kOpt)
		}},
		{Keys: []string{kN, kK, kUnits, kDeg, kOpt}, Check: func(s *Spec) (float64, string) {
			if !s.Optimizer().SecondOrder {
				return 0, ""
			}
			w := s.NewtonCost()
			if w <= MaxNewtonWork {
				return 0, ""
			}
			return w - MaxNewtonWork, fmt.Sprintf("gives a full-batch %s=%s step of %s·(%s+1)·P² = %d·%d·%s² = %.3g with P = %s parameters (with c), more than %d; lower %s, or choose another %s",
				kOpt, s.Opt, kN, kK, s.newtonN(), s.K+1, fmtNum(s.params()), w, fmtNum(s.params()), MaxNewtonWork, Playground.LowerList(s, kN, kK, kUnits, kDeg), kOpt)
		}},
	}
}

// linearModels names the models Newton's method applies to.
func linearModels() []string {
	var names []string
	for _, m := range model.All {
		if m.Linear {
			names = append(names, kModel+"="+m.Name)
		}
	}
	return names
}

// convexObjectives names the objectives Newton's method applies to.
func convexObjectives() []string {
	var names []string
	for _, o := range objective.All {
		if o.Convex {
			names = append(names, o.Name)
		}
	}
	return names
}

// pointsFormula spells out the points per step, e.g.
// "batch·(k+1) = 2000·1025 = 2050000 points".
func (s *Spec) pointsFormula() string {
	points, _ := s.StepCost()
	if s.objective().ExactLogZ {
		return fmt.Sprintf("%s·(%s+1) + %s quadrature points = %d·%d + %s = %s points",
			kBatch, kK, fmtNum(s.quadPoints()), s.Batch, s.K+1, fmtNum(s.quadPoints()), fmtNum(points))
	}
	return fmt.Sprintf("%s·(%s+1) = %d·%d = %s points", kBatch, kK, s.Batch, s.K+1, fmtNum(points))
}
