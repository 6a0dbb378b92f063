/*
 * datagen.c: a seeded generator of syndicated-news corpora with ground truth.
 *
 * Like lz4's datagen, this program turns a seed into a corpus, byte for byte
 * the same on every run, so that quality figures can be compared across
 * versions of reprint. Each "story" has one original article and a number of
 * copies made by controlled edits (verbatim, site chrome, truncation, dropped
 * or reordered paragraphs, word edits, synonym replacement, machine-translation
 * style rewrites, merges of two stories; with --spin only spinner-style
 * copies: synonyms and clauses turned around, sentence order kept); hard
 * negatives are independent
 * stories that share only names, figures and one quotation with a source. The
 * truth file records for every article its story, kind and edit.
 *
 * Text comes from the Reuters-21578 bodies when they are available (parsed
 * from the SGML, near-duplicate bodies dropped so that distinct stories are
 * genuinely distinct); stories past the size of the pool, and hard negatives,
 * come from news-like sentence templates, each with one short sentence
 * borrowed from a random pool story. Without the pool (--builtin) all text
 * comes from a pseudo-vocabulary of invented words with a Zipf-like frequency,
 * real function words and a phrase grammar, so that unrelated stories share
 * as little prose as unrelated news stories do (templates would make them
 * share whole clauses).
 *
 * Every random choice is drawn from a xoshiro256** stream seeded from
 * (seed, purpose, index), so any story can be regenerated on demand (merges
 * and negatives refer back to earlier stories) and output is streamed.
 *
 * --copy-of FILE --edit NAME applies one edit to a given text instead (the
 * real-page evaluation makes copies of real non-English pages this way): only
 * the edits that carry no English words (chrome, truncate, drop, reorder and
 * word deletions), since the synonym list, the fillers and the spinner are
 * English.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <glob.h>
#include <stdarg.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <zlib.h>

#define LEN(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("datagen: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xrealloc(NULL, n);
    memcpy(d, s, n);
    return d;
}

/* ------------------------------------------------------------------ */
/* Random numbers: splitmix64 seeds xoshiro256**                       */
/* ------------------------------------------------------------------ */

typedef struct rng {
    uint64_t s[4];
} rng;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t splitmix(uint64_t *x)
{
    *x += 0x9E3779B97F4A7C15ULL;
    return mix64(*x);
}

enum { R_STORY = 1, R_COPY, R_NEG, R_PLAN, R_POOL };

