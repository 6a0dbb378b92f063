/*
 * quotes.c: find the text inside quotation marks and flag its tokens.
 *
 * Reuse that lies inside quotation marks is not evidence of copying: every
 * story on an event quotes the same speakers. So verification discounts
 * quoted words, and this file decides which words those are.
 *
 * One left-to-right pass keeps two states, "inside a double quote" (straight
 * and typographic double marks, low-9 marks, guillemets, CJK corner marks)
 * and "inside a single quote" (' ‘ ’ ‚ ‛ ‹ ›). A mark's role comes from its
 * glyph when the glyph says it (the German „ only opens, 」 only closes) and
 * otherwise from its flanks, as CommonMark does for emphasis: a mark with a
 * space before and a letter after opens, one with a letter before and a space
 * or punctuation after closes. While a double quote is open any double mark
 * closes it, which copes with mixed marks (“...") and with texts that type
 * every mark the same way. Guillemets simply toggle, since French puts spaces
 * inside them and German points them the other way. Single marks between two
 * letters are apostrophes (don't); a closing-looking single mark with no
 * single quote open is a possessive (James') and is ignored.
 *
 * Quotes do not survive a paragraph end, except by the English convention
 * that a quotation running on into the next paragraph leaves its closing mark
 * out and opens that paragraph with a mark again. An unclosed double quote is
 * closed at the paragraph end if it is short, and dropped as a stray mark if
 * it runs on for more than STRAY_QUOTE_BYTES; an unclosed single quote is
 * dropped (far more often a stray apostrophe than a quotation). A paragraph ends at a blank
 * line, or at every line end in texts that have no blank lines at all.
 *
 * An embedded social post counts as quoted too (find_embeds): pages show a
 * tweet as its words, a picture link and "— Name (@handle) date", and
 * independent reports of one event embed the same posts.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "reprint.h"
#include "verify/verify.h"

enum { K_NONE, K_DBL, K_SGL };
enum { R_CTX, R_OPEN, R_CLOSE, R_TOGGLE };

typedef struct mark {
    int kind, role;
} mark;

static mark classify(int32_t c)
{
    switch (c) {
    case '"':
    case 0x201C: /* “ */
    case 0x201D: /* ” */
    case 0xFF02: /* fullwidth " */
        return (mark){K_DBL, R_CTX};
    case 0x201E: /* „ */
    case 0x201F: /* ‟ */
    case 0x300C: /* 「 */
    case 0x300E: /* 『 */
    case 0x301D: /* 〝 */
        return (mark){K_DBL, R_OPEN};
    case 0x300D: /* 」 */
    case 0x300F: /* 』 */
    case 0x301E: /* 〞 */
    case 0x301F: /* 〟 */
        return (mark){K_DBL, R_CLOSE};
    case 0x00AB: /* « */
    case 0x00BB: /* » */
        return (mark){K_DBL, R_TOGGLE};
    case '\'':
    case 0x2018: /* ‘ */
    case 0x2019: /* ’ */
        return (mark){K_SGL, R_CTX};
    case 0x201A: /* ‚ */
    case 0x201B: /* ‛ */
        return (mark){K_SGL, R_OPEN};
    case 0x2039: /* ‹ */
    case 0x203A: /* › */
        return (mark){K_SGL, R_TOGGLE};
    default:
        return (mark){K_NONE, R_CTX};
    }
}

/* Code point at s[i] (U+FFFD for a bad byte); *n receives its length. */
static int32_t cp_at(const char *s, size_t len, size_t i, size_t *n)
{
    int32_t c = 0;
    utf8proc_ssize_t r =
        utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &c);
    if (r <= 0) {
        *n = 1;
        return 0xFFFD;
    }
    *n = (size_t)r;
    return c;
}

/* Code point ending just before s[i], or -1 at the start. */
static int32_t cp_before(const char *s, size_t len, size_t i)
{
    if (i == 0) return -1;
    size_t j = i - 1;
    while (j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xC0) == 0x80)
        j--;
    size_t n;
    return cp_at(s, len, j, &n);
}

static int is_space(int32_t c)
{
    if (c < 0) return 1;
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
    if (c < 0x80) return 0;
    utf8proc_category_t k = utf8proc_category(c);
    return k == UTF8PROC_CATEGORY_ZS || k == UTF8PROC_CATEGORY_ZL || k == UTF8PROC_CATEGORY_ZP ||
           c == 0x200B;
}

