/* internal.h: helpers shared by the files of shingle/ (not public API). */
#ifndef RP_SHINGLE_INTERNAL_H
#define RP_SHINGLE_INTERNAL_H
#include <stdint.h>

/* Non-zero if hash is the XXH3-64 of a normalised English stopword. */
int rp_stopword_is(uint64_t hash);

#endif
