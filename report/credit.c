/*
 * credit.c: does a copy credit the agency whose story it reprints?
 *
 * A licensing desk acts on copies that do NOT credit the source, so a false
 * "credited" hides a case while a false "uncredited" only costs a look. The
 * names a copy would credit an original by come from the original's site:
 * a table of the big agencies ("reuters.com" -> "Reuters"; "apnews.com" ->
 * "Associated Press", "AP") plus, for any site, the label in front of its
 * public suffix ("wire.example" -> "wire", "bbc.co.uk" -> "bbc", from the
 * Public Suffix List: rp_site_label). A name
 * counts when it stands in a credit's place: a dateline or byline tag such
 * as "(Reuters)", "Reuters -", "REUTERS/", "By AFP", "via AP", "Source: Wire",
 * "Quelle: dpa", "Fuente: EFE"; a derived label may be spelled as words
 * ("(Northern Wire)" for northernwire.example). Only
 * distinctive agency names ("Reuters", "Associated Press", "AFP") also
 * count as plain mentions; a derived name like "wire" is an ordinary word
 * and needs the tag. Short all-capital abbreviations ("AP", "AFP") must
 * keep their case, since "ap" or "afp" inside prose is not a credit. A
 * mention of the original's host ("wire.example") also credits it.
 * Agencies are also known by their names in the languages they write in
 * ("新华社", "法新社", "ТАСС", "رويترز"); a name in a script without spaces
 * (CJK) counts wherever it stands, since no word boundary surrounds it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reprint.h"

#define MAX_NAMES 8

typedef struct cname {
    const char *s;
    size_t len;
    int exact_case; /* short capitals: "AP" only as written */
    int mention;    /* a plain mention anywhere counts */
} cname;

typedef struct agency {
    const char *host; /* the site, or a suffix after a dot */
    const char *names[8];
} agency;

/* Names written with a leading '!' count only as tags, never as mentions. */
static const agency agencies[] = {
    {"reuters.com", {"Reuters", "路透社", "Рейтер", "رويترز", NULL}},
    {"reuters.co.uk", {"Reuters", "路透社", "Рейтер", "رويترز", NULL}},
    {"apnews.com", {"Associated Press", "!AP", "美联社", "!AP通信", NULL}},
    {"ap.org", {"Associated Press", "!AP", "美联社", "!AP通信", NULL}},
    {"afp.com",
     {"Agence France-Presse", "Agence France Presse", "AFP", "法新社", "فرانس برس", "!أ ف ب",
      NULL}},
    {"dpa.com", {"Deutsche Presse-Agentur", "!dpa", NULL}},
    {"dpa.de", {"Deutsche Presse-Agentur", "!dpa", NULL}},
    {"dpa-international.com", {"Deutsche Presse-Agentur", "!dpa", NULL}},
    {"upi.com", {"United Press International", "!UPI", NULL}},
    {"bloomberg.com", {"!Bloomberg", NULL}},
    {"efe.com", {"Agencia EFE", "!EFE", NULL}},
    {"ansa.it", {"!ANSA", NULL}},
    {"xinhuanet.com", {"Xinhua", "新华社", "新華社", "新华网", NULL}},
    {"news.cn", {"Xinhua", "新华社", "新華社", "新华网", NULL}},
    {"pa.media", {"Press Association", "!PA Media", "!PA", NULL}},
    {"aap.com.au", {"Australian Associated Press", "!AAP", NULL}},
    {"kyodonews.net", {"Kyodo News", "!Kyodo", "共同通信", "共同社", NULL}},
    {"tass.com", {"!TASS", "!ТАСС", NULL}},
    {"tass.ru", {"!TASS", "!ТАСС", NULL}},
    {"thecanadianpress.com", {"The Canadian Press", "!CP", NULL}},
};

static int is_word_byte(unsigned char c)
{
    return isalnum(c) || c >= 0x80; /* any non-ASCII byte may be a letter */
}

