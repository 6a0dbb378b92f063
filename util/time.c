/*
 * time.c: the dates news pages carry, parsed to epoch seconds (UTC).
 *
 * Pages mark dates as ISO 8601 (meta tags, JSON-LD, <time datetime>),
 * sometimes with a space for 'T', fractional seconds or an offset; WARC and
 * HTTP headers and RSS use RFC 1123 / RFC 822, with numeric zones (+0100)
 * or the US and military zone names (EST, Z); Reuters-21578 writes
 * "26-FEB-1987 15:01:01.79". All are parsed by hand: strptime is locale
 * dependent and silently accepts partial input. A day that does not exist
 * (2023-02-29, 31 April) is an error: mktime-style arithmetic would turn it
 * into the next month's first days, a date nobody wrote.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "reprint.h"

/* Read exactly n digits. */
static int digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*s)[i])) return 0;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += n;
    *out = v;
    return 1;
}

static int64_t days_from_civil(int y, int m, int d)
{
    /* Howard Hinnant's days-from-civil, proleptic Gregorian. */
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

static int valid(int y, int mo, int d, int h, int mi, int se)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (mo == 2 && d == 29 && !leap) return 0;
    return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] && h >= 0 && h <= 24 &&
           mi >= 0 && mi <= 59 && se >= 0 && se <= 60;
}

/* An RFC 822 zone: "+0100" / "-05:00", UT, GMT, UTC, Z, the US zones, or
 * none (UTC). Sets *off to seconds east of UTC; 0 if not a zone. */
static int zone(const char *s, int *off)
{
    static const struct {
        const char *name;
        int hours;
    } names[] = {{"GMT", 0},  {"UTC", 0},  {"UT", 0},   {"Z", 0},    {"EST", -5}, {"EDT", -4},
                 {"CST", -6}, {"CDT", -5}, {"MST", -7}, {"MDT", -6}, {"PST", -8}, {"PDT", -7}};
    *off = 0;
    if (!*s) return 1;
    if (*s == '+' || *s == '-') {
        int sign = *s++ == '-' ? -1 : 1, oh, om;
        if (!digits(&s, 2, &oh)) return 0;
        if (*s == ':') s++;
        if (!digits(&s, 2, &om) || *s || oh > 23 || om > 59) return 0;
        *off = sign * (oh * 3600 + om * 60);
        return 1;
    }
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcasecmp(s, names[i].name)) {
            *off = names[i].hours * 3600;
            return 1;
        }
    return 0;
}

static int month_of(const char *s)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, months + 3 * i, 3) == 0) return i + 1;
    return 0;
}

/* Reuters-21578: "26-FEB-1987 15:01:01.79" (day without a leading zero too). */
static rp_err parse_reuters(const char *s, int64_t *out)
{
    int d, y, h, mi, se, mo;
    if (!digits(&s, 2, &d) && !digits(&s, 1, &d)) return RP_FORMAT;
    if (*s++ != '-' || !(mo = month_of(s))) return RP_FORMAT;
    s += 3;
    if (*s++ != '-' || !digits(&s, 4, &y) || *s++ != ' ' || !digits(&s, 2, &h) || *s++ != ':' ||
        !digits(&s, 2, &mi) || *s++ != ':' || !digits(&s, 2, &se))
        return RP_FORMAT;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s);)
            s++;
    while (*s == ' ')
        s++;
    if (*s || !valid(y, mo, d, h, mi, se)) return RP_FORMAT;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return RP_OK;
}

static rp_err parse_iso(const char *s, int64_t *out)
{
    int y, mo, d, h = 0, mi = 0, se = 0, off = 0;
    if (!digits(&s, 4, &y) || *s++ != '-' || !digits(&s, 2, &mo) || *s++ != '-' ||
        !digits(&s, 2, &d))
        return RP_FORMAT;
    if (*s == 'T' || *s == 't' || (*s == ' ' && isdigit((unsigned char)s[1]))) {
        s++;
        if (!digits(&s, 2, &h) || *s++ != ':' || !digits(&s, 2, &mi)) return RP_FORMAT;
        if (*s == ':') {
            s++;
            if (!digits(&s, 2, &se)) return RP_FORMAT;
            if (*s == '.' || *s == ',') {
                s++;
                while (isdigit((unsigned char)*s))
                    s++;
            }
        }
        while (*s == ' ')
            s++;
        if (*s == 'Z' || *s == 'z') {
            s++;
        } else if (*s == '+' || *s == '-') {
            int sign = *s++ == '-' ? -1 : 1, oh, om = 0;
            if (!digits(&s, 2, &oh)) return RP_FORMAT;
            if (*s == ':') s++;
            if (isdigit((unsigned char)*s) && !digits(&s, 2, &om)) return RP_FORMAT;
            off = sign * (oh * 3600 + om * 60);
        }
    }
    while (*s == ' ')
        s++;
    if (*s) return RP_FORMAT;
    if (!valid(y, mo, d, h, mi, se)) return RP_FORMAT;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return RP_OK;
}

static rp_err parse_rfc1123(const char *s, int64_t *out)
{
    int d, y, h, mi, se = 0, mo, off;
    const char *comma = strchr(s, ',');
    if (comma) s = comma + 1;
    while (*s == ' ')
        s++;
    if (!digits(&s, 2, &d) && !digits(&s, 1, &d)) return RP_FORMAT;
    if (*s++ != ' ') return RP_FORMAT;
    if (!(mo = month_of(s))) return RP_FORMAT;
    s += 3;
    if (*s++ != ' ' || !digits(&s, 4, &y) || *s++ != ' ' || !digits(&s, 2, &h) || *s++ != ':' ||
        !digits(&s, 2, &mi))
        return RP_FORMAT;
    if (*s == ':' && (s++, !digits(&s, 2, &se))) return RP_FORMAT; /* seconds are optional */
    while (*s == ' ')
        s++;
    char z[16];
    size_t zn = strlen(s);
    while (zn && isspace((unsigned char)s[zn - 1]))
        zn--;
    if (zn >= sizeof z) return RP_FORMAT;
    memcpy(z, s, zn);
    z[zn] = '\0';
    if (!zone(z, &off) || !valid(y, mo, d, h, mi, se)) return RP_FORMAT;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
    return RP_OK;
}

rp_err rp_time_parse(const char *s, int64_t *out_epoch)
{
    if (!s) return RP_ARG;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (isdigit((unsigned char)s[0])) {
        if (parse_iso(s, out_epoch) == RP_OK) return RP_OK;
        if (parse_reuters(s, out_epoch) == RP_OK) return RP_OK;
    }
    return parse_rfc1123(s, out_epoch);
}

void rp_time_format(int64_t epoch, char *buf, size_t size)
{
    time_t t = (time_t)epoch;
    struct tm tm;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "?");
        return;
    }
    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
