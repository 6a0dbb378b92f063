/*
 * tokenize.c: Unicode normalisation and tokenisation of article text.
 *
 * One pass over the UTF-8 bytes. A token is a run of word characters
 * (Unicode letters, marks and numbers: utf8proc categories L*, M*, N*); its
 * normalised form is NFKC with case folding, its hash the XXH3-64 of that
 * form, its stem the XXH3-64 of the Snowball English stem of the form.
 * Offsets always refer to the original bytes, so a caller can highlight.
 *
 * Decisions, so that a rewritten copy tokenises like its original:
 *  - Typographic apostrophes (’ ‘ ´ ʼ ＇ and `) fold to ', hyphens and the
 *    en dash (‐ ‑ − – －) fold to -. Either kind stays inside a token only
 *    between two word characters ("don't", "well-known", "covid-19",
 *    "rock'n'roll"); elsewhere it separates. The em dash (—) is punctuation
 *    between words ("stop—the" is two tokens), never part of a token.
 *  - "." and "," stay inside a token only between two ASCII digits
 *    ("3.5", "1,000").
 *  - Abbreviations written as single ASCII letters each followed by a
 *    period, at least two of them ("U.S.", "e.g.", "a.m."; the last period
 *    may be missing: "U.S.A"), are one token whose form keeps the periods
 *    ("u.s."), so "U.S." never becomes the pronoun "us" (a stopword). A
 *    sentence-final "U.S." thus keeps its period in the token span.
 *  - Soft hyphens and zero-width (non-)joiners inside a word are dropped.
 *  - Scripts written without spaces (Han, Hiragana, Katakana, Thai, Lao,
 *    Khmer, Myanmar, by code point range): a run of them is cut into words
 *    by ICU's word break iterator, whose dictionaries know these scripts
 *    (CJK, Thai...), working on the UTF-8 bytes in place (UText); each
 *    word is a token flagged RP_TOK_CJK. ICU's dictionary segmentation is
 *    linear in the run's length.
 *  - Tokens without letters (numbers) and RP_TOK_CJK tokens use their hash
 *    as stem.
 *
 * Per language (rp_shingle_tokenize_lang; unknown languages take the
 * English rules, so an English text tokenises exactly as it always did):
 *  - the language's Snowball stemmer (none: stem == hash) and stopwords;
 *  - in French, Italian and Catalan an elided article or pronoun before an
 *    apostrophe ("l'", "d'", "qu'", "dell'") is a token of its own whose
 *    form drops the apostrophe, so "l'accord" and "un accord" share
 *    "accord";
 *  - numbers: digits of any script become ASCII digits (١٢٣ is 123), and
 *    in languages that write a decimal comma its "." groups are dropped
 *    and its "," becomes "." ("1.000,5" is 1000.5); Han numerals (一百)
 *    become their value. Numbers are flagged RP_TOK_NUM. English numbers
 *    of ASCII digits keep their form.
 *
 * Speed: pure-ASCII runs never reach utf8proc (a table lower-cases them);
 * a token with any non-ASCII byte is normalised by utf8proc_decompose +
 * utf8proc_reencode into a reusable per-thread buffer (no malloc per
 * token). Stemming dominates the cost otherwise, so each thread keeps a
 * direct-mapped cache from token hash to (stem hash, stopword flag); news
 * text is Zipfian and the cache hit rate is high. Its size was measured
 * (benchmarks/bench_sign, BBC news texts): 2^12 entries 70 MB/s, 2^14
 * 93 MB/s, 2^15 106 MB/s, 2^16 96 MB/s; 2^15 (512 KB per thread)
 * keeps two threads inside L2. It starts at 2^10 entries and grows
 * fourfold, keeping its entries, each time it has missed as often as it
 * has entries: a one-article `query` process stems a few thousand words
 * and a first touch of a page is dear (each of the 128 pages of a full
 * cache was a page fault), while indexing reaches the full size within
 * its first few articles. The Snowball stemmer is not
 * thread-safe: each thread owns one, with the cache, in a _Thread_local
 * state released by a pthread key destructor when the thread exits.
 */
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utrans.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "lang/lang.h"
#include "reprint.h"

/* ---- character classes ---------------------------------------------- */

enum { A_ALPHA = 1, A_DIGIT = 2, A_WORD = 3, A_APOS = 4, A_HYPH = 8, A_NUMSEP = 16 };

