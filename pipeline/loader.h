/* loader.h: articles read back from the index for verification. */
#ifndef RP_LOADER_H
#define RP_LOADER_H

#include "pipeline/pipeline.h"

typedef struct rp_loader rp_loader;

typedef struct rp_loaded {
    rp_article a;
    const uint64_t *chrome; /* the site's chrome line hashes, owned by the loader */
    size_t nchrome;
} rp_loaded;

rp_err rp_loader_new(rp_loader **out, rp_db *db, const rp_params *p);
void rp_loader_free(rp_loader *l);
/* Sorted chrome line hashes of a site (cached; owned by the loader). */
rp_err rp_loader_chrome(rp_loader *l, const char *site, const uint64_t **chrome, size_t *n);
/* Read one article and its site's chrome. Clear out->a when done. */
rp_err rp_loader_get(rp_loader *l, int64_t rowid, rp_loaded *out);
/* Prepare a text for verification with chrome lines excluded. Thread-safe. */
rp_err rp_loaded_prepare(const rp_params *p, const char *text, size_t len, const char *lang,
                         const uint64_t *chrome, size_t nchrome, rp_doc **out);
/* The same with the doc in an arena (verify/docarena.h; NULL: malloc). */
struct rp_docarena;
rp_err rp_loaded_prepare_in(struct rp_docarena *arena, const rp_params *p, const char *text,
                            size_t len, const char *lang, const uint64_t *chrome, size_t nchrome,
                            rp_doc **out);

/* Run fn(arg, i) for i in [0, n) on up to jobs threads. */
void rp_parallel_for(size_t n, unsigned jobs, void (*fn)(void *arg, size_t i), void *arg);

/* Threads kept for a run (parallel.c). start hands fn(arg, i) for i in
 * [0, n) to the pool's threads and returns at once; finish has the caller
 * take items too and returns when all are done. One batch at a time, from
 * one thread. A pool that could start fewer threads (even none) still
 * works: finish does what they do not. */
typedef struct rp_pool rp_pool;
rp_err rp_pool_new(rp_pool **out, unsigned threads);
void rp_pool_start(rp_pool *p, void (*fn)(void *arg, size_t i), void *arg, size_t n);
void rp_pool_finish(rp_pool *p);
void rp_pool_free(rp_pool *p);

#endif
