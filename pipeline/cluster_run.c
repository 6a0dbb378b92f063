/*
 * cluster_run.c: from the index to stored clusters.
 *
 * 1. Candidates: one sorted scan of the band table yields every pair that
 *    shares an LSH bucket, by the bucket rule of db/bands.c; a wide bucket
 *    (a story republished by hundreds of sites) pairs each member with its
 *    earliest published member only, so it costs one verification per copy.
 * 2. Verification: pairs are taken in sorted chunks; the articles a chunk
 *    needs are read from the database by this thread, prepared (tokens,
 *    quotes, chrome) and compared in parallel. Reading is serial (one
 *    connection), so this thread reads the next chunk's articles while the
 *    other threads compare this chunk's pairs, then joins them. A prepared article is kept
 *    until the last chunk that needs it, so memory follows the number of
 *    articles in flight, not the corpus; past a budget (cache_tokens) the
 *    cache keeps only what the next chunk needs and rereads the rest.
 *    The threads are one pool for the run (their tokeniser state and
 *    verification scratch stay warm), the docs live in an arena of
 *    huge-page regions (verify/arena.c: far fewer page faults), and the
 *    reads share one read snapshot of the database.
 * 3. Exact duplicates recorded at indexing join their first copy with score 1.
 * 4. Clustering and attribution (cluster/), then stable ids: a cluster
 *    keeps the id its original (or, failing that, any member) had in the
 *    previous run, so daily re-runs do not renumber known clusters.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pipeline/loader.h"
#include "pipeline/pipeline.h"
#include "verify/docarena.h"

#define CHUNK 8192
/* Prepared articles kept between chunks, in tokens (about 100 bytes of
 * prepared doc per token): a 32nd of the machine's memory, at least 4M
 * tokens (some 400 MiB) and at most 8M. An evicted article is read and
 * prepared again when a later chunk needs it; on 100k generated articles
 * 16M tokens instead of 4M took 8% less CPU at the same peak RSS. The cap
 * keeps the 1M-article run's peak (1.67 GiB with 4M) near its 2 GiB aim. */
#ifndef CACHE_TOKENS_MIN
#define CACHE_TOKENS_MIN ((uint64_t)4 << 20)
#endif
#ifndef CACHE_TOKENS_MAX
#define CACHE_TOKENS_MAX ((uint64_t)8 << 20)
#endif
#define DOC_BYTES_PER_TOKEN 100

static uint64_t cache_tokens(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), size = sysconf(_SC_PAGESIZE);
    uint64_t t = pages > 0 && size > 0 ? (uint64_t)pages * (uint64_t)size / 32 / DOC_BYTES_PER_TOKEN
                                       : CACHE_TOKENS_MIN;
    return t < CACHE_TOKENS_MIN ? CACHE_TOKENS_MIN : t > CACHE_TOKENS_MAX ? CACHE_TOKENS_MAX : t;
}

typedef struct pair_list {
    int64_t (*v)[2];
    size_t n, cap;
} pair_list;

static rp_err add_pair(void *vctx, int64_t a, int64_t b)
{
    pair_list *p = vctx;
    rp_err e = rp_grow(&p->v, &p->cap, p->n + 1, sizeof *p->v);
    if (e) return e;
    p->v[p->n][0] = a;
    p->v[p->n][1] = b;
    p->n++;
    return RP_OK;
}

typedef struct run {
    const rp_params *p;
    rp_db_row *rows;
    size_t nrows;
    rp_doc **docs;      /* per row index, prepared when needed */
    rp_docarena *arena; /* where the docs are */
    rp_loaded *loaded;  /* per row index, valid while preparing */
    size_t *need;       /* row indexes to prepare in this chunk */
    rp_err *need_err;
    size_t nneed;
    size_t (*chunk)[2]; /* row index pairs of this chunk */
    rp_match *m;
    rp_err *m_err;
    uint64_t *site; /* per row index: hash of the site (0: unknown), set when read */
    uint32_t *ix;   /* per rowid: its row index (UINT32_MAX: none); NULL: search */
    size_t nix;
} run;

/* Hash of a site name, case-folded; 0 for none. */
static uint64_t site_hash(const char *s)
{
    if (!s || !*s) return 0;
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ULL;
    }
    return h ? h : 1;
}