static const unsigned char atab[128] = {
    ['0'] = A_DIGIT,  ['1'] = A_DIGIT,  ['2'] = A_DIGIT, ['3'] = A_DIGIT, ['4'] = A_DIGIT,
    ['5'] = A_DIGIT,  ['6'] = A_DIGIT,  ['7'] = A_DIGIT, ['8'] = A_DIGIT, ['9'] = A_DIGIT,
    ['A'] = A_ALPHA,  ['B'] = A_ALPHA,  ['C'] = A_ALPHA, ['D'] = A_ALPHA, ['E'] = A_ALPHA,
    ['F'] = A_ALPHA,  ['G'] = A_ALPHA,  ['H'] = A_ALPHA, ['I'] = A_ALPHA, ['J'] = A_ALPHA,
    ['K'] = A_ALPHA,  ['L'] = A_ALPHA,  ['M'] = A_ALPHA, ['N'] = A_ALPHA, ['O'] = A_ALPHA,
    ['P'] = A_ALPHA,  ['Q'] = A_ALPHA,  ['R'] = A_ALPHA, ['S'] = A_ALPHA, ['T'] = A_ALPHA,
    ['U'] = A_ALPHA,  ['V'] = A_ALPHA,  ['W'] = A_ALPHA, ['X'] = A_ALPHA, ['Y'] = A_ALPHA,
    ['Z'] = A_ALPHA,  ['a'] = A_ALPHA,  ['b'] = A_ALPHA, ['c'] = A_ALPHA, ['d'] = A_ALPHA,
    ['e'] = A_ALPHA,  ['f'] = A_ALPHA,  ['g'] = A_ALPHA, ['h'] = A_ALPHA, ['i'] = A_ALPHA,
    ['j'] = A_ALPHA,  ['k'] = A_ALPHA,  ['l'] = A_ALPHA, ['m'] = A_ALPHA, ['n'] = A_ALPHA,
    ['o'] = A_ALPHA,  ['p'] = A_ALPHA,  ['q'] = A_ALPHA, ['r'] = A_ALPHA, ['s'] = A_ALPHA,
    ['t'] = A_ALPHA,  ['u'] = A_ALPHA,  ['v'] = A_ALPHA, ['w'] = A_ALPHA, ['x'] = A_ALPHA,
    ['y'] = A_ALPHA,  ['z'] = A_ALPHA,  ['\''] = A_APOS, ['`'] = A_APOS,  ['-'] = A_HYPH,
    ['.'] = A_NUMSEP, [','] = A_NUMSEP,
};

static inline unsigned char lower(unsigned char c)
{
    return (unsigned char)(c | ((atab[c] & A_ALPHA) ? 0x20 : 0));
}

/* Classes of a non-ASCII code point. */
enum { C_SEP, C_WORD, C_LETTER, C_NOSPACE, C_APOS, C_HYPH, C_IGNORE };

static int nospace_script(int32_t cp)
{
    if (cp < 0x0E00) return 0;
    return (cp <= 0x0EFF) ||                 /* Thai, Lao */
           (cp >= 0x1000 && cp <= 0x109F) || /* Myanmar */
           (cp >= 0x1780 && cp <= 0x17FF) || /* Khmer */
           (cp >= 0x19E0 && cp <= 0x19FF) || /* Khmer symbols */
           cp == 0x3007 ||                   /* 〇, the Han zero */
           (cp >= 0x3040 && cp <= 0x30FF) || /* Hiragana, Katakana */
           (cp >= 0x31F0 && cp <= 0x31FF) || /* Katakana extensions */
           (cp >= 0x3400 && cp <= 0x4DBF) || /* Han extension A */
           (cp >= 0x4E00 && cp <= 0x9FFF) || /* Han */
           (cp >= 0xA9E0 && cp <= 0xA9FF) || /* Myanmar extended-B */
           (cp >= 0xAA60 && cp <= 0xAA7F) || /* Myanmar extended-A */
           (cp >= 0xF900 && cp <= 0xFAFF) || /* Han compatibility */
           (cp >= 0xFF66 && cp <= 0xFF9F) || /* halfwidth Katakana */
           (cp >= 0x20000 && cp <= 0x3134F); /* Han extensions B.. */
}

static int classify(int32_t cp)
{
    switch (cp) {
    case 0x2019:
    case 0x2018:
    case 0x00B4:
    case 0x02BC:
    case 0xFF07:
        return C_APOS;
    case 0x2010:
    case 0x2011:
    case 0x2212:
    case 0x2013:
    case 0xFF0D:
        return C_HYPH;
    case 0x00AD:
    case 0x200C:
    case 0x200D:
    case 0x2060:
        return C_IGNORE;
    default:
        break;
    }
    if (cp < 0) return C_SEP;
    utf8proc_category_t cat = utf8proc_category(cp);
    if (cat < UTF8PROC_CATEGORY_LU || cat > UTF8PROC_CATEGORY_NO) return C_SEP;
    if (nospace_script(cp)) return C_NOSPACE;
    return cat <= UTF8PROC_CATEGORY_LO ? C_LETTER : C_WORD;
}

