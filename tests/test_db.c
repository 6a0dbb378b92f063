/* test_db.c: SQLite storage: open/create/version checks, article round
 * trips, candidate pairs and lookups against a brute-force reference,
 * staged band hashes and their flush, clusters, stats, site lines, a reader
 * beside a writer. */
#include <stdio.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/testutil.h"

/* For test_staged_flush only: the flush's pass budget (to reach several
 * passes with a small corpus) and raw SQL (to re-stage flushed rows). */
#include "db/dbint.h"

static char tmpdir[256];
static int ndb;

/* A fresh database path in the test's temporary folder. */
static void db_path(char *buf, size_t size)
{
    snprintf(buf, size, "%s/t%d.db", tmpdir, ndb++);
}

static rp_db *open_ok(const char *path, int flags)
{
    rp_db *db = NULL;
    rp_err e = rp_db_open(&db, path, flags);
    if (e) fail_msg("open %s: %s", path, rp_db_errmsg(db));
    assert_non_null(db);
    return db;
}

static int64_t insert_simple(rp_db *db, const char *id, const char *text, uint64_t chash,
                             const uint64_t *bands, size_t nbands)
{
    rp_article a = {0};
    a.id = (char *)id;
    a.text = (char *)text;
    a.text_len = strlen(text);
    a.published_epoch = RP_TIME_UNKNOWN;
    rp_db_doc d = {.content_hash = chash, .ntokens = 3, .bands = bands, .nbands = nbands};
    int64_t rowid = 0;
    rp_err e = rp_db_insert(db, &a, &d, &rowid);
    if (e) fail_msg("insert %s: %s", id, rp_db_errmsg(db));
    assert_true(rowid > 0);
    return rowid;
}

static void test_open_create_reopen(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    assert_int_equal(rp_db_meta_set(db, "k", "128"), RP_OK);
    char *v = NULL;
    assert_int_equal(rp_db_meta_get(db, "missing", &v), RP_NOTFOUND);
    assert_null(v);
    rp_db_stats st;
    assert_int_equal(rp_db_stats_get(db, &st), RP_OK);
    assert_int_equal(st.articles, 0);
    assert_int_equal(st.band_rows, 0);
    rp_db_close(db);

    /* The schema version sits in the SQLite header (offset 60, big-endian)
     * once the last connection has checkpointed the WAL. */
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char hdr[100];
    assert_int_equal(fread(hdr, 1, sizeof hdr, f), sizeof hdr);
    fclose(f);
    assert_memory_equal(hdr, "SQLite format 3", 16);
    assert_int_equal(hdr[60] << 24 | hdr[61] << 16 | hdr[62] << 8 | hdr[63], 2);
    assert_int_equal(hdr[16] << 8 | hdr[17], 8192); /* page size */

    db = open_ok(path, RP_DB_READONLY);
    assert_int_equal(rp_db_meta_get(db, "k", &v), RP_OK);
    assert_string_equal(v, "128");
    free(v);
    assert_int_not_equal(rp_db_meta_set(db, "k", "64"), RP_OK); /* read-only */
    assert_non_null(strstr(rp_db_errmsg(db), path));
    rp_db_close(db);
    rp_db_close(NULL);
}

static void test_newer_schema_refused(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db_close(open_ok(path, 0));
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    unsigned char v3[4] = {0, 0, 0, 3};
    assert_int_equal(fseek(f, 60, SEEK_SET), 0);
    assert_int_equal(fwrite(v3, 1, 4, f), 4);
    fclose(f);
    rp_db *db = NULL;
    assert_int_equal(rp_db_open(&db, path, 0), RP_SCHEMA);
    assert_non_null(strstr(rp_db_errmsg(db), "newer"));
    assert_non_null(strstr(rp_db_errmsg(db), path));
    rp_db_close(db);
}

static void test_bad_files(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (int i = 0; i < 200; i++)
        fputs("this is not a database at all\n", f);
    fclose(f);
    rp_db *db = NULL;
    assert_int_equal(rp_db_open(&db, path, 0), RP_DB);
    assert_non_null(strstr(rp_db_errmsg(db), path));
    assert_non_null(strstr(rp_db_errmsg(db), "not a SQLite database"));
    rp_db_close(db);

    db_path(path, sizeof path);
    db = NULL;
    rp_err e = rp_db_open(&db, path, RP_DB_READONLY);
    assert_int_not_equal(e, RP_OK);
    assert_non_null(strstr(rp_db_errmsg(db), path));
    rp_db_close(db);
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0); /* read-only open created nothing */
}

