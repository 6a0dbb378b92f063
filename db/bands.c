/*
 * bands.c: candidate pairs from the LSH buckets.
 *
 * The buckets are stored as sorted runs (runs.c): per band, the (hash,
 * article) entries of each flush, sorted, so candidates come from a sort
 * and merge in memory: a band's runs are read in bulk and merged, and runs
 * of equal hashes are the buckets. (The B-tree of one row per band hash
 * that this replaced cost a B-tree step per row to scan, 0.43 s of Reuters
 * candidates, and one insert per row to write.)
 *
 * One rule decides what a bucket of n members gives, for the scan and for
 * point lookups alike (bucket_rule): up to CROWDED members, every pair,
 * kept on one meeting (but in anchor bands); up to bucket_cap (crowded),
 * the pairs of a window in the caller's order (below), kept only if they
 * meet again in some other bucket (a lookup pairs the text looked up with
 * every member of such a bucket: N pairs already); over the cap (a wide
 * bucket: a wire story republished by hundreds of sites, or boilerplate),
 * each member paired with the bucket's pivot only, the member that comes
 * first in the caller's order (clustering passes the order of published
 * dates, so the pivot is the likely original), again kept only if met
 * twice. A wide bucket of N members thus costs N - 1 pairs, not N^2 / 2,
 * and nothing is dropped: near-identical copies all verify against the
 * pivot and the cluster is the tree of those edges. Wide buckets are
 * counted. A crowded bucket (more than CROWDED members, up to the cap)
 * pairs each member with the pivot and with the WINDOW members that follow
 * it in the caller's order, again only if met twice: (WINDOW + 1) N pairs
 * rather than N^2 / 2, and copies, published close to one another, stay
 * within a window. (Stars alone from CROWDED members up, tried on
 * Reuters-21578, cost 9 of its 1,169 links and 11 reuse pairs, since pairs
 * of a crowded bucket need not be copies of one member; a window of 24
 * split one of its clusters of 7; a window of 48 gives the same clusters
 * on Reuters-21578, on 100k generated articles and on the real pages, with
 * 11% and 14% fewer candidates: benchmarks/RESULTS.md.)
 *
 * A pair that shares several buckets is met several times, so pairs are
 * packed as (a << 33 | b << 1 | sure) into one growing array that is
 * radix-sorted and merged whenever it fills up; if compaction frees less
 * than half of it, it doubles. The callback then sees each pair once, in
 * sorted order, whatever order the rows were inserted in.
 *
 * Why crowded buckets need a second meeting: they make the candidate count
 * grow with the square of the corpus: in a large corpus,
 * many buckets of two-row bands are filled by articles that merely share
 * common phrasing. A pair from such a bucket is kept only if it meets
 * again in some other bucket; a pair from a small bucket (sure = 1) is kept
 * on that one meeting. True copies share many bands, so they survive the
 * rule; an article pair whose only evidence is one crowded bucket was a
 * poor candidate to begin with. On Reuters-21578 the rule drops few pairs;
 * on 100k generated articles it drops most of them (benchmarks/RESULTS.md).
 *
 * Point lookups (a query article against the index) read each of its
 * buckets (one block per run) up to cap+1 members, so a wide bucket costs
 * cap+1 entries, not all: the text looked up is paired with the pivot (the
 * lowest rowid: a lookup has no order of dates) and the wide bucket is
 * handed back, so the caller can read all its members
 * (rp_db_bucket_members) once the pivot verified.
 *
 * Indexing stages each article's band hashes as one BLOB in bands_new (see
 * schema.c); rp_db_bands_flush moves them into a new run. It reads the BLOBs
 * in passes, each pass covering as many bands as fit in 128 MiB of (hash,
 * article) entries (all 92 bands of 100k articles fit in one pass),
 * radix-sorts each band's entries in memory and writes them as that band's
 * part of the run, block after block. Each pass is a transaction; the last
 * one also deletes the staged rows (before its writes, so their pages are
 * reused). A flush cut short between passes is simply redone, as a new
 * run: the entries already written are then stored twice, which readers
 * count once (runs.c) until the runs are merged. After the flush the runs
 * are merged as db_runs_compact decides. Candidates and writable lookups
 * flush first, so they never miss an entry. A read-only lookup cannot
 * flush: it also reads the staged BLOBs and counts their matches as bucket
 * members, so a query sees every committed article while an index run is
 * writing, or after one was killed before its flush. That costs one read
 * of bands_new per lookup (about 740 bytes per staged article), which is
 * empty whenever no run is in progress.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

typedef db_vec u64vec;

/* Flipping the sign bit makes unsigned order SQLite's signed order. */
#define SIGN_BIT DB_SIGN_BIT