/* Decode one UTF-8 sequence at s (n > 0 bytes available). Ill-formed
 * input decodes as -1 over one byte, which then acts as a separator. */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = (int32_t)c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = (int32_t)(((c & 0x1F) << 6) | (s[1] & 0x3F));
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        int32_t v = (int32_t)(((c & 0x0F) << 12) | ((s[1] & 0x3F) << 6) | (s[2] & 0x3F));
        if (v >= 0x800 && (v < 0xD800 || v > 0xDFFF)) {
            *cp = v;
            return 3;
        }
    }
    if (c >= 0xF0 && c <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80 &&
        (s[3] & 0xC0) == 0x80) {
        int32_t v = (int32_t)(((c & 0x07) << 18) | ((s[1] & 0x3F) << 12) | ((s[2] & 0x3F) << 6) |
                              (s[3] & 0x3F));
        if (v >= 0x10000 && v <= 0x10FFFF) {
            *cp = v;
            return 4;
        }
    }
    *cp = -1;
    return 1;
}

/* Is the character at s[j] a word character that may follow a joiner? */
static int word_at(const unsigned char *s, size_t len, size_t j)
{
    if (j >= len) return 0;
    if (s[j] < 0x80) return atab[s[j]] & A_WORD;
    int32_t cp;
    decode(s + j, len - j, &cp);
    int c = classify(cp);
    return c == C_WORD || c == C_LETTER;
}

/* Length of an abbreviation "X.Y." (two or more single ASCII letters, each
 * followed by '.' except perhaps the last) starting at s[i], or 0. s[i] is
 * an ASCII letter. */
static size_t abbrev_len(const unsigned char *s, size_t len, size_t i)
{
    size_t j = i, groups = 0;
    while (j + 1 < len && s[j] < 0x80 && (atab[s[j]] & A_ALPHA) && s[j + 1] == '.') {
        j += 2;
        groups++;
    }
    /* The last letter may lack its period ("U.S.A", "U.S" at a line end). */
    if (groups >= 1 && j < len && s[j] < 0x80 && (atab[s[j]] & A_ALPHA) &&
        !word_at(s, len, j + 1)) {
        j++;
        groups++;
    }
    if (groups < 2 || word_at(s, len, j)) return 0;
    return j - i;
}

/* ---- per-thread state: scratch buffers, stemmer, stem cache ----------- */

#ifndef CACHE_BITS
#define CACHE_BITS 15 /* 32768 entries of 16 bytes: 512 KB per thread */
#endif
#define CACHE_BITS0 10 /* the size it starts at: 16 KB */

/* One cache entry: key is the token hash with its lowest bit replaced by
 * the stopword flag. An all-zero (never filled) entry answers only for the
 * token hashes 0 and 1, a 2^-63 chance per lookup. */
typedef struct centry {
    uint64_t key, stem;
} centry;

#define MAX_LANGS 64

typedef struct tstate {
    struct sb_stemmer *stemmer; /* the current language's, or NULL */
    struct sb_stemmer *stemmers[MAX_LANGS];
    unsigned char tried[MAX_LANGS]; /* stemmer made (or found missing) */
    int lang;
    uint64_t salt; /* mixed into cache keys: entries are per language */
    UBreakIterator *wbrk;
    UText *ut;
    unsigned char *tb; /* the token's form being built */
    size_t tcap;
    int32_t *ub; /* utf8proc code points, then its UTF-8 output */
    size_t ucap;
    unsigned char nb[64]; /* a number's one form */
    int fold_han;         /* fold traditional Han to simplified (not Japanese) */
    UTransliterator *t2s; /* ICU's Traditional-Simplified, made on first use */
    int t2s_tried;
    int32_t *hanfold; /* per code point of HAN_FOLD_LO..HI: its fold, 0 unknown */
    centry *cache;    /* 1 << cbits entries */
    unsigned cbits;
    size_t misses; /* since the cache last grew */
} tstate;

static _Thread_local tstate *tls;
static pthread_key_t tls_key;
static pthread_once_t tls_once = PTHREAD_ONCE_INIT;
static int tls_key_ok;

static void tstate_free(void *p)
{
    tstate *st = p;
    if (!st) return;
    if (tls == st) tls = NULL; /* a later call in this thread starts afresh */
    for (int i = 0; i < MAX_LANGS; i++)
        if (st->stemmers[i]) sb_stemmer_delete(st->stemmers[i]);
    if (st->wbrk) ubrk_close(st->wbrk);
    if (st->ut) utext_close(st->ut);
    if (st->t2s) utrans_close(st->t2s);
    free(st->hanfold);
    free(st->tb);
    free(st->ub);
    free(st->cache);
    free(st);
}

static void tls_init(void)
{
    tls_key_ok = pthread_key_create(&tls_key, tstate_free) == 0;
}

