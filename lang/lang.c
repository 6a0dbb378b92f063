/*
 * lang.c: the languages reprint tells apart, and telling them apart.
 *
 * One table holds every language: its ISO 639-1 code, the names a user
 * may give for it (--lang, JSONL "lang", <html lang>), its Snowball
 * stemmer, its TextCat model and its properties. Identification works in
 * two steps, over the first SAMPLE_BYTES of the text:
 *  1. The script of its letters (ICU's uscript_getScript). Most scripts
 *     name their language outright (Hangul: Korean; kana: Japanese; Han
 *     without kana: Chinese; Thai, Greek, Hebrew...).
 *  2. Scripts shared by several languages (Latin, Cyrillic, Arabic,
 *     Devanagari) are settled by the n-gram profiles of libexttextcat
 *     (Cavnar and Trenkle's TextCat), compared only with the languages of
 *     that script that the table lists: a Latin text is never taken for
 *     Scots or Latin, so English stays English.
 * Before the profiles, the stopword lists vote: when one language's
 * stopwords make up VOTE_SHARE of the words and clearly more than any
 * other's, that language is the answer (prose: one hash lookup a word).
 * A language found by the profiles is confirmed by its function words (at least
 * MIN_STOP_SHARE of the words must be its stopwords) or, for a language
 * without a stopword list, by a clear margin over the next profile; a text
 * that fails (a list of names, a table) is "und" too, so that a copy and
 * its original never part over a guess.
 * A text with fewer than MIN_LETTERS letters (MIN_LETTERS_SCRIPT where the
 * script decides: a Chinese character says more than a Latin letter) is
 * "und" (unknown), which the rest of reprint treats by
 * its English rules. The profiles are read once, on first use, from
 * REPRINT_TEXTCAT_DIR or the Debian folder; without them step 2 answers
 * "und" and indexing goes on.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <fingerprint.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "lang/lang.h"
#include "reprint.h"

#ifndef RP_TEXTCAT_DIR
#define RP_TEXTCAT_DIR "/usr/share/libexttextcat"
#endif

#define SAMPLE_BYTES 3000    /* text looked at (TextCat needs a few hundred bytes) */
#define MIN_LETTERS 24       /* fewer letters: unknown */
#define MIN_LETTERS_SCRIPT 8 /* ... or fewer than this where the script names the language */
#define MAX_NGRAMS 400       /* TextCat's profile size */
#define MIN_STOP_SHARE 0.10  /* prose in any listed language is 30-50% stopwords */
#define VOTE_SHARE 0.20      /* stopwords of one language decide when this many... */
#define VOTE_MARGIN 1.5      /* ... and this many times the next language's */
#define PROFILE_BYTES 1500   /* text given to the n-gram profiles */
#define CLEAR_MARGIN 1.03    /* TextCat's own: candidates within 3% are a tie */

typedef struct lang_def {
    const char *code;
    const char *names; /* other names, space-separated, lower case */
    const char *stemmer;
    const char *model; /* TextCat model file, NULL: decided by script */
    int script;        /* UScriptCode it is written in */
    unsigned flags;
} lang_def;

