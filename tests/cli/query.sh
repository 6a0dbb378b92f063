#!/bin/sh
# reprint query: --json shape, exit status 0/1 like grep, --min-score and
# --top, standard input, and that a query never changes the database.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs
write_budget docs/budget.txt
write_flood docs/flood.txt
write_budget_copy copy.txt
write_science science.txt
"$REPRINT" index -d q.db docs 2>/dev/null
cksum <q.db >sum1

check "a rewritten copy matches its original: exit 1, contract JSON"
expect 1 "$REPRINT" query -d q.db --json copy.txt
py 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1, lines
q=json.loads(lines[0])
assert list(q)==["input","matches"], q
assert q["input"]=="copy.txt", q
assert len(q["matches"])==1, q
m=q["matches"][0]
assert list(m)==["id","score","jaccard","containment_input_in_match","containment_match_in_input"], m
assert m["id"]=="docs/budget.txt", m
for k in list(m)[1:]:
    assert isinstance(m[k],float) and 0<=m[k]<=1, (k,m)
    assert round(m[k],4)==m[k], (k,m)
assert m["score"]>=0.5, m
# the copy is shorter: more of it is inside the original than the reverse
assert m["containment_input_in_match"]>m["containment_match_in_input"], m' out

check "an unrelated article: exit 0, empty matches"
expect 0 "$REPRINT" query -d q.db --json science.txt
py 'import json,sys; q=json.load(open(sys.argv[1]))
assert q=={"input":"science.txt","matches":[]}, q' out

check "one line per input article, in order"
expect 1 "$REPRINT" query -d q.db --json science.txt copy.txt
py 'import json,sys
ls=[json.loads(l) for l in open(sys.argv[1])]
assert [q["input"] for q in ls]==["science.txt","copy.txt"], ls
assert ls[0]["matches"]==[] and ls[1]["matches"][0]["id"]=="docs/budget.txt", ls' out

check "an indexed article is not its own match"
expect 0 "$REPRINT" query -d q.db --json docs/flood.txt
py 'import json,sys; q=json.load(open(sys.argv[1])); assert q["matches"]==[], q' out

check "--min-score above the score: exit 0"
expect 0 "$REPRINT" query -d q.db --json --min-score 0.999 copy.txt
py 'import json,sys; assert json.load(open(sys.argv[1]))["matches"]==[]' out

check "--top limits the matches"
{ cat docs/budget.txt; echo "Additional reporting by our city desk."; } >longer.txt
"$REPRINT" index -d q2.db docs longer.txt 2>/dev/null
expect 1 "$REPRINT" query -d q2.db --json copy.txt
py 'import json,sys; assert len(json.load(open(sys.argv[1]))["matches"])==2' out
expect 1 "$REPRINT" query -d q2.db --json --top 1 copy.txt
py 'import json,sys; assert len(json.load(open(sys.argv[1]))["matches"])==1' out

check "standard input as -"
"$REPRINT" query -d q.db --json - <copy.txt >out && fail "stdin query exited 0" || true
py 'import json,sys; q=json.load(open(sys.argv[1]))
assert q["matches"][0]["id"]=="docs/budget.txt", q' out

check "human output: a line per input, a line per match"
expect 1 "$REPRINT" query -d q.db copy.txt
grep -q '^copy.txt: 1 match$' out || fail "no header: $(cat out)"
grep -Eq '^  0\.[0-9]{4} .*docs/budget.txt' out || fail "no match line: $(cat out)"

check "the database is not modified by queries"
cksum <q.db >sum2
cmp -s sum1 sum2 || fail "q.db changed"

check "exact duplicates of a match are matches too (they carry no bands)"
cp docs/budget.txt same-budget.txt
"$REPRINT" index -d q3.db docs same-budget.txt 2>/dev/null
expect 1 "$REPRINT" query -d q3.db --json copy.txt
py 'import json,sys; ids=sorted(m["id"] for m in json.load(open(sys.argv[1]))["matches"])
assert ids==["docs/budget.txt","same-budget.txt"], ids' out

check "a missing input file: exit 3, named"
expect 3 "$REPRINT" query -d q.db --json no-such.txt
grep -q 'no-such.txt' err || fail "missing input not named"
echo "all query checks passed"