/* Deterministic pseudo-random generator (xorshift64*). */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static void test_insert_get_roundtrip(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);

    /* 1 MB of varied UTF-8 words, no NUL bytes. */
    static const char *const words[] = {"the", "café",     "Zürich", "новости",  "記者",
                                        "😀",   "reported", "on",     "Tuesday,", "\n\n"};
    rp_buf text = {0};
    uint64_t seed = 42;
    while (text.len < (1u << 20)) {
        const char *w = words[rnd(&seed) % 10];
        assert_int_equal(rp_buf_append(&text, w, strlen(w)), RP_OK);
        assert_int_equal(rp_buf_appendc(&text, ' '), RP_OK);
    }
    rp_article a = {.id = "https://example.com/a",
                    .url = "https://example.com/a?x=1",
                    .site = "example.com",
                    .title = "A title",
                    .published = "2021-12-04T10:30:00Z",
                    .author = "Jane Doe",
                    .text = text.data,
                    .text_len = text.len,
                    .published_epoch = 1638613800,
                    .credits_hint = 1,
                    .source = "feeds/a.jsonl",
                    .record = 17};
    uint64_t bands[4] = {1, UINT64_MAX, 0x8000000000000000ULL, 42};
    rp_db_doc d = {
        .content_hash = 0xF00DFACECAFEBEEFULL, .ntokens = 1234, .bands = bands, .nbands = 4};
    int64_t r1 = 0, r2 = 0;
    assert_int_equal(rp_db_begin(db), RP_OK);
    assert_int_equal(rp_db_insert(db, &a, &d, &r1), RP_OK);
    /* An exact duplicate under another id, no date, no bands. */
    rp_article b = {.id = "b", .text = "short", .text_len = 5, .published_epoch = RP_TIME_UNKNOWN};
    rp_db_doc bd = {.content_hash = 7, .exact_of = r1};
    assert_int_equal(rp_db_insert(db, &b, &bd, &r2), RP_OK);
    assert_int_equal(rp_db_commit(db), RP_OK);
    assert_true(r2 > r1);

    /* Same id again is refused with a message naming it. */
    assert_int_equal(rp_db_insert(db, &b, &bd, NULL), RP_DB);
    assert_non_null(strstr(rp_db_errmsg(db), "\"b\""));

    rp_article g;
    assert_int_equal(rp_db_get(db, r1, &g), RP_OK);
    assert_string_equal(g.id, a.id);
    assert_string_equal(g.url, a.url);
    assert_string_equal(g.site, a.site);
    assert_string_equal(g.title, a.title);
    assert_string_equal(g.published, a.published);
    assert_string_equal(g.author, a.author);
    assert_string_equal(g.source, a.source);
    assert_int_equal(g.record, 17);
    assert_int_equal(g.published_epoch, 1638613800);
    assert_int_equal(g.credits_hint, 1);
    assert_true(g.indexed_at > 1600000000); /* set to the time of insertion */
    assert_int_equal(g.text_len, text.len);
    assert_memory_equal(g.text, text.data, text.len);
    assert_int_equal(g.text[g.text_len], '\0');
    rp_article_clear(&g);

    assert_int_equal(rp_db_get(db, r2, &g), RP_OK);
    assert_string_equal(g.text, "short");
    assert_null(g.url);
    assert_true(g.published_epoch == RP_TIME_UNKNOWN);
    assert_int_equal(g.credits_hint, 0);
    rp_article_clear(&g);
    assert_int_equal(rp_db_get(db, 999, &g), RP_NOTFOUND);
    /* Without the text: the same metadata, no text read. */
    assert_int_equal(rp_db_get_meta(db, r1, &g), RP_OK);
    assert_string_equal(g.id, a.id);
    assert_string_equal(g.url, a.url);
    assert_string_equal(g.site, a.site);
    assert_string_equal(g.title, a.title);
    assert_string_equal(g.published, a.published);
    assert_string_equal(g.source, a.source);
    assert_int_equal(g.record, 17);
    assert_int_equal(g.published_epoch, 1638613800);
    assert_int_equal(g.credits_hint, 1);
    assert_true(g.indexed_at > 1600000000);
    assert_null(g.text);
    assert_int_equal(g.text_len, 0);
    rp_article_clear(&g);
    assert_int_equal(rp_db_get_meta(db, 999, &g), RP_NOTFOUND);

    int64_t r = 0;
    assert_int_equal(rp_db_find_id(db, "b", &r), RP_OK);
    assert_int_equal(r, r2);
    assert_int_equal(rp_db_find_id(db, "nope", &r), RP_NOTFOUND);
    assert_int_equal(rp_db_find_content(db, 0xF00DFACECAFEBEEFULL, &r), RP_OK);
    assert_int_equal(r, r1);
    assert_int_equal(rp_db_find_content(db, 8, &r), RP_NOTFOUND);
    /* The same checks for several articles at once; a NULL id is skipped. */
    const char *ids[4] = {"nope", "b", NULL, a.id};
    uint64_t hashes[4] = {8, 0xF00DFACECAFEBEEFULL, 0xF00DFACECAFEBEEFULL, 8};
    int64_t idr[4] = {-1, -1, -1, -1}, hr[4] = {-1, -1, -1, -1};
    assert_int_equal(rp_db_find_batch(db, 4, ids, hashes, idr, hr), RP_OK);
    assert_int_equal(idr[0], 0);
    assert_int_equal(hr[0], 0);
    assert_int_equal(idr[1], r2);
    assert_int_equal(hr[1], r1);
    assert_int_equal(idr[2], 0);
    assert_int_equal(hr[2], 0);
    assert_int_equal(idr[3], r1);
    assert_int_equal(hr[3], 0);
    idr[1] = -1;
    assert_int_equal(rp_db_find_batch(db, 4, ids, NULL, idr, NULL), RP_OK);
    assert_int_equal(idr[1], r2);
    assert_int_equal(rp_db_find_batch(db, 1, NULL, NULL, idr, NULL), RP_ARG);

    /* Band hashes keep all 64 bits. */
    int64_t *hits = NULL;
    size_t nhits = 0;
    assert_int_equal(rp_db_lookup(db, bands, 4, 0, SIZE_MAX, &hits, &nhits, NULL, NULL), RP_OK);
    assert_int_equal(nhits, 1);
    assert_int_equal(hits[0], r1);
    free(hits);

    rp_db_row *rows = NULL;
    size_t nrows = 0;
    assert_int_equal(rp_db_rows(db, &rows, &nrows), RP_OK);
    assert_int_equal(nrows, 2);
    assert_int_equal(rows[0].rowid, r1);
    assert_string_equal(rows[0].id, a.id);
    assert_int_equal(rows[0].ntokens, 1234);
    assert_int_equal(rows[0].exact_of, 0);
    assert_int_equal(rows[1].exact_of, r1);
    assert_true(rows[1].published_epoch == RP_TIME_UNKNOWN);
    rp_db_rows_free(rows, nrows);
    rp_db_rows_free(NULL, 0);

    rp_db_stats st;
    assert_int_equal(rp_db_stats_get(db, &st), RP_OK);
    assert_int_equal(st.articles, 2);
    assert_int_equal(st.exact_duplicates, 1);
    assert_int_equal(st.band_rows, 4);
    assert_int_equal(st.text_bytes, text.len + 5);
    rp_db_close(db);

    /* Compression actually happened: the file is well below the text. */
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_true((size_t)sb.st_size < text.len / 2);
    rp_buf_free(&text);
}

typedef struct pairs {
    int64_t (*v)[2];
    size_t n, cap;
} pairs;

static rp_err collect(void *ctx, int64_t a, int64_t b)
{
    pairs *p = ctx;
    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 64;
        p->v = realloc(p->v, p->cap * sizeof *p->v);
        assert_non_null(p->v);
    }
    p->v[p->n][0] = a;
    p->v[p->n][1] = b;
    p->n++;
    return RP_OK;
}

static rp_err stop_after_two(void *ctx, int64_t a, int64_t b)
{
    int *count = ctx;
    (void)a;
    (void)b;
    return ++*count == 2 ? RP_INTERRUPTED : RP_OK;
}

#define NART 300
#define NB 6

/* Random band sets over a small alphabet, so buckets of all sizes occur;
 * the scan must agree with a brute-force pass over every pair. */
/* Text compressed by rp_db_zip_text (one compressor reused, as an indexing
 * worker does) is stored byte for byte as rp_db_insert would compress it,
 * and reads back the same. */
static void test_zip_text(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static const char *const texts[] = {
        "Shares of the company rose 4 pct in early trading on Tuesday, dealers said.", "x",
        "The central bank said it would keep rates unchanged. The central bank said so.\n\n"
        "Second paragraph of the story, with a \"quotation\" in it."};
    rp_db_zipper *zp = NULL;
    for (size_t i = 0; i < 3; i++) {
        char id[16];
        rp_article a = {.id = id,
                        .text = (char *)texts[i],
                        .text_len = strlen(texts[i]),
                        .published_epoch = RP_TIME_UNKNOWN};
        void *z = NULL;
        size_t zlen = 0;
        assert_int_equal(rp_db_zip_text(&zp, a.text, a.text_len, &z, &zlen), RP_OK);
        assert_non_null(z);
        assert_true(zlen > 0);
        rp_db_doc plain = {.content_hash = 10 + i}, zipped = {.content_hash = 20 + i};
        zipped.ztext = z;
        zipped.zlen = zlen;
        int64_t r1 = 0, r2 = 0;
        snprintf(id, sizeof id, "p%zu", i);
        assert_int_equal(rp_db_insert(db, &a, &plain, &r1), RP_OK);
        snprintf(id, sizeof id, "z%zu", i);
        assert_int_equal(rp_db_insert(db, &a, &zipped, &r2), RP_OK);
        sqlite3_stmt *st = NULL;
        assert_int_equal(
            sqlite3_prepare_v2(db->h,
                               "SELECT a.text = b.text, length(b.text) FROM articles a,"
                               " articles b WHERE a.rowid = ?1 AND b.rowid = ?2",
                               -1, &st, NULL),
            SQLITE_OK);
        sqlite3_bind_int64(st, 1, r1);
        sqlite3_bind_int64(st, 2, r2);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        assert_int_equal(sqlite3_column_int64(st, 1), (int64_t)zlen);
        sqlite3_finalize(st);
        rp_article g;
        assert_int_equal(rp_db_get(db, r2, &g), RP_OK);
        assert_int_equal(g.text_len, a.text_len);
        assert_memory_equal(g.text, a.text, a.text_len);
        rp_article_clear(&g);
        free(z);
    }
    rp_db_zipper_free(zp);
    rp_db_zipper_free(NULL);
    rp_db_close(db);
}

/* Stage an article's bands again in bands_new, as a flush cut short after
 * moving its rows leaves them (nb hashes, little-endian, as the writer
 * stores them). */
