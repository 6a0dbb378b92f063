/*
 * fuzz_verify.c: libFuzzer target for pair verification.
 *
 * The input is two texts separated by the first NUL byte (or cut in half
 * when there is none), repaired as the readers would. Both go through the
 * verify document and rp_verify_pair, word anchors and the sentence-level
 * pass alike, in both argument orders. Checked: scores and coverages lie in
 * [0, 1]; the score does not depend on the argument order; every passage
 * lies inside both texts with its start before its end.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const rp_match *m, size_t alen, size_t blen)
{
    if (!(m->score >= 0 && m->score <= 1)) abort();
    if (!(m->jaccard >= 0 && m->jaccard <= 1)) abort();
    if (!(m->coverage_a >= 0 && m->coverage_a <= 1)) abort();
    if (!(m->coverage_b >= 0 && m->coverage_b <= 1)) abort();
    for (size_t k = 0; k < m->npassages; k++) {
        const rp_passage *p = &m->passages[k];
        if (p->a_start >= p->a_end || p->a_end > alen) abort();
        if (p->b_start >= p->b_end || p->b_end > blen) abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t cut = nul ? (size_t)(nul - data) : size / 2;
    size_t rest = nul ? cut + 1 : cut;
    rp_buf a = {0}, b = {0};
    rp_doc *da = NULL, *db = NULL;
    rp_match m = {0}, r = {0};
    size_t fixed;
    if (rp_utf8_repair((const char *)data, cut, &a, &fixed) != RP_OK) goto out;
    if (rp_utf8_repair((const char *)data + rest, size - rest, &b, &fixed) != RP_OK) goto out;
    if (rp_doc_new(&da, a.data, a.len, NULL) != RP_OK) goto out;
    if (rp_doc_new(&db, b.data, b.len, NULL) != RP_OK) goto out;
    if (rp_verify_pair(da, db, &m) != RP_OK) goto out;
    if (rp_verify_pair(db, da, &r) != RP_OK) abort();
    check(&m, a.len, b.len);
    check(&r, b.len, a.len);
    if (fabs(m.score - r.score) > 1e-9) abort();
out:
    rp_match_clear(&m);
    rp_match_clear(&r);
    rp_doc_free(da);
    rp_doc_free(db);
    rp_buf_free(&a);
    rp_buf_free(&b);
    return 0;
}
