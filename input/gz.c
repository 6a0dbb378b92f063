/*
 * gz.c: a buffered byte stream that inflates gzip on the fly, and inflation
 * of in-memory HTTP bodies.
 *
 * The stream reads its file descriptor in fixed chunks. If the first two
 * bytes are the gzip magic, every later chunk goes through zlib, one member
 * after another (a .warc.gz has one member per record; trailing zero
 * padding is ignored). Memory stays at one input chunk and one output chunk
 * whatever the file size: callers bound their records themselves, so a
 * gzip bomb costs time but never memory. Errors are sticky and deferred: a
 * truncated or corrupt member is reported only once every byte inflated
 * before the damage has been delivered, so readers keep all complete
 * records in front of it. A pushback area lets the WARC reader resume at a
 * record boundary it found inside bytes it had already consumed.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <zlib.h>

#include "input/input.h"

#define CHUNK ((size_t)64 << 10)

struct in_stream {
    int fd, owns_fd;
    int started, gzip, in_member, raw_eof, zinit;
    z_stream z;
    unsigned char *inbuf;
    char *buf; /* delivered bytes live in buf[pos, len) */
    size_t pos, len, cap;
    uint64_t raw;       /* bytes read from fd */
    uint64_t total;     /* bytes produced (inflated or plain) */
    rp_err err;         /* sticky error, raised when buf is empty */
    volatile int *stop; /* in_stream_watch */
    int wait;           /* not a regular file: poll before reading */
    char msg[256];
};

rp_err in_stream_open(in_stream **out, int fd, int owns_fd)
{
    in_stream *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s) return RP_NOMEM;
    s->fd = fd;
    s->owns_fd = owns_fd;
    s->inbuf = malloc(CHUNK);
    if (!s->inbuf) {
        free(s);
        return RP_NOMEM;
    }
    *out = s;
    return RP_OK;
}

void in_stream_close(in_stream *s)
{
    if (!s) return;
    if (s->zinit) inflateEnd(&s->z);
    if (s->owns_fd && s->fd >= 0) close(s->fd);
    free(s->inbuf);
    free(s->buf);
    free(s);
}

const char *in_stream_errmsg(const in_stream *s)
{
    return s->msg;
}

int in_stream_is_gzip(const in_stream *s)
{
    return s->gzip;
}

uint64_t in_stream_raw_bytes(const in_stream *s)
{
    return s ? s->raw : 0;
}

static rp_err fail(in_stream *s, rp_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static rp_err fail(in_stream *s, rp_err e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    s->err = e;
    return e;
}

void in_stream_watch(in_stream *s, volatile int *stop)
{
    struct stat st;
    s->stop = stop;
    s->wait = stop && fstat(s->fd, &st) == 0 && !S_ISREG(st.st_mode);
}

/* read() into p, retrying on EINTR; *got == 0 at end of file. A watched
 * pipe is polled first, so that a stop request is seen even when no data
 * (and no writer) ever comes; a signal alone cannot be relied on to end a
 * blocked read(), since SA_RESTART restarts it and another thread may be
 * the one the signal is delivered to. */
static rp_err raw_read(in_stream *s, unsigned char *p, size_t n, size_t *got)
{
    ssize_t k;
    while (s->wait) {
        if (*s->stop) return fail(s, RP_INTERRUPTED, "interrupted");
        struct pollfd pf = {.fd = s->fd, .events = POLLIN};
        int ready = poll(&pf, 1, 200);
        if (ready > 0) break;
        if (ready < 0 && errno != EINTR) return fail(s, RP_IO, "%s", strerror(errno));
    }
    do
        k = read(s->fd, p, n);
    while (k < 0 && errno == EINTR);
    if (k < 0) return fail(s, RP_IO, "%s", strerror(errno));
    *got = (size_t)k;
    s->raw += (uint64_t)k;
    return RP_OK;
}

/* Room for CHUNK more bytes at buf+len, moving unread bytes to the front. */
static rp_err make_room(in_stream *s)
{
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->len - s->pos);
        s->len -= s->pos;
        s->pos = 0;
    }
    if (s->cap - s->len >= CHUNK) return RP_OK;
    size_t cap = s->len + CHUNK;
    char *p = realloc(s->buf, cap);
    if (!p) return fail(s, RP_NOMEM, "out of memory");
    s->buf = p;
    s->cap = cap;
    return RP_OK;
}

