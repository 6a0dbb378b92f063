/*
 * calendar.c: the names of the months and days of the week, per language.
 *
 * Two reports of one event share its date ("mardi 5 décembre") without
 * either copying the other, so verification counts dates with names and
 * figures, not as evidence of copying. English capitalises "Tuesday" and
 * "December", and the capital makes them names there; French, Spanish,
 * Italian, Portuguese, Dutch, Catalan and Russian write them in lower case, Arabic
 * has no case, and
 * German capitalises every noun, so in those languages they would count as
 * content words. This table names them outright. English is left to its
 * capitals (the rules its figures were tuned with).
 *
 * German and Dutch also write a weekday into compounds ("Ostermontag",
 * "Montagmorgen", "paasmaandag", "maandagavond"), as English writes
 * "Easter Monday" and "Monday morning" with the capital that makes them
 * names: a word that ends in a weekday, or is one followed by a part of
 * the day, is a calendar word in those languages too.
 *
 * The words are normalised and hashed as the tokenizer does a token, once,
 * into a word set of their own (wordset.c); a lookup is a probe or two.
 */
#include <pthread.h>
#include <string.h>

#include "lang/lang.h"

/* Our own lists: twelve months and seven days (Portuguese weekdays are
 * hyphenated compounds, "segunda-feira", whose parts are ordinary words,
 * so only its weekend days are listed). */
static const char *const cal_fr[] = {
    "janvier",  "février",   "mars",     "avril",    "mai",      "juin",  "juillet",
    "août",     "septembre", "octobre",  "novembre", "décembre", "lundi", "mardi",
    "mercredi", "jeudi",     "vendredi", "samedi",   "dimanche", NULL,
};
static const char *const cal_es[] = {
    "enero",  "febrero",    "marzo",     "abril",   "mayo",      "junio",     "julio",
    "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre", "lunes",
    "martes", "miércoles",  "jueves",    "viernes", "sábado",    "domingo",   NULL,
};
static const char *const cal_de[] = {
    "januar",     "jänner",    "februar", "märz",      "april",    "mai",    "juni",     "juli",
    "august",     "september", "oktober", "november",  "dezember", "montag", "dienstag", "mittwoch",
    "donnerstag", "freitag",   "samstag", "sonnabend", "sonntag",  NULL,
};
static const char *const cal_it[] = {
    "gennaio",   "febbraio",  "marzo",   "aprile",   "maggio",   "giugno", "luglio",
    "agosto",    "settembre", "ottobre", "novembre", "dicembre", "lunedì", "martedì",
    "mercoledì", "giovedì",   "venerdì", "sabato",   "domenica", NULL,
};
static const char *const cal_pt[] = {
    "janeiro",  "fevereiro", "março",    "abril",    "maio",   "junho",   "julho", "agosto",
    "setembro", "outubro",   "novembro", "dezembro", "sábado", "domingo", NULL,
};
static const char *const cal_nl[] = {
    "januari",  "februari",  "maart",   "april",    "mei",      "juni",    "juli",
    "augustus", "september", "oktober", "november", "december", "maandag", "dinsdag",
    "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",   NULL,
};
static const char *const cal_ca[] = {
    "gener",    "febrer",   "març",      "abril",    "maig",     "juny",    "juliol",
    "agost",    "setembre", "octubre",   "novembre", "desembre", "dilluns", "dimarts",
    "dimecres", "dijous",   "divendres", "dissabte", "diumenge", NULL,
};

/* Russian writes months and weekdays in lower case and inflects them:
 * "23 августа", "в среду", "в пятницу", so the forms a date takes are
 * listed (nominative, genitive of months, accusative and prepositional of
 * weekdays). */
static const char *const cal_ru[] = {
    "январь",   "января",      "феврале", "февраль",     "февраля",      "март",     "марта",
    "апрель",   "апреля",      "май",     "мая",         "июнь",         "июня",     "июль",
    "июля",     "август",      "августа", "сентябрь",    "сентября",     "октябрь",  "октября",
    "ноябрь",   "ноября",      "декабрь", "декабря",     "январе",       "марте",    "апреле",
    "мае",      "июне",        "июле",    "августе",     "сентябре",     "октябре",  "ноябре",
    "декабре",  "понедельник", "вторник", "среда",       "среду",        "четверг",  "пятница",
    "пятницу",  "суббота",     "субботу", "воскресенье", "понедельника", "вторника", "среды",
    "четверга", "пятницы",     "субботы", NULL,
};
/* Arabic: the weekdays with their article (the forms news writes: "يوم
 * الخميس", "الجمعة"), the Gregorian months in their Egyptian and Gulf,
 * Levantine and Maghreb names ("سبتمبر", "أيلول", "شتنبر"). */
