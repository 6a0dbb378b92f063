/*
 * cmd_cluster.c: `reprint cluster`, grouping copies with their originals.
 *
 * rp_cluster_run finds LSH candidates, verifies them and stores the
 * clusters; this file then reads the stored clusters back (so what it
 * prints is exactly what `report` and later runs see) and prints each one,
 * either as the contract's JSON line or as a tree: the original first and
 * every copy indented under the member it was most likely taken from.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint cluster [-d DB] [--json [--passages]] [--min-score S] [--all]\n"
    "                       [-j JOBS] [--since DATE] [--quiet] [--worker [--parts N]]\n"
    "\n"
    "Verify the candidate pairs of the index, group copies with their originals\n"
    "and store the clusters in the database, then print them.\n"
    "\n"
    "options:\n"
    "  -d, --db DB        database (default $REPRINT_DB, else reprint.db)\n"
    "      --json         one JSON object per cluster: {\"cluster\", \"original\",\n"
    "                     \"size\", \"members\": [{\"id\", \"url\", \"site\", \"title\",\n"
    "                     \"published\", \"role\", \"source\", \"score\", \"jaccard\",\n"
    "                     \"containment\"}]} (jaccard and containment on copies only)\n"
    "      --min-score S  link pairs with reuse score >= S (default: the threshold\n"
    "                     stored with the index, " CLI_XSTR(
        RP_DEFAULT_MIN_SCORE) " unless\n"
                              "                     changed)\n"
                              "      --passages     with --json: each copy also carries\n"
                              "                     \"passages\": [{\"source_start\",\n"
                              "                     \"source_end\", \"copy_start\", \"copy_end\",\n"
                              "                     \"quoted\"}], byte offsets into the texts\n"
                              "                     (as `show` prints them) of its source\n"
                              "                     and of the copy\n"
                              "      --all          also print single articles (clusters of one)\n"
                              "      --since DATE   print only clusters with a member indexed at "
                              "or\n"
                              "                     after DATE (ISO 8601 date or date-time, UTC\n"
                              "                     unless it has a zone): what is new since then\n"
                              "  -j, --jobs JOBS    worker threads (default 0: one per core)\n"
                              "      --worker       share the run with the other `cluster "
                              "--worker`\n"
                              "                     processes on this PostgreSQL database, on any\n"
                              "                     machine: join its cluster job (or start one),\n"
                              "                     take candidate parts and chunks of pairs "
                              "until\n"
                              "                     none is left; the worker that ends the job\n"
                              "                     stores the clusters; every worker prints "
                              "them.\n"
                              "                     The result is that of one process.\n"
                              "      --parts N      with --worker: the candidate parts of a job "
                              "it\n"
                              "                     starts (1-4096, default 16)\n"
                              "  -q, --quiet        no progress line, no summary on stderr with "
                              "--json\n"
                              "  -h, --help         show this help\n"
                              "\n"
                              "Exit status: 0 success, 2 usage error, 3 I/O or database error.\n";

enum { OPT_JSON = 256, OPT_MIN, OPT_ALL, OPT_SINCE, OPT_PASSAGES, OPT_WORKER, OPT_PARTS };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, OPT_JSON},
    {"min-score", required_argument, NULL, OPT_MIN},
    {"all", no_argument, NULL, OPT_ALL},
    {"passages", no_argument, NULL, OPT_PASSAGES},
    {"since", required_argument, NULL, OPT_SINCE},
    {"jobs", required_argument, NULL, 'j'},
    {"worker", no_argument, NULL, OPT_WORKER},
    {"parts", required_argument, NULL, OPT_PARTS},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void on_progress(void *ctx, uint64_t done, uint64_t bytes)
{
    cli_progress_update(ctx, done, bytes);
}

/* One cluster: its stored members and their articles. */
struct group {
    int64_t cluster;
    const rp_db_member *m;
    rp_article *art;
    size_t n;
};

/* --since: a member indexed at or after since (a member whose indexing
 * time is unknown counts as new, as in report --since). */
static int group_new_since(const struct group *g, int64_t since)
{
    if (since == RP_TIME_UNKNOWN) return 1;
    for (size_t i = 0; i < g->n; i++)
        if (g->art[i].indexed_at == 0 || g->art[i].indexed_at >= since) return 1;
    return 0;
}

