/*
 * url.c: URLs and sites, one set of rules for the whole program.
 *
 * A page's site is the host of its URL as the contract defines it (lower
 * case, with its port if it has one, without a leading "www."); the readers
 * set it, the HTML extractor compares a page's host with its canonical
 * URL's, the report filters originals by it and derives the names a copy
 * would credit an agency by. All of them call this file: URLs are parsed and
 * resolved by liburiparser (RFC 3986), public suffixes ("co.uk", "com.au")
 * come from libpsl with the Public Suffix List Debian ships.
 *
 * Scraped URLs are not always valid URIs: raw UTF-8 in paths and hosts,
 * spaces, '|' or '\'. Before parsing, bytes a URI may not hold are
 * percent-encoded (a backslash is read as '/', as browsers do), and
 * what comes back is decoded again: a host "straße.de" stays "straße.de",
 * a resolved path keeps its UTF-8. A URL ends at its first whitespace.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libpsl.h>
#include <uriparser/Uri.h>

#include "reprint.h"

/* Bytes a URI may carry as they are (RFC 3986 unreserved, reserved, '%'). */
static int uri_byte(unsigned char c)
{
    return isalnum(c) || strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

/* s up to its first whitespace, leading whitespace skipped, as a string
 * uriparser accepts: other bytes percent-encoded, '\' as '/', a '%' not
 * followed by two hex digits as "%25". NULL on no memory. */
static char *lenient(const char *s)
{
    while (*s && isspace((unsigned char)*s))
        s++;
    size_t n = strcspn(s, " \t\r\n\f\v");
    char *o = malloc(3 * n + 1), *q = o;
    if (!o) return NULL;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\\') c = '/';
        int ok = uri_byte(c);
        if (c == '%' &&
            !(i + 2 < n && isxdigit((unsigned char)s[i + 1]) && isxdigit((unsigned char)s[i + 2])))
            ok = 0;
        if (ok) {
            *q++ = (char)c;
        } else {
            *q++ = '%';
            *q++ = hex[c >> 4];
            *q++ = hex[c & 15];
        }
    }
    *q = '\0';
    return o;
}

/* Decode %XX of bytes 0x80 and up in place: what lenient() encoded from
 * raw UTF-8 (and any such encoding the page wrote) reads as text again. */
static void decode_high(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '%' && isxdigit((unsigned char)r[1]) && isxdigit((unsigned char)r[2])) {
            char h[3] = {r[1], r[2], 0};
            unsigned v = (unsigned)strtoul(h, NULL, 16);
            if (v >= 0x80) {
                *w++ = (char)v;
                r += 2;
                continue;
            }
        }
        *w++ = *r;
    }
    *w = '\0';
}

char *rp_url_site(const char *url)
{
    if (!url) return NULL;
    char *s = lenient(url), *out = NULL;
    if (!s) return NULL;
    UriUriA u;
    const char *end;
    if (uriParseSingleUriA(&u, s, &end) != URI_SUCCESS) {
        free(s);
        return NULL;
    }
    const char *h = u.hostText.first, *he = u.hostText.afterLast;
    /* A host needs an authority ("//"): "mailto:a@b" and "a.com/x" have none. */
    if (h && he && he > h) {
        int ip6 = u.hostData.ip6 != NULL || u.hostData.ipFuture.first != NULL;
        size_t hl = (size_t)(he - h);
        size_t pl = u.portText.first ? (size_t)(u.portText.afterLast - u.portText.first) : 0;
        char *host = malloc(hl + 3);
        if (host) {
            size_t k = 0;
            if (ip6) host[k++] = '[';
            memcpy(host + k, h, hl);
            k += hl;
            if (ip6) host[k++] = ']';
            host[k] = '\0';
            uriUnescapeInPlaceA(host);
            k = strlen(host);
            while (k && host[k - 1] == '.')
                host[--k] = '\0';
            const char *p = host;
            if (k > 4 && !strncasecmp(p, "www.", 4)) p += 4;
            if (*p && (out = malloc(strlen(p) + pl + 2))) {
                size_t n = 0;
                for (; *p; p++)
                    out[n++] = (char)tolower((unsigned char)*p);
                if (pl) {
                    out[n++] = ':';
                    memcpy(out + n, u.portText.first, pl);
                    n += pl;
                }
                out[n] = '\0';
            }
            free(host);
        }
    }
    uriFreeUriMembersA(&u);
    free(s);
    return out;
}

