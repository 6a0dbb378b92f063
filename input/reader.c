/*
 * reader.c: the reader handle: paths, folders, standard input, format
 * detection, dispatch to the per-format readers, and the checks every
 * article goes through.
 *
 * Paths wait on a stack, the next one on top. A folder is replaced by its
 * entries in byte order (pushed in reverse), so a walk is depth-first and
 * deterministic; dot-files are skipped and a folder already walked (a
 * symlink loop, or the same folder named twice) is not walked again. Files
 * open lazily, so an unreadable path is reported when reached and the walk
 * goes on. The format comes from the extension (after a .gz), else from the
 * first bytes. Text and HTML files are one record each; JSONL and WARC
 * files hand out one record per call (jsonl.c, warc.c).
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"

#define SNIFF_BYTES 512
#define TITLE_MAX 200

char *in_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

rp_err in_reject(rp_reader *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    return RP_REJECT;
}

rp_err in_reject_size(rp_reader *r)
{
    if (r->in && in_stream_is_gzip(r->in))
        return in_reject(r, "decompressed record exceeds %zu bytes", r->o.max_record_bytes);
    return in_reject(r, "record exceeds %zu bytes", r->o.max_record_bytes);
}

rp_err in_stream_fail(rp_reader *r, rp_err e)
{
    r->file_done = 1;
    if (e == RP_NOMEM) {
        snprintf(r->err, sizeof r->err, "out of memory");
        return RP_NOMEM;
    }
    snprintf(r->err, sizeof r->err, "%s", in_stream_errmsg(r->in));
    return e == RP_IO ? RP_IO : RP_REJECT;
}

/* Length of the valid multi-byte UTF-8 sequence at p, else 0. */
static size_t utf8_multi(const unsigned char *p, size_t n)
{
    unsigned c = p[0], lo = 0x80, hi = 0xBF;
    size_t len;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, lo = c == 0xE0 ? 0xA0 : lo, hi = c == 0xED ? 0x9F : hi;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, lo = c == 0xF0 ? 0x90 : lo, hi = c == 0xF4 ? 0x8F : hi;
    else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi) return 0;
    for (size_t i = 2; i < len; i++)
        if ((p[i] & 0xC0) != 0x80) return 0;
    return len;
}

/* An 8-bit legacy text: bytes above 0x7F, none of them forming UTF-8. */
static int legacy_8bit(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    int high = 0;
    for (size_t i = 0; i < n; i++) {
        while (i + 8 <= n) { /* ASCII runs a word at a time */
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ull) break;
            i += 8;
        }
        if (i >= n) break;
        if (p[i] < 0x80) continue;
        if (utf8_multi(p + i, n - i)) return 0;
        high = 1;
    }
    return high;
}

/* Windows-1252 (a superset of Latin-1 for text) to UTF-8; the five
 * unassigned bytes become U+FFFD. Every byte above 0x7F counts in *fixed. */
static rp_err cp1252_decode(const char *s, size_t n, rp_buf *out, size_t *fixed)
{
    static const uint16_t c1[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    rp_err e = rp_buf_reserve(out, n + n / 2);
    for (size_t i = 0; i < n && !e; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned u = c < 0x80 ? c : c < 0xA0 ? c1[c - 0x80] : c;
        char u8[3];
        if (c >= 0x80) ++*fixed;
        if (u < 0x80)
            e = rp_buf_appendc(out, (char)u);
        else if (u < 0x800) {
            u8[0] = (char)(0xC0 | (u >> 6));
            u8[1] = (char)(0x80 | (u & 0x3F));
            e = rp_buf_append(out, u8, 2);
        } else {
            u8[0] = (char)(0xE0 | (u >> 12));
            u8[1] = (char)(0x80 | ((u >> 6) & 0x3F));
            u8[2] = (char)(0x80 | (u & 0x3F));
            e = rp_buf_append(out, u8, 3);
        }
    }
    return e;
}

/* Mostly not text: over the first 64 KiB, more than 1% control bytes (NUL
 * and the C0 controls text never uses), or, for text meant as UTF-8, more
 * than 10% undecodable sequences. */
static int is_binary(const char *s, size_t n, int legacy)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t m = n < ((size_t)64 << 10) ? n : ((size_t)64 << 10);
    size_t ctrl = 0, chars = 0, bad = 0;
    for (size_t i = 0; i < m;) {
        unsigned char c = p[i];
        chars++;
        if (c < 0x80) {
            ctrl += c < 0x20 && !(c >= '\t' && c <= '\r') && c != 0x1B;
            i++;
        } else {
            size_t k = utf8_multi(p + i, m - i);
            bad += k == 0;
            i += k ? k : 1;
        }
    }
    return ctrl * 100 > m || (!legacy && bad * 10 > chars);
}

