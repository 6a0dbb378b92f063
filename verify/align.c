/*
 * align.c: find the passages two articles share, in order, despite edits.
 *
 * A copy keeps its original's sentences in order with words swapped here and
 * there; an independent story shares names, figures and quotations but not
 * the prose around them. So the aligner looks for runs of shared anchors
 * along a diagonal (a's word position minus b's stays nearly constant), not
 * for shared vocabulary.
 *
 * 1. Anchors: one merge-join of the two docs' sorted seed indexes gives every
 *    shared word shingle, stem pair and single content stem as a hit
 *    (a position, b position, lengths). Seeds frequent in either text
 *    (boilerplate, "the president") are skipped so that hits stay few.
 * 2. Chains: hits sorted by a position are swept once. Each hit joins the
 *    open chain it continues best (both gaps at most CHAIN_GAP words, the
 *    diagonal moved by at most CHAIN_DRIFT), or opens a chain. Gaps absorb
 *    substituted, inserted and deleted words; drift absorbs merged or split
 *    sentences. Reordered sentences simply make several chains, each on its
 *    own diagonal. Only chains touched in the last CHAIN_GAP words are open,
 *    so the sweep is linear in the number of hits for ordinary text.
 * 3. Passages: chains with at least two strong anchors and enough matched
 *    words are kept, grown outwards over exactly matching words, and marked
 *    quoted when most of their words are inside quotation marks on both
 *    sides. Shorter chains are shared names and phrases, not copying.
 * 4. In text without spaces (Chinese, Japanese) a passage must also hold a
 *    run of NOSPACE_RUN_CHARS characters copied exactly: there a word is a
 *    character or two, and independent reports align word by word on their
 *    shared names and stock clauses without sharing a sentence.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lang/lang.h"
#include "reprint.h"
#include "verify/verify.h"

#ifndef CHAIN_GAP
#define CHAIN_GAP 10 /* words skipped on either side between anchors */
#endif
#ifndef CHAIN_DRIFT
#define CHAIN_DRIFT 8 /* change of diagonal between anchors */
#endif
#ifndef WEAK_GAP
#define WEAK_GAP 6 /* the same for single-stem anchors */
#endif
#ifndef WEAK_DRIFT
#define WEAK_DRIFT 3
#endif
#define MAX_STRONG 8 /* occurrences per text beyond which a seed is skipped */
#define MAX_WEAK 3
#define MAX_OPEN 64 /* chains kept open at once */
#ifndef MIN_STRONG
#define MIN_STRONG 2 /* strong anchors per passage */
#endif
#ifndef MIN_WORDS
#define MIN_WORDS 8 /* words per passage, on each side */
#endif
#ifndef MIN_MATCHED
#define MIN_MATCHED 5 /* anchored words per passage, on a's side */
#endif
#ifndef MIN_EVIDENCE
#define MIN_EVIDENCE 3 /* matched content words per passage that are not names */
#endif
#ifndef NAMES_PER_EVIDENCE
#define NAMES_PER_EVIDENCE 2 /* names per matched content word at most */
#endif
#define EVIDENCE_WINDOW 12
#ifndef TEMPLATE_FIGURES
#define TEMPLATE_FIGURES 3 /* figures in a passage from which most must be kept */
#endif
#ifndef TEMPLATE_SLOTS
#define TEMPLATE_SLOTS 5 /* names and figures in a passage from which half must be kept */
#endif                   /* how far off the diagonal a match is looked for */
#ifndef NOSPACE_RUN_CHARS
#define NOSPACE_RUN_CHARS 12 /* copied run a passage of text without spaces needs */
#endif
#define RUN_WINDOW 16 /* how far off the passage's diagonal a run is looked for */
#ifndef MIN_DENSITY
#define MIN_DENSITY 0.5 /* anchored share of a passage's words, on a's side */
#endif

typedef struct hit {
    uint32_t a, b;
    uint16_t alen, blen;
    uint8_t kind;
} hit;

typedef struct chain {
    uint32_t as, ae, bs, be;            /* ends exclusive */
    uint32_t alast, blast;              /* the last hit joined */
    uint32_t sae, sbe;                  /* ends of the last strong hit's words */
    uint32_t strong, matched, smatched; /* matched: so far; smatched: up to sae */
} chain;

