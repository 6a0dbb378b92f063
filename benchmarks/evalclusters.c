/*
 * evalclusters.c: quality figures of a clustering against datagen's truth.
 *
 * Reads the ground truth TSV written by datagen (id, story, kind, edit and an
 * optional fifth column: the second story of a merge, the source story of a
 * hard negative) and the output of `reprint cluster --json --all`, and scores
 * the predicted partition of the truth's articles against the true one.
 *
 * Everything is computed from the contingency table of (true story,
 * predicted cluster) counts: pairwise precision and recall count article
 * pairs that share a cluster and a story, and the adjusted Rand index (Hubert
 * and Arabie) corrects the Rand index for chance. Pair counts are 64-bit
 * integers and the index is formed in long double, so a million articles
 * stay exact. Articles missing from the clusters file count as singletons,
 * and cluster members missing from the truth are ignored. Per-edit recall,
 * the hard negatives' false-positive rate and original attribution say where
 * a detector fails, not only how much.
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *prog = "evalclusters";

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(3);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) die("out of memory");
    return q;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xrealloc(NULL, n), s, n);
}

/* ------------------------------------------------------------------ */
/* String -> index map (open addressing, FNV-1a)                        */
/* ------------------------------------------------------------------ */

typedef struct map {
    char **key;
    size_t *val;
    size_t cap, n;
} map;

static uint64_t hash(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
    return h;
}

static size_t *map_slot(map *m, const char *k, int create)
{
    if (create && 2 * (m->n + 1) > m->cap) {
        map big = {0};
        big.cap = m->cap ? 2 * m->cap : 1024;
        big.key = calloc(big.cap, sizeof *big.key);
        big.val = calloc(big.cap, sizeof *big.val);
        if (!big.key || !big.val) die("out of memory");
        for (size_t i = 0; i < m->cap; i++)
            if (m->key[i]) {
                size_t j = hash(m->key[i]) & (big.cap - 1);
                while (big.key[j])
                    j = (j + 1) & (big.cap - 1);
                big.key[j] = m->key[i];
                big.val[j] = m->val[i];
            }
        big.n = m->n;
        free(m->key);
        free(m->val);
        *m = big;
    }
    if (!m->cap) return NULL;
    size_t j = hash(k) & (m->cap - 1);
    while (m->key[j]) {
        if (strcmp(m->key[j], k) == 0) return &m->val[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!create) return NULL;
    m->key[j] = xstrdup(k);
    m->n++;
    return &m->val[j];
}

static int map_get(map *m, const char *k, size_t *out)
{
    size_t *v = map_slot(m, k, 0);
    if (!v) return 0;
    *out = *v;
    return 1;
}

static void map_free(map *m)
{
    for (size_t i = 0; i < m->cap; i++)
        free(m->key[i]);
    free(m->key);
    free(m->val);
}

/* ------------------------------------------------------------------ */
/* Truth                                                               */
/* ------------------------------------------------------------------ */

enum { K_ORIGINAL, K_COPY, K_NEGATIVE };

typedef struct art {
    char *id, *story, *edit, *extra; /* extra: merge partner / negative source */
    int kind;
    size_t story_ix; /* dense story number */
    size_t pred;     /* dense predicted cluster number */
} art;

typedef struct truth {
    art *a;
    size_t n, cap;
    map ids;     /* article id -> index into a */
    map stories; /* story id -> dense story number */
} truth;

static void truth_load(truth *t, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    char *line = NULL;
    size_t cap = 0, lineno = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        if (!len) continue;
        char *col[5] = {0};
        size_t nc = 0;
        for (char *p = line; p && nc < 5; nc++) {
            col[nc] = p;
            p = strchr(p, '\t');
            if (p) *p++ = '\0';
        }
        if (nc < 4) die("%s:%zu: expected id, story, kind, edit", path, lineno);
        int kind;
        if (!strcmp(col[2], "original"))
            kind = K_ORIGINAL;
        else if (!strcmp(col[2], "copy"))
            kind = K_COPY;
        else if (!strcmp(col[2], "negative"))
            kind = K_NEGATIVE;
        else
            die("%s:%zu: unknown kind '%s'", path, lineno, col[2]);
        if (map_slot(&t->ids, col[0], 0)) die("%s:%zu: duplicate id '%s'", path, lineno, col[0]);
        if (t->n == t->cap) {
            t->cap = t->cap ? 2 * t->cap : 1024;
            t->a = xrealloc(t->a, t->cap * sizeof *t->a);
        }
        art *a = &t->a[t->n];
        a->id = xstrdup(col[0]);
        a->story = xstrdup(col[1]);
        a->edit = xstrdup(col[3]);
        a->extra = col[4] && *col[4] && strcmp(col[4], "-") ? xstrdup(col[4]) : NULL;
        a->kind = kind;
        size_t *sv = map_slot(&t->stories, a->story, 0);
        if (!sv) {
            sv = map_slot(&t->stories, a->story, 1);
            *sv = t->stories.n - 1;
        }
        a->story_ix = *sv;
        *map_slot(&t->ids, a->id, 1) = t->n;
        t->n++;
    }
    free(line);
    fclose(f);
    if (!t->n) die("%s: no articles", path);
}