static int is_space_at(const char *s, size_t n, size_t i, size_t *w)
{
    unsigned char c = (unsigned char)s[i];
    *w = 1;
    if (c == ' ' || (c >= '\t' && c <= '\r')) return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) return *w = 2, 1;
    return 0;
}

/* Write a reject reason to (err, errsz), when there is room, and return
 * RP_REJECT: the reader's buffer, or the caller's of rp_article_finish. */
static rp_err reject_msg(char *err, size_t errsz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static rp_err reject_msg(char *err, size_t errsz, const char *fmt, ...)
{
    if (err && errsz) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errsz, fmt, ap);
        va_end(ap);
    }
    return RP_REJECT;
}

/* The options with every 0 replaced by its default. */
static rp_reader_opts effective_opts(const rp_reader_opts *o)
{
    rp_reader_opts e = {0};
    if (o) e = *o;
    if (!e.max_record_bytes) e.max_record_bytes = RP_DEFAULT_MAX_RECORD_BYTES;
    if (!e.max_text_bytes) e.max_text_bytes = RP_DEFAULT_MAX_TEXT_BYTES;
    if (!e.min_text_chars) e.min_text_chars = RP_DEFAULT_MIN_TEXT_CHARS;
    return e;
}

/* Repair (s, n) into a->text (replacing what was there), count repairs,
 * cut at max_text_bytes on a character boundary, and reject empty or too
 * short text. */
static rp_err set_text(const rp_reader_opts *o, rp_article *a, const char *s, size_t n, char *err,
                       size_t errsz)
{
    rp_buf b = {0};
    size_t fixes = 0, chars = 0, w;
    rp_err e;
    if ((e = rp_utf8_repair(s, n, &b, &fixes)) || (e = rp_buf_terminate(&b))) {
        rp_buf_free(&b);
        return e;
    }
    a->repaired += fixes;
    size_t len = b.len;
    if (len > o->max_text_bytes) {
        len = o->max_text_bytes;
        while (len > 0 && ((unsigned char)b.data[len] & 0xC0) == 0x80)
            len--;
        b.data[len] = '\0';
    }
    size_t lo = 0, hi = len;
    while (lo < hi && is_space_at(b.data, hi, lo, &w))
        lo += w;
    while (hi > lo && isspace((unsigned char)b.data[hi - 1]))
        hi--;
    for (size_t i = lo; i < hi && chars < o->min_text_chars; i++)
        chars += ((unsigned char)b.data[i] & 0xC0) != 0x80;
    if (chars == 0) {
        rp_buf_free(&b);
        return reject_msg(err, errsz, "empty text");
    }
    if (chars < o->min_text_chars) {
        rp_buf_free(&b);
        return reject_msg(err, errsz, "text too short (%zu characters, minimum %zu)", chars,
                          o->min_text_chars);
    }
    free(a->text);
    a->text = b.data;
    a->text_len = len;
    return RP_OK;
}

rp_err in_set_published(rp_article *a, const char *s)
{
    free(a->published);
    a->published = NULL;
    a->published_epoch = RP_TIME_UNKNOWN;
    if (!s || !*s) return RP_OK;
    if (!(a->published = strdup(s))) return RP_NOMEM;
    int64_t t;
    if (rp_time_parse(s, &t) == RP_OK) a->published_epoch = t;
    return RP_OK;
}

/* Title of a plain text: its first non-empty line, if short and followed
 * by a blank line (the BBC News layout: headline, blank line, body). */
