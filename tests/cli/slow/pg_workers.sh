#!/bin/sh
# cluster --worker on one PostgreSQL database (a throwaway server,
# tests/cli/pg.inc):
# - three `index` processes and two `cluster --worker` processes started at
#   once: every process succeeds (a worker whose articles change under it
#   starts its job again), and two workers after them print, byte for byte,
#   the `cluster --json --all` of one SQLite run on the same articles in the
#   order PostgreSQL numbered them;
# - a worker killed with SIGKILL mid-verification: run again, it joins the
#   same job and does only what was left; beside a second worker, that one
#   completes the job alone; killed and then new articles indexed, the rerun
#   starts a job for them. Each time the clusters equal SQLite's and the
#   work tables are left empty.
# Skipped, saying so, without PostgreSQL (or without psql for the kills).
# REPRINT_PG_SHARDED=1: every database is the sharded layout over two
# servers (tests/cli/slow/pg_sharded.sh runs this test so).
set -eu
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null || true; done; pg_cleanup; rm -rf "$tmp"' EXIT
pg_cleanup() { :; }
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/common.inc"
. "$here/pg.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

pg_parts_corpus

# worker_line FILE: the worker's closing line on stderr, or fail.
worker_line() {
    grep '^worker: job ' "$1" || fail "no worker line in $1: $(cat "$1")"
}

# new_db NAME: a fresh database, sharded when REPRINT_PG_SHARDED is set
new_db() {
    if [ -n "${REPRINT_PG_SHARDED:-}" ]; then
        pg_has_fdw || fail "REPRINT_PG_SHARDED: the server has no postgres_fdw"
        pg_shard_db "$1"
    else
        pg_db "$1"
    fi
}

PG=$(new_db rp_workers_mix)
check "three index processes and two cluster workers at once"
for k in 0 1 2; do
    "$REPRINT" index -q -d "$PG" part$k.jsonl 2>ix$k.err &
    pids="$pids $!"
done
# The workers start once the first writer has made the tables (before
# that there is no index to cluster), while the writers go on.
i=0
until "$REPRINT" stats -d "$PG" >/dev/null 2>&1; do
    i=$((i + 1))
    [ $i -le 400 ] || fail "no index made in 20 s"
    sleep 0.05
done
for w in 1 2; do
    "$REPRINT" cluster -d "$PG" --json --all --worker --parts 8 >mix$w.json 2>mix$w.err &
    pids="$pids $!"
done
for p in $pids; do
    wait "$p" || { cat ix*.err mix*.err >&2; fail "a process failed"; }
done
pids=""
check "  $(worker_line mix1.err)"
check "  $(worker_line mix2.err)"

check "then two workers: cluster --json --all equal to one SQLite run in PostgreSQL's order"
expect 0 "$REPRINT" export -d "$PG"
mv out pgorder.jsonl
expect 0 "$REPRINT" index -q -d s.db pgorder.jsonl
expect 0 "$REPRINT" cluster -q -d s.db --json --all
mv out sq.json
"$REPRINT" cluster -d "$PG" --json --all --worker >w1.json 2>w1.err &
p1=$!
"$REPRINT" cluster -d "$PG" --json --all --worker >w2.json 2>w2.err &
p2=$!
pids="$p1 $p2"
wait $p1 || { cat w1.err >&2; fail "worker 1 failed"; }
wait $p2 || { cat w2.err >&2; fail "worker 2 failed"; }
pids=""
cmp -s w1.json sq.json || fail "worker 1: cluster --json --all differs from SQLite's"
cmp -s w2.json sq.json || fail "worker 2: cluster --json --all differs from SQLite's"
check "  $(worker_line w1.err)"
check "  $(worker_line w2.err)"

if ! command -v psql >/dev/null 2>&1; then
    echo "SKIP: killed workers: no psql (Debian package postgresql-client)"
    echo "pg_workers: all passed"
    exit 0
fi

# The demo corpus, on both engines in the same order.
"$BUILD/benchmarks/datagen" --seed 7 --stories 650 --negatives 100 --out demo.jsonl \
    --truth demo.tsv 2>/dev/null
