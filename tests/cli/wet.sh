#!/bin/sh
# reprint index of a WET file (Common Crawl's extracted text: WARC
# conversion records of text/plain): one article per page, its id the
# WARC-Target-URI, its text the payload.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

write_budget budget.txt
write_flood flood.txt
# record TYPE URI CONTENT-TYPE FILE: one WARC record with FILE as payload
record() {
    printf 'WARC/1.0\r\nWARC-Type: %s\r\nWARC-Target-URI: %s\r\n' "$1" "$2"
    printf 'WARC-Date: 2024-03-01T10:00:00Z\r\nWARC-Record-ID: <urn:uuid:%s>\r\n' "$(basename "$4")"
    [ -z "$3" ] || printf 'Content-Type: %s\r\n' "$3"
    printf 'Content-Length: %s\r\n\r\n' "$(wc -c <"$4" | tr -d ' ')"
    cat "$4"
    printf '\r\n\r\n'
}
printf 'software: test\r\nformat: WARC File Format 1.0\r\n' >info
{
    record warcinfo "" application/warc-fields info
    record conversion https://www.example.org/budget text/plain budget.txt
    record conversion https://news.example.net/flood "" flood.txt
} >crawl.warc.wet
gzip -c crawl.warc.wet >crawl.warc.wet.gz

check "WET conversion records are indexed as articles"
expect 0 "$REPRINT" index -d t.db crawl.warc.wet
[ "$(summary)" = "indexed 2, exact duplicates 0, rejected 0" ] || fail "wet: $(summary)"
expect 0 "$REPRINT" show -d t.db --json https://www.example.org/budget
py 'import json,sys; a=json.load(open(sys.argv[1]))
assert a["site"]=="example.org" and a["published"] is None, a
assert a["text"].startswith("The city council approved"), a' out
expect 0 "$REPRINT" show -d t.db --json https://news.example.net/flood

check "a gzipped WET file, by its name"
expect 0 "$REPRINT" index -d g.db crawl.warc.wet.gz
[ "$(summary)" = "indexed 2, exact duplicates 0, rejected 0" ] || fail "wet.gz: $(summary)"