static rp_err text_title(rp_article *a)
{
    const char *s = a->text, *end = s + a->text_len;
    while (s < end && (*s == '\n' || *s == '\r' || *s == ' ' || *s == '\t'))
        s++;
    const char *nl = memchr(s, '\n', (size_t)(end - s));
    if (!nl) return RP_OK;
    const char *t = nl;
    while (t > s && isspace((unsigned char)t[-1]))
        t--;
    if (t == s || (size_t)(t - s) > TITLE_MAX) return RP_OK;
    const char *p = nl + 1;
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    if (p >= end || *p != '\n') return RP_OK;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p >= end) return RP_OK; /* nothing after it: the line is the text */
    if (!(a->title = strndup(s, (size_t)(t - s)))) return RP_NOMEM;
    return RP_OK;
}

/* Everything of an article that depends on its body: the text (extracted
 * from a page, decoded from Windows-1252, or repaired), title, url,
 * published and site. The reader runs it at once, rp_article_finish later
 * for a deferred page: one implementation, so both give the same article.
 * On failure a may hold part of the fields; the caller clears it. */
static rp_err fill_body(const rp_reader_opts *o, rp_article *a, rp_format kind, int legacy,
                        const char *body, size_t n, const char *charset, const char *url,
                        const char *site, const char *fallback_published, char *err, size_t errsz)
{
    char herr[256] = "";
    rp_err e;
    a->published_epoch = RP_TIME_UNKNOWN;
    if (kind == RP_FMT_HTML) {
        e = rp_html_extract(body, n, charset, url, a, herr, sizeof herr);
        if (e == RP_EMPTY) return reject_msg(err, errsz, "empty text%s%s", *herr ? ": " : "", herr);
        if (e == RP_NOMEM) return e;
        if (e) return reject_msg(err, errsz, "%s", *herr ? herr : rp_strerror(e));
        if (!a->text) return reject_msg(err, errsz, "empty text");
        char *t = a->text;
        a->text = NULL;
        e = set_text(o, a, t, strlen(t), err, errsz);
        free(t);
        if (e) return e;
    } else if (legacy) {
        rp_buf u = {0};
        size_t fixed = 0;
        if (!(e = cp1252_decode(body, n, &u, &fixed)))
            e = set_text(o, a, u.data, u.len, err, errsz);
        rp_buf_free(&u);
        if (e) return e;
        a->repaired += fixed;
        if ((e = text_title(a))) return e;
    } else {
        if ((e = set_text(o, a, body, n, err, errsz))) return e;
        if ((e = text_title(a))) return e;
    }
    if (!a->url && url && !(a->url = strdup(url))) return RP_NOMEM;
    if (!a->published && (e = in_set_published(a, fallback_published))) return e;
    if (a->published && a->published_epoch == RP_TIME_UNKNOWN) {
        int64_t t;
        if (rp_time_parse(a->published, &t) == RP_OK) a->published_epoch = t;
    }
    free(a->site);
    a->site = NULL;
    if (o->site)
        a->site = strdup(o->site);
    else if (site)
        a->site = strdup(site);
    else if (url || a->url)
        a->site = rp_url_site(url ? url : a->url);
    return RP_OK;
}

/* A page read from standard input is known by its canonical URL when it
 * declares one (the extraction sets url only then: no URL was given). */
static rp_err stdin_id(rp_article *a)
{
    if (!a->from_stdin || !a->url) return RP_OK;
    if (strncasecmp(a->url, "http://", 7) != 0 && strncasecmp(a->url, "https://", 8) != 0)
        return RP_OK;
    char *id = strdup(a->url);
    if (!id) return RP_NOMEM;
    free(a->id);
    a->id = id;
    return RP_OK;
}

/* Keep a page for rp_article_finish: copies of the body and of the values
 * fill_body will need. */
static rp_err keep_raw(rp_article *a, const char *body, size_t n, const char *charset,
                       const char *url, const char *site, const char *fallback_published)
{
    if (!(a->raw = malloc(n + 1))) return RP_NOMEM;
    memcpy(a->raw, body, n);
    a->raw[n] = '\0';
    a->raw_len = n;
    if ((charset && !(a->raw_charset = strdup(charset))) || (url && !(a->raw_url = strdup(url))) ||
        (site && !(a->raw_site = strdup(site))) ||
        (fallback_published && !(a->raw_fallback_published = strdup(fallback_published))))
        return RP_NOMEM;
    return RP_OK;
}

