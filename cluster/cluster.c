/*
 * cluster.c: from verified pairs to clusters, each a tree of best sources
 * rooted at its original.
 *
 * Clusters are the trees of a forest of best-source edges, not the
 * components of all edges: a merged copy (one article made of two stories)
 * verifies against both stories, and joining every verified pair would
 * merge the two stories' clusters through it, then chain further clusters
 * through further such bridges.
 *
 * Each verified edge (a, b) is first given a direction, copy -> source,
 * the source being the earlier article: both published dates known and
 * different, the earlier date (a date given as a day only is that whole
 * day: on the same day, a date with a time comes first); a known date
 * before an unknown one;
 * otherwise (equal dates or both unknown) the article that contains the
 * other more (cont_b_in_a > cont_a_in_b + 0.02 makes a the source, and the
 * reverse), else the smaller id (strcmp), then first_seen.
 *
 * Directed edges are then taken by score, best first (ties by jaccard,
 * then in a canonical order of the two ends' ids, so the input order never
 * matters), and an
 * edge is accepted when its copy has no source yet and copy and source
 * lie in different union-find sets; accepting unites the two sets. Each
 * article thus takes its best-scoring earlier neighbour that keeps the
 * forest acyclic (a cycle is possible only among equal dates, where
 * containment need not be transitive). A merged copy attaches to one of
 * its stories only, so the stories stay apart; an exact duplicate (score
 * 1) is handled like any other edge.
 *
 * Each tree is a cluster; its root, the article with no source, is the
 * original. A copy's score, jaccard and containment (the share of the copy
 * found in its source) come from its accepted edge. Clusters are numbered
 * in the order of their originals' ids, singletons included.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

/* An article contains another "more" only by this margin. */
#define CONT_MARGIN 0.02

typedef struct edge {
    size_t a, b;                     /* a's key < b's key */
    size_t copy;                     /* a or b: the later end */
    double score, jaccard, cab, cba; /* cab: share of a found in b */
    size_t ra[2], rb[2];             /* the shared part of a's and of b's text */
} edge;

/* A byte range of one article's text; lo == hi: none or not known. */
typedef struct range {
    size_t lo, hi;
} range;

/* Do two parts of one text overlap by at least a quarter of the shorter?
 * Unknown parts always do. */
#define OVERLAP_MIN 0.25
static int overlaps(range x, range y)
{
    if (x.lo >= x.hi || y.lo >= y.hi) return 1;
    size_t lo = x.lo > y.lo ? x.lo : y.lo, hi = x.hi < y.hi ? x.hi : y.hi;
    size_t shorter = x.hi - x.lo < y.hi - y.lo ? x.hi - x.lo : y.hi - y.lo;
    return hi > lo && (double)(hi - lo) >= OVERLAP_MIN * (double)shorter;
}

static range hull(range x, range y)
{
    if (x.lo >= x.hi) return y;
    if (y.lo >= y.hi) return x;
    return (range){x.lo < y.lo ? x.lo : y.lo, x.hi > y.hi ? x.hi : y.hi};
}

/* Identity order of nodes: id, then first_seen, rowid, position. */
static int cmp_key(const rp_cnode *nodes, size_t i, size_t j)
{
    const rp_cnode *x = &nodes[i], *y = &nodes[j];
    int c = strcmp(x->id ? x->id : "", y->id ? y->id : "");
    if (c) return c;
    if (x->first_seen != y->first_seen) return x->first_seen < y->first_seen ? -1 : 1;
    if (x->article != y->article) return x->article < y->article ? -1 : 1;
    return (i > j) - (i < j);
}

static int cmp_dbl_desc(double x, double y)
{
    return (x < y) - (x > y);
}

/* Pair identity first (to drop repeated pairs), best first within a pair. */
static int cmp_edge_pair(const void *p, const void *q, void *arg)
{
    const edge *x = p, *y = q;
    int c;
    if (x->a != y->a && (c = cmp_key(arg, x->a, y->a))) return c;
    if (x->b != y->b && (c = cmp_key(arg, x->b, y->b))) return c;
    if ((c = cmp_dbl_desc(x->score, y->score))) return c;
    if ((c = cmp_dbl_desc(x->jaccard, y->jaccard))) return c;
    if ((c = cmp_dbl_desc(x->cab, y->cab))) return c;
    return cmp_dbl_desc(x->cba, y->cba);
}

