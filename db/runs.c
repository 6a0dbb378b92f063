/*
 * runs.c: the LSH buckets as sorted runs of (band hash, article) entries.
 *
 * A band's buckets are the band's entries sorted by (hash, article): equal
 * hashes are adjacent, so one pass over a band lists its buckets. A flush
 * (bands.c) sorts the staged articles' entries of each band in memory and
 * writes them as one run: the band's entries of that flush, cut into blocks
 * of about RUN_BLOCK entries, one row of band_runs each (schema.c), keyed
 * (band, run, last hash of the block). A block never ends inside a bucket,
 * so a bucket lies whole in one block of each run, and a point lookup is one
 * key seek per run (the first block whose last hash is at or above the hash
 * looked up) and a binary search in that block: the block keys are the
 * sparse index. An entry is 12 bytes, the hash as a little-endian uint64
 * and the article as a little-endian uint32; hashes are random, so
 * delta-coding them would save about a byte in twelve and cost the binary
 * search.
 *
 * Candidate generation reads a band's blocks in key order, run by run, and
 * merges the runs in memory (runs are few: see db_runs_compact). Readers
 * merge with duplicates dropped: an entry may be stored twice after a flush
 * cut short between its passes (the staged rows are only deleted by the
 * last pass, so the next flush writes the bands already written again, as
 * a new run), and merging runs removes the copies for good.
 *
 * Every flush adds a run to every band it covers, so runs are merged (all
 * bands alike, band_run_list keeps each run's size in staged articles) as
 * a binary counter carries: while the newest run is at least as large as
 * the one before, the two become one. Sizes then at least double from each
 * run to the one before it, a band has O(log n) runs, and each entry is
 * rewritten at most log2(n / flush) times over the life of the index (an
 * index run flushes every 128 MiB of staged entries, about 73k articles:
 * bands.c); indexing everything in one short run makes one run per band,
 * written once.
 *
 * Files of schema version 1 kept one B-tree row per (band, hash, article)
 * in table bands; opening one for writing moves the rows into one run and
 * drops the table (schema.c), a read-only handle reads the old table
 * (db->bands_v1) where it would read runs.
 */
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

#define ENTRY_BYTES 12

static uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

static uint32_t load_le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void db_entries_free(db_entries *x)
{
    if (!x) return;
    free(x->key);
    free(x->art);
    memset(x, 0, sizeof *x);
}

/* Room for need entries in all. */
static rp_err entries_room(db_entries *x, size_t need)
{
    if (need <= x->cap) return RP_OK;
    size_t ncap = x->cap ? x->cap : 256;
    while (ncap < need)
        ncap *= 2;
    uint64_t *k = realloc(x->key, ncap * sizeof *k);
    if (!k) return RP_NOMEM;
    x->key = k;
    uint32_t *a = realloc(x->art, ncap * sizeof *a);
    if (!a) return RP_NOMEM;
    x->art = a;
    x->cap = ncap;
    return RP_OK;
}

static int entry_less(uint64_t ka, uint32_t aa, uint64_t kb, uint32_t ab)
{
    return ka < kb || (ka == kb && aa < ab);
}

/* Append one block's entries to x, checking that they are whole entries in
 * ascending order (and after x's last one when after is set). */
static rp_err block_decode(rp_db *db, size_t band, const unsigned char *p, size_t len, int after,
                           db_entries *x)
{
    if (len % ENTRY_BYTES)
        return db_error(db, RP_DB,
                        "the stored buckets of band %zu are corrupt (block of %zu bytes)", band,
                        len);
    size_t n = len / ENTRY_BYTES;
    rp_err e = entries_room(x, x->n + n);
    if (e) return e;
    for (size_t i = 0; i < n; i++, p += ENTRY_BYTES) {
        uint64_t k = load_le64(p) ^ DB_SIGN_BIT;
        uint32_t a = load_le32(p + 8);
        if ((i || after) && x->n && !entry_less(x->key[x->n - 1], x->art[x->n - 1], k, a))
            return db_error(db, RP_DB, "the stored buckets of band %zu are corrupt (out of order)",
                            band);
        x->key[x->n] = k;
        x->art[x->n] = a;
        x->n++;
    }
    return RP_OK;
}

/* Merge the sorted entries x[0, mid) and x[mid, n) in place of x, equal
 * entries kept once (tmp is scratch, grown as needed). */