rp_err in_make_article(rp_reader *r, rp_article *a, rp_format kind, const char *body, size_t n,
                       const char *charset, const char *id, const char *url, const char *site,
                       const char *fallback_published)
{
    rp_err e = RP_OK;
    a->published_epoch = RP_TIME_UNKNOWN;
    int legacy = kind == RP_FMT_TEXT && legacy_8bit(body, n);
    /* html.c decodes charsets itself (UTF-16 included): only the control
     * byte rule applies to a page, and not at all with a UTF-16 BOM */
    int utf16 = n >= 2 && (((unsigned char)body[0] == 0xFF && (unsigned char)body[1] == 0xFE) ||
                           ((unsigned char)body[0] == 0xFE && (unsigned char)body[1] == 0xFF));
    if (!(kind == RP_FMT_HTML && utf16) && is_binary(body, n, legacy || kind == RP_FMT_HTML)) {
        e = in_reject(r, "binary content");
        goto out;
    }
    if (kind == RP_FMT_HTML && r->o.defer_html)
        e = keep_raw(a, body, n, charset, url, site, fallback_published);
    else
        e = fill_body(&r->o, a, kind, legacy, body, n, charset, url, site, fallback_published,
                      r->err, sizeof r->err);
    if (e) goto out;
    free(a->id);
    a->id = strdup(id ? id : url ? url : r->path);
    free(a->source);
    a->source = strdup(r->path);
    a->record = r->where;
    a->from_stdin = !id && !url && strcmp(r->path, "-") == 0;
    if (!a->id || !a->source) e = RP_NOMEM;
    if (!e && !a->raw) e = stdin_id(a);
out:
    if (e) rp_article_clear(a);
    return e;
}

rp_err rp_article_finish(rp_article *a, const rp_reader_opts *opts, char *err, size_t errsz)
{
    if (err && errsz) err[0] = '\0';
    if (!a || !a->raw) return RP_OK;
    rp_reader_opts o = effective_opts(opts);
    char *raw = a->raw, *charset = a->raw_charset, *url = a->raw_url, *site = a->raw_site,
         *fallback = a->raw_fallback_published;
    /* a title or date set while the page waited is the record's own (a
     * JSONL record's fields, set after in_make_article): it wins over the
     * page's, as it does when the reader extracts at once */
    char *title = a->title, *published = a->published;
    size_t n = a->raw_len;
    a->raw = a->raw_charset = a->raw_url = a->raw_site = a->raw_fallback_published = NULL;
    a->title = a->published = NULL;
    a->raw_len = 0;
    rp_err e = fill_body(&o, a, RP_FMT_HTML, 0, raw, n, charset, url, site, fallback, err, errsz);
    if (!e && title) {
        free(a->title);
        a->title = title;
        title = NULL;
    }
    if (!e && published) e = in_set_published(a, published);
    if (!e) e = stdin_id(a);
    free(raw);
    free(charset);
    free(url);
    free(site);
    free(fallback);
    free(title);
    free(published);
    if (e) rp_article_clear(a);
    return e;
}

/* ---- paths ---- */

static rp_err push_path(rp_reader *r, const char *path, int named)
{
    if (rp_grow(&r->stack, &r->capstack, r->nstack + 1, sizeof *r->stack)) return RP_NOMEM;
    char *dup = strdup(path);
    if (!dup) return RP_NOMEM;
    r->stack[r->nstack].path = dup;
    r->stack[r->nstack].named = named;
    r->nstack++;
    return RP_OK;
}