static tstate *state_get(void)
{
    if (tls) return tls;
    pthread_once(&tls_once, tls_init);
    tstate *st = calloc(1, sizeof *st);
    if (!st) return NULL;
    st->tcap = 256;
    st->tb = malloc(st->tcap);
    st->cbits = CACHE_BITS0;
    st->cache = calloc((size_t)1 << st->cbits, sizeof *st->cache);
    if (!st->tb || !st->cache || (tls_key_ok && pthread_setspecific(tls_key, st) != 0)) {
        tstate_free(st);
        return NULL;
    }
    tls = st;
    return st;
}

/* Switch the thread's state to a language: its stemmer, made on first
 * use. 0 on allocation failure. */
static int state_lang(tstate *st, int lang)
{
    if (lang < 0 || lang >= MAX_LANGS) lang = RP_LANG_UND;
    st->lang = lang;
    st->salt = lang ? XXH3_64bits(&lang, sizeof lang) : 0;
    st->fold_han = lang != rp_lang_id("ja");
    if (!st->tried[lang]) {
        const char *name = rp_lang_stemmer(lang);
        if (name) {
            st->stemmers[lang] = sb_stemmer_new(name, "UTF_8");
            if (!st->stemmers[lang]) return 0;
        }
        st->tried[lang] = 1;
    }
    st->stemmer = st->stemmers[lang];
    return 1;
}

static int tb_grow(tstate *st, size_t need)
{
    if (need <= st->tcap) return 1;
    size_t cap = st->tcap * 2;
    while (cap < need)
        cap *= 2;
    unsigned char *p = realloc(st->tb, cap);
    if (!p) return 0;
    st->tb = p;
    st->tcap = cap;
    return 1;
}

/* NFKC + case fold of (src, n) into st->ub; returns its UTF-8 length, or
 * -1 on allocation failure. */
static long long normalise(tstate *st, const unsigned char *src, size_t n)
{
    const utf8proc_option_t opt =
        UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STABLE;
    for (;;) {
        utf8proc_ssize_t m =
            utf8proc_decompose(src, (utf8proc_ssize_t)n, st->ub, (utf8proc_ssize_t)st->ucap, opt);
        if (m < 0) return -2; /* cannot happen: src was validated while scanning */
        if ((size_t)m < st->ucap) {
            utf8proc_ssize_t r = utf8proc_reencode(st->ub, m, opt);
            return r < 0 ? -2 : r;
        }
        size_t cap = st->ucap ? st->ucap : 64;
        while (cap <= (size_t)m)
            cap *= 2;
        int32_t *p = realloc(st->ub, (cap + 1) * sizeof *p);
        if (!p) return -1;
        st->ub = p;
        st->ucap = cap;
    }
}

/* Stem hash and stopword flag of a form with letters, through the cache. */
/* The cache slot of key k in a cache of 1 << bits entries. */
static size_t cache_slot(uint64_t k, unsigned bits)
{
    return (size_t)(k >> 20) & (((size_t)1 << bits) - 1);
}

/* Grow the stem cache fourfold (up to CACHE_BITS), moving its entries; on
 * allocation failure it keeps its size. Entries that meet in one slot of
 * the larger cache keep one of them: the cache only ever saves work. */
static void cache_grow(tstate *st)
{
    unsigned bits = st->cbits + 2 > CACHE_BITS ? CACHE_BITS : st->cbits + 2;
    centry *c = calloc((size_t)1 << bits, sizeof *c);
    st->misses = 0;
    if (!c) return;
    for (size_t i = 0; i < (size_t)1 << st->cbits; i++)
        if (st->cache[i].key | st->cache[i].stem)
            c[cache_slot(st->cache[i].key, bits)] = st->cache[i];
    free(st->cache);
    st->cache = c;
    st->cbits = bits;
}

static int stem_of(tstate *st, const unsigned char *form, size_t n, uint64_t h, uint64_t *stem,
                   uint32_t *flags)
{
    uint64_t k = h ^ st->salt;
    centry *e = &st->cache[cache_slot(k, st->cbits)];
    if ((e->key | 1) == (k | 1)) {
        *stem = e->stem;
        *flags = (e->key & 1) ? RP_TOK_STOP : 0;
        return 1;
    }
    if (st->cbits < CACHE_BITS && ++st->misses >= (size_t)1 << st->cbits) {
        cache_grow(st);
        e = &st->cache[cache_slot(k, st->cbits)];
    }
    uint64_t sh = h;
    if (st->stemmer) {
        const sb_symbol *s = sb_stemmer_stem(st->stemmer, form, (int)n);
        if (!s) return 0;
        sh = XXH3_64bits(s, (size_t)sb_stemmer_length(st->stemmer));
    }
    int stop = rp_lang_stopword(st->lang, h);
    e->key = (k & ~(uint64_t)1) | (uint64_t)stop;
    e->stem = sh;
    *stem = e->stem;
    *flags = stop ? RP_TOK_STOP : 0;
    return 1;
}

