package density_test

import (
	"fmt"
	"math/rand/v2"

	"nceplay/core/density"
)

// Draw a data set from a target, fit the default noise to it, and try a
// uniform noise too narrow to cover the target (docs/math.md#noise).
func ExampleFitNoise() {
	target, err := density.NewTarget("moons")
	if err != nil {
		panic(err)
	}
	r := rand.New(rand.NewPCG(1, 0))
	data := make([]float64, 1000*target.Dim())
	for i := 0; i < len(data); i += target.Dim() {
		target.Sample(r, data[i:i+target.Dim()])
	}
	noise, err := density.FitNoise("gauss", data, target.Dim(), density.NoiseParams{NScale: 1}, target.Box())
	fmt.Println(noise, err)

	_, err = density.FitNoise("uniform", data, target.Dim(), density.NoiseParams{NScale: 0.5}, target.Box())
	fmt.Println(err)
	// Output:
	// gauss(mean (0.01, -0.02), sd (1.31, 0.73)) <nil>
	// noise: uniform noise covers x ∈ [-1.5, 1.51] but the target has mass on x ∈ [-3, 3]; NCE needs U > 0 wherever p̃ > 0 — use nscale ≥ 1
}
