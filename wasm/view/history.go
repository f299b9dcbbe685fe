package view

import (
	"math"
	"strconv"
	"strings"

	"nceplay/wasm/wire"
)

// MaxHistory is the number of points a History keeps; beyond it, every
// other point is dropped (the curves keep their shape at any length).
const MaxHistory = 2000

// A Sample is the metrics of one frame that the Curves panel plots.
type Sample struct {
	Step               int
	Loss, C, LogZ, KL  float64
	Accuracy, BayesAcc float64
	LogZTrue           float64 // NaN when the target's log Z is not known
	Mass               float64
	LogMass            float64 // log ∫ p̂, finite where Mass overflows
	// HeldOut is the objective's expected value (nce.Metrics.HeldOutLoss)
	// and Bayes its floor (BayesLoss); HeldOut − Bayes is the excess loss
	// of docs/math.md#e9.
	HeldOut, Bayes float64
	// HeldOutLL is, on the user's own data, the read-back density's mean
	// log-likelihood over the held-out points (docs/math.md#no-truth).
	HeldOutLL float64
}

// Excess is the sample's excess loss, held-out minus Bayes
// (docs/math.md#e9).
func (s Sample) Excess() float64 { return s.HeldOut - s.Bayes }

// History is the sequence of samples of one run, in step order, and the
// run's experiment (for the CSV).
type History struct {
	S    []Sample
	Spec string // the run's experiment query (spec.Spec.ExperimentQuery)
	// NoC says that the run's objective has no estimate of log Z
	// (objective.EstimatesLogZ and ExactLogZ false: cls, neg, rank): the
	// Curves panel plots the read-back's log mass instead of c against
	// log Z.
	NoC bool
	// NoTruth says that the run is on the user's own data (a data
	// target): no Bayes floor, KL or Bayes accuracy; the Curves panel
	// plots the held-out log-likelihood in the KL's place.
	NoTruth bool
	stride  int // when thinned: keep the samples at multiples of stride
}

// Add appends a sample. A sample whose step is not after the last one
// replaces the last when its step is the same and is dropped otherwise;
// a sample off the stride's grid (a pause or a single step) replaces a
// last sample that is off the grid too, so that only the newest such
// sample is kept.
func (h *History) Add(s Sample) {
	if h.stride == 0 {
		h.stride = 1
	}
	n := len(h.S)
	if n > 0 {
		last := h.S[n-1].Step
		if s.Step <= last {
			if s.Step == last {
				h.S[n-1] = s
			}
			return
		}
		if n > 1 && last%h.stride != 0 {
			h.S[n-1] = s
			return
		}
	}
	h.S = append(h.S, s)
	for len(h.S) >= MaxHistory {
		h.stride = wire.NextStride(h.stride)
		last := len(h.S) - 1
		kept := h.S[:0]
		for i, x := range h.S {
			if x.Step%h.stride == 0 || i == last {
				kept = append(kept, x)
			}
		}
		h.S = kept
	}
}

// Reset empties the history.
func (h *History) Reset() { h.S, h.stride = h.S[:0], 1 }

// Column returns one metric of every sample.
func (h *History) Column(f func(Sample) float64) (steps, vals []float64) {
	steps, vals = make([]float64, len(h.S)), make([]float64, len(h.S))
	for i, s := range h.S {
		steps[i], vals[i] = float64(s.Step), f(s)
	}
	return steps, vals
}

// Every returns the finest stride of the chain (wire.NextStride) at whose
// every multiple, from step 0 to the last one measured, the history
// holds a sample: the CSV's uniform step.
func (h *History) Every() int {
	n := len(h.S)
	if n == 0 {
		return 1
	}
	last := h.S[n-1].Step
	g := max(h.stride, 1)
	for ; g <= last; g = wire.NextStride(g) {
		want := 0
		for _, s := range h.S {
			if s.Step == want {
				want += g
			} else if s.Step > want {
				break
			}
		}
		if want > last {
			return g
		}
	}
	return g
}

// CSV returns the history as comma-separated values: two comment lines
// naming the experiment and the step, a header line, and one row per
// multiple of Every (uniform steps from 0); undefined values are empty
// fields.
func (h *History) CSV() string {
	var b strings.Builder
	q := h.Spec
	if q == "" {
		q = "(the defaults)"
	}
	every := h.Every()
	b.WriteString("# NCE Playground spec: " + q + "\n")
	b.WriteString("# one row every " + strconv.Itoa(every) + " steps; metrics exact by quadrature (docs/math.md#metrics)\n")
	b.WriteString("step,loss,c,logz,logz_true,mass,kl,accuracy,bayes_accuracy,heldout_loss,bayes_loss,log_mass\n")
	f := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	for _, s := range h.S {
		if s.Step%every != 0 {
			continue
		}
		b.WriteString(strconv.Itoa(s.Step))
		for _, v := range []float64{s.Loss, s.C, s.LogZ, s.LogZTrue, s.Mass, s.KL, s.Accuracy, s.BayesAcc, s.HeldOut, s.Bayes, s.LogMass} {
			b.WriteByte(',')
			b.WriteString(f(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// PlainJSON undoes encoding/json's HTML escapes (\u0026, \u003c, \u003e)
// in a JSON text: the report is a download, not HTML, and its spec reads
// "k=8&target=ring", not "k=8\u0026target=ring". Other escapes are kept.
func PlainJSON(s string) string {
	if !strings.Contains(s, "\\u00") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if i+5 < len(s) && s[i+1] == 'u' {
			switch s[i+2 : i+6] {
			case "0026":
				b.WriteByte('&')
				i += 5
				continue
			case "003c":
				b.WriteByte('<')
				i += 5
				continue
			case "003e":
				b.WriteByte('>')
				i += 5
				continue
			}
		}
		b.WriteString(s[i : i+2]) // an escape pair, such as \\ or \"
		i++
	}
	return b.String()
}
