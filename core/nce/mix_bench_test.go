package nce

import (
	"fmt"
	"testing"
	"time"

	"nceplay/core/density"
)

// BenchmarkMixKL is the mixture noise's benchmark (docs/math.md#e13, the
// README's table): on every 2D target, an mlp (32×2, k = 8, Adam) trained
// against the fitted gauss noise and against mix noises, until the exact
// KL(p̃ ‖ p̂) is at most 0.1 (checked every 100 steps, at most 10000
// steps). Iteration i uses seed i+1; run with -benchtime=3x for three
// seeds. It reports the mean steps and wall time to KL ≤ 0.1 (a run that
// does not get there counts 10000 steps, and "missed" counts them).
func BenchmarkMixKL(b *testing.B) {
	const maxSteps, every, goal = 10000, 100, 0.1
	for _, tg := range density.Targets {
		if tg.Dim != 2 {
			continue
		}
		for _, nz := range []string{"noise=gauss", "noise=mix", "noise=mix&nscale=2"} {
			b.Run(tg.Name+"/"+nz, func(b *testing.B) {
				steps, missed, seed := 0, 0, 0
				var wall time.Duration
				for b.Loop() {
					seed++
					start := time.Now()
					tr := newTrainer(b, fmt.Sprintf("target=%s&model=mlp&k=8&steps=%d&seed=%d&%s", tg.Name, maxSteps, seed, nz))
					for tr.StepCount() < maxSteps {
						if err := tr.Step(every); err != nil {
							b.Fatal(err)
						}
						if tr.Metrics().KL <= goal {
							break
						}
					}
					wall += time.Since(start)
					steps += tr.StepCount()
					if tr.Metrics().KL > goal {
						missed++
					}
				}
				b.ReportMetric(float64(steps)/float64(seed), "steps")
				b.ReportMetric(wall.Seconds()/float64(seed), "s")
				b.ReportMetric(float64(missed), "missed")
			})
		}
	}
}
