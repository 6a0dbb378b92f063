#!/bin/sh
# Outputs for pipelines: export (--dedup: one original per cluster plus
# every unclustered article), passage offsets in cluster --json --passages
# and report --passages, remove ID (the database sound after it), and the
# index-time parameters (--shingle-size, --permutations, --threshold).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$(cd "$(dirname "$0")/../.." && pwd)
. "$root/tests/cli/common.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

"$BUILD/benchmarks/datagen" --seed 5 --stories 50 --negatives 10 --out corpus.jsonl \
    --truth truth.tsv >/dev/null 2>&1 || fail "datagen failed"
expect 0 "$REPRINT" index -q -d e.db corpus.jsonl

check "export --dedup needs clusters made since the last change"
expect 3 "$REPRINT" export -d e.db --dedup
grep -q 'e.db: the stored clusters are older than the index (or there are none): run reprint cluster first' err ||
    fail "message: $(cat err)"
[ ! -s out ] || fail "wrote articles anyway"
expect 2 "$REPRINT" export -d e.db extra-arg
expect 3 "$REPRINT" export -d missing.db

check "export --dedup: each original once, every unclustered article, no copy"
expect 0 "$REPRINT" cluster -q -d e.db --json --all
mv out all.json
expect 0 "$REPRINT" export -d e.db --dedup -o dedup.jsonl
[ ! -s out ] || fail "-o also wrote to stdout"
py 'import json,sys
clusters=[json.loads(l) for l in open(sys.argv[1])]
rows=[json.loads(l) for l in open(sys.argv[2])]
want={c["original"]:c for c in clusters}   # --all: singletons are clusters of one
ids=[r["id"] for r in rows]
assert len(ids)==len(set(ids)), "an article exported twice"
assert set(ids)==set(want), (len(ids), len(want))
multi=[c for c in clusters if c["size"]>1]
assert len(multi)>5 and len(rows)<sum(c["size"] for c in clusters), "nothing deduplicated"
for r in rows:
    c=want[r["id"]]
    assert r["copies"]==c["size"]-1, (r["id"], r["copies"], c["size"])
    assert (r["cluster"] is None)==(c["size"]==1), r
    assert r["text"] and set(r)>={"id","url","site","title","published","text"}, r
left=sum(c["size"]-1 for c in clusters)
err=open(sys.argv[3]).read()
assert "exported %d articles, left out %d copies" % (len(rows), left) in err, err' all.json dedup.jsonl err

check "export: every article, read back by index into a new database unchanged"
expect 0 "$REPRINT" export -d e.db -o all.jsonl
expect 0 "$REPRINT" index -q -d back.db all.jsonl
expect 0 "$REPRINT" export -d back.db -o again.jsonl
cmp -s all.jsonl again.jsonl || fail "export of the re-indexed export differs"
[ "$(wc -l <all.jsonl)" -eq "$(wc -l <corpus.jsonl)" ] || fail "export has $(wc -l <all.jsonl) lines"

check "cluster --json --passages: offsets into source and copy texts"
expect 2 "$REPRINT" cluster -d e.db --passages
expect 0 "$REPRINT" cluster -q -d e.db --json --passages
mv out pass.json
py 'import json,sys
texts={}
for l in open(sys.argv[2]):
    r=json.loads(l); texts[r["id"]]=r["text"].encode()
same=0; n=0
for l in open(sys.argv[1]):
    c=json.loads(l)
    for m in c["members"]:
        if m["role"]=="original":
            assert "passages" not in m, m; continue
        ps=m["passages"]; assert ps, m
        s, t = texts[m["source"]], texts[m["id"]]
        for p in ps:
            assert set(p)=={"source_start","source_end","copy_start","copy_end","quoted"}, p
            assert 0<=p["source_start"]<p["source_end"]<=len(s), (p, len(s))
            assert 0<=p["copy_start"]<p["copy_end"]<=len(t), (p, len(t))
            n+=1
            same+=s[p["source_start"]:p["source_end"]]==t[p["copy_start"]:p["copy_end"]]
assert n>20 and same>5, (n, same)   # verbatim copies: the same bytes on both sides' pass.json all.jsonl

check "report --passages: the contract fields, then passages_source and passages"
expect 0 "$REPRINT" report -q -d e.db --format json
mv out plain.json
expect 0 "$REPRINT" report -q -d e.db --format json --passages
mv out rpass.json
expect 0 "$REPRINT" report -q -d e.db --format csv --passages
mv out rpass.csv
py 'import csv,json,sys
keys=["cluster","original","original_url","original_site","original_title","original_published",
      "copy","copy_url","copy_site","copy_title","copy_published","delay_hours","score",
      "share_copied","words_copied","credited"]