static const char *id_of(const struct group *g, int64_t rowid)
{
    for (size_t i = 0; i < g->n; i++)
        if (g->m[i].article == rowid) return g->art[i].id;
    return NULL;
}

/* The passages a copy shares with its source (verified again, as
 * clustering verified them), or NULL after a message. */
static json_t *passages_json(rp_db *db, const char *path, const rp_db_member *m)
{
    rp_match x = {0};
    char err[512] = "";
    rp_err e = rp_verify_stored(db, m->source, m->article, &x, NULL, NULL, err, sizeof err);
    if (e != RP_OK) {
        cli_warnx("%s: article %lld: %s", path, (long long)m->article,
                  cli_db_reason(path, *err ? err : rp_strerror(e)));
        return NULL;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < x.npassages; i++) {
        const rp_passage *p = &x.passages[i];
        json_t *o = json_object();
        json_object_set_new(o, "source_start", cli_json_u64(p->a_start));
        json_object_set_new(o, "source_end", cli_json_u64(p->a_end));
        json_object_set_new(o, "copy_start", cli_json_u64(p->b_start));
        json_object_set_new(o, "copy_end", cli_json_u64(p->b_end));
        json_object_set_new(o, "quoted", json_boolean(p->quoted));
        json_array_append_new(arr, o);
    }
    rp_match_clear(&x);
    return arr;
}

/* With db (--passages), copies carry their passages; -1 when they could
 * not be computed. */
static int print_json(const struct group *g, rp_db *db, const char *path)
{
    json_t *o = json_object(), *arr = json_array();
    const char *orig = NULL;
    for (size_t i = 0; i < g->n && !orig; i++)
        if (g->m[i].is_original) orig = g->art[i].id;
    json_object_set_new(o, "cluster", json_integer(g->cluster));
    json_object_set_new(o, "original", cli_json_str(orig));
    json_object_set_new(o, "size", cli_json_u64(g->n));
    for (size_t i = 0; i < g->n; i++) {
        const rp_db_member *m = &g->m[i];
        const rp_article *a = &g->art[i];
        char pub[40];
        json_t *j = json_object();
        json_object_set_new(j, "id", cli_json_str(a->id));
        json_object_set_new(j, "url", cli_json_str(a->url));
        json_object_set_new(j, "site", cli_json_str(a->site));
        json_object_set_new(j, "title", cli_json_str(a->title));
        json_object_set_new(j, "published", cli_json_str(cli_published(a, pub, sizeof pub)));
        json_object_set_new(j, "role", json_string(m->is_original ? "original" : "copy"));
        if (m->is_original) {
            json_object_set_new(j, "source", json_null());
            json_object_set_new(j, "score", cli_json_score(1.0));
        } else {
            json_object_set_new(j, "source", cli_json_str(id_of(g, m->source)));
            json_object_set_new(j, "score", cli_json_score(m->score));
            json_object_set_new(j, "jaccard", cli_json_score(m->jaccard));
            json_object_set_new(j, "containment", cli_json_score(m->containment));
            if (db) {
                json_t *ps = passages_json(db, path, m);
                if (!ps) {
                    json_decref(j);
                    json_decref(arr);
                    json_decref(o);
                    return -1;
                }
                json_object_set_new(j, "passages", ps);
            }
        }
        /* After the contract's fields: the stored language (null for
         * articles of a database made before languages were stored). */
        json_object_set_new(j, "lang", cli_json_str(a->lang));
        json_array_append_new(arr, j);
    }
    json_object_set_new(o, "members", arr);
    cli_json_print(o);
    return 0;
}

static void print_member(const rp_article *a, const rp_db_member *m, size_t depth)
{
    char pub[40];
    const char *p = cli_published(a, pub, sizeof pub);
    for (size_t d = 0; d < depth; d++)
        fputs("    ", stdout);
    if (m->is_original)
        fputs("original  ", stdout);
    else
        printf("`- %.4f  ", m->score);
    cli_puts_safe(stdout, a->id ? a->id : "?");
    if (a->site) fputs("  ", stdout), cli_puts_safe(stdout, a->site);
    if (p) fputs("  ", stdout), cli_puts_safe(stdout, p);
    if (a->title) fputs("  \"", stdout), cli_puts_safe(stdout, a->title), putchar('"');
    putchar('\n');
}

