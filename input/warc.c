/*
 * warc.c: WARC 1.0/1.1 records, one article per HTML or plain-text page.
 *
 * A record is a version line, header lines, a blank line, Content-Length
 * bytes of payload and a blank line. The reader takes one record at a time
 * (a payload over max_record_bytes is streamed past, never held) and trusts
 * Content-Length only as far as it can check it: after the payload must
 * come a blank line and then "WARC/" or the end. When they do not, the
 * record is rejected and the reader resynchronises on the next line that
 * starts "WARC/1.", looking first inside the payload it already read (a
 * length too long swallows the next record's head, which is given back to
 * the stream), so one bad length costs one record. That holds for a length
 * beyond max_record_bytes too, whose payload is streamed past unread: the
 * bytes from the first "WARC/1." line inside it on are kept (up to
 * max_record_bytes) until the length has been checked, and given back if
 * it proves wrong, so a length of gigabytes in a small file does not
 * swallow the records after it.
 *
 * Only response records holding an HTTP 200 response of text/html,
 * application/xhtml+xml or text/plain (and resource records of those
 * types), and conversion records of text/plain (Common Crawl's WET files:
 * the text a crawler extracted from a page, under the page's address)
 * become articles; every other record is skipped and counted. The
 * HTTP body is de-chunked and inflated (gzip, deflate) before extraction,
 * with the decoded size bounded like the record itself.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "input/input.h"

#define WARC_LINE_MAX ((size_t)64 << 10)
#define WARC_HEAD_MAX ((size_t)1 << 20)
#define HTTP_PEEK ((size_t)16 << 10)

struct warc_head {
    char *type, *uri, *date, *ctype;
    uint64_t clen;
    int has_clen;
};

struct http_head {
    int status;
    char mime[128];
    char charset[64];
    int chunked;
    char enc[32];
    size_t body; /* offset of the body */
};

static void head_clear(struct warc_head *h)
{
    free(h->type);
    free(h->uri);
    free(h->date);
    free(h->ctype);
    memset(h, 0, sizeof *h);
}

static int line_is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n' && s[i] != ' ' && s[i] != '\t') return 0;
    return 1;
}

static int is_version_line(const char *s, size_t n)
{
    return n >= 7 && memcmp(s, "WARC/1.", 7) == 0;
}

/* Go on at the next "WARC/1." line: inside buf (bytes already consumed,
 * the first skipped so the reader always moves on), else further on in
 * the stream. Stream errors are left for the next read to report. */
static void resync(rp_reader *r, const char *buf, size_t n)
{
    for (size_t i = 1; i + 7 <= n; i++) {
        if (buf[i - 1] == '\n' && is_version_line(buf + i, n - i)) {
            in_stream_unread(r->in, buf + i, n - i);
            return;
        }
    }
    rp_buf line = {0};
    for (;;) {
        int toolong;
        line.len = 0;
        if (in_stream_line(r->in, &line, 64, &toolong) != RP_OK) break;
        if (!toolong && is_version_line(line.data, line.len)) {
            in_stream_unread(r->in, line.data, line.len);
            break;
        }
    }
    rp_buf_free(&line);
}

/* Copy a header value, trimmed, without the <...> wget puts around URIs. */
static char *value_dup(const char *v, size_t n, int strip_angle)
{
    while (n && isspace((unsigned char)*v))
        v++, n--;
    while (n && isspace((unsigned char)v[n - 1]))
        n--;
    if (strip_angle && n >= 2 && v[0] == '<' && v[n - 1] == '>') v++, n -= 2;
    return strndup(v, n);
}

static int name_is(const char *s, size_t n, const char *name)
{
    return strlen(name) == n && strncasecmp(s, name, n) == 0;
}

