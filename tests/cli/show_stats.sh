#!/bin/sh
# reprint show and stats: show --json round-trips the stored text, the human
# view is metadata then text, unknown ids fail with exit 3; stats --json
# carries the contract's counts and the parameters.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/common.inc"

py 'import json
text=("Le conseil municipal a adopté mardi un budget en hausse. “Nous avons fait des choix,” a déclaré la maire.\n\n"
      "Les transports publics reçoivent douze pour cent de plus — la plus forte hausse depuis dix ans. <b>Tags</b> & signs stay text.")
r={"id":"art-1","url":"https://www.Example.COM:8080/news/1","title":"Budget adopté","published":"2024-05-07","text":text}
open("one.jsonl","w").write(json.dumps(r, ensure_ascii=False)+"\n")
open("one.text","w").write(text)'
write_flood flood.txt
"$REPRINT" index -d s.db one.jsonl flood.txt 2>/dev/null

check "show --json: the contract's keys, the text round-trips"
expect 0 "$REPRINT" show -d s.db --json art-1
py 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1, lines
a=json.loads(lines[0])
assert list(a)[:6]==["id","url","site","title","published","text"] and list(a)[6:] in ([], ["chrome"], ["chrome", "lang"]), list(a)
assert a["id"]=="art-1" and a["title"]=="Budget adopté", a
assert a["site"]=="example.com:8080", a
assert a["published"].startswith("2024-05-07"), a
assert a["text"]==open(sys.argv[2]).read(), (a["text"],)' out one.text

check "show --json of a plain file: unknown fields are null"
expect 0 "$REPRINT" show -d s.db --json flood.txt
py 'import json,sys; a=json.load(open(sys.argv[1]))
assert a["url"] is None and a["site"] is None and a["title"] is None, a
assert a["text"].startswith("Heavy rain"), a' out

check "show: metadata lines, a blank line, then the text"
expect 0 "$REPRINT" show -d s.db art-1
grep -q '^title  *Budget adopté$' out || fail "no title line: $(cat out)"
sed '1,/^$/d' out >body
cmp -s body one.text || { printf '\n' >>one.text; cmp -s body one.text; } ||
    fail "text after the blank line differs: $(cat body)"

check "show of an unknown id: exit 3 naming the id"
expect 3 "$REPRINT" show -d s.db no-such-id
grep -q "no article with id 'no-such-id'" err || fail "message: $(cat err)"

check "stats --json: contract counts and parameters"
expect 0 "$REPRINT" stats -d s.db --json
py 'import json,sys
lines=open(sys.argv[1]).read().splitlines()
assert len(lines)==1, lines
s=json.loads(lines[0])
for k in ("articles","exact_duplicates","clusters"):
    assert isinstance(s[k],int), (k,s)
assert s["articles"]==2 and s["exact_duplicates"]==0 and s["clusters"]==0, s
p=s["params"]
assert 0<p["min_score"]<1 and p["k"]>0, p
for f in ("words","stems"):
    l=p["lsh"][f]
    assert l["bands"]*l["rows"]<=p["k"], l
    c=[s["s_curve"][f]["%.1f" % (i/10)] for i in range(1,11)]
    assert c==sorted(c) and c[-1]==1.0, c
    # crowded and wide buckets need a second meeting: a lower curve
    c2=[s["s_curve"][f+"_met_twice"]["%.1f" % (i/10)] for i in range(1,11)]
    assert c2==sorted(c2) and c2[-1]==1.0 and all(x<=y for x,y in zip(c2,c)) and c2[1]<c[1], (c, c2)
assert "anchors_met_twice" in s["s_curve"], s["s_curve"]' out

check "stats: human table with the S-curve"
expect 0 "$REPRINT" stats -d s.db
grep -q '^articles  *2$' out || fail "no articles line: $(cat out)"
grep -q '^  jaccard  *0\.1 ' out || fail "no S-curve header"
grep -Eq '^  words( +[01]\.[0-9]{3}){10}$' out || fail "no S-curve row"
[ "$(grep -Ec '^  (words|stems)( +[01]\.[0-9]{3}){10}$' out)" = 4 ] || fail "no met-twice rows"
grep -Eq '^  anchors( +[01]\.[0-9]{3}){10}$' out || fail "no anchor row"
echo "all show and stats checks passed"