/* One band's entries of a flush pass, as parallel arrays (slices of the
 * pass's two blocks, with room for every staged article). */
typedef struct stage_band {
    uint64_t *key; /* hash ^ SIGN_BIT */
    uint32_t *art;
    size_t n;
} stage_band;

/* Stable LSD radix sort of a band's entries by key, one byte per pass,
 * moving the article beside its key; tk and ta are scratch of b->n. The
 * entries arrive in ascending article order, and stability keeps that
 * order among equal keys: the result is (hash, article) order. */
static void band_sort(stage_band *b, uint64_t *tk, uint32_t *ta)
{
    size_t n = b->n;
    if (n < 2) return;
    uint64_t *sk = b->key, *dk = tk;
    uint32_t *sa = b->art, *da = ta;
    for (unsigned shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(sk[i] >> shift) & 0xff]++;
        if (count[(sk[0] >> shift) & 0xff] == n) continue;
        size_t pos = 0;
        for (size_t d = 0; d < 256; d++) {
            size_t c = count[d];
            count[d] = pos;
            pos += c;
        }
        for (size_t i = 0; i < n; i++) {
            size_t at = count[(sk[i] >> shift) & 0xff]++;
            dk[at] = sk[i];
            da[at] = sa[i];
        }
        uint64_t *t64 = sk;
        sk = dk;
        dk = t64;
        uint32_t *t32 = sa;
        sa = da;
        da = t32;
    }
    if (sk != b->key) {
        memcpy(b->key, sk, n * sizeof *sk);
        memcpy(b->art, sa, n * sizeof *sa);
    }
}

static uint64_t load_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* Read bands [lo, lo + group) of the staged articles in [amin, amax] into
 * b; *width is raised to the most bands any staged BLOB holds. Articles are
 * distinct rowids in that range, so no band gets more than amax - amin + 1
 * entries, the room each slice has. */
static rp_err pass_read(rp_db *db, int64_t amin, int64_t amax, size_t lo, size_t group,
                        stage_band *b, size_t *width)
{
    sqlite3_stmt *s = db_stmt(db, ST_STAGE_READ);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    int rc;
    sqlite3_bind_int64(s, 1, amin);
    sqlite3_bind_int64(s, 2, amax);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t art = sqlite3_column_int64(s, 0);
        const unsigned char *blob = sqlite3_column_blob(s, 1);
        size_t len = (size_t)sqlite3_column_bytes(s, 1);
        if (len % 8 || art < amin || art > amax) {
            e = db_error(db, RP_DB, "the staged band hashes of article %lld are corrupt",
                         (long long)art);
            goto out;
        }
        size_t nb = len / 8;
        if (nb > *width) *width = nb;
        for (size_t j = lo; j < nb && j < lo + group; j++) {
            stage_band *sb = &b[j - lo];
            sb->key[sb->n] = load_le64(blob + 8 * j) ^ SIGN_BIT;
            sb->art[sb->n] = (uint32_t)art;
            sb->n++;
        }
    }
    if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read staged band hashes");
out:
    sqlite3_reset(s);
    return e;
}

/* Delete the staged rows of articles [amin, amax]. */
static rp_err stage_delete(rp_db *db, int64_t amin, int64_t amax)
{
    sqlite3_stmt *del = db_stmt(db, ST_STAGE_DELETE);
    if (!del) return RP_DB;
    sqlite3_bind_int64(del, 1, amin);
    sqlite3_bind_int64(del, 2, amax);
    int rc = sqlite3_step(del);
    sqlite3_reset(del);
    return rc == SQLITE_DONE ? RP_OK : db_fail(db, rc, "cannot clear staged band hashes");
}

/* Enter run in the list of runs, written for articles staged articles. */
static rp_err run_add(rp_db *db, int64_t run, int64_t articles)
{
    sqlite3_stmt *s = db_stmt(db, ST_RUNS_ADD);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, run);
    sqlite3_bind_int64(s, 2, articles);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc == SQLITE_DONE ? RP_OK : db_fail(db, rc, "cannot store the list of band runs");
}

