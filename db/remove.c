/*
 * remove.c: taking one article out of the index.
 *
 * An article lives in five places: its row (with its compressed text), its
 * band entries (the LSH buckets), its count in its site's chrome lines, its
 * stored cluster, and, when it is the first of several identical texts,
 * the exact_of links of its duplicates. The bucket runs are keyed by
 * (band, run, hash) with no index by article, so the caller hands over
 * the article's band hashes (recomputed from its text with the index's
 * parameters) and each entry's block is found by its key and rewritten
 * (runs.c); should a band's entry not be where its hash says (an index
 * written by a reprint whose features differed), one scan of the blocks
 * finds the rest. A duplicate inherits the bands: same text, same hashes,
 * so the first duplicate takes the original's entries and the others point
 * at it. The stored cluster holding the article is dropped
 * whole: its tree may hang on the article (a copy's source), and only a
 * cluster run can say what its members are without it.
 */
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

/* Prepare a one-off statement (kept in *s until the caller finalizes it). */
static rp_err prepare(rp_db *db, sqlite3_stmt **s, const char *sql, const char *what)
{
    if (!*s) {
        int rc = sqlite3_prepare_v2(db->h, sql, -1, s, NULL);
        if (rc != SQLITE_OK) return db_fail(db, rc, what);
    }
    return RP_OK;
}

static rp_err step_done(rp_db *db, sqlite3_stmt *s, const char *what)
{
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return db_fail(db, rc, what);
    return RP_OK;
}

/* One less article of site holding each of the lines. */
static rp_err uncount_lines(rp_db *db, const char *site, const uint64_t *lines, size_t nlines)
{
    sqlite3_stmt *dec = NULL, *drop = NULL, *doc = NULL;
    const char *what = "cannot uncount the article's site lines";
    rp_err e;
    if ((e = prepare(db, &dec,
                     "UPDATE site_lines SET docs = docs - 1 WHERE site = ?1 AND hash = ?2",
                     what)) ||
        (e = prepare(db, &drop, "DELETE FROM site_lines WHERE site = ?1 AND docs <= 0", what)) ||
        (e = prepare(db, &doc, "UPDATE sites SET docs = docs - 1 WHERE site = ?1 AND docs > 0",
                     what)))
        goto out;
    sqlite3_bind_text(dec, 1, site, -1, SQLITE_STATIC);
    for (size_t i = 0; i < nlines; i++) {
        sqlite3_bind_int64(dec, 2, db_h2i(lines[i]));
        if ((e = step_done(db, dec, what))) goto out;
    }
    sqlite3_bind_text(drop, 1, site, -1, SQLITE_STATIC);
    sqlite3_bind_text(doc, 1, site, -1, SQLITE_STATIC);
    if ((e = step_done(db, drop, what)) || (e = step_done(db, doc, what))) goto out;
out:
    sqlite3_finalize(dec);
    sqlite3_finalize(drop);
    sqlite3_finalize(doc);
    return e;
}

/* Drop the stored cluster holding article; *size its member count. */
static rp_err drop_cluster(rp_db *db, int64_t article, size_t *size)
{
    sqlite3_stmt *s = NULL;
    const char *what = "cannot remove the article's cluster";
    int64_t cluster, n = 0;
    *size = 0;
    rp_err e = rp_db_cluster_of(db, article, &cluster);
    if (e == RP_NOTFOUND) return RP_OK;
    if (e) return e;
    if ((e = prepare(db, &s, "SELECT count(*) FROM clusters WHERE cluster = ?1", what))) goto out;
    sqlite3_bind_int64(s, 1, cluster);
    if ((e = db_one_int64(db, s, &n, what))) goto out;
    sqlite3_finalize(s);
    s = NULL;
    if ((e = prepare(db, &s, "DELETE FROM clusters WHERE cluster = ?1", what))) goto out;
    sqlite3_bind_int64(s, 1, cluster);
    if ((e = step_done(db, s, what))) goto out;
    *size = (size_t)n;
out:
    sqlite3_finalize(s);
    return e;
}

rp_err rp_db_remove(rp_db *db, int64_t rowid, const uint64_t *bands, size_t nbands,
                    const uint64_t *lines, size_t nlines, size_t *cluster_size)
{
    if (db->pg) return db_pg_remove(db, rowid, bands, nbands, lines, nlines, cluster_size);
    rp_article a = {0};
    int64_t *dups = NULL;
    size_t ndups = 0, csize = 0;
    sqlite3_stmt *s = NULL;
    const char *what = "cannot remove the article";
    rp_err e;
    int exact = 0;
    if (cluster_size) *cluster_size = 0;
    if (db->flags & RP_DB_READONLY) return db_error(db, RP_ARG, "opened read-only");
    int own = db_autocommit(db);
    if (own && (e = rp_db_begin(db))) return e;
    /* staged rows first, so that every band row is in the bucket table */
    if ((e = rp_db_bands_flush(db))) goto out;
    if ((e = rp_db_get(db, rowid, &a))) {
        if (e == RP_NOTFOUND) db_error(db, e, "no article with rowid %lld", (long long)rowid);
        goto out;
    }
    if ((e = prepare(db, &s, "SELECT exact_of IS NOT NULL FROM articles WHERE rowid = ?1", what)))
        goto out;
    sqlite3_bind_int64(s, 1, rowid);
    int64_t v = 0;
    if ((e = db_one_int64(db, s, &v, what))) goto out;
    exact = v != 0;
    sqlite3_finalize(s);
    s = NULL;
    if (!exact) {
        if ((e = rp_db_exact_copies(db, rowid, &dups, &ndups))) goto out;
        int64_t heir = ndups ? dups[0] : 0;
        if ((e = db_runs_remove(db, rowid, heir, bands, nbands))) goto out;
        if (heir) {
            if ((e = prepare(
                     db, &s,
                     "UPDATE articles SET exact_of = CASE WHEN rowid = ?2 THEN NULL ELSE ?2 END"
                     " WHERE exact_of = ?1",
                     what)))
                goto out;
            sqlite3_bind_int64(s, 1, rowid);
            sqlite3_bind_int64(s, 2, heir);
            if ((e = step_done(db, s, what))) goto out;
            sqlite3_finalize(s);
            s = NULL;
        }
    }
    if ((e = uncount_lines(db, a.site ? a.site : "", lines, nlines))) goto out;
    if ((e = drop_cluster(db, rowid, &csize))) goto out;
    if ((e = prepare(db, &s, "DELETE FROM bands_new WHERE article = ?1", what))) goto out;
    sqlite3_bind_int64(s, 1, rowid);
    if ((e = step_done(db, s, what))) goto out;
    sqlite3_finalize(s);
    s = NULL;
    if ((e = prepare(db, &s, "DELETE FROM articles WHERE rowid = ?1", what))) goto out;
    sqlite3_bind_int64(s, 1, rowid);
    if ((e = step_done(db, s, what))) goto out;
    if (cluster_size) *cluster_size = csize;
out:
    sqlite3_finalize(s);
    if (own) {
        if (e)
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        else
            e = rp_db_commit(db);
    }
    rp_article_clear(&a);
    free(dups);
    return e;
}
