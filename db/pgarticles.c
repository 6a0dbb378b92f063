/*
 * pgarticles.c: storing and loading articles on PostgreSQL, and the counts
 * behind `stats` (the twin of articles.c).
 *
 * An article is one INSERT (its row and its language in one statement,
 * one round trip); its band rows wait in the handle and go in with the
 * transaction's others by one COPY when it commits (pgbands.c). Text is
 * stored zlib-compressed exactly as the SQLite engine stores it, so a
 * row's bytes are the same in both engines.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/pgint.h"

/* One rowid (column 0 of the first row) of a statement with one text
 * parameter; RP_NOTFOUND when there is no row. */
static rp_err one_rowid(rp_db *db, enum pg_stmt_id id, const char *param, int64_t *out,
                        const char *what)
{
    const char *v[1] = {param};
    PGresult *r = pg_run(db, id, 1, v, NULL, NULL, what);
    if (!r) return PG_ERR(db);
    rp_err e = RP_NOTFOUND;
    if (PQntuples(r) > 0) {
        *out = pg_i64(r, 0, 0);
        e = RP_OK;
    }
    PQclear(r);
    return e;
}

rp_err db_pg_find_id(rp_db *db, const char *id, int64_t *rowid)
{
    return one_rowid(db, PG_FIND_ID, id, rowid, "cannot look up an article id");
}

rp_err db_pg_find_content(rp_db *db, uint64_t content_hash, int64_t *rowid)
{
    char h[24];
    snprintf(h, sizeof h, "%lld", (long long)db_h2i(content_hash));
    return one_rowid(db, PG_FIND_CONTENT, h, rowid, "cannot look up a content hash");
}

/* Append s to an array literal as one quoted element. */
static rp_err array_text(rp_buf *b, const char *s)
{
    rp_err e = rp_buf_appendc(b, '"');
    for (; !e && *s; s++) {
        if (*s == '"' || *s == '\\') e = rp_buf_appendc(b, '\\');
        if (!e) e = rp_buf_appendc(b, *s);
    }
    return e ? e : rp_buf_appendc(b, '"');
}

rp_err db_pg_find_batch(rp_db *db, size_t n, const char *const *ids, const uint64_t *hashes,
                        int64_t *id_rowid, int64_t *hash_rowid)
{
    rp_buf a = {0}, h = {0};
    rp_err e = rp_buf_appendc(&a, '{');
    if (!e) e = rp_buf_appendc(&h, '{');
    for (size_t i = 0; i < n && !e; i++) {
        if (i && ((e = rp_buf_appendc(&a, ',')) || (e = rp_buf_appendc(&h, ',')))) break;
        e = ids[i] ? array_text(&a, ids[i]) : rp_buf_append(&a, "NULL", 4);
        if (!e)
            e = ids[i] && hashes ? rp_buf_printf(&h, "%lld", (long long)db_h2i(hashes[i]))
                                 : rp_buf_append(&h, "NULL", 4);
    }
    if (!e) e = rp_buf_appendc(&a, '}');
    if (!e) e = rp_buf_appendc(&h, '}');
    if (!e) e = rp_buf_terminate(&a);
    if (!e) e = rp_buf_terminate(&h);
    if (e) goto out;
    const char *v[2] = {a.data, h.data};
    PGresult *r = pg_run(db, PG_FIND_BATCH, 2, v, NULL, NULL, "cannot look up article ids");
    if (!r) {
        e = PG_ERR(db);
        goto out;
    }
    if ((size_t)PQntuples(r) != n) {
        PQclear(r);
        e = db_error(db, RP_DB, "cannot look up article ids: %d rows for %zu", PQntuples(r), n);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        id_rowid[i] = PQgetisnull(r, (int)i, 0) ? 0 : pg_i64(r, (int)i, 0);
        if (hash_rowid) hash_rowid[i] = PQgetisnull(r, (int)i, 1) ? 0 : pg_i64(r, (int)i, 1);
    }
    PQclear(r);
out:
    rp_buf_free(&a);
    rp_buf_free(&h);
    return e;
}

rp_err db_pg_exact_copies(rp_db *db, int64_t rowid, int64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char k[24];
    snprintf(k, sizeof k, "%lld", (long long)rowid);
    const char *v[1] = {k};
    PGresult *r = pg_run(db, PG_EXACT_COPIES, 1, v, NULL, NULL, "cannot list exact duplicates");
    if (!r) return PG_ERR(db);
    size_t cnt = (size_t)PQntuples(r);
    int64_t *x = cnt ? malloc(cnt * sizeof *x) : NULL;
    if (cnt && !x) {
        PQclear(r);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < cnt; i++)
        x[i] = pg_i64(r, (int)i, 0);
    PQclear(r);
    *out = x;
    *n = cnt;
    return RP_OK;
}

