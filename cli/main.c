/*
 * main.c: the reprint program's entry point and command table.
 *
 * As in git, the first argument names a subcommand, looked up in one table;
 * the rest of the arguments go to that command with argv[0] rewritten to
 * "reprint <command>", so each command parses its own options with
 * getopt_long and every message names the command it came from. Adding a
 * command is one line in the table and one declaration in cli.h.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct cli_cmd commands[] = {
    {"index", cmd_index, "add articles from files, folders or stdin to the index"},
    {"query", cmd_query, "find indexed articles that a given article reuses or is reused by"},
    {"compare", cmd_compare, "compare two articles and show the passages they share"},
    {"cluster", cmd_cluster, "group copies with their originals and store the clusters"},
    {"show", cmd_show, "print one indexed article as extracted"},
    {"stats", cmd_stats, "counts, parameters and the LSH S-curve of an index"},
    {"report", cmd_report, "who copied each original, how much, and whether they credit it"},
    {"export", cmd_export, "write the articles (with --dedup: originals only) as JSON Lines"},
    {"remove", cmd_remove, "take articles out of the index"},
};

static void list_commands(FILE *f)
{
    fprintf(f, "usage: reprint COMMAND [OPTIONS] [ARGS]\n"
               "       reprint COMMAND --help | reprint --help | reprint --version\n\n"
               "Find rewritten copies of news articles and trace them to their originals.\n\n"
               "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nThe database is -d DB, else $REPRINT_DB, else reprint.db.\n"
               "Exit status: 0 success (query/compare: no reuse found), 1 reuse found,\n"
               "2 usage error, 3 I/O or database error.\n");
}

static const struct cli_cmd *find(const char *name)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
    return NULL;
}

static int run(const struct cli_cmd *c, int argc, char **argv)
{
    static char name[64];
    snprintf(name, sizeof name, "reprint %s", c->name);
    argv[0] = name;
    int rc = c->run(argc, argv);
    cli_flush_stdout();
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        list_commands(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        list_commands(stdout);
        cli_flush_stdout();
        return CLI_EXIT_OK;
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("reprint %s\n", RP_VERSION);
        cli_flush_stdout();
        return CLI_EXIT_OK;
    }
    int help = 0;
    if (strcmp(a, "help") == 0) {
        if (argc < 3) {
            list_commands(stdout);
            cli_flush_stdout();
            return CLI_EXIT_OK;
        }
        a = argv[2];
        help = 1;
    }
    const struct cli_cmd *c = find(a);
    if (c && help) {
        char *hargv[] = {argv[2], "--help", NULL};
        return run(c, 2, hargv);
    }
    if (c) return run(c, argc - 1, argv + 1);
    if (a[0] == '-')
        fprintf(stderr, "reprint: unknown option '%s'\n", a);
    else
        fprintf(stderr, "reprint: '%s' is not a reprint command\n", a);
    fprintf(stderr, "Try 'reprint --help' for the list of commands.\n");
    return CLI_EXIT_USAGE;
}
