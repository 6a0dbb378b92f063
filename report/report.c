/*
 * report.c: rights-enforcement reports over the stored clusters.
 *
 * A report answers, for each original: who copied it, how much, how soon,
 * and did they say where it came from. The stored clusters give the
 * membership; the figures are recomputed here by verifying every copy
 * against the ORIGINAL (not against its recorded source, which may be
 * another copy), because what a licensing desk needs is how much of the
 * agency's story each site carries. Work goes one cluster at a time, so
 * memory follows the largest cluster, not the database: load the original,
 * then each copy that passes the --since filter, verify it, decide credit,
 * sort (uncredited first, then by score), hand the cluster to the format's
 * writer, release it. JSON Lines rows are written here with jansson in the
 * contract's key order; CSV and HTML have files of their own.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "report/report.h"

rp_err rp_report_format_parse(const char *name, rp_report_format *out)
{
    static const struct {
        const char *name;
        rp_report_format f;
    } names[] = {{"html", RP_REPORT_HTML}, {"json", RP_REPORT_JSON}, {"csv", RP_REPORT_CSV}};
    if (!name) return RP_ARG;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(name, names[i].name)) {
            *out = names[i].f;
            return RP_OK;
        }
    return RP_ARG;
}

const char *report_published(const rp_article *a, char *buf, size_t size)
{
    if (a->published && *a->published) return a->published;
    if (a->published_epoch != RP_TIME_UNKNOWN && size >= 21) {
        rp_time_format(a->published_epoch, buf, size);
        return buf;
    }
    return NULL;
}

double report_delay_hours(const rp_article *orig, const rp_article *copy, int *has)
{
    *has = orig->published_epoch != RP_TIME_UNKNOWN && copy->published_epoch != RP_TIME_UNKNOWN;
    if (!*has) return 0.0;
    return (double)(copy->published_epoch - orig->published_epoch) / 3600.0;
}

double report_round(double x, int decimals)
{
    double f = pow(10.0, decimals);
    return isfinite(x) ? round(x * f) / f : 0.0;
}

static void rcluster_clear(rcluster *c)
{
    rp_article_clear(&c->orig);
    for (size_t i = 0; i < c->n; i++) {
        rp_article_clear(&c->copies[i].art);
        rp_match_clear(&c->copies[i].m);
    }
    free(c->copies);
    memset(c, 0, sizeof *c);
}

static int copy_order(const void *pa, const void *pb)
{
    const rcopy *a = pa, *b = pb;
    if (a->credited != b->credited) return a->credited - b->credited;
    if (a->m.score != b->m.score) return a->m.score > b->m.score ? -1 : 1;
    const char *ia = a->art.id ? a->art.id : "", *ib = b->art.id ? b->art.id : "";
    return strcmp(ia, ib);
}

/* ---- JSON Lines ---- */

static json_t *jstr(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    rp_buf b = {0};
    size_t fixed = 0;
    if (rp_utf8_repair(s, strlen(s), &b, &fixed) == RP_OK)
        j = json_stringn(b.data ? b.data : "", b.len);
    rp_buf_free(&b);
    return j ? j : json_null();
}

/* The id of the text a copy's passages point into on the source side:
 * the original's, or that of the copy it was measured against (via). */
const char *report_passages_source(const rcluster *c, const rcopy *k)
{
    return k->via && k->source_id ? k->source_id : c->orig.id;
}

static rp_err json_cluster(FILE *out, const rcluster *c, int passages)
{
    const rp_article *o = &c->orig;
    char ob[32], cb[32];
    for (size_t i = 0; i < c->n; i++) {
        const rcopy *k = &c->copies[i];
        int has;
        double delay = report_delay_hours(o, &k->art, &has);
        json_t *j = json_object();
        if (!j) return RP_NOMEM;
        json_object_set_new(j, "cluster", json_integer(c->id));
        json_object_set_new(j, "original", jstr(o->id));
        json_object_set_new(j, "original_url", jstr(o->url));
        json_object_set_new(j, "original_site", jstr(o->site));
        json_object_set_new(j, "original_title", jstr(o->title));
        json_object_set_new(j, "original_published", jstr(report_published(o, ob, sizeof ob)));
        json_object_set_new(j, "copy", jstr(k->art.id));
        json_object_set_new(j, "copy_url", jstr(k->art.url));
        json_object_set_new(j, "copy_site", jstr(k->art.site));
        json_object_set_new(j, "copy_title", jstr(k->art.title));
        json_object_set_new(j, "copy_published", jstr(report_published(&k->art, cb, sizeof cb)));
        json_object_set_new(j, "delay_hours",
                            has ? json_real(report_round(delay, 2)) : json_null());
        json_object_set_new(j, "score", json_real(report_round(k->m.score, 4)));
        json_object_set_new(j, "share_copied", json_real(report_round(k->m.coverage_a, 4)));
        json_object_set_new(j, "words_copied", json_integer((json_int_t)k->m.words_copied));
        json_object_set_new(j, "credited", json_boolean(k->credited));
        if (passages) {
            json_t *arr = json_array();
            json_object_set_new(j, "passages_source", jstr(report_passages_source(c, k)));
            for (size_t p = 0; p < k->m.npassages; p++) {
                const rp_passage *x = &k->m.passages[p];
                json_t *po = json_object();
                json_object_set_new(po, "source_start", json_integer((json_int_t)x->a_start));
                json_object_set_new(po, "source_end", json_integer((json_int_t)x->a_end));
                json_object_set_new(po, "copy_start", json_integer((json_int_t)x->b_start));
                json_object_set_new(po, "copy_end", json_integer((json_int_t)x->b_end));
                json_object_set_new(po, "quoted", json_boolean(x->quoted));
                json_array_append_new(arr, po);
            }
            json_object_set_new(j, "passages", arr);
        }
        int rc = json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
        json_decref(j);
        if (rc != 0 || fputc('\n', out) == EOF) return RP_IO;
    }
    return RP_OK;
}

