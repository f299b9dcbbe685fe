package embed

import (
	"math"
	"math/rand/v2"
	"testing"

	"nceplay/core/fmath"
)

// randomConditional returns a conditional model (centres ≠ rows) with
// random parameters and the biases asked for.
func randomConditional(r *rand.Rand, centres, rows, dim int, bu, bv bool) *Model {
	m := NewConditional(centres, rows, dim, bu, bv)
	for _, p := range params(m) {
		for i := range p {
			p[i] = r.Float64() - 0.5
		}
	}
	return m
}

// softmaxLoss is Softmax.Step's loss computed directly.
func softmaxLoss(m *Model, w, t int) float64 {
	z := make([]float64, m.Rows)
	for c := range z {
		z[c] = m.Score(w, c)
	}
	return fmath.LogSumExp(z) - z[t]
}

// rankLoss is RankStep's loss computed directly.
func rankLoss(m *Model, w int, ts []int32, shift []float64) float64 {
	z := make([]float64, len(ts))
	for j, t := range ts {
		z[j] = m.Score(w, int(t))
		if shift != nil {
			z[j] -= shift[t]
		}
	}
	return fmath.LogSumExp(z) - z[0]
}

func copyModel(m *Model) *Model {
	c := NewConditional(m.Centres, m.Rows, m.Dim, m.BU != nil, m.BV != nil)
	for i, p := range params(m) {
		copy(params(c)[i], p)
	}
	return c
}

// checkGradientStep checks that stepping m (a copy of old) moved every
// parameter by −lr times the gradient of loss at old, by central finite
// differences.
func checkGradientStep(t *testing.T, what string, old, m *Model, lr float64, loss func(*Model) float64) {
	t.Helper()
	for pi, p := range params(old) {
		for i := range p {
			const h = 1e-6
			keep := p[i]
			p[i] = keep + h
			up := loss(old)
			p[i] = keep - h
			down := loss(old)
			p[i] = keep
			grad := (up - down) / (2 * h)
			step := (params(m)[pi][i] - keep) / -lr
			if math.Abs(step-grad) > 1e-6*(1+math.Abs(grad)) {
				t.Fatalf("%s: param %d[%d] stepped by −lr·%.9g, gradient %.9g", what, pi, i, step, grad)
			}
		}
	}
}

// TestConditionalStep: the pair step on a conditional model (3 centres,
// 9 target rows) with either bias alone or both is the exact gradient
// step; a model without BU (a per-centre constant held at 0) keeps none.
func TestConditionalStep(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	const centres, rows = 3, 9
	shift := make([]float64, rows)
	for i := range shift {
		shift[i] = r.Float64()*4 - 3
	}
	for _, dim := range []int{1, 3, 4, 6} {
		for _, b := range [][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
			for _, sh := range [][]float64{nil, shift} {
				for _, ts := range [][]int32{{3}, {8, 1, 4, 0, 5, 2}, {2, 7, 7, 1, 2}} {
					old := randomConditional(r, centres, rows, dim, b[0], b[1])
					m := copyModel(old)
					const lr = 1e-3
					before := loss(old, 2, ts, sh)
					got := NewContrast(rows, dim, len(ts)).Step(m, 2, ts, sh, lr)
					if math.Abs(got-before) > 1e-8 {
						t.Errorf("loss %v, want %v", got, before)
					}
					checkGradientStep(t, "Step", old, m, lr, func(x *Model) float64 { return loss(x, 2, ts, sh) })
				}
			}
		}
	}
}

// TestRankStep: the ranking step is the exact gradient step of the
// softmax cross-entropy over the candidates, with repeated candidates (the
// observed one drawn again among them), with and without shift and
// biases; BU, whose gradient is 0, is left as it was.
func TestRankStep(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	const centres, rows = 4, 11
	shift := make([]float64, rows)
	for i := range shift {
		shift[i] = r.Float64()*4 - 3
	}
	for _, dim := range []int{1, 2, 5, 8} {
		for _, b := range [][2]bool{{false, false}, {false, true}, {true, true}} {
			for _, sh := range [][]float64{nil, shift} {
				for _, ts := range [][]int32{{3, 5}, {10, 1, 4, 0, 5, 2, 9, 6}, {2, 7, 2, 7, 1}} {
					old := randomConditional(r, centres, rows, dim, b[0], b[1])
					m := copyModel(old)
					const lr = 1e-3
					before := rankLoss(old, 1, ts, sh)
					got := NewContrast(rows, dim, len(ts)).RankStep(m, 1, ts, sh, lr)
					if math.Abs(got-before) > 1e-12*(1+before) {
						t.Errorf("loss %v, want %v", got, before)
					}
					checkGradientStep(t, "RankStep", old, m, lr, func(x *Model) float64 { return rankLoss(x, 1, ts, sh) })
				}
			}
		}
	}
}

