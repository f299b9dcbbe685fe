package nce

import (
	"nceplay/core/density"
	"slices"
	"strings"
	"testing"

	"nceplay/core/spec"
)

// presetWarns are the warnings the failure demos among spec.Presets must
// end with; every other preset must end with none.
var presetWarns = map[string][]string{
	"neg":         {WarnNoFreeConstant, WarnNotNormalizable, WarnMassOff},
	"light-tails": {WarnLightTails, WarnNotNormalizable, WarnMassOff},
	"narrow":      {WarnNotNormalizable, WarnMassOff},
	"separable":   {WarnSeparable, WarnMassOff},
}

// TestPresets trains every preset and checks its story: exactly the
// warnings it demonstrates (none for a healthy one), kl ≤ 0.1 for the
// experiment of each 2D target (the bar: the fitted noise alone is
// at kl ≈ 1–3 from these targets, a missed mode costs ≥ 0.1), Newton's 7
// steps, and the stalled run's kl.
func TestPresets(t *testing.T) {
	slow(t)
	ids := map[string]bool{}
	targets2D := map[string]bool{}
	for _, p := range spec.Presets {
		if ids[p.ID] || p.Title == "" || !strings.HasSuffix(p.Story, ".") {
			t.Errorf("preset %+v", p)
		}
		ids[p.ID] = true
		t.Run(p.ID, func(t *testing.T) {
			tr, m := train(t, p.Query)
			if got := codes(m.Warnings); !slices.Equal(got, presetWarns[p.ID]) {
				t.Errorf("warnings %v, want %v", got, presetWarns[p.ID])
			}
			if tr.dim == 2 && presetWarns[p.ID] == nil {
				targets2D[tr.spec.Target] = true
				if m.KL > 0.1 {
					t.Errorf("kl = %.4f, want ≤ 0.1", m.KL)
				}
			}
			switch p.ID {
			case "newton":
				if !m.Converged || m.Step != 7 {
					t.Errorf("newton: converged %v in %d steps; the story says 7", m.Converged, m.Step)
				}
			case "far":
				if m.KL < 0.3 {
					t.Errorf("far: kl = %.3f; the story says it stalls", m.KL)
				}
			case "mix":
				// The story: against the default Gaussian noise on the same
				// data, the mixture's optimum is clearly closer to p̃.
				_, g := train(t, strings.Replace(p.Query, "noise=mix&nscale=1.5&", "", 1))
				if !(m.KL < 0.6*g.KL) || !m.Converged || !(m.Step < g.Step) {
					t.Errorf("mix: kl %.4f in %d steps, gauss noise %.4f in %d; the story says clearly lower, in fewer steps", m.KL, m.Step, g.KL, g.Step)
				}
			case "k10":
				if m.Accuracy != 10.0/11 || m.BayesAccuracy != 10.0/11 {
					t.Errorf("k10: accuracies %v, %v; the story says 10/11", m.Accuracy, m.BayesAccuracy)
				}
			}
		})
	}
	for _, tg := range spec.Lookup("target").Values {
		if ti, _ := density.LookupTarget(tg); ti.Data {
			continue // a data set of the user's: no preset
		}
		if info := spec.Lookup("target"); info.Dims[slices.Index(info.Values, tg)] == 2 && !targets2D[tg] {
			t.Errorf("no healthy preset for the 2D target %s", tg)
		}
	}
}
