/*
 * stopwords.c: stopword lists per language, and their lookup by token hash.
 *
 * One source serves the tokenizer (stopwords are not content: the stem
 * shingles skip them) and the HTML extractor (prose is dense in them,
 * chrome is not). The lists of every language but English are the Snowball
 * project's, as Debian's liblingua-stopwords-perl ships them, turned into
 * a C table at build time (scripts/gen-stopwords); a few languages get a
 * short supplement of their commonest function words that those lists
 * leave out (French "a", "les"). English keeps the list reprint's English
 * figures were tuned with: Snowball's words plus a few news-wire ones
 * ("said", "also").
 *
 * The tokenizer already hashes every token's normalised form, so stopwords
 * are looked up by that hash rather than by string: each list is
 * normalised as the tokenizer normalises a token (NFKC, case folding),
 * hashed, and stored in one word set (wordset.c: hash and language bitmask,
 * linear probing); a lookup is one or two 64-bit compares. The set is made
 * at build time (scripts/gen-stopword-table.c runs rp_stopwords_fill of
 * this file compiled with RP_STOPWORDS_RUNTIME) and compiled in as data: a
 * process no longer spends 2 million instructions and 32 page faults
 * making it before its first lookup.
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include "lang/lang.h"
#include "lang/stopwords_data.h"
#ifndef RP_STOPWORDS_RUNTIME
#include "lang/stopwords_table.h" /* table and mask, made by the lines below */
#endif

static const char *const sw_en[] = {
    "a",          "about",     "above",      "after",   "again",   "against",   "all",
    "am",         "an",        "and",        "any",     "are",     "aren't",    "as",
    "at",         "be",        "because",    "been",    "before",  "being",     "below",
    "between",    "both",      "but",        "by",      "can",     "can't",     "cannot",
    "could",      "couldn't",  "did",        "didn't",  "do",      "does",      "doesn't",
    "doing",      "don't",     "down",       "during",  "each",    "few",       "for",
    "from",       "further",   "had",        "hadn't",  "has",     "hasn't",    "have",
    "haven't",    "having",    "he",         "he'd",    "he'll",   "he's",      "her",
    "here",       "here's",    "hers",       "herself", "him",     "himself",   "his",
    "how",        "how's",     "i",          "i'd",     "i'll",    "i'm",       "i've",
    "if",         "in",        "into",       "is",      "isn't",   "it",        "it's",
    "its",        "itself",    "let's",      "me",      "more",    "most",      "mustn't",
    "my",         "myself",    "no",         "nor",     "not",     "of",        "off",
    "on",         "once",      "only",       "or",      "other",   "ought",     "our",
    "ours",       "ourselves", "out",        "over",    "own",     "same",      "shan't",
    "she",        "she'd",     "she'll",     "she's",   "should",  "shouldn't", "so",
    "some",       "such",      "than",       "that",    "that's",  "the",       "their",
    "theirs",     "them",      "themselves", "then",    "there",   "there's",   "these",
    "they",       "they'd",    "they'll",    "they're", "they've", "this",      "those",
    "through",    "to",        "too",        "under",   "until",   "up",        "very",
    "was",        "wasn't",    "we",         "we'd",    "we'll",   "we're",     "we've",
    "were",       "weren't",   "what",       "what's",  "when",    "when's",    "where",
    "where's",    "which",     "while",      "who",     "who's",   "whom",      "why",
    "why's",      "will",      "with",       "won't",   "would",   "wouldn't",  "you",
    "you'd",      "you'll",    "you're",     "you've",  "your",    "yours",     "yourself",
    "yourselves", "also",      "just",       "said",    "says",    "may",       "might",
    "must",       "shall",     "upon",       "whether", "yet",     NULL,
};

/* Function words the Snowball lists lack, in our own choice. */
static const char *const sup_fr[] = {
    "a",     "les",  "leurs", "dont",  "où",     "selon",  "plus",   "aussi",  "comme",
    "sans",  "sous", "tout",  "tous",  "toute",  "toutes", "très",   "cette",  "cet",
    "ces",   "lors", "après", "avant", "entre",  "depuis", "vers",   "chez",   "ainsi",
    "alors", "donc", "car",   "l",     "d",      "j",      "m",      "n",      "s",
    "t",     "c",    "qu",    "jusqu", "lorsqu", "puisqu", "quoiqu", "presqu", NULL,
};
static const char *const sup_es[] = {"según", "entre", "hasta", "desde", "tras", "sobre", NULL};
static const char *const sup_it[] = {"anche", "dopo", "secondo", "ancora", "tra",   "fra",
                                     "l",     "d",    "c",       "un",     "dell",  "all",
                                     "dall",  "nell", "sull",    "quest",  "quell", NULL};
