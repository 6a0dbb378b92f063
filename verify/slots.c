/*
 * slots.c: the fact slots of a pair, and what each holds on either side.
 *
 * A template is a text with slots for facts ("<issuer> is issuing a
 * <amount> eurobond due <year> paying <coupon> pct"): one desk fills it
 * again for every issue, results table or month. Two fillings share their
 * words and differ in the facts, so their passages cover nearly all of
 * both texts. A copy shares its words too, and keeps the facts.
 *
 * A slot is a run of names and figures of the shorter text's own words
 * (not quoted, not a clock time or a dotted date, which a copy restamps)
 * that stands in the copied text: it, or a word beside it, lies in a
 * passage. Its counterpart is a run of names and figures of the other text,
 * near where the passage puts it (SLOT_WINDOW words of the diagonal),
 * between the same two words (the start and the end of a text count as
 * words). The slot holds the same value when the two runs agree word for
 * word (a misspelt or abbreviated name, or a figure the other side rounds
 * to fewer digits, still agrees; so does a shorter run that the longer one
 * contains), else another value. A slot whose counterpart holds another
 * value still holds its own when that value stands next to one of its two
 * words close by and no other slot took it (a copy that drops or adds a
 * line of a table shifts the words after it). A run without a counterpart
 * is no slot: the texts differ there in more than a fact.
 *
 * Two passes over the shorter text's words, with the position each maps to
 * in the other text from the passages, and a bounded look around it; the
 * working arrays are one scratch slot.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "verify/verify.h"

#define SLOT_WINDOW 12 /* words either side of the diagonal, as align.c's evidence */
#define NO_POS UINT32_MAX

static int fact(const rp_doc *d, size_t i)
{
    return d->wname[i] && d->wstem[i] && !rp_figure_timestamp(d, i);
}

/* Significant digits of a figure token: leading zeros never count, an
 * integer's trailing zeros do not either ("90,000" is "9" to that many
 * places), a decimal's do ("6.10" is written to two decimals). */
static unsigned sig_digits(const rp_doc *d, size_t i)
{
    const rp_token *t = &d->toks.v[d->wtok[i]];
    unsigned n = 0, zeros = 0, point = 0;
    for (uint32_t k = t->start; k < t->end; k++) {
        char c = d->text[k];
        if (c == '.' && k + 1 < t->end && d->text[k + 1] >= '0' && d->text[k + 1] <= '9') {
            point = 1;
            n += zeros, zeros = 0;
        } else if (c == '0') {
            if (n) zeros++;
        } else if (c >= '1' && c <= '9') {
            n += zeros + 1, zeros = 0;
        } else if (c != ',') {
            break;
        }
    }
    return point ? n + zeros : n;
}

/* The word before the run starting at i (after = 0), or the word at i
 * after the run ending there (after = 1); the text's start and end are
 * contexts too, the same in both texts. */
#define EDGE UINT64_C(0x9e3779b97f4a7c15)
static uint64_t context(const rp_doc *d, size_t i, int after)
{
    if (after) return i < d->nw ? d->whash[i] : EDGE;
    return i > 0 ? d->whash[i - 1] : EDGE;
}

/* Is one name the other cut short ("Mass." for "Massachusetts", "Corp"
 * for "Corporation"): at least ABBREV_MIN bytes, ASCII case folded? */
#define ABBREV_MIN 3
static int abbreviation(const rp_doc *a, size_t i, const rp_doc *b, size_t j)
{
    const rp_token *x = &a->toks.v[a->wtok[i]], *y = &b->toks.v[b->wtok[j]];
    size_t n = x->end - x->start, m = y->end - y->start, k = n < m ? n : m;
    if (k < ABBREV_MIN || n == m) return 0;
    for (size_t l = 0; l < k; l++)
        if ((a->text[x->start + l] | 0x20) != (b->text[y->start + l] | 0x20)) return 0;
    return 1;
}

#define ROUND_SHIFT 0.1 /* how far rounding may move a figure, of its value */

/* Word i of s and word j of o hold the same fact. */
static int same_word(const rp_doc *s, size_t i, const rp_doc *o, size_t j)
{
    if (s->whash[i] == o->whash[j]) return 1;
    int fs = rp_word_figure(s, i), fo = rp_word_figure(o, j);
    if (fs != fo) return 0;
    if (!fs) return rp_names_similar(s, i, o, j) || abbreviation(s, i, o, j);
    /* one side rounds the other: it has fewer digits, and moves it by
     * little (150 rounded to one digit is 200, but not in a copy) */
    if (sig_digits(s, i) == sig_digits(o, j) || !rp_figures_close(s, i, o, j)) return 0;
    double x = rp_figure_value(s, i), y = rp_figure_value(o, j);
    return fabs(x - y) <= ROUND_SHIFT * (x > y ? x : y);
}