static int hit_cmp(const void *x, const void *y)
{
    const hit *p = x, *q = y;
    if (p->a != q->a) return p->a < q->a ? -1 : 1;
    if (p->b != q->b) return p->b < q->b ? -1 : 1;
    return (p->kind > q->kind) - (p->kind < q->kind);
}

static unsigned bits_for(size_t x)
{
    unsigned b = 0;
    while (x >> b)
        b++;
    return b;
}

/* Sort hits by (a, b, kind), which no two hits share (a seed of a kind
 * starts at a word at most once), so any sort gives the one order. A
 * least-significant-digit radix sort on the packed key, a byte per pass,
 * skipping bytes all keys share; qsort if the key does not fit 64 bits.
 * tmp holds n hits. */
static void sort_hits(hit *v, hit *tmp, size_t n, size_t na, size_t nb)
{
    unsigned bsh = 2, ash = 2 + bits_for(nb), nbits = ash + bits_for(na);
    if (n < 2) return;
    if (nbits > 64) {
        qsort(v, n, sizeof *v, hit_cmp);
        return;
    }
    int npass = (int)(nbits + 7) / 8;
#define HIT_KEY(h) (((uint64_t)(h).a << ash) | ((uint64_t)(h).b << bsh) | (h).kind)
    size_t cnt[8][256];
    memset(cnt, 0, (size_t)npass * sizeof cnt[0]);
    for (size_t i = 0; i < n; i++) {
        uint64_t key = HIT_KEY(v[i]);
        for (int d = 0; d < npass; d++)
            cnt[d][(key >> (8 * d)) & 255]++;
    }
    hit *src = v, *dst = tmp;
    for (int d = 0; d < npass; d++) {
        size_t *c = cnt[d];
        unsigned sh = 8 * (unsigned)d;
        if (c[(HIT_KEY(src[0]) >> sh) & 255] == n) continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t t = c[b];
            c[b] = sum;
            sum += t;
        }
        for (size_t i = 0; i < n; i++)
            dst[c[(HIT_KEY(src[i]) >> sh) & 255]++] = src[i];
        hit *t = src;
        src = dst;
        dst = t;
    }
#undef HIT_KEY
    if (src != v) memcpy(v, src, n * sizeof *v);
}

static int span_cmp(const void *x, const void *y)
{
    const rp_span *p = x, *q = y;
    if (p->as != q->as) return p->as < q->as ? -1 : 1;
    return (p->bs > q->bs) - (p->bs < q->bs);
}

/* A growing array in a slot of this thread's scratch: pairs after the
 * first few find it large enough and allocate nothing. */
typedef struct vec {
    void *v;
    size_t n, cap, size;
    rp_vscratch *sc;
    int slot;
} vec;

static void *vec_push(vec *x)
{
    if (x->n == x->cap) {
        size_t cap = x->cap ? x->cap * 2 : 64;
        void *v = rp_vbuf_get(x->sc, x->slot, cap * x->size);
        if (!v) return NULL;
        x->v = v;
        x->cap = x->sc->b[x->slot].cap / x->size;
    }
    return (char *)x->v + x->size * x->n++;
}

static vec vec_in(rp_vscratch *sc, int slot, size_t size)
{
    return (vec){
        .v = sc->b[slot].p, .cap = sc->b[slot].cap / size, .size = size, .sc = sc, .slot = slot};
}

