/*
 * html.c: the report as self-contained HTML.
 *
 * The page is read by people who do not have reprint: a licensing desk, a
 * lawyer, perhaps a court. So it explains itself (a "how to read" section,
 * legends), needs nothing but the file (inline CSS and SVG, no fonts, images
 * or network), prints well (page breaks between originals, matching
 * passages side by side in one table row, highlights that survive
 * black-and-white printing), and shows the evidence in full: for every copy
 * the complete original and the complete copy, passage by passage, with the
 * changed words marked (pair.c).
 *
 * Every piece of article text and metadata comes from scraped pages and is
 * hostile until escaped: all of it goes through rp_report_html_escape, URLs
 * become links only when they are http(s), and a Content-Security-Policy
 * lets run only the one inline script below (by its hash): the filter by
 * copying site, which only hides and shows elements. Without it the page
 * reads the same, unfiltered.
 *
 * Layout: header, contents, the copying sites, two pictures (copies per
 * site over time; delays), then one section per original: its copies in a
 * table, the copy-of-copy tree (who each copy was most likely taken from)
 * and each copy's figures, credit and evidence. Everything before the
 * sections needs every cluster, so sections are staged in a temporary file
 * (or, split, written to a page of their own each) while the rest
 * accumulates. Sections are rendered lazily by the browser
 * (content-visibility), and a split report keeps the first page small: a
 * browser opens the contents of 20,000 copies at once, where one 85 MB page
 * took minutes.
 */
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
    int64_t *times; /* copies' published dates, known ones only */
    size_t ntimes, tcap;
    int64_t first, last; /* RP_TIME_UNKNOWN if none */
} site_agg;

/* One original, for the contents. */
typedef struct toc_ent {
    int64_t cluster;
    char *title, *site, *published, *sites; /* sites: copying sites, space-separated */
    size_t copies, uncredited;
} toc_ent;

/* Delay classes of the delay picture, in hours (upper bounds). */
static const struct {
    double upto;
    const char *label;
} delay_bins[] = {{1, "under 1 h"},  {3, "1-3 h"},       {6, "3-6 h"},
                  {12, "6-12 h"},    {24, "12-24 h"},    {48, "1-2 days"},
                  {168, "2-7 days"}, {720, "1-4 weeks"}, {1e300, "over 4 weeks"}};
#define NBINS (sizeof delay_bins / sizeof *delay_bins)

struct html_state {
    FILE *body; /* staged per-original sections (single page) */
    rp_buf b;
    site_agg *sites;
    size_t nsites, cap;
    toc_ent *toc;
    size_t ntoc, toccap;
    uint64_t bins[NBINS], before, undated;
    const rp_report_opts *o;
    char *errpath; /* a page that could not be written */
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

/* A site as one token of a data-sites attribute (spaces separate them). */
static rp_err site_token(rp_buf *b, const char *s)
{
    if (!s || !*s) return lit(b, "(none)");
    rp_err e = RP_OK;
    for (const char *p = s; !e && *p; p++)
        e = *p == ' ' ? lit(b, "%20") : rp_report_html_escape(b, p, 1);
    return e;
}

/* s as one shell word, escaped for HTML: quoted when it holds anything
 * but letters, digits and ._/:@%+=,- (ids are URLs and paths). */
static rp_err shell_word(rp_buf *b, const char *s)
{
    if (!s || !*s) return lit(b, "''");
    size_t n = strlen(s);
    if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._/:@%+=,-") ==
            n &&
        s[0] != '-')
        return rp_report_html_escape(b, s, n);
    rp_err e = lit(b, "&#39;");
    for (const char *p = s; !e && *p; p++)
        e = *p == '\'' ? lit(b, "&#39;\\&#39;&#39;") : rp_report_html_escape(b, p, 1);
    return e ? e : lit(b, "&#39;");
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
    return rp_buf_printf(b, "%.0f%%", report_round(x * 100.0, 0));
}

/* Hours and days: "30.5 h (1.3 days)". */
static rp_err delay(rp_buf *b, const rp_article *o, const rp_article *c)
{
    int has;
    double h = report_delay_hours(o, c, &has);
    if (!has) return esc(b, NULL);
    double d = report_round(h / 24.0, 1);
    rp_err e = rp_buf_printf(b, "%.1f h (%.1f day%s)", report_round(h, 1), d, d == 1.0 ? "" : "s");
    if (!e && h < 0) e = lit(b, " (copy dated before the original)");
    return e;
}

static rp_err flush(html_state *h, FILE *to)
{
    size_t n = h->b.len;
    h->b.len = 0;
    return fwrite(h->b.data, 1, n, to) == n ? RP_OK : RP_IO;
}

/* The href of an original's section: "#c7", or "<pages_href>c7.html". */
static rp_err section_href(html_state *h, rp_buf *b, int64_t cluster)
{
    if (!h->o->pages_dir) return rp_buf_printf(b, "#c%lld", (long long)cluster);
    rp_err e = h->o->pages_href ? esc(b, h->o->pages_href) : RP_OK;
    return e ? e : rp_buf_printf(b, "c%lld.html", (long long)cluster);
}

/* ---- per-site and per-original figures ---- */

static int site_cmp(const void *key, const void *elt)
{
    return strcmp(key, ((const site_agg *)elt)->site);
}

