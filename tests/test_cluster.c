/* test_cluster.c: originals, sources and numbering of rp_cluster_build;
 * trees are checked on hand-made cases and on random graphs, and results
 * must not change when nodes and edges are shuffled. */
#include <stdio.h>
#include <string.h>

#include "tests/testutil.h"

#define DAY 86400
#define D(n) ((int64_t)1600000000 + (n)*DAY)
#define UNK RP_TIME_UNKNOWN

static rp_cnode node(const char *id, int64_t published, uint64_t seen)
{
    return (rp_cnode){
        .article = (int64_t)seen + 1, .id = id, .published = published, .first_seen = seen};
}

static rp_cedge edge(size_t a, size_t b, double score)
{
    return (rp_cedge){.a = a,
                      .b = b,
                      .score = score,
                      .jaccard = score / 2,
                      .cont_a_in_b = score,
                      .cont_b_in_a = score};
}

static int adjacent(const rp_cedge *e, size_t ne, size_t x, size_t y)
{
    for (size_t i = 0; i < ne; i++)
        if ((e[i].a == x && e[i].b == y) || (e[i].a == y && e[i].b == x)) return 1;
    return 0;
}

/* Every cluster is a tree: one original, every copy's source a neighbour
 * in the same cluster, and following sources reaches the original. */
static void check_trees(const rp_cnode *nodes, size_t n, const rp_cedge *e, size_t ne,
                        const rp_cmember *m, size_t nclusters)
{
    (void)nodes;
    size_t *originals = calloc(nclusters, sizeof *originals);
    assert_non_null(originals);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(m[i].node, i);
        assert_true(m[i].cluster < nclusters);
        if (m[i].is_original) {
            originals[m[i].cluster]++;
            assert_int_equal(m[i].source, i);
            continue;
        }
        assert_true(m[i].source < n);
        assert_int_equal(m[m[i].source].cluster, m[i].cluster);
        assert_true(adjacent(e, ne, i, m[i].source));
        size_t x = i, steps = 0;
        while (!m[x].is_original) {
            x = m[x].source;
            assert_true(++steps <= n); /* no cycle */
        }
    }
    for (size_t k = 0; k < nclusters; k++)
        assert_int_equal(originals[k], 1);
    free(originals);
}

static rp_cmember *build(const rp_cnode *nodes, size_t n, const rp_cedge *e, size_t ne,
                         size_t *nclusters)
{
    rp_cmember *m = NULL;
    assert_int_equal(rp_cluster_build(nodes, n, e, ne, &m, nclusters), RP_OK);
    check_trees(nodes, n, e, ne, m, *nclusters);
    return m;
}

/* A copy dated only by its day ("2024-01-01", stored as that midnight)
 * does not become the original of a wire story published at noon that day;
 * on another day the dates decide as usual. */
static void test_day_only_dates(void **state)
{
    (void)state;
    const int64_t midnight = D(0) / DAY * DAY;
    rp_cnode nodes[] = {node("wire", midnight + 12 * 3600, 0), node("copy", midnight, 1),
                        node("later", midnight + DAY, 2)};
    nodes[1].day_only = 1;
    nodes[2].day_only = 1;
    rp_cedge e[] = {edge(0, 1, 0.9), edge(0, 2, 0.8)};
    size_t nc = 0;
    rp_cmember *m = build(nodes, 3, e, 2, &nc);
    assert_int_equal(nc, 1);
    assert_true(m[0].is_original);
    assert_int_equal(m[1].source, 0);
    assert_int_equal(m[2].source, 0);
    free(m);
}

static void test_chain(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("c", D(3), 0), node("a", D(1), 1), node("b", D(2), 2)};
    rp_cedge e[] = {edge(1, 2, 0.9), edge(2, 0, 0.85), edge(1, 0, 0.6)};
    e[1].cont_a_in_b = 0.5; /* b in c */
    e[1].cont_b_in_a = 0.7; /* c in b */
    size_t nc = 0;
    rp_cmember *m = build(nodes, 3, e, 3, &nc);
    assert_int_equal(nc, 1);
    assert_true(m[1].is_original);
    assert_int_equal(m[2].source, 1);
    assert_int_equal(m[0].source, 2); /* best earlier member, not the original */
    assert_true(m[0].score == 0.85);
    assert_true(m[0].containment == 0.7); /* share of the copy found in its source */
    assert_true(m[1].score == 1.0);
    free(m);
}