/* ---- the tokenizer ---------------------------------------------------- */

static rp_err push(rp_tokens *out, size_t start, size_t end, uint64_t h, uint64_t stem,
                   uint32_t flags)
{
    if (out->n == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 256;
        rp_token *v = realloc(out->v, cap * sizeof *v);
        if (!v) return RP_NOMEM;
        out->v = v;
        out->cap = cap;
    }
    rp_token *t = &out->v[out->n++];
    t->start = (uint32_t)start;
    t->end = (uint32_t)end;
    t->hash = h;
    t->stem = stem;
    t->flags = flags;
    return RP_OK;
}

/* The one form of a number (see the top of the file) into st->nb; its
 * length, or 0 to keep the form as it is. */
static size_t number_form(tstate *st, const unsigned char *form, size_t n)
{
    int comma = (rp_lang_flags(st->lang) & RP_LANGF_DEC_COMMA) != 0, changed = 0;
    size_t m = 0;
    for (size_t i = 0; i < n;) {
        if (m + 1 >= sizeof st->nb) return 0;
        unsigned char c = form[i];
        if (c < 0x80) {
            i++;
            if (comma && c == '.') {
                changed = 1;
                continue;
            }
            if (comma && c == ',') c = '.', changed = 1;
            st->nb[m++] = c;
            continue;
        }
        int32_t cp;
        size_t k = decode(form + i, n - i, &cp);
        int32_t v = cp < 0 ? -1 : u_charDigitValue(cp);
        if (v < 0 || v > 9 || u_charType(cp) != U_DECIMAL_DIGIT_NUMBER) {
            if (m + k >= sizeof st->nb) return 0;
            memcpy(st->nb + m, form + i, k);
            m += k;
        } else {
            st->nb[m++] = (unsigned char)('0' + v);
            changed = 1;
        }
        i += k;
    }
    return changed ? m : 0;
}

/* Hash the built form (normalising it first if it holds non-ASCII) and
 * append the token. */
static rp_err emit(tstate *st, rp_tokens *out, size_t start, size_t end, size_t tl, int nonascii,
                   int has_letter, uint32_t flags)
{
    const unsigned char *form = st->tb;
    size_t n = tl;
    if (nonascii) {
        long long m = normalise(st, st->tb, tl);
        if (m == -1) return RP_NOMEM;
        if (m >= 0) {
            form = (const unsigned char *)st->ub;
            n = (size_t)m;
        }
    }
    if (!has_letter && !(flags & RP_TOK_CJK)) {
        flags |= RP_TOK_NUM;
        if (nonascii || !(rp_lang_flags(st->lang) & RP_LANGF_ENGLISH)) {
            size_t m = number_form(st, form, n);
            if (m) form = st->nb, n = m;
        }
    }
    uint64_t h = XXH3_64bits(form, n), stem = h;
    if (has_letter && !(flags & RP_TOK_CJK) && n <= INT_MAX) {
        uint32_t f = 0;
        if (!stem_of(st, form, n, h, &stem, &f)) return RP_NOMEM;
        flags |= f;
    } else if (has_letter && rp_lang_stopword(st->lang, h)) {
        flags |= RP_TOK_STOP;
    }
    return push(out, start, end, h, stem, flags);
}

/* ---- words of scripts written without spaces ------------------------- */

/* Value of a Han digit or unit: 0-9, or 10, 100, 1000, 10^4, 10^8; -1 if
 * the character is none. */
static long long han_value(int32_t c)
{
    switch (c) {
    case 0x96F6: /* 零 */
    case 0x3007: /* 〇 */
        return 0;
    case 0x4E00:
        return 1; /* 一 */
    case 0x4E8C:  /* 二 */
    case 0x4E24:
        return 2; /* 两 */
    case 0x4E09:
        return 3;
    case 0x56DB:
        return 4;
    case 0x4E94:
        return 5;
    case 0x516D:
        return 6;
    case 0x4E03:
        return 7;
    case 0x516B:
        return 8;
    case 0x4E5D:
        return 9;
    case 0x5341:
        return 10; /* 十 */
    case 0x767E:
        return 100; /* 百 */
    case 0x5343:
        return 1000; /* 千 */
    case 0x4E07:
        return 10000; /* 万 */
    case 0x842C:
        return 10000; /* 萬 */
    case 0x4EBF:
        return 100000000; /* 亿 */
    case 0x5104:
        return 100000000; /* 億 */
    default:
        return -1;
    }
}

/* If (s, n) is a Han numeral of at least two characters (一百, 三千五百,
 * 二〇二四), write its decimal value into st->nb and return the length. */
