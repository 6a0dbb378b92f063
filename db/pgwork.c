/*
 * pgwork.c: a cluster job shared by workers on PostgreSQL (the rp_db_job_*
 * functions of reprint.h; a SQLite file refuses them).
 *
 * The job lives in four UNLOGGED work tables of its own, created on first
 * use (a crashed server empties them all at once, which leaves no job: the
 * next worker starts a new one). Every item of work is a row claimed by
 * SELECT ... FOR UPDATE SKIP LOCKED in a transaction that stays open while
 * the worker does it and commits the result with the item marked done, so
 * an item is done once or not at all, and a dead worker's connection takes
 * its lock away and leaves the item to the next one who asks:
 *
 *   cluster_job        the job: generation, parts, threshold, state
 *                      ('parts', 'verify', 'done'), candidate count and
 *                      chunk size once known;
 *   cluster_job_parts  one row per candidate part: done, wide buckets met,
 *                      and every pair its buckets gave, sure or not, as one
 *                      bytea of packed pairs (a << 33 | b << 1 | sure, 8
 *                      bytes little-endian each, sorted);
 *   cluster_job_chunks one row per chunk of the merged candidates, its
 *                      pairs as one bytea (a << 32 | b), its counts;
 *   cluster_job_edges  the edges kept, (a, b) the key.
 *
 * Pairs travel as blobs, not rows: on Reuters-21578 the parts give 1.65M
 * pairs (1.4M of them not sure), which as rows took 3.4 s of the server to
 * merge and 1.8 s to delete; as 13 MB of blobs the merging worker sorts
 * them itself (db_pairs_compact) in a fraction of that.
 *
 * Part k of P reads the band rows whose key (band, hash), hashes taken as
 * the stored signed values, lies in the k-th P-th of the key space from
 * (0, INT64_MIN) to (nbands, INT64_MIN): a row-value range the bands
 * table's primary key serves as an index range, whatever P is beside the
 * number of bands. A bucket is one (band, hash) and so lies in one part,
 * where the bucket rule (buckets.c) sees it whole; a pair met in two
 * parts is met twice, so the merge marks it sure exactly as one scan's
 * compaction would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgint.h"

/* Held while a worker creates the tables or replaces the job. */
#define JOB_LOCK "7243560120"
/* Chunks of at least CHUNK_MIN and at most CHUNK_MAX candidates, some
 * CHUNK_TARGET of them per job, so that two or more workers share the
 * verification evenly while each chunk's claim, reads and commit stay a
 * small part of its work. */
#define CHUNK_MIN 64
#define CHUNK_MAX 8192
#define CHUNK_TARGET 64

static const char create_sql[] =
    "CREATE UNLOGGED TABLE IF NOT EXISTS cluster_job (id bigint PRIMARY KEY,"
    " generation bigint NOT NULL, parts int NOT NULL, nbands int NOT NULL,"
    " min_score float8 NOT NULL, state text NOT NULL,"
    " candidates bigint NOT NULL DEFAULT 0, chunk_size bigint NOT NULL DEFAULT 0);"
    "CREATE UNLOGGED TABLE IF NOT EXISTS cluster_job_parts (job bigint, part int,"
    " done bool NOT NULL DEFAULT false, wide bigint NOT NULL DEFAULT 0, pairs bytea,"
    " PRIMARY KEY (job, part));"
    "CREATE UNLOGGED TABLE IF NOT EXISTS cluster_job_chunks (job bigint, chunk bigint,"
    " done bool NOT NULL DEFAULT false, pairs bytea NOT NULL, c0 bigint NOT NULL DEFAULT 0,"
    " c1 bigint NOT NULL DEFAULT 0, c2 bigint NOT NULL DEFAULT 0,"
    " c3 bigint NOT NULL DEFAULT 0, c4 bigint NOT NULL DEFAULT 0,"
    " PRIMARY KEY (job, chunk));"
    "CREATE UNLOGGED TABLE IF NOT EXISTS cluster_job_edges (job bigint, a bigint, b bigint,"
    " score float8 NOT NULL, jaccard float8 NOT NULL, cab float8 NOT NULL,"
    " cba float8 NOT NULL, a_lo bigint NOT NULL, a_hi bigint NOT NULL,"
    " b_lo bigint NOT NULL, b_hi bigint NOT NULL, PRIMARY KEY (job, a, b))";