/* One pass of a flush, in a transaction of its own unless the caller has
 * one open: bands [lo, lo + group) of the staged articles in [amin, amax]
 * enter bands. The pass that completes the widest BLOB first deletes the
 * staged rows (all it needs is in memory by then), so the pages they free
 * take the new band rows rather than lingering in the file. */
static rp_err flush_pass(rp_db *db, int64_t run, int64_t amin, int64_t amax, size_t lo,
                         size_t group, size_t *width)
{
    size_t room = (size_t)(amax - amin) + 1;
    stage_band *b = calloc(group, sizeof *b);
    /* One block per pass, no growing: parts never written (rowids of
     * articles without bands) cost address space only. */
    uint64_t *keys = malloc(group * room * sizeof *keys), *tk = malloc(room * sizeof *tk);
    uint32_t *arts = malloc(group * room * sizeof *arts), *ta = malloc(room * sizeof *ta);
    int own = 0;
    rp_err e = RP_OK;
    if (!b || !keys || !tk || !arts || !ta) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t j = 0; j < group; j++) {
        b[j].key = keys + j * room;
        b[j].art = arts + j * room;
    }
    own = db_autocommit(db);
    if (own && (e = rp_db_begin(db))) {
        own = 0;
        goto out;
    }
    if ((e = pass_read(db, amin, amax, lo, group, b, width))) goto out;
    if (lo == 0 && (e = run_add(db, run, (int64_t)room))) goto out;
    if (lo + group >= *width && (e = stage_delete(db, amin, amax))) goto out;
    for (size_t j = 0; j < group; j++) {
        band_sort(&b[j], tk, ta);
        if ((e = db_run_write(db, lo + j, run, b[j].key, b[j].art, b[j].n))) goto out;
    }
out:
    if (own) {
        if (e)
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        else
            e = rp_db_commit(db);
    }
    free(b);
    free(keys);
    free(arts);
    free(tk);
    free(ta);
    return e;
}

int rp_db_bands_flush_due(const rp_db *db)
{
    /* 12 bytes per entry in a pass (bands.c flush_pass) */
    return db && db->staged * 12 >= db->flush_pass_bytes;
}

rp_err rp_db_bands_flush(rp_db *db)
{
    if (db->pg) return db_pg_bands_flush(db);
    if (db->flags & RP_DB_READONLY) return RP_OK;
    sqlite3_stmt *r = db_stmt(db, ST_STAGE_RANGE);
    if (!r) return RP_DB;
    int rc = sqlite3_step(r);
    int none = rc != SQLITE_ROW || sqlite3_column_type(r, 0) == SQLITE_NULL;
    int64_t amin = none ? 0 : sqlite3_column_int64(r, 0);
    int64_t amax = none ? 0 : sqlite3_column_int64(r, 1);
    sqlite3_reset(r);
    if (rc != SQLITE_ROW) return db_fail(db, rc, "cannot read staged band hashes");
    if (none) {
        db->staged = 0;
        return RP_OK;
    }
    /* Articles staged later get higher rowids, so this range holds the
     * same rows in every pass (fewer, if another writer flushed them). */
    if (amin <= 0 || amax >= DB_STAGE_ARTICLE_LIMIT)
        return db_error(db, RP_DB, "staged band hashes for article %lld are corrupt",
                        (long long)(amin <= 0 ? amin : amax));
    uint64_t limit = (uint64_t)(amax - amin) + 1; /* staged rows, at most */
    uint64_t per_band = limit * 12;
    uint64_t budget = db->flush_pass_bytes;
    size_t group = per_band >= budget ? 1 : (size_t)(budget / per_band);
    if (group > DB_FLUSH_MAX_BANDS) group = DB_FLUSH_MAX_BANDS;
    /* The new run's number: one above the last. */
    int64_t run = 0;
    sqlite3_stmt *next = db_stmt(db, ST_RUNS_NEXT);
    if (!next) return RP_DB;
    rp_err e = db_one_int64(db, next, &run, "cannot read the list of band runs");
    if (e) return e;
    size_t width = 0;
    for (size_t lo = 0;; lo += group) {
        if ((e = flush_pass(db, run, amin, amax, lo, group, &width))) return e;
        if (lo + group >= width) break;
    }
    db->staged = 0;
    return db_runs_compact(db);
}

