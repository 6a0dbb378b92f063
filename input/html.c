/*
 * html.c: article text and metadata from one HTML page.
 *
 * The page is first turned into clean UTF-8 (BOM, then the HTTP charset,
 * then <meta charset>, then a UTF-8 / windows-1252 guess; legacy encodings
 * through iconv) and parsed by libxml2's forgiving HTML parser. Everything
 * after that walks the tree iteratively through parent/next pointers, so a
 * page nested 20,000 levels deep costs no stack.
 *
 * The page is cut into blocks (paragraphs, headings, list items, cells,
 * text runs of divs) while dropping elements that are chrome by tag (nav,
 * header, aside ...) or by class/id/role (menu, share, newsletter ...).
 * When the page marks its article up unambiguously (one
 * itemprop=articleBody, else one <article>, else one <main> on a page with
 * no <article>), that container is the body, unless density finds a longer
 * text outside it: every block in it is kept but link lists, copyright
 * lines, bylines, dates and the headline, however short, so wire briefs and
 * earnings tables survive whole. Otherwise body text is chosen the way
 * boilerpipe (Kohlschuetter et al. 2010) and jusText do it: each block is
 * classified from its length, link density and stopword density as good,
 * near-good, short or bad. The article is the best-scoring contiguous run
 * of blocks (a maximum-sum segment, as in Finn's Body Text Extraction),
 * inside an <article>/articleBody/<main> container when one holds most of
 * the good text; in it good and near-good blocks are kept, and short ones
 * when they are headings or sit between kept blocks. If dropping chrome by
 * class leaves too little text (some sites wrap the article in a
 * "has-comments" div or the whole page in a <form>) the page is segmented
 * once more without those drops.
 *
 * Metadata comes from a second walk: Open Graph and article meta tags,
 * JSON-LD (jansson; @graph and lists included), <time datetime>,
 * itemprop, rel=canonical/author and byline classes.
 */
#include <errno.h>
#include <iconv.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "lang/lang.h"
#include "reprint.h"

/* Fewest article words for a page to count as an article. A body found by
 * density alone needs 40: below that, index pages, 404s and teaser cards
 * pass too easily. A body the page marks up itself (its one articleBody,
 * <article> or <main>) needs only 10, because wire briefs, dividend notices
 * and earnings tables are that short and the markup already says "this is
 * the story". */
#define MIN_WORDS 40
#define MIN_WORDS_EXPLICIT 10
#define BYLINE_MAX_WORDS 20 /* longer blocks in byline/date markup are text */
#define SNIFF_BYTES 8192    /* where <meta charset> is looked for */
#define META_MAX 2048       /* longest metadata string kept */
#define MAX_JSON_DEPTH 12   /* JSON-LD nesting we look into */
#define LEN_LOW 70          /* jusText's length thresholds, in characters */
#define LEN_HIGH 200
#define STOP_LOW 0.20  /* stopword density thresholds (our list is */
#define STOP_HIGH 0.25 /*   shorter than jusText's, so lower) */
#define MAX_LINK_DENSITY 0.2
#define MAX_TAGS 1000000 /* parse no further: a node costs libxml2 ~200 bytes */
/* The markup budget (markup_budget): libxml2 compares each attribute of a
 * tag with every earlier one, so a tag with n attributes costs n^2 (80,000
 * of them took 19 s, a million would take hours). No real page comes near
 * these; a page over one is rejected. */
#define MAX_ATTRS 1000                    /* attributes in one tag */
#define MAX_TAG_BYTES ((size_t)16 << 20)  /* one tag, its attributes included */
#define MAX_VALUE_BYTES ((size_t)8 << 20) /* one attribute value (data: URIs) */
/* libxml2 matches an end tag by searching its stack of open elements from
 * the top, so stray end tags deep in the page cost the depth each (100,000
 * deep and 100,000 stray took 22 s). The pre-scan charges its own estimate
 * of the depth for every end tag that does not close the innermost element
 * and rejects the page past END_TAG_BUDGET (about a tenth of a second of
 * libxml2's time); real pages stay far below it. MAX_DEPTH is generous:
 * libxml2 and our walks handle depth itself in linear time. */
#define END_TAG_BUDGET ((uint64_t)50 * 1000 * 1000)
#define MAX_DEPTH 100000

/* ------------------------------------------------------------------ */
/* small helpers                                                        */
/* ------------------------------------------------------------------ */

static void seterr(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void seterr(char *err, size_t errsz, const char *fmt, ...)
{
    if (!err || !errsz) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errsz, fmt, ap);
    va_end(ap);
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Case-insensitive search of needle (ASCII) in (h, n). */
static const char *memcasemem(const char *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0 || m > n) return NULL;
    for (size_t i = 0; i + m <= n; i++) {
        if (lower((unsigned char)h[i]) != lower((unsigned char)needle[0])) continue;
        if (strncasecmp(h + i, needle, m) == 0) return h + i;
    }
    return NULL;
}

/* Copy (s, n) with whitespace collapsed and trimmed; NULL if empty. */
static char *collapse(const char *s, size_t n, size_t max)
{
    char *o = malloc(n + 1);
    if (!o) return NULL;
    size_t k = 0;
    int sp = 0;
    for (size_t i = 0; i < n && k < max; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            sp = 1;
            continue;
        }
        if (sp && k) o[k++] = ' ';
        sp = 0;
        o[k++] = (char)c;
    }
    /* never cut a UTF-8 sequence in half */
    while (k && k >= max && ((unsigned char)o[k - 1] & 0xC0) == 0x80)
        k--;
    if (k && (unsigned char)o[k - 1] >= 0xC0) k--;
    o[k] = '\0';
    if (!k) {
        free(o);
        return NULL;
    }
    return o;
}

static int name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->name && strcasecmp((const char *)n->name, name) == 0;
}

/* An attribute's value (first text child), or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->name && strcasecmp((const char *)a->name, name) == 0) {
            if (a->children && a->children->content) return (const char *)a->children->content;
            return "";
        }
    }
    return NULL;
}

/* Does the space-separated list v contain token t (case-insensitive)? */
static int has_token(const char *v, const char *t)
{
    size_t m = strlen(t);
    if (!v) return 0;
    for (const char *p = v; *p;) {
        while (*p && is_space((unsigned char)*p))
            p++;
        const char *q = p;
        while (*q && !is_space((unsigned char)*q))
            q++;
        if ((size_t)(q - p) == m && strncasecmp(p, t, m) == 0) return 1;
        p = q;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* iterative tree walk                                                  */
/* ------------------------------------------------------------------ */

/* enter() returns non-zero to descend; leave() runs for every node entered,
 * after its children. Uses the tree's own links: no stack, no recursion. */
typedef int (*enter_fn)(void *ctx, xmlNode *n);
typedef void (*leave_fn)(void *ctx, xmlNode *n);

static void walk(xmlNode *root, enter_fn enter, leave_fn leave, void *ctx)
{
    xmlNode *n = root;
    while (n) {
        if (enter(ctx, n) && n->children) {
            n = n->children;
            continue;
        }
        if (leave) leave(ctx, n);
        while (n != root && !n->next) {
            n = n->parent;
            if (leave) leave(ctx, n);
        }
        if (n == root) break;
        n = n->next;
    }
}

/* Text content of a subtree, collapsed, at most max bytes; NULL if none. */
typedef struct gather {
    rp_buf b;
    size_t max;
    int fail;
} gather;

static int gather_enter(void *ctx, xmlNode *n)
{
    gather *g = ctx;
    if (g->fail || g->b.len >= g->max) return 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) {
            size_t l = strlen((const char *)n->content);
            if (l > g->max - g->b.len) l = g->max - g->b.len;
            if (rp_buf_append(&g->b, n->content, l) || rp_buf_appendc(&g->b, ' ')) g->fail = 1;
        }
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE) return 0;
    if (name_is(n, "script") || name_is(n, "style")) return 0;
    return 1;
}

static char *node_text(xmlNode *n, size_t max)
{
    gather g = {.max = max};
    char *s = NULL;
    walk(n, gather_enter, NULL, &g);
    if (!g.fail && g.b.len) s = collapse(g.b.data, g.b.len, max);
    rp_buf_free(&g.b);
    return s;
}

/* ------------------------------------------------------------------ */
/* charset                                                              */
/* ------------------------------------------------------------------ */

/* Labels the WHATWG Encoding Standard maps onto a superset, and spellings
 * iconv does not know. */
