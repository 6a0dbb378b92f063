/*
 * scratch.c: per-thread working memory of preparation and verification.
 *
 * Clustering prepares tens of thousands of articles and compares hundreds
 * of thousands of pairs, each needing a dozen temporary arrays sized by its
 * texts. Allocated and freed per pair they cost malloc's bookkeeping and,
 * for the larger ones, fresh pages from the kernel every time. Instead each
 * thread keeps one set of buffers, grown to the largest need seen and
 * reused by every later call, so that in steady state a comparison
 * allocates nothing but its result. The buffers belong to the thread (as
 * the tokeniser's state does, shingle/tokenize.c) and are freed when it
 * ends; the library's calls stay thread-safe and need no context argument.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

static _Thread_local rp_vscratch *tls;
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_key_ok;

static void scratch_free(void *p)
{
    rp_vscratch *s = p;
    if (!s) return;
    if (tls == s) tls = NULL;
    for (int i = 0; i < RP_VS_COUNT; i++)
        free(s->b[i].p);
    rp_tokens_free(&s->toks);
    free(s);
}

static void tls_init(void)
{
    tls_key_ok = pthread_key_create(&tls_key, scratch_free) == 0;
}

rp_vscratch *rp_vscratch_get(void)
{
    if (tls) return tls;
    pthread_once(&tls_once, tls_init);
    rp_vscratch *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    if (tls_key_ok && pthread_setspecific(tls_key, s) != 0) {
        free(s);
        return NULL;
    }
    tls = s;
    return s;
}

void *rp_vbuf_get(rp_vscratch *s, int slot, size_t bytes)
{
    rp_vbuf *b = &s->b[slot];
    if (bytes <= b->cap) return b->p;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < bytes)
        cap = cap > SIZE_MAX / 2 ? bytes : cap * 2;
    void *p = realloc(b->p, cap);
    if (!p) return NULL;
    b->p = p;
    b->cap = cap;
    return p;
}

void rp_vscratch_trim(rp_vscratch *s)
{
    if (!s) return;
    for (int i = 0; i < RP_VS_COUNT; i++)
        if (s->b[i].cap > RP_VS_KEEP) {
            free(s->b[i].p);
            s->b[i].p = NULL;
            s->b[i].cap = 0;
        }
    if (s->toks.cap * sizeof *s->toks.v > RP_VS_KEEP) rp_tokens_free(&s->toks);
}

/* Sorting hash sets of one text: a few hundred uniform 64-bit values, where
 * eight radix passes over 256 counters cost more than the values. One pass
 * distributes them by the top byte; buckets (a handful of values each) take
 * an insertion sort, a bucket of many equal or near values a radix sort on
 * the other bytes, so that no input makes it quadratic. */
#define SORT_RUN 32

static void insertion_u64(uint64_t *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* LSD radix sort by the low 7 bytes; tmp holds n values. */
static void lsd_u64(uint64_t *v, uint64_t *tmp, size_t n)
{
    size_t cnt[7][256];
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
        for (int d = 0; d < 7; d++)
            cnt[d][(v[i] >> (8 * d)) & 255]++;
    uint64_t *src = v, *dst = tmp;
    for (int d = 0; d < 7; d++) {
        size_t *c = cnt[d];
        unsigned sh = 8 * (unsigned)d;
        if (c[(src[0] >> sh) & 255] == n) continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i] >> sh) & 255]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

void rp_vsort_u64(uint64_t *v, uint64_t *tmp, size_t n)
{
    if (n <= SORT_RUN) {
        insertion_u64(v, n);
        return;
    }
    size_t start[257] = {0};
    for (size_t i = 0; i < n; i++)
        start[(v[i] >> 56) + 1]++;
    for (int b = 0; b < 256; b++)
        start[b + 1] += start[b];
    size_t fill[256];
    memcpy(fill, start, sizeof fill);
    for (size_t i = 0; i < n; i++)
        tmp[fill[v[i] >> 56]++] = v[i];
    for (int b = 0; b < 256; b++) {
        size_t lo = start[b], m = start[b + 1] - lo;
        if (m <= SORT_RUN)
            insertion_u64(tmp + lo, m);
        else
            lsd_u64(tmp + lo, v + lo, m);
    }
    memcpy(v, tmp, n * sizeof *v);
}
