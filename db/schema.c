/*
 * schema.c: the tables of a reprint database, created on first open and
 * checked on every open.
 *
 * The schema version lives in SQLite's own `PRAGMA user_version`, so it can
 * be read before any table is touched: 0 means a new (empty) file, 2 is the
 * layout below, 1 the layout before it (the buckets as one B-tree row per
 * band hash: table bands below); anything higher was written by a newer
 * reprint and is refused with RP_SCHEMA rather than misread. A SQLite file
 * with tables but version 0 is some other program's database and is refused
 * too. A version-1 file opened for writing becomes version 2 in one
 * transaction (its band rows one sorted run, db_runs_migrate_v1); opened
 * read-only it is read as it is (db->bands_v1).
 *
 * Schema version 2 (version 1 had bands instead of band_runs and
 * band_run_list, the rest the same):
 *
 *   meta(key TEXT PRIMARY KEY, value TEXT)
 *       Row ('format', 'reprint') marks the file as reprint's; every later
 *       layout keeps it, so a file with a higher user_version and no mark
 *       is another program's, not a newer reprint's (files made before the
 *       mark are known by their stored settings, key 'k').
 *       Index-wide settings (MinHash k, shingle sizes, LSH bands and rows,
 *       decision threshold), written once when the index is created; and
 *       the counts of the last cluster run (cluster_*: candidates, reuse
 *       pairs, and each cap or error that left something out), rewritten
 *       by every run with its clusters.
 *
 *   articles(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL,
 *            url, site, title, published TEXT, published_epoch INTEGER,
 *            author TEXT, source TEXT, record INTEGER,
 *            content_hash INTEGER, ntokens INTEGER, text_len INTEGER,
 *            text BLOB, exact_of INTEGER, credits INTEGER, indexed_at INTEGER)
 *       One row per indexed id. published_epoch is NULL when the date is
 *       unknown. text is the extracted text, zlib-compressed; text_len is
 *       its raw length in bytes. content_hash is the hash of the
 *       whitespace-normalised text (index articles_content); exact_of is the
 *       rowid of the earlier article with identical text, NULL otherwise.
 *       credits is the extraction's credit hint (0/1); indexed_at is Unix
 *       time. source/record say where the article was read from. Index
 *       articles_exact lists the exact duplicates of an article.
 *
 *   band_runs(band INTEGER, run INTEGER, last INTEGER, n INTEGER, data BLOB)
 *   index band_runs_key, unique, on band_runs(band, run, last)
 *       The LSH buckets (runs.c): band is the position of the hash in the
 *       array of band hashes of all families, so equal (band, hash) means a
 *       shared bucket. Each flush of staged articles writes one run per
 *       band: the band's (hash, article) entries sorted by hash (signed,
 *       as SQLite orders the stored hash) then article, cut into blocks of
 *       about RUN_BLOCK entries that never split a bucket; data is the
 *       block's n entries, 12 bytes each (hash little-endian uint64,
 *       article little-endian uint32), last the block's last hash, the key
 *       a point lookup seeks. Exact duplicates have no entries (their
 *       original stands for them). The blocks are rows of a rowid table,
 *       found through the small index band_runs_key: the first layout of
 *       version 2 was a WITHOUT ROWID table keyed (band, run, last), whose
 *       inner B-tree pages hold whole rows, blocks included, about five to
 *       a page, so a point lookup went down six levels of the 37 MB tree
 *       of Reuters-21578 and a query read some 470 pages of it; through
 *       the index it reads about 250 (benchmarks/RESULTS.md, "Sixth
 *       session: query start-up"). The statements are the same for both
 *       layouts, so either is read (and written) by any build; a file of
 *       the first layout opened for writing is converted once (its rows
 *       copied in key order, runs_upgrade).
 *
 *   band_run_list(run INTEGER PRIMARY KEY, articles INTEGER)
 *       The runs, with the number of articles each was written for (the
 *       size that decides which runs are merged).
 *
 *   bands(band INTEGER, hash INTEGER, article INTEGER,
 *         PRIMARY KEY(band, hash, article)) WITHOUT ROWID
 *       Version 1 only: the buckets as one row per band hash.
 *
 *   bands_new(article INTEGER PRIMARY KEY, bands BLOB)
 *       Band hashes written by indexing and not yet moved into bands: one
 *       row per article, the article's band hashes as little-endian
 *       uint64s (8 bytes per band, band = position). One BLOB per article
 *       is a single append. rp_db_bands_flush moves them into band_runs,
 *       sorted band by band in memory, at the end of an index run (and
 *       before any writable lookup). The table was added after version 1 first
 *       shipped, so it is created when missing whenever a version-1 file is
 *       opened for writing. An earlier layout staged one row per band hash,
 *       bands_new(k INTEGER PRIMARY KEY, hash INTEGER) keyed
 *       band << 32 | article; opening such a file for writing moves any
 *       rows it holds into bands and recreates the table in the new layout.
 *
 *   article_lang(article INTEGER PRIMARY KEY, lang TEXT)
 *       Each article's language (ISO 639-1 code, "und" unknown) as given
 *       or identified when it was indexed. Added after version 1 shipped,
 *       like bands_new: created when missing whenever a version-1 file is
 *       opened for writing; articles of older files have no row and are
 *       read back without a language (identified again from their text).
 *
 *   clusters(article INTEGER PRIMARY KEY, cluster INTEGER,
 *            is_original INTEGER, source INTEGER, score REAL,
 *            jaccard REAL, containment REAL)
 *       The last clustering: each article's cluster id (kept stable across
 *       runs by the pipeline), whether it is the original, the rowid of the
 *       member it was taken from (NULL for originals) and that edge's
 *       scores. Index clusters_cluster(cluster, is_original DESC) yields
 *       members cluster by cluster, original first.
 *
 *   site_lines(site TEXT, hash INTEGER, docs INTEGER,
 *              PRIMARY KEY(site, hash)) WITHOUT ROWID
 *   sites(site TEXT PRIMARY KEY, docs INTEGER)
 *       Site-chrome learning: for each site, in how many of its articles
 *       each line hash occurred, and how many articles were counted. Index
 *       site_lines_docs(site, docs), partial: only lines in at least
 *       RP_CHROME_MIN_DOCS articles, since most lines stand in one and
 *       would only cost the writer an index update (databases made before
 *       keep their full index, which serves the same query), lets a reader
 *       fetch a site's chrome (lines above a count) without scanning all
 *       its lines: a query
 *       loads its candidates' chrome each time (added after version 1
 *       first shipped; created when missing, like bands_new).
 *
 * 64-bit hashes are stored in INTEGER columns as the two's-complement image
 * of the uint64_t value.
 */