/* The pairs of bands [lo, hi) on db's connection, band by band: each
 * band's entries read in bulk (runs.c merges its runs), then walked bucket
 * by bucket; every pair the bucket rule gives goes into *pairs (not yet
 * compacted); wide buckets are counted in *wide. One read transaction
 * (unless the caller has one open) holds one snapshot for all the bands,
 * as the single scan of the old bands table did: a flush or merge
 * committing meanwhile changes no band half-way through the reading. */
static rp_err scan_bands(rp_db *db, int64_t lo, int64_t hi, const db_bucket_rule *rule,
                         const db_order *ord, u64vec *pairs, uint64_t *wide)
{
    db_entries x = {0};
    int64_t *mem = NULL; /* members of the current bucket */
    size_t memcap = 0;
    u64vec scratch = {0};
    int own = db_autocommit(db);
    rp_err e = own ? db_exec(db, "BEGIN") : RP_OK;
    if (e) return e;
    for (int64_t band = lo; band < hi && !e; band++) {
        if ((e = db_band_read(db, (size_t)band, &x))) break;
        for (size_t i = 0, j; i < x.n && !e; i = j) {
            for (j = i + 1; j < x.n && x.key[j] == x.key[i]; j++) {
            }
            size_t nmem = j - i;
            if (nmem < 2) continue;
            if ((e = rp_grow(&mem, &memcap, nmem, sizeof *mem))) break;
            for (size_t k = 0; k < nmem; k++)
                mem[k] = (int64_t)x.art[i + k];
            e = db_bucket_pairs(db, rule, (size_t)band, mem, nmem, ord, &scratch, pairs, wide);
        }
    }
    if (own) {
        rp_err ce = db_exec(db, "COMMIT");
        if (!e) e = ce;
    }
    db_entries_free(&x);
    free(mem);
    free(scratch.v);
    return e;
}

/* The upper half of the bands, scanned by a thread on a connection of its
 * own while the caller's connection scans the lower half. */
typedef struct half_scan {
    rp_db *db;
    int64_t lo, hi;
    const db_bucket_rule *rule;
    const db_order *ord;
    u64vec pairs;
    uint64_t wide;
    rp_err e;
} half_scan;

static void *half_scan_main(void *v)
{
    half_scan *h = v;
    h->e = scan_bands(h->db, h->lo, h->hi, h->rule, h->ord, &h->pairs, &h->wide);
    if (!h->e) h->e = db_pairs_compact(&h->pairs);
    return NULL;
}

/* A second connection to scan with, or NULL when it would not see exactly
 * what db sees (no file, or an open transaction whose rows only db sees)
 * or cannot be had; the caller then scans alone. */
static rp_db *second_reader(rp_db *db)
{
    if (!db->path || !db->path[0] || strcmp(db->path, ":memory:") == 0 ||
        strncmp(db->path, "file:", 5) == 0 || !db_autocommit(db))
        return NULL;
    rp_db *r = NULL;
    if (rp_db_open(&r, db->path, RP_DB_READONLY) != RP_OK) {
        rp_db_close(r);
        return NULL;
    }
    return r;
}

/* Candidates come from the bands read and merged one after another, split
 * in two halves of the bands read at once on two connections when a second
 * one can be had: reading is most of the work and the other cores are idle
 * then.
 * The halves are read in two snapshots: an article a concurrent indexer
 * commits in between may show in one half only, and the candidates are
 * those of a mix of the two states (clustering already reads its list of
 * articles before the bands, and skips pairs with newer articles). Merging the halves' pairs and
 * compacting them gives the same set, sure bits included, as one scan: a pair met in both halves is
 * met more than once. */