static int short_caps(const char *s)
{
    size_t n = strlen(s);
    if (n > 4) return 0;
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i])) return 0;
    return 1;
}

static void add_name(cname *v, size_t *n, const char *s, int mention)
{
    if (*n >= MAX_NAMES || !*s) return;
    for (size_t i = 0; i < *n; i++)
        if (!strcasecmp(v[i].s, s)) return;
    v[*n].s = s;
    v[*n].len = strlen(s);
    v[*n].exact_case = short_caps(s);
    v[*n].mention = mention;
    (*n)++;
}

static int host_matches(const char *host, const char *want)
{
    size_t hl = strlen(host), wl = strlen(want);
    if (hl == wl) return !strcmp(host, want);
    return hl > wl && host[hl - wl - 1] == '.' && !strcmp(host + hl - wl, want);
}

/* Credit names for host; derived points into label (caller's storage). */
static size_t credit_names(const char *host, char *label, size_t lsize, cname *v)
{
    size_t n = 0;
    for (size_t i = 0; i < sizeof agencies / sizeof *agencies; i++) {
        if (!host_matches(host, agencies[i].host)) continue;
        for (size_t j = 0; j < 8 && agencies[i].names[j]; j++) {
            const char *s = agencies[i].names[j];
            add_name(v, &n, s[0] == '!' ? s + 1 : s, s[0] != '!');
        }
        break;
    }
    /* The label in front of the public suffix (url/: the Public Suffix List). */
    rp_site_label(host, label, lsize);
    if (strlen(label) >= 2) add_name(v, &n, label, 0);
    return n;
}

/* A name in a script written without spaces (its first byte opens a
 * three-byte sequence from U+3000 up: CJK): no word boundary to ask for. */
static int nospace_name(const char *s)
{
    return (unsigned char)s[0] >= 0xE3 && (unsigned char)s[0] <= 0xED;
}

static int at_word(const char *t, size_t n, size_t p, size_t m)
{
    if (p > 0 && is_word_byte((unsigned char)t[p - 1])) return 0;
    if (p + m < n && is_word_byte((unsigned char)t[p + m])) return 0;
    return 1;
}

static int starts_dash(const char *s, size_t left)
{
    if (left >= 1 && *s == '-') return 1;
    /* en dash, em dash */
    return left >= 3 && (!memcmp(s, "\xE2\x80\x93", 3) || !memcmp(s, "\xE2\x80\x94", 3));
}

/* Does the occurrence t[p, p+m) stand where a credit stands? */
static int tag_context(const char *t, size_t n, size_t p, size_t m)
{
    static const char *const leads[] = {
        "by",       "via",     "source:", "sources:", "credit:", "copyright",
        "\xC2\xA9", "quelle:", "fuente:", "fonte:",   NULL};
    size_t q = p + m;
    if (q < n && (t[q] == '/' || t[q] == ')')) return 1; /* "REUTERS/Name", "(Photo: AP)" */
    size_t r = q;
    while (r < n && (t[r] == ' ' || t[r] == '\t'))
        r++;
    if (starts_dash(t + r, n - r)) return 1; /* "LONDON (Reuters) -", "Reuters -" */
    size_t b = p;
    while (b > 0 && (t[b - 1] == ' ' || t[b - 1] == '\t'))
        b--;
    if (b > 0 && t[b - 1] == '(') return 1; /* "(Wire)", "(AP Photo/...)" */
    for (size_t i = 0; leads[i]; i++) {
        size_t l = strlen(leads[i]);
        if (b < l || strncasecmp(t + b - l, leads[i], l)) continue;
        if (b - l == 0 || !is_word_byte((unsigned char)t[b - l - 1]) || leads[i][0] == '\xC2')
            return 1;
    }
    return 0;
}

static int same(const char *a, const char *b, size_t m, int exact_case)
{
    return exact_case ? !memcmp(a, b, m) : !strncasecmp(a, b, m);
}

