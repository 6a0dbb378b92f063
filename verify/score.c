/*
 * score.c: compare two prepared articles and score the reuse.
 *
 * The reuse score is the share of the shorter article's own words that lie
 * in passages aligned with the other article:
 *
 *   own words   = words outside quotation marks and outside site chrome;
 *   shorter     = the article with fewer own words (on a tie, the better
 *                 covered one, then a fixed order of the two texts, so the
 *                 score does not depend on argument order);
 *   covered     = own words of the shorter inside passages that are not
 *                 quoted on both sides (each word of the other text backing
 *                 one of them: a line the shorter carries twice is copied
 *                 once), less those whose counterpart the
 *                 other text quotes (one outlet quotes a statement, the
 *                 other paraphrases it), and runs of QUOTED_OWN_RUN own
 *                 words inside passages that are quoted on both sides (a
 *                 lede before a long quotation is copied prose);
 *   score       = covered / own words of the shorter, or 0 when the
 *                 passages hold too little evidence (below).
 *
 * Words of page furniture (photo captions, "Posted at" stamps: see
 * furniture.c) count only where a passage covers them: captions that only
 * one page carries are not part of the story either copied or not, and
 * are left out of own words for the pair (and out of which is shorter).
 *
 * Measuring the shorter article makes a short copy lifted out of a long
 * original, or an original wrapped in a long page, score as what it is.
 * Discounting quotations keeps two reports of the same speech apart.
 * When the shorter article is almost all quotation (fewer than
 * QUOTE_FALLBACK_MIN own words, or under a fifth of its words) there is too
 * little own text to judge, and the score falls back to the share of all its
 * words inside any passage, quoted ones included.
 * A pair with fewer than MIN_COPIED_WORDS copied words scores 0.
 *
 * Jaccard and containments are exact, from the two word-shingle sets.
 * Direction is a guess from the text alone: the copy is the article whose
 * text is mostly found in the other while the other's is not.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"
#include "verify/verify.h"

#define QUOTE_FALLBACK_MIN 8
/* Fewer copied words than this is no evidence of copying, whatever share
 * of a tiny text they make: two 12-word dividend notices cast in one
 * template ("Qtly div 35 cts vs 35 cts prior / Pay March 31") share most
 * of their words. Identical texts are still joined as exact duplicates. */
#ifndef MIN_COPIED_WORDS
#define MIN_COPIED_WORDS 15
#endif
/* Independent reports of one event share its names, figures, quotations
 * and a paraphrased lede; a copy shares its original's prose. A pair whose
 * passages hold fewer than MIN_EVIDENCE_WORDS matched content words that
 * are not names or figures (a spun or translated copy keeps the others'
 * meaning word by word), and fewer than MIN_PROSE_WORDS words of copied
 * prose (runs of PROSE_RUN words found word for word, names and figures
 * not counted), scores 0. Chosen on the odd events of the real-page
 * development set (make eval-real; cluster F1 there 0.802 -> 0.820),
 * reported on the even ones. */
/* Words of scripts written without spaces (Chinese, Japanese, Thai) are
 * the one or two characters ICU's dictionaries cut, and Chinese reports of
 * one event reproduce its official one-sentence bulletin (the earthquake
 * network's measurement, a Xinhua caption, a funeral notice's item) without
 * quotation marks: 20 to 40 such words that are no sign that one report
 * copied the other. A pair whose shorter text is mostly of such words needs
 * this many copied words. Chosen on the odd events of the real Chinese pages
 * (make eval-real; pairs F1 there 0.70 -> 0.89, the floors 40 to 50 alike,
 * the lowest taken), reported on the even ones. */
#ifndef MIN_COPIED_WORDS_NOSPACE
#define MIN_COPIED_WORDS_NOSPACE 40
#endif
#ifndef MIN_EVIDENCE_WORDS
#define MIN_EVIDENCE_WORDS 12
#endif
#ifndef MIN_PROSE_WORDS
#define MIN_PROSE_WORDS 4
#endif
/* A pair that shares little text (fewer than SHORT_COPY_WORDS copied
 * words) must share it word for word: at least SHORT_COPY_EXACT of the
 * words of its passages outside quotation marks inside runs of the same
 * k words. Reports of one event that tell its one fact ("X has died at
 * home in Y ... the cause of death was ...") each in its own words align
 * loosely over the names, the figures and the verb; a copied alert or
 * brief is the wire's own words. Chosen on the odd events of both English
 * real-page sets (make eval-real), reported on the even ones. */
