#!/bin/sh
# Two local news sites, served over loopback by a real HTTP server and
# crawled by wget into real WARC files: the wire's originals, and a copycat
# site republishing half of them a day later inside its own chrome. Indexing
# both crawls must give chrome-free texts with their dates, and clustering
# must attach every copy to its original, the earlier page.
set -eu
tmp=$(mktemp -d)
server=
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"' EXIT INT TERM
here=$(cd "$(dirname "$0")" && pwd)
. "$here/../common.inc"

command -v wget >/dev/null || fail "wget is not installed (scripts/install-deps installs it)"

check "generate two sites"
"$PYTHON" "$here/../../sites/mksites" "$tmp/sites" 5

port=$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
(cd "$tmp/sites" && exec "$PYTHON" -m http.server --bind 127.0.0.1 "$port" >/dev/null 2>&1) &
server=$!
base="http://127.0.0.1:$port"
i=0
until wget -q -O /dev/null "$base/wire/index.html"; do
    i=$((i + 1))
    [ $i -lt 50 ] || fail "http server on $base did not start"
    sleep 0.1
done

check "crawl both sites with wget --warc-file"
wget -q -r -l 3 -np -P "$tmp/dl" --warc-file="$tmp/wire" "$base/wire/" || true
wget -q -r -l 3 -np -P "$tmp/dl" --warc-file="$tmp/copycat" "$base/copycat/" || true
[ -s "$tmp/wire.warc.gz" ] && [ -s "$tmp/copycat.warc.gz" ] || fail "wget wrote no WARC files"

check "index the crawls (both sites are served from one address: name them)"
expect 0 "$REPRINT" index -d crawl.db --site wire.example "$tmp/wire.warc.gz"
grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected [0-9]+$' err || fail "no summary line"
expect 0 "$REPRINT" index -d crawl.db --site copycat.example "$tmp/copycat.warc.gz"
stories=$(awk -F'\t' '{print $2}' "$tmp/sites/truth.tsv" | sort -u | wc -l)
[ "$stories" -ge 4 ] || fail "truth file too small"

check "every wire story: text free of chrome, published date read"
for f in "$tmp"/sites/wire/*.html; do
    name=$(basename "$f")
    [ "$name" = index.html ] && continue
    expect 0 "$REPRINT" show -d crawl.db --json "$base/wire/$name"
    py '
import json, sys
a = json.load(open("out"))
assert a["published"], "no published date: %s" % a["id"]
t = a["text"].lower()
for chrome in ("newsletter", "related stories", "all rights reserved", "subscribe", "share this"):
    assert chrome not in t, "chrome %r left in %s" % (chrome, a["id"])
assert len(t.split()) > 80, "text too short: %s" % a["id"]
'
done

check "cluster: every copy with its original, the original being the wire page"
expect 0 "$REPRINT" cluster -d crawl.db --json
py '
import json, sys
base, truth = sys.argv[1], sys.argv[2]
clusters = [json.loads(l) for l in open("out")]
where, original = {}, {}
for c in clusters:
    for m in c["members"]:
        where[m["id"]] = c["cluster"]
    original[c["cluster"]] = c["original"]
for line in open(truth):
    copy, orig = line.rstrip("\n").split("\t")
    copy, orig = base + "/" + copy, base + "/" + orig
    assert copy in where, "copy not clustered: " + copy
    assert where.get(orig) == where[copy], "copy %s not with its original %s" % (copy, orig)
    assert original[where[copy]] == orig, "cluster original is %s, not %s" % (original[where[copy]], orig)
for c in clusters:
    wires = [m["id"] for m in c["members"] if "/wire/" in m["id"]]
    assert len(wires) == 1, "cluster %d merges wire stories: %s" % (c["cluster"], wires)
print("clusters:", len(clusters))
' "$base" "$tmp/sites/truth.tsv"

check "report --source wire.example lists every copy, in all three formats"
expect 0 "$REPRINT" report -d crawl.db --source wire.example --format json -o r.jsonl
expect 0 "$REPRINT" report -d crawl.db --source wire.example --format csv -o r.csv
expect 0 "$REPRINT" report -d crawl.db --source wire.example --format html -o r.html
py '
import csv, json, sys
base, truth = sys.argv[1], sys.argv[2]
want = {(base + "/" + c, base + "/" + o) for c, o in (l.rstrip("\n").split("\t") for l in open(truth))}
rows = [json.loads(l) for l in open("r.jsonl")]
got = {(r["copy"], r["original"]) for r in rows}
assert got == want, (sorted(want - got), sorted(got - want))
assert all(r["copy_site"] == "copycat.example" and r["original_site"] == "wire.example" for r in rows)
credited = [r["copy"] for r in rows if r["credited"]]
assert len(credited) == 1, credited
for o in {r["original"] for r in rows}:
    flags = [r["credited"] for r in rows if r["original"] == o]
    assert flags == sorted(flags), "uncredited copies of %s not first" % o
with open("r.csv", newline="") as f:
    table = list(csv.DictReader(f))
assert {(r["copy"], r["original"]) for r in table} == want
html = open("r.html").read()
assert html.count("<mark") >= 2 * len(want), html.count("<mark")
for c, o in want:
    assert c in html and o in html, c
' "$base" "$tmp/sites/truth.tsv"
echo "ok"