/* The canonical order: score descending, then jaccard descending (a
 * short copy scores 1 against its story and against a longer article
 * quoting all of it; the closer text wins), then the ends' keys. */
static int cmp_edge_canon(const void *p, const void *q, void *arg)
{
    const edge *x = p, *y = q;
    int c;
    if ((c = cmp_dbl_desc(x->score, y->score))) return c;
    if ((c = cmp_dbl_desc(x->jaccard, y->jaccard))) return c;
    if (x->a != y->a && (c = cmp_key(arg, x->a, y->a))) return c;
    if (x->b != y->b && (c = cmp_key(arg, x->b, y->b))) return c;
    return 0; /* same pair: repeats were removed */
}

/* The later end of a canonical edge (a's key < b's key): the copy. */
#define DAY_SECONDS 86400
static int64_t day_of(int64_t t)
{
    return t >= 0 ? t / DAY_SECONDS : -((-t + DAY_SECONDS - 1) / DAY_SECONDS);
}

static size_t later_end(const rp_cnode *nodes, const edge *e)
{
    const rp_cnode *na = &nodes[e->a], *nb = &nodes[e->b];
    int64_t pa = na->published, pb = nb->published;
    if (pa != pb) {
        if (pa == RP_TIME_UNKNOWN) return e->a;
        if (pb == RP_TIME_UNKNOWN) return e->b;
        /* A date without a time is a whole day, not its midnight: on the
         * same day, a time given to the minute comes first. */
        if (na->day_only != nb->day_only && day_of(pa) == day_of(pb))
            return na->day_only ? e->a : e->b;
        return pa < pb ? e->b : e->a;
    }
    if (e->cba > e->cab + CONT_MARGIN) return e->b; /* a contains b */
    if (e->cab > e->cba + CONT_MARGIN) return e->a;
    return e->b; /* a has the smaller key */
}

static int cmp_node_key(const void *p, const void *q, void *arg)
{
    return cmp_key(arg, *(const size_t *)p, *(const size_t *)q);
}

