/*
 * doc.c: an article prepared for verification.
 *
 * Preparing an article is done once and comparing it many times, so
 * everything a comparison needs is built here: tokens with chrome and quote
 * flags, the exact word-shingle set (for Jaccard and containment, the same
 * shingles as shingle/ gives MinHash), and the aligner's seed index.
 *
 * Seeds are of three kinds, so that a copy whose words were swapped for
 * synonyms or re-inflected still shares anchors with its original: word
 * k-shingles (exact runs), pairs of consecutive content-word stems (survive
 * inflection and changed function words) and single content-word stems
 * (fill the gaps between the others). Each seed knows the words it spans.
 *
 * Words are also marked as names or numbers: two reports of the same event
 * share its names, dates and figures without either copying the other, so
 * the aligner does not count such words as evidence of copying. A name is a
 * capitalised word inside a sentence; the first word of a sentence is a name
 * only when the text also capitalises it inside a sentence. Texts that
 * capitalise most words inside sentences (German nouns, title case) have no
 * names in this sense, and scripts without case have none at all.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "reprint.h"
#include "verify/verify.h"

/* A 64-bit finaliser (the splitmix64 constants) to combine token hashes. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

/* Stable insertion sort of seeds by hash, for short runs. */
static void insertion_sort_seeds(rp_seed *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        rp_seed x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].hash > x.hash; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Stable least-significant-digit radix sort of seeds by the low `bytes`
 * bytes of their hash, a byte per pass, skipping bytes all hashes share;
 * tmp holds n seeds. */
static void lsd_sort_seeds(rp_seed *v, rp_seed *tmp, size_t n, int bytes)
{
    size_t cnt[8][256];
    memset(cnt, 0, (size_t)bytes * sizeof cnt[0]);
    for (size_t i = 0; i < n; i++) {
        uint64_t h = v[i].hash;
        for (int d = 0; d < bytes; d++)
            cnt[d][(h >> (8 * d)) & 255]++;
    }
    rp_seed *src = v, *dst = tmp;
    for (int d = 0; d < bytes; d++) {
        size_t *c = cnt[d];
        unsigned sh = 8 * (unsigned)d;
        if (c[(src[0].hash >> sh) & 255] == n) continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(src[i].hash >> sh) & 255]++] = src[i];
        rp_seed *t = src;
        src = dst;
        dst = t;
    }
    if (src != v) memcpy(v, src, n * sizeof *v);
}

/* Sort seeds by hash, stably: given seeds in word order, the result is
 * ordered by (hash, pos). One stable pass distributes them by the top byte
 * of the hash; each bucket is then sorted by an insertion sort when short
 * (hashes are uniform, so nearly all are) or else by a radix sort on the
 * other seven bytes, so that many equal or near hashes cannot make it
 * quadratic. Every step is stable, so the order is exactly that of any
 * stable sort by (hash, pos). tmp holds n seeds. */
#define SEED_RUN 32
static void sort_seeds(rp_seed *v, rp_seed *tmp, size_t n)
{
    if (n <= SEED_RUN) {
        insertion_sort_seeds(v, n);
        return;
    }
    size_t start[257] = {0};
    for (size_t i = 0; i < n; i++)
        start[(v[i].hash >> 56) + 1]++;
    for (int b = 0; b < 256; b++)
        start[b + 1] += start[b];
    size_t fill[256];
    memcpy(fill, start, sizeof fill);
    for (size_t i = 0; i < n; i++)
        tmp[fill[v[i].hash >> 56]++] = v[i];
    for (int b = 0; b < 256; b++) {
        size_t lo = start[b], m = start[b + 1] - lo;
        if (m <= SEED_RUN)
            insertion_sort_seeds(tmp + lo, m);
        else
            lsd_sort_seeds(tmp + lo, v + lo, m, 7);
    }
    memcpy(v, tmp, n * sizeof *v);
}

static void mark_chrome(rp_tokens *t, const uint32_t *chrome, size_t nchrome)
{
    size_t j = 0;
    for (size_t k = 0; k < t->n; k++) {
        uint32_t at = t->v[k].start;
        while (j < nchrome && chrome[2 * j + 1] <= at)
            j++;
        if (j < nchrome && chrome[2 * j] <= at)
            t->v[k].flags |= RP_TOK_CHROME;
        else
            t->v[k].flags &= ~(uint32_t)RP_TOK_CHROME;
    }
}

