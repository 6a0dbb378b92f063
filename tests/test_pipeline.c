/* test_pipeline.c: records given in memory, removal, the change counter and
 * index-time parameters (pipeline/, with input/ and db/ beneath). */
#include <stdio.h>

#include "testutil.h"
#include "pipeline/loader.h" /* test_pool */

static const char budget[] =
    "The city council approved a new budget on Tuesday that raises spending on public transport "
    "by twelve percent, the largest increase in a decade. The mayor said the money would pay for "
    "more frequent buses, longer opening hours on the metro and a pilot of free fares for "
    "students. Opposition members argued that the plan relied on optimistic tax forecasts and "
    "warned of cuts to libraries and parks elsewhere in the city.";
static const char copy[] =
    "On Tuesday the city council approved a new budget that raises spending on public transport "
    "by twelve percent, the largest increase in a decade. According to the mayor the money would "
    "pay for more frequent buses, longer opening hours on the metro and a pilot of free fares for "
    "students. Opposition members said the plan relied on optimistic tax forecasts.";
static const char flood[] =
    "Heavy rain caused the river to burst its banks overnight, flooding dozens of homes in the "
    "low-lying eastern districts. Firefighters used boats to rescue an elderly couple from the "
    "upper floor of their house, and volunteers filled sandbags outside the town hall.";

static rp_record text_rec(const char *id, const char *text)
{
    rp_record r = {0};
    r.id = id;
    r.text = text;
    r.text_len = strlen(text);
    return r;
}

typedef struct fixture {
    char dir[64], path[96];
    rp_db *db;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (!fx) return -1;
    snprintf(fx->dir, sizeof fx->dir, "/tmp/rp-pipeline-XXXXXX");
    if (!mkdtemp(fx->dir)) return -1;
    snprintf(fx->path, sizeof fx->path, "%s/t.db", fx->dir);
    if (rp_db_open(&fx->db, fx->path, 0) != RP_OK) return -1;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rp_db_close(fx->db);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) return -1;
    free(fx);
    return 0;
}

static void test_article_from_record(void **state)
{
    (void)state;
    rp_article a;
    char err[256];
    rp_record r = text_rec(NULL, budget);
    r.url = "https://www.City.example/budget";
    r.title = "Budget";
    r.published = "2024-03-05T09:00:00Z";
    assert_int_equal(rp_article_from_record(&a, &r, "mem", 7, NULL, err, sizeof err), RP_OK);
    assert_string_equal(a.id, "https://www.City.example/budget"); /* no id: the url */
    assert_string_equal(a.site, "city.example");
    assert_string_equal(a.title, "Budget");
    assert_string_equal(a.source, "mem");
    assert_int_equal(a.record, 7);
    assert_int_equal(a.text_len, strlen(budget));
    assert_memory_equal(a.text, budget, a.text_len);
    int64_t t;
    assert_int_equal(rp_time_parse("2024-03-05T09:00:00Z", &t), RP_OK);
    assert_int_equal(a.published_epoch, t);
    rp_article_clear(&a);

    /* the site option wins; a page is extracted */
    static const char page[] = "<html><head><title>Flood</title></head><body><article><p>Heavy "
                               "rain caused the river to burst its banks overnight, flooding "
                               "dozens of homes.</p></article></body></html>";
    rp_record h = {.id = "p", .html = page, .html_len = sizeof page - 1};
    rp_reader_opts o = {.site = "forced.example"};
    assert_int_equal(rp_article_from_record(&a, &h, NULL, 1, &o, err, sizeof err), RP_OK);
    assert_string_equal(a.site, "forced.example");
    assert_non_null(strstr(a.text, "burst its banks"));
    assert_null(strstr(a.text, "<p>"));
    assert_string_equal(a.source, "-");
    rp_article_clear(&a);

    /* rejects carry the reader's reasons */
    rp_record none = text_rec(NULL, budget);
    assert_int_equal(rp_article_from_record(&a, &none, NULL, 1, NULL, err, sizeof err), RP_REJECT);
    assert_string_equal(err, "no id and no url");
    rp_record empty = text_rec("e", "  \n ");
    assert_int_equal(rp_article_from_record(&a, &empty, NULL, 1, NULL, err, sizeof err), RP_REJECT);
    assert_non_null(strstr(err, "empty text"));
    rp_record bin = {.id = "b", .text = "ab\0\0\0\0\x01\x02\x03 binary", .text_len = 16};
    assert_int_equal(rp_article_from_record(&a, &bin, NULL, 1, NULL, err, sizeof err), RP_REJECT);
    assert_string_equal(err, "binary content");
    assert_null(a.id);
}

struct rejects {
    uint64_t record[8];
    char reason[8][128];
    size_t n;
};

static void on_reject(void *ctx, const char *source, uint64_t record, const char *reason)
{
    struct rejects *r = ctx;
    assert_string_equal(source, "record");
    if (r->n < 8) {
        r->record[r->n] = record;
        snprintf(r->reason[r->n], sizeof r->reason[r->n], "%s", reason);
    }
    r->n++;
}

