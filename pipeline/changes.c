/*
 * changes.c: whether the stored clusters still describe the index.
 *
 * Every write that changes the set of articles (an index run that stored
 * something, a removal) adds one to the meta key "generation", inside the
 * transaction that made the change; a cluster run stores the generation it
 * read before reading the articles as "cluster_generation", with its
 * clusters. The clusters are stale when the two differ, so a library user
 * (the Python package's Index.clusters()) clusters again only when needed.
 * A counter rather than a count of articles or a highest rowid: a removal
 * followed by an insert can leave both unchanged.
 */
#include <stdio.h>
#include <stdlib.h>

#include "pipeline/pipeline.h"

static rp_err get_u64(rp_db *db, const char *key, uint64_t *v, int *found)
{
    char *s = NULL, *end;
    *v = 0;
    if (found) *found = 0;
    rp_err e = rp_db_meta_get(db, key, &s);
    if (e == RP_NOTFOUND) return RP_OK;
    if (e) return e;
    *v = strtoull(s, &end, 10);
    int bad = end == s || *end;
    free(s);
    if (bad) return RP_SCHEMA;
    if (found) *found = 1;
    return RP_OK;
}

rp_err rp_index_generation(rp_db *db, uint64_t *gen)
{
    return get_u64(db, "generation", gen, NULL);
}

rp_err rp_index_touch(rp_db *db)
{
    uint64_t g;
    rp_err e = get_u64(db, "generation", &g, NULL);
    if (e) return e;
    char v[24];
    snprintf(v, sizeof v, "%llu", (unsigned long long)(g + 1));
    return rp_db_meta_set(db, "generation", v);
}

rp_err rp_cluster_stored_generation(rp_db *db, uint64_t gen)
{
    char v[24];
    snprintf(v, sizeof v, "%llu", (unsigned long long)gen);
    return rp_db_meta_set(db, "cluster_generation", v);
}

rp_err rp_cluster_stale(rp_db *db, int *stale)
{
    uint64_t g, cg;
    int found;
    rp_err e = get_u64(db, "generation", &g, NULL);
    if (!e) e = get_u64(db, "cluster_generation", &cg, &found);
    if (e) return e;
    *stale = !found || cg != g;
    return RP_OK;
}

rp_err rp_remove_id(rp_db *db, const char *id, size_t *cluster_size, char *err, size_t errsz)
{
    rp_params p;
    rp_article a = {0};
    uint64_t *bands = NULL, *lines = NULL;
    size_t nbands = 0, nlines = 0, ntokens;
    int64_t rowid;
    rp_err e;
    if (err && errsz) err[0] = '\0';
    if (cluster_size) *cluster_size = 0;
    if (!id) return RP_ARG;
    if ((e = rp_params_load(db, &p))) goto dberr;
    e = rp_db_find_id(db, id, &rowid);
    if (e == RP_NOTFOUND) {
        if (err) snprintf(err, errsz, "%s: no article with id %s", rp_db_path(db), id);
        return e;
    }
    if (e) goto dberr;
    if ((e = rp_db_get(db, rowid, &a))) goto dberr;
    /* the band hashes and line hashes as indexing computed them */
    if (!(bands = malloc(rp_params_nbands(&p) * sizeof *bands))) {
        e = RP_NOMEM;
        goto out;
    }
    if ((e = rp_features_bands(&p, a.text ? a.text : "", a.text_len, bands, &nbands, &ntokens)) ||
        (e = rp_line_hashes(a.text ? a.text : "", a.text_len, &lines, &nlines)))
        goto out;
    if ((e = rp_db_begin(db))) goto dberr;
    if ((e = rp_db_remove(db, rowid, bands, nbands, lines, nlines, cluster_size)) ||
        (e = rp_index_touch(db)) || (e = rp_db_commit(db))) {
        rp_db_rollback(db);
        goto dberr;
    }
    goto out;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
out:
    rp_article_clear(&a);
    free(bands);
    free(lines);
    return e;
}