/* ---- walking the clusters ---- */

typedef struct walk {
    rp_db *db;
    const rp_report_opts *o;
    char *err;
    size_t errsz;
    double min_score;  /* the index's decision threshold */
    uint64_t unlisted; /* members below it against the original and their source */
} walk;

static rp_err fail(walk *w, rp_err e, const char *what)
{
    if (w->err && w->errsz) {
        const char *msg = e == RP_DB ? rp_db_errmsg(w->db) : rp_strerror(e);
        snprintf(w->err, w->errsz, "%s: %s", what, msg && *msg ? msg : rp_strerror(e));
    }
    return e;
}

/* A member the report does not list: counted, its memory released. */
static void unlist(walk *w, rcopy *k)
{
    w->unlisted++;
    rp_match_clear(&k->m);
    rp_article_clear(&k->art);
}

/* Load and verify the cluster m[0..n) (original first) into c. *keep is
 * set to 0 when the filters drop the whole cluster. */
static rp_err load_cluster(walk *w, const rp_db_member *m, size_t n, rcluster *c, int *keep)
{
    rp_err e;
    *keep = 0;
    c->id = m[0].cluster;
    c->orig_rowid = m[0].article;
    if ((e = rp_db_get(w->db, m[0].article, &c->orig)))
        return fail(w, e, "cannot read an original");
    if (w->o->source_site && !rp_site_same(c->orig.site, w->o->source_site)) return RP_OK;
    c->copies = calloc(n, sizeof *c->copies);
    if (!c->copies) return RP_NOMEM;
    for (size_t i = 1; i < n; i++) {
        rcopy *k = &c->copies[c->n];
        if ((e = rp_db_get(w->db, m[i].article, &k->art))) {
            rp_article_clear(&k->art);
            return fail(w, e, "cannot read a copy");
        }
        if (w->o->since != RP_TIME_UNKNOWN && k->art.indexed_at != 0 &&
            k->art.indexed_at < w->o->since) {
            rp_article_clear(&k->art);
            continue;
        }
        c->n++;
        k->rowid = m[i].article;
        k->source = m[i].source;
        char verr[256];
        e = rp_verify_stored(w->db, m[0].article, m[i].article, &k->m, NULL, NULL, verr,
                             sizeof verr);
        if (e == RP_NOMEM || e == RP_DB || e == RP_IO) {
            if (w->err) snprintf(w->err, w->errsz, "%s", verr);
            return e;
        }
        if (e != RP_OK) {
            /* A text that cannot be prepared (all chrome, say) still is a
             * member: report it with zero figures rather than drop it. */
            rp_match_clear(&k->m);
            memset(&k->m, 0, sizeof k->m);
        } else {
            k->verified = 1;
        }
        /* A copy on the original's own site (a republished or updated
         * version) needs no credit: it is the source itself. */
        k->credited = rp_report_credit(&k->art, c->orig.site, &k->credit) ||
                      rp_site_same(k->art.site, c->orig.site);
    }
    /* A copy is listed for what it took from the article it is listed as
     * taken from: a copy of a copy that shares too little with the original
     * itself is measured against its source, and one that reaches the
     * threshold against neither is not listed. */
    size_t kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        rcopy *k = &c->copies[i];
        k->via = 0;
        if (k->verified && k->m.score < w->min_score && k->source && k->source != m[0].article) {
            rp_match sm;
            char verr[256];
            e = rp_verify_stored(w->db, k->source, k->rowid, &sm, NULL, NULL, verr, sizeof verr);
            if (e == RP_NOMEM || e == RP_DB || e == RP_IO) {
                if (w->err) snprintf(w->err, w->errsz, "%s", verr);
                return e;
            }
            if (e == RP_OK && sm.score >= w->min_score) {
                rp_match_clear(&k->m);
                k->m = sm;
                k->via = k->source;
            } else if (e == RP_OK) {
                rp_match_clear(&sm);
            }
        }
        if (k->verified && k->m.score < w->min_score && !k->via) {
            unlist(w, k);
            continue;
        }
        c->copies[kept++] = *k;
    }
    c->n = kept;
    /* Name the source of copies of copies (the ids live in the copies); a
     * copy measured against a source that is not listed is not listed. */
    kept = 0;
    for (size_t i = 0; i < c->n; i++) {
        rcopy *k = &c->copies[i];
        k->source_id = NULL;
        for (size_t x = 0; x < c->n; x++)
            if (k->source && c->copies[x].rowid == k->source) k->source_id = c->copies[x].art.id;
        if (k->via && !k->source_id) {
            unlist(w, k);
            continue;
        }
        c->copies[kept++] = *k;
    }
    c->n = kept;
    *keep = c->n > 0;
    if (c->n > 1) qsort(c->copies, c->n, sizeof *c->copies, copy_order);
    return RP_OK;
}

