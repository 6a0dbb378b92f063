/*
 * db.c: opening and closing a reprint database, transactions, settings, and
 * the helpers the other files of db/ share.
 *
 * A handle is one SQLite connection tuned for bulk indexing: WAL journal
 * (readers keep reading while one writer writes), synchronous=NORMAL (a
 * crash can lose the last transactions but never corrupts the file), a
 * 10-second busy timeout so a second writer waits instead of failing, and a
 * large page cache and a memory map; a read-only handle keeps a small cache
 * and reads with pread (connect_db says why). All SQL lives in one table here, indexed by statement
 * id, and each statement is prepared once per handle on first use.
 *
 * Errors leave a message in the handle that names the database path and
 * carries SQLite's own explanation. A handle is used by one thread at a
 * time.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "db/dbint.h"

static const char *const sql_text[ST_COUNT_] = {
    [ST_LANG_PUT] = "INSERT OR REPLACE INTO article_lang(article, lang) VALUES (?1, ?2)",
    [ST_LANG_GET] = "SELECT lang FROM article_lang WHERE article = ?1",
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
    [ST_FIND_ID] = "SELECT rowid FROM articles WHERE id = ?1",
    [ST_EXACT_COPIES] = "SELECT rowid FROM articles WHERE exact_of = ?1 ORDER BY rowid",
    [ST_FIND_CONTENT] = "SELECT rowid FROM articles WHERE content_hash = ?1 "
                        "ORDER BY rowid LIMIT 1",
    [ST_ARTICLE_INSERT] = "INSERT INTO articles(id, url, site, title, published, "
                          "published_epoch, author, source, record, content_hash, ntokens, "
                          "text_len, text, exact_of, credits, indexed_at) VALUES "
                          "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)",
    [ST_STAGE_INSERT] = "INSERT INTO bands_new(article, bands) VALUES (?1, ?2)",
    [ST_STAGE_RANGE] = "SELECT min(article), max(article) FROM bands_new",
    [ST_STAGE_READ] = "SELECT article, bands FROM bands_new WHERE article BETWEEN ?1 AND ?2 "
                      "ORDER BY article",
    [ST_STAGE_DELETE] = "DELETE FROM bands_new WHERE article BETWEEN ?1 AND ?2",
    /* band_runs (runs.c): blocks keyed (band, run, last hash) */
    [ST_RUN_PUT] = "INSERT INTO band_runs(band, run, last, n, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_RUN_SEEK] = "SELECT data, last FROM band_runs WHERE band = ?1 AND run = ?2 AND last >= ?3 "
                    "ORDER BY last LIMIT 1",
    [ST_RUN_READ] = "SELECT data FROM band_runs WHERE band = ?1 AND run = ?2 ORDER BY last",
    [ST_RUN_DELETE] = "DELETE FROM band_runs WHERE band = ?1 AND run = ?2",
    [ST_RUN_BLOCK_DELETE] = "DELETE FROM band_runs WHERE band = ?1 AND run = ?2 AND last = ?3",
    [ST_RUNS_BAND] = "SELECT run, data FROM band_runs WHERE band = ?1 ORDER BY run, last",
    [ST_RUNS_MAX] = "SELECT max(band) FROM band_runs",
    [ST_RUNS_ALL] = "SELECT band, run, last, data FROM band_runs",
    [ST_RUNS_LIST] = "SELECT run, articles FROM band_run_list ORDER BY run",
    [ST_RUNS_ADD] = "INSERT OR REPLACE INTO band_run_list(run, articles) VALUES (?1, ?2)",
    [ST_RUNS_NEXT] = "SELECT coalesce(max(run), 0) + 1 FROM band_run_list",
    [ST_RUNS_RESIZE] = "UPDATE band_run_list SET articles = ?2 WHERE run = ?1",
    [ST_RUNS_DROP] = "DELETE FROM band_run_list WHERE run = ?1",
    [ST_ARTICLE_GET] = "SELECT id, url, site, title, published, published_epoch, author, "
                       "source, record, text_len, text, credits, indexed_at FROM articles "
                       "WHERE rowid = ?1",
    /* the same columns but the text (an empty BLOB stands in for it) */
    [ST_ARTICLE_META] = "SELECT id, url, site, title, published, published_epoch, author, "
                        "source, record, text_len, x'', credits, indexed_at FROM articles "
                        "WHERE rowid = ?1",
    [ST_ROWS] = "SELECT rowid, id, published_epoch, exact_of, ntokens, "
                "published GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' FROM articles "
                "ORDER BY rowid",
    /* the bands table of schema version 1, read by read-only handles */
    [ST_V1_BAND] = "SELECT hash, article FROM bands WHERE band = ?1 ORDER BY hash, article",
    [ST_V1_BANDS_MAX] = "SELECT max(band) FROM bands",
    [ST_V1_LOOKUP] = "SELECT article FROM bands WHERE band = ?1 AND hash = ?2 LIMIT ?3",
    [ST_CLUSTERS_DELETE] = "DELETE FROM clusters",
    [ST_CLUSTER_INSERT] = "INSERT INTO clusters(article, cluster, is_original, source, score, "
                          "jaccard, containment) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_CLUSTER_OF] = "SELECT cluster FROM clusters WHERE article = ?1",
    [ST_CLUSTERS_LOAD] = "SELECT article, cluster, is_original, source, score, jaccard, "
                         "containment FROM clusters ORDER BY cluster, is_original DESC, article",
    [ST_SITE_LINE_ADD] = "INSERT INTO site_lines(site, hash, docs) VALUES (?1, ?2, 1) "
                         "ON CONFLICT(site, hash) DO UPDATE SET docs = docs + 1",
    [ST_SITE_DOC_ADD] = "INSERT INTO sites(site, docs) VALUES (?1, 1) "
                        "ON CONFLICT(site) DO UPDATE SET docs = docs + 1",
    [ST_SITE_LINE_ADD_N] = "INSERT INTO site_lines(site, hash, docs) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT(site, hash) DO UPDATE SET docs = docs + excluded.docs",
    [ST_SITE_DOC_ADD_N] = "INSERT INTO sites(site, docs) VALUES (?1, ?2) "
                          "ON CONFLICT(site) DO UPDATE SET docs = docs + excluded.docs",
    /* docs >= RP_CHROME_MIN_DOCS lets the partial index site_lines_docs serve */
    [ST_SITE_LINES_GET] = "SELECT hash FROM site_lines WHERE site = ?1 AND docs >= ?2"
                          " AND docs >= " DB_XSTR(RP_CHROME_MIN_DOCS),
    [ST_SITE_DOCS] = "SELECT docs FROM sites WHERE site = ?1",
    [ST_STATS_ARTICLES] = "SELECT count(*), count(exact_of), coalesce(sum(text_len), 0), "
                          "count(CASE WHEN published <> '' AND published_epoch IS NULL "
                          "THEN 1 END) FROM articles",
    [ST_STATS_CLUSTERS] = "SELECT count(*), coalesce(sum(n), 0) FROM "
                          "(SELECT count(*) AS n FROM clusters GROUP BY cluster HAVING n >= 2)",
    [ST_STATS_BANDS] = "SELECT coalesce(sum(n), 0) FROM band_runs",
    [ST_STATS_BANDS_V1] = "SELECT count(*) FROM bands",
};

