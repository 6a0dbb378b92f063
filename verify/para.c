/*
 * para.c: passages rewritten too heavily for word anchors, found sentence
 * by sentence.
 *
 * A spun or machine-translated copy changes most three-word phrases, so the
 * anchor aligner (align.c) finds little of it. What survives is the order of
 * ideas: sentence after sentence of the copy keeps most of its original
 * sentence's content words (as stems, so re-inflection does not matter),
 * with its names and figures unchanged. Two independent reports of an event
 * share the names and the event's nouns too, but not sentence after
 * sentence of other content words, in the same order.
 *
 * 1. Each doc is cut into sentences once, in rp_para_prepare: for each
 *    sentence, its distinct content stems (not names, numbers or stopwords),
 *    its distinct names and its distinct figures, as postings sorted by hash.
 * 2. For a pair, sentences already mostly inside word-anchored passages are
 *    set aside; one merge-join of the content postings counts, for every
 *    other sentence pair, the content stems they share. Stems found in many
 *    sentences of either text (the topic: "PageRank", "said") are not
 *    counted. A sentence pair matches when it shares PARA_MIN_SHARED content
 *    stems and at least PARA_MIN_DICE of them (Dice), and when its names
 *    agree and its figures agree: where both sentences hold some, at least
 *    half of the fewer are shared (counted by the same merge-join, only when
 *    two or more pairs matched on content).
 * 3. Matches are chained in order on both sides (gaps of at most PARA_GAP
 *    sentences in the text with fewer sentences and PARA_GAP_LONG in the
 *    other; a sentence split in two, or two merged into one, may repeat a
 *    sentence between neighbours), together with the ends of the
 *    word-anchored passages as fixed points. Each chain of PARA_MIN_RUN
 *    links, two of them matched sentences, makes one passage per matched
 *    sentence pair. A lone matching sentence pair is a shared fact, not a
 *    copy.
 */
#include <stdlib.h>
#include <string.h>

#include "reprint.h"
#include "verify/verify.h"

#ifndef PARA_MIN_SHARED
#define PARA_MIN_SHARED 3 /* distinct content stems a sentence pair shares */
#endif
#ifndef PARA_MIN_DICE
#define PARA_MIN_DICE 0.4 /* 2 shared / (stems of one + stems of the other) */
#endif
#ifndef PARA_GAP
#define PARA_GAP 2 /* sentences skipped within a chain, in the text with fewer */
#endif
#ifndef PARA_GAP_LONG
#define PARA_GAP_LONG 5 /* ... and in the one with more (a copy may be trimmed) */
#endif
#ifndef PARA_MIN_RUN
#define PARA_MIN_RUN 3 /* links per chain, word-anchored passages included */
#endif
#define PARA_COMMON_SHARE 4           /* a stem in over 1/4 of the sentences is the topic */
#define PARA_COMMON_MIN 3             /* ... when that is more than this many sentences */
#define PARA_MAX_CELLS (1u << 22)     /* sentence pairs counted at most */
#define PARA_MAX_LINKS 4096           /* matches chained at most */
#define PARA_SCRATCH_CELLS (1u << 16) /* count matrices kept between pairs */
/* Bounds on the chaining work, whatever the texts: chains taken per pair,
 * and earlier links looked at per link. Real copies make a few long chains;
 * a text built to match every sentence of another many times over would
 * otherwise cost seconds per pair. */
#define PARA_MAX_CHAINS 256
#define PARA_MAX_BACK 256

typedef struct posting {
    uint64_t hash;
    uint32_t sent;
} posting;

struct rp_para {
    uint32_t nsent;
    uint32_t *start;  /* nsent + 1 word boundaries */
    uint32_t *ncont;  /* distinct content stems per sentence (not common) */
    uint32_t *nnames; /* distinct names per sentence */
    uint32_t *nfigs;  /* distinct figures per sentence */
    posting *cont;    /* (stem, sentence), sorted, distinct */
    size_t ncontp;
    posting *names; /* (name hash, sentence), sorted, distinct */
    size_t nnamep;
    posting *figs; /* (figure hash, sentence), sorted, distinct */
    size_t nfigp;
};

/* Sort postings by (hash, sentence) and drop repeated ones; returns the
 * new count. Postings are made in sentence order, so a stable sort by hash
 * alone orders them by (hash, sentence): one pass by the top byte of the
 * hash, then an insertion sort per bucket (hashes are uniform, so buckets
 * are short) or, for a long bucket, a merge sort; tmp holds n postings. */
