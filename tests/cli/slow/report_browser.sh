#!/bin/sh
# The HTML report as a real browser renders it: chromium takes a screenshot
# of the page and dumps its DOM, which must hold the title and the marked
# copied text and no script. Skipped when chromium is not installed
# (scripts/install-deps browser installs it).
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

browser=""
for b in chromium chromium-browser; do
    if command -v "$b" >/dev/null 2>&1; then browser=$b; break; fi
done
if [ -z "$browser" ]; then
    echo "SKIP browser check: chromium not installed (as root: scripts/install-deps browser)"
    exit 0
fi

write_budget orig.txt
write_budget_copy copy.txt
"$PYTHON" - <<'PY'
import json
recs = [dict(id="orig", site="wire.example", url="https://wire.example/budget",
             title="Budget <b>approved</b>", published="2024-05-06T08:00:00Z",
             text=open("orig.txt").read()),
        dict(id="copy", site="copycat.example", url="javascript:alert(1)",
             title="<script>alert(2)</script> Council budget", published="2024-05-07T08:00:00Z",
             text=open("copy.txt").read())]
with open("in.jsonl", "w") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
PY
"$REPRINT" index -d r.db in.jsonl 2>/dev/null
"$REPRINT" cluster -d r.db >/dev/null 2>&1
expect 0 "$REPRINT" report -d r.db --format html -o report.html
grep -q '<mark' report.html || fail "no marks in the report"

check "browser: $browser renders the page"
flags="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
--disable-background-networking --disable-component-update --disable-sync \
--user-data-dir=$tmp/prof"
# shellcheck disable=SC2086
timeout 60 "$browser" $flags --screenshot="$tmp/r.png" --window-size=1200,2000 \
    "file://$tmp/report.html" >/dev/null 2>&1 || fail "chromium --screenshot failed"
[ -f r.png ] || fail "no screenshot"
size=$(wc -c <r.png)
[ "$size" -gt 20000 ] || fail "screenshot only $size bytes"
# shellcheck disable=SC2086
timeout 60 "$browser" $flags --dump-dom "file://$tmp/report.html" >dom.html 2>/dev/null ||
    fail "chromium --dump-dom failed"
grep -q 'Budget &lt;b&gt;approved&lt;/b&gt;' dom.html || fail "title missing from the rendered DOM"
grep -q '<mark' dom.html || fail "no marks in the rendered DOM"
if grep -q '<script' dom.html; then fail "a <script> element in the rendered DOM"; fi
echo "browser check: $browser, screenshot $size bytes"