static void rng_seed(rng *r, uint64_t seed, uint64_t purpose, uint64_t index)
{
    uint64_t x = mix64(seed) ^ mix64(purpose * 0xD1B54A32D192ED03ULL + index);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(rng *r)
{
    uint64_t *s = r->s;
    uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n); n > 0. */
static size_t below(rng *r, size_t n)
{
    return (size_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static double unit(rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int chance(rng *r, double p)
{
    return unit(r) < p;
}

#define PICK(r, a) ((a)[below((r), LEN(a))])

/* ------------------------------------------------------------------ */
/* Growable strings                                                    */
/* ------------------------------------------------------------------ */

typedef struct sb {
    char *p;
    size_t len, cap;
} sb;

static void sb_add(sb *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        b->p = xrealloc(b->p, cap);
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void sb_puts(sb *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

static void sb_putc(sb *b, char c)
{
    sb_add(b, &c, 1);
}

__attribute__((format(printf, 2, 3))) static void sb_printf(sb *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n > 0) sb_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* Hands over the string (never NULL) and resets b. */
static char *sb_take(sb *b)
{
    char *s = b->p ? b->p : xstrdup("");
    b->p = NULL;
    b->len = b->cap = 0;
    return s;
}

/* ------------------------------------------------------------------ */
/* Stories: sentences grouped into paragraphs                          */
/* ------------------------------------------------------------------ */

typedef struct story {
    char **s;  /* sentences, owned */
    int *para; /* paragraph number of each sentence, non-decreasing */
    size_t n, cap;
    char *title;
} story;

static void story_add(story *st, char *sentence, int para)
{
    if (st->n == st->cap) {
        st->cap = st->cap ? st->cap * 2 : 16;
        st->s = xrealloc(st->s, st->cap * sizeof *st->s);
        st->para = xrealloc(st->para, st->cap * sizeof *st->para);
    }
    st->s[st->n] = sentence;
    st->para[st->n] = para;
    st->n++;
}

static void story_free(story *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->n; i++)
        free(st->s[i]);
    free(st->s);
    free(st->para);
    free(st->title);
    memset(st, 0, sizeof *st);
}

static void story_copy(story *dst, const story *src)
{
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < src->n; i++)
        story_add(dst, xstrdup(src->s[i]), src->para[i]);
    dst->title = src->title ? xstrdup(src->title) : NULL;
}

static int last_para(const story *st)
{
    return st->n ? st->para[st->n - 1] : -1;
}

static void story_render(const story *st, sb *out)
{
    for (size_t i = 0; i < st->n; i++) {
        if (i) sb_puts(out, st->para[i] != st->para[i - 1] ? "\n\n" : " ");
        sb_puts(out, st->s[i]);
    }
}

static size_t count_words(const char *s)
{
    size_t n = 0;
    int in = 0;
    for (; *s; s++) {
        int sp = isspace((unsigned char)*s);
        if (!sp && !in) n++;
        in = !sp;
    }
    return n;
}

/* Paragraph ranges [start[k], start[k+1]) of a story; returns their count. */
static size_t story_paras(const story *st, size_t **start)
{
    size_t k = 0;
    *start = xrealloc(NULL, (st->n + 1) * sizeof **start);
    for (size_t i = 0; i < st->n; i++)
        if (i == 0 || st->para[i] != st->para[i - 1]) (*start)[k++] = i;
    (*start)[k] = st->n;
    return k;
}

/* Rebuild st from its paragraphs in the order given by order[0..k). */
static void story_permute_paras(story *st, const size_t *start, const size_t *order, size_t k)
{
    story out = {0};
    for (size_t j = 0; j < k; j++)
        for (size_t i = start[order[j]]; i < start[order[j] + 1]; i++) {
            story_add(&out, st->s[i], (int)j);
            st->s[i] = NULL;
        }
    out.title = st->title;
    st->title = NULL;
    story_free(st);
    *st = out;
}

static void story_delete(story *st, size_t i)
{
    free(st->s[i]);
    memmove(st->s + i, st->s + i + 1, (st->n - i - 1) * sizeof *st->s);
    memmove(st->para + i, st->para + i + 1, (st->n - i - 1) * sizeof *st->para);
    st->n--;
}

/* Split one paragraph into sentences: at . ! ? (optionally followed by a
 * closing quote) before a space and a capital, digit or quote, unless the
 * word before is an abbreviation or an initial. */
static int is_abbrev(const char *w, size_t n)
{
    static const char *abbr[] = {"Mr",   "Mrs",  "Ms",   "Dr",  "St",  "Inc",   "Co",  "Corp",
                                 "Ltd",  "Jan",  "Feb",  "Aug", "Sep", "Oct",   "Nov", "Dec",
                                 "No",   "vs",   "Sept", "Gen", "Sen", "Rep",   "Gov", "Jr",
                                 "Bros", "Dept", "Prof", "Mt",  "Ft",  "approx"};
    if (n <= 1) return 1;
    for (size_t i = 0; i < n; i++)
        if (w[i] == '.') return 1; /* U.S, U.K */
    for (size_t i = 0; i < LEN(abbr); i++)
        if (strlen(abbr[i]) == n && memcmp(abbr[i], w, n) == 0) return 1;
    return 0;
}

static void split_sentences(const char *p, story *st, int para)
{
    size_t n = strlen(p), begin = 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (c != '.' && c != '!' && c != '?') continue;
        size_t e = i + 1;
        if (e < n && (p[e] == '"' || p[e] == '\'')) e++;
        if (e >= n || p[e] != ' ') continue;
        size_t k = e;
        while (k < n && p[k] == ' ')
            k++;
        if (k >= n) continue;
        unsigned char nx = (unsigned char)p[k];
        if (!isupper(nx) && !isdigit(nx) && nx != '"') continue;
        if (c == '.') {
            size_t w = i;
            while (w > begin && !isspace((unsigned char)p[w - 1]) && p[w - 1] != '(')
                w--;
            if (is_abbrev(p + w, i - w)) continue;
        }
        if (e > begin) {
            char *s = xrealloc(NULL, e - begin + 1);
            memcpy(s, p + begin, e - begin);
            s[e - begin] = '\0';
            story_add(st, s, para);
        }
        begin = k;
        i = k - 1;
    }
    while (begin < n && p[begin] == ' ')
        begin++;
    if (begin < n) story_add(st, xstrdup(p + begin), para);
}

/* ------------------------------------------------------------------ */
/* Word lists for the built-in generator                               */
/* ------------------------------------------------------------------ */

static const char *first_names[] = {
    "James",  "Maria",   "Robert", "Linda",  "Ahmed",  "Fatima",  "Chen",    "Wei",
    "Olga",   "Pierre",  "Sofia",  "Daniel", "Priya",  "Rahul",   "Yuki",    "Kenji",
    "Amara",  "Kwame",   "Elena",  "Lars",   "Ingrid", "Carlos",  "Lucia",   "Mohammed",
    "Aisha",  "Thomas",  "Hannah", "Samuel", "Grace",  "David",   "Sarah",   "Michael",
    "Laura",  "Peter",   "Anna",   "Marco",  "Giulia", "Ivan",    "Natalia", "Omar",
    "Leila",  "Jonas",   "Freya",  "Diego",  "Camila", "Hiroshi", "Mei",     "Tariq",
    "Nadia",  "Patrick", "Claire", "Viktor", "Ewa",    "Tomasz",  "Rafael",  "Beatriz",
    "Henrik", "Sanna",   "Joseph", "Ruth",   "Adaeze", "Bongani", "Ines",    "Mateo"};

static const char *last_names[] = {
    "Okafor",   "Lindqvist", "Moreau",     "Tanaka",    "Gallagher", "Novak",    "Fernandes",
    "Kowalski", "Haddad",    "Brennan",    "Castillo",  "Whitfield", "Nakamura", "Osei",
    "Petrov",   "Richter",   "Delgado",    "Sato",      "Mahmoud",   "Ferreira", "Holloway",
    "Jansen",   "Abara",     "Vasquez",    "Keller",    "Morales",   "Lambert",  "Dubois",
    "Rossi",    "Bianchi",   "Schneider",  "Svensson",  "Nilsson",   "Ivanova",  "Kaur",
    "Sharma",   "Mensah",    "Adeyemi",    "Walsh",     "Murphy",    "Cho",      "Park",
    "Nguyen",   "Tran",      "Alvarez",    "Romero",    "Costa",     "Weber",    "Fischer",
    "Hoffmann", "Berg",      "Dahl",       "Eriksen",   "Kaplan",    "Aziz",     "Rahman",
    "Hussain",  "Qureshi",   "Mbeki",      "Nkosi",     "Banda",     "Mutua",    "Otieno",
    "Hughes",   "Pearce",    "Thornton",   "Ashby",     "Caldwell",  "Prescott", "Whitaker",
    "Sinclair", "Blackwood", "Harrington", "Fairbanks", "Lockhart",  "Stroud",   "Vance",
    "Mercer",   "Okonkwo",   "Zielinski"};

static const char *roles[] = {"chief executive",
                              "finance minister",
                              "spokeswoman",
                              "spokesman",
                              "chief economist",
                              "mayor",
                              "health minister",
                              "chairman",
                              "director general",
                              "senior analyst",
                              "union leader",
                              "senior official",
                              "board member",
                              "trade minister",
                              "police chief",
                              "central bank governor",
                              "chief financial officer",
                              "energy minister",
                              "regional governor",
                              "lead researcher",
                              "defence lawyer",
                              "prosecutor",
                              "project manager",
                              "head of operations",
                              "opposition leader",
                              "transport secretary",
                              "fund manager",
                              "industry consultant"};

static const char *org_pre[] = {
    "Northfield", "Harbor",      "Silverline", "Redwood",  "Atlas",    "Meridian",  "Pinecrest",
    "Bluewater",  "Ironbridge",  "Crescent",   "Summit",   "Granite",  "Lakeshore", "Evergreen",
    "Highland",   "Sterling",    "Westbrook",  "Eastgate", "Oakridge", "Riverton",  "Falcon",
    "Orion",      "Vantage",     "Keystone",   "Horizon",  "Cobalt",   "Beacon",    "Stonegate",
    "Clearview",  "Brightwater", "Ashford",    "Kingsley", "Marlow",   "Halden",    "Tessaro",
    "Varga",      "Quintera",    "Novella",    "Zephyr",   "Arcadia"};

static const char *org_suf[] = {"Holdings",  "Group",     "Bank",         "Energy",   "Motors",
                                "Foods",     "Airlines",  "Mining",       "Partners", "Corp",
                                "Capital",   "Logistics", "Pharma",       "Telecom",  "Steel",
                                "Insurance", "Shipping",  "Chemicals",    "Textiles", "Software",
                                "Utilities", "Farms",     "Construction", "Media",    "Rail"};

static const char *cities[] = {"Lisbon|Portugal",
                               "Porto|Portugal",
                               "Lagos|Nigeria",
                               "Abuja|Nigeria",
                               "Nairobi|Kenya",
                               "Mombasa|Kenya",
                               "Accra|Ghana",
                               "Dakar|Senegal",
                               "Cairo|Egypt",
                               "Casablanca|Morocco",
                               "Johannesburg|South Africa",
                               "Durban|South Africa",
                               "Madrid|Spain",
                               "Valencia|Spain",
                               "Lyon|France",
                               "Marseille|France",
                               "Hamburg|Germany",
                               "Munich|Germany",
                               "Rotterdam|the Netherlands",
                               "Antwerp|Belgium",
                               "Milan|Italy",
                               "Naples|Italy",
                               "Krakow|Poland",
                               "Gdansk|Poland",
                               "Prague|the Czech Republic",
                               "Vienna|Austria",
                               "Zurich|Switzerland",
                               "Oslo|Norway",
                               "Gothenburg|Sweden",
                               "Helsinki|Finland",
                               "Tallinn|Estonia",
                               "Dublin|Ireland",
                               "Glasgow|Britain",
                               "Leeds|Britain",
                               "Toronto|Canada",
                               "Calgary|Canada",
                               "Denver|the United States",
                               "Houston|the United States",
                               "Chicago|the United States",
                               "Monterrey|Mexico",
                               "Bogota|Colombia",
                               "Lima|Peru",
                               "Santiago|Chile",
                               "Sao Paulo|Brazil",
                               "Recife|Brazil",
                               "Montevideo|Uruguay",
                               "Mumbai|India",
                               "Pune|India",
                               "Dhaka|Bangladesh",
                               "Karachi|Pakistan",
                               "Jakarta|Indonesia",
                               "Surabaya|Indonesia",
                               "Manila|the Philippines",
                               "Hanoi|Vietnam",
                               "Bangkok|Thailand",
                               "Kuala Lumpur|Malaysia",
                               "Osaka|Japan",
                               "Busan|South Korea",
                               "Perth|Australia",
                               "Auckland|New Zealand"};

static const char *topic_nouns[][15] = {
    {"inflation", "interest rates", "growth forecast", "budget deficit", "bond yields",
     "consumer spending", "wage growth", "export orders", "tax revenue", "jobless rate",
     "retail sales", "credit conditions", "currency reserves", "housing market",
     "industrial output"},
    {"crude output", "gas prices", "pipeline project", "refinery upgrade", "power grid",
     "wind farm", "solar tender", "fuel subsidies", "drilling licence", "coal imports",
     "emissions target", "oil reserves", "electricity tariffs", "nuclear plant",
     "storage capacity"},
    {"rail link", "airport expansion", "freight volumes", "bus network", "port terminal",
     "toll road", "fleet renewal", "ticket prices", "cargo traffic", "flight schedule",
     "signalling system", "ferry service", "road repairs", "charging network", "metro line"},
    {"hospital waiting lists", "vaccine supply", "clinic network", "drug trial", "nursing shortage",
     "emergency wards", "health budget", "screening programme", "flu cases", "medical staffing",
     "patient records", "ambulance service", "treatment costs", "insurance claims", "care homes"},
    {"wheat harvest", "coffee exports", "fertiliser prices", "cattle herds", "grain stocks",
     "irrigation scheme", "cocoa crop", "sugar output", "farm incomes", "rice yields",
     "dairy prices", "soybean plantings", "drought relief", "crop insurance", "seed supplies"},
    {"chip plant", "data centre", "software platform", "cloud contract", "broadband rollout",
     "mobile network", "security breach", "app store rules", "satellite launch", "battery factory",
     "research lab", "user accounts", "licensing deal", "patent dispute", "handset sales"},
    {"corruption inquiry", "election campaign", "coalition talks", "court ruling", "appeal hearing",
     "reform bill", "parliamentary vote", "budget proposal", "protest march", "audit report",
     "tender process", "fraud charges", "immigration rules", "pension reform", "public inquiry"},
    {"takeover bid", "share buyback", "quarterly profit", "merger talks", "dividend payout",
     "debt restructuring", "bond issue", "cost cuts", "plant closure", "sales outlook",
     "stake sale", "joint venture", "price increase", "hiring freeze", "rights issue"}};

static const char *units[] = {"tonnes", "barrels a day", "passengers", "units",    "contracts",
                              "homes",  "vehicles",      "patients",   "hectares", "megawatts"};

static const char *verbs[] = {"approve|approved",
                              "reject|rejected",
                              "delay|delayed",
                              "expand|expanded",
                              "cut|cut",
                              "raise|raised",
                              "suspend|suspended",
                              "review|reviewed",
                              "announce|announced",
                              "postpone|postponed",
                              "defend|defended",
                              "criticise|criticised",
                              "back|backed",
                              "scrap|scrapped",
                              "revise|revised",
                              "launch|launched",
                              "block|blocked",
                              "fund|funded",
                              "halt|halted",
                              "extend|extended",
                              "finalise|finalised",
                              "challenge|challenged",
                              "endorse|endorsed",
                              "unveil|unveiled",
                              "question|questioned",
                              "restructure|restructured",
                              "sign|signed",
                              "secure|secured",
                              "probe|probed",
                              "trim|trimmed",
                              "accelerate|accelerated",
                              "shelve|shelved"};

static const char *adjs[] = {
    "sharp",    "modest",   "unexpected",  "long-awaited", "controversial", "ambitious", "fragile",
    "steady",   "record",   "sluggish",    "renewed",      "tentative",     "costly",    "disputed",
    "regional", "national", "temporary",   "revised",      "stalled",       "planned",   "overdue",
    "landmark", "widening", "narrowing",   "surprise",     "preliminary",   "sweeping",  "limited",
    "fresh",    "delayed",  "major",       "cautious",     "robust",        "weak",      "strong",
    "brief",    "lengthy",  "provisional", "rare",         "growing"};

static const char *days[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                             "Friday", "Saturday", "Sunday"};
static const char *months[] = {"January",   "February", "March",    "April",
                               "May",       "June",     "July",     "August",
                               "September", "October",  "November", "December"};
static const char *modals[] = {"will",      "must",        "cannot",       "should",
                               "intend to", "hope to",     "are ready to", "plan to",
                               "have to",   "are able to", "want to",      "refuse to"};
static const char *qtails[] = {"this year",
                               "before {M}",
                               "in {C}",
                               "as soon as possible",
                               "without delay",
                               "with our partners",
                               "next year",
                               "for the people of {K}",
                               "by {M}",
                               "",
                               "",
                               ""};

/* Sentence templates. Slots: {P} person (full name first, then surname),
 * {PR} person with role at an organisation, {O} {O2} organisations, {C} city,
 * {K} country, {N} {N2} topic nouns, {V} past tense, {I} infinitive, {A}
 * adjective, {X} {X2} money, {Q} percentage, {Y} {Y2} counts, {U} unit, {D}
 * weekday, {M} month, {YR} year, {Z} a quoted clause. Fixed word runs are
 * kept short so that independent stories share little prose. */
static const char *templates[] = {
    "{PR} said on {D} that the {A} {N} would be {V} by {M}.",
    "The {N} was {V} after {O} reported a {Q} drop in {N2}.",
    "{O} {V} the {N} in {C} on {D}, citing {A} {N2}.",
    "\"{Z},\" {P} told reporters in {C}.",
    "\"{Z},\" {PR} said.",
    "{P} said {O} expected {N} to rise by {Q} this year.",
    "Officials in {C} {V} a {A} plan worth {X} for the {N}.",
    "According to {O}, {N} fell {Q} in {M}, the {A} decline since {YR}.",
    "The decision affects about {Y} workers across {K}.",
    "Analysts at {O} said the {A} {N} could weigh on {N2} for months.",
    "In {C}, {Y} people joined a {A} protest against the {N}.",
    "{P} declined to comment on the {N} but said talks with {O} would continue.",
    "The {N} had been {V} twice since {M} amid concerns over {N2}.",
    "Shares in {O} closed {Q} higher in {C} after the announcement.",
    "A spokesperson for {O} said it would {I} the {N} if costs kept rising.",
    "Critics say the {A} {N} favours {O} and ignores {N2}.",
    "The government in {K} has set aside {X} to {I} the {N}.",
    "{O} last {M} {V} a {X} deal to {I} its {N}.",
    "It was not clear whether {O} would {I} the {N2}.",
    "{P} is due to meet officials from {O} in {C} next {D}.",
    "The {N} accounts for roughly {Q} of {N2} in {K}.",
    "Earlier on {D}, {O} {V} its forecast for {N}, blaming {A} {N2}.",
    "Local media in {C} reported that {Y} contracts had been {V}.",
    "The {A} figures come as {K} struggles with {N} and {N2}.",
    "{PR} called the {N} {A} and urged {O} to {I} it.",
    "\"{Z}, and {Z2},\" {P} said.",
    "Under the plan, {O} will {I} {N} worth {X} over {Y2} years.",
    "The {N} in {C} has drawn {A} interest from investors, {P} said.",
    "Regulators in {K} opened a {A} review of the {N} in {M}.",
    "The {N} is expected to cost {X}, up from an earlier estimate of {X2}.",
    "Some {Y} households in {C} are affected by the {N}, officials said.",
    "{P} has led {O} since {YR} and oversaw its {A} {N}.",
    "A vote on the {N} is scheduled for {M} {DN}.",
    "Union representatives {V} the {N}, saying it would cost {Y} jobs.",
    "The {A} {N} marks a shift for {O}, which had long {V} {N2}.",
    "Trading in {C} was {A} as investors weighed the {N}.",
    "{O} said {N} rose {Q} to {X} in the quarter to {M}.",
    "Talks between {O} and {O2} on the {N} broke down in {M}.",
    "The {N} will be {V} in stages, starting in {C} in {M}.",
    "Residents of {C} have complained about {N} for years.",
    "The ministry said {N} reached {Y} {U} last month, against {Y2} {U} a year earlier.",
    "{P} warned that {A} {N} could {I} {N2} in {K}.",
    "Neither {O} nor {O2} would say how the {N} would be funded.",
    "Data from {O} showed {N} at its {A} level in {Y2} years.",
    "Opposition lawmakers in {K} have demanded an inquiry into the {N}.",
    "The {N} follows a {A} {N2} that {V} operations in {C}.",
    "{O} plans to {I} {Y} {U} of {N} by the end of {M}.",
    "Asked about the {N}, {P} said: \"{Z}.\"",
    "{P}, who {V} the {N} in {YR}, now faces {A} pressure from {O}.",
    "By {M}, {N} in {K} had climbed to {Y} {U}.",
    "{O} {V} {Y} {U} to {C}, its {A} shipment this year.",
    "Investors in {C} {V} the move, sending {O} shares up {Q}.",
    "Few expected {O} to {I} the {N} so soon, {P} said.",
    "The {A} {N} left {K} with a {X} gap in its {N2}.",
};

static const char *quote_forms[] = {
    "we {MOD} {I} the {N} {QT}",
    "this {N} is {A} for {K}",
    "the {N} was never going to be {A}",
    "nobody expected {N} to {I} {N2} so quickly",
    "our priority is the {N} and the {N2}",
    "there is no {A} answer to the {N}",
    "{O} has made a {A} mistake on the {N}",
    "we are confident the {N} will {I} {N2} {QT}",
    "people in {C} deserve a {A} {N}",
    "the numbers on {N} speak for themselves",
    "we {MOD} {I} {Y} {U} {QT}",
    "it is too early to say what the {N} means for {K}",
};

static const char *title_forms[] = {
    "{O} {V} {N} in {C}",
    "{K} {N} hit by {A} {N2}",
    "{P} {V} {A} {N}",
    "{C}: {O} to {I} {N}",
    "{N} up {Q} as {O} {V} {N2}",
    "{A} {N} in {K} after {O} move",
    "{O} and {O2} in {N} talks",
    "{K} {V} {X} {N}",
    "{P} warns on {N} in {C}",
};

/* ------------------------------------------------------------------ */
/* Synonym table: common news words and near-synonyms (author's own)   */
/* ------------------------------------------------------------------ */

static const char *syn_src[] = {
    "said:stated,added,noted",
    "says:states,notes",
    "company:firm,group,business",
    "companies:firms,groups,businesses",
    "shares:stock,equity",
    "share:stake,portion",
    "year:twelve months",
    "years:seasons",
    "rose:climbed,increased,advanced",
    "rise:increase,gain,climb",
    "fell:dropped,declined,slipped",
    "fall:drop,decline,slide",
    "increase:rise,gain,boost",
    "increased:raised,lifted,boosted",
    "decrease:reduction,drop",
    "profit:earnings,income",
    "profits:earnings,gains",
    "loss:deficit,shortfall",
    "losses:deficits,write-downs",
    "sales:revenue,turnover",
    "revenue:sales,income,takings",
    "quarter:three months,period",
    "bank:lender",
    "banks:lenders",
    "market:marketplace,sector",
    "markets:exchanges,bourses",
    "prices:rates,costs",
    "price:cost,rate",
    "trade:commerce,business",
    "government:administration,authorities",
    "official:spokesperson,representative",
    "officials:authorities,representatives",
    "oil:crude,petroleum",
    "rate:level,pace",
    "rates:levels",
    "exports:shipments abroad,overseas sales",
    "imports:purchases abroad,inbound shipments",
    "week:seven days",
    "month:four weeks",
    "expected:anticipated,forecast,projected",
    "expects:anticipates,forecasts,projects",
    "agreed:accepted,consented",
    "agreement:deal,accord,pact",
    "plan:scheme,proposal,programme",
    "plans:intends,aims",
    "offer:bid,proposal",
    "stake:holding,interest",
    "acquire:buy,purchase,take over",
    "acquired:bought,purchased",
    "acquisition:purchase,takeover,buyout",
    "buy:purchase,acquire",
    "sell:dispose of,offload",
    "sold:offloaded,disposed of",
    "major:leading,big,key",
    "large:big,sizeable,substantial",
    "small:minor,modest",
    "big:large,major",
    "new:fresh,recent",
    "high:elevated,steep",
    "low:weak,modest",
    "help:assist,aid,support",
    "helped:assisted,supported",
    "begin:start,commence",
    "began:started,commenced",
    "start:begin,launch",
    "started:began,launched",
    "end:close,finish",
    "ended:closed,finished",
    "rising:climbing,growing",
    "falling:declining,dropping",
    "growth:expansion,increase",
    "economy:economic system",
    "economic:financial,fiscal",
    "industry:sector,trade",
    "demand:appetite,need",
    "supply:provision,stock",
    "supplies:stocks,provisions",
    "production:output,manufacturing",
    "output:production,yield",
    "produce:make,manufacture",
    "cut:reduce,lower,trim",
    "cuts:reductions,curbs",
    "reduce:cut,lower,trim",
    "reduced:cut,lowered,trimmed",
    "raise:lift,increase",
    "raised:lifted,increased",
    "total:overall,combined",
    "about:around,roughly,some",
    "around:about,roughly",
    "nearly:almost,close to",
    "almost:nearly",
    "also:additionally,too",
    "however:but,nevertheless",
    "because:since,as",
    "announced:revealed,disclosed,unveiled",
    "announce:reveal,disclose",
    "report:statement,account",
    "reported:disclosed,posted",
    "reports:accounts,statements",
    "statement:release,announcement",
    "meeting:session,gathering",
    "talks:negotiations,discussions",
    "discuss:consider,debate",
    "discussed:considered,debated",
    "decision:ruling,verdict",
    "decided:resolved,chose",
    "decline:fall,drop,slide",
    "declined:fell,dropped,slipped",
    "strong:robust,solid,firm",
    "weak:soft,feeble,sluggish",
    "country:nation,state",
    "countries:nations,states",
    "president:head,leader",
    "chairman:chair,head",
    "director:executive,head",
    "minister:secretary",
    "spokesman:spokesperson,representative",
    "spokeswoman:spokesperson,representative",
    "major:principal,leading",
    "current:present,existing",
    "recent:latest,new",
    "recently:lately,of late",
    "early:initial,first",
    "earlier:previously,before",
    "later:afterwards,subsequently",
    "previous:prior,earlier",
    "last:past,previous",
    "next:following,coming",
    "annual:yearly",
    "average:mean,typical",
    "level:degree,point",
    "levels:degrees,points",
    "amount:sum,quantity",
    "number:figure,count",
    "figures:numbers,data",
    "data:figures,statistics",
    "increase:growth,rise",
    "improve:better,strengthen",
    "improved:strengthened,bettered",
    "continue:carry on,persist",
    "continued:persisted,carried on",
    "remain:stay,stand",
    "remained:stayed,stood",
    "pay:pay out,remit",
    "paid:remitted,paid out",
    "costs:expenses,outlays",
    "cost:expense,outlay",
    "debt:borrowing,liabilities",
    "debts:liabilities,borrowings",
    "loan:credit,advance",
    "loans:credits,advances",
    "fund:finance,bankroll",
    "funds:money,capital",
    "capital:funds,money",
    "investment:spending,outlay",
    "investors:backers,shareholders",
    "shareholders:stockholders,investors",
    "board:directors,management",
    "management:leadership,executives",
    "chief:head,leading",
    "executive:officer,manager",
    "workers:employees,staff",
    "employees:staff,workers",
    "jobs:positions,posts",
    "union:labour group",
    "strike:walkout,stoppage",
    "crisis:emergency,turmoil",
    "problem:issue,difficulty",
    "problems:issues,difficulties",
    "issue:matter,question",
    "concern:worry,fear",
    "concerns:worries,fears",
    "risk:danger,threat",
    "risks:dangers,threats",
    "support:backing,help",
    "supported:backed,endorsed",
    "opposed:resisted,objected to",
    "warned:cautioned,alerted",
    "warning:caution,alert",
    "told:informed,said to",
    "asked:questioned,queried",
    "called:described,termed",
    "added:continued,went on",
    "noted:observed,remarked",
    "explained:clarified,said",
    "believe:think,consider",
    "believes:thinks,considers",
    "important:significant,key",
    "significant:notable,marked",
    "sharp:steep,marked",
    "sharply:steeply,markedly",
    "slightly:marginally,somewhat",
    "quickly:rapidly,swiftly",
    "rapid:fast,swift",
    "slow:sluggish,gradual",
    "likely:probably,expected",
    "possible:potential,feasible",
    "unit:division,subsidiary",
    "subsidiary:unit,affiliate",
    "firm:company,business",
    "group:company,concern",
    "corporation:company,firm",
    "operations:activities,business",
    "operating:trading,business",
    "business:trade,commerce",
    "services:operations,offerings",
    "service:operation,provision",
    "products:goods,wares",
    "product:item,offering",
    "goods:products,merchandise",
    "tonnes:metric tons",
    "crop:harvest,yield",
    "harvest:crop,yield",
    "farmers:growers,producers",
    "producers:makers,manufacturers",
    "exporters:shippers,sellers",
    "shipments:deliveries,consignments",
    "delivery:shipment,dispatch",
    "contract:deal,agreement",
    "contracts:deals,agreements",
    "deal:agreement,transaction",
    "transaction:deal,operation",
    "merger:combination,tie-up",
    "takeover:acquisition,buyout",
    "bid:offer,approach",
    "dividend:payout,distribution",
    "earnings:profits,income",
    "income:earnings,revenue",
    "tax:levy,duty",
    "taxes:levies,duties",
    "budget:spending plan,finances",
    "deficit:shortfall,gap",
    "surplus:excess,overhang",
    "reserves:holdings,stocks",
    "currency:money,exchange rate",
    "dollar:greenback",
    "interest:borrowing costs",
    "policy:strategy,approach",
    "measures:steps,actions",
    "steps:measures,moves",
    "effort:attempt,push",
    "efforts:attempts,moves",
    "aim:goal,objective",
    "target:goal,objective",
    "told:informed",
    "city:town,municipality",
    "region:area,zone",
    "area:region,district",
    "local:regional,municipal",
    "national:nationwide,domestic",
    "foreign:overseas,international",
    "international:global,worldwide",
    "world:global",
    "people:residents,citizens",
    "residents:locals,inhabitants",
    "police:officers,authorities",
    "court:tribunal",
    "judge:justice,magistrate",
    "law:legislation,statute",
    "rules:regulations,guidelines",
    "regulators:watchdogs,supervisors",
    "inquiry:investigation,probe",
    "investigation:inquiry,probe",
    "charges:accusations,counts",
    "election:vote,poll",
    "vote:ballot,poll",
    "party:faction",
    "leader:head,chief",
    "leaders:heads,chiefs",
    "lawmakers:legislators,parliamentarians",
    "proposal:plan,motion",
    "approved:endorsed,passed",
    "rejected:turned down,dismissed",
    "delayed:postponed,held up",
    "suspended:halted,paused",
    "halted:stopped,suspended",
    "launched:started,unveiled",
    "project:scheme,venture",
    "plant:factory,facility",
    "factory:plant,works",
    "facility:site,plant",
    "site:location,facility",
    "network:system,grid",
    "system:network,structure",
    "hospital:clinic,infirmary",
    "patients:sufferers,cases",
    "staff:personnel,employees",
    "shortage:lack,scarcity",
    "prices:tariffs,charges",
    "forecast:projection,outlook",
    "outlook:prospects,forecast",
    "estimate:projection,assessment",
    "estimated:projected,reckoned",
    "analysts:experts,observers",
    "experts:specialists,analysts",
    "investors:traders",
    "traders:dealers,brokers",
    "trading:dealing,business",
    "stocks:shares,equities",
    "bonds:debt,securities",
    "securities:bonds,instruments",
    "yesterday:the day before",
    "today:this day",
    "immediately:at once,promptly",
    "currently:at present,now",
    "still:yet,even now",
    "already:previously,by now",
    "further:additional,more",
    "additional:extra,further",
    "several:a number of,various",
    "many:numerous,a lot of",
    "most:the majority of",
    "some:certain,a number of",
    "major:main",
    "main:principal,chief",
    "key:crucial,central",
    "final:last,closing",
    "firstly:first",
    "despite:in spite of,notwithstanding",
    "following:after,in the wake of",
    "amid:among,during",
    "against:versus,compared with",
    "between:among",
    "within:inside",
    "without:lacking",
    "including:among them,such as",
    "show:indicate,reveal",
    "showed:indicated,revealed",
    "shows:indicates,reveals",
    "made:produced,created",
    "make:produce,create",
    "take:assume,accept",
    "took:assumed,accepted",
    "give:provide,offer",
    "gave:provided,offered",
    "keep:maintain,retain",
    "kept:maintained,retained",
    "hold:keep,retain",
    "held:kept,retained",
    "reach:attain,hit",
    "reached:attained,hit",
    "allow:permit,enable",
    "allowed:permitted,enabled",
    "seek:pursue,look for",
    "sought:pursued,looked for",
    "want:wish,seek",
    "need:require",
    "needed:required",
    "needs:requires",
    "use:employ,utilise",
    "used:employed,utilised",
    "run:operate,manage",
    "operate:run,manage",
    "operated:ran,managed",
    "building:structure,premises",
    "weather:conditions",
    "drought:dry spell",
    "rain:rainfall,showers",
    "storm:gale,tempest",
};

typedef struct syn {
    char *word;
    char *alt[3];
    int nalt;
} syn;

static syn *syns;
static size_t nsyns;

static int syn_cmp(const void *a, const void *b)
{
    return strcmp(((const syn *)a)->word, ((const syn *)b)->word);
}

static void syn_init(void)
{
    syns = xrealloc(NULL, LEN(syn_src) * sizeof *syns);
    for (size_t i = 0; i < LEN(syn_src); i++) {
        char *line = xstrdup(syn_src[i]), *colon = strchr(line, ':');
        syn *s = &syns[nsyns];
        *colon = '\0';
        s->word = line;
        s->nalt = 0;
        for (char *t = strtok(colon + 1, ","); t && s->nalt < 3; t = strtok(NULL, ","))
            s->alt[s->nalt++] = t;
        /* a word listed twice keeps its first entry */
        int dup = 0;
        for (size_t k = 0; k < nsyns; k++)
            if (strcmp(syns[k].word, line) == 0) dup = 1;
        if (dup)
            free(line);
        else
            nsyns++;
    }
    qsort(syns, nsyns, sizeof *syns, syn_cmp);
}

static void syn_done(void)
{
    for (size_t i = 0; i < nsyns; i++)
        free(syns[i].word);
    free(syns);
}

static const syn *syn_find(const char *w)
{
    syn key = {.word = (char *)w};
    return bsearch(&key, syns, nsyns, sizeof *syns, syn_cmp);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int is_stopword(const char *w)
{
    static const char *stop[] = {
        "the",   "a",     "an",    "and",  "or",    "of",    "to",    "in",    "on",  "for",
        "with",  "at",    "by",    "from", "as",    "is",    "was",   "were",  "be",  "been",
        "are",   "it",    "its",   "that", "this",  "which", "who",   "he",    "she", "they",
        "has",   "have",  "had",   "not",  "but",   "will",  "would", "their", "his", "her",
        "we",    "our",   "there", "than", "then",  "into",  "over",  "after", "up",  "out",
        "if",    "so",    "no",    "can",  "could", "may",   "might", "did",   "do",  "does",
        "these", "those", "such",  "also", "more",  "one",   "two",   "all",   "any", "other"};
    static const char *sorted[LEN(stop)];
    if (!sorted[0]) {
        memcpy(sorted, stop, sizeof stop);
        qsort(sorted, LEN(sorted), sizeof *sorted, str_cmp);
    }
    return bsearch(&w, sorted, LEN(sorted), sizeof *sorted, str_cmp) != NULL;
}

/* ------------------------------------------------------------------ */
/* Reuters-21578 parsing                                               */
/* ------------------------------------------------------------------ */

typedef struct rdoc {
    char *newid, *date, *title, *body; /* UTF-8, entities decoded */
} rdoc;

static char *latin1_to_utf8(const char *s, size_t n)
{
    char *out = xrealloc(NULL, 2 * n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            *o++ = (char)c;
        } else {
            *o++ = (char)(0xC0 | (c >> 6));
            *o++ = (char)(0x80 | (c & 0x3F));
        }
    }
    *o = '\0';
    return out;
}

/* Copy s[0..n) decoding SGML entities; control characters become spaces,
 * except newlines, and numeric entities below 32 are dropped. */
static char *decode_entities(const char *s, size_t n)
{
    char *out = xrealloc(NULL, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '&') {
            static const struct {
                const char *name;
                char ch;
            } ents[] = {{"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&quot;", '"'}};
            int done = 0;
            for (size_t k = 0; k < LEN(ents) && !done; k++) {
                size_t el = strlen(ents[k].name);
                if (i + el <= n && memcmp(s + i, ents[k].name, el) == 0) {
                    *o++ = ents[k].ch;
                    i += el - 1;
                    done = 1;
                }
            }
            if (!done && i + 2 < n && s[i + 1] == '#') {
                size_t k = i + 2;
                long v = 0;
                while (k < n && isdigit((unsigned char)s[k]) && v < 100000)
                    v = v * 10 + (s[k++] - '0');
                if (k < n && s[k] == ';' && k > i + 2) {
                    if (v >= 32 && v < 127) *o++ = (char)v;
                    i = k;
                    done = 1;
                }
            }
            if (!done) *o++ = '&';
        } else if (c < 0x20 && c != '\n') {
            *o++ = ' ';
        } else {
            *o++ = (char)c;
        }
    }
    *o = '\0';
    return out;
}

/* Text between <tag> and </tag> inside [s, end), or NULL. */
static char *tag_text(const char *s, const char *end, const char *tag)
{
    char open[32], close[32];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = memmem(s, (size_t)(end - s), open, strlen(open));
    if (!a) return NULL;
    a += strlen(open);
    const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
    if (!b) return NULL;
    return decode_entities(a, (size_t)(b - a));
}

/* Drop the trailing "Reuter" signature and surrounding blank space. */
static void strip_signature(char *body)
{
    size_t n = strlen(body);
    while (n && isspace((unsigned char)body[n - 1]))
        n--;
    static const char *sig[] = {"Reuter", "REUTER"};
    for (size_t k = 0; k < LEN(sig); k++) {
        size_t sl = strlen(sig[k]);
        if (n >= sl && memcmp(body + n - sl, sig[k], sl) == 0 &&
            (n == sl || isspace((unsigned char)body[n - sl - 1]))) {
            n -= sl;
            break;
        }
    }
    while (n && isspace((unsigned char)body[n - 1]))
        n--;
    body[n] = '\0';
}

/* Reflow a Reuters body: an indented or blank line starts a new paragraph;
 * lines within a paragraph are joined with single spaces. Paragraphs are
 * separated by "\n\n". *table is set when the body looks like a table. */
static char *reflow(const char *body, int *table)
{
    sb out = {0};
    int lines_with_gaps = 0, in_para = 0;
    const char *p = body;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t i = 0;
        int indented = n > 0 && isspace((unsigned char)p[0]);
        while (i < n && isspace((unsigned char)p[i]))
            i++;
        if (i == n) {
            in_para = 0;
        } else {
            if (memmem(p + i, n - i, "   ", 3)) lines_with_gaps++;
            if (out.len) sb_puts(&out, (indented || !in_para) ? "\n\n" : " ");
            int sp = 0;
            for (; i < n; i++) {
                if (isspace((unsigned char)p[i])) {
                    sp = 1;
                    continue;
                }
                if (sp) sb_putc(&out, ' ');
                sp = 0;
                sb_putc(&out, p[i]);
            }
            in_para = 1;
        }
        p = e ? e + 1 : p + n;
    }
    *table = lines_with_gaps > 2;
    return sb_take(&out);
}

static void rdoc_free(rdoc *d)
{
    free(d->newid);
    free(d->date);
    free(d->title);
    free(d->body);
}

/* Calls fn for every Reuters document with a body, files in sorted order. */
static size_t reuters_each(const char *dir, void (*fn)(rdoc *, void *), void *arg)
{
    char pat[4096];
    glob_t g;
    size_t count = 0;
    snprintf(pat, sizeof pat, "%s/reut2-*.sgm", dir);
    if (glob(pat, 0, NULL, &g) != 0) return 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        FILE *fp = fopen(g.gl_pathv[f], "rb");
        if (!fp) die("%s: %s", g.gl_pathv[f], strerror(errno));
        sb raw = {0};
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
            sb_add(&raw, buf, n);
        fclose(fp);
        char *txt = latin1_to_utf8(raw.p ? raw.p : "", raw.len);
        free(raw.p);
        const char *p = txt;
        while ((p = strstr(p, "<REUTERS"))) {
            const char *end = strstr(p, "</REUTERS>");
            if (!end) break;
            rdoc d = {0};
            const char *nid = strstr(p, "NEWID=\"");
            if (nid && nid < end) {
                nid += 7;
                const char *q = strchr(nid, '"');
                if (q && q < end) {
                    d.newid = xrealloc(NULL, (size_t)(q - nid) + 1);
                    memcpy(d.newid, nid, (size_t)(q - nid));
                    d.newid[q - nid] = '\0';
                }
            }
            d.date = tag_text(p, end, "DATE");
            d.title = tag_text(p, end, "TITLE");
            d.body = tag_text(p, end, "BODY");
            if (d.body) strip_signature(d.body);
            if (d.newid && d.body && d.body[0]) {
                fn(&d, arg);
                count++;
            }
            rdoc_free(&d);
            p = end;
        }
        free(txt);
    }
    globfree(&g);
    return count;
}

