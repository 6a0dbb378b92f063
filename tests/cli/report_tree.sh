#!/bin/sh
# Trees that hold: a copy of a copy that shares too little with the
# original itself is listed by `report` against the copy it was taken from
# (which it reaches the threshold against), and a live blog carrying two
# stories does not join them. Texts are generated here from fixed seeds.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

"$PYTHON" - <<'PY'
import json, random
def para(seed, n=6):
    r = random.Random(seed)
    words = [w for w in ("harbour museum railway festival library orchard lantern meadow copper "
             "glacier canyon violin thunder pebble compass saddle velvet walnut ferry quarry "
             "beacon tundra marble falcon cedar ribbon anchor summit bakery tunnel").split()]
    out = []
    for _ in range(n):
        w = [r.choice(words) for _ in range(r.randint(10, 14))]
        out.append(" ".join(w).capitalize() + ".")
    return " ".join(out)
P = {k: para(k) for k in range(1, 12)}
half = lambda s: s[2 * len(s) // 3:].split(" ", 1)[1]
rec = [
    # the chain: A, B = part of A + new text, C = a little of A via B + B's new text
    ("A", "wire.example", "2024-01-01T08:00:00Z", P[1] + "\n\n" + P[2] + "\n\n" + P[3]),
    ("B", "blog.example", "2024-01-01T10:00:00Z", P[2] + "\n\n" + P[4]),
    ("C", "copy.example", "2024-01-01T12:00:00Z", half(P[2]) + "\n\n" + P[4] + "\n\n" + P[5]),
    # two stories and a live blog carrying both, then a copy of the second
    ("S1", "one.example", "2024-02-01T08:00:00Z", P[6] + "\n\n" + P[7]),
    ("LIVE", "live.example", "2024-02-01T09:00:00Z", P[6] + "\n\n" + P[7] + "\n\n" + P[8] + "\n\n" + P[9]),
    ("S2", "two.example", "2024-02-01T10:00:00Z", P[8] + "\n\n" + P[9] + "\n\n" + P[10]),
    ("S2copy", "three.example", "2024-02-01T11:00:00Z", P[8] + "\n\n" + P[9] + "\n\n" + P[10]
     + "\n\nOur own note on the matter follows here for readers."),
]
with open("in.jsonl", "w") as f:
    for i, site, date, text in rec:
        open(i + ".txt", "w").write(text)
        f.write(json.dumps({"id": i, "site": site, "published": date, "text": text}) + "\n")
PY
"$REPRINT" index -q -d t.db in.jsonl
expect 0 "$REPRINT" cluster -q -d t.db --json

check "the live blog joins one story only; the second story keeps its own cluster"
py 'import json,sys
cl={c["original"]:sorted(m["id"] for m in c["members"]) for c in map(json.loads,open(sys.argv[1]))}
assert cl.get("A")==["A","B","C"], cl
s1=[v for v in cl.values() if "S1" in v][0]
assert "S2" not in s1 and "S2copy" not in s1, cl
assert cl.get("S2")==["S2","S2copy"], cl
src={m["id"]:m["source"] for c in map(json.loads,open(sys.argv[1])) for m in c["members"]}
assert src["C"]=="B", src' out

check "report lists C against its source B, with a score at or above the threshold"
expect 0 "$REPRINT" report -d t.db --format json
py 'import json,sys
rows={r["copy"]:r for r in map(json.loads,open(sys.argv[1]))}
assert "C" in rows, rows.keys()
assert rows["C"]["score"]>=0.22, rows["C"]
assert rows["B"]["score"]>=0.22, rows["B"]' out
check "C alone shares too little with the original to be listed against it"
expect 0 "$REPRINT" compare --json A.txt C.txt
py 'import json,sys
assert json.load(open(sys.argv[1]))["score"]<0.22' out
