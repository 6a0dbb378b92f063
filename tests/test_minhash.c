/* test_minhash.c: signatures (determinism, golden values, accuracy), LSH. */
#include <math.h>

#include "tests/testutil.h"

#define K 128

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_sign_basic(void **state)
{
    (void)state;
    uint64_t in[1000], sig[K], sig2[K];
    for (size_t i = 0; i < 1000; i++)
        in[i] = (uint64_t)i;
    assert_int_equal(rp_minhash_sign(in, 1000, sig, K), RP_OK);
    /* Golden prefix: the seeds are fixed forever, so these never change on
     * any machine; if they do, every stored index is invalidated. */
    const uint64_t golden[4] = {0x01230dd1741f41feULL, 0x020019b1fb9b9cf7ULL, 0x04206a5322c36f4cULL,
                                0x062dd83b04659e2dULL};
    assert_memory_equal(sig, golden, sizeof golden);
    /* Order and duplicates do not matter. */
    uint64_t rev[2000];
    for (size_t i = 0; i < 1000; i++)
        rev[i] = rev[1999 - i] = in[i];
    assert_int_equal(rp_minhash_sign(rev, 2000, sig2, K), RP_OK);
    assert_memory_equal(sig, sig2, sizeof sig);
    assert_true(rp_minhash_estimate(sig, sig2, K) == 1.0);
    /* Disjoint sets share no slot. */
    for (size_t i = 0; i < 1000; i++)
        in[i] += 1000;
    assert_int_equal(rp_minhash_sign(in, 1000, sig2, K), RP_OK);
    assert_true(rp_minhash_estimate(sig, sig2, K) == 0.0);
    /* Empty input and bad arguments. */
    assert_int_equal(rp_minhash_sign(in, 0, sig, K), RP_EMPTY);
    assert_int_equal(rp_minhash_sign(in, 5, sig, 0), RP_ARG);
    assert_int_equal(rp_minhash_sign(NULL, 5, sig, K), RP_ARG);
    /* One shingle fills every slot by densification; a large k works. */
    uint64_t one = 77, big[5000];
    assert_int_equal(rp_minhash_sign(&one, 1, sig, K), RP_OK);
    for (size_t i = 1; i < K; i++)
        assert_true(sig[i] == sig[0]);
    assert_int_equal(rp_minhash_sign(in, 1000, big, 5000), RP_OK);
}

/* Mean error and spread of the estimate over random pairs of n-element sets
 * with Jaccard close to j. */