/* Queue the article's band rows for the transaction's COPY. */
static rp_err queue_bands(rp_db *db, int64_t rowid, const uint64_t *bands, size_t nbands)
{
    if (rowid >= DB_STAGE_ARTICLE_LIMIT || nbands > (size_t)INT32_MAX / 8)
        return db_error(db, RP_LIMIT, "article rowid %lld or %zu bands out of range for bands",
                        (long long)rowid, nbands);
    struct db_pg *pg = db->pg;
    if (rp_grow(&pg->brows, &pg->brcap, pg->nbrows + nbands, sizeof *pg->brows)) return RP_NOMEM;
    for (size_t i = 0; i < nbands; i++)
        pg->brows[pg->nbrows++] = (pg_band_row){db_h2i(bands[i]), rowid, (int32_t)i};
    return RP_OK;
}

static rp_err insert_row(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid);

/* The insert met a unique index and stored nothing: the id is taken, or
 * another writer stored the same text as an original since the caller
 * looked (rp_db_find_content), so this one is stored as its exact
 * duplicate, without band rows, as if it had come second. (The insert
 * waited for that writer's transaction, so its row is visible now.) */
static rp_err lost_race(rp_db *db, const rp_article *a, const rp_db_doc *d, const void *z,
                        size_t zlen, int64_t *rowid)
{
    int64_t other = 0;
    rp_err e = db_pg_find_id(db, a->id, &other);
    if (e == RP_OK) return db_error(db, RP_DB, "article id \"%s\" is already indexed", a->id);
    if (e != RP_NOTFOUND) return e;
    if (d->exact_of || (e = db_pg_find_content(db, d->content_hash, &other)))
        return db_error(db, RP_DB, "cannot store %s: a unique index refused it", a->id);
    rp_db_doc dup = *d;
    dup.exact_of = other;
    dup.bands = NULL;
    dup.nbands = 0;
    dup.ztext = z;
    dup.zlen = zlen;
    return insert_row(db, a, &dup, rowid);
}

static rp_err insert_row(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid)
{
    size_t tlen = a->text ? a->text_len : 0;
    void *own_z = NULL;
    const void *z = d->ztext;
    size_t zlen = d->zlen;
    rp_err e = RP_OK;
    if (tlen && !z) {
        rp_db_zipper *zp = NULL;
        e = rp_db_zip_text(&zp, a->text, tlen, &own_z, &zlen);
        rp_db_zipper_free(zp);
        if (e) return db_error(db, e, "cannot compress the text of %s", a->id);
        z = own_z;
    }
    if (!tlen) zlen = 0;
    char epoch[24], record[24], chash[24], ntok[24], tl[24], exact[24], credits[4], now[24];
    snprintf(epoch, sizeof epoch, "%lld", (long long)a->published_epoch);
    snprintf(record, sizeof record, "%lld", (long long)a->record);
    snprintf(chash, sizeof chash, "%lld", (long long)db_h2i(d->content_hash));
    snprintf(ntok, sizeof ntok, "%llu", (unsigned long long)d->ntokens);
    snprintf(tl, sizeof tl, "%llu", (unsigned long long)tlen);
    snprintf(exact, sizeof exact, "%lld", (long long)d->exact_of);
    snprintf(credits, sizeof credits, "%d", a->credits_hint ? 1 : 0);
    snprintf(now, sizeof now, "%lld", (long long)time(NULL));
    const char *v[17] = {a->id,
                         a->url,
                         a->site,
                         a->title,
                         a->published,
                         a->published_epoch == RP_TIME_UNKNOWN ? NULL : epoch,
                         a->author,
                         a->source,
                         record,
                         chash,
                         ntok,
                         tl,
                         zlen ? (const char *)z : "",
                         d->exact_of ? exact : NULL,
                         credits,
                         now,
                         a->lang};
    int lens[17] = {0}, fmts[17] = {0};
    lens[12] = (int)zlen;
    fmts[12] = 1;
    PGresult *r = pg_run(db, PG_ARTICLE_INSERT, 17, v, lens, fmts, "cannot store an article");
    if (!r) {
        e = PG_ERR(db);
        goto out;
    }
    if (PQntuples(r) == 0) {
        PQclear(r);
        e = lost_race(db, a, d, z, zlen, rowid);
        goto out;
    }
    *rowid = pg_i64(r, 0, 0);
    PQclear(r);
    if (d->bands && d->nbands) e = queue_bands(db, *rowid, d->bands, d->nbands);
out:
    free(own_z);
    return e;
}

