package spec

import (
	"fmt"
	"strconv"
	"strings"
)

// Limits that keep any URL from hanging a browser tab (SPEC.md, Rules).
// StepCost and NewtonCost compute the quantities they cap.
const (
	// MaxQueryLen is the longest query Parse accepts, in bytes.
	MaxQueryLen = 4096
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
	// obj=mle's log Z per step (NCE.md §7), counted in StepCost.
	MLEQuadPoints1D = 1024
	MLEQuadPoints2D = 64 * 64
)

// Dim returns the dimension of s's target: 1 or 2, or 0 if the target is
// unknown.
func (s Spec) Dim() int {
	for i, v := range targetValues {
		if v == s.Target {
			return targetDims[i]
		}
	}
	return 0
}

// flopsPerPoint is the model's multiply-adds per point, roughly: poly: deg
// in 1D, 5 in 2D; rbf: units^dim; mlp: dim·units + (layers−1)·units² +
// units.
func (s *Spec) flopsPerPoint() float64 {
	d, u := float64(s.Dim()), float64(s.Units)
	switch s.Model {
	case modelPoly:
		if s.Dim() == 2 {
			return 5
		}
		return float64(s.Deg)
	case modelRBF:
		if s.Dim() == 2 {
			return u * u
		}
		return u
	case modelMLP:
		return d*u + float64(s.Layers-1)*u*u + u
	}
	return 0
}

// params is the number of model parameters plus one for c: poly deg+1
// (1D) or 6 (2D); rbf units^dim + 1; mlp all weights and biases + 1.
func (s *Spec) params() float64 {
	d, u := float64(s.Dim()), float64(s.Units)
	switch s.Model {
	case modelPoly:
		if s.Dim() == 2 {
			return 6
		}
		return float64(s.Deg) + 1
	case modelRBF:
		if s.Dim() == 2 {
			return u*u + 1
		}
		return u + 1
	case modelMLP:
		return d*u + u + float64(s.Layers-1)*(u*u+u) + u + 1 + 1
	}
	return 1
}

