#!/usr/bin/env python3
"""Side-by-side peer: datasketch's MinHash + MinHashLSH as a new user would
run it (128 permutations, word 3-grams, threshold 0.5), on the same JSONL
corpus reprint indexes. Signing is timed twice: one update() call per
shingle, the way datasketch's README shows it, and one update_batch() call
per document, its faster batch API. Prints seconds for each, for LSH
insertion and the candidate query pass, and the count of candidate pairs.

Usage: PYTHONPATH=DATASKETCH_CHECKOUT peer_datasketch.py CORPUS.jsonl
Needs numpy and scipy (Debian: python3-numpy python3-scipy)."""
import json
import resource
import sys
import time

from datasketch import MinHash, MinHashLSH


def shingles(text, k=3):
    words = text.lower().split()
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + k]) for i in range(len(words) - k + 1)}


def main():
    docs = []
    nbytes = 0
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            docs.append((rec["id"], rec["text"]))
            nbytes += len(rec["text"].encode("utf-8"))
    t = time.perf_counter()
    for doc_id, text in docs:
        m = MinHash(num_perm=128)
        for s in shingles(text):
            m.update(s.encode("utf-8"))
    sign_each = time.perf_counter() - t
    t0 = time.perf_counter()
    sigs = []
    for doc_id, text in docs:
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        sigs.append((doc_id, m))
    t1 = time.perf_counter()
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    for doc_id, m in sigs:
        lsh.insert(doc_id, m)
    t2 = time.perf_counter()
    pairs = set()
    for doc_id, m in sigs:
        for other in lsh.query(m):
            if other != doc_id:
                pairs.add((min(doc_id, other), max(doc_id, other)))
    t3 = time.perf_counter()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"datasketch: {len(docs)} articles, {nbytes} bytes of text")
    print(f"datasketch sign, update() per shingle: {sign_each:.2f} s "
          f"({nbytes / sign_each / 1e6:.2f} MB/s)")
    print(f"datasketch sign, update_batch() per document: {t1 - t0:.2f} s "
          f"({nbytes / (t1 - t0) / 1e6:.2f} MB/s)")
    print(f"datasketch LSH insert: {t2 - t1:.2f} s; query all: {t3 - t2:.2f} s; "
          f"candidate pairs: {len(pairs)}")
    print(f"datasketch total with update() (sign + LSH + query): "
          f"{sign_each + t3 - t1:.2f} s")
    print(f"datasketch total (sign + LSH + query): {t3 - t0:.2f} s, peak RSS {rss} MiB")


if __name__ == "__main__":
    main()