rp_err rp_reader_open(rp_reader **out, const char *const *paths, size_t npaths,
                      const rp_reader_opts *opts)
{
    rp_reader *r = calloc(1, sizeof *r);
    rp_err e = RP_OK;
    *out = NULL;
    if (!r) return RP_NOMEM;
    r->o = effective_opts(opts);
    if (r->o.site && !(r->o.site = strdup(r->o.site))) {
        e = RP_NOMEM;
        goto out;
    }
    if (r->o.db_path) {
        static const char *const sfx[] = {"", "-wal", "-shm", "-journal"};
        for (size_t i = 0; i < 4; i++) {
            char name[4096];
            struct stat st;
            snprintf(name, sizeof name, "%s%s", r->o.db_path, sfx[i]);
            if (stat(name, &st) != 0) continue;
            r->dbfiles[r->ndbfiles].dev = (unsigned long long)st.st_dev;
            r->dbfiles[r->ndbfiles].ino = (unsigned long long)st.st_ino;
            r->ndbfiles++;
        }
        r->o.db_path = NULL; /* not kept: the caller's string */
    }
    for (size_t i = npaths; i-- > 0;) {
        if (!paths[i]) {
            e = RP_ARG;
            goto out;
        }
        if ((e = push_path(r, paths[i], 1))) goto out;
    }
    *out = r;
    return RP_OK;
out:
    rp_reader_free(r);
    return e;
}

static void close_file(rp_reader *r)
{
    if (!r->in) return;
    r->bytes_closed += in_stream_raw_bytes(r->in);
    in_stream_close(r->in);
    r->in = NULL;
}

void rp_reader_free(rp_reader *r)
{
    if (!r) return;
    close_file(r);
    for (size_t i = 0; i < r->nstack; i++)
        free(r->stack[i].path);
    free(r->stack);
    free(r->seen);
    free(r->path);
    free(r->named.path);
    free((char *)r->o.site);
    rp_buf_free(&r->rec);
    rp_buf_free(&r->tmp);
    rp_buf_free(&r->tmp2);
    free(r);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Replace a folder by its entries (sorted, dot-files skipped). */
static rp_err walk_dir(rp_reader *r, const char *path, const struct stat *st)
{
    for (size_t i = 0; i < r->nseen; i++)
        if (r->seen[i].dev == (unsigned long long)st->st_dev &&
            r->seen[i].ino == (unsigned long long)st->st_ino)
            return RP_OK;
    if (rp_grow(&r->seen, &r->capseen, r->nseen + 1, sizeof *r->seen)) return RP_NOMEM;
    r->seen[r->nseen].dev = (unsigned long long)st->st_dev;
    r->seen[r->nseen].ino = (unsigned long long)st->st_ino;
    r->nseen++;

    rp_err e = RP_OK;
    char **names = NULL;
    size_t n = 0, cap = 0;
    rp_buf full = {0};
    DIR *d = opendir(path);
    if (!d) {
        snprintf(r->err, sizeof r->err, "%s", strerror(errno));
        return RP_IO;
    }
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.') continue;
        if ((e = rp_grow(&names, &cap, n + 1, sizeof *names))) goto out;
        if (!(names[n] = strdup(de->d_name))) {
            e = RP_NOMEM;
            goto out;
        }
        n++;
    }
    if (n) qsort(names, n, sizeof *names, cmp_names);
    size_t plen = strlen(path);
    while (plen > 1 && path[plen - 1] == '/')
        plen--;
    for (size_t i = n; i-- > 0;) {
        full.len = 0;
        if ((e = rp_buf_append(&full, path, plen))) goto out;
        if (!(plen == 1 && path[0] == '/') && (e = rp_buf_appendc(&full, '/'))) goto out;
        if ((e = rp_buf_append(&full, names[i], strlen(names[i])))) goto out;
        if ((e = push_path(r, full.data, 0))) goto out;
    }
out:
    closedir(d);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    rp_buf_free(&full);
    return e;
}

static int has_ext(const char *name, size_t len, const char *ext)
{
    size_t n = strlen(ext);
    return len >= n && strncasecmp(name + len - n, ext, n) == 0;
}

/* A file found in a folder that is no article by its name: tables,
 * databases and their journals, images, documents, archives, media. Read
 * anyway when named on the command line. */