#ifndef SHORT_COPY_WORDS
#define SHORT_COPY_WORDS 25
#endif
#ifndef SHORT_COPY_EXACT
#define SHORT_COPY_EXACT 0.7
#endif
/* Shared facts or copying: a logistic model of five figures of a pair
 * that scores (the score, log(1 + copied words), log(1 + words of copied
 * prose), log(1 + matched content words) and the larger shingle
 * containment) gives the odds that the pair is one story; under the cut
 * the pair scores 0. Independent reports of one event that share a
 * sentence of facts, a quotation with its attribution or a biography line
 * score 0.25 to 0.5 on 15 to 40 copied words with little prose and little
 * shingle overlap; copies that score as much carry more of all five.
 * Fitted by scripts/fit-evidence (ridge penalty and cut chosen by 4-fold
 * cross-validation over events) on the odd events of the English, the
 * second English and the non-English real-page sets, on a build with
 * EVIDENCE_MODEL 0; reported on the even events. */
#ifndef EVIDENCE_MODEL
#define EVIDENCE_MODEL 1
#endif
#define EVIDENCE_INTERCEPT (-3.5296)
#define EVIDENCE_W_SCORE 1.8897
#define EVIDENCE_W_COPIED 0.1755
#define EVIDENCE_W_PROSE 0.3073
#define EVIDENCE_W_MATCHED 0.2477
#define EVIDENCE_W_CONTAINMENT 1.7774
#define EVIDENCE_CUT (-0.8473) /* logit of 0.3 */
#define DIRECTION_MARGIN 0.15  /* how much more contained the copy must be */

/* A passage marked quoted (mostly inside quotation marks on both sides) can
 * still carry a sentence of the article's own prose, such as the lede
 * before a long quotation; runs of at least this many words outside
 * quotation marks inside it count as copied. Shorter runs are attributions
 * ("he told reporters") that two reports of one statement share. */
#define QUOTED_OWN_RUN 8

static int is_furniture(const rp_doc *d, size_t i)
{
    return (d->toks.v[d->wtok[i]].flags & RP_TOK_FURNITURE) != 0;
}

/* Words of d covered by passages (quoted ones in full only if with_quoted,
 * else their own runs of QUOTED_OWN_RUN words; in other passages, words
 * whose counterpart in o is not quoted): own words into *own, all words
 * into *all; own words of page furniture that no passage covers, or that
 * a passage pairs with furniture of o, into *furn (may be NULL: then
 * furniture is not told apart). */
static rp_err cover(const rp_doc *d, const rp_doc *o, const rp_span *sp, size_t n, int side,
                    int with_quoted, size_t *own, size_t *all, size_t *furn)
{
    *own = *all = 0;
    if (furn) *furn = 0;
    if (d->nw == 0) return RP_OK;
    rp_vscratch *sc = rp_vscratch_get();
    uint8_t *cov = sc ? rp_vbuf_get(sc, RP_VS_COV, d->nw) : NULL;
    /* words of o that a word of d outside furniture stands against */
    uint8_t *claimed = sc && furn && o ? rp_vbuf_get(sc, RP_VS_COV_O, o->nw ? o->nw : 1) : NULL;
    if (!cov || (furn && o && !claimed)) return RP_NOMEM;
    memset(cov, 0, d->nw);
    if (claimed) memset(claimed, 0, o->nw);
    for (int pass = 0; pass < (claimed ? 2 : 1); pass++)
        for (size_t k = 0; k < n; k++) {
            uint32_t s = side ? sp[k].bs : sp[k].as, e = side ? sp[k].be : sp[k].ae;
            uint32_t os = side ? sp[k].as : sp[k].bs, oe = side ? sp[k].ae : sp[k].be;
            if (with_quoted) {
                memset(cov + s, 1, e - s);
            } else if (sp[k].quoted) {
                if (pass) continue;
                for (uint32_t i = s; i < e;) {
                    uint32_t j = i;
                    while (j < e && !d->wquoted[j])
                        j++;
                    if (j - i >= QUOTED_OWN_RUN) memset(cov + i, 1, j - i);
                    i = j + 1;
                }
            } else {
                /* A word whose counterpart the other text quotes belongs to
                 * a statement one of them quotes and the other
                 * paraphrases: not copied prose. The counterpart is the
                 * word at the same relative place in the other side of the
                 * passage. Words of furniture come second (pass 1): they
                 * count where they stand against story words of o that no
                 * story word of d already stands against (a caption that
                 * repeats the lede is not a second copy of it), and not at
                 * all against furniture of o (the caption of one photo that
                 * both pages ran). */
                for (uint32_t i = s; i < e; i++) {
                    uint32_t j = os + (uint32_t)((uint64_t)(i - s) * (oe - os) / (e - s));
                    int ok = !o || oe <= os || !o->wquoted[j];
                    if (!claimed) {
                        if (ok) cov[i] = 1;
                    } else if (pass == 0 && !is_furniture(d, i)) {
                        /* A word of o backs one word of d: a sentence that d
                         * carries twice (a blog's repeated line, a pull
                         * quote) against o's one is copied once. */
                        if (ok && claimed[j] != 1) cov[i] = 1, claimed[j] = 2;
                    } else if (pass == 1 && is_furniture(d, i) && cov[i] != 1) {
                        cov[i] = ok && !is_furniture(o, j) && !claimed[j] ? 1 : 2;
                    }
                }
                /* this passage's counterparts, claimed for the passages
                 * after it */
                if (claimed && pass == 0)
                    for (uint32_t j = os; j < oe; j++)
                        if (claimed[j] == 2) claimed[j] = 1;
            }
        }
    for (size_t i = 0; i < d->nw; i++) {
        *all += cov[i] == 1;
        *own += cov[i] == 1 && !d->wquoted[i];
        if (furn && cov[i] != 1 && !d->wquoted[i] && is_furniture(d, i)) (*furn)++;
    }
    return RP_OK;
}

