#!/bin/sh
# cluster --worker on PostgreSQL (a throwaway server, tests/cli/pg.inc): a
# job's candidates split into 1, 3, 7 or 64 parts by (band, hash) key range
# give the candidate count and the `cluster --json --all` output, byte for
# byte, of plain `cluster` on the same database and of one SQLite run; two
# workers at once share one job and print the same; a worker after new
# articles starts a job for them. --worker refuses a SQLite file and --parts
# needs --worker, with a message. Skipped, saying so, without PostgreSQL.
# (A worker killed mid-run, and workers beside index writers: slow/pg_workers.sh.)
set -eu
tmp=$(mktemp -d)
trap 'pg_cleanup; rm -rf "$tmp"' EXIT
pg_cleanup() { :; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.inc"
. "$here/pg.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

"$BUILD/benchmarks/datagen" --seed 11 --stories 60 --negatives 15 --out corpus.jsonl \
    --truth truth.tsv 2>/dev/null
PG=$(pg_db rp_workers)
expect 0 "$REPRINT" index -q -d "$PG" corpus.jsonl
expect 0 "$REPRINT" index -q -d s.db corpus.jsonl
expect 0 "$REPRINT" cluster -q -d s.db --json --all
mv out sq.json
[ -s sq.json ] || fail "SQLite clustered nothing"
expect 0 "$REPRINT" cluster -d "$PG" --json --all
mv out plain.json
head -n 1 err >plain.summary
cmp -s plain.json sq.json || fail "plain cluster on PostgreSQL differs from SQLite"

for parts in 1 3 7 64; do
    check "one worker, $parts candidate part(s): the plain run's candidates and clusters"
    expect 0 "$REPRINT" cluster -d "$PG" --json --all --worker --parts $parts
    cmp -s out sq.json || fail "--worker --parts $parts: cluster --json --all differs"
    head -n 1 err | cmp -s - plain.summary ||
        fail "--parts $parts: summary '$(head -n 1 err)' is not '$(cat plain.summary)'"
    grep -q "^worker: job [0-9]*, candidate parts $parts, .* stored the clusters" err ||
        fail "--parts $parts: $(tail -n 1 err)"
done

check "two workers at once: one job, shared, the same output"
"$REPRINT" cluster -d "$PG" --json --all --worker --parts 5 >w1.json 2>w1.err &
p1=$!
"$REPRINT" cluster -d "$PG" --json --all --worker --parts 5 >w2.json 2>w2.err &
p2=$!
wait $p1 || { cat w1.err >&2; fail "worker 1 failed"; }
wait $p2 || { cat w2.err >&2; fail "worker 2 failed"; }
cmp -s w1.json sq.json || fail "worker 1 printed other clusters"
cmp -s w2.json sq.json || fail "worker 2 printed other clusters"
"$PYTHON" - w1.err w2.err <<'PY'
import re, sys
ws = []
for f in sys.argv[1:]:
    m = re.search(r"^worker: job (\d+), candidate parts (\d+), chunks (\d+) \((\d+) pairs\), "
                  r"restarts (\d+), (.*)$", open(f).read(), re.M)
    assert m, open(f).read()
    ws.append(m.groups())
# Both stored nothing twice: one of them stored the clusters, unless the
# other's job was over before it started (then each stored its own).
stored = [w[5] == "stored the clusters" for w in ws]
same_job = ws[0][0] == ws[1][0]
assert (stored.count(True) == 1) if same_job else all(stored), ws
if same_job:
    assert int(ws[0][1]) + int(ws[1][1]) == 5, ws
PY

check "new articles: the next worker's job clusters them too"
write_budget budget.txt
write_budget_copy rewrite.txt
expect 0 "$REPRINT" index -q -d "$PG" budget.txt rewrite.txt
expect 0 "$REPRINT" index -q -d s.db budget.txt rewrite.txt
expect 0 "$REPRINT" cluster -q -d s.db --json --all
mv out sq2.json
expect 0 "$REPRINT" cluster -q -d "$PG" --json --all --worker
cmp -s out sq2.json || fail "after new articles: cluster --json --all differs"
grep -q '"budget.txt"' out || fail "the new articles are not in the clusters"

check "--worker refuses a SQLite file; --parts needs --worker"
expect 2 "$REPRINT" cluster -d s.db --worker
grep -q "needs a PostgreSQL database" err || fail "no reason given: $(cat err)"
grep -q "s.db" err || fail "the file is not named: $(cat err)"
expect 2 "$REPRINT" cluster -d "$PG" --parts 4
grep -q -- "--parts needs --worker" err || fail "no reason given: $(cat err)"
expect 2 "$REPRINT" cluster -d "$PG" --worker --parts 0
expect 2 "$REPRINT" cluster -d "$PG" --worker --parts 5000
echo "pg_workers: all passed"
