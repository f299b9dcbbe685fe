package dataset

import (
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"nceplay/core/density"
	"nceplay/core/nce"
	"nceplay/core/spec"
)

func mustSpec(t *testing.T, q string) spec.Spec {
	t.Helper()
	s, err := spec.Parse(q)
	if err != nil {
		t.Fatalf("Parse(%q): %v", q, err)
	}
	return s
}

// train builds the trainer of the query and runs its steps.
func train(t *testing.T, q string) (*nce.Trainer, nce.Metrics) {
	t.Helper()
	tr, err := NewTrainer(mustSpec(t, q), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Step(tr.Spec().Steps); err != nil {
		t.Fatal(err)
	}
	return tr, tr.Metrics()
}

// gaussPoints draws n points of N(0, 1) (all inside [−5, 5] for this
// seed; a draw outside fails the test).
func gaussPoints(t *testing.T, n int, seed uint64) []float64 {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 77))
	pts := make([]float64, n)
	for i := range pts {
		pts[i] = density.Normal(r)
	}
	if err := density.CheckData(pts, 1); err != nil {
		t.Fatal(err)
	}
	return pts
}

// TestDataTheory runs data drawn from a known target (gauss) through the
// data path (docs/math.md#no-truth): NCE with Newton's method on the
// quadratic poly, 20,000 points, the held-out fifth 4,000.
//
//   - The held-out log-likelihood estimates −h(N(0, 1)) = −½log(2πe) =
//     −1.41894 minus the fitted density's KL from the truth. The points' log
//     p(x) = −x²/2 − log√(2π) has standard deviation √(½) ≈ 0.707, so the
//     mean of 4,000 has a standard error of 0.0112; the fit's KL is
//     about P/(2n) ≈ 3/32,000 ≈ 10⁻⁴. Tolerance: 4 standard errors, 0.045.
//   - c against the model's own log Z by quadrature: at NCE's optimum
//     on the sample they differ by the estimation error of c, of order
//     1/√n ≈ 0.008 (the same spread as c over seeds for the default
//     quartic, 0.019 at n = 10,000; math.md#e4). Tolerance 0.05.
//   - The metrics that need p̃ are NaN (null in the report), with the note.
func TestDataTheory(t *testing.T) {
	pts := gaussPoints(t, 20000, 1)
	s := mustSpec(t, "model=poly&deg=2&k=4&opt=newton&steps=50")
	s.Target = density.DataTarget(1).Name
	tr, err := NewTrainer(s, pts)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Step(50); err != nil {
		t.Fatal(err)
	}
	m := tr.Metrics()
	t.Logf("heldout_ll %.5f (n %d), c %.5f, logz %.5f, mass %.5f, acc %.4f, theta %v", m.HeldOutLL, m.HeldOutN, m.C, m.LogZ, m.Mass, m.Accuracy, m.Theta)
	negH := -0.5 * (math.Log(2*math.Pi) + 1)
	if m.HeldOutN != 4000 || math.Abs(m.HeldOutLL-negH) > 0.045 {
		t.Errorf("held-out log-likelihood %.4f over %d points, want −h = %.4f ± 0.045 over 4000", m.HeldOutLL, m.HeldOutN, negH)
	}
	if math.Abs(m.C-m.LogZ) > 0.05 {
		t.Errorf("c = %.4f, log Z = %.4f: differ by more than 0.05", m.C, m.LogZ)
	}
	// The true log Z of −x²/2 is log √(2π) = 0.919: the poly's c finds it.
	if math.Abs(m.LogZ-0.5*math.Log(2*math.Pi)) > 0.05 {
		t.Errorf("log Z = %.4f, want log √(2π) = 0.919 ± 0.05", m.LogZ)
	}
	for name, v := range map[string]float64{"kl": m.KL, "bayes_accuracy": m.BayesAccuracy, "bayes_loss": m.BayesLoss, "logz_true": m.LogZTrue} {
		if !math.IsNaN(v) {
			t.Errorf("%s = %g, want undefined (NaN) without a true density", name, v)
		}
	}
	if m.TruthNote == "" || m.ThetaTrue != nil {
		t.Errorf("note %q, theta_true %v", m.TruthNote, m.ThetaTrue)
	}
	if !(m.Accuracy > 0.5 && m.Accuracy < 1) || math.IsNaN(m.HeldOutLoss) {
		t.Errorf("accuracy %g, held-out loss %g", m.Accuracy, m.HeldOutLoss)
	}
	r := nce.NewReport(tr, 0)
	if r.KL != nil || r.BayesAccuracy != nil || r.HeldOutLL == nil || !strings.Contains(r.Spec, "datafile="+ID(pts, 1)) {
		t.Errorf("report: kl %v bayes %v heldout_ll %v spec %q", r.KL, r.BayesAccuracy, r.HeldOutLL, r.Spec)
	}
}

// TestDataLink: a data set in the link (the data key) trains, the same
// link gives the same numbers, and the training set excludes the
// held-out fifth.
func TestDataLink(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	pts := make([]float64, 0, 600*2)
	x := make([]float64, 2)
	for len(pts) < cap(pts) {
		density.Ring{}.Sample(r, x)
		pts = append(pts, x...)
	}
	v, err := Encode(pts, 2)
	if err != nil {
		t.Fatal(err)
	}
	q := "target=data2d&model=mlp&units=16&k=4&steps=200&data=" + v
	tr1, m1 := train(t, q)
	_, m2 := train(t, q)
	if m1.Loss != m2.Loss || m1.HeldOutLL != m2.HeldOutLL || math.IsNaN(m1.HeldOutLL) {
		t.Errorf("same link, different numbers: %v %v / %v %v", m1.Loss, m2.Loss, m1.HeldOutLL, m2.HeldOutLL)
	}
	if n := len(tr1.Data()) / 2; n != 480 || m1.HeldOutN != 120 {
		t.Errorf("training %d, held out %d; want 480 and 120", n, m1.HeldOutN)
	}
	if got := tr1.Spec().ExperimentQuery(); got != q {
		t.Errorf("the trainer's query %q, want the link's %q", got, q)
	}
}

// TestDataFileNeeded: a link naming a data file does not run without it,
// and says which file; a file with other points is refused.
func TestDataFileNeeded(t *testing.T) {
	pts := gaussPoints(t, 100, 2)
	id := ID(pts, 1)
	s := mustSpec(t, "target=data&datafile="+id)
	_, err := NewTrainer(s, nil)
	var need *nce.NeedsFileError
	if !errors.As(err, &need) || need.N != 100 || !strings.Contains(err.Error(), "needs data file "+id+" (100 points)") {
		t.Fatalf("New without the file: %v", err)
	}
	if _, err := NewTrainer(s, pts); err != nil {
		t.Error(err)
	}
	pts[5] += 0.001
	if _, err := NewTrainer(s, pts); err == nil || !strings.Contains(err.Error(), "not the "+id) {
		t.Errorf("other points: %v", err)
	}
	if _, err := NewTrainer(mustSpec(t, ""), pts); err == nil {
		t.Error("a file for a target with a density accepted")
	}
}
