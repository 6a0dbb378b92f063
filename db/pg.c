/*
 * pg.c: the PostgreSQL engine: choosing it, connecting, the schema,
 * transactions, settings and the helpers the other pg*.c files share.
 *
 * A database argument that is a postgres:// or postgresql:// URL, or a
 * libpq key=value string ("host=/tmp/x dbname=r"), names a PostgreSQL
 * database; anything else is a SQLite file (db.c). Both engines hold the
 * same tables (schema.c describes them; here BLOBs are bytea and the 64-bit
 * hashes bigint, stored as the same two's-complement image), except the
 * staging table bands_new: SQLite needs it because random inserts into its
 * band B-tree are slow, while here the band rows of a transaction are
 * written by one COPY when it commits; and the unique index
 * articles_original(content_hash) WHERE exact_of IS NULL, which lets
 * several writers at once agree on which of two identical texts is the
 * original (pgarticles.c). The schema version is the meta row
 * 'schema_version' (SQLite keeps it in PRAGMA user_version), beside the
 * same 'format' marker; a database is created under an advisory lock, so
 * two processes creating it at once make it once.
 *
 * A read-only handle sets the session read-only: the server itself refuses
 * any write through it. The library never prints: the server's notices
 * (CREATE ... IF NOT EXISTS tells of tables that exist) are dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/pgint.h"

#define PG_SCHEMA_VERSION 1
/* Key of the advisory lock that serialises creating the schema. */
#define PG_CREATE_LOCK "7243560118"

static const char *const sql_text[PG_COUNT_] = {
    [PG_META_GET] = "SELECT value FROM meta WHERE key = $1",
    [PG_META_SET] = "INSERT INTO meta(key, value) VALUES ($1, $2) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [PG_FIND_ID] = "SELECT rowid FROM articles WHERE id = $1",
    [PG_FIND_CONTENT] = "SELECT rowid FROM articles WHERE content_hash = $1 "
                        "ORDER BY rowid LIMIT 1",
    /* rp_db_find_batch: every article's id and content-hash checks in one
     * round trip, one row per array element in order (NULL: not found, or
     * not asked). */
    [PG_FIND_BATCH] = "SELECT (SELECT rowid FROM articles WHERE id = q.id), "
                      "(SELECT rowid FROM articles WHERE content_hash = q.h "
                      "ORDER BY rowid LIMIT 1) FROM unnest($1::text[], $2::bigint[]) "
                      "WITH ORDINALITY AS q(id, h, i) ORDER BY q.i",
    [PG_EXACT_COPIES] = "SELECT rowid FROM articles WHERE exact_of = $1 ORDER BY rowid",
    /* The row and its language in one round trip. A taken id, or a text
     * another writer stored first as an original (articles_original), gives
     * no row rather than an error, which would abort the whole transaction.
     * Neither ON CONFLICT names its index: on the sharded layout
     * (scripts/pg-shard-setup) the unique indexes are the shards' own, and
     * a foreign partition takes only DO NOTHING without a target. The
     * language row's rowid is new (a sequence's, never reused), so it
     * meets no earlier row. */
    [PG_ARTICLE_INSERT] =
        "WITH a AS (INSERT INTO articles(id, url, site, title, published, published_epoch, "
        "author, source, record, content_hash, ntokens, text_len, text, exact_of, credits, "
        "indexed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16) ON CONFLICT DO NOTHING RETURNING rowid), l AS (INSERT INTO "
        "article_lang(article, lang) "
        "SELECT rowid, $17::text FROM a WHERE $17::text IS NOT NULL "
        "ON CONFLICT DO NOTHING) SELECT rowid FROM a",
    [PG_ARTICLE_GET] = "SELECT id, url, site, title, published, published_epoch, author, "
                       "source, record, text_len, text, credits, indexed_at, "
                       "(SELECT lang FROM article_lang WHERE article = $1) FROM articles "
                       "WHERE rowid = $1",
    [PG_ARTICLE_META] = "SELECT id, url, site, title, published, published_epoch, author, "
                        "source, record, text_len, ''::bytea, credits, indexed_at, "
                        "(SELECT lang FROM article_lang WHERE article = $1) FROM articles "
                        "WHERE rowid = $1",
    /* SQLite's GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' */
    [PG_ROWS] = "SELECT rowid, id, published_epoch, exact_of, ntokens, "
                "coalesce(published ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', false) FROM articles "
                "ORDER BY rowid",
    [PG_STATS_ARTICLES] = "SELECT count(*), count(exact_of), coalesce(sum(text_len), 0)::bigint, "
                          "count(CASE WHEN published <> '' AND published_epoch IS NULL "
                          "THEN 1 END) FROM articles",
    [PG_STATS_CLUSTERS] = "SELECT count(*), coalesce(sum(n), 0)::bigint FROM "
                          "(SELECT count(*) AS n FROM clusters GROUP BY cluster "
                          "HAVING count(*) >= 2) c",
    [PG_STATS_BANDS] = "SELECT count(*) FROM bands",
    /* Each band's bucket in article order, at most $3 rows (NULL: all). */
    [PG_BAND_LOOKUP] = "SELECT q.band, b.article FROM unnest($1::int[], $2::bigint[]) "
                       "AS q(band, hash) CROSS JOIN LATERAL (SELECT article FROM bands "
                       "WHERE bands.band = q.band AND bands.hash = q.hash ORDER BY article "
                       "LIMIT $3::bigint) b ORDER BY q.band, b.article",
    [PG_CLUSTER_OF] = "SELECT cluster FROM clusters WHERE article = $1",
    [PG_CLUSTERS_LOAD] = "SELECT article, cluster, is_original, source, score, jaccard, "
                         "containment FROM clusters ORDER BY cluster, is_original DESC, article",
    [PG_SITE_LINES_GET] = "SELECT hash FROM site_lines WHERE site = $1 AND docs >= $2"
                          " AND docs >= " DB_XSTR(RP_CHROME_MIN_DOCS),
    [PG_SITE_DOCS] = "SELECT docs FROM sites WHERE site = $1",
};

