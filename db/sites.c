/*
 * sites.c: per-site line statistics for learning site chrome.
 *
 * A line that recurs in a large share of one site's articles (a newsletter
 * plug, a copyright footer) is chrome, not content. For each site the
 * database counts in how many articles each line hash occurred
 * (site_lines) and how many articles were counted (sites), so the caller
 * can ask for the lines above any share it likes. Each article counts a
 * line once, however often the line repeats inside it.
 */
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

static rp_err add_rows(rp_db *db, const char *site, const uint64_t *h, size_t n)
{
    sqlite3_stmt *doc = db_stmt(db, ST_SITE_DOC_ADD);
    sqlite3_stmt *line = db_stmt(db, ST_SITE_LINE_ADD);
    if (!doc || !line) return RP_DB;
    sqlite3_bind_text(doc, 1, site, -1, SQLITE_STATIC);
    int rc = sqlite3_step(doc);
    sqlite3_reset(doc);
    if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot count site articles");
    sqlite3_bind_text(line, 1, site, -1, SQLITE_STATIC);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(line, 2, db_h2i(h[i]));
        rc = sqlite3_step(line);
        sqlite3_reset(line);
        if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot count site lines");
    }
    return RP_OK;
}

rp_err rp_db_site_lines_add(rp_db *db, const char *site, const uint64_t *hashes, size_t n)
{
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    uint64_t *h = NULL;
    rp_err e = RP_OK;
    if (n) {
        if (!(h = malloc(n * sizeof *h))) return RP_NOMEM;
        memcpy(h, hashes, n * sizeof *h);
        if ((e = rp_sort_unique_u64(h, &n))) goto out;
    }
    int own = db_autocommit(db);
    if (own && (e = rp_db_begin(db))) goto out;
    e = add_rows(db, site, h, n);
    if (own) {
        if (e)
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        else
            e = rp_db_commit(db);
    }
out:
    free(h);
    return e;
}

rp_err rp_db_site_lines_get(rp_db *db, const char *site, uint64_t min_docs, uint64_t **hashes,
                            size_t *n)
{
    *hashes = NULL;
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    sqlite3_stmt *s = db_stmt(db, ST_SITE_LINES_GET);
    if (!s) return RP_DB;
    uint64_t *v = NULL;
    size_t len = 0, cap = 0;
    rp_err e = RP_OK;
    int rc;
    sqlite3_bind_text(s, 1, site, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, min_docs > INT64_MAX ? INT64_MAX : (sqlite3_int64)min_docs);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = rp_grow(&v, &cap, len + 1, sizeof *v))) goto out;
        v[len++] = db_i2h(sqlite3_column_int64(s, 0));
    }
    if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read site lines");
    /* Stored order is by signed value; callers want unsigned order. */
    else
        e = rp_sort_unique_u64(v, &len);
out:
    sqlite3_reset(s);
    if (e) {
        free(v);
        return e;
    }
    *hashes = v;
    *n = len;
    return RP_OK;
}

rp_err rp_db_site_docs(rp_db *db, const char *site, uint64_t *n)
{
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    sqlite3_stmt *s = db_stmt(db, ST_SITE_DOCS);
    if (!s) return RP_DB;
    sqlite3_bind_text(s, 1, site, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    rp_err e = RP_OK;
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        e = db_fail(db, rc, "cannot read site counts");
    sqlite3_reset(s);
    return e;
}
