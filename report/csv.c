/*
 * csv.c: the report as CSV, one row per copy, for spreadsheets.
 *
 * RFC 4180 to the letter, since the file is opened by programs we do not
 * control: a header row with the contract's field names, CRLF line ends, and
 * a field quoted (its quotes doubled) exactly when it holds a comma, a
 * quote, CR or LF. Unknown values are empty fields; booleans are "true" and
 * "false"; numbers are rounded as in the JSON rows so both formats agree.
 *
 * The cells come from pages we do not control, so they are made safe to
 * open, as OWASP advises against CSV injection: a text cell that begins with
 * = + - @, tab or CR is quoted and prefixed with a single quote, so that a
 * spreadsheet shows it as text instead of running it ("=HYPERLINK(...)"
 * becomes "'=HYPERLINK(...)"), and control bytes other than CR, LF and tab
 * are escaped as in rp_escape_controls ("\x1b"). With passages, two columns
 * follow the contract's: passages_source (an id) and passages, written by
 * us from numbers ("120-388:96-371 400-512:380-490q"). The numeric columns
 * (delay_hours, score, share_copied, words_copied) are written by us from
 * numbers, never from page text, and stay plain numbers: a negative delay
 * is "-3.5", not "'-3.5", so that it still sorts and sums as a number.
 */
#include <string.h>

#include "report/report.h"

/* A spreadsheet reads a cell that starts with one of these as a formula
 * (or, for tab and CR, may drop them and then do so). */
#define FORMULA_LEADS "=+-@\t\r"

static const char *const fields[] = {
    "cluster",        "original",           "original_url",   "original_site",
    "original_title", "original_published", "copy",           "copy_url",
    "copy_site",      "copy_title",         "copy_published", "delay_hours",
    "score",          "share_copied",       "words_copied",   "credited"};

rp_err rp_report_csv_field(rp_buf *out, const char *s)
{
    if (!s) return RP_OK;
    size_t len = strlen(s);
    rp_buf esc = {0};
    rp_err e = RP_OK;
    /* CR, LF and tab are CSV's to carry (in a quoted field); any other
     * control byte would reach whoever views the cell. */
    unsigned keep = RP_ESC_KEEP_LF | RP_ESC_KEEP_CR | RP_ESC_KEEP_TAB;
    if (rp_escape_needed(s, len, keep)) {
        if ((e = rp_escape_controls(&esc, s, len, keep))) goto out;
        s = esc.data, len = esc.len;
    }
    int formula = len && strchr(FORMULA_LEADS, s[0]);
    if (!formula && !strpbrk(s, ",\"\r\n")) {
        e = rp_buf_append(out, s, len);
        goto out;
    }
    e = rp_buf_appendc(out, '"');
    if (!e && formula) e = rp_buf_appendc(out, '\'');
    for (size_t i = 0; !e && i < len; i++) {
        if (s[i] == '"') e = rp_buf_appendc(out, '"');
        if (!e) e = rp_buf_appendc(out, s[i]);
    }
    if (!e) e = rp_buf_appendc(out, '"');
out:
    rp_buf_free(&esc);
    return e;
}

static rp_err flush_row(FILE *out, rp_buf *b)
{
    rp_err e = rp_buf_append(b, "\r\n", 2);
    if (!e && fwrite(b->data, 1, b->len, out) != b->len) e = RP_IO;
    b->len = 0;
    return e;
}

rp_err report_csv_header(FILE *out, int passages)
{
    rp_buf b = {0};
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < sizeof fields / sizeof *fields; i++) {
        if (i) e = rp_buf_appendc(&b, ',');
        if (!e) e = rp_report_csv_field(&b, fields[i]);
    }
    if (!e && passages) e = rp_buf_append(&b, ",passages_source,passages", 25);
    if (!e) e = flush_row(out, &b);
    rp_buf_free(&b);
    return e;
}

static rp_err num(rp_buf *b, double x, int decimals)
{
    char t[64];
    snprintf(t, sizeof t, "%.12g", report_round(x, decimals));
    return rp_buf_append(b, t, strlen(t));
}

/* The passages of a copy as one cell: "S-E:C-D" per passage (byte offsets
 * into the source side's text, then into the copy's), separated by
 * spaces, a quoted passage with "q" after it. */
static rp_err passages_cell(rp_buf *b, const rp_match *m)
{
    char t[96];
    rp_err e = RP_OK;
    for (size_t p = 0; !e && p < m->npassages; p++) {
        const rp_passage *x = &m->passages[p];
        snprintf(t, sizeof t, "%s%zu-%zu:%zu-%zu%s", p ? " " : "", x->a_start, x->a_end, x->b_start,
                 x->b_end, x->quoted ? "q" : "");
        e = rp_buf_append(b, t, strlen(t));
    }
    return e;
}

rp_err report_csv_cluster(FILE *out, const rcluster *c, int passages)
{
    rp_buf b = {0};
    rp_err e = RP_OK;
    const rp_article *o = &c->orig;
    char ob[32], cb[32], t[64];
    for (size_t i = 0; !e && i < c->n; i++) {
        const rcopy *k = &c->copies[i];
        int has;
        double delay = report_delay_hours(o, &k->art, &has);
        snprintf(t, sizeof t, "%lld", (long long)c->id);
        const char *strs[] = {t,
                              o->id,
                              o->url,
                              o->site,
                              o->title,
                              report_published(o, ob, sizeof ob),
                              k->art.id,
                              k->art.url,
                              k->art.site,
                              k->art.title,
                              report_published(&k->art, cb, sizeof cb)};
        for (size_t f = 0; !e && f < sizeof strs / sizeof *strs; f++) {
            if (f) e = rp_buf_appendc(&b, ',');
            if (!e) e = rp_report_csv_field(&b, strs[f]);
        }
        if (!e) e = rp_buf_appendc(&b, ',');
        if (!e && has) e = num(&b, delay, 2);
        if (!e) e = rp_buf_appendc(&b, ',');
        if (!e) e = num(&b, k->m.score, 4);
        if (!e) e = rp_buf_appendc(&b, ',');
        if (!e) e = num(&b, k->m.coverage_a, 4);
        if (!e) {
            snprintf(t, sizeof t, ",%zu,%s", k->m.words_copied, k->credited ? "true" : "false");
            e = rp_buf_append(&b, t, strlen(t));
        }
        if (!e && passages) {
            e = rp_buf_appendc(&b, ',');
            if (!e) e = rp_report_csv_field(&b, report_passages_source(c, k));
            if (!e) e = rp_buf_appendc(&b, ',');
            if (!e) e = passages_cell(&b, &k->m);
        }
        if (!e) e = flush_row(out, &b);
    }
    rp_buf_free(&b);
    return e;
}
