/* pipeline.h: internals shared by the pipeline's files. */
#ifndef RP_PIPELINE_H
#define RP_PIPELINE_H

#include "reprint.h"

/* Per-thread scratch for feature extraction: buffers reused across
 * articles so that signing allocates nothing per article in steady state. */
typedef struct rp_scratch {
    rp_tokens tok;
    uint64_t *sh;
    size_t shcap;
    uint64_t *sig;
    size_t sigcap;
} rp_scratch;

void rp_scratch_free(rp_scratch *s);

/* Band hashes for all families into out (rp_params_nbands(p) values). */
/* Band hashes for all families into out (rp_params_nbands(p) values),
 * tokenised by the rules of lang (NULL: English rules). */
rp_err rp_features_bands_scratch(const rp_params *p, rp_scratch *s, const char *text, size_t len,
                                 const char *lang, uint64_t *out, size_t *ntokens);

/* Hash of the text with runs of white space folded to one space and the
 * ends trimmed: equal for texts that differ only in spacing. */
uint64_t rp_content_hash(const char *text, size_t len);

/* Distinct hashes of the text's non-empty lines (trimmed, spaces folded,
 * ASCII lower-cased): the units site chrome is learned from. *out is
 * malloc'd. */
rp_err rp_line_hashes(const char *text, size_t len, uint64_t **out, size_t *n);

/* Byte ranges (start, end pairs) of the lines whose hash is in the sorted
 * set chrome[0..nchrome). *out malloc'd, *nranges pairs. */
rp_err rp_chrome_ranges(const char *text, size_t len, const uint64_t *chrome, size_t nchrome,
                        uint32_t **out, size_t *nranges);

/* The default parameters but the LSH bands (left zero), without choosing
 * them: all that comparing two texts needs. */
void rp_params_text_default(rp_params *p);

/* Minimum number of a site's documents a line must occur in to be chrome. */
uint64_t rp_chrome_min_docs(uint64_t site_docs);

/* Count one change of the set of articles (changes.c): call inside the
 * transaction that makes it. */
rp_err rp_index_touch(rp_db *db);
/* Store the generation a cluster run started from, with its clusters. */
rp_err rp_cluster_stored_generation(rp_db *db, uint64_t gen);

#endif