static rp_err merge_halves(db_entries *x, size_t mid, db_entries *tmp)
{
    rp_err e = entries_room(tmp, x->n);
    if (e) return e;
    size_t i = 0, j = mid, w = 0;
    while (i < mid || j < x->n) {
        uint64_t k;
        uint32_t a;
        if (j >= x->n || (i < mid && entry_less(x->key[i], x->art[i], x->key[j], x->art[j]))) {
            k = x->key[i];
            a = x->art[i++];
        } else {
            if (i < mid && x->key[i] == x->key[j] && x->art[i] == x->art[j]) i++;
            k = x->key[j];
            a = x->art[j++];
        }
        tmp->key[w] = k;
        tmp->art[w] = a;
        w++;
    }
    memcpy(x->key, tmp->key, w * sizeof *x->key);
    memcpy(x->art, tmp->art, w * sizeof *x->art);
    x->n = w;
    return RP_OK;
}

rp_err db_entries_merge(db_entries *x, size_t mid)
{
    db_entries tmp = {0};
    rp_err e = merge_halves(x, mid, &tmp);
    db_entries_free(&tmp);
    return e;
}

rp_err db_run_write(rp_db *db, size_t band, int64_t run, const uint64_t *key, const uint32_t *art,
                    size_t n)
{
    sqlite3_stmt *s = db_stmt(db, ST_RUN_PUT);
    if (!s) return RP_DB;
    unsigned char *buf = NULL;
    size_t bufcap = 0;
    rp_err e = RP_OK;
    for (size_t i = 0, j; i < n; i = j) {
        j = i + (n - i < RUN_BLOCK ? n - i : RUN_BLOCK);
        while (j < n && key[j] == key[j - 1])
            j++;
        size_t len = (j - i) * ENTRY_BYTES;
        if (len > (size_t)INT32_MAX) {
            e = db_error(db, RP_LIMIT, "bucket too large to store");
            goto out;
        }
        if (len > bufcap) {
            unsigned char *p = realloc(buf, len);
            if (!p) {
                e = RP_NOMEM;
                goto out;
            }
            buf = p;
            bufcap = len;
        }
        unsigned char *w = buf;
        for (size_t x = i; x < j; x++, w += ENTRY_BYTES) {
            uint64_t h = key[x] ^ DB_SIGN_BIT;
            for (unsigned b = 0; b < 8; b++)
                w[b] = (unsigned char)(h >> (8 * b));
            for (unsigned b = 0; b < 4; b++)
                w[8 + b] = (unsigned char)(art[x] >> (8 * b));
        }
        sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
        sqlite3_bind_int64(s, 2, run);
        sqlite3_bind_int64(s, 3, db_h2i(key[j - 1] ^ DB_SIGN_BIT));
        sqlite3_bind_int64(s, 4, (sqlite3_int64)(j - i));
        sqlite3_bind_blob(s, 5, buf, (int)len, SQLITE_STATIC);
        int rc = sqlite3_step(s);
        sqlite3_reset(s);
        if (rc != SQLITE_DONE) {
            e = db_fail(db, rc, "cannot store band hashes");
            goto out;
        }
    }
out:
    sqlite3_clear_bindings(s);
    free(buf);
    return e;
}

/* Entries of a version-1 file's bands table for one band. */
static rp_err band_read_v1(rp_db *db, size_t band, db_entries *x)
{
    sqlite3_stmt *s = db_stmt(db, ST_V1_BAND);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
    rp_err e = RP_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = entries_room(x, x->n + 1))) break;
        int64_t art = sqlite3_column_int64(s, 1);
        if (art <= 0 || art >= DB_STAGE_ARTICLE_LIMIT) {
            e = db_error(db, RP_DB, "band row of article %lld out of range", (long long)art);
            break;
        }
        x->key[x->n] = db_i2h(sqlite3_column_int64(s, 0)) ^ DB_SIGN_BIT;
        x->art[x->n] = (uint32_t)art;
        x->n++;
    }
    sqlite3_reset(s);
    if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read band hashes");
    return e;
}

