/*
 * input.h: what the input readers share inside input/ (not public).
 *
 * A reader walks its paths one file at a time. Each file is read through an
 * in_stream (gz.c), a buffered byte stream that inflates gzip transparently
 * and never holds more than one chunk plus what a caller pushed back. The
 * per-format readers (text and HTML in reader.c, jsonl.c, warc.c) pull one
 * record at a time from it and turn it into an rp_article with the shared
 * helpers below, which apply the same checks (binary content, UTF-8 repair,
 * empty text, size cut) to every format.
 */
#ifndef RP_INPUT_H
#define RP_INPUT_H

#include <stdarg.h>

#include "reprint.h"

/* ---- gz.c: buffered, gzip-transparent byte stream ---- */

typedef struct in_stream in_stream;

/* Open a stream over fd (closed by in_stream_close if owns_fd). The first
 * bytes decide: gzip magic means inflate (any number of members). */
rp_err in_stream_open(in_stream **out, int fd, int owns_fd);
void in_stream_close(in_stream *s);

/* Read up to n bytes; *got == 0 only at the end of the data. Errors (sticky,
 * reported only after every good byte was delivered): RP_IO (read failed),
 * RP_TRUNCATED (gzip ended early), RP_FORMAT (corrupt gzip); message in
 * in_stream_errmsg. */
rp_err in_stream_read(in_stream *s, void *buf, size_t n, size_t *got);

/* Make at least n bytes visible without consuming them (fewer at the end of
 * the data): *p points into the stream's buffer until the next call. */
rp_err in_stream_peek(in_stream *s, size_t n, const unsigned char **p, size_t *avail);

/* Consume n bytes (fewer at the end: *done tells how many). */
rp_err in_stream_skip(in_stream *s, uint64_t n, uint64_t *done);

/* Append one line, '\n' included, to line, keeping at most max bytes of
 * it: a longer line is consumed to its end without being kept and
 * *toolong is set. RP_DONE at the end of the data with nothing read. */
rp_err in_stream_line(in_stream *s, rp_buf *line, size_t max, int *toolong);

/* Push bytes back in front of the stream (read again next). */
rp_err in_stream_unread(in_stream *s, const void *p, size_t n);

const char *in_stream_errmsg(const in_stream *s);
int in_stream_is_gzip(const in_stream *s);
/* Make reads of a pipe, FIFO or terminal (not of a regular file) wait in
 * poll(2) for a fifth of a second at a time, giving up with RP_INTERRUPTED
 * once *stop is non-zero. stop may be NULL (block as read(2) does). */
void in_stream_watch(in_stream *s, volatile int *stop);
uint64_t in_stream_raw_bytes(const in_stream *s);

/* Inflate a whole in-memory body (HTTP Content-Encoding): gzip or zlib when
 * raw_ok is 0, else zlib with a fallback to raw deflate. Appends at most max
 * bytes to out; more is RP_LIMIT. A body cut short keeps what it gave. */
rp_err in_inflate(const char *src, size_t n, int raw_ok, size_t max, rp_buf *out, char *err,
                  size_t errsz);

/* ---- reader.c: the reader handle and the helpers every format uses ---- */

struct in_path {
    char *path;
    int named; /* given on the command line (may be "-") */
};

struct rp_reader {
    rp_reader_opts o;
    struct in_path *stack; /* paths still to read; the next one is last */
    size_t nstack, capstack;
    struct in_dirid {
        unsigned long long dev, ino;
    } * seen; /* folders already walked: symlink loops end here */
    size_t nseen, capseen;

    in_stream *in;         /* the file being read, or NULL */
    char *path;            /* its name (kept after it closes, for messages) */
    rp_format fmt;         /* its format */
    int file_done;         /* nothing more to take from it */
    uint64_t recno;        /* records (lines, WARC records) seen in it */
    uint64_t where;        /* record of the last article or reject */
    rp_buf rec, tmp, tmp2; /* per-record scratch, reused */

    char err[512];
    uint64_t skipped;
    /* the path named to rp_reader_open being read, and what it gave so far
     * (for on_note) */
    struct in_named {
        char *path;
        uint64_t files, articles, rejects, io, skipped_at_start;
        uint64_t skipped_files;  /* not articles by name, or the database's */
        char skipped_names[160]; /* the first of them, for the note */
    } named;
    struct in_dirid dbfiles[4]; /* the database's files that exist */
    size_t ndbfiles;
    uint64_t bytes_closed; /* raw bytes of files already closed */
};

/* Set r->err (printf-style) and return RP_REJECT. */
rp_err in_reject(rp_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Fill a from one record body: kind RP_FMT_TEXT or RP_FMT_HTML. Rejects
 * binary content; a plain text with bytes above 0x7F of which none forms
 * UTF-8 is read as Windows-1252 (Latin-1), anything else is UTF-8 repaired
 * (text cut at max_text_bytes, empty or too short text rejected). Sets text,
 * title, url (canonical from HTML, else url), published (from the page,
 * else fallback_published), site (--site, else site, else host of url or of
 * the canonical URL when url is NULL), id (id, else url, else source path),
 * source and record. With defer_html a page only gets id, source, record and
 * copies of body, charset, url, site and fallback_published in the raw
 * fields: rp_article_finish does the rest. The body need not outlive the
 * call. On reject a is cleared. */
rp_err in_make_article(rp_reader *r, rp_article *a, rp_format kind, const char *body, size_t n,
                       const char *charset, const char *id, const char *url, const char *site,
                       const char *fallback_published);

/* Set a->published and a->published_epoch from s (NULL: unknown). */
rp_err in_set_published(rp_article *a, const char *s);

/* strdup that accepts NULL; strndup for (s, n). */
char *in_strdup(const char *s);

/* Reject message for a record over max_record_bytes. */
rp_err in_reject_size(rp_reader *r);

/* ---- the per-format record readers: RP_OK (article), RP_REJECT, RP_IO,
 * RP_DONE (file finished). They set r->where; on a fatal stream error they
 * set r->file_done. ---- */
rp_err in_jsonl_next(rp_reader *r, rp_article *out);
rp_err in_warc_next(rp_reader *r, rp_article *out);

/* Map a stream error to the reader: RP_IO stays, others become RP_REJECT;
 * the file is done either way. */
rp_err in_stream_fail(rp_reader *r, rp_err e);

#endif
