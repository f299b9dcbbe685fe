package nce

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"nceplay/core/density"
	"nceplay/core/fmath"
	"nceplay/core/model"
	"nceplay/core/objective"
	"nceplay/core/spec"
)

// A Warning tells a learner that some number of an experiment must not be
// taken at face value: what is wrong, why (the theory is at Cite), and
// the spec change to try. The engine computes the warnings with the
// metrics (Metrics.Warnings), so the runner, the page and the link
// previews say the same thing about the same state.
type Warning struct {
	// Code is the warning's stable identifier, one of the Warn* constants
	// (the registry WarningKinds).
	Code string
	// Title is a short heading for a callout, Message the explanation for
	// a learner, with the numbers of this run and what to change.
	Title, Message string
	// Fix is a spec change that removes the cause, as query pairs to apply
	// over the current spec with spec.Spec.Apply ("noise=laplace"), or ""
	// when there is no one-click fix.
	Fix string
	// Cite is the docs/math.md anchor with the theory.
	Cite string
	// Panel is the ID of the panel the warning concerns (spec.Panel*).
	Panel string
	// Final marks a verdict on the state where training stopped (the
	// density cannot be normalized, the mass is off, Newton did not
	// converge): it holds of the current θ, but during a run θ is still
	// moving, so a page shows it once the run is done (Metrics.Done) or
	// paused, not before the first step. Warnings that are not Final
	// follow from the spec and the data alone and hold from the start.
	Final bool
}

// The warning codes.
const (
	WarnNotNormalizable = "not_normalizable"
	WarnMassOff         = "mass_off"
	WarnSeparable       = "separable"
	WarnNotConverged    = "not_converged"
	WarnNoFreeConstant  = "no_free_constant"
	WarnLightTails      = "light_tails"
)

// A WarningKind is one row of the registry WarningKinds: what every
// warning of its code shares, and the docs' account of it (README's
// warnings table is generated from these by cmd/specdoc).
type WarningKind struct {
	Code, Title, Cite, Panel string
	Final                    bool
	// When is the condition, Theory why it matters (two or three
	// sentences, the short form of Cite), FixDoc what the fix changes.
	When, Theory, FixDoc string
}