/* Read the header block after the version line. */
static rp_err read_head(rp_reader *r, struct warc_head *h)
{
    size_t total = 0;
    rp_err e;
    for (;;) {
        int toolong;
        r->rec.len = 0;
        e = in_stream_line(r->in, &r->rec, WARC_LINE_MAX, &toolong);
        if (e == RP_DONE) {
            r->file_done = 1;
            return in_reject(r, "truncated WARC record");
        }
        if (e) return in_stream_fail(r, e);
        total += r->rec.len;
        if (toolong || total > WARC_HEAD_MAX) {
            in_reject(r, "WARC header block too long");
            resync(r, NULL, 0);
            return RP_REJECT;
        }
        const char *s = r->rec.data;
        size_t n = r->rec.len;
        if (line_is_blank(s, n)) break;
        const char *colon = memchr(s, ':', n);
        if (!colon || *s == ' ' || *s == '\t') continue; /* continuation or junk */
        size_t kn = (size_t)(colon - s);
        const char *v = colon + 1;
        size_t vn = n - kn - 1;
        char **slot = NULL;
        if (name_is(s, kn, "WARC-Type"))
            slot = &h->type;
        else if (name_is(s, kn, "WARC-Target-URI"))
            slot = &h->uri;
        else if (name_is(s, kn, "WARC-Date"))
            slot = &h->date;
        else if (name_is(s, kn, "Content-Type"))
            slot = &h->ctype;
        else if (name_is(s, kn, "Content-Length")) {
            char *end, *tmp = value_dup(v, vn, 0);
            if (!tmp) return RP_NOMEM;
            unsigned long long len = strtoull(tmp, &end, 10);
            h->has_clen = *tmp && *end == '\0' && isdigit((unsigned char)*tmp);
            h->clen = len;
            free(tmp);
        }
        if (slot) {
            free(*slot);
            if (!(*slot = value_dup(v, vn, slot == &h->uri))) return RP_NOMEM;
        }
    }
    if (!h->has_clen) {
        in_reject(r, "WARC record without a valid Content-Length");
        resync(r, NULL, 0);
        return RP_REJECT;
    }
    return RP_OK;
}

/* After the payload: line breaks, then "WARC/" or the end of the data.
 * Nothing is consumed unless the check passes, so a resync sees every byte. */
static int trailer_ok(rp_reader *r)
{
    const unsigned char *p;
    size_t n, k = 0;
    int nl = 0;
    for (;;) {
        if (in_stream_peek(r->in, k + 5, &p, &n) != RP_OK) return 1; /* reported later */
        if (k >= n || (p[k] != '\r' && p[k] != '\n')) break;
        nl += p[k++] == '\n';
        if (k > 4096) return 0;
    }
    int ok = n <= k || (nl > 0 && n >= k + 5 && memcmp(p + k, "WARC/", 5) == 0);
    if (ok) {
        uint64_t done;
        in_stream_skip(r->in, k, &done);
    }
    return ok;
}

static void copy_lower(char *dst, size_t size, const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n >= size) n = size - 1;
    for (size_t i = 0; i < n; i++)
        dst[i] = (char)tolower((unsigned char)s[i]);
    dst[n] = '\0';
}

/* Media type and charset of a Content-Type value. */
static void parse_ctype(const char *v, size_t n, char *mime, size_t msize, char *cs, size_t csize)
{
    const char *semi = memchr(v, ';', n);
    copy_lower(mime, msize, v, semi ? (size_t)(semi - v) : n);
    cs[0] = '\0';
    for (size_t i = 0; i + 8 <= n; i++) {
        if (strncasecmp(v + i, "charset=", 8) != 0) continue;
        const char *c = v + i + 8, *end = v + n;
        while (c < end && (*c == '"' || *c == '\''))
            c++;
        size_t k = 0;
        while (c + k < end && !strchr("\"'; \t\r\n", c[k]))
            k++;
        copy_lower(cs, csize, c, k);
        break;
    }
}