char *rp_url_resolve(const char *href, const char *base)
{
    if (!href) return NULL;
    while (isspace((unsigned char)*href))
        href++;
    if (!*href || href[0] == '#') return NULL;
    char *hs = lenient(href), *bs = base ? lenient(base) : NULL, *out = NULL;
    UriUriA h, b, r;
    int hok = 0, bok = 0, rok = 0;
    if (!hs || (base && !bs)) goto out;
    hok = uriParseSingleUriA(&h, hs, NULL) == URI_SUCCESS;
    if (!hok) goto out;
    if (h.scheme.first) { /* absolute: kept as the page wrote it */
        out = strdup(href);
        if (out) out[strcspn(out, " \t\r\n\f\v")] = '\0';
        goto out;
    }
    if (!bs) goto out;
    bok = uriParseSingleUriA(&b, bs, NULL) == URI_SUCCESS;
    if (!bok || !b.scheme.first) goto out;
    rok = uriAddBaseUriA(&r, &h, &b) == URI_SUCCESS;
    if (!rok) goto out;
    int chars = 0;
    if (uriToStringCharsRequiredA(&r, &chars) != URI_SUCCESS) goto out;
    out = malloc((size_t)chars + 1);
    if (out && uriToStringA(out, &r, chars + 1, NULL) != URI_SUCCESS) {
        free(out);
        out = NULL;
    }
    if (out) decode_high(out);
out:
    if (hok) uriFreeUriMembersA(&h);
    if (bok) uriFreeUriMembersA(&b);
    if (rok) uriFreeUriMembersA(&r);
    free(hs);
    free(bs);
    return out;
}

size_t rp_site_norm(const char *site, char *buf, size_t size, int keep_port)
{
    if (!buf || !size) return 0;
    buf[0] = '\0';
    if (!site) return 0;
    while (isspace((unsigned char)*site))
        site++;
    if (strlen(site) > 4 && !strncasecmp(site, "www.", 4)) site += 4;
    size_t n = 0;
    for (; site[n] && n + 1 < size; n++) {
        char c = site[n];
        if (c == '/' || (!keep_port && c == ':' && site[0] != '[')) break;
        if (c == ']' && site[0] == '[') {
            buf[n] = c;
            n++;
            if (!keep_port) break;
            for (; site[n] && site[n] != '/' && n + 1 < size; n++)
                buf[n] = site[n];
            break;
        }
        buf[n] = (char)tolower((unsigned char)c);
    }
    while (n && buf[n - 1] == '.')
        n--;
    buf[n] = '\0';
    return n;
}

int rp_site_same(const char *a, const char *b)
{
    if (!a || !b) return 0;
    char x[512], y[512];
    rp_site_norm(a, x, sizeof x, 1);
    rp_site_norm(b, y, sizeof y, 1);
    return *x && !strcmp(x, y);
}

static const psl_ctx_t *psl;
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;

/* The list Debian keeps current (package publicsuffix), else libpsl's own. */
static void psl_load(void)
{
    psl = psl_latest(NULL);
    if (!psl) psl = psl_builtin();
}

size_t rp_site_label(const char *site, char *buf, size_t size)
{
    char host[512];
    if (!buf || !size) return 0;
    buf[0] = '\0';
    if (!rp_site_norm(site, host, sizeof host, 0)) return 0;
    pthread_once(&psl_once, psl_load);
    const char *reg = psl ? psl_registrable_domain(psl, host) : NULL;
    /* No registrable domain (an IP address, a bare suffix): the first label. */
    const char *start = reg ? reg : host;
    size_t n = strcspn(start, ".");
    if (n >= size) n = size - 1;
    memcpy(buf, start, n);
    buf[n] = '\0';
    return n;
}
