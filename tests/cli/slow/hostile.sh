#!/bin/sh
# reprint index on hostile input: random bytes, invalid UTF-8, NUL bytes, a
# 40 MB one-line file, gzip bombs, 20,000-deep nested HTML, malformed JSONL
# and WARC records, an empty file, an oversized article. One run over all of
# them must exit 0, report each bad record with its reason, index the good
# ones, and stay under 1 GiB of peak memory. Every input is generated here.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/../common.inc"

mkdir in
write_budget in/good.txt
"$PYTHON" - in <<'PY'
import gzip, json, os, random, struct, sys, zlib
d = sys.argv[1]
rnd = random.Random(11)
def w(name, data):
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)
words = ("river council bridge budget storm harbour school election court museum "
         "railway hospital farmers market festival library").split()
def prose(n, seed):
    r = random.Random(seed)
    return " ".join(r.choice(words) for _ in range(n)) + "."
# random bytes, with and without a text-like extension
w("random.bin", rnd.randbytes(100000))
w("random.txt", rnd.randbytes(5000))
# invalid UTF-8 sprinkled in good UTF-8 text: repaired, indexed
t = ("caf\u00e9 " + prose(200, 1)).encode()
w("badutf8.txt", t[:300] + b"\xff\xfe\xc3(\xe2\x82 \xf0\x9f\x98" + t[300:] + b"\xed\xa0\x80")
# NUL bytes: a few inside text are repaired; mostly NULs is binary
w("nul-some.txt", prose(150, 2).encode().replace(b" ", b"\0", 3))
w("nul-all.txt", b"\0" * 50000)
# a 40 MB single line (no newline at all) and a 40 MB JSONL line
line = prose(10, 3).encode() * (40 * 1024 * 1024 // 60)
w("oneline.txt", line)
with open(os.path.join(d, "hugeline.jsonl"), "wb") as f:
    f.write(b'{"id": "huge", "text": "' + line + b'"}\n')
    f.write(json.dumps({"id": "after-huge", "text": prose(120, 4)}).encode() + b"\n")
# gzip bombs. A deflate stream may repeat a fully flushed block, so one
# compressed 16 MiB chunk written 128 times is 2 GiB of zeros in 2 MB. The
# first bomb's trailer is not that of the data (the reader must stop at the
# record limit long before it); the JSONL.gz bomb, a 256 MiB line between
# good ones, is a valid gzip file.
def deflated(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)
GZ_HEAD = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\x03"
END = b"\x03\x00" + struct.pack("<II", 0, 0)  # empty final block, trailer
w("bomb.txt.gz", GZ_HEAD + deflated(b"\0" * (1 << 24)) * 128 + END)
head = json.dumps({"id": "before-bomb", "text": prose(120, 5)}).encode() + b'\n{"id": "bomb", "text": "'
tail = b'"}\n' + json.dumps({"id": "after-bomb", "text": prose(120, 6)}).encode() + b"\n"
big = b"a" * (1 << 24)
crc = zlib.crc32(head)
for _ in range(16):
    crc = zlib.crc32(big, crc)
crc = zlib.crc32(tail, crc)
size = (len(head) + 16 * len(big) + len(tail)) & 0xFFFFFFFF
w("bomb.jsonl.gz", GZ_HEAD + deflated(head) + deflated(big) * 16 + deflated(tail) + b"\x03\x00" +
  struct.pack("<II", crc, size))
# a gzip file cut in half
full = gzip.compress(prose(300, 7).encode())
w("cut.txt.gz", full[: len(full) // 2])
# 20,000-deep nested HTML around a real article
body = "".join("<p>%s</p>" % prose(60, 10 + i) for i in range(5))
w("deep.html", ("<html><body>" + "<div>" * 20000 + body + "</div>" * 20000 +
                "</body></html>").encode())
w("deep-unclosed.html", ("<html><body>" + "<span><b>" * 10000 + body).encode())
# malformed JSONL: broken lines between good ones
recs = [json.dumps({"id": "j-good-1", "text": prose(100, 20)}),
        '{"id": "j-bad-1", "text": "unterminated',
        '{"id": "j-notext"}',
        '[1, 2, 3]',
        '{"id": "j-empty", "text": "   "}',
        '{"id": 7, "text": 8}',
        "\0\0\0",
        json.dumps({"id": "j-good-2", "text": prose(100, 21)})]
w("feed.jsonl", ("\n".join(recs) + "\n").encode())
# malformed WARC: a good record, a lying Content-Length, garbage, a cut record
def rec(uri, payload, length=None):
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + payload)
    n = len(http) if length is None else length
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri.encode() +
            b"\r\nContent-Type: application/http; msgtype=response\r\nContent-Length: " +
            str(n).encode() + b"\r\n\r\n" + http + b"\r\n\r\n")
page = ("<html><head><title>W</title></head><body><article>%s</article></body></html>"
        % "".join("<p>%s</p>" % prose(60, 30 + i) for i in range(4))).encode()
warc = (rec("https://w.example/ok", page) + rec("https://w.example/liar", page, 99999999) +
        b"WARC/1.0\r\nnot a header at all\r\n\r\n" + rnd.randbytes(3000))
w("crawl.warc", warc + rec("https://w.example/cut", page)[:400])
# an empty file, and one of whitespace only
w("empty.txt", b"")
w("blank.txt", b" \n\t\n")
# an article four times --max-text-bytes: kept, cut
w("long.txt", (prose(4000, 40) + "\n").encode() * 300)
PY
ls -la in >listing
du -sh in | sed 's/^/  input: /'

check "one run over every hostile input: exit 0, summary, peak memory"
# GNU time measures the peak memory (Debian package `time`); without it the
# run is still checked, its memory not.
timer=""
if [ -x /usr/bin/time ]; then
    timer="/usr/bin/time -f %M -o rss"
else
    echo "SKIP peak memory check: /usr/bin/time not installed (Debian: time)"
fi
set +e
# shellcheck disable=SC2086
$timer "$REPRINT" index -q -j 2 -d h.db --rejects rej.jsonl \
    --max-record-bytes 32M --max-text-bytes 4M in >out 2>err
rc=$?
set -e
[ "$rc" -eq 0 ] || { cat err >&2; fail "index exited $rc"; }
summary | grep -Eq '^indexed [0-9]+, exact duplicates [0-9]+, rejected [0-9]+$' ||
    fail "no summary: $(summary)"
if [ -n "$timer" ]; then
    rss=$(tail -n 1 rss)
    echo "  peak RSS ${rss} KiB; $(summary)"
    [ "$rss" -lt 1048576 ] || fail "peak RSS $rss KiB is over 1 GiB"
fi

check "the rejects, one per bad record, each with its reason"
py 'import json, sys
rej = [json.loads(l) for l in open(sys.argv[1])]
def why(src, rec=None):
    r = [x["reason"] for x in rej if x["source"].endswith(src) and (rec is None or x["record"] == rec)]
    assert r, ("no reject for", src, rec, rej)
    return " / ".join(r)
def has(src, word, rec=None):
    r = why(src, rec)
    assert word in r, (src, rec, r)
has("random.bin", "binary")
has("random.txt", "binary")
has("nul-all.txt", "binary")
has("oneline.txt", "exceeds 33554432 bytes")
has("hugeline.jsonl", "exceeds", 1)
has("bomb.txt.gz", "decompressed record exceeds")
has("bomb.jsonl.gz", "decompressed record exceeds", 2)
has("cut.txt.gz", "trunc")
has("feed.jsonl", "", 2)
has("feed.jsonl", "", 3)
has("feed.jsonl", "", 4)
has("feed.jsonl", "empty", 5)
has("empty.txt", "empty")
has("blank.txt", "empty")
why("crawl.warc")
for src in ("good.txt", "badutf8.txt", "nul-some.txt", "deep.html", "long.txt"):
    assert not any(x["source"].endswith(src) for x in rej), ("rejected", src, rej)
n = sum(1 for l in open(sys.argv[2]) if l.startswith("reprint: "))
assert n == len(rej), ("stderr lines", n, "rejects", len(rej))
summ = open(sys.argv[2]).read().strip().splitlines()[-1]
assert summ.endswith("rejected %d" % len(rej)), (summ, len(rej))' rej.jsonl err

check "the good records are indexed, repaired or cut as documented"
"$REPRINT" stats -d h.db --json >stats
for id in in/good.txt in/badutf8.txt in/nul-some.txt in/deep.html in/deep-unclosed.html \
    in/long.txt after-huge before-bomb after-bomb j-good-1 j-good-2 https://w.example/ok; do
    "$REPRINT" show -d h.db --json "$id" >show.json || fail "not indexed: $id"
    py 'import json, sys
a = json.load(open(sys.argv[1]))
t = a["text"]
assert len(t) > 200, (sys.argv[2], len(t))
assert "\0" not in t, sys.argv[2]
if sys.argv[2].endswith("long.txt"):
    n = len(t.encode())
    assert 4 * 1024 * 1024 - 8 <= n <= 4 * 1024 * 1024, n
if sys.argv[2].endswith("badutf8.txt"):
    assert "\ufffd" in t' show.json "$id"
done
py 'import json, sqlite3, sys
s = json.load(open(sys.argv[1]))
assert s["articles"] == 12, s
con = sqlite3.connect(sys.argv[2])
assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]' stats h.db

check "limits are flags: bad sizes are usage errors"
expect 2 "$REPRINT" index -d h.db --max-record-bytes 0 in/good.txt
expect 2 "$REPRINT" index -d h.db --max-text-bytes 12X in/good.txt
expect 2 "$REPRINT" index -d h.db --max-text-bytes -5 in/good.txt
expect 0 "$REPRINT" index -d h2.db --max-record-bytes 1k in/good.txt in/long.txt
grep -q 'long.txt.*exceeds 1024 bytes' err || fail "1k record limit: $(cat err)"
[ "$(summary)" = "indexed 1, exact duplicates 0, rejected 1" ] || fail "$(summary)"
echo "ok"
