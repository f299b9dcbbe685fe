package view

import (
	"fmt"
	"math"
	"strings"

	"nceplay/chart"
	"nceplay/core/objective"
	"nceplay/core/spec"
	"nceplay/wasm/wire"
)

// An Explanation is what the Explain panel shows for an experiment: the
// active objective's formula and the formula by which the density is read
// back, in MathML, and sentences on what to look for.
type Explanation struct {
	Title     string // the objective's name
	Objective string // MathML (a <math display="block"> element)
	ReadBack  string // MathML
	Look      []string
}

// Tiny MathML builders. Arguments are MathML fragments.
func mi(s string) string      { return "<mi>" + s + "</mi>" }
func mo(s string) string      { return "<mo>" + s + "</mo>" }
func mn(s string) string      { return "<mn>" + s + "</mn>" }
func row(xs ...string) string { return "<mrow>" + strings.Join(xs, "") + "</mrow>" }
func sub(a, b string) string  { return "<msub>" + a + b + "</msub>" }
func frac(a, b string) string { return "<mfrac>" + a + b + "</mfrac>" }
func block(xs ...string) string {
	return `<math display="block">` + strings.Join(xs, "") + "</math>"
}

var (
	pTilde = `<mover>` + mi("p") + `<mo stretchy="false">~</mo></mover>`
	pHat   = `<mover>` + mi("p") + `<mo stretchy="false">^</mo></mover>`
	xArg   = mi("x")
	gx     = mi("G") + mo("(") + mi("x") + mo(";") + mi("θ") + mo(")")
	logU   = mi("log") + mo("&#x2061;") + mi("U") + mo("(") + xArg + mo(")")
	logK   = mi("log") + mo("&#x2061;") + mi("k")
	kU     = mi("k") + mo("·") + mi("U") + mo("(") + xArg + mo(")")
	eData  = sub(mi("𝔼"), row(mi("x"), mo("∼"), pTilde))
	eNoise = sub(mi("𝔼"), row(mi("x"), mo("∼"), mi("U")))
	logSig = func(arg string) string {
		return mi("log") + mo("&#x2061;") + mi("σ") + mo("(") + arg + mo(")")
	}
	expOf = func(arg string) string { return mi("exp") + mo("&#x2061;") + mo("(") + arg + mo(")") }
	zx    = mi("z") + mo("(") + xArg + mo(")")
	bce   = row(mi("J"), mo("="), mo("−"), eData, logSig(zx), mo("−"), mi("k"), eNoise, logSig(mo("−")+zx))
)

