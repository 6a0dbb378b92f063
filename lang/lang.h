/*
 * lang.h: what lang/ gives the other modules (not public API).
 *
 * A language is a small number, an index into the table of lang/lang.c;
 * RP_LANG_UND (0) is "not known", which every module treats by the rules
 * reprint applied before it told languages apart (English ones), so a text
 * of unknown language tokenises and verifies exactly as it used to.
 */
#ifndef RP_LANG_H
#define RP_LANG_H
#include <stddef.h>
#include <stdint.h>

#define RP_LANG_UND 0

/* Language properties (rp_lang_flags). */
#define RP_LANGF_NOUN_CAPS 0x1 /* capitals mark nouns, not names (German) */
#define RP_LANGF_DEC_COMMA 0x2 /* decimal comma, "." or space groups digits */
#define RP_LANGF_ELISION 0x4   /* articles elide into the next word (l'homme) */
#define RP_LANGF_ENGLISH 0x8   /* English: the rules the project was tuned with */
#define RP_LANGF_SENT_ICU 0x10 /* sentences by ICU's rules, not the English ones */

/* The language numbered by an ISO 639-1 code as rp_lang_canonical gives it
 * ("fr"); RP_LANG_UND for NULL, "und" and unknown codes. */
int rp_lang_id(const char *code);
/* Its code ("und" for RP_LANG_UND), a static string. */
const char *rp_lang_code(int lang);
/* Its Snowball stemmer name ("french"), or NULL when it has none. */
const char *rp_lang_stemmer(int lang);
unsigned rp_lang_flags(int lang);

/* A fixed set of words tagged with the lists (up to 64) each is in, for
 * the stopword lists and the calendar names (wordset.c). hash and lists are
 * the caller's arrays of size entries, zeroed, size a power of two at least
 * twice the words added. */
typedef struct rp_wordset {
    uint64_t *hash, *lists;
    size_t size;
} rp_wordset;
/* XXH3-64 of (w, n) normalised as the tokenizer normalises a token (NFKC,
 * case folded). */
uint64_t rp_wordset_hash(const char *w, size_t n);
/* Add the NUL-terminated word w to list number list (0..63). */
void rp_wordset_add(rp_wordset *set, const char *w, unsigned list);
/* The lists (bits) the word whose rp_wordset_hash is hash is in; 0: none. */
uint64_t rp_wordset_lists(const rp_wordset *set, uint64_t hash);

/* Size of the stopword lists' word set: a power of two, at least twice
 * the words of all lists, so probes stay short. */
#define RP_STOPWORD_TABLE_SIZE 8192
/* Add every word of every stopword list (list number: the list's index) to
 * set, which has RP_STOPWORD_TABLE_SIZE entries: how the set compiled into
 * the library is made at build time (scripts/gen-stopword-table.c). */
void rp_stopwords_fill(rp_wordset *set);
/* The set the lookups below use (its arrays are the library's: read only). */
void rp_stopwords_set(rp_wordset *out);

/* Non-zero if hash is the XXH3-64 of the normalised form (NFKC, case
 * folded: the tokenizer's form) of a stopword of the language. Unknown
 * languages use the English list. Thread-safe. */
int rp_lang_stopword(int lang, uint64_t hash);
/* The same for a word as written (w, n bytes of UTF-8): normalised as the
 * tokenizer normalises a token first. */
int rp_lang_stopword_word(int lang, const char *w, size_t n);
/* Of the languages with a stopword list, the one whose stopwords make up
 * the largest share of the words of (s, n) (runs of letters); *best and
 * *second receive that share and the next language's. RP_LANG_UND if no
 * word is a stopword of any language. */
int rp_lang_vote(const char *s, size_t n, double *best, double *second);
/* Whether the language has a stopword list (else every word is content). */
int rp_lang_has_stopwords(int lang);

/* Non-zero if hash (as rp_lang_stopword's) is a month or weekday name of
 * the language, where its case does not make it a name (not English; 0
 * for languages without a list). Thread-safe. */
int rp_lang_calendar(int lang, uint64_t hash);
/* Non-zero if the word (w, n bytes as written) of a compounding language
 * (German, Dutch) is a compound of a weekday: ends in one ("Ostermontag")
 * or is one followed by a part of the day ("Montagmorgen"). 0 for other
 * languages. Thread-safe. */
int rp_lang_calendar_compound(int lang, const char *w, size_t n);

/* Identify the language of (text, len); RP_LANG_UND when it cannot tell
 * (too little text, a script or language not in the table). */
int rp_lang_detect_id(const char *text, size_t len);

#endif