static int is_alnum(int32_t c)
{
    if (c < 0) return 0;
    if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
    utf8proc_category_t k = utf8proc_category(c);
    return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO &&
           !(k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME);
}

/* Paragraph end at s[i] == '\n': a blank line follows (or the text ends), or
 * lines are paragraphs. *next receives where the next paragraph's first
 * non-space character is. */
static int para_end(const char *s, size_t len, size_t i, int lines_are_paras, size_t *next)
{
    size_t j = i + 1;
    int blank = 0;
    while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\n')) {
        if (s[j] == '\n') blank = 1;
        j++;
    }
    *next = j;
    return blank || lines_are_paras || j >= len;
}

typedef struct span {
    size_t s, e;
} span;

typedef struct spans {
    span *v;
    size_t n, cap;
    int failed;
} spans;

static void spans_add(spans *sp, size_t s, size_t e)
{
    if (e <= s || sp->failed) return;
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? sp->cap * 2 : 16;
        span *v = realloc(sp->v, cap * sizeof *v);
        if (!v) {
            sp->failed = 1;
            return;
        }
        sp->v = v;
        sp->cap = cap;
    }
    sp->v[sp->n++] = (span){s, e};
}

static int span_cmp(const void *x, const void *y)
{
    const span *a = x, *b = y;
    return (a->s > b->s) - (a->s < b->s);
}

/* A double quote still open at a paragraph's end (and not run on into the
 * next) is closed there when it is short: a quotation whose closing mark
 * was lost. A longer one is a stray mark ("onmouseover= in a scraped
 * title, an inch sign) that would otherwise discount the whole paragraph,
 * and is dropped. */
#define STRAY_QUOTE_BYTES 400
static void unclosed(spans *sp, size_t from, size_t to)
{
    if (to - from <= STRAY_QUOTE_BYTES) spans_add(sp, from, to);
}

/* Collect the quoted byte spans of (s, len). */
static void find_spans(const char *s, size_t len, spans *sp)
{
    int lines_are_paras = 1;
    for (size_t i = 0; i + 1 < len; i++) {
        if (s[i] != '\n') continue;
        size_t j = i + 1;
        while (j < len && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
            j++;
        if (j < len && s[j] == '\n') {
            lines_are_paras = 0;
            break;
        }
    }

    int dbl = 0, sgl = 0;
    size_t dbl_at = 0, sgl_at = 0;
    size_t i = 0;
    while (i < len) {
        if (s[i] == '\n') {
            size_t next;
            if (!para_end(s, len, i, lines_are_paras, &next)) {
                i++;
                continue;
            }
            sgl = 0;
            if (dbl) {
                size_t n = 0;
                int32_t c = next < len ? cp_at(s, len, next, &n) : -1;
                mark m = classify(c);
                if (m.kind == K_DBL && m.role != R_CLOSE) {
                    i = next + n; /* the quotation runs on: skip its reopening mark */
                    continue;
                }
                unclosed(sp, dbl_at, i);
                dbl = 0;
            }
            i = next;
            continue;
        }
        size_t n;
        int32_t c = cp_at(s, len, i, &n);
        mark m = classify(c);
        if (m.kind == K_NONE) {
            i += n;
            continue;
        }
        int32_t prev = cp_before(s, len, i);
        int32_t next = i + n < len ? cp_at(s, len, i + n, &(size_t){0}) : -1;
        /* Flanks: "opens" = text follows and a space or punctuation precedes;
         * "closes" = text precedes and a space or punctuation follows. */
        int opens = !is_space(next) && !is_alnum(prev);
        int closes = !is_space(prev) && !is_alnum(next);

        if (m.kind == K_DBL) {
            if (dbl) {
                spans_add(sp, dbl_at, i);
                dbl = 0;
            } else if (m.role == R_OPEN || m.role == R_TOGGLE ||
                       (m.role == R_CTX && (opens || !closes))) {
                dbl = 1;
                dbl_at = i + n;
            }
        } else if (!dbl) {
            if (m.role == R_TOGGLE) {
                if (sgl)
                    spans_add(sp, sgl_at, i);
                else
                    sgl_at = i + n;
                sgl = !sgl;
            } else if (is_alnum(prev) && is_alnum(next)) {
                /* apostrophe inside a word */
            } else if (sgl && (closes || (m.role == R_CTX && !opens))) {
                spans_add(sp, sgl_at, i);
                sgl = 0;
            } else if (!sgl && (m.role == R_OPEN || (opens && !closes))) {
                /* '90s, 'em: an elision, not an opening mark */
                int elision = next >= '0' && next <= '9' && c != 0x2018;
                if (!elision) {
                    sgl = 1;
                    sgl_at = i + n;
                }
            }
        }
        i += n;
    }
    if (dbl) unclosed(sp, dbl_at, len);
}

/* An embedded social post (a tweet as a page's text shows it: its words,
 * "pic.twitter.com/..." and the line "— Name (@handle) April 21, 2025") is
 * a third party's words that every report of the event may embed, so it
 * counts as quoted. Its signature: a line holding "pic.twitter.com/", or a
 * line whose tail is "(@handle)" and a date, after a dash. Such a line is
 * quoted whole, and when the dash starts it (the post's author on a line of
 * its own), so is the line before it: the post's words. */
static int handle_end(const char *s, size_t len, size_t i, size_t *end)
{
    /* s[i] == '(' : "(@" then 1..30 handle characters then ")" */
    if (i + 2 >= len || s[i + 1] != '@') return 0;
    size_t j = i + 2;
    while (j < len && j - i - 2 < 31 &&
           ((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z') ||
            (s[j] >= '0' && s[j] <= '9') || s[j] == '_'))
        j++;
    if (j == i + 2 || j >= len || s[j] != ')') return 0;
    *end = j + 1;
    return 1;
}

/* Is [from, to) a date's tail: no more than EMBED_DATE_BYTES of letters,
 * digits, spaces, commas (any script's) and dots, with a digit? */
#define EMBED_DATE_BYTES 48
static int date_tail(const char *s, size_t from, size_t to)
{
    int digit = 0;
    if (to - from > EMBED_DATE_BYTES) return 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= '0' && c <= '9')
            digit = 1;
        else if (c == '(' || c == ')' || c == '@' || c == '"' || c == ':')
            return 0;
    }
    return digit;
}

