#!/bin/sh
# reprint report: JSON Lines and CSV rows in the contract's field order,
# uncredited copies first, filters, an HTML page that escapes hostile text.
# slow/report_browser.sh has a real browser render such a page.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

# An original from wire.example with three copies on other sites (one
# crediting "(Wire)"), and an unrelated story with markup, quotes and
# ampersands in its title and text, copied once.
"$PYTHON" - <<'PY'
import json
port = ("The harbour authority approved a plan on Monday to deepen the main shipping channel so "
        "that larger container ships can reach the port without waiting for high tide. The work "
        "will take three years and cost about two hundred million, shared between the state and "
        "the port operators.\n\nFishermen worried that dredging would disturb the mussel beds near "
        "the river mouth, and the authority promised to monitor the water quality every week. "
        "\"We will publish every measurement,\" the director said at a press conference. Local "
        "shops expect more visitors once the new cruise terminal opens beside the old customs "
        "house, while residents fear heavier lorry traffic on the coast road at night.")
zoo = ("Keepers at the city zoo celebrated the birth of twin red panda cubs this week, the first "
       "born there in almost a decade. The cubs <script>alert('x')</script> will stay in their "
       "nest box with their mother until the autumn, when visitors & members may see them for the "
       "first time. The zoo said the \"breeding programme\" links forty collections across "
       "the continent and aims to keep a healthy population of the endangered animals.")
