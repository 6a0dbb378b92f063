/*
 * bands.c: candidate pairs from the LSH buckets.
 *
 * The bands table is keyed (band, hash, article) and stored WITHOUT ROWID,
 * so its B-tree already is the bucket list in sorted order: one scan in key
 * order visits each bucket's members consecutively, with no sort step. Every
 * bucket of at most bucket_cap members contributes all its pairs; larger
 * buckets are boilerplate (a shared byline, a stock paragraph) and are only
 * counted.
 *
 * A pair that shares several buckets is met several times, so pairs are
 * packed as (a << 32 | b) into one growing array that is radix-sorted and
 * deduplicated whenever it fills up; if compaction frees less than half of
 * it, it doubles. The callback then sees each pair once, in sorted order,
 * whatever order the rows were inserted in.
 *
 * Point lookups (a query article against the index) read each of its
 * buckets with LIMIT cap+1 so an oversized bucket costs cap+1 rows, not all.
 */
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

#define PAIR_ID_LIMIT ((int64_t)1 << 32)

typedef struct u64vec {
    uint64_t *v;
    size_t n, cap;
} u64vec;

/* Make room for one more value, compacting (sort + dedup) before growing. */
static rp_err pairs_room(u64vec *p)
{
    if (p->n < p->cap) return RP_OK;
    if (p->cap) {
        rp_err e = db_sort_unique_u64(p->v, &p->n);
        if (e) return e;
        if (p->n < p->cap / 2) return RP_OK;
    }
    size_t ncap = p->cap ? p->cap * 2 : (size_t)1 << 16;
    uint64_t *v = realloc(p->v, ncap * sizeof *v);
    if (!v) return RP_NOMEM;
    p->v = v;
    p->cap = ncap;
    return RP_OK;
}

/* Emit all pairs of one bucket (members sorted ascending, distinct). */
static rp_err bucket_pairs(rp_db *db, const int64_t *m, size_t n, u64vec *pairs)
{
    for (size_t i = 0; i < n; i++) {
        if (m[i] <= 0 || m[i] >= PAIR_ID_LIMIT)
            return db_error(db, RP_LIMIT, "article rowid %lld out of range for pairing",
                            (long long)m[i]);
        for (size_t j = i + 1; j < n; j++) {
            rp_err e = pairs_room(pairs);
            if (e) return e;
            pairs->v[pairs->n++] = (uint64_t)m[i] << 32 | (uint64_t)m[j];
        }
    }
    return RP_OK;
}

rp_err rp_db_candidates(rp_db *db, size_t bucket_cap, rp_pair_fn fn, void *ctx,
                        uint64_t *skipped_buckets)
{
    if (skipped_buckets) *skipped_buckets = 0;
    sqlite3_stmt *s = db_stmt(db, ST_BANDS_SCAN);
    if (!s) return RP_DB;
    u64vec pairs = {0};
    int64_t *mem = NULL; /* members of the current bucket, up to the cap */
    size_t nmem = 0, memcap = 0, count = 0;
    int64_t cur_band = 0, cur_hash = 0;
    uint64_t skipped = 0;
    rp_err e = RP_OK;
    int rc, have = 0;
    for (;;) {
        rc = sqlite3_step(s);
        int64_t band = 0, hash = 0, art = 0;
        if (rc == SQLITE_ROW) {
            band = sqlite3_column_int64(s, 0);
            hash = sqlite3_column_int64(s, 1);
            art = sqlite3_column_int64(s, 2);
        }
        if (have && (rc != SQLITE_ROW || band != cur_band || hash != cur_hash)) {
            if (bucket_cap && count > bucket_cap)
                skipped++;
            else if (nmem > 1 && (e = bucket_pairs(db, mem, nmem, &pairs)))
                goto out;
            nmem = count = 0;
            have = 0;
        }
        if (rc != SQLITE_ROW) break;
        cur_band = band;
        cur_hash = hash;
        have = 1;
        count++;
        if (bucket_cap && count > bucket_cap) continue; /* only counted from here */
        if (nmem == memcap) {
            size_t ncap = memcap ? memcap * 2 : 64;
            int64_t *p = realloc(mem, ncap * sizeof *p);
            if (!p) {
                e = RP_NOMEM;
                goto out;
            }
            mem = p;
            memcap = ncap;
        }
        mem[nmem++] = art;
    }
    if (rc != SQLITE_DONE) {
        e = db_fail(db, rc, "cannot scan band hashes");
        goto out;
    }
    sqlite3_reset(s);
    if ((e = db_sort_unique_u64(pairs.v, &pairs.n))) goto out;
    if (skipped_buckets) *skipped_buckets = skipped;
    for (size_t i = 0; i < pairs.n; i++) {
        int64_t a = (int64_t)(pairs.v[i] >> 32), b = (int64_t)(pairs.v[i] & 0xffffffffu);
        if ((e = fn(ctx, a, b))) break;
    }
out:
    sqlite3_reset(s);
    free(mem);
    free(pairs.v);
    return e;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

rp_err rp_db_lookup(rp_db *db, const uint64_t *bands, size_t nbands, size_t bucket_cap,
                    int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *s = db_stmt(db, ST_BAND_LOOKUP);
    if (!s) return RP_DB;
    int64_t *v = NULL;
    size_t len = 0, cap = 0;
    size_t limit = bucket_cap ? bucket_cap + 1 : 0;
    rp_err e = RP_OK;
    sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
    for (size_t i = 0; i < nbands; i++) {
        sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
        sqlite3_bind_int64(s, 2, db_h2i(bands[i]));
        size_t start = len, got = 0;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
            if (len == cap) {
                size_t ncap = cap ? cap * 2 : 256;
                int64_t *p = realloc(v, ncap * sizeof *p);
                if (!p) {
                    e = RP_NOMEM;
                    goto out;
                }
                v = p;
                cap = ncap;
            }
            v[len++] = sqlite3_column_int64(s, 0);
            got++;
        }
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) {
            e = db_fail(db, rc, "cannot look up band hashes");
            goto out;
        }
        if (limit && got > bucket_cap) len = start; /* boilerplate bucket: drop it */
    }
    if (len > 1) {
        qsort(v, len, sizeof *v, cmp_i64);
        size_t w = 1;
        for (size_t i = 1; i < len; i++)
            if (v[i] != v[w - 1]) v[w++] = v[i];
        len = w;
    }
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
