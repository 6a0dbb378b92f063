/*
 * articles.c: storing and loading articles, and the counts behind `stats`.
 *
 * An article is one row of `articles` plus one entry per LSH band hash in
 * the sorted runs of `band_runs`, staged first as one BLOB in `bands_new`
 * (bands.c moves it, runs.c stores it). Text is kept zlib-compressed
 * (news text shrinks about threefold) with its raw length beside it, so loading needs a single
 * inflate into a buffer of known size. Inserts run through cached statements and never open a
 * transaction of their own when the caller has one open: indexing wraps
 * thousands of inserts in one transaction, which is what makes it fast.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "db/dbint.h"

/* Level 3 is close to the default level's ratio on prose at a fraction of
 * its cost, which matters when indexing is bound by the single writer. */
#define TEXT_ZLEVEL 3

rp_err rp_db_find_id(rp_db *db, const char *id, int64_t *rowid)
{
    if (db->pg) return db_pg_find_id(db, id, rowid);
    sqlite3_stmt *s = db_stmt(db, ST_FIND_ID);
    if (!s) return RP_DB;
    sqlite3_bind_text(s, 1, id, -1, SQLITE_STATIC);
    return db_one_int64(db, s, rowid, "cannot look up an article id");
}

rp_err rp_db_find_content(rp_db *db, uint64_t content_hash, int64_t *rowid)
{
    if (db->pg) return db_pg_find_content(db, content_hash, rowid);
    sqlite3_stmt *s = db_stmt(db, ST_FIND_CONTENT);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, db_h2i(content_hash));
    return db_one_int64(db, s, rowid, "cannot look up a content hash");
}

rp_err rp_db_find_batch(rp_db *db, size_t n, const char *const *ids, const uint64_t *hashes,
                        int64_t *id_rowid, int64_t *hash_rowid)
{
    if (!n) return RP_OK;
    if (!ids || !id_rowid || (hashes && !hash_rowid)) return RP_ARG;
    if (db->pg) return db_pg_find_batch(db, n, ids, hashes, id_rowid, hash_rowid);
    for (size_t i = 0; i < n; i++) {
        id_rowid[i] = 0;
        if (hash_rowid) hash_rowid[i] = 0;
        if (!ids[i]) continue;
        rp_err e = rp_db_find_id(db, ids[i], &id_rowid[i]);
        if (e == RP_NOTFOUND)
            id_rowid[i] = 0;
        else if (e)
            return e;
        if (!hashes) continue;
        e = rp_db_find_content(db, hashes[i], &hash_rowid[i]);
        if (e == RP_NOTFOUND)
            hash_rowid[i] = 0;
        else if (e)
            return e;
    }
    return RP_OK;
}

rp_err rp_db_exact_copies(rp_db *db, int64_t rowid, int64_t **out, size_t *n)
{
    if (db->pg) return db_pg_exact_copies(db, rowid, out, n);
    sqlite3_stmt *s = db_stmt(db, ST_EXACT_COPIES);
    int64_t *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc;
    *out = NULL;
    *n = 0;
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, rowid);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (rp_grow(&v, &cap, cnt + 1, sizeof *v)) {
            sqlite3_reset(s);
            free(v);
            return RP_NOMEM;
        }
        v[cnt++] = sqlite3_column_int64(s, 0);
    }
    sqlite3_reset(s);
    if (rc != SQLITE_DONE) {
        free(v);
        return db_fail(db, rc, "cannot list exact duplicates");
    }
    *out = v;
    *n = cnt;
    return RP_OK;
}

/* Compress (text, len) with *def (initialised on first use, *ready says
 * so) into *buf of *cap bytes, grown as needed; *zlen receives the size. */
