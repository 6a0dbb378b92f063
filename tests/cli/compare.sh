#!/bin/sh
# reprint compare: --json shape and byte offsets, exit status 0/1, the
# terminal view without a terminal, and an --html page that escapes text.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

# A verbatim copy: a new opening, the original's body unchanged (with
# non-ASCII text, so byte and character offsets differ), a new ending.
cat >orig.txt <<'TXT'
The café on Rue Sainte-Catherine reopened on Saturday after a fire in March destroyed its kitchen and most of the dining room. The owners, Élodie and Marc Dupré, said the neighbourhood had raised more than forty thousand euros to help them rebuild.

“We never thought we would open again,” said Élodie Dupré, standing behind a new counter made from oak beams salvaged from the old building. The first customers queued from seven in the morning for coffee and the almond croissants the café is known for.
TXT
cat >copy.txt <<'TXT'
Good news from the old quarter this weekend.

The café on Rue Sainte-Catherine reopened on Saturday after a fire in March destroyed its kitchen and most of the dining room. The owners, Élodie and Marc Dupré, said the neighbourhood had raised more than forty thousand euros to help them rebuild.

Reporting by the weekend desk; more local stories on page nine.
TXT
write_science other.txt

check "a verbatim copy: exit 1, contract JSON"
expect 1 "$REPRINT" compare --json orig.txt copy.txt
mv out cmp.json
py 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1, lines
c=json.loads(lines[0])
assert list(c)==["a","b","score","jaccard","containment_a_in_b","containment_b_in_a",
                 "coverage_a","coverage_b","passages"], list(c)
assert c["a"]=="orig.txt" and c["b"]=="copy.txt", c
for k in list(c)[2:8]:
    assert isinstance(c[k],float) and 0<=c[k]<=1, (k,c)
assert c["score"]>=0.5, c
assert c["passages"], c
for p in c["passages"]:
    assert list(p)==["a_start","a_end","b_start","b_end","quoted"], p
    assert isinstance(p["quoted"],bool), p' cmp.json

check "passage offsets are byte offsets of the same text on both sides"
"$REPRINT" index -d c.db orig.txt copy.txt 2>/dev/null
"$REPRINT" show -d c.db --json orig.txt >a.json
"$REPRINT" show -d c.db --json copy.txt >b.json
py 'import json,sys
c=json.load(open(sys.argv[1]))
a=json.load(open(sys.argv[2]))["text"].encode()
b=json.load(open(sys.argv[3]))["text"].encode()
for p in c["passages"]:
    assert 0<=p["a_start"]<p["a_end"]<=len(a), (p,len(a))
    assert 0<=p["b_start"]<p["b_end"]<=len(b), (p,len(b))
    pa=a[p["a_start"]:p["a_end"]]; pb=b[p["b_start"]:p["b_end"]]
    assert pa==pb, (pa,pb)
    pa.decode()  # offsets fall on character boundaries
covered=sum(len(a[p["a_start"]:p["a_end"]].split()) for p in c["passages"])
assert covered>=30, covered' cmp.json a.json b.json

check "the reverse comparison swaps the sides"
expect 1 "$REPRINT" compare --json copy.txt orig.txt
py 'import json,sys
x=json.load(open(sys.argv[1])); y=json.load(open(sys.argv[2]))
assert x["containment_a_in_b"]==y["containment_b_in_a"], (x,y)
assert x["score"]==y["score"], (x,y)' cmp.json out

check "unrelated articles: exit 0"
expect 0 "$REPRINT" compare --json orig.txt other.txt
py 'import json,sys; c=json.load(open(sys.argv[1])); assert c["passages"]==[], c' out

check "terminal view on a pipe: plain text, numbered passages, summary"
expect 1 "$REPRINT" compare orig.txt copy.txt
grep -q '^score .*reuse found' out || fail "no verdict: $(head -5 out)"
grep -q '^\[1\]' out || fail "passages not numbered"
grep -q ' | ' out || fail "no side-by-side columns"
if grep -q "$(printf '\033')" out; then fail "colour codes on a pipe"; fi
COLUMNS=60 "$REPRINT" compare orig.txt copy.txt >narrow || true
awk 'length($0) > 60 { bad = 1 } END { exit bad }' narrow || fail "lines wider than COLUMNS=60"

check "--html: one page, passages marked, text escaped"
cat >evil.txt <<'TXT'
The café on Rue Sainte-Catherine reopened on Saturday after a fire in March destroyed its kitchen and most of the dining room. The owners, Élodie and Marc Dupré, said the neighbourhood had raised more than forty thousand euros to help them rebuild.
<script>alert("x & 'y'")</script> Tom & Jerry <b>bold</b>
TXT
expect 1 "$REPRINT" compare --html orig.txt evil.txt
head -n 1 out | grep -qi '^<!DOCTYPE html>' || fail "not an HTML page"
tail -n 1 out | grep -q '</html>' || fail "page not closed"
grep -q '<mark' out || fail "no <mark> on passages"
! grep -qi '<script' out || fail "unescaped <script> in the page"
! grep -q '<b>bold' out || fail "unescaped <b> in the page"
grep -q '&lt;script&gt;alert(&quot;x &amp; &#39;y&#39;&quot;)&lt;/script&gt;' out ||
    fail "script text not escaped as expected"
grep -q 'Tom &amp; Jerry' out || fail "& not escaped"
! grep -q '<link\|src=' out || fail "page is not self-contained"

