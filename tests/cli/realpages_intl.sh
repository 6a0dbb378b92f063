#!/bin/sh
# realpages_intl.sh: the tools of the non-English real-page evaluation.
#   datagen --copy-of: each language-neutral edit does what it says to a
#     French text (deterministic per seed, no English word added) and bad
#     input gets a message naming the file;
#   scripts/realpages-intl-save: writes the labelled rows' texts from a
#     search answer, minus the corpus's date marker;
#   scripts/eval-real-intl: names malformed label rows, skips with a
#     message without texts, and on a small labelled set of its own prints
#     per-language figures that match the set (the copy pair found, the
#     independent page left alone).
# The texts here are written for this test.
# Env: BUILD (absolute build folder), REPRINT.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/tests/cli/common.inc"
DATAGEN="$BUILD/benchmarks/datagen"

cat >src.txt <<'EOF'
Le conseil municipal de Villeneuve a voté mardi soir un budget de 4,2 millions d'euros pour rénover la piscine. Les travaux commenceront en septembre et dureront dix-huit mois.
"Nous avons attendu trop longtemps", a déclaré la maire, Claire Dumas. Elle a ajouté que la ville paierait la moitié de la facture.
L'opposition a voté contre. Selon elle, le coût final dépassera 5 millions. La région doit encore confirmer sa part.
Le chantier sera confié à une entreprise locale. Les nageurs du club iront à Montreuil pendant les travaux.
EOF

words() { tr -s ' \n' '\n\n' <"$1" | grep -c .; }

check "copy-of: deterministic per seed, and the seed matters"
for e in verbatim chrome truncate drop reorder edit; do
    "$DATAGEN" --copy-of src.txt --edit $e --seed 5 --out a.$e
    "$DATAGEN" --copy-of src.txt --edit $e --seed 5 >b.$e
    cmp a.$e b.$e || fail "--edit $e: same seed, different copy"
done
differs=0
for s in 1 2 3 4 5 6; do
    "$DATAGEN" --copy-of src.txt --edit reorder --seed $s >r.$s
    cmp -s r.1 r.$s || differs=1
done
[ $differs -eq 1 ] || fail "reorder: six seeds, one order"

check "copy-of: verbatim keeps every word; chrome adds its lines around them"
[ "$(tr -s ' \n' ' ' <a.verbatim)" = "$(tr -s ' \n' ' ' <src.txt)" ] || fail "verbatim changed the text"
grep -q '^Source link$' a.chrome || fail "chrome: no footer line"
for w in Villeneuve Dumas Montreuil; do grep -q $w a.chrome || fail "chrome lost $w"; done

check "copy-of: truncate keeps an opening part, drop and edit only take away"
[ "$(words a.truncate)" -lt "$(words src.txt)" ] || fail "truncate kept everything"
[ "$(head -c 60 a.truncate)" = "$(head -c 60 src.txt)" ] || fail "truncate changed the opening"
[ "$(words a.drop)" -lt "$(words src.txt)" ] || fail "drop dropped nothing"
[ "$(words a.edit)" -lt "$(words src.txt)" ] || fail "edit deleted no word"
for w in also now reportedly currently still further recently officially meanwhile notably; do
    if grep -qw $w a.edit; then fail "edit inserted the English filler '$w'"; fi
done
$PYTHON - a.reorder src.txt <<'EOF' || fail "reorder: not the same words"
import sys
a, b = (sorted(open(f, encoding="utf-8").read().split()) for f in sys.argv[1:])
sys.exit(0 if a == b else 1)
EOF

check "copy-of: bad input named"
expect 2 "$DATAGEN" --copy-of src.txt --edit synonym10
grep -q 'synonym10' err || fail "English-only edit not named"
expect 1 "$DATAGEN" --copy-of nothere.txt --edit drop
grep -q 'nothere.txt' err || fail "missing file not named"
: >empty.txt
expect 1 "$DATAGEN" --copy-of empty.txt --edit drop
grep -q 'empty.txt: empty' err || fail "empty file not reported"
expect 2 "$DATAGEN" --edit drop
grep -q 'go together' err || fail "--edit without --copy-of accepted"