static site_agg *site_get(html_state *h, const char *site)
{
    site_agg *a = h->nsites ? bsearch(site, h->sites, h->nsites, sizeof *h->sites, site_cmp) : NULL;
    if (a) return a;
    if (rp_grow(&h->sites, &h->cap, h->nsites + 1, sizeof *h->sites)) return NULL;
    size_t at = 0;
    while (at < h->nsites && strcmp(h->sites[at].site, site) < 0)
        at++;
    char *dup = strdup(site);
    if (!dup) return NULL;
    memmove(h->sites + at + 1, h->sites + at, (h->nsites - at) * sizeof *h->sites);
    h->nsites++;
    a = &h->sites[at];
    memset(a, 0, sizeof *a);
    a->site = dup;
    a->last_cluster = -1;
    a->first = a->last = RP_TIME_UNKNOWN;
    return a;
}

static rp_err site_add(html_state *h, const rcluster *c, const rcopy *k)
{
    site_agg *a = site_get(h, k->art.site ? k->art.site : "");
    if (!a) return RP_NOMEM;
    if (rp_grow(&a->shares, &a->cap, a->nshares + 1, sizeof *a->shares)) return RP_NOMEM;
    a->shares[a->nshares++] = k->m.coverage_a;
    a->copies++;
    a->credited += k->credited != 0;
    if (a->last_cluster != c->id) a->stories++;
    a->last_cluster = c->id;
    int64_t t = k->art.published_epoch;
    if (t != RP_TIME_UNKNOWN) {
        if (a->first == RP_TIME_UNKNOWN || t < a->first) a->first = t;
        if (a->last == RP_TIME_UNKNOWN || t > a->last) a->last = t;
        if (rp_grow(&a->times, &a->tcap, a->ntimes + 1, sizeof *a->times)) return RP_NOMEM;
        a->times[a->ntimes++] = t;
    }
    int has;
    double d = report_delay_hours(&c->orig, &k->art, &has);
    if (!has) {
        h->undated++;
    } else if (d < 0) {
        h->before++;
    } else {
        size_t i = 0;
        while (i + 1 < NBINS && d >= delay_bins[i].upto)
            i++;
        h->bins[i]++;
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

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

static rp_err toc_add(html_state *h, const rcluster *c, size_t unc)
{
    if (rp_grow(&h->toc, &h->toccap, h->ntoc + 1, sizeof *h->toc)) return RP_NOMEM;
    toc_ent *t = &h->toc[h->ntoc];
    memset(t, 0, sizeof *t);
    char pb[32];
    const char *pub = report_published(&c->orig, pb, sizeof pb);
    rp_buf s = {0};
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < c->n; i++) {
        const char *site = c->copies[i].art.site;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) {
            const char *o = c->copies[j].art.site;
            seen = (o && site && !strcmp(o, site)) || (!o && !site);
        }
        if (seen) continue;
        if (s.len) e = lit(&s, " ");
        if (!e) e = site_token(&s, site);
    }
    if (!e) e = rp_buf_appendc(&s, '\0');
    t->cluster = c->id;
    t->copies = c->n;
    t->uncredited = unc;
    t->title = dup_or_null(c->orig.title);
    t->site = dup_or_null(c->orig.site);
    t->published = dup_or_null(pub);
    t->sites = s.data; /* owned now */
    h->ntoc++;
    if (e) return e;
    if ((c->orig.title && !t->title) || (c->orig.site && !t->site) || (pub && !t->published))
        return RP_NOMEM;
    return RP_OK;
}

/* ---- one original ---- */

rp_err report_html_begin(html_state **out, const rp_report_opts *o)
{
    html_state *h = calloc(1, sizeof *h);
    if (!h) return RP_NOMEM;
    h->o = o;
    if (!o->pages_dir) {
        h->body = tmpfile();
        if (!h->body) {
            free(h);
            return RP_IO;
        }
    }
    *out = h;
    return RP_OK;
}

/* The credit as found: the words around it, the name in <strong>. */
static rp_err credit_quote(rp_buf *b, const rcopy *k)
{
    const rp_credit *c = &k->credit;
    const char *t = NULL;
    size_t n = 0;
    const char *where = "";
    switch (c->field) {
    case RP_CREDIT_TEXT:
        t = k->art.text, n = k->art.text_len, where = "in the text";
        break;
    case RP_CREDIT_TITLE:
        t = k->art.title, n = t ? strlen(t) : 0, where = "in the title";
        break;
    case RP_CREDIT_AUTHOR:
        t = k->art.author, n = t ? strlen(t) : 0, where = "in the byline";
        break;
    default:
        return RP_OK;
    }
    if (!t || c->end > n || c->start >= c->end) return RP_OK;
    /* About 60 bytes either side, widened to whole words (so never inside a
     * UTF-8 character)... */
    size_t s = c->start > 60 ? c->start - 60 : 0, e2 = c->end + 60 < n ? c->end + 60 : n;
    while (s > 0 && s < c->start && t[s - 1] != ' ' && t[s - 1] != '\n')
        s--;
    while (e2 < n && t[e2] != ' ' && t[e2] != '\n')
        e2++;
    /* ...and within the credit's own line (a dateline, a byline). */
    for (size_t i = c->start; i > s; i--)
        if (t[i - 1] == '\n') {
            s = i;
            break;
        }
    for (size_t i = c->end; i < e2; i++)
        if (t[i] == '\n') {
            e2 = i;
            break;
        }
    rp_err e = rp_buf_printf(b, "%s: &ldquo;%s", where, s > 0 ? "&hellip;" : "");
    if (!e) e = rp_report_html_escape(b, t + s, c->start - s);
    if (!e) e = lit(b, "<strong class=\"credit\">");
    if (!e) e = rp_report_html_escape(b, t + c->start, c->end - c->start);
    if (!e) e = lit(b, "</strong>");
    if (!e) e = rp_report_html_escape(b, t + c->end, e2 - c->end);
    return e ? e : rp_buf_printf(b, "%s&rdquo;", e2 < n ? "&hellip;" : "");
}