static rp_err zip(z_stream *def, int *ready, unsigned char **buf, size_t *cap, const char *text,
                  size_t len, size_t *zlen)
{
    if (!*ready) {
        if (deflateInit(def, TEXT_ZLEVEL) != Z_OK) return RP_NOMEM;
        *ready = 1;
    } else if (deflateReset(def) != Z_OK) {
        return RP_NOMEM;
    }
    size_t bound = deflateBound(def, (uLong)len);
    if (bound > *cap) {
        unsigned char *p = realloc(*buf, bound);
        if (!p) return RP_NOMEM;
        *buf = p;
        *cap = bound;
    }
    def->next_in = (Bytef *)(uintptr_t)text;
    def->avail_in = (uInt)len;
    def->next_out = *buf;
    def->avail_out = (uInt)bound;
    if (deflate(def, Z_FINISH) != Z_STREAM_END) return RP_NOMEM;
    *zlen = def->total_out;
    return RP_OK;
}

/* Compress (text, len) into db->zbuf; *zlen receives the size. */
static rp_err deflate_text(rp_db *db, const char *text, size_t len, size_t *zlen)
{
    return zip(&db->def, &db->def_ready, &db->zbuf, &db->zcap, text, len, zlen);
}

struct rp_db_zipper {
    z_stream def;
    int ready;
};

rp_err rp_db_zip_text(rp_db_zipper **zp, const char *text, size_t len, void **z, size_t *zlen)
{
    *z = NULL;
    *zlen = 0;
    if (len > (size_t)INT32_MAX / 2) return RP_LIMIT;
    if (!*zp && !(*zp = calloc(1, sizeof **zp))) return RP_NOMEM;
    unsigned char *buf = NULL;
    size_t cap = 0;
    rp_err e = zip(&(*zp)->def, &(*zp)->ready, &buf, &cap, text ? text : "", len, zlen);
    if (e) {
        free(buf);
        *zlen = 0;
        return e;
    }
    *z = buf;
    return RP_OK;
}

void rp_db_zipper_free(rp_db_zipper *zp)
{
    if (!zp) return;
    if (zp->ready) deflateEnd(&zp->def);
    free(zp);
}

/* Inflate (z, zlen) into out, which must receive exactly len bytes. */
static int inflate_text(rp_db *db, const void *z, size_t zlen, char *out, size_t len)
{
    if (!db->inf_ready) {
        if (inflateInit(&db->inf) != Z_OK) return 0;
        db->inf_ready = 1;
    } else if (inflateReset(&db->inf) != Z_OK) {
        return 0;
    }
    db->inf.next_in = (Bytef *)(uintptr_t)z;
    db->inf.avail_in = (uInt)zlen;
    db->inf.next_out = (Bytef *)out;
    db->inf.avail_out = (uInt)len;
    return inflate(&db->inf, Z_FINISH) == Z_STREAM_END && db->inf.total_out == len;
}

/* Stage an article's band hashes as one row of bands_new: a BLOB of
 * little-endian uint64s. One row per article is a single append, where a
 * row per band hash cost one B-tree insert each (92 per article). */
