#!/bin/sh
# Site chrome: lines that stand in many pages of one site are learned while
# indexing, listed by `show`, and left out of scores, so two different
# stories wrapped in the same long chrome are not copies of each other.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.inc"

chrome_top() {
    cat <<'TXT'
Site icon Harbour Gazette
Subscribe to our morning newsletter for the latest local headlines, weather and traffic updates
Follow the Harbour Gazette on every social network and share our stories with your neighbours today

TXT
}
chrome_bottom() {
    cat <<'TXT'

Source link
Copyright the Harbour Gazette, all rights reserved, no part of this page may be reproduced without written permission
Exit mobile version
TXT
}
mkdir pages
i=0
for body in \
    "The ferry company raised its winter fares by a tenth on Monday, blaming the cost of fuel and a shortage of crew for the night crossings." \
    "A storm flooded the lower market street overnight and traders spent the morning carrying stock to the upper floors of the old warehouses." \
    "The school board voted to keep the village school open for another year after parents gathered more than two thousand signatures." \
    "Council engineers found cracks in the pillars of the north bridge and closed it to lorries until the repairs are finished in spring." \
    "The museum will return three paintings to the family of a collector after a court ruled that they had been sold under pressure in wartime."; do
    i=$((i + 1))
    { chrome_top; echo "$body"; chrome_bottom; } >"pages/p$i.txt"
done

check "index five pages of one site"
expect 0 "$REPRINT" index -d c.db --site harbourgazette.example pages
summary_ok=$(grep -Ec '^indexed 5, exact duplicates 0, rejected 0$' err || true)
[ "$summary_ok" = 1 ] || fail "unexpected summary: $(cat err)"

check "show lists the learned chrome lines; --json gives their byte ranges"
expect 0 "$REPRINT" show -d c.db pages/p2.txt
grep -q '^-- site chrome of harbourgazette.example: 6 lines left out of every score --$' out ||
    fail "no chrome listing: $(tail -8 out)"
expect 0 "$REPRINT" show -d c.db --json pages/p2.txt
py '
import json, sys
a = json.load(open("out"))
t = a["text"].encode("utf-8")
lines = [t[s:e].decode() for s, e in a["chrome"]]
assert "Source link" in lines and "Exit mobile version" in lines, lines
assert not any("ferry" in l or "storm" in l for l in lines), lines
'

check "different stories in the same chrome are not copies"
expect 0 "$REPRINT" cluster -d c.db --json
[ ! -s out ] || fail "pages clustered through their chrome: $(cat out)"
expect 1 "$REPRINT" compare --json pages/p1.txt pages/p2.txt
py '
import json
c = json.load(open("out"))
# Without the index there is no chrome to learn: compare sees the shared lines.
assert c["score"] > 0.3, c["score"]
'
echo "all chrome checks passed"
