/*
 * shingle.c: k-shingle hashes of a token stream, shingle sets, overlap.
 *
 * A shingle is k consecutive usable tokens of one family: for RP_FAM_WORDS
 * every non-chrome token's normalised-form hash, for RP_FAM_STEMS the stem
 * hashes of non-chrome, non-stopword tokens. Its hash is
 * XXH3_64bits_withSeed over the k token hashes laid out as little-endian
 * 64-bit words, seeded with the family number (0 for words, so a word
 * shingle is plain XXH3_64bits of its token hashes); the families never
 * collide by construction and the value does not depend on the machine.
 * The usable token hashes are first gathered into the output array itself
 * and each shingle overwrites the first of the k values it read, so no
 * scratch memory is needed.
 *
 * Sets are sorted with an LSD radix sort (8 passes of 8 bits, histograms
 * built in one read, passes whose digit is constant skipped), falling back
 * to insertion sort for tiny inputs and to qsort if the scratch buffer
 * cannot be allocated; then duplicates are squeezed out.
 */
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "reprint.h"

static inline uint64_t to_le(uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    return __builtin_bswap64(v);
#else
    return v;
#endif
}

rp_err rp_shingle_hashes(const rp_tokens *t, rp_family fam, size_t k, uint64_t *out, uint32_t *pos,
                         size_t *n_out)
{
    if (!t || !n_out || k == 0 || (unsigned)fam >= RP_FAM_COUNT_ || (t->n && !out)) return RP_ARG;
    *n_out = 0;
    uint32_t skip = fam == RP_FAM_STEMS ? (RP_TOK_CHROME | RP_TOK_STOP) : RP_TOK_CHROME;
    size_t m = 0;
    for (size_t i = 0; i < t->n; i++) {
        const rp_token *tok = &t->v[i];
        if (tok->flags & skip) continue;
        out[m] = to_le(fam == RP_FAM_STEMS ? tok->stem : tok->hash);
        if (pos) pos[m] = (uint32_t)i;
        m++;
    }
    if (m == 0) return RP_OK;
    uint64_t seed = (uint64_t)fam;
    if (m < k) {
        out[0] = XXH3_64bits_withSeed(out, m * sizeof *out, seed);
        *n_out = 1;
        return RP_OK;
    }
    size_t ns = m - k + 1;
    for (size_t i = 0; i < ns; i++)
        out[i] = XXH3_64bits_withSeed(out + i, k * sizeof *out, seed);
    *n_out = ns;
    return RP_OK;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

size_t rp_shingle_set(uint64_t *h, size_t n)
{
    if (!h || n == 0) return 0;
    if (rp_sort_u64(h, n) != RP_OK) qsort(h, n, sizeof *h, cmp_u64);
    size_t m = 1;
    for (size_t i = 1; i < n; i++)
        if (h[i] != h[m - 1]) h[m++] = h[i];
    return m;
}

size_t rp_shingle_intersect(const uint64_t *a, size_t na, const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, c = 0;
    if (!a || !b) return 0;
    /* Which side is behind is a coin toss for hash sets: step without a
     * branch to mispredict. */
    while (i < na && j < nb) {
        uint64_t x = a[i], y = b[j];
        i += x <= y;
        j += y <= x;
        c += x == y;
    }
    return c;
}