/* First read: sniff the gzip magic. */
static rp_err start(in_stream *s)
{
    size_t have = 0, got;
    rp_err e;
    s->started = 1;
    do {
        if ((e = raw_read(s, s->inbuf + have, CHUNK - have, &got))) return e;
        have += got;
    } while (got && have < 2);
    if (have >= 2 && s->inbuf[0] == 0x1f && s->inbuf[1] == 0x8b) {
        if (inflateInit2(&s->z, 15 + 16) != Z_OK) return fail(s, RP_NOMEM, "out of memory");
        s->zinit = 1;
        s->gzip = 1;
        s->in_member = 1;
        s->z.next_in = s->inbuf;
        s->z.avail_in = (uInt)have;
        return RP_OK;
    }
    if ((e = make_room(s))) return e;
    memcpy(s->buf + s->len, s->inbuf, have);
    s->len += have;
    s->total += have;
    if (!have) s->raw_eof = 1;
    return RP_OK;
}

/* Inflate until some output appears, the data ends, or an error. */
static rp_err fill_gzip(in_stream *s)
{
    for (;;) {
        if (s->z.avail_in == 0 && !s->raw_eof) {
            size_t got;
            rp_err e = raw_read(s, s->inbuf, CHUNK, &got);
            if (e) return e;
            if (!got) s->raw_eof = 1;
            s->z.next_in = s->inbuf;
            s->z.avail_in = (uInt)got;
        }
        if (!s->in_member) {
            while (s->z.avail_in && *s->z.next_in == 0)
                s->z.next_in++, s->z.avail_in--;
            if (!s->z.avail_in) {
                if (s->raw_eof) return RP_OK; /* clean end */
                continue;
            }
            if (*s->z.next_in != 0x1f)
                return fail(s, RP_FORMAT, "garbage after gzip data at byte %llu",
                            (unsigned long long)(s->raw - s->z.avail_in));
            inflateReset(&s->z);
            s->in_member = 1;
        }
        if (s->z.avail_in == 0 && s->raw_eof)
            return fail(s, RP_TRUNCATED, "truncated gzip after %llu bytes (%llu decompressed)",
                        (unsigned long long)s->raw, (unsigned long long)s->total);
        s->z.next_out = (unsigned char *)s->buf + s->len;
        s->z.avail_out = (uInt)(s->cap - s->len);
        int ret = inflate(&s->z, Z_NO_FLUSH);
        size_t produced = (s->cap - s->len) - s->z.avail_out;
        s->len += produced;
        s->total += produced;
        if (ret == Z_STREAM_END)
            s->in_member = 0;
        else if (ret != Z_OK && ret != Z_BUF_ERROR) {
            fail(s, RP_FORMAT, "corrupt gzip data after %llu bytes: %s", (unsigned long long)s->raw,
                 s->z.msg ? s->z.msg : "inflate failed");
            return produced ? RP_OK : s->err;
        }
        if (produced) return RP_OK;
    }
}

/* Add at least one byte to buf unless the data has ended. */
static rp_err fill(in_stream *s)
{
    rp_err e;
    if (s->err) return s->err;
    if (!s->started) {
        if ((e = start(s))) return e;
        if (s->len > s->pos || !s->gzip) return RP_OK;
    }
    if ((e = make_room(s))) return e;
    if (s->gzip) return fill_gzip(s);
    if (s->raw_eof) return RP_OK;
    size_t got;
    if ((e = raw_read(s, (unsigned char *)s->buf + s->len, CHUNK, &got))) return e;
    if (!got) s->raw_eof = 1;
    s->len += got;
    s->total += got;
    return RP_OK;
}

/* Bytes available, filling once if empty; 0 means end of data. */
static rp_err avail(in_stream *s, size_t *n)
{
    if (s->pos == s->len) {
        rp_err e = fill(s);
        if (e) return e;
    }
    *n = s->len - s->pos;
    return RP_OK;
}

rp_err in_stream_read(in_stream *s, void *buf, size_t n, size_t *got)
{
    size_t done = 0;
    rp_err e = RP_OK;
    while (done < n) {
        size_t a;
        if ((e = avail(s, &a))) break;
        if (!a) break;
        if (a > n - done) a = n - done;
        memcpy((char *)buf + done, s->buf + s->pos, a);
        s->pos += a;
        done += a;
    }
    *got = done;
    return done ? RP_OK : e;
}