rp_err db_error(rp_db *db, rp_err e, const char *fmt, ...)
{
    int off = snprintf(db->err, sizeof db->err, "%s: ", db->path ? db->path : "(database)");
    if (off < 0 || (size_t)off >= sizeof db->err) return e;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(db->err + off, sizeof db->err - (size_t)off, fmt, ap);
    va_end(ap);
    return e;
}

rp_err db_fail(rp_db *db, int rc, const char *what)
{
    const char *msg = db->h ? sqlite3_errmsg(db->h) : sqlite3_errstr(rc);
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return db_error(db, RP_BUSY, "%s: %s (another process holds the database; try again)", what,
                        msg);
    case SQLITE_NOMEM:
        return db_error(db, RP_NOMEM, "%s: %s", what, msg);
    case SQLITE_CANTOPEN:
        return db_error(db, RP_IO, "%s: %s", what, msg);
    default:
        return db_error(db, RP_DB, "%s: %s", what, msg);
    }
}

#undef sqlite3_step
int db_step(rp_db *db, sqlite3_stmt *s)
{
    for (int tries = 0;; tries++) {
        int rc = sqlite3_step(s);
        /* A read-only handle never writes: "readonly" from it is the
         * read that could not begin (READONLY_RECOVERY, _CANTINIT). */
        if ((rc & 0xff) != SQLITE_READONLY || !db || !(db->flags & RP_DB_READONLY) || tries >= 2000)
            return rc;
        /* the read never began: nothing was returned, start it again */
        sqlite3_reset(s);
        struct timespec pause = {0, 500000};
        nanosleep(&pause, NULL);
    }
}
#define sqlite3_step(s) db_step(db, (s))