/* The statements that take another form on the sharded layout (the
 * tables with foreign partitions, scripts/pg-shard-setup). A correlated
 * subquery over a partitioned table is one query on every shard per outer
 * row: PG_FIND_BATCH's two per article made 256 queries on the shards a
 * batch (5.6 of the 6.95 s that indexing 951 generated articles took);
 * here each shard gets one query per array. */
static const char *const sharded_text[PG_COUNT_] = {
    [PG_FIND_BATCH] = "WITH q AS (SELECT * FROM unnest($1::text[], $2::bigint[]) "
                      "WITH ORDINALITY AS q(id, h, i)), "
                      "a AS MATERIALIZED (SELECT id, rowid FROM articles "
                      "WHERE id = ANY($1::text[])), "
                      "c AS MATERIALIZED (SELECT content_hash AS h, min(rowid) AS rowid "
                      "FROM articles WHERE content_hash = ANY($2::bigint[]) "
                      "GROUP BY content_hash) "
                      "SELECT a.rowid, c.rowid FROM q LEFT JOIN a ON a.id = q.id "
                      "LEFT JOIN c ON c.h = q.h ORDER BY q.i",
};

static const char schema_v1[] =
    "CREATE TABLE IF NOT EXISTS meta(key text PRIMARY KEY, value text);"
    "CREATE TABLE IF NOT EXISTS articles("
    " rowid bigserial PRIMARY KEY, id text UNIQUE NOT NULL, url text, site text,"
    " title text, published text, published_epoch bigint, author text,"
    " source text, record bigint, content_hash bigint, ntokens bigint,"
    " text_len bigint, text bytea, exact_of bigint, credits integer,"
    " indexed_at bigint);"
    "CREATE INDEX IF NOT EXISTS articles_content ON articles(content_hash);"
    "CREATE UNIQUE INDEX IF NOT EXISTS articles_original ON articles(content_hash)"
    " WHERE exact_of IS NULL;"
    "CREATE INDEX IF NOT EXISTS articles_exact ON articles(exact_of) WHERE exact_of IS NOT NULL;"
    "CREATE TABLE IF NOT EXISTS bands(band integer, hash bigint, article bigint,"
    " PRIMARY KEY(band, hash, article));"
    "CREATE TABLE IF NOT EXISTS article_lang(article bigint PRIMARY KEY, lang text);"
    "CREATE TABLE IF NOT EXISTS clusters(article bigint PRIMARY KEY, cluster bigint,"
    " is_original integer, source bigint, score double precision, jaccard double precision,"
    " containment double precision);"
    "CREATE INDEX IF NOT EXISTS clusters_cluster ON clusters(cluster, is_original DESC);"
    "CREATE TABLE IF NOT EXISTS site_lines(site text, hash bigint, docs bigint,"
    " PRIMARY KEY(site, hash));"
    "CREATE TABLE IF NOT EXISTS sites(site text PRIMARY KEY, docs bigint);"
    "CREATE INDEX IF NOT EXISTS site_lines_docs ON site_lines(site, docs)"
    " WHERE docs >= " DB_XSTR(
        RP_CHROME_MIN_DOCS) ";"
                            "INSERT INTO meta(key, value) VALUES ('" DB_MARKER_KEY "', 'reprint'),"
                            " ('schema_version', '" DB_XSTR(
                                PG_SCHEMA_VERSION) "') ON CONFLICT (key) DO NOTHING;";

