/*
 * pair.c: two texts side by side, passage by passage, as HTML.
 *
 * Both the report and `compare --html` show a pair this way, so the two
 * pages mark the same words. The texts are laid out as rows of a two-column
 * table in the copy's order: a row per shared passage (numbered, the same
 * number on both sides) with the stretches between passages in rows of
 * their own, so matching paragraphs stay side by side on screen and on
 * paper (a printed row is not split between pages when it fits on one).
 * A passage the copy took from earlier in the original (paragraphs moved
 * up) shows that part of the original again in its row, marked as such;
 * every byte of both texts appears in order otherwise.
 *
 * Every <mark> carries the passage number and the byte range of the text it
 * covers (data-n, data-s, data-e), so a test can check the marks against
 * compare --json. Inside a passage that is not a quotation, the words the
 * other side changed or added (rp_verify_words) are wrapped in spans of
 * their own; the words it kept are the mark's own colour.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/report.h"

typedef struct pspan {
    size_t s, e, n; /* byte range on this side, 1-based passage number */
    int quoted, rewritten;
    const rp_word_mark *w; /* word marks, offsets relative to s (NULL: none) */
    size_t nw;
} pspan;

typedef struct side {
    const char *text;
    size_t len;
    pspan *v; /* sorted by start */
    size_t n;
} side;

static int pspan_order(const void *pa, const void *pb)
{
    const pspan *a = pa, *b = pb;
    if (a->s != b->s) return a->s < b->s ? -1 : 1;
    if (a->e != b->e) return a->e > b->e ? -1 : 1;
    return a->n < b->n ? -1 : a->n > b->n;
}

static rp_err lit(rp_buf *b, const char *s)
{
    return rp_buf_append(b, s, strlen(s));
}

static rp_err num(rp_buf *b, const char *pre, size_t x, const char *post)
{
    char t[32];
    snprintf(t, sizeof t, "%zu", x);
    rp_err e = lit(b, pre);
    if (!e) e = lit(b, t);
    return e ? e : lit(b, post);
}

/* text[x, y) of one passage, with its changed and added words wrapped. */
static rp_err words(rp_buf *b, const side *sd, const pspan *p, size_t x, size_t y)
{
    size_t pos = x;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && p->w && i < p->nw; i++) {
        const rp_word_mark *w = &p->w[i];
        if (w->kind == RP_WORD_KEPT) continue;
        size_t s = p->s + w->start, t = p->s + w->end;
        if (s < pos) s = pos;
        if (t > y) t = y;
        if (s >= t) continue;
        e = rp_report_html_escape(b, sd->text + pos, s - pos);
        if (!e)
            e = lit(b, w->kind == RP_WORD_CHANGED ? "<span class=\"wc\" title=\"changed\">"
                                                  : "<span class=\"wa\" title=\"only here\">");
        if (!e) e = rp_report_html_escape(b, sd->text + s, t - s);
        if (!e) e = lit(b, "</span>");
        pos = t;
    }
    if (!e && pos < y) e = rp_report_html_escape(b, sd->text + pos, y - pos);
    return e;
}

/* text[s, t) of one side with the marks of every passage that touches it;
 * overlapping passages are cut where the previous one ends. */
static rp_err range(rp_buf *b, const side *sd, size_t s, size_t t)
{
    size_t pos = s;
    rp_err e = RP_OK;
    for (size_t i = 0; !e && i < sd->n; i++) {
        const pspan *p = &sd->v[i];
        if (p->s >= t) break;
        size_t x = p->s < pos ? pos : p->s, y = p->e < t ? p->e : t;
        if (x >= y) continue;
        e = rp_report_html_escape(b, sd->text + pos, x - pos);
        if (!e)
            e = lit(b, p->quoted      ? "<mark class=\"quoted\""
                       : p->rewritten ? "<mark class=\"rewritten\""
                                      : "<mark");
        if (!e) e = num(b, " data-n=\"", p->n, "\"");
        if (!e) e = num(b, " data-s=\"", x, "\"");
        if (!e) e = num(b, " data-e=\"", y, "\"");
        if (!e) e = num(b, " title=\"passage ", p->n, "");
        if (!e)
            e = lit(b, p->quoted ? ", quoted in both\">" : p->rewritten ? ", reworded\">" : "\">");
        if (!e) e = words(b, sd, p, x, y);
        if (!e) e = lit(b, "</mark>");
        pos = y;
    }
    if (!e && pos < t) e = rp_report_html_escape(b, sd->text + pos, t - pos);
    return e;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n' && s[i] != '\t' && s[i] != '\r') return 0;
    return 1;
}

