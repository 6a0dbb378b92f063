/*
 * sort.c: sorting arrays of 64-bit values (hashes, row ids).
 *
 * Hash sets and candidate lists are sorted millions of times, so this is an
 * LSD radix sort, one byte per pass, where qsort's comparison calls would
 * dominate. A pass over a byte that every value shares changes nothing and
 * is skipped (row ids rarely fill more than three bytes); short arrays take
 * an insertion sort, cheaper than eight counting passes.
 */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

#define INSERTION_MAX 64

rp_err rp_sort_u64(uint64_t *v, size_t n)
{
    if (n < INSERTION_MAX) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            while (j > 0 && v[j - 1] > x) {
                v[j] = v[j - 1];
                j--;
            }
            v[j] = x;
        }
        return RP_OK;
    }
    uint64_t *tmp = malloc(n * sizeof *tmp);
    if (!tmp) return RP_NOMEM;
    size_t count[8][256];
    memset(count, 0, sizeof count);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 8; d++)
            count[d][(v[i] >> (8 * d)) & 0xFF]++;
    uint64_t *src = v, *dst = tmp;
    for (int d = 0; d < 8; d++) {
        size_t *c = count[d];
        if (c[(src[0] >> (8 * d)) & 0xFF] == n) continue; /* a byte all values share */
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t x = c[b];
            c[b] = sum;
            sum += x;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> (8 * d)) & 0xFF]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
    free(tmp);
    return RP_OK;
}

rp_err rp_sort_unique_u64(uint64_t *v, size_t *n)
{
    rp_err e = rp_sort_u64(v, *n);
    if (e || *n < 2) return e;
    size_t w = 1;
    for (size_t i = 1; i < *n; i++)
        if (v[i] != v[w - 1]) v[w++] = v[i];
    *n = w;
    return RP_OK;
}