static void test_unknown_dates(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("a", UNK, 0), node("b", D(5), 1), node("c", D(3), 2)};
    rp_cedge e[] = {edge(0, 1, 0.9), edge(0, 2, 0.7), edge(1, 2, 0.6)};
    size_t nc = 0;
    rp_cmember *m = build(nodes, 3, e, 3, &nc);
    assert_true(m[2].is_original); /* earliest known date */
    assert_int_equal(m[1].source, 2);
    assert_int_equal(m[0].source, 1); /* unknown is later than any date */
    free(m);

    /* All unknown: smallest id is the original. */
    rp_cnode u[] = {node("q", UNK, 0), node("p", UNK, 1)};
    rp_cedge ue[] = {edge(0, 1, 0.8)};
    m = build(u, 2, ue, 1, &nc);
    assert_true(m[1].is_original);
    assert_int_equal(m[0].source, 1);
    free(m);
}

static void test_star_and_components(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("m-orig", D(1), 0), node("m1", D(2), 1),       node("m2", D(2), 2),
                        node("m3", D(4), 3),     node("z-single", D(0), 4), node("b-orig", D(7), 5),
                        node("b-copy", D(8), 6)};
    rp_cedge e[] = {edge(0, 1, 0.7), edge(2, 0, 0.8), edge(0, 3, 0.6), edge(5, 6, 0.9)};
    size_t nc = 0;
    rp_cmember *m = build(nodes, 7, e, 4, &nc);
    assert_int_equal(nc, 3);
    for (int i = 1; i <= 3; i++)
        assert_int_equal(m[i].source, 0);
    assert_true(m[0].is_original && m[4].is_original && m[5].is_original);
    /* numbered by the originals' ids: b-orig, m-orig, z-single */
    assert_int_equal(m[5].cluster, 0);
    assert_int_equal(m[6].cluster, 0);
    assert_int_equal(m[0].cluster, 1);
    assert_int_equal(m[3].cluster, 1);
    assert_int_equal(m[4].cluster, 2);
    assert_int_equal(m[4].source, 4);
    free(m);
}

static void test_ties(void **state)
{
    (void)state;
    /* Same date: the one containing the other more is the original, even
     * against id order. */
    rp_cnode nodes[] = {node("z", D(1), 0), node("a", D(1), 1)};
    rp_cedge e = edge(0, 1, 0.8);
    e.cont_a_in_b = 0.3;  /* little of z is in a */
    e.cont_b_in_a = 0.95; /* nearly all of a is in z: z contains a */
    size_t nc = 0;
    rp_cmember *m = build(nodes, 2, &e, 1, &nc);
    assert_true(m[0].is_original);
    assert_int_equal(m[1].source, 0);
    assert_true(m[1].containment == 0.95);
    free(m);

    e.cont_a_in_b = 0.95;
    e.cont_b_in_a = 0.3;
    m = build(nodes, 2, &e, 1, &nc);
    assert_true(m[1].is_original);
    free(m);

    /* Same date, same containment: the smaller id. */
    e.cont_a_in_b = e.cont_b_in_a = 0.5;
    m = build(nodes, 2, &e, 1, &nc);
    assert_true(m[1].is_original);
    free(m);

    /* Same id (duplicate records): first_seen decides. */
    rp_cnode same[] = {node("x", D(1), 9), node("x", D(1), 2)};
    m = build(same, 2, &e, 1, &nc);
    assert_true(m[1].is_original);
    free(m);
}

/* A merged copy M (later) of two unrelated stories A and B: M attaches to
 * its better-scoring story only, and the two stories stay apart. */