/* Every shared seed occurrence pair, unsorted. */
static rp_err collect_hits(const rp_doc *a, const rp_doc *b, vec *hits)
{
    size_t i = 0, j = 0;
    while (i < a->nseeds && j < b->nseeds) {
        uint64_t h = a->seeds[i].hash, g = b->seeds[j].hash;
        if (h != g) {
            /* Most seeds are not shared and which side is behind is a coin
             * toss: advance without a branch to mispredict. */
            i += h < g;
            j += g < h;
            continue;
        }
        size_t i1 = i, j1 = j;
        while (i1 < a->nseeds && a->seeds[i1].hash == h)
            i1++;
        while (j1 < b->nseeds && b->seeds[j1].hash == h)
            j1++;
        size_t cap = a->seeds[i].kind == RP_SEED_STEM1 ? MAX_WEAK : MAX_STRONG;
        if (i1 - i <= cap && j1 - j <= cap) {
            for (size_t x = i; x < i1; x++)
                for (size_t y = j; y < j1; y++) {
                    hit *p = vec_push(hits);
                    if (!p) return RP_NOMEM;
                    *p = (hit){a->seeds[x].pos, b->seeds[y].pos, a->seeds[x].len, b->seeds[y].len,
                               a->seeds[x].kind};
                }
        }
        i = i1;
        j = j1;
    }
    return RP_OK;
}

static long ldiff(uint32_t x, uint32_t y)
{
    return (long)x - (long)y;
}

/* One sweep over hits sorted by a: grow chains. */
static rp_err chain_hits(const hit *h, size_t nh, vec *chains)
{
    size_t open[MAX_OPEN];
    size_t nopen = 0;
    for (size_t k = 0; k < nh; k++) {
        const hit *m = &h[k];
        int weak = m->kind == RP_SEED_STEM1;
        long gap_max = weak ? WEAK_GAP : CHAIN_GAP;
        long drift_max = weak ? WEAK_DRIFT : CHAIN_DRIFT;
        chain *cv = chains->v;
        long best_cost = -1;
        size_t best = 0;
        size_t keep = 0;
        for (size_t o = 0; o < nopen; o++) {
            chain *c = &cv[open[o]];
            if (ldiff(m->a, c->ae) > CHAIN_GAP) continue; /* closed for good */
            open[keep++] = open[o];
            if (m->a < c->alast || m->b < c->blast) continue;
            long ga = ldiff(m->a, c->ae), gb = ldiff(m->b, c->be);
            if (ga > gap_max || gb > gap_max) continue;
            long drift = ldiff(m->b, m->a) - ldiff(c->blast, c->alast);
            if (drift < 0) drift = -drift;
            if (drift > drift_max) continue;
            long cost = (ga > 0 ? ga : 0) + (gb > 0 ? gb : 0) + drift;
            if (best_cost < 0 || cost < best_cost) {
                best_cost = cost;
                best = open[o];
            }
        }
        nopen = keep;
        if (best_cost >= 0) {
            chain *c = &cv[best];
            uint32_t ae = m->a + m->alen, be = m->b + m->blen;
            if (ae > c->ae) {
                c->matched += ae - (m->a > c->ae ? m->a : c->ae);
                c->ae = ae;
            }
            if (be > c->be) c->be = be;
            c->alast = m->a;
            c->blast = m->b;
            if (!weak) {
                c->strong++;
                if (ae > c->sae) c->sae = ae;
                if (be > c->sbe) c->sbe = be;
                c->smatched = c->matched;
            }
            continue;
        }
        if (weak) continue; /* a lone shared word starts nothing */
        chain *c = vec_push(chains);
        if (!c) return RP_NOMEM;
        *c = (chain){m->a,           m->a + m->alen, m->b, m->b + m->blen, m->a,   m->b,
                     m->a + m->alen, m->b + m->blen, 1,    m->alen,        m->alen};
        if (nopen == MAX_OPEN) {
            memmove(open, open + 1, (MAX_OPEN - 1) * sizeof *open);
            nopen--;
        }
        open[nopen++] = chains->n - 1;
    }
    return RP_OK;
}

static int same_word(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    return a->whash[i] == b->whash[j] || (a->wstem[i] && a->wstem[i] == b->wstem[j]);
}

/* Matched words of a passage that show copying: content words (not
 * stopwords) that are not names or numbers, found in b's side near the
 * passage's diagonal. A passage needs MIN_EVIDENCE of them, and at least one
 * for every NAMES_PER_EVIDENCE names in it: the headline and lede of two
 * reports of one event share the names, the date and the event's noun
 * ("phone call") and little else. */
