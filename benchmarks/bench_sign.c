/*
 * bench_sign.c: single-core speed of tokenising, shingling and signing.
 *
 * Usage: bench_sign [-s SEED] [-m MEGABYTES] [FILE...]
 *
 * Without files it generates a seeded English-like corpus in memory: words
 * drawn with Zipf frequencies from a vocabulary of common English words and
 * syllable-built pseudo-words, sentences with capitals, commas, numbers and
 * now and then typographic quotes and apostrophes, cut into articles of
 * about 4 KB. With files, each file is one article. For every article it
 * times, on one core: tokenising, shingling (word 3-shingles and stem
 * 2-shingles), signing both families with K = 128, and the whole chain,
 * and prints MB/s of text and tokens/s for each. For comparison it also
 * times per-slot-mixing MinHash (k mixes per shingle), the variant
 * minhash.c chose not to use. It prints its seed and input size and never
 * asserts on time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reprint.h"

#define K 128

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static const char *const common[] = {
    "the",       "of",
    "and",       "to",
    "a",         "in",
    "that",      "is",
    "was",       "he",
    "for",       "it",
    "with",      "as",
    "his",       "on",
    "be",        "at",
    "by",        "had",
    "not",       "are",
    "but",       "from",
    "or",        "have",
    "an",        "they",
    "which",     "one",
    "you",       "were",
    "her",       "all",
    "she",       "there",
    "would",     "their",
    "we",        "him",
    "been",      "has",
    "when",      "who",
    "will",      "more",
    "no",        "if",
    "out",       "said",
    "year",      "government",
    "people",    "minister",
    "police",    "city",
    "council",   "report",
    "week",      "percent",
    "million",   "company",
    "market",    "officials",
    "president", "election",
    "spokesman", "according",
    "statement", "announced",
    "running",   "expected",
    "increased", "workers",
    "schools",   "hospital",
    "prices",    "country",
    "national",  "court",
    "decision",  "investigation",
    "public",    "health",
};

#define VOCAB 20000
static char *vocab[VOCAB];
static double cdf[VOCAB];

static void build_vocab(void)
{
    static const char *const syl[] = {"ka",  "ter", "mon", "sel",  "ri",  "van", "do",  "pre",
                                      "lin", "gor", "tis", "ment", "ble", "ing", "ed",  "ous",
                                      "con", "al",  "ist", "ra",   "be",  "un",  "ver", "tion"};
    size_t nc = sizeof common / sizeof common[0], ns = sizeof syl / sizeof syl[0];
    double z = 0;
    for (size_t i = 0; i < VOCAB; i++) {
        if (i < nc) {
            vocab[i] = strdup(common[i]);
        } else {
            char w[64] = "";
            size_t n = 2 + rng() % 3;
            for (size_t j = 0; j < n; j++)
                strcat(w, syl[rng() % ns]);
            vocab[i] = strdup(w);
        }
        z += 1.0 / (double)(i + 1);
        cdf[i] = z;
    }
    for (size_t i = 0; i < VOCAB; i++)
        cdf[i] /= z;
}

static const char *word(void)
{
    double u = (double)(rng() >> 11) / 9007199254740992.0;
    size_t lo = 0, hi = VOCAB - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cdf[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return vocab[lo];
}

static void putn(rp_buf *b, const char *s, size_t n)
{
    if (rp_buf_append(b, s, n) != RP_OK) {
        fprintf(stderr, "bench_sign: out of memory\n");
        exit(1);
    }
}

static void put(rp_buf *b, const char *s)
{
    putn(b, s, strlen(s));
}

/* One article of about 4 KB. */
static void article(rp_buf *b)
{
    size_t start = b->len;
    while (b->len - start < 4000) {
        size_t n = 8 + rng() % 18;
        int quoted = rng() % 8 == 0;
        if (quoted) put(b, "\xE2\x80\x9C");
        for (size_t i = 0; i < n; i++) {
            const char *w = word();
            if (i == 0) {
                char c[2] = {(char)(w[0] - 32), 0};
                put(b, c);
                put(b, w + 1);
            } else if (rng() % 40 == 0) {
                char num[24];
                snprintf(num, sizeof num, "%u", (unsigned)(rng() % 5000));
                put(b, num);
            } else if (rng() % 60 == 0) {
                put(b, w);
                put(b, "\xE2\x80\x99s");
            } else {
                put(b, w);
            }
            put(b, i + 1 == n ? "." : (rng() % 10 == 0 ? ", " : " "));
        }
        if (quoted) put(b, "\xE2\x80\x9D");
        put(b, rng() % 5 == 0 ? "\n\n" : " ");
    }
    rp_buf_appendc(b, '\0');
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    rp_buf b = {0};
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        putn(&b, tmp, n);
    fclose(f);
    if (!b.data) putn(&b, "", 0); /* an empty file is an empty article */
    *len = b.len;
    return b.data;
}

static inline uint64_t mix(uint64_t x)
{
    x ^= x >> 29;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 32;
    return x;
}

/* The rejected alternative: k cheap mixes per shingle. */
static void sign_kmix(const uint64_t *s, size_t n, uint64_t *sig, const uint64_t *seeds)
{
    for (size_t j = 0; j < K; j++)
        sig[j] = UINT64_MAX;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < K; j++) {
            uint64_t v = mix(s[i] ^ seeds[j]);
            sig[j] = v < sig[j] ? v : sig[j];
        }
}