static void truth_free(truth *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->a[i].id);
        free(t->a[i].story);
        free(t->a[i].edit);
        free(t->a[i].extra);
    }
    free(t->a);
    map_free(&t->ids);
    map_free(&t->stories);
}

/* ------------------------------------------------------------------ */
/* Clusters                                                            */
/* ------------------------------------------------------------------ */

typedef struct clusters {
    char **original; /* per predicted cluster: its "original", or NULL */
    size_t n, cap;
} clusters;

static size_t new_cluster(clusters *c, const char *original)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 1024;
        c->original = xrealloc(c->original, c->cap * sizeof *c->original);
    }
    c->original[c->n] = original ? xstrdup(original) : NULL;
    return c->n++;
}

/* Assign every truth article a predicted cluster; absent ones get their own. */
static void clusters_load(clusters *c, truth *t, const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) die("%s: %s", path, strerror(errno));
    for (size_t i = 0; i < t->n; i++)
        t->a[i].pred = SIZE_MAX;
    char *line = NULL;
    size_t cap = 0, lineno = 0, dup = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, f)) >= 0) {
        lineno++;
        size_t k = 0;
        while (k < (size_t)len && (line[k] == ' ' || line[k] == '\t' || line[k] == '\n'))
            k++;
        if (k == (size_t)len) continue;
        json_error_t jerr;
        json_t *o = json_loadb(line, (size_t)len, 0, &jerr);
        if (!o || !json_is_object(o))
            die("%s:%zu: not a JSON object: %s", path, lineno, o ? "" : jerr.text);
        json_t *members = json_object_get(o, "members");
        if (!json_is_array(members)) die("%s:%zu: no \"members\" array", path, lineno);
        const char *orig = json_string_value(json_object_get(o, "original"));
        size_t cl = new_cluster(c, orig);
        size_t i;
        json_t *m;
        json_array_foreach(members, i, m)
        {
            const char *id = json_string_value(json_object_get(m, "id"));
            if (!id) die("%s:%zu: member without a string \"id\"", path, lineno);
            size_t ix;
            if (!map_get(&t->ids, id, &ix)) continue;
            if (t->a[ix].pred != SIZE_MAX) {
                dup++;
                continue;
            }
            t->a[ix].pred = cl;
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    if (dup)
        fprintf(stderr, "%s: %zu ids found in more than one cluster (first kept)\n", prog, dup);
    for (size_t i = 0; i < t->n; i++)
        if (t->a[i].pred == SIZE_MAX) t->a[i].pred = new_cluster(c, t->a[i].id);
}

static void clusters_free(clusters *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->original[i]);
    free(c->original);
}

/* ------------------------------------------------------------------ */
/* Figures                                                             */
/* ------------------------------------------------------------------ */

static const char *edit_order[] = {"verbatim", "chrome", "truncate",  "drop",
                                   "reorder",  "edit",   "synonym10", "synonym20",
                                   "hard30",   "hard40", "merge"};

typedef struct edit_stat {
    char *name;
    size_t copies, found;
} edit_stat;

typedef struct figures {
    size_t articles, stories, clusters_hit;
    uint64_t pairs_truth, pairs_pred, pairs_both;
    double precision, recall, f1, ari;
    size_t attr_total, attr_ok;
    size_t neg_total, neg_fp;
    edit_stat *edits;
    size_t nedits;
} figures;

static uint64_t pairs(uint64_t n)
{
    return n < 2 ? 0 : n * (n - 1) / 2;
}

typedef struct cell {
    size_t story, pred;
} cell;

static int cell_cmp(const void *a, const void *b)
{
    const cell *x = a, *y = b;
    if (x->story != y->story) return x->story < y->story ? -1 : 1;
    if (x->pred != y->pred) return x->pred < y->pred ? -1 : 1;
    return 0;
}

static edit_stat *edit_find(figures *fg, const char *name)
{
    for (size_t i = 0; i < fg->nedits; i++)
        if (!strcmp(fg->edits[i].name, name)) return &fg->edits[i];
    fg->edits = xrealloc(fg->edits, (fg->nedits + 1) * sizeof *fg->edits);
    edit_stat *e = &fg->edits[fg->nedits++];
    e->name = xstrdup(name);
    e->copies = e->found = 0;
    return e;
}