/* Depth-first from member i; done[] guards against a malformed tree. */
static void print_subtree(const struct group *g, size_t i, size_t depth, unsigned char *done)
{
    done[i] = 1;
    print_member(&g->art[i], &g->m[i], depth);
    for (size_t j = 0; j < g->n; j++)
        if (!done[j] && !g->m[j].is_original && g->m[j].source == g->m[i].article)
            print_subtree(g, j, depth + 1, done);
}

static void print_tree(const struct group *g)
{
    printf("\ncluster %lld (%zu article%s)\n", (long long)g->cluster, g->n, g->n == 1 ? "" : "s");
    unsigned char *done = calloc(g->n, 1);
    if (!done) cli_errx(CLI_EXIT_IO, "out of memory");
    for (size_t i = 0; i < g->n; i++)
        if (g->m[i].is_original && !done[i]) print_subtree(g, i, 1, done);
    /* Members whose source is not in the cluster (should not happen). */
    for (size_t i = 0; i < g->n; i++)
        if (!done[i]) print_subtree(g, i, 1, done);
    free(done);
}

static int load_group(rp_db *db, const char *path, struct group *g)
{
    g->art = calloc(g->n, sizeof *g->art);
    if (!g->art) cli_errx(CLI_EXIT_IO, "out of memory");
    for (size_t i = 0; i < g->n; i++) {
        rp_err e = rp_db_get_meta(db, g->m[i].article, &g->art[i]);
        if (e != RP_OK) {
            cli_warnx("%s: article %lld: %s", path, (long long)g->m[i].article,
                      cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
            return -1;
        }
    }
    return 0;
}

static void group_clear(struct group *g)
{
    for (size_t i = 0; g->art && i < g->n; i++)
        rp_article_clear(&g->art[i]);
    free(g->art);
    g->art = NULL;
}

static int cmp_i64(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return (a > b) - (a < b);
}

/* With --all: articles in no stored cluster are printed as clusters of one,
 * numbered after the stored ones. */
static int print_singletons(rp_db *db, const char *path, const rp_db_member *m, size_t nm, int json,
                            int64_t next_id, int64_t since)
{
    rp_db_row *rows = NULL;
    size_t nrows = 0;
    int64_t *in = malloc((nm ? nm : 1) * sizeof *in);
    if (!in) cli_errx(CLI_EXIT_IO, "out of memory");
    for (size_t i = 0; i < nm; i++)
        in[i] = m[i].article;
    qsort(in, nm, sizeof *in, cmp_i64);
    int rc = 0;
    rp_err e = rp_db_rows(db, &rows, &nrows);
    if (e != RP_OK) {
        cli_warnx("%s: %s", path,
                  cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < nrows; i++) {
        if (bsearch(&rows[i].rowid, in, nm, sizeof *in, cmp_i64)) continue;
        rp_db_member one = {
            .article = rows[i].rowid, .cluster = next_id++, .is_original = 1, .score = 1.0};
        struct group g = {.cluster = one.cluster, .m = &one, .n = 1};
        if (load_group(db, path, &g)) {
            group_clear(&g);
            rc = -1;
            goto out;
        }
        if (group_new_since(&g, since) && json)
            print_json(&g, NULL, path);
        else if (group_new_since(&g, since))
            print_tree(&g);
        group_clear(&g);
    }
out:
    rp_db_rows_free(rows, nrows);
    free(in);
    return rc;
}

int cmd_cluster(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL;
    int json = 0, all = 0, quiet = 0, passages = 0, worker = 0, ch;
    size_t jobs = 0, parts = 0;
    rp_cluster_opts opts = {.min_score = -1.0};
    int64_t since = RP_TIME_UNKNOWN;
    while ((ch = getopt_long(argc, argv, "d:j:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case OPT_ALL:
            all = 1;
            break;
        case OPT_PASSAGES:
            passages = 1;
            break;
        case OPT_MIN:
            if (cli_parse_score(cmd, "--min-score", optarg, &opts.min_score)) return CLI_EXIT_USAGE;
            break;
        case 'j':
            if (cli_parse_count(cmd, "--jobs", optarg, &jobs)) return CLI_EXIT_USAGE;
            break;
        case OPT_WORKER:
            worker = 1;
            break;
        case OPT_PARTS:
            if (cli_parse_count(cmd, "--parts", optarg, &parts)) return CLI_EXIT_USAGE;
            if (parts == 0) return cli_usage_error(cmd, "--parts: at least 1");
            break;
        case OPT_SINCE:
            if (rp_time_parse(optarg, &since) != RP_OK)
                return cli_usage_error(cmd, "--since: '%s' is not an ISO 8601 date", optarg);
            break;
        case 'q':
            quiet = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    if (passages && !json) return cli_usage_error(cmd, "--passages needs --json");
    if (jobs > 1024) return cli_usage_error(cmd, "--jobs: at most 1024");
    if (parts && !worker) return cli_usage_error(cmd, "--parts needs --worker");
    if (worker && parts > 4096) return cli_usage_error(cmd, "--parts: at most 4096");

    const char *path = cli_db_path(dbopt);
    if (worker && !rp_db_is_server(path))
        return cli_usage_error(cmd,
                               "--worker needs a PostgreSQL database (-d postgresql://...): "
                               "'%s' is a SQLite file, clustered by one process",
                               path);
    /* Clustering an index that does not exist is an error, not a new file. */
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    rp_db_close(db);
    int stopped = 0, lockfd = cli_lock_writer(path, 0, NULL, &stopped);
    (void)stopped; /* no signal ends this wait: cluster has no stop flag */
    db = cli_db_open(path, 0);

    struct cli_progress prog;
    cli_progress_init(&prog, "verified", quiet);
    opts.jobs = (unsigned)jobs;
    opts.parts = parts;
    opts.progress = on_progress;
    opts.ctx = &prog;
    rp_cluster_stats cst = {0};
    rp_db_stats dst = {0};
    char err[512] = "";
    int rc = CLI_EXIT_OK;
    rp_db_member *m = NULL;
    size_t nm = 0;
    rp_cluster_work_stats wst = {0};
    rp_err e = worker ? rp_cluster_work(db, &opts, &cst, &wst, err, sizeof err)
                      : rp_cluster_run(db, &opts, &cst, err, sizeof err);
    cli_progress_clear(&prog);
    if (e != RP_OK) {
        cli_warnx("%s: %s", path, cli_db_reason(path, *err ? err : rp_strerror(e)));
        rc = CLI_EXIT_IO;
        goto out;
    }
    if ((e = rp_db_stats_get(db, &dst)) || (e = rp_db_load_clusters(db, &m, &nm))) {
        cli_warnx("%s: %s", path,
                  cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
        rc = CLI_EXIT_IO;
        goto out;
    }

    FILE *sf = json ? stderr : stdout;
    if (!json || !quiet) {
        fprintf(sf,
                "articles %llu, clusters %llu, clustered %llu, candidates %llu, reuse pairs %llu",
                (unsigned long long)dst.articles, (unsigned long long)cst.clusters,
                (unsigned long long)cst.clustered, (unsigned long long)cst.candidates,
                (unsigned long long)cst.verified);
        cli_print_limits(sf, &cst);
        fputc('\n', sf);
    }
    if (worker && !quiet)
        fprintf(stderr,
                "worker: job %lld, candidate parts %llu, chunks %llu (%llu pairs), restarts %llu, "
                "%s\n",
                (long long)wst.job, (unsigned long long)wst.parts, (unsigned long long)wst.chunks,
                (unsigned long long)wst.pairs, (unsigned long long)wst.restarts,
                wst.finished ? "stored the clusters" : "another worker stored the clusters");
    int64_t max_id = 0;
    for (size_t i = 0, j; i < nm; i = j) {
        for (j = i; j < nm && m[j].cluster == m[i].cluster; j++) {
        }
        if (m[i].cluster > max_id) max_id = m[i].cluster;
        struct group g = {.cluster = m[i].cluster, .m = m + i, .n = j - i};
        if (g.n < 2 && !all) continue;
        if (load_group(db, path, &g)) {
            group_clear(&g);
            rc = CLI_EXIT_IO;
            goto out;
        }
        int bad = 0;
        if (group_new_since(&g, since) && json)
            bad = print_json(&g, passages ? db : NULL, path);
        else if (group_new_since(&g, since))
            print_tree(&g);
        group_clear(&g);
        if (bad) {
            rc = CLI_EXIT_IO;
            goto out;
        }
    }
    if (all && print_singletons(db, path, m, nm, json, max_id + 1, since)) rc = CLI_EXIT_IO;
out:
    free(m);
    rp_db_close(db);
    if (lockfd >= 0) close(lockfd); /* after SQLite's descriptors (see cmd_index.c) */
    return rc;
}