static void insertion_postings(posting *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        posting x = v[i];
        size_t j = i;
        for (; j > 0 && v[j - 1].hash > x.hash; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Stable merge sort of v by hash; tmp holds n postings. */
static void merge_postings(posting *v, posting *tmp, size_t n)
{
    if (n <= 32) {
        insertion_postings(v, n);
        return;
    }
    size_t h = n / 2;
    merge_postings(v, tmp, h);
    merge_postings(v + h, tmp, n - h);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = v[j].hash < v[i].hash ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    memcpy(v, tmp, k * sizeof *v);
}

static size_t posting_unique(posting *v, posting *tmp, size_t n)
{
    if (!n) return 0;
    size_t start[257] = {0};
    for (size_t i = 0; i < n; i++)
        start[(v[i].hash >> 56) + 1]++;
    for (int b = 0; b < 256; b++)
        start[b + 1] += start[b];
    size_t fill[256];
    memcpy(fill, start, sizeof fill);
    for (size_t i = 0; i < n; i++)
        tmp[fill[v[i].hash >> 56]++] = v[i];
    memcpy(v, tmp, n * sizeof *v);
    for (int b = 0; b < 256; b++)
        merge_postings(v + start[b], tmp, start[b + 1] - start[b]);
    size_t m = 1;
    for (size_t k = 1; k < n; k++)
        if (v[k].hash != v[m - 1].hash || v[k].sent != v[m - 1].sent) v[m++] = v[k];
    return m;
}

/* Drop content postings of stems found in many sentences (the topic). */
static size_t drop_common(posting *v, size_t n, uint32_t nsent)
{
    size_t limit = nsent / PARA_COMMON_SHARE;
    if (limit < PARA_COMMON_MIN) limit = PARA_COMMON_MIN;
    size_t m = 0;
    for (size_t k = 0; k < n;) {
        size_t e = k;
        while (e < n && v[e].hash == v[k].hash)
            e++;
        if (e - k <= limit) {
            memmove(v + m, v + k, (e - k) * sizeof *v);
            m += e - k;
        }
        k = e;
    }
    return m;
}

/* The index is built in this thread's scratch; rp_para_place copies it
 * into the doc's block, of exactly its size. */
static _Thread_local rp_para built;

rp_err rp_para_prepare(const rp_doc *d, rp_para **out)
{
    *out = NULL;
    size_t n = d->nw, ns = 0;
    for (size_t i = 0; i < n; i++)
        ns += i == 0 || d->wsent[i];
    if (ns > UINT32_MAX - 1) return RP_LIMIT;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    uint32_t *start = rp_vbuf_get(sc, RP_VS_PSTART, 4 * (ns + 1) * sizeof *start);
    posting *cont = rp_vbuf_get(sc, RP_VS_PCONT, (n + 1) * sizeof *cont);
    posting *names = rp_vbuf_get(sc, RP_VS_PNAMES, (n + 1) * sizeof *names);
    posting *figs = rp_vbuf_get(sc, RP_VS_PFIGS, (n + 1) * sizeof *figs);
    posting *tmp = rp_vbuf_get(sc, RP_VS_PTMP, (n + 1) * sizeof *tmp);
    if (!start || !cont || !names || !figs || !tmp) return RP_NOMEM;
    size_t ncont = 0, nnames = 0, nfigs = 0;
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || d->wsent[i]) start[s++] = (uint32_t)i;
        if (!d->wstem[i]) continue;
        posting x = {d->wname[i] ? d->whash[i] : d->wstem[i], s - 1};
        if (rp_word_figure(d, i))
            figs[nfigs++] = x;
        else if (d->wname[i])
            names[nnames++] = x;
        else
            cont[ncont++] = x;
    }
    start[ns] = (uint32_t)n;
    ncont = drop_common(cont, posting_unique(cont, tmp, ncont), (uint32_t)ns);
    nnames = posting_unique(names, tmp, nnames);
    nfigs = posting_unique(figs, tmp, nfigs);

    rp_para *p = &built;
    p->nsent = (uint32_t)ns;
    p->start = start;
    p->ncont = start + (ns + 1);
    p->nnames = p->ncont + (ns + 1);
    p->nfigs = p->nnames + (ns + 1);
    p->cont = cont;
    p->names = names;
    p->figs = figs;
    p->ncontp = ncont;
    p->nnamep = nnames;
    p->nfigp = nfigs;
    memset(p->ncont, 0, 3 * (ns + 1) * sizeof *p->ncont);
    for (size_t k = 0; k < p->ncontp; k++)
        p->ncont[p->cont[k].sent]++;
    for (size_t k = 0; k < p->nnamep; k++)
        p->nnames[p->names[k].sent]++;
    for (size_t k = 0; k < p->nfigp; k++)
        p->nfigs[p->figs[k].sent]++;
    *out = p;
    return RP_OK;
}

