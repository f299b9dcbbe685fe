package view

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"

	"nceplay/chart"
	"nceplay/core/objective"
	"nceplay/core/spec"
	"nceplay/docs/mathml"
	"nceplay/wasm/wire"
)

// An Explanation is what the Explain panel shows for an experiment: the
// active objective's formulas and the formula by which the density is
// read back (TeX, and MathML made from it by docs/mathml), sentences on
// what to look for, where to read more, and the primary sources.
type Explanation struct {
	Title        string   // the objective's name (rich text)
	ObjectiveTeX []string // TeX of the objective's formulas, one per line
	ReadBackTeX  string
	Objective    string // MathML: one <math display="block"> per formula
	ReadBack     string // MathML
	Look         []string
	More         string   // rich text: the objective's section of docs/math.md
	Sources      []string // rich text: the primary sources, with their titles
}

// MathML converts TeX to display MathML with docs/mathml (MathML Core:
// every fraction has exactly two children). A formula the converter
// rejects (a test converts every formula the page can show) is shown as
// its TeX source.
func MathML(tex string) string {
	m, err := mathml.Convert(tex, true)
	if err != nil {
		return `<math display="block"><mtext>` + html.EscapeString(tex) + `</mtext></math>`
	}
	return m
}

// The primary sources, as rich-text citations of docs/math.md's
// references (author, year and title; the docs page has the rest).
const (
	refGutmann2010 = "[Gutmann & Hyvärinen (2010), “Noise-contrastive estimation: a new estimation principle for unnormalized statistical models”](docs/math.md#ref-gutmann2010)"
	refGutmann2012 = "[Gutmann & Hyvärinen (2012), “Noise-contrastive estimation of unnormalized statistical models, with applications to natural image statistics”](docs/math.md#ref-gutmann2012)"
	refMnih2012    = "[Mnih & Teh (2012), “A fast and simple algorithm for training neural probabilistic language models”](docs/math.md#ref-mnih2012)"
	refMikolov2013 = "[Mikolov et al. (2013), “Distributed representations of words and phrases and their compositionality”](docs/math.md#ref-mikolov2013)"
	refLevy2014    = "[Levy & Goldberg (2014), “Neural word embedding as implicit matrix factorization”](docs/math.md#ref-levy2014)"
	refOord2018    = "[van den Oord, Li & Vinyals (2018), “Representation learning with contrastive predictive coding”](docs/math.md#ref-oord2018)"
	refMa2018      = "[Ma & Collins (2018), “Noise contrastive estimation and negative sampling for conditional models”](docs/math.md#ref-ma2018)"
	refLiu2021     = "[Liu, Rosenfeld, Ravikumar & Risteski (2021), “Analyzing and improving the optimization landscape of noise-contrastive estimation”](docs/math.md#ref-liu2021)"
)

// TeX pieces shared by the objectives. A formula is set on lines of at
// most about 290 px at the panel's 16 px (the Explain panel is never
// narrower): the binary loss takes two.
const (
	texBCE1 = `J = -\mathbb E_{x\sim\tilde p}\log\sigma(z(x))`
	texBCE2 = `\qquad - k\,\mathbb E_{x\sim U}\log\sigma(-z(x))`
	texG    = `G(x;\theta)`
)

