/*
 * cluster.c: from verified pairs to clusters, each a tree rooted at its
 * original.
 *
 * Components come from union-find (path halving, union by size) over the
 * edges. Within a component, members are put in one total "earlier than"
 * order: a known publication date before an unknown one, then the earlier
 * date; on equal dates (or both unknown) the member that contains the
 * others more (its net containment: the sum over its equal-date edges of
 * "other in me" minus "me in other"), then the smaller id, first_seen,
 * rowid. The first member in that order is the original.
 *
 * Sources: each copy's wanted source is its best-scoring neighbour earlier
 * in the order. Following wanted sources always goes back in the order, so
 * it can only fail to reach the original at an "orphan", a member whose
 * neighbours are all later than itself (the dates say it is older, the
 * edges say it was reached through a newer text). The tree is therefore
 * grown from the original: in order, a member joins as soon as its wanted
 * source has joined; when nobody can join, one member joins through the
 * best edge into the tree, an orphan first (through its best edge to the
 * tree, whatever the direction), else a waiting member through an edge
 * from an earlier member. Every member joins through a member already in
 * the tree, so the result has no cycles and every copy reaches the
 * original; members with no orphan on their way get exactly their
 * best-scoring earlier member.
 *
 * Determinism: edges are first put in a canonical order (score descending,
 * then the two ends' ids) and every choice takes the first candidate in
 * that order, while ties between nodes use ids, never input positions; the
 * result does not depend on the order of nodes or edges given.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

#define NONE SIZE_MAX
#define CONT_EPS 1e-9

typedef struct edge {
    size_t a, b; /* a's key < b's key */
    double score, jaccard, cab, cba;
} edge;

/* What the comparators (qsort_r) need. */
typedef struct ctx {
    const rp_cnode *nodes;
    const double *netcont;
} ctx;