static void test_merge(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("a", D(1), 0), node("a1", D(2), 1), node("b", D(2), 2),
                        node("b1", D(3), 3), node("m", D(4), 4)};
    rp_cedge e[] = {edge(0, 1, 0.9), edge(2, 3, 0.9), edge(4, 0, 0.8), edge(2, 4, 0.7)};
    size_t nc = 0;
    rp_cmember *m = build(nodes, 5, e, 4, &nc);
    assert_int_equal(nc, 2);
    assert_true(m[0].is_original && m[2].is_original);
    assert_int_not_equal(m[0].cluster, m[2].cluster);
    assert_int_equal(m[4].source, 0);
    assert_true(m[4].score == 0.8);
    assert_int_equal(m[1].cluster, m[0].cluster);
    assert_int_equal(m[3].cluster, m[2].cluster);
    free(m);

    /* The better edge now leads to b. */
    e[2].score = 0.6;
    m = build(nodes, 5, e, 4, &nc);
    assert_int_equal(nc, 2);
    assert_int_equal(m[4].source, 2);
    assert_int_equal(m[4].cluster, m[2].cluster);
    assert_int_not_equal(m[0].cluster, m[2].cluster);
    free(m);

    /* Equal scores: the closer text (higher jaccard) wins, whatever the
     * ids say: a short copy t of b, found whole in b and in the longer m. */
    rp_cnode t[] = {node("b", D(1), 0), node("a-m", D(2), 1), node("t", D(3), 2)};
    rp_cedge te[] = {edge(2, 0, 1.0), edge(2, 1, 1.0), edge(1, 0, 1.0)};
    te[0].jaccard = 0.6;
    te[1].jaccard = 0.3;
    m = build(t, 3, te, 3, &nc);
    assert_int_equal(m[2].source, 0);
    free(m);
}

/* A-M1-B-M2-C, the Ms later than the stories they join: no cluster holds
 * two of A, B, C, whatever the scores. */
static void test_bridge(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("a", D(1), 0), node("m1", D(5), 1), node("b", D(2), 2),
                        node("m2", D(6), 3), node("c", D(3), 4)};
    static const double sc[][4] = {
        {0.9, 0.8, 0.7, 0.6}, {0.6, 0.7, 0.8, 0.9}, {0.7, 0.9, 0.9, 0.7}, {1, 1, 1, 1}};
    for (size_t k = 0; k < sizeof sc / sizeof sc[0]; k++) {
        rp_cedge e[] = {edge(0, 1, sc[k][0]), edge(1, 2, sc[k][1]), edge(2, 3, sc[k][2]),
                        edge(3, 4, sc[k][3])};
        size_t nc = 0;
        rp_cmember *m = build(nodes, 5, e, 4, &nc);
        assert_int_equal(nc, 3);
        assert_true(m[0].is_original && m[2].is_original && m[4].is_original);
        assert_int_not_equal(m[0].cluster, m[2].cluster);
        assert_int_not_equal(m[2].cluster, m[4].cluster);
        assert_int_not_equal(m[0].cluster, m[4].cluster);
        assert_false(m[1].is_original || m[3].is_original);
        free(m);
    }
}

/* O <- C1 <- C2: C2 is closer to C1 than to O, so C1 is its source. */
static void test_copy_of_copy(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("c2", D(3), 0), node("o", D(1), 1), node("c1", D(2), 2)};
    rp_cedge e[] = {edge(1, 2, 0.85), edge(0, 2, 0.95), edge(0, 1, 0.7)};
    size_t nc = 0;
    rp_cmember *m = build(nodes, 3, e, 3, &nc);
    assert_int_equal(nc, 1);
    assert_true(m[1].is_original);
    assert_int_equal(m[2].source, 1);
    assert_int_equal(m[0].source, 2);
    assert_true(m[0].score == 0.95);
    free(m);
}

/* Equal dates with containment going round (x contains y, y contains z,
 * z contains x): every edge points to a source, yet the result is a tree
 * (build() checks), and with all dates unknown as well. */
