#!/bin/sh
# The sharded layout (scripts/pg-shard-setup) on two PostgreSQL servers:
# a coordinator database whose articles, article_lang, clusters and bands
# are partitioned by hash into foreign tables (postgres_fdw), shard 0 on
# the first server (tests/cli/pg.inc's), shard 1 on a second throwaway
# server (pg_shard_db). Then pg_concurrent.sh's test on it: three `reprint
# index` processes at once, each with its own part of one corpus whose
# parts share texts under other ids; every article stored once, every
# repeated text an exact duplicate (the counts of one SQLite run), a rerun
# stores nothing, `cluster --json --all` equal byte for byte to a SQLite
# run on the same articles in the order PostgreSQL numbered them, and a
# writer killed with SIGKILL while it has uncommitted rows on a shard
# leaves nothing there, and run again gives the counts of one
# uninterrupted run. Rows must really be on both shards, each where its
# partition key sends it; show, query, export, report and remove give
# SQLite's output, and so does every command of pg_engines.sh, run on the
# sharded layout. Skipped, saying so, without PostgreSQL or postgres_fdw.
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
psql="$("$pg_server" bindir)/psql"
A=$REPRINT_PG_TEST_DIR

# sql DIR DBNAME SQL: one value from a database on the server in DIR
sql() {
    "$psql" -X -A -t -q -h "$1" -U reprint -d "$2" -c "$3"
}

if ! pg_has_fdw; then
    echo "SKIP: $(basename "$0"): no postgres_fdw extension (it comes with Debian's postgresql package)"
    exit 0
fi
B=$tmp/pg2 # the second server, pg_shard_db starts it

# cluster_all DB OUT: cluster DB, its --json --all in OUT. The one place
# the clustering is run: distributed cluster workers go here.
cluster_all() {
    "$REPRINT" cluster -q -d "$1" --json --all >"$2" || fail "cluster of $1 failed"
}

# on_shards NAME TABLE: "rows on shard 0, rows on shard 1" of TABLE
on_shards() {
    echo "$(sql "$A" "${1}_s0" "SELECT count(*) FROM ${2}_s0") $(sql "$B" "${1}_s1" "SELECT count(*) FROM ${2}_s1")"
}

check "errors: pg-shard-setup refuses a URL and a shard without a user"
expect 2 "$root/scripts/pg-shard-setup" "postgresql:///x" "host=$A user=reprint dbname=y"
grep -q 'not a URL' err || fail "no message: $(cat err)"
expect 2 "$root/scripts/pg-shard-setup" "host=$A user=reprint dbname=x" "host=$A dbname=y"
grep -q 'user=' err || fail "no message: $(cat err)"

pg_parts_corpus

PG=$(pg_shard_db rp_sharded)
check "the layout: partitioned tables with foreign partitions, a reprint database"
[ "$(sql "$A" rp_sharded "SELECT count(*) FROM pg_foreign_table")" = 8 ] ||
    fail "not 8 foreign partitions: $(sql "$A" rp_sharded "SELECT count(*) FROM pg_foreign_table")"
[ "$(sql "$A" rp_sharded "SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relkind = 'p'")" = \
    "article_lang,articles,bands,clusters" ] || fail "other partitioned tables"
expect 0 "$REPRINT" stats -d "$PG" --json
grep -q '"articles":0' out || fail "a fresh layout is not an empty index: $(cat out err)"

check "three index processes at once into the sharded database"
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
# ids unique across the shards (each shard's unique index sees only its own
# rows; the writers' turns keep them unique across shards)
[ "$(sql "$A" rp_sharded "SELECT count(*) - count(DISTINCT id) FROM articles")" = 0 ] ||
    fail "an id stored twice across the shards"
[ "$(sql "$A" rp_sharded "SELECT count(*) FROM (SELECT content_hash FROM articles WHERE exact_of IS NULL GROUP BY content_hash HAVING count(*) > 1) d")" = 0 ] ||
    fail "a text stored twice as an original across the shards"

check "rerunning a part changes nothing"
expect 0 "$REPRINT" index -d "$PG" part1.jsonl
grep -q 'indexed 0, .*already indexed' err || fail "rerun stored something: $(tail -n 1 err)"

check "cluster --json --all: equal to SQLite's on the same articles in the same order"
# clustering breaks ties by rowid (pg_concurrent.sh says why): the SQLite
# run indexes the articles in the order PostgreSQL numbered them
expect 0 "$REPRINT" export -d "$PG"
mv out pgorder.jsonl
expect 0 "$REPRINT" index -q -d s2.db pgorder.jsonl
cluster_all "$PG" pg.json
cluster_all s2.db sq.json
cmp -s pg.json sq.json || fail "cluster --json --all differs from SQLite's in the same order"
[ "$(wc -l <sq.json)" -gt 100 ] || fail "too few clusters: $(wc -l <sq.json)"

check "rows on both shards, each where its partition key sends it"
n=$(sql "$A" rp_sharded "SELECT count(*) FROM articles")
for t in articles bands clusters article_lang; do
    # shellcheck disable=SC2046
    set -- $(on_shards rp_sharded $t)
    [ "$1" -gt 0 ] && [ "$2" -gt 0 ] || fail "$t: $1 rows on shard 0, $2 on shard 1"
    [ "$t" = bands ] || [ "$t" = article_lang ] || [ $(($1 + $2)) = "$n" ] ||
        fail "$t: $1 + $2 rows on the shards, $n articles"
    echo "    $t: $1 on shard 0, $2 on shard 1"