/* "Original (site)": a column heading, escaped. */
static rp_err heading(rp_buf *out, const char *what, const rp_article *a)
{
    rp_err e = lit(out, what);
    if (!e) e = lit(out, " &mdash; ");
    if (!e) e = esc(out, a->site);
    if (!e && a->title) {
        e = lit(out, ": ");
        if (!e) e = esc(out, a->title);
    }
    return e;
}

static rp_err copy_section(html_state *h, FILE *to, const rcluster *c, size_t i)
{
    const rcopy *k = &c->copies[i];
    const rp_article *o = &c->orig;
    rp_buf *b = &h->b;
    rp_err e = rp_buf_printf(b, "<article class=\"copy %s\" id=\"c%lld-%zu\" data-sites=\"",
                             k->credited ? "credited" : "uncredited", (long long)c->id, i + 1);
    if (!e) e = site_token(b, k->art.site);
    if (!e) e = rp_buf_printf(b, "\">\n<h3>Copy %zu of %zu: ", i + 1, c->n);
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
    /* The language each text was read by (stored at indexing; an index
     * older than languages stores none). */
    if (!e) e = lit(b, "</td></tr>\n<tr><th>Language</th><td>");
    if (!e) e = esc(b, k->art.lang ? k->art.lang : "not stored");
    if (!e) e = lit(b, " (original: ");
    if (!e) e = esc(b, o->lang ? o->lang : "not stored");
    if (!e) e = lit(b, ")");
    if (!e)
        e = rp_buf_printf(b,
                          "</td></tr>\n<tr><th>Reuse score</th><td>%.2f</td></tr>\n"
                          "<tr><th>Share of the original copied</th><td>",
                          report_round(k->m.score, 2));
    if (!e) e = pct(b, k->m.coverage_a);
    if (!e)
        e = rp_buf_printf(b,
                          "</td></tr>\n<tr><th>Words copied</th><td>%zu</td></tr>\n"
                          "<tr><th>Shared passages</th><td>%zu</td></tr>\n"
                          "<tr><th>Credits the original</th><td>%s",
                          k->m.words_copied, k->m.npassages, k->credited ? "yes" : "no");
    if (!e && k->credit.field) {
        e = lit(b, ", ");
        if (!e) e = credit_quote(b, k);
    } else if (!e && k->credited) {
        e = lit(b, " (the copy is on the original's own site)");
    }
    if (!e) e = lit(b, "</td></tr>\n");
    if (!e && k->source_id) {
        e = lit(b, "<tr><th>Probably taken from</th><td>");
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
    if (!e) {
        e = lit(b, "<tr><th>The same figures from the command line</th><td><code>reprint "
                   "compare --db DB ");
        if (!e) e = shell_word(b, left->id);
        if (!e) e = lit(b, " ");
        if (!e) e = shell_word(b, k->art.id);
        if (!e) e = lit(b, "</code></td></tr>\n</table>\n");
    }
    if (!e) e = flush(h, to);
    rp_buf ha = {0}, hb = {0};
    char idp[64];
    snprintf(idp, sizeof idp, "c%lld-%zu", (long long)c->id, i + 1);
    if (!e) e = heading(&ha, left == o ? "Original" : "Source", left);
    if (!e) e = heading(&hb, "Copy", &k->art);
    if (!e) e = rp_buf_appendc(&ha, '\0');
    if (!e) e = rp_buf_appendc(&hb, '\0');
    if (!e)
        e = report_html_pair(b, left->text, left->text ? left->text_len : 0, k->art.text,
                             k->art.text ? k->art.text_len : 0, &k->m, idp, ha.data, hb.data);
    rp_buf_free(&ha);
    rp_buf_free(&hb);
    if (!e) e = lit(b, "</article>\n");
    return e ? e : flush(h, to);
}

/* The copy-of-copy tree below node (-1: the original): each copy under the
 * member it was most likely taken from. */
static rp_err tree(rp_buf *b, const rcluster *c, int64_t parent, int depth, unsigned char *done)
{
    int any = 0;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < c->n; i++) {
        const rcopy *k = &c->copies[i];
        int64_t src = k->source;
        int under_orig = 1;
        for (size_t x = 0; x < c->n; x++)
            if (x != i && src && c->copies[x].rowid == src) under_orig = 0;
        if (done[i] || (parent < 0 ? !under_orig : src != parent)) continue;
        done[i] = 1;
        if (!any) e = lit(b, "<ul>");
        any = 1;
        if (!e) e = rp_buf_printf(b, "<li><a href=\"#c%lld-%zu\">", (long long)c->id, i + 1);
        if (!e) e = esc(b, k->art.site);
        if (!e) e = lit(b, "</a>: ");
        if (!e) e = esc(b, k->art.title);
        if (!e)
            e = rp_buf_printf(b, " <span class=\"fig\">(score %.2f, ", report_round(k->m.score, 2));
        if (!e) e = delay(b, &c->orig, &k->art);
        if (!e) e = lit(b, k->credited ? ", credited)</span>" : ", no credit)</span>");
        if (!e && depth < 64) e = tree(b, c, k->rowid, depth + 1, done);
        if (!e) e = lit(b, "</li>");
    }
    if (!e && any) e = lit(b, "</ul>");
    return e;
}