static size_t row_index(const run *r, int64_t rowid)
{
    if (r->ix) {
        if (rowid < 0 || (uint64_t)rowid >= r->nix || r->ix[rowid] == UINT32_MAX) return SIZE_MAX;
        return r->ix[rowid];
    }
    size_t lo = 0, hi = r->nrows;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (r->rows[mid].rowid < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < r->nrows && r->rows[lo].rowid == rowid ? lo : SIZE_MAX;
}

static void prepare_one(void *v, size_t i)
{
    run *r = v;
    size_t x = r->need[i];
    rp_loaded *L = &r->loaded[x];
    r->need_err[i] = rp_loaded_prepare_in(r->arena, r->p, L->a.text, L->a.text_len, L->a.lang,
                                          L->chrome, L->nchrome, &r->docs[x]);
    rp_article_clear(&L->a);
}

static void verify_one(void *v, size_t i)
{
    run *r = v;
    rp_doc *a = r->docs[r->chunk[i][0]], *b = r->docs[r->chunk[i][1]];
    memset(&r->m[i], 0, sizeof r->m[i]);
    r->m_err[i] = a && b ? rp_verify_pair(a, b, &r->m[i]) : RP_EMPTY;
}

/* Read the articles the pairs [off, off + cn) need that are neither
 * prepared nor read yet (listing them in r->need) and list the pairs as row
 * index pairs in chunk. */
static rp_err load_chunk(run *r, rp_loader *ld, const pair_list *P, size_t off, size_t cn,
                         size_t (*chunk)[2], size_t *used)
{
    r->nneed = 0;
    *used = 0;
    for (size_t i = 0; i < cn; i++) {
        size_t a = row_index(r, P->v[off + i][0]), b = row_index(r, P->v[off + i][1]);
        if (a == SIZE_MAX || b == SIZE_MAX) continue;
        chunk[*used][0] = a;
        chunk[*used][1] = b;
        (*used)++;
        size_t ab[2] = {a, b};
        for (int k = 0; k < 2; k++) {
            size_t x = ab[k];
            if (r->docs[x] || r->loaded[x].a.text) continue;
            rp_err e = rp_loader_get(ld, r->rows[x].rowid, &r->loaded[x]);
            if (e) return e;
            r->site[x] = site_hash(r->loaded[x].a.site);
            r->need[r->nneed++] = x;
        }
    }
    return RP_OK;
}

/* When an article was published, as clustering orders copies (see
 * cluster/cluster.c): a date without a time is the end of its day, so
 * that a time given on that day comes first; unknown dates come last. */
static int64_t published_key(const rp_db_row *w)
{
    if (w->published_epoch == RP_TIME_UNKNOWN) return INT64_MAX;
    if (!w->published_day) return w->published_epoch * 2;
    int64_t t = w->published_epoch, day = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    return (day * 86400 + 86399) * 2 + 1;
}

/* A site's report days apart from another of its reports in the same
 * words, not word for word the same text, is its desk's recurring report
 * (a daily money market item, a weekly filing list, a monthly payout) with
 * the day's facts, not a copy: RECUR_DAYS apart or more (both dates known)
 * and a Jaccard similarity under RECUR_SAME_JACCARD. A text the site
 * posts again unchanged stays a duplicate. */
#define RECUR_DAYS 3
#define RECUR_SAME_JACCARD 0.9
static int recurring(const rp_db_row *a, const rp_db_row *b, const rp_match *m)
{
    if (a->published_epoch == RP_TIME_UNKNOWN || b->published_epoch == RP_TIME_UNKNOWN) return 0;
    int64_t d = a->published_epoch - b->published_epoch;
    if (d < 0) d = -d;
    return d >= (int64_t)RECUR_DAYS * 86400 && m->jaccard < RECUR_SAME_JACCARD;
}

static int cmp_pivot(const void *x, const void *y, void *arg)
{
    const rp_db_row *rows = arg, *a = &rows[*(const size_t *)x], *b = &rows[*(const size_t *)y];
    int64_t ka = published_key(a), kb = published_key(b);
    if (ka != kb) return ka < kb ? -1 : 1;
    int c = strcmp(a->id ? a->id : "", b->id ? b->id : "");
    if (c) return c;
    return (a->rowid > b->rowid) - (a->rowid < b->rowid);
}

/* Row indexes by rowid in an array, when rowids are dense (as they are in
 * practice), where each pair's two lookups would otherwise be binary
 * searches. */
static void row_index_table(run *r)
{
    size_t n = r->nrows, nr = n ? (size_t)r->rows[n - 1].rowid + 1 : 1;
    if (n >= UINT32_MAX || r->rows[0].rowid < 0 || nr > 16 * (uint64_t)n + ((uint64_t)1 << 20))
        return;
    uint32_t *ix = malloc(nr * sizeof *ix);
    if (!ix) return; /* binary search then */
    for (size_t i = 0; i < nr; i++)
        ix[i] = UINT32_MAX;
    for (size_t i = 0; i < n; i++)
        ix[r->rows[i].rowid] = (uint32_t)i;
    r->ix = ix;
    r->nix = nr;
}

/* rank[rowid]: the order in which the articles would be each other's
 * source, earliest first, so that a wide bucket's pivot (its member of
 * lowest rank) is the one its copies attach to. */
static rp_err pivot_ranks(const run *r, uint32_t **rank, size_t *nrank)
{
    size_t n = r->nrows, nr = n ? (size_t)r->rows[n - 1].rowid + 1 : 1;
    *rank = NULL;
    *nrank = 0;
    /* Rowids are dense in practice; a sparse range falls back to rowid
     * order rather than an array mostly unused. */
    if (n >= UINT32_MAX || nr > 16 * (uint64_t)n + ((uint64_t)1 << 20)) return RP_OK;
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    uint32_t *rk = malloc(nr * sizeof *rk);
    if (!ix || !rk) {
        free(ix);
        free(rk);
        return RP_NOMEM;
    }
    for (size_t i = 0; i < nr; i++)
        rk[i] = UINT32_MAX;
    for (size_t i = 0; i < n; i++)
        ix[i] = i;
    qsort_r(ix, n, sizeof *ix, cmp_pivot, r->rows);
    for (size_t i = 0; i < n; i++)
        rk[r->rows[ix[i]].rowid] = (uint32_t)i;
    free(ix);
    *rank = rk;
    *nrank = nr;
    return RP_OK;
}

/* dup[i] lists, per row index, the rows whose text repeats row i. */
static rp_err add_exact_edges(const run *r, rp_cedge **edges, size_t *nedges, size_t *ecap)
{
    size_t n = r->nrows, ndup = 0, verified = *nedges;
    size_t *start = calloc(n + 1, sizeof *start), *list = NULL, *fill = NULL;
    rp_err e = RP_OK;
    if (!start) return RP_NOMEM;
    for (size_t i = 0; i < n; i++) {
        if (!r->rows[i].exact_of) continue;
        size_t j = row_index(r, r->rows[i].exact_of);
        if (j != SIZE_MAX) start[j + 1]++, ndup++;
    }
    if (ndup == 0) goto out;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    list = malloc(ndup * sizeof *list);
    fill = calloc(n, sizeof *fill);
    if (!list || !fill) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        if (!r->rows[i].exact_of) continue;
        size_t j = row_index(r, r->rows[i].exact_of);
        if (j == SIZE_MAX) continue;
        list[start[j] + fill[j]++] = i;
        if ((e = rp_grow(edges, ecap, *nedges + 1, sizeof **edges))) goto out;
        rp_cedge *ed = &(*edges)[(*nedges)++];
        ed->a = j;
        ed->b = i;
        ed->score = ed->jaccard = ed->cont_a_in_b = ed->cont_b_in_a = 1.0;
        ed->a_lo = ed->a_hi = ed->b_lo = ed->b_hi = 0; /* the whole text */
    }
    for (size_t k = 0; k < verified; k++) {
        for (int side = 0; side < 2; side++) {
            size_t x = side ? (*edges)[k].b : (*edges)[k].a;
            for (size_t d = start[x]; d < start[x + 1]; d++) {
                if ((e = rp_grow(edges, ecap, *nedges + 1, sizeof **edges))) goto out;
                rp_cedge *ed = &(*edges)[(*nedges)++];
                *ed = (*edges)[k];
                if (side)
                    ed->b = list[d];
                else
                    ed->a = list[d];
            }
        }
    }
out:
    free(start);
    free(list);
    free(fill);
    return e;
}

