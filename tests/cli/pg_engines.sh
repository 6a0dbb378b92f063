#!/bin/sh
# The PostgreSQL engine against SQLite: the same inputs indexed into a SQLite
# file and a PostgreSQL database (a throwaway server, tests/cli/pg.inc) give
# the same output from every command of the contract: index, cluster (JSON
# and the tree), query, show, stats, report, export, compare --db, remove and
# a re-cluster; the database is also chosen by REPRINT_DB, by a URL and by
# the libpq key=value form. Skipped, saying so, without PostgreSQL.
set -eu
tmp=$(mktemp -d)
trap 'pg_cleanup; rm -rf "$tmp"' EXIT
pg_cleanup() { :; }
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.inc"
. "$here/pg.inc"
: "${BUILD:=$(dirname "$REPRINT")}"

# REPRINT_PG_SHARDED=1: the PostgreSQL side is the sharded layout over two
# servers (tests/cli/slow/pg_sharded.sh runs this test so)
if [ -n "${REPRINT_PG_SHARDED:-}" ]; then
    pg_has_fdw || fail "REPRINT_PG_SHARDED: the server has no postgres_fdw"
    PG=$(pg_shard_db rp_engines)
else
    PG=$(pg_db rp_engines)
fi
SQ=s.db
"$BUILD/benchmarks/datagen" --seed 11 --stories 50 --negatives 15 --out corpus.jsonl \
    --truth truth.tsv 2>/dev/null
write_budget budget.txt
write_budget_copy rewrite.txt
write_flood flood.txt

# run NAME CMD...: run CMD against both engines (the word DB stands for the
# database), outputs in NAME.sq and NAME.pg with the database name made
# the same, and fail unless exit codes and outputs agree.
run() {
    name=$1
    shift
    for eng in sq pg; do
        if [ $eng = sq ]; then d=$SQ; else d=$PG; fi
        set +e
        (
            for a in "$@"; do
                shift
                [ "$a" = DB ] && a=$d
                set -- "$@" "$a"
            done
            "$@"
        ) >"$name.$eng" 2>"$name.$eng.err"
        echo $? >"$name.$eng.rc"
        set -e
        sed -i "s|$d|DATABASE|g" "$name.$eng" "$name.$eng.err"
    done
    cmp -s "$name.sq.rc" "$name.pg.rc" ||
        fail "$name: exit $(cat "$name.sq.rc") on SQLite, $(cat "$name.pg.rc") on PostgreSQL: $(cat "$name.pg.err")"
    cmp -s "$name.sq" "$name.pg" || {
        diff "$name.sq" "$name.pg" | head -n 20 >&2
        fail "$name: outputs differ between SQLite and PostgreSQL"
    }
}

check "index: the same summary on both engines"
run index "$REPRINT" index -d DB corpus.jsonl budget.txt flood.txt
cmp -s index.sq.err index.pg.err || fail "index summaries differ: $(cat index.sq.err) / $(cat index.pg.err)"
grep -q '^indexed ' index.pg.err || fail "no summary: $(cat index.pg.err)"

check "index again: everything already indexed, on both"
run reindex "$REPRINT" index -d DB corpus.jsonl
cmp -s reindex.sq.err reindex.pg.err || fail "re-index summaries differ"

check "index: repeats inside one batch, and ids that need quoting"
# The writer checks a batch's ids and texts in one statement: an id or a
# text seen earlier in the same batch must still count as stored.
t1="Harbour workers voted on Tuesday to end the strike that closed the port for nine days."
t2="The central bank left its main rate unchanged and said inflation would ease next year."
{
    printf '{"id":"rep-1","site":"a.example","text":"%s"}\n' "$t1"
    printf '{"id":"rep-2","site":"b.example","text":"%s"}\n' "$t1"
    printf '{"id":"rep-1","site":"c.example","text":"%s"}\n' "$t2"
    printf '{"id":"rep \\"q\\" \\\\ {x,y} NULL","site":"c.example","text":"%s"}\n' "$t2"
    printf '{"id":"NULL","site":"d.example","text":"%s"}\n' "$t1"
    printf '{"id":"r\u00e9p-\u65e5","site":"d.example","text":"%s"}\n' "$t2"
    printf '{"id":"rep-3","site":"d.example","text":"%s"}\n' "$t2"
} >repeats.jsonl
run repeats "$REPRINT" index -d DB repeats.jsonl
cmp -s repeats.sq.err repeats.pg.err || fail "summaries differ: $(cat repeats.sq.err) / $(cat repeats.pg.err)"
grep -q '^indexed 6, exact duplicates 4' repeats.pg.err || fail "repeats: $(cat repeats.pg.err)"
run repeats_again "$REPRINT" index -d DB repeats.jsonl
grep -q '^indexed 0' repeats_again.pg.err || fail "repeats again: $(cat repeats_again.pg.err)"
run repeats_show "$REPRINT" show -d DB --json 'rep "q" \ {x,y} NULL'

