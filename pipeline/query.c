/*
 * query.c: one text against the index, and two texts against each other.
 *
 * A query signs its text exactly as indexing did (same stored parameters),
 * looks its band hashes up with point queries, and verifies every
 * candidate with the same aligner that clustering uses, so a query and a
 * later cluster run agree on every pair.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline/loader.h"

void rp_hits_free(rp_hit *hits, size_t n)
{
    if (!hits) return;
    for (size_t i = 0; i < n; i++) {
        free(hits[i].id);
        rp_match_clear(&hits[i].m);
    }
    free(hits);
}

static int cmp_hit(const void *x, const void *y)
{
    const rp_hit *a = x, *b = y;
    if (a->m.score != b->m.score) return a->m.score > b->m.score ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Exact duplicates carry no bands (their first copy stands for them in the
 * buckets): add them to the candidates so a query reports every copy. */
static rp_err add_exact_copies(rp_db *db, int64_t **cand, size_t *ncand)
{
    size_t n = *ncand, cap = n;
    for (size_t i = 0; i < *ncand; i++) {
        int64_t *dup = NULL;
        size_t nd = 0;
        rp_err e = rp_db_exact_copies(db, (*cand)[i], &dup, &nd);
        if (!e && nd) e = rp_grow(cand, &cap, n + nd, sizeof **cand);
        if (e) {
            free(dup);
            return e;
        }
        if (nd) memcpy(*cand + n, dup, nd * sizeof *dup);
        n += nd;
        free(dup);
    }
    /* row ids are positive, so their unsigned order is their order */
    rp_err e = rp_sort_unique_u64((uint64_t *)*cand, &n);
    if (!e) *ncand = n;
    return e;
}

/* Verify the query q against each candidate, appending those scoring at
 * least min_score to *h. A failed read (the message in the database
 * handle) stops it; a pair that cannot be compared is left out. */
static rp_err verify_all(const rp_params *p, rp_loader *ld, const rp_doc *q, const int64_t *cand,
                         size_t ncand, double min_score, rp_hit **h, size_t *hcap, size_t *nh)
{
    rp_err e = rp_grow(h, hcap, *nh + ncand, sizeof **h);
    if (e) return e;
    for (size_t i = 0; i < ncand; i++) {
        rp_loaded L;
        rp_doc *d = NULL;
        rp_hit *x = &(*h)[*nh];
        memset(x, 0, sizeof *x);
        if ((e = rp_loader_get(ld, cand[i], &L))) return e;
        e = rp_loaded_prepare(p, L.a.text, L.a.text_len, L.a.lang, L.chrome, L.nchrome, &d);
        if (e == RP_OK) e = rp_verify_pair(q, d, &x->m);
        rp_doc_free(d);
        if (e == RP_OK && x->m.score >= min_score) {
            x->rowid = cand[i];
            x->id = L.a.id;
            L.a.id = NULL;
            (*nh)++;
        } else {
            rp_match_clear(&x->m);
        }
        rp_article_clear(&L.a);
        if (e == RP_NOMEM) return e;
    }
    return RP_OK;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* Replace *cand by the members of the wide buckets whose pivot is among
 * the hits (h[0..nh)), less the articles already compared (the old
 * *cand), exact copies included. */
static rp_err expand_wide(rp_db *db, const uint64_t *bands, size_t nb, const rp_db_wide *wide,
                          size_t nwide, const rp_hit *h, size_t nh, int64_t **cand, size_t *ncand)
{
    size_t *which = NULL, nwhich = 0;
    int64_t *more = NULL, *pivots = NULL;
    size_t nmore = 0;
    rp_err e = RP_OK;
    if (nwide == 0 || nh == 0) { /* no wide bucket, or no pivot verified */
        *ncand = 0;
        return RP_OK;
    }
    if (!(which = malloc(nwide * sizeof *which)) || !(pivots = malloc(nh * sizeof *pivots))) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < nh; i++)
        pivots[i] = h[i].rowid;
    qsort(pivots, nh, sizeof *pivots, cmp_i64);
    for (size_t i = 0; i < nwide; i++)
        if (bsearch(&wide[i].pivot, pivots, nh, sizeof *pivots, cmp_i64))
            which[nwhich++] = wide[i].band;
    if (nwhich == 0) {
        *ncand = 0;
        goto out;
    }
    if ((e = rp_db_bucket_members(db, bands, nb, which, nwhich, &more, &nmore))) goto out;
    if (nmore && (e = add_exact_copies(db, &more, &nmore))) goto out;
    /* less what was compared already (both sorted) */
    size_t w = 0, k = 0;
    for (size_t i = 0; i < nmore; i++) {
        while (k < *ncand && (*cand)[k] < more[i])
            k++;
        if (k < *ncand && (*cand)[k] == more[i]) continue;
        more[w++] = more[i];
    }
    free(*cand);
    *cand = more;
    *ncand = w;
    more = NULL;
out:
    free(which);
    free(pivots);
    free(more);
    return e;
}

rp_err rp_query_text(rp_db *db, const char *text, size_t len, double min_score, size_t top,
                     rp_hit **hits, size_t *n, char *err, size_t errsz)
{
    return rp_query_text_lang(db, text, len, NULL, min_score, top, hits, n, err, errsz);
}

