/*
 * lsh.c: choosing LSH bands and rows, candidate probability, band hashes.
 *
 * With b bands of r rows, a pair of Jaccard similarity s shares at least one
 * band with probability P(s) = 1 - (1 - s^r)^b, an S-curve whose steep part
 * sits near (1/b)^(1/r). rp_lsh_choose tries every (b, r) with b r <= k and
 * keeps the one minimising the weighted false-positive area below the
 * threshold plus the false-negative area above it, both integrated by
 * Simpson's rule on 200 steps. Ties go to the first found (fewest bands),
 * so the choice is deterministic.
 *
 * A band hash is XXH3-64 of the band's r slot values (little-endian bytes)
 * seeded with the band index, so equal values in different bands give
 * different hashes and all bands of all families can share one table.
 */
#include <math.h>

#include <xxhash.h>

#include "reprint.h"

#define STEPS 200 /* even, for Simpson's rule */

static double prob(unsigned b, unsigned r, double s)
{
    return 1.0 - pow(1.0 - pow(s, (double)r), (double)b);
}

/* Simpson integral of P (want_p) or 1 - P over [lo, hi]. */
static double area(unsigned b, unsigned r, double lo, double hi, int want_p)
{
    double h = (hi - lo) / STEPS, sum = 0.0;
    for (int i = 0; i <= STEPS; i++) {
        double p = prob(b, r, lo + h * i);
        double f = want_p ? p : 1.0 - p;
        double w = (i == 0 || i == STEPS) ? 1.0 : (i % 2 ? 4.0 : 2.0);
        sum += w * f;
    }
    return sum * h / 3.0;
}

rp_err rp_lsh_choose(double threshold, size_t k, double fp_weight, double fn_weight, rp_lsh *out)
{
    if (!out || k == 0 || k > 65536 || !(threshold > 0.0 && threshold < 1.0) ||
        !(fp_weight >= 0.0) || !(fn_weight >= 0.0) || fp_weight + fn_weight <= 0.0)
        return RP_ARG;
    double best = INFINITY;
    unsigned bb = 1, br = 1;
    for (unsigned b = 1; b <= k; b++) {
        for (unsigned r = 1; (size_t)b * r <= k; r++) {
            double cost = fp_weight * area(b, r, 0.0, threshold, 1) +
                          fn_weight * area(b, r, threshold, 1.0, 0);
            if (cost < best) {
                best = cost;
                bb = b;
                br = r;
            }
        }
    }
    out->bands = bb;
    out->rows = br;
    out->threshold = threshold;
    return RP_OK;
}

double rp_lsh_probability(const rp_lsh *l, double s)
{
    if (!l || l->bands == 0 || l->rows == 0) return 0.0;
    if (s <= 0.0) return 0.0;
    if (s >= 1.0) return 1.0;
    return prob(l->bands, l->rows, s);
}

double rp_lsh_probability_met(const rp_lsh *l, double s, unsigned meetings)
{
    if (meetings <= 1) return rp_lsh_probability(l, s);
    if (!l || l->bands == 0 || l->rows == 0 || meetings > l->bands || s <= 0.0) return 0.0;
    if (s >= 1.0) return 1.0;
    double p = pow(s, (double)l->rows), q = 1.0 - p, below = 0.0, term = pow(q, (double)l->bands);
    /* P(exactly i meetings), i = 0 .. meetings - 1, by the binomial recurrence */
    for (unsigned i = 0; i < meetings; i++) {
        below += term;
        if (q > 0) term *= (double)(l->bands - i) / (double)(i + 1) * p / q;
    }
    double r = 1.0 - below;
    return r < 0 ? 0 : r > 1 ? 1 : r;
}

void rp_lsh_band_hashes(const rp_lsh *l, const uint64_t *sig, uint64_t *out)
{
    uint64_t row[256];
    for (unsigned j = 0; j < l->bands; j++) {
        const uint64_t *band = sig + (size_t)j * l->rows;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        if (l->rows <= 256) {
            for (unsigned i = 0; i < l->rows; i++)
                row[i] = __builtin_bswap64(band[i]);
            band = row;
        }
#else
        (void)row;
#endif
        out[j] = XXH3_64bits_withSeed(band, (size_t)l->rows * sizeof *band, (uint64_t)j);
    }
}
