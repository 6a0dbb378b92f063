/*
 * cmd_show.c: `reprint show`, one indexed article as extracted.
 *
 * What the index holds is what every score was computed on, so this prints
 * the stored text exactly (byte offsets from compare, query and report
 * point into it) after its metadata, or the same as one JSON object.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint show [-d DB] [--json] ID\n"
    "\n"
    "Print the indexed article ID as extracted: its metadata, a blank line, then\n"
    "its text exactly as stored. Lines learned as its site's chrome (standing in\n"
    "many of the site's pages) are listed after it: scores leave them out.\n"
    "\n"
    "options:\n"
    "  -d, --db DB   database (default $REPRINT_DB, else reprint.db); read-only\n"
    "      --json    one JSON object: {\"id\", \"url\", \"site\", \"title\", \"published\",\n"
    "                \"text\", \"chrome\": [[start, end], ...]} (null when unknown;\n"
    "                chrome ranges are byte offsets into text)\n"
    "  -h, --help    show this help\n"
    "\n"
    "Exit status: 0 success, 2 usage error, 3 I/O or database error, including an\n"
    "ID that is not in the database.\n";

enum { OPT_JSON = 256 };

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"json", no_argument, NULL, OPT_JSON},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

static void field(const char *name, const char *v)
{
    if (!v || !*v) return;
    printf("%-10s ", name);
    cli_puts_safe(stdout, v);
    putchar('\n');
}

int cmd_show(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL;
    int json = 0, ch;
    while ((ch = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case OPT_JSON:
            json = 1;
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (optind >= argc) return cli_usage_error(cmd, "missing ID");
    if (argc - optind > 1)
        return cli_usage_error(cmd, "too many arguments: '%s'", argv[optind + 1]);
    const char *id = argv[optind], *path = cli_db_path(dbopt);
    rp_db *db = cli_db_open(path, RP_DB_READONLY);
    int64_t rowid = 0;
    rp_article a = {0};
    uint32_t *chrome = NULL;
    size_t nchrome = 0;
    int rc = CLI_EXIT_OK;
    rp_err e = rp_db_find_id(db, id, &rowid);
    if (e == RP_OK) e = rp_db_get(db, rowid, &a);
    if (e == RP_NOTFOUND) {
        cli_warnx("no article with id '%s' in %s", id, path);
        rc = CLI_EXIT_IO;
        goto out;
    }
    if (e != RP_OK) {
        cli_warnx("%s: %s", path,
                  cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
        rc = CLI_EXIT_IO;
        goto out;
    }
    if (a.text && (e = rp_article_chrome(db, &a, &chrome, &nchrome))) {
        cli_warnx("%s: %s", path,
                  cli_db_reason(path, e == RP_DB ? rp_db_errmsg(db) : rp_strerror(e)));
        rc = CLI_EXIT_IO;
        goto out;
    }
    char pub[40];
    const char *p = cli_published(&a, pub, sizeof pub);
    if (json) {
        json_t *o = json_object();
        json_object_set_new(o, "id", cli_json_str(a.id));
        json_object_set_new(o, "url", cli_json_str(a.url));
        json_object_set_new(o, "site", cli_json_str(a.site));
        json_object_set_new(o, "title", cli_json_str(a.title));
        json_object_set_new(o, "published", cli_json_str(p));
        json_object_set_new(o, "text", a.text ? json_stringn(a.text, a.text_len) : json_null());
        json_t *ranges = json_array();
        for (size_t i = 0; i < nchrome; i++)
            json_array_append_new(ranges, json_pack("[II]", (json_int_t)chrome[2 * i],
                                                    (json_int_t)chrome[2 * i + 1]));
        json_object_set_new(o, "chrome", ranges);
        /* Stored with the article; identified again for databases made
         * before languages were stored. */
        json_object_set_new(o, "lang",
                            cli_json_str(a.lang ? a.lang : rp_lang_detect(a.text, a.text_len)));
        cli_json_print(o);
    } else {
        field("id", a.id);
        field("url", a.url);
        field("site", a.site);
        field("title", a.title);
        field("published", p);
        field("author", a.author);
        field("lang", a.lang ? a.lang : rp_lang_detect(a.text, a.text_len));
        putchar('\n');
        if (a.text) cli_write_safe(stdout, a.text, a.text_len, RP_ESC_KEEP_LF | RP_ESC_KEEP_TAB);
        if (a.text_len && a.text[a.text_len - 1] != '\n') putchar('\n');
        if (nchrome) {
            fputs("\n-- site chrome of ", stdout);
            cli_puts_safe(stdout, a.site ? a.site : "(no site)");
            printf(": %zu line%s left out of every score --\n", nchrome, nchrome == 1 ? "" : "s");
            for (size_t i = 0; i < nchrome; i++) {
                cli_write_safe(stdout, a.text + chrome[2 * i], chrome[2 * i + 1] - chrome[2 * i],
                               RP_ESC_KEEP_TAB);
                putchar('\n');
            }
        }
    }
out:
    free(chrome);
    rp_article_clear(&a);
    rp_db_close(db);
    return rc;
}