static const struct {
    const char *label, *iconv;
} charset_alias[] = {
    {"utf8", "UTF-8"},
    {"unicode-1-1-utf-8", "UTF-8"},
    {"iso-8859-1", "WINDOWS-1252"},
    {"iso8859-1", "WINDOWS-1252"},
    {"iso_8859-1", "WINDOWS-1252"},
    {"latin1", "WINDOWS-1252"},
    {"latin-1", "WINDOWS-1252"},
    {"l1", "WINDOWS-1252"},
    {"us-ascii", "WINDOWS-1252"},
    {"ascii", "WINDOWS-1252"},
    {"iso-8859-9", "WINDOWS-1254"},
    {"latin5", "WINDOWS-1254"},
    {"tis-620", "CP874"},
    {"iso-8859-11", "CP874"},
    {"shift_jis", "CP932"},
    {"shift-jis", "CP932"},
    {"sjis", "CP932"},
    {"x-sjis", "CP932"},
    {"ms_kanji", "CP932"},
    {"windows-31j", "CP932"},
    {"gb2312", "GB18030"},
    {"gbk", "GB18030"},
    {"x-gbk", "GB18030"},
    {"gb_2312-80", "GB18030"},
    {"euc-kr", "CP949"},
    {"ks_c_5601-1987", "CP949"},
    {"big5", "BIG5-HKSCS"},
    {"x-mac-roman", "MACINTOSH"},
    {"macintosh", "MACINTOSH"},
};

/* Normalise a charset label into buf (lower case, no quotes/spaces). */
static void charset_label(const char *s, size_t n, char *buf, size_t bufsz)
{
    size_t k = 0;
    while (n && (is_space((unsigned char)*s) || *s == '"' || *s == '\''))
        s++, n--;
    for (size_t i = 0; i < n && k + 1 < bufsz; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c == '-' || c == '_' || c == '.' || c == ':' || (c >= '0' && c <= '9') ||
              (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            break;
        buf[k++] = (char)lower(c);
    }
    buf[k] = '\0';
}

/* Look for <meta charset=X> or <meta http-equiv content="...; charset=X">
 * in the first bytes. */
static int sniff_meta_charset(const char *s, size_t n, char *buf, size_t bufsz)
{
    if (n > SNIFF_BYTES) n = SNIFF_BYTES;
    const char *end = s + n, *p = s;
    while (p < end) {
        const char *m = memcasemem(p, (size_t)(end - p), "<meta");
        if (!m) return 0;
        const char *gt = memchr(m, '>', (size_t)(end - m));
        if (!gt) return 0;
        const char *c = memcasemem(m, (size_t)(gt - m), "charset");
        if (c) {
            c += 7;
            while (c < gt && is_space((unsigned char)*c))
                c++;
            if (c < gt && *c == '=') {
                c++;
                while (c < gt && (is_space((unsigned char)*c) || *c == '"' || *c == '\''))
                    c++;
                charset_label(c, (size_t)(gt - c), buf, bufsz);
                if (buf[0]) return 1;
            }
        }
        p = gt + 1;
    }
    return 0;
}

static int valid_utf8(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        size_t len;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF)
            len = 2;
        else if (c >= 0xE0 && c <= 0xEF)
            len = 3;
        else if (c >= 0xF0 && c <= 0xF4)
            len = 4;
        else
            return 0;
        if (i + len > n) return 0;
        for (size_t k = 1; k < len; k++)
            if ((p[i + k] & 0xC0) != 0x80) return 0;
        i += len;
    }
    return 1;
}

/* Map a label to an iconv name iconv accepts, or "" when unusable. */
static void charset_resolve(const char *label, char *out, size_t outsz, int from_meta)
{
    out[0] = '\0';
    if (!label[0]) return;
    for (size_t i = 0; i < sizeof charset_alias / sizeof *charset_alias; i++) {
        if (strcmp(label, charset_alias[i].label) == 0) {
            snprintf(out, outsz, "%s", charset_alias[i].iconv);
            return;
        }
    }
    /* A page that says it is UTF-16 in ASCII markup is not (WHATWG). */
    if (from_meta && strncmp(label, "utf-16", 6) == 0) {
        snprintf(out, outsz, "UTF-8");
        return;
    }
    if (strcmp(label, "utf-8") == 0) {
        snprintf(out, outsz, "UTF-8");
        return;
    }
    iconv_t cd = iconv_open("UTF-8", label);
    if (cd == (iconv_t)-1) return;
    iconv_close(cd);
    snprintf(out, outsz, "%s", label);
}

/* Convert (s, n) from enc to UTF-8 into out; undecodable bytes become
 * U+FFFD, NUL bytes spaces. */
static rp_err convert(const char *s, size_t n, const char *enc, rp_buf *out, size_t *repaired)
{
    rp_err e = RP_OK;
    iconv_t cd = iconv_open("UTF-8", enc);
    if (cd == (iconv_t)-1) return RP_ENCODING;
    char *in = (char *)s;
    size_t inleft = n;
    if ((e = rp_buf_reserve(out, n + n / 2 + 16))) goto out;
    for (;;) {
        char *op = out->data + out->len;
        size_t oleft = out->cap - out->len - 1;
        size_t r =
            inleft ? iconv(cd, &in, &inleft, &op, &oleft) : iconv(cd, NULL, NULL, &op, &oleft);
        int er = errno;
        out->len = (size_t)(op - out->data);
        if (r != (size_t)-1) {
            if (!inleft) break;
            continue;
        }
        if (er == E2BIG) {
            if ((e = rp_buf_reserve(out, out->cap / 2 + 64))) goto out;
        } else if (er == EILSEQ || er == EINVAL) {
            if ((e = rp_buf_append(out, "\xEF\xBF\xBD", 3))) goto out;
            in++;
            inleft--;
            (*repaired)++;
            iconv(cd, NULL, NULL, NULL, NULL);
        } else {
            e = RP_ENCODING;
            goto out;
        }
    }
    for (size_t i = 0; i < out->len; i++)
        if (out->data[i] == '\0') out->data[i] = ' ';
    e = rp_buf_terminate(out);
out:
    iconv_close(cd);
    return e;
}

/* Is this binary data rather than markup? */
static int looks_binary(const unsigned char *s, size_t n)
{
    static const struct {
        const char *magic;
        size_t len;
    } magic[] = {{"%PDF", 4},         {"\x89PNG", 4},    {"GIF8", 4},
                 {"\xFF\xD8\xFF", 3}, {"PK\x03\x04", 4}, {"\x1F\x8B", 2}};
    for (size_t i = 0; i < sizeof magic / sizeof *magic; i++)
        if (n >= magic[i].len && memcmp(s, magic[i].magic, magic[i].len) == 0) return 1;
    size_t m = n < 4096 ? n : 4096, ctl = 0;
    for (size_t i = 0; i < m; i++)
        if (s[i] < 0x09 || (s[i] > 0x0D && s[i] < 0x20 && s[i] != 0x1B)) ctl++;
    return m && ctl * 20 > m;
}

/* Does the text contain at least one tag? */
static int has_markup(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '<', (size_t)(end - p))) && p + 1 < end) {
        unsigned char c = (unsigned char)p[1];
        if (c == '!' || c == '/' || c == '?' || (lower(c) >= 'a' && lower(c) <= 'z')) return 1;
        p++;
    }
    return 0;
}

static rp_err repair(const char *s, size_t n, rp_buf *out, size_t *repaired)
{
    rp_err e = rp_utf8_repair(s, n, out, repaired);
    return e ? e : rp_buf_terminate(out);
}

static int ascii_letter(unsigned char c)
{
    return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

/* Characters of an attribute name as libxml2 2.9's HTML parser reads one. */
static int attr_name_char(unsigned char c)
{
    return ascii_letter(c) || (c >= '0' && c <= '9') || c == ':' || c == '-' || c == '_' ||
           c == '.';
}

/* Is s[0..n) at p the end of a tag ('>' or "/>")? */
static int tag_end(const unsigned char *p, const unsigned char *end)
{
    return *p == '>' || (*p == '/' && p + 1 < end && p[1] == '>');
}

/* Elements libxml2 never keeps open. */
static int void_element(const unsigned char *s, size_t n)
{
    static const char *const names[] = {"area", "base",  "basefont", "br",   "col",  "frame", "hr",
                                        "img",  "input", "isindex",  "link", "meta", "param"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strlen(names[i]) == n && !strncasecmp((const char *)s, names[i], n)) return 1;
    return 0;
}

/* A tag name as libxml2 keeps it: lower case, at most 100 characters. */
static uint64_t name_hash(const unsigned char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n && i < 100; i++)
        h = (h ^ (uint64_t)lower(s[i])) * 1099511628211ull;
    return h;
}

/* One linear pass over the page, before libxml2 sees it, that reads tags
 * the way libxml2 2.9's HTML parser does (comments end at the first "-->",
 * "--!>" or an abrupt "<!-->"; script and style text at the first "</"
 * followed by a letter, which is no later than libxml2; attribute names,
 * '=' and quoted or bare values as in htmlParseStartTag, a name cut every
 * 100 characters as its name buffer does) and rejects a page whose tags
 * break the budget above. The open elements are tracked as a stack that
 * only the innermost element's own end tag pops: libxml2 closes more (it
 * closes a <p> at the next <div>, say), so its stack is always part of
 * ours and its depth never above our estimate. Returns RP_OK, RP_NOMEM,
 * or RP_LIMIT with the reason. */