static rp_err gap_row(rp_buf *b, const side *A, size_t as, size_t ae, const side *B, size_t bs,
                      size_t be)
{
    if (as > ae) as = ae;
    if (bs > be) bs = be;
    if (blank(A->text + as, ae - as) && blank(B->text + bs, be - bs)) return RP_OK;
    rp_err e = lit(b, "<tr class=\"gap\"><td class=\"text a\">");
    if (!e) e = range(b, A, as, ae);
    if (!e) e = lit(b, "</td><td class=\"text b\">");
    if (!e) e = range(b, B, bs, be);
    return e ? e : lit(b, "</td></tr>\n");
}

/* Past the punctuation that closes a passage ('.', '"', ')'), up to the
 * line's end: it stays in the passage's row instead of a row of its own. */
static size_t swallow(const char *t, size_t len, size_t pos)
{
    while (
        pos < len && t[pos] != '\n' && t[pos] != '\r' && (unsigned char)t[pos] < 0x80 &&
        !((t[pos] >= '0' && t[pos] <= '9') || ((t[pos] | 0x20) >= 'a' && (t[pos] | 0x20) <= 'z')))
        pos++;
    return pos;
}

typedef struct order {
    size_t bs, i;
} order;

static int order_cmp(const void *pa, const void *pb)
{
    const order *a = pa, *b = pb;
    if (a->bs != b->bs) return a->bs < b->bs ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

rp_err report_html_pair(rp_buf *b, const char *ta, size_t la, const char *tb, size_t lb,
                        const rp_match *m, const char *idp, const char *head_a, const char *head_b)
{
    size_t np = m->npassages;
    pspan *va = np ? calloc(np, sizeof *va) : NULL, *vb = np ? calloc(np, sizeof *vb) : NULL;
    rp_word_mark **wa = np ? calloc(np, sizeof *wa) : NULL,
                 **wb = np ? calloc(np, sizeof *wb) : NULL;
    order *ord = np ? calloc(np, sizeof *ord) : NULL;
    rp_err e = RP_OK;
    if (!ta) ta = "", la = 0;
    if (!tb) tb = "", lb = 0;
    if (np && (!va || !vb || !wa || !wb || !ord)) {
        e = RP_NOMEM;
        goto out;
    }
    side A = {ta, la, va, 0}, B = {tb, lb, vb, 0};
    size_t nord = 0;
    for (size_t i = 0; i < np; i++) {
        const rp_passage *p = &m->passages[i];
        size_t as = p->a_start, ae = p->a_end < la ? p->a_end : la;
        size_t bs = p->b_start, be = p->b_end < lb ? p->b_end : lb;
        if (as >= ae || bs >= be) continue;
        size_t nwa = 0, nwb = 0;
        if (!p->quoted &&
            (e = rp_verify_words(ta + as, ae - as, tb + bs, be - bs, &wa[i], &nwa, &wb[i], &nwb)))
            goto out;
        va[A.n++] = (pspan){as, ae, i + 1, p->quoted, p->rewritten, wa[i], nwa};
        vb[B.n++] = (pspan){bs, be, i + 1, p->quoted, p->rewritten, wb[i], nwb};
        ord[nord++] = (order){bs, i};
    }
    if (A.n > 1) qsort(A.v, A.n, sizeof *A.v, pspan_order);
    if (B.n > 1) qsort(B.v, B.n, sizeof *B.v, pspan_order);
    if (nord > 1) qsort(ord, nord, sizeof *ord, order_cmp);

    e = lit(b, "<table class=\"pair\">\n<colgroup><col class=\"a\"><col class=\"b\"></colgroup>\n"
               "<thead><tr><th>");
    if (!e) e = lit(b, head_a);
    if (!e) e = lit(b, "</th><th>");
    if (!e) e = lit(b, head_b);
    if (!e) e = lit(b, "</th></tr></thead>\n<tbody>\n");
    size_t pa = 0, pb = 0;
    for (size_t k = 0; !e && k < nord; k++) {
        const rp_passage *p = &m->passages[ord[k].i];
        size_t n = ord[k].i + 1;
        size_t as = p->a_start, ae = p->a_end < la ? p->a_end : la;
        size_t bs = p->b_start < pb ? pb : p->b_start, be = p->b_end < lb ? p->b_end : lb;
        int moved = as < pa;
        if (bs >= be && !moved && as >= ae) continue;
        e = gap_row(b, &A, pa, moved ? pa : as, &B, pb, bs);
        if (!e) e = lit(b, "<tr class=\"match\" id=\"");
        if (!e) e = rp_report_html_escape(b, idp, strlen(idp));
        if (!e) e = num(b, "-p", n, "\"><td class=\"text a\">");
        if (!e) e = num(b, "<span class=\"pn\">", n, "</span>");
        if (!e && moved) e = lit(b, "<span class=\"moved\">(from earlier in the original)</span> ");
        if (!moved) ae = swallow(ta, la, ae);
        be = swallow(tb, lb, be);
        if (!e) e = range(b, &A, as, ae);
        if (!e) e = num(b, "</td><td class=\"text b\"><span class=\"pn\">", n, "</span>");
        if (!e) e = range(b, &B, bs, be);
        if (!e) e = lit(b, "</td></tr>\n");
        if (ae > pa) pa = ae;
        if (be > pb) pb = be;
    }
    if (!e) e = gap_row(b, &A, pa, la, &B, pb, lb);
    if (!e) e = lit(b, "</tbody></table>\n");
out:
    for (size_t i = 0; wa && i < np; i++)
        free(wa[i]);
    for (size_t i = 0; wb && i < np; i++)
        free(wb[i]);
    free(wa);
    free(wb);
    free(va);
    free(vb);
    free(ord);
    return e;
}

const char report_pair_css[] =
    "table.pair{width:100%;table-layout:fixed;border-collapse:collapse;margin:.6em 0}\n"
    "table.pair col{width:50%}table.pair th{background:#eee;font-weight:600}\n"
    "table.pair td.text{white-space:pre-wrap;overflow-wrap:anywhere;vertical-align:top;"
    "font-family:Georgia,\"Times New Roman\",serif;background:#fcfcfc;padding:.4em .6em}\n"
    "table.pair tr.gap td{color:#444;background:#fff}\n"
    "table.pair tr.match td{border-top:2px solid #b58900}\n"
    "span.pn{float:left;font:700 11px sans-serif;color:#fff;background:#7a5c00;"
    "border-radius:.7em;padding:0 .45em;margin:0 .4em .1em 0}\n"
    "span.moved{font:italic 12px sans-serif;color:#7a3a10}\n"
    "mark{background:#ffe27a;border-bottom:2px solid #b58900;color:inherit}\n"
    "mark.quoted{background:#d6ebff;border-bottom:2px dotted #2a6fb0}\n"
    "mark.rewritten{background:#ffd9c4;border-bottom:2px dashed #b5531f}\n"
    "tr.gap mark[data-n]::before{content:attr(data-n);font:9px sans-serif;vertical-align:super;"
    "color:#555;margin-right:1px}\n"
    "span.wc{background:#fff;color:#9b1c1c;border:1px solid #c33;border-radius:2px;"
    "font-style:italic}\n"
    "span.wa{background:#fff;color:#11632c;border:1px dashed #2a8a4a;border-radius:2px;"
    "text-decoration:underline}\n"
    "@media print{table.pair thead{display:table-header-group}"
    "table.pair tr{break-inside:avoid;page-break-inside:avoid}"
    "mark,span.wc,span.wa,span.pn{-webkit-print-color-adjust:exact;print-color-adjust:exact}}\n";

const char report_pair_legend[] =
    "<p class=\"legend\">How the texts are shown: side by side, one row per shared passage "
    "(its number on both sides) and rows for the text between passages. "
    "<mark>copied passage</mark> text shared with the original; "
    "<mark class=\"quoted\">quoted passage</mark> shared text inside quotation "
    "marks in both (not counted in the figures, except sentences of the "
    "article's own prose inside it); "
    "<mark class=\"rewritten\">reworded passage</mark> sentences of the "
    "original rewritten in other words, matched by their content words, names and "
    "figures (counted). Inside a passage, the highlighted words are kept word for word; "
    "<span class=\"wc\">changed</span> words were replaced by others on the other side; "
    "<span class=\"wa\">only here</span> words have no counterpart on the other side "
    "(inserted by the copy, or left out of it).</p>\n";

/* ---- compare --html ---- */

static rp_err out_lit(FILE *f, const char *s)
{
    return fputs(s, f) == EOF ? RP_IO : RP_OK;
}

static rp_err out_buf(FILE *f, rp_buf *b)
{
    size_t n = b->len;
    b->len = 0;
    return fwrite(b->data, 1, n, f) == n ? RP_OK : RP_IO;
}

static rp_err esc_or(rp_buf *b, const char *s)
{
    if (!s || !*s) return lit(b, "<span class=\"unknown\">unknown</span>");
    return rp_report_html_escape(b, s, strlen(s));
}

/* One row of the compare page's table; lang is the language the text was
 * read by. */
static rp_err meta_rows(rp_buf *b, const char *label, const rp_article *a, const char *lang)
{
    char t[32];
    const char *pub = report_published(a, t, sizeof t);
    rp_err e = lit(b, "<tr><th>");
    if (!e) e = lit(b, label);
    if (!e) e = lit(b, "</th><td>");
    if (!e) e = esc_or(b, a->title);
    if (!e) e = lit(b, "</td><td>");
    if (!e) e = esc_or(b, a->site);
    if (!e) e = lit(b, "</td><td>");
    if (a->url && (!strncasecmp(a->url, "http://", 7) || !strncasecmp(a->url, "https://", 8))) {
        if (!e) e = lit(b, "<a rel=\"noopener noreferrer nofollow\" href=\"");
        if (!e) e = esc_or(b, a->url);
        if (!e) e = lit(b, "\">");
        if (!e) e = esc_or(b, a->url);
        if (!e) e = lit(b, "</a>");
    } else if (!e) {
        e = esc_or(b, a->url);
    }
    if (!e) e = lit(b, "</td><td>");
    if (!e) e = esc_or(b, pub);
    if (!e) e = lit(b, "</td><td>");
    if (!e) e = esc_or(b, a->id);
    if (!e) e = lit(b, "</td><td>");
    if (!e) e = esc_or(b, lang);
    return e ? e : lit(b, "</td></tr>\n");
}

rp_err rp_report_html_compare(FILE *out, const rp_compare_page *p)
{
    if (!out || !p || !p->a || !p->b || !p->m) return RP_ARG;
    const rp_match *m = p->m;
    rp_buf b = {0};
    size_t nq = 0, nr = 0;
    for (size_t i = 0; i < m->npassages; i++) {
        nq += m->passages[i].quoted != 0;
        nr += m->passages[i].rewritten && !m->passages[i].quoted;
    }
    int found = m->score >= p->threshold;
    rp_err e = lit(&b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                       "<meta http-equiv=\"Content-Security-Policy\" content=\"" RP_REPORT_HTML_CSP
                       "\">\n<meta name=\"referrer\" content=\"no-referrer\">\n<title>reprint "
                       "compare: ");
    if (!e) e = esc_or(&b, p->a->title ? p->a->title : p->label_a);
    if (!e) e = lit(&b, " / ");
    if (!e) e = esc_or(&b, p->b->title ? p->b->title : p->label_b);
    if (!e)
        e = lit(&b,
                "</title>\n<style>\n"
                "body{font:15px/1.5 system-ui,sans-serif;margin:1.5em;color:#222}\n"
                "table{border-collapse:collapse}th,td{border:1px solid #bbb;padding:.2em .5em;"
                "text-align:left;vertical-align:top}table.meta td{overflow-wrap:anywhere}\n"
                ".found{color:#a00;font-weight:bold}.unknown{color:#777;font-style:italic}\n"
                ".legend,.why{background:#f7f7f7;border-left:4px solid #999;padding:.5em 1em}\n");
    if (!e) e = lit(&b, report_pair_css);
    if (!e) e = lit(&b, "</style>\n</head>\n<body>\n<h1>reprint compare</h1>\n");
    if (!e)
        e = lit(&b, "<table class=\"meta\">\n<thead><tr><th></th><th>Title</th><th>Site</th>"
                    "<th>URL</th><th>Published</th><th>Id</th><th>Language</th></tr></thead>\n"
                    "<tbody>\n");
    if (!e) e = meta_rows(&b, "A", p->a, p->lang_a ? p->lang_a : p->a->lang);
    if (!e) e = meta_rows(&b, "B", p->b, p->lang_b ? p->lang_b : p->b->lang);
    if (!e) e = lit(&b, "</tbody></table>\n");
    if (!e)
        e = rp_buf_printf(&b,
                          "<p class=\"%s\">%s (reuse score %.4f, threshold %g)</p>\n"
                          "<table class=\"summary\">\n"
                          "<tr><th>score</th><td>%.4f</td></tr>\n"
                          "<tr><th>jaccard</th><td>%.4f</td></tr>\n"
                          "<tr><th>containment A in B</th><td>%.4f</td></tr>\n"
                          "<tr><th>containment B in A</th><td>%.4f</td></tr>\n"
                          "<tr><th>coverage A / B</th><td>%.4f / %.4f</td></tr>\n"
                          "<tr><th>words copied</th><td>%zu</td></tr>\n"
                          "<tr><th>passages</th><td>%zu (%zu quoted: <mark class=\"quoted\">like "
                          "this</mark>; %zu reworded: <mark class=\"rewritten\">like this</mark>)"
                          "</td></tr>\n</table>\n",
                          found ? "found" : "none", found ? "Reuse found" : "No reuse found",
                          m->score, p->threshold, m->score, m->jaccard, m->cont_a_in_b,
                          m->cont_b_in_a, m->coverage_a, m->coverage_b, m->words_copied,
                          m->npassages, nq, nr);
    if (!e && p->db_label) {
        e = lit(&b, "<p class=\"why\">Compared as the index compares them: each site's "
                    "recurring boilerplate known to the database ");
        if (!e) e = esc_or(&b, p->db_label);
        if (!e)
            e = lit(&b, " (menus, footers, related links) is left out, so these figures are "
                        "the ones <code>reprint report</code> and <code>reprint query</code> "
                        "give for this pair.</p>\n");
    } else if (!e) {
        e = lit(&b, "<p class=\"why\">Compared from the two texts alone. <code>reprint "
                    "report</code> knows, from its database, each site's recurring boilerplate "
                    "(menus, footers, related links) and leaves it out, so its score for the same "
                    "pair can be higher; <code>reprint compare --db DB</code> compares "
                    "the indexed articles that way and gives the report's figures.</p>\n");
    }
    if (!e) e = lit(&b, report_pair_legend);
    if (!e) e = out_buf(out, &b);
    rp_buf ha = {0}, hb = {0};
    if (!e) e = lit(&ha, "A: ");
    if (!e) e = esc_or(&ha, p->a->title ? p->a->title : p->label_a);
    if (!e) e = lit(&hb, "B: ");
    if (!e) e = esc_or(&hb, p->b->title ? p->b->title : p->label_b);
    if (!e) e = rp_buf_appendc(&ha, '\0');
    if (!e) e = rp_buf_appendc(&hb, '\0');
    if (!e)
        e = report_html_pair(&b, p->a->text, p->a->text ? p->a->text_len : 0, p->b->text,
                             p->b->text ? p->b->text_len : 0, m, "x", ha.data, hb.data);
    rp_buf_free(&ha);
    rp_buf_free(&hb);
    if (!e) e = out_buf(out, &b);
    if (!e) e = out_lit(out, "</body>\n</html>\n");
    rp_buf_free(&b);
    return e;
}