// Explain returns the explanation of s's objective and settings.
func Explain(s spec.Spec) Explanation {
	var e Explanation
	learned := s.Norm != spec.NormFixed
	o := s.Objective()
	e.More = "Read more: [" + o.Title + "](" + o.Cite + ") in the math notes, and [what the panels measure](docs/math.md#metrics)."
	switch o {
	case objective.Cls:
		e.Title = "Classifier form ([E5](docs/math.md#e5))"
		gamma := `\gamma`
		if !learned {
			gamma = `0`
		}
		e.ObjectiveTeX = []string{`P(1\mid x) = \sigma(z(x))`, `z(x) = ` + texG + ` - ` + gamma, texBCE1, texBCE2}
		e.ReadBackTeX = `\hat p(x) = \exp(` + texG + ` - ` + gamma + `)\cdot k\,U(x)`
		e.Look = append(e.Look, "The model learns the log-ratio log p̃/(kU), not log p̃: the density comes back only after multiplying by k·U(x). There is no estimate of log Z to compare with c.")
		e.Sources = []string{refGutmann2010, refGutmann2012}
	case objective.Neg:
		e.Title = "Negative sampling ([E5](docs/math.md#e5) with γ = 0)"
		e.ObjectiveTeX = []string{`P(1\mid x) = \sigma(z(x))`, `z(x) = ` + texG, texBCE1, texBCE2}
		e.ReadBackTeX = `\hat p(x) = \exp(` + texG + `)\cdot k\,U(x)`
		e.Look = append(e.Look, "With no offset γ, G alone must equal log p̃ − log k − log U; a model without a constant term cannot, so compare the recovered density with the truth: that gap is negative sampling's bias (the −log k shift of [E6](docs/math.md#e6)).")
		e.Sources = []string{refMikolov2013, refLevy2014}
	case objective.Rank:
		e.Title = "Ranking NCE / InfoNCE ([E7](docs/math.md#e7))"
		e.ObjectiveTeX = []string{`J = -\mathbb E\log\frac{\exp(s(x_0))}{\sum_{i=0}^{k}\exp(s(x_i))}`, `s(x) = ` + texG + ` - \log U(x)`}
		e.ReadBackTeX = `\hat p(x) = \frac{\exp(` + texG + `)}{\int\exp(G(y;\theta))\,dy}`
		e.Look = append(e.Look, "Ranking recovers the shape of p̃ but not its normalizer: the constant is unidentifiable, so c is not shown and the density is normalized by quadrature.")
		e.Sources = []string{refOord2018, refMa2018}
	case objective.MLE:
		e.Title = "Maximum likelihood ([the reference](docs/math.md#mle))"
		e.ObjectiveTeX = []string{`J = -\mathbb E_{x\sim\tilde p}` + texG + ` + \log Z(\theta)`, `Z(\theta) = \int\exp(` + texG + `)\,dx`}
		e.ReadBackTeX = `\hat p(x) = \frac{\exp(` + texG + `)}{Z(\theta)}`
		e.Look = append(e.Look, "Maximum likelihood needs log Z at every step, here by quadrature — possible only in low dimension. NCE's curves should approach these without ever computing Z.")
		e.Sources = []string{refGutmann2012}
	default:
		e.Title = "Noise-contrastive estimation ([E2](docs/math.md#e2), [E3](docs/math.md#e3))"
		c := ` - c`
		if !learned {
			c = ``
		}
		e.ObjectiveTeX = []string{`z(x) = ` + texG + c + ` - \log k - \log U(x)`, texBCE1, texBCE2}
		e.ReadBackTeX = `\hat p(x) = \exp(` + texG + c + `)`
		e.Sources = []string{refGutmann2010, refGutmann2012}
		if learned {
			e.Look = append(e.Look, "Data against noise is a classification; at its optimum the learned P(1|x) equals the Bayes posterior p̃/(p̃ + kU), so the density is recovered and c converges to log Z — with no integral ever computed.")
		} else {
			e.Look = append(e.Look, "Z is fixed to 1 (c = 0, as Mnih & Teh do): the model must self-normalize. Watch the mass ∫p̂: it reaches 1 only if G can absorb −log Z ([self-normalization](docs/math.md#self-normalization)).")
			e.Sources = append(e.Sources, refMnih2012)
		}
	}
	for _, t := range e.ObjectiveTeX {
		e.Objective += MathML(t)
	}
	e.ReadBack = MathML(e.ReadBackTeX)
	switch {
	case s.IsData():
		// No known density: no Bayes boundary is drawn (the Classifier
		// panel on your data).
		e.Look = append(e.Look, "Your data have no known density, so there is no Bayes classifier to compare with: the Classifier panel shows the learned P(1|x) alone, and in place of KL the panels measure the held-out fifth's log-likelihood under p̂ "+noTruth+".")
	case s.Dim() == 2:
		e.Look = append(e.Look, "In 2D the Classifier heatmap colours the learned P(1|x) by its log-odds, white at ½; the solid line is the learned ½ contour, the dashed one the Bayes boundary p̃ = kU.")
	default:
		e.Look = append(e.Look, "The decision boundary P = ½ lies where p̃(x) = k·U(x): the marked crossings in the Classifier panel.")
	}
	far := s.NShift >= 3 || s.NShift <= -3
	switch {
	case far:
		e.Look = append(e.Look, fmt.Sprintf("The noise is shifted far from the data (%g standard deviations): most noise points are trivially rejected, so the loss is nearly flat near the data and learning is slow ([choosing the noise](docs/math.md#noise)).", s.NShift))
	case s.NScale >= 4:
		e.Look = append(e.Look, fmt.Sprintf("The noise is %g times wider than the data: most noise points land where p̃ is tiny and are easy to reject, so few of them teach the model the data's shape ([choosing the noise](docs/math.md#noise)).", s.NScale))
	case s.NScale <= 0.3:
		e.Look = append(e.Look, "The noise is narrower than the data: the tails of p̃ are seldom contrasted and are learned slowly ([choosing the noise](docs/math.md#noise)).")
	}
	if far || s.NScale >= 4 {
		e.Sources = append(e.Sources, refLiu2021)
	}
	switch {
	case s.K == 1:
		e.Look = append(e.Look, "k = 1: each data point meets one noise point; NCE is still consistent, but noisier ([efficiency](docs/math.md#efficiency)).")
	case s.K >= 100:
		e.Look = append(e.Look, fmt.Sprintf("k = %d: the estimator's covariance nears maximum likelihood's ([E8](docs/math.md#e8)), at %d× the noise cost.", s.K, s.K))
	}
	return e
}

