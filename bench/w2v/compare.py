#!/usr/bin/env python3
"""word2vec training throughput: core/lab/w2v (native, and WebAssembly under
Node.js) against gensim's Cython word2vec, on the same generated corpus,
alternating rounds in one run (docs/architecture.md#benchmarks: this
machine's speed drifts, so only side-by-side ratios mean anything).

Called by bench/w2v/compare.sh (make bench-w2v), which builds the runner
for both targets and writes the corpus with `nceplay run --corpus`.

The unit is (centre, context) pair updates per second, each with k = 5
negatives. gensim shrinks the window at random (an effective window
uniform in 1..window at each position), which gives window + 1 = 3 pairs
per token on average at window 2; ours trains every pair of the window,
2·window = 4 per token. gensim's pair count is computed exactly in
expectation over its random windows, ours is counted.
"""
import argparse
import json
import statistics
import subprocess
import sys
import time


def expected_gensim_pairs(lengths, window):
    """Expected pairs of gensim's skip-gram over sentences of the given
    lengths: at position p of a sentence of length L with effective window
    e (uniform in 1..window), min(e, p) + min(e, L-1-p) pairs."""
    total = 0.0
    for n in lengths:
        for p in range(n):
            total += sum(min(e, p) + min(e, n - 1 - p) for e in range(1, window + 1)) / window
    return total


def run_ours(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rep = json.loads(out)
    return rep["pairs_per_s"], rep["tokens_per_s"], rep


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--spec", required=True, help="the lab's query")
    ap.add_argument("--nceplay", required=True, help="the native runner")
    ap.add_argument("--wasm", required=True, help="the runner built for js/wasm")
    ap.add_argument("--node", required=True)
    ap.add_argument("--execjs", required=True, help="Go's wasm_exec_node.js")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--window", type=int, default=2)
    ap.add_argument("--dim", type=int, default=32)
    ap.add_argument("--negative", type=int, default=5)
    args = ap.parse_args()

    import gensim
    from gensim.models import Word2Vec
    from gensim.models.word2vec_inner import FAST_VERSION

    with open(args.corpus) as f:
        sentences = [line.split() for line in f]
    tokens = sum(len(s) for s in sentences)
    gpairs = expected_gensim_pairs([len(s) for s in sentences], args.window)
    print(f"gensim {gensim.__version__} (Cython FAST_VERSION {FAST_VERSION}), corpus {tokens} tokens "
          f"in {len(sentences)} lines, {len({w for s in sentences for w in s})} words; "
          f"gensim trains {gpairs / tokens:.3f} pairs per token, ours {2 * args.window}")
    if FAST_VERSION < 0:
        sys.exit("gensim has no compiled word2vec here: the comparison would be meaningless")
    model = Word2Vec(sg=1, hs=0, negative=args.negative, window=args.window, vector_size=args.dim,
                     sample=0, min_count=1, workers=1, epochs=1, seed=1)
    model.build_vocab(sentences)

    native_cmd = [args.nceplay, "run", "--json", args.spec]
    wasm_cmd = [args.node, args.execjs, args.wasm, "run", "--json", args.spec]
    rows = {"gensim": [], "native": [], "wasm": []}
    for r in range(args.rounds):
        t = time.perf_counter()
        model.train(sentences, total_examples=len(sentences), epochs=1)
        dt = time.perf_counter() - t
        rows["gensim"].append((gpairs / dt, tokens / dt))
        rows["native"].append(run_ours(native_cmd)[:2])
        rows["wasm"].append(run_ours(wasm_cmd)[:2])
        g, n, w = rows["gensim"][-1][0], rows["native"][-1][0], rows["wasm"][-1][0]
        print(f"round {r + 1}: pairs/s gensim {g / 1e6:.3f} M, ours native {n / 1e6:.3f} M ({n / g:.2f}x), "
              f"ours wasm (Node.js) {w / 1e6:.3f} M ({w / g:.2f}x)")
    med = {k: statistics.median(p for p, _ in v) for k, v in rows.items()}
    medt = {k: statistics.median(t for _, t in v) for k, v in rows.items()}
    ratios_n = [n[0] / g[0] for n, g in zip(rows["native"], rows["gensim"])]
    ratios_w = [w[0] / g[0] for w, g in zip(rows["wasm"], rows["gensim"])]
    print()
    print("| side | pairs/s (median) | tokens/s (median) | vs gensim, per round |")
    print("|---|---|---|---|")
    print(f"| gensim, 1 worker | {med['gensim'] / 1e6:.2f} M | {medt['gensim'] / 1e6:.2f} M | 1 |")
    print(f"| ours, native | {med['native'] / 1e6:.2f} M | {medt['native'] / 1e6:.2f} M | "
          f"{', '.join(f'{x:.2f}' for x in ratios_n)} (median {statistics.median(ratios_n):.2f}x; target >= 1) |")
    print(f"| ours, wasm (Node.js) | {med['wasm'] / 1e6:.2f} M | {medt['wasm'] / 1e6:.2f} M | "
          f"{', '.join(f'{x:.2f}' for x in ratios_w)} (median {statistics.median(ratios_w):.2f}x; target >= 0.5) |")


if __name__ == "__main__":
    main()
