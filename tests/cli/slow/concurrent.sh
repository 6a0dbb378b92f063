#!/bin/sh
# Concurrent use of one database: query, show, stats and report keep working
# (never "database is locked") while an index runs, and two index runs
# started together on the same database both finish, serialised, with every
# article stored exactly once.
set -eu
tmp=$(mktemp -d)
pids=""
trap 'for p in $pids; do kill -9 $p 2>/dev/null || true; done; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

: "${BUILD:=$(dirname "$REPRINT")}"
[ -x "$BUILD/benchmarks/datagen" ] || { echo "skip: no $BUILD/benchmarks/datagen"; exit 0; }
"$BUILD/benchmarks/datagen" --seed 7 --stories 1500 --builtin --out a.jsonl 2>/dev/null
"$BUILD/benchmarks/datagen" --seed 8 --stories 1500 --builtin --out b.jsonl 2>/dev/null
# The two feeds share ids (datagen numbers them the same way): b's ids get a
# prefix, and b repeats 200 of a's records, so both runs race on those.
"$PYTHON" - a.jsonl b.jsonl <<'PY'
import json, sys
a = [json.loads(l) for l in open(sys.argv[1])]
b = [json.loads(l) for l in open(sys.argv[2])]
for r in b:
    r["id"] = "b-" + str(r["id"])
with open(sys.argv[2], "w") as f:
    for r in b + a[:200]:
        f.write(json.dumps(r) + "\n")
PY
nids=$("$PYTHON" -c 'import json,sys
print(len({json.loads(l)["id"] for f in sys.argv[1:] for l in open(f)}))' a.jsonl b.jsonl)
check "$nids distinct ids in two feeds"

write_budget budget.txt
expect 0 "$REPRINT" index -q -d c.db budget.txt

check "two index runs at once, readers looping meanwhile"
"$REPRINT" index -q -j 2 -d c.db a.jsonl >/dev/null 2>ia.err &
ia=$!
pids="$ia"
"$REPRINT" index -q -j 2 -d c.db b.jsonl >/dev/null 2>ib.err &
ib=$!
pids="$ia $ib"
reads=0
while kill -0 "$ia" 2>/dev/null || kill -0 "$ib" 2>/dev/null; do
    for cmd in "stats --json" "show budget.txt" "query budget.txt" "report --format json"; do
        set +e
        # shellcheck disable=SC2086
        "$REPRINT" $cmd -d c.db >r.out 2>r.err
        rc=$?
        set -e
        case $rc in
        0 | 1) ;;
        *) fail "'reprint $cmd' exited $rc during indexing: $(cat r.err)" ;;
        esac
        ! grep -qi "locked\|busy" r.err || fail "'reprint $cmd': $(cat r.err)"
        reads=$((reads + 1))
    done
done
set +e
wait "$ia"
ra=$?
wait "$ib"
rb=$?
set -e
pids=""
echo "  $reads reader runs while indexing"
[ "$reads" -ge 8 ] || fail "only $reads reader runs happened during indexing"
[ "$ra" -eq 0 ] || fail "first index exited $ra: $(cat ia.err)"
[ "$rb" -eq 0 ] || fail "second index exited $rb: $(cat ib.err)"
grep -h '^indexed ' ia.err ib.err | sed 's/^/  /'
check "the later run waited for the earlier one, and said so"
grep -q 'another reprint run is writing to this database; waiting' ia.err ib.err ||
    fail "no run waited: $(cat ia.err ib.err)"

check "every article once: $nids + 1"
"$REPRINT" stats -d c.db --json >stats
py 'import json, sqlite3, sys
s = json.load(open(sys.argv[1]))
want = int(sys.argv[3]) + 1
assert s["articles"] == want, (s["articles"], want)
con = sqlite3.connect(sys.argv[2])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
n, d = con.execute("SELECT count(*), count(DISTINCT id) FROM articles").fetchone()
assert n == d == want, (n, d, want)' stats c.db "$nids"
na=$(sed -n 's/^indexed \([0-9]*\),.*/\1/p' ia.err)
nb=$(sed -n 's/^indexed \([0-9]*\),.*/\1/p' ib.err)
[ $((na + nb)) -eq "$nids" ] || fail "summaries say $na + $nb, expected $nids"
echo "ok"
