/*
 * eval_pairs.c: quality of the reuse score on labelled text pairs.
 *
 *   eval_pairs [DATA]      DATA defaults to ../shared/data
 *
 * Clough-Stevenson (2011): 95 short answers, each compared with the
 * Wikipedia text it was written from; categories cut, light, heavy (reuse)
 * and non (written independently). Prints the mean score per category, the
 * binary accuracy (reuse vs non) at RP_DEFAULT_MIN_SCORE and at the best
 * threshold, a 4-class accuracy with the thresholds that maximise it, and
 * the usual baseline: word 3-gram containment of the answer in the source.
 *
 * Webis-CPC-11: 1,000 passage pairs labelled paraphrase yes/no; accuracy of
 * the reuse decision at the default and at the best threshold.
 *
 * The corpora are read at run time and never copied; when DATA is absent
 * the program says so and exits 0. Windows-1252 answer files (bytes that
 * are not valid UTF-8) are converted to UTF-8 first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "reprint.h"

typedef struct item {
    char name[256];
    double score, base; /* reuse score; baseline word 3-gram containment */
    int label;          /* Clough: 0 non, 1 heavy, 2 light, 3 cut; Webis: 0/1 */
} item;

static const char *cat_names[4] = {"non", "heavy", "light", "cut"};

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            size_t ncap = cap ? cap * 2 : 65536;
            char *p = realloc(buf, ncap);
            if (!p) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = p;
            cap = ncap;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n) return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k;
    }
    return 1;
}

/* Windows-1252 to UTF-8 (0x80-0x9F by the code page, the rest as Latin-1). */
static char *cp1252_to_utf8(const char *s, size_t n, size_t *out_len)
{
    static const uint16_t hi[32] = {0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
                                    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178};
    char *o = malloc(3 * n + 1);
    if (!o) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 0x80 && c < 0xA0) c = hi[c - 0x80];
        if (c < 0x80) {
            o[k++] = (char)c;
        } else if (c < 0x800) {
            o[k++] = (char)(0xC0 | (c >> 6));
            o[k++] = (char)(0x80 | (c & 0x3F));
        } else {
            o[k++] = (char)(0xE0 | (c >> 12));
            o[k++] = (char)(0x80 | ((c >> 6) & 0x3F));
            o[k++] = (char)(0x80 | (c & 0x3F));
        }
    }
    o[k] = '\0';
    *out_len = k;
    return o;
}

