/*
 * jsonl.c: JSON Lines records, one article per line.
 *
 * Lines are read with a hard cap (max_record_bytes): a longer line is
 * consumed to its end without being kept, then rejected, so one huge line
 * costs time, not memory. A line jansson refuses is UTF-8-repaired and
 * parsed once more, as jansson refuses invalid UTF-8 and a stray Latin-1
 * byte should not cost the record. A line carries "text" or "html" and optional "id" (string or
 * number), "url", "site", "title", "published", "lang".
 */
#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"

static const char *str_field(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) && json_string_length(v) ? json_string_value(v) : NULL;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isspace((unsigned char)s[i])) return 0;
    return 1;
}

/* One non-blank line: parse and turn into an article. */
static rp_err line_article(rp_reader *r, rp_article *a, const char *line, size_t n)
{
    json_error_t jerr;
    json_t *o = NULL;
    char idbuf[64], *loc = NULL;
    size_t fixes = 0;
    rp_err e;
    o = json_loadb(line, n, JSON_ALLOW_NUL, &jerr);
    if (!o) {
        /* invalid UTF-8 is the one error a repair can cure: retry once */
        r->tmp.len = 0;
        if ((e = rp_utf8_repair(line, n, &r->tmp, &fixes))) return e;
        if (fixes) o = json_loadb(r->tmp.data, r->tmp.len, JSON_ALLOW_NUL, &jerr);
        if (!o) return in_reject(r, "malformed JSON at column %d: %s", jerr.column, jerr.text);
    }
    if (!json_is_object(o)) {
        e = in_reject(r, "JSON line is not an object");
        goto out;
    }
    json_t *text = json_object_get(o, "text"), *html = json_object_get(o, "html");
    json_t *body = json_is_string(text) ? text : json_is_string(html) ? html : NULL;
    if (!body) {
        e = in_reject(r, "no text or html field");
        goto out;
    }
    json_t *jid = json_object_get(o, "id");
    const char *id = NULL;
    if (json_is_string(jid) && json_string_length(jid))
        id = json_string_value(jid);
    else if (json_is_integer(jid)) {
        snprintf(idbuf, sizeof idbuf, "%" JSON_INTEGER_FORMAT, json_integer_value(jid));
        id = idbuf;
    } else if (json_is_real(jid)) {
        snprintf(idbuf, sizeof idbuf, "%.17g", json_real_value(jid));
        id = idbuf;
    }
    const char *url = str_field(o, "url");
    if (!id && !url) {
        if (asprintf(&loc, "%s:%llu", r->path, (unsigned long long)r->where) < 0) {
            loc = NULL;
            e = RP_NOMEM;
            goto out;
        }
        id = loc;
    }
    e = in_make_article(r, a, body == text ? RP_FMT_TEXT : RP_FMT_HTML, json_string_value(body),
                        json_string_length(body), NULL, id, url, str_field(o, "site"), NULL);
    if (e) goto out;
    a->repaired += fixes;
    const char *title = str_field(o, "title"), *pub = str_field(o, "published");
    if (title) {
        free(a->title);
        if (!(a->title = strdup(title))) goto nomem;
    } else if (body == text) {
        free(a->title); /* the first-line rule is for text files, not records */
        a->title = NULL;
    }
    if (pub && (e = in_set_published(a, pub))) goto out;
    /* "lang": the record's language, over the page's <html lang>; a value
     * reprint does not know is left to identification from the text. */
    const char *lang = str_field(o, "lang"), *code = lang ? rp_lang_canonical(lang) : NULL;
    if (code && strcmp(code, "und") != 0) {
        free(a->lang);
        if (!(a->lang = strdup(code))) goto nomem;
    }
    goto out;
nomem:
    e = RP_NOMEM;
out:
    if (e) rp_article_clear(a);
    json_decref(o);
    free(loc);
    return e;
}

rp_err in_jsonl_next(rp_reader *r, rp_article *out)
{
    for (;;) {
        int toolong;
        r->rec.len = 0;
        rp_err e = in_stream_line(r->in, &r->rec, r->o.max_record_bytes + 1, &toolong);
        if (e == RP_DONE) return RP_DONE;
        r->where = ++r->recno;
        if (e) return in_stream_fail(r, e);
        if (toolong || r->rec.len > r->o.max_record_bytes) return in_reject_size(r);
        if (blank(r->rec.data, r->rec.len)) continue;
        return line_article(r, out, r->rec.data, r->rec.len);
    }
}