recs = [
    dict(id="orig", site="wire.example", url="https://wire.example/port",
         title="Port plan approved", published="2024-05-06T08:00:00Z",
         text="HAMBURG (Wire) - " + port),
    dict(id="credited", site="daily.example", url="https://daily.example/port",
         title="Port deepening", published="2024-05-06T10:30:00Z",
         text="HAMBURG (Wire) - " + port + "\n\nMore on this story later."),
    dict(id="lifted", site="copycat.example", url="https://copycat.example/a?x=1&y=2",
         title="Port, \"bigger\" ships\nahead", published="2024-05-07T08:00:00Z",
         text="Our harbour desk reports. " + port),
    dict(id="partial", site="blog.example", url="https://blog.example/p",
         title="Harbour news",
         text=port.split("\n\n")[0] + "\n\nWhat do our readers think of the plan?"),
    dict(id="zoo", site="zoo.example", url="https://zoo.example/pandas",
         title="<script>alert(1)</script> Pandas & \"twins\"", published="2024-05-01",
         text=zoo),
    dict(id="zoocopy", site="other.example", url="javascript:alert(2)",
         title="Twin <b>pandas</b>", published="2024-05-02", text=zoo + " Photos on page 3."),
]
with open("in.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY

check "report before clustering: empty report, a note, exit 0"
"$REPRINT" index -d r.db in.jsonl 2>/dev/null
expect 0 "$REPRINT" report -d r.db --format csv
grep -q "reprint cluster" err || fail "no note to run reprint cluster"
[ "$(wc -l <out)" -eq 1 ] || fail "more than the header before clustering"

"$REPRINT" cluster -d r.db >/dev/null 2>&1

check "usage errors exit 2"
expect 2 "$REPRINT" report -d r.db --format pdf
expect 2 "$REPRINT" report -d r.db --since yesterday
expect 2 "$REPRINT" report -d r.db --source wire.example --original orig
expect 3 "$REPRINT" report -d r.db --original no-such-id
expect 3 "$REPRINT" report -d missing.db

check "json: one row per copy, contract order, uncredited first"
expect 0 "$REPRINT" report -d r.db --source wire.example --format json
mv out r.json
py 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
keys=["cluster","original","original_url","original_site","original_title","original_published",
      "copy","copy_url","copy_site","copy_title","copy_published","delay_hours","score",
      "share_copied","words_copied","credited"]
assert len(rows)==3, rows
for r in rows:
    assert list(r)==keys, list(r)
    assert r["original"]=="orig" and r["original_site"]=="wire.example", r
    assert isinstance(r["credited"],bool) and isinstance(r["words_copied"],int), r
    assert 0<r["share_copied"]<=1 and 0<r["score"]<=1, r
cred=[r["credited"] for r in rows]
assert cred==sorted(cred), cred  # False (uncredited) before True
assert [r["copy"] for r in rows if r["credited"]]==["credited"], rows
unc=[r["score"] for r in rows if not r["credited"]]
assert unc==sorted(unc,reverse=True), unc
by={r["copy"]:r for r in rows}
assert by["credited"]["delay_hours"]==2.5, by["credited"]
assert by["lifted"]["delay_hours"]==24, by["lifted"]
assert by["partial"]["delay_hours"] is None and by["partial"]["copy_published"] is None
assert by["partial"]["share_copied"]<by["lifted"]["share_copied"], by
assert by["lifted"]["copy_title"]=="Port, \"bigger\" ships\nahead"' r.json

check "site filter ignores case and www."
expect 0 "$REPRINT" report -d r.db --source WWW.Wire.Example --format json
cmp -s out r.json || fail "--source WWW.Wire.Example differs from --source wire.example"

check "csv: same rows, header, RFC 4180"
expect 0 "$REPRINT" report -d r.db --source wire.example --format csv -o r.csv
[ ! -s out ] || fail "-o OUT also wrote to stdout"
py 'import csv,json,sys
raw=open(sys.argv[1],"rb").read()
assert raw.endswith(b"\r\n"), raw[-20:]
rows=list(csv.reader(open(sys.argv[1],newline="")))
js=[json.loads(l) for l in open(sys.argv[2])]
assert rows[0]==list(js[0]), rows[0]
assert len(rows)==1+len(js)==4, rows
for r,j in zip(rows[1:],js):
    assert r[6]==j["copy"] and r[9]==j["copy_title"], (r,j)
    assert r[15]==("true" if j["credited"] else "false"), r
    assert (r[11]=="")==(j["delay_hours"] is None), r' r.csv r.json

check "html: one page, marks, nothing from the data unescaped"
expect 0 "$REPRINT" report -d r.db -o report.html
grep -q '<mark' report.html || fail "no <mark> in the page"
grep -q '<mark class="quoted"' report.html || fail "no quoted mark in the page"
if grep -q '<b>pandas\|href="javascript' report.html; then fail "unescaped markup from the data"; fi
[ "$(grep -c '<script' report.html)" -eq 1 ] || fail "not exactly one script (the page's own filter)"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt; Pandas &amp; &quot;twins&quot;' report.html ||
    fail "title not escaped as expected"
grep -q 'href="https://copycat.example/a?x=1&amp;y=2"' report.html || fail "URL not linked/escaped"
if grep -qi '<link\|src=' report.html; then fail "the page refers to external assets"; fi
py 'import html.parser,sys
class P(html.parser.HTMLParser):
    def __init__(s):
        super().__init__(); s.tags={}; s.marks=0
    def handle_starttag(s,t,a):
        s.tags[t]=s.tags.get(t,0)+1
p=P(); p.feed(open(sys.argv[1],encoding="utf-8").read())
assert p.tags.get("script")==1, p.tags
assert p.tags.get("article")==4, p.tags  # 3 copies of the port story, 1 of the zoo story
assert p.tags.get("section",0)>=3, p.tags
assert p.tags.get("svg")==2, p.tags  # copies over time, delays' report.html

check "html: the one script runs by its hash, and nothing else may"
py 'import base64,hashlib,re,sys
s=open(sys.argv[1],encoding="utf-8").read()
js=re.findall(r"<script>(.*?)</script>",s,re.S)
assert len(js)==1, len(js)
h="sha256-"+base64.b64encode(hashlib.sha256(js[0].encode()).digest()).decode()
csp=re.search(r"Content-Security-Policy\" content=\"([^\"]*)\"",s).group(1)
assert csp=="default-src \x27none\x27; style-src \x27unsafe-inline\x27; script-src \x27%s\x27"%h, (csp,h)
assert "data-sites" in s and "site-filter" in s' report.html

check "html: the credit quoted, delays in hours and days, the copy-of-copy tree"
grep -q '(Wire)\|<strong class="credit">Wire</strong>' report.html || fail "credit not quoted"
grep -q 'in the text: &ldquo;HAMBURG (<strong class="credit">Wire</strong>) - The harbour' report.html ||
    fail "credit quoted without its words"
grep -q '24.0 h (1.0 day)' report.html || fail "delay not in hours and days"
grep -q '2.5 h (0.1 days)' report.html || fail "delay not in hours and days"
grep -q 'Who took it from whom' report.html || fail "no copy-of-copy tree"
grep -q '<th>Language</th><td>en (original: en)</td>' report.html || fail "languages not shown"
grep -q 'reprint compare --db DB orig lifted' report.html || fail "no command giving the same figures"

check "html: the pictures count what the JSON says"
# delays 2.5 h (credited), 24 h (lifted, and the zoo copy), none (partial);
# copies dated 2024-05-02, 05-06 and 05-07
for t in '1-3 h: 1' '1-2 days: 2' 'no date: 1' 'under 1 h: 0' \
    '1 copy in the day from 2024-05-07' '1 copy in the day from 2024-05-06' \
    '1 copy in the day from 2024-05-02'; do
    grep -q "<title>$t</title></rect>" report.html || fail "picture: no bar '$t'"
done

check "html --split: a contents page and one page per original"
expect 2 "$REPRINT" report -d r.db --split
expect 2 "$REPRINT" report -d r.db --format json --split -o x.json
mkdir split-files
echo stale >split-files/c999.html
echo mine >split-files/notes.txt
expect 0 "$REPRINT" report -d r.db --split -o split.html
[ -d split-files ] || fail "no split-files folder"
[ ! -e split-files/c999.html ] || fail "a page of an earlier run is left"
[ -e split-files/notes.txt ] || fail "a file report did not write was removed"
rm split-files/notes.txt
[ "$(ls split-files | wc -l)" -eq 2 ] || fail "not one page per original: $(ls split-files)"
if grep -q '<article' split.html; then fail "the contents page holds the evidence"; fi
for f in split-files/*.html; do
    grep -q '<article class="copy' "$f" || fail "$f holds no copy"
    grep -q 'href="../split.html"' "$f" || fail "$f does not link back"
    grep -q "href=\"split-files/$(basename "$f")\"" split.html || fail "contents do not link $f"
    if grep -q '<script' "$f"; then fail "$f carries a script"; fi
done
chmod 500 split-files
if [ "$(id -u)" != 0 ]; then
    expect 3 "$REPRINT" report -d r.db --split -o split.html
    grep -q 'split-files/c[0-9]*.html' err || fail "unwritable page not named"
fi
chmod 700 split-files

echo "report: all checks passed"
