/*
 * docs.c: articles loaded from the index and prepared for verification,
 * with each site's chrome lines excluded.
 *
 * A site's chrome is the set of lines that stand in many of its pages
 * (learned while indexing, in the site_lines table); the set is read once
 * per site and kept in a small hash map for the life of the loader.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "pipeline/loader.h"
#include "verify/docarena.h"

typedef struct site_entry {
    char *site;
    uint64_t *chrome;
    size_t n;
    struct site_entry *next;
} site_entry;

struct rp_loader {
    rp_db *db;
    const rp_params *p;
    site_entry *buckets[1024];
};

rp_err rp_loader_new(rp_loader **out, rp_db *db, const rp_params *p)
{
    rp_loader *l = calloc(1, sizeof *l);
    if (!l) return RP_NOMEM;
    l->db = db;
    l->p = p;
    *out = l;
    return RP_OK;
}

void rp_loader_free(rp_loader *l)
{
    if (!l) return;
    for (size_t i = 0; i < 1024; i++) {
        site_entry *s = l->buckets[i];
        while (s) {
            site_entry *n = s->next;
            free(s->site);
            free(s->chrome);
            free(s);
            s = n;
        }
    }
    free(l);
}

rp_err rp_loader_chrome(rp_loader *l, const char *site, const uint64_t **chrome, size_t *n)
{
    if (!site) site = "";
    size_t b = XXH3_64bits(site, strlen(site)) % 1024;
    for (site_entry *s = l->buckets[b]; s; s = s->next)
        if (strcmp(s->site, site) == 0) {
            *chrome = s->chrome;
            *n = s->n;
            return RP_OK;
        }
    site_entry *s = calloc(1, sizeof *s);
    if (!s || !(s->site = strdup(site))) {
        free(s);
        return RP_NOMEM;
    }
    uint64_t docs = 0;
    rp_err e = rp_db_site_docs(l->db, site, &docs);
    if (!e && docs >= 3)
        e = rp_db_site_lines_get(l->db, site, rp_chrome_min_docs(docs), &s->chrome, &s->n);
    if (e) {
        free(s->site);
        free(s->chrome);
        free(s);
        return e;
    }
    s->next = l->buckets[b];
    l->buckets[b] = s;
    *chrome = s->chrome;
    *n = s->n;
    return RP_OK;
}

rp_err rp_loader_get(rp_loader *l, int64_t rowid, rp_loaded *out)
{
    memset(out, 0, sizeof *out);
    rp_err e = rp_db_get(l->db, rowid, &out->a);
    if (e) return e;
    return rp_loader_chrome(l, out->a.site, &out->chrome, &out->nchrome);
}

rp_err rp_loaded_prepare(const rp_params *p, const char *text, size_t len, const char *lang,
                         const uint64_t *chrome, size_t nchrome, rp_doc **out)
{
    return rp_loaded_prepare_in(NULL, p, text, len, lang, chrome, nchrome, out);
}

rp_err rp_loaded_prepare_in(rp_docarena *arena, const rp_params *p, const char *text, size_t len,
                            const char *lang, const uint64_t *chrome, size_t nchrome, rp_doc **out)
{
    uint32_t *ranges = NULL;
    size_t nranges = 0;
    rp_err e = rp_chrome_ranges(text, len, chrome, nchrome, &ranges, &nranges);
    if (e) return e;
    rp_doc_opts o = {.shingle_k = p->shingle_k, .chrome = ranges, .nchrome = nranges, .lang = lang};
    e = rp_doc_new_in(arena, out, text, len, &o);
    free(ranges);
    return e;
}

rp_err rp_article_chrome(rp_db *db, const rp_article *a, uint32_t **ranges, size_t *n)
{
    rp_params p;
    rp_loader *l = NULL;
    const uint64_t *chrome;
    size_t nchrome;
    *ranges = NULL;
    *n = 0;
    rp_err e = rp_params_load(db, &p);
    if (!e) e = rp_loader_new(&l, db, &p);
    if (!e) e = rp_loader_chrome(l, a->site, &chrome, &nchrome);
    if (!e) e = rp_chrome_ranges(a->text, a->text_len, chrome, nchrome, ranges, n);
    rp_loader_free(l);
    return e;
}
