#!/usr/bin/env python3
"""Check that gensim reads the word vectors `nceplay run --vectors FILE`
writes (word2vec's text format): gensim.models.KeyedVectors.
load_word2vec_format(FILE, binary=False) must give the file's words in its
order and its numbers as float32, each within float32's rounding of the
value the file holds (|gensim - x| <= 2^-24 |x|; the runner writes each
coordinate as the shortest text that reads back as the same float32).

Run by bench/w2v/compare.sh (make bench-w2v) on the benchmark's vectors,
and by cmd/nceplay's TestVectorsGensim, which passes --json to get the
vectors gensim read and compares them with the trainer's own.
Exit status 1 on a mismatch, with the first one named.
"""
import argparse
import json
import sys


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("vectors", help="a file written by nceplay run --vectors")
    ap.add_argument("--json", action="store_true", help="print what gensim read as JSON")
    args = ap.parse_args()

    from gensim.models import KeyedVectors

    kv = KeyedVectors.load_word2vec_format(args.vectors, binary=False)
    with open(args.vectors, encoding="utf-8") as f:
        n, dim = map(int, f.readline().split())
        rows = [line.split(" ") for line in f.read().splitlines()]
    words = [r[0] for r in rows]
    bad = []
    if len(rows) != n or len(kv.index_to_key) != n or kv.vector_size != dim:
        bad.append("header %d %d, %d rows in the file; gensim read %d words of %d" % (n, dim, len(rows), len(kv.index_to_key), kv.vector_size))
    if list(kv.index_to_key) != words:
        bad.append("gensim's words %s differ from the file's %s" % (kv.index_to_key[:5], words[:5]))
    worst = 0.0
    for i, r in enumerate(rows):
        if bad:
            break
        if len(r) != dim + 1:
            bad.append("row %d (%s) has %d numbers, not %d" % (i, r[0], len(r) - 1, dim))
            break
        for j, text in enumerate(r[1:]):
            x, g = float(text), float(kv.vectors[i][j])
            d = abs(g - x)
            worst = max(worst, d)
            if d > abs(x) * 2.0 ** -24:
                bad.append("%s[%d]: gensim %r, the file %s" % (r[0], j, g, text))
                break
    if bad:
        print("gensim does not read the vectors as written: " + bad[0], file=sys.stderr)
        sys.exit(1)
    if args.json:
        json.dump({"words": list(kv.index_to_key), "vectors": kv.vectors.astype(float).tolist()}, sys.stdout)
    else:
        print("gensim read %s: %d words of %d, max |gensim - file| = %.3g (float32 rounding)" % (args.vectors, n, dim, worst))


if __name__ == "__main__":
    main()