#define E RP_LANGF_DEC_COMMA
#define ICU RP_LANGF_SENT_ICU
static const lang_def langs[] = {
    {"und", "unknown", "english", NULL, -1, RP_LANGF_ENGLISH},
    {"en", "eng english", "english", "en.lm", USCRIPT_LATIN, RP_LANGF_ENGLISH},
    {"fr", "fra fre french français", "french", "fr.lm", USCRIPT_LATIN, E | ICU | RP_LANGF_ELISION},
    {"es", "spa spanish español castellano", "spanish", "es.lm", USCRIPT_LATIN, E | ICU},
    {"de", "deu ger german deutsch", "german", "de.lm", USCRIPT_LATIN,
     E | ICU | RP_LANGF_NOUN_CAPS},
    {"pt", "por portuguese português", "portuguese", "pt.lm", USCRIPT_LATIN, E | ICU},
    {"it", "ita italian italiano", "italian", "it.lm", USCRIPT_LATIN, E | ICU | RP_LANGF_ELISION},
    {"nl", "nld dut dutch nederlands", "dutch", "nl.lm", USCRIPT_LATIN, E | ICU},
    {"ca", "cat catalan català", "catalan", "ca.lm", USCRIPT_LATIN, E | ICU | RP_LANGF_ELISION},
    {"da", "dan danish dansk", "danish", "da.lm", USCRIPT_LATIN, E | ICU},
    {"sv", "swe swedish svenska", "swedish", "sv.lm", USCRIPT_LATIN, E | ICU},
    {"no", "nor nb nob nn nno norwegian norsk", "norwegian", "nb.lm", USCRIPT_LATIN, E | ICU},
    {"fi", "fin finnish suomi", "finnish", "fi.lm", USCRIPT_LATIN, E | ICU},
    {"hu", "hun hungarian magyar", "hungarian", "hu.lm", USCRIPT_LATIN, E | ICU},
    {"ro", "ron rum romanian română", "romanian", "ro.lm", USCRIPT_LATIN, E | ICU},
    {"tr", "tur turkish türkçe", "turkish", "tr.lm", USCRIPT_LATIN, E | ICU},
    {"id", "ind indonesian ms msa malay", "indonesian", "id.lm", USCRIPT_LATIN, ICU},
    {"eu", "eus baq basque euskara", "basque", "eu.lm", USCRIPT_LATIN, E | ICU},
    {"ga", "gle irish gaeilge", "irish", "ga.lm", USCRIPT_LATIN, ICU},
    {"lt", "lit lithuanian", "lithuanian", "lt.lm", USCRIPT_LATIN, E | ICU},
    {"pl", "pol polish polski", NULL, "pl.lm", USCRIPT_LATIN, E | ICU},
    {"cs", "ces cze czech čeština", NULL, "cs.lm", USCRIPT_LATIN, E | ICU},
    {"sk", "slk slo slovak", NULL, "sk.lm", USCRIPT_LATIN, E | ICU},
    {"sl", "slv slovenian slovene", NULL, "sl.lm", USCRIPT_LATIN, E | ICU},
    {"hr", "hrv croatian hrvatski bs bosnian", NULL, "hr.lm", USCRIPT_LATIN, E | ICU},
    {"et", "est estonian", NULL, "et.lm", USCRIPT_LATIN, E | ICU},
    {"lv", "lav latvian", NULL, "lv.lm", USCRIPT_LATIN, E | ICU},
    {"vi", "vie vietnamese", NULL, "vi.lm", USCRIPT_LATIN, E | ICU},
    {"ru", "rus russian русский", "russian", "ru.lm", USCRIPT_CYRILLIC, E | ICU},
    {"uk", "ukr ukrainian", NULL, "uk.lm", USCRIPT_CYRILLIC, E | ICU},
    {"bg", "bul bulgarian", NULL, "bg.lm", USCRIPT_CYRILLIC, E | ICU},
    {"sr", "srp serbian", "serbian", "sr-Cyrl.lm", USCRIPT_CYRILLIC, E | ICU},
    {"mk", "mkd mac macedonian", NULL, "mk.lm", USCRIPT_CYRILLIC, E | ICU},
    {"ar", "ara arabic", "arabic", "ar.lm", USCRIPT_ARABIC, ICU},
    {"fa", "fas per persian farsi", NULL, "fa.lm", USCRIPT_ARABIC, ICU},
    {"ur", "urd urdu", NULL, "ur.lm", USCRIPT_ARABIC, ICU},
    {"hi", "hin hindi", "hindi", "hi.lm", USCRIPT_DEVANAGARI, ICU},
    {"ne", "nep nepali", "nepali", "ne.lm", USCRIPT_DEVANAGARI, ICU},
    {"mr", "mar marathi", NULL, "mr.lm", USCRIPT_DEVANAGARI, ICU},
    {"el", "ell gre greek", "greek", NULL, USCRIPT_GREEK, E | ICU},
    {"he", "heb hebrew iw", NULL, NULL, USCRIPT_HEBREW, ICU},
    {"hy", "hye arm armenian", "armenian", NULL, USCRIPT_ARMENIAN, E | ICU},
    {"ka", "kat geo georgian", NULL, NULL, USCRIPT_GEORGIAN, E | ICU},
    {"ta", "tam tamil", "tamil", NULL, USCRIPT_TAMIL, ICU},
    {"bn", "ben bengali bangla", NULL, NULL, USCRIPT_BENGALI, ICU},
    {"zh", "zho chi chinese zh-cn zh-tw zh-hans zh-hant 中文", NULL, NULL, USCRIPT_HAN, ICU},
    {"ja", "jpn japanese 日本語", NULL, NULL, USCRIPT_JAPANESE, ICU},
    {"ko", "kor korean 한국어", NULL, NULL, USCRIPT_HANGUL, ICU},
    {"th", "tha thai", NULL, NULL, USCRIPT_THAI, ICU},
    {"lo", "lao", NULL, NULL, USCRIPT_LAO, ICU},
    {"km", "khm khmer", NULL, NULL, USCRIPT_KHMER, ICU},
    {"my", "mya bur burmese myanmar", NULL, NULL, USCRIPT_MYANMAR, ICU},
};
#undef E
#undef ICU
#define NLANGS (sizeof langs / sizeof langs[0])