static const char *const work_tables[] = {"cluster_job_parts", "cluster_job_chunks",
                                          "cluster_job_edges"};
#define NWORK (sizeof work_tables / sizeof work_tables[0])

static rp_err need_pg(rp_db *db)
{
    if (db->pg) return RP_OK;
    return db_error(db, RP_ARG,
                    "cluster workers need a PostgreSQL database (-d postgresql://...); "
                    "a SQLite file is clustered by one process (plain `reprint cluster`)");
}

static rp_err rollback_with(rp_db *db, rp_err e)
{
    if (!pg_autocommit(db)) {
        /* keep the first failure's message */
        char keep[sizeof db->err];
        memcpy(keep, db->err, sizeof keep);
        db_pg_rollback(db);
        memcpy(db->err, keep, sizeof keep);
    }
    return e;
}

/* One row, one bigint-ish column of a query with the job id as $1. */
static rp_err query_i64(rp_db *db, const char *sql, const rp_db_job *job, int64_t *v,
                        const char *what)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    const char *p[1] = {id};
    PGresult *r = pg_query(db, sql, 1, p, NULL, NULL, what);
    if (!r) return PG_ERR(db);
    *v = PQntuples(r) > 0 ? pg_i64(r, 0, 0) : 0;
    PQclear(r);
    return RP_OK;
}

/* Run sql with the job id as $1 (and optional further text parameters). */
static rp_err exec_job(rp_db *db, const char *sql, const rp_db_job *job, int n,
                       const char *const *more, const char *what)
{
    char id[24];
    const char *p[8] = {id};
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    for (int i = 0; i < n && i < 7; i++)
        p[i + 1] = more[i];
    PGresult *r = pg_query(db, sql, 1 + n, p, NULL, NULL, what);
    if (!r) return PG_ERR(db);
    PQclear(r);
    return RP_OK;
}

rp_err rp_db_job_join(rp_db *db, uint64_t gen, size_t parts, double min_score, rp_db_job *job)
{
    memset(job, 0, sizeof *job);
    rp_err e = need_pg(db);
    if (e) return e;
    if (parts < 1 || parts > 4096) return db_error(db, RP_ARG, "parts: %zu not in 1..4096", parts);
    if (!pg_autocommit(db))
        return db_error(db, RP_ARG, "cannot join a cluster job in a transaction");
    if ((e = pg_exec(db, "BEGIN; SELECT pg_advisory_xact_lock(" JOB_LOCK ")",
                     "cannot begin a transaction")) ||
        (e = pg_exec(db, create_sql, "cannot create the cluster job tables")))
        return rollback_with(db, e);
    PGresult *r = pg_query(db,
                           "SELECT id, generation, parts, min_score, state = 'done' FROM "
                           "cluster_job ORDER BY id DESC LIMIT 1",
                           0, NULL, NULL, NULL, "cannot read the cluster job");
    if (!r) return rollback_with(db, PG_ERR(db));
    int64_t last = 0;
    if (PQntuples(r) > 0) {
        last = pg_i64(r, 0, 0);
        uint64_t jg = (uint64_t)pg_i64(r, 0, 1);
        int done = (int)pg_i64(r, 0, 4);
        if (!done && jg == gen) {
            job->id = last;
            job->generation = jg;
            job->parts = (size_t)pg_i64(r, 0, 2);
            job->min_score = pg_f64(r, 0, 3);
            PQclear(r);
            if (job->min_score != min_score) {
                e = db_error(db, RP_ARG,
                             "cluster job %lld under way links pairs at --min-score %.17g, "
                             "not %.17g: run every worker with the same threshold",
                             (long long)job->id, job->min_score, min_score);
                return rollback_with(db, e);
            }
            return db_pg_commit(db);
        }
        if (!done && jg > gen) {
            PQclear(r);
            e = db_error(db, RP_BUSY,
                         "cluster job %lld is for newer articles (generation %llu, read %llu)",
                         (long long)last, (unsigned long long)jg, (unsigned long long)gen);
            return rollback_with(db, e);
        }
    }
    PQclear(r);
    /* A new job: the old one's rows go (a worker still on it finds it gone). */
    for (size_t i = 0; i < NWORK && !e; i++) {
        char sql[64];
        snprintf(sql, sizeof sql, "DELETE FROM %s", work_tables[i]);
        e = pg_exec(db, sql, "cannot clear the cluster job");
    }
    if (!e) e = pg_exec(db, "DELETE FROM cluster_job", "cannot clear the cluster job");
    if (e) return rollback_with(db, e);
    char id[24], g[24], np[24], ms[40];
    snprintf(id, sizeof id, "%lld", (long long)(last + 1));
    snprintf(g, sizeof g, "%lld", (long long)gen);
    snprintf(np, sizeof np, "%zu", parts);
    snprintf(ms, sizeof ms, "%.17g", min_score);
    const char *p[4] = {id, g, np, ms};
    r = pg_query(db,
                 "INSERT INTO cluster_job (id, generation, parts, nbands, min_score, state) "
                 "SELECT $1::bigint, $2::bigint, $3::int, coalesce(max(band) + 1, 0), $4::float8, "
                 "'parts' FROM bands",
                 4, p, NULL, NULL, "cannot start a cluster job");
    if (!r) return rollback_with(db, PG_ERR(db));
    PQclear(r);
    r = pg_query(db,
                 "INSERT INTO cluster_job_parts (job, part) "
                 "SELECT $1::bigint, generate_series(0, $2::int - 1)",
                 2, (const char *[]){id, np}, NULL, NULL, "cannot start a cluster job");
    if (!r) return rollback_with(db, PG_ERR(db));
    PQclear(r);
    job->id = last + 1;
    job->generation = gen;
    job->parts = parts;
    job->min_score = min_score;
    return db_pg_commit(db);
}