static rp_err stage_bands(rp_db *db, int64_t rowid, const uint64_t *bands, size_t nbands)
{
    if (rowid >= DB_STAGE_ARTICLE_LIMIT || nbands > (size_t)INT32_MAX / 8)
        return db_error(db, RP_LIMIT, "article rowid %lld or %zu bands out of range for bands",
                        (long long)rowid, nbands);
    size_t len = nbands * 8;
    if (len > db->stagecap) {
        unsigned char *p = realloc(db->stage, len);
        if (!p) return RP_NOMEM;
        db->stage = p;
        db->stagecap = len;
    }
    for (size_t i = 0; i < nbands; i++)
        for (unsigned b = 0; b < 8; b++)
            db->stage[i * 8 + b] = (unsigned char)(bands[i] >> (8 * b));
    sqlite3_stmt *s = db_stmt(db, ST_STAGE_INSERT);
    if (!s) return RP_DB;
    sqlite3_bind_int64(s, 1, rowid);
    sqlite3_bind_blob(s, 2, db->stage, (int)len, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot store band hashes");
    db->staged += nbands;
    return RP_OK;
}

static rp_err insert_row(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid)
{
    rp_err e = RP_OK;
    size_t zlen = 0;
    size_t tlen = a->text ? a->text_len : 0;
    const void *z = d->ztext;
    if (tlen && z) {
        zlen = d->zlen;
    } else if (tlen) {
        if (deflate_text(db, a->text, tlen, &zlen))
            return db_error(db, RP_NOMEM, "cannot compress the text of %s", a->id);
        z = db->zbuf;
    }

    sqlite3_stmt *s = db_stmt(db, ST_ARTICLE_INSERT);
    if (!s) {
        e = RP_DB;
        goto out;
    }
    sqlite3_bind_text(s, 1, a->id, -1, SQLITE_STATIC);
    db_bind_text(s, 2, a->url);
    db_bind_text(s, 3, a->site);
    db_bind_text(s, 4, a->title);
    db_bind_text(s, 5, a->published);
    if (a->published_epoch == RP_TIME_UNKNOWN)
        sqlite3_bind_null(s, 6);
    else
        sqlite3_bind_int64(s, 6, a->published_epoch);
    db_bind_text(s, 7, a->author);
    db_bind_text(s, 8, a->source);
    sqlite3_bind_int64(s, 9, (sqlite3_int64)a->record);
    sqlite3_bind_int64(s, 10, db_h2i(d->content_hash));
    sqlite3_bind_int64(s, 11, (sqlite3_int64)d->ntokens);
    sqlite3_bind_int64(s, 12, (sqlite3_int64)tlen);
    sqlite3_bind_blob(s, 13, zlen ? z : "", (int)zlen, SQLITE_STATIC);
    if (d->exact_of)
        sqlite3_bind_int64(s, 14, d->exact_of);
    else
        sqlite3_bind_null(s, 14);
    sqlite3_bind_int(s, 15, a->credits_hint ? 1 : 0);
    sqlite3_bind_int64(s, 16, (sqlite3_int64)time(NULL));
    int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) {
        if (rc == SQLITE_CONSTRAINT_UNIQUE)
            e = db_error(db, RP_DB, "article id \"%s\" is already indexed", a->id);
        else
            e = db_fail(db, rc, "cannot store an article");
    }
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    if (e) goto out;
    *rowid = sqlite3_last_insert_rowid(db->h);
    if (a->lang) {
        sqlite3_stmt *l = db_stmt(db, ST_LANG_PUT);
        if (!l) {
            e = RP_DB;
            goto out;
        }
        sqlite3_bind_int64(l, 1, *rowid);
        sqlite3_bind_text(l, 2, a->lang, -1, SQLITE_STATIC);
        rc = sqlite3_step(l);
        if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot store an article's language");
        sqlite3_reset(l);
        sqlite3_clear_bindings(l);
        if (e) goto out;
    }

    if (!d->bands || !d->nbands) goto out;
    e = stage_bands(db, *rowid, d->bands, d->nbands);
out:
    return e;
}

rp_err rp_db_insert(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid)
{
    if (db->pg) return db_pg_insert(db, a, d, rowid);
    if (!a || !a->id || !d) return db_error(db, RP_ARG, "insert: article without an id");
    if (a->text_len > (size_t)INT32_MAX / 2)
        return db_error(db, RP_LIMIT, "text of %s is too long to store", a->id);
    /* Without a caller's transaction, the row and its bands still go in
     * together or not at all. */
    int own = db_autocommit(db);
    rp_err e;
    if (own && (e = rp_db_begin(db))) return e;
    int64_t id = 0;
    e = insert_row(db, a, d, &id);
    if (own) {
        if (e)
            sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
        else
            e = rp_db_commit(db);
    }
    if (!e && rowid) *rowid = id;
    return e;
}