static rp_err markup_budget(const char *s, size_t n, char *err, size_t errsz)
{
    const unsigned char *b = (const unsigned char *)s, *p = b, *end = b + n;
    int raw = 0; /* inside script or style */
    uint64_t *stack = NULL, cost = 0;
    size_t depth = 0, cap = 0;
    rp_err e = RP_OK;
    while ((p = memchr(p, '<', (size_t)(end - p)))) {
        const unsigned char *tag = p++;
        if (p >= end) break;
        if (*p == '/' && p + 1 < end && ascii_letter(p[1])) {
            const unsigned char *name = ++p;
            while (p < end && attr_name_char(*p))
                p++;
            uint64_t h = name_hash(name, (size_t)(p - name));
            if (raw) {
                /* libxml2 may stay in the script; we read markup again */
                raw = 0;
                if (depth && stack[depth - 1] == h) depth--;
                continue;
            }
            if (depth && stack[depth - 1] == h) {
                depth--;
                continue;
            }
            cost += depth + 1;
            if (cost > END_TAG_BUDGET) {
                seterr(err, errsz,
                       "too many stray end tags in deeply nested markup (at byte %zu; "
                       "budget %llu element comparisons)",
                       (size_t)(tag - b), (unsigned long long)END_TAG_BUDGET);
                e = RP_LIMIT;
                goto out;
            }
            continue;
        }
        if (raw) continue;
        if (end - p >= 3 && !memcmp(p, "!--", 3)) {
            const unsigned char *q = p + 3;
            if (q < end && *q == '>') continue;
            if (end - q >= 2 && q[0] == '-' && q[1] == '>') continue;
            for (; q + 2 < end; q++)
                if (q[0] == '-' && q[1] == '-' &&
                    (q[2] == '>' || (q[2] == '!' && q + 3 < end && q[3] == '>')))
                    break;
            p = q;
            continue;
        }
        if (!ascii_letter(*p)) continue; /* end tag, doctype, PI, text */
        const unsigned char *name = p;
        while (p < end && attr_name_char(*p))
            p++;
        size_t nl = (size_t)(p - name), attrs = 0;
        raw = (nl == 6 && !strncasecmp((const char *)name, "script", 6)) ||
              (nl == 5 && !strncasecmp((const char *)name, "style", 5));
        for (;;) {
            while (p < end && is_space(*p))
                p++;
            if (p >= end || tag_end(p, end)) break;
            if ((size_t)(p - tag) > MAX_TAG_BYTES) {
                seterr(err, errsz, "a tag longer than %zu bytes (at byte %zu)", MAX_TAG_BYTES,
                       (size_t)(tag - b));
                e = RP_LIMIT;
                goto out;
            }
            const unsigned char *a = p;
            while (p < end && attr_name_char(*p))
                p++;
            if (p == a || !(ascii_letter(*a) || *a == '_' || *a == ':' || *a == '.')) {
                /* not a name: libxml2 drops it up to a blank or the end */
                p = p == a ? p + 1 : p;
                while (p < end && !is_space(*p) && !tag_end(p, end))
                    p++;
                continue;
            }
            attrs += ((size_t)(p - a) + 99) / 100;
            if (attrs > MAX_ATTRS) {
                seterr(err, errsz, "a tag with more than %d attributes (at byte %zu)", MAX_ATTRS,
                       (size_t)(tag - b));
                e = RP_LIMIT;
                goto out;
            }
            const unsigned char *q = p;
            while (q < end && is_space(*q))
                q++;
            if (q >= end || *q != '=') continue;
            q++;
            while (q < end && is_space(*q))
                q++;
            const unsigned char *v = q;
            if (q < end && (*q == '"' || *q == '\'')) {
                const unsigned char *close = memchr(q + 1, *q, (size_t)(end - q - 1));
                q = close ? close + 1 : end;
            } else {
                while (q < end && !is_space(*q) && *q != '>')
                    q++;
            }
            if ((size_t)(q - v) > MAX_VALUE_BYTES) {
                seterr(err, errsz, "an attribute value longer than %zu bytes (at byte %zu)",
                       MAX_VALUE_BYTES, (size_t)(v - b));
                e = RP_LIMIT;
                goto out;
            }
            p = q;
        }
        if (p < end && *p == '/') raw = 0; /* <script/> holds no script */
        if (p < end && (size_t)(p - tag) > MAX_TAG_BYTES) {
            seterr(err, errsz, "a tag longer than %zu bytes (at byte %zu)", MAX_TAG_BYTES,
                   (size_t)(tag - b));
            e = RP_LIMIT;
            goto out;
        }
        if (p < end && *p == '>' && !raw && !void_element(name, nl)) {
            if (depth >= MAX_DEPTH) {
                seterr(err, errsz, "elements nested more than %d deep (at byte %zu)", MAX_DEPTH,
                       (size_t)(tag - b));
                e = RP_LIMIT;
                goto out;
            }
            if ((e = rp_grow(&stack, &cap, depth + 1, sizeof *stack))) goto out;
            stack[depth++] = name_hash(name, nl);
        }
        if (p >= end) break;
    }
out:
    free(stack);
    return e;
}

/* Length of the prefix holding at most MAX_TAGS tags. */
static size_t tag_prefix(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    for (size_t k = 0; (p = memchr(p, '<', (size_t)(end - p))); p++)
        if (++k > MAX_TAGS) return (size_t)(p - s);
    return n;
}

/* Bring the page to UTF-8 in out. */
static rp_err to_utf8(const char *html, size_t len, const char *hint, rp_buf *out, size_t *repaired)
{
    const unsigned char *u = (const unsigned char *)html;
    char label[64], enc[64];
    /* A byte order mark is unambiguous and wins over labels, as in browsers. */
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return repair(html + 3, len - 3, out, repaired);
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF)))
        return convert(html, len, "UTF-16", out, repaired);
    if (looks_binary(u, len)) return RP_FORMAT;
    enc[0] = '\0';
    if (hint) {
        charset_label(hint, strlen(hint), label, sizeof label);
        charset_resolve(label, enc, sizeof enc, 0);
    }
    if (!enc[0] && sniff_meta_charset(html, len, label, sizeof label))
        charset_resolve(label, enc, sizeof enc, 1);
    if (!enc[0] || strcmp(enc, "UTF-8") == 0) {
        /* Unlabelled or mislabelled pages: valid UTF-8 is UTF-8; anything
         * else is almost always windows-1252. A page labelled UTF-8 keeps
         * UTF-8 with repairs. */
        if (enc[0] || valid_utf8(html, len)) return repair(html, len, out, repaired);
        snprintf(enc, sizeof enc, "WINDOWS-1252");
    }
    return convert(html, len, enc, out, repaired);
}

/* ------------------------------------------------------------------ */
/* stopwords                                                            */
/* ------------------------------------------------------------------ */

/* The stopwords are the tokenizer's (lang/stopwords.c), of the page's
 * language: its <html lang>, else the one identified from its longer
 * blocks. A block of prose is dense in them, chrome is not. */
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void init_once_fn(void)
{
    xmlInitParser();
}

static int ascii_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'z') || c >= 0x80;
}

/* Stopwords among the space-separated words of (s, n). */
static size_t count_stopwords(int lang, const char *s, size_t n)
{
    size_t k = 0, i = 0;
    while (i < n) {
        while (i < n && s[i] == ' ')
            i++;
        size_t a = i;
        while (i < n && s[i] != ' ')
            i++;
        size_t b = i;
        while (a < b && !ascii_alnum((unsigned char)s[a]))
            a++;
        while (b > a && !ascii_alnum((unsigned char)s[b - 1]))
            b--;
        if (b > a && rp_lang_stopword_word(lang, s + a, b - a)) k++;
    }
    return k;
}

/* ------------------------------------------------------------------ */
/* segmentation into blocks                                             */
/* ------------------------------------------------------------------ */

enum { C_BAD, C_SHORT, C_NEARGOOD, C_GOOD };

typedef struct block {
    size_t off, len; /* in seg.text */
    size_t words, link_words, chars;
    int heading;
    int byline; /* mostly inside byline/date markup (<time>, class="byline") */
    int cls;
    int keep;
} block;

/* How the page itself names an article container. */
enum { EX_NONE, EX_MAIN, EX_ARTICLE, EX_BODY };

/* An element that may hold the article, with the blocks inside it. */
typedef struct cand {
    size_t first, end;
    int kind; /* 3 itemprop=articleBody, 2 <article> or body class, 1 <main> */
    int ex;   /* EX_BODY itemprop=articleBody, EX_ARTICLE <article>, EX_MAIN <main> */
} cand;