int rp_lang_id(const char *code)
{
    if (!code) return RP_LANG_UND;
    for (size_t i = 1; i < NLANGS; i++)
        if (strcmp(langs[i].code, code) == 0) return (int)i;
    return RP_LANG_UND;
}

const char *rp_lang_code(int lang)
{
    return lang > 0 && (size_t)lang < NLANGS ? langs[lang].code : "und";
}

const char *rp_lang_stemmer(int lang)
{
    return lang >= 0 && (size_t)lang < NLANGS ? langs[lang].stemmer : "english";
}

unsigned rp_lang_flags(int lang)
{
    return lang >= 0 && (size_t)lang < NLANGS ? langs[lang].flags : RP_LANGF_ENGLISH;
}

/* Is w (n bytes, lower case) one of the space-separated names? */
static int in_names(const char *names, const char *w, size_t n)
{
    const char *p = names;
    while (*p) {
        const char *q = strchr(p, ' ');
        size_t m = q ? (size_t)(q - p) : strlen(p);
        if (m == n && memcmp(p, w, n) == 0) return 1;
        if (!q) break;
        p = q + 1;
    }
    return 0;
}

const char *rp_lang_canonical(const char *name)
{
    if (!name) return NULL;
    char buf[32];
    size_t n = strlen(name);
    if (n == 0 || n >= sizeof buf) return NULL;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)tolower((unsigned char)(name[i] == '_' ? '-' : name[i]));
    buf[n] = '\0';
    if (strcmp(buf, "und") == 0) return "und";
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 1; i < NLANGS; i++)
            if (strcmp(langs[i].code, buf) == 0 || in_names(langs[i].names, buf, n))
                return langs[i].code;
        /* "fr-CA", "pt-BR", "zh-Hant-TW": the primary subtag. */
        char *dash = strchr(buf, '-');
        if (!dash || pass) break;
        *dash = '\0';
        n = (size_t)(dash - buf);
    }
    return NULL;
}

/* ---- identification --------------------------------------------------- */

static void *models[NLANGS];
static pthread_once_t models_once = PTHREAD_ONCE_INIT;

static void models_load(void)
{
    const char *dir = getenv("REPRINT_TEXTCAT_DIR");
    if (!dir || !*dir) dir = RP_TEXTCAT_DIR;
    for (size_t i = 1; i < NLANGS; i++) {
        if (!langs[i].model) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, langs[i].model);
        void *h = fp_Init(langs[i].code);
        if (!h) continue;
        fp_SetProperty(h, TCPROP_UTF8AWARE, TC_TRUE);
        if (fp_Read(h, path, MAX_NGRAMS) == 0) {
            fp_Done(h);
            continue;
        }
        models[i] = h;
    }
}