check "a copy reworded sentence by sentence: REWRITTEN passages, marked apart in --html"
cat >budget.txt <<'TXT'
The harbour board approved a new dredging plan on Tuesday that deepens the main channel by two metres.

Board members voted 7 to 2 after a long argument about the cost and the noise for nearby homes.

Chair Ruth Okonedo said the deeper channel would let larger container ships dock and bring new jobs to the eastern wharves.

Fishermen argued that the money should have gone to repairing the old breakwater instead.

The plan also limits night work to four hours, a promise made to residents during the consultation.

Engineers expect dredging to start in late autumn, once the licences have been signed.
TXT
cat >spun.txt <<'TXT'
On Tuesday the board of the harbour gave its approval to a fresh plan for dredging which deepens the channel by two metres.

After lengthy arguing over the noise for homes nearby and the cost, members of the board voted 7 to 2.

According to Chair Ruth Okonedo, the channel once deeper will bring additional jobs to the wharves in the east and let container ships that are larger dock.

The fishermen insisted the money ought to have been spent on repairs to the breakwater that is old.

Night work is also limited by the plan to four hours, which keeps a promise residents were made in the consultation.

Dredging is expected by the engineers to begin late in the autumn, after the licences are signed.
TXT
expect 1 "$REPRINT" compare budget.txt spun.txt
grep -q 'REWRITTEN' out || fail "no passage labelled REWRITTEN"
grep -q 'passages .*rewritten' out || fail "summary does not count rewritten passages"
expect 1 "$REPRINT" compare --html budget.txt spun.txt
grep -q '<mark class="rewritten"' out || fail "no rewritten mark in the page"
expect 1 "$REPRINT" compare --json budget.txt spun.txt
py 'import json,sys
c=json.loads(open(sys.argv[1]).read())
assert c["score"]>=0.5, c
for p in c["passages"]:
    assert list(p)==["a_start","a_end","b_start","b_end","quoted"], p' out

check "--html: titles, numbered passages in rows, changed words marked"
expect 1 "$REPRINT" compare --html budget.txt spun.txt
grep -q '<tr class="match" id="x-p1">' out || fail "no row for passage 1"
grep -q '<span class="pn">1</span>' out || fail "passage 1 not numbered"
grep -q '<span class="wc"' out || fail "no changed words marked"
grep -q 'Compared from the two texts alone' out || fail "no note on the score without --db"

check "--db: indexed articles by id or by file, the report's score"
"$PYTHON" - <<'PY'
import json
for i, f, site in (("budget", "budget.txt", "wire.example"), ("spun", "spun.txt", "spin.example")):
    print(json.dumps({"id": i, "site": site, "title": i, "text": open(f).read()}),
          file=open(i + ".jsonl", "w"))
PY
"$REPRINT" index -q -d d2.db budget.jsonl spun.jsonl 2>/dev/null
"$REPRINT" cluster -q -d d2.db >/dev/null
expect 1 "$REPRINT" compare --db d2.db --json budget spun
mv out db.json
"$REPRINT" report -d d2.db --format json >rep.json 2>/dev/null
py 'import json,sys
c=json.load(open(sys.argv[1])); r=[json.loads(l) for l in open(sys.argv[2])]
assert c["a"]=="budget" and c["b"]=="spun", c
assert len(r)==1 and round(c["score"],4)==r[0]["score"], (c["score"],r)' db.json rep.json
expect 1 "$REPRINT" compare --db d2.db --json budget.jsonl spun
py 'import json,sys
x=json.load(open(sys.argv[1])); y=json.load(open(sys.argv[2]))
assert x.pop("a")=="budget.jsonl" and y.pop("a")=="budget" and x==y, (x,y)' out db.json
expect 1 "$REPRINT" compare --db d2.db --html budget spun
grep -q 'Compared as the index compares them' out || fail "no note on the --db score"
grep -q '<td>spin.example</td>' out || fail "site not shown"
printf '{"id": "notindexed", "text": "Some other text entirely, never indexed here."}\n' >ni.jsonl
expect 3 "$REPRINT" compare --db d2.db budget ni.jsonl
grep -q "ni.jsonl: its article (id 'notindexed') is not indexed in d2.db" err || fail "unindexed file not explained"
expect 3 "$REPRINT" compare --db d2.db budget nosuchid
grep -q 'nosuchid: no such article id in d2.db' err || fail "unknown id not explained"
expect 3 "$REPRINT" compare --db missing.db budget spun

check "the html page names the language each text was read by"
# the --db page: the stored language of both (indexing stored it)
expect 1 "$REPRINT" compare --db d2.db --html budget spun
grep -q '<th>Language</th>' out || fail "no language column on the --db page"
grep -q '<td>en</td></tr>' out || fail "stored language not shown"
cat >fr_a.txt <<'TXT'
Le gouvernement a présenté mardi un projet de loi sur les retraites qui sera examiné par les
députés la semaine prochaine, a indiqué le porte-parole dans un communiqué publié à Paris.
TXT
cp fr_a.txt fr_b.txt
expect 1 "$REPRINT" compare --html fr_a.txt fr_b.txt
[ "$(grep -c '<td>fr</td></tr>' out)" = 2 ] || fail "French texts not shown as fr"
expect 1 "$REPRINT" compare --html --lang de fr_a.txt fr_b.txt
[ "$(grep -c '<td>de</td></tr>' out)" = 2 ] || fail "--lang not shown"

check "a missing file: exit 3, named"
expect 3 "$REPRINT" compare orig.txt no-such.txt
grep -q 'no-such.txt' err || fail "missing file not named"
echo "all compare checks passed"
