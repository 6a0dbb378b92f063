/*
 * html.c: the report as one self-contained HTML page.
 *
 * The page is read by people who do not have reprint: a licensing desk, a
 * lawyer, perhaps a court. So it explains itself (a "how to read" section,
 * a legend), needs nothing but the file (inline CSS, no script, no fonts or
 * images), prints well (page breaks between originals, highlights that
 * survive black-and-white printing), and shows the evidence in full: for
 * every copy the complete original and the complete copy side by side with
 * the shared passages marked, cut at the byte offsets verification gave.
 *
 * Every piece of article text and metadata comes from scraped pages and is
 * hostile until escaped: all of it goes through rp_report_html_escape, URLs
 * become links only when they are http(s), and a Content-Security-Policy
 * forbids scripts in case anything ever slips through.
 *
 * The per-site summary comes first on the page but can only be computed
 * after the last cluster, so the per-original sections are staged in a
 * temporary file while the summary accumulates, then copied after it.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "report/report.h"

typedef struct site_agg {
    char *site;
    uint64_t copies, stories, credited;
    int64_t last_cluster;
    double *shares;
    size_t nshares, cap;
    int64_t first, last; /* copies' published dates, RP_TIME_UNKNOWN if none */
} site_agg;

struct html_state {
    FILE *body; /* staged per-original sections */
    rp_buf b;
    site_agg *sites;
    size_t nsites, cap;
};

/* ---- escaping and small writers ---- */

rp_err rp_report_html_escape(rp_buf *out, const char *s, size_t len)
{
    size_t run = 0;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *rep = NULL;
        switch (c) {
        case '&':
            rep = "&amp;";
            break;
        case '<':
            rep = "&lt;";
            break;
        case '>':
            rep = "&gt;";
            break;
        case '"':
            rep = "&quot;";
            break;
        case '\'':
            rep = "&#39;";
            break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
                rep = "\xEF\xBF\xBD";
        }
        if (!rep) continue;
        e = rp_buf_append(out, s + run, i - run);
        if (!e) e = rp_buf_append(out, rep, strlen(rep));
        run = i + 1;
    }
    if (!e) e = rp_buf_append(out, s + run, len - run);
    return e;
}

__attribute__((format(printf, 2, 3))) static rp_err bprintf(rp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) return RP_ARG;
    rp_err e = rp_buf_reserve(b, (size_t)n + 1);
    if (e) return e;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return RP_OK;
}

static rp_err lit(rp_buf *b, const char *s)
{
    return rp_buf_append(b, s, strlen(s));
}

/* s escaped, or an "unknown" placeholder when s is NULL or empty. */
static rp_err esc(rp_buf *b, const char *s)
{
    if (!s || !*s) return lit(b, "<span class=\"unknown\">unknown</span>");
    return rp_report_html_escape(b, s, strlen(s));
}

static int is_http(const char *u)
{
    return u && (!strncasecmp(u, "http://", 7) || !strncasecmp(u, "https://", 8));
}

/* A URL: a link only when http(s), else plain text. */
static rp_err link(rp_buf *b, const char *url)
{
    if (!is_http(url)) return esc(b, url);
    rp_err e = lit(b, "<a rel=\"noopener noreferrer nofollow\" href=\"");
    if (!e) e = esc(b, url);
    if (!e) e = lit(b, "\">");
    if (!e) e = esc(b, url);
    return e ? e : lit(b, "</a>");
}

static rp_err date(rp_buf *b, const rp_article *a)
{
    char t[32];
    return esc(b, report_published(a, t, sizeof t));
}

static rp_err epoch(rp_buf *b, int64_t t)
{
    char s[32];
    if (t == RP_TIME_UNKNOWN) return esc(b, NULL);
    rp_time_format(t, s, sizeof s);
    return lit(b, s);
}

static rp_err pct(rp_buf *b, double x)
{
    return bprintf(b, "%.0f%%", report_round(x * 100.0, 0));
}

static rp_err delay(rp_buf *b, const rp_article *o, const rp_article *c)
{
    int has;
    double h = report_delay_hours(o, c, &has);
    if (!has) return esc(b, NULL);
    rp_err e = bprintf(b, "%.1f h", report_round(h, 1));
    if (!e && h < 0) e = lit(b, " (copy dated before the original)");
    return e;
}