/* How far before a handle its author's dash may stand. */
#define EMBED_NAME_BYTES 120
static int embed_attribution(const char *s, size_t ls, size_t le, int *dash_first)
{
    for (size_t i = ls; i < le; i++) {
        size_t he;
        if (s[i] != '(' || !handle_end(s, le, i, &he) || !date_tail(s, he, le)) continue;
        size_t lo = i > ls + EMBED_NAME_BYTES ? i - EMBED_NAME_BYTES : ls;
        for (size_t k = i; k-- > lo;) {
            int em = k + 2 < le && (unsigned char)s[k] == 0xE2 && (unsigned char)s[k + 1] == 0x80 &&
                     (unsigned char)s[k + 2] == 0x94; /* — */
            if (em || (s[k] == '-' && (k == ls || s[k - 1] == ' '))) {
                size_t f = ls;
                while (f < k && (s[f] == ' ' || s[f] == '\t'))
                    f++;
                *dash_first = f == k;
                return 1;
            }
        }
    }
    return 0;
}

static void find_embeds(const char *s, size_t len, spans *sp)
{
    static const char pic[] = "pic.twitter.com/";
    size_t prev_s = 0, prev_e = 0;
    int have_prev = 0;
    for (size_t ls = 0; ls < len;) {
        const char *nl = memchr(s + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - s) : len;
        if (le > ls) {
            int dash_first = 0;
            int attr = embed_attribution(s, ls, le, &dash_first);
            if (attr || memmem(s + ls, le - ls, pic, sizeof pic - 1)) {
                spans_add(sp, ls, le);
                if (attr && dash_first && have_prev) spans_add(sp, prev_s, prev_e);
            }
            prev_s = ls, prev_e = le, have_prev = 1;
        }
        ls = le + 1;
    }
}

void rp_quotes_mark(const char *text, size_t len, rp_tokens *t)
{
    if (!t) return;
    for (size_t k = 0; k < t->n; k++)
        t->v[k].flags &= ~(uint32_t)RP_TOK_QUOTED;
    if (!text || len == 0 || t->n == 0) return;
    spans sp = {0};
    find_spans(text, len, &sp);
    find_embeds(text, len, &sp);
    /* Nested spans (a single quote around a double one) arrive out of order. */
    if (sp.n) qsort(sp.v, sp.n, sizeof *sp.v, span_cmp);
    size_t j = 0, reach = 0;
    for (size_t k = 0; k < t->n; k++) {
        size_t at = t->v[k].start;
        while (j < sp.n && sp.v[j].s <= at) {
            if (sp.v[j].e > reach) reach = sp.v[j].e;
            j++;
        }
        if (at < reach) t->v[k].flags |= RP_TOK_QUOTED;
    }
    free(sp.v);
}