done
# the shard a row is on is the one its key hashes to (the coordinator's
# partition bound, recomputed for the row by satisfies_hash_partition on
# the coordinator: the materialized keys keep the test off the shard)
for t in articles:rowid bands:hash clusters:article article_lang:article; do
    tab=${t%%:*}
    key=${t#*:}
    for r in 0 1; do
        bad=$(sql "$A" rp_sharded "WITH k AS MATERIALIZED (SELECT $key AS k FROM ${tab}_s$r)
            SELECT count(*) FROM k WHERE NOT satisfies_hash_partition('$tab'::regclass, 2, $r, k)")
        [ "$bad" = 0 ] || fail "$tab: $bad rows on shard $r that hash to the other"
        # and the check can fail: no row fits the other remainder
        good=$(sql "$A" rp_sharded "WITH k AS MATERIALIZED (SELECT $key AS k FROM ${tab}_s$r)
            SELECT count(*) FROM k WHERE satisfies_hash_partition('$tab'::regclass, 2, $((1 - r)), k)")
        [ "$good" = 0 ] || fail "$tab: $good rows of shard $r fit shard $((1 - r)) as well"
    done
done
[ "$(sql "$B" rp_sharded_s1 "SELECT count(*) FROM bands_s1")" = "$(sql "$A" rp_sharded "SELECT count(*) FROM bands_s1")" ] ||
    fail "the coordinator's view of shard 1 is not shard 1"

check "show, query, export, report, then remove and cluster again: SQLite's output"
# the first cluster of two or more: its original and a copy
"$PYTHON" - sq.json >ids <<'PY'
import json, sys
c = next(c for c in map(json.loads, open(sys.argv[1])) if c["size"] >= 2)
print(c["members"][0]["id"])
print(c["members"][1]["id"])
PY
id=$(sed -n 1p ids)
id2=$(sed -n 2p ids)
for d in "$PG" s2.db; do
    e=pg
    [ "$d" = s2.db ] && e=sq
    # every command's exit status is part of the output compared
    set +e
    {
        "$REPRINT" show -d "$d" --json "$id"
        echo "show: exit $?"
        "$REPRINT" query -d "$d" --json --id "$id2"
        echo "query: exit $?"
        "$REPRINT" export -d "$d" 2>/dev/null
        echo "export: exit $?"
        "$REPRINT" report -d "$d" --format json 2>/dev/null
        echo "report: exit $?"
        "$REPRINT" remove -d "$d" "$id" 2>&1 | sed "s|$d|DATABASE|"
        "$REPRINT" cluster -q -d "$d" --json --all
        echo "cluster: exit $?"
        "$REPRINT" stats -d "$d" --json | sed 's/"last_cluster":[^,]*,//'
    } >cmds.$e 2>&1
    set -e
done
cmp -s cmds.pg cmds.sq || {
    diff cmds.sq cmds.pg | head -n 20 >&2
    fail "the sharded layout's output differs from SQLite's"
}

check "kill -9 mid-run, then rerun: nothing lost, nothing twice"
# The writer is killed while its transaction has rows on shard 1 that are
# not committed (the shard's backend for it has a transaction id); those
# must go with it, on both shards.
KILL=$(pg_shard_db rp_shkill)
"$REPRINT" index -q -d "$KILL" all.jsonl 2>/dev/null &
victim=$!
pids=$victim
writing="SELECT count(*) FROM pg_stat_activity WHERE datname = 'rp_shkill_s1' AND backend_xid IS NOT NULL"
for _ in $(seq 600); do
    [ "$(sql "$B" postgres "$writing")" -gt 0 ] && break
    sleep 0.1
done
[ "$(sql "$B" postgres "$writing")" -gt 0 ] || fail "the writer never had an open transaction on shard 1"
kill -9 "$victim" 2>/dev/null || true
wait "$victim" 2>/dev/null || true
pids=""
for _ in $(seq 300); do
    [ "$(sql "$B" postgres "$writing")" = 0 ] && break
    sleep 0.1
done
left="$(on_shards rp_shkill articles) $(on_shards rp_shkill bands)"
[ "$left" = "0 0 0 0" ] || fail "the killed writer left rows on the shards (articles, bands): $left"
expect 0 "$REPRINT" index -q -d "$KILL" all.jsonl
"$REPRINT" stats -d "$KILL" --json >kill.stats
"$PYTHON" - kill.stats sq.stats <<'PY'
import json, sys
k, s = (json.load(open(f)) for f in sys.argv[1:])
def pick(d):
    return {x: d.get(x) for x in ("articles", "exact_duplicates", "band_rows")}
assert pick(k) == pick(s), (pick(k), pick(s))
PY

check "every command of pg_engines.sh, against SQLite, on the sharded layout"
REPRINT_PG_TEST_DIR=$A REPRINT_PG_SHARDED=1 sh "$here/pg_engines.sh" >engines.out 2>&1 || {
    tail -n 20 engines.out >&2
    fail "pg_engines.sh failed on the sharded layout"
}
grep -q 'pg_engines: all passed' engines.out || fail "pg_engines.sh did not finish: $(tail -n 3 engines.out)"

check "three writers and two cluster workers at once, and killed workers (pg_workers.sh), on the sharded layout"
REPRINT_PG_TEST_DIR=$A REPRINT_PG_SHARDED=1 sh "$here/slow/pg_workers.sh" >workers.out 2>&1 || {
    tail -n 20 workers.out >&2
    fail "pg_workers.sh failed on the sharded layout"
}
grep -q 'pg_workers: all passed' workers.out || fail "pg_workers.sh did not finish: $(tail -n 3 workers.out)"
echo "pg_sharded: all passed"
