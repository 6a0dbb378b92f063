/*
 * article.c: the article record's lifetime and the format names.
 *
 * An rp_article owns every string it points to, so clearing it is a free of
 * each member; the struct itself belongs to the caller (usually on the
 * stack), which is why there is a clear and no free.
 */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

void rp_article_clear(rp_article *a)
{
    if (!a) return;
    free(a->id);
    free(a->url);
    free(a->site);
    free(a->title);
    free(a->published);
    free(a->author);
    free(a->lang);
    free(a->text);
    free(a->source);
    free(a->raw);
    free(a->raw_charset);
    free(a->raw_url);
    free(a->raw_site);
    free(a->raw_fallback_published);
    memset(a, 0, sizeof *a);
    a->published_epoch = RP_TIME_UNKNOWN;
}

rp_err rp_format_parse(const char *name, rp_format *out)
{
    static const struct {
        const char *name;
        rp_format fmt;
    } names[] = {{"auto", RP_FMT_AUTO},
                 {"text", RP_FMT_TEXT},
                 {"html", RP_FMT_HTML},
                 {"jsonl", RP_FMT_JSONL},
                 {"warc", RP_FMT_WARC}};
    if (!name) return RP_ARG;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *out = names[i].fmt;
            return RP_OK;
        }
    return RP_ARG;
}
