/*
 * sites.c: per-site line statistics for learning site chrome.
 *
 * A line that recurs in a large share of one site's articles (a newsletter
 * plug, a copyright footer) is chrome, not content. For each site the
 * database counts in how many articles each line hash occurred
 * (site_lines) and how many articles were counted (sites), so the caller
 * can ask for the lines above any share it likes. Each article counts a
 * line once, however often the line repeats inside it.
 *
 * Inside a transaction the counts are kept in memory (struct site_pending)
 * and written when it commits: sorted in key order, one upsert per
 * distinct (site, line) with its count, so the B-tree is walked in order
 * once per transaction rather than seeked at random once per article and
 * line (317k upserts for Reuters-21578, most of the writer's time). A
 * rollback drops them with the rest of the transaction; reading the
 * counts inside the transaction writes them first.
 */
#include <stdlib.h>
#include <string.h>

#include "db/dbint.h"

/* One site's pending line: the signed hash as stored, and the site. */
typedef struct pend_line {
    int64_t hash;
    uint32_t site;
} pend_line;

struct site_pending {
    char **site; /* distinct sites of the transaction */
    uint64_t *docs;
    size_t nsites, sitecap;
    uint32_t *slot; /* open addressing over site: index + 1, 0 empty */
    size_t nslot;   /* a power of two, over twice nsites */
    pend_line *line;
    size_t nlines, linecap;
    uint32_t *rank; /* scratch when writing: site index -> order */
};

void db_sites_drop(rp_db *db)
{
    struct site_pending *p = db->pending;
    if (!p) return;
    for (size_t i = 0; i < p->nsites; i++)
        free(p->site[i]);
    free(p->site);
    free(p->docs);
    free(p->slot);
    free(p->line);
    free(p->rank);
    free(p);
    db->pending = NULL;
}

static uint64_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* The index of site in p, added if new. */
static rp_err pend_site(struct site_pending *p, const char *site, uint32_t *out)
{
    if (2 * (p->nsites + 1) > p->nslot) {
        size_t n = p->nslot ? 2 * p->nslot : 64;
        uint32_t *t = calloc(n, sizeof *t);
        if (!t) return RP_NOMEM;
        for (size_t i = 0; i < p->nsites; i++) {
            size_t k = str_hash(p->site[i]) & (n - 1);
            while (t[k])
                k = (k + 1) & (n - 1);
            t[k] = (uint32_t)i + 1;
        }
        free(p->slot);
        p->slot = t;
        p->nslot = n;
    }
    size_t k = str_hash(site) & (p->nslot - 1);
    for (; p->slot[k]; k = (k + 1) & (p->nslot - 1))
        if (strcmp(p->site[p->slot[k] - 1], site) == 0) {
            *out = p->slot[k] - 1;
            return RP_OK;
        }
    if (p->nsites >= UINT32_MAX - 1) return RP_LIMIT;
    if (p->nsites == p->sitecap) {
        size_t n = p->sitecap ? 2 * p->sitecap : 16;
        char **sv = realloc(p->site, n * sizeof *sv);
        if (!sv) return RP_NOMEM;
        p->site = sv;
        uint64_t *d = realloc(p->docs, n * sizeof *d);
        if (!d) return RP_NOMEM;
        p->docs = d;
        p->sitecap = n;
    }
    if (!(p->site[p->nsites] = strdup(site))) return RP_NOMEM;
    p->docs[p->nsites] = 0;
    p->slot[k] = (uint32_t)p->nsites + 1;
    *out = (uint32_t)p->nsites++;
    return RP_OK;
}

static rp_err pend_add(rp_db *db, const char *site, const uint64_t *h, size_t n)
{
    if (!db->pending && !(db->pending = calloc(1, sizeof *db->pending))) return RP_NOMEM;
    struct site_pending *p = db->pending;
    uint32_t si;
    rp_err e = pend_site(p, site, &si);
    if (e) return e;
    if ((e = rp_grow(&p->line, &p->linecap, p->nlines + n, sizeof *p->line))) return e;
    p->docs[si]++;
    for (size_t i = 0; i < n; i++)
        p->line[p->nlines++] = (pend_line){db_h2i(h[i]), si};
    return RP_OK;
}

static int cmp_line(const void *x, const void *y, void *arg)
{
    const pend_line *a = x, *b = y;
    const uint32_t *rank = arg;
    if (a->site != b->site) return rank[a->site] < rank[b->site] ? -1 : 1;
    return (a->hash > b->hash) - (a->hash < b->hash);
}

static int cmp_site(const void *x, const void *y, void *arg)
{
    char *const *site = arg;
    /* SQLite compares TEXT keys (BINARY collation) as memcmp does */
    return strcmp(site[*(const uint32_t *)x], site[*(const uint32_t *)y]);
}