/* HTTP status line and the headers that matter; 0 if not an HTTP head. */
static int parse_http(const char *p, size_t n, struct http_head *h)
{
    memset(h, 0, sizeof *h);
    if (n < 12 || memcmp(p, "HTTP/", 5) != 0) return 0;
    const char *sp = memchr(p, ' ', n);
    if (!sp || sp + 4 > p + n || !isdigit((unsigned char)sp[1])) return 0;
    h->status = atoi(sp + 1);
    size_t i = 0;
    for (;;) {
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl) return 0; /* head never ends */
        size_t ll = (size_t)(nl - (p + i));
        const char *line = p + i;
        i += ll + 1;
        if (ll && line[ll - 1] == '\r') ll--;
        if (ll == 0) break;
        const char *colon = memchr(line, ':', ll);
        if (!colon) continue;
        size_t kn = (size_t)(colon - line), vn = ll - kn - 1;
        const char *v = colon + 1;
        if (name_is(line, kn, "Content-Type"))
            parse_ctype(v, vn, h->mime, sizeof h->mime, h->charset, sizeof h->charset);
        else if (name_is(line, kn, "Transfer-Encoding")) {
            char te[64];
            copy_lower(te, sizeof te, v, vn);
            h->chunked = strstr(te, "chunked") != NULL;
        } else if (name_is(line, kn, "Content-Encoding"))
            copy_lower(h->enc, sizeof h->enc, v, vn);
    }
    h->body = i;
    return 1;
}

/* RP_FMT_HTML, RP_FMT_TEXT, or RP_FMT_AUTO for a type that is no article. */
static rp_format kind_of(const char *mime)
{
    if (!strcmp(mime, "text/html") || !strcmp(mime, "application/xhtml+xml")) return RP_FMT_HTML;
    if (!strcmp(mime, "text/plain")) return RP_FMT_TEXT;
    return RP_FMT_AUTO;
}

/* Undo chunked transfer coding into out. A body cut short keeps its
 * complete chunks (crawls often end mid-body); 0 if not chunked at all. */
static int dechunk(const char *p, size_t n, rp_buf *out)
{
    size_t i = 0;
    int chunks = 0;
    out->len = 0;
    while (i < n) {
        size_t size = 0, digits = 0;
        while (i < n && isxdigit((unsigned char)p[i])) {
            int c = tolower((unsigned char)p[i]);
            if (size > (SIZE_MAX >> 4)) return 0;
            size = size * 16 + (size_t)(c <= '9' ? c - '0' : c - 'a' + 10);
            i++, digits++;
        }
        if (!digits) return chunks > 0;
        const char *nl = memchr(p + i, '\n', n - i);
        if (!nl) return chunks > 0;
        i = (size_t)(nl - p) + 1;
        if (size == 0) return 1;
        if (size > n - i) size = n - i;
        if (rp_buf_append(out, p + i, size) != RP_OK) return 0;
        i += size;
        chunks++;
        if (i < n && p[i] == '\r') i++;
        if (i < n && p[i] == '\n') i++;
    }
    return 1;
}

/* Turn a 200 response's body (or a resource payload) into an article. */
static rp_err body_article(rp_reader *r, rp_article *a, const struct warc_head *h, rp_format kind,
                           const struct http_head *hh, const char *body, size_t n)
{
    rp_err e;
    char err[256];
    if (hh && hh->chunked) {
        if (!dechunk(body, n, &r->tmp)) return in_reject(r, "bad chunked transfer encoding");
        body = r->tmp.data;
        n = r->tmp.len;
    }
    if (hh && hh->enc[0] && strcmp(hh->enc, "identity") != 0) {
        int gz = !strcmp(hh->enc, "gzip") || !strcmp(hh->enc, "x-gzip");
        if (!gz && strcmp(hh->enc, "deflate") != 0)
            return in_reject(r, "unsupported Content-Encoding %s", hh->enc);
        r->tmp2.len = 0;
        e = in_inflate(body, n, !gz, r->o.max_record_bytes, &r->tmp2, err, sizeof err);
        if (e == RP_NOMEM) return e;
        if (e) return in_reject(r, "%s", err);
        body = r->tmp2.data;
        n = r->tmp2.len;
    }
    if (!n) return in_reject(r, "empty text");
    const char *cs = hh && hh->charset[0] ? hh->charset : NULL;
    /* WARC-Date is when the crawler fetched the page (first seen), not when
     * it was published: it is never taken for the published date */
    return in_make_article(r, a, kind, body ? body : "", n, cs, h->uri, h->uri, NULL, NULL);
}

/* Stream past the n payload bytes of an oversized record, watching for a
 * line that starts "WARC/1." inside them: if the length turns out wrong
 * (the data ends first, or no record follows it), the reader resumes
 * there, so a lying length of gigabytes costs one record, not the rest of
 * the file. The bytes from the first such line on are kept in *keep (at
 * most max bytes, the size of any record the reader holds; past that the
 * line is forgotten and the watch goes on) to be given back to the stream.
 * *done receives how many bytes were there. */