plain=[json.loads(l) for l in open(sys.argv[1])]
rows=[json.loads(l) for l in open(sys.argv[2])]
texts={}
for l in open(sys.argv[4]):
    r=json.loads(l); texts[r["id"]]=r["text"].encode()
assert plain and all(list(r)==keys for r in plain), "default report keys changed"
assert len(rows)==len(plain)
for r,p in zip(rows,plain):
    assert list(r)==keys+["passages_source","passages"], list(r)
    assert {k:r[k] for k in keys}==p, (r,p)
    s, t = texts[r["passages_source"]], texts[r["copy"]]
    assert r["passages"], r
    for x in r["passages"]:
        assert 0<=x["source_start"]<x["source_end"]<=len(s) and 0<=x["copy_start"]<x["copy_end"]<=len(t), x
c=list(csv.reader(open(sys.argv[3],newline="")))
assert c[0]==keys+["passages_source","passages"], c[0]
for row,r in zip(c[1:],rows):
    want=" ".join("%d-%d:%d-%d%s"%(x["source_start"],x["source_end"],x["copy_start"],x["copy_end"],
                                   "q" if x["quoted"] else "") for x in r["passages"])
    assert row[16]==r["passages_source"] and row[17]==want, (row[16:], want)' plain.json rpass.json rpass.csv all.jsonl

# sound DB: integrity, no rows that name a missing article, originals with
# bands and duplicates without, counts that match the articles. The band
# entries (band_runs blocks of 12 bytes: hash <q, article <I) are read into
# a temporary table bands(band, hash, article).
BANDS_PY='import struct
def band_table(c):
    c.execute("create temp table bands(band, hash, article)")
    for b, d in c.execute("select band, data from band_runs").fetchall():
        c.executemany("insert into bands values (?, ?, ?)", ((b, h, a) for h, a in struct.iter_unpack("<qI", d)))
'
sound() {
    py "$BANDS_PY"'import sqlite3,sys
c=sqlite3.connect(sys.argv[1]); q=lambda s: c.execute(s).fetchone()[0]
assert q("pragma integrity_check")=="ok"
band_table(c)
assert q("select count(*) from bands where article not in (select rowid from articles)")==0, "orphan bands"
assert q("select count(*) from bands_new where article not in (select rowid from articles)")==0
assert q("select count(*) from articles where exact_of is not null and exact_of not in (select rowid from articles)")==0, "dangling exact_of"
assert q("select count(*) from articles where exact_of is not null and rowid in (select article from bands)")==0, "duplicate with bands"
assert q("select count(*) from articles where exact_of is null and rowid not in (select article from bands)")==0, "original without bands"
assert q("select count(*) from clusters where article not in (select rowid from articles) or source not in (select rowid from articles)")==0, "cluster rows of a removed article"
assert q("select coalesce(sum(docs),0) from sites")==q("select count(*) from articles"), "site counts"
assert q("select count(*) from site_lines where docs<=0")==0' "$1"
}