/* Which script the letters of (s, n) are mostly written in, for the
 * scripts the table knows; USCRIPT_JAPANESE for Han with kana. *letters
 * receives the letters counted. */
static int main_script(const unsigned char *s, size_t n, size_t *letters)
{
    enum {
        LATIN,
        CYRL,
        ARAB,
        DEVA,
        GREK,
        HEBR,
        ARMN,
        GEOR,
        TAML,
        BENG,
        HAN,
        KANA,
        HANG,
        THAI,
        LAOO,
        KHMR,
        MYMR,
        NS
    };
    static const int code[NS] = {
        USCRIPT_LATIN,  USCRIPT_CYRILLIC, USCRIPT_ARABIC,   USCRIPT_DEVANAGARI, USCRIPT_GREEK,
        USCRIPT_HEBREW, USCRIPT_ARMENIAN, USCRIPT_GEORGIAN, USCRIPT_TAMIL,      USCRIPT_BENGALI,
        USCRIPT_HAN,    USCRIPT_JAPANESE, USCRIPT_HANGUL,   USCRIPT_THAI,       USCRIPT_LAO,
        USCRIPT_KHMER,  USCRIPT_MYANMAR};
    size_t cnt[NS] = {0}, total = 0;
    int32_t i = 0, len = (int32_t)n;
    while (i < len) {
        UChar32 c;
        if (s[i] < 0x80) {
            c = s[i++];
            if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') cnt[LATIN]++, total++;
            continue;
        }
        U8_NEXT(s, i, len, c);
        if (c < 0 || !u_isalpha(c)) continue;
        UErrorCode st = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &st);
        if (U_FAILURE(st)) continue;
        total++;
        switch (sc) {
        case USCRIPT_LATIN:
            cnt[LATIN]++;
            break;
        case USCRIPT_CYRILLIC:
            cnt[CYRL]++;
            break;
        case USCRIPT_ARABIC:
            cnt[ARAB]++;
            break;
        case USCRIPT_DEVANAGARI:
            cnt[DEVA]++;
            break;
        case USCRIPT_GREEK:
            cnt[GREK]++;
            break;
        case USCRIPT_HEBREW:
            cnt[HEBR]++;
            break;
        case USCRIPT_ARMENIAN:
            cnt[ARMN]++;
            break;
        case USCRIPT_GEORGIAN:
            cnt[GEOR]++;
            break;
        case USCRIPT_TAMIL:
            cnt[TAML]++;
            break;
        case USCRIPT_BENGALI:
            cnt[BENG]++;
            break;
        case USCRIPT_HAN:
            cnt[HAN]++;
            break;
        case USCRIPT_HIRAGANA:
        case USCRIPT_KATAKANA:
            cnt[KANA]++;
            break;
        case USCRIPT_HANGUL:
            cnt[HANG]++;
            break;
        case USCRIPT_THAI:
            cnt[THAI]++;
            break;
        case USCRIPT_LAO:
            cnt[LAOO]++;
            break;
        case USCRIPT_KHMER:
            cnt[KHMR]++;
            break;
        case USCRIPT_MYANMAR:
            cnt[MYMR]++;
            break;
        default:
            break;
        }
    }
    *letters = total;
    /* Japanese mixes kanji and kana; Korean may carry some hanja. */
    size_t cjk = cnt[HAN] + cnt[KANA];
    if (cnt[KANA] * 10 >= cjk && cnt[KANA] > 0) cnt[KANA] = cjk, cnt[HAN] = 0;
    int best = -1;
    size_t bestn = 0;
    for (int k = 0; k < NS; k++)
        if (cnt[k] > bestn) bestn = cnt[k], best = k;
    /* A script makes up most of a text's letters, or the text is mixed. */
    if (best < 0 || bestn * 2 < total) return -1;
    return code[best];
}

/* Do the language's stopwords make up at least MIN_STOP_SHARE of the
 * words (runs of letters and apostrophes) of s[0, n)? */