static double ratio(size_t x, size_t y)
{
    return y ? (double)x / (double)y : 0.0;
}

/* Does x come before y in a fixed order of docs (by length, then text)? */
static int canonical_first(const rp_doc *x, const rp_doc *y)
{
    if (x->nw != y->nw) return x->nw < y->nw;
    if (x->len != y->len) return x->len < y->len;
    return memcmp(x->text, y->text, x->len) < 0;
}

static int span_cmp(const void *p, const void *q)
{
    const rp_span *x = p, *y = q;
    if (x->as != y->as) return x->as < y->as ? -1 : 1;
    return (x->bs > y->bs) - (x->bs < y->bs);
}

/* Copied prose: own words of d (side `side` of the spans) inside passages
 * that lie in runs of at least PROSE_RUN words found word for word
 * in o (a run of consecutive word k-shingles that o has too), counting
 * only own words that are neither names nor figures. Two reports of one
 * event share names, figures, quotations and stock phrases; copied prose
 * runs on through the words around them. */
#define PROSE_RUN 6

static int has_word_seed(const rp_doc *o, uint64_t h)
{
    size_t lo = 0, hi = o->nseeds;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->seeds[mid].hash < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < o->nseeds && o->seeds[lo].hash == h && o->seeds[lo].kind == RP_SEED_WORDS;
}

/* Copied prose of d (the side of the spans given by side): *out, the own
 * content words of runs of at least PROSE_RUN words found word for word in
 * o; *inside, the words of d's passages outside quotation marks, and
 * *exact, those of them inside a word k-shingle that o has. */
