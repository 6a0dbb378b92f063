/*
 * buf.c: a growable byte buffer and UTF-8 repair.
 *
 * The buffer doubles its capacity so appends are amortised O(1). UTF-8
 * repair follows the Unicode "maximal subpart" practice: each ill-formed
 * subsequence becomes one U+FFFD, overlong forms, surrogates and code points
 * above U+10FFFF included, so every output byte sequence is valid UTF-8.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

rp_err rp_buf_reserve(rp_buf *b, size_t extra)
{
    if (extra > SIZE_MAX - b->len - 1) return RP_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return RP_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p) return RP_NOMEM;
    b->data = p;
    b->cap = cap;
    return RP_OK;
}

rp_err rp_buf_append(rp_buf *b, const void *p, size_t n)
{
    rp_err e = rp_buf_reserve(b, n);
    if (e) return e;
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return RP_OK;
}

rp_err rp_buf_appendc(rp_buf *b, char c)
{
    return rp_buf_append(b, &c, 1);
}

rp_err rp_buf_printf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return RP_ARG;
    rp_err e = rp_buf_reserve(b, (size_t)n);
    if (e) return e;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RP_OK;
}

rp_err rp_buf_terminate(rp_buf *b)
{
    rp_err e = rp_buf_reserve(b, 0);
    if (e) return e;
    b->data[b->len] = '\0';
    return RP_OK;
}

void rp_buf_free(rp_buf *b)
{
    if (!b) return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 if ill-formed; *bad
 * receives how many bytes form the maximal ill-formed subpart. */
static size_t utf8_valid(const unsigned char *s, size_t n, size_t *bad)
{
    unsigned char c = s[0];
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    *bad = 1;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c == 0xE0)
        len = 3, lo = 0xA0;
    else if (c >= 0xE1 && c <= 0xEC)
        len = 3;
    else if (c == 0xED)
        len = 3, hi = 0x9F;
    else if (c >= 0xEE && c <= 0xEF)
        len = 3;
    else if (c == 0xF0)
        len = 4, lo = 0x90;
    else if (c >= 0xF1 && c <= 0xF3)
        len = 4;
    else if (c == 0xF4)
        len = 4, hi = 0x8F;
    else
        return 0;
    for (size_t i = 1; i < len; i++) {
        if (i >= n) return 0;
        unsigned char d = s[i];
        if (i == 1 ? (d < lo || d > hi) : (d < 0x80 || d > 0xBF)) return 0;
        *bad = i + 1;
    }
    return len;
}

rp_err rp_utf8_repair(const char *s, size_t len, rp_buf *out, size_t *repaired)
{
    static const char fffd[] = "\xEF\xBF\xBD";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, fixes = 0;
    rp_err e = rp_buf_reserve(out, len);
    if (e) return e;
    while (i < len) {
        size_t bad = 1;
        size_t n = p[i] == 0 ? 0 : utf8_valid(p + i, len - i, &bad);
        if (n) {
            i += n;
            run += n;
            continue;
        }
        if ((e = rp_buf_append(out, s + i - run, run))) return e;
        run = 0;
        if (p[i] == 0) {
            e = rp_buf_appendc(out, ' ');
            i++;
        } else {
            e = rp_buf_append(out, fffd, 3);
            i += bad;
        }
        if (e) return e;
        fixes++;
    }
    if ((e = rp_buf_append(out, s + i - run, run))) return e;
    if (repaired) *repaired += fixes;
    return RP_OK;
}

rp_err rp_grow(void *pv, size_t *cap, size_t need, size_t size)
{
    void **v = pv;
    if (need <= *cap) return RP_OK;
    size_t c = *cap ? *cap : 16;
    while (c < need) {
        if (c > SIZE_MAX / 2 / size) return RP_NOMEM;
        c *= 2;
    }
    void *p = realloc(*v, c * size);
    if (!p) return RP_NOMEM;
    *v = p;
    *cap = c;
    return RP_OK;
}