static void test_equal_date_cycles(void **state)
{
    (void)state;
    for (int unknown = 0; unknown < 2; unknown++) {
        int64_t t = unknown ? UNK : D(1);
        rp_cnode nodes[] = {node("x", t, 0), node("y", t, 1), node("z", t, 2), node("x2", t, 3)};
        static const double sc[][4] = {{0.8, 0.8, 0.8, 0.8}, {0.9, 0.7, 0.8, 0.6}};
        for (size_t k = 0; k < 2; k++) {
            rp_cedge e[] = {edge(0, 1, sc[k][0]), edge(1, 2, sc[k][1]), edge(2, 0, sc[k][2]),
                            edge(3, 0, sc[k][3])};
            for (int i = 0; i < 3; i++) { /* e[i].a contains e[i].b */
                e[i].cont_a_in_b = 0.4;
                e[i].cont_b_in_a = 0.9;
            }
            size_t nc = 0;
            rp_cmember *m = build(nodes, 4, e, 4, &nc);
            assert_int_equal(nc, 1);
            /* each of x, y, z is a copy of the one containing it, except
             * the one whose edge closed the cycle */
            int roots = 0;
            for (int i = 0; i < 3; i++)
                if (m[i].is_original)
                    roots++;
                else
                    assert_int_equal(m[i].source, (size_t)(i + 2) % 3);
            assert_int_equal(roots, 1);
            free(m);
        }
    }

    /* Exact duplicates on the same date: the smaller id is the original. */
    rp_cnode d[] = {node("q", D(1), 0), node("p", D(1), 1)};
    rp_cedge de = edge(0, 1, 1.0);
    de.jaccard = 1.0;
    size_t nc = 0;
    rp_cmember *m = build(d, 2, &de, 1, &nc);
    assert_true(m[1].is_original);
    assert_int_equal(m[0].source, 1);
    assert_true(m[0].score == 1.0);
    free(m);
}

static void test_bad_input(void **state)
{
    (void)state;
    rp_cnode nodes[] = {node("a", D(1), 0)};
    rp_cedge e = edge(0, 3, 0.9);
    rp_cmember *m = NULL;
    size_t nc = 7;
    assert_int_equal(rp_cluster_build(nodes, 1, &e, 1, &m, &nc), RP_ARG);
    assert_null(m);
    assert_int_equal(rp_cluster_build(NULL, 0, NULL, 0, &m, &nc), RP_OK);
    assert_int_equal(nc, 0);
    /* a self-edge is ignored */
    e.b = 0;
    m = build(nodes, 1, &e, 1, &nc);
    assert_int_equal(nc, 1);
    assert_true(m[0].is_original);
    free(m);
}

/* The later end of an edge by the documented rule: dates, then
 * containment (by more than 0.02), then id, then first_seen. */
static size_t copy_end(const rp_cnode *nodes, const rp_cedge *e)
{
    const rp_cnode *a = &nodes[e->a], *b = &nodes[e->b];
    if (a->published != b->published) {
        if (a->published == UNK) return e->a;
        if (b->published == UNK) return e->b;
        return a->published < b->published ? e->b : e->a;
    }
    if (e->cont_b_in_a > e->cont_a_in_b + 0.02) return e->b;
    if (e->cont_a_in_b > e->cont_b_in_a + 0.02) return e->a;
    int c = strcmp(a->id, b->id);
    if (c) return c < 0 ? e->b : e->a;
    return a->first_seen < b->first_seen ? e->b : e->a;
}

/* The forest is greedy: every edge left out joins two members of one
 * cluster, or leads from a copy whose own source edge scores at least as
 * high; an accepted edge points from the later end to the earlier. Pairs
 * given more than once are skipped (only their best record counts). */
