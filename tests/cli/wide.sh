#!/bin/sh
# Wide syndication: one wire story and 400 near copies (two words changed
# each) on 400 sites, so most of its LSH buckets hold more members than the
# bucket cap (200). Those wide buckets pair each member with its earliest
# member only: the story is one cluster of 401 rooted at the wire original,
# far from the 80,200 pairs of all against all; the summary counts the wide
# buckets. A query of the original, whose buckets are wide too, finds every
# copy: the pivot verifies and the buckets are then read in full.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

py 'import json, random
r = random.Random(5)
def w():
    return "".join(r.choice("bcdfghjklmnpqrstvwxz") + r.choice("aeiou") for _ in range(3))
base = [w() for _ in range(126)]
def text(ws):
    return " ".join(" ".join(ws[i:i + 14]).capitalize() + "." for i in range(0, len(ws), 14))
f = open("wide.jsonl", "w")
f.write(json.dumps({"id": "wire", "site": "wire.example", "published": "2024-03-01T08:00:00Z",
                    "text": text(base)}) + "\n")
open("wire.txt", "w").write(text(base) + "\n")
for i in range(400):
    x = list(base)
    for _ in range(2):
        x[r.randrange(len(x))] = w()
    f.write(json.dumps({"id": "copy%03d" % i, "site": "site%03d.example" % i,
                        "published": "2024-03-%02dT%02d:%02d:00Z" % (2 + i % 20, i % 24, i % 60),
                        "text": text(x)}) + "\n")'
expect 0 "$REPRINT" index -q -d w.db wide.jsonl

check "cluster: one cluster of 401 rooted at the wire story, wide buckets counted, pairs far from quadratic"
expect 0 "$REPRINT" cluster -d w.db --json
line=$(tail -n 1 err)
echo "  $line"
echo "$line" | grep -Eq '^articles 401, clusters 1, clustered 401, candidates [0-9]+, reuse pairs [0-9]+, wide buckets [1-9][0-9]*' ||
    fail "summary: $line"
py 'import json, re, sys
cs = [json.loads(l) for l in open(sys.argv[1])]
assert len(cs) == 1 and cs[0]["size"] == 401 and cs[0]["original"] == "wire", [c["size"] for c in cs]
cand = int(re.search(r"candidates (\d+)", open(sys.argv[2]).read()).group(1))
assert cand < 401 * 400 // 4, cand' out err

check "stats: the last run's wide buckets"
expect 0 "$REPRINT" stats -d w.db --json
py 'import json, sys
s = json.load(open(sys.argv[1]))["last_cluster"]
assert s["wide_buckets"] >= 1, s' out

check "query of the wire story finds all 400 copies (and itself)"
expect 1 "$REPRINT" query -d w.db --json wire.txt
py 'import json, sys
m = json.loads(open(sys.argv[1]).readline())["matches"]
ids = {x["id"] for x in m}
assert len(ids) == 401 and "wire" in ids, len(ids)' out
echo ok
