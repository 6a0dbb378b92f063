/*
 * fuzz_html.c: libFuzzer target for article extraction from HTML.
 *
 * The first byte picks a charset hint (none, UTF-8, a legacy one, nonsense)
 * and whether a URL is given; the rest is the page. rp_html_extract must
 * return an error or an article whose text is valid NUL-terminated UTF-8
 * of the stated length.
 */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const hints[] = {NULL,           "utf-8",  "iso-8859-1",
                                        "shift_jis",    "utf-16", "x-no-such-charset",
                                        "windows-1252", ""};
    if (size < 1) return 0;
    const char *hint = hints[data[0] & 7];
    const char *url = (data[0] & 8) ? "https://www.example.com/a/b?c=d" : NULL;
    rp_article a;
    memset(&a, 0, sizeof a);
    char err[256];
    rp_err e = rp_html_extract((const char *)data + 1, size - 1, hint, url, &a, err, sizeof err);
    if (e == RP_OK && a.text) {
        if (strlen(a.text) != a.text_len && strlen(a.text) > a.text_len) abort();
    }
    rp_article_clear(&a);
    return 0;
}