/* "26-FEB-1987 15:01:01.79" -> "1987-02-26T15:01:01Z"; "" if unparsable. */
static void reuters_date(const char *s, char *out, size_t size)
{
    int d, y, hh, mm, ss;
    char mon[4];
    out[0] = '\0';
    if (!s || sscanf(s, " %d-%3s-%d %d:%d:%d", &d, mon, &y, &hh, &mm, &ss) != 6) return;
    static const char *mons[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                 "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
    for (int m = 0; m < 12; m++)
        if (strcasecmp(mon, mons[m]) == 0)
            snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m + 1, d, hh, mm, ss);
}

/* ------------------------------------------------------------------ */
/* Output: JSON escaping, plain or gzip files                          */
/* ------------------------------------------------------------------ */

typedef struct outf {
    FILE *f;
    gzFile gz;
    const char *name;
} outf;

static void out_open(outf *o, const char *name)
{
    memset(o, 0, sizeof *o);
    o->name = name;
    size_t n = strlen(name);
    if (strcmp(name, "-") == 0) {
        o->f = stdout;
    } else if (n > 3 && strcmp(name + n - 3, ".gz") == 0) {
        o->gz = gzopen(name, "wb6");
        if (!o->gz) die("%s: cannot open for writing", name);
    } else {
        o->f = fopen(name, "wb");
        if (!o->f) die("%s: %s", name, strerror(errno));
    }
}

