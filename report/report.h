/*
 * report.h: what the report writers share (not public).
 *
 * report.c walks the stored clusters and, for one cluster at a time, loads
 * the original and its copies, verifies each copy against the original and
 * sorts the copies (uncredited first, then by score). The writers (JSON in
 * report.c, csv.c, html.c) only format one such cluster.
 */
#ifndef RP_REPORT_INT_H
#define RP_REPORT_INT_H

#include "reprint.h"

/* One copy, with its figures against the cluster's original. */
typedef struct rcopy {
    rp_article art; /* the copy as stored (text kept for HTML) */
    rp_match m;     /* a = the original, b = this copy */
    int verified;   /* 0: verification failed, figures are zero */
    int credited;
    int64_t rowid;
    int64_t source;        /* rowid of its recorded source: the original or another copy */
    const char *source_id; /* id of that source when it is another copy (borrowed) */
    /* Rowid of the copy m was measured against, when this copy does not
     * reach the threshold against the original but does against its
     * recorded source; 0: m is against the original. */
    int64_t via;
    rp_credit credit; /* where the credit was found (credit.kind 0: none) */
} rcopy;

typedef struct rcluster {
    int64_t id;
    int64_t orig_rowid;
    rp_article orig;
    rcopy *copies;
    size_t n;
} rcluster;

/* Figures shared by every format. */
const char *report_published(const rp_article *a, char *buf, size_t size);
/* Delay in hours of copy after original; 0 when unknown (see has). */
double report_delay_hours(const rp_article *orig, const rp_article *copy, int *has);
/* Round to the given number of decimals. */
double report_round(double x, int decimals);

/* ---- CSV (csv.c) ---- */
/* passages: two more columns, passages_source and passages (see csv.c). */
rp_err report_csv_header(FILE *out, int passages);
rp_err report_csv_cluster(FILE *out, const rcluster *c, int passages);
/* The id of the text a copy's passage offsets point into on the source
 * side: the original's, or the copy's it was measured against. */
const char *report_passages_source(const rcluster *c, const rcopy *k);

/* ---- HTML (html.c) ---- */
typedef struct html_state html_state;
rp_err report_html_begin(html_state **out, const rp_report_opts *o);
/* The page that could not be written (split reports), or NULL. */
const char *report_html_errpath(const html_state *h);
/* Add one cluster: its section goes to a staging file, its copies to the
 * per-site summary. */
rp_err report_html_cluster(html_state *h, const rcluster *c);
/* Write the whole page to out: header, summary, then the staged sections. */
rp_err report_html_end(html_state *h, FILE *out, const rp_report_opts *o,
                       const rp_report_stats *st);
void report_html_free(html_state *h);

/* The contents page's policy: RP_REPORT_HTML_CSP and its one script, by
 * the script's SHA-256 (tests/cli/report.sh recomputes it from the page). */
#define RP_REPORT_SCRIPT_HASH "sha256-+XLAeuq+vmUk8VEVM4FcSsJEKxZEf2N04SKDJsOrOzI="
#define RP_REPORT_HTML_CSP_SCRIPT RP_REPORT_HTML_CSP "; script-src '" RP_REPORT_SCRIPT_HASH "'"

/* The style rules of a pair table (pair.c), shared by every page. */
extern const char report_pair_css[];
/* The legend of a pair table's marks, one HTML paragraph. */
extern const char report_pair_legend[];
/* Texts ta and tb side by side as a table of rows in tb's order, one row
 * per passage of m (a = ta, b = tb) and one per stretch between passages;
 * marks carry data-n (passage number), data-s and data-e (byte range);
 * changed and added words of non-quoted passages in span.wc / span.wa.
 * idp prefixes the rows' ids ("<idp>-p<n>"); head_a and head_b are the
 * column headings, HTML already. */
rp_err report_html_pair(rp_buf *b, const char *ta, size_t la, const char *tb, size_t lb,
                        const rp_match *m, const char *idp, const char *head_a, const char *head_b);

#endif
