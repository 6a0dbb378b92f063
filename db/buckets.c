/*
 * buckets.c: the bucket rule, one for every engine.
 *
 * Both stores (SQLite's sorted runs in bands.c and runs.c, PostgreSQL's
 * bands table in pgbands.c) hand each finished bucket, its members sorted
 * ascending, to db_bucket_pairs, and each point lookup asks db_bucket_wide
 * and db_bucket_sure, so that `cluster` and `query` find the same
 * candidates on both (see rp_db_candidates in reprint.h for the rule):
 *
 *   - a bucket of at most `crowd` members: all its pairs, sure when its band
 *     is below solo_from (a pair of the anchor sketch must meet twice);
 *   - a crowded bucket (more members, up to `cap`): each member with the
 *     bucket's pivot and with the WINDOW members after it in the caller's
 *     order (publication order), each to be met again;
 *   - a wide bucket (more than `cap`): each member with the pivot only, to
 *     be met again.
 *
 * Pairs are packed a << 33 | b << 1 | sure (a < b, rowids below 2^31);
 * db_pairs_compact merges repeats, a pair met twice becoming sure.
 */
#include <stdlib.h>

#include "db/dbint.h"

#define PAIR_ID_LIMIT ((int64_t)1 << 31)
#define CROWDED 24 /* bucket members above which one meeting is not enough */
#define WINDOW 48  /* a crowded bucket's members paired with this many next in order */

rp_err db_pairs_compact(db_vec *p)
{
    rp_err e = rp_sort_u64(p->v, p->n);
    if (e) return e;
    size_t w = 0;
    for (size_t i = 0, j; i < p->n; i = j) {
        uint64_t key = p->v[i] >> 1;
        for (j = i + 1; j < p->n && p->v[j] >> 1 == key; j++) {
        }
        /* Sorted, so a sure repeat (low bit 1) is the last of its run. */
        uint64_t sure = (j - i > 1) || (p->v[j - 1] & 1);
        p->v[w++] = key << 1 | sure;
    }
    p->n = w;
    return RP_OK;
}

rp_err db_pairs_room(db_vec *p)
{
    if (p->n < p->cap) return RP_OK;
    if (p->cap) {
        rp_err e = db_pairs_compact(p);
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

rp_err db_keep_sure(db_vec *v)
{
    rp_err e = db_pairs_compact(v);
    if (e) return e;
    size_t w = 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->v[i] & 1) v->v[w++] = v->v[i] >> 1;
    v->n = w;
    return RP_OK;
}

rp_err db_pairs_each_sure(const db_vec *p, rp_pair_fn fn, void *ctx)
{
    for (size_t i = 0; i < p->n; i++) {
        if (!(p->v[i] & 1)) continue;
        int64_t a = (int64_t)(p->v[i] >> 33), b = (int64_t)(p->v[i] >> 1 & 0x7fffffffu);
        rp_err e = fn(ctx, a, b);
        if (e) return e;
    }
    return RP_OK;
}

db_bucket_rule db_bucket_rule_of(size_t bucket_cap, size_t solo_from)
{
    /* Without a cap every bucket counts in full, crowded or not. */
    db_bucket_rule r = {bucket_cap, bucket_cap ? (bucket_cap < CROWDED ? bucket_cap : CROWDED) : 0,
                        solo_from};
    return r;
}

int db_bucket_wide(const db_bucket_rule *r, size_t n)
{
    return r->cap && n > r->cap;
}

uint64_t db_bucket_sure(const db_bucket_rule *r, size_t band, size_t n)
{
    return band < r->solo_from && (!r->crowd || n <= r->crowd);
}

static rp_err check_rowid(rp_db *db, int64_t a)
{
    if (a <= 0 || a >= PAIR_ID_LIMIT)
        return db_error(db, RP_LIMIT, "article rowid %lld out of range for pairing", (long long)a);
    return RP_OK;
}

/* The caller's order of articles: rank[rowid], lower first; rowids
 * beyond the array (or no array) come after, in rowid order. */
static uint64_t order_key(const db_order *o, int64_t art)
{
    uint64_t r = o->rank && (uint64_t)art < o->nrank ? o->rank[art] : UINT32_MAX;
    return r << 32 | ((uint64_t)art & 0xffffffffu);
}

/* All pairs of one bucket (members sorted ascending, distinct). */
static rp_err all_pairs(rp_db *db, const int64_t *m, size_t n, uint64_t sure, db_vec *pairs)
{
    for (size_t i = 0; i < n; i++) {
        rp_err e = check_rowid(db, m[i]);
        if (e) return e;
        for (size_t j = i + 1; j < n; j++) {
            if ((e = db_pairs_room(pairs))) return e;
            pairs->v[pairs->n++] = (uint64_t)m[i] << 33 | (uint64_t)m[j] << 1 | sure;
        }
    }
    return RP_OK;
}

/* Each member of a wide bucket with its pivot m[piv], to be met again. */
static rp_err star(rp_db *db, const int64_t *m, size_t n, size_t piv, db_vec *pairs)
{
    rp_err e = check_rowid(db, m[piv]);
    if (e) return e;
    uint64_t p = (uint64_t)m[piv];
    for (size_t i = 0; i < n; i++) {
        if (i == piv) continue;
        if ((e = check_rowid(db, m[i])) || (e = db_pairs_room(pairs))) return e;
        uint64_t x = (uint64_t)m[i];
        pairs->v[pairs->n++] = x < p ? x << 33 | p << 1 : p << 33 | x << 1;
    }
    return RP_OK;
}

/* The pairs of a crowded bucket that lie within WINDOW of each other in
 * the caller's order, and each member with the first in that order (the
 * pivot), all to be met again. keys is scratch of n. */
static rp_err window(rp_db *db, const int64_t *m, size_t n, const db_order *ord, uint64_t *keys,
                     db_vec *pairs)
{
    for (size_t i = 0; i < n; i++)
        keys[i] = order_key(ord, m[i]);
    rp_err e = rp_sort_u64(keys, n);
    if (e) return e;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = keys[i] & 0xffffffffu;
        if ((e = check_rowid(db, (int64_t)x))) return e;
        for (size_t j = i + 1; j < n && (j <= i + WINDOW || i == 0); j++) {
            uint64_t y = keys[j] & 0xffffffffu;
            if ((e = db_pairs_room(pairs))) return e;
            pairs->v[pairs->n++] = x < y ? x << 33 | y << 1 : y << 33 | x << 1;
        }
    }
    return RP_OK;
}

