#!/bin/sh
# A desk's recurring report (the same item in the same words on other days,
# with the day's facts) is not a copy: two such reports of one site three
# days apart do not cluster, and the summary counts the pair left out with
# the templates. The same pair one day apart clusters, so does the site's
# own text posted again unchanged days later, and so do the two reports on
# two sites. Texts written for this test.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

"$PYTHON" - <<'PY'
import json
a = ("The Bank of England said it forecast a shortage of around 450 mln stg in the money market "
     "today, and it will hold its first round of operations at noon.\n\n"
     "Among the main factors affecting liquidity, bills maturing in official hands and the take-up "
     "of treasury bills will drain some 650 mln stg while bankers' balances below target will take "
     "out around 50 mln stg.\n\n"
     "Partly offsetting these outflows, exchequer transactions and a fall in note circulation will "
     "add some 200 mln stg and 50 mln stg to the system respectively, the bank said.")
b = (a.replace("bankers' balances below target", "a rise in note circulation")
      .replace("a fall in note circulation", "bankers' balances above target")
      .replace("noon", "half past eleven"))
def write(path, rows):
    with open(path, "w") as f:
        for id_, site, day, text in rows:
            f.write(json.dumps({"id": id_, "site": site,
                                "published": "2024-03-%02dT05:10:00Z" % day, "text": text}) + "\n")
write("apart.jsonl", [("mon", "desk.example", 4, a), ("thu", "desk.example", 7, b)])
write("near.jsonl", [("mon", "desk.example", 4, a), ("tue", "desk.example", 5, b)])
write("again.jsonl", [("mon", "desk.example", 4, a), ("thu", "desk.example", 7, a + " ")])
write("sites.jsonl", [("mon", "desk.example", 4, a), ("thu", "other.example", 7, b)])
PY

check "one site, three days apart, other facts in the same words: left out and counted"
"$REPRINT" index -q -d apart.db apart.jsonl
expect 0 "$REPRINT" cluster -d apart.db
grep -q 'same-site templates left out 1' out || fail "$(head -n 1 out)"
grep -q '^articles 2, clusters 0,' out || fail "$(head -n 1 out)"

for db in near again sites; do
    check "$db: one cluster of two"
    "$REPRINT" index -q -d $db.db $db.jsonl
    expect 0 "$REPRINT" cluster -q -d $db.db --json
    py 'import json,sys
cl=[json.loads(l) for l in open(sys.argv[1])]
assert len(cl)==1 and cl[0]["size"]==2, cl' out
done