rp_err db_exec(rp_db *db, const char *sql)
{
    int rc = sqlite3_exec(db->h, sql, NULL, NULL, NULL);
    if (rc != SQLITE_OK) return db_fail(db, rc, "cannot update the database");
    return RP_OK;
}

int db_autocommit(rp_db *db)
{
    return sqlite3_get_autocommit(db->h);
}

sqlite3_stmt *db_stmt(rp_db *db, enum db_stmt_id id)
{
    if (db->st[id]) return db->st[id];
    int rc =
        sqlite3_prepare_v3(db->h, sql_text[id], -1, SQLITE_PREPARE_PERSISTENT, &db->st[id], NULL);
    if (rc != SQLITE_OK) {
        db_fail(db, rc, "cannot prepare a statement");
        sqlite3_finalize(db->st[id]);
        db->st[id] = NULL;
    }
    return db->st[id];
}

int db_bind_text(sqlite3_stmt *s, int i, const char *s_val)
{
    if (!s_val) return sqlite3_bind_null(s, i);
    return sqlite3_bind_text(s, i, s_val, -1, SQLITE_STATIC);
}

char *db_column_strdup(sqlite3_stmt *s, int i, int *oom)
{
    const unsigned char *t = sqlite3_column_text(s, i);
    if (!t) return NULL;
    size_t n = (size_t)sqlite3_column_bytes(s, i);
    char *p = malloc(n + 1);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    memcpy(p, t, n);
    p[n] = '\0';
    return p;
}

/* Open db->h on path (a file name, or a URI when uri is set) and set the
 * handle up. */