static void stage_again(rp_db *db, int64_t rowid, const uint64_t *bands, int nb)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h,
                                        "INSERT INTO bands_new(article, bands) VALUES (?1, ?2)", -1,
                                        &st, NULL),
                     SQLITE_OK);
    unsigned char blob[64 * 8];
    assert_true(nb <= 64);
    for (int j = 0; j < nb; j++)
        for (int b = 0; b < 8; b++)
            blob[j * 8 + b] = (unsigned char)(bands[j] >> (8 * b));
    sqlite3_bind_int64(st, 1, rowid);
    sqlite3_bind_blob(st, 2, blob, nb * 8, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

/* Bands from solo_from on (the anchor sketch) make a pair only with a
 * second meeting, in a pair scan and in a lookup alike: a is met by b in
 * one anchor band only (no pair), by c in two anchor bands (a pair), by d
 * in one ordinary band (a pair). */
static void test_solo_bands(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    enum { W = 5, SOLO = 2 };
    static const uint64_t v[4][W] = {
        {1, 2, 30, 31, 32},
        {10, 20, 30, 41, 42}, /* b: anchor band 2 only */
        {11, 21, 50, 31, 32}, /* c: anchor bands 3 and 4 */
        {1, 22, 60, 61, 62},  /* d: ordinary band 0 */
    };
    assert_int_equal(rp_db_begin(db), RP_OK);
    int64_t r[4];
    for (int i = 0; i < 4; i++) {
        char id[16];
        snprintf(id, sizeof id, "s%d", i);
        r[i] = insert_simple(db, id, id, (uint64_t)i + 100, v[i], W);
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    pairs got = {0};
    assert_int_equal(rp_db_candidates(db, 0, SOLO, NULL, 0, collect, &got, NULL), RP_OK);
    assert_int_equal(got.n, 2);
    assert_int_equal(got.v[0][0], r[0]);
    assert_int_equal(got.v[0][1], r[2]);
    assert_int_equal(got.v[1][0], r[0]);
    assert_int_equal(got.v[1][1], r[3]);
    /* Without the rule b pairs with a too. */
    pairs all = {0};
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &all, NULL), RP_OK);
    assert_int_equal(all.n, 3);
    int64_t *hits = NULL;
    size_t nhits = 0;
    assert_int_equal(rp_db_lookup(db, v[0], W, 0, SOLO, &hits, &nhits, NULL, NULL), RP_OK);
    assert_int_equal(nhits, 3); /* a itself, c, d */
    assert_int_equal(hits[0], r[0]);
    assert_int_equal(hits[1], r[2]);
    assert_int_equal(hits[2], r[3]);
    free(hits);
    free(got.v);
    free(all.v);
    rp_db_close(db);
}

static void test_candidates_and_lookup(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[NART][NB];
    int64_t rowid[NART];
    uint64_t seed = 7;
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < NART; i++) {
        for (int j = 0; j < NB; j++) {
            /* band 0 is one huge bucket; others vary in size */
            uint64_t alpha = j == 0 ? 1 : (uint64_t)(40 << j);
            bands[i][j] = (rnd(&seed) % alpha) * 0x9E3779B97F4A7C15ULL;
        }
        char id[32];
        snprintf(id, sizeof id, "art-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], NB);
    }
    /* An exact duplicate has no bands and never pairs. */
    int64_t dup = insert_simple(db, "dup", "text", 0, NULL, 0);
    assert_int_equal(rp_db_commit(db), RP_OK);

    const size_t cap = 12; /* crowded from min(24, cap) = 12: none is crowded */
    /* bucket sizes, brute force */
    static int bucket_size[NART][NB];
    uint64_t want_wide = 0;
    for (int j = 0; j < NB; j++)
        for (int i = 0; i < NART; i++) {
            int n = 0, first = 1;
            for (int k = 0; k < NART; k++) {
                if (bands[k][j] != bands[i][j]) continue;
                n++;
                if (k < i) first = 0;
            }
            bucket_size[i][j] = n;
            if (first && (size_t)n > cap) want_wide++;
        }
    assert_true(want_wide >= 1);
    /* The rule, brute force, with two orders of the pivots: rowid order
     * (no ranks) and its reverse. A bucket up to the cap gives every pair
     * on one meeting; a wide one pairs each member with its pivot (the
     * member first in the order), and such a pair must meet twice. */
    static uint32_t rank[NART + 2];
    for (int i = 0; i < NART + 2; i++)
        rank[i] = UINT32_MAX;
    for (int i = 0; i < NART; i++)
        rank[rowid[i]] = (uint32_t)(NART - i);
    pairs all = {0};
    for (int order = 0; order < 2; order++) {
        pairs want = {0}, got = {0};
        for (int x = 0; x < NART; x++)
            for (int y = x + 1; y < NART; y++) {
                int sure = 0, met = 0;
                for (int j = 0; j < NB; j++) {
                    if (bands[x][j] != bands[y][j]) continue;
                    if ((size_t)bucket_size[x][j] <= cap) {
                        sure = 1;
                        continue;
                    }
                    /* the pivot: first member in rowid order, or last */
                    int piv = -1;
                    for (int k = 0; k < NART; k++)
                        if (bands[k][j] == bands[x][j] && (piv < 0 || order)) piv = k;
                    if (piv == x || piv == y) met++;
                }
                if (sure || met >= 2) collect(&want, rowid[x], rowid[y]);
            }
        assert_true(want.n > 50); /* the set-up exercises something */
        uint64_t wide = 0;
        assert_int_equal(rp_db_candidates(db, cap, SIZE_MAX, order ? rank : NULL,
                                          order ? NART + 2 : 0, collect, &got, &wide),
                         RP_OK);
        assert_int_equal(wide, want_wide);
        assert_int_equal(got.n, want.n);
        /* brute force emits in (a, b) order too, since rowids ascend with i */
        for (size_t i = 0; i < got.n; i++) {
            assert_int_equal(got.v[i][0], want.v[i][0]);
            assert_int_equal(got.v[i][1], want.v[i][1]);
            assert_true(got.v[i][0] < got.v[i][1]);
            assert_int_not_equal(got.v[i][1], dup);
        }
        free(want.v);
        free(got.v);
    }

    /* Without a cap the huge bucket pairs everything with everything. */
    uint64_t wide = 7;
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &all, &wide), RP_OK);
    assert_int_equal(wide, 0);
    assert_int_equal(all.n, (size_t)NART * (NART - 1) / 2);

    /* A callback error stops the walk and comes back. */
    int count = 0;
    assert_int_equal(rp_db_candidates(db, cap, SIZE_MAX, NULL, 0, stop_after_two, &count, NULL),
                     RP_INTERRUPTED);
    assert_int_equal(count, 2);

    /* Lookups: article 5's own bands, the text counting as one more member
     * of each bucket: every member of a bucket up to the cap, the pivot
     * (lowest rowid) of a wider one, which must be met twice; the wide
     * buckets come back with their pivots. */
    int64_t *hits = NULL;
    size_t nhits = 0, nwide = 0;
    rp_db_wide *wl = NULL;
    assert_int_equal(rp_db_lookup(db, bands[5], NB, cap, SIZE_MAX, &hits, &nhits, &wl, &nwide),
                     RP_OK);
    size_t expect = 0, expect_wide = 0;
    for (int j = 0; j < NB; j++)
        if ((size_t)bucket_size[5][j] + 1 > cap) {
            assert_true(expect_wide < nwide);
            assert_int_equal(wl[expect_wide].band, j);
            int piv = 0;
            while (bands[piv][j] != bands[5][j])
                piv++;
            assert_int_equal(wl[expect_wide].pivot, rowid[piv]);
            expect_wide++;
        }
    assert_int_equal(nwide, expect_wide);
    assert_true(nwide >= 1);
    for (int k = 0; k < NART; k++) {
        int shared = 0, met = 0;
        for (int j = 0; j < NB; j++) {
            if (bands[k][j] != bands[5][j]) continue;
            if ((size_t)bucket_size[5][j] + 1 <= cap) shared = 1;
            for (size_t w = 0; w < nwide; w++)
                met += wl[w].band == (size_t)j && wl[w].pivot == rowid[k];
        }
        if (!shared && met < 2) continue;
        assert_true(expect < nhits);
        assert_int_equal(hits[expect], rowid[k]);
        expect++;
    }
    assert_int_equal(nhits, expect);
    free(hits);
    /* All members of the wide buckets: in two of them, or in the one. */
    size_t which[NB];
    for (size_t w = 0; w < nwide; w++)
        which[w] = wl[w].band;
    for (size_t use = 1; use <= nwide && use <= 2; use++) {
        assert_int_equal(rp_db_bucket_members(db, bands[5], NB, which, use, &hits, &nhits), RP_OK);
        expect = 0;
        for (int k = 0; k < NART; k++) {
            size_t in = 0;
            for (size_t w = 0; w < use; w++)
                in += bands[k][which[w]] == bands[5][which[w]];
            if (in < use) continue;
            assert_true(expect < nhits);
            assert_int_equal(hits[expect], rowid[k]);
            expect++;
        }
        assert_int_equal(nhits, expect);
        free(hits);
    }
    size_t bad[2] = {1, 0};
    assert_int_equal(rp_db_bucket_members(db, bands[5], NB, bad, 2, &hits, &nhits), RP_ARG);
    free(wl);
    uint64_t none[NB] = {11, 12, 13, 14, 15, 16};
    assert_int_equal(rp_db_lookup(db, none, NB, cap, SIZE_MAX, &hits, &nhits, &wl, &nwide), RP_OK);
    assert_int_equal(nhits, 0);
    assert_int_equal(nwide, 0);
    assert_null(wl);
    free(hits);

    free(all.v);
    rp_db_close(db);
}

