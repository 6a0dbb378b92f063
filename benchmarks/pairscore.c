/*
 * pairscore.c: the reuse score and its evidence for many pairs of files.
 *
 *   pairscore < PAIRS.tsv      (each line: PATH_A <TAB> PATH_B)
 *
 * Prints one JSON object per line, in input order, with what `reprint
 * compare --json` reports (score, jaccard, containments, coverages) plus
 * the evidence behind the score: own words copied, words of copied prose,
 * matched content words, the facts kept and the fact slots that hold the
 * same and another value (pairs that score), and the number of passages.
 * The score is the one `compare` gives (rp_compare_texts); one process
 * serves every pair, so make eval-real does not start a process per pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "reprint.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
            }
            buf = nb;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

int main(void)
{
    char line[8192];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = '\0';
        size_t la = 0, lb = 0;
        char *a = slurp(line, &la), *b = slurp(tab + 1, &lb);
        rp_match m = {0};
        if (!a || !b || rp_compare_texts(a, la, b, lb, &m) != RP_OK) {
            fprintf(stderr, "pairscore: cannot compare %s and %s\n", line, tab + 1);
            printf("{\"error\": true}\n");
        } else {
            printf(
                "{\"score\": %.6f, \"jaccard\": %.6f, \"containment_a_in_b\": %.6f, "
                "\"containment_b_in_a\": %.6f, \"coverage_a\": %.6f, \"coverage_b\": %.6f, "
                "\"words_copied\": %zu, \"prose_words\": %zu, \"evidence\": %zu, "
                "\"facts\": %zu, \"facts_kept\": %zu, \"slots_same\": %zu, \"slots_changed\": %zu, "
                "\"passages\": %zu}\n",
                m.score, m.jaccard, m.cont_a_in_b, m.cont_b_in_a, m.coverage_a, m.coverage_b,
                m.words_copied, m.prose_words, m.evidence, m.facts, m.facts_kept, m.slots_same,
                m.slots_changed, m.npassages);
        }
        fflush(stdout);
        rp_match_clear(&m);
        free(a);
        free(b);
    }
    return 0;
}
