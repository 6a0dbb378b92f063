#!/bin/sh
# reprint index: the summary line, idempotence, exact duplicates, rejected
# records (stderr and --rejects), gzip, standard input, $REPRINT_DB.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs
write_budget docs/budget.txt
write_flood docs/flood.txt
write_science docs/science.txt

check "summary line format, exactly once, on stderr"
expect 0 "$REPRINT" index -d t.db docs
grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected [0-9]+$' err ||
    fail "no summary line: $(cat err)"
[ "$(grep -c '^indexed ' err)" -eq 1 ] || fail "more than one summary line"
[ "$(summary)" = "indexed 3, exact duplicates 0, rejected 0" ] || fail "summary: $(summary)"
[ ! -s out ] || fail "index wrote to stdout"
"$REPRINT" stats -d t.db --json >stats1
py 'import json,sys; s=json.load(open(sys.argv[1])); assert s["articles"]==3, s' stats1

check "re-indexing the same paths changes nothing"
expect 0 "$REPRINT" index -d t.db docs
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0, already indexed 3" ] || fail "re-index: $(summary)"
"$REPRINT" stats -d t.db --json >stats2
cmp -s stats1 stats2 || fail "stats changed after re-index: $(cat stats1) vs $(cat stats2)"

check "the same text under a new id is an exact duplicate"
cp docs/budget.txt again.txt
expect 0 "$REPRINT" index -d t.db again.txt
[ "$(summary)" = "indexed 1, exact duplicates 1, rejected 0" ] || fail "duplicate: $(summary)"
"$REPRINT" stats -d t.db --json >stats3
py 'import json,sys; s=json.load(open(sys.argv[1]))
assert s["articles"]==4 and s["exact_duplicates"]==1, s' stats3