/* Chunk size for n candidates. */
static int64_t chunk_size(int64_t n)
{
    int64_t s = (n + CHUNK_TARGET - 1) / CHUNK_TARGET;
    return s < CHUNK_MIN ? CHUNK_MIN : s > CHUNK_MAX ? CHUNK_MAX : s;
}

static void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A bytea COPY text field: \x and the bytes of v[0..n) in hex, LE each. */
static rp_err buf_pairs_hex(pg_buf *b, const uint64_t *v, size_t n, int last)
{
    static const char hex[] = "0123456789abcdef";
    char *t = malloc(2 + 16 * n + 1);
    if (!t) return RP_NOMEM;
    char *q = t;
    *q++ = '\\';
    *q++ = 'x';
    for (size_t i = 0; i < n; i++) {
        unsigned char le[8];
        put_le64(le, v[i]);
        for (int k = 0; k < 8; k++) {
            *q++ = hex[le[k] >> 4];
            *q++ = hex[le[k] & 15];
        }
    }
    *q = '\0';
    rp_err e = pg_buf_text(b, t, last);
    free(t);
    return e;
}

/* Every part is done: merge their pairs into the candidates (a pair met
 * in two parts counts as met twice) and cut them into chunks, once (the
 * job's row lock orders the workers). */
static rp_err merge_parts(rp_db *db, const rp_db_job *job)
{
    rp_err e = pg_exec(db, "BEGIN", "cannot begin a transaction");
    if (e) return e;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    const char *p[1] = {id};
    PGresult *r = pg_query(db,
                           "SELECT state = 'parts', (SELECT count(*) FROM cluster_job_parts "
                           "WHERE job = $1 AND NOT done) FROM cluster_job WHERE id = $1 FOR UPDATE",
                           1, p, NULL, NULL, "cannot read the cluster job");
    if (!r) return rollback_with(db, PG_ERR(db));
    int todo = PQntuples(r) > 0 && pg_i64(r, 0, 0) && pg_i64(r, 0, 1) == 0;
    PQclear(r);
    if (!todo) return rollback_with(db, RP_OK); /* another worker did it, or it is gone */
    r = pg_query(db, "SELECT pairs FROM cluster_job_parts WHERE job = $1 ORDER BY part", 1, p, NULL,
                 NULL, "cannot read the candidate parts");
    if (!r) return rollback_with(db, PG_ERR(db));
    db_vec v = {0};
    size_t total = 0;
    for (int k = 0; k < PQntuples(r); k++)
        total += (size_t)PQgetlength(r, k, 0) / 8;
    if (total && !(v.v = malloc(total * sizeof *v.v))) e = RP_NOMEM;
    v.cap = total;
    for (int k = 0; k < PQntuples(r) && !e; k++) {
        const unsigned char *b = (const unsigned char *)PQgetvalue(r, k, 0);
        size_t n = (size_t)PQgetlength(r, k, 0) / 8;
        for (size_t i = 0; i < n; i++)
            v.v[v.n++] = get_le64(b + 8 * i);
    }
    PQclear(r);
    if (!e) e = db_keep_sure(&v); /* now a << 32 | b, sorted, distinct */
    int64_t n = (int64_t)v.n, size = chunk_size(n), nchunks = (n + size - 1) / size;
    pg_buf b = {0};
    for (int64_t c = 0; c < nchunks && !e; c++) {
        size_t lo = (size_t)(c * size), hi = (size_t)((c + 1) * size);
        if (hi > v.n) hi = v.n;
        if (pg_buf_int(&b, job->id, 0) || pg_buf_int(&b, c, 0) ||
            buf_pairs_hex(&b, v.v + lo, hi - lo, 1))
            e = RP_NOMEM;
    }
    free(v.v);
    if (!e)
        e = pg_copy_in(db, "cluster_job_chunks (job, chunk, pairs)", &b,
                       "cannot cut the candidates into chunks");
    pg_buf_free(&b);
    char cs[24], cn[24];
    snprintf(cs, sizeof cs, "%lld", (long long)size);
    snprintf(cn, sizeof cn, "%lld", (long long)n);
    const char *more[2] = {cn, cs};
    if (!e)
        e = exec_job(db, "UPDATE cluster_job_parts SET pairs = NULL WHERE job = $1", job, 0, NULL,
                     "cannot clear the candidate parts");
    if (!e)
        e = exec_job(db,
                     "UPDATE cluster_job SET state = 'verify', candidates = $2, "
                     "chunk_size = $3 WHERE id = $1",
                     job, 2, more, "cannot update the cluster job");
    if (e) return rollback_with(db, e);
    return db_pg_commit(db);
}

