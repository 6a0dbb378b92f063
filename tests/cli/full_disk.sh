#!/bin/sh
# A database that cannot grow (a full disk, simulated without root by
# RLIMIT_FSIZE with SIGXFSZ ignored, so writes past the limit fail as on a
# full disk): index exits 3 with one message naming the database once, the
# summary counts only what was committed, the file stays sound, and a run
# with room completes the index.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

py 'import json, random
r = random.Random(1)
def text():
    return " ".join("".join(r.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(r.randint(2, 9)))
                    for _ in range(500))
with open("a.jsonl", "w") as f:
    for i in range(5):
        f.write(json.dumps({"id": "a%d" % i, "text": text()}) + "\n")
with open("b.jsonl", "w") as f:
    for i in range(300):
        f.write(json.dumps({"id": "b%d" % i, "text": text()}) + "\n")'
expect 0 "$REPRINT" index -q -d f.db a.jsonl

# limited BYTES CMD ARG...: run CMD unable to write files past BYTES.
limited() {
    lim=$1
    shift
    "$PYTHON" -c 'import resource, signal, subprocess, sys
lim = int(sys.argv[1])
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
def pre():
    resource.setrlimit(resource.RLIMIT_FSIZE, (lim, lim))
sys.exit(subprocess.run(sys.argv[2:], preexec_fn=pre, restore_signals=False).returncode)' "$lim" "$@"
}

stored() {
    "$PYTHON" -c 'import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)], "integrity"
print(con.execute("SELECT count(*) FROM articles").fetchone()[0])' f.db
}

check "no room for the batch: exit 3, 'indexed 0', nothing stored"
size=$(wc -c <f.db)
expect 3 limited $((size + 65536)) "$REPRINT" index -q -d f.db b.jsonl
[ "$(summary)" = "indexed 0, exact duplicates 0, rejected 0" ] || fail "summary: $(summary)"
grep -q '^reprint: f.db: cannot ' err || fail "message: $(cat err)"
[ "$(grep -o 'f\.db' err | wc -l)" -eq 1 ] || fail "the path is not named once: $(cat err)"
[ "$(stored)" -eq 5 ] || fail "stored $(stored), expected 5"

check "with room, the same command stores all 300"
expect 0 "$REPRINT" index -q -d f.db b.jsonl
[ "$(summary)" = "indexed 300, exact duplicates 0, rejected 0" ] || fail "summary: $(summary)"
[ "$(stored)" -eq 305 ] || fail "stored $(stored), expected 305"
echo ok
