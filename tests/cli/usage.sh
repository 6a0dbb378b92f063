#!/bin/sh
# Command table, --help, --version and the contract's exit codes for usage
# and database errors.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

check "--version prints 'reprint VERSION'"
expect 0 "$REPRINT" --version
grep -Eq '^reprint [0-9]+\.[0-9]+\.[0-9]+' out || fail "version line: $(cat out)"

check "--help lists the commands and exits 0"
expect 0 "$REPRINT" --help
commands=$(sed -n 's/^  \([a-z][a-z]*\)  *[a-z].*/\1/p' out)
for c in index query compare cluster show stats; do
    echo "$commands" | grep -qx "$c" || fail "--help does not list $c"
done

check "reprint alone: usage on stderr, exit 2"
expect 2 "$REPRINT"
grep -q 'usage' err || fail "no usage for bare reprint"

check "unknown command: exit 2, named"
expect 2 "$REPRINT" frobnicate
grep -q "frobnicate" err || fail "unknown command not named"

for c in $commands; do
    check "$c --help: exit 0, usage on stdout naming the command"
    expect 0 "$REPRINT" "$c" --help
    grep -q "reprint $c" out || fail "$c --help does not name the command"
    [ ! -s err ] || fail "$c --help wrote to stderr"
    expect 0 "$REPRINT" help "$c"
    grep -q "reprint $c" out || fail "reprint help $c"

    check "$c with a bad flag: exit 2, message and hint on stderr"
    expect 2 "$REPRINT" "$c" --no-such-flag
    grep -q -- '--no-such-flag' err || fail "$c: bad flag not named"
    grep -q "reprint $c --help" err || fail "$c: no --help hint"
    [ ! -s out ] || fail "$c: bad flag wrote to stdout"
done

check "missing arguments: exit 2"
expect 2 "$REPRINT" index -d t.db
expect 2 "$REPRINT" query -d t.db
expect 2 "$REPRINT" compare a.txt
expect 2 "$REPRINT" show -d t.db
expect 2 "$REPRINT" stats -d
grep -q 'requires an argument' err || fail "missing option argument not explained"

check "bad option values: exit 2"
write_budget a.txt
expect 2 "$REPRINT" query -d t.db --min-score 2 a.txt
expect 2 "$REPRINT" cluster -d t.db --min-score abc
expect 2 "$REPRINT" query -d t.db --top -1 a.txt
expect 2 "$REPRINT" index -d t.db -f docx a.txt
expect 2 "$REPRINT" compare --json --html a.txt a.txt
[ ! -e t.db ] || fail "a usage error created the database"

check "missing database for read-only commands: exit 3, 'no such database'"
for c in stats "show x" "query a.txt" cluster; do
    # shellcheck disable=SC2086
    expect 3 "$REPRINT" $c -d missing.db
    grep -q 'missing.db: no such database' err || fail "$c: $(cat err)"
done
[ ! -e missing.db ] || fail "a read-only command created the database"

check "a file that is not a database: exit 3 naming the file"
i=0
while [ $i -lt 40 ]; do
    echo "this is a plain text file, not an SQLite database at all" >>notdb.db
    i=$((i + 1))
done
cp notdb.db before.db
for c in stats "show x" "index a.txt" "query a.txt"; do
    # shellcheck disable=SC2086
    expect 3 "$REPRINT" $c -d notdb.db
    grep -q '^reprint: notdb.db: ' err || fail "$c: message does not name the file: $(cat err)"
done
cmp -s notdb.db before.db || fail "a non-database file was modified"

check "unusable database paths: exit 3"
expect 3 "$REPRINT" index -d "$tmp/no/such/dir/x.db" a.txt
grep -q 'x.db' err || fail "unwritable path not named"
mkdir adir
expect 3 "$REPRINT" stats -d adir
grep -q 'adir' err || fail "directory not named"
echo "all usage checks passed"
