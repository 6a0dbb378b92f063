#!/bin/sh
# The HTML report and `compare --html` as a real browser renders them:
# chromium takes a screenshot and dumps the DOM after the page's own script
# ran. Checked: the page renders; the browser logs nothing to its console
# (a script or resource the Content-Security-Policy blocks would be logged);
# the site filter's script ran (its control is shown); no script from the
# data; and every <mark> covers exactly the bytes `compare --db --json` gives
# as passages, on both sides, with the changed and added words inside them.
# Skipped when chromium is not installed (scripts/install-deps browser).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

browser=""
for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "SKIP browser check: chromium not installed (as root: scripts/install-deps browser)"
    exit 0
fi

write_budget orig.txt
write_budget_copy copy.txt
"$PYTHON" - <<'PY'
import json
orig = open("orig.txt").read()
copy = open("copy.txt").read()
# a reworded copy: every sentence said in other words, the facts kept
spun = ("On Tuesday a fresh budget was approved by the council of the city, lifting what is "
        "spent on public transport by twelve percent, the biggest rise in ten years. The money, "
        "the mayor said, will fund buses that run more often, a metro open for longer hours and "
        "a trial of free fares for students.\n\n" + copy.split("\n\n", 1)[1])
recs = [dict(id="orig", site="wire.example", url="https://wire.example/budget",
             title="Budget <b>approved</b>", published="2024-05-06T08:00:00Z", text=orig),
        dict(id="copy", site="copycat.example", url="javascript:alert(1)",
             title="<script>alert(2)</script> Council budget", published="2024-05-07T08:00:00Z",
             text=copy),
        dict(id="spun", site="spinner.example", url="https://spinner.example/b",
             title="Budget rises", published="2024-05-09T20:00:00Z", text=spun)]
