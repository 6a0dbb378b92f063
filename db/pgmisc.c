/*
 * pgmisc.c: stored clusters, site-chrome counts and removing an article on
 * PostgreSQL (the twins of clusters.c, sites.c and remove.c).
 *
 * Clusters are replaced as a whole in one transaction, the new rows by one
 * COPY. Site counts added inside a transaction wait in the handle as COPY
 * rows (site, line hash) and (site); when it commits (or a read needs
 * them) they are copied into temporary tables and merged into site_lines
 * and sites by one upsert each, grouped and in key order, so two writers
 * lock rows in the same order and do not deadlock. Removing follows
 * remove.c step by step, each step one statement over arrays of hashes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgint.h"

/* ---- clusters ---- */

static rp_err store_rows(rp_db *db, const rp_db_member *m, size_t n)
{
    rp_err e = pg_exec(db, "DELETE FROM clusters", "cannot clear clusters");
    if (e) return e;
    pg_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        char score[3][40];
        snprintf(score[0], sizeof score[0], "%.17g", m[i].score);
        snprintf(score[1], sizeof score[1], "%.17g", m[i].jaccard);
        snprintf(score[2], sizeof score[2], "%.17g", m[i].containment);
        if (pg_buf_int(&b, m[i].article, 0) || pg_buf_int(&b, m[i].cluster, 0) ||
            pg_buf_int(&b, m[i].is_original ? 1 : 0, 0) ||
            (m[i].source ? pg_buf_int(&b, m[i].source, 0) : pg_buf_null(&b, 0)) ||
            pg_buf_text(&b, score[0], 0) || pg_buf_text(&b, score[1], 0) ||
            pg_buf_text(&b, score[2], 1)) {
            pg_buf_free(&b);
            return RP_NOMEM;
        }
    }
    e = pg_copy_in(db,
                   "clusters(article, cluster, is_original, source, score, jaccard, containment)",
                   &b, "cannot store clusters");
    pg_buf_free(&b);
    if (e && strstr(db->err, "clusters_pkey"))
        e = db_error(db, RP_ARG, "an article is listed in two clusters");
    return e;
}

rp_err db_pg_store_clusters(rp_db *db, const rp_db_member *m, size_t n)
{
    int own = pg_autocommit(db);
    rp_err e;
    if (own && (e = db_pg_begin(db))) return e;
    e = store_rows(db, m, n);
    if (own) {
        if (e)
            db_pg_rollback(db);
        else
            e = db_pg_commit(db);
    }
    return e;
}

rp_err db_pg_cluster_of(rp_db *db, int64_t article, int64_t *cluster)
{
    char k[24];
    snprintf(k, sizeof k, "%lld", (long long)article);
    const char *v[1] = {k};
    PGresult *r = pg_run(db, PG_CLUSTER_OF, 1, v, NULL, NULL, "cannot read clusters");
    if (!r) return PG_ERR(db);
    rp_err e = RP_NOTFOUND;
    if (PQntuples(r) > 0) {
        *cluster = pg_i64(r, 0, 0);
        e = RP_OK;
    }
    PQclear(r);
    return e;
}

rp_err db_pg_load_clusters(rp_db *db, rp_db_member **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    PGresult *r = pg_run(db, PG_CLUSTERS_LOAD, 0, NULL, NULL, NULL, "cannot read clusters");
    if (!r) return PG_ERR(db);
    size_t len = (size_t)PQntuples(r);
    rp_db_member *v = len ? malloc(len * sizeof *v) : NULL;
    if (len && !v) {
        PQclear(r);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < len; i++) {
        int row = (int)i;
        v[i].article = pg_i64(r, row, 0);
        v[i].cluster = pg_i64(r, row, 1);
        v[i].is_original = (int)pg_i64(r, row, 2);
        v[i].source = pg_i64(r, row, 3);
        v[i].score = pg_f64(r, row, 4);
        v[i].jaccard = pg_f64(r, row, 5);
        v[i].containment = pg_f64(r, row, 6);
    }
    PQclear(r);
    *out = v;
    *n = len;
    return RP_OK;
}

/* ---- site-chrome counts ---- */

rp_err pg_sites_write(rp_db *db)
{
    struct db_pg *pg = db->pg;
    if (!pg->docs.n && !pg->lines.n) return RP_OK;
    const char *what = "cannot count site lines";
    rp_err e;
    if (!pg->have_temp) {
        if ((e = pg_exec(db,
                         "CREATE TEMPORARY TABLE IF NOT EXISTS rp_lines_in(site text, hash bigint);"
                         "CREATE TEMPORARY TABLE IF NOT EXISTS rp_docs_in(site text)",
                         what)))
            return e;
        pg->have_temp = 1;
    }
    if ((e = pg_copy_in(db, "rp_docs_in(site)", &pg->docs, what)) ||
        (e = pg_copy_in(db, "rp_lines_in(site, hash)", &pg->lines, what)))
        return e;
    e = pg_exec(db,
                "INSERT INTO sites(site, docs) SELECT site, count(*) FROM rp_docs_in"
                " GROUP BY site ORDER BY site"
                " ON CONFLICT (site) DO UPDATE SET docs = sites.docs + excluded.docs;"
                "INSERT INTO site_lines(site, hash, docs) SELECT site, hash, count(*)"
                " FROM rp_lines_in GROUP BY site, hash ORDER BY site, hash"
                " ON CONFLICT (site, hash) DO UPDATE SET docs = site_lines.docs + excluded.docs;"
                "TRUNCATE rp_docs_in, rp_lines_in",
                what);
    return e;
}

