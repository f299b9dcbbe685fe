package view

import "nceplay/core/spec"

// A Preset is an experiment that tells one story of docs/math.md.
type Preset struct {
	ID    string // a stable identifier (data-preset in the page)
	Title string
	Story string // one sentence: what to look for
	Query string // the experiment, as a spec query
}

// Presets are the playground's stories, in menu order.
var Presets = []Preset{
	{ID: "quartic", Title: "The quartic (default)", Query: "",
		Story: "Data from p̃ ∝ exp(−x² − x⁴): NCE recovers the density and c converges to log Z ≈ 0.3137 without ever integrating."},
	{ID: "fixed", Title: "Z fixed to 1 (Mnih–Teh)", Query: "model=mlp&units=16&layers=1&norm=fixed&steps=3000",
		Story: "With c held at 0 a flexible model absorbs log Z itself (the mlp's output bias) and comes out normalized, as Mnih & Teh found; switch to poly, which has no constant term, and the mass stays off 1."},
	{ID: "cls", Title: "Classifier form and its kU factor", Query: "obj=cls",
		Story: "σ(G − γ) learns log p̃/(kU): the density comes back only after multiplying by k·U(x) ([E5](docs/math.md#e5))."},
	{ID: "neg", Title: "Negative sampling's bias", Query: "obj=neg",
		Story: "γ fixed to 0: G must absorb −log k by itself; without a constant term the read-back density is biased ([E6](docs/math.md#e6)'s shift)."},
	{ID: "far", Title: "Noise too far: training stalls", Query: "nshift=6",
		Story: "Noise far from the data is trivially easy to reject: the loss is flat near the data and the density barely moves (docs/math.md#noise)."},
	{ID: "k1", Title: "k = 1", Query: "k=1",
		Story: "One noise point per data point: still consistent, but the estimate is noisier and converges more slowly."},
	{ID: "k100", Title: "k = 100", Query: "k=100",
		Story: "Many noise points per data point: the NCE estimator approaches maximum likelihood's efficiency ([E8](docs/math.md#e8))."},
	{ID: "ring", Title: "2D ring with an mlp", Query: "target=ring&model=mlp&units=32&k=8&lr=0.003&steps=3000",
		Story: "A tanh MLP energy learns a ring: watch the ½ contour of the classifier close around the data."},
	{ID: "moons", Title: "2D moons with rbf", Query: "target=moons&model=rbf&units=16&lr=0.05",
		Story: "RBF features on a grid: a model linear in θ, so the NCE loss is convex."},
}

// ApplyPreset returns the preset's experiment with the view-only keys of
// cur kept (layout, speed, theme stay as the user set them).
func ApplyPreset(cur spec.Spec, p Preset) (spec.Spec, error) {
	s, err := spec.Parse(p.Query)
	s.View = cur.View
	return s, err
}

// PresetOf returns the ID of the preset whose experiment s is, or "".
func PresetOf(s spec.Spec) string {
	q := s.ExperimentQuery()
	for _, p := range Presets {
		t, err := spec.Parse(p.Query)
		if err == nil && t.ExperimentQuery() == q {
			return p.ID
		}
	}
	return ""
}
