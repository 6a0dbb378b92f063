/*
 * bench_query.c: latency of one query against an existing index.
 *
 * Usage: bench_query [-n COUNT] [-s SEED] [-t TOP] DB CORPUS.jsonl
 *
 * Opens DB read-only, picks COUNT articles (default 1000) from the JSONL
 * corpus by a seeded reservoir sample (so the picks spread over the whole
 * file, not its first lines), and times rp_query_text on each text: the
 * whole query path (tokenise, sign, band lookups, load and verify the
 * candidates). Prints the seed, the inputs' sizes, p50, p99, mean and max
 * in milliseconds and the mean number of hits. Never asserts on time.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "reprint.h"

static uint64_t rng_state;

static uint64_t rng(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Reservoir-sample up to n "text" fields of the JSONL file into texts. */
static size_t sample(FILE *f, size_t n, char **texts, size_t *lines)
{
    char *line = NULL;
    size_t cap = 0, seen = 0, have = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) > 0) {
        size_t slot = have < n ? have : (size_t)(rng() % (seen + 1));
        seen++;
        if (slot >= n) continue;
        json_t *j = json_loadb(line, (size_t)len, 0, NULL);
        const char *t = j ? json_string_value(json_object_get(j, "text")) : NULL;
        if (t && *t) {
            char *copy = strdup(t);
            if (copy) {
                if (slot < have)
                    free(texts[slot]);
                else
                    have++;
                texts[slot] = copy;
            }
        }
        json_decref(j);
    }
    free(line);
    *lines = seen;
    return have;
}

int main(int argc, char **argv)
{
    size_t count = 1000, top = 10;
    uint64_t seed = 20240601;
    int c, rc = 1;
    while ((c = getopt(argc, argv, "n:s:t:")) != -1) {
        if (c == 'n')
            count = strtoul(optarg, NULL, 10);
        else if (c == 's')
            seed = strtoull(optarg, NULL, 10);
        else if (c == 't')
            top = strtoul(optarg, NULL, 10);
        else {
            fprintf(stderr, "usage: bench_query [-n COUNT] [-s SEED] [-t TOP] DB CORPUS.jsonl\n");
            return 2;
        }
    }
    if (argc - optind != 2 || count == 0) {
        fprintf(stderr, "usage: bench_query [-n COUNT] [-s SEED] [-t TOP] DB CORPUS.jsonl\n");
        return 2;
    }
    rng_state = seed ? seed : 1;
    rp_db *db = NULL;
    char **texts = calloc(count, sizeof *texts);
    double *ms = calloc(count, sizeof *ms);
    FILE *f = fopen(argv[optind + 1], "r");
    size_t have = 0, lines = 0, hits_total = 0, bytes = 0;
    if (!texts || !ms || !f) {
        fprintf(stderr, "bench_query: cannot read %s\n", argv[optind + 1]);
        goto out;
    }
    have = sample(f, count, texts, &lines);
    if (rp_db_open(&db, argv[optind], RP_DB_READONLY)) {
        fprintf(stderr, "bench_query: %s\n", rp_db_errmsg(db));
        goto out;
    }
    rp_db_stats st = {0};
    if (rp_db_stats_get(db, &st)) {
        fprintf(stderr, "bench_query: %s\n", rp_db_errmsg(db));
        goto out;
    }
    /* One untimed query warms the statements and the page cache's root
     * pages, as a long-running service would have them. */
    if (have) {
        rp_hit *h = NULL;
        size_t nh = 0;
        char err[256];
        if (rp_query_text(db, texts[0], strlen(texts[0]), -1, top, &h, &nh, err, sizeof err) ==
            RP_OK)
            rp_hits_free(h, nh);
    }
    for (size_t i = 0; i < have; i++) {
        rp_hit *h = NULL;
        size_t nh = 0, len = strlen(texts[i]);
        char err[256];
        double t0 = now_ms();
        rp_err e = rp_query_text(db, texts[i], len, -1, top, &h, &nh, err, sizeof err);
        ms[i] = now_ms() - t0;
        if (e) {
            fprintf(stderr, "bench_query: query %zu: %s\n", i, err[0] ? err : rp_strerror(e));
            goto out;
        }
        hits_total += nh;
        bytes += len;
        rp_hits_free(h, nh);
    }
    if (!have) {
        fprintf(stderr, "bench_query: no texts in %s\n", argv[optind + 1]);
        goto out;
    }
    double sum = 0;
    for (size_t i = 0; i < have; i++)
        sum += ms[i];
    qsort(ms, have, sizeof *ms, cmp_double);
    printf("bench_query: seed %llu, index %llu articles, corpus %zu lines, %zu queries "
           "(%zu bytes, top %zu)\n",
           (unsigned long long)seed, (unsigned long long)st.articles, lines, have, bytes, top);
    printf("latency ms: p50 %.3f  p99 %.3f  mean %.3f  max %.3f;  hits per query %.2f\n",
           ms[have / 2], ms[(have * 99) / 100 < have ? (have * 99) / 100 : have - 1], sum / have,
           ms[have - 1], (double)hits_total / have);
    rc = 0;
out:
    if (f) fclose(f);
    for (size_t i = 0; texts && i < count; i++)
        free(texts[i]);
    free(texts);
    free(ms);
    rp_db_close(db);
    return rc;
}