static void out_write(outf *o, const char *s, size_t n)
{
    if (!n) return;
    if (o->gz) {
        if (gzwrite(o->gz, s, (unsigned)n) != (int)n) die("%s: write error", o->name);
    } else if (fwrite(s, 1, n, o->f) != n) {
        die("%s: %s", o->name, strerror(errno));
    }
}

static void out_close(outf *o)
{
    if (o->gz) {
        if (gzclose(o->gz) != Z_OK) die("%s: write error", o->name);
    } else if (o->f == stdout) {
        if (fflush(stdout) != 0) die("stdout: %s", strerror(errno));
    } else if (o->f && fclose(o->f) != 0) {
        die("%s: %s", o->name, strerror(errno));
    }
    memset(o, 0, sizeof *o);
}

static void json_str(sb *b, const char *s)
{
    sb_putc(b, '"');
    for (; *s; s++) {
        size_t run = 0;
        while ((unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run) {
            sb_add(b, s, run);
            s += run;
            if (!*s) break;
        }
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            sb_putc(b, '\\');
            sb_putc(b, (char)c);
        } else if (c == '\n') {
            sb_puts(b, "\\n");
        } else if (c == '\t') {
            sb_puts(b, "\\t");
        } else if (c == '\r') {
            sb_puts(b, "\\r");
        } else if (c < 0x20) {
            sb_printf(b, "\\u%04x", c);
        } else {
            sb_putc(b, (char)c);
        }
    }
    sb_putc(b, '"');
}

static void json_article(sb *b, const char *id, const char *url, const char *site,
                         const char *title, const char *published, const char *text)
{
    sb_puts(b, "{\"id\":");
    json_str(b, id);
    if (url) {
        sb_puts(b, ",\"url\":");
        json_str(b, url);
    }
    sb_puts(b, ",\"site\":");
    json_str(b, site);
    sb_puts(b, ",\"title\":");
    json_str(b, title ? title : "");
    if (published && *published) {
        sb_puts(b, ",\"published\":");
        json_str(b, published);
    }
    sb_puts(b, ",\"text\":");
    json_str(b, text);
    sb_puts(b, "}\n");
}

/* ------------------------------------------------------------------ */
/* The Reuters pool: usable bodies split into sentences                */
/* ------------------------------------------------------------------ */

typedef struct hashset {
    uint64_t *v;
    size_t cap, n;
} hashset;

/* Adds h; returns 1 if it was already present. 0 is stored as 1. */
static int hs_add(hashset *hs, uint64_t h)
{
    if (!h) h = 1;
    if (2 * (hs->n + 1) > hs->cap) {
        hashset big = {xrealloc(NULL, (hs->cap ? hs->cap * 2 : 1024) * sizeof(uint64_t)),
                       hs->cap ? hs->cap * 2 : 1024, 0};
        memset(big.v, 0, big.cap * sizeof(uint64_t));
        for (size_t i = 0; i < hs->cap; i++)
            if (hs->v[i]) hs_add(&big, hs->v[i]);
        free(hs->v);
        *hs = big;
    }
    size_t i = (size_t)(mix64(h) & (hs->cap - 1));
    while (hs->v[i]) {
        if (hs->v[i] == h) return 1;
        i = (i + 1) & (hs->cap - 1);
    }
    hs->v[i] = h;
    hs->n++;
    return 0;
}

static int hs_has(const hashset *hs, uint64_t h)
{
    if (!h) h = 1;
    if (!hs->cap) return 0;
    size_t i = (size_t)(mix64(h) & (hs->cap - 1));
    while (hs->v[i]) {
        if (hs->v[i] == h) return 1;
        i = (i + 1) & (hs->cap - 1);
    }
    return 0;
}

/* Hashes of the lower-cased 5-word shingles of a text. */
static size_t shingles(const char *text, uint64_t **out)
{
    size_t nw = 0, cap = 64;
    uint64_t *w = xrealloc(NULL, cap * sizeof *w);
    const char *p = text;
    while (*p) {
        while (*p && !isalnum((unsigned char)*p))
            p++;
        if (!*p) break;
        uint64_t h = 0xcbf29ce484222325ULL;
        while (*p && (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)) {
            h = (h ^ (unsigned char)tolower((unsigned char)*p)) * 0x100000001b3ULL;
            p++;
        }
        if (nw == cap) w = xrealloc(w, (cap *= 2) * sizeof *w);
        w[nw++] = h;
    }
    size_t ns = nw >= 5 ? nw - 4 : 0;
    uint64_t *s = xrealloc(NULL, (ns ? ns : 1) * sizeof *s);
    for (size_t i = 0; i < ns; i++) {
        uint64_t h = 0;
        for (size_t k = 0; k < 5; k++)
            h = mix64(h ^ w[i + k]);
        s[i] = h;
    }
    free(w);
    *out = s;
    return ns;
}

typedef struct pool {
    story *v;
    size_t n, cap;
    size_t seen, tables, shorts, dups;
    hashset shingles;
    /* every sentence, for borrowing: story index << 20 | sentence index */
    uint64_t *sent;
    size_t nsent;
} pool;

static void pool_take(rdoc *d, void *arg)
{
    pool *pl = arg;
    int table = 0;
    pl->seen++;
    char *text = reflow(d->body, &table);
    if (table) {
        pl->tables++;
        goto out;
    }
    if (count_words(text) < 150) {
        pl->shorts++;
        goto out;
    }
    uint64_t *sh = NULL;
    size_t ns = shingles(text, &sh), hit = 0;
    for (size_t i = 0; i < ns; i++)
        hit += hs_has(&pl->shingles, sh[i]);
    if (ns == 0 || hit * 10 > ns) { /* shares over 10% of its prose with earlier bodies */
        pl->dups++;
        free(sh);
        goto out;
    }
    for (size_t i = 0; i < ns; i++)
        hs_add(&pl->shingles, sh[i]);
    free(sh);
    story st = {0};
    int para = 0;
    for (char *p = text, *e; p; p = e ? e + 2 : NULL, para++) {
        e = strstr(p, "\n\n");
        if (e) *e = '\0';
        split_sentences(p, &st, para);
    }
    /* headlines are upper case on the wire: make them sentence case, but
     * keep abbreviations ("U.S.") and tickers ("<CNT>") as they are */
    st.title = xstrdup(d->title ? d->title : "");
    for (char *w = st.title; *w;) {
        size_t n = strcspn(w, " ");
        int keep = memchr(w, '.', n) != NULL || memchr(w, '<', n) != NULL;
        for (size_t i = 0; i < n && !keep; i++)
            w[i] = (char)(w == st.title && i == 0 ? toupper((unsigned char)w[i])
                                                  : tolower((unsigned char)w[i]));
        w += n;
        while (*w == ' ')
            w++;
    }
    if (pl->n == pl->cap) {
        pl->cap = pl->cap ? pl->cap * 2 : 1024;
        pl->v = xrealloc(pl->v, pl->cap * sizeof *pl->v);
    }
    pl->v[pl->n++] = st;
out:
    free(text);
}

static void pool_load(pool *pl, const char *dir)
{
    memset(pl, 0, sizeof *pl);
    reuters_each(dir, pool_take, pl);
    free(pl->shingles.v);
    pl->shingles.v = NULL;
    for (size_t i = 0; i < pl->n; i++)
        pl->nsent += pl->v[i].n;
    pl->sent = xrealloc(NULL, (pl->nsent ? pl->nsent : 1) * sizeof *pl->sent);
    size_t k = 0;
    for (size_t i = 0; i < pl->n; i++)
        for (size_t j = 0; j < pl->v[i].n; j++)
            pl->sent[k++] = ((uint64_t)i << 20) | j;
}

static void pool_free(pool *pl)
{
    for (size_t i = 0; i < pl->n; i++)
        story_free(&pl->v[i]);
    free(pl->v);
    free(pl->sent);
}

/* A random pool sentence of at most 20 words, so that borrowing one never
 * makes two stories look like copies of each other. */
static const char *pool_sentence(const pool *pl, rng *r)
{
    const char *s = NULL;
    for (int tries = 0; tries < 16; tries++) {
        uint64_t x = pl->sent[below(r, pl->nsent)];
        s = pl->v[x >> 20].s[x & 0xFFFFF];
        if (count_words(s) <= 20) break;
    }
    return s;
}

/* ------------------------------------------------------------------ */
/* The built-in generator                                              */
/* ------------------------------------------------------------------ */

/* Entities of one story. When names/nums are set (hard negatives), they
 * come from a source story and fill the person, organisation and figure
 * slots. */
typedef struct ctx {
    char person[3][64];
    int mentioned[3];
    char role[3][64];
    char org[3][64];
    const char *city, *country;
    int topic;
    char **names;
    size_t nnames;
    char **nums;
    size_t nnums;
} ctx;

static void ctx_init(ctx *c, rng *r)
{
    memset(c, 0, sizeof *c);
    for (int i = 0; i < 3; i++) {
        snprintf(c->person[i], sizeof c->person[i], "%s %s", PICK(r, first_names),
                 PICK(r, last_names));
        snprintf(c->role[i], sizeof c->role[i], "%s", PICK(r, roles));
        snprintf(c->org[i], sizeof c->org[i], "%s %s", PICK(r, org_pre), PICK(r, org_suf));
    }
    static char place[LEN(cities)][2][48];
    size_t k = below(r, LEN(cities));
    if (!place[k][0][0]) {
        const char *bar = strchr(cities[k], '|');
        snprintf(place[k][0], sizeof place[k][0], "%.*s", (int)(bar - cities[k]), cities[k]);
        snprintf(place[k][1], sizeof place[k][1], "%s", bar + 1);
    }
    c->city = place[k][0];
    c->country = place[k][1];
    c->topic = (int)below(r, LEN(topic_nouns));
}

static void put_person(sb *b, ctx *c, rng *r, int with_role)
{
    if (c->nnames && chance(r, 0.7)) {
        sb_puts(b, c->names[below(r, c->nnames)]);
        return;
    }
    int i = (int)below(r, 3);
    if (!c->mentioned[i] || with_role) {
        sb_puts(b, c->person[i]);
        if (with_role) sb_printf(b, ", %s at %s,", c->role[i], c->org[below(r, 3)]);
        c->mentioned[i] = 1;
    } else {
        sb_puts(b, strchr(c->person[i], ' ') + 1);
    }
}

static void put_number(sb *b, ctx *c, rng *r, char kind)
{
    if (c->nnums && chance(r, 0.6)) {
        const char *num = c->nums[below(r, c->nnums)];
        sb_puts(b, num);
        if (kind == 'Q' && !strchr(num, '%')) sb_puts(b, " percent");
        return;
    }
    switch (kind) {
    case 'X': {
        static const char *cur[] = {"$%s billion", "%s million euros", "$%s million",
                                    "%s billion yen", "%s million pounds"};
        char num[32];
        snprintf(num, sizeof num, "%zu.%zu", 1 + below(r, 98), below(r, 10));
        const char *f = PICK(r, cur), *at = strstr(f, "%s");
        sb_add(b, f, (size_t)(at - f));
        sb_puts(b, num);
        sb_puts(b, at + 2);
        break;
    }
    case 'Q':
        sb_printf(b, "%zu.%zu percent", below(r, 40), below(r, 10));
        break;
    case 'y': /* small count */
        sb_printf(b, "%zu", 2 + below(r, 28));
        break;
    default: {
        size_t v = 12 + below(r, 90000);
        if (v >= 1000)
            sb_printf(b, "%zu,%03zu", v / 1000, v % 1000);
        else
            sb_printf(b, "%zu", v);
    }
    }
}

static void expand(sb *b, const char *tpl, ctx *c, rng *r, int depth);