rp_err db_sites_write(rp_db *db)
{
    struct site_pending *p = db->pending;
    if (!p || (p->nsites == 0 && p->nlines == 0)) return RP_OK;
    rp_err e = RP_OK;
    sqlite3_stmt *doc = db_stmt(db, ST_SITE_DOC_ADD_N);
    sqlite3_stmt *line = db_stmt(db, ST_SITE_LINE_ADD_N);
    uint32_t *order = malloc((p->nsites ? p->nsites : 1) * sizeof *order);
    if (!doc || !line) {
        e = RP_DB;
        goto out;
    }
    if (!order || !(p->rank = malloc((p->nsites ? p->nsites : 1) * sizeof *p->rank))) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < p->nsites; i++)
        order[i] = (uint32_t)i;
    qsort_r(order, p->nsites, sizeof *order, cmp_site, p->site);
    for (size_t i = 0; i < p->nsites; i++)
        p->rank[order[i]] = (uint32_t)i;
    for (size_t i = 0; i < p->nsites; i++) {
        uint32_t si = order[i];
        sqlite3_bind_text(doc, 1, p->site[si], -1, SQLITE_STATIC);
        sqlite3_bind_int64(doc, 2, (sqlite3_int64)p->docs[si]);
        int rc = sqlite3_step(doc);
        sqlite3_reset(doc);
        if (rc != SQLITE_DONE) {
            e = db_fail(db, rc, "cannot count site articles");
            goto out;
        }
    }
    qsort_r(p->line, p->nlines, sizeof *p->line, cmp_line, p->rank);
    for (size_t i = 0, j; i < p->nlines; i = j) {
        for (j = i + 1; j < p->nlines && p->line[j].site == p->line[i].site &&
                        p->line[j].hash == p->line[i].hash;
             j++) {
        }
        sqlite3_bind_text(line, 1, p->site[p->line[i].site], -1, SQLITE_STATIC);
        sqlite3_bind_int64(line, 2, p->line[i].hash);
        sqlite3_bind_int64(line, 3, (sqlite3_int64)(j - i));
        int rc = sqlite3_step(line);
        sqlite3_reset(line);
        if (rc != SQLITE_DONE) {
            e = db_fail(db, rc, "cannot count site lines");
            goto out;
        }
    }
out:
    free(order);
    /* Written or failed, they belong to the transaction now: a failure
     * rolls it back with them. */
    db_sites_drop(db);
    return e;
}

static rp_err add_rows(rp_db *db, const char *site, const uint64_t *h, size_t n)
{
    sqlite3_stmt *doc = db_stmt(db, ST_SITE_DOC_ADD);
    sqlite3_stmt *line = db_stmt(db, ST_SITE_LINE_ADD);
    if (!doc || !line) return RP_DB;
    sqlite3_bind_text(doc, 1, site, -1, SQLITE_STATIC);
    int rc = sqlite3_step(doc);
    sqlite3_reset(doc);
    if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot count site articles");
    sqlite3_bind_text(line, 1, site, -1, SQLITE_STATIC);
    for (size_t i = 0; i < n; i++) {
        sqlite3_bind_int64(line, 2, db_h2i(h[i]));
        rc = sqlite3_step(line);
        sqlite3_reset(line);
        if (rc != SQLITE_DONE) return db_fail(db, rc, "cannot count site lines");
    }
    return RP_OK;
}

rp_err rp_db_site_lines_add(rp_db *db, const char *site, const uint64_t *hashes, size_t n)
{
    if (db->pg) return db_pg_site_lines_add(db, site, hashes, n);
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    uint64_t *h = NULL;
    rp_err e = RP_OK;
    if (n) {
        if (!(h = malloc(n * sizeof *h))) return RP_NOMEM;
        memcpy(h, hashes, n * sizeof *h);
        if ((e = rp_sort_unique_u64(h, &n))) goto out;
    }
    int own = db_autocommit(db);
    if (!own) {
        e = pend_add(db, site, h, n);
        goto out;
    }
    if ((e = rp_db_begin(db))) goto out;
    e = add_rows(db, site, h, n);
    if (e)
        sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
    else
        e = rp_db_commit(db);
out:
    free(h);
    return e;
}

rp_err rp_db_site_lines_get(rp_db *db, const char *site, uint64_t min_docs, uint64_t **hashes,
                            size_t *n)
{
    if (db->pg) return db_pg_site_lines_get(db, site, min_docs, hashes, n);
    *hashes = NULL;
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    rp_err we = db_sites_write(db); /* counts of the open transaction first */
    if (we) return we;
    sqlite3_stmt *s = db_stmt(db, ST_SITE_LINES_GET);
    if (!s) return RP_DB;
    uint64_t *v = NULL;
    size_t len = 0, cap = 0;
    rp_err e = RP_OK;
    int rc;
    sqlite3_bind_text(s, 1, site, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, min_docs > INT64_MAX ? INT64_MAX : (sqlite3_int64)min_docs);
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if ((e = rp_grow(&v, &cap, len + 1, sizeof *v))) goto out;
        v[len++] = db_i2h(sqlite3_column_int64(s, 0));
    }
    if (rc != SQLITE_DONE) e = db_fail(db, rc, "cannot read site lines");
    /* Stored order is by signed value; callers want unsigned order. */
    else
        e = rp_sort_unique_u64(v, &len);
out:
    sqlite3_reset(s);
    if (e) {
        free(v);
        return e;
    }
    *hashes = v;
    *n = len;
    return RP_OK;
}

rp_err rp_db_site_docs(rp_db *db, const char *site, uint64_t *n)
{
    if (db->pg) return db_pg_site_docs(db, site, n);
    *n = 0;
    if (!site) return db_error(db, RP_ARG, "site lines: no site given");
    rp_err we = db_sites_write(db);
    if (we) return we;
    sqlite3_stmt *s = db_stmt(db, ST_SITE_DOCS);
    if (!s) return RP_DB;
    sqlite3_bind_text(s, 1, site, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    rp_err e = RP_OK;
    if (rc == SQLITE_ROW)
        *n = (uint64_t)sqlite3_column_int64(s, 0);
    else if (rc != SQLITE_DONE)
        e = db_fail(db, rc, "cannot read site counts");
    sqlite3_reset(s);
    return e;
}