/* The shared part of each text: first passage start to last passage end. */
static void edge_ranges(const rp_match *m, rp_cedge *ed)
{
    ed->a_lo = ed->a_hi = ed->b_lo = ed->b_hi = 0;
    for (size_t k = 0; k < m->npassages; k++) {
        const rp_passage *p = &m->passages[k];
        if (k == 0 || p->a_start < ed->a_lo) ed->a_lo = p->a_start;
        if (k == 0 || p->b_start < ed->b_lo) ed->b_lo = p->b_start;
        if (p->a_end > ed->a_hi) ed->a_hi = p->a_end;
        if (p->b_end > ed->b_hi) ed->b_hi = p->b_end;
    }
}

/* Count pair i of the chunk and keep it as an edge when it links: at the
 * threshold and not one site's template filled twice. *nomem is set when
 * its comparison ran out of memory; the return is rp_grow's. */
static rp_err take_match(run *r, size_t i, double min_score, rp_cluster_stats *st, rp_cedge **edges,
                         size_t *nedges, size_t *ecap, int *nomem)
{
    if (r->m_err[i] == RP_OK) {
        st->sentences_skipped += !!(r->m[i].limits & RP_MATCH_SENTENCES_SKIPPED);
        st->links_capped += !!(r->m[i].limits & RP_MATCH_LINKS_CAPPED);
    } else if (r->m_err[i] != RP_NOMEM) {
        st->pairs_failed++; /* an article not prepared, or the comparison failed */
    }
    size_t ea = r->chunk[i][0], eb = r->chunk[i][1];
    /* Two reports of one site cast in one template (an issue, a results
     * table, a weekly figure) are not a copy and its source: other
     * facts in the template's slots, or the same words days apart. */
    int template = r->m_err[i] == RP_OK && r->m[i].score >= min_score && r->site[ea] &&
                   r->site[ea] == r->site[eb] &&
                   (rp_match_template(&r->m[i]) || recurring(&r->rows[ea], &r->rows[eb], &r->m[i]));
    st->same_site_templates += template;
    if (r->m_err[i] == RP_OK && r->m[i].score >= min_score && !template) {
        rp_err e = rp_grow(edges, ecap, *nedges + 1, sizeof **edges);
        if (e) return e;
        rp_cedge *ed = &(*edges)[(*nedges)++];
        ed->a = ea;
        ed->b = eb;
        ed->score = r->m[i].score;
        ed->jaccard = r->m[i].jaccard;
        ed->cont_a_in_b = r->m[i].cont_a_in_b;
        ed->cont_b_in_a = r->m[i].cont_b_in_a;
        edge_ranges(&r->m[i], ed);
    } else if (r->m_err[i] == RP_NOMEM) {
        *nomem = 1;
    }
    return RP_OK;
}

/* The meta keys under which a run's counts are kept, in the order of
 * count_field. */
static const char *const count_key[] = {
    "cluster_candidates",          "cluster_reuse_pairs",  "cluster_wide_buckets",
    "cluster_sentences_skipped",   "cluster_links_capped", "cluster_pairs_failed",
    "cluster_same_site_templates",
};
#define NCOUNTS (sizeof count_key / sizeof count_key[0])

static uint64_t *count_field(rp_cluster_stats *st, size_t i)
{
    uint64_t *f[NCOUNTS] = {&st->candidates,         &st->verified,     &st->wide_buckets,
                            &st->sentences_skipped,  &st->links_capped, &st->pairs_failed,
                            &st->same_site_templates};
    return f[i];
}

/* The clusters and the run's counts, inside the open transaction. */
static rp_err store_rows(rp_db *db, const rp_db_member *m, size_t n, rp_cluster_stats *st,
                         uint64_t gen)
{
    rp_err e = rp_db_store_clusters(db, m, n);
    if (!e) e = rp_cluster_stored_generation(db, gen);
    for (size_t i = 0; i < NCOUNTS && !e; i++) {
        char v[24];
        snprintf(v, sizeof v, "%llu", (unsigned long long)*count_field(st, i));
        e = rp_db_meta_set(db, count_key[i], v);
    }
    return e;
}

