#!/usr/bin/env python3
"""Check that every group of articles with identical text (after white-space
normalisation) lands in one cluster of `reprint cluster --json` output.
Usage: check-identical-groups.py CORPUS.jsonl CLUSTERS.jsonl; exit 1 on a split group."""
import json
import sys
from collections import defaultdict

groups = defaultdict(list)
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        rec = json.loads(line)
        groups[" ".join(rec["text"].split())].append(rec["id"])
cluster_of = {}
with open(sys.argv[2], encoding="utf-8") as f:
    for line in f:
        c = json.loads(line)
        for m in c["members"]:
            cluster_of[m["id"]] = c["cluster"]
multi = [ids for ids in groups.values() if len(ids) > 1]
split = [ids for ids in multi if len({cluster_of.get(i) for i in ids}) != 1 or cluster_of.get(ids[0]) is None]
print(f"identical-body groups: {len(multi)} ({sum(len(g) for g in multi)} articles); "
      f"each in one cluster: {len(multi) - len(split)}; split or missing: {len(split)}")
for ids in split[:5]:
    print("  split:", ids[:6])
sys.exit(1 if split else 0)
