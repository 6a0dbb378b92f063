/*
 * wordset.c: a fixed set of words, each tagged with the lists it is in.
 *
 * The stopword lists and the calendar names are both sets of words per
 * language, looked up by the hash the tokenizer gives a token. One table
 * serves each: words normalised as the tokenizer normalises a token (NFKC
 * and case folding; ASCII words only lower-cased, which is the same),
 * hashed with XXH3-64, and stored with open addressing and linear probing
 * as (hash, bitmask of lists). The caller owns the arrays (static ones: the
 * sets are built once and only read after that), whose size is a power of
 * two at least twice the number of words, so probes stay short.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>
#include <xxhash.h>

#include "lang/lang.h"

uint64_t rp_wordset_hash(const char *w, size_t n)
{
    char buf[64];
    int ascii = n < sizeof buf;
    for (size_t i = 0; i < n && ascii; i++) {
        unsigned char c = (unsigned char)w[i];
        ascii = c < 0x80;
        buf[i] = (char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    }
    if (ascii) return XXH3_64bits(buf, n);
    const utf8proc_option_t opt =
        UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
    utf8proc_uint8_t *norm = NULL;
    utf8proc_ssize_t m = utf8proc_map((const utf8proc_uint8_t *)w, (utf8proc_ssize_t)n, &norm, opt);
    uint64_t h = m >= 0 ? XXH3_64bits(norm, (size_t)m) : XXH3_64bits(w, n);
    free(norm);
    return h;
}

void rp_wordset_add(rp_wordset *set, const char *w, unsigned list)
{
    uint64_t h = rp_wordset_hash(w, strlen(w));
    size_t s = (size_t)h & (set->size - 1);
    while (set->lists[s] && set->hash[s] != h)
        s = (s + 1) & (set->size - 1);
    set->hash[s] = h;
    set->lists[s] |= (uint64_t)1 << list;
}

uint64_t rp_wordset_lists(const rp_wordset *set, uint64_t hash)
{
    size_t s = (size_t)hash & (set->size - 1);
    while (set->lists[s]) {
        if (set->hash[s] == hash) return set->lists[s];
        s = (s + 1) & (set->size - 1);
    }
    return 0;
}