with open("in.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY
"$REPRINT" index -d r.db in.jsonl 2>/dev/null
"$REPRINT" cluster -d r.db >/dev/null 2>&1
expect 0 "$REPRINT" report -d r.db --format html -o report.html
grep -q '<mark' report.html || fail "no marks in the report"
for c in copy spun; do
    "$REPRINT" compare --db r.db --json orig "$c" >"$c.json" || true
    "$REPRINT" show -d r.db --json "$c" >"$c.show"
    "$REPRINT" compare --db r.db --html orig "$c" >"compare-$c.html" || true
done
"$REPRINT" show -d r.db --json orig >orig.show

flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--enable-logging=stderr --v=0 --user-data-dir=$tmp/prof"
render() { # page png dom
    # shellcheck disable=SC2086
    timeout 60 "$browser" $flags --screenshot="$tmp/$2" --window-size=1200,2000 \
        "file://$tmp/$1" >/dev/null 2>"$tmp/$2.log" || fail "chromium --screenshot $1 failed"
    [ -f "$2" ] || fail "no screenshot of $1"
    size=$(wc -c <"$2")
    [ "$size" -gt 20000 ] || fail "screenshot of $1 only $size bytes"
    # shellcheck disable=SC2086
    timeout 60 "$browser" $flags --dump-dom "file://$tmp/$1" >"$3" 2>"$3.log" ||
        fail "chromium --dump-dom $1 failed"
    if grep -h 'CONSOLE' "$2.log" "$3.log"; then fail "$1: the browser logged to its console"; fi
    echo "  $1: screenshot $size bytes, nothing on the console"
}

# The marks of one pair in a rendered page: side a of the pair lies in
# td.text.a cells, side b in td.text.b cells, inside the <article> whose id
# is given ("" = the whole page). Each mark must hold exactly the text of
# its data-s..data-e bytes, lie inside its passage (data-n), and together
# the marks of a side must cover exactly the union of the passages' ranges.
# Changed and added words (span.wc, span.wa) only inside marks.
MARKS='import html.parser,json,sys
dom,scope,pj,aj,bj=sys.argv[1:6]
pas=json.load(open(pj))["passages"]
ta=json.load(open(aj))["text"].encode(); tb=json.load(open(bj))["text"].encode()
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.inscope=(scope=="")
        s.side=None; s.marks=[]; s.cur=None; s.spans=0; s.loose=0
    def handle_starttag(s,t,a):
        a=dict(a)
        if not s.inscope and a.get("id")==scope: s.inscope=True
        if not s.inscope: return
        cls=(a.get("class") or "").split()
        if t=="td" and "text" in cls: s.side="a" if "a" in cls else "b"
        if t=="mark" and s.side:
            s.cur=dict(side=s.side,n=int(a["data-n"]),s=int(a["data-s"]),e=int(a["data-e"]),text="")
        if t=="span" and ("wc" in cls or "wa" in cls):
            if s.cur: s.spans+=1
            elif s.side: s.loose+=1
    def handle_endtag(s,t):
        if not s.inscope: return
        if t=="mark" and s.cur: s.marks.append(s.cur); s.cur=None
        if t=="td": s.side=None
        if t=="article" and scope: s.inscope=False
    def handle_data(s,d):
        if s.cur: s.cur["text"]+=d
p=P(); p.feed(open(dom,encoding="utf-8").read())
assert p.marks, "no marks in scope"
assert p.loose==0, "word marks outside passages"
for side,text,k in (("a",ta,"a"),("b",tb,"b")):
    want=set()
    for q in pas: want|=set(range(q[k+"_start"],q[k+"_end"]))
    got=set()
    for m in p.marks:
        if m["side"]!=side: continue
        q=pas[m["n"]-1]
        assert q[k+"_start"]<=m["s"]<m["e"]<=q[k+"_end"], (m,q)
        assert text[m["s"]:m["e"]].decode()==m["text"], (side,m["text"][:60],text[m["s"]:m["e"]][:60])
        got|=set(range(m["s"],m["e"]))
    assert got==want, (side,len(got),len(want))
print("  marks: %d on %d passages, %d word marks" % (len(p.marks),len(pas),p.spans))'

check "browser: $browser renders the report"
render report.html r.png dom.html
grep -q 'Budget &lt;b&gt;approved&lt;/b&gt;' dom.html || fail "title missing from the rendered DOM"
grep -q '<mark' dom.html || fail "no marks in the rendered DOM"
grep -q '<p class="filter" id="filter">' dom.html || fail "the filter's script did not run"
[ "$(grep -c '<script' dom.html)" -eq 1 ] || fail "a <script> other than the page's own"
grep -q '<svg' dom.html || fail "no pictures"

check "browser: report.html#site=SITE shows only that site's copies"
# shellcheck disable=SC2086
timeout 60 "$browser" $flags --dump-dom "file://$tmp/report.html#site=spinner.example" \
    >filtered.html 2>filtered.log || fail "chromium --dump-dom of the filtered page failed"
if grep -h 'CONSOLE' filtered.log; then fail "the filtered page logged to the console"; fi
py 'import re,sys
s=open(sys.argv[1],encoding="utf-8").read()
arts=re.findall(r"<article class=\"copy[^\"]*\" id=\"[^\"]+\" data-sites=\"([^\"]*)\"( hidden=\"\")?",s)
assert sorted(arts)==[("copycat.example"," hidden=\"\""),("spinner.example","")], arts
assert "1 original copied by spinner.example" in s, "no count of what is shown"' filtered.html

check "browser: the report's marks are where compare --db --json puts them"
# Each copy's article names the pair its figures come from (the original,
# or the copy it was taken from): "reprint compare --db DB LEFT COPY".
for c in copy spun; do
    set -- $(py 'import re,sys
dom=open(sys.argv[1],encoding="utf-8").read()
for art in re.finditer(r"<article class=\"copy[^\"]*\" id=\"([^\"]+)\"(.*?)</article>",dom,re.S):
    m=re.search(r"reprint compare --db DB (\S+) (\S+)</code>",art.group(2))
    if m and m.group(2)==sys.argv[2]: print(art.group(1),m.group(1)); break' dom.html "$c")
    [ $# -eq 2 ] || fail "no article for copy $c"
    "$REPRINT" compare --db r.db --json "$2" "$c" >"$c.pair.json" || true
    "$REPRINT" show -d r.db --json "$2" >"$c.left.show"
    py "$MARKS" dom.html "$1" "$c.pair.json" "$c.left.show" "$c.show"
done
py 'import json,sys
assert any(p.get("quoted") is False for p in json.load(open(sys.argv[1]))["passages"])' spun.json
grep -q 'class="wc"' dom.html || fail "no changed words marked in the reworded copy"

check "browser: compare --html renders, marks where its JSON says, the report's score"
for c in copy spun; do
    render "compare-$c.html" "c-$c.png" "c-$c.dom"
    py "$MARKS" "c-$c.dom" "" "$c.json" orig.show "$c.show"
    s=$(py 'import json,sys; print("%.4f" % json.load(open(sys.argv[1]))["score"])' "$c.json")
    grep -q "reuse score $s" "c-$c.dom" || fail "compare --html does not show the score $s"
done
s=$("$REPRINT" report -d r.db --format json | py 'import json,sys
for l in sys.stdin:
    r=json.loads(l)
    if r["copy"]=="spun": print("%.2f" % r["score"])')
grep -q "<th>Reuse score</th><td>$s</td>" dom.html || fail "report and JSON disagree on the score"
echo "browser check: $browser"