/* Capital share of inside-sentence content words above which a text is not
 * using capitals for names. */
#define NAME_SHARE_MAX 0.55

static int is_upper_at(const char *s, size_t len, size_t at)
{
    unsigned char c = (unsigned char)s[at];
    if (c < 0x80) return c >= 'A' && c <= 'Z';
    utf8proc_int32_t cp;
    utf8proc_ssize_t k =
        utf8proc_iterate((const utf8proc_uint8_t *)s + at, (utf8proc_ssize_t)(len - at), &cp);
    if (k <= 0) return 0;
    utf8proc_category_t cat = utf8proc_category(cp);
    return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* Does the token at byte `at` open a sentence? Looks back over spaces,
 * quotation marks and brackets for the end of the previous one. */
static int sentence_start(const char *s, size_t at)
{
    while (at > 0) {
        unsigned char c = (unsigned char)s[at - 1];
        if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '\r') return 1;
        if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == '[' || c >= 0x80) {
            at--;
            continue;
        }
        return 0;
    }
    return 1;
}

static int hash_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* Mark names and numbers (wname); needs wtok and whash. */
static rp_err mark_names(rp_doc *d)
{
    const rp_tokens *t = &d->toks;
    size_t n = d->nw, ninside = 0, ncap = 0;
    uint8_t *start = malloc(n ? n : 1);
    uint64_t *caps = malloc((n ? n : 1) * sizeof *caps);
    if (!start || !caps) {
        free(start);
        free(caps);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        const rp_token *tk = &t->v[d->wtok[i]];
        unsigned char c = (unsigned char)d->text[tk->start];
        d->wname[i] = c >= '0' && c <= '9';
        start[i] = (uint8_t)sentence_start(d->text, tk->start);
        if (d->wname[i] || start[i] || (tk->flags & RP_TOK_STOP)) continue;
        ninside++;
        if (is_upper_at(d->text, d->len, tk->start)) {
            d->wname[i] = 1;
            caps[ncap++] = d->whash[i];
        }
    }
    if (ncap > NAME_SHARE_MAX * (double)ninside) {
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)d->text[t->v[d->wtok[i]].start];
            d->wname[i] = c >= '0' && c <= '9';
        }
    } else if (ncap) {
        qsort(caps, ncap, sizeof *caps, hash_cmp);
        for (size_t i = 0; i < n; i++)
            if (start[i] && !d->wname[i] &&
                bsearch(&d->whash[i], caps, ncap, sizeof *caps, hash_cmp))
                d->wname[i] = 1;
    }
    d->wsent = start;
    free(caps);
    return RP_OK;
}

static rp_err build_words(rp_doc *d)
{
    const rp_tokens *t = &d->toks;
    size_t n = 0;
    for (size_t k = 0; k < t->n; k++)
        if (!(t->v[k].flags & RP_TOK_CHROME)) n++;
    d->nw = n;
    size_t m = n ? n : 1;
    d->wtok = malloc(m * sizeof *d->wtok);
    d->wquoted = malloc(m);
    d->whash = malloc(m * sizeof *d->whash);
    d->wstem = malloc(m * sizeof *d->wstem);
    d->wname = malloc(m);
    if (!d->wtok || !d->wquoted || !d->whash || !d->wstem || !d->wname) return RP_NOMEM;
    size_t i = 0;
    d->unquoted = 0;
    for (size_t k = 0; k < t->n; k++) {
        const rp_token *tk = &t->v[k];
        if (tk->flags & RP_TOK_CHROME) continue;
        d->wtok[i] = (uint32_t)k;
        d->wquoted[i] = (tk->flags & RP_TOK_QUOTED) != 0;
        d->whash[i] = tk->hash;
        d->wstem[i] = (tk->flags & RP_TOK_STOP) ? 0 : (tk->stem ? tk->stem : 1);
        i++;
    }
    for (i = 0; i < n; i++)
        d->unquoted += !d->wquoted[i];
    return mark_names(d);
}

uint64_t rp_doc_word_shingle(const rp_doc *d, size_t i)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL;
    for (size_t j = 0; j < d->shingle_k; j++)
        h = mix(h ^ d->whash[i + j]);
    return h;
}

/* Seeds are made in word order (at one word: its shingle, its stem, the
 * stem pair it opens), so that a stable sort by hash orders them by
 * (hash, pos). */
