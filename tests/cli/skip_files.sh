#!/bin/sh
# reprint index of a folder skips files that are no article by their name
# (tables, databases and their journals, images, archives...) and the open
# database's own files, saying how many; a file named on the command line
# is still read.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs
write_budget docs/budget.txt
write_flood docs/notes.csv
write_science docs/old.db
cp docs/old.db docs/old.db-wal
cp docs/old.db docs/photo.jpg
cp docs/old.db docs/archive.zip

check "files that are no article are skipped and counted"
expect 0 "$REPRINT" index -d t.db docs
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "summary: $(summary)"
grep -qx 'reprint: docs: skipped 5 files that are no article (docs/archive.zip, docs/notes.csv, docs/old.db, ...)' err ||
    fail "no note: $(cat err)"

check "the database's own files are never read, whatever their names"
mkdir work
write_budget work/budget.txt
expect 0 "$REPRINT" index -d work/index.data work
expect 0 "$REPRINT" index -d work/index.data work
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0, already indexed 1" ] || fail "db read: $(summary)"
grep -q 'skipped 3 files that are no article (work/index.data, work/index.data-shm, work/index.data-wal)' err ||
    fail "no note: $(cat err)"
expect 0 "$REPRINT" index -d work/index.data work/index.data
grep -q 'no article files: 1 skipped (work/index.data)' err || fail "named db: $(cat err)"

check "a folder with nothing but skipped files says so"
mkdir tables
write_flood tables/a.csv
expect 0 "$REPRINT" index -d t.db tables
grep -qx 'reprint: tables: no article files: 1 skipped (tables/a.csv)' err || fail "note: $(cat err)"

check "a file that is named is read whatever its extension"
expect 0 "$REPRINT" index -d t.db -f text docs/notes.csv
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 0" ] || fail "named: $(summary)"
