#!/bin/sh
# Dates reprint cannot read are kept as given, counted and shown with an
# example at the end of `index` (before the summary line) and in `stats`;
# readable ones are not counted.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

cat >d.jsonl <<'J'
{"id": "x1", "text": "The council met on Monday to discuss the new harbour plan and its cost.", "published": "sometime last week"}
{"id": "x2", "text": "The council met on Tuesday to discuss the old harbour plan and its cost.", "published": "2024-02-30"}
{"id": "x3", "text": "The council met on Friday to discuss the river bridge and its cost.", "published": "Tue, 05 Mar 2024 10:00:00 +0100"}
{"id": "x4", "text": "The council met on Sunday to discuss the school budget and its cost.", "published": "2024-03-05"}
J
check "two unreadable dates: counted, one example, summary last"
expect 0 "$REPRINT" index -d d.db d.jsonl
grep -q "^reprint: 2 published dates not understood, .*for example 'sometime last week'" err ||
    fail "$(cat err)"
[ "$(summary)" = "indexed 4, exact duplicates 0, rejected 0" ] || fail "$(summary)"

check "stats shows the count"
expect 0 "$REPRINT" stats -d d.db --json
py 'import json,sys
s=json.load(open(sys.argv[1]))
assert s["unparsed_dates"]==2, s' out
expect 0 "$REPRINT" show -d d.db --json x1
py 'import json,sys
a=json.load(open(sys.argv[1]))
assert a["published"]=="sometime last week", a' out