static void test_index_records(void **state)
{
    fixture *fx = *state;
    rp_record recs[5] = {text_rec("budget", budget), text_rec("blank", " "),
                         text_rec("budget-again", budget), text_rec("flood", flood),
                         text_rec("budget", flood)};
    struct rejects rj = {0};
    rp_index_opts o = {.jobs = 2, .on_reject = on_reject, .ctx = &rj};
    rp_index_stats st;
    char err[256];
    uint64_t g0 = 99;
    assert_int_equal(rp_index_generation(fx->db, &g0), RP_OK);
    assert_int_equal(g0, 0);
    assert_int_equal(rp_index_records(fx->db, recs, 5, &o, &st, err, sizeof err), RP_OK);
    assert_int_equal(st.indexed, 3);
    assert_int_equal(st.exact_duplicates, 1);
    assert_int_equal(st.already, 1);
    assert_int_equal(st.rejected, 1);
    assert_int_equal(rj.n, 1);
    assert_int_equal(rj.record[0], 2);
    assert_non_null(strstr(rj.reason[0], "empty text"));
    uint64_t g1;
    assert_int_equal(rp_index_generation(fx->db, &g1), RP_OK);
    assert_true(g1 > g0);

    /* the same records again change nothing, not even the counter */
    assert_int_equal(rp_index_records(fx->db, recs, 5, &o, &st, err, sizeof err), RP_OK);
    assert_int_equal(st.indexed, 0);
    assert_int_equal(st.already, 4);
    uint64_t g2;
    assert_int_equal(rp_index_generation(fx->db, &g2), RP_OK);
    assert_int_equal(g2, g1);

    /* what was stored is found */
    rp_hit *hits = NULL;
    size_t n = 0;
    assert_int_equal(rp_query_text(fx->db, copy, strlen(copy), -1, 0, &hits, &n, err, sizeof err),
                     RP_OK);
    assert_true(n >= 1);
    assert_true(!strcmp(hits[0].id, "budget") || !strcmp(hits[0].id, "budget-again"));
    rp_hits_free(hits, n);
    assert_int_equal(rp_index_records(fx->db, NULL, 1, &o, &st, err, sizeof err), RP_ARG);
}

static void cluster(rp_db *db, rp_cluster_stats *st)
{
    rp_cluster_opts co = {.min_score = -1, .jobs = 1};
    char err[256];
    assert_int_equal(rp_cluster_run(db, &co, st, err, sizeof err), RP_OK);
}

static void test_stale_and_remove(void **state)
{
    fixture *fx = *state;
    rp_record recs[4] = {text_rec("budget", budget), text_rec("dup", budget),
                         text_rec("copy", copy), text_rec("flood", flood)};
    rp_index_stats st;
    char err[256];
    int stale = 0;
    assert_int_equal(rp_cluster_stale(fx->db, &stale), RP_OK);
    assert_int_equal(stale, 1); /* never clustered */
    assert_int_equal(rp_index_records(fx->db, recs, 4, NULL, &st, err, sizeof err), RP_OK);
    assert_int_equal(st.indexed, 4);
    rp_cluster_stats cs;
    cluster(fx->db, &cs);
    assert_int_equal(cs.clusters, 1);
    assert_int_equal(cs.clustered, 3);
    assert_int_equal(rp_cluster_stale(fx->db, &stale), RP_OK);
    assert_int_equal(stale, 0);

    /* removing the original hands its bands to its duplicate */
    size_t csize = 0;
    assert_int_equal(rp_remove_id(fx->db, "budget", &csize, err, sizeof err), RP_OK);
    assert_int_equal(csize, 3);
    assert_int_equal(rp_cluster_stale(fx->db, &stale), RP_OK);
    assert_int_equal(stale, 1);
    int64_t rowid;
    assert_int_equal(rp_db_find_id(fx->db, "budget", &rowid), RP_NOTFOUND);
    rp_db_member *m = NULL;
    size_t nm = 9;
    assert_int_equal(rp_db_load_clusters(fx->db, &m, &nm), RP_OK);
    int64_t flood_row;
    assert_int_equal(rp_db_find_id(fx->db, "flood", &flood_row), RP_OK);
    assert_int_equal(nm, 1); /* the cluster is gone, flood's singleton is left */
    assert_int_equal(m[0].article, flood_row);
    free(m);
    rp_hit *hits = NULL;
    size_t n = 0;
    assert_int_equal(rp_query_text(fx->db, copy, strlen(copy), -1, 0, &hits, &n, err, sizeof err),
                     RP_OK);
    int found_dup = 0;
    for (size_t i = 0; i < n; i++) {
        assert_string_not_equal(hits[i].id, "budget");
        found_dup |= !strcmp(hits[i].id, "dup");
    }
    assert_true(found_dup);
    rp_hits_free(hits, n);
    rp_db_stats ds;
    assert_int_equal(rp_db_stats_get(fx->db, &ds), RP_OK);
    assert_int_equal(ds.articles, 3);
    assert_int_equal(ds.exact_duplicates, 0);

    /* clustering again links the duplicate and the copy */
    cluster(fx->db, &cs);
    assert_int_equal(cs.clusters, 1);
    assert_int_equal(cs.clustered, 2);

    assert_int_equal(rp_remove_id(fx->db, "budget", &csize, err, sizeof err), RP_NOTFOUND);
    assert_non_null(strstr(err, "no article with id budget"));
    assert_non_null(strstr(err, fx->path));
}