static rp_err connect_db(rp_db *db, const char *path, int uri)
{
    int flags = db->flags;
    int oflags = (flags & RP_DB_READONLY) ? SQLITE_OPEN_READONLY
                                          : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (uri) oflags |= SQLITE_OPEN_URI;
    /* A handle is used from one thread at a time (reprint.h), so SQLite's
     * per-call connection mutex is pure cost: bulk flushes make millions of
     * calls. */
    int rc = sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) return db_fail(db, rc, "cannot open the database");
    sqlite3_extended_result_codes(db->h, 1);
    sqlite3_busy_timeout(db->h, 10000);
    rp_err e;
    if ((e = db_exec(db, "PRAGMA foreign_keys=OFF"))) return e;
    if ((e = db_exec(db, "PRAGMA temp_store=MEMORY"))) return e;
    if (flags & RP_DB_READONLY) {
        /* A reader (query, show, stats, export, report) reads each page
         * with pread into a small page cache whose slots it reuses. On the
         * VM these figures come from, a first touch of a page costs about
         * 12 us when it is fresh heap and about 45 us when it is a page of
         * a memory-mapped file, against 4 us for a pread of 8 KB from the
         * OS's cache: a fresh `query` process, which reads a few hundred
         * B-tree pages once each, took 900 page faults with a 1 GiB memory
         * map and a 256 MiB cache, 710 this way with a 256 KiB cache, and 20%
         * less CPU; with 64 KiB (8 pages: a B-tree's root and inner pages
         * stay) 37 fewer faults per query, for 252 preads instead of
         * 227. `stats` and `export` of the Reuters index took no longer.
         * Since band_runs is a rowid table behind an index (schema.c), a
         * band lookup passes two roots and an inner page on its way to
         * the block: 128 KiB keeps them, 373 preads -> 252 per query for 8
         * more faults. */
        if ((e = db_exec(db, "PRAGMA cache_size=-128"))) return e; /* 128 KiB */
    } else {
        if ((e = db_exec(db, "PRAGMA cache_size=-262144"))) return e;   /* 256 MiB */
        if ((e = db_exec(db, "PRAGMA mmap_size=1073741824"))) return e; /* 1 GiB */
    }
    if ((e = db_schema_init(db))) return e;
    if (!(flags & RP_DB_READONLY)) {
        if ((e = db_exec(db, "PRAGMA synchronous=NORMAL"))) return e;
        /* Checkpoint (and fsync) every 128 MiB of WAL rather than every
         * 8 MiB: bulk indexing writes far less often. */
        if ((e = db_exec(db, "PRAGMA wal_autocheckpoint=16384"))) return e;
    }
    return RP_OK;
}

/* file:PATH?query into uri (room for 3 * strlen(path) + 32 bytes), with
 * the URI's special characters of PATH escaped. */
static void file_uri(char *uri, const char *path, const char *query)
{
    char *w = uri;
    w += sprintf(w, "file:");
    for (const char *p = path; *p; p++) {
        if (*p == '%' || *p == '?' || *p == '#')
            w += sprintf(w, "%%%02X", (unsigned char)*p);
        else
            *w++ = *p;
    }
    sprintf(w, "?%s", query);
}

/* Close db->h and forget its statements, for another try at opening. */
static void disconnect(rp_db *db)
{
    for (int i = 0; i < ST_COUNT_; i++) {
        sqlite3_finalize(db->st[i]);
        db->st[i] = NULL;
    }
    sqlite3_close_v2(db->h);
    db->h = NULL;
}

/* A read-only handle on a WAL database whose -shm file exists maps it
 * read-only (SQLite's readonly_shm). Opened for writing, as SQLite does
 * by default, the first connection to a file that no other process has
 * open resets it: an ftruncate of the -shm file, one pwrite per 4 KiB page
 * to grow it again and a shared memory map, whose pages fault one by one,
 * which cost a fresh `query` process about a millisecond on the VM of
 * benchmarks/RESULTS.md ("Sixth session: query start-up"), every time. A
 * read-only map is used as it is when a writer has the file open, and
 * otherwise SQLite reads the write-ahead log into its own memory
 * (walBeginShmUnreliable): the same committed state either way. *tried is
 * 0 when this does not apply (no -shm file: it is made by the ordinary
 * open, for the next reader); a failure to open this way is left for the
 * ordinary open to retry. */
static rp_err open_shm_readonly(rp_db *db, const char *path, int *tried)
{
    *tried = 0;
    if (strncmp(path, "file:", 5) == 0 || strcmp(path, ":memory:") == 0 || !*path ||
        strncmp(path, "//", 2) == 0)
        return RP_OK;
    size_t n = strlen(path);
    char *side = malloc(n + 5), *uri = malloc(3 * n + 32);
    rp_err e = RP_NOMEM;
    if (!side || !uri) goto out;
    memcpy(side, path, n);
    strcpy(side + n, "-shm");
    struct stat st;
    e = RP_OK;
    if (stat(side, &st) != 0 || !S_ISREG(st.st_mode)) goto out;
    *tried = 1;
    file_uri(uri, path, "readonly_shm=1");
    e = connect_db(db, uri, 1);
out:
    free(side);
    free(uri);
    return e;
}

