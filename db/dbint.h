/*
 * dbint.h: what the files of db/ share: the handle, its cached prepared
 * statements and the error helpers. Not part of the public API.
 *
 * Every SQL statement the module runs has an id below; db_stmt() prepares it
 * the first time a handle needs it and hands back the same statement after
 * that, so a statement is compiled once per handle however many rows go
 * through it. Whoever steps a statement resets it before returning.
 */
#ifndef RP_DBINT_H
#define RP_DBINT_H

#include <sqlite3.h>
#include <zlib.h>

#include "reprint.h"

/* Every step of a statement in db/ goes through db_step (db.c): a
 * read-only handle that maps the -shm file read-only (readonly_shm, see
 * open_shm_readonly) finds the write-ahead log's index in mid-change now
 * and then while a writer works beside it, and SQLite then refuses to begin
 * the read (SQLITE_READONLY_RECOVERY or _CANTINIT) instead of waiting:
 * such a step is tried again, as a busy one would be. Needs an rp_db *db in
 * scope, as every caller in db/ has. */
struct rp_db;
int db_step(struct rp_db *db, sqlite3_stmt *s);
#define sqlite3_step(s) db_step(db, (s))

enum db_stmt_id {
    ST_META_GET,
    ST_META_SET,
    ST_FIND_ID,
    ST_FIND_CONTENT,
    ST_EXACT_COPIES,
    ST_ARTICLE_INSERT,
    ST_STAGE_INSERT,
    ST_STAGE_RANGE,
    ST_STAGE_READ,
    ST_STAGE_DELETE,
    ST_RUN_PUT,
    ST_RUN_SEEK,
    ST_RUN_READ,
    ST_RUN_DELETE,
    ST_RUN_BLOCK_DELETE,
    ST_RUNS_BAND,
    ST_RUNS_MAX,
    ST_RUNS_ALL,
    ST_RUNS_LIST,
    ST_RUNS_ADD,
    ST_RUNS_NEXT,
    ST_RUNS_RESIZE,
    ST_RUNS_DROP,
    ST_ARTICLE_GET,
    ST_ARTICLE_META,
    ST_ROWS,
    ST_V1_BAND,
    ST_V1_BANDS_MAX,
    ST_V1_LOOKUP,
    ST_CLUSTERS_DELETE,
    ST_CLUSTER_INSERT,
    ST_CLUSTER_OF,
    ST_CLUSTERS_LOAD,
    ST_SITE_LINE_ADD,
    ST_SITE_DOC_ADD,
    ST_SITE_LINE_ADD_N,
    ST_SITE_DOC_ADD_N,
    ST_SITE_LINES_GET,
    ST_SITE_DOCS,
    ST_STATS_ARTICLES,
    ST_STATS_CLUSTERS,
    ST_STATS_BANDS,
    ST_STATS_BANDS_V1,
    ST_LANG_PUT,
    ST_LANG_GET,
    ST_COUNT_
};

struct rp_db {
    struct db_pg *pg; /* set when the handle is a PostgreSQL connection (pg.c) */
    sqlite3 *h;
    char *path;
    int flags;
    sqlite3_stmt *st[ST_COUNT_];
    int has_lang; /* article_lang exists: 0 not looked yet, 1 yes, -1 no */
    int bands_v1; /* a read-only handle on a version-1 file: buckets in table bands */
    /* Compression streams kept for the handle's life: setting one up costs
     * a few hundred KiB of fresh memory, more than compressing an article. */
    z_stream def, inf;
    int def_ready, inf_ready;
    unsigned char *zbuf; /* compressed text of the article being inserted */
    size_t zcap;
    unsigned char *stage; /* band hashes of the article being inserted, LE */
    size_t stagecap;
    /* Memory one pass of rp_db_bands_flush may fill with (hash, article)
     * entries, 12 bytes each; DB_FLUSH_PASS_BYTES unless a test lowers it
     * to exercise several passes on a small corpus. */
    uint64_t flush_pass_bytes;
    /* Band hashes staged through this handle since its last flush. */
    uint64_t staged;
    /* Site-line counts added in the open transaction, not yet written
     * (sites.c): written, sorted, when it commits; dropped on rollback. */
    struct site_pending *pending;
    char err[1024];
};