static const char *const cal_ar[] = {
    "الأحد",  "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "يناير",
    "فبراير", "مارس",    "أبريل",   "إبريل",    "مايو",     "يونيو",  "يوليو",  "أغسطس", "سبتمبر",
    "أكتوبر", "نوفمبر",  "ديسمبر",  "كانون",    "شباط",     "آذار",   "نيسان",  "أيار",  "حزيران",
    "تموز",   "آب",      "أيلول",   "تشرين",    "ماي",      "يوليوز", "غشت",    "شتنبر", "نونبر",
    "دجنبر",  "جانفي",   "فيفري",   "أفريل",    "جوان",     "جويلية", "أوت",    NULL,
};

static const struct {
    const char *code;
    const char *const *words;
} lists[] = {{"fr", cal_fr}, {"es", cal_es}, {"de", cal_de}, {"it", cal_it}, {"pt", cal_pt},
             {"nl", cal_nl}, {"ca", cal_ca}, {"ru", cal_ru}, {"ar", cal_ar}};
#define NLISTS (sizeof lists / sizeof lists[0])

#define TABLE_SIZE 1024 /* a power of two, over twice the words listed */
static uint64_t table[TABLE_SIZE], mask[TABLE_SIZE];
static rp_wordset set = {table, mask, TABLE_SIZE};
static int list_of[64]; /* language id -> index into lists + 1 */
static pthread_once_t ids_once = PTHREAD_ONCE_INIT, set_once = PTHREAD_ONCE_INIT;

static int lang_de, lang_nl; /* set by find_ids() */

static void find_ids(void)
{
    lang_de = rp_lang_id("de");
    lang_nl = rp_lang_id("nl");
    for (size_t li = 0; li < NLISTS; li++) {
        int id = rp_lang_id(lists[li].code);
        if (id > 0 && id < 64) list_of[id] = (int)li + 1;
    }
}

/* The word set is built the first time a language with a list asks: an
 * English text never does, so a process that reads only English (a
 * `query` of the Reuters index) skips its 226 normalised words, about a
 * third of a million instructions. */
static void build_set(void)
{
    for (size_t li = 0; li < NLISTS; li++)
        for (const char *const *w = lists[li].words; *w; w++)
            rp_wordset_add(&set, *w, (unsigned)li);
}

int rp_lang_calendar(int lang, uint64_t hash)
{
    pthread_once(&ids_once, find_ids);
    if (lang <= 0 || lang >= 64 || !list_of[lang]) return 0;
    pthread_once(&set_once, build_set);
    return (rp_wordset_lists(&set, hash) >> (list_of[lang] - 1)) & 1;
}

/* Weekdays and parts of the day of the compounding languages, lower case. */
static const char *const wd_de[] = {"montag",  "dienstag",  "mittwoch", "donnerstag", "freitag",
                                    "samstag", "sonnabend", "sonntag",  NULL};
static const char *const dp_de[] = {"morgen", "vormittag", "mittag", "nachmittag",
                                    "abend",  "nacht",     "früh",   NULL};
static const char *const wd_nl[] = {"maandag", "dinsdag",  "woensdag", "donderdag",
                                    "vrijdag", "zaterdag", "zondag",   NULL};
static const char *const dp_nl[] = {"ochtend", "morgen", "middag", "avond", "nacht", NULL};

static int in_list(const char *const *l, const char *w, size_t n)
{
    for (; *l; l++)
        if (strlen(*l) == n && memcmp(*l, w, n) == 0) return 1;
    return 0;
}

int rp_lang_calendar_compound(int lang, const char *w, size_t n)
{
    pthread_once(&ids_once, find_ids);
    const char *const *wd = lang == lang_de ? wd_de : lang == lang_nl ? wd_nl : NULL;
    const char *const *dp = lang == lang_de ? dp_de : dp_nl;
    char buf[48];
    if (!wd || n >= sizeof buf || n < 7) return 0;
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] | 0x20 : w[i]);
    for (; *wd; wd++) {
        size_t m = strlen(*wd);
        if (m >= n) continue;
        if (memcmp(buf + n - m, *wd, m) == 0) return 1;              /* Ostermontag */
        if (memcmp(buf, *wd, m) == 0 && in_list(dp, buf + m, n - m)) /* Montagmorgen */
            return 1;
    }
    return 0;
}