static int edit_rank(const char *name)
{
    for (size_t i = 0; i < sizeof edit_order / sizeof *edit_order; i++)
        if (!strcmp(edit_order[i], name)) return (int)i;
    return 1000;
}

static int edit_cmp(const void *a, const void *b)
{
    const edit_stat *x = a, *y = b;
    int rx = edit_rank(x->name), ry = edit_rank(y->name);
    if (rx != ry) return rx < ry ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void compute(const truth *t, const clusters *c, figures *fg)
{
    size_t n = t->n, ns = t->stories.n;
    memset(fg, 0, sizeof *fg);
    fg->articles = n;
    fg->stories = ns;

    /* contingency table as sorted (story, cluster) cells */
    cell *cells = xrealloc(NULL, n * sizeof *cells);
    for (size_t i = 0; i < n; i++)
        cells[i] = (cell){t->a[i].story_ix, t->a[i].pred};
    qsort(cells, n, sizeof *cells, cell_cmp);
    uint64_t *row = calloc(ns, sizeof *row), *col = calloc(c->n, sizeof *col);
    if (!row || !col) die("out of memory");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !cell_cmp(&cells[i], &cells[j]))
            j++;
        fg->pairs_both += pairs(j - i);
        row[cells[i].story] += j - i;
        col[cells[i].pred] += j - i;
        i = j;
    }
    for (size_t s = 0; s < ns; s++)
        fg->pairs_truth += pairs(row[s]);
    for (size_t k = 0; k < c->n; k++) {
        fg->pairs_pred += pairs(col[k]);
        fg->clusters_hit += col[k] > 0;
    }
    /* with no pairs claimed nothing is wrong: precision is vacuously 1 */
    fg->precision = fg->pairs_pred ? (double)fg->pairs_both / (double)fg->pairs_pred : 1.0;
    fg->recall = fg->pairs_truth ? (double)fg->pairs_both / (double)fg->pairs_truth : 1.0;
    fg->f1 = fg->precision + fg->recall > 0
                 ? 2 * fg->precision * fg->recall / (fg->precision + fg->recall)
                 : 0;
    long double total = (long double)pairs(n);
    long double expected =
        total > 0 ? (long double)fg->pairs_truth * (long double)fg->pairs_pred / total : 0;
    long double maxidx = 0.5L * ((long double)fg->pairs_truth + (long double)fg->pairs_pred);
    if (maxidx - expected == 0)
        fg->ari = 1.0; /* both partitions trivial and equal */
    else
        fg->ari = (double)(((long double)fg->pairs_both - expected) / (maxidx - expected));
    if (fabs(fg->ari) < 5e-10) fg->ari = 0;

    /* where each story's original sits, and how many copies each story has */
    size_t *orig_ix = xrealloc(NULL, ns * sizeof *orig_ix);
    size_t *ncopies = calloc(ns, sizeof *ncopies);
    if (!ncopies) die("out of memory");
    for (size_t s = 0; s < ns; s++)
        orig_ix[s] = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        const art *a = &t->a[i];
        if (a->kind == K_ORIGINAL) orig_ix[a->story_ix] = i;
        if (a->kind == K_COPY) ncopies[a->story_ix]++;
    }

    for (size_t i = 0; i < n; i++) {
        const art *a = &t->a[i];
        size_t s = a->story_ix;
        if (a->kind == K_COPY) {
            edit_stat *e = edit_find(fg, a->edit);
            e->copies++;
            if (orig_ix[s] != SIZE_MAX && t->a[orig_ix[s]].pred == a->pred) e->found++;
        } else if (a->kind == K_NEGATIVE && a->extra) {
            size_t src;
            if (!map_get((map *)&t->ids, a->extra, &src)) continue;
            fg->neg_total++;
            if (t->a[src].pred == a->pred) fg->neg_fp++;
        }
    }
    qsort(fg->edits, fg->nedits, sizeof *fg->edits, edit_cmp);

    /* attribution: for each story with copies, the cluster holding most of
     * its articles (at least two) must name the true original */
    for (size_t i = 0; i < n;) {
        size_t s = cells[i].story, best = SIZE_MAX, best_n = 0;
        size_t j = i;
        while (j < n && cells[j].story == s) {
            size_t k = j;
            while (k < n && !cell_cmp(&cells[j], &cells[k]))
                k++;
            if (k - j > best_n) {
                best_n = k - j;
                best = cells[j].pred;
            }
            j = k;
        }
        if (ncopies[s] && orig_ix[s] != SIZE_MAX) {
            fg->attr_total++;
            const char *want = t->a[orig_ix[s]].id;
            if (best_n >= 2 && c->original[best] && !strcmp(c->original[best], want)) fg->attr_ok++;
        }
        i = j;
    }
    free(cells);
    free(row);
    free(col);
    free(orig_ix);
    free(ncopies);
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : 0;
}

