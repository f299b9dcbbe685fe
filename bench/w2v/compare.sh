#!/usr/bin/env bash
# make bench-w2v: the word2vec lab's training throughput against gensim's
# Cython word2vec (Debian's python3-gensim, installed if missing), on the
# same generated corpus of 10^6 tokens over 200 words (skip-gram, k = 5
# negatives, window 2, dim 32, sample 0, one worker, one epoch), natively
# and in WebAssembly under Node.js, alternating rounds in one run
# (bench/w2v/compare.py). ROUNDS=5 for more rounds. First, gensim must
# read the vectors the runner writes (--vectors) as written
# (bench/w2v/check_vectors.py; cmd/nceplay's TestVectorsGensim does the
# same against the trainer's own vectors).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3 # Debian's python, which python3-gensim installs into
if ! "$PY" -c 'import gensim' 2>/dev/null; then
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y python3-gensim
fi
SPEC='lab=w2v&vocab=200&tokens=1000000&window=2&dim=32&k=5&epochs=1'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/nceplay" ./cmd/nceplay
GOOS=js GOARCH=wasm go build -o "$tmp/nceplay.wasm" ./cmd/nceplay
"$tmp/nceplay" run --json --corpus "$tmp/corpus.txt" --vectors "$tmp/vectors.txt" "$SPEC" >/dev/null
"$PY" bench/w2v/check_vectors.py "$tmp/vectors.txt"
node=$(command -v node)
execjs="$(go env GOROOT)/lib/wasm/wasm_exec_node.js"
"$PY" bench/w2v/compare.py --corpus "$tmp/corpus.txt" --rounds "${ROUNDS:-3}" --spec "$SPEC" \
	--nceplay "$tmp/nceplay" --wasm "$tmp/nceplay.wasm" --node "$node" --execjs "$execjs"
