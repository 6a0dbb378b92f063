/*
 * cmd_index.c: `reprint index`, adding articles to the database.
 *
 * The work is rp_index_paths; this file turns its callbacks into what a user
 * sees: one line on stderr per rejected record or unreadable path (and one
 * JSONL line in --rejects FILE), a progress line when stderr is a terminal,
 * and always exactly one summary line at the end. SIGINT and SIGTERM ask
 * the library to finish the batch in hand and stop, so the database is left
 * consistent and the summary still counts what was stored; a second signal
 * ends the process at once.
 *
 * Two index runs on one database take turns: each holds an flock(2) on the
 * database file for its whole run, and a second run waits for the first to
 * finish (saying so on stderr) instead of competing for SQLite's write lock
 * at every commit, where it would time out. SQLite's own locks are fcntl
 * locks, which flock locks do not interfere with on local file systems; the
 * descriptor is closed only after the database, since closing any
 * descriptor of the file drops the process's fcntl locks on it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint index [-d DB] [-f FORMAT] [-j JOBS] [--site SITE] [--lang LANG]\n"
    "                     [--rejects FILE] [--max-record-bytes N]\n"
    "                     [--max-text-bytes N] [--shingle-size N]\n"
    "                     [--permutations K] [--threshold S] [--quiet] PATH...\n"
    "\n"
    "Add the articles in each PATH (a file, a folder read recursively, or - for\n"
    "standard input; .gz files are decompressed) to the index. Articles whose id\n"
    "is already indexed are left unchanged; the same text under a new id is\n"
    "recorded as an exact duplicate. A page read from standard input is known by\n"
    "its canonical URL, else by -, -#2, -#3... (one per different text).\n"
    "\n"
    "options:\n"
    "  -d, --db DB          database (default $REPRINT_DB, else reprint.db); created\n"
    "                       if missing\n"
    "  -f, --format FORMAT  auto (default: by extension, then content), text, html,\n"
    "                       jsonl or warc\n"
    "  -j, --jobs JOBS      worker threads (default 0: one per core); the result does\n"
    "                       not depend on it\n"
    "      --site SITE      site of every article read (default: JSONL site, else the\n"
    "                       host of its URL)\n"
    "      --lang LANG      language of every article read (an ISO 639-1 code such\n"
    "                       as fr, de, zh; default: JSONL lang, else <html lang>,\n"
    "                       else identified from the text)\n"
    "      --rejects FILE   append one JSON line per rejected record or unreadable\n"
    "                       path: {\"source\", \"record\", \"reason\"}\n"
    "      --max-record-bytes N\n"
    "                       reject a raw record (JSONL line, file, WARC payload,\n"
    "                       after gzip decompression) longer than N bytes\n"
    "                       (default 64M; suffixes k, M, G)\n"
    "      --max-text-bytes N\n"
    "                       keep at most N bytes of extracted text per article,\n"
    "                       cut at a character boundary (default 8M; k, M, G)\n"
    "      --shingle-size N words per shingle of a new index (default 3, 1-16)\n"
    "      --permutations K MinHash permutations per shingle family of a new index\n"
    "                       (default 128, 16-1024; LSH bands are chosen for K)\n"
    "      --threshold S    decision threshold of a new index: the default --min-score\n"
    "                       of cluster, query and report (default 0.25)\n"
    "                       These three are stored with the index when it is made;\n"
    "                       given for an existing index, they must match what it\n"
    "                       was made with (else exit 2)\n"
    "  -q, --quiet          no progress line\n"
    "  -h, --help           show this help\n"
    "\n"
    "Ends with one line on stderr: indexed N, exact duplicates D, rejected R\n"
    "(N new articles, D of them exact duplicates, R rejected records plus\n"
    "unreadable paths), followed by \", already indexed A\" when A articles read\n"
    "were in the index already.\n"
    "\n"
    "A second index run on the same database waits for the first to finish.\n"
    "\n"
    "Exit status: 0 success (also with rejected records), 3 if a PATH could not be\n"
    "read (everything else is still indexed) or on a database error, 130 if\n"
    "interrupted by SIGINT/SIGTERM (the batch in hand is finished first).\n";

/* The figures the usage text gives for the index-time parameters. */
_Static_assert(RP_DEFAULT_SHINGLE_K == 3 && RP_PARAMS_MIN_SHINGLE == 1 &&
                   RP_PARAMS_MAX_SHINGLE == 16,
               "update the usage text: --shingle-size");