/* A WAL database needs its -shm file even to be read, and SQLite creates
 * it beside the database: in a folder the process cannot write to (a
 * read-only mount, another user's folder) with no -shm there, a read-only
 * open fails with "unable to open database file". With no -wal file (or an
 * empty one) either, the database file alone is the whole committed state,
 * and no writer can be at work (it would have made the -wal file), so it is
 * read as immutable. A non-empty -wal file holds commits only a connection
 * that can write beside it can read: that is said, not worked around. */
static rp_err open_unwritable(rp_db *db, const char *path, int *tried)
{
    *tried = 0;
    size_t n = strlen(path);
    char *side = malloc(n + 5), *uri = malloc(3 * n + 32);
    rp_err e = RP_NOMEM;
    if (!side || !uri) goto out;
    memcpy(side, path, n);
    strcpy(side + n, "-shm");
    struct stat st;
    char *slash = strrchr(side, '/');
    int dir_ok;
    if (slash) {
        char keep = slash[1];
        slash[1] = '\0';
        dir_ok = access(side, W_OK) == 0;
        slash[1] = keep;
    } else {
        dir_ok = access(".", W_OK) == 0;
    }
    e = RP_OK;
    if (dir_ok || stat(side, &st) == 0) goto out; /* not this case */
    *tried = 1;
    strcpy(side + n, "-wal");
    if (stat(side, &st) == 0 && st.st_size > 0) {
        e = db_error(db, RP_IO,
                     "cannot read the database: its folder is not writable and it has a "
                     "write-ahead log (%s) that only a process able to write there can read; "
                     "run any reprint command there once with write access, or copy the files",
                     side);
        goto out;
    }
    file_uri(uri, path, "immutable=1");
    e = connect_db(db, uri, 1);
out:
    free(side);
    free(uri);
    return e;
}