/* Identity order of nodes: id, then first_seen, rowid, position. */
static int cmp_key(const ctx *cur, size_t i, size_t j)
{
    const rp_cnode *x = &cur->nodes[i], *y = &cur->nodes[j];
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

/* The canonical order: score descending, then the ends' keys. */
static int cmp_edge_canon(const void *p, const void *q, void *arg)
{
    const edge *x = p, *y = q;
    int c;
    if ((c = cmp_dbl_desc(x->score, y->score))) return c;
    if (x->a != y->a && (c = cmp_key(arg, x->a, y->a))) return c;
    if (x->b != y->b && (c = cmp_key(arg, x->b, y->b))) return c;
    return 0; /* same pair: repeats were removed */
}

/* The "earlier than" order of the file comment. */
static int cmp_earlier(const void *p, const void *q, void *arg)
{
    const ctx *cur = arg;
    size_t i = *(const size_t *)p, j = *(const size_t *)q;
    int64_t pi = cur->nodes[i].published, pj = cur->nodes[j].published;
    if (pi != pj) {
        if (pi == RP_TIME_UNKNOWN) return 1;
        if (pj == RP_TIME_UNKNOWN) return -1;
        return pi < pj ? -1 : 1;
    }
    double d = cur->netcont[i] - cur->netcont[j];
    if (d > CONT_EPS) return -1;
    if (d < -CONT_EPS) return 1;
    return cmp_key(cur, i, j);
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

/* Record that x joins the tree through edge e. */
static void join(rp_cmember *m, unsigned char *in, const edge *e, size_t x)
{
    size_t src = e->a == x ? e->b : e->a;
    m[x].source = src;
    m[x].score = e->score;
    m[x].jaccard = e->jaccard;
    m[x].containment = e->a == x ? e->cab : e->cba; /* share of the copy found in its source */
    in[x] = 1;
}

/* Grow the tree of one component (members in earlier-order, edges in
 * canonical order), as the file comment describes. */
static void grow_tree(const size_t *mem, size_t nmem, const size_t *eidx, size_t ne, const edge *E,
                      const size_t *want, const size_t *rank, rp_cmember *m, unsigned char *in)
{
    size_t pending = nmem - 1;
    in[mem[0]] = 1;
    while (pending) {
        for (size_t k = 1; k < nmem; k++) {
            size_t x = mem[k];
            if (in[x] || want[x] == NONE) continue;
            const edge *e = &E[want[x]];
            size_t src = e->a == x ? e->b : e->a;
            if (!in[src]) continue;
            join(m, in, e, x);
            pending--;
        }
        if (!pending) break;
        /* Deadlock: pick the best way in, orphans first. */
        const edge *pick = NULL;
        size_t px = NONE;
        for (int pass = 0; pass < 3 && !pick; pass++) {
            for (size_t k = 0; k < ne && !pick; k++) {
                const edge *e = &E[eidx[k]];
                if (in[e->a] == in[e->b]) continue;
                size_t x = in[e->a] ? e->b : e->a, src = in[e->a] ? e->a : e->b;
                if (pass == 0 && want[x] != NONE) continue;
                if (pass == 1 && rank[src] > rank[x]) continue;
                pick = e;
                px = x;
            }
        }
        if (!pick) break; /* cannot happen: a component is connected */
        join(m, in, pick, px);
        pending--;
    }
}

rp_err rp_cluster_build(const rp_cnode *nodes, size_t n, const rp_cedge *edges, size_t nedges,
                        rp_cmember **out, size_t *nclusters)
{
    *out = NULL;
    *nclusters = 0;
    rp_err e = RP_OK;
    edge *E = NULL;
    size_t *parent = NULL, *usize = NULL, *order = NULL, *rank = NULL, *want = NULL;
    size_t *comp = NULL, *cstart = NULL, *cmem = NULL, *estart = NULL, *cedge = NULL;
    size_t *orig = NULL, *corder = NULL, *fill = NULL;
    double *netcont = NULL;
    unsigned char *in = NULL;
    rp_cmember *m = NULL;
    if (n == 0) return RP_OK;
    for (size_t i = 0; i < nedges; i++)
        if (edges[i].a >= n || edges[i].b >= n) return RP_ARG;

    ctx c = {nodes, NULL};
    E = malloc((nedges ? nedges : 1) * sizeof *E);
    parent = malloc(n * sizeof *parent);
    usize = malloc(n * sizeof *usize);
    order = malloc(n * sizeof *order);
    rank = malloc(n * sizeof *rank);
    want = malloc(n * sizeof *want);
    comp = malloc(n * sizeof *comp);
    cmem = malloc(n * sizeof *cmem);
    netcont = calloc(n, sizeof *netcont);
    in = calloc(n, 1);
    m = calloc(n, sizeof *m);
    if (!E || !parent || !usize || !order || !rank || !want || !comp || !cmem || !netcont || !in ||
        !m) {
        e = RP_NOMEM;
        goto out;
    }

    /* Canonical edges: ends in key order, one edge per pair (its best),
     * sorted by score. */
    size_t ne = 0;
    for (size_t i = 0; i < nedges; i++) {
        const rp_cedge *x = &edges[i];
        if (x->a == x->b) continue;
        edge *y = &E[ne++];
        int fwd = cmp_key(&c, x->a, x->b) < 0;
        y->a = fwd ? x->a : x->b;
        y->b = fwd ? x->b : x->a;
        y->score = isnan(x->score) ? -1 : x->score;
        y->jaccard = isnan(x->jaccard) ? 0 : x->jaccard;
        y->cab = fwd ? x->cont_a_in_b : x->cont_b_in_a;
        y->cba = fwd ? x->cont_b_in_a : x->cont_a_in_b;
        if (isnan(y->cab)) y->cab = 0;
        if (isnan(y->cba)) y->cba = 0;
    }
    qsort_r(E, ne, sizeof *E, cmp_edge_pair, &c);
    size_t w = 0;
    for (size_t i = 0; i < ne; i++)
        if (!w || E[i].a != E[w - 1].a || E[i].b != E[w - 1].b) E[w++] = E[i];
    ne = w;
    qsort_r(E, ne, sizeof *E, cmp_edge_canon, &c);

    /* Components. */
    for (size_t i = 0; i < n; i++) {
        parent[i] = i;
        usize[i] = 1;
    }
    for (size_t i = 0; i < ne; i++)
        uf_union(parent, usize, E[i].a, E[i].b);

    /* Net containment among equal dates, then the earlier-than order. */
    for (size_t i = 0; i < ne; i++) {
        if (nodes[E[i].a].published != nodes[E[i].b].published) continue;
        double d = E[i].cba - E[i].cab; /* how much more a contains b than b a */
        netcont[E[i].a] += d;
        netcont[E[i].b] -= d;
    }
    c.netcont = netcont;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, cmp_earlier, &c);
    for (size_t i = 0; i < n; i++)
        rank[order[i]] = i;

    /* Wanted source: first (best) edge to an earlier neighbour. */
    for (size_t i = 0; i < n; i++)
        want[i] = NONE;
    for (size_t i = 0; i < ne; i++) {
        size_t early = rank[E[i].a] < rank[E[i].b] ? E[i].a : E[i].b;
        size_t late = early == E[i].a ? E[i].b : E[i].a;
        if (want[late] == NONE) want[late] = i;
    }

    /* Number components 0..C-1 by first appearance in earlier-order, so
     * each component's first member is its original. */
    size_t ncomp = 0;
    for (size_t i = 0; i < n; i++)
        comp[i] = NONE;
    for (size_t k = 0; k < n; k++) {
        size_t r = uf_find(parent, order[k]);
        if (comp[r] == NONE) comp[r] = ncomp++;
        comp[order[k]] = comp[r];
    }
    cstart = calloc(ncomp + 1, sizeof *cstart);
    estart = calloc(ncomp + 1, sizeof *estart);
    fill = malloc(ncomp * sizeof *fill);
    orig = malloc(ncomp * sizeof *orig);
    corder = malloc(ncomp * sizeof *corder);
    cedge = malloc((ne ? ne : 1) * sizeof *cedge);
    if (!cstart || !estart || !fill || !orig || !corder || !cedge) {
        e = RP_NOMEM;
        goto out;
    }
    /* Stable bucketing: members stay in earlier-order, edges canonical. */
    for (size_t i = 0; i < n; i++)
        cstart[comp[i] + 1]++;
    for (size_t i = 0; i < ne; i++)
        estart[comp[E[i].a] + 1]++;
    for (size_t k = 0; k < ncomp; k++) {
        cstart[k + 1] += cstart[k];
        estart[k + 1] += estart[k];
    }
    memcpy(fill, cstart, ncomp * sizeof *fill);
    for (size_t k = 0; k < n; k++)
        cmem[fill[comp[order[k]]]++] = order[k];
    memcpy(fill, estart, ncomp * sizeof *fill);
    for (size_t i = 0; i < ne; i++)
        cedge[fill[comp[E[i].a]]++] = i;

    for (size_t k = 0; k < ncomp; k++) {
        const size_t *mem = cmem + cstart[k];
        size_t nmem = cstart[k + 1] - cstart[k];
        orig[k] = mem[0];
        m[mem[0]] = (rp_cmember){.node = mem[0],
                                 .is_original = 1,
                                 .source = mem[0],
                                 .score = 1,
                                 .jaccard = 1,
                                 .containment = 1};
        grow_tree(mem, nmem, cedge + estart[k], estart[k + 1] - estart[k], E, want, rank, m, in);
    }

    /* Cluster numbers in the order of the originals' ids. */
    memcpy(corder, orig, ncomp * sizeof *corder);
    qsort_r(corder, ncomp, sizeof *corder, cmp_node_key, &c);
    for (size_t k = 0; k < ncomp; k++)
        fill[comp[corder[k]]] = k;
    for (size_t i = 0; i < n; i++) {
        m[i].node = i;
        m[i].cluster = fill[comp[i]];
    }
    *out = m;
    *nclusters = ncomp;
    m = NULL;
out:
    free(E);
    free(parent);
    free(usize);
    free(order);
    free(rank);
    free(want);
    free(comp);
    free(cstart);
    free(cmem);
    free(estart);
    free(cedge);
    free(orig);
    free(corder);
    free(fill);
    free(netcont);
    free(in);
    free(m);
    return e;
}
