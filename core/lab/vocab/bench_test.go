package vocab

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

// benchVocabs are the vocabulary sizes of BenchmarkScaling: the issue's
// 5,000 to 100,000.
var benchVocabs = []int{5000, 10000, 20000, 50000, 100000}

// benchObjs are its objectives: the full softmax, and NCE (norm=fixed,
// the default) at k = 10 and k = 25; dim 32 and 200 contexts, the
// defaults.
var benchObjs = []string{"obj=mle", "k=10", "k=25"}

// sliceWork is the multiply-adds of a timed slice (Spec.StepWork × its
// steps): tens of milliseconds.
const sliceWork = 1 << 23

// BenchmarkScaling measures the time per training step against V
// (make bench-vocab; docs/spec.md#lab-vocab): every iteration is one
// round that times a slice of each (objective, V) in turn on its Probe,
// so that the machine's drifting speed touches every configuration
// alike, and the figures are medians over the rounds of each round's
// ms per step and of each round's ratios. allocs/op counts a whole round
// of warm steps and must be 0. Targets (the issue's): NCE's time per step
// within 1.5× from V = 5,000 to 100,000 (flat), the softmax's growing
// about linearly, softmax/NCE(k = 10) ≥ 10 at V = 50,000.
func BenchmarkScaling(b *testing.B) {
	type cfg struct {
		obj   string
		vocab int
		p     *Probe
		n     int
		ms    []float64 // per round
	}
	var cfgs []*cfg
	for _, o := range benchObjs {
		for _, v := range benchVocabs {
			s := mustParse(b, fmt.Sprintf("vocab=%d&%s", v, o))
			p, err := NewProbe(s)
			if err != nil {
				b.Fatal(err)
			}
			n := max(1, int(sliceWork/s.StepWork()))
			p.Step(n) // warm
			cfgs = append(cfgs, &cfg{obj: o, vocab: v, p: p, n: n, ms: make([]float64, 0, 1024)})
		}
	}
	find := func(obj string, v int) *cfg {
		for _, c := range cfgs {
			if c.obj == obj && c.vocab == v {
				return c
			}
		}
		return nil
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, c := range cfgs {
			start := time.Now()
			c.p.Step(c.n)
			c.ms = append(c.ms, time.Since(start).Seconds()*1000/float64(c.n))
		}
	}
	b.StopTimer()
	// Per-round ratios, then medians.
	ratio := func(a, c *cfg) float64 {
		r := make([]float64, len(a.ms))
		for i := range r {
			r[i] = a.ms[i] / c.ms[i]
		}
		return median(r)
	}
	var tab strings.Builder
	fmt.Fprintf(&tab, "ms per step, median of %d rounds\n%-8s", len(cfgs[0].ms), "V")
	for _, o := range benchObjs {
		fmt.Fprintf(&tab, " %12s", o)
	}
	fmt.Fprintf(&tab, " %12s\n", "mle/k=10")
	for _, v := range benchVocabs {
		fmt.Fprintf(&tab, "%-8d", v)
		for _, o := range benchObjs {
			fmt.Fprintf(&tab, " %12.5f", median(find(o, v).ms))
		}
		fmt.Fprintf(&tab, " %12.1f\n", ratio(find("obj=mle", v), find("k=10", v)))
	}
	lo, hi := benchVocabs[0], benchVocabs[len(benchVocabs)-1]
	flat10 := ratio(find("k=10", hi), find("k=10", lo))
	flat25 := ratio(find("k=25", hi), find("k=25", lo))
	growth := ratio(find("obj=mle", hi), find("obj=mle", lo))
	at50k := ratio(find("obj=mle", 50000), find("k=10", 50000))
	fmt.Fprintf(&tab, "V=%d/V=%d: NCE k=10 %.2f, k=25 %.2f (target ≤ 1.5), softmax %.1f (linear %.0f); softmax/NCE k=10 at V=50000: %.0f (target ≥ 10)",
		hi, lo, flat10, flat25, growth, float64(hi)/float64(lo), at50k)
	b.Log("\n" + tab.String())
	b.ReportMetric(flat10, "nce-flatness")
	b.ReportMetric(growth, "softmax-growth")
	b.ReportMetric(at50k, "softmax/nce@50k")
	b.ReportMetric(median(find("k=10", 20000).ms), "ms/step-nce@20k")
	b.ReportMetric(median(find("obj=mle", 20000).ms), "ms/step-softmax@20k")
}

func median(x []float64) float64 {
	y := slices.Clone(x)
	slices.Sort(y)
	n := len(y)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return y[n/2]
	}
	return (y[n/2-1] + y[n/2]) / 2
}