/* Write the pending site-line counts (sites.c); RP_OK when there are none. */
rp_err db_sites_write(rp_db *db);
/* Forget them (the transaction that held them is gone). */
void db_sites_drop(rp_db *db);

/* The statement with this id, prepared on first use; NULL on failure with
 * the handle's message set. */
sqlite3_stmt *db_stmt(rp_db *db, enum db_stmt_id id);

/* Record "PATH: what: SQLite's message" in the handle and map SQLite's
 * result code rc to an rp_err (BUSY/LOCKED -> RP_BUSY, NOMEM -> RP_NOMEM,
 * the rest -> RP_DB). */
rp_err db_fail(rp_db *db, int rc, const char *what);

/* Record "PATH: message" (no SQLite message) and return e. */
rp_err db_error(rp_db *db, rp_err e, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Run SQL without results (pragmas, BEGIN/COMMIT, DDL). */
rp_err db_exec(rp_db *db, const char *sql);

/* Step the bound statement s once: column 0 of its row into *out, or
 * RP_NOTFOUND when there is no row; s is reset either way. what names the
 * read in the error message. */
rp_err db_one_int64(rp_db *db, sqlite3_stmt *s, int64_t *out, const char *what);

/* True when no transaction is open on the handle. */
int db_autocommit(rp_db *db);

/* 64-bit hashes live in INTEGER columns as their two's-complement image. */
static inline int64_t db_h2i(uint64_t h)
{
    return (int64_t)h;
}
static inline uint64_t db_i2h(int64_t v)
{
    return (uint64_t)v;
}

/* Bind a NUL-terminated string, or NULL when s is NULL. */
int db_bind_text(sqlite3_stmt *s, int i, const char *s_val);

/* A malloc'd copy of a text column, or NULL for SQL NULL; *oom set when the
 * copy could not be made. */
char *db_column_strdup(sqlite3_stmt *s, int i, int *oom);

/* A macro's value as a string literal, to splice constants into SQL. */
#define DB_STR(x) #x
#define DB_XSTR(x) DB_STR(x)

/* Staged band hashes go into bands_new as one BLOB per article, each hash
 * a little-endian uint64 (bands.c moves them into bands in sorted order).
 * Articles with band rows must have rowids below this limit. */
#define DB_STAGE_ARTICLE_LIMIT ((int64_t)1 << 32)
#define DB_FLUSH_PASS_BYTES ((uint64_t)128 << 20)
/* Bands one flush pass takes at most, whatever the memory budget allows:
 * each costs a header that is written even when no article has that many
 * bands, and with few staged articles the budget alone would allow
 * millions (a one-article index spent over a second filling them). Real
 * widths are a hundred or so; wider ones take more passes. */
#define DB_FLUSH_MAX_BANDS 1024

/* The stored buckets (runs.c): each band's (hash, article) entries as
 * sorted runs cut into blocks. An entry in memory: key is the band hash with
 * its sign bit flipped, so that unsigned order is SQLite's signed order of
 * the stored hash; art is the article's rowid. */
#define DB_SIGN_BIT ((uint64_t)1 << 63)
/* Entries per block, at least: a block ends at the first bucket end after
 * this many (a bucket is never split), so a point lookup reads one block
 * of about 1.5 KiB per run. band_runs is a WITHOUT ROWID table, whose rows
 * keep at most about 2,000 bytes on their page (with 8 KiB pages) and put
 * the rest on an overflow page of their own: 256 entries made the file
 * 60% larger than the rows. */
#define RUN_BLOCK 128
/* Runs kept at most before the newest two are merged whatever their sizes. */
#define RUNS_MAX 12

typedef struct db_entries {
    uint64_t *key;
    uint32_t *art;
    size_t n, cap;
} db_entries;

typedef struct db_vec {
    uint64_t *v;
    size_t n, cap;
} db_vec;

typedef struct db_run {
    int64_t run, articles;
} db_run;

/* The bucket rule both engines apply (buckets.c). */
typedef struct db_bucket_rule {
    size_t cap;       /* members above which a bucket is wide (0: none is) */
    size_t crowd;     /* members above which one meeting is not enough */
    size_t solo_from; /* bands from here on never pair on one meeting */
} db_bucket_rule;
/* The order a bucket's pivot and window follow: rank[rowid], lower first;
 * rowids beyond the array (or with none) after, by rowid. */
typedef struct db_order {
    const uint32_t *rank;
    size_t nrank;
} db_order;
db_bucket_rule db_bucket_rule_of(size_t bucket_cap, size_t solo_from);
/* Is a bucket of n members wide (its members pair with its pivot only)? */
int db_bucket_wide(const db_bucket_rule *r, size_t n);
/* Does one meeting in a bucket of n members of this band make a pair? */
uint64_t db_bucket_sure(const db_bucket_rule *r, size_t band, size_t n);
/* The packed pairs (a << 33 | b << 1 | sure) of one finished bucket of band,
 * members sorted ascending and distinct, appended to *pairs; a wide bucket
 * is counted in *wide; scratch is the caller's, reused across buckets. */
rp_err db_bucket_pairs(rp_db *db, const db_bucket_rule *r, size_t band, const int64_t *mem,
                       size_t n, const db_order *ord, db_vec *scratch, db_vec *pairs,
                       uint64_t *wide);
/* Room for one more packed value (compacting before growing); sort and
 * merge repeats, a value met twice becoming sure; keep the sure ones only,
 * unpacked (>> 1); call fn for each sure pair, in order. */
rp_err db_pairs_room(db_vec *p);
rp_err db_pairs_compact(db_vec *p);
rp_err db_keep_sure(db_vec *v);
rp_err db_pairs_each_sure(const db_vec *p, rp_pair_fn fn, void *ctx);

/* A point lookup's meetings (rp_db_lookup on either engine): each band's
 * bucket goes to db_lookup_bucket (members as rowids, or band << 32 |
 * rowid), then db_lookup_finish keeps the articles met twice or surely and
 * hands them, with the wide buckets seen (when want_wide), to the caller. */
typedef struct db_lookup {
    db_vec v; /* rowid << 1 | sure */
    rp_db_wide *w;
    size_t nw, wcap;
    int want_wide;
} db_lookup;
rp_err db_lookup_bucket(const db_bucket_rule *r, size_t band, const uint64_t *mem, size_t got,
                        db_lookup *l);
rp_err db_lookup_finish(rp_err e, db_lookup *l, int64_t **out, size_t *n, rp_db_wide **wide,
                        size_t *nwide);

void db_entries_free(db_entries *x);
/* Merge sorted x[0, mid) and x[mid, n) in place, equal entries once. */
rp_err db_entries_merge(db_entries *x, size_t mid);
rp_err db_vec_push(db_vec *v, uint64_t x);
/* Store n sorted, distinct entries as (part of) run of band. */
rp_err db_run_write(rp_db *db, size_t band, int64_t run, const uint64_t *key, const uint32_t *art,
                    size_t n);
/* Every stored entry of band, all runs merged, sorted, each once (x->n
 * reset first). */
rp_err db_band_read(rp_db *db, size_t band, db_entries *x);
/* The highest band with stored entries, -1 when none. */
rp_err db_bands_max(rp_db *db, int64_t *max);
/* The runs, oldest first (*runs malloc'd; none for a version-1 handle). */
rp_err db_runs_list(rp_db *db, db_run **runs, size_t *n);
/* Members of bucket (band, hash) over the runs, ascending, each once, the
 * lowest limit of them (0: all); out->n reset first. */
rp_err db_bucket_read(rp_db *db, const db_run *runs, size_t nruns, size_t band, uint64_t hash,
                      size_t limit, db_vec *out);
/* Merge runs while the newest is at least the size of the one before (or
 * there are more than RUNS_MAX). */
rp_err db_runs_compact(rp_db *db);
/* Take article's entries out of every run (heir's in their place when heir
 * is not 0), found by its band hashes, or by scan when they miss. */
rp_err db_runs_remove(rp_db *db, int64_t article, int64_t heir, const uint64_t *bands,
                      size_t nbands);
/* Move a version-1 file's bands table into run 1 (the caller drops it). */
rp_err db_runs_migrate_v1(rp_db *db);

/* The meta key whose row marks a file as a reprint database (schema.c). */
#define DB_MARKER_KEY "format"

/* Create or check the schema of a freshly opened handle (schema.c). */
rp_err db_schema_init(rp_db *db);

/* The PostgreSQL engine (db/pg*.c, the only files that include
 * libpq-fe.h): path names a server when it is a postgres:// or
 * postgresql:// URL or a libpq key=value string. A handle whose pg is set
 * is served by the db_pg_ twin of each public function, which takes the
 * same arguments. */
int db_pg_is_conninfo(const char *path);
rp_err db_pg_open(rp_db *db, const char *conninfo);
void db_pg_close(rp_db *db);
rp_err db_pg_begin(rp_db *db);
rp_err db_pg_commit(rp_db *db);
rp_err db_pg_rollback(rp_db *db);
rp_err db_pg_meta_get(rp_db *db, const char *key, char **out);
rp_err db_pg_meta_set(rp_db *db, const char *key, const char *value);
rp_err db_pg_find_id(rp_db *db, const char *id, int64_t *rowid);
rp_err db_pg_find_content(rp_db *db, uint64_t content_hash, int64_t *rowid);
rp_err db_pg_find_batch(rp_db *db, size_t n, const char *const *ids, const uint64_t *hashes,
                        int64_t *id_rowid, int64_t *hash_rowid);
rp_err db_pg_exact_copies(rp_db *db, int64_t rowid, int64_t **out, size_t *n);
rp_err db_pg_insert(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid);
rp_err db_pg_get(rp_db *db, int64_t rowid, rp_article *out, int with_text);
rp_err db_pg_rows(rp_db *db, rp_db_row **rows, size_t *n);
rp_err db_pg_stats_get(rp_db *db, rp_db_stats *out);
rp_err db_pg_bands_flush(rp_db *db);
rp_err db_pg_candidates(rp_db *db, size_t bucket_cap, size_t solo_from, const uint32_t *rank,
                        size_t nrank, rp_pair_fn fn, void *ctx, uint64_t *wide_buckets);
rp_err db_pg_lookup(rp_db *db, const uint64_t *bands, size_t nbands, size_t bucket_cap,
                    size_t solo_from, int64_t **out, size_t *n, rp_db_wide **wide, size_t *nwide);
rp_err db_pg_bucket_members(rp_db *db, const uint64_t *bands, size_t nbands, const size_t *which,
                            size_t nwhich, int64_t **out, size_t *n);
rp_err db_pg_store_clusters(rp_db *db, const rp_db_member *m, size_t n);
rp_err db_pg_cluster_of(rp_db *db, int64_t article, int64_t *cluster);
rp_err db_pg_load_clusters(rp_db *db, rp_db_member **out, size_t *n);
rp_err db_pg_site_lines_add(rp_db *db, const char *site, const uint64_t *hashes, size_t n);
rp_err db_pg_site_lines_get(rp_db *db, const char *site, uint64_t min_docs, uint64_t **hashes,
                            size_t *n);
rp_err db_pg_site_docs(rp_db *db, const char *site, uint64_t *n);
rp_err db_pg_remove(rp_db *db, int64_t rowid, const uint64_t *bands, size_t nbands,
                    const uint64_t *lines, size_t nlines, size_t *cluster_size);

#endif
