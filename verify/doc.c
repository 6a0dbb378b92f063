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
 * capitalise most words inside sentences (title case) have no names in this
 * sense. Languages that capitalise their nouns (German) take as names only
 * capitalised words next to another capitalised word inside a sentence
 * ("Olaf Scholz", "Deutsche Bank": compounds make two nouns in a row rare)
 * and words in capitals ("SPD"). Scripts without case have capitals only in
 * the Latin words they quote; Japanese also writes foreign names in
 * katakana, so a katakana word of two or more characters is a name there.
 *
 * Sentences: in English (and texts of unknown language) a word opens a
 * sentence when the nearest character before it that is not a space, a
 * quotation mark, a bracket or a non-ASCII character is . ! ? : or a line
 * end, found in one pass over the words (each word's look-back stops at the
 * previous word unless that word is all skippable bytes, in which case the
 * previous word's answer is the answer). Other languages use ICU's
 * sentence break rules, which know 。 ؟ । and the rest.
 *
 * In English the number words two to nine are the figures 2 to 9 here (as
 * words to compare, not in the index): a wire's headline or alert writes
 * "6 blasts hit 3 churches" where its story writes "six blasts have hit
 * three churches". "One" is left alone: it is a pronoun as often as a
 * figure.
 */
#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/utext.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "lang/lang.h"
#include "reprint.h"
#include "verify/docarena.h"
#include "verify/verify.h"

/* Tokens of a text that count when none is given: the indexer's bound
 * (pipeline/features.c), so that no text makes preparation unbounded. */
#define DOC_MAX_TOKENS ((size_t)1 << 20)

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

/* The English look-back: 1 or 0 when a byte of s[lo, hi) (read from hi
 * down) decides whether what follows opens a sentence, -1 when all of them
 * are skippable. */
static int look_back(const char *s, size_t lo, size_t hi)
{
    while (hi > lo) {
        unsigned char c = (unsigned char)s[hi - 1];
        if (c == '.' || c == '!' || c == '?' || c == ':' || c == '\n' || c == '\r') return 1;
        if (c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '(' || c == '[' || c >= 0x80) {
            hi--;
            continue;
        }
        return 0;
    }
    return -1;
}

/* start[k] = 1 if token k opens a sentence, by the English rule (see the
 * top of the file), in time linear in the text. */
static void sentences_english(const rp_doc *d, uint8_t *start)
{
    const rp_tokens *t = &d->toks;
    for (size_t k = 0; k < t->n; k++) {
        size_t prev_end = k ? t->v[k - 1].end : 0;
        int r = look_back(d->text, prev_end, t->v[k].start);
        if (r < 0 && k) r = look_back(d->text, t->v[k - 1].start, t->v[k - 1].end);
        if (r < 0) r = k ? start[k - 1] : 1;
        start[k] = (uint8_t)r;
    }
}

/* The same by ICU's sentence break rules; English rules if ICU fails. */
static void sentences_icu(const rp_doc *d, uint8_t *start)
{
    const rp_tokens *t = &d->toks;
    UErrorCode st = U_ZERO_ERROR;
    UText *ut = utext_openUTF8(NULL, d->text, (int64_t)d->len, &st);
    UBreakIterator *bi =
        U_SUCCESS(st) ? ubrk_open(UBRK_SENTENCE, rp_lang_code(d->lang), NULL, 0, &st) : NULL;
    if (bi && U_SUCCESS(st)) ubrk_setUText(bi, ut, &st);
    if (!bi || U_FAILURE(st)) {
        if (bi) ubrk_close(bi);
        if (ut) utext_close(ut);
        sentences_english(d, start);
        return;
    }
    ubrk_first(bi);
    size_t k = 0;
    while (k < t->n) {
        /* The first token before the next boundary opens a sentence. */
        int32_t next = ubrk_next(bi);
        size_t lim = next == UBRK_DONE ? SIZE_MAX : (size_t)next;
        int first = 1;
        for (; k < t->n && t->v[k].start < lim; k++) {
            start[k] = (uint8_t)first;
            first = 0;
        }
        if (next == UBRK_DONE) break;
    }
    ubrk_close(bi);
    utext_close(ut);
}

/* A katakana word of two or more characters (a foreign name in Japanese). */
static int katakana_word(const char *s, size_t a, size_t b)
{
    size_t chars = 0;
    for (size_t i = a; i < b;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(b - i), &cp);
        if (k <= 0) return 0;
        if (!((cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF))) return 0;
        chars++;
        i += (size_t)k;
    }
    return chars >= 2;
}

