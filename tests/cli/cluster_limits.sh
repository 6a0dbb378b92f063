#!/bin/sh
# Every cap of a cluster run is counted and shown: LSH buckets over the
# bucket cap (205 near copies of one article: wide buckets, whose members
# are paired with the earliest member only, so the copies still form one
# cluster), a pair whose sentence pass
# is skipped (two texts of 2,100 sentences: 4.4M sentence pairs), and a
# pair whose sentence links are capped at 4,096 (300 sentences each, built
# from ten groups of four words with a fresh word between them, so about
# 9,000 sentence pairs match and no word passage covers them). The cluster
# summary appends the counts, stats shows the last run's.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

py 'import json, random
r = random.Random(3)
def w():
    return "".join(r.choice("bcdfghjklmnpqrstvwxz") + r.choice("aeiou") for _ in range(3))
def words(n):
    return " ".join(w() for _ in range(n))
f = open("c.jsonl", "w")
def put(i, text):
    f.write(json.dumps({"id": i, "text": text}) + "\n")
base = words(120).split()
for i in range(205):
    x = list(base)
    for _ in range(2):
        x[r.randrange(len(x))] = w()
    put("crowd%d" % i, " ".join(x))
sents = [words(6).capitalize() + "." for _ in range(2100)]
put("long1", " ".join(sents))
put("long2", " ".join(s if i % 10 else words(6).capitalize() + "." for i, s in enumerate(sents)))
groups = [[w() for _ in range(4)] for _ in range(10)]
def sent():
    g = list(r.choice(groups))
    r.shuffle(g)
    return " ".join(g[0:1] + [w()] + g[1:2] + [w()] + g[2:3] + [w()] + g[3:]).capitalize() + "."
block = " ".join(words(8).capitalize() + "." for _ in range(500))
for k in range(2):
    put("links%d" % k, block + " " + " ".join(sent() for _ in range(300)))'
expect 0 "$REPRINT" index -q -d l.db c.jsonl

check "cluster: the summary starts as before and appends each cap hit"
expect 0 "$REPRINT" cluster -d l.db
line=$(head -n 1 out)
echo "  $line"
echo "$line" | grep -Eq '^articles 209, clusters [0-9]+, clustered [0-9]+, candidates [0-9]+, reuse pairs [0-9]+, ' ||
    fail "summary start: $line"
echo "$line" | grep -Eq ', wide buckets [1-9][0-9]*' || fail "no wide buckets: $line"
echo "$line" | grep -q ', sentence passes skipped 1' || fail "no sentence pass skipped: $line"
echo "$line" | grep -q ', sentence links capped 1' || fail "no sentence links capped: $line"
echo "$line" | grep -q 'failed pairs' && fail "failed pairs reported: $line"

check "cluster --json: the summary goes to stderr, the same; the 205 near copies are one cluster"
expect 0 "$REPRINT" cluster -d l.db --json
grep -q ', sentence links capped 1' err || fail "stderr: $(cat err)"
py 'import json,sys
sizes = [sum(m["id"].startswith("crowd") for m in json.loads(l)["members"]) for l in open(sys.argv[1])]
assert max(sizes) == 205, sizes' out

check "stats shows the last run's counts"
expect 0 "$REPRINT" stats -d l.db
grep -Eq '^last cluster run    candidates [0-9]+, reuse pairs [0-9]+, wide buckets [1-9][0-9]*, sentence passes skipped 1, sentence links capped 1$' out ||
    fail "stats: $(grep last out)"
expect 0 "$REPRINT" stats -d l.db --json
py 'import json,sys; s=json.load(open(sys.argv[1]))["last_cluster"]
assert s["wide_buckets"] >= 1 and s["sentence_passes_skipped"] == 1, s
assert s["sentence_links_capped"] == 1 and s["failed_pairs"] == 0, s
assert s["candidates"] >= s["reuse_pairs"] > 200, s' out

check "no caps hit: the summary is exactly the old one; a fresh index has no last run"
mkdir docs
write_budget docs/budget.txt
write_budget_copy docs/copy.txt
expect 0 "$REPRINT" index -q -d s.db docs
expect 0 "$REPRINT" stats -d s.db --json
py 'import json,sys; assert json.load(open(sys.argv[1]))["last_cluster"] is None' out
expect 0 "$REPRINT" cluster -d s.db
[ "$(head -n 1 out)" = "articles 2, clusters 1, clustered 2, candidates 1, reuse pairs 1" ] ||
    fail "plain summary: $(head -n 1 out)"
echo ok