# A labelled set of two events: in fr1 a copy pair and an independent page,
# in fr2 one story and its shortened copy.
mkdir -p labels texts
cp src.txt texts.a
{
    printf 'Le conseil municipal de Villeneuve a voté mardi un budget pour la piscine.\n\n'
    cat src.txt
    printf '\nPartager cet article\n'
} >texts.b
cat >texts.c <<'EOF'
La piscine de Villeneuve fermera à la rentrée. Claire Dumas, qui dirige la ville depuis 2020, défend un projet coûteux mais nécessaire selon les usagers interrogés samedi.
Au club de natation, on s'inquiète surtout des déplacements vers Montreuil, à quarante minutes en bus. Les parents demandent une navette.
EOF
cat >texts.d <<'EOF'
Un incendie a détruit dans la nuit de dimanche à lundi un entrepôt de meubles à Saint-Amand. Aucun blessé n'est à déplorer, mais quarante salariés sont au chômage technique.
Les pompiers ont lutté pendant six heures contre les flammes. L'origine du feu reste inconnue et une enquête a été ouverte par le parquet.
Le directeur du site espère reprendre l'activité dans un autre bâtiment d'ici un mois.
EOF
head -n 2 texts.d >texts.e
printf '%s\thttps://a.example/1\tq1\tthe story\n' agence_a.txt >labels/fr1.tsv
printf '%s\thttps://b.example/1\tq1\tcopy with a teaser and a share line\n' agence_b.txt >>labels/fr1.tsv
printf '%s\thttps://c.example/1\tq1\tindependent\n' unknown_c.txt >>labels/fr1.tsv
printf '%s\thttps://d.example/1\tq2 "quoted"\tthe story\n' feu_d.txt >labels/fr2.tsv
printf '%s\thttps://e.example/1\tq2 "quoted"\tits opening\n' feu_e.txt >>labels/fr2.tsv

check "realpages-intl-save: writes the rows of the answer, minus the date marker"
$PYTHON - "$tmp" <<'EOF'
import json, sys
t = lambda n: open(f"{sys.argv[1]}/texts.{n}", encoding="utf-8").read()
ans = {"query": "q1", "results": [
    {"url": "https://a.example/1", "excerpt": " date 2024-05 " + t("a")},
    {"url": "https://b.example/1", "excerpt": t("b")},
    {"url": "https://z.example/1", "excerpt": "not labelled"}]}
json.dump(ans, open("ans1.json", "w"))
ans = {"query": 'q2 "quoted"', "results": [
    {"url": "https://c.example/1", "excerpt": t("c")},
    {"url": "https://d.example/1", "excerpt": t("d")},
    {"url": "https://e.example/1", "excerpt": t("e")}]}
json.dump(ans, open("ans2.json", "w"))
EOF
expect 0 "$ROOT/scripts/realpages-intl-save" --labels labels --texts texts <ans1.json
grep -q 'not in this answer although its query is theirs: fr1/unknown_c.txt' out ||
    fail "missing row of the query not reported"
cmp texts/fr1/agence_a.txt texts.a || fail "date marker not stripped, or text changed"
cmp texts/fr1/agence_b.txt texts.b || fail "text b changed"
[ ! -e texts/fr1/unknown_c.txt ] || fail "a row not in the answer got a text"
expect 0 "$ROOT/scripts/realpages-intl-save" --labels labels --texts texts <ans2.json
grep -q "unknown_c.txt  (row's own query differs)" out || fail "other query's row not flagged"
for f in fr1/unknown_c.txt fr2/feu_d.txt fr2/feu_e.txt; do [ -s texts/$f ] || fail "no $f"; done
echo 'not json' >bad.json
expect 1 "$ROOT/scripts/realpages-intl-save" --labels labels --texts texts <bad.json
grep -q 'not a search answer' err || fail "bad answer not reported"

check "eval-real-intl: skips with a message when the texts are absent"
expect 0 "$ROOT/scripts/eval-real-intl" --reprint "$REPRINT" --labels labels --texts nowhere --quiet
grep -q '^SKIP real non-English pages: nowhere not found' out || fail "no SKIP message"

check "eval-real-intl: a malformed label row is named, with its line and reason"
mkdir -p badlabels
cp labels/fr1.tsv badlabels/
printf 'feu_d.txt\thttps://d.example/1\tq2\n' >badlabels/fr2.tsv
echo fr2/feu_x.txt >badlabels/dontcare.txt
expect 2 "$ROOT/scripts/eval-real-intl" --reprint "$REPRINT" --labels badlabels --texts texts --quiet
grep -q 'badlabels/fr2.tsv:1: 3 columns' err || fail "short row not named"
grep -q 'badlabels/dontcare.txt:1: fr2/feu_x.txt is not a labelled page' err ||
    fail "unknown dontcare page not named"

check "eval-real-intl: per-language figures of the small set"
expect 0 "$ROOT/scripts/eval-real-intl" --reprint "$REPRINT" --labels labels --texts texts \
    --work work --quiet
$PYTHON - out <<'EOF' || { sed 's/^/    /' out >&2; fail "figures do not match the set"; }
import sys
rows = {}
for line in open(sys.argv[1], encoding="utf-8"):
    f = line.split()
    if len(f) > 6 and f[0] in ("fr", "all") and f[1] in ("real", "gen"):
        rows[(f[0], f[1], f[2])] = f
assert ("fr", "real", "ALL") in rows and ("fr", "gen", "ALL") in rows, rows.keys()
r = rows[("fr", "real", "TUNE")]           # fr1: one true pair, found, c left alone
assert r[3:6] == ["1", "3", "1"], r
assert r[7:10] == ["1.0000", "1.0000", "1.0000"], r
g = rows[("fr", "gen", "ALL")]              # generated copies: 2 per source, 2 sources an event
assert int(g[4]) == 5 + 8, g
EOF
grep -q 'generated copies: 8 ' out || fail "not 8 generated copies"
echo "ok"