static rp_err get_article(rp_db *db, int64_t rowid, rp_article *out, int with_text);

/* The stored language of an article into *lang (NULL when none is stored,
 * or the file predates article_lang). */
static rp_err load_lang(rp_db *db, int64_t rowid, char **lang)
{
    *lang = NULL;
    if (db->has_lang == 0) {
        sqlite3_stmt *q = NULL;
        int rc = sqlite3_prepare_v2(db->h,
                                    "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                                    " AND name = 'article_lang'",
                                    -1, &q, NULL);
        if (rc != SQLITE_OK) {
            sqlite3_finalize(q);
            return db_fail(db, rc, "cannot read the database");
        }
        rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            return db_fail(db, rc, "cannot read the database");
        db->has_lang = rc == SQLITE_ROW ? 1 : -1;
    }
    if (db->has_lang < 0) return RP_OK;
    sqlite3_stmt *l = db_stmt(db, ST_LANG_GET);
    if (!l) return RP_DB;
    sqlite3_bind_int64(l, 1, rowid);
    int rc = sqlite3_step(l);
    rp_err e = RP_OK;
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(l, 0);
        if (v && !(*lang = strdup((const char *)v))) e = RP_NOMEM;
    } else if (rc != SQLITE_DONE) {
        e = db_fail(db, rc, "cannot load an article's language");
    }
    sqlite3_reset(l);
    return e;
}

rp_err rp_db_get(rp_db *db, int64_t rowid, rp_article *out)
{
    if (db->pg) return db_pg_get(db, rowid, out, 1);
    return get_article(db, rowid, out, 1);
}

rp_err rp_db_get_meta(rp_db *db, int64_t rowid, rp_article *out)
{
    if (db->pg) return db_pg_get(db, rowid, out, 0);
    return get_article(db, rowid, out, 0);
}

/* One article; without its text, the stored text is neither read into
 * memory nor inflated (printing a cluster needs ids, sites and titles). */
static rp_err get_article(rp_db *db, int64_t rowid, rp_article *out, int with_text)
{
    memset(out, 0, sizeof *out);
    out->published_epoch = RP_TIME_UNKNOWN;
    sqlite3_stmt *s = db_stmt(db, with_text ? ST_ARTICLE_GET : ST_ARTICLE_META);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    sqlite3_bind_int64(s, 1, rowid);
    int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE) {
        e = db_error(db, RP_NOTFOUND, "no article with rowid %lld", (long long)rowid);
        goto out;
    }
    if (rc != SQLITE_ROW) {
        e = db_fail(db, rc, "cannot load an article");
        goto out;
    }
    int oom = 0;
    out->id = db_column_strdup(s, 0, &oom);
    out->url = db_column_strdup(s, 1, &oom);
    out->site = db_column_strdup(s, 2, &oom);
    out->title = db_column_strdup(s, 3, &oom);
    out->published = db_column_strdup(s, 4, &oom);
    if (sqlite3_column_type(s, 5) != SQLITE_NULL) out->published_epoch = sqlite3_column_int64(s, 5);
    out->author = db_column_strdup(s, 6, &oom);
    out->source = db_column_strdup(s, 7, &oom);
    out->record = (uint64_t)sqlite3_column_int64(s, 8);
    int64_t tlen = sqlite3_column_int64(s, 9);
    out->credits_hint = sqlite3_column_int(s, 11);
    out->indexed_at = sqlite3_column_int64(s, 12);
    if (!oom && (e = load_lang(db, rowid, &out->lang)) != RP_OK) goto out;
    if (oom) {
        e = RP_NOMEM;
        goto out;
    }
    if (tlen < 0 || (uint64_t)tlen > (uint64_t)SIZE_MAX - 1) {
        e = db_error(db, RP_DB, "article %lld has a corrupt text length", (long long)rowid);
        goto out;
    }
    if (!with_text) goto out;
    if (!(out->text = malloc((size_t)tlen + 1))) {
        e = RP_NOMEM;
        goto out;
    }
    if (tlen > 0) {
        const void *z = sqlite3_column_blob(s, 10);
        int zlen = sqlite3_column_bytes(s, 10);
        if (!z || !inflate_text(db, z, (size_t)zlen, out->text, (size_t)tlen)) {
            e = db_error(db, RP_DB, "the stored text of %s is corrupt", out->id);
            goto out;
        }
    }
    out->text[tlen] = '\0';
    out->text_len = (size_t)tlen;
