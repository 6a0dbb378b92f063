/*
 * util.c: what every subcommand needs: messages and exits, option values,
 * opening the database, reading one article, JSON output, progress.
 *
 * The program ends in one place per kind of failure, so every error message
 * has the same shape ("reprint: FILE: REASON") and the same exit status as
 * the contract asks. Article data printed for people (ids, titles, file
 * names, in results and in messages) goes through cli_write_safe, which
 * makes control characters visible (rp_escape_controls). JSON is built
 * with jansson in the contract's key order and dumped compactly with that
 * order preserved; scores are rounded to four decimals so output is stable
 * across platforms and runs.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "cli/cli.h"

void cli_write_safe(FILE *f, const char *s, size_t n, unsigned keep)
{
    if (!s) return;
    if (!rp_escape_needed(s, n, keep)) {
        fwrite(s, 1, n, f);
        return;
    }
    rp_buf b = {0};
    if (rp_escape_controls(&b, s, n, keep) == RP_OK)
        fwrite(b.data, 1, b.len, f);
    else
        fputs("(out of memory)", f);
    rp_buf_free(&b);
}

void cli_puts_safe(FILE *f, const char *s)
{
    if (s) cli_write_safe(f, s, strlen(s), 0);
}

/* The whole message goes through the escaper: its arguments are file names,
 * ids and reasons quoting input, and one of them holding a newline or ESC
 * must not forge a second "reprint:" line or reach the terminal raw. */
static void vmsg(const char *fmt, va_list ap, const char *tail)
{
    char *m = NULL;
    fflush(stdout);
    fputs("reprint: ", stderr);
    if (vasprintf(&m, fmt, ap) >= 0)
        cli_puts_safe(stderr, m);
    else
        fputs("(out of memory)", stderr);
    free(m);
    if (tail) fprintf(stderr, ": %s", tail);
    fputc('\n', stderr);
}

_Noreturn void cli_errx(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, NULL);
    va_end(ap);
    exit(code);
}

_Noreturn void cli_err(int code, const char *fmt, ...)
{
    const char *reason = strerror(errno);
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, reason);
    va_end(ap);
    exit(code);
}

void cli_warnx(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(fmt, ap, NULL);
    va_end(ap);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        char *m = NULL;
        fprintf(stderr, "%s: ", cmd);
        if (vasprintf(&m, fmt, ap) >= 0) cli_puts_safe(stderr, m);
        free(m);
        fputc('\n', stderr);
        va_end(ap);
    }
    fprintf(stderr, "Try '%s --help' for more information.\n", cmd);
    return CLI_EXIT_USAGE;
}

void cli_flush_stdout(void)
{
    if (fflush(stdout) != 0 || ferror(stdout)) cli_err(CLI_EXIT_IO, "standard output");
}