rp_err db_band_read(rp_db *db, size_t band, db_entries *x)
{
    x->n = 0;
    if (db->bands_v1) return band_read_v1(db, band, x);
    sqlite3_stmt *s = db_stmt(db, ST_RUNS_BAND);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
    db_entries tmp = {0};
    rp_err e = RP_OK;
    int rc;
    int64_t cur = 0;
    int have = 0;
    size_t start = 0; /* where the current run begins in x */
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t run = sqlite3_column_int64(s, 0);
        const unsigned char *p = sqlite3_column_blob(s, 1);
        size_t len = (size_t)sqlite3_column_bytes(s, 1);
        int same = have && run == cur;
        if (have && !same && start > 0) {
            /* the run before this one is complete: fold it into the rest */
            if ((e = merge_halves(x, start, &tmp))) break;
        }
        if (!same) start = x->n;
        if ((e = block_decode(db, band, p, len, same, x))) break;
        cur = run;
        have = 1;
    }
    sqlite3_reset(s);
    if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read band hashes");
    if (!e && start > 0) e = merge_halves(x, start, &tmp);
    db_entries_free(&tmp);
    return e;
}

rp_err db_bands_max(rp_db *db, int64_t *max)
{
    *max = -1;
    sqlite3_stmt *s = db_stmt(db, db->bands_v1 ? ST_V1_BANDS_MAX : ST_RUNS_MAX);
    if (!s) return RP_DB;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
        *max = sqlite3_column_int64(s, 0);
    sqlite3_reset(s);
    if (rc != SQLITE_ROW) return db_fail(db, rc, "cannot read band hashes");
    return RP_OK;
}

rp_err db_runs_list(rp_db *db, db_run **runs, size_t *n)
{
    *runs = NULL;
    *n = 0;
    if (db->bands_v1) return RP_OK;
    sqlite3_stmt *s = db_stmt(db, ST_RUNS_LIST);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = rp_grow(runs, &cap, *n + 1, sizeof **runs))) break;
        (*runs)[*n].run = sqlite3_column_int64(s, 0);
        (*runs)[*n].articles = sqlite3_column_int64(s, 1);
        (*n)++;
    }
    sqlite3_reset(s);
    if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read the list of band runs");
    if (e) {
        free(*runs);
        *runs = NULL;
        *n = 0;
    }
    return e;
}

/* The first entry of a sorted block with key at or above k (ENTRY_BYTES
 * each, n of them). */
static size_t block_find(const unsigned char *p, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((load_le64(p + mid * ENTRY_BYTES) ^ DB_SIGN_BIT) < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Append one run's members of bucket (band, hash) to out, ascending; at
 * most limit (0: all). */
static rp_err bucket_of_run(rp_db *db, sqlite3_stmt *s, size_t band, int64_t run, uint64_t hash,
                            size_t limit, db_vec *out)
{
    sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
    sqlite3_bind_int64(s, 2, run);
    sqlite3_bind_int64(s, 3, db_h2i(hash));
    rp_err e = RP_OK;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        size_t len = (size_t)sqlite3_column_bytes(s, 0);
        if (len % ENTRY_BYTES) {
            e = db_error(db, RP_DB,
                         "the stored buckets of band %zu are corrupt (block of %zu bytes)", band,
                         len);
        } else {
            size_t n = len / ENTRY_BYTES, got = 0;
            uint64_t k = hash ^ DB_SIGN_BIT;
            uint32_t prev = 0;
            for (size_t i = block_find(p, n, k);
                 i < n && (load_le64(p + i * ENTRY_BYTES) ^ DB_SIGN_BIT) == k; i++) {
                if (limit && got == limit) break;
                uint32_t a = load_le32(p + i * ENTRY_BYTES + 8);
                if (got && a <= prev) {
                    e = db_error(db, RP_DB, "the stored buckets of band %zu are corrupt", band);
                    break;
                }
                if ((e = db_vec_push(out, a))) break;
                prev = a;
                got++;
            }
        }
    } else if (rc != SQLITE_DONE) {
        e = db_fail(db, rc, "cannot look up band hashes");
    }
    sqlite3_reset(s);
    return e;
}

rp_err db_bucket_read(rp_db *db, const db_run *runs, size_t nruns, size_t band, uint64_t hash,
                      size_t limit, db_vec *out)
{
    out->n = 0;
    rp_err e = RP_OK;
    if (db->bands_v1) {
        sqlite3_stmt *s = db_stmt(db, ST_V1_LOOKUP);
        if (!s) return RP_DB;
        sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
        sqlite3_bind_int64(s, 2, db_h2i(hash));
        sqlite3_bind_int64(s, 3, limit ? (sqlite3_int64)limit : -1);
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW)
            if ((e = db_vec_push(out, (uint64_t)sqlite3_column_int64(s, 0)))) break;
        sqlite3_reset(s);
        if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot look up band hashes");
        return e;
    }
    sqlite3_stmt *s = db_stmt(db, ST_RUN_SEEK);
    if (!s) return RP_DB;
    for (size_t r = 0; r < nruns; r++) {
        size_t before = out->n;
        if ((e = bucket_of_run(db, s, band, runs[r].run, hash, limit, out))) return e;
        if (before == 0 || out->n == before) continue;
        /* merge this run's members into the earlier ones, once each */
        e = rp_sort_u64(out->v, out->n);
        if (e) return e;
        size_t w = 1;
        for (size_t i = 1; i < out->n; i++)
            if (out->v[i] != out->v[w - 1]) out->v[w++] = out->v[i];
        out->n = w;
    }
    if (limit && out->n > limit) out->n = limit;
    return RP_OK;
}