/* A unit or counter that Chinese and Japanese write right after a figure
 * (2022年, 12月18日23时59分, 96岁, 6.2级, 10公里, 300人): part of the figure,
 * as "December 18" and "96-year-old" are in English, so two reports that
 * share a date and a toll do not share content words for it. Simplified
 * and traditional forms. */
static int cjk_unit(const char *s, size_t a, size_t b)
{
    static const char *const units[] = {
        "年",   "月",   "日",   "号",   "號",   "时",   "時",   "点",   "點",   "分",
        "秒",   "岁",   "歲",   "级",   "級",   "度",   "米",   "公里", "千米", "公斤",
        "吨",   "噸",   "元",   "美元", "亿",   "億",   "万",   "萬",   "人",   "名",
        "个",   "個",   "次",   "倍",   "天",   "周",   "週",   "小时", "小時", "分钟",
        "分鐘", "多",   "余",   "餘",   "亿元", "億元", "万元", "萬元", "万人", "萬人",
        "余人", "餘人", "多人", "周年", "週年", "歳",   "円",   "件",   "回",   "階"};
    size_t n = b - a;
    for (size_t k = 0; k < sizeof units / sizeof *units; k++)
        if (strlen(units[k]) == n && memcmp(s + a, units[k], n) == 0) return 1;
    return 0;
}

/* Every letter of the token in capitals, two at least ("SPD", "AFP"). */
static int all_caps(const char *s, size_t a, size_t b)
{
    size_t up = 0;
    for (size_t i = a; i < b;) {
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(b - i), &cp);
        if (k <= 0) return 0;
        utf8proc_category_t cat = utf8proc_category(cp);
        if (cat == UTF8PROC_CATEGORY_LL || cat == UTF8PROC_CATEGORY_LO) return 0;
        up += cat == UTF8PROC_CATEGORY_LU;
        i += (size_t)k;
    }
    return up >= 2;
}