rp_err rp_db_candidates(rp_db *db, size_t bucket_cap, size_t solo_from, const uint32_t *rank,
                        size_t nrank, rp_pair_fn fn, void *ctx, uint64_t *wide_buckets)
{
    if (db->pg)
        return db_pg_candidates(db, bucket_cap, solo_from, rank, nrank, fn, ctx, wide_buckets);
    if (wide_buckets) *wide_buckets = 0;
    rp_err e = rp_db_bands_flush(db);
    if (e) return e;
    db_bucket_rule rule = db_bucket_rule_of(bucket_cap, solo_from);
    db_order ord = {rank, nrank};
    u64vec pairs = {0};
    uint64_t wide = 0;
    half_scan h = {0};
    pthread_t t;
    int started = 0;
    int64_t maxb = -1;
    if ((e = db_bands_max(db, &maxb))) goto out;
    int64_t mid = maxb + 1;
    if (maxb > 0 && (h.db = second_reader(db))) {
        mid = maxb / 2 + 1;
        h.lo = mid;
        h.hi = maxb + 1;
        h.rule = &rule;
        h.ord = &ord;
        started = pthread_create(&t, NULL, half_scan_main, &h) == 0;
        if (!started) mid = maxb + 1;
    }
    e = scan_bands(db, 0, mid, &rule, &ord, &pairs, &wide);
    if (!e) e = db_pairs_compact(&pairs);
    if (started) {
        pthread_join(t, NULL);
        started = 0;
        if (!e && h.e) e = h.e == RP_NOMEM ? RP_NOMEM : db_error(db, h.e, "%s", rp_db_errmsg(h.db));
        if (!e && h.pairs.n) {
            uint64_t *v = realloc(pairs.v, (pairs.n + h.pairs.n) * sizeof *v);
            if (!v) {
                e = RP_NOMEM;
                goto out;
            }
            memcpy(v + pairs.n, h.pairs.v, h.pairs.n * sizeof *v);
            pairs.v = v;
            pairs.n += h.pairs.n;
            pairs.cap = pairs.n;
            e = db_pairs_compact(&pairs);
        }
        wide += h.wide;
    }
    if (e) goto out;
    if (wide_buckets) *wide_buckets = wide;
    e = db_pairs_each_sure(&pairs, fn, ctx);
out:
    if (started) pthread_join(t, NULL);
    free(pairs.v);
    free(h.pairs.v);
    rp_db_close(h.db);
    return e;
}

/* The staged articles whose band i equals bands[i], for every i < nbands,
 * as (i << 32 | article) sorted: band by band, articles ascending. A
 * read-only handle cannot flush, and an index run in progress (or one that
 * was killed) leaves its committed articles' band hashes here; looking
 * only in bands would miss them. */
static rp_err staged_matches(rp_db *db, const uint64_t *bands, size_t nbands, u64vec *out)
{
    sqlite3_stmt *s = db_stmt(db, ST_STAGE_READ);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    int rc;
    sqlite3_bind_int64(s, 1, 1);
    sqlite3_bind_int64(s, 2, DB_STAGE_ARTICLE_LIMIT - 1);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        int64_t art = sqlite3_column_int64(s, 0);
        const unsigned char *blob = sqlite3_column_blob(s, 1);
        size_t len = (size_t)sqlite3_column_bytes(s, 1);
        if (len % 8) {
            e = db_error(db, RP_DB, "the staged band hashes of article %lld are corrupt",
                         (long long)art);
            goto out;
        }
        size_t nb = len / 8 < nbands ? len / 8 : nbands;
        for (size_t j = 0; j < nb; j++) {
            if (load_le64(blob + 8 * j) != bands[j]) continue;
            if (out->n == out->cap) {
                size_t ncap = out->cap ? out->cap * 2 : 256;
                uint64_t *v = realloc(out->v, ncap * sizeof *v);
                if (!v) {
                    e = RP_NOMEM;
                    goto out;
                }
                out->v = v;
                out->cap = ncap;
            }
            out->v[out->n++] = (uint64_t)j << 32 | (uint64_t)art;
        }
    }
    if (rc != SQLITE_DONE) {
        e = db_fail(db, rc, "cannot read staged band hashes");
        goto out;
    }
    e = rp_sort_u64(out->v, out->n);
out:
    sqlite3_reset(s);
    return e;
}

/* Append one value to a vector that is never compacted. */
static rp_err vec_push(u64vec *v, uint64_t x)
{
    return db_vec_push(v, x);
}

/* Read band i's bucket of hash h into *bucket (emptied first): its stored
 * members over the runs, at most limit (0: all), then its staged members
 * not already stored (staged: see staged_matches; *at walks it band by band,
 * so bands must come in ascending order). */
static rp_err read_bucket(rp_db *db, const db_run *runs, size_t nruns, size_t i, uint64_t h,
                          size_t limit, const u64vec *staged, size_t *at, u64vec *bucket)
{
    rp_err e = db_bucket_read(db, runs, nruns, i, h, limit, bucket);
    if (e) return e;
    /* Merge in the band's staged members not already stored; the stored
     * ones come in article order. */
    size_t nflushed = bucket->n, k = 0;
    for (; *at < staged->n && staged->v[*at] >> 32 <= i; (*at)++) {
        if (staged->v[*at] >> 32 < i) continue;
        uint64_t art = staged->v[*at] & 0xffffffffu;
        while (k < nflushed && bucket->v[k] < art)
            k++;
        if (k < nflushed && bucket->v[k] == art) continue;
        if ((e = vec_push(bucket, art))) return e;
    }
    return RP_OK;
}