size_t rp_para_bytes(const rp_para *p)
{
    size_t head = (sizeof *p + 7) & ~(size_t)7;
    return head + (p->ncontp + p->nnamep + p->nfigp) * sizeof(posting) +
           4 * ((size_t)p->nsent + 1) * sizeof(uint32_t);
}

rp_para *rp_para_place(const rp_para *src, void *mem)
{
    char *blk = mem;
    size_t ns1 = (size_t)src->nsent + 1;
    rp_para *p = (rp_para *)(void *)blk;
    *p = *src;
    p->cont = (posting *)(void *)(blk + ((sizeof *p + 7) & ~(size_t)7));
    p->names = p->cont + src->ncontp;
    p->figs = p->names + src->nnamep;
    p->start = (uint32_t *)(void *)(p->figs + src->nfigp);
    p->ncont = p->start + ns1;
    p->nnames = p->ncont + ns1;
    p->nfigs = p->nnames + ns1;
    memcpy(p->cont, src->cont, src->ncontp * sizeof *p->cont);
    memcpy(p->names, src->names, src->nnamep * sizeof *p->names);
    memcpy(p->figs, src->figs, src->nfigp * sizeof *p->figs);
    /* start and the three counts lie one after another in both */
    memcpy(p->start, src->start, 4 * ns1 * sizeof *p->start);
    return p;
}