static size_t han_number(tstate *st, const unsigned char *s, size_t n)
{
    long long total = 0, section = 0, digit = -1, digits = 0;
    int units = 0, chars = 0;
    for (size_t i = 0; i < n;) {
        int32_t c;
        i += decode(s + i, n - i, &c);
        long long v = han_value(c);
        if (v < 0) return 0;
        chars++;
        if (v < 10) {
            digit = v;
            digits = digits * 10 + v; /* digit by digit: 二〇二四 */
            if (digits > 1000000000000LL) return 0;
        } else if (v < 10000) {
            units = 1;
            section += (digit < 0 ? 1 : digit) * v;
            digit = -1;
        } else {
            units = 1;
            total = (total + section + (digit < 0 ? 0 : digit)) * v;
            section = 0;
            digit = -1;
            if (total > 1000000000000LL) return 0;
        }
    }
    if (chars < 2) return 0;
    long long value = units ? total + section + (digit < 0 ? 0 : digit) : digits;
    int m = snprintf((char *)st->nb, sizeof st->nb, "%lld", value);
    return m > 0 && (size_t)m < sizeof st->nb ? (size_t)m : 0;
}

/* Traditional and simplified Chinese write one word with different
 * characters (傳/传, 會/会): outside Japanese, whose kanji are neither, a
 * Han character becomes its simplified form by ICU's Traditional-Simplified
 * transliterator, taken one character at a time (its rules map characters,
 * so a word's fold is its characters' folds) and kept per thread for the
 * Unified Ideographs and Extension A, so each character is looked up once.
 * A copy that a Hong Kong or Taiwan site converted from a mainland text
 * then shares its words, shingles and stopwords. Without the transliterator
 * (ICU data missing) a character is itself. */
#define HAN_FOLD_LO 0x3400
#define HAN_FOLD_HI 0x9FFF

static int han_fold(tstate *st, int32_t cp, int32_t *outcp)
{
    *outcp = cp;
    if (!st->fold_han || cp < HAN_FOLD_LO || cp > HAN_FOLD_HI) return 1;
    if (!st->hanfold) {
        st->hanfold = calloc(HAN_FOLD_HI - HAN_FOLD_LO + 1, sizeof *st->hanfold);
        if (!st->hanfold) return 0;
    }
    int32_t *slot = &st->hanfold[cp - HAN_FOLD_LO];
    if (*slot) {
        *outcp = *slot;
        return 1;
    }
    if (!st->t2s_tried) {
        UErrorCode status = U_ZERO_ERROR;
        UChar id[] = {'T', 'r', 'a', 'd', 'i', 't', 'i', 'o', 'n', 'a', 'l', '-',
                      'S', 'i', 'm', 'p', 'l', 'i', 'f', 'i', 'e', 'd', 0};
        st->t2s = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &status);
        if (U_FAILURE(status)) st->t2s = NULL;
        st->t2s_tried = 1;
    }
    int32_t r = cp;
    if (st->t2s) {
        UChar buf[8];
        int32_t len = 0, limit;
        U16_APPEND_UNSAFE(buf, len, cp);
        limit = len;
        UErrorCode status = U_ZERO_ERROR;
        utrans_transUChars(st->t2s, buf, &len, (int32_t)(sizeof buf / sizeof *buf), 0, &limit,
                           &status);
        if (U_SUCCESS(status) && len >= 1) {
            int32_t i = 0, c;
            U16_NEXT(buf, i, len, c);
            if (i == len && c >= 0x3400) r = c; /* one ideograph for one: keep it */
        }
    }
    *slot = r;
    *outcp = r;
    return 1;
}