static void check_greedy(const rp_cnode *nodes, const rp_cedge *e, size_t ne, const rp_cmember *m)
{
    for (size_t i = 0; i < ne; i++) {
        if (e[i].a == e[i].b) continue;
        int repeated = 0;
        for (size_t j = 0; j < ne; j++)
            if (j != i && adjacent(&e[j], 1, e[i].a, e[i].b)) repeated = 1;
        if (repeated) continue;
        size_t x = copy_end(nodes, &e[i]), src = x == e[i].a ? e[i].b : e[i].a;
        if (m[x].source == src) continue;
        assert_int_not_equal(m[src].source, x); /* never against the rule */
        if (m[x].cluster == m[src].cluster) continue;
        assert_false(m[x].is_original);
        assert_true(m[x].score >= e[i].score);
    }
}

static uint64_t rnd(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

#define RN 60
#define RE 90

/* Random sparse graphs with coarse dates (many ties) and coarse scores
 * (many equal scores): trees always, and the same answer for every
 * shuffle of nodes and edges. */
static void test_random_permutations(void **state)
{
    (void)state;
    uint64_t seed = 12345;
    static char ids[RN][16];
    for (int round = 0; round < 30; round++) {
        rp_cnode nodes[RN];
        rp_cedge e[RE];
        for (int i = 0; i < RN; i++) {
            snprintf(ids[i], sizeof ids[i], "id%03d", (int)(rnd(&seed) % 1000));
            uint64_t r = rnd(&seed) % 6;
            nodes[i] = node(ids[i], r == 5 ? UNK : D((int64_t)r), (uint64_t)i);
        }
        for (int k = 0; k < RE; k++) {
            size_t a = rnd(&seed) % RN, b = rnd(&seed) % RN;
            e[k] = edge(a, b, 0.5 + (double)(rnd(&seed) % 4) / 10);
            e[k].cont_a_in_b = (double)(rnd(&seed) % 3) / 2;
            e[k].cont_b_in_a = (double)(rnd(&seed) % 3) / 2;
        }
        size_t nc = 0;
        rp_cmember *ref = build(nodes, RN, e, RE, &nc);
        check_greedy(nodes, e, RE, ref);

        for (int shuffle = 0; shuffle < 5; shuffle++) {
            size_t perm[RN], inv[RN];
            for (size_t i = 0; i < RN; i++)
                perm[i] = i;
            for (size_t i = RN - 1; i > 0; i--) {
                size_t j = rnd(&seed) % (i + 1), t = perm[i];
                perm[i] = perm[j];
                perm[j] = t;
            }
            rp_cnode pn[RN];
            for (size_t i = 0; i < RN; i++) {
                pn[i] = nodes[perm[i]]; /* new position i holds old node perm[i] */
                inv[perm[i]] = i;
            }
            rp_cedge pe[RE];
            for (size_t k = 0; k < RE; k++)
                pe[k] = e[k];
            for (size_t k = RE - 1; k > 0; k--) {
                size_t j = rnd(&seed) % (k + 1);
                rp_cedge t = pe[k];
                pe[k] = pe[j];
                pe[j] = t;
            }
            for (size_t k = 0; k < RE; k++) {
                rp_cedge x = pe[k];
                pe[k].a = inv[x.a];
                pe[k].b = inv[x.b];
                if (rnd(&seed) & 1) { /* flip the direction */
                    pe[k].a = inv[x.b];
                    pe[k].b = inv[x.a];
                    pe[k].cont_a_in_b = x.cont_b_in_a;
                    pe[k].cont_b_in_a = x.cont_a_in_b;
                }
            }
            size_t nc2 = 0;
            rp_cmember *got = build(pn, RN, pe, RE, &nc2);
            assert_int_equal(nc2, nc);
            for (size_t i = 0; i < RN; i++) {
                const rp_cmember *g = &got[inv[i]], *r = &ref[i];
                assert_int_equal(g->cluster, r->cluster);
                assert_int_equal(g->is_original, r->is_original);
                assert_int_equal(perm[g->source], r->source);
                assert_true(g->score == r->score);
                assert_true(g->containment == r->containment);
            }
            free(got);
        }
        free(ref);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_day_only_dates),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_unknown_dates),
        cmocka_unit_test(test_star_and_components),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_bridge),
        cmocka_unit_test(test_copy_of_copy),
        cmocka_unit_test(test_equal_date_cycles),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_random_permutations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