int db_pg_is_conninfo(const char *path)
{
    if (!path) return 0;
    if (strncmp(path, "postgresql://", 13) == 0 || strncmp(path, "postgres://", 11) == 0) return 1;
    if (!strchr(path, '=')) return 0;
    /* key=value: only when libpq knows every key (a file may be named
     * "a=b.db"); without libpq, a file. */
    if (!db_pq_load(NULL)) return 0;
    char *err = NULL;
    PQconninfoOption *o = PQconninfoParse(path, &err);
    PQfreemem(err);
    if (!o) return 0;
    PQconninfoFree(o);
    return 1;
}

/* The first line of a server or libpq message, without "ERROR:  ". */
static void first_line(char *dst, size_t cap, const char *msg)
{
    if (!msg) msg = "";
    if (strncmp(msg, "ERROR:  ", 8) == 0) msg += 8;
    if (strncmp(msg, "FATAL:  ", 8) == 0) msg += 8;
    size_t n = strcspn(msg, "\n");
    if (n >= cap) n = cap - 1;
    memcpy(dst, msg, n);
    dst[n] = '\0';
}

rp_err pg_fail(rp_db *db, const PGresult *res, const char *what)
{
    char msg[512];
    const char *m = res ? PQresultErrorMessage(res) : NULL;
    if (!m || !*m) m = db->pg && db->pg->c ? PQerrorMessage(db->pg->c) : "no connection";
    first_line(msg, sizeof msg, m);
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    if (state && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0))
        return db_error(db, RP_BUSY, "%s: %s (another process holds the rows; try again)", what,
                        msg);
    if (state && strcmp(state, "53200") == 0) return db_error(db, RP_NOMEM, "%s: %s", what, msg);
    if (!state || strncmp(state, "08", 2) == 0 || strncmp(state, "53", 2) == 0)
        return db_error(db, RP_IO, "%s: %s", what, msg);
    return db_error(db, RP_DB, "%s: %s", what, msg);
}

static PGresult *check(rp_db *db, PGresult *r, const char *what)
{
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK) return r;
    db->pg->last = pg_fail(db, r, what);
    PQclear(r);
    return NULL;
}

