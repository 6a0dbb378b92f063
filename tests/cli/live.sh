#!/bin/sh
# Readers during and after an index run: articles whose band hashes are
# still staged in bands_new (an index run in progress, or one killed before
# its flush) are found by a read-only query, exactly as after the flush.
# The staged state is made by moving flushed band rows back into bands_new
# (tests/cli/slow/kill_resume.sh makes it with a real kill -9).
set -eu
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs
write_budget docs/budget.txt
write_flood docs/flood.txt
write_budget_copy copy.txt
"$REPRINT" index -q -d l.db docs 2>/dev/null
expect 1 "$REPRINT" query -d l.db copy.txt
grep -q 'docs/budget.txt' out || fail "flushed: no match: $(cat out)"

# unflush DB: every article's stored band entries (the blocks of
# band_runs: 12 bytes each, hash <q, article <I) back into one staged BLOB
# each.
unflush() {
    py 'import sqlite3, struct, sys
con = sqlite3.connect(sys.argv[1])
rows = {}
for band, data in con.execute("SELECT band, data FROM band_runs ORDER BY band, run, last"):
    for h, art in struct.iter_unpack("<qI", data):
        rows.setdefault(art, []).append((band, h))
for art, bs in rows.items():
    bs.sort()
    assert [b for b, _ in bs] == list(range(len(bs))), art
    blob = b"".join(struct.pack("<q", h) for _, h in bs)
    con.execute("INSERT INTO bands_new(article, bands) VALUES (?, ?)", (art, blob))
con.execute("DELETE FROM band_runs")
con.execute("DELETE FROM band_run_list")
con.commit()
assert con.execute("SELECT count(*) FROM bands_new").fetchone()[0] == len(rows) > 0' "$1"
}

check "staged only: show finds the original, query finds it too (read-only)"
unflush l.db
cksum <l.db >sum1
expect 0 "$REPRINT" show -d l.db docs/budget.txt
expect 1 "$REPRINT" query -d l.db copy.txt
grep -q 'docs/budget.txt' out || fail "staged: no match: $(cat out)"
cksum <l.db >sum2
cmp -s sum1 sum2 || fail "query changed the database"
expect 1 "$REPRINT" query -d l.db --json copy.txt
py 'import json,sys; q=json.load(open(sys.argv[1]))
assert [m["id"] for m in q["matches"]]==["docs/budget.txt"], q' out

check "a cluster run flushes the staged rows and finds the pair"
expect 0 "$REPRINT" index -q -d l.db copy.txt
expect 0 "$REPRINT" cluster -d l.db
grep -q '^articles 3, clusters 1, clustered 2' out || fail "cluster: $(cat out)"
echo ok
