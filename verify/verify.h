/*
 * verify.h: what the files of verify/ share and nobody else sees.
 *
 * The aligner works in word coordinates: word i is the i-th token that is
 * not site chrome. A doc carries, besides its tokens and exact shingle set,
 * a seed index: every anchor a passage can grow from, as (hash, word, length)
 * sorted by hash, so two docs' shared anchors come out of one merge-join.
 */
#ifndef RP_VERIFY_H
#define RP_VERIFY_H

#include <stdint.h>

#include "reprint.h"

/* Seed kinds. Word shingles and stem pairs are strong: a passage needs them.
 * Single content stems are weak: they only fill a passage's gaps. */
enum { RP_SEED_WORDS = 0, RP_SEED_STEMS = 1, RP_SEED_STEM1 = 2 };

typedef struct rp_seed {
    uint64_t hash; /* kind is mixed in, so kinds never collide */
    uint32_t pos;  /* first word */
    uint16_t len;  /* words spanned */
    uint8_t kind;
} rp_seed;

struct rp_doc {
    char *text;
    size_t len;
    rp_tokens toks;
    uint64_t *set; /* sorted, distinct word shingles */
    size_t nset;
    size_t shingle_k;
    int lang;         /* lang/lang.h number */
    size_t nw;        /* words (non-chrome tokens) */
    size_t unquoted;  /* words outside quotation marks */
    size_t nospace;   /* words of scripts written without spaces (RP_TOK_CJK) */
    uint32_t *wtok;   /* word -> token index */
    uint8_t *wquoted; /* word -> 1 if quoted */
    uint64_t *whash;  /* word -> normalised-form hash */
    uint64_t *wstem;  /* word -> stem hash, 0 for stopwords */
    uint8_t *wname;   /* word -> 1 if a name or a number (see doc.c) */
    uint8_t *wsent;   /* word -> 1 if it opens a sentence */
    rp_seed *seeds;   /* sorted by (hash, pos) */
    size_t nseeds;
    struct rp_para *para; /* sentences, for para.c */
    /* The one block holding the doc, its text and arrays: from this arena
     * (NULL: malloc), of this size (0: malloc'd). */
    struct rp_docarena *arena;
    size_t block;
};

/* Per-thread scratch (scratch.c): buffers that preparation and comparison
 * reuse from call to call, one slot per temporary array. Functions that are
 * alive at the same time use different slots; a slot's contents are valid
 * until the next rp_vbuf_get of that slot in the same thread. */
enum {
    /* rp_doc_new: a doc is built here, then copied into one block */
    RP_VS_TEXT,
    RP_VS_SET,
    RP_VS_SETTMP,
    RP_VS_WTOK,
    RP_VS_WQUOTED,
    RP_VS_WHASH,
    RP_VS_WSTEM,
    RP_VS_WNAME,
    RP_VS_WSENT,
    RP_VS_TSTART,
    RP_VS_CAP,
    RP_VS_CAPS,
    RP_VS_SEEDS,
    RP_VS_SEEDTMP,
    RP_VS_PSTART, /* rp_para_prepare */
    RP_VS_PCONT,
    RP_VS_PNAMES,
    RP_VS_PFIGS,
    RP_VS_PTMP,
    /* rp_verify_pair */
    RP_VS_HITS, /* align.c */
    RP_VS_HITTMP,
    RP_VS_CHAINS,
    RP_VS_SPANS,   /* rp_align's result */
    RP_VS_PSHARED, /* para.c */
    RP_VS_PNAMECNT,
    RP_VS_PFIGCNT,
    RP_VS_PSKIP,
    RP_VS_PCOV,
    RP_VS_PLINKS,
    RP_VS_PRES, /* rp_para_align's result */
    RP_VS_COV,  /* score.c */
    RP_VS_COV_O,
    RP_VS_FACTS_A,
    RP_VS_FACTS_B,
    RP_VS_FACTS_TMP,
    RP_VS_SLOTS, /* slots.c */
    RP_VS_COUNT
};

typedef struct rp_vbuf {
    void *p;
    size_t cap; /* bytes */
} rp_vbuf;

typedef struct rp_vscratch {
    rp_tokens toks; /* rp_doc_new's tokens before they are copied */
    rp_vbuf b[RP_VS_COUNT];
} rp_vscratch;

/* This thread's scratch (created on first use, freed when the thread
 * ends); NULL when it cannot be allocated. */
rp_vscratch *rp_vscratch_get(void);
/* Slot `slot` with room for at least `bytes` bytes; what it held is kept
 * (as realloc keeps it). NULL when it cannot grow (the slot is unchanged). */
void *rp_vbuf_get(rp_vscratch *s, int slot, size_t bytes);
/* Free the slots grown past RP_VS_KEEP bytes (by a very long text), so
 * that a thread does not keep them for life; the next call regrows them. */
