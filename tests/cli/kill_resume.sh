#!/bin/sh
# reprint index survives hard stops: SIGKILL at several moments, then the
# same command again, leaves every article exactly once in a database that
# passes SQLite's integrity check and can be clustered; SIGINT finishes the
# batch in hand, exits 130 with the summary, and a re-run completes.
set -eu
tmp=$(mktemp -d)
bg=""
trap '[ -n "$bg" ] && kill -9 $bg 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

: "${BUILD:=$(dirname "$REPRINT")}"
[ -x "$BUILD/benchmarks/datagen" ] || { echo "skip: no $BUILD/benchmarks/datagen"; exit 0; }
"$BUILD/benchmarks/datagen" --seed 5 --stories 2000 --builtin --out c.jsonl 2>/dev/null
ids=$(python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' c.jsonl)
check "corpus of $ids distinct ids"
[ "$ids" -gt 5000 ] || fail "corpus too small: $ids"

# db_check DB: articles == ids, no repeated id, integrity_check ok.
db_check() {
    "$REPRINT" stats -d "$1" --json >stats || fail "stats failed on $1"
    py 'import json, sqlite3, sys
s = json.load(open(sys.argv[1]))
want = int(sys.argv[3])
assert s["articles"] == want, ("articles", s["articles"], "expected", want)
con = sqlite3.connect(sys.argv[2])
ok = con.execute("PRAGMA integrity_check").fetchall()
assert ok == [("ok",)], ok
n, d = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
assert n == d == want, (n, d, want)
# every stored article with bands has the full set of them, exact copies none
bad = con.execute("SELECT count(*) FROM articles a WHERE exact_of IS NULL AND "
                  "NOT EXISTS (SELECT 1 FROM bands b WHERE b.article = a.rowid)").fetchone()[0]
assert bad == 0, ("articles without bands", bad)' stats "$1" "$ids"
}

check "SIGKILL after 0.2, 0.5, 1, 1.5, 2 ... s, the same command each time, until one run ends"
kills=0
partial=0
for t in 0.2 0.5 1 1.5 2 2.5 3 4 6 9; do
    "$REPRINT" index -q -j 2 -d k.db c.jsonl >/dev/null 2>kill.err &
    bg=$!
    sleep "$t"
    if ! kill -9 "$bg" 2>/dev/null; then
        wait "$bg" || fail "index failed on its own: $(cat kill.err)"
        bg=""
        break
    fi
    wait "$bg" 2>/dev/null || true
    bg=""
    kills=$((kills + 1))
    [ -f k.db ] || continue
    n=$(python3 -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity"
n, d = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
assert n == d, ("repeated ids", n, d)
print(n)' k.db) || fail "database broken after kill -9 at $t s"
    echo "  killed after $t s: $n articles stored"
    [ "$n" -gt 0 ] && [ "$n" -lt "$ids" ] && partial=$((partial + 1))
done
echo "  $kills kills, $partial of them with a partial index"
[ "$kills" -ge 3 ] || fail "only $kills kills landed"
expect 0 "$REPRINT" index -q -j 2 -d k.db c.jsonl
summary | grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected 0$' || fail "summary: $(summary)"
db_check k.db
check "a second run adds nothing"
expect 0 "$REPRINT" index -q -d k.db c.jsonl
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0" ] || fail "re-run: $(summary)"

check "clusters rebuild on the resumed database"
expect 0 "$REPRINT" cluster -d k.db --json
[ -s out ] || fail "no clusters"
"$REPRINT" stats -d k.db --json >stats
py 'import json,sys; s=json.load(open(sys.argv[1])); assert s["clusters"] >= 1 and s["clustered_articles"] > 1000, s' stats

check "SIGINT: exit 130, summary line, database consistent; re-run completes"
"$REPRINT" index -q -j 2 -d i.db c.jsonl >/dev/null 2>int.err &
bg=$!
sleep 1
kill -INT "$bg"
set +e
wait "$bg"
rc=$?
set -e
bg=""
[ "$rc" -eq 130 ] || fail "SIGINT exit $rc, expected 130: $(cat int.err)"
tail -n 1 int.err | grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected 0$' ||
    fail "no summary after SIGINT: $(cat int.err)"
grep -q interrupted int.err || fail "no 'interrupted' message: $(cat int.err)"
n1=$(tail -n 1 int.err | sed 's/^indexed \([0-9]*\),.*/\1/')
[ "$n1" -lt "$ids" ] || fail "SIGINT came too late to test anything ($n1 indexed)"
py 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
n = con.execute("SELECT count(*) FROM articles").fetchone()[0]
assert n == int(sys.argv[2]), ("summary says", sys.argv[2], "stored", n)' i.db "$n1"
expect 0 "$REPRINT" index -q -d i.db c.jsonl
n2=$(summary | sed 's/^indexed \([0-9]*\),.*/\1/')
[ $((n1 + n2)) -eq "$ids" ] || fail "after SIGINT $n1 + resume $n2 != $ids"
db_check i.db
echo "ok"