#define IN_SPAN 1
#define EXACT 2
static rp_err prose(const rp_doc *d, const rp_doc *o, const rp_span *sp, size_t n, int side,
                    size_t *out, size_t *inside, size_t *exact)
{
    *out = *inside = *exact = 0;
    size_t k = d->shingle_k;
    if (d->nw < k || n == 0) return RP_OK;
    rp_vscratch *sc = rp_vscratch_get();
    uint8_t *cov = sc ? rp_vbuf_get(sc, RP_VS_COV, d->nw) : NULL;
    if (!cov) return RP_NOMEM;
    memset(cov, 0, d->nw);
    for (size_t p = 0; p < n; p++) {
        uint32_t s = side ? sp[p].bs : sp[p].as, e = side ? sp[p].be : sp[p].ae;
        if (!sp[p].quoted)
            for (uint32_t i = s; i < e; i++)
                cov[i] |= IN_SPAN;
        for (uint32_t i = s; i + k <= e; i++)
            if (has_word_seed(o, rp_doc_word_shingle(d, i)))
                for (size_t j = i; j < i + k; j++)
                    cov[j] |= EXACT;
    }
    for (size_t i = 0; i < d->nw; i++)
        if ((cov[i] & IN_SPAN) && !d->wquoted[i]) {
            (*inside)++;
            *exact += (cov[i] & EXACT) != 0;
        }
    for (size_t i = 0; i < d->nw;) {
        if (!(cov[i] & EXACT)) {
            i++;
            continue;
        }
        size_t j = i, own = 0;
        while (j < d->nw && (cov[j] & EXACT)) {
            own += !d->wquoted[j] && !d->wname[j] && d->wstem[j];
            j++;
        }
        if (j - i >= PROSE_RUN) *out += own;
        i = j;
    }
    return RP_OK;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The distinct names and figures of s's own words, and how many of them o
 * has anywhere (o may mark no names at all, in title case: any word). */
static rp_err facts(const rp_doc *s, const rp_doc *o, size_t *n, size_t *kept)
{
    *n = *kept = 0;
    rp_vscratch *sc = rp_vscratch_get();
    if (!sc) return RP_NOMEM;
    size_t big = s->nw > o->nw ? s->nw : o->nw;
    uint64_t *a = rp_vbuf_get(sc, RP_VS_FACTS_A, (s->nw + 1) * sizeof *a),
             *b = rp_vbuf_get(sc, RP_VS_FACTS_B, (o->nw + 1) * sizeof *b),
             *tmp = rp_vbuf_get(sc, RP_VS_FACTS_TMP, (big + 1) * sizeof *tmp);
    if (!a || !b || !tmp) return RP_NOMEM;
    size_t na = 0, nb = 0;
    for (size_t i = 0; i < s->nw; i++)
        if (s->wname[i] && s->wstem[i] && !s->wquoted[i]) a[na++] = s->whash[i];
    for (size_t i = 0; i < o->nw; i++)
        if (o->wstem[i]) b[nb++] = o->whash[i];
    rp_vsort_u64(a, tmp, na);
    rp_vsort_u64(b, tmp, nb);
    for (size_t i = 0; i < na; i++) {
        if (i && a[i] == a[i - 1]) continue;
        (*n)++;
        *kept += bsearch(&a[i], b, nb, sizeof *b, cmp_u64) != NULL;
    }
    return RP_OK;
}

static int mostly_quotes(const rp_doc *d)
{
    return d->unquoted < QUOTE_FALLBACK_MIN || 5 * d->unquoted < d->nw;
}

rp_err rp_verify_pair(const rp_doc *a, const rp_doc *b, rp_match *out)
{
    if (!a || !b || !out) return RP_ARG;
    memset(out, 0, sizeof *out);
    rp_span *sp = NULL;
    size_t n = 0;

    size_t inter = rp_shingle_intersect(a->set, a->nset, b->set, b->nset);
    size_t uni = a->nset + b->nset - inter;
    out->jaccard = ratio(inter, uni);
    out->cont_a_in_b = ratio(inter, a->nset);
    out->cont_b_in_a = ratio(inter, b->nset);

    /* The sweep is not symmetric in its two texts: align in a canonical
     * order so that the result does not depend on the argument order. */
    int swap = canonical_first(b, a);
    rp_err e = swap ? rp_align(b, a, &sp, &n, &out->limits) : rp_align(a, b, &sp, &n, &out->limits);
    if (e != RP_OK) goto out;
    if (swap) {
        for (size_t k = 0; k < n; k++)
            sp[k] =
                (rp_span){sp[k].bs, sp[k].be, sp[k].as, sp[k].ae, sp[k].quoted, sp[k].rewritten};
        if (n) qsort(sp, n, sizeof *sp, span_cmp);
    }

    size_t own_a, all_a, own_b, all_b, furn_a, furn_b;
    if ((e = cover(a, b, sp, n, 0, 0, &own_a, &all_a, &furn_a)) != RP_OK) goto out;
    if ((e = cover(b, a, sp, n, 1, 0, &own_b, &all_b, &furn_b)) != RP_OK) goto out;
    size_t len_a = a->unquoted - furn_a, len_b = b->unquoted - furn_b; /* own words */
    out->coverage_a = ratio(own_a, len_a);
    out->coverage_b = ratio(own_b, len_b);

    int short_is_a = len_a < len_b;
    if (len_a == len_b) /* the better covered, else a fixed order */
        short_is_a = out->coverage_a != out->coverage_b ? out->coverage_a > out->coverage_b
                                                        : canonical_first(a, b);
    const rp_doc *s = short_is_a ? a : b;
    if (mostly_quotes(s)) {
        size_t own_s, all_s;
        if ((e = cover(s, NULL, sp, n, !short_is_a, 1, &own_s, &all_s, NULL)) != RP_OK) goto out;
        out->score = ratio(all_s, s->nw);
        out->words_copied = all_s;
    } else {
        out->score = short_is_a ? out->coverage_a : out->coverage_b;
        out->words_copied = short_is_a ? own_a : own_b;
    }
    const rp_doc *o = short_is_a ? b : a;
    size_t inside, exact;
    if ((e = prose(s, o, sp, n, !short_is_a, &out->prose_words, &inside, &exact)) != RP_OK)
        goto out;
    for (size_t k = 0; k < n; k++) {
        unsigned found, names;
        if (short_is_a)
            rp_span_evidence(a, b, sp[k].as, sp[k].ae, sp[k].bs, sp[k].be, 1, &found, &names);
        else
            rp_span_evidence(b, a, sp[k].bs, sp[k].be, sp[k].as, sp[k].ae, 1, &found, &names);
        out->evidence += found;
    }
    size_t min_copied = 2 * s->nospace > s->nw ? MIN_COPIED_WORDS_NOSPACE : MIN_COPIED_WORDS;
    if (out->words_copied < min_copied ||
        ((double)out->evidence < MIN_EVIDENCE_WORDS &&
         (double)out->prose_words < MIN_PROSE_WORDS) ||
        (out->words_copied < SHORT_COPY_WORDS && inside &&
         (double)exact < SHORT_COPY_EXACT * (double)inside))
        out->score = 0.0;
    if (EVIDENCE_MODEL && out->score > 0) {
        double cmax = out->cont_a_in_b > out->cont_b_in_a ? out->cont_a_in_b : out->cont_b_in_a;
        double z = EVIDENCE_INTERCEPT + EVIDENCE_W_SCORE * out->score +
                   EVIDENCE_W_COPIED * log1p((double)out->words_copied) +
                   EVIDENCE_W_PROSE * log1p((double)out->prose_words) +
                   EVIDENCE_W_MATCHED * log1p((double)out->evidence) +
                   EVIDENCE_W_CONTAINMENT * cmax;
        if (z < EVIDENCE_CUT) out->score = 0.0;
    }
    /* Facts only matter for a pair that is reuse (rp_match_template). */
    if (out->score > 0 && (e = facts(s, o, &out->facts, &out->facts_kept)) != RP_OK) goto out;
    if (out->score > 0 &&
        (e = rp_slots(s, o, sp, n, !short_is_a, &out->slots_same, &out->slots_changed)) != RP_OK)
        goto out;

    /* b copied a when b is mostly found in a and a is not mostly found in b. */
    double db = out->coverage_b - out->coverage_a, dc = out->cont_b_in_a - out->cont_a_in_b;
    if (out->score > 0) {
        if (db > DIRECTION_MARGIN || (db > -DIRECTION_MARGIN / 3 && dc > DIRECTION_MARGIN))
            out->direction = 1;
        else if (-db > DIRECTION_MARGIN || (-db > -DIRECTION_MARGIN / 3 && -dc > DIRECTION_MARGIN))
            out->direction = -1;
    }

    if (n) {
        out->passages = malloc(n * sizeof *out->passages);
        if (!out->passages) {
            e = RP_NOMEM;
            goto out;
        }
        for (size_t k = 0; k < n; k++) {
            const rp_span *p = &sp[k];
            out->passages[k] = (rp_passage){a->toks.v[a->wtok[p->as]].start,
                                            a->toks.v[a->wtok[p->ae - 1]].end,
                                            b->toks.v[b->wtok[p->bs]].start,
                                            b->toks.v[b->wtok[p->be - 1]].end,
                                            p->ae - p->as,
                                            p->be - p->bs,
                                            p->quoted,
                                            p->rewritten};
        }
        out->npassages = n;
    }
    e = RP_OK;
out:
    if (e != RP_OK) rp_match_clear(out); /* sp is the aligner's scratch */
    rp_vscratch_trim(rp_vscratch_get());
    return e;
}

int rp_match_template(const rp_match *m)
{
    if (!m) return 0;
    size_t slots = m->slots_same + m->slots_changed;
    if (m->score >= RP_TEMPLATE_FULL && slots >= RP_TEMPLATE_SLOTS &&
        (double)m->slots_changed >= RP_TEMPLATE_CHANGED * (double)slots)
        return 1;
    if (m->facts < 2) return 0;
    double kept = (double)m->facts_kept / (double)m->facts;
    if (kept >= RP_TEMPLATE_KEPT) return 0;
    return !(kept >= RP_TEMPLATE_KEPT_PROSE && m->prose_words >= RP_TEMPLATE_PROSE);
}

void rp_match_clear(rp_match *m)
{
    if (!m) return;
    free(m->passages);
    memset(m, 0, sizeof *m);
}