static rp_err emit_nospace(tstate *st, rp_tokens *out, const unsigned char *s, size_t a, size_t b)
{
    size_t hn = han_number(st, s + a, b - a);
    if (hn) {
        uint64_t h = XXH3_64bits(st->nb, hn);
        return push(out, a, b, h, h, RP_TOK_CJK | RP_TOK_NUM);
    }
    /* Unified Han ideographs are their own NFKC case-folded form: such a
     * word skips utf8proc (kana may compose with their sound marks, and
     * the compatibility ideographs map, so those go through it). Each Han
     * character is written in its folded form (han_fold). */
    if (!tb_grow(st, 2 * (b - a))) return RP_NOMEM;
    int han = 1;
    size_t tl = 0;
    for (size_t k = a; k < b;) {
        int32_t cp, f;
        size_t l = decode(s + k, b - k, &cp);
        int h = (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
        han &= h;
        if (!h || !han_fold(st, cp, &f)) {
            if (h) return RP_NOMEM;
            memcpy(st->tb + tl, s + k, l);
            tl += l;
        } else {
            tl += (size_t)utf8proc_encode_char(f, (utf8proc_uint8_t *)st->tb + tl);
        }
        k += l;
    }
    return emit(st, out, a, b, tl, !han, 1, RP_TOK_CJK);
}

/* Cut the run s[i, j) of characters of scripts without spaces into words
 * with ICU's word break iterator (one token per character if ICU cannot). */
static rp_err nospace_run(tstate *st, rp_tokens *out, const unsigned char *s, size_t i, size_t j,
                          size_t max_tokens)
{
    UErrorCode status = U_ZERO_ERROR;
    if (!st->wbrk) {
        st->wbrk = ubrk_open(UBRK_WORD, "", NULL, 0, &status);
        if (U_FAILURE(status)) st->wbrk = NULL;
        status = U_ZERO_ERROR;
    }
    if (st->wbrk) {
        UText *ut = utext_openUTF8(st->ut, (const char *)s + i, (int64_t)(j - i), &status);
        if (U_SUCCESS(status)) {
            st->ut = ut;
            ubrk_setUText(st->wbrk, ut, &status);
        }
    }
    if (!st->wbrk || U_FAILURE(status)) {
        for (size_t k = i; k < j && (max_tokens == 0 || out->n < max_tokens);) {
            int32_t cp;
            size_t l = decode(s + k, j - k, &cp);
            rp_err e = emit_nospace(st, out, s, k, k + l);
            if (e) return e;
            k += l;
        }
        return RP_OK;
    }
    /* ICU cuts Han numerals into characters (二〇二四 is four words): a span
     * of two or more of them is made one word, cut off from the word it
     * ends in (二〇二四|年). */
    size_t run = j - i, lo = 0, hi = 0; /* the next numeral span, relative */
    size_t a = 0, scan = 0;
    ubrk_first(st->wbrk);
    for (int32_t b0 = ubrk_next(st->wbrk); b0 != UBRK_DONE; b0 = ubrk_next(st->wbrk)) {
        size_t b = (size_t)b0;
        while (a < b) {
            if (max_tokens && out->n >= max_tokens) return RP_OK;
            if (a >= hi && scan <= a) {
                lo = hi = run;
                size_t k = a;
                while (k < run) {
                    int32_t cp;
                    size_t l = decode(s + i + k, run - k, &cp);
                    if (han_value(cp) < 0) {
                        k += l;
                        continue;
                    }
                    size_t m = k + l, cnt = 1;
                    while (m < run) {
                        size_t l2 = decode(s + i + m, run - m, &cp);
                        if (han_value(cp) < 0) break;
                        m += l2;
                        cnt++;
                    }
                    if (cnt >= 2) {
                        lo = k;
                        hi = m;
                        break;
                    }
                    k = m;
                }
                scan = k; /* no span starts in [a, scan) */
            }
            size_t cut = b;
            if (a < lo && cut > lo) cut = lo;
            if (a >= lo && a < hi) cut = hi;
            rp_err e = emit_nospace(st, out, s, i + a, i + cut);
            if (e) return e;
            a = cut;
        }
    }
    return RP_OK;
}

/* ---- the tokenizer ---------------------------------------------------- */

/* Is the lower-cased ASCII form (w, n) an article or pronoun that elides
 * before an apostrophe in the language (l'homme, dell'anno, qu'il)? */
static int elides(int lang, const unsigned char *w, size_t n)
{
    static const char *const fr = " l d j m n s t c qu jusqu lorsqu puisqu quoiqu presqu ";
    static const char *const it = " l d c un dell all dall nell sull coll quest quell ";
    static const char *const ca = " l d s m t n ";
    const char *code = rp_lang_code(lang), *set = NULL;
    if (strcmp(code, "fr") == 0)
        set = fr;
    else if (strcmp(code, "it") == 0)
        set = it;
    else if (strcmp(code, "ca") == 0)
        set = ca;
    if (!set || n == 0 || n > 7) return 0;
    char key[10];
    key[0] = ' ';
    memcpy(key + 1, w, n);
    key[n + 1] = ' ';
    key[n + 2] = '\0';
    return strstr(set, key) != NULL;
}

rp_err rp_shingle_tokenize(const char *text, size_t len, rp_tokens *out, size_t max_tokens)
{
    return rp_shingle_tokenize_lang(text, len, NULL, out, max_tokens);
}

rp_err rp_shingle_tokenize_lang(const char *text, size_t len, const char *lang, rp_tokens *out,
                                size_t max_tokens)
{
    if (!out || (!text && len)) return RP_ARG;
    out->n = 0;
    if (len > UINT32_MAX) return RP_LIMIT;
    tstate *st = state_get();
    if (!st) return RP_NOMEM;
    int lid = rp_lang_id(lang);
    if (!state_lang(st, lid)) return RP_NOMEM;
    int elision = (rp_lang_flags(lid) & RP_LANGF_ELISION) != 0;
    /* One allocation up front where push() would double its way up: news
     * prose runs about 6 bytes a word (the guess only sizes the array). */
    size_t want = len / 6 + 16;
    if (max_tokens && want > max_tokens) want = max_tokens;
    if (out->cap < want) {
        rp_token *v = realloc(out->v, want * sizeof *v);
        if (!v) return RP_NOMEM;
        out->v = v;
        out->cap = want;
    }
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0;
    rp_err e = RP_OK;
    while (i < len && (max_tokens == 0 || out->n < max_tokens)) {
        unsigned char c = s[i];
        int32_t cp;
        size_t clen = 1;
        int cls;
        if (c < 0x80) {
            if (!(atab[c] & A_WORD)) {
                i++;
                continue;
            }
            cls = (atab[c] & A_ALPHA) ? C_LETTER : C_WORD;
        } else {
            clen = decode(s + i, len - i, &cp);
            cls = classify(cp);
            if (cls == C_NOSPACE) {
                size_t j = i + clen;
                while (j < len && s[j] >= 0x80) {
                    int32_t m;
                    size_t ml = decode(s + j, len - j, &m);
                    if (m < 0 || classify(m) != C_NOSPACE) break;
                    j += ml;
                }
                e = nospace_run(st, out, s, i, j, max_tokens);
                if (e) return e;
                i = j;
                continue;
            }
            if (cls != C_WORD && cls != C_LETTER) {
                i += clen;
                continue;
            }
        }

        /* A word token starts at i. */
        if (cls == C_LETTER && c < 0x80 && i + 2 < len && s[i + 1] == '.') {
            size_t al = abbrev_len(s, len, i);
            if (al) {
                if (!tb_grow(st, al)) return RP_NOMEM;
                for (size_t k = 0; k < al; k++)
                    st->tb[k] = lower(s[i + k]);
                e = emit(st, out, i, i + al, al, 0, 1, 0);
                if (e) return e;
                i += al;
                continue;
            }
        }
        size_t j = i, end = i, tl = 0, elided = 0;
        int nonascii = 0, has_letter = 0;
        for (;;) {
            while (j < len && s[j] < 0x80 && (atab[s[j]] & A_WORD)) {
                if (tl == st->tcap && !tb_grow(st, tl + 1)) return RP_NOMEM;
                has_letter |= atab[s[j]] & A_ALPHA;
                st->tb[tl++] = lower(s[j++]);
            }
            end = j;
            if (j >= len) break;
            c = s[j];
            unsigned char fold = 0;
            if (c < 0x80) {
                unsigned char a = atab[c];
                if (a & A_APOS) {
                    fold = '\'';
                } else if (a & A_HYPH) {
                    fold = '-';
                } else if ((a & A_NUMSEP) && s[j - 1] < 0x80 && (atab[s[j - 1]] & A_DIGIT) &&
                           j + 1 < len && s[j + 1] < 0x80 && (atab[s[j + 1]] & A_DIGIT)) {
                    fold = c;
                } else {
                    break;
                }
                if (!word_at(s, len, j + 1)) break;
                if (fold == '\'' && elision && !nonascii && elides(lid, st->tb, tl)) {
                    elided = j + 1;
                    break;
                }
                if (!tb_grow(st, tl + 1)) return RP_NOMEM;
                st->tb[tl++] = fold;
                j++;
                continue;
            }
            clen = decode(s + j, len - j, &cp);
            cls = classify(cp);
            if (cls == C_WORD || cls == C_LETTER) {
                if (!tb_grow(st, tl + clen)) return RP_NOMEM;
                memcpy(st->tb + tl, s + j, clen);
                tl += clen;
                j += clen;
                nonascii = 1;
                has_letter |= cls == C_LETTER;
                continue;
            }
            if (cls == C_IGNORE && word_at(s, len, j + clen)) {
                j += clen;
                continue;
            }
            if ((cls == C_APOS || cls == C_HYPH) && word_at(s, len, j + clen)) {
                if (cls == C_APOS && elision && !nonascii && elides(lid, st->tb, tl)) {
                    elided = j + clen;
                    break;
                }
                if (!tb_grow(st, tl + 1)) return RP_NOMEM;
                st->tb[tl++] = cls == C_APOS ? '\'' : '-';
                j += clen;
                continue;
            }
            break;
        }
        if (elided) {
            /* The elided word, its apostrophe in its span, not in its form. */
            e = emit(st, out, i, elided, tl, 0, 1, 0);
            if (e) return e;
            i = elided;
            continue;
        }
        e = emit(st, out, i, end, tl, nonascii, has_letter, 0);
        if (e) return e;
        i = end;
    }
    return RP_OK;
}

void rp_tokens_free(rp_tokens *t)
{
    if (!t) return;
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}