#define SNART 200
#define SNB 10
#define SENTINEL 12345u /* no generated band hash has this value */

static uint64_t band_rows(rp_db *db)
{
    rp_db_stats st;
    assert_int_equal(rp_db_stats_get(db, &st), RP_OK);
    return st.band_rows;
}

/* Pairs (rowid order) sharing a bucket among the first n articles. */
static void brute_pairs(uint64_t (*bands)[SNB], const int64_t *rowid, int n, pairs *out)
{
    for (int x = 0; x < n; x++)
        for (int y = x + 1; y < n; y++)
            for (int j = 0; j < SNB; j++)
                if (bands[x][j] == bands[y][j]) {
                    collect(out, rowid[x], rowid[y]);
                    break;
                }
}

/* Staged BLOBs reach the bucket table exactly: each (band, hash) lookup
 * returns the articles given that hash at that position, the row count is
 * the number inserted, and the flush runs in several passes, inside or
 * outside a caller's transaction; flushing again, or re-flushing rows
 * already moved (a flush cut short), changes nothing. */
static void test_staged_flush(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[SNART][SNB];
    int64_t rowid[SNART];
    uint64_t seed = 99;
    /* Few values, used at every position and of both signs as int64, so
     * buckets are shared, the sort must follow SQLite's signed order, and
     * equal hashes at different positions must not meet. */
    for (int i = 0; i < SNART; i++)
        for (int j = 0; j < SNB; j++) {
            bands[i][j] = (rnd(&seed) % 23 + 1) * 0x9E3779B97F4A7C15ULL;
            assert_int_not_equal(bands[i][j], SENTINEL);
        }
    const int first = 120;
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < first; i++) {
        char id[32];
        snprintf(id, sizeof id, "s-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], SNB);
        if (i == 50) insert_simple(db, "s-dup", "text", 50, NULL, 0); /* stages nothing */
    }
    assert_int_equal(rp_db_commit(db), RP_OK);

    /* Staged only: a reader sees no band rows, and cannot flush. */
    rp_db *r = open_ok(path, RP_DB_READONLY);
    assert_int_equal(band_rows(r), 0);
    assert_int_equal(rp_db_bands_flush(r), RP_OK);
    assert_int_equal(band_rows(r), 0);
    assert_int_equal(band_rows(db), 0);

    /* A flush is due once the staged hashes fill a pass: not with the
     * default budget, but with one of three bands of these articles. */
    assert_int_equal(rp_db_bands_flush_due(db), 0);
    assert_int_equal(rp_db_bands_flush_due(NULL), 0);
    /* Three bands per pass: four passes over 10 bands. */
    db->flush_pass_bytes = (uint64_t)(first + 1) * 12 * 3;
    assert_int_equal(rp_db_bands_flush_due(db), 1);
    assert_int_equal(rp_db_bands_flush(db), RP_OK);
    assert_int_equal(rp_db_bands_flush_due(db), 0);
    assert_int_equal(band_rows(r), (uint64_t)first * SNB);

    /* The rest, flushed by candidates inside a caller's transaction. */
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = first; i < SNART; i++) {
        char id[32];
        snprintf(id, sizeof id, "s-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], SNB);
    }
    pairs want = {0}, got = {0};
    brute_pairs(bands, rowid, SNART, &want);
    assert_true(want.n > 100);
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &got, NULL), RP_OK);
    assert_int_equal(rp_db_commit(db), RP_OK);
    assert_int_equal(got.n, want.n);
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(got.v[i][0], want.v[i][0]);
        assert_int_equal(got.v[i][1], want.v[i][1]);
    }
    assert_int_equal(band_rows(r), (uint64_t)SNART * SNB);

    /* Every (band, hash) bucket holds exactly its articles. */
    for (int k = 0; k < SNART; k += 7)
        for (int j = 0; j < SNB; j++) {
            uint64_t q[SNB];
            for (int x = 0; x < SNB; x++)
                q[x] = x == j ? bands[k][j] : SENTINEL;
            int64_t *hits = NULL;
            size_t nhits = 0, expect = 0;
            assert_int_equal(rp_db_lookup(r, q, SNB, 0, SIZE_MAX, &hits, &nhits, NULL, NULL),
                             RP_OK);
            for (int i = 0; i < SNART; i++) {
                if (bands[i][j] != bands[k][j]) continue;
                assert_true(expect < nhits);
                assert_int_equal(hits[expect], rowid[i]);
                expect++;
            }
            assert_int_equal(nhits, expect);
            free(hits);
        }

    /* A second flush has nothing to do. */
    assert_int_equal(rp_db_bands_flush(db), RP_OK);
    assert_int_equal(band_rows(db), (uint64_t)SNART * SNB);

    /* A flush cut short after moving rows leaves them staged too: moving
     * them again stores them a second time, in a run of their own, and
     * readers count them once: the same pairs, the same buckets. */
    stage_again(db, rowid[7], bands[7], SNB);
    assert_int_equal(rp_db_bands_flush(db), RP_OK);
    assert_int_equal(band_rows(db), (uint64_t)SNART * SNB + SNB);
    pairs again = {0};
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &again, NULL), RP_OK);
    assert_int_equal(again.n, want.n);
    for (size_t i = 0; i < again.n; i++) {
        assert_int_equal(again.v[i][0], want.v[i][0]);
        assert_int_equal(again.v[i][1], want.v[i][1]);
    }
    {
        int64_t *hits = NULL;
        size_t nhits = 0;
        assert_int_equal(rp_db_lookup(r, bands[7], SNB, 0, SIZE_MAX, &hits, &nhits, NULL, NULL),
                         RP_OK);
        for (size_t i = 1; i < nhits; i++)
            assert_true(hits[i - 1] < hits[i]);
        free(hits);
    }

    /* A staged BLOB that is not whole hashes is reported, not misread. */
    assert_int_equal(
        sqlite3_exec(db->h, "INSERT INTO bands_new VALUES (1, x'0102030405')", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(rp_db_bands_flush(db), RP_DB);
    assert_non_null(strstr(rp_db_errmsg(db), "corrupt"));

    free(want.v);
    free(got.v);
    free(again.v);
    rp_db_close(r);
    rp_db_close(db);
}

/* A crowded bucket (25 to bucket_cap members) pairs each member with the
 * pivot and with the next 48 in the caller's order, not all against all:
 * 60 articles share two crowded buckets (so every pair the rule gives is
 * met twice) and nothing else; in rowid order, then in reversed order (the
 * pivot then the last rowid). Without a cap every pair counts. */
static void test_crowded_window(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    enum { CN = 60, CB = 3, WIN = 48 };
    int64_t rowid[CN];
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < CN; i++) {
        uint64_t b[CB] = {7, 8, 1000 + (uint64_t)i};
        char id[32];
        snprintf(id, sizeof id, "w-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i + 5000, b, CB);
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    uint32_t rank[CN + 64] = {0};
    for (int order = 0; order < 2; order++) {
        /* position of article i in the caller's order */
        int pos[CN];
        for (int i = 0; i < CN; i++) {
            pos[i] = order ? CN - 1 - i : i;
            if ((size_t)rowid[i] < sizeof rank / sizeof *rank) rank[rowid[i]] = (uint32_t)pos[i];
        }
        pairs got = {0};
        assert_int_equal(rp_db_candidates(db, 200, SIZE_MAX, order ? rank : NULL,
                                          order ? CN + 64 : 0, collect, &got, NULL),
                         RP_OK);
        size_t want = 0;
        for (int x = 0; x < CN; x++)
            for (int y = x + 1; y < CN; y++) {
                int d = pos[x] > pos[y] ? pos[x] - pos[y] : pos[y] - pos[x];
                if (d > WIN && pos[x] != 0 && pos[y] != 0) continue;
                assert_true(want < got.n);
                assert_int_equal(got.v[want][0], rowid[x]);
                assert_int_equal(got.v[want][1], rowid[y]);
                want++;
            }
        assert_int_equal(got.n, want);
        assert_true(want < CN * (CN - 1) / 2);
        free(got.v);
    }
    pairs all = {0};
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &all, NULL), RP_OK);
    assert_int_equal(all.n, CN * (CN - 1) / 2);
    free(all.v);
    rp_db_close(db);
}