check "a malformed JSONL line is rejected, the rest indexed"
cat >feed.jsonl <<'TXT'
{"id": "feed-1", "url": "https://www.example.org/a", "text": "A bakery in the old town has won a national prize for its rye bread, baked in a wood-fired oven that dates back to the nineteenth century."}
{"id": "feed-2", "text": "this line is cut off
{"id": "feed-3", "url": "https://news.example.net/b", "text": "The regional orchestra will tour five countries next spring, playing works by composers who lived in the valley two hundred years ago."}
TXT
expect 0 "$REPRINT" index -d t.db --rejects rejects.jsonl feed.jsonl
[ "$(summary)" = "indexed 2, exact duplicates 0, rejected 1" ] || fail "jsonl: $(summary)"
grep -q '^reprint: feed.jsonl:2: ' err || fail "reject not reported on stderr: $(cat err)"
py 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1, lines
r=json.loads(lines[0])
assert list(r)==["source","record","reason"], r
assert r["source"]=="feed.jsonl" and r["record"]==2, r
assert isinstance(r["reason"],str) and r["reason"], r' rejects.jsonl
expect 0 "$REPRINT" show -d t.db --json feed-3
py 'import json,sys; a=json.load(open(sys.argv[1]))
assert a["site"]=="news.example.net" and a["text"].startswith("The regional orchestra"), a' out

check "--rejects appends"
expect 0 "$REPRINT" index -d t2.db --rejects rejects.jsonl feed.jsonl
[ "$(wc -l <rejects.jsonl)" -eq 2 ] || fail "rejects file not appended"

check "gzip input is decompressed on the fly"
write_budget_copy plain.txt
gzip -c plain.txt >copy.txt.gz
expect 0 "$REPRINT" index -d t.db copy.txt.gz
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "gz: $(summary)"
expect 0 "$REPRINT" show -d t.db --json copy.txt.gz
py 'import json,sys; a=json.load(open(sys.argv[1]))
assert a["text"].strip()==open(sys.argv[2]).read().strip(), a' out plain.txt

check "a truncated gzip file is rejected, not fatal"
head -c 200 copy.txt.gz >cut.txt.gz
write_flood other.txt
sed 's/river/canal/g' other.txt >other2.txt
set +e
"$REPRINT" index -d cut.db cut.txt.gz other2.txt >out 2>err
rc=$?
set -e
[ "$rc" -eq 0 ] || [ "$rc" -eq 3 ] || fail "truncated gzip: exit $rc"
summary | grep -Eq '^indexed 1, exact duplicates 0, rejected [1-9]$' || fail "cut gz: $(summary)"
grep -q 'cut.txt.gz' err || fail "truncated gzip not named"

check "standard input as -"
printf '%s\n' '{"id": "stdin-1", "title": "Harbour", "text": "Fishermen in the northern harbour protested against new quotas on Friday, blocking the entrance with their boats for several hours."}' |
    "$REPRINT" index -d t.db -f jsonl - 2>err || fail "index from stdin failed"
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "stdin: $(summary)"
expect 0 "$REPRINT" show -d t.db --json stdin-1
py 'import json,sys; a=json.load(open(sys.argv[1])); assert a["title"]=="Harbour", a' out

check "an unreadable PATH: exit 3 after indexing the rest, counted as rejected"
expect 3 "$REPRINT" index -d u.db docs/flood.txt no-such-file.txt docs/science.txt
[ "$(summary)" = "indexed 2, exact duplicates 0, rejected 1" ] || fail "unreadable: $(summary)"
grep -q 'no-such-file.txt' err || fail "unreadable path not named"

check "\$REPRINT_DB is the default database, else reprint.db"
REPRINT_DB=env.db "$REPRINT" index docs/flood.txt 2>err
[ -f env.db ] || fail "REPRINT_DB not used"
[ ! -e reprint.db ] || fail "reprint.db created despite REPRINT_DB"
REPRINT_DB=env.db "$REPRINT" stats --json >out
py 'import json,sys; assert json.load(open(sys.argv[1]))["articles"]==1' out
mkdir sub
(cd sub && "$REPRINT" index ../docs/flood.txt 2>/dev/null) || fail "index in sub"
[ -f sub/reprint.db ] || fail "reprint.db not the default"

check "the result does not depend on -j"
expect 0 "$REPRINT" index -d j1.db -j 1 docs feed.jsonl again.txt
expect 0 "$REPRINT" index -d j2.db -j 2 docs feed.jsonl again.txt
"$REPRINT" stats -d j1.db --json >s1
"$REPRINT" stats -d j2.db --json >s2
cmp -s s1 s2 || fail "-j 1 and -j 2 differ: $(cat s1) vs $(cat s2)"

check "HTML pages (extracted by the workers): same rejects, in order, and clusters for -j 1 and -j 2"
mkdir pages
for i in $(seq 100 259); do
    case $((i % 3)) in 0) f=docs/budget.txt ;; 1) f=docs/flood.txt ;; *) f=docs/science.txt ;; esac
    {
        printf '<!DOCTYPE html><html><head><title>Story %s</title>' "$i"
        printf '<link rel="canonical" href="https://www.site%s.example/s/%s"></head><body>' "$i" "$i"
        printf '<nav><a href="/">Home</a> <a href="/world">World</a></nav><article><p>'
        cat "$f"
        printf '</p><p>Filed by desk %s for edition %s of the paper.</p></article>' $((i % 7)) "$i"
        printf '<footer>All rights reserved.</footer></body></html>\n'
    } >"pages/p$i.html"
done
for i in 137 201; do # a site's not-found page and an empty one among them
    printf '<html><head><title>Not found</title></head><body><h1>404</h1><p>No such page.</p></body></html>\n' >"pages/p$i.html"
done
printf '<html><body>\001\002\003\004\001\002\003\004\001\002</body></html>\n' >pages/p222.html
for j in 1 2; do
    expect 0 "$REPRINT" index -d h$j.db -j $j --rejects h$j.rej pages
    grep -v '^indexed ' err >herr$j || true
    summary >hsum$j
    "$REPRINT" stats -d h$j.db --json >hs$j
    "$REPRINT" cluster -d h$j.db --json --all >hc$j 2>hcerr$j
done
[ "$(cat hsum1)" = "indexed 157, exact duplicates 0, rejected 3" ] || fail "pages: $(cat hsum1)"
[ "$(grep -c 'empty text: ' herr1)" -eq 2 ] || fail "404 pages not rejected as empty: $(cat herr1)"
grep -q 'p222.html.*binary content' herr1 || fail "binary page not rejected: $(cat herr1)"
[ "$(grep -c . h1.rej)" -eq 3 ] || fail "--rejects: $(cat h1.rej)"
[ "$(sed -n 1p h1.rej | grep -c p137)" -eq 1 ] || fail "rejects out of order: $(cat h1.rej)"
grep -q '"size":[2-9]' hc1 || fail "no clusters: $(cat hcerr1)"
for x in herr hsum hs hc hcerr; do
    cmp -s ${x}1 ${x}2 || fail "pages: -j 1 and -j 2 differ in $x"
done
cmp -s h1.rej h2.rej || fail "pages: --rejects differ for -j 1 and -j 2"
echo "all index checks passed"