DEMO=$(new_db rp_workers_kill)
expect 0 "$REPRINT" index -q -d "$DEMO" demo.jsonl
expect 0 "$REPRINT" index -q -d demo.db demo.jsonl
expect 0 "$REPRINT" cluster -q -d demo.db --json --all
mv out demo.sq

sql() {
    psql -X -q -A -t -d "$DEMO" -c "$1"
}

# start_worker NAME: a worker in the background, its pid in $last.
start_worker() {
    "$REPRINT" cluster -d "$DEMO" --json --all --worker --parts 16 >"$1.json" 2>"$1.err" &
    last=$!
    pids="$pids $last"
}

# kill_after_chunks N PID: SIGKILL PID once N chunks of the job are done.
kill_after_chunks() {
    i=0
    while [ "$(sql "SELECT count(*) FROM cluster_job_chunks WHERE done" 2>/dev/null || echo 0)" -lt "$1" ]; do
        i=$((i + 1))
        [ $i -le 600 ] || fail "no $1 chunks done in 60 s"
        kill -0 "$2" 2>/dev/null || fail "the worker ended before $1 chunks were done"
        sleep 0.1
    done
    kill -9 "$2"
    wait "$2" 2>/dev/null || true
}

work_rows() {
    sql "SELECT (SELECT count(*) FROM cluster_job_parts) + (SELECT count(*) FROM cluster_job_chunks)
         + (SELECT count(*) FROM cluster_job_edges)"
}

check "a worker killed mid-verification, run again: the same job, only what was left"
start_worker k1
kill_after_chunks 5 "$last"
pids=""
job=$(sql "SELECT id FROM cluster_job WHERE state = 'verify'")
[ -n "$job" ] || fail "no job under way after the kill: $(sql "SELECT id, state FROM cluster_job")"
total=$(sql "SELECT count(*) FROM cluster_job_chunks")
done_before=$(sql "SELECT count(*) FROM cluster_job_chunks WHERE done")
expect 0 "$REPRINT" cluster -d "$DEMO" --json --all --worker
cmp -s out demo.sq || fail "rerun after a kill: cluster --json --all differs from SQLite's"
line=$(worker_line err)
check "  $line (job $job had $done_before of $total chunks done)"
echo "$line" | grep -q "^worker: job $job, candidate parts 0, chunks $((total - done_before)) " ||
    fail "the rerun did not take exactly the $((total - done_before)) chunks left of job $job"
[ "$(work_rows)" = 0 ] || fail "work rows left after the job: $(work_rows)"

check "two workers, one killed: the other completes the job"
start_worker k2
victim=$last
start_worker k3
survivor=$last
kill_after_chunks 5 "$victim"
wait "$survivor" || { cat k3.err >&2; fail "the surviving worker failed"; }
pids=""
cmp -s k3.json demo.sq || fail "the surviving worker's clusters differ from SQLite's"
check "  $(worker_line k3.err)"
grep -q "stored the clusters" k3.err || fail "the survivor did not finish the job"
[ "$(work_rows)" = 0 ] || fail "work rows left after the job: $(work_rows)"

check "killed, then new articles: the rerun starts a job for them"
start_worker k4
kill_after_chunks 3 "$last"
pids=""
old=$(sql "SELECT id FROM cluster_job")
write_budget budget.txt
write_budget_copy rewrite.txt
expect 0 "$REPRINT" index -q -d "$DEMO" budget.txt rewrite.txt
expect 0 "$REPRINT" index -q -d demo.db budget.txt rewrite.txt
expect 0 "$REPRINT" cluster -q -d demo.db --json --all
mv out demo2.sq
expect 0 "$REPRINT" cluster -d "$DEMO" --json --all --worker
cmp -s out demo2.sq || fail "after new articles: cluster --json --all differs from SQLite's"
check "  $(worker_line err)"
worker_line err | grep -q "^worker: job $((old + 1)), candidate parts 16, " ||
    fail "job $old was not replaced by a new job of its own: $(worker_line err)"
[ "$(work_rows)" = 0 ] || fail "work rows left after the job: $(work_rows)"
echo "pg_workers: all passed"