/* Claim the first open item of table (parts or chunks, column col) in a
 * transaction left open; *got = 0 (and none open) when every open one is
 * claimed by someone else. */
static rp_err claim(rp_db *db, const rp_db_job *job, const char *table, const char *col, int *got,
                    int64_t *item)
{
    *got = 0;
    rp_err e = pg_exec(db, "BEGIN", "cannot begin a transaction");
    if (e) return e;
    char sql[256], id[24];
    snprintf(sql, sizeof sql,
             "SELECT %s FROM %s WHERE job = $1 AND NOT done ORDER BY %s LIMIT 1 "
             "FOR UPDATE SKIP LOCKED",
             col, table, col);
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    const char *p[1] = {id};
    PGresult *r = pg_query(db, sql, 1, p, NULL, NULL, "cannot claim cluster work");
    if (!r) return rollback_with(db, PG_ERR(db));
    if (PQntuples(r) > 0) {
        *got = 1;
        *item = pg_i64(r, 0, 0);
        PQclear(r);
        return RP_OK;
    }
    PQclear(r);
    return rollback_with(db, RP_OK);
}

static rp_err chunk_pairs(rp_db *db, const rp_db_job *job, int64_t chunk, int64_t **pairs,
                          size_t *npairs)
{
    char id[24], ch[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    snprintf(ch, sizeof ch, "%lld", (long long)chunk);
    const char *p[2] = {id, ch};
    PGresult *r = pg_query(db, "SELECT pairs FROM cluster_job_chunks WHERE job = $1 AND chunk = $2",
                           2, p, NULL, NULL, "cannot read a chunk of candidates");
    if (!r) return PG_ERR(db);
    size_t n = PQntuples(r) > 0 ? (size_t)PQgetlength(r, 0, 0) / 8 : 0;
    int64_t *v = malloc((n ? n : 1) * 2 * sizeof *v);
    if (!v) {
        PQclear(r);
        return RP_NOMEM;
    }
    const unsigned char *b = n ? (const unsigned char *)PQgetvalue(r, 0, 0) : NULL;
    for (size_t i = 0; i < n; i++) {
        uint64_t x = get_le64(b + 8 * i);
        v[2 * i] = (int64_t)(x >> 32);
        v[2 * i + 1] = (int64_t)(x & 0xffffffffu);
    }
    PQclear(r);
    *pairs = v;
    *npairs = n;
    return RP_OK;
}

rp_err rp_db_job_next(rp_db *db, const rp_db_job *job, rp_db_task *task, size_t *item,
                      int64_t **pairs, size_t *npairs)
{
    *item = 0;
    if (pairs) *pairs = NULL;
    if (npairs) *npairs = 0;
    rp_err e = need_pg(db);
    if (e) return e;
    for (int round = 0; round < 3; round++) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)job->id);
        const char *p[1] = {id};
        PGresult *r = pg_query(db, "SELECT state FROM cluster_job WHERE id = $1", 1, p, NULL, NULL,
                               "cannot read the cluster job");
        if (!r) return PG_ERR(db);
        if (PQntuples(r) == 0) {
            PQclear(r);
            *task = RP_TASK_GONE;
            return RP_OK;
        }
        char state[16];
        snprintf(state, sizeof state, "%.*s", PQgetlength(r, 0, 0), PQgetvalue(r, 0, 0));
        PQclear(r);
        if (strcmp(state, "done") == 0) {
            *task = RP_TASK_DONE;
            return RP_OK;
        }
        int parts = strcmp(state, "parts") == 0;
        int got = 0;
        int64_t it = 0;
        if ((e = claim(db, job, parts ? "cluster_job_parts" : "cluster_job_chunks",
                       parts ? "part" : "chunk", &got, &it)))
            return e;
        if (got) {
            *item = (size_t)it;
            *task = parts ? RP_TASK_PART : RP_TASK_CHUNK;
            if (parts) return RP_OK;
            if ((e = chunk_pairs(db, job, it, pairs, npairs))) return rollback_with(db, e);
            return RP_OK;
        }
        int64_t open = 0;
        if ((e = query_i64(
                 db,
                 parts ? "SELECT count(*) FROM cluster_job_parts WHERE job = $1 AND NOT done"
                       : "SELECT count(*) FROM cluster_job_chunks WHERE job = $1 AND NOT done",
                 job, &open, "cannot read the cluster job")))
            return e;
        if (open) {
            *task = RP_TASK_WAIT;
            return RP_OK;
        }
        if (!parts) {
            *task = RP_TASK_FINISH;
            return RP_OK;
        }
        if ((e = merge_parts(db, job))) return e;
    }
    *task = RP_TASK_WAIT;
    return RP_OK;
}

