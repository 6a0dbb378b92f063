#!/usr/bin/env python3
"""Turn a JSONL corpus into HTML pages and a WARC crawl of them, so that
`make bench` can time HTML extraction and WARC reading beside plain text on
the same articles.

Usage: mkpages.py CORPUS.jsonl OUTDIR [LIMIT]
Writes OUTDIR/html/NNNNNN.html (each article in a news page with navigation,
header, share box, related links and footer) and OUTDIR/crawl.warc.gz (a
warcinfo record, then a request and a gzip-member response record per page,
as wget writes them)."""
import gzip
import html
import io
import json
import os
import sys
import uuid

CHROME_TOP = """<header><a href="/">The Daily Example</a><nav><ul>
<li><a href="/world">World</a></li><li><a href="/business">Business</a></li>
<li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li></ul></nav></header>
<div class="share">Share this story: <a href="#">Facebook</a> <a href="#">X</a> <a href="#">Email</a></div>
"""
CHROME_BOTTOM = """<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Markets close higher as investors weigh rate outlook</a></li>
<li><a href="/b">Storm warnings issued for the coast this weekend</a></li>
<li><a href="/c">Council approves budget after a long debate</a></li></ul></aside>
<div class="newsletter">Sign up for our morning newsletter: the day's top stories in your inbox.</div>
<footer><p>Copyright The Daily Example. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
"""


def page(rec):
    title = html.escape(rec.get("title") or "Untitled")
    paras = "".join("<p>%s</p>\n" % html.escape(p) for p in rec["text"].split("\n\n") if p.strip())
    pub = html.escape(rec.get("published") or "")
    return ("<!doctype html><html><head><meta charset=\"utf-8\"><title>%s - The Daily Example</title>"
            "<meta property=\"og:title\" content=\"%s\">"
            "<meta property=\"article:published_time\" content=\"%s\"></head><body>%s"
            "<main><article><h1>%s</h1>%s</article></main>%s</body></html>"
            % (title, title, pub, CHROME_TOP, title, paras, CHROME_BOTTOM)).encode("utf-8")


def warc_record(kind, uri, ctype, payload, date="2024-01-01T00:00:00Z"):
    head = ("WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s>\r\nWARC-Date: %s\r\n"
            "%sContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
            % (kind, uuid.uuid4(), date, "WARC-Target-URI: %s\r\n" % uri if uri else "",
               ctype, len(payload))).encode()
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=6) as g:
        g.write(head + payload + b"\r\n\r\n")
    return buf.getvalue()


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    os.makedirs(os.path.join(out, "html"), exist_ok=True)
    with open(corpus, encoding="utf-8") as f, open(os.path.join(out, "crawl.warc.gz"), "wb") as w:
        w.write(warc_record("warcinfo", None, "application/warc-fields", b"software: mkpages\r\n"))
        for i, line in enumerate(f):
            if limit is not None and i >= limit:
                break
            rec = json.loads(line)
            body = page(rec)
            with open(os.path.join(out, "html", "%06d.html" % i), "wb") as h:
                h.write(body)
            uri = "https://daily.example/story/%06d" % i
            req = b"GET /story/%06d HTTP/1.1\r\nHost: daily.example\r\n\r\n" % i
            w.write(warc_record("request", uri, "application/http; msgtype=request", req))
            resp = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n" % len(body)) + body
            w.write(warc_record("response", uri, "application/http; msgtype=response", resp))


if __name__ == "__main__":
    main()