int cli_parse_score(const char *cmd, const char *opt, const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !(v >= 0.0 && v <= 1.0)) {
        cli_usage_error(cmd, "%s: '%s' is not a score between 0 and 1", opt, arg);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_parse_count(const char *cmd, const char *opt, const char *arg, size_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (end == arg || *end || errno || arg[0] == '-' || v > SIZE_MAX) {
        cli_usage_error(cmd, "%s: '%s' is not a non-negative integer", opt, arg);
        return -1;
    }
    *out = (size_t)v;
    return 0;
}

const char *cli_db_path(const char *opt)
{
    if (opt && *opt) return opt;
    const char *env = getenv("REPRINT_DB");
    if (env && *env) return env;
    return "reprint.db";
}

const char *cli_db_reason(const char *path, const char *msg)
{
    size_t n = strlen(path);
    if (strncmp(msg, path, n) == 0 && msg[n] == ':' && msg[n + 1] == ' ') return msg + n + 2;
    return msg;
}

rp_db *cli_db_open(const char *path, int flags)
{
    struct stat st;
    if (rp_db_is_server(path)) goto open;
    if (flags & RP_DB_READONLY) {
        if (stat(path, &st) != 0) {
            if (errno == ENOENT) cli_errx(CLI_EXIT_IO, "%s: no such database", path);
            cli_err(CLI_EXIT_IO, "%s", path);
        }
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        cli_errx(CLI_EXIT_IO, "%s: is a directory, not a database", path);
open:;
    rp_db *db = NULL;
    rp_err e = rp_db_open(&db, path, flags);
    if (e != RP_OK) {
        const char *msg = db ? rp_db_errmsg(db) : NULL;
        if (!msg || !*msg || strcmp(msg, "no error") == 0) msg = rp_strerror(e);
        cli_warnx("%s: %s", path, cli_db_reason(path, msg));
        rp_db_close(db);
        exit(CLI_EXIT_IO);
    }
    return db;
}

void cli_print_limits(FILE *f, const rp_cluster_stats *st)
{
    static const char *const what[] = {"wide buckets", "sentence passes skipped",
                                       "sentence links capped", "failed pairs",
                                       "same-site templates left out"};
    uint64_t n[] = {st->wide_buckets, st->sentences_skipped, st->links_capped, st->pairs_failed,
                    st->same_site_templates};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++)
        if (n[i]) fprintf(f, ", %s %llu", what[i], (unsigned long long)n[i]);
}

void cli_db_params(rp_db *db, rp_params *p)
{
    /* The stored parameters; the defaults (computed) only if they cannot be read. */
    if (rp_params_load(db, p) != RP_OK) rp_params_default(p);
}

void cli_read_first(const char *path, rp_format fmt, rp_article *out)
{
    rp_reader *r = NULL;
    rp_reader_opts opts = {.format = fmt};
    const char *paths[1] = {path};
    rp_err e = rp_reader_open(&r, paths, 1, &opts);
    if (e != RP_OK) cli_errx(CLI_EXIT_IO, "%s: %s", path, rp_strerror(e));
    char last[512] = "no article found";
    for (;;) {
        e = rp_reader_next(r, out);
        if (e == RP_OK) break;
        if (e == RP_REJECT) {
            snprintf(last, sizeof last, "%s", rp_reader_errmsg(r));
            cli_warnx("%s:%llu: %s", path, (unsigned long long)rp_reader_record(r), last);
            continue;
        }
        if (e == RP_DONE) {
            rp_reader_free(r);
            cli_errx(CLI_EXIT_IO, "%s: no usable article (%s)", path, last);
        }
        const char *msg = rp_reader_errmsg(r);
        snprintf(last, sizeof last, "%s", msg && *msg ? msg : rp_strerror(e));
        rp_reader_free(r);
        cli_errx(CLI_EXIT_IO, "%s: %s", path, last);
    }
    rp_reader_free(r);
}

json_t *cli_json_str(const char *s)
{
    if (!s) return json_null();
    json_t *j = json_string(s);
    if (j) return j;
    /* Not valid UTF-8 (a file name, say): repair it rather than drop it. */
    rp_buf b = {0};
    size_t repaired = 0;
    if (rp_utf8_repair(s, strlen(s), &b, &repaired) == RP_OK)
        j = json_stringn(b.data ? b.data : "", b.len);
    rp_buf_free(&b);
    return j ? j : json_null();
}

json_t *cli_json_score(double x)
{
    if (!isfinite(x)) return json_null();
    return json_real(round(x * 1e4) / 1e4);
}

json_t *cli_json_u64(uint64_t v)
{
    return json_integer((json_int_t)v);
}

void cli_json_print(json_t *o)
{
    if (!o) cli_errx(CLI_EXIT_IO, "out of memory");
    /* 12 significant digits print 4-decimal scores without binary noise. */
    if (json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) != 0)
        cli_err(CLI_EXIT_IO, "standard output");
    putchar('\n');
    json_decref(o);
}

const char *cli_published(const rp_article *a, char *buf, size_t size)
{
    if (a->published && *a->published) return a->published;
    if (a->published_epoch != RP_TIME_UNKNOWN && size >= 21) {
        rp_time_format(a->published_epoch, buf, size);
        return buf;
    }
    return NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_init(struct cli_progress *p, const char *what, int quiet)
{
    memset(p, 0, sizeof *p);
    p->on = !quiet && isatty(STDERR_FILENO);
    p->what = what;
    p->start = p->last = now();
}

void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t bytes)
{
    if (!p->on) return;
    double t = now();
    if (p->shown && t - p->last < 0.2) return;
    p->last = t;
    double el = t - p->start > 1e-3 ? t - p->start : 1e-3;
    char eta[48] = "";
    if (p->total_bytes && bytes > 0 && bytes <= p->total_bytes) {
        double left = el * (double)(p->total_bytes - bytes) / (double)bytes;
        snprintf(eta, sizeof eta, ", ETA %d:%02d", (int)(left / 60), (int)left % 60);
    }
    if (bytes)
        fprintf(stderr, "\r\033[K%s %llu, %.1f MB, %.0f/s%s", p->what, (unsigned long long)done,
                (double)bytes / 1e6, (double)done / el, eta);
    else
        fprintf(stderr, "\r\033[K%s %llu, %.0f/s", p->what, (unsigned long long)done,
                (double)done / el);
    p->shown = 1;
}

void cli_progress_clear(struct cli_progress *p)
{
    if (!p->on || !p->shown) return;
    fputs("\r\033[K", stderr);
    p->shown = 0;
}

int cli_lock_writer(const char *path, int create, volatile int *stop, int *stopped)
{
    *stopped = 0;
    /* A server database has no file to lock: the server orders writers. */
    if (rp_db_is_server(path)) return -1;
    int fd = open(path, O_RDWR | O_CLOEXEC | (create ? O_CREAT : 0), 0644);
    if (fd < 0) return -1;
    int said = 0;
    while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        if (errno != EWOULDBLOCK && errno != EINTR) break; /* no flock here: go on without */
        if (stop && *stop) {
            *stopped = 1;
            close(fd);
            return -1;
        }
        if (!said) {
            cli_warnx("%s: another reprint run is writing to this database; waiting for it "
                      "to finish",
                      path);
            said = 1;
        }
        struct timespec ts = {0, 50 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return fd;
}