out:
    sqlite3_reset(s);
    if (e) rp_article_clear(out);
    return e;
}

void rp_db_rows_free(rp_db_row *rows, size_t n)
{
    if (!rows) return;
    for (size_t i = 0; i < n; i++)
        free(rows[i].id);
    free(rows);
}

rp_err rp_db_rows(rp_db *db, rp_db_row **rows, size_t *n)
{
    if (db->pg) return db_pg_rows(db, rows, n);
    *rows = NULL;
    *n = 0;
    sqlite3_stmt *s = db_stmt(db, ST_ROWS);
    if (!s) return RP_DB;
    rp_db_row *v = NULL;
    size_t len = 0, cap = 0;
    rp_err e = RP_OK;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = rp_grow(&v, &cap, len + 1, sizeof *v))) goto out;
        rp_db_row *r = &v[len];
        int oom = 0;
        r->rowid = sqlite3_column_int64(s, 0);
        r->id = db_column_strdup(s, 1, &oom);
        r->published_epoch =
            sqlite3_column_type(s, 2) == SQLITE_NULL ? RP_TIME_UNKNOWN : sqlite3_column_int64(s, 2);
        r->exact_of = sqlite3_column_int64(s, 3); /* NULL reads as 0 */
        r->ntokens = (size_t)sqlite3_column_int64(s, 4);
        r->published_day = sqlite3_column_int(s, 5) == 1;
        len++;
        if (oom) {
            e = RP_NOMEM;
            goto out;
        }
    }
    if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot list articles");
out:
    sqlite3_reset(s);
    if (e) {
        rp_db_rows_free(v, len);
        return e;
    }
    *rows = v;
    *n = len;
    return RP_OK;
}

/* Run a statement that yields one row and copy its first ncol integers. */
static rp_err one_row(rp_db *db, enum db_stmt_id id, int64_t *vals, int ncol)
{
    sqlite3_stmt *s = db_stmt(db, id);
    if (!s) return RP_DB;
    rp_err e = RP_OK;
    int rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        for (int i = 0; i < ncol; i++)
            vals[i] = sqlite3_column_int64(s, i);
    } else {
        e = db_fail(db, rc == SQLITE_DONE ? SQLITE_ERROR : rc, "cannot count");
    }
    sqlite3_reset(s);
    return e;
}

rp_err rp_db_stats_get(rp_db *db, rp_db_stats *out)
{
    if (db->pg) return db_pg_stats_get(db, out);
    memset(out, 0, sizeof *out);
    int64_t a[4] = {0}, c[2] = {0}, b[1] = {0};
    rp_err e;
    if ((e = one_row(db, ST_STATS_ARTICLES, a, 4))) return e;
    if ((e = one_row(db, ST_STATS_CLUSTERS, c, 2))) return e;
    if ((e = one_row(db, db->bands_v1 ? ST_STATS_BANDS_V1 : ST_STATS_BANDS, b, 1))) return e;
    out->articles = (uint64_t)a[0];
    out->exact_duplicates = (uint64_t)a[1];
    out->text_bytes = (uint64_t)a[2];
    out->unparsed_dates = (uint64_t)a[3];
    out->clusters = (uint64_t)c[0];
    out->clustered_articles = (uint64_t)c[1];
    out->band_rows = (uint64_t)b[0];
    return RP_OK;
}
