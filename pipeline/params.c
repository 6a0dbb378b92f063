/*
 * params.c: index-wide parameters.
 *
 * Signing and verification must agree between the run that built an index
 * and every later run, so the parameters are fixed when a database is
 * created and stored in its meta table; later runs read them back. The
 * LSH bands and rows are chosen from a target Jaccard per shingle family by
 * rp_lsh_choose (minimising the weighted false-positive and false-negative
 * areas of the S-curve), weighted towards recall: a missed candidate is a
 * missed copy, while an extra candidate costs one verification.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

/* Target Jaccard per family, and the recall weighting. Word 3-shingles of
 * a copy with 20% of its words replaced keep about 0.8^3 = 51% of their
 * shingles (Jaccard ~0.35); stems of content words in pairs survive
 * rewriting better, so that family carries the hard copies. Its target 0.17
 * gives 64 bands of 2 rows, all 128 slots (0.20 gave 50 x 2): on `make
 * eval`'s built-in hard copies, candidate recall 0.969 -> 0.980 (hard40
 * 0.938 -> 0.961) for 3% more candidates per article; on Reuters-21578,
 * 17% more candidate pairs, 15% more band rows and index 6% slower. */
#ifndef WORDS_TARGET
#define WORDS_TARGET 0.30
#endif
#ifndef STEMS_TARGET
#define STEMS_TARGET 0.17
#endif
/* The anchor sketch: whole-text MinHash estimates Jaccard, which a copy
 * embedded in a long page or a short excerpt of a long story does not
 * have; what they have is many shared shingles. One stem shingle in
 * ANCHOR_RATE is sampled by its hash (the same ones in every text) into
 * ANCHOR_SLOTS slots, and two articles meeting in two slots are a
 * candidate, whatever else either text holds. 96 slots rather than 48:
 * a long page's slot keeps the least of its samples, and the fewer samples
 * share a slot the likelier a short excerpt's shared one is that least
 * (chosen on the odd events of both English real-page sets: copies that
 * scored at or above the threshold and were not candidates 2 -> 1 of 79 and
 * 0 -> 0; held out, the even events: 1 -> 1 of 102 and 2 -> 0 of 45, a
 * 0.70 copy of 59 words among them; Reuters-21578 candidates +9%). A denser
 * sample (1 in 2) found the last one too, for 30-60% more candidates. */
#ifndef ANCHOR_SLOTS
#define ANCHOR_SLOTS 96
#endif
#ifndef ANCHOR_RATE
#define ANCHOR_RATE 4
#endif
#define FP_WEIGHT 1.0
#define FN_WEIGHT 3.0
#define DEFAULT_BUCKET_CAP 200

/* Everything but the LSH bands: constants. */
static void base_defaults(rp_params *p)
{
    memset(p, 0, sizeof *p);
    p->k = RP_DEFAULT_K;
    p->shingle_k = RP_DEFAULT_SHINGLE_K;
    p->stem_k = RP_DEFAULT_STEM_K;
    p->bucket_cap = DEFAULT_BUCKET_CAP;
    p->min_score = RP_DEFAULT_MIN_SCORE;
    p->anchor_slots = ANCHOR_SLOTS;
    p->anchor_rate = ANCHOR_RATE;
}

/* Choosing bands integrates every (b, r) pair's S-curve with pow(): some
 * 15 ms, more than a whole query against a stored index. So it is done
 * once per process, and only when needed: for a new index, or an old one
 * that lacks a stored value. An index's stored parameters are read, never
 * recomputed. */
static rp_params defaults;
static pthread_once_t defaults_once = PTHREAD_ONCE_INIT;

static void compute_defaults(void)
{
    rp_params *p = &defaults;
    base_defaults(p);
    rp_lsh_choose(WORDS_TARGET, p->k, FP_WEIGHT, FN_WEIGHT, &p->lsh[RP_FAM_WORDS]);
    rp_lsh_choose(STEMS_TARGET, p->k, FP_WEIGHT, FN_WEIGHT, &p->lsh[RP_FAM_STEMS]);
}

void rp_params_default(rp_params *p)
{
    pthread_once(&defaults_once, compute_defaults);
    *p = defaults;
}

void rp_params_text_default(rp_params *p)
{
    base_defaults(p);
}

static const char *const fam_names[RP_FAM_COUNT_] = {"words", "stems"};

static rp_err get_num(rp_db *db, const char *key, double *v, int *found)
{
    char *s = NULL;
    rp_err e = rp_db_meta_get(db, key, &s);
    if (e == RP_NOTFOUND) return RP_OK;
    if (e) return e;
    char *end;
    double d = strtod(s, &end);
    if (end == s) {
        free(s);
        return RP_SCHEMA;
    }
    free(s);
    *v = d;
    (*found)++;
    return RP_OK;
}