static void test_params(void **state)
{
    fixture *fx = *state;
    rp_params p, d;
    char err[256];
    rp_params_default(&d);
    assert_int_equal(rp_params_make(&p, 0, 0, -1, err, sizeof err), RP_OK);
    assert_memory_equal(&p, &d, sizeof p);
    assert_int_equal(rp_params_make(&p, 17, 0, -1, err, sizeof err), RP_ARG);
    assert_non_null(strstr(err, "shingle size 17"));
    assert_int_equal(rp_params_make(&p, 0, 8, -1, err, sizeof err), RP_ARG);
    assert_int_equal(rp_params_make(&p, 0, 0, 0, err, sizeof err), RP_ARG);
    assert_int_equal(rp_params_make(&p, 0, 0, 1.5, err, sizeof err), RP_ARG);
    assert_int_equal(rp_params_make(&p, 5, 64, 0.5, err, sizeof err), RP_OK);
    assert_int_equal(p.shingle_k, 5);
    assert_int_equal(p.k, 64);
    for (int f = 0; f < RP_FAM_COUNT_; f++)
        assert_true(p.lsh[f].bands * p.lsh[f].rows <= 64 && p.lsh[f].bands > 0);

    /* a new index stores them; loading reads them back */
    rp_params got;
    assert_int_equal(rp_params_init(fx->db, 5, 64, 0.5, &got, err, sizeof err), RP_OK);
    rp_params back;
    assert_int_equal(rp_params_load(fx->db, &back), RP_OK);
    assert_int_equal(back.shingle_k, 5);
    assert_int_equal(back.k, 64);
    assert_true(back.min_score == 0.5);
    assert_int_equal(back.lsh[RP_FAM_WORDS].bands, p.lsh[RP_FAM_WORDS].bands);
    /* an existing one checks each value given, ignores the others */
    assert_int_equal(rp_params_init(fx->db, 5, 0, -1, NULL, err, sizeof err), RP_OK);
    assert_int_equal(rp_params_init(fx->db, 0, 128, -1, NULL, err, sizeof err), RP_ARG);
    assert_non_null(strstr(err, "made with permutations 64, not 128"));
    assert_int_equal(rp_params_init(fx->db, 0, 0, 0.25, NULL, err, sizeof err), RP_ARG);
    assert_non_null(strstr(err, "threshold 0.5, not 0.25"));

    /* and indexing signs with them: a 64-slot index still finds the copy */
    rp_record recs[2] = {text_rec("budget", budget), text_rec("flood", flood)};
    rp_index_stats st;
    assert_int_equal(rp_index_records(fx->db, recs, 2, NULL, &st, err, sizeof err), RP_OK);
    rp_hit *hits = NULL;
    size_t n = 0;
    assert_int_equal(rp_query_text(fx->db, copy, strlen(copy), 0.3, 0, &hits, &n, err, sizeof err),
                     RP_OK);
    assert_int_equal(n, 1);
    assert_string_equal(hits[0].id, "budget");
    rp_hits_free(hits, n);
}

/* A pool runs every item of every batch exactly once, with the threads it
 * has (none at all included), and batches follow one another. */
typedef struct pool_batch {
    unsigned char *hit;
    size_t batch;
} pool_batch;

static void pool_item(void *v, size_t i)
{
    pool_batch *b = v;
    b->hit[i] += (unsigned char)(b->batch + 1);
}

static void test_pool(void **state)
{
    (void)state;
    for (unsigned threads = 0; threads <= 3; threads++) {
        rp_pool *p = NULL;
        assert_int_equal(rp_pool_new(&p, threads), RP_OK);
        size_t n = 10000;
        unsigned char *hit = calloc(n, 1);
        assert_non_null(hit);
        for (size_t batch = 0; batch < 20; batch++) {
            size_t m = batch % 5 == 0 ? batch % 2 : n - batch; /* 0 and 1 items too */
            memset(hit, 0, n);
            pool_batch b = {hit, batch};
            rp_pool_start(p, pool_item, &b, m);
            rp_pool_finish(p);
            for (size_t i = 0; i < n; i++)
                if (hit[i] != (i < m ? batch + 1 : 0))
                    fail_msg("%u threads, batch %zu: item %zu run %u times", threads, batch, i,
                             (unsigned)hit[i]);
        }
        free(hit);
        rp_pool_free(p);
    }
    rp_pool_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_article_from_record),
        cmocka_unit_test_setup_teardown(test_index_records, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_and_remove, setup, teardown),
        cmocka_unit_test_setup_teardown(test_params, setup, teardown),
        cmocka_unit_test(test_pool),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
