package nce

// The two standard workloads of the core issue, which the benchmarks
// measure (core/nce's BenchmarkW1 and BenchmarkW2, wasm/engine's
// BenchmarkW2Split, the README's speed figures).
//
// Every key that matters for the experiment is spelled out rather than
// left at its default: a changed default must not move the speed figures
// (TestWorkloadsPinned checks it). W1 is the seed experiment as it was
// when the speed targets were set (quartic, poly 4, nce, k = 10) with
// batch 256; W2 is a 2D mlp.
const (
	W1 = "v=1&target=quartic&noise=gauss&nscale=1&nshift=0&model=poly&deg=4&obj=nce&norm=learn" +
		"&k=10&n=10000&batch=256&opt=adam&lr=0.01&sched=const&steps=2000&seed=1"
	W2 = "v=1&target=ring&noise=gauss&nscale=1&nshift=0&model=mlp&units=64&layers=2&obj=nce&norm=learn" +
		"&k=8&n=10000&batch=256&opt=adam&lr=0.001&sched=const&steps=2000&seed=1"
)