// WarningKinds is the registry of warnings, in the order Metrics lists
// them.
var WarningKinds = []WarningKind{
	{Code: WarnNoFreeConstant, Title: "No constant to absorb log Z", Cite: "docs/math.md#no-free-constant", Panel: spec.PanelDensity,
		When: "nce or cls with norm=fixed, or neg, with a model that has no constant (poly).",
		Theory: "The logistic objectives' logit must carry a constant: log Z for NCE ([E2](docs/math.md#e2)), the constant of log p̃/(kU) for the " +
			"classifier form ([E5](docs/math.md#e5)). With c or γ held at 0 it must come from G: an mlp has an output bias and rbf's bumps sum to a constant, but a " +
			"poly has G(0) = 0, so its fit is biased (Mnih & Teh's Z = 1 works only for a model that can absorb log Z).",
		FixDoc: "norm=learn (nce, cls) or obj=cls (neg)"},
	{Code: WarnLightTails, Title: "Noise tails lighter than the data's", Cite: "docs/math.md#light-tails", Panel: spec.PanelDensity,
		When: "p̃/U grows without bound far out: the noise's log-density falls off with a higher power than the target's (Gaussian " +
			"noise, Laplace data), or with the same power but faster along some direction, by more than one nat of log(p̃/U) between " +
			"the centre and the box's edge (Gaussian noise narrower than Gaussian-tailed data, or axis-fitted noise against the " +
			"correlated gauss2d); a uniform that covers the box is not lighter.",
		Theory: "Then p̃/kU → ∞ far out: the data's outermost points meet almost no noise, the classifier is unchallenged there and can " +
			"raise G, so mass piles up where the noise does not reach and a poly may stop being normalizable. NCE needs U > 0 wherever " +
			"p̃ > 0, and in practice noise at least as heavy-tailed as the data.",
		FixDoc: "noise=laplace (a lower power), or the smallest nscale at which the noise is no lighter"},
	{Code: WarnSeparable, Title: "Data and noise are separable", Cite: "docs/math.md#separable", Panel: spec.PanelClassifier,
		When: "Newton: at the current θ every data point has logit z > 0 and every noise point z < 0, a certificate; first-order: n·∫ min(p̃, kU) < 1, fewer than one training point expected on the wrong side of the Bayes boundary.",
		Theory: "The logistic loss of a separable sample has no minimizer: scaling a separating θ up lowers the loss towards 0 forever, as in " +
			"logistic regression. The NCE optimum does not exist, θ diverges and the density is arbitrary, while a loss near 0 and an " +
			"accuracy of 1 look like success; the overlap of p̃ and kU is what makes the optimum exist. Newton stops at the certificate.",
		FixDoc: "nshift=0 and/or nscale=1: noise that overlaps the data"},
	{Code: WarnNotNormalizable, Title: "The density cannot be normalized", Cite: "docs/math.md#not-normalizable", Panel: spec.PanelDensity, Final: true,
		When: "poly: the read-back exp(G − c) (cls, neg: exp(G)·k·U) grows without bound: in 1D G's leading coefficient is ≥ 0 or of odd degree, in 2D its quadratic form is not negative definite.",
		Theory: "NCE fits the best classifier of data against noise, whose logit only has to be right where data or noise fall. Where " +
			"neither reaches (beyond narrow noise, under light noise tails, or for a target outside the family) nothing stops G from " +
			"growing, and the empirical optimum can end in a positive leading term: ∫ exp(G) = ∞, no c is log Z, and c, mass and kl " +
			"over the box depend on where the box is cut.",
		FixDoc: "by cause: nscale=1 (narrow noise), deg=2 (1D target outside the family), model=mlp (2D), noise=laplace (light tails)"},
	{Code: WarnMassOff, Title: "The density's mass is off", Cite: "docs/math.md#mass-off", Panel: spec.PanelDensity, Final: true,
		When: "The read-back density's mass over the target's box is outside [0.5, 2] or not finite (rank and mle are normalized by quadrature).",
		Theory: "At NCE's optimum exp(G − c) = p̃ wherever U > 0, so the mass is 1 up to the estimator's error (a few per cent at n = 10⁴, " +
			"[E8](docs/math.md#e8)) and Adam's jitter at a constant lr (10–30% in 2D; sched=cosine removes it). A factor of 2 means c has not absorbed log Z: " +
			"the density cannot be normalized, there is no constant to absorb it, the data are separable, or the noise misses part of the data.",
		FixDoc: "that of its cause"},
	{Code: WarnNotConverged, Title: "Newton did not converge", Cite: "docs/math.md#not-converged", Panel: spec.PanelCurves, Final: true,
		When: "Newton ran its steps without its decrement λ² = ∇Jᵀ H⁻¹ ∇J falling below 10⁻⁶·Q/n (Q parameters), or its line search stalled.",
		Theory: "λ²/2 is the loss left to gain and λ the distance to the optimum in H's norm, where [E8](docs/math.md#e8) puts the estimator's own error at " +
			"about √(Q/n); below the tolerance the optimizer's error is under 1/1000 of the statistical one, and the final full step " +
			"squares it. Above it θ is a point on the way, not the estimator.",
		FixDoc: "steps=100"},
}

// WarningsMarkdown returns the registry as a Markdown table (code,
// panel, when, why, fix), ending in a newline; cmd/specdoc writes it into
// README.md.
func WarningsMarkdown() string {
	var b strings.Builder
	b.WriteString("| code | panel | when | why | fix |\n|---|---|---|---|---|\n")
	cell := strings.NewReplacer("|", `\|`, "\n", " ")
	for _, k := range WarningKinds {
		final := ""
		if k.Final {
			final = " (at the end)"
		}
		b.WriteString("| `" + k.Code + "` | " + k.Panel + final + " | " + cell.Replace(k.When) + " | " + cell.Replace(k.Theory) +
			" ([" + k.Cite + "](" + k.Cite + ")) | " + cell.Replace(k.FixDoc) + " |\n")
	}
	return b.String()
}