typedef struct seg {
    int lenient; /* second pass: no drops by class/id/role, keep <form> */
    rp_buf text; /* block texts, back to back */
    block *b;
    size_t nb, capb;
    cand *c;
    size_t nc, capc;
    size_t *open; /* candidate index per open candidate element, innermost last */
    size_t nopen, capopen;
    xmlNode **opennode;
    size_t run; /* start of the current block in text */
    size_t words, link_words, byline_words, chars;
    int pending_space;
    size_t link_depth, heading_depth, byline_depth;
    size_t lo, hi; /* the blocks selection looked at */
    int explicit;  /* the body is the page's own article container */
    int lang;      /* the page's language (lang/lang.h), -1: not known yet */
    rp_err err;
} seg;

static const char *const drop_tags[] = {
    "script", "style",  "noscript", "template", "svg",    "nav",   "header", "footer",
    "aside",  "button", "iframe",   "select",   "object", "embed", "canvas", "audio",
    "video",  "map",    "textarea", "input",    "head",   "title", "math",   "dialog",
    "menu",   "label",  "option",   "picture",  "source", "link",  "meta",   "frameset",
};

static const char *const block_tags[] = {
    "address", "article", "blockquote", "body",    "center",     "dd",    "details", "div",
    "dl",      "dt",      "fieldset",   "figure",  "figcaption", "form",  "h1",      "h2",
    "h3",      "h4",      "h5",         "h6",      "hr",         "html",  "li",      "main",
    "ol",      "p",       "pre",        "section", "summary",    "table", "tbody",   "td",
    "tfoot",   "th",      "thead",      "tr",      "ul",         "br",    "caption", "legend",
    "hgroup",  "dir",     "noframes",
};

static int in_list(const xmlNode *n, const char *const *list, size_t len)
{
    if (!n->name) return 0;
    for (size_t i = 0; i < len; i++)
        if (strcasecmp((const char *)n->name, list[i]) == 0) return 1;
    return 0;
}

/* Class/id words that mark site chrome. */
static const char *const chrome_words[] = {
    "nav",           "navbar",       "navigation", "menu",       "footer",      "sidebar",
    "share",         "sharing",      "social",     "related",    "newsletter",  "comment",
    "comments",      "cookie",       "cookies",    "breadcrumb", "breadcrumbs", "advert",
    "advertisement", "ad",           "ads",        "adslot",     "promo",       "promoted",
    "subscribe",     "subscription", "signup",     "masthead",   "header",      "popup",
    "modal",         "banner",       "outbrain",   "taboola",    "sponsored",   "toolbar",
    "pagination",    "pager",        "skip",       "topbar",     "widget",      "trending",
    "recommended",   "disqus",       "paywall",    "consent",    "gdpr",
};

/* Class/id values that mark the article body itself. */
static const char *const body_marks[] = {
    "article-body", "articlebody",   "article__body", "article_body",    "story-body",
    "storybody",    "entry-content", "post-content",  "article-content", "main-content",
    "post-body",    "story-content", "article-text",  "story-text",      "articletext",
};

static int marks_body(const char *v)
{
    if (!v) return 0;
    for (size_t i = 0; i < sizeof body_marks / sizeof *body_marks; i++)
        if (memcasemem(v, strlen(v), body_marks[i])) return 1;
    return 0;
}

/* Does any alphanumeric word of v (split on anything else, and on
 * camelCase humps) appear in list? */
static int word_in(const char *v, const char *const *list, size_t n)
{
    if (!v) return 0;
    const char *p = v;
    while (*p) {
        while (*p && !((lower((unsigned char)*p) >= 'a' && lower((unsigned char)*p) <= 'z') ||
                       (*p >= '0' && *p <= '9')))
            p++;
        const char *q = p;
        while (*q && ((lower((unsigned char)*q) >= 'a' && lower((unsigned char)*q) <= 'z') ||
                      (*q >= '0' && *q <= '9'))) {
            q++;
            if (*q >= 'A' && *q <= 'Z' && q[-1] >= 'a' && q[-1] <= 'z') break;
        }
        size_t m = (size_t)(q - p);
        for (size_t i = 0; m && i < n; i++)
            if (strlen(list[i]) == m && strncasecmp(p, list[i], m) == 0) return 1;
        p = q;
    }
    return 0;
}

/* Does a class/id value name chrome? */
static int chrome_value(const char *v)
{
    return word_in(v, chrome_words, sizeof chrome_words / sizeof *chrome_words);
}

static int hidden(const xmlNode *n)
{
    if (attr(n, "hidden")) return 1;
    const char *a = attr(n, "aria-hidden");
    if (a && strcasecmp(a, "true") == 0) return 1;
    const char *st = attr(n, "style");
    if (st) {
        char buf[256];
        size_t k = 0;
        for (const char *p = st; *p && k + 1 < sizeof buf; p++)
            if (!is_space((unsigned char)*p)) buf[k++] = (char)lower((unsigned char)*p);
        buf[k] = '\0';
        if (strstr(buf, "display:none") || strstr(buf, "visibility:hidden")) return 1;
    }
    return 0;
}

/* 0 keep, 1 drop the element and everything inside it. */
static int dropped(const seg *s, const xmlNode *n)
{
    if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE || n->type == XML_DTD_NODE) return 1;
    if (n->type != XML_ELEMENT_NODE) return 0;
    if (name_is(n, "html") || name_is(n, "body")) return 0;
    if (in_list(n, drop_tags, sizeof drop_tags / sizeof *drop_tags)) return 1;
    if (hidden(n)) return 1;
    if (s->lenient) return 0;
    if (name_is(n, "form")) return 1;
    const char *role = attr(n, "role");
    if (role && (has_token(role, "navigation") || has_token(role, "banner") ||
                 has_token(role, "contentinfo") || has_token(role, "complementary") ||
                 has_token(role, "menu") || has_token(role, "menubar") ||
                 has_token(role, "dialog") || has_token(role, "alert")))
        return 1;
    if (name_is(n, "article") || name_is(n, "main")) return 0;
    const char *ip = attr(n, "itemprop");
    if (ip && has_token(ip, "articleBody")) return 0;
    const char *cl = attr(n, "class"), *id = attr(n, "id");
    if (marks_body(cl) || marks_body(id)) return 0;
    return chrome_value(cl) || chrome_value(id);
}

/* Class/id words of bylines and datelines. */
static const char *const byline_words[] = {
    "byline", "author", "authors", "dateline", "timestamp", "date", "published", "meta",
};

/* <time>, or an element whose class/id names a byline or date (but not
 * one that also names the article body: "article-meta-body"). */
static int byline_el(const xmlNode *n)
{
    if (name_is(n, "time")) return 1;
    const char *cl = attr(n, "class"), *id = attr(n, "id");
    if (marks_body(cl) || marks_body(id)) return 0;
    const size_t nw = sizeof byline_words / sizeof *byline_words;
    return word_in(cl, byline_words, nw) || word_in(id, byline_words, nw);
}

static int explicit_kind(const xmlNode *n)
{
    const char *ip = attr(n, "itemprop");
    if (ip && has_token(ip, "articleBody")) return EX_BODY;
    if (name_is(n, "article")) return EX_ARTICLE;
    const char *role = attr(n, "role");
    if (name_is(n, "main") || (role && has_token(role, "main"))) return EX_MAIN;
    return EX_NONE;
}

static int cand_kind(const xmlNode *n)
{
    const char *ip = attr(n, "itemprop");
    if (ip && has_token(ip, "articleBody")) return 3;
    if (name_is(n, "article")) return 2;
    if (marks_body(attr(n, "class")) || marks_body(attr(n, "id"))) return 2;
    const char *role = attr(n, "role");
    if (name_is(n, "main") || (role && has_token(role, "main"))) return 1;
    return 0;
}

/* End the current block: keep it if it has words. */
static void flush(seg *s)
{
    size_t end = s->text.len;
    while (end > s->run && s->text.data[end - 1] == ' ')
        end--;
    if (s->words) {
        if (s->nb == s->capb) {
            size_t nc = s->capb ? s->capb * 2 : 64;
            block *nb = realloc(s->b, nc * sizeof *nb);
            if (!nb) {
                s->err = RP_NOMEM;
                return;
            }
            s->b = nb;
            s->capb = nc;
        }
        s->b[s->nb++] = (block){.off = s->run,
                                .len = end - s->run,
                                .words = s->words,
                                .link_words = s->link_words,
                                .chars = s->chars,
                                .heading = s->heading_depth > 0,
                                .byline = s->byline_words * 2 > s->words};
        s->text.len = end;
    } else {
        s->text.len = s->run;
    }
    s->run = s->text.len;
    s->words = s->link_words = s->byline_words = s->chars = 0;
    s->pending_space = 0;
}

static int cjk(uint32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x2FFFF);
}

/* Append a text node: whitespace collapsed, words counted (each CJK
 * character counts as a word, the way the tokenizer counts it). */
