/*
 * pgbands.c: the LSH buckets on PostgreSQL: writing band rows, candidate
 * pairs from one sorted scan, and point lookups (the twin of bands.c).
 *
 * Band rows need no staging table here: rp_db_insert queues an article's
 * rows in the handle, and the transaction's rows go into bands, sorted by
 * key, by one COPY when it commits (or earlier, when a read inside the transaction must see
 * them: a flush, a lookup, the candidates). A writer killed before its
 * commit leaves neither its articles nor their rows.
 *
 * Candidates stream the whole table in key order through COPY (SELECT ...
 * ORDER BY band, hash, article) TO STDOUT, which the primary key's index
 * serves without a sort, in one snapshot; lookups read every band's bucket
 * in one statement (unnest of the bands, a LATERAL LIMIT per bucket).
 *
 * The bucket rule (which pairs a bucket of n members gives) is buckets.c's,
 * the one the SQLite store applies.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgint.h"

static int cmp_band_row(const void *x, const void *y)
{
    const pg_band_row *a = x, *b = y;
    if (a->band != b->band) return a->band < b->band ? -1 : 1;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    return (a->article > b->article) - (a->article < b->article);
}

rp_err pg_bands_write(rp_db *db)
{
    struct db_pg *pg = db->pg;
    if (!pg->nbrows) return RP_OK;
    qsort(pg->brows, pg->nbrows, sizeof *pg->brows, cmp_band_row);
    pg_buf *b = &pg->bands;
    b->n = 0;
    rp_err e = RP_OK;
    for (size_t i = 0; i < pg->nbrows && !e; i++)
        if (pg_buf_int(b, pg->brows[i].band, 0) || pg_buf_int(b, pg->brows[i].hash, 0) ||
            pg_buf_int(b, pg->brows[i].article, 1))
            e = RP_NOMEM;
    pg->nbrows = 0;
    if (!e) e = pg_copy_in(db, "bands(band, hash, article)", b, "cannot store band hashes");
    b->n = 0;
    return e;
}

rp_err db_pg_bands_flush(rp_db *db)
{
    if (db->flags & RP_DB_READONLY) return RP_OK;
    return pg_bands_write(db);
}

typedef db_vec u64vec;

/* Parse one COPY text row "band\thash\tarticle\n". */
static int parse_row(const char *s, int len, int64_t *band, int64_t *hash, int64_t *art)
{
    char line[96];
    if (len <= 0 || len >= (int)sizeof line) return 0;
    memcpy(line, s, (size_t)len);
    line[len] = '\0';
    long long a, b, c;
    if (sscanf(line, "%lld\t%lld\t%lld", &a, &b, &c) != 3) return 0;
    *band = a;
    *hash = b;
    *art = c;
    return 1;
}

rp_err pg_bucket_scan(rp_db *db, const char *where, const db_bucket_rule *rule, const db_order *ord,
                      db_vec *pairs, uint64_t *wide)
{
    PGconn *c = db->pg->c;
    const char *what = "cannot scan band hashes";
    char sql[512];
    snprintf(sql, sizeof sql,
             "COPY (SELECT band, hash, article FROM bands%s%s "
             "ORDER BY band, hash, article) TO STDOUT",
             where && *where ? " WHERE " : "", where ? where : "");
    PGresult *r = PQexec(c, sql);
    rp_err e = RP_OK;
    if (!r || PQresultStatus(r) != PGRES_COPY_OUT) {
        e = pg_fail(db, r, what);
        PQclear(r);
        return e;
    }
    PQclear(r);
    u64vec scratch = {0};
    int64_t *mem = NULL;
    size_t nmem = 0, memcap = 0;
    int64_t cur_band = 0, cur_hash = 0;
    int have = 0, n;
    char *buf = NULL;
    /* Read to the end even after an error: the connection must leave COPY
     * mode before it can run anything else. */
    while ((n = PQgetCopyData(c, &buf, 0)) > 0) {
        int64_t band = 0, hash = 0, art = 0;
        if (!e && !parse_row(buf, n, &band, &hash, &art))
            e = db_error(db, RP_DB, "%s: a malformed row", what);
        PQfreemem(buf);
        buf = NULL;
        if (e) continue;
        if (have && (band != cur_band || hash != cur_hash)) {
            e = db_bucket_pairs(db, rule, (size_t)cur_band, mem, nmem, ord, &scratch, pairs, wide);
            nmem = 0;
            if (e) continue;
        }
        cur_band = band;
        cur_hash = hash;
        have = 1;
        if (nmem == memcap) {
            size_t ncap = memcap ? memcap * 2 : 64;
            int64_t *p = realloc(mem, ncap * sizeof *p);
            if (!p) {
                e = RP_NOMEM;
                continue;
            }
            mem = p;
            memcap = ncap;
        }
        mem[nmem++] = art;
    }
    if (n == -2 && !e) e = pg_fail(db, NULL, what);
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !e) e = pg_fail(db, r, what);
        PQclear(r);
    }
    if (!e && have)
        e = db_bucket_pairs(db, rule, (size_t)cur_band, mem, nmem, ord, &scratch, pairs, wide);
    free(mem);
    free(scratch.v);
    return e;
}