/* A site's label written as words: "Northern Wire" or "Northern-Wire" for
 * "northernwire.example". Matches label (ASCII, no spaces) at t[p], letting
 * one space or hyphen stand between letters; the match must end at a word
 * end. Returns the length matched in t, 0 for none. */
static size_t spelled(const char *t, size_t n, size_t p, const char *label, size_t m)
{
    size_t i = p, k = 0, gaps = 0;
    while (k < m && i < n) {
        if (tolower((unsigned char)t[i]) == tolower((unsigned char)label[k])) {
            i++, k++;
            continue;
        }
        if (k > 0 && (t[i] == ' ' || t[i] == '-') && i + 1 < n &&
            tolower((unsigned char)t[i + 1]) == tolower((unsigned char)label[k])) {
            i++;
            gaps++;
            continue;
        }
        return 0;
    }
    if (k < m || gaps == 0) return 0;
    return at_word(t, n, p, i - p) ? i - p : 0;
}

/* Any credit of one of the names in t[0, n)? byline: t is an author field,
 * where any mention is a credit. *at receives the credit's byte range. */
static int credits_in(const char *t, size_t n, const cname *v, size_t nv, const char *host,
                      int byline, rp_credit *at)
{
    for (size_t i = 0; i < nv; i++) {
        size_t m = v[i].len;
        for (size_t p = 0; p + m <= n; p++) {
            if (tolower((unsigned char)t[p]) != tolower((unsigned char)v[i].s[0])) continue;
            if (!same(t + p, v[i].s, m, v[i].exact_case)) continue;
            if (!nospace_name(v[i].s) && !at_word(t, n, p, m)) continue;
            if (byline || v[i].mention || tag_context(t, n, p, m)) {
                at->start = p, at->end = p + m;
                return 1;
            }
        }
        /* a derived label spelled as words ("Northern Wire" for northernwire) */
        if (v[i].exact_case || v[i].mention || m < 6) continue;
        for (size_t p = 0; p + m <= n; p++) {
            if (tolower((unsigned char)t[p]) != tolower((unsigned char)v[i].s[0])) continue;
            if (p > 0 && is_word_byte((unsigned char)t[p - 1])) continue;
            size_t w = spelled(t, n, p, v[i].s, m);
            if (w && (byline || tag_context(t, n, p, w))) {
                at->start = p, at->end = p + w;
                return 1;
            }
        }
    }
    size_t hl = strlen(host);
    if (hl < 4 || !strchr(host, '.')) return 0;
    for (size_t p = 0; p + hl <= n; p++) {
        if (strncasecmp(t + p, host, hl)) continue;
        int before = p == 0 || !(isalnum((unsigned char)t[p - 1]) || t[p - 1] == '-');
        int after = p + hl == n || !(isalnum((unsigned char)t[p + hl]) || t[p + hl] == '-');
        if (before && after) {
            at->start = p, at->end = p + hl;
            return 1;
        }
    }
    return 0;
}

int rp_report_credit(const rp_article *copy, const char *original_site, rp_credit *out)
{
    rp_credit local;
    if (!out) out = &local;
    memset(out, 0, sizeof *out);
    if (!copy || !original_site || !*original_site) return 0;
    char host[256], label[256];
    if (!rp_site_norm(original_site, host, sizeof host, 0)) return 0;
    cname v[MAX_NAMES];
    size_t nv = credit_names(host, label, sizeof label, v);
    if (copy->text && credits_in(copy->text, copy->text_len, v, nv, host, 0, out))
        out->field = RP_CREDIT_TEXT;
    else if (copy->title && credits_in(copy->title, strlen(copy->title), v, nv, host, 0, out))
        out->field = RP_CREDIT_TITLE;
    else if (copy->author && credits_in(copy->author, strlen(copy->author), v, nv, host, 1, out))
        out->field = RP_CREDIT_AUTHOR;
    return out->field != RP_CREDIT_NONE;
}

int rp_report_credited(const rp_article *copy, const char *original_site)
{
    return rp_report_credit(copy, original_site, NULL);
}