rp_err db_vec_push(db_vec *v, uint64_t x)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap ? v->cap * 2 : 64;
        uint64_t *p = realloc(v->v, ncap * sizeof *p);
        if (!p) return RP_NOMEM;
        v->v = p;
        v->cap = ncap;
    }
    v->v[v->n++] = x;
    return RP_OK;
}

/* Entries of one band's run, in order. */
static rp_err run_read(rp_db *db, size_t band, int64_t run, db_entries *x)
{
    sqlite3_stmt *s = db_stmt(db, ST_RUN_READ);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
    sqlite3_bind_int64(s, 2, run);
    rp_err e = RP_OK;
    int rc, first = 1;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const unsigned char *p = sqlite3_column_blob(s, 0);
        size_t len = (size_t)sqlite3_column_bytes(s, 0);
        if ((e = block_decode(db, band, p, len, !first, x))) break;
        first = 0;
    }
    sqlite3_reset(s);
    if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read band hashes");
    return e;
}

static rp_err run_delete(rp_db *db, size_t band, int64_t run)
{
    sqlite3_stmt *s = db_stmt(db, ST_RUN_DELETE);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, (sqlite3_int64)band);
    sqlite3_bind_int64(s, 2, run);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? RP_OK : db_fail(db, rc, "cannot rewrite band hashes");
}

/* The list after runs a and b became a: a of size, b gone. */
static rp_err list_merged(rp_db *db, int64_t a, int64_t b, int64_t size)
{
    sqlite3_stmt *u = db_stmt(db, ST_RUNS_RESIZE), *d = db_stmt(db, ST_RUNS_DROP);
    if (!u || !d) return RP_DB;
    sqlite3_bind_int64(u, 1, a);
    sqlite3_bind_int64(u, 2, size);
    int rc = sqlite3_step(u);
    sqlite3_reset(u);
    if (rc == SQLITE_DONE) {
        sqlite3_bind_int64(d, 1, b);
        rc = sqlite3_step(d);
        sqlite3_reset(d);
    }
    return rc == SQLITE_DONE ? RP_OK : db_fail(db, rc, "cannot update the list of band runs");
}

/* Run b of every band into run a (a < b), in one transaction per band
 * when the caller has none open: a merge cut short leaves some bands
 * merged (their run b empty) and the rest not, and is simply done again. */
static rp_err runs_merge(rp_db *db, int64_t a, int64_t b, int64_t size)
{
    int64_t maxb = -1;
    rp_err e = db_bands_max(db, &maxb);
    if (e) return e;
    db_entries x = {0}, tmp = {0};
    int own = db_autocommit(db);
    for (int64_t band = 0; band <= maxb && !e; band++) {
        if (own && (e = db_exec(db, "BEGIN IMMEDIATE"))) break;
        x.n = 0;
        size_t mid = 0;
        if (!(e = run_read(db, (size_t)band, a, &x))) {
            mid = x.n;
            e = run_read(db, (size_t)band, b, &x);
        }
        if (!e && x.n > mid) {
            if (mid) e = merge_halves(&x, mid, &tmp);
            if (!e) e = run_delete(db, (size_t)band, a);
            if (!e) e = run_delete(db, (size_t)band, b);
            if (!e) e = db_run_write(db, (size_t)band, a, x.key, x.art, x.n);
        }
        if (!e && band == maxb) e = list_merged(db, a, b, size);
        if (own) {
            if (e)
                sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
            else
                e = db_exec(db, "COMMIT");
        }
    }
    if (!e && maxb < 0) e = list_merged(db, a, b, size); /* no band at all */
    db_entries_free(&x);
    db_entries_free(&tmp);
    return e;
}