static void put_quote(sb *b, ctx *c, rng *r, int depth)
{
    sb q = {0};
    expand(&q, PICK(r, quote_forms), c, r, depth + 1);
    /* trim a trailing space left by an empty tail */
    while (q.len && q.p[q.len - 1] == ' ')
        q.p[--q.len] = '\0';
    sb_puts(b, q.p ? q.p : "");
    free(q.p);
}

static void expand(sb *b, const char *tpl, ctx *c, rng *r, int depth)
{
    for (const char *p = tpl; *p; p++) {
        if (*p != '{') {
            sb_putc(b, *p);
            continue;
        }
        const char *e = strchr(p, '}');
        char slot[8] = {0};
        size_t n = (size_t)(e - p - 1);
        if (n >= sizeof slot) n = sizeof slot - 1;
        memcpy(slot, p + 1, n);
        p = e;
        const char *v = NULL;
        if (!strcmp(slot, "P")) {
            put_person(b, c, r, 0);
        } else if (!strcmp(slot, "PR")) {
            put_person(b, c, r, 1);
        } else if (!strcmp(slot, "O") || !strcmp(slot, "O2")) {
            if (c->nnames && chance(r, 0.5))
                sb_puts(b, c->names[below(r, c->nnames)]);
            else
                sb_puts(b, c->org[slot[1] ? 1 + below(r, 2) : 0]);
        } else if (!strcmp(slot, "C")) {
            v = c->city;
        } else if (!strcmp(slot, "K")) {
            v = c->country;
        } else if (!strcmp(slot, "N") || !strcmp(slot, "N2")) {
            v = topic_nouns[c->topic][below(r, 15)];
        } else if (!strcmp(slot, "V") || !strcmp(slot, "I")) {
            const char *vb = PICK(r, verbs), *bar = strchr(vb, '|');
            if (slot[0] == 'V')
                sb_puts(b, bar + 1);
            else
                sb_add(b, vb, (size_t)(bar - vb));
        } else if (!strcmp(slot, "A")) {
            v = PICK(r, adjs);
        } else if (!strcmp(slot, "X") || !strcmp(slot, "X2")) {
            put_number(b, c, r, 'X');
        } else if (!strcmp(slot, "Q")) {
            put_number(b, c, r, 'Q');
        } else if (!strcmp(slot, "Y")) {
            put_number(b, c, r, 'Y');
        } else if (!strcmp(slot, "Y2")) {
            put_number(b, c, r, 'y');
        } else if (!strcmp(slot, "U")) {
            v = PICK(r, units);
        } else if (!strcmp(slot, "D")) {
            v = PICK(r, days);
        } else if (!strcmp(slot, "M")) {
            v = PICK(r, months);
        } else if (!strcmp(slot, "DN")) {
            sb_printf(b, "%zu", 1 + below(r, 28));
        } else if (!strcmp(slot, "YR")) {
            sb_printf(b, "%zu", 1995 + below(r, 27));
        } else if (!strcmp(slot, "MOD")) {
            v = PICK(r, modals);
        } else if (!strcmp(slot, "QT")) {
            if (depth < 3) expand(b, PICK(r, qtails), c, r, depth + 1);
        } else if (!strcmp(slot, "Z") || !strcmp(slot, "Z2")) {
            if (depth < 3) {
                size_t at = b->len;
                put_quote(b, c, r, depth);
                if (slot[1] == '\0' && at < b->len)
                    b->p[at] = (char)toupper((unsigned char)b->p[at]);
            }
        }
        if (v) sb_puts(b, v);
    }
}

/* One generated sentence, capitalised. */
static char *gen_sentence(ctx *c, rng *r)
{
    sb b = {0};
    expand(&b, PICK(r, templates), c, r, 0);
    char *s = sb_take(&b);
    if (s[0]) s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}

static char *gen_title(ctx *c, rng *r)
{
    sb b = {0};
    expand(&b, PICK(r, title_forms), c, r, 2);
    char *s = sb_take(&b);
    if (s[0]) s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}

/* A generated story of lo..hi sentences in paragraphs of 1-3 sentences. */
static void gen_story(story *st, ctx *c, rng *r, size_t lo, size_t hi)
{
    size_t n = lo + below(r, hi - lo + 1);
    int para = last_para(st) + 1, left = 0;
    for (size_t i = 0; i < n; i++) {
        if (left == 0) {
            left = 1 + (int)below(r, 3);
            if (i) para++;
        }
        story_add(st, gen_sentence(c, r), para);
        left--;
    }
}

/* ------------------------------------------------------------------ */
/* Pseudo-vocabulary text for --builtin                                */
/* ------------------------------------------------------------------ */

/* Template sentences make unrelated stories share whole clauses, which real
 * news does not. Without the Reuters pool, text is therefore built from a
 * pseudo-vocabulary: VOCAB_N invented word forms (syllables plus English-like
 * endings, the same on every run) drawn with a Zipf-Mandelbrot frequency,
 * joined by real English function words through a small phrase grammar, with
 * each story favouring its own few dozen topic words. Word index mod 4 is the
 * part of speech (0, 1 noun, 2 verb in the past tense, 3 adjective); every
 * pseudo-word has two seeded synonyms of its own part of speech, so synonym
 * edits work on this text as on real words. */

enum { VOCAB_N = 48000, VOCAB_Q = 60, TOPIC_N = 40, R_VOCAB = 99 };

static char **vocab;
static double *vcum;   /* cumulative weights, vcum[VOCAB_N - 1] is the total */
static uint32_t *vmap; /* open addressing: word hash -> index + 1 */
static size_t vmap_cap;
static int pseudo_on; /* builtin mode: the generator and pseudo-synonyms */

static uint64_t str_hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return mix64(h);
}

static long vocab_find(const char *w)
{
    if (!vmap) return -1;
    for (size_t i = (size_t)str_hash(w) & (vmap_cap - 1); vmap[i]; i = (i + 1) & (vmap_cap - 1))
        if (strcmp(vocab[vmap[i] - 1], w) == 0) return (long)vmap[i] - 1;
    return -1;
}

static void vocab_init(void)
{
    static const char *onset[] = {"b",  "c",  "d",  "f",  "g",  "h",  "j",  "k",  "l",  "m",
                                  "n",  "p",  "r",  "s",  "t",  "v",  "w",  "z",  "br", "cr",
                                  "dr", "fl", "gr", "pl", "pr", "sh", "st", "tr", "ch", "th",
                                  "sk", "sl", "sp", "bl", "cl", "gl", "fr", "qu", "sn", ""};
    static const char *nucleus[] = {"a", "e", "i", "o",  "u",  "a",  "e",  "i",  "o",
                                    "u", "a", "e", "ai", "ea", "ou", "ee", "oo", "y"};
    static const char *coda[] = {"",   "",   "",   "",   "n", "r",  "s",  "l",  "m",  "t",
                                 "nd", "st", "rk", "ng", "x", "lt", "mp", "nt", "ck", "sh"};
    static const char *noun_end[] = {"",     "",    "",    "",     "ion", "ment", "ity", "er",
                                     "ance", "age", "ism", "ship", "ure", "ness", "ot",  "et"};
    static const char *adj_end[] = {"al",  "ive",  "ous",  "ic",  "ary", "ent", "ish",
                                    "ful", "less", "able", "ian", "y",   "",    ""};
    rng r;
    rng_seed(&r, 0x5EEDULL, R_VOCAB, 0);
    vocab = xrealloc(NULL, VOCAB_N * sizeof *vocab);
    vcum = xrealloc(NULL, VOCAB_N * sizeof *vcum);
    vmap_cap = 1;
    while (vmap_cap < 3 * VOCAB_N)
        vmap_cap *= 2;
    vmap = xrealloc(NULL, vmap_cap * sizeof *vmap);
    memset(vmap, 0, vmap_cap * sizeof *vmap);
    double total = 0;
    for (size_t i = 0; i < VOCAB_N; i++) {
        char w[64];
        for (;;) {
            size_t n = 0, syl = chance(&r, 0.1) ? 3 : 1 + below(&r, 2);
            w[0] = '\0';
            for (size_t k = 0; k < syl; k++) {
                n += (size_t)snprintf(w + n, sizeof w - n, "%s%s%s", PICK(&r, onset),
                                      PICK(&r, nucleus), k + 1 < syl ? "" : PICK(&r, coda));
            }
            int pos = (int)(i % 4);
            const char *end = pos == 2   ? (strchr("e", w[n - 1]) ? "d" : "ed")
                              : pos == 3 ? PICK(&r, adj_end)
                                         : PICK(&r, noun_end);
            if (strchr("aeiouy", w[n - 1]) && strchr("aeiouy", end[0]) && end[0]) n--;
            snprintf(w + n, sizeof w - n, "%s", end);
            n = strlen(w);
            if (n >= 4 && n <= 14 && !is_stopword(w) && !syn_find(w) && vocab_find(w) < 0) break;
        }
        vocab[i] = xstrdup(w);
        size_t h = (size_t)str_hash(w) & (vmap_cap - 1);
        while (vmap[h])
            h = (h + 1) & (vmap_cap - 1);
        vmap[h] = (uint32_t)i + 1;
        total += 1.0 / (double)(i + VOCAB_Q);
        vcum[i] = total;
    }
}

static void vocab_done(void)
{
    if (!vocab) return;
    for (size_t i = 0; i < VOCAB_N; i++)
        free(vocab[i]);
    free(vocab);
    free(vcum);
    free(vmap);
}

/* Synonym k (0 or 1) of pseudo-word i: another word of its part of speech. */
static size_t pseudo_syn(size_t i, size_t k)
{
    size_t j = (size_t)(mix64(i * 2 + k + 0x51ULL) % (VOCAB_N / 4)) * 4 + i % 4;
    return j == i ? (j + 4) % VOCAB_N : j;
}