// LookupWarning returns the registry row of a warning code, or nil.
func LookupWarning(code string) *WarningKind {
	for i := range WarningKinds {
		if WarningKinds[i].Code == code {
			return &WarningKinds[i]
		}
	}
	return nil
}

// MassRange is the range of the read-back density's mass over the box
// outside which WarnMassOff fires: a factor of 2 either way. A correct
// fit is far inside it — the estimator's own error in c is about 0.01–0.02
// at n = 10⁴ (docs/math.md#e8), and a constant-lr Adam run swings the mass
// by ±12–35% over its last steps in 2D (TestCosineScheduleSettles) — so
// the warning fires on failures only.
var MassRange = [2]float64{0.5, 2}

// separableCount is the expected number of training points on the wrong
// side of the Bayes boundary, n·∫ min(p̃, kU), below which a first-order
// run is warned that data and noise are separable (docs/math.md#separable).
const separableCount = 1

// diagnose returns the warnings of the state that out describes, in the
// order of WarningKinds.
func (t *Trainer) diagnose(out *Metrics, m *metricCache, nw newtonState) []Warning {
	var ws []Warning
	add := func(code, msg, fix string) {
		k := LookupWarning(code)
		ws = append(ws, Warning{Code: code, Title: k.Title, Message: msg, Fix: fix, Cite: k.Cite, Panel: k.Panel, Final: k.Final})
	}
	s := t.spec
	info := s.ModelInfo()

	// no_free_constant: the binary objectives' logit needs a constant
	// (log Z for nce, the constant of log p̃/(kU) for cls and neg), which
	// comes from the learned scalar or the model's own bias.
	noConst := t.obj.Kernel == objective.Binary && !t.learnC && !info.FreeConstant
	if noConst {
		msg, fix := t.noConstantText(info)
		add(WarnNoFreeConstant, msg, fix)
	}

	// light_tails: U falls off faster than p̃ (a larger tail power).
	lt := t.lightTails()
	light := lt.light
	if light {
		add(WarnLightTails, t.lightTailsText(lt), lt.fix)
	}

	// separable: Newton's certificate on its own sample, or for the
	// first-order optimizers the population's overlap.
	separable := false
	if t.obj.Kernel == objective.Binary {
		if t.newton != nil {
			if nw.wrong == 0 {
				separable = true
				add(WarnSeparable, fmt.Sprintf("At this θ the classifier puts every one of the %d data points and %d noise points on its own side: "+
					"data and noise are separable. Then the %s loss has no minimum — it keeps falling towards 0 as θ grows without bound — "+
					"so θ, the density and c here are arbitrary, and Newton's method stopped (step %d) rather than run off to infinity. "+
					"Move the noise closer to the data, so that the two overlap.",
					s.N, s.K*s.N, t.obj.Phrase, t.step), closerFix(t))
			}
		} else if float64(s.N)*m.overlap < separableCount {
			separable = true
			add(WarnSeparable, fmt.Sprintf("Data and noise barely overlap: even the Bayes classifier errs on a fraction %.2g of the 1 : k mixture, "+
				"so among the %d data points and their noise fewer than one is expected on the wrong side of its boundary. So the classifier can be perfect on the data, "+
				"the loss tends to 0 and θ grows for as long as training runs, instead of converging: the optimum of %s does not exist, "+
				"and θ, the density and c depend on when training stopped. Move the noise closer to the data.",
				m.overlap/(1+float64(s.K)), s.N, t.obj.Phrase), closerFix(t))
		}
	}

	// not_normalizable: a Tailed model whose read-back grows far out.
	notNorm := false
	if tm, ok := t.model.(model.Tailed); ok && t.obj.ReadBack != objective.Normalized {
		quad, bounded := [2]float64{}, false
		if t.obj.ReadBack == objective.TimesKU {
			tl := t.noise.Tail()
			bounded = tl.Power == 0
			if tl.Power == 2 {
				quad = tl.Coef
			}
		}
		if !bounded && !tm.Integrable(t.theta[:t.np], quad) {
			notNorm = true
			cause, fix := t.normCause(noConst, light)
			add(WarnNotNormalizable, t.notNormalizableText(quad)+" "+cause, fix)
		}
	}

	// mass_off: the read-back's mass over the box.
	if lm := out.LogMass; !(lm >= fmath.Log(MassRange[0]) && lm <= fmath.Log(MassRange[1])) {
		msg := t.massText(out)
		fix := ""
		switch {
		case noConst:
			msg += " The objective has no constant to absorb log Z (see the warning above)."
			_, fix = t.noConstantText(info)
		case separable:
			msg += " Data and noise are separable, so there is no optimum to recover (see above)."
			fix = closerFix(t)
		case notNorm:
			msg += " The fitted density cannot be normalized (see above)."
			_, fix = t.normCause(noConst, light)
		default:
			if f := t.noiseFix(light); f != "" {
				msg += " " + t.noiseCause(light)
				fix = f
			} else if t.newton == nil {
				msg += " Training may not have settled: train longer, or lower lr."
			}
		}
		add(WarnMassOff, msg, fix)
	}

	// not_converged: a Newton run that ended without reaching its tolerance.
	if t.newton != nil && t.Done() && !t.Converged() && !separable && t.err == nil {
		if t.stop == stopStalled {
			add(WarnNotConverged, fmt.Sprintf("Newton's line search could not lower the loss any further after %d steps, "+
				"short of its tolerance (λ²/2 = %.3g, the loss still to gain by the last Newton step): rounding limits the loss here, "+
				"and θ is as close to the optimum as it can get.", t.step, t.newton.decrement/2), "")
		} else {
			fix := ""
			if s.Steps < 100 {
				fix = "steps=100"
			}
			add(WarnNotConverged, fmt.Sprintf("Newton's method ran its %d steps without reaching its tolerance: its last step "+
				"started λ²/2 = %.3g nats of loss from the optimum, against a tolerance of %.3g. θ is not yet the optimum of the loss, "+
				"so the numbers are those of a point on the way. Allow more steps (it usually needs 5–30).",
				t.step, t.newton.decrement/2, t.newtonTolerance()/2), fix)
		}
	}
	return ws
}