static size_t uf_find(size_t *parent, size_t x)
{
    while (parent[x] != x) {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    return x;
}

static void uf_union(size_t *parent, size_t *size, size_t x, size_t y)
{
    x = uf_find(parent, x);
    y = uf_find(parent, y);
    if (x == y) return;
    if (size[x] < size[y]) {
        size_t t = x;
        x = y;
        y = t;
    }
    parent[y] = x;
    size[x] += size[y];
}

rp_err rp_cluster_build(const rp_cnode *nodes, size_t n, const rp_cedge *edges, size_t nedges,
                        rp_cmember **out, size_t *nclusters)
{
    *out = NULL;
    *nclusters = 0;
    rp_err e = RP_OK;
    edge *E = NULL;
    size_t *parent = NULL, *usize = NULL, *orig = NULL, *num = NULL;
    rp_cmember *m = NULL;
    range *from_src = NULL;  /* per node: the part of it shared with its source */
    range *to_copies = NULL; /* per node: the parts of it its copies share */
    if (n == 0) return RP_OK;
    for (size_t i = 0; i < nedges; i++)
        if (edges[i].a >= n || edges[i].b >= n) return RP_ARG;

    E = malloc((nedges ? nedges : 1) * sizeof *E);
    parent = malloc(n * sizeof *parent);
    usize = malloc(n * sizeof *usize);
    orig = malloc(n * sizeof *orig);
    num = malloc(n * sizeof *num);
    m = calloc(n, sizeof *m);
    from_src = calloc(n, sizeof *from_src);
    to_copies = calloc(n, sizeof *to_copies);
    if (!E || !parent || !usize || !orig || !num || !m || !from_src || !to_copies) {
        e = RP_NOMEM;
        goto out;
    }

    /* Canonical edges: ends in key order, one edge per pair (its best),
     * sorted by score; then each edge's copy end. */
    size_t ne = 0;
    for (size_t i = 0; i < nedges; i++) {
        const rp_cedge *x = &edges[i];
        if (x->a == x->b) continue;
        edge *y = &E[ne++];
        int fwd = cmp_key(nodes, x->a, x->b) < 0;
        y->a = fwd ? x->a : x->b;
        y->b = fwd ? x->b : x->a;
        y->score = isnan(x->score) ? -1 : x->score;
        y->jaccard = isnan(x->jaccard) ? 0 : x->jaccard;
        y->cab = fwd ? x->cont_a_in_b : x->cont_b_in_a;
        y->cba = fwd ? x->cont_b_in_a : x->cont_a_in_b;
        if (isnan(y->cab)) y->cab = 0;
        if (isnan(y->cba)) y->cba = 0;
        y->ra[0] = fwd ? x->a_lo : x->b_lo, y->ra[1] = fwd ? x->a_hi : x->b_hi;
        y->rb[0] = fwd ? x->b_lo : x->a_lo, y->rb[1] = fwd ? x->b_hi : x->a_hi;
    }
    qsort_r(E, ne, sizeof *E, cmp_edge_pair, (void *)nodes);
    size_t w = 0;
    for (size_t i = 0; i < ne; i++)
        if (!w || E[i].a != E[w - 1].a || E[i].b != E[w - 1].b) E[w++] = E[i];
    ne = w;
    qsort_r(E, ne, sizeof *E, cmp_edge_canon, (void *)nodes);
    for (size_t i = 0; i < ne; i++)
        E[i].copy = later_end(nodes, &E[i]);

    /* The forest: best edges first, one source per copy, no cycles. */
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        usize[i] = 1;
        m[i] = (rp_cmember){
            .node = i, .is_original = 1, .source = i, .score = 1, .jaccard = 1, .containment = 1};
    }
    for (size_t i = 0; i < ne; i++) {
        const edge *x = &E[i];
        size_t copy = x->copy, src = copy == x->a ? x->b : x->a;
        if (!m[copy].is_original || uf_find(parent, copy) == uf_find(parent, src)) continue;
        range in_copy = {copy == x->a ? x->ra[0] : x->rb[0], copy == x->a ? x->ra[1] : x->rb[1]};
        range in_src = {src == x->a ? x->ra[0] : x->rb[0], src == x->a ? x->ra[1] : x->rb[1]};
        /* A merged article (a live blog, a round-up carrying two stories)
         * shares one part of its text with its source and another with a
         * copy: it must not join the two stories. A source that is itself
         * a copy takes copies of the part it copied; an article that has
         * copies takes a source for the part they copied. */
        if (!m[src].is_original && !overlaps(in_src, from_src[src])) continue;
        if (!overlaps(in_copy, to_copies[copy])) continue;
        from_src[copy] = in_copy;
        to_copies[src] = hull(to_copies[src], in_src);
        m[copy].is_original = 0;
        m[copy].source = src;
        m[copy].score = x->score;
        m[copy].jaccard = x->jaccard;
        m[copy].containment = copy == x->a ? x->cab : x->cba;
        uf_union(parent, usize, copy, src);
    }

    /* One original per tree; clusters numbered by the originals' keys. */
    size_t nc = 0;
    for (size_t i = 0; i < n; i++)
        if (m[i].is_original) orig[nc++] = i;
    qsort_r(orig, nc, sizeof *orig, cmp_node_key, (void *)nodes);
    for (size_t k = 0; k < nc; k++)
        num[uf_find(parent, orig[k])] = k;
    for (size_t i = 0; i < n; i++)
        m[i].cluster = num[uf_find(parent, i)];
    *out = m;
    *nclusters = nc;
    m = NULL;
out:
    free(from_src);
    free(to_copies);
    free(E);
    free(parent);
    free(usize);
    free(orig);
    free(num);
    free(m);
    return e;
}