/* A word index of part of speech pos (0 noun, 2 verb, 3 adjective). */
static size_t zipf_word(rng *r, int pos)
{
    double u = unit(r) * vcum[VOCAB_N - 1];
    size_t lo = 0, hi = VOCAB_N - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (vcum[mid] < u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - lo % 4 + (size_t)(pos == 0 ? below(r, 2) : (size_t)pos);
}

static const char *real_nouns[] = {
    "company", "market",  "plan",     "deal",    "government", "profit",   "bank",
    "prices",  "project", "contract", "budget",  "policy",     "proposal", "investors",
    "plant",   "network", "region",   "inquiry", "staff",      "forecast", "shipments"};
static const char *real_verbs[] = {"approved", "rejected", "delayed",  "launched", "reached",
                                   "acquired", "agreed",   "expected", "halted",   "suspended",
                                   "helped",   "showed",   "sought",   "kept",     "increased"};
static const char *real_adjs[] = {"major", "large",    "small",    "new",     "key",
                                  "final", "local",    "national", "foreign", "significant",
                                  "rapid", "possible", "important"};

typedef struct pgen {
    ctx *c;
    size_t topic[TOPIC_N];
} pgen;

static void put_word(sb *b, pgen *p, rng *r, int pos)
{
    double u = unit(r);
    size_t i;
    if (u < 0.06) {
        sb_puts(b, pos == 0   ? PICK(r, real_nouns)
                   : pos == 2 ? PICK(r, real_verbs)
                              : PICK(r, real_adjs));
        return;
    }
    if (u < 0.40) {
        i = p->topic[below(r, TOPIC_N)];
        i = i - i % 4 + (size_t)(pos == 0 ? below(r, 2) : (size_t)pos);
    } else {
        i = zipf_word(r, pos);
    }
    sb_puts(b, vocab[i]);
}

static void p_np(sb *b, pgen *p, rng *r, int depth);

static void p_pp(sb *b, pgen *p, rng *r, int depth)
{
    static const char *prep[] = {"of",      "in",      "for",     "on",     "with",   "at",
                                 "from",    "by",      "over",    "under",  "after",  "before",
                                 "against", "between", "through", "during", "across", "near",
                                 "toward",  "without", "behind",  "beyond", "among",  "despite"};
    sb_puts(b, PICK(r, prep));
    sb_putc(b, ' ');
    p_np(b, p, r, depth + 1);
}

static void p_np(sb *b, pgen *p, rng *r, int depth)
{
    static const char *det[] = {"the",  "the",   "the",     "a",    "its",     "their", "this",
                                "that", "some",  "every",   "each", "another", "no",    "most",
                                "both", "those", "several", "many", "his",     "her"};
    double u = unit(r);
    if (u < 0.08) {
        put_person(b, p->c, r, 0);
        return;
    }
    if (u < 0.13) {
        if (p->c->nnames && chance(r, 0.5))
            sb_puts(b, p->c->names[below(r, p->c->nnames)]);
        else
            sb_puts(b, p->c->org[below(r, 3)]);
        return;
    }
    if (u < 0.16) {
        sb_puts(b, chance(r, 0.6) ? p->c->city : p->c->country);
        return;
    }
    if (u < 0.22) {
        put_number(b, p->c, r, "XQY"[below(r, 3)]);
        if (chance(r, 0.5)) {
            sb_puts(b, " of ");
            put_word(b, p, r, 0);
        }
        return;
    }
    if (chance(r, 0.6)) {
        sb_puts(b, PICK(r, det));
        sb_putc(b, ' ');
    }
    for (int k = 0; k < 2 && chance(r, k ? 0.15 : 0.4); k++) {
        put_word(b, p, r, 3);
        sb_putc(b, ' ');
    }
    put_word(b, p, r, 0);
    if (depth < 2 && chance(r, depth ? 0.15 : 0.35)) {
        sb_putc(b, ' ');
        p_pp(b, p, r, depth);
    }
}

static void p_clause(sb *b, pgen *p, rng *r, int depth)
{
    static const char *aux[] = {"was",      "were",   "had been", "has been",   "is",
                                "would be", "may be", "could be", "will be",    "are",
                                "have",     "had",    "has",      "might have", "should have"};
    static const char *says[] = {"said",  "argued", "warned",   "claimed",  "insisted",
                                 "noted", "added",  "believed", "reported", "admitted"};
    p_np(b, p, r, 0);
    sb_putc(b, ' ');
    double u = unit(r);
    if (u < 0.12 && depth == 0) {
        sb_puts(b, PICK(r, says));
        sb_puts(b, chance(r, 0.5) ? " that " : " ");
        p_clause(b, p, r, depth + 1);
        return;
    }
    if (u < 0.35) {
        sb_puts(b, PICK(r, aux));
        sb_putc(b, ' ');
        if (chance(r, 0.5))
            put_word(b, p, r, 2);
        else
            put_word(b, p, r, 3);
    } else {
        put_word(b, p, r, 2);
        sb_putc(b, ' ');
        p_np(b, p, r, 1);
    }
    if (chance(r, 0.4)) {
        sb_putc(b, ' ');
        p_pp(b, p, r, 0);
    }
}

static char *p_sentence(pgen *p, rng *r)
{
    static const char *conj[] = {
        "and",   "but",   "while", "because", "although",    "as",   "after",  "before",
        "since", "until", "so",    "whereas", "even though", "once", "unless", "whenever"};
    static const char *lead[] = {"On",     "In",     "After", "Before", "Despite", "Under",
                                 "Within", "During", "Since", "Beyond", "Across",  "Among"};
    ctx *c = p->c;
    sb b = {0};
    double u = unit(r);
    if (u < 0.10) { /* a quotation, attributed */
        sb_putc(&b, '"');
        size_t at = b.len;
        p_clause(&b, p, r, 0);
        b.p[at] = (char)toupper((unsigned char)b.p[at]);
        sb_puts(&b, ",\" ");
        put_person(&b, c, r, 0);
        sb_puts(&b, chance(r, 0.5) ? " said." : " told reporters.");
    } else if (u < 0.18) { /* someone said something */
        put_person(&b, c, r, chance(r, 0.5));
        sb_puts(&b, " said ");
        if (chance(r, 0.4)) {
            sb_puts(&b, "on ");
            sb_puts(&b, PICK(r, days));
            sb_puts(&b, " that ");
        }
        p_clause(&b, p, r, 1);
        sb_putc(&b, '.');
    } else {
        size_t at = b.len;
        if (u < 0.30) {
            sb_puts(&b, PICK(r, lead));
            sb_putc(&b, ' ');
            p_np(&b, p, r, 1);
            sb_puts(&b, ", ");
        }
        p_clause(&b, p, r, 0);
        if (chance(r, 0.35)) {
            sb_puts(&b, chance(r, 0.5) ? ", " : " ");
            sb_puts(&b, PICK(r, conj));
            sb_putc(&b, ' ');
            p_clause(&b, p, r, 1);
        }
        if (chance(r, 0.12)) {
            sb_puts(&b, " in ");
            sb_puts(&b, chance(r, 0.5) ? PICK(r, months) : c->city);
        }
        sb_putc(&b, '.');
        b.p[at] = (char)toupper((unsigned char)b.p[at]);
    }
    return sb_take(&b);
}

static void pgen_init(pgen *p, ctx *c, rng *r)
{
    p->c = c;
    for (size_t i = 0; i < TOPIC_N; i++)
        p->topic[i] = 400 + below(r, VOCAB_N - 400);
}

/* A capitalised pseudo-word: a surname or an organisation's first word. */
static void put_proper(char *buf, size_t size, rng *r)
{
    snprintf(buf, size, "%s", vocab[below(r, VOCAB_N / 4) * 4]);
    buf[0] = (char)toupper((unsigned char)buf[0]);
}

/* Most people and organisations get invented names, so that the small name
 * lists do not link unrelated stories. */
static void pseudo_entities(ctx *c, rng *r)
{
    for (int i = 0; i < 3; i++) {
        char w[32];
        if (chance(r, 0.7)) {
            put_proper(w, sizeof w, r);
            char first[64];
            snprintf(first, sizeof first, "%.*s", (int)strcspn(c->person[i], " "), c->person[i]);
            snprintf(c->person[i], sizeof c->person[i], "%.30s %.30s", first, w);
        }
        if (chance(r, 0.7)) {
            put_proper(w, sizeof w, r);
            const char *suf = strrchr(c->org[i], ' ');
            snprintf(c->org[i], sizeof c->org[i], "%.30s%.30s", w, suf ? suf : "");
        }
    }
}

/* A pseudo-vocabulary story of lo..hi sentences in paragraphs of 1-3. */
static void pgen_story(story *st, ctx *c, rng *r, size_t lo, size_t hi)
{
    pgen p;
    pseudo_entities(c, r);
    pgen_init(&p, c, r);
    size_t n = lo + below(r, hi - lo + 1);
    int para = last_para(st) + 1, left = 0;
    for (size_t i = 0; i < n; i++) {
        if (left == 0) {
            left = 1 + (int)below(r, 3);
            if (i) para++;
        }
        story_add(st, p_sentence(&p, r), para);
        left--;
    }
}

static char *pgen_title(ctx *c, rng *r)
{
    pgen p;
    pgen_init(&p, c, r);
    sb b = {0};
    if (chance(r, 0.5)) {
        sb_puts(&b, chance(r, 0.5) ? c->org[0] : c->city);
        sb_putc(&b, ' ');
    } else {
        put_word(&b, &p, r, 3);
        sb_putc(&b, ' ');
        put_word(&b, &p, r, 0);
        sb_putc(&b, ' ');
    }
    put_word(&b, &p, r, 2);
    sb_putc(&b, ' ');
    put_word(&b, &p, r, 0);
    if (chance(r, 0.4)) {
        sb_puts(&b, " in ");
        sb_puts(&b, c->country);
    }
    char *s = sb_take(&b);
    s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}

/* ------------------------------------------------------------------ */
/* The corpus plan: stories, sites, times, ids                         */
/* ------------------------------------------------------------------ */

typedef struct site {
    const char *domain, *name;
} site;

static const site wire_sites[] = {{"wirefeed.com", "WireFeed"},
                                  {"globalnewsdesk.com", "Global News Desk"},
                                  {"presscable.net", "PressCable"},
                                  {"dailydispatch.org", "The Daily Dispatch"}};

static const site copy_sites[] = {{"metroherald.com", "Metro Herald"},
                                  {"newsbeat24.com", "NewsBeat 24"},
                                  {"thecapitalpost.net", "The Capital Post"},
                                  {"marketpulse.biz", "Market Pulse"},
                                  {"riverdalegazette.com", "Riverdale Gazette"},
                                  {"thenewsloop.com", "The News Loop"},
                                  {"headlinehub.net", "Headline Hub"},
                                  {"coastalchronicle.com", "Coastal Chronicle"},
                                  {"financewatchers.com", "Finance Watchers"},
                                  {"ledgerdaily.com", "Ledger Daily"},
                                  {"worldbriefing.info", "World Briefing"},
                                  {"citytimesonline.com", "City Times Online"},
                                  {"newsroundup.co", "News Roundup"},
                                  {"thetickerreport.com", "The Ticker Report"},
                                  {"breakingbulletin.net", "Breaking Bulletin"},
                                  {"northernobserver.com", "Northern Observer"},
                                  {"agrinewsnetwork.com", "Agri News Network"},
                                  {"energyinsider.net", "Energy Insider"},
                                  {"techpressreview.com", "Tech Press Review"},
                                  {"localvoice.news", "Local Voice"}};

static const char *edit_names[] = {"verbatim", "chrome", "truncate",  "drop",
                                   "reorder",  "edit",   "synonym10", "synonym20",
                                   "hard30",   "hard40", "merge",     "spin"};
enum {
    E_VERBATIM,
    E_CHROME,
    E_TRUNCATE,
    E_DROP,
    E_REORDER,
    E_EDIT,
    E_SYN10,
    E_SYN20,
    E_HARD30,
    E_HARD40,
    E_MERGE,
    E_COUNT, /* the edits of the default mix; those below only on request */
    E_SPIN = E_COUNT,
    E_ALL
};

typedef struct gen {
    uint64_t seed;
    size_t stories;
    double copies;
    size_t negatives;
    int hard, spin;
    pool pl;
    size_t *perm; /* pool order */
    int64_t t0;
    size_t counts[E_ALL];
    size_t articles, originals, copies_made, negs_made;
} gen;

static void make_id(const gen *g, uint64_t tag, uint64_t i, char *buf, size_t size)
{
    /* mix64 is a bijection, so distinct (tag, i) give distinct ids */
    snprintf(buf, size, "a%016llx",
             (unsigned long long)mix64(((tag << 56) | i) ^ mix64(g->seed ^ 0xA5A5A5A5ULL)));
}

static void iso_time(int64_t t, char *buf, size_t size)
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void make_url(const char *domain, const char *title, const char *id, int64_t t, char *buf,
                     size_t size)
{
    sb b = {0};
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    sb_printf(&b, "https://%s/%04d/%02d/%02d/", domain, tm.tm_year + 1900, tm.tm_mon + 1,
              tm.tm_mday);
    int dash = 0;
    size_t slug = 0;
    for (const char *p = title; *p && slug < 60; p++) {
        if (isalnum((unsigned char)*p)) {
            if (dash && slug) sb_putc(&b, '-');
            sb_putc(&b, (char)tolower((unsigned char)*p));
            slug++;
            dash = 0;
        } else {
            dash = 1;
        }
    }
    sb_printf(&b, "%s%s", slug ? "-" : "", id + strlen(id) - 8);
    snprintf(buf, size, "%s", b.p);
    free(b.p);
}

/* Story i: its text, title, original site and time. Deterministic in (seed, i). */
typedef struct orig {
    story st;
    const site *where;
    int64_t t;
    char id[24];
} orig;

static void make_story(const gen *g, size_t i, orig *o)
{
    rng r;
    rng_seed(&r, g->seed, R_STORY, i);
    memset(o, 0, sizeof *o);
    make_id(g, 0, i, o->id, sizeof o->id);
    o->t = g->t0 + (int64_t)i * 900 + (int64_t)below(&r, 900);
    o->where = &PICK(&r, wire_sites);
    ctx c;
    ctx_init(&c, &r);
    if (i < g->pl.n) {
        story_copy(&o->st, &g->pl.v[g->perm[i]]);
        return;
    }
    if (pseudo_on) {
        pgen_story(&o->st, &c, &r, 8, 15);
        o->st.title = pgen_title(&c, &r);
    } else {
        gen_story(&o->st, &c, &r, 8, 15);
        o->st.title = gen_title(&c, &r);
    }
    if (g->pl.n) { /* borrow one short Reuters sentence, at a random place */
        size_t at = below(&r, o->st.n);
        free(o->st.s[at]);
        o->st.s[at] = xstrdup(pool_sentence(&g->pl, &r));
    }
}

/* ------------------------------------------------------------------ */
/* Edits                                                               */
/* ------------------------------------------------------------------ */

/* Split a token into leading punctuation, core word and trailing punctuation. */
static void token_parts(const char *t, size_t n, size_t *a, size_t *b)
{
    size_t i = 0, j = n;
    while (i < n && !isalnum((unsigned char)t[i]))
        i++;
    while (j > i && !isalnum((unsigned char)t[j - 1]))
        j--;
    *a = i;
    *b = j;
}

/* Lower-case content word from core[0..n) into w, or 0 if not one. */
static int content_word(const char *core, size_t n, int sentence_start, char *w, size_t size)
{
    if (n < 3 || n >= size) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)core[i];
        if (!isalpha(ch) && ch != '-') return 0;
        if (isupper(ch) && !(i == 0 && sentence_start)) return 0;
        w[i] = (char)tolower(ch);
    }
    w[n] = '\0';
    return !is_stopword(w);
}

/* A plural/singular or verb-form variant of w; 0 (nothing appended) for
 * words whose forms would come out garbled (-ed, -ing, -ly). */
static int morph(const char *w, sb *out)
{
    size_t n = strlen(w);
    if ((n > 4 && (!strcmp(w + n - 2, "ed") || !strcmp(w + n - 2, "ly"))) ||
        (n > 5 && !strcmp(w + n - 3, "ing")))
        return 0;
    if (n > 4 && w[n - 1] == 's' && w[n - 2] != 's') {
        sb_add(out, w, n - 1);
    } else if (n > 3 && w[n - 1] == 'y' && !strchr("aeiou", w[n - 2])) {
        sb_add(out, w, n - 1);
        sb_puts(out, "ies");
    } else if (w[n - 1] == 's' || w[n - 1] == 'x' || w[n - 1] == 'h') {
        sb_puts(out, w);
        sb_puts(out, "es");
    } else {
        sb_puts(out, w);
        sb_putc(out, 's');
    }
    return 1;
}

/* Replace about share of the content words of st: synonyms first, then
 * (if morph_ok) morphological variants of words without synonyms. */
static void replace_words(story *st, double share, int morph_ok, rng *r)
{
    size_t ncontent = 0, nsyn = 0;
    char w[64];
    for (int pass = 0; pass < 2; pass++) {
        double p_syn = 0, p_morph = 0;
        if (pass == 1) {
            double target = share * (double)ncontent;
            if ((double)nsyn >= target) {
                p_syn = nsyn ? target / (double)nsyn : 0;
            } else {
                p_syn = 1;
                if (morph_ok && ncontent > nsyn)
                    p_morph = (target - (double)nsyn) / (double)(ncontent - nsyn);
            }
        }
        for (size_t i = 0; i < st->n; i++) {
            sb out = {0};
            const char *s = st->s[i];
            size_t ti = 0;
            while (*s) {
                size_t n = strcspn(s, " ");
                size_t a, b;
                token_parts(s, n, &a, &b);
                int done = 0;
                if (content_word(s + a, b - a, ti == 0, w, sizeof w)) {
                    const syn *sy = syn_find(w);
                    long pw = !sy && pseudo_on ? vocab_find(w) : -1;
                    int has = sy != NULL || pw >= 0;
                    if (pass == 0) {
                        ncontent++;
                        nsyn += has;
                    } else if ((has && chance(r, p_syn)) || (!has && chance(r, p_morph))) {
                        sb_add(&out, s, a);
                        size_t at = out.len;
                        if (sy)
                            sb_puts(&out, sy->alt[below(r, (size_t)sy->nalt)]);
                        else if (pw >= 0)
                            sb_puts(&out, vocab[pseudo_syn((size_t)pw, below(r, 2))]);
                        else if (!morph(w, &out))
                            sb_add(&out, s + a, b - a);
                        if (isupper((unsigned char)s[a]))
                            out.p[at] = (char)toupper((unsigned char)out.p[at]);
                        sb_add(&out, s + b, n - b);
                        done = 1;
                    }
                }
                if (pass == 1 && !done) sb_add(&out, s, n);
                s += n;
                if (*s == ' ') {
                    if (pass == 1) sb_putc(&out, ' ');
                    s++;
                }
                ti++;
            }
            if (pass == 1) {
                free(st->s[i]);
                st->s[i] = sb_take(&out);
            } else {
                free(out.p);
            }
        }
    }
}

/* With --copy-of the text need not be English: edit_words then deletes
 * words and never inserts its English fillers. */
static int delete_only;