#include <string.h>

#include "db/dbint.h"

#define SCHEMA_VERSION 2

#define BAND_RUNS_SQL                                                                              \
    "CREATE TABLE IF NOT EXISTS band_runs(band INTEGER, run INTEGER, last INTEGER, n INTEGER,"     \
    " data BLOB);"                                                                                 \
    "CREATE UNIQUE INDEX IF NOT EXISTS band_runs_key ON band_runs(band, run, last);"               \
    "CREATE TABLE IF NOT EXISTS band_run_list(run INTEGER PRIMARY KEY, articles INTEGER);"

static const char schema_sql[] =
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);"
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('" DB_MARKER_KEY "', 'reprint');"
    "CREATE TABLE IF NOT EXISTS articles("
    " rowid INTEGER PRIMARY KEY, id TEXT UNIQUE NOT NULL, url TEXT, site TEXT,"
    " title TEXT, published TEXT, published_epoch INTEGER, author TEXT,"
    " source TEXT, record INTEGER, content_hash INTEGER, ntokens INTEGER,"
    " text_len INTEGER, text BLOB, exact_of INTEGER, credits INTEGER,"
    " indexed_at INTEGER);"
    "CREATE INDEX IF NOT EXISTS articles_content ON articles(content_hash);"
    "CREATE INDEX IF NOT EXISTS articles_exact ON articles(exact_of) WHERE exact_of IS NOT "
    "NULL;" BAND_RUNS_SQL
    "CREATE TABLE IF NOT EXISTS bands_new(article INTEGER PRIMARY KEY, bands BLOB);"
    "CREATE TABLE IF NOT EXISTS article_lang(article INTEGER PRIMARY KEY, lang TEXT);"
    "CREATE TABLE IF NOT EXISTS clusters(article INTEGER PRIMARY KEY, cluster INTEGER,"
    " is_original INTEGER, source INTEGER, score REAL, jaccard REAL, containment REAL);"
    "CREATE INDEX IF NOT EXISTS clusters_cluster ON clusters(cluster, is_original DESC);"
    "CREATE TABLE IF NOT EXISTS site_lines(site TEXT, hash INTEGER, docs INTEGER,"
    " PRIMARY KEY(site, hash)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS sites(site TEXT PRIMARY KEY, docs INTEGER);"
    "CREATE INDEX IF NOT EXISTS site_lines_docs ON site_lines(site, docs)"
    " WHERE docs >= " DB_XSTR(RP_CHROME_MIN_DOCS) ";";