// lightTail is the verdict of lightTails.
type lightTail struct {
	light bool
	// samePower: both fall off with the same power, the noise faster
	// along dir by coef·|x|^power; growth is log(p̃/U)'s rise over the
	// box along dir, in nats.
	samePower    bool
	dir          [2]float64
	coef, growth float64
	fix          string
}

// lightTails reports whether p̃/U grows without bound far out
// (docs/math.md#light-tails): the noise's tail power exceeds the
// target's, or the powers are equal (a Gaussian noise against Gaussian
// tails) and the noise's coefficient exceeds the target's along some
// direction by enough that log(p̃/U) rises by more than one nat between
// the centre and the box's edge — below that the growth is the fitted
// spread's sampling error, invisible inside the box. A bounded uniform
// that covers the box is not lighter; a bounded target has no tails.
// The fix is noise with a lower power (laplace), or the smallest nscale
// (in steps of 0.1, at most 20) at which the noise is no lighter.
func (t *Trainer) lightTails() lightTail {
	info, _ := density.LookupTarget(t.spec.Target)
	tl := t.noise.Tail()
	pp, pu := info.TailPower, tl.Power
	if pp == 0 || pu == 0 || pu < pp {
		return lightTail{}
	}
	if pu > pp {
		return lightTail{light: true, fix: laplaceFix(t)}
	}
	// Equal powers: the largest eigenvalue of diag(coef_U·s) − Q_p, with
	// s = (nscale/X)^p the factor by which nscale = X scales coef_U, and
	// log(p̃/U)'s rise along its eigenvector up to the box's edge.
	box := t.target.Box()
	verdict := func(s float64) (lam float64, dir [2]float64, growth float64) {
		a := tl.Coef[0]*s - info.TailQ[0][0]
		lam, dir = a, [2]float64{1, 0}
		if t.dim == 2 {
			d, b := tl.Coef[1]*s-info.TailQ[1][1], -info.TailQ[0][1]
			m, r := (a+d)/2, math.Sqrt((a-d)*(a-d)/4+b*b)
			lam = m + r
			switch {
			case b != 0:
				dir = [2]float64{lam - d, b}
			case a < d:
				dir = [2]float64{0, 1}
			}
			n := math.Sqrt(dir[0]*dir[0] + dir[1]*dir[1])
			dir = [2]float64{dir[0] / n, dir[1] / n}
		}
		if !(lam > 0) {
			return lam, dir, 0
		}
		reach := 0.0 // from the origin to the box's edge along ±dir
		for _, sg := range []float64{1, -1} {
			r := math.Inf(1)
			for a := range t.dim {
				switch e := sg * dir[a]; {
				case e > 0:
					r = math.Min(r, box.Hi[a]/e)
				case e < 0:
					r = math.Min(r, box.Lo[a]/e)
				}
			}
			reach = math.Max(reach, r)
		}
		return lam, dir, lam * ipow(reach, pp)
	}
	lam, dir, growth := verdict(1)
	if growth <= 1 {
		return lightTail{}
	}
	lt := lightTail{light: true, samePower: true, dir: dir, coef: lam, growth: growth}
	for x := math.Floor(t.spec.NScale*10+1) / 10; x <= 20; x = math.Round(x*10+1) / 10 {
		if _, _, g := verdict(ipow(t.spec.NScale/x, pu)); g <= 1 {
			lt.fix = "nscale=" + strconv.FormatFloat(x, 'g', -1, 64)
			return lt
		}
	}
	lt.fix = laplaceFix(t)
	return lt
}

