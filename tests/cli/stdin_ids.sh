#!/bin/sh
# reprint index -: a page from standard input is known by its canonical URL
# (<link rel="canonical">, og:url) when it declares one; otherwise by "-",
# then "-#2", "-#3"... for other texts, and the same text piped again
# changes nothing.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

# page FILE HEAD-MARKUP TEXT-FILE: an HTML page with TEXT-FILE's paragraphs
page() {
    {
        printf '<!doctype html><html><head><title>t</title>%s</head><body><article>\n' "$2"
        sed 's/^\(..*\)$/<p>\1<\/p>/' "$3"
        printf '</article></body></html>\n'
    } >"$1"
}
write_budget budget.txt
write_flood flood.txt
write_science science.txt
page a.html '<link rel="canonical" href="https://www.example.org/budget">' budget.txt
page b.html '<meta property="og:url" content="https://news.example.net/flood">' flood.txt
page c.html '' science.txt

check "two pages piped one after the other keep their canonical URLs"
expect 0 "$REPRINT" index -d t.db - <a.html
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "a: $(summary)"
expect 0 "$REPRINT" index -d t.db - <b.html
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "b: $(summary)"
expect 0 "$REPRINT" show -d t.db --json https://www.example.org/budget
py 'import json,sys; a=json.load(open(sys.argv[1])); assert a["site"]=="example.org", a' out
expect 0 "$REPRINT" show -d t.db --json https://news.example.net/flood

check "a page without a canonical URL is -, the next other text -#2"
expect 0 "$REPRINT" index -d t.db - <c.html
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "c: $(summary)"
expect 0 "$REPRINT" index -d t.db -f text - <flood.txt
[ "$(summary)" = "indexed 1, exact duplicates 1, rejected 0" ] || fail "flood: $(summary)"
expect 0 "$REPRINT" show -d t.db --json -- -
py 'import json,sys; a=json.load(open(sys.argv[1])); assert a["text"].startswith("Astronomers"), a' out
expect 0 "$REPRINT" show -d t.db --json -- '-#2'
py 'import json,sys; a=json.load(open(sys.argv[1])); assert a["text"].startswith("Heavy rain"), a' out

check "the same text piped again changes nothing"
expect 0 "$REPRINT" index -d t.db -f text - <flood.txt
case "$(summary)" in "indexed 0, exact duplicates 0, rejected 0"*) ;; *) fail "again: $(summary)" ;; esac
expect 3 "$REPRINT" show -d t.db -- '-#3'

check "a file named on the command line keeps its path as id"
expect 0 "$REPRINT" index -d f.db a.html
expect 0 "$REPRINT" show -d f.db --json a.html