/* The runs of band_runs, as the table holds them. */
static int count_runs(rp_db *db)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db->h, "SELECT count(DISTINCT run) FROM band_runs", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int pair_cmp(const void *a, const void *b)
{
    const int64_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    return x[1] < y[1] ? -1 : x[1] > y[1];
}

/* Candidates of db against the pairs of the articles [0, n) of bands that
 * are still in (live, may be NULL: all). */
static void check_pairs(rp_db *db, uint64_t (*bands)[SNB], const int64_t *rowid, int n,
                        const int *live)
{
    pairs want = {0}, got = {0};
    for (int x = 0; x < n; x++)
        for (int y = x + 1; y < n; y++) {
            if (live && (!live[x] || !live[y])) continue;
            for (int j = 0; j < SNB; j++)
                if (bands[x][j] == bands[y][j]) {
                    int64_t lo = rowid[x] < rowid[y] ? rowid[x] : rowid[y];
                    collect(&want, lo, rowid[x] ^ rowid[y] ^ lo);
                    break;
                }
        }
    qsort(want.v, want.n, sizeof *want.v, pair_cmp);
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &got, NULL), RP_OK);
    assert_int_equal(got.n, want.n);
    for (size_t i = 0; i < got.n; i++) {
        assert_int_equal(got.v[i][0], want.v[i][0]);
        assert_int_equal(got.v[i][1], want.v[i][1]);
    }
    free(want.v);
    free(got.v);
}

/* Every bucket of article k looked up alone holds exactly the articles of
 * [0, n) (still live) with k's hash there. */
static void check_buckets(rp_db *db, uint64_t (*bands)[SNB], const int64_t *rowid, int n,
                          const int *live, int k)
{
    for (int j = 0; j < SNB; j++) {
        uint64_t q[SNB];
        for (int x = 0; x < SNB; x++)
            q[x] = x == j ? bands[k][j] : SENTINEL;
        int64_t *hits = NULL;
        size_t nhits = 0, expect = 0;
        assert_int_equal(rp_db_lookup(db, q, SNB, 0, SIZE_MAX, &hits, &nhits, NULL, NULL), RP_OK);
        uint64_t want[SNART];
        for (int i = 0; i < n; i++)
            if ((!live || live[i]) && bands[i][j] == bands[k][j])
                want[expect++] = (uint64_t)rowid[i];
        assert_int_equal(rp_sort_u64(want, expect), RP_OK);
        assert_int_equal(nhits, expect);
        for (size_t i = 0; i < expect; i++)
            assert_int_equal(hits[i], (int64_t)want[i]);
        free(hits);
    }
}

/* Flushes of shrinking sizes leave several runs in every band (each less
 * than the one before), and readers merge them: candidates and bucket
 * lookups equal the brute-force reference after every flush. A flush at
 * least the size of the newest run merges it in, down to one run; no
 * entry is lost or stored twice by merging. Buckets larger than a block
 * (band 0 has one bucket of the first 150 articles, written over three
 * runs) stay whole, and pairs met only there, across runs, are found. */
static void test_runs_merge(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[SNART][SNB];
    int64_t rowid[SNART];
    uint64_t seed = 7;
    for (int i = 0; i < SNART; i++)
        for (int j = 0; j < SNB; j++)
            bands[i][j] = j == 0 ? (i < 150 ? 42 : (uint64_t)i * 0x9E3779B97F4A7C15ULL)
                                 : (rnd(&seed) % 300 + 1) * 0x9E3779B97F4A7C15ULL;
    static const int flushes[] = {100, 40, 12, 4, 44};
    int at = 0, runs_seen = 0;
    for (size_t f = 0; f < sizeof flushes / sizeof flushes[0]; f++) {
        assert_int_equal(rp_db_begin(db), RP_OK);
        for (int i = at; i < at + flushes[f]; i++) {
            char id[32];
            snprintf(id, sizeof id, "m-%d", i);
            rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], SNB);
        }
        assert_int_equal(rp_db_commit(db), RP_OK);
        at += flushes[f];
        assert_int_equal(rp_db_bands_flush(db), RP_OK);
        int nr = count_runs(db);
        if (nr > runs_seen) runs_seen = nr;
        assert_int_equal(band_rows(db), (uint64_t)at * SNB);
        check_pairs(db, bands, rowid, at, NULL);
        check_buckets(db, bands, rowid, at, NULL, at - 1);
        check_buckets(db, bands, rowid, at, NULL, 0);
    }
    assert_int_equal(runs_seen, 4); /* 100, 40, 12, 4 */
    /* 44 >= 4, 48 >= 12, 60 >= 40, 100 >= 100: everything merged into one run */
    assert_int_equal(count_runs(db), 1);
    /* band 0's bucket of 150 lies in one block */
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db->h, "SELECT max(n) FROM band_runs WHERE band = 0", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int(st, 0) >= 150);
    sqlite3_finalize(st);
    rp_db_close(db);
}

/* Removing articles rewrites their blocks: found by their band hashes, or
 * by scan when the hashes given are wrong; an exact duplicate (heir) takes
 * an original's entries. Candidates and lookups then equal the reference
 * without the removed articles, over several runs. */