static rp_err page_head(rp_buf *b, const char *title, int script);
static const char page_tail[] = "</body>\n</html>\n";

rp_err report_html_cluster(html_state *h, const rcluster *c)
{
    const rp_article *o = &c->orig;
    rp_buf *b = &h->b;
    size_t unc = 0;
    rp_err e = RP_OK;
    FILE *to = h->body;
    char *path = NULL;
    for (size_t i = 0; !e && i < c->n; i++) {
        unc += !c->copies[i].credited;
        e = site_add(h, c, &c->copies[i]);
    }
    if (!e) e = toc_add(h, c, unc);
    if (e) return e;
    if (h->o->pages_dir) {
        size_t n = strlen(h->o->pages_dir) + 40;
        if (!(path = malloc(n))) return RP_NOMEM;
        snprintf(path, n, "%s/c%lld.html", h->o->pages_dir, (long long)c->id);
        if (!(to = fopen(path, "w"))) {
            free(h->errpath);
            h->errpath = path;
            return RP_IO;
        }
        e = page_head(b, o->title ? o->title : "an original", 0);
        if (!e && h->o->index_href) {
            e = lit(b, "<p class=\"back\"><a href=\"");
            if (!e) e = esc(b, h->o->index_href);
            if (!e) e = lit(b, "\">&larr; Back to the report&rsquo;s contents</a></p>\n");
        }
    }
    if (!e)
        e = rp_buf_printf(b, "<section class=\"original\" id=\"c%lld\" data-sites=\"",
                          (long long)c->id);
    if (!e) e = lit(b, h->ntoc ? h->toc[h->ntoc - 1].sites : "");
    if (!e) e = lit(b, "\">\n<h2>");
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
        e = rp_buf_printf(
            b,
            "</td></tr>\n<tr><th>Cluster</th><td>%lld</td></tr>\n"
            "<tr><th>Copies</th><td>%zu, of which %zu without credit</td></tr>\n"
            "</table>\n<table class=\"list\">\n<thead><tr><th>#</th><th>Copying site</th>"
            "<th>Title</th><th>Published</th><th>Delay</th><th>Score</th>"
            "<th>Share copied</th><th>Words copied</th><th>Credited</th></tr></thead>"
            "\n<tbody>\n",
            (long long)c->id, c->n, unc);
    for (size_t i = 0; !e && i < c->n; i++) {
        const rcopy *k = &c->copies[i];
        e = rp_buf_printf(b, "<tr class=\"%s\" data-sites=\"",
                          k->credited ? "credited" : "uncredited");
        if (!e) e = site_token(b, k->art.site);
        if (!e)
            e = rp_buf_printf(b, "\"><td><a href=\"#c%lld-%zu\">%zu</a></td><td>", (long long)c->id,
                              i + 1, i + 1);
        if (!e) e = esc(b, k->art.site);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = esc(b, k->art.title);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = date(b, &k->art);
        if (!e) e = lit(b, "</td><td>");
        if (!e) e = delay(b, o, &k->art);
        if (!e) e = rp_buf_printf(b, "</td><td>%.2f</td><td>", report_round(k->m.score, 2));
        if (!e) e = pct(b, k->m.coverage_a);
        if (!e)
            e = rp_buf_printf(b, "</td><td>%zu</td>%s</tr>\n", k->m.words_copied,
                              k->credited ? "<td>yes</td>" : "<td class=\"no\">no</td>");
    }
    if (!e)
        e = lit(b, "</tbody></table>\n<div class=\"tree\"><h4>Who took it from whom</h4>"
                   "<p class=\"note\">Each copy under the article it was most likely taken "
                   "from: the original, or an earlier copy it matches best.</p>\n<ul><li>");
    if (!e) e = lit(b, "<strong>Original</strong>: ");
    if (!e) e = esc(b, o->site);
    if (!e) e = lit(b, ": ");
    if (!e) e = esc(b, o->title);
    unsigned char *done = c->n ? calloc(c->n, 1) : NULL;
    if (!e && c->n && !done) e = RP_NOMEM;
    if (!e) e = tree(b, c, -1, 0, done);
    /* Anything a broken source chain left out still gets a place. */
    for (size_t i = 0; !e && i < c->n; i++)
        if (!done[i]) e = tree(b, c, c->copies[i].source, 0, done);
    free(done);
    if (!e) e = lit(b, "</li></ul></div>\n");
    if (!e) e = lit(b, report_pair_legend);
    if (!e) e = flush(h, to);
    for (size_t i = 0; !e && i < c->n; i++)
        e = copy_section(h, to, c, i);
    if (!e) e = lit(b, "</section>\n");
    if (!e && path) e = lit(b, page_tail);
    if (!e) e = flush(h, to);
    if (path) {
        if (fclose(to) != 0 && !e) e = RP_IO;
        if (e == RP_IO) {
            free(h->errpath);
            h->errpath = path;
            path = NULL;
        }
        free(path);
    }
    return e;
}

/* ---- the page ---- */