/* Delete or insert a word in 10-20% of the sentences. */
static void edit_words(story *st, rng *r)
{
    static const char *fillers[] = {"also",    "now",      "reportedly", "currently", "still",
                                    "further", "recently", "officially", "meanwhile", "notably"};
    double p = 0.10 + 0.10 * unit(r);
    for (size_t i = 0; i < st->n; i++) {
        if (!chance(r, p)) continue;
        char *s = st->s[i];
        size_t ntok = 1;
        for (char *q = s; *q; q++)
            ntok += *q == ' ';
        if (ntok < 4) continue;
        size_t k = 1 + below(r, ntok - 2); /* never the first or last word */
        char *at = s;
        for (size_t t = 0; t < k; t++)
            at = strchr(at, ' ') + 1;
        sb out = {0};
        sb_add(&out, s, (size_t)(at - s));
        if (delete_only || chance(r, 0.5)) { /* delete word k */
            char *next = strchr(at, ' ');
            sb_puts(&out, next + 1);
        } else {
            sb_puts(&out, PICK(r, fillers));
            sb_putc(&out, ' ');
            sb_puts(&out, at);
        }
        free(st->s[i]);
        st->s[i] = sb_take(&out);
    }
}

static void shuffle(size_t *v, size_t n, rng *r)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = below(r, i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* Swap a few paragraphs, or a few sentences when there are few paragraphs. */
static void reorder(story *st, rng *r)
{
    size_t *start, k = story_paras(st, &start);
    if (k >= 3) {
        size_t *order = xrealloc(NULL, k * sizeof *order);
        for (size_t j = 0; j < k; j++)
            order[j] = j;
        size_t swaps = 1 + k / 4;
        for (size_t s = 0; s < swaps; s++) {
            size_t a = below(r, k), b = below(r, k), t = order[a];
            order[a] = order[b];
            order[b] = t;
        }
        if (swaps && order[0] == 0 && order[1] == 1) { /* make sure something moved */
            order[0] = 1;
            order[1] = 0;
        }
        story_permute_paras(st, start, order, k);
        free(order);
    } else if (st->n >= 2) {
        size_t swaps = 1 + st->n / 4;
        for (size_t s = 0; s < swaps; s++) {
            size_t a = below(r, st->n - 1);
            char *t = st->s[a];
            st->s[a] = st->s[a + 1];
            st->s[a + 1] = t;
        }
    }
    free(start);
}

static void truncate_story(story *st, rng *r)
{
    size_t keep = (size_t)((double)st->n * (0.4 + 0.3 * unit(r)) + 0.5);
    if (keep < 1) keep = 1;
    while (st->n > keep)
        story_delete(st, st->n - 1);
}

static void drop(story *st, rng *r)
{
    size_t *start, k = story_paras(st, &start), d = 1 + below(r, 3);
    if (k >= 4) {
        if (d > k / 2) d = k / 2;
        size_t *order = xrealloc(NULL, k * sizeof *order);
        for (size_t j = 0; j < k; j++)
            order[j] = j;
        shuffle(order, k, r);
        /* keep the remaining paragraphs in their original order */
        size_t m = k - d;
        for (size_t a = 0; a < m; a++)
            for (size_t b = a + 1; b < m; b++)
                if (order[b] < order[a]) {
                    size_t t = order[a];
                    order[a] = order[b];
                    order[b] = t;
                }
        story_permute_paras(st, start, order, m);
        free(order);
    } else {
        for (size_t j = 0; j < d && st->n > 2; j++)
            story_delete(st, below(r, st->n));
    }
    free(start);
}

/* Join sentence i and i+1 with ", and" as translation engines often do. */
static void merge_sentences(story *st, size_t i)
{
    sb out = {0};
    const char *a = st->s[i], *b = st->s[i + 1];
    size_t n = strlen(a);
    if (n && strchr(".!?", a[n - 1]) && !(n > 1 && a[n - 2] == '"')) n--;
    sb_add(&out, a, n);
    sb_puts(&out, ", and ");
    size_t at = out.len;
    sb_puts(&out, b);
    size_t wl = strcspn(b, " ,");
    char w[32];
    if (wl < sizeof w) {
        for (size_t k = 0; k < wl; k++)
            w[k] = (char)tolower((unsigned char)b[k]);
        w[wl] = '\0';
        if (is_stopword(w)) out.p[at] = (char)tolower((unsigned char)out.p[at]);
    }
    free(st->s[i]);
    st->s[i] = sb_take(&out);
    story_delete(st, i + 1);
}

/* Misspell one capitalised name (not sentence-initial) everywhere it occurs. */
static void garble_name(story *st, rng *r)
{
    char name[64] = {0};
    for (size_t tries = 0; tries < 20 && !name[0] && st->n; tries++) {
        const char *s = st->s[below(r, st->n)];
        const char *sp = strchr(s, ' ');
        while (sp) {
            const char *w = sp + 1;
            size_t n = strcspn(w, " ,.;:'\")");
            if (n >= 4 && n < sizeof name && isupper((unsigned char)w[0]) &&
                islower((unsigned char)w[1]) && chance(r, 0.5)) {
                memcpy(name, w, n);
                name[n] = '\0';
                break;
            }
            sp = strchr(w, ' ');
        }
    }
    if (!name[0]) return;
    char bad[64];
    memcpy(bad, name, sizeof bad);
    size_t n = strlen(name), k = 1 + below(r, n - 2);
    if (strchr("aeiou", bad[k])) {
        char v;
        do
            v = "aeiouy"[below(r, 6)];
        while (v == bad[k]);
        bad[k] = v;
    } else {
        char t = bad[k];
        bad[k] = bad[k + 1];
        bad[k + 1] = t;
    }
    if (strcmp(bad, name) == 0) bad[n - 1] = bad[n - 1] == 'a' ? 'o' : 'a';
    for (size_t i = 0; i < st->n; i++) {
        char *p;
        while ((p = strstr(st->s[i], name)))
            memcpy(p, bad, n);
    }
}

static void hard_rewrite(story *st, double share, rng *r)
{
    replace_words(st, share, 1, r);
    reorder(st, r);
    for (int m = 0; m < 2 && st->n >= 3; m++) {
        size_t i = below(r, st->n - 1);
        merge_sentences(st, i);
    }
    garble_name(st, r);
}

/* Swap the two halves of a sentence around its most central comma when
 * both have at least four words: "X said on Monday, after the vote, that"
 * becomes "after the vote, ... X said on Monday". The halves' own words stay
 * in order, so each is a short run on its own diagonal. */
static void swap_clauses(story *st, size_t i)
{
    char *t = st->s[i];
    size_t len = strlen(t), best = 0, bestd = (size_t)-1;
    for (size_t k = 1; k + 1 < len; k++) {
        if (t[k] != ',' || t[k + 1] != ' ') continue;
        size_t before = 0, after = 0;
        for (size_t j = 0; j < k; j++)
            before += t[j] == ' ';
        for (size_t j = k + 1; j < len; j++)
            after += t[j] == ' ';
        if (before < 3 || after < 4) continue;
        size_t d = k > len / 2 ? k - len / 2 : len / 2 - k;
        if (d < bestd) bestd = d, best = k;
    }
    if (!best) return;
    size_t end = len;
    char stop = 0;
    if (end && strchr(".!?", t[end - 1])) stop = t[--end];
    sb out = {0};
    sb_add(&out, t + best + 2, end - best - 2);
    if (out.len) out.p[0] = (char)toupper((unsigned char)out.p[0]);
    sb_puts(&out, ", ");
    size_t at = out.len;
    sb_add(&out, t, best);
    /* lower-case the old opening word unless it is a name */
    size_t wl = strcspn(t, " ,");
    char w[32] = {0};
    if (wl < sizeof w) {
        for (size_t j = 0; j < wl; j++)
            w[j] = (char)tolower((unsigned char)t[j]);
        if (is_stopword(w)) out.p[at] = (char)tolower((unsigned char)out.p[at]);
    }
    if (stop) sb_putc(&out, stop);
    free(st->s[i]);
    st->s[i] = sb_take(&out);
}

/* A spinner's copy: every sentence kept, in order, but reworded: 35% of the
 * content words swapped for synonyms and, in most sentences, the clauses
 * turned around. Names and figures stay. */
static void spin(story *st, rng *r)
{
    replace_words(st, 0.35, 1, r);
    for (size_t i = 0; i < st->n; i++)
        if (chance(r, 0.7)) swap_clauses(st, i);
}

static void retitle(story *st, const site *where, rng *r)
{
    static const char *prefix[] = {"UPDATE: ", "Report: ", "Breaking: ", "EXCLUSIVE: "};
    if (!chance(r, 0.3) || !st->title) return;
    sb b = {0};
    switch (below(r, 3)) {
    case 0:
        sb_puts(&b, PICK(r, prefix));
        sb_puts(&b, st->title);
        break;
    case 1:
        sb_puts(&b, st->title);
        sb_printf(&b, " | %s", where->name);
        break;
    default: {
        story t = {0};
        story_add(&t, xstrdup(st->title), 0);
        replace_words(&t, 0.5, 0, r);
        sb_puts(&b, t.s[0]);
        story_free(&t);
    }
    }
    free(st->title);
    st->title = sb_take(&b);
}

static void add_chrome(story *st, const site *where)
{
    story out = {0};
    char line[256];
    snprintf(line, sizeof line, "Site icon %s", where->name);
    story_add(&out, xstrdup(line), 0);
    story_add(&out, xstrdup("Exit mobile version"), 1);
    for (size_t i = 0; i < st->n; i++) {
        story_add(&out, st->s[i], st->para[i] + 2);
        st->s[i] = NULL;
    }
    int p = last_para(&out) + 1;
    story_add(&out, xstrdup("Source link"), p);
    snprintf(line, sizeof line, "Sign up for the %s newsletter.", where->name);
    story_add(&out, xstrdup(line), p + 1);
    story_add(&out, xstrdup("Get the day's top stories delivered to your inbox every morning."),
              p + 1);
    snprintf(line, sizeof line, "Copyright %s. All rights reserved.", where->name);
    story_add(&out, xstrdup(line), p + 2);
    out.title = st->title;
    st->title = NULL;
    story_free(st);
    *st = out;
}

/* ------------------------------------------------------------------ */
/* Hard negatives                                                      */
/* ------------------------------------------------------------------ */

static void add_unique(char ***v, size_t *n, const char *s, size_t len, size_t max)
{
    if (*n >= max || len == 0 || len > 60) return;
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i]) == len && memcmp((*v)[i], s, len) == 0) return;
    *v = xrealloc(*v, (*n + 1) * sizeof **v);
    char *d = xrealloc(NULL, len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    (*v)[(*n)++] = d;
}

/* Names (runs of capitalised words, not sentence-initial) and figures. */
static void extract_entities(const story *st, ctx *c)
{
    for (size_t i = 0; i < st->n; i++) {
        const char *s = st->s[i];
        size_t ti = 0;
        const char *run = NULL, *run_end = NULL;
        while (*s) {
            size_t n = strcspn(s, " ");
            size_t a, b;
            token_parts(s, n, &a, &b);
            int cap = b > a + 1 && isupper((unsigned char)s[a]) && a == 0 && ti > 0;
            int digit = 0;
            for (size_t k = a; k < b; k++)
                digit |= isdigit((unsigned char)s[k]);
            if (cap && !digit) {
                if (!run) run = s + a;
                run_end = s + b;
            }
            if ((!cap || b < n) && run) {
                add_unique(&c->names, &c->nnames, run, (size_t)(run_end - run), 8);
                run = NULL;
            }
            if (digit) add_unique(&c->nums, &c->nnums, s + a, b - a, 8);
            s += n;
            while (*s == ' ')
                s++;
            ti++;
        }
        if (run) add_unique(&c->names, &c->nnames, run, (size_t)(run_end - run), 8);
    }
}

static void ctx_free_entities(ctx *c)
{
    for (size_t i = 0; i < c->nnames; i++)
        free(c->names[i]);
    for (size_t i = 0; i < c->nnums; i++)
        free(c->nums[i]);
    free(c->names);
    free(c->nums);
}

/* An independent story about the same event as src: its names, figures and
 * one quotation, around sentences of its own. */
static void make_negative(const gen *g, const story *src, story *st, rng *r)
{
    ctx c;
    ctx_init(&c, r);
    extract_entities(src, &c);
    memset(st, 0, sizeof *st);
    if (pseudo_on)
        pgen_story(st, &c, r, 7, 12);
    else
        gen_story(st, &c, r, 7, 12);
    if (g->pl.n) {
        size_t at = below(r, st->n);
        free(st->s[at]);
        st->s[at] = xstrdup(pool_sentence(&g->pl, r));
    }
    /* the quotation: the quoted words of src if it has any, else one of its
     * sentences turned into a quotation; either way with an attribution of
     * its own, as an independent reporter would write it */
    char *quote = NULL;
    for (size_t i = 0; i < src->n && !quote; i++) {
        const char *open = strchr(src->s[i], '"');
        const char *close = open ? strchr(open + 1, '"') : NULL;
        if (!close) continue;
        size_t n = (size_t)(close - open - 1);
        while (n && strchr(".,;: ", open[1 + n - 1]))
            n--;
        char *inner = xrealloc(NULL, n + 1);
        memcpy(inner, open + 1, n);
        inner[n] = '\0';
        if (count_words(inner) >= 6) {
            sb q = {0};
            sb_putc(&q, '"');
            sb_puts(&q, inner);
            sb_puts(&q, ",\" ");
            put_person(&q, &c, r, 0);
            sb_puts(&q, " told reporters.");
            quote = sb_take(&q);
        }
        free(inner);
    }
    if (!quote && src->n) {
        const char *s = src->s[below(r, src->n)];
        size_t n = strlen(s);
        if (n && s[n - 1] == '.') n--;
        sb q = {0};
        sb_putc(&q, '"');
        sb_add(&q, s, n);
        sb_puts(&q, ",\" ");
        put_person(&q, &c, r, 0);
        sb_puts(&q, " said.");
        quote = sb_take(&q);
    }
    if (quote) { /* after sentence at-1, in its paragraph */
        size_t at = 1 + below(r, st->n);
        story with = {0};
        for (size_t i = 0; i < st->n; i++) {
            story_add(&with, st->s[i], st->para[i]);
            if (i + 1 == at) story_add(&with, quote, st->para[i]);
            st->s[i] = NULL;
        }
        story_free(st);
        *st = with;
    }
    st->title = pseudo_on ? pgen_title(&c, r) : gen_title(&c, r);
    ctx_free_entities(&c);
}