void rp_span_evidence(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                      uint32_t be, int own_only, unsigned *found_out, unsigned *names_out)
{
    unsigned found = 0, names = 0;
    double slope = (double)(be - bs) / (double)(ae - as);
    for (uint32_t i = as; i < ae; i++) {
        if (!a->wstem[i] || (own_only && a->wquoted[i])) continue;
        if (a->wname[i]) {
            names++;
            continue;
        }
        long c = (long)bs + (long)(slope * (double)(i - as));
        long lo = c - EVIDENCE_WINDOW, hi = c + EVIDENCE_WINDOW;
        if (lo < (long)bs) lo = bs;
        if (hi >= (long)be) hi = (long)be - 1;
        for (long j = lo; j <= hi; j++)
            if (a->wstem[i] == b->wstem[j] && !b->wname[j]) {
                found++;
                break;
            }
    }
    *found_out = found;
    *names_out = names;
}

static int enough_evidence(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                           uint32_t be)
{
    unsigned found, names;
    rp_span_evidence(a, b, as, ae, bs, be, 0, &found, &names);
    return found >= MIN_EVIDENCE && NAMES_PER_EVIDENCE * found >= names;
}

/* Misspelt names ("Monteral", "Ivury Coast") are the same name: an edit
 * distance (ASCII case-folded bytes) of at most a third of the length, and
 * at least 2 (a swap of two letters). Longer names than the table holds count as similar. */
#define NAME_MAX_BYTES 32
static int similar_names(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    const rp_token *x = &a->toks.v[a->wtok[i]], *y = &b->toks.v[b->wtok[j]];
    size_t n = x->end - x->start, m = y->end - y->start;
    if (n > NAME_MAX_BYTES || m > NAME_MAX_BYTES) return 1;
    const char *p = a->text + x->start, *q = b->text + y->start;
    unsigned row[NAME_MAX_BYTES + 1];
    for (size_t l = 0; l <= m; l++)
        row[l] = (unsigned)l;
    for (size_t k = 1; k <= n; k++) {
        unsigned diag = row[0];
        row[0] = (unsigned)k;
        for (size_t l = 1; l <= m; l++) {
            unsigned up = row[l];
            int same = (p[k - 1] | 0x20) == (q[l - 1] | 0x20);
            unsigned best = diag + !same;
            if (up + 1 < best) best = up + 1;
            if (row[l - 1] + 1 < best) best = row[l - 1] + 1;
            row[l] = best;
            diag = up;
        }
    }
    size_t allow = (n > m ? n : m) / 3;
    return row[m] <= (allow > 2 ? allow : 2);
}

/* Does the passage put different names in the same slot, "people in
 * Elmstead were" against "people in Dunmore were", more often than it
 * shares names? Two stories written from the same stock phrases do; a copy
 * keeps its original's names. Figures are judged on their own: a copy keeps
 * its figures, while two reports cast in one template ("Shr loss 24 cts vs
 * loss 41 cts", earnings tables) differ in nearly every figure, and their
 * capitalised labels would otherwise count as shared names. */
/* The value a figure token starts with ("28.3bn" 28.3, "94,000" 94000). */
static double figure_value(const rp_doc *d, size_t i)
{
    const rp_token *t = &d->toks.v[d->wtok[i]];
    double v = 0, scale = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        char c = d->text[k];
        if (c >= '0' && c <= '9') {
            if (scale > 0) {
                scale /= 10;
                v += (c - '0') * scale;
            } else {
                v = v * 10 + (c - '0');
            }
        } else if (c == '.' && scale == 0 && k + 1 < t->end && d->text[k + 1] >= '0' &&
                   d->text[k + 1] <= '9') {
            scale = 1;
        } else if (c != ',') {
            break;
        }
    }
    return v;
}

/* Is one figure the other rounded or cut to fewer significant digits
 * ("$28.3bn" against "$28bn", "94,000" against "more than 90,000")? A copy
 * does that; a template filled anew for another week or company
 * ("49.92 billion" against "45.56 billion") does not. */
