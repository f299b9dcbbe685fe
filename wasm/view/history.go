package view

import (
	"math"
	"strconv"
	"strings"
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
}

// History is the sequence of samples of one run, in step order.
type History struct {
	S      []Sample
	stride int // keep one sample every stride steps
}

// Add appends a sample (one with a step not after the last one replaces
// nothing and is dropped, unless History is empty).
func (h *History) Add(s Sample) {
	if h.stride == 0 {
		h.stride = 1
	}
	if n := len(h.S); n > 0 {
		last := h.S[n-1].Step
		if s.Step <= last {
			if s.Step == last {
				h.S[n-1] = s
			}
			return
		}
		if n > 1 && s.Step-h.S[n-2].Step < h.stride {
			h.S[n-1] = s // within the stride: keep the newest
			return
		}
	}
	h.S = append(h.S, s)
	if len(h.S) >= MaxHistory {
		h.stride *= 2
		kept := h.S[:1]
		for _, x := range h.S[1:] {
			if x.Step-kept[len(kept)-1].Step >= h.stride || x.Step == h.S[len(h.S)-1].Step {
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

// CSV returns the history as comma-separated values with a header line;
// undefined values are empty fields.
func (h *History) CSV() string {
	var b strings.Builder
	b.WriteString("step,loss,c,logz,logz_true,mass,kl,accuracy,bayes_accuracy\n")
	f := func(v float64) string {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return ""
		}
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	for _, s := range h.S {
		b.WriteString(strconv.Itoa(s.Step))
		for _, v := range []float64{s.Loss, s.C, s.LogZ, s.LogZTrue, s.Mass, s.KL, s.Accuracy, s.BayesAcc} {
			b.WriteByte(',')
			b.WriteString(f(v))
		}
		b.WriteByte('\n')
	}
	return b.String()
}