#define RP_VS_KEEP ((size_t)8 << 20)
void rp_vscratch_trim(rp_vscratch *s);
/* Sort n values ascending; tmp holds n values. */
void rp_vsort_u64(uint64_t *v, uint64_t *tmp, size_t n);

/* One aligned passage in word coordinates: words [as, ae) of a match
 * words [bs, be) of b. */
typedef struct rp_span {
    uint32_t as, ae, bs, be;
    int quoted;
    int rewritten; /* matched sentence to sentence by para.c */
} rp_span;

/* The seed hash of the word k-shingle starting at word i (doc.c). */
uint64_t rp_doc_word_shingle(const rp_doc *d, size_t i);

/* Is the passage a[as, ae) / b[bs, be) mostly inside quotation marks on
 * both sides (align.c)? */
int rp_span_quoted(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                   uint32_t be);

/* Matched words of a passage that show copying (align.c): content words of
 * a[as, ae) that are not names or figures and whose stem stands near the
 * passage's diagonal in b, into *found (own_only: outside quotation marks
 * only); the names and figures in it into *names. */
void rp_span_evidence(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                      uint32_t be, int own_only, unsigned *found, unsigned *names);

/* Is word i of d a figure (it starts with an ASCII digit)? */
static inline int rp_word_figure(const rp_doc *d, size_t i)
{
    unsigned char c = (unsigned char)d->text[d->toks.v[d->wtok[i]].start];
    return c >= '0' && c <= '9';
}

/* Facts (align.c): is word i of d a clock time or a dotted or slashed
 * date (which a copy restamps)? The value figure i starts with ("28.3bn"
 * 28.3). Is figure i of a figure j of b, or one of them the other rounded?
 * Is name i of a name j of b, or a misspelling of it? */
int rp_figure_timestamp(const rp_doc *d, size_t i);
double rp_figure_value(const rp_doc *d, size_t i);
int rp_figures_close(const rp_doc *a, size_t i, const rp_doc *b, size_t j);
int rp_names_similar(const rp_doc *a, size_t i, const rp_doc *b, size_t j);

/* Fact slots (slots.c): the runs of names and figures of s's own words that
 * stand in its passages (spans, s on side `side`) between the same two
 * words as a run of o near the passage's diagonal; how many of them hold
 * the same value in o (*same) and how many another (*changed). Uses
 * scratch slot RP_VS_SLOTS. Errors: RP_NOMEM. */
rp_err rp_slots(const rp_doc *s, const rp_doc *o, const rp_span *sp, size_t n, int side,
                size_t *same, size_t *changed);

/* Align a and b: passages sorted by as. *out is in this thread's scratch
 * (slot RP_VS_SPANS), valid until the next rp_align in the thread.
 * *limits receives the RP_MATCH_* bits of the work bounds that were hit. */
rp_err rp_align(const rp_doc *a, const rp_doc *b, rp_span **out, size_t *n, unsigned *limits);

/* Mark the page furniture of text (furniture.c: photo captions and their
 * credit lines, "Posted at ..." stamps) in t: RP_TOK_FURNITURE on every
 * token of such a line. Returns the number of lines marked. */
size_t rp_furniture_mark(const char *text, size_t len, rp_tokens *t);

/* Names of Chinese and Japanese text found by their slot (cjknames.c):
 * the run of ideographs or katakana before a title or honorific, an
 * administrative suffix or a bracketed age or reading, marked in wname
 * (one byte per word of d; d needs toks, wtok and text). */
void rp_cjk_names_mark(const rp_doc *d, uint8_t *wname);
/* Is s[a, b) an administrative suffix written after a place name (市, 県,
 * 省, 县, 自治区..., or one of them with 内 after it; 都 in Japanese text
 * only)? */
int rp_cjk_place_suffix(const char *s, size_t a, size_t b, int japanese);

/* Sentence-level alignment of rewritten passages (para.c). */
typedef struct rp_para rp_para;
/* The sentence index of a doc under construction, in this thread's
 * scratch (valid until the next call in the thread). */
rp_err rp_para_prepare(const rp_doc *d, rp_para **out);
/* Bytes an index takes in one block, and its copy placed at mem (8-byte
 * aligned, rp_para_bytes long). */
size_t rp_para_bytes(const rp_para *p);
rp_para *rp_para_place(const rp_para *src, void *mem);
/* Passages of a and b outside `have` (the word-anchored ones) that are
 * rewritten sentence by sentence, in order. *out is in this thread's
 * scratch (slot RP_VS_PRES), valid until the next call. *limits
 * receives RP_MATCH_SENTENCES_SKIPPED when the texts have too many sentence
 * pairs to compare, RP_MATCH_LINKS_CAPPED when more sentence pairs matched
 * than are chained (0 otherwise). */
rp_err rp_para_align(const rp_doc *a, const rp_doc *b, const rp_span *have, size_t nhave,
                     rp_span **out, size_t *nout, unsigned *limits);

#endif