func (t *Trainer) lightTailsText(lt lightTail) string {
	info, _ := density.LookupTarget(t.spec.Target)
	tail := fmt.Sprintf("The %s noise falls off like %s, faster than the %s data, like %s. Far from the centre p̃/kU grows without bound",
		t.spec.Noise, tailText(t.noise.Tail().Power), t.spec.Target, tailText(info.TailPower))
	if lt.samePower {
		along := ""
		if t.dim == 2 {
			along = fmt.Sprintf(" along (%.2f, %.2f)", lt.dir[0], lt.dir[1])
		}
		tail = fmt.Sprintf("The %s noise and the %s data both fall off like %s, but the noise faster%s: log(p̃/U) grows like %.3g·%s "+
			"there, by %.3g nats between the centre and the box's edge. So p̃/kU grows without bound",
			t.spec.Noise, t.spec.Target, tailText(info.TailPower), along, lt.coef, strings.TrimSuffix(strings.TrimPrefix(tailText(info.TailPower), "e^(−"), ")"), lt.growth)
	}
	return tail + ": the data's outermost points meet almost no noise, so nothing there tells the classifier where the density ends: the fit " +
		"piles up mass where the noise does not reach, and a poly energy may even grow without bound. Use noise whose tails are " +
		"at least as heavy as the data's."
}

// laplaceFix returns the fix for tails lighter than the target's: the
// noise family with the lowest tail power (laplace, 1), if it is lower
// than the current noise's and at most the target's; else "".
func laplaceFix(t *Trainer) string {
	info, _ := density.LookupTarget(t.spec.Target)
	best, power := "", t.noise.Tail().Power
	// Each family fitted to the two points ±1 (mean 0, spread 1): only
	// the tail's power matters here.
	fit := density.FitData{Dim: 1, Points: []float64{-1, 1}, SD: [2]float64{1, 1},
		NoiseParams: density.NoiseParams{NScale: 1, NComp: 1}, Box: t.target.Box()}
	for _, n := range density.Noises {
		f := fit
		u, err := n.Fit(&f)
		if p := u.Tail().Power; err == nil && p > 0 && p < power && p <= info.TailPower {
			best, power = "noise="+n.Name, p
		}
	}
	return best
}

