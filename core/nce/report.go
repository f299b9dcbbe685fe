package nce

import (
	"math"
)

// Report is the result object of docs/spec.md#runner's headless runner (`nceplay run
// --json`), also exported by the app as "JSON of the final metrics".
// Numbers that are not finite or not defined are null. Its fields mirror
// Metrics (see there for their meaning), in snake_case.
type Report struct {
	Spec string `json:"spec"`
	// Steps are the steps taken: for a Newton run that stopped by itself,
	// fewer than the spec's.
	Steps int `json:"steps"`
	// Converged is null for the first-order optimizers, which have no
	// convergence test.
	Converged   *bool    `json:"converged"`
	Loss        *float64 `json:"loss"`
	GradNorm    *float64 `json:"grad_norm"`
	HeldOutLoss *float64 `json:"heldout_loss"`
	BayesLoss   *float64 `json:"bayes_loss"`
	ExcessSE    *float64 `json:"excess_se"`
	C           *float64 `json:"c"`
	CNote       string   `json:"c_note,omitempty"`
	Gamma       *float64 `json:"gamma"`
	LogZ        *float64 `json:"logz"`
	LogZTrue    *float64 `json:"logz_true"`
	Mass        *float64 `json:"mass"`
	LogMass     *float64 `json:"log_mass"`
	KL          *float64 `json:"kl"`
	// HeldOutLL and HeldOutN: a data target's held-out log-likelihood
	// per point and its number of points (docs/math.md#no-truth); null
	// and left out for a target with a density. TruthNote says which
	// numbers are null for want of a true density.
	HeldOutLL     *float64  `json:"heldout_ll,omitempty"`
	HeldOutN      int       `json:"heldout_n,omitempty"`
	TruthNote     string    `json:"truth_note,omitempty"`
	Accuracy      *float64  `json:"accuracy"`
	BayesAccuracy *float64  `json:"bayes_accuracy"`
	NoiseFit      string    `json:"noise_fit"`
	Theta         []float64 `json:"theta"`
	ThetaTrue     []float64 `json:"theta_true"`
	// Warnings is never null: [] when there are none.
	Warnings []ReportWarning `json:"warnings"`
	MS       float64         `json:"ms"`
	Error    string          `json:"error,omitempty"`
}

// ReportWarning is a Warning in the report.
type ReportWarning struct {
	Code    string `json:"code"`
	Title   string `json:"title"`
	Message string `json:"message"`
	Fix     string `json:"fix"`
	Cite    string `json:"cite"`
	Panel   string `json:"panel"`
	Final   bool   `json:"final"`
}

// NewReport builds the report of a trainer's current state; ms is the wall
// time the run took, in milliseconds.
func NewReport(t *Trainer, ms float64) Report {
	m := t.Metrics()
	r := Report{
		Spec:          t.spec.ExperimentQuery(),
		Steps:         m.Step,
		Loss:          num(m.Loss),
		GradNorm:      num(m.GradNorm),
		HeldOutLoss:   num(m.HeldOutLoss),
		BayesLoss:     num(m.BayesLoss),
		ExcessSE:      num(m.ExcessSE),
		Gamma:         num(m.Gamma),
		LogZ:          num(m.LogZ),
		LogZTrue:      num(m.LogZTrue),
		Mass:          num(m.Mass),
		LogMass:       num(m.LogMass),
		KL:            num(m.KL),
		HeldOutLL:     num(m.HeldOutLL),
		HeldOutN:      m.HeldOutN,
		TruthNote:     m.TruthNote,
		Accuracy:      num(m.Accuracy),
		BayesAccuracy: num(m.BayesAccuracy),
		NoiseFit:      m.NoiseFit,
		Theta:         m.Theta,
		ThetaTrue:     m.ThetaTrue,
		CNote:         m.CNote,
		Warnings:      []ReportWarning{},
		MS:            math.Round(ms*1000) / 1000,
	}
	if m.HasConvergence {
		c := m.Converged
		r.Converged = &c
	}
	if m.CKnown {
		r.C = num(m.C)
	}
	for _, w := range m.Warnings {
		r.Warnings = append(r.Warnings, ReportWarning(w))
	}
	if t.err != nil {
		r.Error = t.err.Error()
	}
	return r
}

func num(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}