rp_err in_stream_peek(in_stream *s, size_t n, const unsigned char **p, size_t *navail)
{
    rp_err e = RP_OK;
    while (s->len - s->pos < n) {
        size_t before = s->len - s->pos;
        if ((e = fill(s))) break;
        if (s->len - s->pos == before) break; /* end of data */
    }
    *p = (const unsigned char *)s->buf + s->pos;
    *navail = s->len - s->pos;
    return *navail ? RP_OK : e;
}

rp_err in_stream_skip(in_stream *s, uint64_t n, uint64_t *done)
{
    rp_err e = RP_OK;
    *done = 0;
    while (*done < n) {
        size_t a;
        if ((e = avail(s, &a))) return e;
        if (!a) break;
        if (a > n - *done) a = (size_t)(n - *done);
        s->pos += a;
        *done += a;
    }
    return RP_OK;
}

rp_err in_stream_line(in_stream *s, rp_buf *line, size_t max, int *toolong)
{
    size_t kept = 0, seen = 0;
    rp_err e;
    *toolong = 0;
    for (;;) {
        size_t a;
        if ((e = avail(s, &a))) return e; /* a line cut by damage is dropped */
        if (!a) return seen ? RP_OK : RP_DONE;
        const char *p = s->buf + s->pos;
        const char *nl = memchr(p, '\n', a);
        size_t take = nl ? (size_t)(nl - p) + 1 : a;
        size_t keep = take;
        if (kept + keep > max) {
            keep = max - kept;
            *toolong = 1;
        }
        if (keep && (e = rp_buf_append(line, p, keep))) return e;
        kept += keep;
        seen += take;
        s->pos += take;
        if (nl) return RP_OK;
    }
}

rp_err in_stream_unread(in_stream *s, const void *p, size_t n)
{
    if (n <= s->pos) {
        s->pos -= n;
        memmove(s->buf + s->pos, p, n);
        return RP_OK;
    }
    size_t rest = s->len - s->pos;
    if (n > SIZE_MAX - rest - CHUNK) return RP_NOMEM;
    char *nb = malloc(n + rest + CHUNK);
    if (!nb) return RP_NOMEM;
    memcpy(nb, p, n);
    memcpy(nb + n, s->buf + s->pos, rest);
    free(s->buf);
    s->buf = nb;
    s->cap = n + rest + CHUNK;
    s->pos = 0;
    s->len = n + rest;
    return RP_OK;
}

/* One inflate pass with the given window bits; *any tells whether any
 * output appeared (so a raw-deflate retry is still possible). */
static rp_err inflate_with(const char *src, size_t n, int wbits, size_t max, rp_buf *out, int *any,
                           char *err, size_t errsz)
{
    z_stream z;
    unsigned char chunk[16384];
    rp_err e = RP_OK;
    memset(&z, 0, sizeof z);
    *any = 0;
    if (inflateInit2(&z, wbits) != Z_OK) return RP_NOMEM;
    z.next_in = (unsigned char *)(uintptr_t)src;
    z.avail_in = (uInt)(n > UINT32_MAX ? UINT32_MAX : n);
    for (;;) {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        int ret = inflate(&z, Z_NO_FLUSH);
        size_t got = sizeof chunk - z.avail_out;
        if (got) {
            *any = 1;
            if (out->len + got > max) {
                snprintf(err, errsz, "decompressed record exceeds %zu bytes", max);
                e = RP_LIMIT;
                goto out;
            }
            if ((e = rp_buf_append(out, chunk, got))) goto out;
        }
        if (ret == Z_STREAM_END) break;
        if (ret == Z_BUF_ERROR && z.avail_in == 0) break; /* cut short: keep what came */
        if (ret != Z_OK && ret != Z_BUF_ERROR) {
            snprintf(err, errsz, "corrupt compressed content: %s", z.msg ? z.msg : "error");
            e = RP_FORMAT;
            goto out;
        }
    }
out:
    inflateEnd(&z);
    return e;
}

rp_err in_inflate(const char *src, size_t n, int raw_ok, size_t max, rp_buf *out, char *err,
                  size_t errsz)
{
    int any;
    size_t start = out->len;
    rp_err e = inflate_with(src, n, raw_ok ? 15 : 15 + 32, max, out, &any, err, errsz);
    if (e == RP_FORMAT && raw_ok && !any) {
        out->len = start;
        e = inflate_with(src, n, -15, max, out, &any, err, errsz);
    }
    return e;
}