rp_err db_pg_insert(rp_db *db, const rp_article *a, const rp_db_doc *d, int64_t *rowid)
{
    if (!a || !a->id || !d) return db_error(db, RP_ARG, "insert: article without an id");
    if (a->text_len > (size_t)INT32_MAX / 2)
        return db_error(db, RP_LIMIT, "text of %s is too long to store", a->id);
    int own = pg_autocommit(db);
    rp_err e;
    if (own && (e = db_pg_begin(db))) return e;
    int64_t id = 0;
    e = insert_row(db, a, d, &id);
    if (own) {
        if (e)
            db_pg_rollback(db);
        else
            e = db_pg_commit(db);
    }
    if (!e && rowid) *rowid = id;
    return e;
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

rp_err db_pg_get(rp_db *db, int64_t rowid, rp_article *out, int with_text)
{
    memset(out, 0, sizeof *out);
    out->published_epoch = RP_TIME_UNKNOWN;
    char k[24];
    snprintf(k, sizeof k, "%lld", (long long)rowid);
    const char *v[1] = {k};
    PGresult *r = pg_run(db, with_text ? PG_ARTICLE_GET : PG_ARTICLE_META, 1, v, NULL, NULL,
                         "cannot load an article");
    if (!r) return PG_ERR(db);
    rp_err e = RP_OK;
    if (PQntuples(r) == 0) {
        e = db_error(db, RP_NOTFOUND, "no article with rowid %lld", (long long)rowid);
        goto out;
    }
    int oom = 0;
    out->id = pg_strdup(r, 0, 0, &oom);
    out->url = pg_strdup(r, 0, 1, &oom);
    out->site = pg_strdup(r, 0, 2, &oom);
    out->title = pg_strdup(r, 0, 3, &oom);
    out->published = pg_strdup(r, 0, 4, &oom);
    if (!PQgetisnull(r, 0, 5)) out->published_epoch = pg_i64(r, 0, 5);
    out->author = pg_strdup(r, 0, 6, &oom);
    out->source = pg_strdup(r, 0, 7, &oom);
    out->record = (uint64_t)pg_i64(r, 0, 8);
    int64_t tlen = pg_i64(r, 0, 9);
    out->credits_hint = (int)pg_i64(r, 0, 11);
    out->indexed_at = pg_i64(r, 0, 12);
    out->lang = pg_strdup(r, 0, 13, &oom);
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
        const void *z = PQgetvalue(r, 0, 10);
        int zlen = PQgetlength(r, 0, 10);
        if (PQgetisnull(r, 0, 10) || !inflate_text(db, z, (size_t)zlen, out->text, (size_t)tlen)) {
            e = db_error(db, RP_DB, "the stored text of %s is corrupt", out->id);
            goto out;
        }
    }
    out->text[tlen] = '\0';
    out->text_len = (size_t)tlen;
out:
    PQclear(r);
    if (e) rp_article_clear(out);
    return e;
}

rp_err db_pg_rows(rp_db *db, rp_db_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    PGresult *r = pg_run(db, PG_ROWS, 0, NULL, NULL, NULL, "cannot list articles");
    if (!r) return PG_ERR(db);
    size_t len = (size_t)PQntuples(r);
    rp_db_row *v = len ? calloc(len, sizeof *v) : NULL;
    int oom = len && !v;
    for (size_t i = 0; i < len && !oom; i++) {
        int row = (int)i;
        v[i].rowid = pg_i64(r, row, 0);
        v[i].id = pg_strdup(r, row, 1, &oom);
        v[i].published_epoch = PQgetisnull(r, row, 2) ? RP_TIME_UNKNOWN : pg_i64(r, row, 2);
        v[i].exact_of = pg_i64(r, row, 3);
        v[i].ntokens = (size_t)pg_i64(r, row, 4);
        v[i].published_day = pg_i64(r, row, 5) == 1;
    }
    PQclear(r);
    if (oom) {
        rp_db_rows_free(v, len);
        return RP_NOMEM;
    }
    *rows = v;
    *n = len;
    return RP_OK;
}

/* The first ncol integers of a statement's one row. */
static rp_err one_row(rp_db *db, enum pg_stmt_id id, int64_t *vals, int ncol)
{
    PGresult *r = pg_run(db, id, 0, NULL, NULL, NULL, "cannot count");
    if (!r) return PG_ERR(db);
    rp_err e = RP_OK;
    if (PQntuples(r) != 1 || PQnfields(r) < ncol)
        e = db_error(db, RP_DB, "cannot count: no result");
    else
        for (int i = 0; i < ncol; i++)
            vals[i] = pg_i64(r, 0, i);
    PQclear(r);
    return e;
}

rp_err db_pg_stats_get(rp_db *db, rp_db_stats *out)
{
    memset(out, 0, sizeof *out);
    int64_t a[4] = {0}, c[2] = {0}, b[1] = {0};
    rp_err e;
    if ((e = pg_bands_write(db)) || (e = pg_sites_write(db))) return e;
    if ((e = one_row(db, PG_STATS_ARTICLES, a, 4))) return e;
    if ((e = one_row(db, PG_STATS_CLUSTERS, c, 2))) return e;
    if ((e = one_row(db, PG_STATS_BANDS, b, 1))) return e;
    out->articles = (uint64_t)a[0];
    out->exact_duplicates = (uint64_t)a[1];
    out->text_bytes = (uint64_t)a[2];
    out->unparsed_dates = (uint64_t)a[3];
    out->clusters = (uint64_t)c[0];
    out->clustered_articles = (uint64_t)c[1];
    out->band_rows = (uint64_t)b[0];
    return RP_OK;
}
