#!/bin/sh
# Containment candidates: a story that is a small part of a long page (site
# text around it), and a short excerpt of a long story, have a low Jaccard
# similarity with their original but share many shingles: the anchor sketch
# makes them candidates, in `query` and in `cluster` alike. The long texts
# are generated here from a fixed seed.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

mkdir docs
write_budget docs/budget.txt
"$PYTHON" - <<'PY'
import random
r = random.Random(5)
words = ("harbour museum railway festival library orchard lantern meadow copper "
         "glacier canyon violin thunder pebble compass saddle velvet walnut ferry "
         "quarry beacon tundra marble falcon cedar ribbon anchor summit bakery").split()
def para(n):
    out = []
    for s in range(n):
        w = [r.choice(words) for _ in range(r.randint(9, 16))]
        out.append(" ".join(w).capitalize() + ".")
    return " ".join(out)
story = open("docs/budget.txt").read()
# the story inside a page about twenty times its length
with open("page.txt", "w") as f:
    f.write(para(60) + "\n\n" + story + "\n\n" + para(70) + "\n")
# a long story and a short excerpt of its middle
long = [para(5) for _ in range(40)]
with open("docs/long.txt", "w") as f:
    f.write("\n\n".join(long) + "\n")
with open("excerpt.txt", "w") as f:
    f.write(long[20] + "\n")
PY

check "the whole-text Jaccard of the embedded story is low"
expect 1 "$REPRINT" compare --json docs/budget.txt page.txt
py 'import json,sys
c=json.loads(open(sys.argv[1]).read())
assert c["jaccard"]<0.3 and c["score"]>0.9, c' out

"$REPRINT" index -q -d c.db docs
check "query finds the original of an embedded story and of an excerpt"
expect 1 "$REPRINT" query -d c.db --json page.txt excerpt.txt
py 'import json,sys
q=[json.loads(l) for l in open(sys.argv[1])]
ids={x["input"]:[m["id"] for m in x["matches"]] for x in q}
assert ids["page.txt"]==["docs/budget.txt"], ids
assert ids["excerpt.txt"]==["docs/long.txt"], ids' out

check "cluster links them too: one candidate function"
"$REPRINT" index -q -d c.db page.txt excerpt.txt
expect 0 "$REPRINT" cluster -q -d c.db --json
py 'import json,sys
cl=[sorted(m["id"] for m in json.loads(l)["members"]) for l in open(sys.argv[1])]
assert sorted(cl)==[["docs/budget.txt","page.txt"],["docs/long.txt","excerpt.txt"]], cl' out