static int not_article_name(const char *path)
{
    static const char *const ends[] = {
        ".csv",   ".tsv",  ".db",  ".sqlite", ".sqlite3", "-wal",  "-shm",     "-journal", ".jpg",
        ".jpeg",  ".png",  ".gif", ".webp",   ".svg",     ".ico",  ".bmp",     ".tif",     ".tiff",
        ".pdf",   ".zip",  ".tar", ".tgz",    ".bz2",     ".xz",   ".zst",     ".7z",      ".rar",
        ".mp3",   ".mp4",  ".m4a", ".mov",    ".avi",     ".webm", ".ogg",     ".wav",     ".woff",
        ".woff2", ".ttf",  ".otf", ".css",    ".js",      ".exe",  ".so",      ".o",       ".a",
        ".doc",   ".docx", ".xls", ".xlsx",   ".ppt",     ".pptx", ".parquet", NULL};
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (has_ext(base, len, ".gz")) len -= 3;
    for (size_t i = 0; ends[i]; i++)
        if (has_ext(base, len, ends[i])) return 1;
    return 0;
}

static int is_db_file(const rp_reader *r, const struct stat *st)
{
    for (size_t i = 0; i < r->ndbfiles; i++)
        if (r->dbfiles[i].dev == (unsigned long long)st->st_dev &&
            r->dbfiles[i].ino == (unsigned long long)st->st_ino)
            return 1;
    return 0;
}

/* Count a file left unread, keeping the first names for the note. */
static void skip_file(rp_reader *r, const char *path)
{
    struct in_named *nm = &r->named;
    size_t used = strlen(nm->skipped_names), room = sizeof nm->skipped_names;
    if (nm->skipped_files < 3)
        snprintf(nm->skipped_names + used, room - used, "%s%s", used ? ", " : "", path);
    else if (nm->skipped_files == 3)
        snprintf(nm->skipped_names + used, room - used, ", ...");
    nm->skipped_files++;
}

static rp_format format_by_name(const char *path)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t len = strlen(base);
    if (has_ext(base, len, ".gz")) len -= 3;
    if (has_ext(base, len, ".txt") || has_ext(base, len, ".text")) return RP_FMT_TEXT;
    if (has_ext(base, len, ".html") || has_ext(base, len, ".htm") || has_ext(base, len, ".xhtml"))
        return RP_FMT_HTML;
    if (has_ext(base, len, ".jsonl") || has_ext(base, len, ".ndjson") ||
        has_ext(base, len, ".json"))
        return RP_FMT_JSONL;
    if (has_ext(base, len, ".warc") || has_ext(base, len, ".wet")) return RP_FMT_WARC;
    return RP_FMT_AUTO;
}

static int starts_ci(const unsigned char *p, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && strncasecmp((const char *)p, w, k) == 0;
}

static rp_err format_by_content(rp_reader *r, rp_format *fmt)
{
    const unsigned char *p;
    size_t n;
    rp_err e = in_stream_peek(r->in, SNIFF_BYTES, &p, &n);
    *fmt = RP_FMT_TEXT;
    if (e && e != RP_DONE) return e;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) p += 3, n -= 3;
    while (n && isspace(*p))
        p++, n--;
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<p",
                                       "<div",           NULL};
    if (n >= 7 && memcmp(p, "WARC/1.", 7) == 0)
        *fmt = RP_FMT_WARC;
    else if (n && *p == '{')
        *fmt = RP_FMT_JSONL;
    else
        for (size_t i = 0; tags[i]; i++) {
            size_t k = strlen(tags[i]);
            if (starts_ci(p, n, tags[i]) && (n == k || !isalnum(p[k]))) {
                *fmt = RP_FMT_HTML;
                break;
            }
        }
    return RP_OK;
}

/* The named path being read is finished: tell on_note if it gave
 * nothing, and forget it. */
