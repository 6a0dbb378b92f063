#!/bin/sh
# Database messages: another program's SQLite file is "not a reprint
# database" whatever its user_version; read-only commands work on a
# database in a folder that cannot be written (a read-only mount when run
# as root, else a folder without write permission), and writers say why
# they cannot write.
set -eu
tmp=$(mktemp -d)
mnt=""
trap '[ -z "$mnt" ] || umount "$mnt" 2>/dev/null || true; chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

check "another program's SQLite file with user_version 7 is not a reprint database"
py 'import sqlite3
c = sqlite3.connect("other.db")
c.execute("CREATE TABLE t(x)")
c.execute("PRAGMA user_version=7")
c.commit()'
for c in stats "show x" "query other.db" "index other.db"; do
    # shellcheck disable=SC2086
    expect 3 "$REPRINT" $c -d other.db
    grep -q '^reprint: other.db: not a reprint database' err || fail "$c: $(cat err)"
    grep -q 'newer' err && fail "$c called it newer: $(cat err)"
    [ "$(grep -o 'other.db' err | wc -l)" -eq 1 ] || fail "$c: path not once: $(cat err)"
done

check "a reprint database from a newer reprint is still called newer"
mkdir docs
write_budget docs/budget.txt
write_budget_copy copy.txt
expect 0 "$REPRINT" index -q -d new.db docs
py 'import sqlite3
c = sqlite3.connect("new.db")
c.execute("PRAGMA user_version=3")
c.commit()'
expect 3 "$REPRINT" stats -d new.db
grep -q 'newer than this reprint' err || fail "$(cat err)"

check "read-only commands on a database in a folder that cannot be written"
mkdir ro
expect 0 "$REPRINT" index -q -d ro/r.db docs
if [ "$(id -u)" -eq 0 ]; then
    mkdir src && cp ro/r.db src/ && rm -f ro/r.db*
    if mount -t tmpfs -o size=4M tmpfs ro 2>/dev/null; then
        mnt="$tmp/ro"
        cp src/r.db ro/ && mount -o remount,ro ro || fail "cannot remount read-only"
    else
        echo "skip: root without mount, and root writes through permissions"
        echo ok
        exit 0
    fi
else
    chmod a-w ro
fi
expect 0 "$REPRINT" stats -d ro/r.db
grep -q '^articles            1$' out || fail "stats: $(cat out)"
expect 0 "$REPRINT" show -d ro/r.db docs/budget.txt
expect 1 "$REPRINT" query -d ro/r.db copy.txt
grep -q 'docs/budget.txt' out || fail "query: $(cat out)"
expect 0 "$REPRINT" report -d ro/r.db --format csv
expect 3 "$REPRINT" cluster -d ro/r.db
grep -Eq '^reprint: ro/r.db: cannot write to the database: (the file|its folder ro/) is read-only' err ||
    fail "cluster: $(cat err)"
expect 3 "$REPRINT" index -q -d ro/new.db docs
grep -q '^reprint: ro/new.db: cannot write to the database: its folder ro/ is read-only' err ||
    fail "index: $(cat err)"
echo ok