static void add_text(seg *s, const unsigned char *t)
{
    size_t n = strlen((const char *)t);
    if (rp_buf_reserve(&s->text, n + 1)) {
        s->err = RP_NOMEM;
        return;
    }
    char *o = s->text.data;
    size_t k = s->text.len;
    int in_word = k > s->run && o[k - 1] != ' ' && !s->pending_space;
    size_t i = 0;
    while (i < n) {
        unsigned char c = t[i];
        size_t len = 1;
        uint32_t cp = c;
        if (c >= 0x80) {
            if (c >= 0xF0)
                len = 4, cp = c & 0x07;
            else if (c >= 0xE0)
                len = 3, cp = c & 0x0F;
            else if (c >= 0xC0)
                len = 2, cp = c & 0x1F;
            if (i + len > n) len = n - i;
            for (size_t j = 1; j < len; j++)
                cp = (cp << 6) | (t[i + j] & 0x3F);
        }
        if (is_space(c) || cp == 0xA0 || cp == 0x2009 || cp == 0x202F || cp == 0x200B ||
            cp == 0x3000) {
            s->pending_space = 1;
            in_word = 0;
            i += len;
            continue;
        }
        if (s->pending_space && k > s->run) o[k++] = ' ';
        s->pending_space = 0;
        if (!in_word || cjk(cp)) {
            s->words++;
            if (s->link_depth) s->link_words++;
            if (s->byline_depth) s->byline_words++;
        }
        in_word = !cjk(cp);
        memcpy(o + k, t + i, len);
        k += len;
        s->chars++;
        i += len;
    }
    s->text.len = k;
    /* a space may be owed before the next node's text */
}

static int seg_enter(void *ctx, xmlNode *n)
{
    seg *s = ctx;
    if (s->err) return 0;
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
        if (n->content) add_text(s, n->content);
        return 0;
    }
    if (n->type != XML_ELEMENT_NODE && n->type != XML_DOCUMENT_NODE &&
        n->type != XML_HTML_DOCUMENT_NODE)
        return 0;
    if (n->type != XML_ELEMENT_NODE) return 1;
    if (dropped(s, n)) {
        if (in_list(n, block_tags, sizeof block_tags / sizeof *block_tags) || name_is(n, "nav") ||
            name_is(n, "header") || name_is(n, "footer") || name_is(n, "aside"))
            flush(s);
        else
            s->pending_space = 1;
        return 0;
    }
    if (in_list(n, block_tags, sizeof block_tags / sizeof *block_tags))
        flush(s);
    else if (name_is(n, "img") || name_is(n, "td"))
        s->pending_space = 1;
    if (name_is(n, "a")) s->link_depth++;
    if (byline_el(n)) s->byline_depth++;
    if (n->name && (n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
        n->name[1] <= '6' && !n->name[2])
        s->heading_depth++;
    int kind = cand_kind(n);
    if (kind) {
        if (s->nc == s->capc) {
            size_t nc = s->capc ? s->capc * 2 : 16;
            cand *c = realloc(s->c, nc * sizeof *c);
            if (!c) {
                s->err = RP_NOMEM;
                return 0;
            }
            s->c = c;
            s->capc = nc;
        }
        if (s->nopen == s->capopen) {
            size_t nc = s->capopen ? s->capopen * 2 : 16;
            size_t *o = realloc(s->open, nc * sizeof *o);
            xmlNode **on = o ? realloc(s->opennode, nc * sizeof *on) : NULL;
            if (o) s->open = o;
            if (!o || !on) {
                s->err = RP_NOMEM;
                return 0;
            }
            s->opennode = on;
            s->capopen = nc;
        }
        s->c[s->nc] = (cand){.first = s->nb, .end = s->nb, .kind = kind, .ex = explicit_kind(n)};
        s->open[s->nopen] = s->nc++;
        s->opennode[s->nopen++] = n;
    }
    return 1;
}

static void seg_leave(void *ctx, xmlNode *n)
{
    seg *s = ctx;
    if (s->err || n->type != XML_ELEMENT_NODE) return;
    if (s->nopen && s->opennode[s->nopen - 1] == n) {
        flush(s);
        s->c[s->open[--s->nopen]].end = s->nb;
    }
    if (dropped(s, n)) return; /* was never entered */
    if (in_list(n, block_tags, sizeof block_tags / sizeof *block_tags))
        flush(s);
    else
        s->pending_space = s->pending_space || name_is(n, "td");
    if (name_is(n, "a") && s->link_depth) s->link_depth--;
    if (byline_el(n) && s->byline_depth) s->byline_depth--;
    if (n->name && (n->name[0] == 'h' || n->name[0] == 'H') && n->name[1] >= '1' &&
        n->name[1] <= '6' && !n->name[2] && s->heading_depth)
        s->heading_depth--;
}

static void seg_free(seg *s)
{
    rp_buf_free(&s->text);
    free(s->b);
    free(s->c);
    free(s->open);
    free(s->opennode);
}

/* ------------------------------------------------------------------ */
/* classification and selection                                         */
/* ------------------------------------------------------------------ */

/* Does (t, n) end a sentence: a letter or digit, then . ! or ?, then a
 * space or the end? Menus and keyword lists do not. */
static int sentences(const char *t, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if ((t[i] == '.' || t[i] == '!' || t[i] == '?') && (i + 1 == n || t[i + 1] == ' ') &&
            ascii_alnum((unsigned char)t[i - 1]))
            return 1;
    return 0;
}

/* A short copyright notice: "(c) 2021 The Post", "Copyright The Post. All
 * rights reserved.", but not a story's "infringe on Intel copyrights". */
static int copyright(const block *b, const char *t)
{
    if (b->chars >= LEN_HIGH) return 0;
    if (memcasemem(t, b->len, "\xC2\xA9") || memcasemem(t, b->len, "all rights reserved")) return 1;
    for (const char *p = t; (p = memcasemem(p, b->len - (size_t)(p - t), "copyright")); p++) {
        const char *q = p + 9, *end = t + b->len;
        if (q < end && *q == ' ') q++;
        /* "Copyright (c) ...", "Copyright 2021 ...", a leading "Copyright The Post" */
        if (q < end && (*q == '(' || (*q >= '0' && *q <= '9'))) return 1;
        if (p == t && q < end && *q >= 'A' && *q <= 'Z') return 1;
    }
    return 0;
}

/* The page's language from its longer blocks (navigation is short). */
static int page_lang(const seg *s)
{
    char sample[3000];
    size_t n = 0;
    for (size_t i = 0; i < s->nb && n + 2 < sizeof sample; i++) {
        const block *b = &s->b[i];
        if (b->chars < LEN_HIGH) continue;
        size_t m = b->len < sizeof sample - n - 1 ? b->len : sizeof sample - n - 1;
        memcpy(sample + n, s->text.data + b->off, m);
        n += m;
        sample[n++] = '\n';
    }
    return rp_lang_detect_id(sample, n);
}

static void classify(seg *s)
{
    size_t stop_total = 0, words_total = 0;
    if (s->lang < 0) s->lang = page_lang(s);
    size_t *stops = malloc((s->nb ? s->nb : 1) * sizeof *stops);
    if (!stops) {
        s->err = RP_NOMEM;
        return;
    }
    for (size_t i = 0; i < s->nb; i++) {
        block *b = &s->b[i];
        stops[i] = count_stopwords(s->lang, s->text.data + b->off, b->len);
        stop_total += stops[i];
        words_total += b->words;
    }
    /* Without stopwords (a language we have no list for, CJK) fall back
     * to length alone, as jusText's language-independent mode does. */
    int use_stop = words_total && stop_total * 20 >= words_total;
    for (size_t i = 0; i < s->nb; i++) {
        block *b = &s->b[i];
        const char *t = s->text.data + b->off;
        double ld = (double)b->link_words / (double)b->words;
        double sd = (double)stops[i] / (double)b->words;
        if (ld > MAX_LINK_DENSITY)
            b->cls = C_BAD;
        else if (copyright(b, t))
            b->cls = C_BAD;
        else if (b->chars < LEN_LOW)
            b->cls = b->link_words ? C_BAD : C_SHORT;
        else if (!use_stop)
            b->cls = b->chars > LEN_HIGH ? C_GOOD : C_NEARGOOD;
        else if (sd >= STOP_HIGH)
            b->cls = b->chars > LEN_HIGH ? C_GOOD : C_NEARGOOD;
        else if (sd >= STOP_LOW)
            b->cls = C_NEARGOOD;
        else if (!b->link_words && sd >= STOP_LOW / 2 && sentences(t, b->len))
            b->cls = C_NEARGOOD; /* terse prose: few stopwords, but sentences */
        else
            b->cls = C_BAD;
    }
    free(stops);
}

static long block_score(const block *b)
{
    switch (b->cls) {
    case C_GOOD:
        return (long)b->words;
    case C_NEARGOOD:
        return (long)(b->words / 2 + 1);
    case C_SHORT:
        return 0;
    default:
        return -(long)(b->words > 5 ? b->words : 5);
    }
}

static int content(const block *b)
{
    return b->cls == C_GOOD || b->cls == C_NEARGOOD;
}