/* ------------------------------------------------------------------ */
/* Emitting the corpus                                                 */
/* ------------------------------------------------------------------ */

typedef struct sink {
    outf json, truth;
    sb line;
} sink;

static void emit(gen *g, sink *k, const story *st, const char *id, const site *where, int64_t t,
                 const char *story_id, const char *kind, const char *edit, const char *extra)
{
    char url[512], when[32];
    sb text = {0};
    story_render(st, &text);
    iso_time(t, when, sizeof when);
    make_url(where->domain, st->title ? st->title : "", id, t, url, sizeof url);
    k->line.len = 0;
    json_article(&k->line, id, url, where->domain, st->title, when, text.p ? text.p : "");
    out_write(&k->json, k->line.p, k->line.len);
    k->line.len = 0;
    sb_printf(&k->line, "%s\t%s\t%s\t%s", id, story_id, kind, edit);
    if (extra) sb_printf(&k->line, "\t%s", extra);
    sb_putc(&k->line, '\n');
    out_write(&k->truth, k->line.p, k->line.len);
    free(text.p);
    g->articles++;
}

static const site reuters_site = {"reuters.com", "Reuters"};

static int64_t later(int64_t t, rng *r)
{
    /* log-uniform between five minutes and five days */
    double lo = 300, hi = 5 * 86400.0;
    return t + (int64_t)(lo * exp(unit(r) * log(hi / lo)));
}

static void run(gen *g, sink *k)
{
    uint64_t copy_no = 0, neg_no = 0;
    for (size_t i = 0; i < g->stories; i++) {
        orig o;
        make_story(g, i, &o);
        const site *osite = o.where;
        if (i < g->pl.n) osite = &reuters_site;
        emit(g, k, &o.st, o.id, osite, o.t, o.id, "original", "original", NULL);
        g->originals++;

        rng r;
        rng_seed(&r, g->seed, R_COPY, i);
        size_t ncopies = (size_t)(unit(&r) * (2 * g->copies + 1));
        for (size_t c = 0; c < ncopies; c++) {
            int e = g->spin   ? E_SPIN
                    : g->hard ? E_HARD30 + (int)below(&r, 2)
                              : (int)below(&r, E_COUNT);
            if (e == E_MERGE && g->stories < 2) e = E_VERBATIM;
            story st;
            story_copy(&st, &o.st);
            const site *where = &PICK(&r, copy_sites);
            char id[24], other[24] = {0};
            int64_t after = o.t; /* a copy appears after every story it takes from */
            make_id(g, 1, copy_no++, id, sizeof id);
            switch (e) {
            case E_CHROME:
                add_chrome(&st, where);
                break;
            case E_TRUNCATE:
                truncate_story(&st, &r);
                break;
            case E_DROP:
                drop(&st, &r);
                break;
            case E_REORDER:
                reorder(&st, &r);
                break;
            case E_EDIT:
                edit_words(&st, &r);
                break;
            case E_SYN10:
                replace_words(&st, 0.10, 1, &r);
                break;
            case E_SYN20:
                replace_words(&st, 0.20, 1, &r);
                break;
            case E_HARD30:
                hard_rewrite(&st, 0.30, &r);
                break;
            case E_HARD40:
                hard_rewrite(&st, 0.40, &r);
                break;
            case E_SPIN:
                spin(&st, &r);
                break;
            case E_MERGE: {
                size_t j;
                do
                    j = below(&r, g->stories);
                while (j == i);
                orig b;
                make_story(g, j, &b);
                /* the whole story, then the opening third of another (at
                 * least two sentences): the copy belongs to the first */
                int p0 = last_para(&st) + 1;
                size_t take = b.st.n / 3 < 2 ? 2 : b.st.n / 3;
                if (take > b.st.n) take = b.st.n;
                for (size_t s = 0; s < take; s++) {
                    story_add(&st, b.st.s[s], p0 + b.st.para[s]);
                    b.st.s[s] = NULL;
                }
                memcpy(other, b.id, sizeof other);
                if (b.t > after) after = b.t;
                story_free(&b.st);
                break;
            }
            default:
                break;
            }
            retitle(&st, where, &r);
            emit(g, k, &st, id, where, later(after, &r), o.id, "copy", edit_names[e],
                 other[0] ? other : NULL);
            g->counts[e]++;
            g->copies_made++;
            story_free(&st);
        }
        story_free(&o.st);

        /* negatives spread evenly over the stream, each about an earlier story */
        size_t due = (size_t)((double)(i + 1) * (double)g->negatives / (double)g->stories) -
                     (size_t)((double)i * (double)g->negatives / (double)g->stories);
        for (size_t d = 0; d < due; d++) {
            rng nr;
            rng_seed(&nr, g->seed, R_NEG, neg_no);
            orig src;
            make_story(g, below(&nr, i + 1), &src);
            story st;
            make_negative(g, &src.st, &st, &nr);
            char id[24];
            make_id(g, 2, neg_no++, id, sizeof id);
            int64_t t = src.t + (int64_t)below(&nr, 2 * 86400) - 3600;
            emit(g, k, &st, id, &PICK(&nr, copy_sites), t, id, "negative", "negative", src.id);
            g->negs_made++;
            story_free(&st);
            story_free(&src.st);
        }
    }
}

/* ------------------------------------------------------------------ */
/* --copy-of                                                           */
/* ------------------------------------------------------------------ */

/* The text of FILE as a story: each non-blank line a paragraph, split into
 * sentences as the Reuters bodies are. */
static void story_from_file(const char *name, story *st)
{
    FILE *fp = fopen(name, "rb");
    if (!fp) die("%s: %s", name, strerror(errno));
    sb text = {0};
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sb_add(&text, buf, n);
    if (ferror(fp)) die("%s: read error: %s", name, strerror(errno));
    fclose(fp);
    if (!text.len) die("%s: empty file, nothing to copy", name);
    if (memchr(text.p, '\0', text.len)) die("%s: has NUL bytes, not a text file", name);
    memset(st, 0, sizeof *st);
    int para = 0;
    for (char *line = text.p; line && *line;) {
        char *end = strchr(line, '\n');
        if (end) *end = '\0';
        for (char *c = line; *c; c++) /* tabs and CRs become spaces */
            if (*c == '\t' || *c == '\r') *c = ' ';
        char *a = line;
        while (*a == ' ')
            a++;
        size_t len = strlen(a);
        while (len && a[len - 1] == ' ')
            a[--len] = '\0';
        if (len) split_sentences(a, st, para++);
        line = end ? end + 1 : NULL;
    }
    free(text.p);
    if (!st->n) die("%s: only blank lines, nothing to copy", name);
}

/* One edited copy of FILE, written to outname. */
static int copy_of(const char *file, const char *edit, uint64_t seed, const char *outname)
{
    static const char *ok[] = {"verbatim", "chrome", "truncate", "drop", "reorder", "edit"};
    int e = -1;
    for (size_t i = 0; i < LEN(ok); i++)
        if (!strcmp(edit, ok[i])) e = (int)i;
    if (e < 0) {
        fprintf(stderr,
                "datagen: --edit %s: not an edit for --copy-of (verbatim, chrome, truncate, "
                "drop, reorder, edit; the others use English word lists)\n",
                edit);
        return 2;
    }
    story st;
    story_from_file(file, &st);
    rng r;
    rng_seed(&r, seed, R_COPY, 0);
    delete_only = 1;
    switch (e) {
    case 1:
        add_chrome(&st, &PICK(&r, copy_sites));
        break;
    case 2:
        truncate_story(&st, &r);
        break;
    case 3:
        drop(&st, &r);
        break;
    case 4:
        reorder(&st, &r);
        break;
    case 5:
        edit_words(&st, &r);
        break;
    default:
        break;
    }
    sb text = {0};
    story_render(&st, &text);
    sb_putc(&text, '\n');
    outf o;
    out_open(&o, outname);
    out_write(&o, text.p, text.len);
    out_close(&o);
    free(text.p);
    story_free(&st);
    return 0;
}

/* ------------------------------------------------------------------ */
/* --reuters-jsonl                                                     */
/* ------------------------------------------------------------------ */

static void convert_one(rdoc *d, void *arg)
{
    sink *k = arg;
    int table;
    char id[64], when[32];
    char *text = reflow(d->body, &table);
    snprintf(id, sizeof id, "reuters-%s", d->newid);
    reuters_date(d->date, when, sizeof when);
    k->line.len = 0;
    json_article(&k->line, id, NULL, "reuters.com", d->title, when, text);
    out_write(&k->json, k->line.p, k->line.len);
    free(text);
}

static void usage(FILE *f)
{
    fputs("usage: datagen [--seed N] [--stories N] [--copies-per-story X] [--negatives N]\n"
          "               [--reuters DIR | --builtin] [--hard | --spin] [--out FILE.jsonl]\n"
          "               [--truth FILE.tsv]\n"
          "       datagen --reuters-jsonl DIR [--out FILE.jsonl]\n"
          "       datagen --copy-of FILE --edit EDIT [--seed N] [--out FILE]\n"
          "Writes a seeded corpus of news stories, edited copies and hard negatives as\n"
          "JSONL (--out, default stdout; .gz compresses) and its ground truth as TSV\n"
          "(--truth: id, story, kind, edit[, extra]). --copy-of writes one copy of a\n"
          "text file made by EDIT (verbatim, chrome, truncate, drop, reorder, edit).\n",
          f);
}

static int parse_size(const char *s, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') return -1;
    *out = (size_t)v;
    return 0;
}

int main(int argc, char **argv)
{
    gen g = {.seed = 1, .stories = 100, .copies = 2.0, .negatives = (size_t)-1};
    const char *outname = "-", *truthname = NULL, *rdir = NULL, *convert = NULL;
    const char *copyof = NULL, *editname = NULL;
    int builtin = 0;
    static const struct option opts[] = {{"seed", required_argument, 0, 's'},
                                         {"stories", required_argument, 0, 'n'},
                                         {"copies-per-story", required_argument, 0, 'c'},
                                         {"negatives", required_argument, 0, 'g'},
                                         {"reuters", required_argument, 0, 'r'},
                                         {"builtin", no_argument, 0, 'b'},
                                         {"reuters-jsonl", required_argument, 0, 'j'},
                                         {"out", required_argument, 0, 'o'},
                                         {"truth", required_argument, 0, 't'},
                                         {"hard", no_argument, 0, 'H'},
                                         {"spin", no_argument, 0, 'S'},
                                         {"copy-of", required_argument, 0, 'C'},
                                         {"edit", required_argument, 0, 'E'},
                                         {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "s:n:c:g:r:bj:o:t:HSC:E:h", opts, NULL)) != -1) {
        size_t v;
        switch (ch) {
        case 's':
            if (parse_size(optarg, &v)) goto bad;
            g.seed = v;
            break;
        case 'n':
            if (parse_size(optarg, &g.stories) || g.stories == 0) goto bad;
            break;
        case 'c': {
            char *end;
            g.copies = strtod(optarg, &end);
            if (*end || end == optarg || g.copies < 0 || g.copies > 100) goto bad;
            break;
        }
        case 'g':
            if (parse_size(optarg, &g.negatives)) goto bad;
            break;
        case 'r':
            rdir = optarg;
            break;
        case 'b':
            builtin = 1;
            break;
        case 'j':
            convert = optarg;
            break;
        case 'o':
            outname = optarg;
            break;
        case 't':
            truthname = optarg;
            break;
        case 'H':
            g.hard = 1;
            break;
        case 'S':
            g.spin = 1;
            break;
        case 'C':
            copyof = optarg;
            break;
        case 'E':
            editname = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        continue;
    bad:
        for (size_t i = 0; opts[i].name; i++)
            if (opts[i].val == ch)
                fprintf(stderr, "datagen: bad value for --%s: %s\n", opts[i].name, optarg);
        return 2;
    }
    if (optind < argc) {
        usage(stderr);
        return 2;
    }

    if (copyof || editname) {
        if (!copyof || !editname) {
            fputs("datagen: --copy-of and --edit go together\n", stderr);
            return 2;
        }
        return copy_of(copyof, editname, g.seed, outname);
    }

    sink k = {0};
    if (convert) {
        out_open(&k.json, outname);
        size_t n = reuters_each(convert, convert_one, &k);
        out_close(&k.json);
        free(k.line.p);
        if (n == 0) die("%s: no Reuters-21578 stories with a body (reut2-*.sgm)", convert);
        fprintf(stderr, "datagen: converted %zu Reuters stories\n", n);
        return 0;
    }

    syn_init();
    if (!builtin) {
        const char *dir = rdir ? rdir : "../shared/data/reuters21578";
        pool_load(&g.pl, dir);
        if (rdir && g.pl.n == 0) die("%s: no usable Reuters-21578 stories", rdir);
        if (g.pl.n)
            fprintf(stderr,
                    "datagen: Reuters pool %zu stories (of %zu with a body: %zu tables, %zu "
                    "short, %zu near-duplicates dropped)\n",
                    g.pl.n, g.pl.seen, g.pl.tables, g.pl.shorts, g.pl.dups);
    }
    if (g.pl.n) {
        rng r;
        rng_seed(&r, g.seed, R_POOL, 0);
        g.perm = xrealloc(NULL, g.pl.n * sizeof *g.perm);
        for (size_t i = 0; i < g.pl.n; i++)
            g.perm[i] = i;
        shuffle(g.perm, g.pl.n, &r);
    }
    if (!g.pl.n) { /* no Reuters text: the pseudo-vocabulary generator */
        pseudo_on = 1;
        vocab_init();
    }
    if (g.negatives == (size_t)-1) g.negatives = g.stories / 10;
    g.t0 = 1672531200; /* 2023-01-01T00:00:00Z */

    out_open(&k.json, outname);
    out_open(&k.truth, truthname ? truthname : "/dev/null");
    run(&g, &k);
    out_close(&k.json);
    out_close(&k.truth);
    free(k.line.p);

    fprintf(stderr,
            "datagen: seed %llu, source %s, %zu stories, %zu copies, %zu negatives, %zu "
            "articles\n",
            (unsigned long long)g.seed, g.pl.n ? "reuters+builtin" : "builtin", g.originals,
            g.copies_made, g.negs_made, g.articles);
    fputs("datagen: copies by edit:", stderr);
    for (int e = 0; e < E_ALL; e++)
        fprintf(stderr, " %s %zu", edit_names[e], g.counts[e]);
    fputc('\n', stderr);
    free(g.perm);
    pool_free(&g.pl);
    vocab_done();
    syn_done();
    return 0;
}