static rp_err skip_watching(rp_reader *r, uint64_t n, rp_buf *keep, size_t max, uint64_t *done)
{
    const unsigned char *p;
    size_t avail;
    int prev_nl = 1, watching = 0; /* the header block ended with a newline */
    *done = 0;
    keep->len = 0;
    while (*done < n) {
        rp_err e = in_stream_peek(r->in, HTTP_PEEK, &p, &avail);
        if (e == RP_DONE || (e == RP_OK && !avail)) break;
        if (e) return e;
        size_t lim = avail < n - *done ? avail : (size_t)(n - *done), take = lim, from = 0;
        for (size_t i = 0; !watching && i < lim; i++) {
            if (!(i ? p[i - 1] == '\n' : prev_nl) || p[i] != 'W') continue;
            if (avail - i < 7) { /* the line may go on past this window */
                if (i) take = i;
                break;
            }
            if (is_version_line((const char *)p + i, avail - i)) watching = 1, from = i;
        }
        if (watching && (e = rp_buf_append(keep, p + from, take - from))) return e;
        if (watching && keep->len > max) { /* too far back to return to */
            watching = 0;
            keep->len = 0;
        }
        prev_nl = p[take - 1] == '\n';
        uint64_t k;
        if ((e = in_stream_skip(r->in, take, &k))) return e;
        *done += k;
    }
    if (!watching) keep->len = 0;
    return RP_OK;
}

/* The payload of an oversized record is streamed past (skip_watching):
 * peek at its HTTP head to tell an article that is too big from a
 * skippable video. */
static rp_err oversized(rp_reader *r, const struct warc_head *h, int *article, rp_buf *keep,
                        uint64_t *done)
{
    const unsigned char *p;
    size_t n;
    struct http_head hh;
    char mime[128], cs[8];
    *article = 0;
    if (h->type && !strcmp(h->type, "resource") && h->ctype) {
        parse_ctype(h->ctype, strlen(h->ctype), mime, sizeof mime, cs, sizeof cs);
        *article = kind_of(mime) != RP_FMT_AUTO;
    } else if (h->type && !strcmp(h->type, "conversion")) {
        *article = 1;
    } else if (h->type && !strcmp(h->type, "response")) {
        rp_err e = in_stream_peek(r->in, HTTP_PEEK, &p, &n);
        if (e) return e;
        *article = parse_http((const char *)p, n, &hh) && hh.status == 200 &&
                   kind_of(hh.mime) != RP_FMT_AUTO;
    }
    return skip_watching(r, h->clen, keep, r->o.max_record_bytes, done);
}