static const char *const sup_pt[] = {"segundo", "após", "entre", "sobre", "ainda", NULL};
static const char *const sup_de[] = {"sei", "seien", "wurde", "wurden", "worden", "laut", NULL};
/* Languages Snowball has no list for: particles and function words. */
static const char *const sw_zh[] = {
    "的", "了", "在", "是", "和", "与", "及", "也",   "就",   "都",   "而",
    "着", "或", "这", "那", "他", "她", "它", "我们", "他们", "对",   "从",
    "把", "被", "让", "给", "但", "并", "等", "将",   "已",   "还",   "又",
    "于", "以", "为", "之", "其", "中", "有", "一个", "说",   "表示", NULL,
};
static const char *const sw_ja[] = {
    "の",   "に",   "は",   "を",   "た",     "が",   "で",     "て",   "と",   "し",
    "れ",   "さ",   "も",   "な",   "か",     "だ",   "へ",     "や",   "ある", "いる",
    "する", "した", "から", "こと", "として", "など", "ない",   "この", "その", "ため",
    "よう", "また", "まで", "より", "です",   "ます", "という", NULL,
};
static const char *const sw_ar[] = {
    "في", "من", "إلى", "على", "أن",  "إن",  "عن",  "مع",  "هذا", "هذه", "التي", "الذي", "كان", "قد",
    "لا", "ما", "أو",  "ثم",  "كما", "بين", "بعد", "قبل", "حتى", "عند", "كل",   "وقال", "قال", NULL,
};

typedef struct list {
    const char *code;
    const char *const *words;
} list;

#define GEN_LIST(c) {#c, sw_##c},
static const list lists[] = {
    {"en", sw_en}, {"zh", sw_zh}, {"ja", sw_ja}, {"ar", sw_ar}, GEN_STOPWORD_LISTS(GEN_LIST)};
#undef GEN_LIST
#define NLISTS (sizeof lists / sizeof lists[0])

#ifdef RP_STOPWORDS_RUNTIME
static uint64_t table[RP_STOPWORD_TABLE_SIZE], mask[RP_STOPWORD_TABLE_SIZE];
#endif
static rp_wordset set = {table, mask, RP_STOPWORD_TABLE_SIZE};
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int list_of[64]; /* language id -> index into lists + 1, 0: none */

/* The supplement of the list with that code, or NULL. */
static const char *const *more_of(const char *code)
{
    if (strcmp(code, "fr") == 0) return sup_fr;
    if (strcmp(code, "es") == 0) return sup_es;
    if (strcmp(code, "it") == 0) return sup_it;
    if (strcmp(code, "pt") == 0) return sup_pt;
    if (strcmp(code, "de") == 0) return sup_de;
    return NULL;
}

void rp_stopwords_fill(rp_wordset *s)
{
    for (size_t li = 0; li < NLISTS; li++) {
        for (const char *const *w = lists[li].words; *w; w++)
            rp_wordset_add(s, *w, (unsigned)li);
        for (const char *const *w = more_of(lists[li].code); w && *w; w++)
            rp_wordset_add(s, *w, (unsigned)li);
    }
}

void rp_stopwords_set(rp_wordset *out)
{
    *out = set;
}

static void build(void)
{
#ifdef RP_STOPWORDS_RUNTIME
    rp_stopwords_fill(&set);
#endif
    for (size_t li = 0; li < NLISTS; li++) {
        int id = rp_lang_id(lists[li].code);
        if (id > 0 && id < 64) list_of[id] = (int)li + 1;
    }
    list_of[RP_LANG_UND] = 1; /* unknown: English */
}

int rp_lang_has_stopwords(int lang)
{
    pthread_once(&once, build);
    return lang >= 0 && lang < 64 && list_of[lang] != 0;
}

int rp_lang_stopword_word(int lang, const char *w, size_t n)
{
    return n > 0 && n < 32 && rp_lang_stopword(lang, rp_wordset_hash(w, n));
}

int rp_lang_vote(const char *text, size_t n, double *best, double *second)
{
    pthread_once(&once, build);
    const unsigned char *s = (const unsigned char *)text;
    size_t cnt[NLISTS] = {0}, words = 0, i = 0;
    *best = *second = 0;
    while (i < n) {
        while (i < n && !(s[i] >= 0x80 || (unsigned)((s[i] | 0x20) - 'a') < 26u))
            i++;
        size_t a = i;
        while (i < n && (s[i] >= 0x80 || (unsigned)((s[i] | 0x20) - 'a') < 26u || s[i] == '\''))
            i++;
        if (i == a) continue;
        words++;
        if (i - a >= 32) continue;
        uint64_t m = rp_wordset_lists(&set, rp_wordset_hash(text + a, i - a));
        for (size_t li = 0; m && li < NLISTS; li++, m >>= 1)
            cnt[li] += m & 1;
    }
    if (!words) return 0;
    size_t b = NLISTS, b2 = NLISTS;
    for (size_t li = 0; li < NLISTS; li++) {
        if (b == NLISTS || cnt[li] > cnt[b]) {
            b2 = b;
            b = li;
        } else if (b2 == NLISTS || cnt[li] > cnt[b2]) {
            b2 = li;
        }
    }
    if (b == NLISTS || cnt[b] == 0) return 0;
    *best = (double)cnt[b] / (double)words;
    *second = b2 < NLISTS ? (double)cnt[b2] / (double)words : 0;
    return rp_lang_id(lists[b].code);
}

int rp_lang_stopword(int lang, uint64_t hash)
{
    pthread_once(&once, build);
    if (lang < 0 || lang >= 64 || !list_of[lang]) return 0;
    return (rp_wordset_lists(&set, hash) >> (list_of[lang] - 1)) & 1;
}
