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

check "a missing file: exit 3, named"
expect 3 "$REPRINT" compare orig.txt no-such.txt
grep -q 'no-such.txt' err || fail "missing file not named"
echo "all compare checks passed"