static void test_runs_remove(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[SNART][SNB];
    int64_t rowid[SNART];
    int live[SNART];
    uint64_t seed = 5;
    for (int i = 0; i < SNART; i++)
        for (int j = 0; j < SNB; j++)
            bands[i][j] = (rnd(&seed) % 17 + 1) * 0x9E3779B97F4A7C15ULL;
    /* two runs: 150 articles, then 50 */
    for (int part = 0; part < 2; part++) {
        int lo = part ? 150 : 0, hi = part ? SNART : 150;
        assert_int_equal(rp_db_begin(db), RP_OK);
        for (int i = lo; i < hi; i++) {
            char id[32];
            snprintf(id, sizeof id, "r-%d", i);
            rowid[i] = insert_simple(db, id, "text", (uint64_t)i + 1000, bands[i], SNB);
            live[i] = 1;
        }
        assert_int_equal(rp_db_commit(db), RP_OK);
        assert_int_equal(rp_db_bands_flush(db), RP_OK);
    }
    assert_int_equal(count_runs(db), 2);
    /* by key, in the first run and in the second */
    assert_int_equal(rp_db_remove(db, rowid[3], bands[3], SNB, NULL, 0, NULL), RP_OK);
    live[3] = 0;
    assert_int_equal(rp_db_remove(db, rowid[170], bands[170], SNB, NULL, 0, NULL), RP_OK);
    live[170] = 0;
    check_pairs(db, bands, rowid, SNART, live);
    check_buckets(db, bands, rowid, SNART, live, 4);
    assert_int_equal(band_rows(db), (uint64_t)(SNART - 2) * SNB);
    /* by scan: the hashes given are another article's */
    assert_int_equal(rp_db_remove(db, rowid[9], bands[10], SNB, NULL, 0, NULL), RP_OK);
    live[9] = 0;
    check_pairs(db, bands, rowid, SNART, live);
    assert_int_equal(band_rows(db), (uint64_t)(SNART - 3) * SNB);
    /* an original with an exact duplicate: the duplicate takes its place */
    rp_article a = {0};
    a.id = "r-dup";
    a.text = "text";
    a.text_len = 4;
    a.published_epoch = RP_TIME_UNKNOWN;
    rp_db_doc d = {.content_hash = 1020, .ntokens = 3, .exact_of = rowid[20]};
    int64_t dup = 0;
    assert_int_equal(rp_db_insert(db, &a, &d, &dup), RP_OK);
    assert_int_equal(rp_db_remove(db, rowid[20], bands[20], SNB, NULL, 0, NULL), RP_OK);
    rowid[20] = dup;
    check_pairs(db, bands, rowid, SNART, live);
    check_buckets(db, bands, rowid, SNART, live, 20);
    assert_int_equal(band_rows(db), (uint64_t)(SNART - 3) * SNB);
    rp_db_close(db);
}

/* Whether band_runs is behind the index band_runs_key (the present layout). */
static int runs_indexed(rp_db *db)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db->h,
                                        "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                                        " AND name = 'band_runs_key' AND tbl_name = 'band_runs'",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* band_runs of the first version-2 layout (a WITHOUT ROWID table keyed
 * (band, run, last)) is read as it is by a read-only handle, and opened for
 * writing becomes a rowid table behind band_runs_key with the same rows,
 * candidates and buckets. A read snapshot begins only on a read-only handle
 * with no transaction open. */