PGresult *pg_run(rp_db *db, enum pg_stmt_id id, int n, const char *const *vals, const int *lens,
                 const int *fmts, const char *what)
{
    struct db_pg *pg = db->pg;
    char name[16];
    snprintf(name, sizeof name, "rp%d", (int)id);
    if (!pg->prepared[id]) {
        const char *text = pg->foreign && sharded_text[id] ? sharded_text[id] : sql_text[id];
        PGresult *r = check(db, PQprepare(pg->c, name, text, 0, NULL), what);
        if (!r) return NULL;
        PQclear(r);
        pg->prepared[id] = 1;
    }
    return check(db, PQexecPrepared(pg->c, name, n, vals, lens, fmts, 1), what);
}

PGresult *pg_query(rp_db *db, const char *sql, int n, const char *const *vals, const int *lens,
                   const int *fmts, const char *what)
{
    return check(db, PQexecParams(db->pg->c, sql, n, NULL, vals, lens, fmts, 1), what);
}

rp_err pg_exec(rp_db *db, const char *sql, const char *what)
{
    PGresult *r = check(db, PQexec(db->pg->c, sql), what);
    if (!r) return PG_ERR(db);
    PQclear(r);
    return RP_OK;
}

int pg_autocommit(rp_db *db)
{
    return PQtransactionStatus(db->pg->c) == PQTRANS_IDLE;
}

int64_t pg_i64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    const unsigned char *p = (const unsigned char *)PQgetvalue(r, row, col);
    int len = PQgetlength(r, row, col);
    uint64_t v = 0;
    for (int i = 0; i < len && i < 8; i++)
        v = v << 8 | p[i];
    /* sign-extend the narrower integer types (bool, int2, int4) */
    if (len > 0 && len < 8 && (p[0] & 0x80)) v |= ~(uint64_t)0 << (8 * len);
    return (int64_t)v;
}

double pg_f64(const PGresult *r, int row, int col)
{
    if (PQgetisnull(r, row, col)) return 0;
    const unsigned char *p = (const unsigned char *)PQgetvalue(r, row, col);
    int len = PQgetlength(r, row, col);
    uint64_t v = 0;
    for (int i = 0; i < len && i < 8; i++)
        v = v << 8 | p[i];
    if (len == 4) {
        uint32_t w = (uint32_t)v;
        float f;
        memcpy(&f, &w, sizeof f);
        return f;
    }
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

char *pg_strdup(const PGresult *r, int row, int col, int *oom)
{
    if (PQgetisnull(r, row, col)) return NULL;
    size_t n = (size_t)PQgetlength(r, row, col);
    char *p = malloc(n + 1);
    if (!p) {
        *oom = 1;
        return NULL;
    }
    memcpy(p, PQgetvalue(r, row, col), n);
    p[n] = '\0';
    return p;
}

static rp_err buf_room(pg_buf *b, size_t more)
{
    if (b->n + more <= b->cap) return RP_OK;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + more)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return RP_NOMEM;
    b->p = p;
    b->cap = cap;
    return RP_OK;
}

rp_err pg_buf_text(pg_buf *b, const char *s, int last)
{
    size_t n = strlen(s);
    if (buf_room(b, 2 * n + 1)) return RP_NOMEM;
    for (; *s; s++) {
        char c = *s;
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            b->p[b->n++] = '\\';
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
        }
        b->p[b->n++] = c;
    }
    b->p[b->n++] = last ? '\n' : '\t';
    return RP_OK;
}

rp_err pg_buf_int(pg_buf *b, int64_t v, int last)
{
    if (buf_room(b, 24)) return RP_NOMEM;
    b->n += (size_t)snprintf(b->p + b->n, 24, "%lld%c", (long long)v, last ? '\n' : '\t');
    return RP_OK;
}