static rp_err flush(html_state *h)
{
    size_t n = h->b.len;
    h->b.len = 0;
    return fwrite(h->b.data, 1, n, h->body) == n ? RP_OK : RP_IO;
}

/* ---- the text with marked passages ---- */

typedef struct span {
    size_t s, e, n;
    int quoted, rewritten;
} span;

static int span_order(const void *pa, const void *pb)
{
    const span *a = pa, *b = pb;
    if (a->s != b->s) return a->s < b->s ? -1 : 1;
    if (a->e != b->e) return a->e > b->e ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

/* The whole text, escaped, with side 0 (original) or 1 (copy) of each
 * passage in a <mark>. Overlapping passages are cut where the previous one
 * ends, so marks never nest. */
static rp_err marked_text(rp_buf *b, const char *text, size_t len, const rp_match *m, int side)
{
    span *v = m->npassages ? calloc(m->npassages, sizeof *v) : NULL;
    size_t nv = 0, pos = 0;
    rp_err e = RP_OK;
    if (m->npassages && !v) return RP_NOMEM;
    for (size_t i = 0; i < m->npassages; i++) {
        const rp_passage *p = &m->passages[i];
        size_t s = side ? p->b_start : p->a_start, t = side ? p->b_end : p->a_end;
        if (t > len) t = len;
        if (s >= t) continue;
        v[nv++] = (span){s, t, i + 1, p->quoted, p->rewritten};
    }
    if (nv > 1) qsort(v, nv, sizeof *v, span_order);
    for (size_t i = 0; !e && i < nv; i++) {
        size_t s = v[i].s < pos ? pos : v[i].s;
        if (s >= v[i].e) continue;
        e = rp_report_html_escape(b, text + pos, s - pos);
        if (!e)
            e = bprintf(b, "<mark%s data-n=\"%zu\" title=\"passage %zu%s\">",
                        v[i].quoted      ? " class=\"quoted\""
                        : v[i].rewritten ? " class=\"rewritten\""
                                         : "",
                        v[i].n, v[i].n, v[i].rewritten && !v[i].quoted ? ", reworded" : "");
        if (!e) e = rp_report_html_escape(b, text + s, v[i].e - s);
        if (!e) e = lit(b, "</mark>");
        pos = v[i].e;
    }
    if (!e) e = rp_report_html_escape(b, text + pos, len - pos);
    free(v);
    return e;
}

/* ---- per-site summary ---- */

static int site_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const site_agg *)elt)->site);
}

static rp_err site_add(html_state *h, int64_t cluster, const rcopy *k)
{
    const char *site = k->art.site ? k->art.site : "";
    site_agg *a = h->nsites ? bsearch(site, h->sites, h->nsites, sizeof *h->sites, site_cmp) : NULL;
    if (!a) {
        if (rp_grow(&h->sites, &h->cap, h->nsites + 1, sizeof *h->sites)) return RP_NOMEM;
        size_t at = 0;
        while (at < h->nsites && strcmp(h->sites[at].site, site) < 0)
            at++;
        char *dup = strdup(site);
        if (!dup) return RP_NOMEM;
        memmove(h->sites + at + 1, h->sites + at, (h->nsites - at) * sizeof *h->sites);
        h->nsites++;
        a = &h->sites[at];
        memset(a, 0, sizeof *a);
        a->site = dup;
        a->last_cluster = -1;
        a->first = a->last = RP_TIME_UNKNOWN;
    }
    if (rp_grow(&a->shares, &a->cap, a->nshares + 1, sizeof *a->shares)) return RP_NOMEM;
    a->shares[a->nshares++] = k->m.coverage_a;
    a->copies++;
    a->credited += k->credited != 0;
    if (a->last_cluster != cluster) a->stories++;
    a->last_cluster = cluster;
    int64_t t = k->art.published_epoch;
    if (t != RP_TIME_UNKNOWN) {
        if (a->first == RP_TIME_UNKNOWN || t < a->first) a->first = t;
        if (a->last == RP_TIME_UNKNOWN || t > a->last) a->last = t;
    }
    return RP_OK;
}

static int dbl_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return a < b ? -1 : a > b;
}

