/*
 * cmd_report.c: `reprint report`, what a licensing desk acts on.
 *
 * The report is computed by rp_report_write from the clusters stored by the
 * last `reprint cluster` run; this file parses the filters and picks the
 * destination. With -o OUT the report is written to a temporary file next
 * to OUT and renamed over it only when complete, so a failed run never
 * leaves a half report where a previous good one was. A database that was
 * never clustered is not an error: the report is empty and stderr says to
 * run `reprint cluster` first (exit 0), so scheduled jobs do not fail on a
 * fresh index.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* Copies above which one HTML page is worth splitting. */
#define RP_REPORT_SPLIT_HINT 2000

static const char usage[] =
    "usage: reprint report [-d DB] [--source SITE | --original ID] [--since DATE]\n"
    "                      [--format html|json|csv] [--passages] [-o OUT [--split]]\n"
    "                      [--quiet]\n"
    "\n"
    "Report the copies of each original found by the last 'reprint cluster' run:\n"
    "who copied it, how much, how soon, and whether they credit it. Copies without\n"
    "credit come first, then by reuse score, highest first.\n"
    "\n"
    "options:\n"
    "  -d, --db DB          database (default $REPRINT_DB, else reprint.db); opened\n"
    "                       read-only\n"
    "      --source SITE    only originals from SITE (case-insensitive, www. ignored)\n"
    "      --original ID    only the cluster of article ID (any member's id)\n"
    "      --since DATE     only copies indexed at or after DATE (ISO 8601 date or\n"
    "                       date-time, UTC unless it has an offset)\n"
    "      --format FORMAT  html (default): one self-contained page, texts side by\n"
    "                       side with copied passages marked; json: one object per\n"
    "                       copy {\"cluster\", \"original\", \"original_url\",\n"
    "                       \"original_site\", \"original_title\", \"original_published\",\n"
    "                       \"copy\", \"copy_url\", \"copy_site\", \"copy_title\",\n"
    "                       \"copy_published\", \"delay_hours\", \"score\", \"share_copied\",\n"
    "                       \"words_copied\", \"credited\"}; csv: the same fields as\n"
    "                       columns with a header row (RFC 4180)\n"
    "      --passages       json and csv: each copy also carries \"passages_source\"\n"
    "                       (the id of the text the source offsets point into: the\n"
    "                       original, or the copy it was measured against) and\n"
    "                       \"passages\": [{\"source_start\", \"source_end\", \"copy_start\",\n"
    "                       \"copy_end\", \"quoted\"}], byte offsets into the texts as\n"
    "                       `show` prints them (csv: \"S-E:C-D\" per passage, spaces\n"
    "                       between, q after a quoted one)\n"
    "  -o, --output OUT     write to OUT (replaced only when complete); default\n"
    "                       standard output\n"
    "      --split          html with -o OUT: OUT holds the summary, pictures and\n"
    "                       contents; each original's copies and evidence go to a\n"
    "                       page of its own in the folder OUT-files/ (OUT without\n"
    "                       .html; its pages of an earlier run are replaced), so\n"
    "                       that large reports open quickly\n"
    "  -q, --quiet          no progress line and no notes on stderr\n"
    "  -h, --help           show this help\n"
    "\n"
    "A database with no clusters gives an empty report and a note on stderr; so\n"
    "does --source SITE when no article from SITE is indexed (exit status 0, as\n"
    "for any filter that selects nothing).\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 I/O or database error (no such\n"
    "database, --original ID not found).\n";

enum { OPT_SOURCE = 256, OPT_ORIGINAL, OPT_SINCE, OPT_FORMAT, OPT_PASSAGES, OPT_SPLIT };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"source", required_argument, NULL, OPT_SOURCE},
    {"original", required_argument, NULL, OPT_ORIGINAL},
    {"since", required_argument, NULL, OPT_SINCE},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"passages", no_argument, NULL, OPT_PASSAGES},
    {"output", required_argument, NULL, 'o'},
    {"split", no_argument, NULL, OPT_SPLIT},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void on_progress(void *ctx, uint64_t done, uint64_t bytes)
{
    cli_progress_update(ctx, done, bytes);
}

