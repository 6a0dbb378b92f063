/*
 * stopwords.c: the English stopword list and its lookup by token hash.
 *
 * The tokenizer already hashes every token's normalised form, so stopwords
 * are looked up by that hash rather than by string: the list below is hashed
 * once (pthread_once) into a small open-addressing table with linear
 * probing, and a lookup is one or two 64-bit compares. The list holds common
 * function words (articles, pronouns, auxiliaries, prepositions,
 * conjunctions, contractions as the tokenizer normalises them, i.e. with a
 * straight apostrophe and lower case).
 */
#include <pthread.h>
#include <stddef.h>
#include <string.h>

#include <xxhash.h>

#include "shingle/internal.h"

static const char *const words[] = {
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
    "must",       "shall",     "upon",       "whether", "yet",
};

/* Power of two, at least twice the list, so probes stay short. */
#define TABLE_SIZE 512
static uint64_t table[TABLE_SIZE];
static unsigned char used[TABLE_SIZE];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void build(void)
{
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        uint64_t h = XXH3_64bits(words[i], strlen(words[i]));
        size_t s = (size_t)h & (TABLE_SIZE - 1);
        while (used[s] && table[s] != h)
            s = (s + 1) & (TABLE_SIZE - 1);
        table[s] = h;
        used[s] = 1;
    }
}

int rp_stopword_is(uint64_t hash)
{
    pthread_once(&once, build);
    size_t s = (size_t)hash & (TABLE_SIZE - 1);
    while (used[s]) {
        if (table[s] == hash) return 1;
        s = (s + 1) & (TABLE_SIZE - 1);
    }
    return 0;
}