static void test_runs_layout(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    assert_int_equal(runs_indexed(db), 1);
    static uint64_t bands[SNART][SNB];
    int64_t rowid[SNART];
    uint64_t seed = 5;
    for (int i = 0; i < SNART; i++)
        for (int j = 0; j < SNB; j++)
            bands[i][j] = (rnd(&seed) % 23 + 1) * 0x9E3779B97F4A7C15ULL;
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < SNART; i++) {
        char id[32];
        snprintf(id, sizeof id, "l-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], SNB);
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    assert_int_equal(rp_db_bands_flush(db), RP_OK);
    uint64_t rows = band_rows(db);
    assert_int_equal(rows, (uint64_t)SNART * SNB);
    int began = 1;
    assert_int_equal(rp_db_read_begin(db, &began), RP_OK);
    assert_int_equal(began, 1); /* none open: one begun */
    int again = 1;
    assert_int_equal(rp_db_read_begin(db, &again), RP_OK);
    assert_int_equal(again, 0); /* one is open already */
    assert_int_equal(rp_db_read_end(db, began), RP_OK);
    /* back to the first layout, as an earlier build wrote it */
    assert_int_equal(
        sqlite3_exec(db->h,
                     "ALTER TABLE band_runs RENAME TO old_runs;"
                     "CREATE TABLE band_runs(band INTEGER, run INTEGER, last INTEGER,"
                     " n INTEGER, data BLOB, PRIMARY KEY(band, run, last)) WITHOUT ROWID;"
                     "INSERT INTO band_runs SELECT band, run, last, n, data FROM old_runs;"
                     "DROP TABLE old_runs",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(runs_indexed(db), 0);
    rp_db_close(db);

    rp_db *r = open_ok(path, RP_DB_READONLY);
    assert_int_equal(runs_indexed(r), 0);
    assert_int_equal(rp_db_read_begin(r, &began), RP_OK);
    assert_int_equal(began, 1);
    again = 1;
    assert_int_equal(rp_db_read_begin(r, &again), RP_OK);
    assert_int_equal(again, 0); /* one is open already */
    check_buckets(r, bands, rowid, SNART, NULL, 3);
    rp_db_read_end(r, began);
    assert_int_equal(rp_db_read_begin(r, &began), RP_OK);
    assert_int_equal(began, 1); /* the first one ended */
    rp_db_read_end(r, began);
    assert_int_equal(band_rows(r), rows);
    rp_db_close(r);

    db = open_ok(path, 0);
    assert_int_equal(runs_indexed(db), 1);
    assert_int_equal(band_rows(db), rows);
    check_pairs(db, bands, rowid, SNART, NULL);
    check_buckets(db, bands, rowid, SNART, NULL, 9);
    rp_db_close(db);
    db = open_ok(path, RP_DB_READONLY);
    check_buckets(db, bands, rowid, SNART, NULL, SNART - 2);
    rp_db_close(db);
}

/* A file of schema version 1 (one bands row per band hash) is read as it
 * is by a read-only handle and becomes version 2 when opened for writing,
 * with the same candidates and buckets; a corrupt block is reported. */
static void test_schema_v1(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[SNART][SNB];
    int64_t rowid[SNART];
    uint64_t seed = 3;
    for (int i = 0; i < SNART; i++)
        for (int j = 0; j < SNB; j++)
            bands[i][j] = (rnd(&seed) % 19 + 1) * 0x9E3779B97F4A7C15ULL;
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < SNART; i++) {
        char id[32];
        snprintf(id, sizeof id, "v-%d", i);
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], SNB);
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    /* Turn the file into version 1, as an older reprint wrote it: the last
     * 30 articles still staged. */
    assert_int_equal(sqlite3_exec(db->h,
                                  "DELETE FROM bands_new WHERE article <= 170;"
                                  "DROP TABLE band_runs; DROP TABLE band_run_list;"
                                  "CREATE TABLE bands(band INTEGER, hash INTEGER, article INTEGER,"
                                  " PRIMARY KEY(band, hash, article)) WITHOUT ROWID;"
                                  "PRAGMA user_version=1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(
        sqlite3_prepare_v2(db->h, "INSERT INTO bands VALUES (?1, ?2, ?3)", -1, &st, NULL),
        SQLITE_OK);
    for (int i = 0; i < SNART; i++) {
        if (rowid[i] > 170) continue;
        for (int j = 0; j < SNB; j++) {
            sqlite3_bind_int64(st, 1, j);
            sqlite3_bind_int64(st, 2, (int64_t)bands[i][j]);
            sqlite3_bind_int64(st, 3, rowid[i]);
            assert_int_equal(sqlite3_step(st), SQLITE_DONE);
            sqlite3_reset(st);
        }
    }
    sqlite3_finalize(st);
    rp_db_close(db);

    rp_db *r = open_ok(path, RP_DB_READONLY);
    assert_int_equal(band_rows(r), (uint64_t)170 * SNB);
    check_buckets(r, bands, rowid, SNART, NULL, 0);
    check_buckets(r, bands, rowid, SNART, NULL, SNART - 1);
    rp_db_close(r);

    db = open_ok(path, 0);
    assert_int_equal(count_runs(db), 1);
    assert_int_equal(band_rows(db), (uint64_t)170 * SNB);
    check_pairs(db, bands, rowid, SNART, NULL); /* flushes the staged 30 */
    check_buckets(db, bands, rowid, SNART, NULL, 5);
    assert_int_equal(band_rows(db), (uint64_t)SNART * SNB);
    assert_int_equal(sqlite3_exec(db->h, "SELECT * FROM bands", NULL, NULL, NULL), SQLITE_ERROR);
    rp_db_close(db);
    db = open_ok(path, RP_DB_READONLY);
    check_buckets(db, bands, rowid, SNART, NULL, 7);
    rp_db_close(db);

    /* A block that is not whole entries is reported, not misread. */
    db = open_ok(path, 0);
    assert_int_equal(sqlite3_exec(db->h, "UPDATE band_runs SET data = x'0102030405' WHERE band = 1",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    pairs got = {0};
    assert_int_equal(rp_db_candidates(db, 0, SIZE_MAX, NULL, 0, collect, &got, NULL), RP_DB);
    assert_non_null(strstr(rp_db_errmsg(db), "corrupt"));
    int64_t *hits = NULL;
    size_t nhits = 0;
    assert_int_equal(rp_db_lookup(db, bands[0], SNB, 0, SIZE_MAX, &hits, &nhits, NULL, NULL),
                     RP_DB);
    free(got.v);
    rp_db_close(db);
}

/* A reader sees every committed article, flushed or still staged (an index
 * run in progress, or one killed before its flush): its lookups before the
 * flush equal the writer's after it, bucket cap, crowded buckets and
 * anchor bands included, with bucket sizes counting staged members, and an
 * article both flushed and staged (a flush cut short) counted once. */
#define LNART 150
#define LNB 6
static void test_lookup_staged(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    static uint64_t bands[LNART][LNB];
    int64_t rowid[LNART];
    uint64_t seed = 31;
    /* band 0: one bucket of all; band 1: about 30 per bucket (around the
     * cap); band 2: about 19 (crowded); the rest small; band 5 an anchor. */
    static const uint64_t alpha[LNB] = {1, 5, 8, 40, 40, 40};
    for (int i = 0; i < LNART; i++)
        for (int j = 0; j < LNB; j++)
            bands[i][j] = (rnd(&seed) % alpha[j] + 1) * 0x9E3779B97F4A7C15ULL;
    const int first = 80;
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int i = 0; i < LNART; i++) {
        char id[32];
        snprintf(id, sizeof id, "l-%d", i);
        if (i == first) {
            assert_int_equal(rp_db_commit(db), RP_OK);
            assert_int_equal(rp_db_bands_flush(db), RP_OK);
            assert_int_equal(rp_db_begin(db), RP_OK);
        }
        rowid[i] = insert_simple(db, id, "text", (uint64_t)i, bands[i], LNB);
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    /* Article 3 is flushed and staged again, as a flush cut short leaves it. */
    stage_again(db, rowid[3], bands[3], LNB);

    rp_db *r = open_ok(path, RP_DB_READONLY);
    assert_int_equal(band_rows(r), (uint64_t)first * LNB);
    static const struct {
        size_t cap, solo;
    } rules[] = {{30, 5}, {30, SIZE_MAX}, {0, SIZE_MAX}, {12, 4}};
    enum { NRULES = sizeof rules / sizeof rules[0], NQ = LNART / 5 };
    static int64_t *before[NRULES][NQ];
    static size_t nbefore[NRULES][NQ];
    int staged_hits = 0;
    for (size_t u = 0; u < NRULES; u++)
        for (int q = 0; q < NQ; q++) {
            assert_int_equal(rp_db_lookup(r, bands[q * 5], LNB, rules[u].cap, rules[u].solo,
                                          &before[u][q], &nbefore[u][q], NULL, NULL),
                             RP_OK);
            for (size_t i = 0; i < nbefore[u][q]; i++) {
                if (i) assert_true(before[u][q][i - 1] < before[u][q][i]);
                if (before[u][q][i] >= rowid[first]) staged_hits++;
            }
        }
    assert_true(staged_hits > 50); /* staged articles are found at all */
    /* nothing flushed yet */
    assert_int_equal(band_rows(r), (uint64_t)first * LNB);

    /* The writer flushes, then looks up the same. */
    for (size_t u = 0; u < NRULES; u++)
        for (int q = 0; q < NQ; q++) {
            int64_t *hits = NULL;
            size_t nhits = 0;
            assert_int_equal(rp_db_lookup(db, bands[q * 5], LNB, rules[u].cap, rules[u].solo, &hits,
                                          &nhits, NULL, NULL),
                             RP_OK);
            assert_int_equal(nhits, nbefore[u][q]);
            for (size_t i = 0; i < nhits; i++)
                assert_int_equal(hits[i], before[u][q][i]);
            free(hits);
            free(before[u][q]);
        }
    assert_int_equal(band_rows(r), (uint64_t)LNART * LNB);
    rp_db_close(r);
    rp_db_close(db);
}

static void test_clusters(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    int64_t r[6];
    for (int i = 0; i < 6; i++) {
        char id[16];
        snprintf(id, sizeof id, "c%d", i);
        r[i] = insert_simple(db, id, "some text", (uint64_t)i + 100, NULL, 0);
    }
    rp_db_member m[] = {
        {r[2], 40, 0, r[0], 0.7, 0.3, 0.9},
        {r[0], 40, 1, 0, 1, 1, 1},
        {r[1], 40, 0, r[0], 0.8, 0.4, 0.95},
        {r[4], 7, 0, r[3], 0.6, 0.2, 0.7},
        {r[3], 7, 1, 0, 1, 1, 1},
        {r[5], 9, 1, 0, 1, 1, 1},
    };
    assert_int_equal(rp_db_store_clusters(db, m, 6), RP_OK);
    int64_t c = 0;
    assert_int_equal(rp_db_cluster_of(db, r[1], &c), RP_OK);
    assert_int_equal(c, 40);
    rp_db_member *out = NULL;
    size_t n = 0;
    assert_int_equal(rp_db_load_clusters(db, &out, &n), RP_OK);
    assert_int_equal(n, 6);
    int64_t want[6][2] = {{r[3], 7}, {r[4], 7}, {r[5], 9}, {r[0], 40}, {r[1], 40}, {r[2], 40}};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(out[i].article, want[i][0]);
        assert_int_equal(out[i].cluster, want[i][1]);
    }
    assert_int_equal(out[3].is_original, 1);
    assert_int_equal(out[3].source, 0);
    assert_int_equal(out[4].source, r[0]);
    assert_true(out[4].score == 0.8 && out[4].containment == 0.95);
    free(out);

    rp_db_stats st;
    assert_int_equal(rp_db_stats_get(db, &st), RP_OK);
    assert_int_equal(st.clusters, 2); /* the singleton is not counted */
    assert_int_equal(st.clustered_articles, 5);

    /* Storing again replaces; a duplicate article fails and keeps the old. */
    rp_db_member twice[] = {{r[0], 1, 1, 0, 1, 1, 1}, {r[0], 2, 1, 0, 1, 1, 1}};
    assert_int_equal(rp_db_store_clusters(db, twice, 2), RP_ARG);
    assert_int_equal(rp_db_cluster_of(db, r[4], &c), RP_OK);
    assert_int_equal(c, 7);
    assert_int_equal(rp_db_store_clusters(db, twice, 1), RP_OK);
    assert_int_equal(rp_db_cluster_of(db, r[4], &c), RP_NOTFOUND);
    assert_int_equal(rp_db_cluster_of(db, r[0], &c), RP_OK);
    assert_int_equal(c, 1);
    rp_db_close(db);
}

static void test_site_lines(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    uint64_t d1[] = {UINT64_MAX, 5, 5, 9}; /* repeat inside one article counts once */
    uint64_t d2[] = {5, 9, UINT64_MAX};
    uint64_t d3[] = {5, 77};
    assert_int_equal(rp_db_site_lines_add(db, "a.com", d1, 4), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "a.com", d2, 3), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "a.com", d3, 2), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "b.com", d3, 2), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "a.com", NULL, 0), RP_OK);
    uint64_t n = 0;
    assert_int_equal(rp_db_site_docs(db, "a.com", &n), RP_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rp_db_site_docs(db, "c.com", &n), RP_OK);
    assert_int_equal(n, 0);
    uint64_t *h = NULL;
    size_t nh = 0;
    /* a line in fewer than RP_CHROME_MIN_DOCS (3) articles is never chrome,
     * whatever min_docs asks: 9 and UINT64_MAX stand in 2 */
    assert_int_equal(rp_db_site_lines_get(db, "a.com", 2, &h, &nh), RP_OK);
    assert_int_equal(nh, 1);
    assert_true(h[0] == 5);
    free(h);
    assert_int_equal(rp_db_site_lines_add(db, "a.com", d2, 3), RP_OK);
    assert_int_equal(rp_db_site_lines_get(db, "a.com", 3, &h, &nh), RP_OK);
    assert_int_equal(nh, 3);
    assert_true(h[0] == 5 && h[1] == 9 && h[2] == UINT64_MAX); /* unsigned order */
    free(h);
    assert_int_equal(rp_db_site_lines_get(db, "a.com", 4, &h, &nh), RP_OK);
    assert_int_equal(nh, 1);
    assert_true(h[0] == 5);
    free(h);
    assert_int_equal(rp_db_site_lines_get(db, "b.com", 1, &h, &nh), RP_OK);
    assert_int_equal(nh, 0);
    free(h);
    assert_int_equal(rp_db_site_lines_add(db, NULL, d1, 1), RP_ARG);
    rp_db_close(db);
}