/* The same in one transaction of its own. */
static rp_err store(rp_db *db, const rp_db_member *m, size_t n, rp_cluster_stats *st, uint64_t gen)
{
    rp_err e = rp_db_begin(db);
    if (e) return e;
    if ((e = store_rows(db, m, n, st, gen))) {
        rp_db_rollback(db);
        return e;
    }
    return rp_db_commit(db);
}

/* From the verified edges (row indexes into r->rows) to stored clusters:
 * exact duplicates' edges, the trees, stable ids, then the clusters and the
 * counts in one transaction, the caller's when in_txn (it commits).
 * *from_db is set when the failure's message is the database's. */
static rp_err finish(rp_db *db, const run *r, rp_cedge **edges, size_t *nedges, size_t *ecap,
                     rp_cluster_stats *st, uint64_t gen, int in_txn, int *from_db)
{
    size_t n = r->nrows;
    rp_cnode *nodes = NULL;
    rp_cmember *members = NULL;
    size_t nclusters = 0;
    rp_db_member *prev = NULL, *out_m = NULL;
    size_t nprev = 0;
    int64_t *prev_of = NULL, *cid = NULL;
    rp_err e;

    /* Exact duplicates carry no bands, so verification never saw them: each
     * takes the verified edges of the article whose text it repeats (the
     * same text scores the same), plus an edge of score 1 to it. Then the
     * earliest of identical copies can still attach to the true original. */
    if ((e = add_exact_edges(r, edges, nedges, ecap))) goto out;

    if (!(nodes = calloc(n ? n : 1, sizeof *nodes))) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        nodes[i].article = r->rows[i].rowid;
        nodes[i].id = r->rows[i].id;
        nodes[i].published = r->rows[i].published_epoch;
        nodes[i].day_only = r->rows[i].published_day;
        nodes[i].first_seen = (uint64_t)r->rows[i].rowid;
    }
    if ((e = rp_cluster_build(nodes, n, *edges, *nedges, &members, &nclusters))) goto out;

    /* Stable ids: reuse the previous run's id of the original, else of any
     * member, else take a new one above every id seen so far. */
    if ((e = rp_db_load_clusters(db, &prev, &nprev))) {
        *from_db = 1;
        goto out;
    }
    prev_of = malloc((n ? n : 1) * sizeof *prev_of);
    cid = malloc((nclusters ? nclusters : 1) * sizeof *cid);
    out_m = calloc(n ? n : 1, sizeof *out_m);
    if (!prev_of || !cid || !out_m) {
        e = RP_NOMEM;
        goto out;
    }
    int64_t next_id = 1;
    for (size_t i = 0; i < n; i++)
        prev_of[i] = 0;
    for (size_t i = 0; i < nprev; i++) {
        size_t x = row_index(r, prev[i].article);
        if (x != SIZE_MAX) prev_of[x] = prev[i].cluster;
        if (prev[i].cluster >= next_id) next_id = prev[i].cluster + 1;
    }
    for (size_t c = 0; c < nclusters; c++)
        cid[c] = 0;
    /* Pass 1: originals keep their id; pass 2: any member's; pass 3: new.
     * Each previous id is used once (a byte per id ever issued). */
    unsigned char *taken = calloc((size_t)next_id, 1);
    if (!taken) {
        e = RP_NOMEM;
        goto out;
    }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            rp_cmember *m = &members[i];
            if (cid[m->cluster] || !prev_of[i] || (pass == 0 && !m->is_original)) continue;
            if (taken[prev_of[i]]) continue;
            cid[m->cluster] = prev_of[i];
            taken[prev_of[i]] = 1;
        }
    }
    free(taken);
    for (size_t c = 0; c < nclusters; c++)
        if (!cid[c]) cid[c] = next_id++;

    size_t *csize = calloc(nclusters ? nclusters : 1, sizeof *csize);
    if (!csize) {
        e = RP_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        csize[members[i].cluster]++;
    for (size_t c = 0; c < nclusters; c++)
        if (csize[c] >= 2) st->clusters++;
    for (size_t i = 0; i < n; i++) {
        rp_cmember *m = &members[i];
        if (csize[m->cluster] >= 2) st->clustered++;
        out_m[i].article = r->rows[i].rowid;
        out_m[i].cluster = cid[m->cluster];
        out_m[i].is_original = m->is_original;
        out_m[i].source = m->is_original ? 0 : r->rows[m->source].rowid;
        out_m[i].score = m->is_original ? 1.0 : m->score;
        out_m[i].jaccard = m->is_original ? 1.0 : m->jaccard;
        out_m[i].containment = m->is_original ? 1.0 : m->containment;
    }
    free(csize);
    if ((e = in_txn ? store_rows(db, out_m, n, st, gen) : store(db, out_m, n, st, gen)))
        *from_db = 1;
out:
    free(nodes);
    free(members);
    free(prev);
    free(prev_of);
    free(cid);
    free(out_m);
    return e;
}

rp_err rp_cluster_last(rp_db *db, rp_cluster_stats *st)
{
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < NCOUNTS; i++) {
        char *v = NULL, *end;
        rp_err e = rp_db_meta_get(db, count_key[i], &v);
        /* Runs before wide buckets were paired kept skipped ones instead. */
        if (e == RP_NOTFOUND && count_field(st, i) == &st->wide_buckets) continue;
        if (e) return e;
        *count_field(st, i) = strtoull(v, &end, 10);
        int bad = end == v || *end;
        free(v);
        if (bad) return RP_DB;
    }
    return RP_OK;
}