/* Most uncredited copies first, then most copies, then by name. */
static int agg_order(const void *pa, const void *pb)
{
    const site_agg *a = pa, *b = pb;
    uint64_t ua = a->copies - a->credited, ub = b->copies - b->credited;
    if (ua != ub) return ua > ub ? -1 : 1;
    if (a->copies != b->copies) return a->copies > b->copies ? -1 : 1;
    return strcmp(a->site, b->site);
}

static double median(double *v, size_t n)
{
    if (!n) return 0.0;
    qsort(v, n, sizeof *v, dbl_cmp);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

/* ---- one original ---- */

rp_err report_html_begin(html_state **out)
{
    html_state *h = calloc(1, sizeof *h);
    if (!h) return RP_NOMEM;
    h->body = tmpfile();
    if (!h->body) {
        free(h);
        return RP_IO;
    }
    *out = h;
    return RP_OK;
}

static rp_err copy_section(html_state *h, const rcluster *c, size_t i)
{
    const rcopy *k = &c->copies[i];
    const rp_article *o = &c->orig;
    rp_buf *b = &h->b;
    rp_err e =
        bprintf(b, "<article class=\"copy %s\" id=\"c%lld-%zu\">\n<h3>Copy %zu of %zu: ",
                k->credited ? "credited" : "uncredited", (long long)c->id, i + 1, i + 1, c->n);
    if (!e) e = esc(b, k->art.site);
    if (!e) e = lit(b, " &mdash; ");
    if (!e) e = esc(b, k->art.title);
    if (!e)
        e = lit(b, k->credited ? " <span class=\"badge yes\">credits the original</span>"
                               : " <span class=\"badge no\">no credit found</span>");
    if (!e) e = lit(b, "</h3>\n<table class=\"figures\">\n<tr><th>Copy id</th><td>");
    if (!e) e = esc(b, k->art.id);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Copy URL</th><td>");
    if (!e) e = link(b, k->art.url);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Original URL</th><td>");
    if (!e) e = link(b, o->url);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Copy published</th><td>");
    if (!e) e = date(b, &k->art);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Delay after the original</th><td>");
    if (!e) e = delay(b, o, &k->art);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Copy indexed</th><td>");
    if (!e) e = epoch(b, k->art.indexed_at ? k->art.indexed_at : RP_TIME_UNKNOWN);
    if (!e)
        e = bprintf(b,
                    "</td></tr>\n<tr><th>Reuse score</th><td>%.2f</td></tr>\n"
                    "<tr><th>Share of the original copied</th><td>",
                    report_round(k->m.score, 2));
    if (!e) e = pct(b, k->m.coverage_a);
    if (!e)
        e = bprintf(b,
                    "</td></tr>\n<tr><th>Words copied</th><td>%zu</td></tr>\n"
                    "<tr><th>Shared passages</th><td>%zu</td></tr>\n"
                    "<tr><th>Credits the original</th><td>%s</td></tr>\n",
                    k->m.words_copied, k->m.npassages, k->credited ? "yes" : "no");
    if (!e && k->source_id) {
        e = lit(b, "<tr><th>Probably taken via</th><td>");
        if (!e) e = esc(b, k->source_id);
        if (!e) e = lit(b, " (another copy in this cluster)</td></tr>\n");
    }
    if (!e && !k->verified)
        e = lit(b, "<tr><th>Note</th><td>the texts could not be compared again; "
                   "figures are zero</td></tr>\n");
    /* A copy measured against its source (another copy) shows that text. */
    const rp_article *left = o;
    for (size_t x = 0; k->via && x < c->n; x++)
        if (c->copies[x].rowid == k->via) left = &c->copies[x].art;
    if (!e && left != o)
        e = lit(b, "<tr><th>Measured against</th><td>its source, the copy it was taken from: it "
                   "shares too little with the original itself</td></tr>\n");
    if (!e)
        e = lit(b, left == o ? "</table>\n<div class=\"pair\">\n<div class=\"col\"><h4>Original ("
                             : "</table>\n<div class=\"pair\">\n<div class=\"col\"><h4>Source (");
    if (!e) e = esc(b, left->site);
    if (!e) e = lit(b, ")</h4>\n<div class=\"text\">");
    if (!e) e = flush(h);
    if (!e)
        e = marked_text(b, left->text ? left->text : "", left->text ? left->text_len : 0, &k->m, 0);
    if (!e) e = lit(b, "</div></div>\n<div class=\"col\"><h4>Copy (");
    if (!e) e = esc(b, k->art.site);
    if (!e) e = lit(b, ")</h4>\n<div class=\"text\">");
    if (!e) e = flush(h);
    if (!e)
        e = marked_text(b, k->art.text ? k->art.text : "", k->art.text ? k->art.text_len : 0, &k->m,
                        1);
    if (!e) e = lit(b, "</div></div>\n</div>\n</article>\n");
    return e ? e : flush(h);
}

rp_err report_html_cluster(html_state *h, const rcluster *c)
{
    const rp_article *o = &c->orig;
    rp_buf *b = &h->b;
    size_t unc = 0;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < c->n; i++) {
        unc += !c->copies[i].credited;
        e = site_add(h, c->id, &c->copies[i]);
    }
    if (!e) e = bprintf(b, "<section class=\"original\" id=\"c%lld\">\n<h2>", (long long)c->id);
    if (!e) e = esc(b, o->title);
    if (!e) e = lit(b, "</h2>\n<table class=\"figures\">\n<tr><th>Original site</th><td>");
    if (!e) e = esc(b, o->site);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Original URL</th><td>");
    if (!e) e = link(b, o->url);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Original id</th><td>");
    if (!e) e = esc(b, o->id);
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Published</th><td>");
    if (!e) e = date(b, o);
    if (!e)
        e = bprintf(b,
                    "</td></tr>\n<tr><th>Cluster</th><td>%lld</td></tr>\n"
                    "<tr><th>Copies</th><td>%zu, of which %zu without credit</td></tr>\n"
                    "</table>\n<table class=\"list\">\n<thead><tr><th>#</th><th>Copying site</th>"
                    "<th>Title</th><th>Published</th><th>Delay</th><th>Score</th>"
                    "<th>Share copied</th><th>Words copied</th><th>Credited</th></tr></thead>"
                    "\n<tbody>\n",
                    (long long)c->id, c->n, unc);
    for (size_t i = 0; !e && i < c->n; i++) {
        const rcopy *k = &c->copies[i];
        e = bprintf(b, "<tr class=\"%s\"><td><a href=\"#c%lld-%zu\">%zu</a></td><td>",
                    k->credited ? "credited" : "uncredited", (long long)c->id, i + 1, i + 1);
        if (!e) e = esc(b, k->art.site);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = esc(b, k->art.title);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = date(b, &k->art);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = delay(b, o, &k->art);
        if (!e) e = bprintf(b, "</td><td>%.2f</td><td>", report_round(k->m.score, 2));
        if (!e) e = pct(b, k->m.coverage_a);
        if (!e)
            e = bprintf(b, "</td><td>%zu</td>%s</tr>\n", k->m.words_copied,
                        k->credited ? "<td>yes</td>" : "<td class=\"no\">no</td>");
    }
    if (!e)
        e = lit(b, "</tbody></table>\n<p class=\"legend\">In the texts below: "
                   "<mark>copied passage</mark> text shared with the original; "
                   "<mark class=\"quoted\">quoted passage</mark> shared text inside quotation "
                   "marks in both (not counted in the figures, except sentences of the "
                   "article's own prose inside it); "
                   "<mark class=\"rewritten\">reworded sentence</mark> a sentence of the "
                   "original rewritten in other words, matched by its content words, names and "
                   "figures (counted). The small number on a mark "
                   "pairs the same passage in both columns.</p>\n");
    if (!e) e = flush(h);
    for (size_t i = 0; !e && i < c->n; i++)
        e = copy_section(h, c, i);
    if (!e) e = lit(b, "</section>\n");
    return e ? e : flush(h);
}