rp_err rp_query_text_lang(rp_db *db, const char *text, size_t len, const char *lang,
                          double min_score, size_t top, rp_hit **hits, size_t *n, char *err,
                          size_t errsz)
{
    rp_params p;
    rp_err e;
    uint64_t *bands = NULL;
    int64_t *cand = NULL;
    size_t ncand = 0, nh = 0;
    rp_doc *q = NULL;
    rp_loader *ld = NULL;
    rp_hit *h = NULL;
    size_t hcap = 0, nwide = 0;
    rp_db_wide *wide = NULL;
    int snap = 0;

    *hits = NULL;
    *n = 0;
    if (err && errsz) err[0] = '\0';
    /* One read transaction for the whole query: a few hundred statements
     * then take SQLite's read lock once, not each its own. */
    if ((e = rp_db_read_begin(db, &snap))) goto dberr;
    if ((e = rp_params_load(db, &p))) goto dberr;
    if (min_score < 0) min_score = p.min_score;
    if (!(bands = malloc(rp_params_nbands(&p) * sizeof *bands))) {
        e = RP_NOMEM;
        goto out;
    }
    /* The text is read by its language's rules, as indexing reads it. */
    if (!lang) lang = rp_lang_detect(text, len);
    rp_scratch scr = {0};
    e = rp_features_bands_scratch(&p, &scr, text, len, lang, bands, NULL);
    rp_scratch_free(&scr);
    if (e) goto out;
    size_t nb = rp_params_nbands(&p);
    if ((e = rp_db_lookup(db, bands, nb, p.bucket_cap, rp_params_solo_from(&p), &cand, &ncand,
                          &wide, &nwide)))
        goto dberr;
    if (ncand == 0) goto out;
    if ((e = add_exact_copies(db, &cand, &ncand))) goto dberr;
    if ((e = rp_loaded_prepare(&p, text, len, lang, NULL, 0, &q))) goto out;
    if ((e = rp_loader_new(&ld, db, &p))) goto out;
    if (!(h = calloc(ncand, sizeof *h))) {
        e = RP_NOMEM;
        goto out;
    }
    hcap = ncand;
    if ((e = verify_all(&p, ld, q, cand, ncand, min_score, &h, &hcap, &nh))) goto pick;
    /* A wide bucket gave its pivot only, as clustering pairs its members
     * with the pivot: where the pivot is a copy, so may every member be
     * (near-identical syndicated copies). Their buckets are then read in
     * full and each member not yet compared is verified too. */
    if ((e = expand_wide(db, bands, nb, wide, nwide, h, nh, &cand, &ncand))) goto pick;
    if (ncand && (e = verify_all(&p, ld, q, cand, ncand, min_score, &h, &hcap, &nh))) goto pick;
pick:
    if (e == RP_NOMEM) goto out;
    if (e) goto dberr;
    qsort(h, nh, sizeof *h, cmp_hit);
    if (top && nh > top) {
        for (size_t i = top; i < nh; i++) {
            free(h[i].id);
            rp_match_clear(&h[i].m);
        }
        nh = top;
    }
    *hits = h;
    *n = nh;
    h = NULL;
    goto out;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
out:
    if (e && err && !err[0]) snprintf(err, errsz, "query failed: %s", rp_strerror(e));
    if (h) rp_hits_free(h, nh);
    rp_loader_free(ld);
    rp_doc_free(q);
    free(cand);
    free(wide);
    free(bands);
    rp_db_read_end(db, snap);
    return e;
}

rp_err rp_compare_texts(const char *a, size_t alen, const char *b, size_t blen, rp_match *out)
{
    return rp_compare_texts_lang(a, alen, b, blen, NULL, out);
}

rp_err rp_compare_texts_lang(const char *a, size_t alen, const char *b, size_t blen,
                             const char *lang, rp_match *out)
{
    rp_params p;
    rp_doc *da = NULL, *db = NULL;
    rp_params_text_default(&p);
    rp_err e = rp_loaded_prepare(&p, a, alen, lang, NULL, 0, &da);
    if (!e) e = rp_loaded_prepare(&p, b, blen, lang, NULL, 0, &db);
    if (!e) e = rp_verify_pair(da, db, out);
    rp_doc_free(da);
    rp_doc_free(db);
    return e;
}

rp_err rp_verify_stored(rp_db *db, int64_t a, int64_t b, rp_match *out, rp_article *ta,
                        rp_article *tb, char *err, size_t errsz)
{
    rp_params p;
    rp_loader *ld = NULL;
    rp_loaded la, lb;
    rp_doc *da = NULL, *dbd = NULL;
    rp_err e;
    memset(&la, 0, sizeof la);
    memset(&lb, 0, sizeof lb);
    if (err && errsz) err[0] = '\0';
    if ((e = rp_params_load(db, &p)) || (e = rp_loader_new(&ld, db, &p)) ||
        (e = rp_loader_get(ld, a, &la)) || (e = rp_loader_get(ld, b, &lb))) {
        if (err && e != RP_NOMEM) snprintf(err, errsz, "%s", rp_db_errmsg(db));
        goto out;
    }
    if ((e = rp_loaded_prepare(&p, la.a.text, la.a.text_len, la.a.lang, la.chrome, la.nchrome,
                               &da)) ||
        (e = rp_loaded_prepare(&p, lb.a.text, lb.a.text_len, lb.a.lang, lb.chrome, lb.nchrome,
                               &dbd)) ||
        (e = rp_verify_pair(da, dbd, out)))
        goto out;
    if (ta) {
        *ta = la.a;
        memset(&la.a, 0, sizeof la.a);
    }
    if (tb) {
        *tb = lb.a;
        memset(&lb.a, 0, sizeof lb.a);
    }
out:
    if (e && err && !err[0]) snprintf(err, errsz, "verification failed: %s", rp_strerror(e));
    rp_article_clear(&la.a);
    rp_article_clear(&lb.a);
    rp_doc_free(da);
    rp_doc_free(dbd);
    rp_loader_free(ld);
    return e;
}
