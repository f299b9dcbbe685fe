package spec

// A Preset is an experiment that tells one story of docs/math.md: the
// page's preset menu. The engine's tests train every preset and check what
// its story claims (core/nce: TestPresets): a healthy preset ends with no
// warning, one for every 2D target reaches kl ≤ 0.1, and each failure's
// demo ends with exactly the warnings that explain it.
type Preset struct {
	ID    string // a stable identifier
	Title string
	Story string // what to look for, in a sentence or two
	Query string // the experiment, as a spec query
}

// Presets are the playground's stories, in menu order: the 1D stories,
// one experiment per 2D target that learns it (kl ≤ 0.1), then the
// failures the engine warns about.
var Presets = []Preset{
	{ID: "quartic", Title: "The quartic (default)", Query: "",
		Story: "Data from p̃ ∝ exp(−x² − x⁴) against Gaussian noise fitted to them, one noise point per data point: the classifier says " +
			"\"data\" where p̃ > U (0.35 < |x| < 1.01) and \"noise\" elsewhere, and c converges to log Z ≈ 0.3137 without ever integrating."},
	{ID: "k10", Title: "k = 10", Query: "k=10",
		Story: "Ten noise points per data point: the estimate tightens ([E8](docs/math.md#e8)), but now kU > p̃ everywhere, so the classifier never says " +
			"\"data\" and both accuracies are 10/11 for any fit. The held-out loss against its Bayes floor still tells a good fit from a bad one."},
	{ID: "k100", Title: "k = 100", Query: "k=100",
		Story: "Many noise points per data point: the NCE estimator approaches maximum likelihood's efficiency ([E8](docs/math.md#e8))."},
	{ID: "newton", Title: "Newton's method", Query: "opt=newton",
		Story: "Full-batch Newton on the convex loss: no learning rate, the empirical optimum in 7 steps, and it stops there (converged)."},
	{ID: "fixed", Title: "Z fixed to 1 (Mnih–Teh)", Query: "model=mlp&units=16&layers=1&norm=fixed&steps=3000",
		Story: "With c held at 0 a flexible model absorbs log Z itself (the mlp's output bias) and comes out normalized, as Mnih & Teh " +
			"found; switch to poly, which has no constant term, and the engine warns."},
	{ID: "cls", Title: "Classifier form and its kU factor", Query: "obj=cls",
		Story: "σ(G − γ) learns log p̃/(kU): the density comes back only after multiplying by k·U(x) ([E5](docs/math.md#e5))."},
	{ID: "neg", Title: "Negative sampling's bias", Query: "obj=neg&k=10",
		Story: "γ fixed to 0: G must absorb −log kU by itself; a poly has no constant term, so the read-back density is biased " +
			"([E6](docs/math.md#e6)'s shift) — by log 10 here, enough to wreck the fit."},
	{ID: "far", Title: "Noise too far: training stalls", Query: "nshift=6",
		Story: "Noise far from the data is easy to reject: the loss is flat near the data and the density barely moves (kl 0.57 after " +
			"2000 steps; [choosing the noise](docs/math.md#noise))."},

	{ID: "gauss2d", Title: "2D: a correlated Gaussian", Query: "target=gauss2d&nscale=1.5&k=8",
		Story: "A quadratic energy is the exact family of a 2D Gaussian: NCE recovers its correlation. The noise is 1.5 times " +
			"the data's spread on each axis, so that along the diagonal, where the correlated data reach furthest, its tails are " +
			"still as heavy as theirs."},
	{ID: "ring", Title: "2D: a ring with an mlp", Query: "target=ring&model=mlp&units=32&k=8&lr=0.005&steps=4000&sched=cosine",
		Story: "A tanh MLP energy learns eight modes on a circle: watch the ½ contour of the classifier close around them. The cosine " +
			"schedule lets the run end at rest."},
	{ID: "moons", Title: "2D: moons with rbf", Query: "target=moons&model=rbf&units=16&lr=0.05&sched=cosine",
		Story: "RBF features on a grid: a model linear in θ, so the NCE loss is convex."},
	{ID: "spiral", Title: "2D: a spiral", Query: "target=spiral&model=mlp&units=32&k=8&lr=0.01&steps=3000&sched=cosine",
		Story: "A thin curve: the MLP needs more steps than the default; the loss against its Bayes floor shows how much is left."},
	{ID: "checker", Title: "2D: a checkerboard", Query: "target=checker&model=rbf&units=32&k=8&lr=0.1&steps=4000&sched=cosine",
		Story: "A density with jumps: a smooth energy needs many features (32² RBF bumps, the most allowed) and more steps to sharpen " +
			"the squares' edges."},
	{ID: "mix", Title: "2D: noise fitted to the data (mix)", Query: "target=spiral&noise=mix&nscale=1.5&model=rbf&units=12&n=3000&opt=newton",
		Story: "A Gaussian mixture fitted to the data by EM ([E13](docs/math.md#e13)), each component 1.5 times wider, as the noise: " +
			"Newton's exact optimum on the same data ends at kl 0.028 in 8 steps, against 0.057 in 14 with the default Gaussian noise: " +
			"noise close to the data makes the estimate more efficient ([E8](docs/math.md#e8))."},

	{ID: "light-tails", Title: "Noise with lighter tails than the data", Query: "target=laplace",
		Story: "Gaussian noise against Laplace data: far out the data meet no noise, the quartic fit ends in a positive x⁴ term and " +
			"cannot be normalized, while c looks fine. Follow the warnings' fixes."},
	{ID: "narrow", Title: "Noise narrower than the data", Query: "nscale=0.1",
		Story: "The data's outer points meet no noise: the classifier is as good as Bayes's where the noise is, and the density is wrong everywhere else."},
	{ID: "separable", Title: "Separable: no optimum", Query: "nshift=10&opt=newton",
		Story: "Data and noise do not overlap: the loss falls towards 0 as θ grows without bound. Newton stops at the certificate instead of running off."},
}
