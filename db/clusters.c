/*
 * clusters.c: the stored result of the last clustering.
 *
 * Clustering is recomputed as a whole, so storing replaces every row in one
 * transaction: readers see either the old clusters or the new ones, never a
 * mix. Cluster ids are whatever the caller passes; the pipeline keeps them
 * stable across runs by asking rp_db_cluster_of() for an original's old id.
 */
#include <stdlib.h>

#include "db/dbint.h"

static rp_err store_rows(rp_db *db, const rp_db_member *m, size_t n)
{
    sqlite3_stmt *del = db_stmt(db, ST_CLUSTERS_DELETE);
    sqlite3_stmt *ins = db_stmt(db, ST_CLUSTER_INSERT);
    if (!del || !ins) return RP_DB;
    int rc = sqlite3_step(del);
    sqlite3_reset(del);
    if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot clear clusters");
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(ins, 1, m[i].article);
        sqlite3_bind_int64(ins, 2, m[i].cluster);
        sqlite3_bind_int(ins, 3, m[i].is_original ? 1 : 0);
        if (m[i].source)
            sqlite3_bind_int64(ins, 4, m[i].source);
        else
            sqlite3_bind_null(ins, 4);
        sqlite3_bind_double(ins, 5, m[i].score);
        sqlite3_bind_double(ins, 6, m[i].jaccard);
        sqlite3_bind_double(ins, 7, m[i].containment);
        rc = sqlite3_step(ins);
        sqlite3_reset(ins);
        if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
            return db_error(db, RP_ARG, "article %lld is listed in two clusters",
                            (long long)m[i].article);
        if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot store clusters");
    }
    return RP_OK;
}

rp_err rp_db_store_clusters(rp_db *db, const rp_db_member *m, size_t n)
{
    if (db->pg) return db_pg_store_clusters(db, m, n);
    int own = db_autocommit(db);
    rp_err e;
    if (own && (e = rp_db_begin(db))) return e;
    e = store_rows(db, m, n);
    if (own) {
        if (e)
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        else
            e = rp_db_commit(db);
    }
    return e;
}

rp_err rp_db_cluster_of(rp_db *db, int64_t article, int64_t *cluster)
{
    if (db->pg) return db_pg_cluster_of(db, article, cluster);
    sqlite3_stmt *s = db_stmt(db, ST_CLUSTER_OF);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, article);
    return db_one_int64(db, s, cluster, "cannot read clusters");
}

rp_err rp_db_load_clusters(rp_db *db, rp_db_member **out, size_t *n)
{
    if (db->pg) return db_pg_load_clusters(db, out, n);
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = db_stmt(db, ST_CLUSTERS_LOAD);
    if (!s) return RP_DB;
    rp_db_member *v = NULL;
    size_t len = 0, cap = 0;
    rp_err e = RP_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = rp_grow(&v, &cap, len + 1, sizeof *v))) goto out;
        rp_db_member *m = &v[len++];
        m->article = sqlite3_column_int64(s, 0);
        m->cluster = sqlite3_column_int64(s, 1);
        m->is_original = sqlite3_column_int(s, 2);
        m->source = sqlite3_column_int64(s, 3); /* NULL reads as 0 */
        m->score = sqlite3_column_double(s, 4);
        m->jaccard = sqlite3_column_double(s, 5);
        m->containment = sqlite3_column_double(s, 6);
    }
    if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read clusters");
out:
    sqlite3_reset(s);
    if (e) {
        free(v);
        return e;
    }
    *out = v;
    *n = len;
    return RP_OK;
}
