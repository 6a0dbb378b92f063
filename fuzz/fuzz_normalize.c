/*
 * fuzz_normalize.c: libFuzzer target for text normalisation.
 *
 * Arbitrary bytes go through what every article's text goes through after
 * extraction: UTF-8 repair, tokenisation (NFKC, case folding, stemming),
 * both shingle families, and the verify document with quote marking. The
 * input is not valid UTF-8 in general, so it is repaired first exactly as
 * the readers do; a second pass feeds the raw bytes to the tokenizer too,
 * since the library must not crash on text that skipped the readers.
 * Each input is also read by the rules of a language its last byte picks
 * (none, identified, or one of several scripts' languages).
 */
#include <stdlib.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {NULL, "en", "fr", "de", "it", "ru",
                                    "ar", "zh", "ja", "th", "pl", "und"};

static void run_lang(const char *text, size_t len, const char *lang)
{
    rp_tokens t = {0};
    rp_doc *d = NULL;
    if (rp_shingle_tokenize_lang(text, len, lang, &t, 0) != RP_OK) goto out;
    for (size_t i = 0; i < t.n; i++) {
        if (t.v[i].start >= t.v[i].end || t.v[i].end > len) abort();
        if (i && t.v[i].start < t.v[i - 1].end) abort();
    }
    rp_doc_opts o = {.lang = lang};
    if (rp_doc_new(&d, text, len, &o) == RP_OK && lang && rp_doc_words(d) > t.n) abort();
out:
    rp_doc_free(d);
    rp_tokens_free(&t);
}

static void run(const char *text, size_t len)
{
    const char *l = rp_lang_detect(text, len);
    if (!l || !rp_lang_canonical(l)) abort();
    run_lang(text, len,
             langs[len ? (unsigned char)text[len - 1] % (sizeof langs / sizeof *langs) : 0]);
    rp_tokens t = {0};
    uint64_t *h = NULL;
    uint32_t *pos = NULL;
    rp_doc *d = NULL;
    if (rp_shingle_tokenize(text, len, &t, 1 + len % 5000) != RP_OK) goto out;
    rp_quotes_mark(text, len, &t);
    h = malloc((t.n + 1) * sizeof *h);
    pos = malloc((t.n + 1) * sizeof *pos);
    if (!h || !pos) goto out;
    for (int f = 0; f < RP_FAM_COUNT_; f++) {
        size_t n = 0;
        if (rp_shingle_hashes(&t, (rp_family)f, 1 + len % 4, h, pos, &n) != RP_OK) continue;
        if (n > t.n) abort();
        for (size_t i = 0; i < n; i++)
            if (pos[i] >= t.n) abort();
        n = rp_shingle_set(h, n);
        if (rp_shingle_intersect(h, n, h, n) != n) abort();
    }
    if (rp_doc_new(&d, text, len, NULL) == RP_OK) {
        size_t n = 0;
        rp_doc_shingles(d, &n);
        if (rp_doc_unquoted_words(d) > rp_doc_words(d)) abort();
    }
out:
    rp_doc_free(d);
    free(h);
    free(pos);
    rp_tokens_free(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rp_buf b = {0};
    size_t fixed = 0;
    if (rp_utf8_repair((const char *)data, size, &b, &fixed) == RP_OK) run(b.data, b.len);
    rp_buf_free(&b);
    run((const char *)data, size);
    return 0;
}