rp_err rp_cluster_run(rp_db *db, const rp_cluster_opts *opts, rp_cluster_stats *st, char *err,
                      size_t errsz)
{
    rp_params p;
    run r;
    pair_list P = {0};
    rp_loader *ld = NULL;
    rp_cedge *edges = NULL;
    size_t nedges = 0, ecap = 0;
    size_t *last_use = NULL;
    size_t *held = NULL, nheld = 0; /* row indexes with a prepared doc */
    size_t(*next_chunk)[2] = NULL;
    uint64_t held_tokens = 0, budget = cache_tokens();
    unsigned char *keep = NULL;
    uint32_t *rank = NULL;
    size_t nrank = 0;
    int reading = 0; /* a read snapshot is open */
    rp_pool *pool = NULL;
    rp_err e;

    memset(&r, 0, sizeof r);
    memset(st, 0, sizeof *st);
    if (err && errsz) err[0] = '\0';
    if ((e = rp_params_load(db, &p))) goto dberr;
    double min_score = opts && opts->min_score >= 0 ? opts->min_score : p.min_score;
    unsigned jobs = opts && opts->jobs ? opts->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    r.p = &p;

    /* the articles' generation before they are read (changes.c) */
    uint64_t gen = 0;
    if ((e = rp_index_generation(db, &gen))) goto dberr;
    if ((e = rp_db_rows(db, &r.rows, &r.nrows))) goto dberr;
    if ((e = pivot_ranks(&r, &rank, &nrank))) goto out;
    if (r.nrows) row_index_table(&r);
    if ((e = rp_db_candidates(db, p.bucket_cap, rp_params_solo_from(&p), rank, nrank, add_pair, &P,
                              &st->wide_buckets)))
        goto dberr;
    st->candidates = P.n;

    size_t n = r.nrows;
    r.docs = calloc(n ? n : 1, sizeof *r.docs);
    r.loaded = calloc(n ? n : 1, sizeof *r.loaded);
    last_use = malloc((n ? n : 1) * sizeof *last_use);
    held = malloc((n ? n : 1) * sizeof *held);
    keep = calloc(n ? n : 1, 1);
    r.need = malloc(2 * CHUNK * sizeof *r.need);
    r.need_err = malloc(2 * CHUNK * sizeof *r.need_err);
    r.chunk = malloc(CHUNK * sizeof *r.chunk);
    next_chunk = malloc(CHUNK * sizeof *next_chunk);
    r.m = malloc(CHUNK * sizeof *r.m);
    r.m_err = malloc(CHUNK * sizeof *r.m_err);
    r.site = calloc(n ? n : 1, sizeof *r.site);
    if (!r.docs || !r.loaded || !last_use || !held || !keep || !r.need || !r.need_err || !r.chunk ||
        !next_chunk || !r.m || !r.m_err || !r.site) {
        e = RP_NOMEM;
        goto out;
    }
    if ((e = rp_loader_new(&ld, db, &p))) goto out;
    if ((e = rp_pool_new(&pool, jobs - 1))) goto out;
    if ((e = rp_docarena_new(&r.arena))) goto out;
    for (size_t i = 0; i < n; i++)
        last_use[i] = 0;
    for (size_t i = 0; i < P.n; i++) {
        size_t a = row_index(&r, P.v[i][0]), b = row_index(&r, P.v[i][1]);
        if (a != SIZE_MAX) last_use[a] = i / CHUNK + 1;
        if (b != SIZE_MAX) last_use[b] = i / CHUNK + 1;
    }

    /* One read snapshot for all the articles' reads, instead of a lock
     * taken and dropped per statement. */
    if ((e = rp_db_read_begin(db, &reading))) goto dberr;
    size_t used = 0;
    if (P.n && (e = load_chunk(&r, ld, &P, 0, P.n < CHUNK ? P.n : CHUNK, r.chunk, &used)))
        goto dberr;
    for (size_t off = 0; off < P.n; off += CHUNK) {
        size_t cn = P.n - off < CHUNK ? P.n - off : CHUNK, chunk_no = off / CHUNK + 1;
        rp_pool_start(pool, prepare_one, &r, r.nneed);
        rp_pool_finish(pool);
        for (size_t i = 0; i < r.nneed; i++)
            if (r.need_err[i] == RP_NOMEM) e = RP_NOMEM;
        if (e) goto out;
        for (size_t i = 0; i < r.nneed; i++)
            if (r.docs[r.need[i]]) {
                held[nheld++] = r.need[i];
                held_tokens += r.rows[r.need[i]].ntokens + 1;
            }
        /* Compare this chunk on the pool's jobs - 1 threads while this one
         * reads the next chunk's articles, then joins them. */
        rp_pool_start(pool, verify_one, &r, used);
        size_t next_used = 0;
        rp_err le = RP_OK;
        if (off + CHUNK < P.n) {
            size_t ncn = P.n - off - CHUNK < CHUNK ? P.n - off - CHUNK : CHUNK;
            le = load_chunk(&r, ld, &P, off + CHUNK, ncn, next_chunk, &next_used);
        } else {
            r.nneed = 0;
        }
        rp_pool_finish(pool);
        if (le) {
            for (size_t i = 0; i < used; i++)
                rp_match_clear(&r.m[i]);
            e = le;
            goto dberr;
        }
        for (size_t i = 0; i < used; i++) {
            int nomem = 0;
            if ((e = take_match(&r, i, min_score, st, &edges, &nedges, &ecap, &nomem))) goto out;
            if (nomem) e = RP_NOMEM;
            rp_match_clear(&r.m[i]);
        }
        if (e) goto out;
        /* Release the articles no later chunk needs. */
        for (size_t i = 0; i < used; i++)
            for (int k = 0; k < 2; k++) {
                size_t x = r.chunk[i][k];
                if (r.docs[x] && last_use[x] <= chunk_no) {
                    rp_doc_free(r.docs[x]);
                    r.docs[x] = NULL;
                    held_tokens -= r.rows[x].ntokens + 1;
                }
            }
        /* Over budget: keep only what the next chunk needs. An evicted
         * article is read and prepared again if a later chunk needs it,
         * so memory stays bounded whatever the corpus size. */
        size_t w = 0;
        int evict = held_tokens > budget;
        if (evict)
            for (size_t i = off + CHUNK; i < P.n && i < off + 2 * CHUNK; i++)
                for (int k = 0; k < 2; k++) {
                    size_t x = row_index(&r, P.v[i][k]);
                    if (x != SIZE_MAX) keep[x] = 1;
                }
        for (size_t i = 0; i < nheld; i++) {
            size_t x = held[i];
            if (!r.docs[x]) continue;
            if (evict && !keep[x]) {
                rp_doc_free(r.docs[x]);
                r.docs[x] = NULL;
                held_tokens -= r.rows[x].ntokens + 1;
                continue;
            }
            held[w++] = x;
        }
        nheld = w;
        if (evict)
            for (size_t i = off + CHUNK; i < P.n && i < off + 2 * CHUNK; i++)
                for (int k = 0; k < 2; k++) {
                    size_t x = row_index(&r, P.v[i][k]);
                    if (x != SIZE_MAX) keep[x] = 0;
                }
        if (opts && opts->progress) opts->progress(opts->ctx, off + cn, 0);
        size_t(*t2)[2] = r.chunk;
        r.chunk = next_chunk;
        next_chunk = t2;
        used = next_used;
    }
    st->verified = nedges;
    e = rp_db_read_end(db, reading);
    reading = 0;
    if (e) goto dberr;

    {
        int from_db = 0;
        if ((e = finish(db, &r, &edges, &nedges, &ecap, st, gen, 0, &from_db))) {
            if (from_db) goto dberr;
            goto out;
        }
    }
    goto out;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
out:
    if (e && err && !err[0]) snprintf(err, errsz, "clustering failed: %s", rp_strerror(e));
    if (reading) rp_db_read_end(db, reading);
    if (r.docs)
        for (size_t i = 0; i < r.nrows; i++)
            rp_doc_free(r.docs[i]);
    if (r.loaded)
        for (size_t i = 0; i < r.nrows; i++)
            rp_article_clear(&r.loaded[i].a);
    free(r.docs);
    free(r.loaded);
    free(r.need);
    free(r.need_err);
    free(r.chunk);
    free(next_chunk);
    free(r.m);
    free(r.m_err);
    free(r.site);
    free(r.ix);
    free(last_use);
    free(held);
    free(keep);
    free(P.v);
    free(rank);
    free(edges);
    rp_pool_free(pool);
    rp_docarena_free(r.arena); /* after the docs */
    rp_loader_free(ld);
    rp_db_rows_free(r.rows, r.nrows);
    return e;
}