/* Any article indexed from site (compared as --source compares: without
 * case, www. ignored)? Sites are stored lower-case without www., or as
 * --site gave them. A database error counts as known: the report says. */
static int site_known(rp_db *db, const char *site)
{
    char norm[512];
    rp_site_norm(site, norm, sizeof norm, 1);
    uint64_t n = 0;
    if (rp_db_site_docs(db, site, &n) != RP_OK || n) return 1;
    if (rp_db_site_docs(db, norm, &n) != RP_OK || n) return 1;
    return 0;
}

/* Pages of an earlier split report in dir (c<digits>.html, the names only
 * report writes there) are removed, so that the folder holds this report's
 * pages only. Other files are left alone. */
static void clear_pages(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *n = e->d_name;
        size_t len = strlen(n), digits = len > 6 ? strspn(n + 1, "0123456789") : 0;
        if (n[0] != 'c' || !digits || len != 1 + digits + 5 || strcmp(n + 1 + digits, ".html"))
            continue;
        size_t pl = strlen(dir) + len + 2;
        char *path = malloc(pl);
        if (!path) break;
        snprintf(path, pl, "%s/%s", dir, n);
        unlink(path);
        free(path);
    }
    closedir(d);
}

int cmd_report(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL, *outpath = NULL;
    rp_report_opts o = {.format = RP_REPORT_HTML, .since = RP_TIME_UNKNOWN};
    int quiet = 0, split = 0, ch;
    while ((ch = getopt_long(argc, argv, "d:o:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_SOURCE:
            o.source_site = optarg;
            break;
        case OPT_ORIGINAL:
            o.original_id = optarg;
            break;
        case OPT_SINCE:
            if (rp_time_parse(optarg, &o.since) != RP_OK)
                return cli_usage_error(cmd, "--since: '%s' is not an ISO 8601 date", optarg);
            break;
        case OPT_FORMAT:
            if (rp_report_format_parse(optarg, &o.format) != RP_OK)
                return cli_usage_error(cmd, "unknown format '%s' (html, json, csv)", optarg);
            break;
        case OPT_PASSAGES:
            o.passages = 1;
            break;
        case 'o':
            outpath = optarg;
            break;
        case OPT_SPLIT:
            split = 1;
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
    if (o.source_site && o.original_id)
        return cli_usage_error(cmd, "--source and --original cannot be combined");
    if (o.source_site && !*o.source_site) return cli_usage_error(cmd, "--source: empty SITE");
    if (outpath && (!*outpath || !strcmp(outpath, "-"))) outpath = NULL;
    if (split && (!outpath || o.format != RP_REPORT_HTML))
        return cli_usage_error(cmd, "--split needs --format html and -o OUT");

    const char *path = cli_db_path(dbopt);
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    o.db_label = path;
    if (o.source_site && !site_known(db, o.source_site))
        cli_warnx("no article from site '%s' in %s: the report is empty", o.source_site, path);

    FILE *out = stdout;
    char *tmpname = NULL;
    if (outpath) {
        size_t n = strlen(outpath) + 16;
        tmpname = malloc(n);
        if (!tmpname) cli_errx(CLI_EXIT_IO, "out of memory");
        snprintf(tmpname, n, "%s.tmp-XXXXXX", outpath);
        int fd = mkstemp(tmpname);
        /* mkstemp makes the file 0600; a report gets the usual mode. */
        mode_t mask = umask(0);
        umask(mask);
        if (fd >= 0) fchmod(fd, 0666 & ~mask);
        if (fd < 0 || !(out = fdopen(fd, "w"))) {
            int saved = errno;
            if (fd >= 0) {
                close(fd);
                unlink(tmpname);
            }
            rp_db_close(db);
            errno = saved;
            cli_err(CLI_EXIT_IO, "%s", outpath);
        }
    }

    /* Split: OUT's pages go to OUT-files/ (OUT without a .html or .htm
     * ending), linked relative to OUT so the whole can be moved. */
    char *pages = NULL, *href = NULL, *back = NULL;
    if (split) {
        const char *base = strrchr(outpath, '/') ? strrchr(outpath, '/') + 1 : outpath;
        size_t n = strlen(outpath), bn = strlen(base);
        size_t cut = n > 5 && !strcasecmp(outpath + n - 5, ".html")  ? 5
                     : n > 4 && !strcasecmp(outpath + n - 4, ".htm") ? 4
                                                                     : 0;
        pages = malloc(n + 8), href = malloc(bn + 8), back = malloc(bn + 4);
        if (!pages || !href || !back) cli_errx(CLI_EXIT_IO, "out of memory");
        snprintf(pages, n + 8, "%.*s-files", (int)(n - cut), outpath);
        snprintf(href, bn + 8, "%.*s-files/", (int)(bn - cut), base);
        snprintf(back, bn + 4, "../%s", base);
        if (mkdir(pages, 0777) != 0 && errno != EEXIST) {
            int saved = errno;
            fclose(out);
            unlink(tmpname);
            rp_db_close(db);
            errno = saved;
            cli_err(CLI_EXIT_IO, "%s", pages);
        }
        clear_pages(pages);
        o.pages_dir = pages, o.pages_href = href, o.index_href = back;
    }

    struct cli_progress prog;
    cli_progress_init(&prog, "clusters", quiet);
    o.progress = on_progress;
    o.ctx = &prog;
    rp_report_stats st;
    char err[512] = "";
    rp_err e = rp_report_write(db, &o, out, &st, err, sizeof err);
    cli_progress_clear(&prog);
    rp_db_close(db);

    int rc = CLI_EXIT_OK;
    if (outpath) {
        int bad = fclose(out) != 0;
        if (e == RP_OK && bad) {
            e = RP_IO;
            snprintf(err, sizeof err, "%s: %s", outpath, strerror(errno));
        }
        if (e == RP_OK && rename(tmpname, outpath) != 0) {
            e = RP_IO;
            snprintf(err, sizeof err, "%s: %s", outpath, strerror(errno));
        }
        if (e != RP_OK) unlink(tmpname);
    }
    free(tmpname);
    free(pages);
    free(href);
    free(back);
    if (e != RP_OK) {
        const char *msg = cli_db_reason(path, *err ? err : rp_strerror(e));
        if (e == RP_NOTFOUND)
            cli_warnx("%s (in %s)", msg, path);
        else if (e == RP_IO)
            cli_warnx("%s: %s", outpath ? outpath : "standard output", msg);
        else
            cli_warnx("%s: %s", path, msg);
        rc = CLI_EXIT_IO;
    } else if (!quiet) {
        if (!st.stored_clusters)
            cli_warnx("no clusters in %s: run 'reprint cluster' first", path);
        else if (st.unlisted)
            cli_warnx("reported %llu cop%s of %llu original%s, %llu without credit; %llu cluster "
                      "member%s left out: below the threshold against both the original and "
                      "its source",
                      (unsigned long long)st.copies, st.copies == 1 ? "y" : "ies",
                      (unsigned long long)st.originals, st.originals == 1 ? "" : "s",
                      (unsigned long long)st.uncredited, (unsigned long long)st.unlisted,
                      st.unlisted == 1 ? "" : "s");
        else
            cli_warnx("reported %llu cop%s of %llu original%s, %llu without credit",
                      (unsigned long long)st.copies, st.copies == 1 ? "y" : "ies",
                      (unsigned long long)st.originals, st.originals == 1 ? "" : "s",
                      (unsigned long long)st.uncredited);
        /* About 6 kB a copy: 20,913 copies on one page (122 MB) took
         * Chromium 20 s to open; split, the contents took half a second. */
        if (o.format == RP_REPORT_HTML && !split && st.copies > RP_REPORT_SPLIT_HINT)
            cli_warnx("%llu copies on one page open slowly in a browser: for a contents page "
                      "that opens at once and a page per original, add --split%s",
                      (unsigned long long)st.copies, outpath ? "" : " -o OUT");
    }
    return rc;
}