rp_err pg_buf_null(pg_buf *b, int last)
{
    if (buf_room(b, 3)) return RP_NOMEM;
    b->p[b->n++] = '\\';
    b->p[b->n++] = 'N';
    b->p[b->n++] = last ? '\n' : '\t';
    return RP_OK;
}

void pg_buf_free(pg_buf *b)
{
    free(b->p);
    b->p = NULL;
    b->n = b->cap = 0;
}

/* Whether table (its name's first n bytes) has foreign partitions. */
static int is_foreign(const rp_db *db, const char *table, size_t n)
{
    for (const char *p = db->pg->foreign; p && *p; p += strcspn(p, ",")) {
        p++; /* past a ',' */
        if (strncmp(p, table, n) == 0 && p[n] == ',') return 1;
    }
    return 0;
}

/* COPY into a table with foreign partitions goes through a temporary
 * table of the same columns: PostgreSQL 15 routes each row COPY brings to
 * a foreign partition by one INSERT on the shard (a round trip a row),
 * while INSERT ... SELECT sends them batch_size rows at a time (the
 * server option pg-shard-setup sets): 333 articles' 47k band rows took
 * 14.6 s the first way. */
static rp_err stage(rp_db *db, const char *target, size_t n, const char *what, char *copy,
                    size_t cap)
{
    char sql[512];
    const char *cols = target + n;
    snprintf(sql, sizeof sql, "CREATE TEMPORARY TABLE IF NOT EXISTS rp_stage_%.*s (LIKE %.*s)",
             (int)n, target, (int)n, target);
    rp_err e = pg_exec(db, sql, what);
    if (!e) snprintf(copy, cap, "COPY rp_stage_%.*s%s FROM STDIN", (int)n, target, cols);
    return e;
}

static rp_err unstage(rp_db *db, const char *target, size_t n, const char *what)
{
    char sql[1024];
    const char *cols = target + n; /* "(a, b)" */
    size_t clen = strlen(cols);
    if (clen < 2) return db_error(db, RP_ARG, "%s: no column list in %s", what, target);
    snprintf(sql, sizeof sql,
             "INSERT INTO %s SELECT %.*s FROM rp_stage_%.*s; TRUNCATE rp_stage_%.*s", target,
             (int)(clen - 2), cols + 1, (int)n, target, (int)n, target);
    return pg_exec(db, sql, what);
}

rp_err pg_copy_in(rp_db *db, const char *target, pg_buf *b, const char *what)
{
    if (!b->n) return RP_OK;
    char sql[512];
    size_t tn = strcspn(target, "(");
    int staged = is_foreign(db, target, tn);
    rp_err e = RP_OK;
    if (!staged)
        snprintf(sql, sizeof sql, "COPY %s FROM STDIN", target);
    else if ((e = stage(db, target, tn, what, sql, sizeof sql)))
        return e;
    PGconn *c = db->pg->c;
    PGresult *r = PQexec(c, sql);
    if (!r || PQresultStatus(r) != PGRES_COPY_IN) {
        e = pg_fail(db, r, what);
        PQclear(r);
        return e;
    }
    PQclear(r);
    int ok = 1;
    /* CopyData messages need not end on row boundaries */
    for (size_t off = 0; off < b->n && ok;) {
        size_t chunk = b->n - off < ((size_t)1 << 20) ? b->n - off : (size_t)1 << 20;
        ok = PQputCopyData(c, b->p + off, (int)chunk) == 1;
        off += chunk;
    }
    if (PQputCopyEnd(c, ok ? NULL : "client failed") != 1) ok = 0;
    while ((r = PQgetResult(c))) {
        if (PQresultStatus(r) != PGRES_COMMAND_OK && !e) e = pg_fail(db, r, what);
        PQclear(r);
    }
    if (!ok && !e) e = pg_fail(db, NULL, what);
    b->n = 0;
    if (!e && staged) e = unstage(db, target, tn, what);
    return e;
}

static void no_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