/* ---- the page ---- */

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#111;"
    "margin:0 auto;max-width:1400px;padding:1em 2em}\n"
    "h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.35em;margin-top:1.6em;"
    "border-bottom:2px solid #333}h3{font-size:1.1em;margin-top:1.5em}h4{margin:.3em 0}\n"
    "table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #bbb;padding:.25em .5em;"
    "text-align:left;vertical-align:top}thead th{background:#eee}\n"
    "table.figures th{background:#f4f4f4;font-weight:600;width:14em}\n"
    "td{overflow-wrap:anywhere}td.no{color:#a00;font-weight:700}\n"
    ".unknown{color:#777;font-style:italic}\n"
    ".badge{font-size:.8em;padding:.1em .5em;border-radius:.8em;border:1px solid}"
    ".badge.no{color:#a00;border-color:#a00}.badge.yes{color:#060;border-color:#060}\n"
    ".pair{display:grid;grid-template-columns:1fr 1fr;gap:1.2em}\n"
    ".col{min-width:0}.text{white-space:pre-wrap;overflow-wrap:anywhere;"
    "font-family:Georgia,\"Times New Roman\",serif;border:1px solid #ccc;padding:.6em;"
    "background:#fcfcfc}\n"
    "mark{background:#ffe27a;border-bottom:2px solid #b58900;color:inherit}\n"
    "mark.quoted{background:#d6ebff;border-bottom:2px dotted #2a6fb0}\n"
    "mark.rewritten{background:#ffd9c4;border-bottom:2px dashed #b5531f}\n"
    "mark[data-n]::before{content:attr(data-n);font:9px sans-serif;vertical-align:super;"
    "color:#555;margin-right:1px}\n"
    "article.copy{border-top:1px dashed #999;margin-top:1.2em}\n"
    ".legend,.howto{background:#f7f7f7;border-left:4px solid #999;padding:.5em 1em}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}\n"
    "@media print{body{font-size:10pt;max-width:none;padding:0}"
    "section.original{break-before:page;page-break-before:always}"
    "h2,h3,h4{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}"
    "mark,.badge,thead th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "a{color:inherit;text-decoration:none}}\n";

