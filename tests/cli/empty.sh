#!/bin/sh
# Inputs that yield no article say so: index names the path and why (the
# run still succeeds), and query with nothing to query exits 2.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs empty
write_budget docs/budget.txt
expect 0 "$REPRINT" index -d t.db docs

check "index of an empty folder names it"
expect 0 "$REPRINT" index -d t.db empty
grep -qx 'reprint: empty: no files to read' err || fail "no note: $(cat err)"
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0" ] || fail "summary: $(summary)"

check "index of a WARC file without article records names it"
printf 'WARC/1.0\r\nWARC-Type: warcinfo\r\nContent-Type: application/warc-fields\r\nContent-Length: 15\r\n\r\nsoftware: test\n\r\n\r\n' >info.warc
expect 0 "$REPRINT" index -d t.db docs info.warc
grep -q '^reprint: info.warc: no article records: 1 record skipped' err || fail "no note: $(cat err)"
[ "$(grep -c '^reprint: ' err)" -eq 1 ] || fail "docs given a note too: $(cat err)"

check "a path that gave articles or rejects gets no note"
: >blank.txt
expect 0 "$REPRINT" index -d t.db docs blank.txt
! grep -q 'no article' err || fail "note for a rejected file: $(cat err)"

check "query of an empty folder exits 2 and says why"
expect 2 "$REPRINT" query -d t.db empty
grep -qx 'reprint: empty: no files to read' err || fail "no note: $(cat err)"
grep -q 'no article to query' err || fail "no message: $(cat err)"
[ ! -s out ] || fail "stdout: $(cat out)"

check "query of a WARC file without articles exits 2"
expect 2 "$REPRINT" query -d t.db info.warc

check "query with one good path still works"
cp docs/budget.txt q.txt
expect 1 "$REPRINT" query -d t.db empty q.txt
