/*
 * cmd_query.c: `reprint query`, matching articles against the index.
 *
 * Every article read from the given paths is one query: its text is looked
 * up with rp_query_text, which finds LSH candidates and verifies each
 * exactly. The database is opened read-only, so a query never changes the
 * index. An indexed article is not reported as a match of itself (same id);
 * the same text under another id is. Like grep, the exit status says whether
 * anything was found: 1 if any input has a match at or above the threshold.
 */
#include <getopt.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint query [-d DB] [--json] [--min-score S] [--top N] [-f FORMAT]\n"
    "                     [--id ID]... [PATH...]\n"
    "\n"
    "Find indexed articles that share reused text with each article read from\n"
    "PATH (a file, a folder read recursively, or - for standard input), and with\n"
    "each indexed article given by --id ID.\n"
    "\n"
    "options:\n"
    "  -d, --db DB          database (default $REPRINT_DB, else reprint.db); opened\n"
    "                       read-only, never changed\n"
    "      --json           one JSON object per input article:\n"
    "                       {\"input\", \"matches\": [{\"id\", \"score\", \"jaccard\",\n"
    "                       \"containment_input_in_match\",\n"
    "                       \"containment_match_in_input\"}]}\n"
    "      --min-score S    report matches with reuse score >= S (default: the\n"
    "                       threshold stored with the index, " CLI_XSTR(
        RP_DEFAULT_MIN_SCORE) "\n"
                              "                       unless changed)\n"
                              "      --top N          at most N matches per input, best first "
                              "(default 0: all)\n"
                              "      --id ID          query with the indexed article ID "
                              "(repeatable)\n"
                              "  -f, --format FORMAT  input format: auto (default), text, html, "
                              "jsonl, warc\n"
                              "  -h, --help           show this help\n"
                              "\n"
                              "An article is never reported as a match of itself (same id).\n"
                              "\n"
                              "Exit status: 0 no match, 1 a match at or above the threshold, 2 "
                              "usage error\n"
                              "or no article to query in PATH..., 3 I/O or database error (an "
                              "input could not be read, no such "
                              "database).\n";

enum { OPT_JSON = 256, OPT_MIN, OPT_TOP, OPT_ID };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, OPT_JSON},
    {"min-score", required_argument, NULL, OPT_MIN},
    {"top", required_argument, NULL, OPT_TOP},
    {"id", required_argument, NULL, OPT_ID},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void print_json(const char *input, const rp_hit *hits, const size_t *keep, size_t n)
{
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "input", cli_json_str(input));
    for (size_t i = 0; i < n; i++) {
        const rp_hit *h = &hits[keep[i]];
        json_t *m = json_object();
        json_object_set_new(m, "id", cli_json_str(h->id));
        json_object_set_new(m, "score", cli_json_score(h->m.score));
        json_object_set_new(m, "jaccard", cli_json_score(h->m.jaccard));
        json_object_set_new(m, "containment_input_in_match", cli_json_score(h->m.cont_a_in_b));
        json_object_set_new(m, "containment_match_in_input", cli_json_score(h->m.cont_b_in_a));
        json_array_append_new(arr, m);
    }
    json_object_set_new(o, "matches", arr);
    cli_json_print(o);
}

static void print_human(rp_db *db, const char *input, const rp_hit *hits, const size_t *keep,
                        size_t n)
{
    cli_puts_safe(stdout, input);
    printf(": %zu match%s\n", n, n == 1 ? "" : "es");
    for (size_t i = 0; i < n; i++) {
        const rp_hit *h = &hits[keep[i]];
        rp_article a = {0};
        int have = rp_db_get(db, h->rowid, &a) == RP_OK;
        printf("  %.4f  jaccard %.4f  ", h->m.score, h->m.jaccard);
        cli_puts_safe(stdout, h->id);
        if (have && a.title) fputs("  \"", stdout), cli_puts_safe(stdout, a.title), putchar('"');
        if (have && a.site) fputs("  (", stdout), cli_puts_safe(stdout, a.site), putchar(')');
        putchar('\n');
        rp_article_clear(&a);
    }
}

static void on_note(void *ctx, const char *path, const char *why)
{
    (void)ctx;
    cli_warnx("%s: %s", path, why);
}

struct query_opts {
    double min_score;
    size_t top;
    int json;
};

/* Query the index with one article and print its matches. Returns 0 for no
 * match, 1 for a match, -1 after a database error (said on stderr). */
