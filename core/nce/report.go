package nce

import (
	"math"
)

// Report is the result object of docs/spec.md#runner's headless runner (`nceplay run
// --json`), also exported by the app as "JSON of the final metrics".
// Numbers that are not finite or not defined are null.
type Report struct {
	Spec          string    `json:"spec"`
	Steps         int       `json:"steps"`
	Loss          *float64  `json:"loss"`
	C             *float64  `json:"c"`
	CNote         string    `json:"c_note,omitempty"`
	LogZ          *float64  `json:"logz"`
	LogZTrue      *float64  `json:"logz_true"`
	Mass          *float64  `json:"mass"`
	KL            *float64  `json:"kl"`
	Accuracy      *float64  `json:"accuracy"`
	BayesAccuracy *float64  `json:"bayes_accuracy"`
	Theta         []float64 `json:"theta"`
	ThetaTrue     []float64 `json:"theta_true"`
	MS            float64   `json:"ms"`
	Error         string    `json:"error,omitempty"`
}

// NewReport builds the report of a trainer's current state; ms is the wall
// time the run took, in milliseconds.
func NewReport(t *Trainer, ms float64) Report {
	m := t.Metrics()
	r := Report{
		Spec:          t.spec.ExperimentQuery(),
		Steps:         m.Step,
		Loss:          num(m.Loss),
		LogZ:          num(m.LogZ),
		LogZTrue:      num(m.LogZTrue),
		Mass:          num(m.Mass),
		KL:            num(m.KL),
		Accuracy:      num(m.Accuracy),
		BayesAccuracy: num(m.BayesAccuracy),
		Theta:         m.Theta,
		ThetaTrue:     m.ThetaTrue,
		CNote:         m.CNote,
		MS:            math.Round(ms*1000) / 1000,
	}
	if m.CKnown {
		r.C = num(m.C)
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