static const char howto[] =
    "<section class=\"howto\">\n<h2>How to read this report</h2>\n"
    "<p>Each section below is one <em>original</em> story &mdash; the earliest published "
    "version of a text found in the index &mdash; followed by every <em>copy</em> of it "
    "found on other pages: rewritten, shortened or reprinted versions that share long "
    "passages with it. Copies that do not credit the original come first, then the rest "
    "by reuse score, highest first. For each copy the original and the copy are shown "
    "side by side, complete, with the shared passages highlighted.</p>\n<ul>\n"
    "<li><strong>Reuse score</strong> (0 to 1): the share of the shorter of the two texts "
    "that lies in passages shared with the other; words inside quotation marks are not "
    "counted, since quoting a source is not copying the story. Clustering links two "
    "articles when their score reaches the index's threshold.</li>\n"
    "<li><strong>Share of the original copied</strong>: the share of the original's words "
    "(outside quotation marks) that appear in the copy within shared passages.</li>\n"
    "<li><strong>Words copied</strong>: the number of such words, counted on the shorter "
    "text.</li>\n"
    "<li><strong>Delay</strong>: hours from the original's published date to the copy's, as "
    "the pages state them; unknown when either page states none.</li>\n"
    "<li><strong>Credited</strong>: &ldquo;yes&rdquo; when the copy names the original's "
    "agency in a dateline or byline (for example &ldquo;(Reuters)&rdquo;, &ldquo;By "
    "AFP&rdquo;, &ldquo;REUTERS/&rdquo;), names a known agency in full, or mentions the "
    "original site's address. A &ldquo;no&rdquo; means no such credit was found in the "
    "text, title or byline as extracted; check the page itself before acting.</li>\n"
    "</ul>\n<p>The figures come from comparing the texts alone. They say nothing about "
    "licences: a copy may be covered by a syndication agreement.</p>\n</section>\n";