check "remove: an original with exact duplicates; its first duplicate takes its place"
sound e.db
ids=$("$PYTHON" -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
o=c.execute("select a.id, (select min(d.rowid) from articles d where d.exact_of=a.rowid) from articles a where a.exact_of is null and exists(select 1 from articles d where d.exact_of=a.rowid) order by a.rowid limit 1").fetchone()
print(o[0], c.execute("select id from articles where rowid=?", (o[1],)).fetchone()[0])' e.db)
orig=${ids% *}
heir=${ids#* }
bands_before=$("$PYTHON" -c "$BANDS_PY"'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); band_table(c); print(c.execute("select count(*) from bands").fetchone()[0])' e.db)
expect 0 "$REPRINT" remove -d e.db "$orig"
grep -q "^removed $orig; its cluster of [0-9]* is dropped until the next reprint cluster$" err ||
    fail "remove said: $(cat err)"
sound e.db
bands_after=$("$PYTHON" -c "$BANDS_PY"'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); band_table(c); print(c.execute("select count(*) from bands").fetchone()[0])' e.db)
[ "$bands_before" -eq "$bands_after" ] || fail "bands $bands_before -> $bands_after: the heir did not take them"
expect 3 "$REPRINT" show -d e.db "$orig"
# the heir's bands work: a query with its text finds its copies
expect 1 "$REPRINT" query -d e.db --json --id "$heir"
py 'import json,sys
ms=[m["id"] for m in json.load(open(sys.argv[1]))["matches"]]
assert ms and sys.argv[2] not in ms, ms' out "$orig"
expect 3 "$REPRINT" export -d e.db --dedup
grep -q 'older than the index' err || fail "export --dedup after remove: $(cat err)"

check "remove: an article without duplicates; the query no longer finds it"
one=$("$PYTHON" -c 'import sqlite3,sys
c=sqlite3.connect(sys.argv[1])
print(c.execute("select id from articles a where exact_of is null and not exists(select 1 from articles d where d.exact_of=a.rowid) order by rowid desc limit 1").fetchone()[0])' e.db)
expect 0 "$REPRINT" show -d e.db --json "$one"
"$PYTHON" -c 'import json,sys; sys.stdout.write(json.load(open(sys.argv[1]))["text"])' out >one.txt
expect 1 "$REPRINT" query -d e.db --json one.txt
grep -q "\"$one\"" out || fail "before remove, the query does not find $one"
expect 0 "$REPRINT" remove -q -d e.db "$one"
[ ! -s err ] || fail "--quiet printed: $(cat err)"
sound e.db
set +e
"$REPRINT" query -d e.db --json one.txt >out 2>err
set -e
if grep -q "\"$one\"" out; then fail "the removed article is still found"; fi
n=$("$PYTHON" -c 'import json,sys; print(json.loads(sys.argv[1])["articles"])' "$("$REPRINT" stats -d e.db --json)")
[ "$n" -eq $(($(wc -l <corpus.jsonl) - 2)) ] || fail "stats: $n articles"

check "remove: unknown ids exit 3, the others are still removed; a missing database exits 3"
expect 3 "$REPRINT" remove -d e.db no-such-id "$heir"
grep -q "no article with id 'no-such-id' in e.db" err || fail "message: $(cat err)"
expect 3 "$REPRINT" show -d e.db "$heir"
expect 3 "$REPRINT" remove -d missing.db x
[ ! -e missing.db ] || fail "remove created missing.db"
expect 2 "$REPRINT" remove -d e.db

check "after remove, cluster and export --dedup again; a removed id can be indexed anew"
expect 0 "$REPRINT" cluster -q -d e.db
expect 0 "$REPRINT" export -d e.db --dedup
sound e.db
grep "\"id\":\"$one\"" corpus.jsonl >one.jsonl || fail "no corpus line for $one"
expect 0 "$REPRINT" index -d e.db one.jsonl
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "re-index: $(summary)"
sound e.db

check "index --shingle-size --permutations --threshold: stored with a new index, checked after"
expect 0 "$REPRINT" index -q -d p.db --shingle-size 4 --permutations 64 --threshold 0.4 corpus.jsonl
expect 0 "$REPRINT" stats -d p.db
grep -q 'minhash slots *64 per family' out || fail "stats: $(cat out)"
grep -q 'shingles *4 words' out || fail "stats: $(cat out)"
grep -q 'min score *0.4$' out || fail "stats: $(cat out)"
expect 0 "$REPRINT" index -q -d p.db --shingle-size 4 corpus.jsonl
expect 2 "$REPRINT" index -d p.db --shingle-size 3 corpus.jsonl
grep -q 'p.db: made with shingle size 4, not 3' err || fail "message: $(cat err)"
expect 2 "$REPRINT" index -d p.db --permutations 128 corpus.jsonl
grep -q 'made with permutations 64, not 128' err || fail "message: $(cat err)"
expect 2 "$REPRINT" index -d p.db --threshold 0.25 corpus.jsonl
grep -q 'made with threshold 0.4, not 0.25' err || fail "message: $(cat err)"
expect 2 "$REPRINT" index -d q.db --shingle-size 0 corpus.jsonl
expect 2 "$REPRINT" index -d q.db --permutations 8 corpus.jsonl
expect 2 "$REPRINT" index -d q.db --threshold 0 corpus.jsonl
expect 2 "$REPRINT" index -d q.db --threshold 1.5 corpus.jsonl
# the threshold is the default of cluster: a higher one links fewer pairs
expect 0 "$REPRINT" cluster -d p.db
p_pairs=$(sed -n 's/.*reuse pairs \([0-9]*\).*/\1/p' out)
expect 0 "$REPRINT" cluster -d p.db --min-score 0.25
d_pairs=$(sed -n 's/.*reuse pairs \([0-9]*\).*/\1/p' out)
[ "$p_pairs" -lt "$d_pairs" ] || fail "threshold 0.4 linked $p_pairs pairs, 0.25 linked $d_pairs"
echo "export_remove: all checks passed"
