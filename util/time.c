/*
 * time.c: the dates news pages carry, parsed to epoch seconds (UTC).
 *
 * Pages mark dates as ISO 8601 (meta tags, JSON-LD, <time datetime>),
 * sometimes with a space for 'T', fractional seconds or an offset; WARC and
 * HTTP headers use RFC 1123. Both are parsed by hand: strptime is locale
 * dependent and silently accepts partial input.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
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
    return y >= 1000 && mo >= 1 && mo <= 12 && d >= 1 && d <= mdays[mo - 1] && h >= 0 && h <= 24 &&
           mi >= 0 && mi <= 59 && se >= 0 && se <= 60;
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
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    int d, y, h, mi, se, mo = 0;
    const char *comma = strchr(s, ',');
    if (comma) s = comma + 1;
    while (*s == ' ')
        s++;
    if (!digits(&s, 2, &d) && !digits(&s, 1, &d)) return RP_FORMAT;
    if (*s++ != ' ') return RP_FORMAT;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, months + 3 * i, 3) == 0) mo = i + 1;
    if (!mo) return RP_FORMAT;
    s += 3;
    if (*s++ != ' ' || !digits(&s, 4, &y) || *s++ != ' ' || !digits(&s, 2, &h) || *s++ != ':' ||
        !digits(&s, 2, &mi) || *s++ != ':' || !digits(&s, 2, &se))
        return RP_FORMAT;
    while (*s == ' ')
        s++;
    if (*s && strcmp(s, "GMT") && strcmp(s, "UTC") && strcmp(s, "+0000") && strcmp(s, "Z"))
        return RP_FORMAT;
    if (!valid(y, mo, d, h, mi, se)) return RP_FORMAT;
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return RP_OK;
}

rp_err rp_time_parse(const char *s, int64_t *out_epoch)
{
    if (!s) return RP_ARG;
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (isdigit((unsigned char)s[0])) {
        if (parse_iso(s, out_epoch) == RP_OK) return RP_OK;
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