/* Do runs s[i0, i1) and o[j0, j1) hold the same value? */
static int same_run(const rp_doc *s, size_t i0, size_t i1, const rp_doc *o, size_t j0, size_t j1)
{
    if (i1 - i0 == j1 - j0) {
        for (size_t k = 0; k < i1 - i0; k++)
            if (!same_word(s, i0 + k, o, j0 + k)) return 0;
        return 1;
    }
    /* "March 3 1987" against "March 3": every word of the shorter run in
     * the longer one */
    int s_short = i1 - i0 < j1 - j0;
    size_t a0 = s_short ? i0 : j0, a1 = s_short ? i1 : j1, b0 = s_short ? j0 : i0,
           b1 = s_short ? j1 : i1;
    const rp_doc *x = s_short ? s : o, *y = s_short ? o : s;
    for (size_t k = a0; k < a1; k++) {
        int found = 0;
        for (size_t l = b0; l < b1 && !found; l++)
            found = x->whash[k] == y->whash[l];
        if (!found) return 0;
    }
    return 1;
}

/* The run of facts that starts at i (i itself a fact): its end. */
static size_t run_end(const rp_doc *d, size_t i)
{
    while (i < d->nw && fact(d, i))
        i++;
    return i;
}

/* Look for the counterpart of s's run [i0, i1) in o, SLOT_WINDOW words
 * around c. pass 0: a run of o between the same two words: the same value
 * (claimed, *state = SAME) or another (*state = CHANGED). pass 1: an
 * unclaimed run of o with the same value next to one of the two words
 * (*state = SAME). */
enum { NONE = 0, SAME = 1, CHANGED = 2 };
static void counterpart(const rp_doc *s, size_t i0, size_t i1, const rp_doc *o, long c,
                        uint8_t *claimed, int pass, uint8_t *state)
{
    uint64_t left = context(s, i0, 0), right = context(s, i1, 1);
    long lo = c - SLOT_WINDOW, hi = c + SLOT_WINDOW;
    if (lo < 0) lo = 0;
    if (hi >= (long)o->nw) hi = (long)o->nw - 1;
    for (long j = lo; j <= hi; j++) {
        if (!fact(o, (size_t)j) || (j > 0 && fact(o, (size_t)j - 1)) || claimed[j]) continue;
        size_t j1 = run_end(o, (size_t)j);
        int l = context(o, (size_t)j, 0) == left, r = context(o, j1, 1) == right;
        if (pass == 0 ? !(l && r) : !(l || r)) continue;
        if (same_run(s, i0, i1, o, (size_t)j, j1)) {
            claimed[j] = 1;
            *state = SAME;
            return;
        }
        if (pass == 0) *state = CHANGED;
    }
}

rp_err rp_slots(const rp_doc *s, const rp_doc *o, const rp_span *sp, size_t n, int side,
                size_t *same, size_t *changed)
{
    *same = *changed = 0;
    if (s->nw == 0 || o->nw == 0 || n == 0) return RP_OK;
    rp_vscratch *sc = rp_vscratch_get();
    /* map: s's word -> o's word on the passage diagonal (NO_POS outside
     * passages); state: each run's, at its first word; claimed: runs of o
     * taken as the counterpart of one with the same value */
    size_t bytes = s->nw * sizeof(uint32_t) + s->nw + o->nw;
    uint32_t *map = sc ? rp_vbuf_get(sc, RP_VS_SLOTS, bytes) : NULL;
    if (!map) return RP_NOMEM;
    uint8_t *state = (uint8_t *)(map + s->nw), *claimed = state + s->nw;
    memset(state, NONE, s->nw);
    memset(claimed, 0, o->nw);
    for (size_t i = 0; i < s->nw; i++)
        map[i] = NO_POS;
    for (size_t k = 0; k < n; k++) {
        uint32_t ss = side ? sp[k].bs : sp[k].as, se = side ? sp[k].be : sp[k].ae;
        uint32_t os = side ? sp[k].as : sp[k].bs, oe = side ? sp[k].ae : sp[k].be;
        for (uint32_t i = ss; i < se; i++)
            map[i] = os + (uint32_t)((uint64_t)(i - ss) * (oe - os) / (se - ss));
    }
    /* Pass 0 pairs the runs that stand between the same two words in both
     * texts; pass 1 lets a run that found only another value there keep
     * its own value found beside one of its words (a line added or
     * dropped next to it: "vs 179,839 Avg shrs" against "vs 179,839 Six
     * mths"), if no run of its own slot has claimed that one. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t i0 = 0; i0 < s->nw;) {
            if (!fact(s, i0) || (i0 > 0 && fact(s, i0 - 1))) {
                i0++;
                continue;
            }
            size_t i1 = i0;
            int quoted = 0;
            while (i1 < s->nw && fact(s, i1))
                quoted |= s->wquoted[i1++];
            /* where the run stands in o: after the word before it, or
             * before the word after it, or where its first word is */
            long c = -1;
            if (i0 > 0 && map[i0 - 1] != NO_POS)
                c = (long)map[i0 - 1] + 1;
            else if (i1 < s->nw && map[i1] != NO_POS)
                c = (long)map[i1] - (long)(i1 - i0);
            else if (map[i0] != NO_POS)
                c = (long)map[i0];
            /* c < 0: not in the copied text */
            if (!quoted && c >= 0 && (pass == 0 || state[i0] == CHANGED))
                counterpart(s, i0, i1, o, c, claimed, pass, &state[i0]);
            i0 = i1;
        }
    for (size_t i = 0; i < s->nw; i++) {
        *same += state[i] == SAME;
        *changed += state[i] == CHANGED;
    }
    return RP_OK;
}