static rp_err set_num(rp_db *db, const char *key, double v)
{
    char s[64];
    snprintf(s, sizeof s, "%.17g", v);
    return rp_db_meta_set(db, key, s);
}

/* Write every parameter of p into db's meta table. */
static rp_err store_params(rp_db *db, const rp_params *p)
{
    char key[64];
    rp_err e;
    if ((e = set_num(db, "k", (double)p->k)) ||
        (e = set_num(db, "anchor_slots", (double)p->anchor_slots)) ||
        (e = set_num(db, "anchor_rate", (double)p->anchor_rate)) ||
        (e = set_num(db, "shingle_k", (double)p->shingle_k)) ||
        (e = set_num(db, "stem_k", (double)p->stem_k)) ||
        (e = set_num(db, "bucket_cap", (double)p->bucket_cap)) ||
        (e = set_num(db, "min_score", p->min_score)))
        return e;
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        snprintf(key, sizeof key, "lsh_%s_bands", fam_names[f]);
        if ((e = set_num(db, key, p->lsh[f].bands))) return e;
        snprintf(key, sizeof key, "lsh_%s_rows", fam_names[f]);
        if ((e = set_num(db, key, p->lsh[f].rows))) return e;
        snprintf(key, sizeof key, "lsh_%s_threshold", fam_names[f]);
        if ((e = set_num(db, key, p->lsh[f].threshold))) return e;
    }
    return RP_OK;
}

enum { NVALUES = 5 + 3 * RP_FAM_COUNT_ };

/* The stored values into v (missing ones left as they are); *found counts
 * those found. */
static rp_err get_all(rp_db *db, double *v, int *found)
{
    static const char *const keys[5] = {"k", "shingle_k", "stem_k", "bucket_cap", "min_score"};
    static const char *const parts[3] = {"bands", "rows", "threshold"};
    char key[64];
    rp_err e;
    for (int i = 0; i < 5; i++)
        if ((e = get_num(db, keys[i], &v[i], found))) return e;
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        for (int i = 0; i < 3; i++) {
            snprintf(key, sizeof key, "lsh_%s_%s", fam_names[f], parts[i]);
            if ((e = get_num(db, key, &v[5 + 3 * f + i], found))) return e;
        }
    return RP_OK;
}

static void put_values(const rp_params *d, double *v)
{
    v[0] = (double)d->k, v[1] = (double)d->shingle_k, v[2] = (double)d->stem_k;
    v[3] = (double)d->bucket_cap, v[4] = d->min_score;
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        double *w = &v[5 + 3 * f];
        w[0] = d->lsh[f].bands, w[1] = d->lsh[f].rows, w[2] = d->lsh[f].threshold;
    }
}

rp_err rp_params_load(rp_db *db, rp_params *p)
{
    rp_params d;
    double v[NVALUES];
    int found = 0;
    rp_err e;
    /* Read first; the defaults (and their LSH choice) only fill gaps. */
    base_defaults(&d);
    put_values(&d, v);
    if ((e = get_all(db, v, &found))) return e;
    if (found < NVALUES) {
        rp_params_default(&d);
        put_values(&d, v);
        found = 0;
        if ((e = get_all(db, v, &found))) return e;
    }
    /* An index made before the anchor sketch has none: its stored bands
     * must keep their width. */
    double anchors[2] = {0, 0};
    int afound = 0;
    if ((e = get_num(db, "anchor_slots", &anchors[0], &afound)) ||
        (e = get_num(db, "anchor_rate", &anchors[1], &afound)))
        return e;
    if (found == 0) {
        /* A new index: store the defaults. */
        *p = d;
        return store_params(db, p);
    }
    p->k = (size_t)v[0], p->shingle_k = (size_t)v[1], p->stem_k = (size_t)v[2];
    p->bucket_cap = (size_t)v[3], p->min_score = v[4];
    p->anchor_slots = afound == 2 ? (size_t)anchors[0] : 0;
    p->anchor_rate = afound == 2 ? (size_t)anchors[1] : 0;
    if (p->anchor_slots > 4096 || (p->anchor_slots && p->anchor_rate == 0)) return RP_SCHEMA;
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        p->lsh[f].bands = (unsigned)v[5 + 3 * f];
        p->lsh[f].rows = (unsigned)v[6 + 3 * f];
        p->lsh[f].threshold = v[7 + 3 * f];
    }
    if (p->k == 0 || p->k > 4096 || p->shingle_k == 0 || p->shingle_k > 16 || p->stem_k == 0 ||
        p->stem_k > 16)
        return RP_SCHEMA;
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        if (p->lsh[f].bands == 0 || p->lsh[f].rows == 0 ||
            (size_t)p->lsh[f].bands * p->lsh[f].rows > p->k)
            return RP_SCHEMA;
    return RP_OK;
}

