/*
 * escape.c: control characters made visible before text reaches a terminal,
 * a log line or a spreadsheet cell.
 *
 * Article data (titles, ids, URLs, file names) comes from pages we do not
 * control. Printed raw, an ESC byte can recolour or rewrite the terminal,
 * a newline in a file name can forge a second "reprint:" message, and a
 * C1 control (U+009B is CSI on many terminals) does what ESC [ does. So every
 * such byte is written as a short visible escape: \n, \r and \t for those
 * three, \xHH for the other C0 bytes, DEL and bytes that are not valid
 * UTF-8, \u00HH for the C1 code points U+0080..U+009F. Valid UTF-8 outside
 * those ranges is copied as is. The escapes are for display, not a reversible
 * encoding: a backslash in the data is left alone.
 */
#include <string.h>

#include "reprint.h"

/* Length of the valid UTF-8 sequence at s (2..4) whose lead byte is >= 0x80,
 * or 0 if ill-formed. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 0;
    if (len > n) return 0;
    if (s[1] < lo || s[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if (s[i] < 0x80 || s[i] > 0xBF) return 0;
    return len;
}

/* Bytes of the character at s to escape: 0 if it is printed as is, else its
 * length (1 for a C0 byte, DEL or a stray byte; 2 for a C1 code point).
 * *len receives the character's length either way. */
static size_t needs_escape(const unsigned char *s, size_t n, unsigned keep, size_t *len)
{
    unsigned char c = s[0];
    *len = 1;
    if (c == '\n') return keep & RP_ESC_KEEP_LF ? 0 : 1;
    if (c == '\t') return keep & RP_ESC_KEEP_TAB ? 0 : 1;
    if (c == '\r') return keep & RP_ESC_KEEP_CR ? 0 : 1;
    if (c < 0x20 || c == 0x7F) return 1;
    if (c < 0x80) return 0;
    size_t l = utf8_len(s, n);
    if (!l) return 1;
    *len = l;
    return c == 0xC2 && s[1] <= 0x9F ? 2 : 0;
}

int rp_escape_needed(const char *s, size_t len, unsigned keep)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0, l; i < len; i += l)
        if (needs_escape(p + i, len - i, keep, &l)) return 1;
    return 0;
}

rp_err rp_escape_controls(rp_buf *out, const char *s, size_t len, unsigned keep)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0, l;
    rp_err e = rp_buf_reserve(out, len);
    while (!e && i < len) {
        size_t x = needs_escape(p + i, len - i, keep, &l);
        if (!x) {
            i += l, run += l;
            continue;
        }
        e = rp_buf_append(out, s + i - run, run);
        run = 0;
        char t[8];
        size_t n = 0;
        unsigned v = x == 2 ? p[i + 1] : p[i];
        t[n++] = '\\';
        if (v == '\n' || v == '\r' || v == '\t') {
            t[n++] = v == '\n' ? 'n' : v == '\r' ? 'r' : 't';
        } else {
            if (x == 2)
                memcpy(t + n, "u00", 3), n += 3;
            else
                t[n++] = 'x';
            t[n++] = hex[v >> 4];
            t[n++] = hex[v & 15];
        }
        if (!e) e = rp_buf_append(out, t, n);
        i += l;
    }
    if (!e) e = rp_buf_append(out, s + i - run, run);
    return e;
}
