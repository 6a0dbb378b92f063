/*
 * candrecall.c: how sensitive is candidate generation?
 *
 *   candrecall DB TRUTH.tsv
 *
 * For every copy in a generator ground truth (datagen --truth) whose reuse
 * score against its original reaches the index's decision threshold, looks
 * the copy's band hashes up in the index exactly as `query` does and checks
 * that the original is among the LSH candidates. Prints candidate recall
 * per edit type, the mean number of candidates per article looked up, and
 * the cost of one verification (reading both texts, preparing, aligning).
 * Exact duplicates carry no bands and reach their first copy through the
 * exact-duplicate record, so they count as found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reprint.h"

#define MAX_EDITS 32

typedef struct tally {
    char name[32];
    size_t pairs, found;
} tally;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static tally *tally_of(tally *t, size_t *n, const char *name)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(t[i].name, name)) return &t[i];
    if (*n == MAX_EDITS) return &t[MAX_EDITS - 1];
    memset(&t[*n], 0, sizeof t[*n]);
    snprintf(t[*n].name, sizeof t[*n].name, "%s", name);
    return &t[(*n)++];
}

static int contains(const int64_t *v, size_t n, int64_t x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == x;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: candrecall DB TRUTH.tsv\n");
        return 2;
    }
    rp_db *db = NULL;
    rp_params p;
    if (rp_db_open(&db, argv[1], RP_DB_READONLY) || rp_params_load(db, &p)) {
        fprintf(stderr, "candrecall: %s: %s\n", argv[1], rp_db_errmsg(db));
        return 3;
    }
    FILE *f = fopen(argv[2], "r");
    if (!f) {
        perror(argv[2]);
        return 3;
    }
    size_t nb = rp_params_nbands(&p);
    uint64_t *bands = malloc(nb * sizeof *bands);
    tally t[MAX_EDITS];
    size_t nt = 0, lookups = 0, cands = 0, verified = 0, below = 0;
    double tverify = 0;
    char line[4096];
    while (bands && fgets(line, sizeof line, f)) {
        char *id = strtok(line, "\t\n"), *story = strtok(NULL, "\t\n");
        char *kind = strtok(NULL, "\t\n"), *edit = strtok(NULL, "\t\n");
        if (!id || !story || !kind || !edit || strcmp(kind, "copy")) continue;
        int64_t c, o;
        if (rp_db_find_id(db, id, &c) || rp_db_find_id(db, story, &o)) continue;
        rp_match m = {0};
        rp_article a = {0};
        double t0 = now();
        rp_err e = rp_verify_stored(db, c, o, &m, &a, NULL, NULL, 0);
        tverify += now() - t0;
        verified++;
        if (e || m.score < p.min_score) {
            below += e == RP_OK;
            rp_match_clear(&m);
            rp_article_clear(&a);
            continue;
        }
        tally *x = tally_of(t, &nt, edit);
        x->pairs++;
        int64_t *hits = NULL;
        size_t nh = 0;
        size_t n = 0;
        if (rp_features_bands(&p, a.text, a.text_len, bands, &n, NULL) == RP_OK &&
            rp_db_lookup(db, bands, nb, p.bucket_cap, rp_params_solo_from(&p), &hits, &nh, NULL,
                         NULL) == RP_OK) {
            lookups++;
            cands += nh;
            int exact = 0;
            /* an exact duplicate of the copy or of the original stands in */
            int64_t *ex = NULL;
            size_t nex = 0;
            if (rp_db_exact_copies(db, o, &ex, &nex) == RP_OK)
                for (size_t i = 0; i < nex; i++)
                    exact |= ex[i] == c;
            free(ex);
            if (exact || contains(hits, nh, o)) x->found++;
        }
        free(hits);
        rp_match_clear(&m);
        rp_article_clear(&a);
    }
    fclose(f);
    size_t pairs = 0, found = 0;
    printf("candidate recall (copies scoring >= %.2f against their original)\n", p.min_score);
    printf("%-12s %7s %7s %8s\n", "edit", "pairs", "found", "recall");
    for (size_t i = 0; i < nt; i++) {
        printf("%-12s %7zu %7zu %8.4f\n", t[i].name, t[i].pairs, t[i].found,
               t[i].pairs ? (double)t[i].found / (double)t[i].pairs : 0.0);
        pairs += t[i].pairs;
        found += t[i].found;
    }
    printf("%-12s %7zu %7zu %8.4f\n", "all", pairs, found,
           pairs ? (double)found / (double)pairs : 0.0);
    printf("copies below the threshold (not counted): %zu\n", below);
    printf("candidates per looked-up article: %.1f\n", lookups ? (double)cands / lookups : 0.0);
    printf("verification: %.0f us per pair (read both texts, prepare, align), %zu pairs\n",
           verified ? tverify / (double)verified * 1e6 : 0.0, verified);
    free(bands);
    rp_db_close(db);
    return 0;
}