rp_err db_runs_compact(rp_db *db)
{
    if (db->flags & RP_DB_READONLY || db->bands_v1) return RP_OK;
    db_run *r = NULL;
    size_t n = 0;
    rp_err e = db_runs_list(db, &r, &n);
    while (!e && n >= 2 && (r[n - 1].articles >= r[n - 2].articles || n > RUNS_MAX)) {
        int64_t size = r[n - 2].articles + r[n - 1].articles;
        e = runs_merge(db, r[n - 2].run, r[n - 1].run, size);
        r[n - 2].articles = size;
        n--;
    }
    free(r);
    return e;
}

/* Rewrite one block without article (entries of heir, when not 0, in its
 * place); *hit set when the block held it. */
static rp_err block_edit(rp_db *db, size_t band, int64_t run, int64_t last, const unsigned char *p,
                         size_t len, int64_t article, int64_t heir, int *hit)
{
    db_entries x = {0}, y = {0}, tmp = {0};
    *hit = 0;
    rp_err e = block_decode(db, band, p, len, 0, &x);
    if (e) goto out;
    size_t w = 0;
    for (size_t i = 0; i < x.n; i++) {
        if (x.art[i] == (uint32_t)article) {
            *hit = 1;
            if (heir) {
                if ((e = entries_room(&y, y.n + 1))) goto out;
                y.key[y.n] = x.key[i];
                y.art[y.n++] = (uint32_t)heir;
            }
            continue;
        }
        x.key[w] = x.key[i];
        x.art[w++] = x.art[i];
    }
    if (!*hit) goto out;
    x.n = w;
    /* the heir's entries, in order too, merged in (an entry it already has
     * is kept once) */
    size_t mid = x.n;
    if (y.n) {
        if ((e = entries_room(&x, x.n + y.n))) goto out;
        memcpy(x.key + x.n, y.key, y.n * sizeof *y.key);
        memcpy(x.art + x.n, y.art, y.n * sizeof *y.art);
        x.n += y.n;
        if ((e = merge_halves(&x, mid, &tmp))) goto out;
    }
    sqlite3_stmt *d = db_stmt(db, ST_RUN_BLOCK_DELETE);
    if (!d) {
        e = RP_DB;
        goto out;
    }
    sqlite3_bind_int64(d, 1, (sqlite3_int64)band);
    sqlite3_bind_int64(d, 2, run);
    sqlite3_bind_int64(d, 3, last);
    int rc = sqlite3_step(d);
    sqlite3_reset(d);
    if (rc != SQLITE_DONE) {
        e = db_fail(db, rc, "cannot remove the article's bands");
        goto out;
    }
    e = db_run_write(db, band, run, x.key, x.art, x.n);
out:
    db_entries_free(&x);
    db_entries_free(&y);
    db_entries_free(&tmp);
    return e;
}

/* A copy of a block row's key and data, so it can be rewritten once the
 * statement that read it is reset. */
typedef struct block_copy {
    size_t band;
    int64_t run, last;
    unsigned char *data;
    size_t len;
} block_copy;

