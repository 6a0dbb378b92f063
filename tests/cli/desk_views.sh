#!/bin/sh
# query --id ID (an indexed article as the query), cluster --since DATE
# (only clusters with a member indexed at or after DATE) and report
# --source of a site that is not in the index (said on stderr, exit 0).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir early late
write_budget early/budget.txt
write_budget_copy early/budget_copy.txt
write_flood late/flood.txt
sed 's/Heavy rain/Torrential rain/; s/Schools in the area/Local schools/' late/flood.txt >late/flood_copy.txt
expect 0 "$REPRINT" index -d t.db early

check "query --id: the indexed article is the query, never its own match"
expect 1 "$REPRINT" query -d t.db --json --id early/budget.txt
py 'import json,sys; q=json.loads(open(sys.argv[1]).read())
assert q["input"]=="early/budget.txt", q
assert [m["id"] for m in q["matches"]]==["early/budget_copy.txt"], q' out
expect 3 "$REPRINT" query -d t.db --id no/such/id
grep -q "no article with id 'no/such/id'" err || fail "message: $(cat err)"

check "cluster --since: only clusters with a member indexed at or after DATE"
sleep 1.1
since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.1
expect 0 "$REPRINT" index -d t.db late
expect 0 "$REPRINT" cluster -d t.db --json
[ "$(wc -l <out)" -eq 2 ] || fail "clusters: $(cat out)"
expect 0 "$REPRINT" cluster -d t.db --json --since "$since"
py 'import json,sys
cs=[json.loads(l) for l in open(sys.argv[1])]
assert len(cs)==1, cs
assert sorted(m["id"] for m in cs[0]["members"])==["late/flood.txt","late/flood_copy.txt"], cs' out
expect 0 "$REPRINT" cluster -d t.db --since 2000-01-01
grep -c '^cluster ' out | grep -qx 2 || fail "since 2000: $(cat out)"
expect 2 "$REPRINT" cluster -d t.db --since yesterday

check "report --source of an unknown site says so, exit 0, empty report"
expect 0 "$REPRINT" report -d t.db --format json --source nosuch.example
[ ! -s out ] || fail "report not empty: $(cat out)"
grep -q "no article from site 'nosuch.example'" err || fail "no message: $(cat err)"
printf '{"id": "j1", "url": "https://www.example.org/a", "text": "A bakery in the old town has won a national prize for its rye bread, baked in a wood-fired oven."}\n' >feed.jsonl
expect 0 "$REPRINT" index -d t.db feed.jsonl
expect 0 "$REPRINT" report -d t.db --format json --source WWW.Example.org
! grep -q "no article from site" err || fail "known site called unknown: $(cat err)"
