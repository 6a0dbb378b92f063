#!/bin/sh
# Languages: identified from the text, or given by --lang, JSONL "lang" and
# <html lang>; stored with each article and shown by show and cluster
# --json; an unknown --lang is a usage error; a database made before
# languages were stored still works. The texts are written for this test.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

fr="Le gouvernement a annoncé lundi un plan de relance pour les entreprises touchées par la crise. Selon le ministre, les aides seront versées dès le mois prochain aux petites et moyennes entreprises de la région."
en="The government announced on Monday a recovery plan for the companies hit by the crisis. According to the minister, the aid will be paid from next month to the small and medium firms of the region."
printf '%s\n' "$fr" >fr.txt
printf '%s\n' "$en" >en.txt
"$PYTHON" - "$fr" "$en" <<'PY'
import json, sys
fr, en = sys.argv[1], sys.argv[2]
with open("recs.jsonl", "w") as f:
    f.write(json.dumps({"id": "given", "lang": "fr-CA", "text": en}) + "\n")
    f.write(json.dumps({"id": "bogus", "lang": "klingon", "text": fr}) + "\n")
    f.write(json.dumps({"id": "page", "html": "<html lang=\"de\"><head><title>T</title></head><body><article><p>"
                        + en + "</p><p>" + en + "</p></article></body></html>"}) + "\n")
PY

check "identified from the text, given by the record, by the page"
"$REPRINT" index -q -d l.db fr.txt en.txt recs.jsonl
for id in fr.txt en.txt given bogus page; do
    "$REPRINT" show -d l.db --json "$id"
done >out
py 'import json,sys
got={}
for line in open(sys.argv[1]):
    o=json.loads(line); got[o["id"]]=o["lang"]
assert got=={"fr.txt":"fr","en.txt":"en","given":"fr","bogus":"fr","page":"de"}, got' out
"$REPRINT" show -d l.db fr.txt | grep -q '^lang *fr$' || fail "show: no lang line"

check "--lang overrides, and an unknown one is a usage error"
"$REPRINT" index -q -d m.db --lang es en.txt
"$REPRINT" show -d m.db --json en.txt >out
py 'import json,sys; assert json.load(open(sys.argv[1]))["lang"]=="es"' out
expect 2 "$REPRINT" index -q -d m.db --lang klingon en.txt
grep -q "unknown language" err || fail "no reason given for --lang klingon"
expect 2 "$REPRINT" compare --lang xx fr.txt en.txt

check "a French copy is found in French; a translation is not a copy"
printf '%s\n' "Lundi, le gouvernement a annoncé un plan de relance destiné aux entreprises touchées par la crise. Les aides seront versées dès le mois prochain aux petites et moyennes entreprises de la région, selon le ministre." >fr2.txt
expect 1 "$REPRINT" compare --json fr.txt fr2.txt
expect 0 "$REPRINT" compare --json fr.txt en.txt

check "cluster --json members carry their language"
"$REPRINT" index -q -d l.db fr2.txt
"$REPRINT" cluster -q -d l.db --json >out
py 'import json,sys
cl=[json.loads(l) for l in open(sys.argv[1])]
ms=[m for c in cl for m in c["members"] if m["id"] in ("fr.txt","fr2.txt")]
assert len(ms)==2 and all(m["lang"]=="fr" for m in ms), cl' out

check "query reads its input by its language and finds the French copy"
expect 1 "$REPRINT" query -d l.db --json fr2.txt
py 'import json,sys
o=json.loads(open(sys.argv[1]).read())
assert "fr.txt" in [m["id"] for m in o["matches"]], o' out

check "a database made before languages were stored"
"$REPRINT" index -q -d old.db fr.txt
py 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("DROP TABLE article_lang"); c.commit()' old.db
"$REPRINT" show -d old.db --json fr.txt >out
py 'import json,sys; assert json.load(open(sys.argv[1]))["lang"]=="fr"' out
"$REPRINT" index -q -d old.db fr2.txt
"$REPRINT" cluster -q -d old.db --json >out
py 'import json,sys
cl=[json.loads(l) for l in open(sys.argv[1])]
assert len(cl)==1 and {m["id"]:m["lang"] for m in cl[0]["members"]}=={"fr.txt":None,"fr2.txt":"fr"}, cl' out
echo ok