// noiseFix returns the spec change that most likely cures a fit spoiled
// by the noise: heavier tails, then noise as wide as the data, then noise
// centred on the data; "" if the noise is none of these.
func (t *Trainer) noiseFix(light bool) string {
	switch {
	case light:
		return t.lightTails().fix
	case t.spec.NScale < 1:
		return "nscale=1"
	case t.spec.NShift != 0:
		return "nshift=0"
	}
	return ""
}

// normCause explains why a Tailed model's fit cannot be normalized and
// returns the change that cures it: the missing constant; noise narrower
// than or shifted off the data (the data's outer points meet no noise);
// a target outside the model's family, whose best fit of higher degree
// has no reason to end in a negative leading term (a quadratic's fit to a
// unimodal density is a normal, in 1D; a bounded energy in 2D); light
// noise tails.
func (t *Trainer) normCause(noConst, light bool) (cause, fix string) {
	switch {
	case noConst:
		_, fix = t.noConstantText(t.spec.ModelInfo())
		return "Here the cause is the missing constant (see above): the energy bends to make up for it.", fix
	case t.spec.NScale < 1 || t.spec.NShift != 0:
		return t.noiseCause(false), t.noiseFix(false)
	}
	if pt, ok := t.target.(density.PolyTarget); !ok || !inFamily(pt, t.spec.Deg) {
		if t.dim == 1 && t.spec.Deg > 2 {
			return fmt.Sprintf("The target %s lies outside the poly family: the degree-%d fit matches its log-density where the data and "+
				"the noise are, and nothing there forces the leading term below 0 (NCE's optimum is the best classifier, not a "+
				"normalizable density). A quadratic, whose fit to a one-humped density is a normal, stays normalizable (deg=2).",
				t.spec.Target, t.spec.Deg), "deg=2"
		}
		if t.dim == 2 {
			return fmt.Sprintf("The target %s lies outside the quadratic family, and its best quadratic classifier need not be a "+
					"normalizable density. A bounded energy (model=%s) has a finite mass over the box.", t.spec.Target, model.MLPInfo.Name),
				"model=" + model.MLPInfo.Name
		}
	}
	if light {
		return t.noiseCause(true), t.lightTails().fix
	}
	return "", ""
}

// inFamily reports whether the poly of degree deg contains the target.
func inFamily(pt density.PolyTarget, deg int) bool {
	_, ok := pt.LogPoly(deg)
	return ok
}

// noiseCause says what noiseFix's cause is, in a sentence.
func (t *Trainer) noiseCause(light bool) string {
	switch {
	case light:
		return "The cause is the noise's tails, lighter than the data's (see above)."
	case t.spec.NScale < 1:
		return fmt.Sprintf("The cause is the noise: nscale = %g makes it narrower than the data, so the data's outer points meet almost no noise "+
			"and nothing holds the density down there. Noise at least as wide as the data fixes it.", t.spec.NScale)
	case t.spec.NShift != 0:
		return fmt.Sprintf("The cause is the noise: nshift = %g moves it off the data, so part of the data meets almost no noise. "+
			"Noise centred on the data fixes it.", t.spec.NShift)
	}
	return ""
}

// closerFix returns the change that makes the noise overlap the data.
func closerFix(t *Trainer) string {
	var fix []string
	if t.spec.NShift != 0 {
		fix = append(fix, "nshift=0")
	}
	if t.spec.NScale != 1 {
		fix = append(fix, "nscale=1")
	}
	return strings.Join(fix, "&")
}