static int function_words(int lang, const unsigned char *s, size_t n)
{
    size_t words = 0, stops = 0, i = 0;
    while (i < n) {
        while (i < n && !(s[i] >= 0x80 || isalpha(s[i])))
            i++;
        size_t a = i;
        while (i < n && (s[i] >= 0x80 || isalpha(s[i])))
            i++;
        if (i == a) continue;
        /* Non-ASCII punctuation glued to a word (« », ’) is left on it:
         * such a word just does not count as a stopword. */
        words++;
        stops += rp_lang_stopword_word(lang, (const char *)s + a, i - a) != 0;
    }
    return words && (double)stops >= MIN_STOP_SHARE * (double)words;
}

int rp_lang_detect_id(const char *text, size_t len)
{
    if (!text || len == 0) return RP_LANG_UND;
    size_t n = len < SAMPLE_BYTES ? len : SAMPLE_BYTES;
    const unsigned char *s = (const unsigned char *)text;
    while (n < len && n > 0 && (s[n] & 0xC0) == 0x80) /* end on a character boundary */
        n--;
    size_t letters = 0;
    int script = main_script(s, n, &letters);
    if (script < 0 || letters < MIN_LETTERS_SCRIPT) return RP_LANG_UND;
    int only = -1, ncand = 0;
    for (size_t i = 1; i < NLANGS; i++)
        if (langs[i].script == script) {
            ncand++;
            if (!langs[i].model) only = (int)i;
        }
    if (ncand == 1 && only > 0) return only;
    if (letters < MIN_LETTERS) return RP_LANG_UND;
    /* Prose in a language with a stopword list is settled by its function
     * words when they stand out (a hash lookup per word, far cheaper than
     * the n-gram profiles): a third of English or French prose. */
    double share = 0, next = 0;
    int voted = rp_lang_vote(text, n, &share, &next);
    if (voted != RP_LANG_UND && langs[voted].script == script && share >= VOTE_SHARE &&
        share >= VOTE_MARGIN * next)
        return voted;
    if (n > PROFILE_BYTES) {
        n = PROFILE_BYTES;
        while (n > 0 && (s[n] & 0xC0) == 0x80)
            n--;
    }
    pthread_once(&models_once, models_load);
    void *u = fp_Init(NULL);
    if (!u) return RP_LANG_UND;
    fp_SetProperty(u, TCPROP_UTF8AWARE, TC_TRUE);
    int best = RP_LANG_UND;
    sint4 bestd = INT_MAX, second = INT_MAX;
    if (fp_Create(u, text, (uint4)n, MAX_NGRAMS)) {
        for (size_t i = 1; i < NLANGS; i++) {
            if (langs[i].script != script || !models[i]) continue;
            sint4 d = fp_Compare(models[i], u, INT_MAX);
            if (d < bestd) {
                second = bestd;
                bestd = d, best = (int)i;
            } else if (d < second) {
                second = d;
            }
        }
    }
    fp_Done(u);
    /* Confirm it: a language with a stopword list must have its function
     * words in the text (a list of names or nouns has none, and whatever
     * profile comes closest, stemming it by that language's rules would
     * only part it from its copies); one without must win clearly. */
    int ok = best != RP_LANG_UND;
    if (ok && rp_lang_has_stopwords(best))
        ok = function_words(best, s, n);
    else if (ok)
        ok = (double)second >= CLEAR_MARGIN * (double)bestd;
    if (ok) return best;
    /* Prose in two languages (a Spanish story ending in an English tweet
     * it embeds) has too mixed a profile to confirm, and its function words
     * fall short of the margin; the language whose function words still
     * make up a prose share (VOTE_SHARE) and lead is the text's. Its copy
     * without the tweet is identified by that language, and reading the
     * two by different rules would part them. */
    if (voted != RP_LANG_UND && langs[voted].script == script && share >= VOTE_SHARE &&
        share > next)
        return voted;
    return RP_LANG_UND;
}

const char *rp_lang_detect(const char *text, size_t len)
{
    return rp_lang_code(rp_lang_detect_id(text, len));
}
