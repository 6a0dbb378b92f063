#!/bin/sh
# reprint index survives hard stops: SIGKILL at several moments, then the
# same command again, leaves every article exactly once in a database that
# passes SQLite's integrity check and can be clustered; SIGINT finishes the
# batch in hand, exits 130 with the summary, and a re-run completes.
set -eu
tmp=$(mktemp -d)
bg=""
feeder=""
trap 'for p in $bg $feeder; do kill -9 $p 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

: "${BUILD:=$(dirname "$REPRINT")}"
[ -x "$BUILD/benchmarks/datagen" ] || { echo "skip: no $BUILD/benchmarks/datagen"; exit 0; }
"$BUILD/benchmarks/datagen" --seed 5 --stories 1500 --builtin --out c.jsonl 2>/dev/null
ids=$("$PYTHON" -c 'import json,sys; print(len({json.loads(l)["id"] for l in open(sys.argv[1])}))' c.jsonl)
check "corpus of $ids distinct ids"
[ "$ids" -gt 4400 ] || fail "corpus too small: $ids"

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
# every stored article with bands has the full set of them, exact copies
# none (entries of band_runs blocks: 12 bytes, hash <q, article <I)
import struct
have = set()
for (data,) in con.execute("SELECT data FROM band_runs"):
    have.update(a for _, a in struct.iter_unpack("<qI", data))
bad = [r for (r,) in con.execute("SELECT rowid FROM articles WHERE exact_of IS NULL")
       if r not in have]
assert not bad, ("articles without bands", len(bad))' stats "$1" "$ids"
}

# count DB: articles stored (committed), after checking the file is sound.
count() {
    "$PYTHON" -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity"
n, d = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
assert n == d, ("repeated ids", n, d)
print(n)' "$1" || fail "database $1 broken"
}

check "SIGKILL with a transaction open: the first 4096 articles committed, the rest lost"
# The input comes through a FIFO that stalls after 4400 records, so the
# kill lands while the second transaction is open, whatever the speed.
mkfifo feed
{ head -n 4400 c.jsonl; exec sleep 30; } >feed &
feeder=$!
"$REPRINT" index -q -j 2 -d k.db - <feed >/dev/null 2>kill.err &
bg=$!
"$PYTHON" -c 'import sqlite3, sys, time
end = time.time() + 60
while time.time() < end:
    try:
        n = sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM articles").fetchone()[0]
        if n >= 4096:
            break
    except sqlite3.Error:
        pass
    time.sleep(0.05)
else:
    sys.exit("no commit within 60 s")
time.sleep(0.3)' k.db || fail "index never committed: $(cat kill.err)"
kill -9 "$bg"
wait "$bg" 2>/dev/null || true
bg=""
kill "$feeder" 2>/dev/null || true
wait "$feeder" 2>/dev/null || true
feeder=""
n=$(count k.db)
[ "$n" -eq 4096 ] || fail "after kill -9 mid-transaction: $n articles, expected 4096"

check "after the kill, a read-only query finds a committed article whose bands are still staged"
id=$("$PYTHON" -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("SELECT count(*) FROM band_runs").fetchone()[0] == 0, "bands already flushed"
print(con.execute("SELECT a.id FROM articles a JOIN bands_new s ON s.article = a.rowid"
                  " ORDER BY a.rowid DESC LIMIT 1").fetchone()[0])' k.db) || fail "no staged article"
expect 0 "$REPRINT" show -d k.db --json "$id"
py 'import json,sys; open(sys.argv[2], "w").write(json.load(open(sys.argv[1]))["text"])' out staged.txt
expect 1 "$REPRINT" query -d k.db --json staged.txt
py 'import json,sys; q=json.load(open(sys.argv[1]))
assert sys.argv[2] in [m["id"] for m in q["matches"]], q' out "$id"

check "SIGKILL after 0.2, 0.6, 1.2 s, the same command each time"
kills=0
for t in 0.2 0.6 1.2; do
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
    echo "  killed after $t s: $(count k.db) articles stored"
done
[ "$kills" -ge 1 ] || fail "no kill landed"
expect 0 "$REPRINT" index -q -j 2 -d k.db c.jsonl
summary | grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected 0(, already indexed [0-9]+)?$' || fail "summary: $(summary)"
db_check k.db
check "clusters rebuild on the resumed database"
expect 0 "$REPRINT" cluster -d k.db --json
[ -s out ] || fail "no clusters"
"$REPRINT" stats -d k.db --json >stats
py 'import json,sys; s=json.load(open(sys.argv[1])); assert s["clusters"] >= 1 and s["clustered_articles"] > 1000, s' stats

check "SIGINT: exit 130, summary line, database consistent; re-run completes"
{ head -n 3000 c.jsonl; exec sleep 30; } >feed &
feeder=$!
"$REPRINT" index -q -j 2 -d i.db - <feed >/dev/null 2>int.err &
bg=$!
sleep 1
kill -INT "$bg"
kill "$feeder" 2>/dev/null || true
wait "$feeder" 2>/dev/null || true
feeder=""
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
[ "$n1" -le 3000 ] || fail "more indexed ($n1) than was fed before SIGINT (3000)"
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