rp_err db_pg_site_lines_add(rp_db *db, const char *site, const uint64_t *hashes, size_t n)
{
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    uint64_t *h = NULL;
    rp_err e = RP_OK;
    if (n) {
        if (!(h = malloc(n * sizeof *h))) return RP_NOMEM;
        memcpy(h, hashes, n * sizeof *h);
        if ((e = rp_sort_unique_u64(h, &n))) goto out;
    }
    int own = pg_autocommit(db);
    if (own && (e = db_pg_begin(db))) goto out;
    struct db_pg *pg = db->pg;
    e = pg_buf_text(&pg->docs, site, 1);
    for (size_t i = 0; !e && i < n; i++)
        if (pg_buf_text(&pg->lines, site, 0) || pg_buf_int(&pg->lines, db_h2i(h[i]), 1))
            e = RP_NOMEM;
    if (own) {
        if (e)
            db_pg_rollback(db);
        else
            e = db_pg_commit(db);
    }
out:
    free(h);
    return e;
}

rp_err db_pg_site_lines_get(rp_db *db, const char *site, uint64_t min_docs, uint64_t **hashes,
                            size_t *n)
{
    *hashes = NULL;
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    rp_err e = pg_sites_write(db);
    if (e) return e;
    char md[24];
    snprintf(md, sizeof md, "%llu",
             (unsigned long long)(min_docs > INT64_MAX ? (uint64_t)INT64_MAX : min_docs));
    const char *v[2] = {site, md};
    PGresult *r = pg_run(db, PG_SITE_LINES_GET, 2, v, NULL, NULL, "cannot read site lines");
    if (!r) return PG_ERR(db);
    size_t len = (size_t)PQntuples(r);
    uint64_t *x = len ? malloc(len * sizeof *x) : NULL;
    if (len && !x) {
        PQclear(r);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < len; i++)
        x[i] = db_i2h(pg_i64(r, (int)i, 0));
    PQclear(r);
    if ((e = rp_sort_unique_u64(x, &len))) {
        free(x);
        return e;
    }
    if (!len) {
        free(x);
        x = NULL;
    }
    *hashes = x;
    *n = len;
    return RP_OK;
}

rp_err db_pg_site_docs(rp_db *db, const char *site, uint64_t *n)
{
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    rp_err e = pg_sites_write(db);
    if (e) return e;
    const char *v[1] = {site};
    PGresult *r = pg_run(db, PG_SITE_DOCS, 1, v, NULL, NULL, "cannot read site counts");
    if (!r) return PG_ERR(db);
    if (PQntuples(r) > 0) *n = (uint64_t)pg_i64(r, 0, 0);
    PQclear(r);
    return RP_OK;
}

/* ---- removing an article ---- */

/* "{v0,v1,...}": an array literal of n integers, i-th value at(i). */
static char *int_array(size_t n, int64_t (*at)(const void *, size_t), const void *arg)
{
    char *s = malloc(n * 22 + 3), *p = s;
    if (!s) return NULL;
    *p++ = '{';
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, "%s%lld", i ? "," : "", (long long)at(arg, i));
    strcpy(p, "}");
    return s;
}

static int64_t at_index(const void *arg, size_t i)
{
    (void)arg;
    return (int64_t)i;
}

static int64_t at_hash(const void *arg, size_t i)
{
    return db_h2i(((const uint64_t *)arg)[i]);
}

/* Run sql with text parameters; *count (may be NULL) the first column of
 * its first row. */
static rp_err run(rp_db *db, const char *sql, int n, const char *const *v, int64_t *count)
{
    PGresult *r = pg_query(db, sql, n, v, NULL, NULL, "cannot remove the article");
    if (!r) return PG_ERR(db);
    if (count) *count = PQntuples(r) ? pg_i64(r, 0, 0) : 0;
    PQclear(r);
    return RP_OK;
}

