#!/bin/sh
# gen_eval.sh: datagen is deterministic and its truth matches its output;
# evalclusters scores hand-made clusterings (perfect, all singletons, one
# cluster) with the figures those partitions must have.
# Env: BUILD (absolute build folder holding benchmarks/datagen and
# benchmarks/evalclusters), SHARED (optional: ../shared with data/).
set -eu

DATAGEN="$BUILD/benchmarks/datagen"
EVAL="$BUILD/benchmarks/evalclusters"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# --- determinism ------------------------------------------------------
"$DATAGEN" --builtin --seed 42 --stories 60 --negatives 8 --out "$tmp/a.jsonl" --truth "$tmp/a.tsv" 2>"$tmp/a.err"
"$DATAGEN" --builtin --seed 42 --stories 60 --negatives 8 --out "$tmp/b.jsonl" --truth "$tmp/b.tsv" 2>/dev/null
"$DATAGEN" --builtin --seed 43 --stories 60 --negatives 8 --out "$tmp/c.jsonl" --truth "$tmp/c.tsv" 2>/dev/null
cmp "$tmp/a.jsonl" "$tmp/b.jsonl" || fail "same seed, different JSONL"
cmp "$tmp/a.tsv" "$tmp/b.tsv" || fail "same seed, different truth"
if cmp -s "$tmp/a.jsonl" "$tmp/c.jsonl"; then fail "different seeds, same JSONL"; fi
grep -q 'seed 42' "$tmp/a.err" || fail "seed not reported on stderr"

