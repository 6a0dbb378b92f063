#!/bin/sh
# Soak: 30 daily batches indexed into one database, the way a crawl feeds
# it, with queries running against it while each day is indexed. After each
# day every article committed so far is found by `query`, the article count
# is exactly what was fed (nothing lost, nothing twice, re-feeding a day
# changes nothing) and the database is sound. The time per day is printed
# and checked only loosely (days at the end within 4x the first days plus a
# second): speed is measured in `make bench`, not asserted here.
set -eu
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

: "${BUILD:=$(dirname "$REPRINT")}"
[ -x "$BUILD/benchmarks/datagen" ] || { echo "skip: no $BUILD/benchmarks/datagen"; exit 0; }
DAYS=${SOAK_DAYS:-30}
"$BUILD/benchmarks/datagen" --seed 21 --stories $((DAYS * 40)) --builtin --out all.jsonl 2>/dev/null
# day d gets its own slice; ids carry the day; each day also repeats three
# of the day before's records (a crawler seeing a page again)
"$PYTHON" - all.jsonl "$DAYS" <<'PY'
import json, os, sys
recs = [json.loads(l) for l in open(sys.argv[1])]
days = int(sys.argv[2])
per = len(recs) // days
os.makedirs("probe", exist_ok=True)
for d in range(days):
    day = recs[d * per:(d + 1) * per]
    for r in day:
        r["id"] = "d%02d-%s" % (d, r["id"])
    with open("day%02d.jsonl" % d, "w") as f:
        for r in day:
            f.write(json.dumps(r) + "\n")
        if d:
            for r in recs[(d - 1) * per:(d - 1) * per + 3]:
                f.write(json.dumps(r) + "\n")
    # one probe text per day: its first record, queried on later days
    with open("probe/d%02d.txt" % d, "w") as f:
        f.write(day[0]["text"])
    with open("probe/d%02d.id" % d, "w") as f:
        f.write(day[0]["id"])
    with open("day%02d.count" % d, "w") as f:
        f.write(str(len(day)))
PY

expected=0
first=""
d=0
while [ "$d" -lt "$DAYS" ]; do
    day=$(printf '%02d' "$d")
    # the index run times itself (the queries beside it take time of their own)
    (
        s=$(date +%s.%N)
        "$REPRINT" index -q -d s.db "day$day.jsonl" 2>idx.err
        rc=$?
        awk -v a="$s" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f\n", b - a }' >idx.secs
        exit $rc
    ) &
    ipid=$!
    pids="$ipid"
    # queries while the day is indexed: every earlier day's probe is found
    k=0
    while [ "$k" -lt "$d" ]; do
        pd=$(printf '%02d' "$k")
        set +e
        "$REPRINT" query -d s.db --json "probe/d$pd.txt" >q.out 2>q.err
        rc=$?
        set -e
        [ "$rc" -eq 1 ] || fail "day $day: query of day $pd's probe exited $rc: $(cat q.err)"
        grep -q "\"$(cat "probe/d$pd.id")\"" q.out || fail "day $day: day $pd's probe not found"
        k=$((k + 1))
    done
    wait "$ipid" || fail "day $day: index failed: $(cat idx.err)"
    pids=""
    secs=$(cat idx.secs)
    expected=$((expected + $(cat "day$day.count")))
    got=$("$REPRINT" stats -d s.db --json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
    [ "$got" -eq "$expected" ] || fail "day $day: $got articles stored, $expected fed"
    # the day's own probe is found once the day is in
    set +e
    "$REPRINT" query -d s.db --json "probe/d$day.txt" >q.out 2>q.err
    rc=$?
    set -e
    [ "$rc" -eq 1 ] && grep -q "\"$(cat "probe/d$day.id")\"" q.out ||
        fail "day $day: its own probe not found"
    [ -z "$first" ] && first=$secs
    last=$secs
    echo "day $day: $(cat "day$day.count") new articles indexed in $secs s beside $d queries; $got stored"
    d=$((d + 1))
done

check "re-feeding a day changes nothing"
expect 0 "$REPRINT" index -q -d s.db day05.jsonl
got=$("$REPRINT" stats -d s.db --json | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
[ "$got" -eq "$expected" ] || fail "$got articles after re-feeding day 05, $expected before"

check "the database is sound"
"$PYTHON" -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]' s.db || fail "integrity"

check "time per day stays roughly flat (first day $first s, last day $last s)"
awk -v f="$first" -v l="$last" 'BEGIN { exit !(l <= 4 * f + 1) }' || fail "last day $last s, first $first s"
