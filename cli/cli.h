/*
 * cli.h: what the subcommands of the reprint program share (not public).
 *
 * Each subcommand lives in cli/cmd_<verb>.c as `int cmd_<verb>(argc, argv)`
 * and is listed in the command table in main.c; argv[0] is "reprint <verb>",
 * so getopt's own messages name the command. A command returns its exit
 * status; the helpers below end the process only for fatal errors, always
 * with a message naming the file and the reason (signify's err()/errx()).
 */
#ifndef RP_CLI_H
#define RP_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "reprint.h"

/* Exit statuses of the contract. */
#define CLI_EXIT_OK 0
#define CLI_EXIT_FOUND 1 /* query/compare: reuse at or above the threshold */
#define CLI_EXIT_USAGE 2
#define CLI_EXIT_IO 3
#define CLI_EXIT_INTERRUPTED 130 /* index stopped by SIGINT/SIGTERM */

/* A macro's value as a string literal, for usage texts. */
#define CLI_STR_(x) #x
#define CLI_XSTR(x) CLI_STR_(x)

/* One subcommand. */
struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

int cmd_index(int argc, char **argv);
int cmd_query(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_remove(int argc, char **argv);

/* ---- messages and exits (util.c) ---- */

/* "reprint: <message>" on stderr, then exit(code). */
_Noreturn void cli_errx(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* As cli_errx, followed by ": <strerror(errno)>". */
_Noreturn void cli_err(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "reprint: <message>" on stderr. */
void cli_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A usage error of command cmd ("reprint index"): the message (if fmt is
 * non-NULL) and a hint to --help on stderr. Returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write (s, n) to f with its control characters made visible ("\x1b",
 * "\u009b", "\n"; see rp_escape_controls), keeping those named by keep
 * (RP_ESC_KEEP_*). Every piece of article data printed for people goes
 * through here. s NULL prints nothing. */
void cli_write_safe(FILE *f, const char *s, size_t n, unsigned keep);
/* cli_write_safe of a NUL-terminated one-line field (nothing kept). */
void cli_puts_safe(FILE *f, const char *s);
/* Flush stdout; a write error (full disk, closed pipe) ends with exit 3. */
void cli_flush_stdout(void);

/* ---- option values ---- */

/* Parse a score in [0, 1] for option opt; returns 0 or -1 after a message. */
int cli_parse_score(const char *cmd, const char *opt, const char *arg, double *out);
/* Parse a non-negative integer for option opt; returns 0 or -1. */
int cli_parse_count(const char *cmd, const char *opt, const char *arg, size_t *out);

/* ---- database ---- */

/* The database path: the -d argument if given, else $REPRINT_DB, else
 * "reprint.db". */
const char *cli_db_path(const char *opt);
/* Open the database at path (flags RP_DB_*). With RP_DB_READONLY a missing
 * file is "no such database". Any failure ends with exit 3 and a message
 * naming the file. */
rp_db *cli_db_open(const char *path, int flags);

/* Take the writer's flock on the database file, waiting (and saying so)
 * while another writer (index or cluster) holds it, so that long runs take
 * turns instead of timing out on SQLite's lock. create: make the file if
 * missing. A non-zero *stop (a signal) ends the wait with *stopped set.
 * Returns the descriptor to close after the database, or -1 when the file
 * cannot be opened (SQLite then reports why) or the wait was interrupted. */
int cli_lock_writer(const char *path, int create, volatile int *stop, int *stopped);
/* A library message about the database at path without its leading
 * "PATH: " (the library names the file; callers print the path once
 * themselves). Points into msg. */
const char *cli_db_reason(const char *path, const char *msg);
/* Append ", skipped buckets N" and the like to a summary line for each
 * cap or error of a cluster run that is not 0 (nothing when all are). */
void cli_print_limits(FILE *f, const rp_cluster_stats *st);
/* Parameters of an open database, or the defaults if none can be read
 * (e.g. a read-only database that has none stored yet). */
void cli_db_params(rp_db *db, rp_params *p);

/* ---- reading articles ---- */

/* First usable article of path into out (caller clears). Rejected records
 * before it are reported as warnings. Ends with exit 3 if the file cannot
 * be read or holds no usable article. */
void cli_read_first(const char *path, rp_format fmt, rp_article *out);

/* ---- JSON (one compact object per line, keys in insertion order) ---- */

/* A JSON string of s, or null when s is NULL. Invalid UTF-8 is repaired. */
json_t *cli_json_str(const char *s);
/* A score rounded to 4 decimals. */
json_t *cli_json_score(double x);
/* An unsigned count. */
json_t *cli_json_u64(uint64_t v);
/* Print o compactly on one line of stdout and release it. */
void cli_json_print(json_t *o);
/* The article's published date: as found, else formatted from the epoch,
 * else NULL. buf holds at least 32 bytes. */
const char *cli_published(const rp_article *a, char *buf, size_t size);

/* ---- progress on stderr (only when stderr is a terminal) ---- */

struct cli_progress {
    int on;
    const char *what;     /* "indexed", "verified" ... */
    uint64_t total_bytes; /* 0 = unknown, no ETA */
    double start, last;
    int shown;
};

/* Enable when stderr is a terminal and quiet is zero. */
void cli_progress_init(struct cli_progress *p, const char *what, int quiet);
/* Show count, rate and (when total_bytes is known) an ETA, at most a few
 * times a second. */
void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t bytes);
/* Erase the progress line (before printing anything else on stderr). */
void cli_progress_clear(struct cli_progress *p);

#endif