/* Mark the blocks to keep in [lo, hi); returns the words kept. */
static size_t select_range(seg *s, size_t lo, size_t hi, const char *title)
{
    /* the headline repeated in the page is neither text nor a reason to
     * keep the byline and date below it */
    for (size_t i = lo; title && i < hi; i++) {
        block *b = &s->b[i];
        if (b->heading && strlen(title) == b->len &&
            strncasecmp(title, s->text.data + b->off, b->len) == 0)
            b->cls = C_SHORT;
    }
    /* maximum-sum segment that starts on a content block */
    long best = 0, cur = 0;
    size_t bs = lo, be = lo, cs = lo;
    for (size_t i = lo; i < hi; i++) {
        if (cur <= 0) {
            cur = 0;
            cs = i;
        }
        cur += block_score(&s->b[i]);
        if (cur > best) {
            best = cur;
            bs = cs;
            be = i + 1;
        }
    }
    size_t words = 0;
    for (size_t i = bs; i < be; i++) {
        block *b = &s->b[i];
        int keep = 0;
        if (content(b))
            keep = 1;
        else if (b->cls == C_SHORT) {
            /* the nearest non-short blocks on both sides within the run */
            size_t j = i + 1;
            while (j < be && s->b[j].cls == C_SHORT)
                j++;
            int next = j < be && content(&s->b[j]);
            if (b->heading)
                keep = next;
            else {
                size_t k = i;
                while (k > bs && s->b[k - 1].cls == C_SHORT)
                    k--;
                keep = next && k > bs && content(&s->b[k - 1]);
            }
        }
        if (keep && title && b->heading && strlen(title) == b->len &&
            strncasecmp(title, s->text.data + b->off, b->len) == 0)
            keep = 0;
        b->keep = keep;
        if (keep) words += b->words;
    }
    return words;
}

static int is_title(const seg *s, const block *b, const char *title)
{
    return title && b->heading && strlen(title) == b->len &&
           strncasecmp(title, s->text.data + b->off, b->len) == 0;
}

/* "By Mara Quill": a short block naming the author. */
static int byline_text(const block *b, const char *t)
{
    return b->words <= 6 && b->len > 4 && !strncasecmp(t, "by ", 3) && t[3] >= 'A' && t[3] <= 'Z';
}

/* The page's own article container when its markup is unambiguous: the
 * one itemprop=articleBody, else the one <article>, else, on a page with
 * no <article> at all, the one <main>. SIZE_MAX when there is none. */
static size_t explicit_cand(const seg *s)
{
    size_t n[EX_BODY + 1] = {0}, at[EX_BODY + 1] = {0};
    for (size_t i = 0; i < s->nc; i++) {
        n[s->c[i].ex]++;
        at[s->c[i].ex] = i;
    }
    if (n[EX_BODY]) return n[EX_BODY] == 1 ? at[EX_BODY] : SIZE_MAX;
    if (n[EX_ARTICLE]) return n[EX_ARTICLE] == 1 ? at[EX_ARTICLE] : SIZE_MAX;
    return n[EX_MAIN] == 1 ? at[EX_MAIN] : SIZE_MAX;
}

/* Keep every block of the explicit container c but chrome that class
 * names did not catch: link lists, copyright lines, bylines and dates, the
 * headline. Returns the words kept, 0 when the container is not an article
 * after all (a <main> holding a list of links or of teasers). */
static size_t select_explicit(seg *s, const cand *c, const char *title)
{
    size_t words = 0, link_words = 0, nlinks = 0, nkept = 0, kept = 0;
    int started = 0;
    for (size_t i = c->first; i < c->end; i++) {
        block *b = &s->b[i];
        const char *t = s->text.data + b->off;
        words += b->words;
        link_words += b->link_words;
        int keep = 1;
        if ((double)b->link_words / (double)b->words > MAX_LINK_DENSITY) {
            keep = 0;
            nlinks++;
        } else if (copyright(b, t) || is_title(s, b, title))
            keep = 0;
        else if (b->byline && b->words <= BYLINE_MAX_WORDS)
            keep = 0;
        else if (!started && byline_text(b, t))
            keep = 0;
        b->keep = keep;
        if (keep) {
            kept += b->words;
            nkept++;
            if (!b->heading) started = 1;
        }
    }
    /* <main> says less than <article>: a listing page puts its headlines
     * (links) and teasers (text) in it too */
    if (c->ex == EX_MAIN && (link_words * 2 > words || (nlinks >= 3 && nlinks * 2 >= nkept)))
        kept = 0;
    if (!kept)
        for (size_t i = c->first; i < c->end; i++)
            s->b[i].keep = 0;
    return kept;
}

/* Choose the article container, if one holds most of the good text, and
 * mark the blocks to keep; returns the words kept. */
static size_t choose(seg *s, const char *title)
{
    size_t *pre = malloc((s->nb + 1) * sizeof *pre);
    if (!pre) {
        s->err = RP_NOMEM;
        return 0;
    }
    pre[0] = 0;
    for (size_t i = 0; i < s->nb; i++)
        pre[i + 1] = pre[i] + (content(&s->b[i]) ? s->b[i].words : 0);
    size_t total = pre[s->nb], best = 0;
    size_t ex = explicit_cand(s);
    if (ex != SIZE_MAX) {
        /* the page's own markup wins unless density finds a longer text
         * outside it (a teaser card marked <article> beside the story) */
        const cand *c = &s->c[ex];
        size_t in = pre[c->end] - pre[c->first], out = total - in;
        size_t w = out >= MIN_WORDS && out > in ? 0 : select_explicit(s, c, title);
        if (w >= MIN_WORDS_EXPLICIT) {
            free(pre);
            s->lo = c->first;
            s->hi = c->end;
            s->explicit = 1;
            return w;
        }
        for (size_t i = c->first; i < c->end; i++)
            s->b[i].keep = 0;
    }
    for (size_t i = 0; i < s->nc; i++) {
        size_t g = pre[s->c[i].end] - pre[s->c[i].first];
        if (g > best) best = g;
    }
    size_t lo = 0, hi = s->nb;
    if (best >= MIN_WORDS / 2 && best * 3 >= total) {
        /* the tightest container holding nearly as much as the best,
         * preferring explicit articleBody markup */
        size_t pick = SIZE_MAX;
        for (size_t i = 0; i < s->nc; i++) {
            const cand *c = &s->c[i];
            size_t g = pre[c->end] - pre[c->first];
            if (g * 10 < best * 9) continue;
            if (pick == SIZE_MAX)
                pick = i;
            else {
                const cand *p = &s->c[pick];
                if (c->kind > p->kind ||
                    (c->kind == p->kind && c->end - c->first < p->end - p->first))
                    pick = i;
            }
        }
        lo = s->c[pick].first;
        hi = s->c[pick].end;
    }
    free(pre);
    s->lo = lo;
    s->hi = hi;
    return select_range(s, lo, hi, title);
}

/* Segment, classify, select. */
static size_t extract_body(xmlDoc *doc, int lenient, const char *title, seg *s)
{
    s->lenient = lenient;
    walk((xmlNode *)doc, seg_enter, seg_leave, s);
    flush(s);
    if (s->err) return 0;
    classify(s);
    if (s->err) return 0;
    return choose(s, title);
}

static rp_err join_blocks(const seg *s, char **out, size_t *outlen)
{
    rp_buf b = {0};
    rp_err e = RP_OK;
    for (size_t i = 0; i < s->nb; i++) {
        if (!s->b[i].keep) continue;
        if (b.len && (e = rp_buf_append(&b, "\n\n", 2))) goto out;
        if ((e = rp_buf_append(&b, s->text.data + s->b[i].off, s->b[i].len))) goto out;
    }
    if ((e = rp_buf_terminate(&b))) goto out;
    *out = b.data;
    *outlen = b.len;
    b.data = NULL;
out:
    rp_buf_free(&b);
    return e;
}

/* ------------------------------------------------------------------ */
/* metadata                                                             */
/* ------------------------------------------------------------------ */

typedef struct meta {
    char *og_title, *title, *h1;
    char *canonical, *og_url;
    char *pub_meta, *pub_ld, *pub_itemprop, *pub_time_article, *pub_time_any;
    char *author_meta, *author_ld, *author_article, *author_rel, *author_byline, *author_itemprop;
    size_t article_depth;
    xmlNode *article_top;
    rp_err err;
} meta;

static void meta_free(meta *m)
{
    free(m->og_title);
    free(m->title);
    free(m->h1);
    free(m->canonical);
    free(m->og_url);
    free(m->pub_meta);
    free(m->pub_ld);
    free(m->pub_itemprop);
    free(m->pub_time_article);
    free(m->pub_time_any);
    free(m->author_meta);
    free(m->author_ld);
    free(m->author_article);
    free(m->author_rel);
    free(m->author_byline);
    free(m->author_itemprop);
}