/* ---- workers: one cluster job shared through the database ---- */

#define DEFAULT_PARTS 16
#define WAIT_NS (50 * 1000 * 1000) /* between asks while others hold every open item */

static void nap(long ns)
{
    struct timespec ts = {0, ns};
    nanosleep(&ts, NULL);
}

/* A worker's articles: rows, ranks and prepared docs kept across chunks. */
typedef struct worker {
    run r;
    uint32_t *rank;
    size_t nrank;
    size_t *held; /* row indexes with a prepared doc */
    size_t nheld;
    uint64_t held_tokens;
    size_t cap; /* pairs room of r.chunk, r.m, r.m_err, 2x in r.need */
} worker;

static void worker_clear(worker *w)
{
    run *r = &w->r;
    if (r->docs)
        for (size_t i = 0; i < r->nrows; i++)
            rp_doc_free(r->docs[i]);
    if (r->loaded)
        for (size_t i = 0; i < r->nrows; i++)
            rp_article_clear(&r->loaded[i].a);
    free(r->docs);
    free(r->loaded);
    free(r->need);
    free(r->need_err);
    free(r->chunk);
    free(r->m);
    free(r->m_err);
    free(r->site);
    rp_db_rows_free(r->rows, r->nrows);
    free(w->rank);
    free(w->held);
    const rp_params *p = r->p;
    memset(w, 0, sizeof *w);
    w->r.p = p;
}

/* Read the articles (after their generation, into *gen). */
static rp_err worker_load(worker *w, rp_db *db, uint64_t *gen)
{
    run *r = &w->r;
    rp_err e = rp_index_generation(db, gen);
    if (!e) e = rp_db_rows(db, &r->rows, &r->nrows);
    if (!e) e = pivot_ranks(r, &w->rank, &w->nrank);
    if (e) return e;
    size_t n = r->nrows ? r->nrows : 1;
    r->docs = calloc(n, sizeof *r->docs);
    r->loaded = calloc(n, sizeof *r->loaded);
    r->site = calloc(n, sizeof *r->site);
    w->held = malloc(n * sizeof *w->held);
    if (!r->docs || !r->loaded || !r->site || !w->held) return RP_NOMEM;
    return RP_OK;
}

