/*
 * features.c: what indexing computes per article, and the line units that
 * site chrome is learned from.
 *
 * An article is tokenised once; each shingle family (word k-shingles, stem
 * shingles of content words) is hashed once per shingle, MinHash-signed,
 * and cut into LSH bands, one 64-bit hash per band. A family with no
 * shingles (a text of stopwords only) gets bands derived from the text's
 * content hash, which collide only with identical texts.
 */
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#include "pipeline/pipeline.h"

/* Tokens of an article that count for its features: about 7 MB of English,
 * far beyond any news article, and it bounds a worker's scratch memory
 * (32 bytes a token) whatever --max-text-bytes allows. */
#define MAX_TOKENS ((size_t)1 << 20)

void rp_scratch_free(rp_scratch *s)
{
    if (!s) return;
    rp_tokens_free(&s->tok);
    free(s->sh);
    free(s->sig);
    memset(s, 0, sizeof *s);
}

/* A 64-bit mixer (splitmix64's finaliser): shingle hashes are already
 * uniform, but sampling and slotting must not correlate with the MinHash
 * permutations that use the same hashes. */
static uint64_t remix(uint64_t x)
{
    x ^= 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/* The anchor sketch: shingles whose remixed hash is 0 mod rate are
 * sampled, each goes to slot (hash / rate) % slots, and a slot keeps its
 * least hash. The sample is the same in every text, so two texts sharing m
 * shingles share about m / rate samples, however long either is; a slot
 * left empty gets a value of this text's own, which only an identical
 * text shares. */
static void anchor_sketch(const rp_params *p, const uint64_t *sh, size_t n, const char *text,
                          size_t len, uint64_t *out)
{
    size_t slots = p->anchor_slots, rate = p->anchor_rate;
    if (slots == 0) return;
    for (size_t j = 0; j < slots; j++)
        out[j] = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t g = remix(sh[i]);
        if (g % rate) continue;
        size_t j = (size_t)((g / rate) % slots);
        if (g == 0) g = 1;
        if (out[j] == 0 || g < out[j]) out[j] = g;
    }
    uint64_t content = 0; /* hashed only when a slot is left empty */
    int hashed = 0;
    for (size_t j = 0; j < slots; j++) {
        if (out[j]) continue;
        if (!hashed) content = rp_content_hash(text, len), hashed = 1;
        out[j] = XXH3_64bits_withSeed(&content, 8, 0xa0000 + j);
    }
}

rp_err rp_features_bands_scratch(const rp_params *p, rp_scratch *s, const char *text, size_t len,
                                 const char *lang, uint64_t *out, size_t *ntokens)
{
    rp_err e = rp_shingle_tokenize_lang(text, len, lang, &s->tok, MAX_TOKENS);
    if (e) return e;
    if (ntokens) *ntokens = s->tok.n;
    if ((e = rp_grow(&s->sh, &s->shcap, s->tok.n + 1, sizeof *s->sh)) ||
        (e = rp_grow(&s->sig, &s->sigcap, p->k, sizeof *s->sig)))
        return e;
    size_t at = 0, nstems = 0;
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        size_t k = f == RP_FAM_WORDS ? p->shingle_k : p->stem_k, n = 0;
        if ((e = rp_shingle_hashes(&s->tok, (rp_family)f, k, s->sh, NULL, &n))) return e;
        const rp_lsh *l = &p->lsh[f];
        if (n == 0) {
            uint64_t h = rp_content_hash(text, len);
            for (unsigned b = 0; b < l->bands; b++)
                out[at + b] = XXH3_64bits_withSeed(&h, 8, b);
        } else {
            if ((e = rp_minhash_sign(s->sh, n, s->sig, p->k))) return e;
            rp_lsh_band_hashes(l, s->sig, out + at);
        }
        at += l->bands;
        nstems = n;
    }
    /* The stem family comes last, so s->sh still holds its shingles. */
    anchor_sketch(p, s->sh, nstems, text, len, out + at);
    return RP_OK;
}