int main(int argc, char **argv)
{
    uint64_t seed = 20240601;
    double mb = 32;
    int argi = 1;
    for (; argi < argc && argv[argi][0] == '-' && argv[argi][1]; argi++) {
        if (!strcmp(argv[argi], "-s") && argi + 1 < argc) {
            seed = strtoull(argv[++argi], NULL, 10);
        } else if (!strcmp(argv[argi], "-m") && argi + 1 < argc) {
            mb = atof(argv[++argi]);
        } else {
            fprintf(stderr, "usage: bench_sign [-s SEED] [-m MEGABYTES] [FILE...]\n");
            return 2;
        }
    }
    rng_state = seed ? seed : 1;

    /* Articles as (offset, length) into one buffer. */
    rp_buf corpus = {0};
    size_t ndocs = 0, cap = 0, *off = NULL, *len = NULL;
    if (argi < argc) {
        for (int i = argi; i < argc; i++) {
            size_t n;
            char *t = read_file(argv[i], &n);
            if (!t) {
                fprintf(stderr, "bench_sign: %s: cannot read\n", argv[i]);
                return 3;
            }
            if (ndocs == cap) {
                cap = cap ? cap * 2 : 64;
                off = realloc(off, cap * sizeof *off);
                len = realloc(len, cap * sizeof *len);
                if (!off || !len) return 3;
            }
            off[ndocs] = corpus.len;
            len[ndocs++] = n;
            putn(&corpus, t, n);
            free(t);
        }
        printf("bench_sign: %zu files\n", ndocs);
    } else {
        build_vocab();
        while ((double)corpus.len < mb * 1048576.0) {
            if (ndocs == cap) {
                cap = cap ? cap * 2 : 1024;
                off = realloc(off, cap * sizeof *off);
                len = realloc(len, cap * sizeof *len);
                if (!off || !len) return 3;
            }
            off[ndocs] = corpus.len;
            article(&corpus);
            len[ndocs] = corpus.len - off[ndocs] - 1;
            ndocs++;
        }
        printf("bench_sign: synthetic corpus, seed %llu\n", (unsigned long long)seed);
    }
    size_t bytes = 0;
    for (size_t d = 0; d < ndocs; d++)
        bytes += len[d];
    printf("input: %zu articles, %zu bytes (%.1f MB)\n", ndocs, bytes, (double)bytes / 1048576.0);

    rp_tokens t = {0};
    uint64_t *sh[2] = {NULL, NULL}, sig[K], seeds[K];
    size_t shcap = 0, nsh[2];
    for (size_t j = 0; j < K; j++)
        seeds[j] = mix(j + 1) | 1;
    double tt = 0, ts = 0, tg = 0, tk = 0, tc = 0;
    uint64_t ntok = 0, nshingles = 0, check = 0;
    for (size_t d = 0; d < ndocs; d++) {
        const char *text = corpus.data + off[d];
        double t0 = now();
        if (rp_shingle_tokenize(text, len[d], &t, 0) != RP_OK) return 3;
        double t1 = now();
        if (t.n > shcap) {
            shcap = t.n * 2;
            for (int f = 0; f < 2; f++)
                if (!(sh[f] = realloc(sh[f], shcap * sizeof *sh[f]))) return 3;
        }
        rp_shingle_hashes(&t, RP_FAM_WORDS, RP_DEFAULT_SHINGLE_K, sh[0], NULL, &nsh[0]);
        rp_shingle_hashes(&t, RP_FAM_STEMS, RP_DEFAULT_STEM_K, sh[1], NULL, &nsh[1]);
        double t2 = now();
        for (int f = 0; f < 2; f++)
            if (nsh[f] && rp_minhash_sign(sh[f], nsh[f], sig, K) == RP_OK) check ^= sig[0];
        double t3 = now();
        for (int f = 0; f < 2; f++)
            sign_kmix(sh[f], nsh[f], sig, seeds);
        check ^= sig[1];
        double t4 = now();
        tt += t1 - t0;
        ts += t2 - t1;
        tg += t3 - t2;
        tk += t4 - t3;
        ntok += t.n;
        nshingles += nsh[0] + nsh[1];
    }
    /* The whole chain, timed as one loop. */
    double c0 = now();
    for (size_t d = 0; d < ndocs; d++) {
        if (rp_shingle_tokenize(corpus.data + off[d], len[d], &t, 0) != RP_OK) return 3;
        rp_shingle_hashes(&t, RP_FAM_WORDS, RP_DEFAULT_SHINGLE_K, sh[0], NULL, &nsh[0]);
        rp_shingle_hashes(&t, RP_FAM_STEMS, RP_DEFAULT_STEM_K, sh[1], NULL, &nsh[1]);
        for (int f = 0; f < 2; f++)
            if (nsh[f] && rp_minhash_sign(sh[f], nsh[f], sig, K) == RP_OK) check ^= sig[0];
    }
    tc = now() - c0;

    double m = (double)bytes / 1048576.0;
    printf("tokens: %llu, shingles (both families): %llu, check %016llx\n",
           (unsigned long long)ntok, (unsigned long long)nshingles, (unsigned long long)check);
    printf("%-34s %9s %14s\n", "stage (one core)", "MB/s", "tokens/s");
    printf("%-34s %9.1f %14.0f\n", "tokenize", m / tt, (double)ntok / tt);
    printf("%-34s %9.1f %14.0f\n", "shingle (words k=3 + stems k=2)", m / ts, (double)ntok / ts);
    printf("%-34s %9.1f %14.0f\n", "sign (K=128, both families)", m / tg, (double)ntok / tg);
    printf("%-34s %9.1f %14.0f\n", "whole chain", m / tc, (double)ntok / tc);
    printf("%-34s %9.1f %14.0f\n", "sign, per-slot mixing (not used)", m / tk, (double)ntok / tk);
    rp_tokens_free(&t);
    free(sh[0]);
    free(sh[1]);
    free(off);
    free(len);
    rp_buf_free(&corpus);
    for (size_t i = 0; i < VOCAB; i++)
        free(vocab[i]);
    return 0;
}