rp_err db_runs_remove(rp_db *db, int64_t article, int64_t heir, const uint64_t *bands,
                      size_t nbands)
{
    db_run *runs = NULL;
    size_t nruns = 0, found = 0;
    block_copy c = {0};
    rp_err e = db_runs_list(db, &runs, &nruns);
    if (e) return e;
    sqlite3_stmt *s = db_stmt(db, ST_RUN_SEEK);
    if (!s) {
        e = RP_DB;
        goto out;
    }
    for (size_t i = 0; i < nbands; i++) {
        int in_band = 0;
        for (size_t r = 0; r < nruns; r++) {
            sqlite3_bind_int64(s, 1, (sqlite3_int64)i);
            sqlite3_bind_int64(s, 2, runs[r].run);
            sqlite3_bind_int64(s, 3, db_h2i(bands[i]));
            int rc = sqlite3_step(s);
            if (rc == SQLITE_ROW) {
                c.len = (size_t)sqlite3_column_bytes(s, 0);
                c.last = sqlite3_column_int64(s, 1);
                unsigned char *d = malloc(c.len ? c.len : 1);
                if (!d) {
                    sqlite3_reset(s);
                    e = RP_NOMEM;
                    goto out;
                }
                if (c.len) memcpy(d, sqlite3_column_blob(s, 0), c.len);
                free(c.data);
                c.data = d;
            }
            sqlite3_reset(s);
            if (rc == SQLITE_DONE) continue;
            if (rc != SQLITE_ROW) {
                e = db_fail(db, rc, "cannot remove the article's bands");
                goto out;
            }
            int hit = 0;
            if ((e = block_edit(db, i, runs[r].run, c.last, c.data, c.len, article, heir, &hit)))
                goto out;
            in_band |= hit;
        }
        found += (size_t)in_band;
    }
    if (found < nbands) {
        /* Some entries were not where the hashes said (an index written with
         * other features): find the blocks that hold the article by scan,
         * then rewrite them. */
        block_copy *todo = NULL;
        size_t ntodo = 0, cap = 0;
        sqlite3_stmt *all = db_stmt(db, ST_RUNS_ALL);
        if (!all) {
            e = RP_DB;
            goto out;
        }
        int rc;
        while ((rc = sqlite3_step(all)) == SQLITE_ROW) {
            const unsigned char *p = sqlite3_column_blob(all, 3);
            size_t len = (size_t)sqlite3_column_bytes(all, 3), k;
            for (k = 0; k + ENTRY_BYTES <= len; k += ENTRY_BYTES)
                if (load_le32(p + k + 8) == (uint32_t)article) break;
            if (k + ENTRY_BYTES > len) continue;
            if ((e = rp_grow(&todo, &cap, ntodo + 1, sizeof *todo))) break;
            block_copy *t = &todo[ntodo];
            t->band = (size_t)sqlite3_column_int64(all, 0);
            t->run = sqlite3_column_int64(all, 1);
            t->last = sqlite3_column_int64(all, 2);
            t->len = len;
            t->data = malloc(len);
            if (!t->data) {
                e = RP_NOMEM;
                break;
            }
            memcpy(t->data, p, len);
            ntodo++;
        }
        sqlite3_reset(all);
        if (!e && rc != SQLITE_DONE && rc != SQLITE_ROW)
            e = db_fail(db, rc, "cannot remove the article's bands");
        for (size_t k = 0; k < ntodo && !e; k++) {
            int hit = 0;
            e = block_edit(db, todo[k].band, todo[k].run, todo[k].last, todo[k].data, todo[k].len,
                           article, heir, &hit);
        }
        for (size_t k = 0; k < ntodo; k++)
            free(todo[k].data);
        free(todo);
    }
out:
    free(c.data);
    free(runs);
    return e;
}

rp_err db_runs_migrate_v1(rp_db *db)
{
    sqlite3_stmt *s = NULL;
    db_entries x = {0};
    int64_t band = -1;
    rp_err e = RP_OK;
    int rc = sqlite3_prepare_v2(
        db->h, "SELECT band, hash, article FROM bands ORDER BY band, hash, article", -1, &s, NULL);
    if (rc != SQLITE_OK) return db_fail(db, rc, "cannot read the band rows of the old layout");
    uint64_t total = 0;
    for (;;) {
        rc = sqlite3_step(s);
        int64_t b = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
        if (x.n && (rc != SQLITE_ROW || b != band)) {
            if ((e = db_run_write(db, (size_t)band, 1, x.key, x.art, x.n))) break;
            x.n = 0;
        }
        if (rc != SQLITE_ROW) break;
        int64_t art = sqlite3_column_int64(s, 2);
        if (b < 0 || art <= 0 || art >= DB_STAGE_ARTICLE_LIMIT) {
            e = db_error(db, RP_DB, "band row (%lld, article %lld) out of range", (long long)b,
                         (long long)art);
            break;
        }
        if ((e = entries_room(&x, x.n + 1))) break;
        x.key[x.n] = db_i2h(sqlite3_column_int64(s, 1)) ^ DB_SIGN_BIT;
        x.art[x.n++] = (uint32_t)art;
        band = b;
        total++;
    }
    if (!e && rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read the band rows of the old layout");
    sqlite3_finalize(s);
    db_entries_free(&x);
    if (!e && total) {
        /* The run's size for merging: its articles, as a flush counts them. */
        e = db_exec(db, "INSERT INTO band_run_list(run, articles)"
                        " SELECT 1, count(*) FROM articles WHERE exact_of IS NULL");
    }
    return e;
}