static rp_err head(rp_buf *b, const rp_report_opts *o, const rp_report_stats *st)
{
    char gen[32], since[32];
    rp_time_format(o->generated ? o->generated : (int64_t)time(NULL), gen, sizeof gen);
    rp_err e = lit(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"" RP_REPORT_HTML_CSP
                      "\">\n<meta name=\"referrer\" "
                      "content=\"no-referrer\">\n<meta name=\"viewport\" "
                      "content=\"width=device-width, initial-scale=1\">\n<title>Reuse report: ");
    if (!e)
        e = esc(b, o->source_site ? o->source_site : o->original_id ? o->original_id : "all sites");
    if (!e) e = bprintf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n", css);
    if (!e) e = lit(b, "<h1>Reuse report</h1>\n<dl class=\"meta\">\n<dt>Originals from</dt><dd>");
    if (!e) e = o->source_site ? esc(b, o->source_site) : lit(b, "all sites");
    if (!e && o->original_id) {
        e = lit(b, "</dd>\n<dt>Cluster of article</dt><dd>");
        if (!e) e = esc(b, o->original_id);
    }
    if (!e) e = lit(b, "</dd>\n<dt>Copies indexed since</dt><dd>");
    if (!e && o->since != RP_TIME_UNKNOWN) {
        rp_time_format(o->since, since, sizeof since);
        e = lit(b, since);
    } else if (!e) {
        e = lit(b, "any time");
    }
    if (!e) e = lit(b, "</dd>\n<dt>Database</dt><dd>");
    if (!e) e = esc(b, o->db_label);
    if (!e)
        e = bprintf(b,
                    "</dd>\n<dt>Generated</dt><dd>%s by reprint %s</dd>\n"
                    "<dt>Found</dt><dd>%llu original%s, %llu cop%s, %llu without credit</dd>\n"
                    "</dl>\n",
                    gen, RP_VERSION, (unsigned long long)st->originals,
                    st->originals == 1 ? "" : "s", (unsigned long long)st->copies,
                    st->copies == 1 ? "y" : "ies", (unsigned long long)st->uncredited);
    if (!e && !st->stored_clusters)
        e = lit(b, "<p><strong>No clusters are stored in this database: run "
                   "<code>reprint cluster</code> first.</strong></p>\n");
    if (!e) e = lit(b, howto);
    return e ? e : lit(b, "</header>\n");
}

static rp_err summary(html_state *h, rp_buf *b)
{
    rp_err e = lit(b, "<section class=\"summary\">\n<h2>Copying sites</h2>\n");
    if (!e && !h->nsites) return lit(b, "<p>No copies found.</p>\n</section>\n");
    if (!e)
        e = lit(b, "<p>One row per site that carries copies, most copies without credit "
                   "first.</p>\n<table class=\"list\">\n<thead><tr><th>Site</th>"
                   "<th>Stories copied</th><th>Copies</th><th>Median share copied</th>"
                   "<th>Credited</th><th>First copy published</th>"
                   "<th>Last copy published</th></tr></thead>\n<tbody>\n");
    qsort(h->sites, h->nsites, sizeof *h->sites, agg_order);
    for (size_t i = 0; !e && i < h->nsites; i++) {
        site_agg *a = &h->sites[i];
        e = lit(b, a->credited < a->copies ? "<tr class=\"uncredited\"><td>" : "<tr><td>");
        if (!e) e = esc(b, a->site);
        if (!e)
            e = bprintf(b, "</td><td>%llu</td><td>%llu</td><td>", (unsigned long long)a->stories,
                        (unsigned long long)a->copies);
        if (!e) e = pct(b, median(a->shares, a->nshares));
        if (!e)
            e = bprintf(b, "</td><td>%llu of %llu (", (unsigned long long)a->credited,
                        (unsigned long long)a->copies);
        if (!e) e = pct(b, (double)a->credited / (double)a->copies);
        if (!e) e = lit(b, ")</td><td>");
        if (!e) e = epoch(b, a->first);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = epoch(b, a->last);
        if (!e) e = lit(b, "</td></tr>\n");
    }
    return e ? e : lit(b, "</tbody></table>\n</section>\n");
}

rp_err report_html_end(html_state *h, FILE *out, const rp_report_opts *o, const rp_report_stats *st)
{
    rp_buf b = {0};
    rp_err e = head(&b, o, st);
    if (!e) e = summary(h, &b);
    if (!e && fwrite(b.data, 1, b.len, out) != b.len) e = RP_IO;
    rp_buf_free(&b);
    if (e) return e;
    if (fflush(h->body) != 0 || fseek(h->body, 0, SEEK_SET) != 0) return RP_IO;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, h->body)) > 0)
        if (fwrite(chunk, 1, n, out) != n) return RP_IO;
    if (ferror(h->body)) return RP_IO;
    static const char tail[] = "<footer><p>End of report.</p></footer>\n</body>\n</html>\n";
    return fwrite(tail, 1, sizeof tail - 1, out) == sizeof tail - 1 ? RP_OK : RP_IO;
}

void report_html_free(html_state *h)
{
    if (!h) return;
    if (h->body) fclose(h->body);
    rp_buf_free(&h->b);
    for (size_t i = 0; i < h->nsites; i++) {
        free(h->sites[i].site);
        free(h->sites[i].shares);
    }
    free(h->sites);
    free(h);
}