size_t rp_params_nbands(const rp_params *p)
{
    size_t n = 0;
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        n += p->lsh[f].bands;
    return n + p->anchor_slots;
}

size_t rp_params_solo_from(const rp_params *p)
{
    return rp_params_nbands(p) - p->anchor_slots;
}

rp_err rp_params_make(rp_params *p, size_t shingle_k, size_t k, double min_score, char *err,
                      size_t errsz)
{
    rp_params_default(p);
    if (err && errsz) err[0] = '\0';
    if (shingle_k && (shingle_k < RP_PARAMS_MIN_SHINGLE || shingle_k > RP_PARAMS_MAX_SHINGLE)) {
        if (err)
            snprintf(err, errsz, "shingle size %zu is outside %d..%d words", shingle_k,
                     RP_PARAMS_MIN_SHINGLE, RP_PARAMS_MAX_SHINGLE);
        return RP_ARG;
    }
    if (k && (k < RP_PARAMS_MIN_K || k > RP_PARAMS_MAX_K)) {
        if (err)
            snprintf(err, errsz, "permutations %zu is outside %d..%d", k, RP_PARAMS_MIN_K,
                     RP_PARAMS_MAX_K);
        return RP_ARG;
    }
    if (min_score >= 0 && !(min_score > 0 && min_score <= 1)) {
        if (err) snprintf(err, errsz, "threshold %g is outside (0, 1]", min_score);
        return RP_ARG;
    }
    if (shingle_k) p->shingle_k = shingle_k;
    if (min_score >= 0) p->min_score = min_score;
    if (k && k != p->k) {
        /* the bands are chosen anew for the same targets and weights */
        p->k = k;
        rp_err e;
        if ((e = rp_lsh_choose(WORDS_TARGET, k, FP_WEIGHT, FN_WEIGHT, &p->lsh[RP_FAM_WORDS])) ||
            (e = rp_lsh_choose(STEMS_TARGET, k, FP_WEIGHT, FN_WEIGHT, &p->lsh[RP_FAM_STEMS]))) {
            if (err) snprintf(err, errsz, "no LSH banding for %zu permutations", k);
            return e;
        }
    }
    return RP_OK;
}

/* Whether anything was ever stored: an index's parameters are written with
 * its first article's run, or by rp_params_init. */
static rp_err has_params(rp_db *db, int *yes)
{
    char *s = NULL;
    rp_err e = rp_db_meta_get(db, "k", &s);
    free(s);
    *yes = e == RP_OK;
    return e == RP_NOTFOUND ? RP_OK : e;
}

rp_err rp_params_init(rp_db *db, size_t shingle_k, size_t k, double min_score, rp_params *out,
                      char *err, size_t errsz)
{
    int stored;
    rp_params want, have;
    rp_err e;
    if (err && errsz) err[0] = '\0';
    if ((e = rp_params_make(&want, shingle_k, k, min_score, err, errsz))) return e;
    if ((e = has_params(db, &stored))) goto dberr;
    if (!stored) {
        if ((e = store_params(db, &want))) goto dberr;
        if (out) *out = want;
        return RP_OK;
    }
    if ((e = rp_params_load(db, &have))) goto dberr;
    if (out) *out = have;
    const char *what = NULL;
    char a[32] = "", b[32] = "";
    if (shingle_k && have.shingle_k != shingle_k) {
        what = "shingle size";
        snprintf(a, sizeof a, "%zu", have.shingle_k), snprintf(b, sizeof b, "%zu", shingle_k);
    } else if (k && have.k != k) {
        what = "permutations";
        snprintf(a, sizeof a, "%zu", have.k), snprintf(b, sizeof b, "%zu", k);
    } else if (min_score >= 0 && have.min_score != min_score) {
        what = "threshold";
        snprintf(a, sizeof a, "%g", have.min_score), snprintf(b, sizeof b, "%g", min_score);
    }
    if (!what) return RP_OK;
    if (err)
        snprintf(err, errsz,
                 "%s: made with %s %s, not %s (an index keeps the parameters it was made with)",
                 rp_db_path(db) ? rp_db_path(db) : "database", what, a, b);
    return RP_ARG;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
    return e;
}
