/*
 * url.c: the site of a URL, as the contract defines it: the host, lower
 * case, with its port if it has one, without a leading "www.".
 *
 * Only the authority part matters, so the URL is not fully parsed: skip the
 * scheme (or a scheme-relative "//"), cut the authority at the first '/',
 * '?' or '#', drop any userinfo before the last '@', and keep an IPv6
 * literal whole with its brackets. A string without "//" has no host.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reprint.h"

char *rp_url_site(const char *url)
{
    if (!url) return NULL;
    const char *p = url;
    while (isspace((unsigned char)*p))
        p++;
    const char *q = p;
    if (isalpha((unsigned char)*q)) {
        while (isalnum((unsigned char)*q) || *q == '+' || *q == '-' || *q == '.')
            q++;
        if (*q == ':') p = q + 1;
    }
    if (p[0] != '/' || p[1] != '/') return NULL;
    p += 2;
    size_t alen = strcspn(p, "/?#\\ \t\r\n");
    const char *end = p + alen;
    for (const char *at = p; at < end; at++)
        if (*at == '@') p = at + 1;
    const char *host = p, *hend, *port = NULL;
    if (*host == '[') {
        hend = memchr(host, ']', (size_t)(end - host));
        if (!hend) return NULL;
        hend++;
        if (hend < end && *hend == ':') port = hend + 1;
    } else {
        hend = memchr(host, ':', (size_t)(end - host));
        if (hend)
            port = hend + 1;
        else
            hend = end;
    }
    while (hend > host && hend[-1] == '.')
        hend--;
    if (hend - host > 4 && strncasecmp(host, "www.", 4) == 0) host += 4;
    if (hend <= host) return NULL;
    size_t hlen = (size_t)(hend - host);
    size_t plen = port ? (size_t)(end - port) : 0;
    char *out = malloc(hlen + plen + 2);
    if (!out) return NULL;
    for (size_t i = 0; i < hlen; i++)
        out[i] = (char)tolower((unsigned char)host[i]);
    size_t n = hlen;
    if (plen) {
        out[n++] = ':';
        memcpy(out + n, port, plen);
        n += plen;
    }
    out[n] = '\0';
    return out;
}