static char *read_text(const char *path, size_t *len)
{
    char *s = slurp(path, len);
    if (!s || valid_utf8((const unsigned char *)s, *len)) return s;
    char *u = cp1252_to_utf8(s, *len, len);
    free(s);
    return u;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Compare (a: the suspect, b: the source) into it. */
static int score_pair(const char *a, size_t na, const char *b, size_t nb, item *it, double *secs)
{
    rp_doc *da = NULL, *db = NULL;
    rp_match m;
    int ok = 0;
    if (rp_doc_new(&da, a, na, NULL) != RP_OK || rp_doc_new(&db, b, nb, NULL) != RP_OK) goto out;
    double t0 = now();
    if (rp_verify_pair(da, db, &m) != RP_OK) goto out;
    *secs += now() - t0;
    it->score = m.score;
    it->base = m.cont_a_in_b;
    rp_match_clear(&m);
    ok = 1;
out:
    rp_doc_free(da);
    rp_doc_free(db);
    return ok;
}

static double value(const item *it, int base)
{
    return base ? it->base : it->score;
}

/* Share of items with (value >= t) == (label >= pos). */
static double accuracy(const item *v, size_t n, int base, double t, int pos)
{
    size_t ok = 0;
    for (size_t i = 0; i < n; i++)
        ok += (value(&v[i], base) >= t) == (v[i].label >= pos);
    return n ? (double)ok / (double)n : 0;
}

static int dbl_cmp(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* Best threshold: try midpoints between consecutive distinct values. */
static double best_threshold(const item *v, size_t n, int base, int pos, double *acc)
{
    double *s = malloc((n + 1) * sizeof *s);
    double best_t = 0.5, best = -1;
    if (!s) return best_t;
    for (size_t i = 0; i < n; i++)
        s[i] = value(&v[i], base);
    qsort(s, n, sizeof *s, dbl_cmp);
    for (size_t i = 0; i <= n; i++) {
        double t = i == 0 ? s[0] - 1e-6 : i == n ? s[n - 1] + 1e-6 : (s[i - 1] + s[i]) / 2;
        double a = accuracy(v, n, base, t, pos);
        if (a > best + 1e-12) {
            best = a;
            best_t = t;
        }
    }
    free(s);
    *acc = best;
    return best_t;
}

static int classify4(double s, const double t[3])
{
    return s >= t[2] ? 3 : s >= t[1] ? 2 : s >= t[0] ? 1 : 0;
}

static void clough(const char *data)
{
    char dir[1024], path[1400];
    snprintf(dir, sizeof dir, "%s/clough_stevenson_2011", data);
    snprintf(path, sizeof path, "%s/file_information.csv", dir);
    size_t len;
    char *csv = slurp(path, &len);
    if (!csv) {
        printf("Clough-Stevenson: skipped (%s not found)\n\n", path);
        return;
    }
    item v[128];
    size_t n = 0;
    double secs = 0;
    char *save = NULL;
    for (char *line = strtok_r(csv, "\r\n", &save); line && n < 128;
         line = strtok_r(NULL, "\r\n", &save)) {
        char file[256], task[16], cat[16];
        if (sscanf(line, "%255[^,],%15[^,],%15s", file, task, cat) != 3) continue;
        int label = -1;
        for (int k = 0; k < 4; k++)
            if (strcmp(cat, cat_names[k]) == 0) label = k;
        if (label < 0) continue; /* header, sources */
        size_t na, nb;
        snprintf(path, sizeof path, "%s/%s", dir, file);
        char *a = read_text(path, &na);
        snprintf(path, sizeof path, "%s/orig_task%s.txt", dir, task);
        char *b = read_text(path, &nb);
        if (a && b && score_pair(a, na, b, nb, &v[n], &secs)) {
            v[n].label = label;
            snprintf(v[n].name, sizeof v[n].name, "%s", file);
            n++;
        } else {
            printf("  could not read or compare %s\n", file);
        }
        free(a);
        free(b);
    }
    free(csv);

    printf("Clough-Stevenson 2011: %zu answers vs their sources (%.1f us per pair)\n", n,
           n ? secs * 1e6 / (double)n : 0);
    printf("  %-8s %6s %8s %10s\n", "category", "pairs", "score", "3g-cont");
    for (int k = 3; k >= 0; k--) {
        double s = 0, b = 0;
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i].label == k) s += v[i].score, b += v[i].base, c++;
        printf("  %-8s %6zu %8.3f %10.3f\n", cat_names[k], c, c ? s / (double)c : 0,
               c ? b / (double)c : 0);
    }
    double acc_def = accuracy(v, n, 0, RP_DEFAULT_MIN_SCORE, 1), acc_best, acc_base;
    double t_best = best_threshold(v, n, 0, 1, &acc_best);
    double t_base = best_threshold(v, n, 1, 1, &acc_base);
    printf("  binary (reuse = cut/light/heavy vs non):\n");
    printf("    reprint score   at default %.3f: accuracy %.3f\n", RP_DEFAULT_MIN_SCORE, acc_def);
    printf("    reprint score   at best    %.3f: accuracy %.3f\n", t_best, acc_best);
    printf("    3-gram contain. at best    %.3f: accuracy %.3f (baseline)\n", t_base, acc_base);

    /* 4 classes: grid search for non < t0 <= heavy < t1 <= light < t2 <= cut. */
    double bt[3] = {0, 0, 0}, best4 = -1;
    for (int i = 1; i < 100; i++)
        for (int j = i; j < 100; j++)
            for (int k = j; k < 100; k++) {
                double t[3] = {i / 100.0, j / 100.0, k / 100.0};
                size_t ok = 0;
                for (size_t x = 0; x < n; x++)
                    ok += classify4(v[x].score, t) == v[x].label;
                double a = n ? (double)ok / (double)n : 0;
                if (a > best4 + 1e-12) best4 = a, memcpy(bt, t, sizeof t);
            }
    printf("  4-class (non/heavy/light/cut) with thresholds %.2f %.2f %.2f: accuracy %.3f\n", bt[0],
           bt[1], bt[2], best4);
    double shown[2] = {RP_DEFAULT_MIN_SCORE, t_best};
    for (int k = 0; k < 2; k++) {
        printf("  misclassified at %s threshold %.3f:", k ? "the best" : "the default", shown[k]);
        for (size_t i = 0; i < n; i++)
            if ((v[i].score >= shown[k]) != (v[i].label >= 1))
                printf(" %s(%s %.2f)", v[i].name, cat_names[v[i].label], v[i].score);
        printf("\n");
    }
    printf("\n");
}

