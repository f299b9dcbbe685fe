package nce_test

import (
	"fmt"

	"nceplay/core/nce"
	"nceplay/core/spec"
)

// Train the seed example — NCE on p̃ ∝ exp(−x² − x⁴) — and compare the
// learned normalizer c with log Z: the model's own (by quadrature) and the
// true one (docs/math.md#partition-function).
func Example() {
	s, err := spec.Parse("steps=1000")
	if err != nil {
		panic(err)
	}
	tr, err := nce.New(s)
	if err != nil {
		panic(err)
	}
	if err := tr.Step(s.Steps); err != nil {
		panic(err)
	}
	m := tr.Metrics()
	fmt.Printf("step %d: c = %.3f, model log Z = %.3f, true log Z = %.4f, kl = %.4f\n", m.Step, m.C, m.LogZ, m.LogZTrue, m.KL)
	// Output: step 1000: c = 0.294, model log Z = 0.302, true log Z = 0.3137, kl = 0.0002
}

// Split a step across two replicas, as two browser workers do: each
// computes one shard's gradient, and both apply the same pair.
func ExampleTrainer_ShardGradient() {
	s, err := spec.Parse("target=ring&model=mlp&units=8&k=4&batch=64")
	if err != nil {
		panic(err)
	}
	a, err := nce.New(s)
	if err != nil {
		panic(err)
	}
	b, err := nce.New(s)
	if err != nil {
		panic(err)
	}
	la, ga := a.ShardGradient(0) // on worker A
	lb, gb := b.ShardGradient(1) // on worker B
	losses := [nce.NumShards]float64{la, lb}
	grads := [nce.NumShards][]float64{append([]float64(nil), ga...), append([]float64(nil), gb...)}
	a.ApplyShards(losses, grads)
	b.ApplyShards(losses, grads)
	fmt.Println(a.Theta()[0] == b.Theta()[0], a.StepCount(), b.StepCount())
	// Output: true 1 1
}
