package nce

// Metrics and Grid evaluate the model's energy G(x; θ) at fixed sets of
// points: the quadrature grid, the held-out points and the display grid.
// For a large model that is most of their cost, and each point's energy
// depends on that point alone, so the playground's two training workers
// share it: each replica evaluates a part of each set (docs/architecture.md#workers).

// An EvalSet names one of the fixed point sets.
type EvalSet int

const (
	EvalQuad    EvalSet = iota // the quadrature grid of the metrics (log Z, KL)
	EvalHeldOut                // the held-out data and noise points of the metrics
	EvalGrid                   // the display grid of Grid (at its resolution)
)

// An Evaluator sets out[i] to the model's energy at point i of pts, the
// points of set (for EvalGrid at resolution res), with the trainer's
// current θ. It must give the values Energy gives, bit for bit.
type Evaluator func(set EvalSet, res int, pts, out []float64)

// SetEvaluator makes Metrics and Grid evaluate the model's energy at
// their fixed points with e (nil: with Energy, here).
func (t *Trainer) SetEvaluator(e Evaluator) { t.eval = e }

// Energy sets out[i] to the model's energy at point i of pts (len(out)
// points), with the current θ. A point's energy depends on that point
// alone: evaluating a set in parts gives the values of evaluating it
// whole (the models' kernels are checked for it).
func (t *Trainer) Energy(pts, out []float64) { t.model.Energy(t.theta, pts, out) }

// EvalPoints returns the points of a set (the grid's at resolution res),
// computing the set on first use; the slice is the trainer's own, not to
// be changed.
func (t *Trainer) EvalPoints(set EvalSet, res int) []float64 {
	switch set {
	case EvalQuad:
		return t.cache().pts
	case EvalHeldOut:
		return t.cache().ho
	default:
		return t.gridBase(res).X
	}
}

// energyAt evaluates the model's energy at the points of a set, with the
// evaluator if one is set.
func (t *Trainer) energyAt(set EvalSet, pts, out []float64) {
	if t.eval != nil {
		res := 0
		if set == EvalGrid && t.lastGrid != nil {
			res = t.lastGrid.Res
		}
		t.eval(set, res, pts, out)
		return
	}
	t.Energy(pts, out)
}