/* The sentence holding word w. */
static uint32_t sentence_of(const rp_para *p, uint32_t w)
{
    uint32_t lo = 0, hi = p->nsent;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (p->start[mid] <= w)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* Count shared postings into cnt[sa * nb + sb]. */
static void count_shared(const posting *x, size_t nx, const posting *y, size_t ny,
                         const uint8_t *skip_a, const uint8_t *skip_b, uint32_t nb, uint16_t *cnt)
{
    size_t i = 0, j = 0;
    while (i < nx && j < ny) {
        if (x[i].hash < y[j].hash) {
            i++;
        } else if (x[i].hash > y[j].hash) {
            j++;
        } else {
            uint64_t h = x[i].hash;
            size_t i1 = i, j1 = j;
            while (i1 < nx && x[i1].hash == h)
                i1++;
            while (j1 < ny && y[j1].hash == h)
                j1++;
            for (size_t u = i; u < i1; u++) {
                if (skip_a && skip_a[x[u].sent]) continue;
                for (size_t v = j; v < j1; v++) {
                    if (skip_b && skip_b[y[v].sent]) continue;
                    uint16_t *c = &cnt[(size_t)x[u].sent * nb + y[v].sent];
                    if (*c < UINT16_MAX) (*c)++;
                }
            }
            i = i1;
            j = j1;
        }
    }
}

typedef struct link {
    uint32_t sa, sb;
    uint32_t weight; /* shared stems; 0 marks a word-anchored fixed point */
    int32_t prev;    /* chain predecessor, -1 for none */
    uint32_t len;    /* links in the best chain ending here */
    uint32_t score;  /* its weight plus its length */
    uint8_t used;
} link;

static int link_cmp(const void *x, const void *y)
{
    const link *p = x, *q = y;
    if (p->sa != q->sa) return p->sa < q->sa ? -1 : 1;
    if (p->sb != q->sb) return p->sb < q->sb ? -1 : 1;
    return (p->weight > q->weight) - (p->weight < q->weight);
}

/* A copy keeps the names and figures of its sentences: when both sentences
 * hold some, at least half of the fewer must be shared. Two reports cast in
 * one template ("rose 0.5 pct in April" against "rose 0.2 pct in February")
 * differ there. */
static int kept(uint32_t shared, uint32_t na, uint32_t nb)
{
    if (!na || !nb) return 1;
    return 2 * shared >= (na < nb ? na : nb);
}

/* Mark sentences of p whose words lie mostly inside the spans' side. */
static void mark_covered(const rp_para *p, const rp_span *sp, size_t n, int side, uint8_t *cov,
                         uint8_t *out)
{
    uint32_t nw = p->start[p->nsent];
    memset(cov, 0, nw ? nw : 1);
    for (size_t k = 0; k < n; k++) {
        uint32_t s = side ? sp[k].bs : sp[k].as, e = side ? sp[k].be : sp[k].ae;
        memset(cov + s, 1, e - s);
    }
    for (uint32_t t = 0; t < p->nsent; t++) {
        size_t c = 0, len = p->start[t + 1] - p->start[t];
        for (uint32_t i = p->start[t]; i < p->start[t + 1]; i++)
            c += cov[i];
        out[t] = 2 * c > len;
    }
}

rp_err rp_para_align(const rp_doc *a, const rp_doc *b, const rp_span *have, size_t nhave,
                     rp_span **out, size_t *nout, unsigned *limits)
{
    *out = NULL;
    *nout = 0;
    *limits = 0;
    const rp_para *pa = a->para, *pb = b->para;
    if (!pa || !pb || !pa->nsent || !pb->nsent || !pa->ncontp || !pb->ncontp) return RP_OK;
    size_t cells = (size_t)pa->nsent * pb->nsent;
    if (cells > PARA_MAX_CELLS) {
        *limits |= RP_MATCH_SENTENCES_SKIPPED;
        return RP_OK;
    }

    /* Working arrays from this thread's scratch; a count matrix too big to
     * keep between pairs is calloc'd (its untouched pages stay unmapped). */
    rp_err e = RP_NOMEM;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    int big = cells > PARA_SCRATCH_CELLS;
    uint16_t *shared = big ? calloc(cells, sizeof *shared)
                           : rp_vbuf_get(sc, RP_VS_PSHARED, cells * sizeof *shared);
    uint16_t *names = NULL, *figs = NULL;
    uint8_t *skip_a = rp_vbuf_get(sc, RP_VS_PSKIP, (size_t)pa->nsent + pb->nsent), *skip_b;
    uint8_t *cov = rp_vbuf_get(sc, RP_VS_PCOV, (a->nw > b->nw ? a->nw : b->nw) + 1);
    link *L = NULL;
    rp_span *res = NULL;
    size_t nl = 0, nres = 0;
    if (!shared || !skip_a || !cov) goto out;
    if (!big) memset(shared, 0, cells * sizeof *shared);
    skip_b = skip_a + pa->nsent;
    mark_covered(pa, have, nhave, 0, cov, skip_a);
    mark_covered(pb, have, nhave, 1, cov, skip_b);
    count_shared(pa->cont, pa->ncontp, pb->cont, pb->ncontp, skip_a, skip_b, pb->nsent, shared);

    /* Sentence pairs sharing enough content words; a chain needs two. */
    for (size_t c = 0; c < cells; c++)
        if (shared[c] >= PARA_MIN_SHARED) nl++;
    if (nl < 2) {
        e = RP_OK;
        goto out;
    }
    if (nl > PARA_MAX_LINKS) nl = PARA_MAX_LINKS;
    L = rp_vbuf_get(sc, RP_VS_PLINKS, (nl + 2 * nhave) * sizeof *L);
    if (!L) goto out;
    size_t cap = nl;
    nl = 0;
    for (uint32_t x = 0; x < pa->nsent && !(*limits & RP_MATCH_LINKS_CAPPED); x++) {
        for (uint32_t y = 0; y < pb->nsent; y++) {
            uint32_t n = shared[(size_t)x * pb->nsent + y];
            if (n < PARA_MIN_SHARED) continue;
            if (2.0 * n < PARA_MIN_DICE * (double)(pa->ncont[x] + pb->ncont[y])) continue;
            if (nl == cap) { /* one more link than there is room for */
                *limits |= RP_MATCH_LINKS_CAPPED;
                break;
            }
            L[nl++] = (link){x, y, n, -1, 0, 0, 0};
        }
    }
    /* ... whose names and figures agree. */
    if (nl >= 2 && (pa->nnamep || pa->nfigp) && (pb->nnamep || pb->nfigp)) {
        names = big ? calloc(cells, sizeof *names)
                    : rp_vbuf_get(sc, RP_VS_PNAMECNT, cells * sizeof *names);
        figs = big ? calloc(cells, sizeof *figs)
                   : rp_vbuf_get(sc, RP_VS_PFIGCNT, cells * sizeof *figs);
        if (!names || !figs) goto out;
        if (!big) {
            memset(names, 0, cells * sizeof *names);
            memset(figs, 0, cells * sizeof *figs);
        }
        count_shared(pa->names, pa->nnamep, pb->names, pb->nnamep, skip_a, skip_b, pb->nsent,
                     names);
        count_shared(pa->figs, pa->nfigp, pb->figs, pb->nfigp, skip_a, skip_b, pb->nsent, figs);
        size_t keep = 0;
        for (size_t k = 0; k < nl; k++) {
            uint32_t x = L[k].sa, y = L[k].sb;
            size_t c = (size_t)x * pb->nsent + y;
            if (kept(names[c], pa->nnames[x], pb->nnames[y]) &&
                kept(figs[c], pa->nfigs[x], pb->nfigs[y]))
                L[keep++] = L[k];
        }
        nl = keep;
    }
    if (nl < 2) {
        e = RP_OK;
        goto out;
    }
    /* The word-anchored passages' ends are fixed points of the chains. */
    for (size_t k = 0; k < nhave; k++) {
        L[nl++] = (link){sentence_of(pa, have[k].as), sentence_of(pb, have[k].bs), 0, -1, 0, 0, 0};
        L[nl++] = (link){
            sentence_of(pa, have[k].ae - 1), sentence_of(pb, have[k].be - 1), 0, -1, 0, 0, 0};
    }
    qsort(L, nl, sizeof *L, link_cmp);

    uint32_t gap_a = pa->nsent > pb->nsent ? PARA_GAP_LONG : PARA_GAP;
    uint32_t gap_b = pb->nsent > pa->nsent ? PARA_GAP_LONG : PARA_GAP;
    res = rp_vbuf_get(sc, RP_VS_PRES, nl * sizeof *res);
    if (!res) goto out;
    /* Chains, best first: a quadratic sweep over few links, repeated while
     * a chain long enough is left. */
    for (unsigned chains = 0; chains < PARA_MAX_CHAINS; chains++) {
        int32_t best = -1;
        for (size_t k = 0; k < nl; k++) {
            link *m = &L[k];
            m->prev = -1;
            m->len = 0;
            m->score = 0;
            if (m->used) continue;
            m->len = 1;
            m->score = m->weight + 1;
            size_t stop = k > PARA_MAX_BACK ? k - PARA_MAX_BACK : 0;
            for (size_t q = k; q-- > stop;) {
                const link *p = &L[q];
                if (m->sa - p->sa > gap_a + 1) break;
                if (p->used || !p->len) continue;
                if (p->sb > m->sb || m->sb - p->sb > gap_b + 1) continue;
                if (p->sa == m->sa && p->sb == m->sb) continue;
                /* A sentence split in two, or two merged: neighbours only. */
                if (p->sa == m->sa && m->sb != p->sb + 1) continue;
                if (p->sb == m->sb && m->sa != p->sa + 1) continue;
                if (p->score + m->weight + 1 > m->score) {
                    m->score = p->score + m->weight + 1;
                    m->len = p->len + 1;
                    m->prev = (int32_t)q;
                }
            }
            if (best < 0 || m->score > L[best].score) best = (int32_t)k;
        }
        if (best < 0 || L[best].len < PARA_MIN_RUN) break;
        unsigned rewritten = 0;
        for (int32_t k = best; k >= 0; k = L[k].prev) {
            L[k].used = 1;
            rewritten += L[k].weight > 0;
        }
        if (rewritten < 2) continue; /* word-anchored passages around one sentence */
        for (int32_t k = best; k >= 0; k = L[k].prev) {
            const link *m = &L[k];
            if (!m->weight) continue;
            uint32_t as = pa->start[m->sa], ae = pa->start[m->sa + 1];
            uint32_t bs = pb->start[m->sb], be = pb->start[m->sb + 1];
            res[nres++] = (rp_span){as, ae, bs, be, rp_span_quoted(a, b, as, ae, bs, be), 1};
        }
    }
    *out = res;
    *nout = nres;
    e = RP_OK;
out:
    if (big) {
        free(shared);
        free(names);
        free(figs);
    }
    return e;
}