static void accuracy(size_t n, double j, uint64_t seed)
{
    enum { PAIRS = 600 };
    uint64_t *a = malloc(n * sizeof *a), *b = malloc(n * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    size_t c = (size_t)llround(2.0 * (double)n * j / (1.0 + j));
    double jt = (double)c / (double)(2 * n - c);
    double sum = 0, sum2 = 0;
    uint64_t sa[K], sb[K];
    for (int p = 0; p < PAIRS; p++) {
        for (size_t i = 0; i < n; i++)
            a[i] = rng(&seed);
        for (size_t i = 0; i < n; i++)
            b[i] = i < c ? a[i] : rng(&seed);
        assert_int_equal(rp_minhash_sign(a, n, sa, K), RP_OK);
        assert_int_equal(rp_minhash_sign(b, n, sb, K), RP_OK);
        double e = rp_minhash_estimate(sa, sb, K) - jt;
        sum += e;
        sum2 += e * e;
    }
    double mean = sum / PAIRS, sd = sqrt(sum2 / PAIRS - mean * mean);
    double binom = sqrt(jt * (1 - jt) / K);
    if (fabs(mean) >= 0.01 || sd > 1.5 * binom)
        fail_msg("n=%zu J=%.3f: mean error %.4f, sd %.4f (binomial %.4f)", n, jt, mean, sd, binom);
    free(a);
    free(b);
}

static void test_accuracy(void **state)
{
    (void)state;
    const double js[] = {0.1, 0.3, 0.5, 0.8};
    for (size_t i = 0; i < 4; i++) {
        accuracy(400, js[i], 1234 + i); /* most bins filled directly */
        accuracy(30, js[i], 99 + i);    /* most bins densified */
    }
}

static void test_lsh_choose(void **state)
{
    (void)state;
    rp_lsh l;
    assert_int_equal(rp_lsh_choose(0.5, K, 1, 1, &l), RP_OK);
    assert_true(l.bands * l.rows <= K);
    assert_true(l.bands > 1 && l.rows > 1);
    assert_true(l.threshold == 0.5);
    double p = rp_lsh_probability(&l, 0.5);
    assert_true(p > 0.3 && p < 0.8);
    assert_true(rp_lsh_probability(&l, 0.2) < 0.05);
    assert_true(rp_lsh_probability(&l, 0.9) > 0.99);
    assert_true(rp_lsh_probability(&l, 0.0) == 0.0);
    assert_true(rp_lsh_probability(&l, 1.0) == 1.0);
    assert_true(fabs(rp_lsh_probability(&l, 0.5) - (1 - pow(1 - pow(0.5, l.rows), l.bands))) <
                1e-12);
    /* At least two meetings: 1 - (1-p)^b - b p (1-p)^(b-1), p = s^r; one
     * meeting is the plain curve; more meetings than bands never happen. */
    for (int i = 1; i < 10; i++) {
        double s = i / 10.0, q = pow(s, l.rows), b = l.bands;
        double two = 1 - pow(1 - q, b) - b * q * pow(1 - q, b - 1);
        assert_true(fabs(rp_lsh_probability_met(&l, s, 2) - two) < 1e-9);
        assert_true(rp_lsh_probability_met(&l, s, 2) <= rp_lsh_probability(&l, s));
        assert_true(rp_lsh_probability_met(&l, s, 1) == rp_lsh_probability(&l, s));
    }
    assert_true(rp_lsh_probability_met(&l, 1.0, 2) == 1.0);
    assert_true(rp_lsh_probability_met(&l, 0.5, l.bands + 1) == 0.0);
    /* Lower thresholds need more bands of fewer rows. */
    rp_lsh lo, hi;
    assert_int_equal(rp_lsh_choose(0.3, K, 1, 1, &lo), RP_OK);
    assert_int_equal(rp_lsh_choose(0.8, K, 1, 1, &hi), RP_OK);
    assert_true(lo.bands > l.bands && l.bands > hi.bands);
    assert_true(lo.rows < l.rows && l.rows < hi.rows);
    /* Weighting false negatives more moves the curve left (more recall). */
    rp_lsh rec;
    assert_int_equal(rp_lsh_choose(0.5, K, 1, 5, &rec), RP_OK);
    assert_true(rp_lsh_probability(&rec, 0.5) > p);
    assert_int_equal(rp_lsh_choose(0.0, K, 1, 1, &rec), RP_ARG);
    assert_int_equal(rp_lsh_choose(0.5, 0, 1, 1, &rec), RP_ARG);
    assert_int_equal(rp_lsh_choose(0.5, K, 0, 0, &rec), RP_ARG);
}

static void test_band_hashes(void **state)
{
    (void)state;
    rp_lsh l = {.bands = 16, .rows = 8, .threshold = 0.5};
    uint64_t a[K], b[K], ha[16], hb[16];
    uint64_t s = 5;
    for (size_t i = 0; i < K; i++)
        a[i] = b[i] = rng(&s);
    b[3 * 8 + 2] ^= 1; /* change band 3 only */
    rp_lsh_band_hashes(&l, a, ha);
    rp_lsh_band_hashes(&l, b, hb);
    for (size_t j = 0; j < 16; j++) {
        if (j == 3)
            assert_true(ha[j] != hb[j]);
        else
            assert_true(ha[j] == hb[j]);
    }
    /* Equal slot values in different bands hash differently. */
    for (size_t i = 0; i < K; i++)
        a[i] = 42;
    rp_lsh_band_hashes(&l, a, ha);
    for (size_t j = 1; j < 16; j++)
        assert_true(ha[j] != ha[0]);
}

/* The whole chain on text: near-identical texts share most bands. */
static void test_text_chain(void **state)
{
    (void)state;
    const char *x = "The city council voted on Tuesday to expand the bus network, adding "
                    "three new routes that will connect the northern suburbs to the "
                    "hospital and the university campus by the end of next year.";
    const char *y = "The city council voted on Tuesday to expand the bus network, adding "
                    "three new routes that will connect the northern suburbs to the "
                    "hospital and the university campus by the end of the year.";
    rp_tokens t = {0};
    uint64_t hx[64], hy[64], sx[K], sy[K];
    size_t nx, ny;
    assert_int_equal(rp_shingle_tokenize(x, strlen(x), &t, 0), RP_OK);
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 3, hx, NULL, &nx), RP_OK);
    assert_int_equal(rp_shingle_tokenize(y, strlen(y), &t, 0), RP_OK);
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 3, hy, NULL, &ny), RP_OK);
    nx = rp_shingle_set(hx, nx);
    ny = rp_shingle_set(hy, ny);
    size_t inter = rp_shingle_intersect(hx, nx, hy, ny);
    double j = (double)inter / (double)(nx + ny - inter);
    assert_int_equal(rp_minhash_sign(hx, nx, sx, K), RP_OK);
    assert_int_equal(rp_minhash_sign(hy, ny, sy, K), RP_OK);
    double est = rp_minhash_estimate(sx, sy, K);
    assert_true(j > 0.7 && j < 1.0);
    assert_true(fabs(est - j) < 0.2);
    rp_tokens_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sign_basic), cmocka_unit_test(test_accuracy),
        cmocka_unit_test(test_lsh_choose), cmocka_unit_test(test_band_hashes),
        cmocka_unit_test(test_text_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