/* Check the schema: *none when there are no tables at all; RP_SCHEMA for
 * another program's tables or a newer reprint's. The catalog is read as a
 * table (pg_tables, in the statement's snapshot), not through to_regclass,
 * whose cached answer can predate a creator's commit that this session
 * waited for. */
static rp_err check_schema(rp_db *db, int *none)
{
    *none = 0;
    PGresult *r = pg_query(db,
                           "SELECT count(*) FILTER (WHERE tablename = 'meta'), count(*)"
                           " FROM pg_tables WHERE schemaname = current_schema()",
                           0, NULL, NULL, NULL, "cannot read the database");
    if (!r) return PG_ERR(db);
    int64_t has_meta = pg_i64(r, 0, 0), ntables = pg_i64(r, 0, 1);
    PQclear(r);
    rp_err e;
    if (!has_meta) {
        if (ntables > 0)
            return db_error(db, RP_SCHEMA,
                            "not a reprint database (%lld tables of another program)",
                            (long long)ntables);
        *none = 1;
        return RP_OK;
    }
    char *mark = NULL, *ver = NULL;
    e = db_pg_meta_get(db, DB_MARKER_KEY, &mark);
    if (e == RP_OK) e = db_pg_meta_get(db, "schema_version", &ver);
    if (e == RP_NOTFOUND) {
        e = db_error(db, RP_SCHEMA, "not a reprint database (a meta table without its mark)");
    } else if (!e && atoll(ver) > PG_SCHEMA_VERSION) {
        e = db_error(db, RP_SCHEMA,
                     "schema version %s is newer than this reprint supports (%d); "
                     "use a newer reprint",
                     ver, PG_SCHEMA_VERSION);
    }
    free(mark);
    free(ver);
    return e;
}

static rp_err schema_init(rp_db *db)
{
    int none = 0;
    rp_err e = check_schema(db, &none);
    if (!e && !none) return RP_OK;
    if (db->flags & RP_DB_READONLY) {
        if (e) return e;
        return db_error(db, RP_IO, "no reprint index in this database (reprint index makes one)");
    }
    /* Not there, or seen half made: another process may be creating it,
     * and what is seen under the lock (held until its commit) is final. */
    db->err[0] = '\0';
    if ((e = pg_exec(db, "BEGIN", "cannot create the schema"))) return e;
    if ((e = pg_exec(db, "SELECT pg_advisory_xact_lock(" PG_CREATE_LOCK ")",
                     "cannot create the schema")))
        goto out;
    /* another process may have made it while we waited */
    if ((e = check_schema(db, &none))) goto out;
    if (none && (e = pg_exec(db, schema_v1, "cannot create the schema"))) goto out;
    e = pg_exec(db, "COMMIT", "cannot create the schema");
out:
    if (e && !pg_autocommit(db)) PQclear(PQexec(db->pg->c, "ROLLBACK"));
    return e;
}

/* The tables with foreign partitions (the sharded layout,
 * scripts/pg-shard-setup), as ",name,name," in db->pg->foreign; NULL on
 * one server. */
static rp_err find_foreign(rp_db *db)
{
    PGresult *r = pg_query(db,
                           "SELECT ',' || string_agg(DISTINCT p.relname, ',') || ','"
                           " FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent"
                           " JOIN pg_foreign_table f ON f.ftrelid = i.inhrelid"
                           " WHERE p.relnamespace = current_schema()::regnamespace",
                           0, NULL, NULL, NULL, "cannot read the database");
    if (!r) return PG_ERR(db);
    int oom = 0;
    db->pg->foreign = PQntuples(r) ? pg_strdup(r, 0, 0, &oom) : NULL;
    PQclear(r);
    return oom ? RP_NOMEM : RP_OK;
}