static int rounded_figure(double f, double r)
{
    static const double p10[] = {1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1,   1e1,  1e2,
                                 1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9, 1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    const int np = (int)(sizeof p10 / sizeof *p10);
    if (f == r) return 1;
    /* rounding to one significant digit or more moves a figure by under
     * half of itself: most pairs of different figures stop here */
    if (!(f > 0 && r > 0) || r > 1.5 * f || r < 0.4 * f || f >= 1e18) return 0;
    int e = 0;
    while (e + 1 < np && p10[e + 1] <= f)
        e++;
    for (int sd = 1; sd <= 6 && e - sd + 1 >= 0; sd++) {
        double unit = p10[e - sd + 1];
        double down = floor(f / unit) * unit, near = floor(f / unit + 0.5) * unit;
        double tol = 1e-9 * f;
        if (fabs(down - r) <= tol || fabs(near - r) <= tol) return 1;
    }
    return 0;
}

/* A figure written with a hyphen ("5-1/8", "1-3") is a fraction, a score
 * or a range: only the same token is the same figure. */
static int compound_figure(const rp_doc *d, size_t i)
{
    const rp_token *t = &d->toks.v[d->wtok[i]];
    return memchr(d->text + t->start, '-', t->end - t->start) != NULL;
}

/* The denominator of a fraction ("8" in "5-1/8") belongs to the figure
 * before it, which is judged as a whole. */
static int fraction_tail(const rp_doc *d, size_t i)
{
    size_t at = d->toks.v[d->wtok[i]].start;
    return at >= 2 && d->text[at - 1] == '/' && d->text[at - 2] >= '0' && d->text[at - 2] <= '9';
}

/* "1-1/4" and "1-1/8" are different figures though their first tokens
 * agree: a figure followed by a fraction's denominator is the same figure
 * only with the same denominator. */
static int same_fraction(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    int ta = i + 1 < a->nw && fraction_tail(a, i + 1),
        tb = j + 1 < b->nw && fraction_tail(b, j + 1);
    if (ta != tb) return 0;
    return !ta || a->whash[i + 1] == b->whash[j + 1];
}

/* A clock time ("19:16", either of its two tokens) or a date written with
 * dots or slashes ("08.01.2024", "8/1/24"): when a page was published or
 * updated, which a copy restamps, not a figure of the story that a
 * template would change. */
static int timestamp(const rp_doc *d, size_t i)
{
    const rp_token *t = &d->toks.v[d->wtok[i]];
    const char *s = d->text;
    if (t->start >= 2 && s[t->start - 1] == ':' && s[t->start - 2] >= '0' && s[t->start - 2] <= '9')
        return 1;
    if (t->end + 1 < d->len && s[t->end] == ':' && s[t->end + 1] >= '0' && s[t->end + 1] <= '9')
        return 1;
    unsigned seps = 0, run = 0, ok = 1;
    for (uint32_t k = t->start; k < t->end && ok; k++) {
        char c = s[k];
        if (c >= '0' && c <= '9') {
            run++;
        } else if ((c == '.' || c == '/') && run >= 1 && run <= 2 && seps < 2) {
            seps++, run = 0;
        } else {
            ok = 0;
        }
    }
    if (ok && seps == 2 && (run == 2 || run == 4)) return 1;
    /* Where the decimal mark is a comma and "." groups digits by three,
     * "18.50" is neither a decimal nor a grouped number: it is the time
     * of day ("um 18.50 Uhr", "a las 18.50"). */
    if (!(rp_lang_flags(d->lang) & RP_LANGF_DEC_COMMA) || t->end - t->start > 5) return 0;
    const char *p = s + t->start, *dot = memchr(p, '.', t->end - t->start);
    if (!dot || s + t->end - dot != 3 || dot == p) return 0;
    int hh = 0;
    for (const char *q = p; q < dot; q++) {
        if (*q < '0' || *q > '9') return 0;
        hh = hh * 10 + (*q - '0');
    }
    return hh <= 23 && dot[1] >= '0' && dot[1] <= '5' && dot[2] >= '0' && dot[2] <= '9';
}

static int is_year(double v)
{
    return v >= 1900 && v < 2100 && v == floor(v);
}

static int close_figures(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    if (compound_figure(a, i) || compound_figure(b, j)) return 0;
    double x = figure_value(a, i), y = figure_value(b, j);
    if (is_year(x) || is_year(y)) return 0; /* 1991 is not 1990 rounded */
    return rounded_figure(x, y) || rounded_figure(y, x);
}

/* What verify/slots.c shares of the figure and name tests above. */
int rp_figure_timestamp(const rp_doc *d, size_t i)
{
    return timestamp(d, i);
}

double rp_figure_value(const rp_doc *d, size_t i)
{
    return figure_value(d, i);
}

int rp_figures_close(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    return close_figures(a, i, b, j);
}

int rp_names_similar(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    return similar_names(a, i, b, j);
}

static int names_conflict(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                          uint32_t be)
{
    unsigned same = 0, differ = 0, nsame = 0, ndiffer = 0, nfig = 0, nlost = 0;
    double slope = (double)(be - bs) / (double)(ae - as);
    for (uint32_t i = as; i < ae; i++) {
        if (!a->wname[i] || !a->wstem[i]) continue;
        int figure = rp_word_figure(a, i);
        if (figure && (fraction_tail(a, i) || timestamp(a, i))) continue;
        long c = (long)bs + (long)(slope * (double)(i - as));
        long lo = c - EVIDENCE_WINDOW, hi = c + EVIDENCE_WINDOW;
        if (lo < (long)bs) lo = bs;
        if (hi >= (long)be) hi = (long)be - 1;
        int found = 0, other = 0;
        for (long j = lo; j <= hi && !found; j++)
            found = a->whash[i] == b->whash[j] && (!figure || same_fraction(a, i, b, (size_t)j));
        for (long j = lo; j <= hi && !found; j++) {
            if (figure && rp_word_figure(b, (size_t)j) && close_figures(a, i, b, (size_t)j)) {
                found = 1;
            } else if (figure && rp_word_figure(b, (size_t)j) &&
                       ((i > as && j > (long)bs && a->whash[i - 1] == b->whash[j - 1]) ||
                        (i + 1 < ae && j + 1 < (long)be && a->whash[i + 1] == b->whash[j + 1]))) {
                other = 1; /* "rose 0.5 pct" against "rose 0.2 pct": one side is enough */
            } else if (b->wname[j] && b->wstem[j] && i > as && i + 1 < ae && j > (long)bs &&
                       j + 1 < (long)be && a->whash[i - 1] == b->whash[j - 1] &&
                       a->whash[i + 1] == b->whash[j + 1] &&
                       (figure || !similar_names(a, i, b, (size_t)j))) {
                other = 1;
            }
        }
        nfig += figure;
        if (!found && !figure)
            for (long j = lo; j <= hi && !found; j++)
                found = b->wname[j] && b->wstem[j] && !rp_word_figure(b, (size_t)j) &&
                        similar_names(a, i, b, (size_t)j);
        if (found)
            figure ? nsame++ : same++;
        else if (other)
            figure ? ndiffer++ : differ++;
        else if (!figure)
            nlost++;
    }
    unsigned kept = same + nsame, slots = same + nsame + nlost + (nfig - nsame);
    if (slots >= TEMPLATE_SLOTS && 2 * kept <= slots) return 1;
    /* A template filled anew (issue terms, earnings, weekly figures) keeps
     * its phrasing and changes its figures; a copy keeps most of them. */
    return (differ > 0 && 2 * differ >= same) || (ndiffer > 0 && nsame == 0) ||
           (ndiffer >= 2 && ndiffer >= nsame) || (nfig >= TEMPLATE_FIGURES && 2 * nsame < nfig);
}

static int mostly_quoted(const rp_doc *d, uint32_t s, uint32_t e)
{
    size_t q = 0;
    for (uint32_t i = s; i < e; i++)
        q += d->wquoted[i];
    return 2 * q > (size_t)(e - s);
}

int rp_span_quoted(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                   uint32_t be)
{
    return mostly_quoted(a, as, ae) && mostly_quoted(b, bs, be);
}

/* Characters (code points) of word i of d. */
static unsigned word_chars(const rp_doc *d, size_t i)
{
    const rp_token *t = &d->toks.v[d->wtok[i]];
    unsigned n = 0;
    for (uint32_t k = t->start; k < t->end; k++)
        n += ((unsigned char)d->text[k] & 0xC0) != 0x80;
    return n;
}

/* Do the bytes between words i - 1 and i of a and j - 1 and j of b agree,
 * spaces and line ends aside ("状態で心肺" is not "状態で、心肺")? */
static int same_gap(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    const rp_token *x = &a->toks.v[a->wtok[i]], *y = &b->toks.v[b->wtok[j]];
    uint32_t p = a->toks.v[a->wtok[i - 1]].end, q = b->toks.v[b->wtok[j - 1]].end;
    for (;;) {
        while (p < x->start && (a->text[p] == ' ' || a->text[p] == '\n' || a->text[p] == '\r'))
            p++;
        while (q < y->start && (b->text[q] == ' ' || b->text[q] == '\n' || b->text[q] == '\r'))
            q++;
        if (p == x->start || q == y->start) return p == x->start && q == y->start;
        if (a->text[p] != b->text[q]) return 0;
        p++, q++;
    }
}

/* Is the passage in text without spaces (most of its words on a's side
 * RP_TOK_CJK)? */
static int nospace_span(const rp_doc *a, uint32_t as, uint32_t ae)
{
    size_t cjk = 0;
    for (uint32_t i = as; i < ae; i++)
        cjk += (a->toks.v[a->wtok[i]].flags & RP_TOK_CJK) != 0;
    return 2 * cjk > (size_t)(ae - as);
}

/* The longest run of a[as, ae) copied into b[bs, be) near the passage's
 * diagonal (RUN_WINDOW): consecutive words, the same on both sides with the
 * same punctuation between them, within one sentence of a. Measured in
 * characters of a that are not names or figures (names continue a run but
 * add nothing: shared names are facts of the event), counting up to
 * `enough`, which ends the search. A dynamic programme over a band of the
 * diagonal in two rows of 2 * RUN_WINDOW + 1 cells on the stack: time
 * linear in the passage, no memory. */
static unsigned copied_run(const rp_doc *a, const rp_doc *b, uint32_t as, uint32_t ae, uint32_t bs,
                           uint32_t be, unsigned enough)
{
    enum { W = 2 * RUN_WINDOW + 1 };
    unsigned prev[W], cur[W], best = 0;
    long plo = 0;
    if (ae <= as) return 0;
    double slope = (double)(be - bs) / (double)(ae - as);
    memset(prev, 0, sizeof prev);
    for (uint32_t i = as; i < ae; i++) {
        long c = (long)bs + (long)(slope * (double)(i - as));
        long lo = c - RUN_WINDOW;
        unsigned ch = 0;
        for (int x = 0; x < W; x++) {
            long j = lo + x;
            cur[x] = 0;
            if (j < (long)bs || j >= (long)be || a->whash[i] != b->whash[j]) continue;
            if (!ch) ch = a->wname[i] ? 0 : word_chars(a, i);
            long p = j - 1 - plo;
            /* a run ends with its sentence; names continue it but add nothing */
            int cont = i > as && !a->wsent[i] && p >= 0 && p < W && prev[p] &&
                       same_gap(a, i, b, (size_t)j);
            /* cells hold 1 + the run's characters: 0 is no match */
            cur[x] = 1 + ch + (cont ? prev[p] - 1 : 0);
            if (cur[x] - 1 > best) best = cur[x] - 1;
        }
        if (best >= enough) break;
        memcpy(prev, cur, sizeof prev);
        plo = lo;
    }
    return best;
}

/* A passage of text without spaces that shares no run of NOSPACE_RUN_CHARS
 * characters with the other text: in Chinese and Japanese every word is a
 * character or two, so two independent reports of one event align on
 * their shared names, dates and stock clauses ("...时...分在...发生...级地震",
 * "老衰のため...の病院で死去した") word after word, broken every few
 * characters; a copy shares whole sentences. */
static int nospace_paraphrase(const rp_doc *a, const rp_doc *b, const rp_span *s)
{
    if (!nospace_span(a, s->as, s->ae)) return 0;
    return copied_run(a, b, s->as, s->ae, s->bs, s->be, NOSPACE_RUN_CHARS) < NOSPACE_RUN_CHARS;
}

/* One passage per copied region: passages sorted by as that overlap on
 * both sides (two chains over one stretch of copied text, or a sentence
 * match inside a word-anchored passage) become their hull, when they are of
 * one kind (quoted or not, rewritten or not); the words they cover are the
 * same, so the score is too. Returns the new count. */
static size_t merge_overlaps(rp_span *v, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w) {
            rp_span *p = &v[w - 1];
            const rp_span *q = &v[i];
            if (q->as < p->ae && q->bs < p->be && q->be > p->bs && q->quoted == p->quoted &&
                q->rewritten == p->rewritten) {
                if (q->ae > p->ae) p->ae = q->ae;
                if (q->bs < p->bs) p->bs = q->bs;
                if (q->be > p->be) p->be = q->be;
                continue;
            }
        }
        v[w++] = v[i];
    }
    return w;
}