/* Inside a transaction the counts wait in memory and are written, summed,
 * at commit: the same counts as one article at a time, for many sites
 * (the site table grows) and lines met by several articles; a read inside
 * the transaction sees them; a rollback drops them with the rest. */
static void test_site_lines_batched(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *db = open_ok(path, 0);
    enum { NS = 150, NA = 900 };
    static uint64_t want[NS][8];
    static uint64_t docs[NS];
    uint64_t seed = 5;
    /* line hashes, some above 2^63 (stored as negative integers) */
    static const uint64_t val[8] = {0,
                                    1,
                                    77,
                                    UINT64_MAX,
                                    (uint64_t)1 << 63,
                                    0x9E3779B97F4A7C15ULL,
                                    12345,
                                    ((uint64_t)1 << 63) - 1};
    assert_int_equal(rp_db_begin(db), RP_OK);
    for (int a = 0; a < NA; a++) {
        int site = (int)(rnd(&seed) % NS);
        uint64_t lines[4];
        int vi[4];
        for (int k = 0; k < 4; k++)
            lines[k] = val[vi[k] = (int)(rnd(&seed) % 8)];
        char name[24];
        snprintf(name, sizeof name, "s%d.com", site);
        assert_int_equal(rp_db_site_lines_add(db, name, lines, 4), RP_OK);
        docs[site]++;
        int seen[8] = {0};
        for (int k = 0; k < 4; k++)
            if (!seen[vi[k]]++) want[site][vi[k]]++;
        if (a == NA / 2) { /* a read inside the transaction writes what waits */
            uint64_t n = 0;
            assert_int_equal(rp_db_site_docs(db, name, &n), RP_OK);
            assert_int_equal(n, docs[site]);
        }
    }
    assert_int_equal(rp_db_commit(db), RP_OK);
    /* rolled back: no trace */
    uint64_t extra[] = {1, 2, 3};
    assert_int_equal(rp_db_begin(db), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "s0.com", extra, 3), RP_OK);
    assert_int_equal(rp_db_site_lines_add(db, "new.com", extra, 3), RP_OK);
    assert_int_equal(rp_db_rollback(db), RP_OK);
    rp_db *r = open_ok(path, RP_DB_READONLY);
    uint64_t n = 7;
    assert_int_equal(rp_db_site_docs(r, "new.com", &n), RP_OK);
    assert_int_equal(n, 0);
    for (int site = 0; site < NS; site++) {
        char name[24];
        snprintf(name, sizeof name, "s%d.com", site);
        assert_int_equal(rp_db_site_docs(r, name, &n), RP_OK);
        assert_int_equal(n, docs[site]);
        for (uint64_t min = 3; min <= 6; min++) {
            uint64_t *h = NULL;
            size_t nh = 0, expect = 0;
            assert_int_equal(rp_db_site_lines_get(r, name, min, &h, &nh), RP_OK);
            for (int v = 0; v < 8; v++)
                expect += want[site][v] >= min;
            assert_int_equal(nh, expect);
            for (size_t i = 0; i < nh; i++) {
                int v = 0;
                while (v < 8 && val[v] != h[i])
                    v++;
                assert_true(v < 8 && want[site][v] >= min);
            }
            free(h);
        }
    }
    rp_db_close(r);
    rp_db_close(db);
}

/* WAL: a second handle reads the committed state while the first writes. */
static void test_reader_beside_writer(void **state)
{
    (void)state;
    char path[512];
    db_path(path, sizeof path);
    rp_db *w = open_ok(path, 0);
    insert_simple(w, "first", "one", 1, NULL, 0);
    rp_db *r = open_ok(path, RP_DB_READONLY);
    assert_int_equal(rp_db_begin(w), RP_OK);
    insert_simple(w, "second", "two", 2, NULL, 0);
    int64_t row = 0;
    assert_int_equal(rp_db_find_id(r, "first", &row), RP_OK);
    assert_int_equal(rp_db_find_id(r, "second", &row), RP_NOTFOUND);
    assert_int_equal(rp_db_commit(w), RP_OK);
    assert_int_equal(rp_db_find_id(r, "second", &row), RP_OK);
    /* rollback discards */
    assert_int_equal(rp_db_begin(w), RP_OK);
    insert_simple(w, "third", "three", 3, NULL, 0);
    assert_int_equal(rp_db_rollback(w), RP_OK);
    assert_int_equal(rp_db_find_id(w, "third", &row), RP_NOTFOUND);
    assert_int_equal(rp_db_rollback(w), RP_OK); /* none open: no-op */
    rp_db_close(r);
    rp_db_close(w);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "%s/rp-test-db-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_create_reopen), cmocka_unit_test(test_newer_schema_refused),
        cmocka_unit_test(test_bad_files),          cmocka_unit_test(test_insert_get_roundtrip),
        cmocka_unit_test(test_zip_text),           cmocka_unit_test(test_candidates_and_lookup),
        cmocka_unit_test(test_solo_bands),         cmocka_unit_test(test_staged_flush),
        cmocka_unit_test(test_lookup_staged),      cmocka_unit_test(test_crowded_window),
        cmocka_unit_test(test_runs_merge),         cmocka_unit_test(test_runs_remove),
        cmocka_unit_test(test_schema_v1),          cmocka_unit_test(test_runs_layout),
        cmocka_unit_test(test_clusters),           cmocka_unit_test(test_site_lines),
        cmocka_unit_test(test_site_lines_batched), cmocka_unit_test(test_reader_beside_writer),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