static void print_table(const figures *fg)
{
    printf("articles      %zu (stories %zu, predicted clusters %zu)\n", fg->articles, fg->stories,
           fg->clusters_hit);
    printf("pairs         truth %llu, predicted %llu, common %llu\n",
           (unsigned long long)fg->pairs_truth, (unsigned long long)fg->pairs_pred,
           (unsigned long long)fg->pairs_both);
    printf("precision     %.4f\n", fg->precision);
    printf("recall        %.4f\n", fg->recall);
    printf("f1            %.4f\n", fg->f1);
    printf("ari           %.4f\n", fg->ari);
    printf("attribution   %.4f (%zu of %zu stories with copies)\n",
           ratio(fg->attr_ok, fg->attr_total), fg->attr_ok, fg->attr_total);
    printf("negatives_fp  %.4f (%zu of %zu hard negatives)\n", ratio(fg->neg_fp, fg->neg_total),
           fg->neg_fp, fg->neg_total);
    printf("\n%-12s %8s %8s %8s\n", "edit", "copies", "found", "recall");
    for (size_t i = 0; i < fg->nedits; i++)
        printf("%-12s %8zu %8zu %8.4f\n", fg->edits[i].name, fg->edits[i].copies,
               fg->edits[i].found, ratio(fg->edits[i].found, fg->edits[i].copies));
}

static void print_json(const figures *fg)
{
    json_t *o = json_object(), *ed = json_object();
    if (!o || !ed) die("out of memory");
    json_object_set_new(o, "articles", json_integer((json_int_t)fg->articles));
    json_object_set_new(o, "stories", json_integer((json_int_t)fg->stories));
    json_object_set_new(o, "clusters", json_integer((json_int_t)fg->clusters_hit));
    json_object_set_new(o, "pairs_truth", json_integer((json_int_t)fg->pairs_truth));
    json_object_set_new(o, "pairs_predicted", json_integer((json_int_t)fg->pairs_pred));
    json_object_set_new(o, "pairs_common", json_integer((json_int_t)fg->pairs_both));
    json_object_set_new(o, "precision", json_real(fg->precision));
    json_object_set_new(o, "recall", json_real(fg->recall));
    json_object_set_new(o, "f1", json_real(fg->f1));
    json_object_set_new(o, "ari", json_real(fg->ari));
    json_object_set_new(o, "attribution", json_real(ratio(fg->attr_ok, fg->attr_total)));
    json_object_set_new(o, "attribution_stories", json_integer((json_int_t)fg->attr_total));
    json_object_set_new(o, "negatives_fp", json_real(ratio(fg->neg_fp, fg->neg_total)));
    json_object_set_new(o, "negatives", json_integer((json_int_t)fg->neg_total));
    for (size_t i = 0; i < fg->nedits; i++) {
        json_t *e = json_object();
        json_object_set_new(e, "copies", json_integer((json_int_t)fg->edits[i].copies));
        json_object_set_new(e, "found", json_integer((json_int_t)fg->edits[i].found));
        json_object_set_new(e, "recall", json_real(ratio(fg->edits[i].found, fg->edits[i].copies)));
        json_object_set_new(ed, fg->edits[i].name, e);
    }
    json_object_set_new(o, "edits", ed);
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
    if (!s) die("out of memory");
    puts(s);
    free(s);
    json_decref(o);
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s [--json] TRUTH.tsv CLUSTERS.jsonl\n"
            "Scores `reprint cluster --json --all` output against datagen's truth:\n"
            "pairwise precision/recall/F1, adjusted Rand index, recall per edit type,\n"
            "hard-negative false positives and original attribution.\n",
            prog);
}

int main(int argc, char **argv)
{
    int json = 0, ch;
    static const struct option opts[] = {
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    while ((ch = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
        switch (ch) {
        case 'j':
            json = 1;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        usage(stderr);
        return 2;
    }
    truth t = {0};
    clusters c = {0};
    figures fg;
    truth_load(&t, argv[optind]);
    clusters_load(&c, &t, argv[optind + 1]);
    compute(&t, &c, &fg);
    if (json)
        print_json(&fg);
    else
        print_table(&fg);
    for (size_t i = 0; i < fg.nedits; i++)
        free(fg.edits[i].name);
    free(fg.edits);
    clusters_free(&c);
    truth_free(&t);
    if (fflush(stdout) != 0) die("stdout: %s", strerror(errno));
    return 0;
}
