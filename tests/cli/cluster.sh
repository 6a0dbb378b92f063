#!/bin/sh
# reprint cluster: the contract's JSON shape (one original per cluster, a
# tree of sources rooted at it), --all, the human tree, stable cluster ids.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

# Three versions of the budget story published on different days, and two
# unrelated articles; JSONL so that each has a site, a title and a date.
write_budget budget.txt
write_budget_copy rewrite.txt
{ cat budget.txt; echo "Additional reporting by our city desk."; } >verbatim.txt
write_flood flood.txt
write_science science.txt
py 'import json,sys
rows=[("budget","https://www.city-news.example/budget","2024-03-05T08:00:00Z","budget.txt","Council approves budget"),
      ("verbatim","https://aggregator.example/story/1","2024-03-05T12:00:00Z","verbatim.txt","Budget approved"),
      ("rewrite","https://other-paper.example/politics/2","2024-03-06T09:30:00Z","rewrite.txt","Transport spending up"),
      ("flood","https://city-news.example/flood","2024-03-04T07:00:00Z","flood.txt","River floods homes"),
      ("science","https://science.example/planet","2024-03-02T10:00:00Z","science.txt",None)]
with open("feed.jsonl","w") as f:
    for i,u,p,t,title in rows:
        r={"id":i,"url":u,"published":p,"text":open(t).read()}
        if title: r["title"]=title
        f.write(json.dumps(r)+"\n")'
"$REPRINT" index -d c.db feed.jsonl 2>/dev/null

check "cluster --json: the contract's shape, one tree per cluster"
expect 0 "$REPRINT" cluster -d c.db --json --quiet
cp out clusters.jsonl
py 'import json,sys
cs=[json.loads(l) for l in open(sys.argv[1])]
assert len(cs)==1, cs
ids=set()
for c in cs:
    assert list(c)==["cluster","original","size","members"], list(c)
    assert isinstance(c["cluster"],int) and c["cluster"] not in ids, c
    ids.add(c["cluster"])
    ms=c["members"]
    assert c["size"]==len(ms)>=2, c
    byid={m["id"]:m for m in ms}
    assert len(byid)==len(ms), "duplicate member"
    origs=[m for m in ms if m["role"]=="original"]
    assert len(origs)==1 and origs[0]["id"]==c["original"], c
    o=origs[0]
    assert list(o)==["id","url","site","title","published","role","source","score","lang"], list(o)
    assert o["lang"]=="en", o
    assert o["source"] is None and o["score"]==1.0, o
    for m in ms:
        if m["role"]=="original": continue
        assert m["role"]=="copy", m
        assert list(m)==["id","url","site","title","published","role","source","score",
                         "jaccard","containment","lang"], list(m)
        assert m["source"] in byid and m["source"]!=m["id"], m
        for k in ("score","jaccard","containment"):
            assert isinstance(m[k],float) and 0<=m[k]<=1, (k,m)
        seen=set(); x=m
        while x["role"]!="original":
            assert x["id"] not in seen, "cycle"
            seen.add(x["id"]); x=byid[x["source"]]
c=cs[0]
assert c["original"]=="budget", c
assert sorted(m["id"] for m in c["members"])==["budget","rewrite","verbatim"], c
b={m["id"]:m for m in c["members"]}["budget"]
assert b["site"]=="city-news.example" and b["title"]=="Council approves budget", b
assert b["url"]=="https://www.city-news.example/budget" and b["published"].startswith("2024-03-05"), b
r={m["id"]:m for m in c["members"]}["rewrite"]
assert r["score"]>=0.5, r' clusters.jsonl

check "--quiet --json prints nothing on stderr"
[ ! -s err ] || fail "stderr: $(cat err)"

check "--all adds the single articles"
expect 0 "$REPRINT" cluster -d c.db --json --all --quiet
py 'import json,sys
cs=[json.loads(l) for l in open(sys.argv[1])]
assert sum(c["size"] for c in cs)==5, cs
singles=[c for c in cs if c["size"]==1]
assert sorted(c["original"] for c in singles)==["flood","science"], singles
for c in singles:
    m=c["members"][0]
    assert m["role"]=="original" and m["source"] is None and m["id"]==c["original"], c
assert len({c["cluster"] for c in cs})==len(cs), "cluster ids not distinct"
assert all(m["title"] is None for c in cs for m in c["members"] if m["id"]=="science")' out

check "cluster ids are stable across runs"
expect 0 "$REPRINT" cluster -d c.db --json --quiet
cmp -s out clusters.jsonl || fail "second run differs: $(cat out)"

check "stats counts the stored clusters"
"$REPRINT" stats -d c.db --json >s.json
py 'import json,sys; s=json.load(open(sys.argv[1]))
assert s["clusters"]==1 and s["clustered_articles"]==3 and s["articles"]==5, s' s.json

check "human output: summary line, then the tree under the original"
expect 0 "$REPRINT" cluster -d c.db
grep -Eq '^articles 5, clusters 1, clustered 3, candidates [0-9]+, reuse pairs [0-9]+$' out ||
    fail "summary: $(head -1 out)"
grep -q '^cluster [0-9]* (3 articles)$' out || fail "no cluster header: $(cat out)"
grep -q '^    original  budget ' out || fail "original not first: $(cat out)"
n=$(grep -c '^        `- [01]\.[0-9]\{4\}  \(rewrite\|verbatim\)  ' out) || true
[ "$n" -eq 2 ] || fail "copies not indented under the original: $(cat out)"
! grep -q 'flood' out || fail "a single article printed without --all"

check "--min-score 0.99 keeps only the verbatim copy"
expect 0 "$REPRINT" cluster -d c.db --json --quiet --min-score 0.99
py 'import json,sys
cs=[json.loads(l) for l in open(sys.argv[1])]
assert len(cs)==1 and sorted(m["id"] for m in cs[0]["members"])==["budget","verbatim"], cs' out
echo "all cluster checks passed"