_Static_assert(RP_DEFAULT_K == 128 && RP_PARAMS_MIN_K == 16 && RP_PARAMS_MAX_K == 1024,
               "update the usage text: --permutations");

enum {
    OPT_SITE = 256,
    OPT_REJECTS,
    OPT_MAX_RECORD,
    OPT_MAX_TEXT,
    OPT_SHINGLE,
    OPT_PERM,
    OPT_THRESH,
    OPT_LANG
};

static const struct option longopts[] = {
    {"db", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'f'},
    {"jobs", required_argument, NULL, 'j'},
    {"site", required_argument, NULL, OPT_SITE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"rejects", required_argument, NULL, OPT_REJECTS},
    {"max-record-bytes", required_argument, NULL, OPT_MAX_RECORD},
    {"max-text-bytes", required_argument, NULL, OPT_MAX_TEXT},
    {"shingle-size", required_argument, NULL, OPT_SHINGLE},
    {"permutations", required_argument, NULL, OPT_PERM},
    {"threshold", required_argument, NULL, OPT_THRESH},
    {"quiet", no_argument, NULL, 'q'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct index_ctx {
    pthread_mutex_t lock; /* callbacks may come from worker threads */
    FILE *rejects;
    const char *rejects_path;
    int rejects_failed;
    struct cli_progress prog;
};

static volatile int stop_flag;

static void on_signal(int sig)
{
    stop_flag = 1;
    /* A second signal ends the process the ordinary way. */
    signal(sig, SIG_DFL);
}

static void on_reject(void *vctx, const char *source, uint64_t record, const char *reason)
{
    struct index_ctx *c = vctx;
    if (!source) source = "-";
    if (!reason) reason = "rejected";
    pthread_mutex_lock(&c->lock);
    cli_progress_clear(&c->prog);
    if (record)
        cli_warnx("%s:%llu: %s", source, (unsigned long long)record, reason);
    else
        cli_warnx("%s: %s", source, reason);
    if (c->rejects && !c->rejects_failed) {
        json_t *o = json_object();
        json_object_set_new(o, "source", cli_json_str(source));
        json_object_set_new(o, "record", record ? cli_json_u64(record) : json_null());
        json_object_set_new(o, "reason", cli_json_str(reason));
        if (json_dumpf(o, c->rejects, JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
            fputc('\n', c->rejects) == EOF)
            c->rejects_failed = 1;
        json_decref(o);
    }
    pthread_mutex_unlock(&c->lock);
}

static void on_note(void *vctx, const char *path, const char *why)
{
    struct index_ctx *c = vctx;
    pthread_mutex_lock(&c->lock);
    cli_progress_clear(&c->prog);
    cli_warnx("%s: %s", path, why);
    pthread_mutex_unlock(&c->lock);
}

static void on_progress(void *vctx, uint64_t done, uint64_t bytes)
{
    struct index_ctx *c = vctx;
    pthread_mutex_lock(&c->lock);
    cli_progress_update(&c->prog, done, bytes);
    pthread_mutex_unlock(&c->lock);
}

/* Total size of the input, for the ETA (only computed for a terminal). */
static uint64_t walk_total;
static int add_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path, (void)ftw;
    if (type == FTW_F && S_ISREG(st->st_mode)) walk_total += (uint64_t)st->st_size;
    return 0;
}

static uint64_t input_size(char **paths, int n)
{
    walk_total = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(paths[i], "-") != 0) nftw(paths[i], add_size, 16, FTW_PHYS);
    return walk_total;
}

/* A byte count with an optional k, M or G suffix (powers of 1024), at
 * least 1 and at most 1 TiB. Returns 0, or -1 after the usage message. */
static int parse_bytes(const char *cmd, const char *opt, const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    unsigned shift = 0;
    if (end != arg && *end && !end[1]) {
        switch (*end) {
        case 'k':
        case 'K':
            shift = 10;
            end++;
            break;
        case 'm':
        case 'M':
            shift = 20;
            end++;
            break;
        case 'g':
        case 'G':
            shift = 30;
            end++;
            break;
        default:
            break;
        }
    }
    if (end == arg || *end || errno || arg[0] == '-' || v == 0 || v > (1ull << (40 - shift))) {
        cli_usage_error(cmd, "%s: '%s' is not a size in bytes (1 to 1T, suffix k, M or G)", opt,
                        arg);
        return -1;
    }
    *out = (size_t)(v << shift);
    return 0;
}

int cmd_index(int argc, char **argv)
{
    const char *cmd = argv[0], *dbopt = NULL, *rejects = NULL;
    rp_index_opts opts = {0};
    int quiet = 0, ch;
    size_t jobs = 0, shingle_k = 0, perms = 0;
    double threshold = -1;
    while ((ch = getopt_long(argc, argv, "d:f:j:qh", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            dbopt = optarg;
            break;
        case 'f':
            if (rp_format_parse(optarg, &opts.reader.format) != RP_OK)
                return cli_usage_error(cmd, "unknown format '%s' (auto, text, html, jsonl, warc)",
                                       optarg);
            break;
        case 'j':
            if (cli_parse_count(cmd, "--jobs", optarg, &jobs)) return CLI_EXIT_USAGE;
            break;
        case OPT_SITE:
            opts.reader.site = optarg;
            break;
        case OPT_LANG:
            if (!(opts.lang = rp_lang_canonical(optarg)))
                return cli_usage_error(
                    cmd, "unknown language '%s' (an ISO 639-1 code: en, fr, de...)", optarg);
            break;
        case OPT_REJECTS:
            rejects = optarg;
            break;
        case OPT_MAX_RECORD:
            if (parse_bytes(cmd, "--max-record-bytes", optarg, &opts.reader.max_record_bytes))
                return CLI_EXIT_USAGE;
            break;
        case OPT_MAX_TEXT:
            if (parse_bytes(cmd, "--max-text-bytes", optarg, &opts.reader.max_text_bytes))
                return CLI_EXIT_USAGE;
            break;
        case OPT_SHINGLE:
            if (cli_parse_count(cmd, "--shingle-size", optarg, &shingle_k)) return CLI_EXIT_USAGE;
            if (shingle_k < RP_PARAMS_MIN_SHINGLE || shingle_k > RP_PARAMS_MAX_SHINGLE)
                return cli_usage_error(cmd, "--shingle-size: %d to %d words", RP_PARAMS_MIN_SHINGLE,
                                       RP_PARAMS_MAX_SHINGLE);
            break;
        case OPT_PERM:
            if (cli_parse_count(cmd, "--permutations", optarg, &perms)) return CLI_EXIT_USAGE;
            if (perms < RP_PARAMS_MIN_K || perms > RP_PARAMS_MAX_K)
                return cli_usage_error(cmd, "--permutations: %d to %d", RP_PARAMS_MIN_K,
                                       RP_PARAMS_MAX_K);
            break;
        case OPT_THRESH:
            if (cli_parse_score(cmd, "--threshold", optarg, &threshold)) return CLI_EXIT_USAGE;
            if (threshold <= 0) return cli_usage_error(cmd, "--threshold: above 0, at most 1");
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
    if (optind >= argc) return cli_usage_error(cmd, "missing PATH");
    if (jobs > 1024) return cli_usage_error(cmd, "--jobs: at most 1024");

    struct index_ctx ctx = {.rejects_path = rejects};
    pthread_mutex_init(&ctx.lock, NULL);
    cli_progress_init(&ctx.prog, "indexed", quiet);
    if (ctx.prog.on) ctx.prog.total_bytes = input_size(argv + optind, argc - optind);
    if (rejects && !(ctx.rejects = fopen(rejects, "a"))) cli_err(CLI_EXIT_IO, "%s", rejects);

    const char *path = cli_db_path(dbopt);
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    int stopped = 0, lockfd = cli_lock_writer(path, 1, &stop_flag, &stopped);
    if (stopped) {
        cli_warnx("interrupted while waiting for the database");
        fprintf(stderr, "indexed 0, exact duplicates 0, rejected 0\n");
        return CLI_EXIT_INTERRUPTED;
    }
    rp_db *db = cli_db_open(path, 0);
    if (shingle_k || perms || threshold >= 0) {
        char perr[512];
        rp_err pe = rp_params_init(db, shingle_k, perms, threshold, NULL, perr, sizeof perr);
        if (pe) {
            int code = pe == RP_ARG ? CLI_EXIT_USAGE : CLI_EXIT_IO;
            cli_warnx("%s: %s", path, cli_db_reason(path, perr));
            rp_db_close(db);
            if (lockfd >= 0) close(lockfd);
            return code;
        }
    }

    opts.jobs = (unsigned)jobs;
    opts.on_reject = on_reject;
    opts.reader.on_note = on_note;
    opts.reader.db_path = path;
    opts.reader.note_ctx = &ctx;
    opts.progress = on_progress;
    opts.ctx = &ctx;
    opts.stop = &stop_flag;

    rp_index_stats st = {0};
    char err[512] = "";
    rp_err e = rp_index_paths(db, (const char *const *)(argv + optind), (size_t)(argc - optind),
                              &opts, &st, err, sizeof err);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);

    int rc = CLI_EXIT_OK;
    cli_progress_clear(&ctx.prog);
    if (e == RP_INTERRUPTED || (e == RP_OK && stop_flag)) {
        cli_warnx("interrupted: stopped after the batch in hand");
        rc = CLI_EXIT_INTERRUPTED;
    } else if (e != RP_OK) {
        cli_warnx("%s: %s", path, cli_db_reason(path, *err ? err : rp_strerror(e)));
        rc = CLI_EXIT_IO;
    } else if (st.io_errors) {
        rc = CLI_EXIT_IO;
    }
    if (ctx.rejects) {
        if (fclose(ctx.rejects) != 0) ctx.rejects_failed = 1;
        if (ctx.rejects_failed) {
            cli_warnx("%s: could not write the rejects file", rejects);
            if (rc == CLI_EXIT_OK) rc = CLI_EXIT_IO;
        }
    }
    rp_db_close(db);
    if (lockfd >= 0) close(lockfd); /* after SQLite's descriptors: see the top */
    pthread_mutex_destroy(&ctx.lock);
    if (st.unparsed_dates)
        cli_warnx("%llu published date%s not understood, kept as given but not used to order "
                  "copies (for example '%s'); give ISO 8601 or RFC 822 dates",
                  (unsigned long long)st.unparsed_dates, st.unparsed_dates == 1 ? "" : "s",
                  st.unparsed_example);
    /* the contract's line, then what it leaves out when there is any */
    fprintf(stderr, "indexed %llu, exact duplicates %llu, rejected %llu",
            (unsigned long long)st.indexed, (unsigned long long)st.exact_duplicates,
            (unsigned long long)(st.rejected + st.io_errors));
    if (st.already) fprintf(stderr, ", already indexed %llu", (unsigned long long)st.already);
    fputc('\n', stderr);
    return rc;
}