// Now is the Explain panel's live sentence about the current frame. After
// a divergence it says so (the panels keep the last finite state).
func Now(f *wire.Frame) string {
	var b strings.Builder
	for _, s := range NowSpans(f, 0) {
		b.WriteString(s.Text)
	}
	return b.String()
}

// NowSpans is Now as rich-text spans whose numbers, with the punctuation
// after them, are spans of their own with room for the values they
// usually take (Span.Room: the step's for total steps, an accuracy's and
// the mass's 6 characters, numRoom for the others), so that the sentence
// keeps its line breaks while its numbers change
// (TestLayoutHoldsStillWhileTraining).
func NowSpans(f *wire.Frame, total int) []Span {
	if f == nil || f.Dim == 0 {
		return nil
	}
	var out []Span
	text := func(s string) { out = append(out, Rich(s)...) }
	room := func(s string, n int) { out = append(out, Span{Text: s, Room: max(n, len(s))}) }
	num := func(v float64, n int, after string) { room(chart.Num(v)+after, n+len(after)) }
	m := &f.Metrics
	if f.Diverged != "" {
		text(fmt.Sprintf("Training diverged, so it stopped: the panels show the last finite state, at step %d. ", f.Step))
	}
	text("Step ")
	room(strconv.Itoa(f.MetricsAt)+":", len(strconv.Itoa(total))+1)
	if m.CKnown {
		text(" c = ")
		num(m.C, numRoom, ",")
	}
	text(" log Z = ")
	if !math.IsNaN(m.LogZTrue) {
		num(m.LogZ, numRoom, "")
		text(" (target " + chart.Num(m.LogZTrue) + ");")
	} else {
		num(m.LogZ, numRoom, ";")
	}
	text(" mass ∫p̂ = ")
	num(m.Mass, 6, ";")
	if m.TruthNote != "" { // your data: no KL, no Bayes classifier
		text(" held-out log-likelihood ")
		num(m.HeldOutLL, numRoom, "")
		text(" a point; accuracy ")
		num(m.Accuracy, 6, ".")
	} else {
		text(" KL = ")
		num(m.KL, numRoom, ";")
		text(" accuracy ")
		num(m.Accuracy, 6, "")
		text(" against the Bayes " + chart.Num(m.BayesAccuracy) + ".")
	}
	if m.CNote != "" {
		text(" Note: " + m.CNote + ".")
	}
	return out
}

// numRoom is the room of a number in a live sentence, in characters: as
// the toolbar's readouts (wasm/ui/live.go, readoutChars), enough for
// chart.Num's values about 0 ("-0.002035").
const numRoom = 9
