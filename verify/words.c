/*
 * words.c: which words of one passage the other side kept, changed or added.
 *
 * A passage says "these two stretches are the same text"; a reader who has
 * to judge a reworded passage wants to see the edits. The two stretches are
 * tokenised like everything else (normalised form, so case and typographic
 * quotes do not count as edits) and aligned word by word by their longest
 * common subsequence: words on it are KEPT; between two kept words, a run
 * present on both sides was CHANGED (replaced), a run present on one side
 * only was ADDED there (inserted by the copy, or left out of it when seen
 * from the original). Verbatim passages cost almost nothing: the common
 * prefix and suffix are peeled off before the quadratic table, which is
 * only built for middles of up to MAX_CELLS cells; a longer middle falls
 * back to "kept if the word occurs in the other middle at all", which is
 * right for the shared words and conservative for the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

#define MAX_CELLS (4u << 20)

static int hash_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static int in_sorted(const uint64_t *v, size_t n, uint64_t h)
{
    return bsearch(&h, v, n, sizeof *v, hash_cmp) != NULL;
}

/* Fill ka[i] / kb[j] (1 = kept) for the middles a[0..n), b[0..m). */
static rp_err align_middle(const rp_token *a, size_t n, const rp_token *b, size_t m,
                           unsigned char *ka, unsigned char *kb)
{
    if (!n || !m) return RP_OK;
    if ((size_t)(n + 1) * (m + 1) > MAX_CELLS) {
        uint64_t *ha = malloc(n * sizeof *ha), *hb = malloc(m * sizeof *hb);
        if (!ha || !hb) {
            free(ha);
            free(hb);
            return RP_NOMEM;
        }
        for (size_t i = 0; i < n; i++)
            ha[i] = a[i].hash;
        for (size_t j = 0; j < m; j++)
            hb[j] = b[j].hash;
        qsort(ha, n, sizeof *ha, hash_cmp);
        qsort(hb, m, sizeof *hb, hash_cmp);
        for (size_t i = 0; i < n; i++)
            ka[i] = in_sorted(hb, m, a[i].hash);
        for (size_t j = 0; j < m; j++)
            kb[j] = in_sorted(ha, n, b[j].hash);
        free(ha);
        free(hb);
        return RP_OK;
    }
    /* L[i][j]: LCS length of a[i..n) and b[j..m); walked forwards after. */
    uint32_t *L = calloc((n + 1) * (m + 1), sizeof *L);
    if (!L) return RP_NOMEM;
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i * (m + 1) + j] =
                a[i].hash == b[j].hash
                    ? L[(i + 1) * (m + 1) + j + 1] + 1
                    : (L[(i + 1) * (m + 1) + j] > L[i * (m + 1) + j + 1] ? L[(i + 1) * (m + 1) + j]
                                                                         : L[i * (m + 1) + j + 1]);
    size_t i = 0, j = 0;
    while (i < n && j < m) {
        if (a[i].hash == b[j].hash) {
            ka[i++] = 1;
            kb[j++] = 1;
        } else if (L[(i + 1) * (m + 1) + j] >= L[i * (m + 1) + j + 1]) {
            i++;
        } else {
            j++;
        }
    }
    free(L);
    return RP_OK;
}

/* Runs of tokens into marks: kept runs, and runs of unkept words that are
 * CHANGED when the other side has unkept words between the same two kept
 * words (gap_other), else ADDED. */
static rp_err emit(const rp_tokens *t, const unsigned char *kept, const size_t *gap_other,
                   rp_word_mark **out, size_t *nout)
{
    size_t cap = 0, n = 0;
    rp_word_mark *v = NULL;
    size_t gap = 0; /* index of the gap between kept words we are in */
    for (size_t i = 0; i < t->n;) {
        size_t j = i;
        int k = kept[i];
        while (j < t->n && kept[j] == k)
            j++;
        int kind = k ? RP_WORD_KEPT : gap_other[gap] ? RP_WORD_CHANGED : RP_WORD_ADDED;
        if (k) gap += j - i;
        if (rp_grow(&v, &cap, n + 1, sizeof *v)) {
            free(v);
            return RP_NOMEM;
        }
        v[n++] = (rp_word_mark){t->v[i].start, t->v[j - 1].end, kind};
        i = j;
    }
    *out = v;
    *nout = n;
    return RP_OK;
}

/* For each gap g (0 = before the first kept word, g = after the g-th kept
 * word), how many unkept tokens the side has there. */
static size_t *gaps(const unsigned char *kept, size_t n, size_t nkept)
{
    size_t *g = calloc(nkept + 1, sizeof *g), at = 0;
    if (!g) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (kept[i])
            at++;
        else
            g[at]++;
    }
    return g;
}

rp_err rp_verify_words(const char *a, size_t alen, const char *b, size_t blen, rp_word_mark **ma,
                       size_t *na, rp_word_mark **mb, size_t *nb)
{
    if (!ma || !na || !mb || !nb || (!a && alen) || (!b && blen)) return RP_ARG;
    *ma = *mb = NULL;
    *na = *nb = 0;
    rp_tokens ta = {0}, tb = {0};
    unsigned char *ka = NULL, *kb = NULL;
    size_t *ga = NULL, *gb = NULL;
    rp_err e;
    if ((e = rp_shingle_tokenize(a, alen, &ta, 0)) || (e = rp_shingle_tokenize(b, blen, &tb, 0)))
        goto out;
    ka = calloc(ta.n + 1, 1);
    kb = calloc(tb.n + 1, 1);
    if (!ka || !kb) {
        e = RP_NOMEM;
        goto out;
    }
    size_t p = 0, s = 0;
    while (p < ta.n && p < tb.n && ta.v[p].hash == tb.v[p].hash) {
        ka[p] = kb[p] = 1;
        p++;
    }
    while (s < ta.n - p && s < tb.n - p && ta.v[ta.n - 1 - s].hash == tb.v[tb.n - 1 - s].hash) {
        ka[ta.n - 1 - s] = kb[tb.n - 1 - s] = 1;
        s++;
    }
    if ((e = align_middle(ta.v + p, ta.n - p - s, tb.v + p, tb.n - p - s, ka + p, kb + p)))
        goto out;
    /* The fallback may keep different numbers of words on each side; gaps
     * are then counted on the shorter list of kept words. */
    size_t kna = 0, knb = 0;
    for (size_t i = 0; i < ta.n; i++)
        kna += ka[i];
    for (size_t j = 0; j < tb.n; j++)
        knb += kb[j];
    size_t kmax = kna > knb ? kna : knb;
    ga = gaps(ka, ta.n, kmax);
    gb = gaps(kb, tb.n, kmax);
    if (!ga || !gb) {
        e = RP_NOMEM;
        goto out;
    }
    if ((e = emit(&ta, ka, gb, ma, na)) || (e = emit(&tb, kb, ga, mb, nb))) goto out;
out:
    if (e) {
        free(*ma);
        free(*mb);
        *ma = *mb = NULL;
        *na = *nb = 0;
    }
    rp_tokens_free(&ta);
    rp_tokens_free(&tb);
    free(ka);
    free(kb);
    free(ga);
    free(gb);
    return e;
}