static void named_end(rp_reader *r)
{
    struct in_named *nm = &r->named;
    uint64_t skipped = r->skipped - nm->skipped_at_start;
    char why[256];
    if (!nm->path) return;
    why[0] = '\0';
    if (nm->skipped_files && !nm->articles && !nm->rejects && !nm->io && !nm->files) {
        snprintf(why, sizeof why, "no article files: %llu skipped (%s)",
                 (unsigned long long)nm->skipped_files, nm->skipped_names);
    } else if (nm->skipped_files) {
        /* a note of its own; whether the rest gave anything follows */
        snprintf(why, sizeof why, "skipped %llu file%s that %s no article (%s)",
                 (unsigned long long)nm->skipped_files, nm->skipped_files == 1 ? "" : "s",
                 nm->skipped_files == 1 ? "is" : "are", nm->skipped_names);
        if (r->o.on_note) r->o.on_note(r->o.note_ctx, nm->path, why);
        why[0] = '\0';
    }
    if (why[0] || nm->articles || nm->rejects || (nm->io && !nm->files)) {
        /* it gave something, or could not be read at all (said already) */
    } else if (nm->io) {
        snprintf(why, sizeof why, "nothing readable: %llu of %llu paths could not be read",
                 (unsigned long long)nm->io, (unsigned long long)(nm->files + nm->io));
    } else if (!nm->files) {
        snprintf(why, sizeof why, "no files to read");
    } else if (skipped) {
        snprintf(why, sizeof why,
                 "no article records: %llu record%s skipped (not an HTTP 200 page or text, or "
                 "WARC metadata)",
                 (unsigned long long)skipped, skipped == 1 ? "" : "s");
    } else {
        snprintf(why, sizeof why, "no article records");
    }
    if (why[0] && r->o.on_note) r->o.on_note(r->o.note_ctx, nm->path, why);
    free(nm->path);
    memset(nm, 0, sizeof *nm);
}

/* Pop paths until a file is open (RP_OK), the paths end (RP_DONE), or a
 * path cannot be read (RP_IO, message in r->err). */
static rp_err open_next(rp_reader *r)
{
    rp_err e;
    while (r->nstack) {
        struct in_path top = r->stack[--r->nstack];
        free(r->path);
        r->path = top.path;
        r->where = 0;
        r->recno = 0;
        r->file_done = 0;
        if (top.named) {
            named_end(r);
            if (!(r->named.path = strdup(top.path))) return RP_NOMEM;
            r->named.skipped_at_start = r->skipped;
        }
        int fd;
        if (top.named && strcmp(top.path, "-") == 0) {
            fd = STDIN_FILENO;
        } else {
            struct stat st;
            if (stat(top.path, &st) != 0) {
                snprintf(r->err, sizeof r->err, "%s", strerror(errno));
                return RP_IO;
            }
            if (S_ISDIR(st.st_mode)) {
                if ((e = walk_dir(r, top.path, &st))) return e;
                continue;
            }
            if (!S_ISREG(st.st_mode) && !top.named) continue; /* sockets, fifos in folders */
            if (is_db_file(r, &st) || (!top.named && not_article_name(top.path))) {
                skip_file(r, top.path);
                continue;
            }
            /* A FIFO's open() waits for a writer; open it without waiting
             * and let the stream's reads wait, where a stop is seen. */
            int nb = !S_ISREG(st.st_mode) && r->o.stop ? O_NONBLOCK : 0;
            fd = open(top.path, O_RDONLY | O_CLOEXEC | nb);
            if (fd < 0) {
                snprintf(r->err, sizeof r->err, "%s", strerror(errno));
                return RP_IO;
            }
            if (nb) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        }
        r->named.files++;
        if ((e = in_stream_open(&r->in, fd, fd != STDIN_FILENO))) {
            if (fd != STDIN_FILENO) close(fd);
            return e;
        }
        in_stream_watch(r->in, r->o.stop);
        r->fmt = r->o.format;
        if (r->fmt == RP_FMT_AUTO && fd != STDIN_FILENO) r->fmt = format_by_name(top.path);
        if (r->fmt == RP_FMT_AUTO && (e = format_by_content(r, &r->fmt))) {
            if (e == RP_NOMEM) return e;
            e = in_stream_fail(r, e);
            r->where = 1;
            return e;
        }
        return RP_OK;
    }
    return RP_DONE;
}

/* Text and HTML files: the whole file is one record. */
static rp_err whole_file_next(rp_reader *r, rp_article *out)
{
    rp_err e;
    size_t max = r->o.max_record_bytes;
    r->file_done = 1;
    r->where = r->recno = 1;
    r->rec.len = 0;
    for (;;) {
        size_t got, want = 64 << 10;
        if ((e = rp_buf_reserve(&r->rec, want))) return e;
        if ((e = in_stream_read(r->in, r->rec.data + r->rec.len, want, &got)))
            return in_stream_fail(r, e);
        if (!got) break;
        r->rec.len += got;
        if (r->rec.len > max) return in_reject_size(r);
    }
    if (r->rec.len == 0) return in_reject(r, "empty text");
    return in_make_article(r, out, r->fmt, r->rec.data, r->rec.len, NULL, NULL, NULL, NULL, NULL);
}