// StepCost returns the points per training step, batch·(k+1) plus for
// obj=mle the quadrature points (MLEQuadPoints1D or MLEQuadPoints2D), and
// the work per step, points × the model's multiply-adds per point (poly:
// deg in 1D, 5 in 2D; rbf: units^dim; mlp: dim·units + (layers−1)·units²
// + units). Validate requires points ≤ MaxStepPoints and work ≤
// MaxStepWork.
func (s Spec) StepCost() (points, work float64) {
	points = float64(s.Batch) * float64(s.K+1)
	if s.Obj == objMLE {
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
	d, u := float64(s.Dim()), float64(s.Units)
	per := d + 3
	switch s.Model {
	case modelMLP:
		per += float64(s.Layers+4)*u + d
	case modelRBF:
		if s.Dim() == 2 {
			per += 5 * u
		} else {
			per += u
		}
	}
	return points * per
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
	return float64(s.N) * float64(s.K+1) * p * p
}

// A rule involves several keys. check returns excess > 0 and a reason
// when s breaks the rule; the reason follows `value "…"` in the message.
// To repair s, Parse and Validate reset one of keys to its default: the
// first non-default one whose reset alone satisfies the rule, else the
// first whose reset reduces the excess (and then look again).
type rule struct {
	keys  []string
	check func(s *Spec) (excess float64, reason string)
}

var rules = []rule{
	{keys: []string{kOpt}, check: func(s *Spec) (float64, string) {
		if s.Opt != optNewton || s.Model == modelPoly || s.Model == modelRBF {
			return 0, ""
		}
		return 1, fmt.Sprintf("needs %s=%s or %s=%s, not %s=%s", kModel, modelPoly, kModel, modelRBF, kModel, s.Model)
	}},
	{keys: []string{kOpt}, check: func(s *Spec) (float64, string) {
		switch s.Obj {
		case objNCE, objCls, objNeg, objMLE:
			return 0, ""
		}
		if s.Opt != optNewton {
			return 0, ""
		}
		return 1, fmt.Sprintf("needs %s=%s, %s, %s or %s, not %s=%s", kObj, objNCE, objCls, objNeg, objMLE, kObj, s.Obj)
	}},
	{keys: []string{kUnits}, check: func(s *Spec) (float64, string) {
		if s.Model != modelRBF || s.Dim() != 2 || s.Units <= MaxRBFUnits2D {
			return 0, ""
		}
		return float64(s.Units - MaxRBFUnits2D), fmt.Sprintf("gives %s² = %d %s centres on a 2D target, more than %d² = %d",
			kUnits, s.Units*s.Units, modelRBF, MaxRBFUnits2D, MaxRBFUnits2D*MaxRBFUnits2D)
	}},
	{keys: []string{kBatch, kK}, check: func(s *Spec) (float64, string) {
		points, _ := s.StepCost()
		if points <= MaxStepPoints {
			return 0, ""
		}
		return points - MaxStepPoints, fmt.Sprintf("gives %s per step, more than %d; lower %s",
			s.pointsFormula(), MaxStepPoints, lowerList(s, kBatch, kK))
	}},
	{keys: []string{kBatch, kK, kUnits, kLayers}, check: func(s *Spec) (float64, string) {
		_, work := s.StepCost()
		if work <= MaxStepWork {
			return 0, ""
		}
		return work - MaxStepWork, fmt.Sprintf("gives %s × %s multiply-adds per point = %.3g multiply-adds per step, more than %d; lower %s",
			s.pointsFormula(), fmtNum(s.flopsPerPoint()), work, MaxStepWork, lowerList(s, kBatch, kK, kUnits, kLayers))
	}},
	{keys: []string{kBatch, kK, kUnits, kLayers}, check: func(s *Spec) (float64, string) {
		m := s.StepMemory()
		if m <= MaxStepMemory {
			return 0, ""
		}
		points, _ := s.StepCost()
		return m - MaxStepMemory, fmt.Sprintf("needs %s × %s floats per point = %.3g floats (%.0f MB) of working memory per step, more than %d (64 MB); lower %s",
			s.pointsFormula(), fmtNum(m/points), m, m*8/(1<<20), MaxStepMemory, lowerList(s, kBatch, kK, kUnits, kLayers))
	}},
	{keys: []string{kN, kK, kOpt}, check: func(s *Spec) (float64, string) {
		if s.Opt != optNewton {
			return 0, ""
		}
		pts, formula := float64(s.N)*float64(s.K+1), fmt.Sprintf("%s·(%s+1) = %d·%d", kN, kK, s.N, s.K+1)
		if s.Obj == objMLE {
			pts, formula = float64(s.N), fmt.Sprintf("%s = %d", kN, s.N)
		}
		if pts <= MaxNewtonPoints {
			return 0, ""
		}
		return pts - MaxNewtonPoints, fmt.Sprintf("makes a full-batch %s=%s run hold %s = %.3g points, more than %d; lower %s, or choose another %s",
			kOpt, optNewton, formula, pts, MaxNewtonPoints, lowerList(s, kN, kK), kOpt)
	}},
	{keys: []string{kN, kK, kUnits, kDeg, kOpt}, check: func(s *Spec) (float64, string) {
		if s.Opt != optNewton {
			return 0, ""
		}
		w := s.NewtonCost()
		if w <= MaxNewtonWork {
			return 0, ""
		}
		return w - MaxNewtonWork, fmt.Sprintf("gives a full-batch %s=%s step of %s·(%s+1)·P² = %d·%d·%s² = %.3g with P = %s parameters (with c), more than %d; lower %s, or choose another %s",
			kOpt, optNewton, kN, kK, s.N, s.K+1, fmtNum(s.params()), w, fmtNum(s.params()), MaxNewtonWork, lowerList(s, kN, kK, kUnits, kDeg), kOpt)
	}},
}

// pointsFormula spells out the points per step, e.g.
// "batch·(k+1) = 2000·1025 = 2050000 points".
func (s *Spec) pointsFormula() string {
	points, _ := s.StepCost()
	if s.Obj == objMLE {
		return fmt.Sprintf("%s·(%s+1) + %s quadrature points = %d·%d + %s = %s points",
			kBatch, kK, fmtNum(s.quadPoints()), s.Batch, s.K+1, fmtNum(s.quadPoints()), fmtNum(points))
	}
	return fmt.Sprintf("%s·(%s+1) = %d·%d = %s points", kBatch, kK, s.Batch, s.K+1, fmtNum(points))
}

// lowerList joins the names of the keys relevant for s: "n, k or units".
func lowerList(s *Spec, names ...string) string {
	var rel []string
	for _, n := range names {
		if key(n).Relevant(s) {
			rel = append(rel, n)
		}
	}
	if len(rel) <= 1 {
		return strings.Join(rel, "")
	}
	return strings.Join(rel[:len(rel)-1], ", ") + " or " + rel[len(rel)-1]
}

// reset sets the key in s to its default.
func (k *Key) reset(s *Spec) { k.set(s, k.Default) }

// isDefault reports whether s holds the key's default.
func (k *Key) isDefault(s *Spec) bool { return k.Get(s) == k.Default }

// choose returns the key that the repair of s resets (see rule).
func (r *rule) choose(s *Spec) *Key {
	excess, _ := r.check(s)
	var reduces *Key
	for _, name := range r.keys {
		k := key(name)
		if k.isDefault(s) || !k.Relevant(s) {
			continue
		}
		t := *s
		k.reset(&t)
		e, _ := r.check(&t)
		if e == 0 {
			return k
		}
		if e < excess && reduces == nil {
			reduces = k
		}
	}
	if reduces != nil {
		return reduces
	}
	return key(r.keys[len(r.keys)-1]) // not reached: the defaults satisfy every rule
}

// allowed describes the values of k that satisfy r, the other keys of s
// being as given: "1 … 1023" or "adam, sgd, momentum".
func (r *rule) allowed(k *Key, s *Spec) string {
	ok := func(text string) bool {
		t := *s
		if k.set(&t, text) != nil {
			return false
		}
		e, _ := r.check(&t)
		return e == 0
	}
	switch k.Kind {
	case KindEnum:
		var vs []string
		for _, v := range k.Values {
			if ok(v) {
				vs = append(vs, v)
			}
		}
		return strings.Join(vs, ", ")
	case KindInt:
		// The rules' costs grow with each int key: find the largest value
		// that fits by bisection over lo, lo+step, …
		step := 1
		if k.Even {
			step = 2
		}
		lo, hi := int(k.Min), int(k.Max)
		val := func(i int) string { return strconv.Itoa(lo + i*step) }
		if !ok(val(0)) {
			return fmt.Sprintf("no value of %s, with the other keys as given", k.Name)
		}
		a, b := 0, (hi-lo)/step // ok(a) holds
		for a < b {
			m := a + (b-a+1)/2
			if ok(val(m)) {
				a = m
			} else {
				b = m - 1
			}
		}
		r := strconv.Itoa(lo) + " … " + val(a)
		if k.Even {
			r += " (even)"
		}
		return r
	}
	return k.Allowed()
}

// maxRepairs bounds the repair loop; each repair resets a non-default key,
// so len(Keys) repairs always suffice.
var maxRepairs = len(Keys) + 1

// repair resets keys of s until every rule holds, and returns one Error
// per reset key. It expects the keys to be valid one by one.
func (s *Spec) repair() Errors {
	var errs Errors
	for range maxRepairs {
		var broken *rule
		var reason string
		for i := range rules {
			if e, why := rules[i].check(s); e > 0 {
				broken, reason = &rules[i], why
				break
			}
		}
		if broken == nil {
			return errs
		}
		k := broken.choose(s)
		errs = append(errs, &Error{Key: k.Name, Value: k.Get(s), Reason: reason, Allowed: broken.allowed(k, s)})
		k.reset(s)
	}
	// Not reached (a test checks the defaults satisfy every rule).
	*s = Default()
	return errs
}