static const char css[] =
    "body{font:15px/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;color:#111;"
    "margin:0 auto;max-width:1400px;padding:1em 2em}\n"
    "h1{font-size:1.7em;margin:.2em 0}h2{font-size:1.35em;margin-top:1.6em;"
    "border-bottom:2px solid #333}h3{font-size:1.1em;margin-top:1.5em}h4{margin:.8em 0 .3em}\n"
    "table{border-collapse:collapse;margin:.6em 0}th,td{border:1px solid #bbb;padding:.25em .5em;"
    "text-align:left;vertical-align:top}thead th{background:#eee}\n"
    "table.figures th{background:#f4f4f4;font-weight:600;width:14em}\n"
    "td{overflow-wrap:anywhere}td.no{color:#a00;font-weight:700}\n"
    ".unknown{color:#777;font-style:italic}.note,.fig{color:#555;font-size:.9em}\n"
    ".badge{font-size:.8em;padding:.1em .5em;border-radius:.8em;border:1px solid}"
    ".badge.no{color:#a00;border-color:#a00}.badge.yes{color:#060;border-color:#060}\n"
    "strong.credit{background:#d8f5d0;border-bottom:2px solid #2a7a1f}\n"
    "article.copy{border-top:1px dashed #999;margin-top:1.2em}\n"
    "section.original{content-visibility:auto;contain-intrinsic-size:auto 3000px}\n"
    ".legend,.howto{background:#f7f7f7;border-left:4px solid #999;padding:.5em 1em}\n"
    "dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}"
    "dl.meta dt{font-weight:600}dl.meta dd{margin:0}\n"
    "nav.toc ol{padding-left:3em}nav.toc ol.part{content-visibility:auto;"
    "contain-intrinsic-size:auto 2400px;margin:0}\n"
    ".tree ul{list-style:none;padding-left:1.2em;border-left:1px solid #bbb;margin:.2em 0}\n"
    ".tree>ul{border-left:none;padding-left:0}\n"
    ".filter{background:#eef4ff;border:1px solid #9ab;padding:.4em .8em}\n"
    "[hidden]{display:none!important}\n"
    "figure{margin:1em 0}figcaption{font-weight:600;margin-bottom:.3em}\n"
    "svg text{font:11px sans-serif;fill:#222}svg .bar{fill:#4a78b5}svg .bar.before{fill:#b5531f}"
    "svg .bar.undated{fill:#999}svg .axis{stroke:#888;stroke-width:1}\n"
    "@media print{body{font-size:10pt;max-width:none;padding:0}"
    "section.original{break-before:page;page-break-before:always;content-visibility:visible}"
    "h2,h3,h4{break-after:avoid;page-break-after:avoid}tr{break-inside:avoid}"
    ".filter,.back{display:none}"
    "mark,.badge,thead th,svg .bar,strong.credit{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}a{color:inherit;text-decoration:none}}\n";

/* The one script of the report (its hash is in RP_REPORT_SCRIPT_HASH; the
 * CLI test checks that they agree): show only what concerns one copying
 * site. Every element with data-sites lists the copying sites it concerns.
 * A link to "report.html#site=SITE" opens the report filtered. */
static const char script[] =
    "(function(){var f=document.getElementById('site-filter');if(!f)return;"
    "document.getElementById('filter').hidden=false;"
    "var n=document.getElementById('filter-count');"
    "function apply(){var v=f.value,shown=0;"
    "document.querySelectorAll('[data-sites]').forEach(function(e){"
    "var ok=v===''||(' '+e.getAttribute('data-sites')+' ').indexOf(' '+v+' ')>=0;"
    "e.hidden=!ok;if(ok&&e.classList.contains('orig'))shown++;});"
    "n.textContent=v===''?'':shown+' original'+(shown===1?'':'s')+' copied by '+v;}"
    "f.addEventListener('change',function(){apply();"
    "history.replaceState(null,'',f.value?'#site='+encodeURIComponent(f.value):'#');});"
    "var m=/^#site=(.*)$/.exec(location.hash);"
    "if(m){f.value=decodeURIComponent(m[1]);if(f.value)apply();}})();";