/* One integer from a pragma or count query. */
static rp_err query_int(rp_db *db, const char *sql, int64_t *out)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db->h, sql, -1, &s, NULL);
    if (rc != SQLITE_OK) return db_fail(db, rc, "cannot read the database");
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        *out = sqlite3_column_int64(s, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_OK && rc != SQLITE_DONE) return db_fail(db, rc, "cannot read the database");
    return RP_OK;
}

/* Whether the file carries reprint's mark: the meta table with the marker
 * key, or (files made before the marker) with the stored MinHash k. */
static rp_err has_marker(rp_db *db, int *yes)
{
    int64_t n = 0;
    *yes = 0;
    rp_err e = query_int(
        db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'", &n);
    if (e || !n) return e;
    e = query_int(db, "SELECT count(*) FROM meta WHERE key IN ('" DB_MARKER_KEY "', 'k')", &n);
    *yes = n > 0;
    return e;
}

static rp_err check_version(rp_db *db, int64_t version, int *is_new)
{
    *is_new = 0;
    if (version > SCHEMA_VERSION) {
        int ours = 0;
        rp_err e = has_marker(db, &ours);
        if (e) return e;
        if (!ours)
            return db_error(db, RP_SCHEMA,
                            "not a reprint database (a SQLite file of another program, "
                            "user_version %lld)",
                            (long long)version);
        return db_error(db, RP_SCHEMA,
                        "schema version %lld is newer than this reprint supports (%d); "
                        "use a newer reprint",
                        (long long)version, SCHEMA_VERSION);
    }
    if (version == SCHEMA_VERSION || version == 1) return RP_OK;
    int64_t ntables = 0;
    rp_err e = query_int(db, "SELECT count(*) FROM sqlite_master", &ntables);
    if (e) return e;
    if (ntables > 0 || (db->flags & RP_DB_READONLY))
        return db_error(db, RP_SCHEMA, "not a reprint database (schema version %lld)",
                        (long long)version);
    *is_new = 1;
    return RP_OK;
}

/* True when bands_new has the earlier one-row-per-band-hash layout. */
static rp_err stage_is_old(rp_db *db, int *old)
{
    int64_t n = 0;
    rp_err e =
        query_int(db, "SELECT count(*) FROM pragma_table_info('bands_new') WHERE name = 'k'", &n);
    *old = n > 0;
    return e;
}

/* Replace an earlier-layout bands_new, moving its rows into bands first (in
 * key order; rows already there are left alone). No deployed database holds
 * such rows, so this runs at most once per file and usually on an empty
 * table. */
static rp_err stage_upgrade(rp_db *db)
{
    int old = 0;
    rp_err e = stage_is_old(db, &old);
    if (e || !old) return e;
    if ((e = db_exec(db, "BEGIN IMMEDIATE"))) return e;
    if ((e = stage_is_old(db, &old))) goto out; /* another writer may have done it */
    if (old)
        e = db_exec(db, "INSERT OR IGNORE INTO bands(band, hash, article)"
                        " SELECT k >> 32, hash, k & 4294967295 FROM bands_new"
                        " ORDER BY k >> 32, hash, k & 4294967295;"
                        "DROP TABLE bands_new;"
                        "CREATE TABLE bands_new(article INTEGER PRIMARY KEY, bands BLOB)");
    if (!e) e = db_exec(db, "COMMIT");
out:
    if (e && !db_autocommit(db)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

/* Whether band_runs has the first layout of version 2: a WITHOUT ROWID
 * table keyed (band, run, last), without the index band_runs_key. */
static rp_err runs_are_keyed(rp_db *db, int *keyed)
{
    int64_t t = 0, k = 0;
    rp_err e = query_int(
        db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'band_runs'", &t);
    if (!e)
        e = query_int(
            db,
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'band_runs_key'",
            &k);
    *keyed = t > 0 && k == 0;
    return e;
}

/* The first layout of band_runs to the present one, rows in key order (so
 * that a band's blocks lie together in rowid order). Once per file. */
static rp_err runs_upgrade(rp_db *db)
{
    int keyed = 0;
    rp_err e = runs_are_keyed(db, &keyed);
    if (e || !keyed) return e;
    if ((e = db_exec(db, "BEGIN IMMEDIATE"))) return e;
    if ((e = runs_are_keyed(db, &keyed))) goto out; /* another writer may have done it */
    if (keyed)
        e = db_exec(db, "ALTER TABLE band_runs RENAME TO band_runs_keyed;" BAND_RUNS_SQL
                        "INSERT INTO band_runs(band, run, last, n, data)"
                        " SELECT band, run, last, n, data FROM band_runs_keyed"
                        " ORDER BY band, run, last;"
                        "DROP TABLE band_runs_keyed");
    if (!e) e = db_exec(db, "COMMIT");
out:
    if (e && !db_autocommit(db)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

/* Version 1 to 2: the bands table's rows become run 1 of band_runs. */
static rp_err upgrade_v1(rp_db *db)
{
    int64_t version = 0;
    rp_err e = db_exec(db, "BEGIN IMMEDIATE");
    if (e) return e;
    if ((e = query_int(db, "PRAGMA user_version", &version))) goto out;
    if (version != 1) goto out; /* another writer did it */
    if ((e = db_exec(db, BAND_RUNS_SQL))) goto out;
    int64_t has = 0;
    if ((e = query_int(db,
                       "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND"
                       " name = 'bands'",
                       &has)))
        goto out;
    if (has && (e = db_runs_migrate_v1(db))) goto out;
    if (has && (e = db_exec(db, "DROP TABLE bands"))) goto out;
    e = db_exec(db, "PRAGMA user_version=" DB_XSTR(SCHEMA_VERSION));
out:
    if (!e) e = db_exec(db, "COMMIT");
    if (e && !db_autocommit(db)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return e;
}

rp_err db_schema_init(rp_db *db)
{
    int64_t version = 0;
    int is_new = 0;
    rp_err e = query_int(db, "PRAGMA user_version", &version);
    if (e) return e;
    if ((e = check_version(db, version, &is_new))) return e;
    if (!(db->flags & RP_DB_READONLY)) {
        /* page_size only takes effect before the first table exists. */
        if (is_new && (e = db_exec(db, "PRAGMA page_size=8192"))) return e;
        if ((e = db_exec(db, "PRAGMA journal_mode=WAL"))) return e;
    }
    if (!is_new) {
        if (db->flags & RP_DB_READONLY) {
            db->bands_v1 = version == 1;
            return RP_OK;
        }
        if ((e = stage_upgrade(db))) return e;
        if (version == 1 && (e = upgrade_v1(db))) return e;
        if ((e = runs_upgrade(db))) return e;
        return db_exec(db, "CREATE TABLE IF NOT EXISTS bands_new(article INTEGER PRIMARY KEY,"
                           " bands BLOB);"
                           "CREATE TABLE IF NOT EXISTS article_lang(article INTEGER PRIMARY KEY,"
                           " lang TEXT);"
                           "CREATE INDEX IF NOT EXISTS site_lines_docs"
                           " ON site_lines(site, docs) WHERE docs >= " DB_XSTR(RP_CHROME_MIN_DOCS));
    }

    /* Another process may be creating the same file: take the write lock,
     * then look again. */
    if ((e = db_exec(db, "BEGIN IMMEDIATE"))) return e;
    if ((e = query_int(db, "PRAGMA user_version", &version))) goto out;
    if ((e = check_version(db, version, &is_new))) goto out;
    if (is_new) {
        if ((e = db_exec(db, schema_sql))) goto out;
        if ((e = db_exec(db, "PRAGMA user_version=" DB_XSTR(SCHEMA_VERSION)))) goto out;
    }
    e = db_exec(db, "COMMIT");
out:
    if (e && !db_autocommit(db)) sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    return e;
}
