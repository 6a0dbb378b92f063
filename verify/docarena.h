/*
 * docarena.h: prepared docs in an arena (arena.c), for the pipeline's
 * clustering run, which prepares and drops tens of thousands of them.
 */
#ifndef RP_DOCARENA_H
#define RP_DOCARENA_H

#include "reprint.h"

typedef struct rp_docarena rp_docarena;

rp_err rp_docarena_new(rp_docarena **out);
/* Frees the arena's memory; every doc made in it must be freed first.
 * Accepts NULL. */
void rp_docarena_free(rp_docarena *a);

/* rp_doc_new with the doc's block taken from arena a (NULL: malloc). The
 * doc is freed with rp_doc_free as any other, before the arena. Thread-safe. */
rp_err rp_doc_new_in(rp_docarena *a, rp_doc **out, const char *text, size_t len,
                     const rp_doc_opts *opts);

/* Block allocation (used by verify/doc.c): *got receives the size taken, 0
 * when the block came from malloc; give it back to release. */
void *rp_docarena_alloc(rp_docarena *a, size_t bytes, size_t *got);
void rp_docarena_release(rp_docarena *a, void *p, size_t got);

#endif