static int query_one(rp_db *db, const char *dbpath, const struct query_opts *q, const char *input,
                     const rp_article *a)
{
    rp_hit *hits = NULL;
    size_t n = 0;
    char err[512] = "";
    /* A record's own language (JSONL lang, <html lang>), else identified. */
    rp_err e = rp_query_text_lang(db, a->text, a->text_len, a->lang, q->min_score,
                                  q->top ? q->top + 1 : 0, &hits, &n, err, sizeof err);
    if (e != RP_OK) {
        cli_warnx("%s: %s", dbpath, cli_db_reason(dbpath, *err ? err : rp_strerror(e)));
        return -1;
    }
    /* Skip the input itself if it is indexed under the same id. */
    size_t *keep = malloc((n ? n : 1) * sizeof *keep), k = 0;
    if (!keep) cli_errx(CLI_EXIT_IO, "out of memory");
    for (size_t i = 0; i < n && (!q->top || k < q->top); i++)
        if (!(a->id && hits[i].id && strcmp(hits[i].id, a->id) == 0)) keep[k++] = i;
    if (q->json)
        print_json(input, hits, keep, k);
    else
        print_human(db, input, hits, keep, k);
    free(keep);
    rp_hits_free(hits, n);
    return k > 0;
}

int cmd_query(int argc, char **argv)
{
    /* A query process lives a few milliseconds and allocates a few MB: its
     * larger buffers (the input reader's, SQLite's first page-cache block,
     * the lookup's candidate array) come from the heap instead of a memory
     * map each, so they cost no mmap and munmap calls and their pages serve
     * later allocations instead of faulting in fresh ones. */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
    const char *cmd = argv[0], *dbopt = NULL;
    struct query_opts q = {.min_score = -1.0};
    const char **ids = NULL;
    size_t nids = 0;
    int ch;
    rp_reader_opts ropts = {0};
    while ((ch = getopt_long(argc, argv, "d:f:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_JSON:
            q.json = 1;
            break;
        case OPT_MIN:
            if (cli_parse_score(cmd, "--min-score", optarg, &q.min_score)) return CLI_EXIT_USAGE;
            break;
        case OPT_TOP:
            if (cli_parse_count(cmd, "--top", optarg, &q.top)) return CLI_EXIT_USAGE;
            break;
        case OPT_ID: {
            const char **grown = realloc(ids, (nids + 1) * sizeof *ids);
            if (!grown) cli_errx(CLI_EXIT_IO, "out of memory");
            ids = grown;
            ids[nids++] = optarg;
            break;
        }
        case 'f':
            if (rp_format_parse(optarg, &ropts.format) != RP_OK)
                return cli_usage_error(cmd, "unknown format '%s' (auto, text, html, jsonl, warc)",
                                       optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (optind >= argc && !nids) return cli_usage_error(cmd, "missing PATH or --id ID");
    ropts.on_note = on_note;

    const char *path = cli_db_path(dbopt);
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    int found = 0, failed = 0;
    uint64_t queried = 0;
    rp_article a = {0};
    rp_err e;
    for (size_t i = 0; i < nids && !failed; i++) {
        int64_t rowid;
        e = rp_db_find_id(db, ids[i], &rowid);
        if (e == RP_OK) e = rp_db_get(db, rowid, &a);
        if (e == RP_NOTFOUND) {
            cli_warnx("%s: no article with id '%s'", path, ids[i]);
            failed = 1;
            break;
        }
        if (e != RP_OK) {
            cli_warnx("%s: %s", path, rp_db_errmsg(db));
            failed = 1;
            break;
        }
        queried++;
        int got = query_one(db, path, &q, ids[i], &a);
        rp_article_clear(&a);
        if (got < 0) failed = 1;
        if (got > 0) found = 1;
    }
    free(ids);

    rp_reader *r = NULL;
    ropts.db_path = path;
    if (!failed && optind < argc) {
        e = rp_reader_open(&r, (const char *const *)(argv + optind), (size_t)(argc - optind),
                           &ropts);
        if (e != RP_OK) {
            rp_db_close(db);
            cli_errx(CLI_EXIT_IO, "%s", rp_strerror(e));
        }
    }
    while (r) {
        e = rp_reader_next(r, &a);
        if (e == RP_DONE) break;
        if (e == RP_REJECT || e == RP_IO) {
            uint64_t rec = rp_reader_record(r);
            const char *src = rp_reader_source(r) ? rp_reader_source(r) : "-";
            if (rec && e == RP_REJECT)
                cli_warnx("%s:%llu: %s", src, (unsigned long long)rec, rp_reader_errmsg(r));
            else
                cli_warnx("%s: %s", src, rp_reader_errmsg(r));
            if (e == RP_IO) failed = 1;
            continue;
        }
        if (e != RP_OK) {
            cli_warnx("%s", rp_strerror(e));
            failed = 1;
            break;
        }
        queried++;
        int got = query_one(db, path, &q, a.id ? a.id : a.source ? a.source : "-", &a);
        rp_article_clear(&a);
        if (got < 0) {
            failed = 1;
            break;
        }
        if (got > 0) found = 1;
    }
    rp_reader_free(r);
    rp_db_close(db);
    if (failed) return CLI_EXIT_IO;
    if (!queried) {
        cli_warnx("no article to query in the %s given", argc - optind == 1 ? "path" : "paths");
        return CLI_EXIT_USAGE;
    }
    return found ? CLI_EXIT_FOUND : CLI_EXIT_OK;
}