rp_err rp_reader_next(rp_reader *r, rp_article *out)
{
    rp_err e;
    memset(out, 0, sizeof *out);
    out->published_epoch = RP_TIME_UNKNOWN;
    r->err[0] = '\0';
    for (;;) {
        if (r->in && r->file_done) close_file(r);
        if (!r->in) {
            if ((e = open_next(r)) != RP_OK) {
                if (e == RP_DONE) named_end(r);
                if (e == RP_IO) r->named.io++;
                if (e == RP_REJECT) r->named.rejects++;
                return e;
            }
            if (!r->in) continue;
        }
        switch (r->fmt) {
        case RP_FMT_JSONL:
            e = in_jsonl_next(r, out);
            break;
        case RP_FMT_WARC:
            e = in_warc_next(r, out);
            break;
        default:
            e = whole_file_next(r, out);
            break;
        }
        if (e == RP_DONE) {
            r->file_done = 1;
            continue;
        }
        if (e == RP_NOMEM) snprintf(r->err, sizeof r->err, "out of memory");
        if (e == RP_OK) r->named.articles++;
        if (e == RP_REJECT) r->named.rejects++;
        if (e == RP_IO) r->named.io++;
        return e;
    }
}

const char *rp_reader_errmsg(const rp_reader *r)
{
    return r->err;
}

const char *rp_reader_source(const rp_reader *r)
{
    return r->path ? r->path : "";
}

uint64_t rp_reader_record(const rp_reader *r)
{
    return r->where;
}

uint64_t rp_reader_skipped(const rp_reader *r)
{
    return r->skipped;
}

uint64_t rp_reader_bytes(const rp_reader *r)
{
    return r->bytes_closed + in_stream_raw_bytes(r->in);
}

/* ---- records given in memory ---- */

rp_err rp_article_from_record(rp_article *out, const rp_record *rec, const char *source,
                              uint64_t record, const rp_reader_opts *o, char *err, size_t errsz)
{
    rp_err e;
    if (err && errsz) err[0] = '\0';
    memset(out, 0, sizeof *out);
    if (!rec) return RP_ARG;
    const char *id = rec->id && *rec->id ? rec->id : NULL;
    const char *url = rec->url && *rec->url ? rec->url : NULL;
    if (!id && !url) return reject_msg(err, errsz, "no id and no url");
    if (!rec->text && !rec->html) return reject_msg(err, errsz, "no text or html field");
    /* A reader of its own, with nothing open: in_make_article only needs
     * its options, its name for the record and its error buffer. */
    rp_reader r;
    memset(&r, 0, sizeof r);
    r.o = effective_opts(o);
    r.o.defer_html = 0;
    r.path = (char *)(source ? source : "-");
    r.where = record;
    const char *body = rec->text ? rec->text : rec->html;
    size_t n = rec->text ? rec->text_len : rec->html_len;
    if (n > r.o.max_record_bytes)
        return reject_msg(err, errsz, "record exceeds %zu bytes", r.o.max_record_bytes);
    e = in_make_article(&r, out, rec->text ? RP_FMT_TEXT : RP_FMT_HTML, body, n, NULL, id, url,
                        rec->site && *rec->site ? rec->site : NULL, NULL);
    if (e == RP_REJECT) {
        if (err && errsz) snprintf(err, errsz, "%s", r.err);
        return e;
    }
    if (e) return e;
    out->from_stdin = 0;
    /* the record's own title and date win, as in a JSONL line */
    if (rec->title && *rec->title) {
        free(out->title);
        if (!(out->title = strdup(rec->title))) e = RP_NOMEM;
    } else if (rec->text) {
        free(out->title); /* the first-line rule is for text files, not records */
        out->title = NULL;
    }
    if (!e && rec->published && *rec->published) e = in_set_published(out, rec->published);
    if (e) rp_article_clear(out);
    return e;
}