/* One point lookup: each band's bucket is the union of its stored members
 * (at most cap+1 of them) and its staged ones (a flush cut short between
 * passes leaves an article in both), so the bucket rule counts every
 * committed member once, flushed or not. Both tables are read in one
 * snapshot: a flush committing in between could otherwise move an article
 * out of the staged rows after its bucket was read without it. */
rp_err rp_db_lookup(rp_db *db, const uint64_t *bands, size_t nbands, size_t bucket_cap,
                    size_t solo_from, int64_t **out, size_t *n, rp_db_wide **wide, size_t *nwide)
{
    if (db->pg) return db_pg_lookup(db, bands, nbands, bucket_cap, solo_from, out, n, wide, nwide);
    *out = NULL;
    *n = 0;
    if (wide) *wide = NULL;
    if (nwide) *nwide = 0;
    rp_err e = rp_db_bands_flush(db);
    if (e) return e;
    int own = db_autocommit(db);
    if (own && (e = db_exec(db, "BEGIN"))) return e;
    db_run *runs = NULL;
    size_t nruns = 0;
    db_bucket_rule rule = db_bucket_rule_of(bucket_cap, solo_from);
    db_lookup l = {.want_wide = wide != NULL};
    u64vec staged = {0}; /* (band << 32 | rowid), sorted */
    u64vec bucket = {0}; /* the current band's members */
    size_t limit = bucket_cap ? bucket_cap + 1 : 0, at = 0;
    if ((e = db_runs_list(db, &runs, &nruns))) goto out;
    if ((e = staged_matches(db, bands, nbands, &staged))) goto out;
    for (size_t i = 0; i < nbands && !e; i++)
        if (!(e = read_bucket(db, runs, nruns, i, bands[i], limit, &staged, &at, &bucket)))
            e = db_lookup_bucket(&rule, i, bucket.v, bucket.n, &l);
out:
    free(runs);
    if (own) {
        rp_err ce = db_exec(db, "COMMIT");
        if (!e) e = ce;
    }
    free(staged.v);
    free(bucket.v);
    return db_lookup_finish(e, &l, out, n, wide, nwide);
}

/* The members of several buckets, each read in full (stored and staged,
 * in one snapshot), counted by meetings as a lookup counts them: an article
 * in two of the buckets, or in the only one asked for, is kept. */
rp_err rp_db_bucket_members(rp_db *db, const uint64_t *bands, size_t nbands, const size_t *which,
                            size_t nwhich, int64_t **out, size_t *n)
{
    if (db->pg) return db_pg_bucket_members(db, bands, nbands, which, nwhich, out, n);
    *out = NULL;
    *n = 0;
    for (size_t i = 0; i < nwhich; i++)
        if (which[i] >= nbands || (i && which[i] <= which[i - 1])) return RP_ARG;
    rp_err e = rp_db_bands_flush(db);
    if (e) return e;
    int own = db_autocommit(db);
    if (own && (e = db_exec(db, "BEGIN"))) return e;
    db_run *runs = NULL;
    size_t nruns = 0;
    u64vec v = {0}, staged = {0}, bucket = {0};
    size_t at = 0;
    uint64_t sure = nwhich == 1;
    if ((e = db_runs_list(db, &runs, &nruns))) goto out;
    if ((e = staged_matches(db, bands, nbands, &staged))) goto out;
    for (size_t k = 0; k < nwhich; k++) {
        if ((e = read_bucket(db, runs, nruns, which[k], bands[which[k]], 0, &staged, &at, &bucket)))
            goto out;
        for (size_t j = 0; j < bucket.n; j++) {
            if ((e = db_pairs_room(&v))) goto out;
            v.v[v.n++] = bucket.v[j] << 1 | sure;
        }
    }
    e = db_keep_sure(&v);
out:
    free(runs);
    if (own) {
        rp_err ce = db_exec(db, "COMMIT");
        if (!e) e = ce;
    }
    free(staged.v);
    free(bucket.v);
    if (e || v.n == 0) {
        free(v.v);
        return e;
    }
    *out = (int64_t *)v.v;
    *n = v.n;
    return RP_OK;
}