static rp_err page_head(rp_buf *b, const char *title, int with_script)
{
    rp_err e = lit(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                      "<meta http-equiv=\"Content-Security-Policy\" content=\"");
    if (!e) e = lit(b, with_script ? RP_REPORT_HTML_CSP_SCRIPT : RP_REPORT_HTML_CSP);
    if (!e)
        e = lit(b, "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<meta "
                   "name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                   "<title>Reuse report: ");
    if (!e) e = esc(b, title);
    if (!e)
        e = rp_buf_printf(b, "</title>\n<style>\n%s%s</style>\n</head>\n<body>\n", css,
                          report_pair_css);
    return e;
}

static const char howto[] =
    "<section class=\"howto\">\n<h2>How to read this report</h2>\n"
    "<p>Each section below is one <em>original</em> story &mdash; the earliest published "
    "version of a text found in the index &mdash; followed by every <em>copy</em> of it "
    "found on other pages: rewritten, shortened or reprinted versions that share long "
    "passages with it. Copies that do not credit the original come first, then the rest "
    "by reuse score, highest first. For each copy the original and the copy are shown "
    "side by side, complete, passage by passage: each shared passage has a number and sits "
    "in one row with its counterpart.</p>\n<ul>\n"
    "<li><strong>Reuse score</strong> (0 to 1): the share of the shorter of the two texts "
    "that lies in passages shared with the other; words inside quotation marks are not "
    "counted, since quoting a source is not copying the story. Clustering links two "
    "articles when their score reaches the index's threshold. Scores are computed with "
    "what the index knows about each site's recurring boilerplate (menus, footers), which "
    "is left out; <code>reprint compare --db DB ORIGINAL COPY</code> gives the same "
    "figures.</li>\n"
    "<li><strong>Share of the original copied</strong>: the share of the original's words "
    "(outside quotation marks) that appear in the copy within shared passages.</li>\n"
    "<li><strong>Words copied</strong>: the number of such words, counted on the shorter "
    "text.</li>\n"
    "<li><strong>Delay</strong>: hours (and days) from the original's published date to the "
    "copy's, as the pages state them; unknown when either page states none.</li>\n"
    "<li><strong>Credited</strong>: &ldquo;yes&rdquo; when the copy names the original's "
    "agency in a dateline or byline (for example &ldquo;(Reuters)&rdquo;, &ldquo;By "
    "AFP&rdquo;, &ldquo;REUTERS/&rdquo;, &ldquo;(Northern Wire)&rdquo;), names a known "
    "agency in full, or mentions the original site's address; the words found are quoted "
    "with the copy. A &ldquo;no&rdquo; means no such credit was found in the text, title "
    "or byline as extracted; check the page itself before acting.</li>\n"
    "<li><strong>Who took it from whom</strong>: each copy is placed under the article it "
    "most likely came from &mdash; the original, or an earlier copy it matches best "
    "(copies of copies).</li>\n"
    "</ul>\n<p>The figures come from comparing the texts alone. They say nothing about "
    "licences: a copy may be covered by a syndication agreement.</p>\n</section>\n";

static rp_err head(rp_buf *b, const rp_report_opts *o, const rp_report_stats *st)
{
    char gen[32], since[32];
    rp_time_format(o->generated ? o->generated : (int64_t)time(NULL), gen, sizeof gen);
    rp_err e = page_head(b,
                         o->source_site   ? o->source_site
                         : o->original_id ? o->original_id
                                          : "all sites",
                         1);
    if (!e)
        e = lit(
            b, "<header>\n<h1>Reuse report</h1>\n<dl class=\"meta\">\n<dt>Originals from</dt><dd>");
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
        e = rp_buf_printf(
            b,
            "</dd>\n<dt>Generated</dt><dd>%s by reprint %s</dd>\n"
            "<dt>Found</dt><dd>%llu original%s, %llu cop%s, %llu without credit</dd>\n"
            "</dl>\n",
            gen, RP_VERSION, (unsigned long long)st->originals, st->originals == 1 ? "" : "s",
            (unsigned long long)st->copies, st->copies == 1 ? "y" : "ies",
            (unsigned long long)st->uncredited);
    if (!e && !st->stored_clusters)
        e = lit(b, "<p><strong>No clusters are stored in this database: run "
                   "<code>reprint cluster</code> first.</strong></p>\n");
    if (!e)
        e = lit(b, "<nav class=\"contents\"><strong>Contents</strong>: <a href=\"#howto\">How "
                   "to read</a> &middot; <a href=\"#sites\">Copying sites</a> &middot; <a "
                   "href=\"#pictures\">Pictures</a> &middot; <a href=\"#originals\">Originals "
                   "and their copies</a></nav>\n<div id=\"howto\">");
    if (!e) e = lit(b, howto);
    return e ? e : lit(b, "</div>\n</header>\n");
}

static rp_err filter(html_state *h, rp_buf *b)
{
    if (!h->nsites) return RP_OK;
    rp_err e = lit(b, "<p class=\"filter\" id=\"filter\" hidden><label>Show only the copies "
                      "of one site: <select id=\"site-filter\"><option value=\"\">all "
                      "sites</option>");
    /* alphabetical, before the summary sorts the sites its own way */
    for (size_t i = 0; !e && i < h->nsites; i++) {
        e = lit(b, "<option value=\"");
        if (!e) e = site_token(b, h->sites[i].site);
        if (!e) e = lit(b, "\">");
        if (!e) e = esc(b, h->sites[i].site);
        if (!e) e = rp_buf_printf(b, " (%llu)</option>", (unsigned long long)h->sites[i].copies);
    }
    return e ? e : lit(b, "</select></label> <span id=\"filter-count\"></span></p>\n");
}

static rp_err summary(html_state *h, rp_buf *b)
{
    rp_err e = lit(b, "<section class=\"summary\" id=\"sites\">\n<h2>Copying sites</h2>\n");
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
        e = lit(b, a->credited < a->copies ? "<tr class=\"uncredited\" data-sites=\""
                                           : "<tr data-sites=\"");
        if (!e) e = site_token(b, a->site);
        if (!e) e = lit(b, "\"><td>");
        if (!e) e = esc(b, a->site);
        if (!e)
            e = rp_buf_printf(b, "</td><td>%llu</td><td>%llu</td><td>",
                              (unsigned long long)a->stories, (unsigned long long)a->copies);
        if (!e) e = pct(b, median(a->shares, a->nshares));
        if (!e)
            e = rp_buf_printf(b, "</td><td>%llu of %llu (", (unsigned long long)a->credited,
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

/* ---- pictures (inline SVG) ---- */

#define MAX_SITE_ROWS 12

static const char *bucket_name(int64_t width)
{
    return width == 86400        ? "day"
           : width == 7 * 86400  ? "week"
           : width == 30 * 86400 ? "month"
                                 : "quarter";
}

/* Copies per site over time: one row of bars per site (the sites with the
 * most copies; the rest in one row), one bar per day, week, month or
 * quarter, whichever keeps the span within 60 bars. Sites are in summary
 * order (most uncredited first). */
static rp_err timeline(html_state *h, rp_buf *b)
{
    int64_t lo = RP_TIME_UNKNOWN, hi = RP_TIME_UNKNOWN;
    for (size_t i = 0; i < h->nsites; i++) {
        const site_agg *a = &h->sites[i];
        if (a->first == RP_TIME_UNKNOWN) continue;
        if (lo == RP_TIME_UNKNOWN || a->first < lo) lo = a->first;
        if (hi == RP_TIME_UNKNOWN || a->last > hi) hi = a->last;
    }
    rp_err e = lit(b, "<figure>\n<figcaption>Copies per site over time</figcaption>\n");
    if (!e && lo == RP_TIME_UNKNOWN)
        return lit(b, "<p>No copy states a published date.</p>\n</figure>\n");
    static const int64_t widths[] = {86400, 7 * 86400, 30 * 86400, 91 * 86400};
    int64_t w = widths[3];
    lo -= ((lo % 86400) + 86400) % 86400; /* midnight UTC */
    for (size_t i = 0; i < 4; i++)
        if ((hi - lo) / widths[i] < 60) {
            w = widths[i];
            break;
        }
    size_t nb = (size_t)((hi - lo) / w) + 1;
    if (nb > 400) nb = 400; /* over a century of quarters: the last bar takes the rest */
    size_t rows = h->nsites > MAX_SITE_ROWS ? MAX_SITE_ROWS + 1 : h->nsites;
    uint64_t *cnt = calloc(rows * nb, sizeof *cnt), max = 1;
    if (!cnt) return RP_NOMEM;
    for (size_t i = 0; i < h->nsites; i++) {
        size_t r = i < MAX_SITE_ROWS ? i : MAX_SITE_ROWS;
        for (size_t t = 0; t < h->sites[i].ntimes; t++) {
            size_t k = (size_t)((h->sites[i].times[t] - lo) / w);
            if (k >= nb) k = nb - 1;
            if (++cnt[r * nb + k] > max) max = cnt[r * nb + k];
        }
    }
    int barw = (int)(720 / nb);
    if (barw < 3) barw = 3;
    if (barw > 48) barw = 48;
    const int left = 190, rowh = 26, width = left + (int)nb * barw + 90;
    const int height = (int)rows * rowh + 34;
    char from[32], to[32];
    rp_time_format(lo, from, sizeof from);
    rp_time_format(lo + (int64_t)nb * w, to, sizeof to);
    from[10] = to[10] = '\0';
    e = rp_buf_printf(
        b,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
        "height=\"%d\" viewBox=\"0 0 %d %d\"><title>Copies per site and %s, from %s to "
        "%s</title>\n",
        width, height, width, height, bucket_name(w), from, to);
    for (size_t r = 0; !e && r < rows; r++) {
        int y = (int)r * rowh;
        uint64_t total = 0;
        for (size_t k = 0; k < nb; k++)
            total += cnt[r * nb + k];
        e = rp_buf_printf(b, "<text x=\"0\" y=\"%d\">", y + rowh - 8);
        if (!e && r < MAX_SITE_ROWS) {
            const char *s = h->sites[r].site;
            size_t n = strlen(s);
            e = rp_report_html_escape(b, s, n > 24 ? 24 : n);
            if (!e && n > 24) e = lit(b, "&hellip;");
        } else if (!e) {
            e = rp_buf_printf(b, "%zu other sites", h->nsites - MAX_SITE_ROWS);
        }
        if (!e) e = rp_buf_printf(b, " (%llu)</text>", (unsigned long long)total);
        if (!e)
            e = rp_buf_printf(b, "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                              left, y + rowh - 2, width - 90, y + rowh - 2);
        for (size_t k = 0; !e && k < nb; k++) {
            uint64_t c = cnt[r * nb + k];
            if (!c) continue;
            int bh = (int)(1 + (double)(rowh - 6) * (double)c / (double)max);
            char d[32];
            rp_time_format(lo + (int64_t)k * w, d, sizeof d);
            d[10] = '\0';
            e = rp_buf_printf(b,
                              "<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\">"
                              "<title>%llu cop%s in the %s from %s</title></rect>",
                              left + (int)k * barw, y + rowh - 2 - bh, barw - 1, bh,
                              (unsigned long long)c, c == 1 ? "y" : "ies", bucket_name(w), d);
        }
        if (!e) e = lit(b, "\n");
    }
    if (!e)
        e = rp_buf_printf(b,
                          "<text x=\"%d\" y=\"%d\">%s</text><text x=\"%d\" y=\"%d\" "
                          "text-anchor=\"end\">%s</text><text x=\"%d\" y=\"%d\">one bar per %s; "
                          "tallest: %llu</text>\n</svg>\n",
                          left, height - 18, from, width - 90, height - 18, to, left, height - 4,
                          bucket_name(w), (unsigned long long)max);
    free(cnt);
    return e ? e : lit(b, "</figure>\n");
}

/* How long after the original its copies appeared: one bar per class. */
static rp_err delays(html_state *h, rp_buf *b)
{
    uint64_t max = 1;
    for (size_t i = 0; i < NBINS; i++)
        if (h->bins[i] > max) max = h->bins[i];
    if (h->before > max) max = h->before;
    if (h->undated > max) max = h->undated;
    const int left = 150, rowh = 20, barmax = 500;
    const int rows = (int)NBINS + 2, width = left + barmax + 80, height = rows * rowh + 6;
    rp_err e =
        rp_buf_printf(b,
                      "<figure>\n<figcaption>Delay from the original to each copy</figcaption>\n"
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" width=\"%d\" "
                      "height=\"%d\" viewBox=\"0 0 %d %d\"><title>Copies by delay after the "
                      "original</title>\n",
                      width, height, width, height);
    for (int r = 0; !e && r < rows; r++) {
        uint64_t c = r < (int)NBINS ? h->bins[r] : r == (int)NBINS ? h->before : h->undated;
        const char *label = r < (int)NBINS    ? delay_bins[r].label
                            : r == (int)NBINS ? "dated before it"
                                              : "no date";
        const char *cls = r < (int)NBINS ? "bar" : r == (int)NBINS ? "bar before" : "bar undated";
        int y = r * rowh, bw = c ? (int)(1 + (double)(barmax - 1) * (double)c / (double)max) : 0;
        e = rp_buf_printf(b,
                          "<text x=\"0\" y=\"%d\">%s</text><rect class=\"%s\" x=\"%d\" y=\"%d\" "
                          "width=\"%d\" height=\"%d\"><title>%s: %llu</title></rect><text x=\"%d\" "
                          "y=\"%d\">%llu</text>\n",
                          y + rowh - 6, label, cls, left, y + 3, bw, rowh - 6, label,
                          (unsigned long long)c, left + bw + 4, y + rowh - 6,
                          (unsigned long long)c);
    }
    return e ? e : lit(b, "</svg>\n</figure>\n");
}

static rp_err contents(html_state *h, rp_buf *b)
{
    rp_err e =
        lit(b, "<nav class=\"toc\" id=\"originals\">\n<h2>Originals and their copies</h2>\n");
    if (!e && h->o->pages_dir)
        e = lit(b, "<p class=\"note\">Each original's copies and their evidence are on a page "
                   "of their own: follow its title.</p>\n");
    if (!e && !h->ntoc) e = lit(b, "<p>None.</p>\n");
    /* In parts of 100, each rendered only when scrolled to. */
    for (size_t i = 0; !e && i < h->ntoc; i++) {
        const toc_ent *t = &h->toc[i];
        if (i % 100 == 0)
            e = rp_buf_printf(b, "%s<ol class=\"part\" start=\"%zu\">\n", i ? "</ol>\n" : "",
                              i + 1);
        if (!e) e = lit(b, "<li class=\"orig\" data-sites=\"");
        if (!e) e = lit(b, t->sites ? t->sites : "");
        if (!e) e = lit(b, "\"><a href=\"");
        if (!e) e = section_href(h, b, t->cluster);
        if (!e) e = lit(b, "\">");
        if (!e) e = esc(b, t->title);
        if (!e) e = lit(b, "</a> <span class=\"fig\">");
        if (!e) e = esc(b, t->site);
        if (!e) e = lit(b, ", ");
        if (!e) e = esc(b, t->published);
        if (!e)
            e = rp_buf_printf(b, ": %zu cop%s, %zu without credit</span></li>\n", t->copies,
                              t->copies == 1 ? "y" : "ies", t->uncredited);
    }
    if (!e && h->ntoc) e = lit(b, "</ol>\n");
    return e ? e : lit(b, "</nav>\n");
}

rp_err report_html_end(html_state *h, FILE *out, const rp_report_opts *o, const rp_report_stats *st)
{
    rp_buf b = {0};
    rp_err e = head(&b, o, st);
    if (!e) e = filter(h, &b);
    if (!e) e = summary(h, &b);
    if (!e) e = lit(&b, "<section class=\"pictures\" id=\"pictures\">\n<h2>Pictures</h2>\n");
    if (!e) e = timeline(h, &b);
    if (!e) e = delays(h, &b);
    if (!e) e = lit(&b, "</section>\n");
    if (!e) e = contents(h, &b);
    if (!e && fwrite(b.data, 1, b.len, out) != b.len) e = RP_IO;
    rp_buf_free(&b);
    if (e) return e;
    if (h->body) {
        if (fflush(h->body) != 0 || fseek(h->body, 0, SEEK_SET) != 0) return RP_IO;
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, h->body)) > 0)
            if (fwrite(chunk, 1, n, out) != n) return RP_IO;
        if (ferror(h->body)) return RP_IO;
    }
    static const char tail[] = "<footer><p>End of report.</p></footer>\n<script>";
    if (fwrite(tail, 1, sizeof tail - 1, out) != sizeof tail - 1) return RP_IO;
    if (fwrite(script, 1, sizeof script - 1, out) != sizeof script - 1) return RP_IO;
    static const char end[] = "</script>\n</body>\n</html>\n";
    return fwrite(end, 1, sizeof end - 1, out) == sizeof end - 1 ? RP_OK : RP_IO;
}

const char *report_html_errpath(const html_state *h)
{
    return h ? h->errpath : NULL;
}

void report_html_free(html_state *h)
{
    if (!h) return;
    if (h->body) fclose(h->body);
    rp_buf_free(&h->b);
    for (size_t i = 0; i < h->nsites; i++) {
        free(h->sites[i].site);
        free(h->sites[i].shares);
        free(h->sites[i].times);
    }
    free(h->sites);
    for (size_t i = 0; i < h->ntoc; i++) {
        free(h->toc[i].title);
        free(h->toc[i].site);
        free(h->toc[i].published);
        free(h->toc[i].sites);
    }
    free(h->toc);
    free(h->errpath);
    free(h);
}