/* Key (band, hash) where part k of the job begins: k/P of the way from
 * (0, INT64_MIN) to (nbands, INT64_MIN), hashes as stored (signed). */
static void part_start(int64_t k, int64_t parts, int64_t nbands, int64_t *band, int64_t *hash)
{
    unsigned __int128 pos = (unsigned __int128)k * (unsigned __int128)nbands;
    *band = (int64_t)(pos / (unsigned __int128)parts);
    unsigned __int128 frac = pos % (unsigned __int128)parts;
    uint64_t off = (uint64_t)((frac << 64) / (unsigned __int128)parts);
    *hash = (int64_t)(off ^ ((uint64_t)1 << 63));
}

rp_err rp_db_job_part(rp_db *db, const rp_db_job *job, size_t part, size_t bucket_cap,
                      size_t solo_from, const uint32_t *rank, size_t nrank)
{
    rp_err e = need_pg(db);
    if (e) return e;
    if (pg_autocommit(db)) return db_error(db, RP_ARG, "part %zu is not claimed", part);
    int64_t nbands = 0;
    if ((e = query_i64(db, "SELECT nbands FROM cluster_job WHERE id = $1", job, &nbands,
                       "cannot read the cluster job")))
        return rollback_with(db, e);
    int64_t lb, lh, hb, hh, P = (int64_t)job->parts, k = (int64_t)part;
    part_start(k, P, nbands, &lb, &lh);
    part_start(k + 1, P, nbands, &hb, &hh);
    char where[160];
    if (k + 1 < P)
        snprintf(where, sizeof where,
                 "(band, hash) >= (%lld, %lld) AND (band, hash) < (%lld, %lld)", (long long)lb,
                 (long long)lh, (long long)hb, (long long)hh);
    else
        snprintf(where, sizeof where, "(band, hash) >= (%lld, %lld)", (long long)lb, (long long)lh);
    db_bucket_rule rule = db_bucket_rule_of(bucket_cap, solo_from);
    db_order ord = {rank, nrank};
    db_vec pairs = {0};
    uint64_t wide = 0;
    e = pg_bucket_scan(db, where, &rule, &ord, &pairs, &wide);
    if (!e) e = db_pairs_compact(&pairs);
    unsigned char *blob = NULL;
    if (!e && pairs.n > (size_t)INT32_MAX / 8)
        e = db_error(db, RP_LIMIT, "part %zu: too many pairs (%zu): use more parts", part, pairs.n);
    if (!e && !(blob = malloc(pairs.n ? pairs.n * 8 : 1))) e = RP_NOMEM;
    for (size_t i = 0; i < pairs.n && !e; i++)
        put_le64(blob + 8 * i, pairs.v[i]);
    char id[24], ks[24], ws[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    snprintf(ks, sizeof ks, "%lld", (long long)k);
    snprintf(ws, sizeof ws, "%llu", (unsigned long long)wide);
    const char *v[4] = {id, ks, ws, (const char *)blob};
    int lens[4] = {0, 0, 0, (int)(pairs.n * 8)}, fmts[4] = {0, 0, 0, 1};
    free(pairs.v);
    if (!e) {
        PGresult *r = pg_query(db,
                               "UPDATE cluster_job_parts SET done = true, wide = $3, pairs = $4 "
                               "WHERE job = $1 AND part = $2",
                               4, v, lens, fmts, "cannot store a candidate part");
        if (!r) e = PG_ERR(db);
        PQclear(r);
    }
    free(blob);
    if (e) return rollback_with(db, e);
    return pg_exec(db, "COMMIT", "cannot commit a candidate part");
}

rp_err rp_db_job_chunk_done(rp_db *db, const rp_db_job *job, size_t chunk, const rp_db_edge *edges,
                            size_t n, const uint64_t *counts, size_t ncounts)
{
    rp_err e = need_pg(db);
    if (e) return e;
    if (pg_autocommit(db)) return db_error(db, RP_ARG, "chunk %zu is not claimed", chunk);
    if (ncounts > RP_DB_JOB_COUNTS) return rollback_with(db, RP_ARG);
    pg_buf b = {0};
    for (size_t i = 0; i < n && !e; i++) {
        const rp_db_edge *x = &edges[i];
        char f[4][40];
        snprintf(f[0], sizeof f[0], "%.17g", x->score);
        snprintf(f[1], sizeof f[1], "%.17g", x->jaccard);
        snprintf(f[2], sizeof f[2], "%.17g", x->cont_a_in_b);
        snprintf(f[3], sizeof f[3], "%.17g", x->cont_b_in_a);
        if (pg_buf_int(&b, job->id, 0) || pg_buf_int(&b, x->a, 0) || pg_buf_int(&b, x->b, 0) ||
            pg_buf_text(&b, f[0], 0) || pg_buf_text(&b, f[1], 0) || pg_buf_text(&b, f[2], 0) ||
            pg_buf_text(&b, f[3], 0) || pg_buf_int(&b, (int64_t)x->a_lo, 0) ||
            pg_buf_int(&b, (int64_t)x->a_hi, 0) || pg_buf_int(&b, (int64_t)x->b_lo, 0) ||
            pg_buf_int(&b, (int64_t)x->b_hi, 1))
            e = RP_NOMEM;
    }
    if (!e)
        e = pg_copy_in(db,
                       "cluster_job_edges (job, a, b, score, jaccard, cab, cba, a_lo, a_hi, b_lo, "
                       "b_hi)",
                       &b, "cannot store verified edges");
    pg_buf_free(&b);
    char v[1 + RP_DB_JOB_COUNTS][24];
    const char *more[1 + RP_DB_JOB_COUNTS];
    snprintf(v[0], sizeof v[0], "%zu", chunk);
    for (size_t i = 0; i < RP_DB_JOB_COUNTS; i++)
        snprintf(v[i + 1], sizeof v[i + 1], "%llu",
                 (unsigned long long)(i < ncounts ? counts[i] : 0));
    for (size_t i = 0; i <= RP_DB_JOB_COUNTS; i++)
        more[i] = v[i];
    if (!e)
        e = exec_job(db,
                     "UPDATE cluster_job_chunks SET done = true, c0 = $3, c1 = $4, c2 = $5, "
                     "c3 = $6, c4 = $7 WHERE job = $1 AND chunk = $2",
                     job, 1 + RP_DB_JOB_COUNTS, more, "cannot mark a chunk done");
    if (e) return rollback_with(db, e);
    return pg_exec(db, "COMMIT", "cannot commit a chunk");
}

rp_err rp_db_job_finish_begin(rp_db *db, const rp_db_job *job, int *got)
{
    *got = 0;
    rp_err e = need_pg(db);
    if (e) return e;
    if ((e = db_pg_begin(db))) return rollback_with(db, e);
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    const char *p[1] = {id};
    PGresult *r = pg_query(db,
                           "SELECT state = 'verify', (SELECT count(*) FROM cluster_job_chunks "
                           "WHERE job = $1 AND NOT done) FROM cluster_job WHERE id = $1 "
                           "FOR UPDATE SKIP LOCKED",
                           1, p, NULL, NULL, "cannot read the cluster job");
    if (!r) return rollback_with(db, PG_ERR(db));
    *got = PQntuples(r) > 0 && pg_i64(r, 0, 0) && pg_i64(r, 0, 1) == 0;
    PQclear(r);
    if (!*got) return rollback_with(db, RP_OK);
    return RP_OK;
}

rp_err rp_db_job_edges(rp_db *db, const rp_db_job *job, rp_db_edge **edges, size_t *n,
                       uint64_t *counts, size_t ncounts, uint64_t *candidates, uint64_t *wide)
{
    *edges = NULL;
    *n = 0;
    rp_err e = need_pg(db);
    if (e) return e;
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)job->id);
    const char *p[1] = {id};
    PGresult *r = pg_query(db,
                           "SELECT a, b, score, jaccard, cab, cba, a_lo, a_hi, b_lo, b_hi "
                           "FROM cluster_job_edges WHERE job = $1 ORDER BY a, b",
                           1, p, NULL, NULL, "cannot read verified edges");
    if (!r) return PG_ERR(db);
    size_t rows = (size_t)PQntuples(r);
    rp_db_edge *v = rows ? malloc(rows * sizeof *v) : NULL;
    if (rows && !v) {
        PQclear(r);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < rows; i++) {
        int k = (int)i;
        v[i].a = pg_i64(r, k, 0);
        v[i].b = pg_i64(r, k, 1);
        v[i].score = pg_f64(r, k, 2);
        v[i].jaccard = pg_f64(r, k, 3);
        v[i].cont_a_in_b = pg_f64(r, k, 4);
        v[i].cont_b_in_a = pg_f64(r, k, 5);
        v[i].a_lo = (size_t)pg_i64(r, k, 6);
        v[i].a_hi = (size_t)pg_i64(r, k, 7);
        v[i].b_lo = (size_t)pg_i64(r, k, 8);
        v[i].b_hi = (size_t)pg_i64(r, k, 9);
    }
    PQclear(r);
    r = pg_query(
        db,
        "SELECT coalesce(sum(c0), 0)::bigint, coalesce(sum(c1), 0)::bigint, "
        "coalesce(sum(c2), 0)::bigint, coalesce(sum(c3), 0)::bigint, "
        "coalesce(sum(c4), 0)::bigint, (SELECT candidates FROM cluster_job WHERE id = $1), "
        "(SELECT coalesce(sum(wide), 0)::bigint FROM cluster_job_parts WHERE job = $1) "
        "FROM cluster_job_chunks WHERE job = $1",
        1, p, NULL, NULL, "cannot read the chunks' counts");
    if (!r) {
        free(v);
        return PG_ERR(db);
    }
    for (size_t i = 0; i < ncounts && i < RP_DB_JOB_COUNTS; i++)
        counts[i] = (uint64_t)pg_i64(r, 0, (int)i);
    if (candidates) *candidates = (uint64_t)pg_i64(r, 0, RP_DB_JOB_COUNTS);
    if (wide) *wide = (uint64_t)pg_i64(r, 0, RP_DB_JOB_COUNTS + 1);
    PQclear(r);
    *edges = v;
    *n = rows;
    return RP_OK;
}

rp_err rp_db_job_close(rp_db *db, const rp_db_job *job)
{
    rp_err e = need_pg(db);
    if (e) return e;
    e = exec_job(db, "UPDATE cluster_job SET state = 'done' WHERE id = $1", job, 0, NULL,
                 "cannot close the cluster job");
    /* Every row of the work tables is this job's (a new job clears the
     * old one's): TRUNCATE, where DELETE of 100k edges took a while. */
    if (!e)
        e = pg_exec(db, "TRUNCATE cluster_job_parts, cluster_job_chunks, cluster_job_edges",
                    "cannot clear the cluster job");
    return e;
}