rp_err rp_align(const rp_doc *a, const rp_doc *b, rp_span **out, size_t *n, unsigned *limits)
{
    *out = NULL;
    *n = 0;
    *limits = 0;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    vec hits = vec_in(sc, RP_VS_HITS, sizeof(hit));
    vec chains = vec_in(sc, RP_VS_CHAINS, sizeof(chain));
    vec spans = vec_in(sc, RP_VS_SPANS, sizeof(rp_span));
    rp_err e = collect_hits(a, b, &hits);
    if (e != RP_OK) goto out;
    if (hits.n > 1) {
        hit *tmp = rp_vbuf_get(sc, RP_VS_HITTMP, hits.n * sizeof *tmp);
        if (!tmp) {
            e = RP_NOMEM;
            goto out;
        }
        sort_hits(hits.v, tmp, hits.n, a->nw, b->nw);
    }
    if ((e = chain_hits(hits.v, hits.n, &chains)) != RP_OK) goto out;

    e = RP_NOMEM;
    const chain *cv = chains.v;
    for (size_t k = 0; k < chains.n; k++) {
        chain c = cv[k];
        /* Weak hits after the last strong one are not trusted to end a passage. */
        c.ae = c.sae;
        c.be = c.sbe;
        c.matched = c.smatched;
        if (c.strong < MIN_STRONG || c.matched < MIN_MATCHED) continue;
        if (c.matched < MIN_DENSITY * (c.ae - c.as)) continue;
        while (c.as > 0 && c.bs > 0 && same_word(a, c.as - 1, b, c.bs - 1))
            c.as--, c.bs--;
        while (c.ae < a->nw && c.be < b->nw && same_word(a, c.ae, b, c.be))
            c.ae++, c.be++;
        if (c.ae - c.as < MIN_WORDS || c.be - c.bs < MIN_WORDS) continue;
        if (!enough_evidence(a, b, c.as, c.ae, c.bs, c.be)) continue;
        if (names_conflict(a, b, c.as, c.ae, c.bs, c.be)) continue;
        rp_span *s = vec_push(&spans);
        if (!s) goto out;
        *s = (rp_span){c.as, c.ae, c.bs, c.be, rp_span_quoted(a, b, c.as, c.ae, c.bs, c.be), 0};
    }
#ifndef RP_NO_PARA
    rp_span *para = NULL;
    size_t npara = 0;
    if ((e = rp_para_align(a, b, spans.v, spans.n, &para, &npara, limits)) != RP_OK) goto out;
    e = RP_NOMEM;
    for (size_t k = 0; k < npara; k++) {
        rp_span *s = vec_push(&spans);
        if (!s) goto out;
        *s = para[k];
    }
#endif
    if (spans.n) qsort(spans.v, spans.n, sizeof(rp_span), span_cmp);
    spans.n = merge_overlaps(spans.v, spans.n);
    {
        rp_span *v = spans.v;
        size_t w = 0;
        for (size_t k = 0; k < spans.n; k++)
            if (!nospace_paraphrase(a, b, &v[k])) v[w++] = v[k];
        spans.n = w;
    }
    *out = spans.n ? spans.v : NULL;
    *n = spans.n;
    e = RP_OK;
out:
    return e;
}