# --- truth matches output ---------------------------------------------
lines=$(wc -l <"$tmp/a.jsonl")
tlines=$(wc -l <"$tmp/a.tsv")
[ "$lines" -eq "$tlines" ] || fail "JSONL has $lines lines, truth $tlines"
[ "$(grep -c '	original	' "$tmp/a.tsv")" -eq 60 ] || fail "expected 60 originals"
[ "$(grep -c '	negative	' "$tmp/a.tsv")" -eq 8 ] || fail "expected 8 negatives"
# ids in the same order in both files, and every line is a JSON object with text
cut -f1 "$tmp/a.tsv" >"$tmp/ids.truth"
sed 's/^{"id":"\([^"]*\)".*/\1/' "$tmp/a.jsonl" >"$tmp/ids.json"
cmp "$tmp/ids.truth" "$tmp/ids.json" || fail "ids differ between JSONL and truth"
[ "$(grep -c '"text":"' "$tmp/a.jsonl")" -eq "$lines" ] || fail "a record without text"
# a verbatim copy carries exactly its original's text
awk -F'\t' '$4 == "verbatim" { print $1 "\t" $2; exit }' "$tmp/a.tsv" >"$tmp/pair"
if [ -s "$tmp/pair" ]; then
    c=$(cut -f1 "$tmp/pair")
    o=$(cut -f2 "$tmp/pair")
    tc=$(grep "^{\"id\":\"$c\"" "$tmp/a.jsonl" | sed 's/.*"text"://')
    to=$(grep "^{\"id\":\"$o\"" "$tmp/a.jsonl" | sed 's/.*"text"://')
    [ "$tc" = "$to" ] || fail "verbatim copy $c differs from $o"
fi

# --- --spin: only spun copies, same names and figures, other wording ---
"$DATAGEN" --builtin --seed 7 --stories 20 --negatives 2 --spin --out "$tmp/s.jsonl" --truth "$tmp/s.tsv" 2>/dev/null
"$DATAGEN" --builtin --seed 7 --stories 20 --negatives 2 --spin --out "$tmp/s2.jsonl" --truth "$tmp/s2.tsv" 2>/dev/null
cmp "$tmp/s.jsonl" "$tmp/s2.jsonl" || fail "--spin: same seed, different JSONL"
[ "$(awk -F'\t' '$3 == "copy" && $4 != "spin"' "$tmp/s.tsv" | wc -l)" -eq 0 ] ||
    fail "--spin made copies of other kinds"
[ "$(awk -F'\t' '$4 == "spin"' "$tmp/s.tsv" | wc -l)" -gt 0 ] || fail "--spin made no copies"
awk -F'\t' '$4 == "spin" { print $1 "\t" $2; exit }' "$tmp/s.tsv" >"$tmp/spair"
c=$(cut -f1 "$tmp/spair")
o=$(cut -f2 "$tmp/spair")
tc=$(grep "^{\"id\":\"$c\"" "$tmp/s.jsonl" | sed 's/.*"text"://')
to=$(grep "^{\"id\":\"$o\"" "$tmp/s.jsonl" | sed 's/.*"text"://')
[ "$tc" != "$to" ] || fail "spun copy $c is verbatim"

# --- evalclusters on hand-made clusterings ----------------------------
T="$tmp/a.tsv"
# perfect: one cluster per story, original = story id
awk -F'\t' '{ m[$2] = m[$2] (m[$2] == "" ? "" : ",") "{\"id\":\"" $1 "\",\"role\":\"x\"}" }
    END { n = 0; for (s in m) printf "{\"cluster\":%d,\"original\":\"%s\",\"members\":[%s]}\n", ++n, s, m[s] }' \
    "$T" >"$tmp/perfect.jsonl"
"$EVAL" "$T" "$tmp/perfect.jsonl" >"$tmp/perfect.out"
for f in precision recall f1 ari attribution; do
    grep -q "^$f  *1\.0000" "$tmp/perfect.out" || fail "perfect: $f is not 1"
done
grep -q '^negatives_fp  *0\.0000' "$tmp/perfect.out" || fail "perfect: negatives clustered"

# all singletons (an empty clusters file means the same)
awk -F'\t' '{ printf "{\"cluster\":%d,\"original\":\"%s\",\"members\":[{\"id\":\"%s\"}]}\n", NR, $1, $1 }' \
    "$T" >"$tmp/single.jsonl"
"$EVAL" "$T" "$tmp/single.jsonl" >"$tmp/single.out"
grep -q '^recall  *0\.0000' "$tmp/single.out" || fail "singletons: recall is not 0"
"$EVAL" "$T" /dev/null >"$tmp/empty.out"
grep -q '^recall  *0\.0000' "$tmp/empty.out" || fail "empty: recall is not 0"

# everything in one cluster: recall 1, ARI 0, every negative a false positive
awk -F'\t' 'BEGIN { printf "{\"cluster\":1,\"original\":null,\"members\":[" }
    { printf "%s{\"id\":\"%s\"}", (NR > 1 ? "," : ""), $1 } END { print "]}" }' "$T" >"$tmp/one.jsonl"
"$EVAL" "$T" "$tmp/one.jsonl" >"$tmp/one.out"
grep -q '^ari  *0\.0000' "$tmp/one.out" || fail "one cluster: ARI is not 0"
grep -q '^recall  *1\.0000' "$tmp/one.out" || fail "one cluster: recall is not 1"
grep -q '^negatives_fp  *1\.0000' "$tmp/one.out" || fail "one cluster: negatives not counted"
"$EVAL" --json "$T" "$tmp/one.jsonl" | grep -q '"ari":0' || fail "--json: ari missing"

# a bad clusters file is an error
echo 'not json' >"$tmp/bad.jsonl"
if "$EVAL" "$T" "$tmp/bad.jsonl" >/dev/null 2>&1; then fail "malformed clusters accepted"; fi

# --- Reuters source, when the data is there ------------------------------
R="${SHARED:-../shared}/data/reuters21578"
if [ -f "$R/reut2-000.sgm" ]; then
    "$DATAGEN" --reuters "$R" --seed 5 --stories 30 --out "$tmp/r1.jsonl" --truth "$tmp/r1.tsv" 2>/dev/null
    "$DATAGEN" --reuters "$R" --seed 5 --stories 30 --out "$tmp/r2.jsonl" --truth "$tmp/r2.tsv" 2>/dev/null
    cmp "$tmp/r1.jsonl" "$tmp/r2.jsonl" || fail "Reuters: same seed, different output"
    [ "$(wc -l <"$tmp/r1.jsonl")" -eq "$(wc -l <"$tmp/r1.tsv")" ] || fail "Reuters: line counts"
    grep -q '"site":"reuters.com"' "$tmp/r1.jsonl" || fail "Reuters: no Reuters originals"
    "$DATAGEN" --reuters-jsonl "$R" --out "$tmp/all.jsonl" 2>"$tmp/all.err"
    n=$(wc -l <"$tmp/all.jsonl")
    grep -q "converted $n Reuters" "$tmp/all.err" || fail "Reuters: count not reported"
    [ "$n" -gt 10000 ] || fail "Reuters: only $n stories converted"
    grep -q '^{"id":"reuters-1",.*"published":"1987-02-26T15:01:01Z"' "$tmp/all.jsonl" ||
        fail "Reuters: first story or its date"
    if grep -q '&lt;\|&#3;' "$tmp/all.jsonl"; then fail "Reuters: entities left"; fi
else
    echo "skip: no Reuters-21578 data under $R"
fi
echo "ok"