// TestSoftmaxStep: the full-softmax step is the exact gradient step of
// the cross-entropy over every row, for row counts that exercise the
// four-row blocks' remainders, with and without biases.
func TestSoftmaxStep(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	for _, rows := range []int{1, 5, 8, 11} {
		for _, dim := range []int{1, 3, 4, 9} {
			for _, b := range [][2]bool{{false, false}, {false, true}, {true, true}} {
				old := randomConditional(r, 3, rows, dim, b[0], b[1])
				m := copyModel(old)
				const lr = 1e-3
				tgt := rows / 2
				before := softmaxLoss(old, 2, tgt)
				got := NewSoftmax(rows, dim).Step(m, 2, tgt, lr)
				if math.Abs(got-before) > 1e-12*(1+before) {
					t.Errorf("rows %d dim %d: loss %v, want %v", rows, dim, got, before)
				}
				checkGradientStep(t, "Softmax.Step", old, m, lr, func(x *Model) float64 { return softmaxLoss(x, 2, tgt) })
			}
		}
	}
}

// TestRowScores: the blocked scores equal Score's, but for BU, within
// rounding.
func TestRowScores(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	for _, rows := range []int{1, 4, 7} {
		for _, dim := range []int{1, 4, 6} {
			m := randomConditional(r, 2, rows, dim, true, true)
			got := make([]float64, rows)
			m.RowScores(1, got)
			for c, g := range got {
				if want := m.Score(1, c) - m.BU[1]; math.Abs(g-want) > 1e-14 {
					t.Errorf("rows %d dim %d: score %d = %v, want %v", rows, dim, c, g, want)
				}
			}
		}
	}
}

func TestSoftmaxAndRankAllocateNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	m := randomConditional(r, 5, 300, 16, true, true)
	s := NewSoftmax(300, 16)
	c := NewContrast(300, 16, 6)
	ts := []int32{1, 2, 3, 4, 5, 2}
	if a := testing.AllocsPerRun(50, func() { s.Step(m, 3, 7, 1e-3) }); a != 0 {
		t.Errorf("Softmax.Step allocates %v times", a)
	}
	if a := testing.AllocsPerRun(50, func() { c.RankStep(m, 3, ts, nil, 1e-3) }); a != 0 {
		t.Errorf("RankStep allocates %v times", a)
	}
}

// TestExpNeg compares the table exponential with core/fmath's on a dense
// grid of x ≤ 0 (relative error ≤ 1e-15) and at its edges.
func TestExpNeg(t *testing.T) {
	worst := 0.0
	for i := 0; i <= 1990000; i++ { // down to −696.5
		x := -float64(i) * 0.00035
		got, want := ExpNeg(x), fmath.Exp(x)
		worst = max(worst, math.Abs(got-want)/want)
	}
	if worst > 1e-15 {
		t.Errorf("ExpNeg: worst relative error %.3g", worst)
	}
	t.Logf("worst relative error %.3g", worst)
	for x, want := range map[float64]float64{0: 1, -700.5: 0, math.Inf(-1): 0} {
		if got := ExpNeg(x); got != want {
			t.Errorf("ExpNeg(%v) = %v, want %v", x, got, want)
		}
	}
	if !math.IsNaN(ExpNeg(math.NaN())) {
		t.Error("ExpNeg(NaN) is not NaN")
	}
	for j, v := range expTab {
		if want := math.Exp2(float64(j) / 256); math.Abs(v-want) > 4e-16*want {
			t.Errorf("expTab[%d] = %v, want %v", j, v, want)
		}
	}
}

// TestManyTargets: beyond scanTargets a step finds repeated rows by its
// stamps; both ways give the same exact gradient step (checked on 40
// targets, some repeated, for the pair and the ranking step).
func TestManyTargets(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	const centres, rows, dim = 3, 30, 3
	ts := make([]int32, scanTargets+8)
	for i := range ts {
		ts[i] = int32(r.IntN(rows))
	}
	shift := make([]float64, rows)
	for i := range shift {
		shift[i] = r.Float64() - 0.5
	}
	const lr = 1e-3
	old := randomConditional(r, centres, rows, dim, true, true)
	m := copyModel(old)
	c := NewContrast(rows, dim, len(ts))
	c.Step(m, 1, ts, shift, lr)
	checkGradientStep(t, "Step", old, m, lr, func(x *Model) float64 { return loss(x, 1, ts, shift) })
	m = copyModel(old)
	c.RankStep(m, 1, ts, shift, lr)
	checkGradientStep(t, "RankStep", old, m, lr, func(x *Model) float64 { return rankLoss(x, 1, ts, shift) })
}