static int hash_cmp(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

static int is_number(const rp_doc *d, const rp_token *tk)
{
    unsigned char c = (unsigned char)d->text[tk->start];
    return (c >= '0' && c <= '9') || (tk->flags & RP_TOK_NUM);
}

/* Mark names and numbers (wname) and sentence openers (wsent); needs wtok
 * and whash. */
static rp_err mark_names(rp_doc *d)
{
    const rp_tokens *t = &d->toks;
    size_t n = d->nw, ninside = 0, ncap = 0;
    unsigned flags = rp_lang_flags(d->lang);
    int nouns = (flags & RP_LANGF_NOUN_CAPS) != 0;
    int japanese = strcmp(rp_lang_code(d->lang), "ja") == 0;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    uint8_t *start = rp_vbuf_get(sc, RP_VS_WSENT, n ? n : 1);
    uint8_t *tstart = rp_vbuf_get(sc, RP_VS_TSTART, t->n ? t->n : 1);
    uint8_t *cap = rp_vbuf_get(sc, RP_VS_CAP, n ? n : 1);
    uint64_t *caps = rp_vbuf_get(sc, RP_VS_CAPS, 2 * (n ? n : 1) * sizeof *caps);
    if (!start || !caps || !tstart || !cap) return RP_NOMEM;
    if (flags & RP_LANGF_SENT_ICU)
        sentences_icu(d, tstart);
    else
        sentences_english(d, tstart);
    for (size_t i = 0; i < n; i++) {
        const rp_token *tk = &t->v[d->wtok[i]];
        /* Dates are facts of the event, like names and figures: month
         * and weekday names count as names where no capital says so. */
        d->wname[i] =
            (uint8_t)(is_number(d, tk) || rp_lang_calendar(d->lang, tk->hash) ||
                      rp_lang_calendar_compound(d->lang, d->text + tk->start, tk->end - tk->start));
        if (i > 0 && (tk->flags & RP_TOK_CJK) && (t->v[d->wtok[i - 1]].flags & RP_TOK_CJK) &&
            t->v[d->wtok[i - 1]].end == tk->start &&
            rp_cjk_place_suffix(d->text, tk->start, tk->end, japanese))
            d->wname[i] = d->wname[i - 1] = 1;
        if (!d->wname[i] && i > 0 && (tk->flags & RP_TOK_CJK) && d->wname[i - 1]) {
            const rp_token *pt = &t->v[d->wtok[i - 1]];
            if (pt->end == tk->start && is_number(d, pt) && cjk_unit(d->text, tk->start, tk->end))
                d->wname[i] = 1;
        }
        start[i] = tstart[d->wtok[i]];
        cap[i] = 0;
        if (d->wname[i] || (tk->flags & RP_TOK_STOP)) continue;
        if ((unsigned char)d->text[tk->start] >= 0xE3 && (tk->flags & RP_TOK_CJK) &&
            katakana_word(d->text, tk->start, tk->end)) {
            d->wname[i] = 1;
            continue;
        }
        if (start[i]) continue;
        ninside++;
        if (is_upper_at(d->text, d->len, tk->start)) {
            cap[i] = 1;
            if (!nouns || all_caps(d->text, tk->start, tk->end)) {
                d->wname[i] = 1;
                caps[ncap++] = d->whash[i];
            }
        }
    }
    if (nouns) {
        /* Two capitalised words in a row inside a sentence: a name. */
        for (size_t i = 0; i + 1 < n; i++)
            if (cap[i] && cap[i + 1] && !start[i + 1]) {
                if (!d->wname[i]) caps[ncap++] = d->whash[i];
                if (!d->wname[i + 1]) caps[ncap++] = d->whash[i + 1];
                d->wname[i] = d->wname[i + 1] = 1;
            }
    } else if (ncap > NAME_SHARE_MAX * (double)ninside) {
        for (size_t i = 0; i < n; i++)
            d->wname[i] = (uint8_t)is_number(d, &t->v[d->wtok[i]]);
        ncap = 0;
    }
    if (ncap) {
        rp_vsort_u64(caps, caps + ncap, ncap);
        for (size_t i = 0; i < n; i++)
            if (start[i] && !d->wname[i] &&
                bsearch(&d->whash[i], caps, ncap, sizeof *caps, hash_cmp))
                d->wname[i] = 1;
    }
    rp_cjk_names_mark(d, d->wname);
    d->wsent = start;
    return RP_OK;
}

/* The XXH3-64 of the English number words two to nine (tokens' hashes:
 * of their normalised form) into h[0..7]. */
static void number_words(uint64_t h[8])
{
    static const char *const words[] = {"two", "three", "four",  "five",
                                        "six", "seven", "eight", "nine"};
    for (size_t i = 0; i < 8; i++)
        h[i] = XXH3_64bits(words[i], strlen(words[i]));
}

static rp_err build_words(rp_doc *d)
{
    rp_tokens *t = &d->toks;
    int english = d->lang == RP_LANG_UND || (rp_lang_flags(d->lang) & RP_LANGF_ENGLISH);
    uint64_t numw[8];
    if (english) number_words(numw);
    size_t n = 0;
    for (size_t k = 0; k < t->n; k++)
        if (!(t->v[k].flags & RP_TOK_CHROME)) n++;
    d->nw = n;
    size_t m = n ? n : 1;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    d->wtok = rp_vbuf_get(sc, RP_VS_WTOK, m * sizeof *d->wtok);
    d->wquoted = rp_vbuf_get(sc, RP_VS_WQUOTED, m);
    d->whash = rp_vbuf_get(sc, RP_VS_WHASH, m * sizeof *d->whash);
    d->wstem = rp_vbuf_get(sc, RP_VS_WSTEM, m * sizeof *d->wstem);
    d->wname = rp_vbuf_get(sc, RP_VS_WNAME, m);
    if (!d->wtok || !d->wquoted || !d->whash || !d->wstem || !d->wname) return RP_NOMEM;
    size_t i = 0;
    d->unquoted = 0;
    for (size_t k = 0; k < t->n; k++) {
        rp_token *tk = &t->v[k];
        if (tk->flags & RP_TOK_CHROME) continue;
        int digit = 0;
        for (int w = 0; english && !digit && w < 8; w++)
            if (tk->hash == numw[w]) digit = w + 2;
        uint64_t h = tk->hash, stem = (tk->flags & RP_TOK_STOP) ? 0 : (tk->stem ? tk->stem : 1);
        if (digit) { /* the figure's token: hash == stem, a number */
            char c = (char)('0' + digit);
            h = stem = XXH3_64bits(&c, 1);
            tk->flags |= RP_TOK_NUM;
        }
        d->wtok[i] = (uint32_t)k;
        d->wquoted[i] = (tk->flags & RP_TOK_QUOTED) != 0;
        d->whash[i] = h;
        d->wstem[i] = stem;
        i++;
    }
    d->nospace = 0;
    for (i = 0; i < n; i++) {
        d->unquoted += !d->wquoted[i];
        d->nospace += (t->v[d->wtok[i]].flags & RP_TOK_CJK) != 0;
    }
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
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    rp_seed *tmp = rp_vbuf_get(sc, RP_VS_SEEDTMP, (3 * n + 1) * sizeof *tmp);
    d->seeds = rp_vbuf_get(sc, RP_VS_SEEDS, (3 * n + 1) * sizeof *d->seeds);
    if (!d->seeds || !tmp) return RP_NOMEM;
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
    return RP_OK;
}

/* Offsets of a doc's arrays in its one block, each aligned to 8 bytes. */
static size_t place(size_t *at, size_t bytes)
{
    size_t o = *at;
    *at += (bytes + 7) & ~(size_t)7;
    return o;
}

/* Move the doc built in scratch (b) into one block of its own: the struct,
 * its text and its arrays, of exactly the sizes they came to. */
static rp_err settle(rp_docarena *arena, const rp_doc *b, rp_doc **out)
{
    size_t T = b->toks.n, n = b->nw, at = 0;
    size_t o_d = place(&at, sizeof *b), o_text = place(&at, b->len + 1),
           o_toks = place(&at, T * sizeof *b->toks.v), o_set = place(&at, b->nset * sizeof *b->set),
           o_wtok = place(&at, n * sizeof *b->wtok), o_whash = place(&at, n * sizeof *b->whash),
           o_wstem = place(&at, n * sizeof *b->wstem),
           o_seeds = place(&at, b->nseeds * sizeof *b->seeds), o_wquoted = place(&at, n),
           o_wname = place(&at, n), o_wsent = place(&at, n),
           o_para = place(&at, rp_para_bytes(b->para));
    size_t got = 0;
    char *blk = arena ? rp_docarena_alloc(arena, at, &got) : malloc(at);
    if (!blk) return RP_NOMEM;
    rp_doc *d = (rp_doc *)(void *)(blk + o_d);
    *d = *b;
    d->arena = arena;
    d->block = got;
    d->para = rp_para_place(b->para, blk + o_para);
#define MOVE(field, off, bytes)                                                                    \
    do {                                                                                           \
        d->field = (void *)(blk + (off));                                                          \
        size_t nbytes_ = (bytes);                                                                  \
        if (nbytes_) memcpy(d->field, b->field, nbytes_);                                          \
    } while (0)
    MOVE(text, o_text, b->len + 1);
    MOVE(toks.v, o_toks, T * sizeof *b->toks.v);
    d->toks.cap = T;
    MOVE(set, o_set, b->nset * sizeof *b->set);
    MOVE(wtok, o_wtok, n * sizeof *b->wtok);
    MOVE(whash, o_whash, n * sizeof *b->whash);
    MOVE(wstem, o_wstem, n * sizeof *b->wstem);
    MOVE(seeds, o_seeds, b->nseeds * sizeof *b->seeds);
    MOVE(wquoted, o_wquoted, n);
    MOVE(wname, o_wname, n);
    MOVE(wsent, o_wsent, n);
#undef MOVE
    *out = d;
    return RP_OK;
}

/* A doc is built in this thread's scratch buffers (no allocation in steady
 * state but the result) and then settled into one block with its sentence
 * index, so that it costs one allocation instead of some twenty and holds
 * no slack: arrays are exactly as long as they came out. */
rp_err rp_doc_new(rp_doc **out, const char *text, size_t len, const rp_doc_opts *opts)
{
    return rp_doc_new_in(NULL, out, text, len, opts);
}

rp_err rp_doc_new_in(rp_docarena *arena, rp_doc **out, const char *text, size_t len,
                     const rp_doc_opts *opts)
{
    if (!out) return RP_ARG;
    *out = NULL;
    if (!text && len) return RP_ARG;
    if (len > UINT32_MAX) return RP_LIMIT;
    rp_doc_opts o = {0};
    if (opts) o = *opts;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    rp_err e = RP_NOMEM;
    rp_doc b, *d = &b;
    memset(d, 0, sizeof *d);
    d->shingle_k = o.shingle_k ? o.shingle_k : RP_DEFAULT_SHINGLE_K;
    if (d->shingle_k > 64) return RP_ARG;
    d->text = rp_vbuf_get(sc, RP_VS_TEXT, len + 1);
    if (!d->text) return RP_NOMEM;
    if (len) memcpy(d->text, text, len);
    d->text[len] = '\0';
    d->len = len;

    if (o.lang) {
        const char *c = rp_lang_canonical(o.lang);
        d->lang = rp_lang_id(c);
    } else {
        d->lang = rp_lang_detect_id(d->text, len);
    }
    e = rp_shingle_tokenize_lang(d->text, len, rp_lang_code(d->lang), &sc->toks,
                                 o.max_tokens ? o.max_tokens : DOC_MAX_TOKENS);
    if (e != RP_OK) return e;
    d->toks = sc->toks;
    mark_chrome(&d->toks, o.chrome, o.chrome ? o.nchrome : 0);
    rp_furniture_mark(d->text, len, &d->toks);
    rp_quotes_mark(d->text, len, &d->toks);

    size_t T = d->toks.n;
    d->set = rp_vbuf_get(sc, RP_VS_SET, (T + 1) * sizeof *d->set);
    uint64_t *settmp = rp_vbuf_get(sc, RP_VS_SETTMP, (T + 1) * sizeof *settmp);
    if (!d->set || !settmp) return RP_NOMEM;
    if (T) {
        e = rp_shingle_hashes(&d->toks, RP_FAM_WORDS, d->shingle_k, d->set, NULL, &d->nset);
        if (e != RP_OK) return e;
        rp_vsort_u64(d->set, settmp, d->nset);
        size_t m = d->nset ? 1 : 0;
        for (size_t i = 1; i < d->nset; i++)
            if (d->set[i] != d->set[m - 1]) d->set[m++] = d->set[i];
        d->nset = m;
    }
    if ((e = build_words(d)) != RP_OK) return e;
    if ((e = build_seeds(d)) != RP_OK) return e;
    if ((e = rp_para_prepare(d, &d->para)) == RP_OK) e = settle(arena, d, out);
    rp_vscratch_trim(sc);
    return e;
}

void rp_doc_free(rp_doc *d)
{
    if (!d) return;
    /* the block holding the doc and its arrays */
    if (d->arena)
        rp_docarena_release(d->arena, d, d->block);
    else
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

const char *rp_doc_lang(const rp_doc *d)
{
    return rp_lang_code(d ? d->lang : RP_LANG_UND);
}

size_t rp_doc_unquoted_words(const rp_doc *d)
{
    return d ? d->unquoted : 0;
}