static rp_err worker_room(worker *w, size_t np)
{
    if (np <= w->cap) return RP_OK;
    run *r = &w->r;
    free(r->chunk);
    free(r->m);
    free(r->m_err);
    free(r->need);
    free(r->need_err);
    r->chunk = malloc(np * sizeof *r->chunk);
    r->m = malloc(np * sizeof *r->m);
    r->m_err = malloc(np * sizeof *r->m_err);
    r->need = malloc(2 * np * sizeof *r->need);
    r->need_err = malloc(2 * np * sizeof *r->need_err);
    w->cap = 0;
    if (!r->chunk || !r->m || !r->m_err || !r->need || !r->need_err) return RP_NOMEM;
    w->cap = np;
    return RP_OK;
}

/* Verify one claimed chunk's pairs (rowid pairs) as rp_cluster_run verifies
 * its chunks; the edges kept go into *out as rowid pairs, the counts into
 * cs. Prepared articles stay for the next chunk until they pass the cache
 * budget, when all go. */
static rp_err worker_chunk(worker *w, rp_loader *ld, const int64_t *pairs, size_t np, unsigned jobs,
                           double min_score, uint64_t budget, rp_cluster_stats *cs,
                           rp_db_edge **out, size_t *nout, int *from_db)
{
    run *r = &w->r;
    rp_cedge *edges = NULL;
    size_t nedges = 0, ecap = 0, used = 0;
    rp_err e = worker_room(w, np ? np : 1);
    *out = NULL;
    *nout = 0;
    if (e) return e;
    r->nneed = 0;
    for (size_t i = 0; i < np; i++) {
        size_t a = row_index(r, pairs[2 * i]), b = row_index(r, pairs[2 * i + 1]);
        if (a == SIZE_MAX || b == SIZE_MAX) continue;
        r->chunk[used][0] = a;
        r->chunk[used][1] = b;
        used++;
        size_t ab[2] = {a, b};
        for (int k = 0; k < 2; k++) {
            size_t x = ab[k];
            if (r->docs[x] || r->loaded[x].a.text) continue;
            if ((e = rp_loader_get(ld, r->rows[x].rowid, &r->loaded[x]))) {
                *from_db = 1;
                return e;
            }
            r->site[x] = site_hash(r->loaded[x].a.site);
            r->need[r->nneed++] = x;
        }
    }
    rp_parallel_for(r->nneed, jobs, prepare_one, r);
    for (size_t i = 0; i < r->nneed; i++) {
        if (r->need_err[i] == RP_NOMEM) e = RP_NOMEM;
        if (r->docs[r->need[i]]) {
            w->held[w->nheld++] = r->need[i];
            w->held_tokens += r->rows[r->need[i]].ntokens + 1;
        }
    }
    if (e) return e;
    rp_parallel_for(used, jobs, verify_one, r);
    for (size_t i = 0; i < used; i++) {
        int nomem = 0;
        if (!e) e = take_match(r, i, min_score, cs, &edges, &nedges, &ecap, &nomem);
        if (nomem && !e) e = RP_NOMEM;
        rp_match_clear(&r->m[i]);
    }
    if (!e && nedges && !(*out = malloc(nedges * sizeof **out))) e = RP_NOMEM;
    for (size_t i = 0; i < nedges && !e; i++) {
        const rp_cedge *c = &edges[i];
        (*out)[i] = (rp_db_edge){r->rows[c->a].rowid,
                                 r->rows[c->b].rowid,
                                 c->score,
                                 c->jaccard,
                                 c->cont_a_in_b,
                                 c->cont_b_in_a,
                                 c->a_lo,
                                 c->a_hi,
                                 c->b_lo,
                                 c->b_hi};
    }
    if (!e) *nout = nedges;
    cs->verified += nedges;
    free(edges);
    if (w->held_tokens > budget) {
        for (size_t i = 0; i < w->nheld; i++) {
            rp_doc_free(r->docs[w->held[i]]);
            r->docs[w->held[i]] = NULL;
        }
        w->nheld = 0;
        w->held_tokens = 0;
    }
    return e;
}

/* Every chunk is verified: with the finishing transaction open, the edges
 * become clusters, stored with the counts; the job closes. *stale when the
 * articles changed since the job began (nothing stored then). */
static rp_err worker_finish(rp_db *db, worker *w, const rp_db_job *job, rp_cluster_stats *st,
                            int *stale, int *from_db)
{
    rp_db_edge *de = NULL;
    rp_cedge *edges = NULL;
    size_t nde = 0, nedges = 0, ecap = 0;
    uint64_t counts[RP_DB_JOB_COUNTS] = {0}, gen = 0;
    rp_err e;
    *stale = 0;
    /* Under the writers' lock: no article can change before the commit. */
    if ((e = rp_index_generation(db, &gen))) goto dberr;
    if (gen != job->generation) {
        *stale = 1;
        rp_db_rollback(db);
        return RP_OK;
    }
    if ((e = rp_db_job_edges(db, job, &de, &nde, counts, RP_DB_JOB_COUNTS, &st->candidates,
                             &st->wide_buckets)))
        goto dberr;
    st->verified = counts[0];
    st->sentences_skipped = counts[1];
    st->links_capped = counts[2];
    st->pairs_failed = counts[3];
    st->same_site_templates = counts[4];
    if (nde && !(edges = malloc(nde * sizeof *edges))) {
        e = RP_NOMEM;
        goto fail;
    }
    ecap = nde;
    for (size_t i = 0; i < nde; i++) {
        size_t a = row_index(&w->r, de[i].a), b = row_index(&w->r, de[i].b);
        if (a == SIZE_MAX || b == SIZE_MAX) continue;
        edges[nedges++] = (rp_cedge){a,
                                     b,
                                     de[i].score,
                                     de[i].jaccard,
                                     de[i].cont_a_in_b,
                                     de[i].cont_b_in_a,
                                     de[i].a_lo,
                                     de[i].a_hi,
                                     de[i].b_lo,
                                     de[i].b_hi};
    }
    if ((e = finish(db, &w->r, &edges, &nedges, &ecap, st, gen, 1, from_db))) goto fail;
    if ((e = rp_db_job_close(db, job)) || (e = rp_db_commit(db))) goto dberr;
    goto out;
dberr:
    *from_db = 1;
fail:
    rp_db_rollback(db);
out:
    free(de);
    free(edges);
    return e;
}