rp_err db_pg_candidates(rp_db *db, size_t bucket_cap, size_t solo_from, const uint32_t *rank,
                        size_t nrank, rp_pair_fn fn, void *ctx, uint64_t *wide_buckets)
{
    if (wide_buckets) *wide_buckets = 0;
    rp_err e = db_pg_bands_flush(db);
    if (e) return e;
    db_bucket_rule rule = db_bucket_rule_of(bucket_cap, solo_from);
    db_order ord = {rank, nrank};
    u64vec pairs = {0};
    uint64_t wide = 0;
    e = pg_bucket_scan(db, NULL, &rule, &ord, &pairs, &wide);
    if (!e) e = db_pairs_compact(&pairs);
    if (!e && wide_buckets) *wide_buckets = wide;
    if (!e) e = db_pairs_each_sure(&pairs, fn, ctx);
    free(pairs.v);
    return e;
}

/* Read the buckets of bands which[0..nwhich) (all bands when which is
 * NULL), at most limit members each (0: all), as (band << 32 | article)
 * sorted by band, then article. */
static rp_err read_buckets(rp_db *db, const uint64_t *bands, size_t nbands, const size_t *which,
                           size_t nwhich, size_t limit, u64vec *out)
{
    size_t cnt = which ? nwhich : nbands;
    char *ba = malloc(cnt * 12 + 3), *ha = malloc(cnt * 22 + 3);
    rp_err e = RP_OK;
    if (!ba || !ha) {
        e = RP_NOMEM;
        goto out;
    }
    char *pb = ba, *ph = ha;
    *pb++ = '{';
    *ph++ = '{';
    for (size_t k = 0; k < cnt; k++) {
        size_t i = which ? which[k] : k;
        pb += sprintf(pb, "%s%zu", k ? "," : "", i);
        ph += sprintf(ph, "%s%lld", k ? "," : "", (long long)db_h2i(bands[i]));
    }
    strcpy(pb, "}");
    strcpy(ph, "}");
    char lim[24];
    snprintf(lim, sizeof lim, "%zu", limit);
    const char *v[3] = {ba, ha, limit ? lim : NULL};
    PGresult *r = pg_run(db, PG_BAND_LOOKUP, 3, v, NULL, NULL, "cannot look up band hashes");
    if (!r) {
        e = PG_ERR(db);
        goto out;
    }
    size_t rows = (size_t)PQntuples(r);
    if (rows > out->cap) {
        uint64_t *p = realloc(out->v, rows * sizeof *p);
        if (!p) {
            PQclear(r);
            e = RP_NOMEM;
            goto out;
        }
        out->v = p;
        out->cap = rows;
    }
    out->n = 0;
    for (size_t k = 0; k < rows; k++)
        out->v[out->n++] =
            (uint64_t)pg_i64(r, (int)k, 0) << 32 | ((uint64_t)pg_i64(r, (int)k, 1) & 0xffffffffu);
    PQclear(r);
out:
    free(ba);
    free(ha);
    return e;
}

rp_err db_pg_lookup(rp_db *db, const uint64_t *bands, size_t nbands, size_t bucket_cap,
                    size_t solo_from, int64_t **out, size_t *n, rp_db_wide **wide, size_t *nwide)
{
    *out = NULL;
    *n = 0;
    if (wide) *wide = NULL;
    if (nwide) *nwide = 0;
    rp_err e = db_pg_bands_flush(db);
    if (e) return e;
    db_bucket_rule rule = db_bucket_rule_of(bucket_cap, solo_from);
    db_lookup l = {.want_wide = wide != NULL};
    u64vec all = {0}; /* band << 32 | article, by band, then article */
    size_t limit = bucket_cap ? bucket_cap + 1 : 0;
    if (nbands) e = read_buckets(db, bands, nbands, NULL, 0, limit, &all);
    for (size_t s = 0, t; !e && s < all.n; s = t) {
        size_t i = (size_t)(all.v[s] >> 32);
        for (t = s + 1; t < all.n && all.v[t] >> 32 == i; t++) {
        }
        e = db_lookup_bucket(&rule, i, all.v + s, t - s, &l);
    }
    free(all.v);
    return db_lookup_finish(e, &l, out, n, wide, nwide);
}

rp_err db_pg_bucket_members(rp_db *db, const uint64_t *bands, size_t nbands, const size_t *which,
                            size_t nwhich, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nwhich; i++)
        if (which[i] >= nbands || (i && which[i] <= which[i - 1])) return RP_ARG;
    rp_err e = db_pg_bands_flush(db);
    if (e) return e;
    u64vec v = {0}, all = {0};
    uint64_t sure = nwhich == 1;
    if (nwhich && (e = read_buckets(db, bands, nbands, which, nwhich, 0, &all))) goto out;
    for (size_t j = 0; j < all.n; j++) {
        if ((e = db_pairs_room(&v))) goto out;
        v.v[v.n++] = (all.v[j] & 0xffffffffu) << 1 | sure;
    }
    e = db_keep_sure(&v);
out:
    free(all.v);
    if (e || v.n == 0) {
        free(v.v);
        return e;
    }
    *out = (int64_t *)v.v;
    *n = v.n;
    return RP_OK;
}