rp_err db_pg_open(rp_db *db, const char *conninfo)
{
    const char *why = NULL;
    if (!db_pq_load(&why))
        return db_error(db, RP_IO, "a PostgreSQL database needs libpq (Debian package libpq5): %s",
                        why);
    if (!(db->pg = calloc(1, sizeof *db->pg))) return RP_NOMEM;
    db->pg->c = PQconnectdb(conninfo);
    if (!db->pg->c) return RP_NOMEM;
    if (PQstatus(db->pg->c) != CONNECTION_OK) {
        char msg[512];
        first_line(msg, sizeof msg, PQerrorMessage(db->pg->c));
        return db_error(db, RP_IO, "cannot connect to the PostgreSQL server: %s", msg);
    }
    PQsetNoticeProcessor(db->pg->c, no_notices, NULL);
    rp_err e;
    if ((e = pg_exec(db, "SET client_min_messages = warning", "cannot set the session up")))
        return e;
    if ((db->flags & RP_DB_READONLY) &&
        (e = pg_exec(db, "SET default_transaction_read_only = on", "cannot set the session up")))
        return e;
    if ((e = schema_init(db))) return e;
    return find_foreign(db);
}

void db_pg_close(rp_db *db)
{
    struct db_pg *pg = db->pg;
    if (!pg) return;
    PQfinish(pg->c); /* the server rolls back a transaction left open */
    pg_buf_free(&pg->bands);
    free(pg->brows);
    pg_buf_free(&pg->lines);
    pg_buf_free(&pg->docs);
    free(pg->foreign);
    free(pg);
    db->pg = NULL;
}

static void drop_pending(rp_db *db)
{
    db->pg->bands.n = db->pg->lines.n = db->pg->docs.n = 0;
    db->pg->nbrows = 0;
}

/* Writers take turns, as on SQLite (BEGIN IMMEDIATE): a writable handle's
 * transaction holds this advisory lock until it ends. Without it two index
 * runs whose batches share texts in crossing order deadlock on the unique
 * index articles_original (each waits for the other's uncommitted row), and
 * the server aborts one of them with its whole batch. Extraction and
 * hashing, most of an index run's work, still run in every process at
 * once; only the writes of one batch at a time go in. */
#define PG_WRITE_LOCK "7243560119"

rp_err db_pg_begin(rp_db *db)
{
    drop_pending(db);
    if (db->flags & RP_DB_READONLY) return pg_exec(db, "BEGIN", "cannot begin a transaction");
    return pg_exec(db, "BEGIN; SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")",
                   "cannot begin a transaction");
}

rp_err db_pg_commit(rp_db *db)
{
    rp_err e;
    if (PQtransactionStatus(db->pg->c) == PQTRANS_INERROR)
        return db_error(db, RP_DB, "cannot commit: an earlier statement of the transaction failed");
    if ((e = pg_bands_write(db)) || (e = pg_sites_write(db))) return e;
    return pg_exec(db, "COMMIT", "cannot commit");
}

rp_err db_pg_rollback(rp_db *db)
{
    drop_pending(db);
    if (pg_autocommit(db)) return RP_OK;
    return pg_exec(db, "ROLLBACK", "cannot roll back");
}

rp_err db_pg_meta_get(rp_db *db, const char *key, char **out)
{
    *out = NULL;
    const char *v[1] = {key};
    PGresult *r = pg_run(db, PG_META_GET, 1, v, NULL, NULL, "cannot read setting");
    if (!r) return PG_ERR(db);
    rp_err e = RP_OK;
    int oom = 0;
    if (PQntuples(r) == 0 || PQgetisnull(r, 0, 0))
        e = RP_NOTFOUND;
    else if (!(*out = pg_strdup(r, 0, 0, &oom)))
        e = RP_NOMEM;
    PQclear(r);
    return e;
}

rp_err db_pg_meta_set(rp_db *db, const char *key, const char *value)
{
    const char *v[2] = {key, value};
    PGresult *r = pg_run(db, PG_META_SET, 2, v, NULL, NULL, "cannot store setting");
    if (!r) return PG_ERR(db);
    PQclear(r);
    return RP_OK;
}