// Explain returns the explanation of s's objective and settings.
func Explain(s spec.Spec) Explanation {
	var e Explanation
	learned := s.Norm != spec.NormFixed
	c := mi("c")
	if !learned {
		c = mn("0")
	}
	switch s.Objective() {
	case objective.Cls:
		e.Title = "Classifier form ([E5](docs/math.md#e5))"
		e.Objective = block(row(mi("P"), mo("("), mn("1"), mo("|"), xArg, mo(")"), mo("="), mi("σ"), mo("("), gx, mo("−"), mi("γ"), mo(")"), mo("="), mi("σ"), mo("("), zx, mo(")"))) + block(bce)
		e.ReadBack = block(pHat, mo("("), xArg, mo(")"), mo("="), expOf(row(gx, mo("−"), mi("γ"))), mo("·"), kU)
		e.Look = append(e.Look, "The model learns the log-ratio log p̃/(kU), not log p̃: the density comes back only after multiplying by k·U(x). There is no estimate of log Z to compare with c.")
	case objective.Neg:
		e.Title = "Negative sampling ([E5](docs/math.md#e5) with γ = 0)"
		e.Objective = block(row(mi("P"), mo("("), mn("1"), mo("|"), xArg, mo(")"), mo("="), mi("σ"), mo("("), gx, mo(")"), mo("="), mi("σ"), mo("("), zx, mo(")"))) + block(bce)
		e.ReadBack = block(pHat, mo("("), xArg, mo(")"), mo("="), expOf(gx), mo("·"), kU)
		e.Look = append(e.Look, "With no offset γ, G alone must equal log p̃ − log k − log U; a model without a constant term cannot, so compare the recovered density with the truth: that gap is negative sampling's bias (the −log k shift of [E6](docs/math.md#e6)).")
	case objective.Rank:
		e.Title = "Ranking NCE / InfoNCE ([E7](docs/math.md#e7))"
		sx0 := row(mi("s"), mo("("), sub(mi("x"), mn("0")), mo(")"))
		sxi := row(mi("s"), mo("("), sub(mi("x"), mi("i")), mo(")"))
		sum := `<munderover><mo>∑</mo>` + row(mi("i"), mo("="), mn("0")) + mi("k") + `</munderover>`
		e.Objective = block(row(mi("J"), mo("="), mo("−"), mi("𝔼"), mi("log"), mo("&#x2061;"), frac(expOf(sx0), row(sum, expOf(sxi))))) +
			block(row(mi("s"), mo("("), xArg, mo(")"), mo("="), gx, mo("−"), logU))
		e.ReadBack = block(pHat, mo("("), xArg, mo(")"), mo("="), frac(expOf(gx), row(mo("∫"), expOf(gx), mi("d"), mi("x"))))
		e.Look = append(e.Look, "Ranking recovers the shape of p̃ but not its normalizer: the constant is unidentifiable, so c is not shown and the density is normalized by quadrature.")
	case objective.MLE:
		e.Title = "Maximum likelihood ([the reference](docs/math.md#mle))"
		e.Objective = block(row(mi("J"), mo("="), mo("−"), eData, gx, mo("+"), mi("log"), mo("&#x2061;"), mi("Z"), mo("("), mi("θ"), mo(")"))) +
			block(row(mi("Z"), mo("("), mi("θ"), mo(")"), mo("="), mo("∫"), expOf(gx), mi("d"), mi("x")))
		e.ReadBack = block(pHat, mo("("), xArg, mo(")"), mo("="), frac(expOf(gx), row(mi("Z"), mo("("), mi("θ"), mo(")"))))
		e.Look = append(e.Look, "Maximum likelihood needs log Z at every step, here by quadrature — possible only in low dimension. NCE's curves should approach these without ever computing Z.")
	default:
		e.Title = "Noise-contrastive estimation ([E2](docs/math.md#e2), [E3](docs/math.md#e3))"
		e.Objective = block(row(zx, mo("="), gx, mo("−"), c, mo("−"), logK, mo("−"), logU)) + block(bce)
		e.ReadBack = block(pHat, mo("("), xArg, mo(")"), mo("="), expOf(row(gx, mo("−"), c)))
		if learned {
			e.Look = append(e.Look, "Data against noise is a classification; at its optimum the learned P(1|x) equals the Bayes posterior p̃/(p̃ + kU), so the density is recovered and c converges to log Z — with no integral ever computed.")
		} else {
			e.Look = append(e.Look, "Z is fixed to 1 (c = 0, Mnih & Teh): the model must self-normalize. Watch the mass ∫p̂: it reaches 1 only if G can absorb −log Z.")
		}
	}
	if s.Dim() == 2 {
		e.Look = append(e.Look, "In 2D the classifier heatmap shows P(1|x); the solid line is the learned ½ contour, the dashed one the Bayes boundary p̃ = kU.")
	} else {
		e.Look = append(e.Look, "The decision boundary P = ½ lies where p̃(x) = k·U(x): the marked crossings in the Classifier panel.")
	}
	switch {
	case s.NScale >= 4 || s.NShift >= 3 || s.NShift <= -3:
		e.Look = append(e.Look, fmt.Sprintf("The noise is far from the data (scale %g, shift %g): rejecting it is trivially easy, the loss is flat near the data and training stalls (docs/math.md#noise).", s.NScale, s.NShift))
	case s.NScale <= 0.3:
		e.Look = append(e.Look, "The noise is narrower than the data: the tails of p̃ are seldom contrasted and are learned slowly.")
	}
	switch {
	case s.K == 1:
		e.Look = append(e.Look, "k = 1: each data point meets one noise point; NCE is still consistent, but noisier.")
	case s.K >= 100:
		e.Look = append(e.Look, fmt.Sprintf("k = %d: the estimator's covariance nears maximum likelihood's ([E8](docs/math.md#e8)), at %d× the noise cost.", s.K, s.K))
	}
	return e
}

// Now is the Explain panel's live sentence about the current frame.
func Now(f *wire.Frame) string {
	if f == nil || f.Dim == 0 {
		return ""
	}
	m := &f.Metrics
	var b strings.Builder
	fmt.Fprintf(&b, "Step %d: ", f.Step)
	if m.CKnown {
		fmt.Fprintf(&b, "c = %s, ", chart.Num(m.C))
	}
	fmt.Fprintf(&b, "log Z = %s", chart.Num(m.LogZ))
	if !math.IsNaN(m.LogZTrue) {
		fmt.Fprintf(&b, " (target %s)", chart.Num(m.LogZTrue))
	}
	fmt.Fprintf(&b, "; mass ∫p̂ = %s; KL = %s; accuracy %s against the Bayes %s.",
		chart.Num(m.Mass), chart.Num(m.KL), chart.Num(m.Accuracy), chart.Num(m.BayesAccuracy))
	if m.CNote != "" {
		b.WriteString(" Note: " + m.CNote + ".")
	}
	return b.String()
}