rp_err rp_db_open(rp_db **out, const char *path, int flags)
{
    *out = NULL;
    if (!path) return RP_ARG;
    rp_db *db = calloc(1, sizeof *db);
    if (!db) return RP_NOMEM;
    db->flags = flags;
    db->flush_pass_bytes = DB_FLUSH_PASS_BYTES;
    db->path = strdup(path);
    if (!db->path) {
        free(db);
        return RP_NOMEM;
    }
    *out = db;
    if (db_pg_is_conninfo(path)) return db_pg_open(db, path);
    rp_err e = RP_OK;
    int shm_ro = 0;
    if (flags & RP_DB_READONLY) {
        e = open_shm_readonly(db, path, &shm_ro);
        if (e == RP_NOMEM) return e;
        if (shm_ro && e) {
            disconnect(db);
            db->err[0] = '\0';
            shm_ro = 0;
        }
    }
    if (!shm_ro) e = connect_db(db, path, 0);
    if (e && (flags & RP_DB_READONLY) && db->h &&
        (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_CANTOPEN &&
        strncmp(path, "file:", 5) != 0 && strcmp(path, ":memory:") != 0) {
        char first[sizeof db->err];
        memcpy(first, db->err, sizeof first);
        disconnect(db);
        int tried = 0;
        e = open_unwritable(db, path, &tried);
        if (!tried) {
            memcpy(db->err, first, sizeof first);
            e = RP_IO;
        }
    }
    if (e && !(flags & RP_DB_READONLY) && db->h &&
        ((sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_CANTOPEN ||
         (sqlite3_extended_errcode(db->h) & 0xff) == SQLITE_READONLY)) {
        char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
        if (slash) slash[1] = '\0';
        const char *d = slash ? dir : ".";
        if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
            e = db_error(db, RP_IO, "cannot write to the database: the file is read-only");
        else if (dir && access(d, W_OK) != 0)
            e = db_error(db, RP_IO,
                         "cannot write to the database: its folder %s is read-only (SQLite "
                         "keeps its journal files beside the database)",
                         d);
        free(dir);
    }
    if (e == RP_DB && db->h && strstr(db->err, "not a database"))
        db_error(db, RP_DB, "not a SQLite database (%s)", sqlite3_errmsg(db->h));
    return e;
}

int rp_db_is_server(const char *path)
{
    return db_pg_is_conninfo(path);
}

void rp_db_close(rp_db *db)
{
    if (!db) return;
    if (db->pg) db_pg_close(db);
    for (int i = 0; i < ST_COUNT_; i++)
        sqlite3_finalize(db->st[i]);
    if (db->def_ready) deflateEnd(&db->def);
    if (db->inf_ready) inflateEnd(&db->inf);
    free(db->zbuf);
    free(db->stage);
    db_sites_drop(db);
    /* sqlite3_close_v2 rolls back a transaction left open. */
    sqlite3_close_v2(db->h);
    free(db->path);
    free(db);
}

const char *rp_db_errmsg(const rp_db *db)
{
    if (!db) return "no database handle";
    return db->err[0] ? db->err : "no error";
}

const char *rp_db_path(const rp_db *db)
{
    return db ? db->path : NULL;
}

rp_err rp_db_begin(rp_db *db)
{
    if (db->pg) return db_pg_begin(db);
    /* IMMEDIATE takes the write lock now, so a second writer waits here
     * (busy timeout) instead of failing later in the middle of a batch. */
    return db_exec(db, (db->flags & RP_DB_READONLY) ? "BEGIN" : "BEGIN IMMEDIATE");
}

rp_err rp_db_commit(rp_db *db)
{
    if (db->pg) return db_pg_commit(db);
    rp_err e = db_sites_write(db);
    if (e) return e;
    return db_exec(db, "COMMIT");
}

rp_err rp_db_read_begin(rp_db *db, int *own)
{
    *own = 0;
    if (db->pg || !db_autocommit(db)) return RP_OK;
    rp_err e = db_exec(db, "BEGIN");
    if (!e) *own = 1;
    return e;
}

rp_err rp_db_read_end(rp_db *db, int own)
{
    if (!own || db->pg || db_autocommit(db)) return RP_OK;
    return db_exec(db, "COMMIT");
}

rp_err rp_db_rollback(rp_db *db)
{
    if (db->pg) return db_pg_rollback(db);
    db_sites_drop(db);
    if (db_autocommit(db)) return RP_OK;
    return db_exec(db, "ROLLBACK");
}

rp_err db_one_int64(rp_db *db, sqlite3_stmt *s, int64_t *out, const char *what)
{
    int rc = sqlite3_step(s);
    rp_err e = RP_OK;
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(s, 0);
    else if (rc == SQLITE_DONE)
        e = RP_NOTFOUND;
    else
        e = db_fail(db, rc, what);
    sqlite3_reset(s);
    return e;
}

rp_err rp_db_meta_get(rp_db *db, const char *key, char **out)
{
    if (db->pg) return db_pg_meta_get(db, key, out);
    *out = NULL;
    sqlite3_stmt *s = db_stmt(db, ST_META_GET);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        int oom = 0;
        *out = db_column_strdup(s, 0, &oom);
        if (oom)
            e = RP_NOMEM;
        else if (!*out)
            e = RP_NOTFOUND;
    } else if (rc == SQLITE_DONE) {
        e = RP_NOTFOUND;
    } else {
        e = db_fail(db, rc, "cannot read setting");
    }
    sqlite3_reset(s);
    return e;
}

rp_err rp_db_meta_set(rp_db *db, const char *key, const char *value)
{
    if (db->pg) return db_pg_meta_set(db, key, value);
    sqlite3_stmt *s = db_stmt(db, ST_META_SET);
    if (!s) return RP_DB;
    sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
    db_bind_text(s, 2, value);
    int rc = sqlite3_step(s);
    rp_err e = rc == SQLITE_DONE ? RP_OK : db_fail(db, rc, "cannot store setting");
    sqlite3_reset(s);
    return e;
}