/* Set *slot to a collapsed copy of v if unset. */
static void take(char **slot, const char *v)
{
    if (*slot || !v) return;
    *slot = collapse(v, strlen(v), META_MAX);
}

static const char *const date_names[] = {
    "article:published_time",
    "og:article:published_time",
    "date",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "dc.date",
    "dc.date.issued",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "publication_date",
    "datepublished",
    "originalpublicationdate",
    "cxenseparse:recs:publishtime",
};

static void ld_author(meta *m, json_t *a, int depth)
{
    if (m->author_ld || !a || depth > MAX_JSON_DEPTH) return;
    if (json_is_string(a))
        take(&m->author_ld, json_string_value(a));
    else if (json_is_object(a)) {
        json_t *nm = json_object_get(a, "name");
        if (json_is_string(nm)) take(&m->author_ld, json_string_value(nm));
    } else if (json_is_array(a)) {
        /* several authors: names joined with ", " */
        rp_buf b = {0};
        size_t i;
        json_t *v;
        json_array_foreach(a, i, v)
        {
            const char *nm = json_is_string(v) ? json_string_value(v)
                             : json_is_object(v) && json_is_string(json_object_get(v, "name"))
                                 ? json_string_value(json_object_get(v, "name"))
                                 : NULL;
            if (!nm || !*nm) continue;
            if ((b.len && rp_buf_append(&b, ", ", 2)) || rp_buf_append(&b, nm, strlen(nm))) break;
        }
        if (b.len && !rp_buf_terminate(&b)) take(&m->author_ld, b.data);
        rp_buf_free(&b);
    }
}

/* Walk JSON-LD (bounded depth) for datePublished and author. */
static void ld_scan(meta *m, json_t *j, int depth)
{
    if (!j || depth > MAX_JSON_DEPTH) return;
    if (json_is_array(j)) {
        size_t i;
        json_t *v;
        json_array_foreach(j, i, v) ld_scan(m, v, depth + 1);
        return;
    }
    if (!json_is_object(j)) return;
    json_t *dp = json_object_get(j, "datePublished");
    if (json_is_string(dp) && !m->pub_ld) {
        take(&m->pub_ld, json_string_value(dp));
        ld_author(m, json_object_get(j, "author"), depth + 1);
    }
    ld_scan(m, json_object_get(j, "@graph"), depth + 1);
    ld_scan(m, json_object_get(j, "mainEntity"), depth + 1);
    if (!m->author_ld) {
        json_t *t = json_object_get(j, "@type");
        const char *ts = json_is_string(t) ? json_string_value(t) : "";
        if (strstr(ts, "Article") || strstr(ts, "Posting") || strstr(ts, "Report"))
            ld_author(m, json_object_get(j, "author"), depth + 1);
    }
}

static void ld_json(meta *m, xmlNode *script)
{
    rp_buf b = {0};
    for (xmlNode *c = script->children; c; c = c->next)
        if (c->content && rp_buf_append(&b, c->content, strlen((const char *)c->content))) {
            rp_buf_free(&b);
            return;
        }
    if (b.len) {
        json_error_t je;
        json_t *j = json_loadb(b.data, b.len, JSON_DISABLE_EOF_CHECK, &je);
        if (j) {
            ld_scan(m, j, 0);
            json_decref(j);
        }
    }
    rp_buf_free(&b);
}

static int meta_enter(void *ctx, xmlNode *n)
{
    meta *m = ctx;
    if (n->type == XML_DOCUMENT_NODE || n->type == XML_HTML_DOCUMENT_NODE) return 1;
    if (n->type != XML_ELEMENT_NODE || !n->name) return 0;
    const char *nm = (const char *)n->name;
    if (!strcasecmp(nm, "meta")) {
        const char *key = attr(n, "property");
        const char *v = attr(n, "content");
        if (!key) key = attr(n, "name");
        if (!key) key = attr(n, "itemprop");
        if (!key || !v) return 0;
        if (!strcasecmp(key, "og:title"))
            take(&m->og_title, v);
        else if (!strcasecmp(key, "og:url"))
            take(&m->og_url, v);
        else if (!strcasecmp(key, "author") || !strcasecmp(key, "dc.creator") ||
                 !strcasecmp(key, "sailthru.author") || !strcasecmp(key, "parsely-author"))
            take(&m->author_meta, v);
        else if (!strcasecmp(key, "article:author") && strncasecmp(v, "http", 4) != 0)
            take(&m->author_article, v);
        else {
            for (size_t i = 0; i < sizeof date_names / sizeof *date_names; i++)
                if (!strcasecmp(key, date_names[i])) {
                    take(&m->pub_meta, v);
                    break;
                }
        }
        return 0;
    }
    if (!strcasecmp(nm, "link")) {
        const char *rel = attr(n, "rel"), *href = attr(n, "href");
        if (rel && href && has_token(rel, "canonical")) take(&m->canonical, href);
        return 0;
    }
    if (!strcasecmp(nm, "title")) {
        if (!m->title && n->parent && !name_is(n->parent, "svg")) m->title = node_text(n, META_MAX);
        return 0;
    }
    if (!strcasecmp(nm, "script")) {
        const char *ty = attr(n, "type");
        if (ty && !strcasecmp(ty, "application/ld+json")) ld_json(m, n);
        return 0;
    }
    if (!strcasecmp(nm, "style") || !strcasecmp(nm, "svg")) return 0;
    if (cand_kind(n) >= 2 && !m->article_depth++) m->article_top = n;
    if (!strcasecmp(nm, "time")) {
        const char *dt = attr(n, "datetime");
        if (dt) {
            if (m->article_depth) take(&m->pub_time_article, dt);
            take(&m->pub_time_any, dt);
        }
    }
    if (!strcasecmp(nm, "h1") && !m->h1) m->h1 = node_text(n, META_MAX);
    const char *ip = attr(n, "itemprop");
    if (ip && has_token(ip, "datePublished") && !m->pub_itemprop) {
        const char *v = attr(n, "content");
        if (!v) v = attr(n, "datetime");
        if (v)
            take(&m->pub_itemprop, v);
        else
            m->pub_itemprop = node_text(n, 200);
    }
    if (ip && has_token(ip, "author") && !m->author_itemprop) {
        const char *v = attr(n, "content");
        if (v)
            take(&m->author_itemprop, v);
        else
            m->author_itemprop = node_text(n, 200);
    }
    const char *rel = attr(n, "rel");
    if (rel && !strcasecmp(nm, "a") && has_token(rel, "author") && !m->author_rel)
        m->author_rel = node_text(n, 200);
    const char *cl = attr(n, "class");
    if (cl && !m->author_byline && memcasemem(cl, strlen(cl), "byline"))
        m->author_byline = node_text(n, 300);
    return 1;
}

static void meta_leave(void *ctx, xmlNode *n)
{
    meta *m = ctx;
    if (m->article_depth && n->type == XML_ELEMENT_NODE && cand_kind(n) >= 2) {
        m->article_depth--;
    }
}

/* "Story title - Site" -> "Story title". The page's h1, when it is the
 * whole title or its head, settles the question. */
static void strip_site_suffix(char *t, const char *h1)
{
    if (h1 && !strcasecmp(t, h1)) return;
    static const char *const seps[] = {" | ",  " - ",        " \xE2\x80\x94 ", " \xE2\x80\x93 ",
                                       " :: ", " \xC2\xB7 ", " \xC2\xBB "};
    for (int round = 0; round < 2; round++) {
        char *cut = NULL;
        for (size_t i = 0; i < sizeof seps / sizeof *seps; i++) {
            char *p = t, *last = NULL;
            while ((p = strstr(p, seps[i])))
                last = p++;
            if (last && (!cut || last > cut)) cut = last;
        }
        if (!cut) return;
        size_t head = (size_t)(cut - t), tail = strlen(cut);
        size_t tail_words = 0;
        for (const char *p = cut; *p; p++)
            if (*p == ' ' && p[1] && p[1] != ' ') tail_words++;
        /* a site name is short: a few words */
        int h1_head = h1 && strlen(h1) == head && !strncasecmp(t, h1, head);
        if (!h1_head && (head < 8 || tail_words > 5 || tail > 60)) return;
        *cut = '\0';
        if (h1_head) return;
    }
}

/* Remove "By " in front of a byline and what follows a separator. */
static void clean_byline(char *a)
{
    if (!a) return;
    if (!strncasecmp(a, "by ", 3)) memmove(a, a + 3, strlen(a + 3) + 1);
    for (char *p = a; *p; p++)
        if (*p == '|' || *p == '\n') {
            *p = '\0';
            break;
        }
    size_t n = strlen(a);
    while (n && (a[n - 1] == ' ' || a[n - 1] == ','))
        a[--n] = '\0';
}