check "cluster --json --all: equal"
run cluster_json "$REPRINT" cluster -q -d DB --json --all
[ "$(wc -l <cluster_json.pg)" -gt 10 ] || fail "too few clusters: $(wc -l <cluster_json.pg)"
run cluster_tree "$REPRINT" cluster -d DB
run cluster_last "$REPRINT" cluster -q -d DB --json

check "stats, show, export, report, query, compare --db: equal"
run stats "$REPRINT" stats -d DB
run stats_json "$REPRINT" stats -d DB --json
id=$("$PYTHON" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["members"][0]["id"])' cluster_json.pg)
id2=$("$PYTHON" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["members"][1]["id"])' cluster_json.pg)
run show "$REPRINT" show -d DB "$id"
run show_json "$REPRINT" show -d DB --json "$id"
run export "$REPRINT" export -d DB
run export_dedup "$REPRINT" export -d DB --dedup
run report_json "$REPRINT" report -d DB --format json --passages
run report_csv "$REPRINT" report -d DB --format csv
run report_html "$REPRINT" report -d DB -o report.html
run query "$REPRINT" query -d DB --json rewrite.txt
grep -q budget query.pg || fail "query did not find the budget story: $(cat query.pg)"
run query_id "$REPRINT" query -d DB --json --id "$id2"
run compare "$REPRINT" compare --json --db DB "$id" "$id2"
run show_missing "$REPRINT" show -d DB no-such-id
[ "$(cat show_missing.pg.rc)" -ne 0 ] || fail "show of a missing id succeeded"

check "remove, then cluster again: equal"
run remove "$REPRINT" remove -d DB "$id" budget.txt
run after_remove "$REPRINT" cluster -q -d DB --json --all
run stats_after "$REPRINT" stats -d DB --json
cmp -s cluster_json.pg after_remove.pg && fail "remove changed nothing"

check "REPRINT_DB, a URL and the key=value form choose PostgreSQL"
REPRINT_DB=$PG "$REPRINT" stats --json >env.out || fail "stats with REPRINT_DB=$PG failed"
sed "s|$PG|DATABASE|g" env.out | cmp -s - stats_after.pg || fail "REPRINT_DB: other stats"
host=$(echo "$PG" | sed 's/^host=\([^ ]*\) .*/\1/')
url="postgresql://reprint@/rp_engines?host=$host"
"$REPRINT" stats -d "$url" --json | sed "s|$url|DATABASE|g" | cmp -s - stats_after.pg ||
    fail "URL $url: other stats"

check "remove an original with exact duplicates: the first of them takes its place"
run remove_original "$REPRINT" remove -d DB rep-1
run show_heir "$REPRINT" show -d DB --json rep-2
run after_remove_original "$REPRINT" cluster -q -d DB --json --all
run stats_heir "$REPRINT" stats -d DB --json

check "errors: a database that is not reprint's, and no server"
NOT=$(pg_db rp_not_ours)
"$("$pg_server" bindir)/psql" -X -q -h "$host" -U reprint -d rp_not_ours \
    -c 'CREATE TABLE t(x int)' >/dev/null
expect 3 "$REPRINT" index -d "$NOT" budget.txt
grep -q 'not a reprint database' err || fail "no message: $(cat err)"
EMPTY=$(pg_db rp_empty)
expect 3 "$REPRINT" stats -d "$EMPTY"
grep -q 'no reprint index in this database' err || fail "no message: $(cat err)"
expect 3 "$REPRINT" stats -d "host=$tmp/nowhere user=reprint dbname=x"
grep -q 'cannot connect to the PostgreSQL server' err || fail "no message: $(cat err)"
echo "pg_engines: all passed"