/* Sentences of a Webis passage joined by spaces. */
static char *join(json_t *arr, size_t *len)
{
    rp_buf b = {0};
    size_t i;
    json_t *s;
    json_array_foreach(arr, i, s)
    {
        const char *t = json_string_value(json_object_get(s, "text"));
        if (!t) continue;
        if (b.len && rp_buf_appendc(&b, ' ') != RP_OK) goto fail;
        if (rp_buf_append(&b, t, strlen(t)) != RP_OK) goto fail;
    }
    if (rp_buf_terminate(&b) != RP_OK) goto fail;
    *len = b.len;
    return b.data;
fail:
    rp_buf_free(&b);
    return NULL;
}

/* Webis-CPC labels say whether a crowd worker's rewrite is a real
 * paraphrase; the pairs labelled "No" are mostly near-verbatim copies or
 * machine-spun text, i.e. reuse too. So besides the label accuracy the
 * corpus is scored as what it is for reprint: every pair is derived text
 * (positive), and each paraphrase set against another pair's original (a
 * different text) is a negative. */
static void webis(const char *data)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/webis_cpc11/Webis-CPC-11_1000_sample.json", data);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) {
        printf("Webis-CPC-11: skipped (%s: %s)\n\n", path, jerr.text);
        return;
    }
    size_t cap = json_array_size(root), n = 0;
    item *v = calloc(cap ? 2 * cap : 1, sizeof *v);
    char **orig = calloc(cap ? cap : 1, sizeof *orig), **para = calloc(cap ? cap : 1, sizeof *para);
    size_t *olen = calloc(cap ? cap : 1, sizeof *olen), *plen = calloc(cap ? cap : 1, sizeof *plen);
    int *yes = calloc(cap ? cap : 1, sizeof *yes);
    double secs = 0;
    size_t i;
    json_t *o;
    if (!v || !orig || !para || !olen || !plen || !yes) goto out;
    json_array_foreach(root, i, o)
    {
        const char *lab = json_string_value(json_object_get(o, "is_paraphrased"));
        para[n] = join(json_object_get(o, "paraphrase"), &plen[n]);
        orig[n] = join(json_object_get(o, "original"), &olen[n]);
        if (lab && para[n] && orig[n]) {
            yes[n] = strcmp(lab, "Yes") == 0;
            n++;
        } else {
            free(para[n]);
            free(orig[n]);
        }
    }
    size_t m = 0, npos = 0;
    double sy = 0, sn = 0;
    for (size_t k = 0; k < n; k++) {
        if (!score_pair(para[k], plen[k], orig[k], olen[k], &v[m], &secs)) continue;
        v[m].label = yes[k];
        npos += (size_t)yes[k];
        if (yes[k])
            sy += v[m].score;
        else
            sn += v[m].score;
        m++;
    }
    double acc_def = accuracy(v, m, 0, RP_DEFAULT_MIN_SCORE, 1), acc_best, acc_base, acc_bb;
    double t_best = best_threshold(v, m, 0, 1, &acc_best);
    double t_base = best_threshold(v, m, 1, 1, &acc_base);
    printf("Webis-CPC-11: %zu pairs (%zu labelled paraphrase; %.1f us per pair)\n", m, npos,
           m ? secs * 1e6 / (double)m : 0);
    printf("  mean score: labelled paraphrase %.3f, labelled not %.3f\n",
           npos ? sy / (double)npos : 0, m > npos ? sn / (double)(m - npos) : 0);
    printf("  label accuracy (paraphrase yes/no; \"no\" pairs are mostly closer copies):\n");
    printf("    reprint score   at default %.3f: accuracy %.3f\n", RP_DEFAULT_MIN_SCORE, acc_def);
    printf("    reprint score   at best    %.3f: accuracy %.3f\n", t_best, acc_best);
    printf("    3-gram contain. at best    %.3f: accuracy %.3f (baseline)\n", t_base, acc_base);

    /* Derived (all true pairs) vs mismatched pairs. */
    size_t found = 0, found_yes = 0;
    for (size_t k = 0; k < m; k++) {
        int hit = v[k].score >= RP_DEFAULT_MIN_SCORE;
        found += (size_t)hit;
        found_yes += (size_t)(hit && v[k].label);
        v[k].label = 1;
    }
    size_t neg = 0;
    for (size_t k = 0; k < n && m + neg < 2 * cap; k++) {
        size_t j = (k + n / 2) % n;
        while (j != k && olen[j] == olen[k] && memcmp(orig[j], orig[k], olen[k]) == 0)
            j = (j + 1) % n;
        if (j == k) continue;
        if (!score_pair(para[k], plen[k], orig[j], olen[j], &v[m + neg], &secs)) continue;
        v[m + neg].label = 0;
        neg++;
    }
    size_t tot = m + neg;
    acc_def = accuracy(v, tot, 0, RP_DEFAULT_MIN_SCORE, 1);
    t_best = best_threshold(v, tot, 0, 1, &acc_best);
    t_base = best_threshold(v, tot, 1, 1, &acc_bb);
    printf("  reuse decision, %zu derived pairs vs %zu mismatched pairs:\n", m, neg);
    printf(
        "    derived pairs found at default %.3f: %zu of %zu (labelled paraphrase: %zu of %zu)\n",
        RP_DEFAULT_MIN_SCORE, found, m, found_yes, npos);
    printf("    reprint score   at default %.3f: accuracy %.3f\n", RP_DEFAULT_MIN_SCORE, acc_def);
    printf("    reprint score   at best    %.3f: accuracy %.3f\n", t_best, acc_best);
    printf("    3-gram contain. at best    %.3f: accuracy %.3f (baseline)\n\n", t_base, acc_bb);
out:
    for (size_t k = 0; k < n; k++) {
        free(orig[k]);
        free(para[k]);
    }
    free(orig);
    free(para);
    free(olen);
    free(plen);
    free(yes);
    free(v);
    json_decref(root);
}

int main(int argc, char **argv)
{
    const char *data = argc > 1 ? argv[1] : "../shared/data";
    FILE *f = fopen(data, "r");
    if (!f) {
        printf("eval_pairs: skipped: data folder %s not found\n", data);
        return 0;
    }
    fclose(f);
    printf("eval_pairs: data %s, decision threshold RP_DEFAULT_MIN_SCORE = %.3f\n\n", data,
           RP_DEFAULT_MIN_SCORE);
    clough(data);
    webis(data);
    return 0;
}
