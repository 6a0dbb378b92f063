/*
 * cmd_export.c: `reprint export`, the index as JSON Lines.
 *
 * Each line is a record `reprint index` reads back (id, url, site, title,
 * published, text), so an export is also a way to move articles between
 * indexes. With --dedup it is the deduplicated corpus a training or
 * archiving pipeline wants: for each stored cluster only its original,
 * plus every article in no cluster; copies and exact duplicates are left
 * out. That needs clusters made after the last change to the index, so a
 * stale or missing clustering is an error rather than a silently wrong
 * corpus.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint export [-d DB] [--dedup] [-o OUT]\n"
    "\n"
    "Write the indexed articles as JSON Lines, one object per article in the order\n"
    "they were indexed: {\"id\", \"url\", \"site\", \"title\", \"published\", \"text\"}\n"
    "(null when unknown), which `reprint index` reads back.\n"
    "\n"
    "options:\n"
    "  -d, --db DB   database (default $REPRINT_DB, else reprint.db); read-only\n"
    "      --dedup   one article per stored cluster, its original, plus every\n"
    "                article in no cluster; each line also carries \"cluster\" (the\n"
    "                cluster id, null when in none) and \"copies\" (members left\n"
    "                out). Needs clusters made since the index last changed: run\n"
    "                `reprint cluster` first\n"
    "  -o, --output OUT  write to OUT instead of standard output\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 I/O or database error, or --dedup\n"
    "with clusters older than the index.\n";

enum { OPT_DEDUP = 256 };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"dedup", no_argument, NULL, OPT_DEDUP},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

/* The cluster of each rowid: sorted (rowid, index into m) for bsearch. */
struct member_of {
    int64_t rowid;
    size_t i;
};

static int cmp_member(const void *x, const void *y)
{
    const struct member_of *a = x, *b = y;
    return a->rowid < b->rowid ? -1 : a->rowid > b->rowid;
}

int cmd_export(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL, *outpath = NULL;
    int dedup = 0, ch;
    while ((ch = getopt_long(argc, argv, "d:o:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_DEDUP:
            dedup = 1;
            break;
        case 'o':
            outpath = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (optind < argc) return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
    const char *path = cli_db_path(dbopt);
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    rp_db_row *rows = NULL;
    rp_db_member *m = NULL;
    struct member_of *of = NULL;
    size_t nrows = 0, nm = 0, *runsize = NULL;
    uint64_t written = 0, left_out = 0;
    int rc = CLI_EXIT_OK;
    rp_err e;
    FILE *out = stdout;
    if ((e = rp_db_rows(db, &rows, &nrows))) goto dberr;
    if (dedup) {
        int stale = 1;
        if ((e = rp_cluster_stale(db, &stale))) goto dberr;
        if (stale) {
            cli_warnx("%s: the stored clusters are older than the index (or there are none): "
                      "run reprint cluster first",
                      path);
            rc = CLI_EXIT_IO;
            goto out;
        }
        if ((e = rp_db_load_clusters(db, &m, &nm))) goto dberr;
        if (nm && !(of = malloc(nm * sizeof *of))) cli_errx(CLI_EXIT_IO, "out of memory");
        for (size_t i = 0; i < nm; i++)
            of[i] = (struct member_of){m[i].article, i};
        qsort(of, nm, sizeof *of, cmp_member);
        /* members of a cluster are adjacent: each one's cluster size */
        if (nm && !(runsize = malloc(nm * sizeof *runsize))) cli_errx(CLI_EXIT_IO, "out of memory");
        for (size_t i = 0, j; i < nm; i = j) {
            for (j = i; j < nm && m[j].cluster == m[i].cluster; j++)
                ;
            for (size_t k = i; k < j; k++)
                runsize[k] = j - i;
        }
    }
    if (outpath && !(out = fopen(outpath, "w"))) cli_err(CLI_EXIT_IO, "%s", outpath);
    for (size_t r = 0; r < nrows; r++) {
        const rp_db_member *mem = NULL;
        size_t size = 1;
        if (dedup) {
            struct member_of key = {rows[r].rowid, 0};
            struct member_of *hit = bsearch(&key, of, nm, sizeof *of, cmp_member);
            if (hit) {
                mem = &m[hit->i];
                if (!mem->is_original) {
                    left_out++;
                    continue;
                }
                size = runsize[hit->i];
            }
        }
        rp_article a = {0};
        if ((e = rp_db_get(db, rows[r].rowid, &a))) goto dberr;
        char pub[40];
        json_t *o = json_object();
        json_object_set_new(o, "id", cli_json_str(a.id));
        json_object_set_new(o, "url", cli_json_str(a.url));
        json_object_set_new(o, "site", cli_json_str(a.site));
        json_object_set_new(o, "title", cli_json_str(a.title));
        json_object_set_new(o, "published", cli_json_str(cli_published(&a, pub, sizeof pub)));
        json_object_set_new(o, "text", a.text ? json_stringn(a.text, a.text_len) : json_null());
        if (dedup) {
            json_object_set_new(o, "cluster", size > 1 ? json_integer(mem->cluster) : json_null());
            json_object_set_new(o, "copies", cli_json_u64(size - 1));
        }
        if (json_dumpf(o, out, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 || fputc('\n', out) == EOF)
            cli_err(CLI_EXIT_IO, "%s", outpath ? outpath : "standard output");
        json_decref(o);
        rp_article_clear(&a);
        written++;
    }
    if (outpath) {
        if (fclose(out) != 0) cli_err(CLI_EXIT_IO, "%s", outpath);
    } else {
        cli_flush_stdout();
    }
    out = NULL;
    if (dedup)
        fprintf(stderr, "exported %llu articles, left out %llu copies\n",
                (unsigned long long)written, (unsigned long long)left_out);
    else
        fprintf(stderr, "exported %llu articles\n", (unsigned long long)written);
    goto out;
dberr:
    cli_warnx("%s: %s", path, cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
    rc = CLI_EXIT_IO;
out:
    if (out && out != stdout) fclose(out);
    free(of);
    free(runsize);
    free(m);
    rp_db_rows_free(rows, nrows);
    rp_db_close(db);
    return rc;
}
