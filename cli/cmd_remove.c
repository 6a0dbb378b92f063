/*
 * cmd_remove.c: `reprint remove`, taking articles out of the index.
 *
 * rp_remove_id does the work in one transaction per article: the row and
 * its text, its band rows, its site's chrome counts, exact-duplicate links
 * (the first duplicate takes its place) and the stored cluster holding it.
 * The cluster is dropped whole, since its tree may hang on the removed
 * article; this file says so, and that `reprint cluster` rebuilds it. Like
 * index, it takes the writer's lock, so it waits for a running index or
 * cluster instead of failing on SQLite's lock.
 */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint remove [-d DB] [--quiet] ID...\n"
    "\n"
    "Remove each article ID from the index: its text and metadata, its LSH band\n"
    "rows, its count in its site's chrome lines and its exact-duplicate links\n"
    "(its first exact duplicate, if any, takes its place). The stored cluster that\n"
    "held it is dropped whole: its other members are unclustered until the next\n"
    "`reprint cluster`. Indexing the same id again later stores it anew.\n"
    "\n"
    "options:\n"
    "  -d, --db DB   database (default $REPRINT_DB, else reprint.db)\n"
    "  -q, --quiet   no line per removed article on stderr\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 every ID removed, 2 usage error, 3 I/O or database error,\n"
    "including an ID that is not in the database (the others are still removed).\n";

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

int cmd_remove(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL;
    int quiet = 0, ch;
    while ((ch = getopt_long(argc, argv, "d:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
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
    if (optind >= argc) return cli_usage_error(cmd, "missing ID");
    const char *path = cli_db_path(dbopt);
    if (!rp_db_is_server(path) && access(path, F_OK) != 0)
        cli_errx(CLI_EXIT_IO, "%s: no such database", path);
    int stopped = 0, lockfd = cli_lock_writer(path, 0, NULL, &stopped);
    (void)stopped; /* no signal ends this wait */
    rp_db *db = cli_db_open(path, 0);
    int rc = CLI_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        char err[512];
        size_t csize = 0;
        rp_err e = rp_remove_id(db, argv[i], &csize, err, sizeof err);
        if (e == RP_NOTFOUND) {
            cli_warnx("no article with id '%s' in %s", argv[i], path);
            rc = CLI_EXIT_IO;
            continue;
        }
        if (e) {
            cli_warnx("%s: %s", path, cli_db_reason(path, *err ? err : rp_strerror(e)));
            rc = CLI_EXIT_IO;
            break;
        }
        if (quiet) continue;
        fputs("removed ", stderr);
        cli_puts_safe(stderr, argv[i]);
        if (csize > 1)
            fprintf(stderr, "; its cluster of %zu is dropped until the next reprint cluster",
                    csize);
        fputc('\n', stderr);
    }
    rp_db_close(db);
    if (lockfd >= 0) close(lockfd);
    return rc;
}