func (t *Trainer) readBackText() string {
	switch t.obj.ReadBack {
	case objective.ExpGMinusC:
		return "exp(G − c)"
	case objective.TimesKU:
		if t.obj.Scalar {
			return "exp(G − γ)·k·U"
		}
		return "exp(G)·k·U"
	}
	return "exp(G)/Z"
}

func (t *Trainer) notNormalizableText(quad [2]float64) string {
	p, _ := t.model.(*model.Poly)
	what := t.readBackText()
	var shape string
	if t.dim == 1 {
		deg, coef, _ := p.Leading(t.theta[:t.np], quad)
		switch {
		case deg == 0:
			shape = "The fitted energy is flat"
		case deg%2 == 1:
			shape = fmt.Sprintf("The fitted energy's leading term is of odd degree (%.3g·x^%d)", coef, deg)
		default:
			shape = fmt.Sprintf("The fitted energy's leading coefficient is positive (%.3g for x^%d)", coef, deg)
		}
		if quad[0] != 0 {
			shape += " once U's −x²/(2σ²) is added"
		}
	} else {
		_, e1, e2 := p.Leading(t.theta[:t.np], quad)
		shape = fmt.Sprintf("The fitted quadratic energy is not negative definite (eigenvalues %.3g and %.3g)", e1, e2)
	}
	return shape + fmt.Sprintf(", so %s grows without bound away from the data and cannot be normalized: over all of ℝ its mass is infinite, "+
		"no c is its log Z, and c, the mass and kl over the box depend on where the box ends.", what)
}

func (t *Trainer) massText(out *Metrics) string {
	what := t.readBackText()
	if math.IsNaN(out.LogMass) || math.IsInf(out.LogMass, 0) {
		return fmt.Sprintf("The read-back density %s has no finite mass over the box (log mass %v): its numbers are meaningless.", what, out.LogMass)
	}
	return fmt.Sprintf("The read-back density %s has mass %.3g over the box (log mass %.3g), outside [%g, %g]: it is off from a probability "+
		"density by that factor, and the normalizer has not absorbed log Z.", what, out.Mass, out.LogMass, MassRange[0], MassRange[1])
}

func (t *Trainer) noConstantText(info *model.Info) (msg, fix string) {
	if t.obj.Scalar { // norm=fixed
		return fmt.Sprintf("With norm=%s, %s is held at 0, so the energy itself must carry the normalizing constant, but a %s has no "+
				"constant term (G(0) = 0). It cannot absorb log Z, so its density is biased: expect a mass away from 1 and a kl above what "+
				"the data allow. Learn the normalizer, or use a model with an output bias (model=mlp), as Mnih & Teh did.",
				spec.NormFixed, t.scalarName(), info.Phrase(t.spec.Shape())),
			"norm=" + spec.NormLearn
	}
	return fmt.Sprintf("%s has no learned scalar: G alone must equal log p̃/(kU), constant included, but a %s has no constant term "+
		"(G(0) = 0). So even the read-back exp(G)·k·U is biased. Use the classifier form with its γ (obj=%s), or a model with an output bias.",
		t.obj.Title, info.Phrase(t.spec.Shape()), objective.Cls.Name), "obj=" + objective.Cls.Name
}

func (t *Trainer) scalarName() string {
	if t.obj.EstimatesLogZ {
		return "c"
	}
	return "γ"
}

// tailText spells e^(−|x|^p).
func tailText(p float64) string {
	switch p {
	case 1:
		return "e^(−|x|)"
	case 2:
		return "e^(−x²)"
	case 4:
		return "e^(−x⁴)"
	}
	return "e^(−|x|^" + strconv.FormatFloat(p, 'g', -1, 64) + ")"
}

// ipow returns x^p for a whole p ≥ 0 (the tail powers 1, 2, 4) by
// repeated products, bit-identical everywhere (math.Pow is not).
func ipow(x, p float64) float64 {
	r := 1.0
	for range int(p) {
		r *= x
	}
	return r
}