/* After another worker finished the job: the counts it stored. */
static rp_err stored_stats(rp_db *db, rp_cluster_stats *st)
{
    rp_db_stats ds;
    rp_err e = rp_cluster_last(db, st);
    if (!e) e = rp_db_stats_get(db, &ds);
    if (e) return e;
    st->clusters = ds.clusters;
    st->clustered = ds.clustered_articles;
    return RP_OK;
}

rp_err rp_cluster_work(rp_db *db, const rp_cluster_opts *opts, rp_cluster_stats *st,
                       rp_cluster_work_stats *ws, char *err, size_t errsz)
{
    rp_params p;
    worker w;
    rp_loader *ld = NULL;
    rp_db_job job;
    int64_t *pairs = NULL;
    rp_db_edge *edges = NULL;
    int from_db = 0;
    uint64_t budget = cache_tokens(), verified = 0;
    rp_err e;

    memset(&w, 0, sizeof w);
    memset(st, 0, sizeof *st);
    memset(ws, 0, sizeof *ws);
    if (err && errsz) err[0] = '\0';
    if ((e = rp_params_load(db, &p))) {
        from_db = 1;
        goto out;
    }
    w.r.p = &p;
    double min_score = opts && opts->min_score >= 0 ? opts->min_score : p.min_score;
    unsigned jobs = opts && opts->jobs ? opts->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    size_t parts = opts && opts->parts ? opts->parts : DEFAULT_PARTS;
    for (;;) {
        /* (Re)start: the articles as they are now, and the job for them
         * (the loader anew too: it keeps the sites' chrome lines). */
        uint64_t gen = 0;
        worker_clear(&w);
        rp_loader_free(ld);
        ld = NULL;
        if ((e = rp_loader_new(&ld, db, &p))) goto out;
        if ((e = worker_load(&w, db, &gen))) {
            from_db = e != RP_NOMEM;
            goto out;
        }
        e = rp_db_job_join(db, gen, parts, min_score, &job);
        if (e == RP_BUSY) { /* a job for newer articles: read them */
            ws->restarts++;
            continue;
        }
        if (e) {
            from_db = 1;
            goto out;
        }
        ws->job = job.id;
        int again = 0;
        while (!again) {
            rp_db_task task;
            size_t item = 0, np = 0;
            if ((e = rp_db_job_next(db, &job, &task, &item, &pairs, &np))) {
                from_db = 1;
                goto out;
            }
            switch (task) {
            case RP_TASK_PART:
                if ((e = rp_db_job_part(db, &job, item, p.bucket_cap, rp_params_solo_from(&p),
                                        w.rank, w.nrank))) {
                    from_db = 1;
                    goto out;
                }
                ws->parts++;
                break;
            case RP_TASK_CHUNK: {
                rp_cluster_stats cs = {0};
                size_t nedges = 0;
                e = worker_chunk(&w, ld, pairs, np, jobs, min_score, budget, &cs, &edges, &nedges,
                                 &from_db);
                free(pairs);
                pairs = NULL;
                uint64_t counts[RP_DB_JOB_COUNTS] = {cs.verified, cs.sentences_skipped,
                                                     cs.links_capped, cs.pairs_failed,
                                                     cs.same_site_templates};
                if (!e) {
                    e = rp_db_job_chunk_done(db, &job, item, edges, nedges, counts,
                                             RP_DB_JOB_COUNTS);
                    from_db = e != RP_OK;
                }
                free(edges);
                edges = NULL;
                if (e) {
                    rp_db_rollback(db);
                    goto out;
                }
                ws->chunks++;
                ws->pairs += np;
                verified += np;
                if (opts && opts->progress) opts->progress(opts->ctx, verified, 0);
                break;
            }
            case RP_TASK_WAIT:
                nap(WAIT_NS);
                break;
            case RP_TASK_FINISH: {
                int got = 0, stale = 0;
                if ((e = rp_db_job_finish_begin(db, &job, &got))) {
                    from_db = 1;
                    goto out;
                }
                if (!got) {
                    nap(WAIT_NS);
                    break;
                }
                if ((e = worker_finish(db, &w, &job, st, &stale, &from_db))) goto out;
                if (stale) {
                    ws->restarts++;
                    again = 1;
                    break;
                }
                ws->finished = 1;
                goto out;
            }
            case RP_TASK_DONE:
                if ((e = stored_stats(db, st))) from_db = 1;
                goto out;
            case RP_TASK_GONE:
                ws->restarts++;
                again = 1;
                break;
            }
        }
    }
out:
    if (e && err && from_db) snprintf(err, errsz, "%s", rp_db_errmsg(db));
    if (e && err && !err[0]) snprintf(err, errsz, "clustering failed: %s", rp_strerror(e));
    free(pairs);
    free(edges);
    rp_loader_free(ld);
    worker_clear(&w);
    return e;
}
