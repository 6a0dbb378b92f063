#!/bin/sh
# Many writers on PostgreSQL: three `reprint index` processes started at
# once, each with its own part of one corpus, into one PostgreSQL database
# (a throwaway server, tests/cli/pg.inc); the parts share exact copies of
# texts under other ids, so the processes race on which one stores a text
# first. Every article is stored once, every repeated text is an exact
# duplicate of one original whichever process came first (the counts of
# one SQLite run on the whole corpus), a rerun stores nothing, and `cluster
# --json --all` equals, byte for byte, a SQLite run on the same articles in
# the order PostgreSQL numbered them. A writer killed with SIGKILL and run
# again leaves the counts of one uninterrupted run. Then the demo corpus and, when present, the real pages
# (.realpages/) are indexed on both engines and their cluster --json --all
# compared byte for byte. Skipped, saying so, without PostgreSQL.
set -eu
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null || true; done; pg_cleanup; rm -rf "$tmp"' EXIT
pg_cleanup() { :; }
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/common.inc"
. "$here/pg.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

pg_parts_corpus

PG=$(pg_db rp_concurrent)
check "three index processes at once into one PostgreSQL database"
for k in 0 1 2; do
    "$REPRINT" index -q -d "$PG" part$k.jsonl 2>ix$k.err &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || { cat ix*.err >&2; fail "an index process failed"; }
done
pids=""
expect 0 "$REPRINT" index -q -d s.db all.jsonl

check "every article once, every repeated text an exact duplicate"
"$REPRINT" stats -d "$PG" --json >pg.stats
"$REPRINT" stats -d s.db --json >sq.stats
"$PYTHON" - pg.stats sq.stats <<'PY'
import json, sys
p, s = (json.load(open(f)) for f in sys.argv[1:])
def pick(d):
    return {k: d.get(k) for k in ("articles", "exact_duplicates", "band_rows")}
assert pick(p) == pick(s), (pick(p), pick(s))
assert s["exact_duplicates"] >= 60, s
PY

check "rerunning a part changes nothing"
expect 0 "$REPRINT" index -d "$PG" part1.jsonl
grep -q 'indexed 0, .*already indexed' err || fail "rerun stored something: $(tail -n 1 err)"

check "cluster --json --all: equal to SQLite's on the same articles in the same order"
# Which process stores an article first decides its rowid, and clustering
# breaks ties (same dates, a wide bucket's pivot, which of two identical
# texts is the original) by rowid: the SQLite run to compare with indexes
# the articles in the order PostgreSQL numbered them (export lists them in
# rowid order, and the rowids have no gaps).
expect 0 "$REPRINT" export -d "$PG"
mv out pgorder.jsonl
expect 0 "$REPRINT" index -q -d s2.db pgorder.jsonl
expect 0 "$REPRINT" cluster -q -d "$PG" --json --all
mv out pg.json
expect 0 "$REPRINT" cluster -q -d s2.db --json --all
mv out sq.json
cmp -s pg.json sq.json || fail "cluster --json --all differs from SQLite's in the same order"

check "kill -9 mid-run, then rerun: nothing lost, nothing twice"
KILL=$(pg_db rp_kill)
"$REPRINT" index -q -d "$KILL" all.jsonl 2>/dev/null &
victim=$!
pids=$victim
sleep 1.5
kill -9 "$victim" 2>/dev/null || true
wait "$victim" 2>/dev/null || true
pids=""
expect 0 "$REPRINT" index -q -d "$KILL" all.jsonl
"$REPRINT" stats -d "$KILL" --json >kill.stats
"$PYTHON" - kill.stats sq.stats <<'PY'
import json, sys
k, s = (json.load(open(f)) for f in sys.argv[1:])
def pick(d):
    return {x: d.get(x) for x in ("articles", "exact_duplicates", "band_rows")}
assert pick(k) == pick(s), (pick(k), pick(s))
PY

check "demo corpus and real pages: cluster --json --all byte for byte"
"$BUILD/benchmarks/datagen" --seed 7 --stories 650 --negatives 100 --out demo.jsonl \
    --truth demo.tsv 2>/dev/null
DEMO=$(pg_db rp_demo)
expect 0 "$REPRINT" index -q -d "$DEMO" demo.jsonl
expect 0 "$REPRINT" index -q -d demo.db demo.jsonl
"$REPRINT" cluster -q -d "$DEMO" --json --all >demo.pg
"$REPRINT" cluster -q -d demo.db --json --all >demo.sq
cmp -s demo.pg demo.sq || fail "demo corpus: cluster --json --all differs"
if [ -d "$root/.realpages" ]; then
    find -L "$root/.realpages" -type f -name '*.txt' | sort >real.list
    REAL=$(pg_db rp_real)
    # shellcheck disable=SC2046
    expect 0 "$REPRINT" index -q -d "$REAL" $(cat real.list)
    # shellcheck disable=SC2046
    expect 0 "$REPRINT" index -q -d real.db $(cat real.list)
    "$REPRINT" cluster -q -d "$REAL" --json --all >real.pg
    "$REPRINT" cluster -q -d real.db --json --all >real.sq
    cmp -s real.pg real.sq || fail "real pages: cluster --json --all differs"
    check "real pages: $(wc -l <real.list) files, $(wc -l <real.sq) clusters, equal"
else
    echo "SKIP: real pages: no $root/.realpages"
fi
echo "pg_concurrent: all passed"
