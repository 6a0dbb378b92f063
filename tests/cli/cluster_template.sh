#!/bin/sh
# A desk's template filled twice (the same phrasing, other figures, days and
# places) is not a copy: two such reports of one site do not cluster, and
# the summary counts the pair left out. The same two texts on two sites do
# (across sites a page's other text carries other names, so the rule is not
# applied there). Texts written for this test.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

"$PYTHON" - <<'PY'
import json
a = ("The Federal Reserve entered the government securities market to arrange three billion dlrs "
     "of customer repurchase agreements on Tuesday, a spokesman for the New York Fed said.\n\n"
     "Dealers said federal funds were trading at 6-1/8 pct when the Fed began its temporary and "
     "indirect supply of reserves to the banking system.\n\n"
     "Most dealers had expected the Fed to act at this time of the week, when the banking system "
     "usually needs the extra reserves that customer repurchase agreements bring.")
b = (a.replace("three billion", "1.5 billion").replace("Tuesday", "Thursday")
      .replace("New York", "Chicago").replace("6-1/8", "5-7/8"))
def write(path, site_b):
    with open(path, "w") as f:
        f.write(json.dumps({"id": "a", "site": "desk.example", "published": "2024-03-05T10:00:00Z", "text": a}) + "\n")
        f.write(json.dumps({"id": "b", "site": site_b, "published": "2024-03-07T10:00:00Z", "text": b}) + "\n")
write("one.jsonl", "desk.example")
write("two.jsonl", "other.example")
open("a.txt", "w").write(a)
open("b.txt", "w").write(b)
PY

check "compare alone scores the two as shared text"
expect 1 "$REPRINT" compare --json a.txt b.txt

check "two reports of one site: a template, not clustered, and counted"
"$REPRINT" index -q -d one.db one.jsonl
expect 0 "$REPRINT" cluster -d one.db
grep -q 'same-site templates left out 1' out || fail "$(head -n 1 out)"
grep -q '^articles 2, clusters 0,' out || fail "$(head -n 1 out)"

check "the same texts on two sites cluster"
"$REPRINT" index -q -d two.db two.jsonl
expect 0 "$REPRINT" cluster -q -d two.db --json
py 'import json,sys
cl=[json.loads(l) for l in open(sys.argv[1])]
assert len(cl)==1 and cl[0]["size"]==2, cl' out