rp_err in_warc_next(rp_reader *r, rp_article *out)
{
    struct warc_head h = {0};
    rp_err e;
    for (;;) {
        int toolong;
        head_clear(&h);
        /* version line, after any blank lines */
        for (;;) {
            r->rec.len = 0;
            e = in_stream_line(r->in, &r->rec, WARC_LINE_MAX, &toolong);
            if (e == RP_DONE) goto out;
            if (e) {
                r->where = r->recno + 1;
                e = in_stream_fail(r, e);
                goto out;
            }
            if (!line_is_blank(r->rec.data, r->rec.len)) break;
        }
        r->where = ++r->recno;
        if (toolong || !is_version_line(r->rec.data, r->rec.len)) {
            e = in_reject(r, "expected a WARC/1.x record header");
            resync(r, NULL, 0);
            goto out;
        }
        if ((e = read_head(r, &h))) goto out;

        if (h.clen > r->o.max_record_bytes) {
            int article;
            uint64_t done;
            rp_buf keep = {0};
            e = oversized(r, &h, &article, &keep, &done);
            if (e) {
                rp_buf_free(&keep);
                e = in_stream_fail(r, e);
                goto out;
            }
            int short_data = done < h.clen;
            if (short_data || !trailer_ok(r)) {
                if (keep.len) {
                    e = in_reject(r,
                                  "WARC record with a wrong Content-Length (%llu): it runs past "
                                  "the next record header%s",
                                  (unsigned long long)h.clen,
                                  short_data ? " and the end of the file" : "");
                    if (in_stream_unread(r->in, keep.data, keep.len) != RP_OK) r->file_done = 1;
                } else if (short_data) {
                    r->file_done = 1;
                    e = in_reject(r, "truncated WARC record");
                } else {
                    e = in_reject(r, "WARC record with a wrong Content-Length (%llu)",
                                  (unsigned long long)h.clen);
                    resync(r, NULL, 0);
                }
                rp_buf_free(&keep);
                goto out;
            }
            rp_buf_free(&keep);
            if (article) {
                e = in_reject_size(r);
                goto out;
            }
            r->skipped++;
            continue;
        }

        /* the payload, whole */
        size_t want = (size_t)h.clen, got = 0;
        r->rec.len = 0;
        if ((e = rp_buf_reserve(&r->rec, want))) goto out;
        while (got < want) {
            size_t k;
            e = in_stream_read(r->in, r->rec.data + got, want - got, &k);
            if (e) {
                r->rec.len = got;
                e = in_stream_fail(r, e);
                goto out;
            }
            if (!k) break;
            got += k;
        }
        r->rec.len = got;
        r->rec.data[got] = '\0';
        if (got < want) {
            /* the data ended early: a length too long, or a cut file */
            const char *next = NULL;
            for (size_t i = 1; i + 7 <= got && !next; i++)
                if (r->rec.data[i - 1] == '\n' && is_version_line(r->rec.data + i, got - i))
                    next = r->rec.data + i;
            if (next) {
                e = in_reject(r, "WARC record with a wrong Content-Length (%llu)",
                              (unsigned long long)h.clen);
                resync(r, r->rec.data, got);
            } else {
                r->file_done = 1;
                e = in_reject(r, "truncated WARC record");
            }
            goto out;
        }
        if (!trailer_ok(r)) {
            e = in_reject(r, "WARC record with a wrong Content-Length (%llu)",
                          (unsigned long long)h.clen);
            resync(r, r->rec.data, got);
            goto out;
        }

        const char *type = h.type ? h.type : "";
        char mime[128], cs[64];
        /* A resource record is a page only when it stands for a web
         * address: crawlers store their own logs and arguments as resource
         * records under metadata:// or file: URIs. */
        int web =
            h.uri && (!strncasecmp(h.uri, "http://", 7) || !strncasecmp(h.uri, "https://", 8));
        if (!strcmp(type, "conversion") && web) {
            /* WET: the payload is the text itself, without an HTTP head;
             * no Content-Type is read as text/plain, the type WET uses */
            if (h.ctype) parse_ctype(h.ctype, strlen(h.ctype), mime, sizeof mime, cs, sizeof cs);
            if (!h.ctype || !strcmp(mime, "text/plain")) {
                struct http_head hh;
                memset(&hh, 0, sizeof hh);
                if (h.ctype) snprintf(hh.charset, sizeof hh.charset, "%s", cs);
                e = body_article(r, out, &h, RP_FMT_TEXT, &hh, r->rec.data, got);
                goto out;
            }
        } else if (!strcmp(type, "resource") && h.ctype && web) {
            parse_ctype(h.ctype, strlen(h.ctype), mime, sizeof mime, cs, sizeof cs);
            rp_format kind = kind_of(mime);
            if (kind != RP_FMT_AUTO) {
                struct http_head hh;
                memset(&hh, 0, sizeof hh);
                snprintf(hh.charset, sizeof hh.charset, "%s", cs);
                e = body_article(r, out, &h, kind, &hh, r->rec.data, got);
                goto out;
            }
        } else if (!strcmp(type, "response") && h.ctype &&
                   !strncasecmp(h.ctype, "application/http", 16)) {
            struct http_head hh;
            if (!parse_http(r->rec.data, got, &hh)) {
                e = in_reject(r, "malformed HTTP response in WARC record");
                goto out;
            }
            rp_format kind = kind_of(hh.mime);
            if (hh.status == 200 && kind != RP_FMT_AUTO) {
                e = body_article(r, out, &h, kind, &hh, r->rec.data + hh.body, got - hh.body);
                goto out;
            }
        }
        r->skipped++;
    }
out:
    head_clear(&h);
    return e;
}