rp_err rp_features_bands(const rp_params *p, const char *text, size_t len, uint64_t *out, size_t *n,
                         size_t *ntokens)
{
    rp_scratch s = {0};
    rp_err e = rp_features_bands_scratch(p, &s, text, len, rp_lang_detect(text, len), out, ntokens);
    rp_scratch_free(&s);
    if (!e && n) *n = rp_params_nbands(p);
    return e;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

uint64_t rp_content_hash(const char *text, size_t len)
{
    XXH3_state_t st;
    XXH3_64bits_reset(&st);
    size_t i = 0, run = 0;
    int pending_space = 0;
    while (i < len && is_space((unsigned char)text[i]))
        i++;
    size_t start = i;
    for (; i < len; i++) {
        if (is_space((unsigned char)text[i])) {
            if (run) XXH3_64bits_update(&st, text + start, run);
            run = 0;
            pending_space = 1;
            continue;
        }
        if (run == 0) {
            if (pending_space) XXH3_64bits_update(&st, " ", 1);
            pending_space = 0;
            start = i;
        }
        run++;
    }
    if (run) XXH3_64bits_update(&st, text + start, run);
    return XXH3_64bits_digest(&st);
}

/* Hash one line: trimmed, inner white space folded, ASCII lower-cased.
 * Returns 0 for a line with no visible characters. */
static uint64_t line_hash(const char *s, size_t n)
{
    char buf[256];
    size_t o = 0;
    int space = 0;
    XXH3_state_t st;
    XXH3_64bits_reset(&st);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_space(c)) {
            space = o > 0 || space;
            continue;
        }
        if (space && o) buf[o++] = ' ';
        space = 0;
        buf[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        if (o >= sizeof buf - 2) {
            XXH3_64bits_update(&st, buf, o);
            o = 0;
            space = 0;
        }
    }
    XXH3_64bits_update(&st, buf, o);
    uint64_t h = XXH3_64bits_digest(&st);
    return h ? h : 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static int has_visible(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i])) return 1;
    return 0;
}

rp_err rp_line_hashes(const char *text, size_t len, uint64_t **out, size_t *n)
{
    uint64_t *v = NULL;
    size_t cap = 0, cnt = 0;
    rp_err e = rp_grow(&v, &cap, 16, sizeof *v);
    for (size_t i = 0; !e && i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (has_visible(text + i, end - i) && !(e = rp_grow(&v, &cap, cnt + 1, sizeof *v)))
            v[cnt++] = line_hash(text + i, end - i);
        i = end + 1;
    }
    if (!e) e = rp_sort_unique_u64(v, &cnt);
    if (e) {
        free(v);
        return e;
    }
    *out = v;
    *n = cnt;
    return RP_OK;
}

rp_err rp_chrome_ranges(const char *text, size_t len, const uint64_t *chrome, size_t nchrome,
                        uint32_t **out, size_t *nranges)
{
    *out = NULL;
    *nranges = 0;
    if (nchrome == 0) return RP_OK;
    uint32_t(*v)[2] = NULL; /* (start, end) byte pairs */
    size_t cap = 0, cnt = 0;
    rp_err e = rp_grow(&v, &cap, 8, sizeof *v);
    for (size_t i = 0; !e && i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (has_visible(text + i, end - i)) {
            uint64_t h = line_hash(text + i, end - i);
            if (bsearch(&h, chrome, nchrome, sizeof h, cmp_u64) &&
                !(e = rp_grow(&v, &cap, cnt + 1, sizeof *v))) {
                v[cnt][0] = (uint32_t)i;
                v[cnt][1] = (uint32_t)end;
                cnt++;
            }
        }
        i = end + 1;
    }
    if (e) {
        free(v);
        return e;
    }
    *out = &v[0][0];
    *nranges = cnt;
    return RP_OK;
}

uint64_t rp_chrome_min_docs(uint64_t site_docs)
{
    /* A line is chrome when it stands in at least 3 of the site's pages and
     * in at least 5% of them: navigation and footers stand in nearly all,
     * while a sentence of a story republished twice does not reach 5% of a
     * site of any size. */
    uint64_t five = (site_docs + 19) / 20;
    return five > RP_CHROME_MIN_DOCS ? five : RP_CHROME_MIN_DOCS;
}