/* A wire agency's credit in the text? */
static int wire_credit(const char *t, size_t n)
{
    static const char *const marks[] = {"(Reuters)",
                                        "(AP)",
                                        "(AFP)",
                                        "Reuters -",
                                        "REUTERS/",
                                        "Associated Press",
                                        "Agence France-Presse",
                                        "(dpa)",
                                        "(UPI)",
                                        "Reuters \xE2\x80\x94",
                                        "(Bloomberg)"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        size_t m = strlen(marks[i]);
        /* case matters: "AP" and "REUTERS/" are credits, "ap" is not */
        for (const char *p = t; p && (size_t)(p - t) + m <= n;) {
            p = memchr(p, marks[i][0], n - (size_t)(p - t));
            if (!p || (size_t)(p - t) + m > n) break;
            if (!memcmp(p, marks[i], m)) return 1;
            p++;
        }
    }
    /* a dateline credit: "CITY (Agency) - " within the first line */
    const char *end = t + (n < 300 ? n : 300);
    for (const char *p = t; p < end; p++) {
        if (*p != '(') continue;
        const char *q = p + 1;
        while (q < end && *q != ')' && *q != '(' && q - p < 40)
            q++;
        if (q >= end || *q != ')' || q == p + 1 || !(p[1] >= 'A' && p[1] <= 'Z')) continue;
        q++;
        while (q < end && *q == ' ')
            q++;
        if (q < end &&
            (*q == '-' || !strncmp(q, "\xE2\x80\x94", 3) || !strncmp(q, "\xE2\x80\x93", 3)))
            return 1;
    }
    return 0;
}

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = is_space((unsigned char)s[i]);
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* Does a title or headline say the page is an error page? */
static int error_title(const char *t)
{
    if (!t) return 0;
    size_t n = strlen(t);
    if (memcasemem(t, n, "not found") || memcasemem(t, n, "no longer available") ||
        memcasemem(t, n, "page unavailable"))
        return 1;
    /* "404", "Error 404", "404 - Page missing", but not "404 mln dlrs" */
    const char *p = memcasemem(t, n, "404");
    return p && (p == t || !ascii_alnum((unsigned char)p[-1])) &&
           (!p[3] || !ascii_alnum((unsigned char)p[3])) && count_words(t, n) <= 6;
}

/* The article words segmentation s needs: fewer when the page marked its
 * article up itself, unless the page calls itself an error page (a 404
 * inside <main> says "Sorry, we could not find that page" in 10 words). */
static size_t min_words(const seg *s, const char *title, const char *h1)
{
    if (s->explicit && !error_title(title) && !error_title(h1)) return MIN_WORDS_EXPLICIT;
    return MIN_WORDS;
}

/* ------------------------------------------------------------------ */
/* entry point                                                          */
/* ------------------------------------------------------------------ */

rp_err rp_html_extract(const char *html, size_t len, const char *charset_hint, const char *url,
                       rp_article *out, char *err, size_t errsz)
{
    rp_err e = RP_OK;
    rp_buf u8 = {0};
    xmlDoc *doc = NULL;
    meta m = {0};
    seg s1 = {0}, s2 = {0};
    char *text = NULL, *title = NULL, *published = NULL, *author = NULL, *canon = NULL;
    size_t text_len = 0, repaired = 0;

    if (!html || !out) {
        seterr(err, errsz, "no page");
        return RP_ARG;
    }
    pthread_once(&init_once, init_once_fn);
    if (len > (size_t)INT32_MAX) {
        seterr(err, errsz, "page too large (%zu bytes)", len);
        return RP_LIMIT;
    }
    e = to_utf8(html, len, charset_hint, &u8, &repaired);
    if (e == RP_FORMAT) {
        seterr(err, errsz, "not HTML (binary content)");
        goto out;
    }
    if (e) {
        seterr(err, errsz, "cannot decode page: %s", rp_strerror(e));
        goto out;
    }
    if (!has_markup(u8.data, u8.len)) {
        e = RP_FORMAT;
        seterr(err, errsz, "not HTML (no markup)");
        goto out;
    }
    size_t parsed = tag_prefix(u8.data, u8.len);
    if ((e = markup_budget(u8.data, parsed, err, errsz))) goto out;
    /* XML_PARSE_HUGE lifts libxml2's nesting limit of 256, past which it
     * silently drops the rest of the page; its HTML parser and our walks
     * are iterative, so depth costs only memory, which MAX_TAGS bounds. */
    doc = htmlReadMemory(u8.data, (int)parsed, NULL, "UTF-8",
                         HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                             HTML_PARSE_NONET | HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC |
                             XML_PARSE_HUGE);
    if (!doc || !xmlDocGetRootElement(doc)) {
        e = RP_FORMAT;
        seterr(err, errsz, "not HTML (parser found no document)");
        goto out;
    }

    walk((xmlNode *)doc, meta_enter, meta_leave, &m);
    /* <html lang="fr-CA"> (or xml:lang): the page's language. */
    const xmlNode *root = xmlDocGetRootElement(doc);
    const char *hl = attr(root, "lang");
    if (!hl) hl = attr(root, "xml:lang");
    const char *page_code = hl ? rp_lang_canonical(hl) : NULL;
    if (page_code && strcmp(page_code, "und") == 0) page_code = NULL;
    s1.lang = s2.lang = page_code ? rp_lang_id(page_code) : -1;
    if (m.og_title)
        title = strdup(m.og_title);
    else if (m.title) {
        strip_site_suffix(m.title, m.h1);
        title = strdup(m.title);
    } else if (m.h1)
        title = strdup(m.h1);

    size_t words = extract_body(doc, 0, title, &s1);
    seg *s = &s1;
    if (!s1.err && words < min_words(&s1, title, m.h1)) {
        size_t w2 = extract_body(doc, 1, title, &s2);
        if (s2.err)
            s = &s2;
        else if (w2 > words)
            s = &s2, words = w2;
    }
    if (s->err) {
        e = s->err;
        seterr(err, errsz, "%s", rp_strerror(e));
        goto out;
    }
    if (words < min_words(s, title, m.h1)) {
        e = RP_EMPTY;
        seterr(err, errsz, "too little article text (%zu words)", words);
        goto out;
    }
    if ((e = join_blocks(s, &text, &text_len))) goto out;
    words = count_words(text, text_len);

    const char *pub = m.pub_meta           ? m.pub_meta
                      : m.pub_ld           ? m.pub_ld
                      : m.pub_itemprop     ? m.pub_itemprop
                      : m.pub_time_article ? m.pub_time_article
                                           : m.pub_time_any;
    int64_t epoch = RP_TIME_UNKNOWN;
    if (pub) {
        int64_t t;
        if (rp_time_parse(pub, &t) == RP_OK) {
            epoch = t;
            if (pub[0] >= '0' && pub[0] <= '9')
                published = strdup(pub);
            else if ((published = malloc(32)))
                rp_time_format(t, published, 32);
        } else {
            published = strdup(pub);
        }
    }
    clean_byline(m.author_byline);
    clean_byline(m.author_rel);
    clean_byline(m.author_itemprop);
    const char *au = m.author_meta       ? m.author_meta
                     : m.author_ld       ? m.author_ld
                     : m.author_article  ? m.author_article
                     : m.author_itemprop ? m.author_itemprop
                     : m.author_rel      ? m.author_rel
                                         : m.author_byline;
    if (au && *au) author = strdup(au);

    if (m.canonical) canon = rp_url_resolve(m.canonical, url);
    if (!canon && m.og_url) canon = rp_url_resolve(m.og_url, url);
    if (!canon && url) canon = strdup(url);

    /* credits often sit in short blocks left out of the text: a dateline
     * paragraph, a photo caption, "Reporting by ..." */
    int credits = 0;
    for (size_t i = s->lo; i < s->hi && !credits; i++)
        if (s->b[i].cls != C_BAD) credits = wire_credit(s->text.data + s->b[i].off, s->b[i].len);
    credits = credits ||
              (m.author_byline && wire_credit(m.author_byline, strlen(m.author_byline))) ||
              (author && wire_credit(author, strlen(author)));
    if (url && canon) {
        char *h1 = rp_url_site(url), *h2 = rp_url_site(canon);
        if (h1 && h2 && !rp_site_same(h1, h2)) credits = 1;
        free(h1);
        free(h2);
    }
    if ((m.og_title && !title) || (pub && !published) || (au && *au && !author) ||
        (url && !canon)) {
        e = RP_NOMEM;
        goto out;
    }

    out->text = text;
    out->text_len = text_len;
    out->title = title;
    out->published = published;
    out->published_epoch = epoch;
    out->author = author;
    if (!out->lang && page_code && !(out->lang = strdup(page_code))) {
        e = RP_NOMEM;
        goto out;
    }
    free(out->url);
    out->url = canon;
    out->credits_hint = credits;
    out->repaired += repaired;
    text = title = published = author = canon = NULL;
    (void)words;
out:
    free(text);
    free(title);
    free(published);
    free(author);
    free(canon);
    seg_free(&s1);
    seg_free(&s2);
    meta_free(&m);
    if (doc) xmlFreeDoc(doc);
    rp_buf_free(&u8);
    return e;
}