rp_err db_pg_remove(rp_db *db, int64_t rowid, const uint64_t *bands, size_t nbands,
                    const uint64_t *lines, size_t nlines, size_t *cluster_size)
{
    rp_article a = {0};
    int64_t *dups = NULL;
    size_t ndups = 0;
    char *bidx = NULL, *bhash = NULL, *lhash = NULL;
    char row[24], heir_s[24];
    int has_heir = 0;
    rp_err e;
    if (cluster_size) *cluster_size = 0;
    if (db->flags & RP_DB_READONLY) return db_error(db, RP_ARG, "opened read-only");
    int own = pg_autocommit(db);
    if (own && (e = db_pg_begin(db))) return e;
    if ((e = pg_bands_write(db)) || (e = pg_sites_write(db))) goto out;
    if ((e = db_pg_get(db, rowid, &a, 0))) goto out;
    snprintf(row, sizeof row, "%lld", (long long)rowid);
    const char *v1[1] = {row};
    int64_t exact = 0;
    if ((e = run(db, "SELECT (exact_of IS NOT NULL)::int FROM articles WHERE rowid = $1", 1, v1,
                 &exact)))
        goto out;
    if (!exact) {
        if ((e = db_pg_exact_copies(db, rowid, &dups, &ndups))) goto out;
        int64_t heir = ndups ? dups[0] : 0;
        snprintf(heir_s, sizeof heir_s, "%lld", (long long)heir);
        bidx = int_array(nbands, at_index, NULL);
        bhash = int_array(nbands, at_hash, bands);
        if (!bidx || !bhash) {
            e = RP_NOMEM;
            goto out;
        }
        /* by key; an heir takes each row found */
        const char *v4[4] = {bidx, bhash, row, heir_s};
        int64_t gone = 0;
        if ((e = run(db,
                     "WITH d AS (DELETE FROM bands b USING unnest($1::int[], $2::bigint[])"
                     " AS q(band, hash) WHERE b.band = q.band AND b.hash = q.hash"
                     " AND b.article = $3::bigint RETURNING b.band, b.hash),"
                     " i AS (INSERT INTO bands(band, hash, article) SELECT band, hash,"
                     " $4::bigint FROM d WHERE $4::bigint <> 0 ON CONFLICT DO NOTHING)"
                     " SELECT count(*) FROM d",
                     4, v4, &gone)))
            goto out;
        if ((size_t)gone < nbands) {
            /* some rows were not where the hashes said: find them by scan */
            const char *v2[2] = {row, heir_s};
            if (heir && (e = run(db,
                                 "INSERT INTO bands(band, hash, article) SELECT band, hash,"
                                 " $2::bigint FROM bands WHERE article = $1::bigint"
                                 " ON CONFLICT DO NOTHING",
                                 2, v2, NULL)))
                goto out;
            if ((e = run(db, "DELETE FROM bands WHERE article = $1", 1, v1, NULL))) goto out;
        }
        has_heir = heir != 0;
    }
    /* one less article of its site holding each of the lines */
    if (!(lhash = int_array(nlines, at_hash, lines))) {
        e = RP_NOMEM;
        goto out;
    }
    const char *site = a.site ? a.site : "";
    const char *vl[2] = {site, lhash};
    const char *vs[1] = {site};
    if ((e = run(db,
                 "UPDATE site_lines SET docs = docs - 1 WHERE site = $1"
                 " AND hash = ANY($2::bigint[])",
                 2, vl, NULL)) ||
        (e = run(db, "DELETE FROM site_lines WHERE site = $1 AND docs <= 0", 1, vs, NULL)) ||
        (e = run(db, "UPDATE sites SET docs = docs - 1 WHERE site = $1 AND docs > 0", 1, vs, NULL)))
        goto out;
    /* the stored cluster holding it goes whole */
    int64_t csize = 0;
    if ((e = run(db,
                 "WITH c AS (SELECT cluster FROM clusters WHERE article = $1::bigint),"
                 " d AS (DELETE FROM clusters WHERE cluster IN (SELECT cluster FROM c)"
                 " RETURNING 1) SELECT count(*) FROM d",
                 1, v1, &csize)))
        goto out;
    if ((e = run(db, "DELETE FROM article_lang WHERE article = $1", 1, v1, NULL)) ||
        (e = run(db, "DELETE FROM articles WHERE rowid = $1", 1, v1, NULL)))
        goto out;
    /* The heir becomes the original only now: while the removed row is
     * there, two originals of one text break articles_original. */
    if (has_heir) {
        const char *v2[2] = {row, heir_s};
        if ((e = run(db,
                     "UPDATE articles SET exact_of = CASE WHEN rowid = $2::bigint THEN NULL"
                     " ELSE $2::bigint END WHERE exact_of = $1::bigint",
                     2, v2, NULL)))
            goto out;
    }
    if (cluster_size) *cluster_size = (size_t)csize;
out:
    if (own) {
        if (e)
            db_pg_rollback(db);
        else
            e = db_pg_commit(db);
    }
    rp_article_clear(&a);
    free(dups);
    free(bidx);
    free(bhash);
    free(lhash);
    return e;
}