static rp_err build_seeds(rp_doc *d)
{
    size_t n = d->nw, k = d->shingle_k;
    rp_seed *tmp = malloc((3 * n + 1) * sizeof *tmp);
    d->seeds = malloc((3 * n + 1) * sizeof *d->seeds);
    if (!d->seeds || !tmp) {
        free(tmp);
        return RP_NOMEM;
    }
    size_t ns = 0, next = 0;
    for (size_t i = 0; i < n; i++) {
        if (n >= k && i + k <= n)
            d->seeds[ns++] =
                (rp_seed){rp_doc_word_shingle(d, i), (uint32_t)i, (uint16_t)k, RP_SEED_WORDS};
        if (!d->wstem[i]) continue;
        d->seeds[ns++] = (rp_seed){mix(d->wstem[i] + 2), (uint32_t)i, 1, RP_SEED_STEM1};
        if (next <= i) next = i + 1;
        while (next < n && !d->wstem[next])
            next++;
        /* Pairs across more than a few stopwords are not a phrase. */
        if (next < n && next - i <= 6) {
            uint64_t h = mix(mix(d->wstem[i] + 1) ^ d->wstem[next]);
            d->seeds[ns++] = (rp_seed){h, (uint32_t)i, (uint16_t)(next - i + 1), RP_SEED_STEMS};
        }
    }
    d->nseeds = ns;
    sort_seeds(d->seeds, tmp, ns);
    free(tmp);
    return RP_OK;
}

rp_err rp_doc_new(rp_doc **out, const char *text, size_t len, const rp_doc_opts *opts)
{
    if (!out) return RP_ARG;
    *out = NULL;
    if (!text && len) return RP_ARG;
    if (len > UINT32_MAX) return RP_LIMIT;
    rp_doc_opts o = {0};
    if (opts) o = *opts;
    rp_err e = RP_NOMEM;
    rp_doc *d = calloc(1, sizeof *d);
    if (!d) goto out;
    d->shingle_k = o.shingle_k ? o.shingle_k : RP_DEFAULT_SHINGLE_K;
    if (d->shingle_k > 64) {
        e = RP_ARG;
        goto out;
    }
    d->text = malloc(len + 1);
    if (!d->text) goto out;
    if (len) memcpy(d->text, text, len);
    d->text[len] = '\0';
    d->len = len;

    e = rp_shingle_tokenize(d->text, len, &d->toks, o.max_tokens);
    if (e != RP_OK) goto out;
    mark_chrome(&d->toks, o.chrome, o.chrome ? o.nchrome : 0);
    rp_quotes_mark(d->text, len, &d->toks);

    e = RP_NOMEM;
    d->set = malloc((d->toks.n + 1) * sizeof *d->set);
    if (!d->set) goto out;
    if (d->toks.n) {
        e = rp_shingle_hashes(&d->toks, RP_FAM_WORDS, d->shingle_k, d->set, NULL, &d->nset);
        if (e != RP_OK) goto out;
        d->nset = rp_shingle_set(d->set, d->nset);
    }
    if ((e = build_words(d)) != RP_OK) goto out;
    if ((e = build_seeds(d)) != RP_OK) goto out;
    if ((e = rp_para_prepare(d, &d->para)) != RP_OK) goto out;
    *out = d;
    d = NULL;
    e = RP_OK;
out:
    rp_doc_free(d);
    return e;
}

void rp_doc_free(rp_doc *d)
{
    if (!d) return;
    free(d->text);
    rp_tokens_free(&d->toks);
    free(d->set);
    free(d->wtok);
    free(d->wquoted);
    free(d->whash);
    free(d->wstem);
    free(d->wname);
    free(d->wsent);
    free(d->seeds);
    rp_para_free(d->para);
    free(d);
}

const rp_tokens *rp_doc_tokens(const rp_doc *d)
{
    return d ? &d->toks : NULL;
}

const char *rp_doc_text(const rp_doc *d, size_t *len)
{
    if (len) *len = d ? d->len : 0;
    return d ? d->text : NULL;
}

const uint64_t *rp_doc_shingles(const rp_doc *d, size_t *n)
{
    if (n) *n = d ? d->nset : 0;
    return d ? d->set : NULL;
}

size_t rp_doc_words(const rp_doc *d)
{
    return d ? d->nw : 0;
}

size_t rp_doc_unquoted_words(const rp_doc *d)
{
    return d ? d->unquoted : 0;
}