rp_err rp_report_write(rp_db *db, const rp_report_opts *o, FILE *out, rp_report_stats *st,
                       char *err, size_t errsz)
{
    rp_report_stats local;
    if (!st) st = &local;
    memset(st, 0, sizeof *st);
    if (err && errsz) err[0] = '\0';
    if (!db || !o || !out) return RP_ARG;
    walk w = {db, o, err, errsz, RP_DEFAULT_MIN_SCORE, 0};
    {
        rp_params prm;
        if (rp_params_load(db, &prm) == RP_OK) w.min_score = prm.min_score;
    }
    rp_db_member *m = NULL;
    size_t nm = 0;
    html_state *h = NULL;
    rcluster c;
    memset(&c, 0, sizeof c);
    int64_t want = 0;
    uint64_t done = 0;
    rp_err e;

    if ((e = rp_db_load_clusters(db, &m, &nm))) {
        fail(&w, e, "cannot read clusters");
        goto out;
    }
    for (size_t i = 0; i < nm;) {
        size_t j = i + 1;
        while (j < nm && m[j].cluster == m[i].cluster)
            j++;
        if (j - i >= 2) st->stored_clusters++;
        i = j;
    }
    if (o->original_id) {
        int64_t row;
        if ((e = rp_db_find_id(db, o->original_id, &row)) ||
            (e = rp_db_cluster_of(db, row, &want))) {
            if (e == RP_NOTFOUND && err)
                snprintf(err, errsz, "%s: %s", o->original_id,
                         st->stored_clusters ? "no such article in a cluster"
                                             : "no clusters stored");
            else
                fail(&w, e, o->original_id);
            goto out;
        }
    }
    if (o->format == RP_REPORT_CSV && (e = report_csv_header(out, o->passages))) goto ioerr;
    if (o->format == RP_REPORT_HTML && (e = report_html_begin(&h, o))) {
        if (err) snprintf(err, errsz, "cannot create a temporary file: %s", rp_strerror(e));
        goto out;
    }
    for (size_t i = 0; i < nm;) {
        size_t j = i + 1;
        while (j < nm && m[j].cluster == m[i].cluster)
            j++;
        size_t first = i;
        i = j;
        if (j - first < 2 || (o->original_id && m[first].cluster != want)) continue;
        /* The original leads its cluster; find it if the order ever slips. */
        for (size_t x = first; x < j; x++)
            if (m[x].is_original && x != first) {
                rp_db_member t = m[first];
                m[first] = m[x];
                m[x] = t;
            }
        int keep;
        if ((e = load_cluster(&w, m + first, j - first, &c, &keep))) goto out;
        if (keep) {
            st->originals++;
            st->copies += c.n;
            for (size_t x = 0; x < c.n; x++)
                st->uncredited += !c.copies[x].credited;
            if (o->format == RP_REPORT_JSON)
                e = json_cluster(out, &c, o->passages);
            else if (o->format == RP_REPORT_CSV)
                e = report_csv_cluster(out, &c, o->passages);
            else
                e = report_html_cluster(h, &c);
            if (e) goto ioerr;
        }
        rcluster_clear(&c);
        done++;
        if (o->progress) o->progress(o->ctx, done, 0);
    }
    st->unlisted = w.unlisted;
    if (h && (e = report_html_end(h, out, o, st))) goto ioerr;
    if (fflush(out) != 0 || ferror(out)) {
        e = RP_IO;
        goto ioerr;
    }
    e = RP_OK;
    goto out;
ioerr:
    if (err && !err[0] && report_html_errpath(h))
        snprintf(err, errsz, "%s: cannot write the page: %s", report_html_errpath(h),
                 rp_strerror(e));
    if (err && !err[0]) snprintf(err, errsz, "cannot write the report: %s", rp_strerror(e));
out:
    rcluster_clear(&c);
    report_html_free(h);
    free(m);
    return e;
}