rp_err db_bucket_pairs(rp_db *db, const db_bucket_rule *r, size_t band, const int64_t *mem,
                       size_t n, const db_order *ord, db_vec *scratch, db_vec *pairs,
                       uint64_t *wide)
{
    if (n < 2) return RP_OK;
    if (db_bucket_wide(r, n)) {
        size_t piv = 0;
        uint64_t piv_key = UINT64_MAX;
        for (size_t k = 0; k < n; k++) {
            uint64_t ok = order_key(ord, mem[k]);
            if (ok < piv_key) {
                piv_key = ok;
                piv = k;
            }
        }
        (*wide)++;
        return star(db, mem, n, piv, pairs);
    }
    if (r->crowd && n > r->crowd) {
        rp_err e = rp_grow(&scratch->v, &scratch->cap, n, sizeof *scratch->v);
        if (e) return e;
        return window(db, mem, n, ord, scratch->v, pairs);
    }
    return all_pairs(db, mem, n, db_bucket_sure(r, band, n), pairs);
}

rp_err db_lookup_bucket(const db_bucket_rule *r, size_t band, const uint64_t *mem, size_t got,
                        db_lookup *l)
{
    if (got == 0) return RP_OK;
    rp_err e;
    /* The text looked up is one more member of the bucket. */
    if (db_bucket_wide(r, got + 1)) {
        uint64_t piv = mem[0] & 0xffffffffu;
        for (size_t j = 1; j < got; j++)
            if ((mem[j] & 0xffffffffu) < piv) piv = mem[j] & 0xffffffffu;
        if ((e = db_pairs_room(&l->v))) return e;
        l->v.v[l->v.n++] = piv << 1;
        if (l->want_wide) {
            if ((e = rp_grow(&l->w, &l->wcap, l->nw + 1, sizeof *l->w))) return e;
            l->w[l->nw].band = band;
            l->w[l->nw].pivot = (int64_t)piv;
            l->nw++;
        }
        return RP_OK;
    }
    uint64_t sure = db_bucket_sure(r, band, got + 1);
    for (size_t j = 0; j < got; j++) {
        if ((e = db_pairs_room(&l->v))) return e;
        l->v.v[l->v.n++] = (mem[j] & 0xffffffffu) << 1 | sure;
    }
    return RP_OK;
}

rp_err db_lookup_finish(rp_err e, db_lookup *l, int64_t **out, size_t *n, rp_db_wide **wide,
                        size_t *nwide)
{
    if (!e) e = db_keep_sure(&l->v);
    if (e || !wide || l->nw == 0) {
        free(l->w);
    } else {
        *wide = l->w;
        *nwide = l->nw;
    }
    l->w = NULL;
    if (e || l->v.n == 0) {
        free(l->v.v);
        l->v.v = NULL;
        return e;
    }
    /* row ids are positive and were sorted as packed values */
    *out = (int64_t *)l->v.v;
    *n = l->v.n;
    l->v.v = NULL;
    return RP_OK;
}
