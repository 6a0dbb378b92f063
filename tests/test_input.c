/* test_input.c: the input readers: paths, folders, gzip, text, JSONL, WARC,
 * rejects, URL sites. Every fixture is written at run time in a temp dir. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "tests/testutil.h"

static char tmpdir[256];

/* ---- fixtures ---- */

static char *path_of(const char *name)
{
    static char buf[8][512];
    static int i;
    char *p = buf[i++ % 8];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

static void write_file(const char *name, const void *data, size_t n)
{
    FILE *f = fopen(path_of(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void write_str(const char *name, const char *s)
{
    write_file(name, s, strlen(s));
}

/* gzip (one member) of (p, n) appended to out. */
static void gz_member(rp_buf *out, const void *p, size_t n, int strategy)
{
    z_stream z;
    unsigned char chunk[65536];
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, strategy), Z_OK);
    z.next_in = (unsigned char *)(uintptr_t)p;
    z.avail_in = (uInt)n;
    int ret;
    do {
        z.next_out = chunk;
        z.avail_out = sizeof chunk;
        ret = deflate(&z, Z_FINISH);
        assert_true(ret == Z_OK || ret == Z_STREAM_END || ret == Z_BUF_ERROR);
        assert_int_equal(rp_buf_append(out, chunk, sizeof chunk - z.avail_out), RP_OK);
    } while (ret != Z_STREAM_END);
    deflateEnd(&z);
}

static void write_gz(const char *name, const void *p, size_t n)
{
    rp_buf b = {0};
    gz_member(&b, p, n, Z_DEFAULT_STRATEGY);
    write_file(name, b.data, b.len);
    rp_buf_free(&b);
}

/* What one rp_reader_next call gave. */
typedef struct res {
    rp_err e;
    rp_article a;
    char msg[512];
    char source[512];
    uint64_t record;
} res;

typedef struct run {
    res r[64];
    size_t n;
    uint64_t skipped, bytes;
} run;

static void run_free(run *x)
{
    for (size_t i = 0; i < x->n; i++)
        rp_article_clear(&x->r[i].a);
    free(x);
}

static run *read_all(const char *const *paths, size_t npaths, const rp_reader_opts *o)
{
    rp_reader *rd;
    run *x = calloc(1, sizeof *x);
    assert_non_null(x);
    assert_int_equal(rp_reader_open(&rd, paths, npaths, o), RP_OK);
    for (;;) {
        assert_true(x->n < 64);
        res *r = &x->r[x->n];
        r->e = rp_reader_next(rd, &r->a);
        if (r->e == RP_DONE) break;
        assert_true(r->e == RP_OK || r->e == RP_REJECT || r->e == RP_IO);
        snprintf(r->msg, sizeof r->msg, "%s", rp_reader_errmsg(rd));
        snprintf(r->source, sizeof r->source, "%s", rp_reader_source(rd));
        r->record = rp_reader_record(rd);
        x->n++;
    }
    x->skipped = rp_reader_skipped(rd);
    x->bytes = rp_reader_bytes(rd);
    rp_reader_free(rd);
    return x;
}

static run *read1(const char *name, const rp_reader_opts *o)
{
    const char *p = path_of(name);
    return read_all(&p, 1, o);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/rp-input-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

/* ---- text files ---- */

static void test_text_file(void **state)
{
    (void)state;
    const char *body = "Spam convictions in court\n\nA brother and sister were convicted.\n\n"
                       "It is the first case.\n";
    write_str("story.txt", body);
    run *x = read1("story.txt", NULL);
    assert_int_equal(x->n, 1);
    res *r = &x->r[0];
    assert_int_equal(r->e, RP_OK);
    assert_string_equal(r->a.id, path_of("story.txt"));
    assert_string_equal(r->a.source, path_of("story.txt"));
    assert_int_equal(r->a.record, 1);
    assert_string_equal(r->a.title, "Spam convictions in court");
    assert_string_equal(r->a.text, body);
    assert_int_equal(r->a.text_len, strlen(body));
    assert_null(r->a.url);
    assert_null(r->a.site);
    assert_true(r->a.published_epoch == RP_TIME_UNKNOWN);
    assert_int_equal(x->bytes, strlen(body));
    run_free(x);

    /* a first line running into the body is no title; --site applies */
    write_str("notitle.txt", "First line of prose\nstill the same paragraph.\n");
    rp_reader_opts o = {.site = "example.org"};
    x = read1("notitle.txt", &o);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_null(x->r[0].a.title);
    assert_string_equal(x->r[0].a.site, "example.org");
    run_free(x);
}

static void test_folder_order(void **state)
{
    (void)state;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%1$s/tree/a/deep' && cd '%1$s/tree' && printf 'b\\n' > b.txt && "
             "printf 'Z\\n' > Z.txt && printf 'ab\\n' > a/b.txt && printf 'ac\\n' > a/c.txt && "
             "printf 'deep\\n' > a/deep/x.txt && printf 'hidden\\n' > .hidden.txt && "
             "mkdir -p .git && printf 'no\\n' > .git/y.txt && ln -s .. a/deep/loop",
             tmpdir);
    assert_int_equal(system(cmd), 0);
    const char *p = path_of("tree");
    run *x = read_all(&p, 1, NULL);
    const char *want[] = {"tree/Z.txt", "tree/a/b.txt", "tree/a/c.txt", "tree/a/deep/x.txt",
                          "tree/b.txt"};
    assert_int_equal(x->n, 5);
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(x->r[i].e, RP_OK);
        assert_string_equal(x->r[i].a.id, path_of(want[i]));
    }
    assert_string_equal(x->r[1].a.text, "ab\n");
    run_free(x);

    /* a trailing slash does not double */
    char slash[600];
    snprintf(slash, sizeof slash, "%s/tree/a/", tmpdir);
    p = slash;
    x = read_all(&p, 1, NULL);
    assert_true(x->n >= 2);
    assert_string_equal(x->r[0].a.id, path_of("tree/a/b.txt"));
    run_free(x);
}

static void test_missing_path_goes_on(void **state)
{
    (void)state;
    write_str("there.txt", "present\n");
    const char *paths[] = {path_of("nowhere.txt"), path_of("there.txt")};
    run *x = read_all(paths, 2, NULL);
    assert_int_equal(x->n, 2);
    assert_int_equal(x->r[0].e, RP_IO);
    assert_string_equal(x->r[0].msg, "No such file or directory");
    assert_string_equal(x->r[0].source, paths[0]);
    assert_int_equal(x->r[1].e, RP_OK);
    assert_string_equal(x->r[1].a.text, "present\n");
    run_free(x);
}

static void test_gz_text(void **state)
{
    (void)state;
    const char *body = "Gzipped headline\n\nBody of the gzipped story.\n";
    write_gz("g.txt.gz", body, strlen(body));
    run *x = read1("g.txt.gz", NULL);
    assert_int_equal(x->n, 1);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_string_equal(x->r[0].a.text, body);
    assert_string_equal(x->r[0].a.title, "Gzipped headline");
    assert_string_equal(x->r[0].a.id, path_of("g.txt.gz"));
    struct stat st;
    assert_int_equal(stat(path_of("g.txt.gz"), &st), 0);
    assert_int_equal(x->bytes, (uint64_t)st.st_size); /* raw, compressed bytes */
    run_free(x);
}

static void test_bad_text(void **state)
{
    (void)state;
    write_str("empty.txt", "");
    write_str("blank.txt", " \n\t\n  \n");
    unsigned char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 37 % 256);
    write_file("image.txt", bin, sizeof bin);
    write_str("latin1.txt", "caf\xE9 cr\xE8me and na\xEFve text in Latin-1, mostly ASCII.\n");
    const char *paths[] = {path_of("empty.txt"), path_of("blank.txt"), path_of("image.txt"),
                           path_of("latin1.txt")};
    run *x = read_all(paths, 4, NULL);
    assert_int_equal(x->n, 4);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_string_equal(x->r[0].msg, "empty text");
    assert_string_equal(x->r[0].source, paths[0]);
    assert_int_equal(x->r[0].record, 1);
    assert_int_equal(x->r[1].e, RP_REJECT);
    assert_string_equal(x->r[1].msg, "empty text");
    assert_int_equal(x->r[2].e, RP_REJECT);
    assert_string_equal(x->r[2].msg, "binary content");
    /* pure 8-bit text is read as Windows-1252 */
    assert_int_equal(x->r[3].e, RP_OK);
    assert_int_equal(x->r[3].a.repaired, 3);
    assert_non_null(strstr(x->r[3].a.text, "caf\xC3\xA9 cr\xC3\xA8me and na\xC3\xAFve"));
    run_free(x);

    /* mixed: valid UTF-8 next to a stray byte is repaired as UTF-8 */
    write_str("mixed.txt", "na\xC3\xAFve caf\xE9 \x93quoted\x94 text here.\n");
    write_str("cp1252.txt", "\x93Smart\x94 quotes \x96 and \x80 signs.\n");
    const char *p2[] = {path_of("mixed.txt"), path_of("cp1252.txt")};
    x = read_all(p2, 2, NULL);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_int_equal(x->r[0].a.repaired, 3);
    assert_non_null(strstr(x->r[0].a.text, "caf\xEF\xBF\xBD \xEF\xBF\xBDquoted"));
    assert_int_equal(x->r[1].e, RP_OK);
    assert_string_equal(x->r[1].a.text, "\xE2\x80\x9CSmart\xE2\x80\x9D quotes \xE2\x80\x93 and "
                                        "\xE2\x82\xAC signs.\n");
    run_free(x);
}

static void test_text_cut(void **state)
{
    (void)state;
    /* "é" is two bytes: a cut at an odd byte count must back up */
    write_str("cut.txt", "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9");
    rp_reader_opts o = {.max_text_bytes = 5};
    run *x = read1("cut.txt", &o);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_int_equal(x->r[0].a.text_len, 4);
    assert_string_equal(x->r[0].a.text, "\xC3\xA9\xC3\xA9");
    run_free(x);

    rp_reader_opts o2 = {.min_text_chars = 10};
    x = read1("cut.txt", &o2);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_non_null(strstr(x->r[0].msg, "too short"));
    run_free(x);

    rp_reader_opts o3 = {.max_record_bytes = 3};
    x = read1("cut.txt", &o3);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_string_equal(x->r[0].msg, "record exceeds 3 bytes");
    run_free(x);
}

static void test_gzip_bomb(void **state)
{
    (void)state;
    /* 200 MB of zeros, deflated a megabyte at a time */
    char *zeros = calloc(1, (size_t)1 << 20);
    unsigned char *chunk = malloc((size_t)1 << 20);
    assert_non_null(zeros);
    assert_non_null(chunk);
    rp_buf b = {0};
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_RLE), Z_OK);
    for (int i = 0; i < 200; i++) {
        z.next_in = (unsigned char *)zeros;
        z.avail_in = 1u << 20;
        int ret;
        do {
            z.next_out = chunk;
            z.avail_out = 1u << 20;
            ret = deflate(&z, i == 199 ? Z_FINISH : Z_NO_FLUSH);
            assert_int_equal(rp_buf_append(&b, chunk, (1u << 20) - z.avail_out), RP_OK);
        } while (z.avail_in || (i == 199 && ret != Z_STREAM_END));
    }
    deflateEnd(&z);
    free(zeros);
    free(chunk);
    assert_true(b.len < ((size_t)2 << 20));
    write_file("bomb.txt.gz", b.data, b.len);
    write_file("bomb.jsonl.gz", b.data, b.len);
    rp_buf_free(&b);
    rp_reader_opts o = {.max_record_bytes = (size_t)1 << 20};
    clock_t t0 = clock();
    run *x = read1("bomb.txt.gz", &o);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(x->n, 1);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_string_equal(x->r[0].msg, "decompressed record exceeds 1048576 bytes");
    assert_true(secs < 5.0);
    run_free(x);
    /* as one endless JSONL line: consumed without being kept */
    x = read1("bomb.jsonl.gz", &o);
    assert_int_equal(x->n, 1);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_string_equal(x->r[0].msg, "decompressed record exceeds 1048576 bytes");
    run_free(x);
}

/* ---- JSONL ---- */

static void test_jsonl(void **state)
{
    (void)state;
    write_str("a.jsonl",
              "{\"id\": \"s1\", \"url\": \"https://WWW.Example.com/x\", \"text\": \"one\","
              " \"title\": \"T1\", \"published\": \"2021-12-04T10:30:00Z\"}\n"
              "\n"
              "{\"url\": \"http://news.example.net:8080/a?b\", \"text\": \"two\"}\n"
              "{\"id\": 42, \"site\": \"wire\", \"url\": \"http://x.org/\", \"text\": \"three\","
              " \"published\": \"not a date\"}\n"
              "{\"text\": \"four\"}\n"
              "{\"id\": \"s5\", \"text\": \"five\" \n"
              "{\"id\": \"s6\", \"title\": \"no body\"}\n"
              "[1, 2]\n"
              "{\"id\": \"s8\", \"text\": \"caf\xE9\"}\n"
              "{\"id\": \"s9\", \"text\": \"   \"}\n"
              "{\"id\": \"s10\", \"text\": \"last\"}");
    run *x = read1("a.jsonl", NULL);
    assert_int_equal(x->n, 10);
    res *r = x->r;
    assert_int_equal(r[0].e, RP_OK);
    assert_string_equal(r[0].a.id, "s1");
    assert_string_equal(r[0].a.url, "https://WWW.Example.com/x");
    assert_string_equal(r[0].a.site, "example.com");
    assert_string_equal(r[0].a.title, "T1");
    assert_string_equal(r[0].a.text, "one");
    assert_int_equal(r[0].a.published_epoch, 1638576000 + 37800);
    assert_int_equal(r[0].a.record, 1);
    assert_int_equal(r[1].e, RP_OK);
    assert_string_equal(r[1].a.id, "http://news.example.net:8080/a?b");
    assert_string_equal(r[1].a.site, "news.example.net:8080");
    assert_int_equal(r[1].a.record, 3); /* the blank line counts */
    assert_int_equal(r[2].e, RP_OK);
    assert_string_equal(r[2].a.id, "42");
    assert_string_equal(r[2].a.site, "wire");
    assert_string_equal(r[2].a.published, "not a date");
    assert_true(r[2].a.published_epoch == RP_TIME_UNKNOWN);
    assert_int_equal(r[3].e, RP_OK);
    char want[600];
    snprintf(want, sizeof want, "%s:5", path_of("a.jsonl"));
    assert_string_equal(r[3].a.id, want);
    assert_null(r[3].a.site);
    assert_int_equal(r[4].e, RP_REJECT);
    assert_int_equal(r[4].record, 6);
    assert_true(strncmp(r[4].msg, "malformed JSON at column ", 25) == 0);
    assert_int_equal(r[5].e, RP_REJECT);
    assert_string_equal(r[5].msg, "no text or html field");
    assert_int_equal(r[5].record, 7);
    assert_int_equal(r[6].e, RP_REJECT);
    assert_int_equal(r[7].e, RP_OK);
    assert_string_equal(r[7].a.text, "caf\xEF\xBF\xBD");
    assert_int_equal(r[7].a.repaired, 1);
    /* s9 (whitespace only) is rejected, the last line (no newline) still comes */
    assert_int_equal(r[8].e, RP_REJECT);
    assert_string_equal(r[8].msg, "empty text");
    assert_int_equal(r[9].e, RP_OK);
    assert_string_equal(r[9].a.id, "s10");
    assert_int_equal(r[9].a.record, 11);
    run_free(x);
}

static void test_jsonl_long_line(void **state)
{
    (void)state;
    rp_buf b = {0};
    assert_int_equal(rp_buf_append(&b, "{\"text\": \"", 10), RP_OK);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(rp_buf_appendc(&b, 'a'), RP_OK);
    const char *tail = "\"}\n{\"id\": \"after\", \"text\": \"short\"}\n";
    assert_int_equal(rp_buf_append(&b, tail, strlen(tail)), RP_OK);
    write_file("long.ndjson", b.data, b.len);
    rp_buf_free(&b);
    rp_reader_opts o = {.max_record_bytes = 1000};
    run *x = read1("long.ndjson", &o);
    assert_int_equal(x->n, 2);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_string_equal(x->r[0].msg, "record exceeds 1000 bytes");
    assert_int_equal(x->r[1].e, RP_OK);
    assert_string_equal(x->r[1].a.id, "after");
    assert_int_equal(x->r[1].a.record, 2);
    run_free(x);
}

static void test_jsonl_truncated_gz(void **state)
{
    (void)state;
    rp_buf lines = {0}, gz = {0};
    char line[256];
    /* varied text so the compressed size grows with the line count */
    for (int i = 1; i <= 3000; i++) {
        int n = snprintf(line, sizeof line, "{\"id\": \"r%d\", \"text\": \"story %d about %u\"}\n",
                         i, i, (unsigned)(i * 2654435761u));
        assert_int_equal(rp_buf_append(&lines, line, (size_t)n), RP_OK);
    }
    gz_member(&gz, lines.data, lines.len, Z_DEFAULT_STRATEGY);
    size_t cut = gz.len / 2;
    write_file("cut.jsonl.gz", gz.data, cut);
    rp_buf_free(&lines);
    rp_buf_free(&gz);
    rp_reader *rd;
    const char *p = path_of("cut.jsonl.gz");
    assert_int_equal(rp_reader_open(&rd, &p, 1, NULL), RP_OK);
    rp_article a;
    rp_err e;
    int n = 0;
    while ((e = rp_reader_next(rd, &a)) == RP_OK) {
        n++;
        snprintf(line, sizeof line, "r%d", n);
        assert_string_equal(a.id, line); /* complete, in order, none skipped */
        rp_article_clear(&a);
    }
    assert_true(n > 100 && n < 3000);
    assert_int_equal(e, RP_REJECT);
    snprintf(line, sizeof line, "truncated gzip after %zu bytes", cut);
    assert_true(strncmp(rp_reader_errmsg(rd), line, strlen(line)) == 0);
    assert_int_equal(rp_reader_record(rd), (uint64_t)n + 1);
    assert_int_equal(rp_reader_next(rd, &a), RP_DONE);
    assert_int_equal(rp_reader_bytes(rd), cut);
    rp_reader_free(rd);
}

static void test_sniffing(void **state)
{
    (void)state;
    write_str("noext1", "{\"id\": \"j\", \"text\": \"sniffed json\"}\n");
    write_str("noext2", "WARC/1.0\r\nWARC-Type: resource\r\nWARC-Target-URI: http://s.example/t\r\n"
                        "Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello\r\n\r\n");
    write_str("noext3", "just words\n");
    const char *paths[] = {path_of("noext1"), path_of("noext2"), path_of("noext3")};
    run *x = read_all(paths, 3, NULL);
    assert_int_equal(x->n, 3);
    assert_string_equal(x->r[0].a.id, "j");
    assert_string_equal(x->r[1].a.id, "http://s.example/t");
    assert_string_equal(x->r[1].a.text, "hello");
    assert_string_equal(x->r[2].a.text, "just words\n");
    run_free(x);

    /* a forced format wins over the extension */
    write_str("forced.txt", "{\"id\": \"f\", \"text\": \"forced\"}\n");
    rp_reader_opts o = {.format = RP_FMT_JSONL};
    x = read1("forced.txt", &o);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_string_equal(x->r[0].a.id, "f");
    run_free(x);
}

/* ---- WARC ---- */

static void warc_record(rp_buf *b, const char *type, const char *uri, const char *ctype,
                        const void *payload, size_t n, long length_delta)
{
    char head[1024];
    int k = snprintf(head, sizeof head,
                     "WARC/1.0\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:%s-%zu>\r\n"
                     "WARC-Date: 2020-03-01T12:00:00Z\r\n%s%s%sContent-Type: %s\r\n"
                     "Content-Length: %ld\r\n\r\n",
                     type, type, n, uri ? "WARC-Target-URI: " : "", uri ? uri : "",
                     uri ? "\r\n" : "", ctype, (long)n + length_delta);
    assert_int_equal(rp_buf_append(b, head, (size_t)k), RP_OK);
    assert_int_equal(rp_buf_append(b, payload, n), RP_OK);
    assert_int_equal(rp_buf_append(b, "\r\n\r\n", 4), RP_OK);
}

static void http_record(rp_buf *b, const char *uri, const char *status_and_headers,
                        const void *body, size_t n, long length_delta)
{
    rp_buf p = {0};
    assert_int_equal(rp_buf_append(&p, status_and_headers, strlen(status_and_headers)), RP_OK);
    assert_int_equal(rp_buf_append(&p, body, n), RP_OK);
    warc_record(b, "response", uri, "application/http; msgtype=response", p.data, p.len,
                length_delta);
    rp_buf_free(&p);
}

static const char *plain_hdr = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";

static void test_warc(void **state)
{
    (void)state;
    rp_buf b = {0};
    const char *info = "software: test\r\nformat: WARC File Format 1.0\r\n";
    warc_record(&b, "warcinfo", NULL, "application/warc-fields", info, strlen(info), 0);
    const char *req = "GET /a HTTP/1.1\r\nHost: news.example.com\r\n\r\n";
    warc_record(&b, "request", "<http://news.example.com/a>", "application/http; msgtype=request",
                req, strlen(req), 0);
    /* 1: plain text, wget's <uri> form */
    const char *story = "Plain story text from the wire.";
    http_record(&b, "<http://WWW.News.Example.com/a>", plain_hdr, story, strlen(story), 0);
    /* skipped: 404, image, redirect */
    http_record(&b, "http://news.example.com/missing",
                "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\n\r\n", "gone", 4, 0);
    http_record(&b, "http://news.example.com/i.png",
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n", "\x89PNG\r\n", 6, 0);
    http_record(&b, "http://news.example.com/r",
                "HTTP/1.1 301 Moved\r\nLocation: /a\r\nContent-Type: text/plain\r\n\r\n", "", 0, 0);
    /* 2: chunked + gzip */
    const char *zstory = "Compressed and chunked story body, told twice over.";
    rp_buf gz = {0}, chunked = {0};
    gz_member(&gz, zstory, strlen(zstory), Z_DEFAULT_STRATEGY);
    char line[64];
    size_t half = gz.len / 2;
    snprintf(line, sizeof line, "%zx;ext=1\r\n", half);
    rp_buf_append(&chunked, line, strlen(line));
    rp_buf_append(&chunked, gz.data, half);
    snprintf(line, sizeof line, "\r\n%zx\r\n", gz.len - half);
    rp_buf_append(&chunked, line, strlen(line));
    rp_buf_append(&chunked, gz.data + half, gz.len - half);
    rp_buf_append(&chunked, "\r\n0\r\n\r\n", 7);
    http_record(&b, "https://wire.example.org/z",
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n"
                "Content-Encoding: gzip\r\n\r\n",
                chunked.data, chunked.len, 0);
    rp_buf_free(&gz);
    rp_buf_free(&chunked);
    /* 3: a resource record */
    warc_record(&b, "resource", "http://files.example.com/r.txt", "text/plain", "resource text", 13,
                0);
    warc_record(&b, "metadata", "http://files.example.com/r.txt", "application/warc-fields",
                "via: x\r\n", 8, 0);
    /* a crawler's own log stored as a resource: not a page */
    warc_record(&b, "resource", "metadata://gnu.org/software/wget/warc/wget_arguments.txt",
                "text/plain", "\"-r\" \"--warc-file=x\"", 20, 0);
    write_file("crawl.warc", b.data, b.len);

    run *x = read1("crawl.warc", NULL);
    assert_int_equal(x->n, 3);
    res *r = x->r;
    assert_int_equal(r[0].e, RP_OK);
    assert_string_equal(r[0].a.id, "http://WWW.News.Example.com/a");
    assert_string_equal(r[0].a.url, "http://WWW.News.Example.com/a");
    assert_string_equal(r[0].a.site, "news.example.com");
    assert_string_equal(r[0].a.text, story);
    /* WARC-Date is the capture time ("first seen"), never the published date */
    assert_null(r[0].a.published);
    assert_true(r[0].a.published_epoch == RP_TIME_UNKNOWN);
    assert_int_equal(r[0].a.record, 3);
    assert_string_equal(r[0].a.source, path_of("crawl.warc"));
    assert_int_equal(r[1].e, RP_OK);
    assert_string_equal(r[1].a.text, zstory);
    assert_string_equal(r[1].a.site, "wire.example.org");
    assert_int_equal(r[1].a.record, 7);
    assert_int_equal(r[2].e, RP_OK);
    assert_string_equal(r[2].a.text, "resource text");
    assert_int_equal(x->skipped, 7); /* warcinfo, request, 404, png, 301, metadata, log */
    assert_int_equal(x->bytes, b.len);
    run_free(x);

    /* the same records, one gzip member each */
    rp_buf gzw = {0};
    size_t pos = 0;
    while (pos < b.len) {
        const char *next = strstr(b.data + pos + 1, "WARC/1.0\r\n");
        size_t end = next ? (size_t)(next - b.data) : b.len;
        gz_member(&gzw, b.data + pos, end - pos, Z_DEFAULT_STRATEGY);
        pos = end;
    }
    write_file("crawl.warc.gz", gzw.data, gzw.len);
    x = read1("crawl.warc.gz", NULL);
    assert_int_equal(x->n, 3);
    assert_string_equal(x->r[1].a.text, zstory);
    assert_int_equal(x->skipped, 7);
    assert_int_equal(x->bytes, gzw.len);
    run_free(x);

    /* cut in the middle of the last member: the records before it stay */
    write_file("cutcrawl.warc.gz", gzw.data, gzw.len - 20);
    x = read1("cutcrawl.warc.gz", NULL);
    assert_int_equal(x->n, 4);
    assert_int_equal(x->r[2].e, RP_OK);
    assert_int_equal(x->r[3].e, RP_REJECT);
    assert_non_null(strstr(x->r[3].msg, "truncated gzip after"));
    run_free(x);
    rp_buf_free(&gzw);

    /* a plain WARC cut inside the last payload */
    write_file("cutcrawl.warc", b.data, b.len - 10);
    x = read1("cutcrawl.warc", NULL);
    assert_int_equal(x->n, 4);
    assert_int_equal(x->r[2].e, RP_OK);
    assert_string_equal(x->r[2].a.text, "resource text");
    assert_int_equal(x->r[3].e, RP_REJECT);
    assert_string_equal(x->r[3].msg, "truncated WARC record");
    assert_int_equal(x->r[3].record, 10);
    run_free(x);
    rp_buf_free(&b);
}

static void test_warc_bad_length(void **state)
{
    (void)state;
    rp_buf b = {0};
    const char *s1 = "First story text, whose record says it is shorter than it is.";
    const char *s2 = "Second story text, which follows a record too long.";
    const char *s3 = "Third story text, after the damage.";
    const char *s4 = "Fourth story text, well formed.";
    http_record(&b, "http://a.example/1", plain_hdr, s1, strlen(s1), -10);
    http_record(&b, "http://a.example/2", plain_hdr, s2, strlen(s2), 0);
    http_record(&b, "http://a.example/3", plain_hdr, s3, strlen(s3), +40);
    http_record(&b, "http://a.example/4", plain_hdr, s4, strlen(s4), 0);
    write_file("badlen.warc", b.data, b.len);
    rp_buf_free(&b);
    run *x = read1("badlen.warc", NULL);
    assert_int_equal(x->n, 4);
    assert_int_equal(x->r[0].e, RP_REJECT);
    assert_non_null(strstr(x->r[0].msg, "wrong Content-Length"));
    assert_int_equal(x->r[0].record, 1);
    assert_int_equal(x->r[1].e, RP_OK);
    assert_string_equal(x->r[1].a.text, s2);
    assert_int_equal(x->r[1].a.record, 2);
    assert_int_equal(x->r[2].e, RP_REJECT);
    assert_non_null(strstr(x->r[2].msg, "wrong Content-Length"));
    assert_int_equal(x->r[3].e, RP_OK);
    assert_string_equal(x->r[3].a.text, s4);
    assert_string_equal(x->r[3].a.id, "http://a.example/4");
    run_free(x);
}

static void test_warc_html(void **state)
{
    (void)state;
    const char *page =
        "<!DOCTYPE html><html><head><title>Harbour reopens</title></head><body><article>"
        "<h1>Harbour reopens</h1><p>The harbour reopened on Monday after a week of storms, "
        "the port authority said, and the first ferries left on time.</p><p>Fishermen "
        "welcomed the news and said the season could still be saved if the weather held "
        "through the spring.</p></article></body></html>";
    rp_buf b = {0};
    http_record(&b, "http://port.example.com/harbour",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n", page,
                strlen(page), 0);
    write_file("page.warc", b.data, b.len);
    write_str("page.html", page);
    rp_buf_free(&b);
    const char *paths[] = {path_of("page.warc"), path_of("page.html")};
    run *x = read_all(paths, 2, NULL);
    assert_int_equal(x->n, 2);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_non_null(strstr(x->r[0].a.text, "The harbour reopened on Monday"));
    assert_null(strstr(x->r[0].a.text, "<p>"));
    assert_string_equal(x->r[0].a.id, "http://port.example.com/harbour");
    assert_string_equal(x->r[0].a.site, "port.example.com");
    assert_true(x->r[0].a.published_epoch == RP_TIME_UNKNOWN); /* not the WARC-Date */
    assert_int_equal(x->r[1].e, RP_OK);
    assert_string_equal(x->r[1].a.id, paths[1]);
    assert_non_null(strstr(x->r[1].a.text, "Fishermen welcomed"));
    run_free(x);

    /* a page with its own date, canonical URL and Latin-1 charset; a JSONL html record */
    rp_buf lat = {0};
    const char *head =
        "<html><head><meta charset=\"iso-8859-1\"><title>Caf\xE9 closes</title>"
        "<link rel=\"canonical\" href=\"https://www.origin.example/cafe\">"
        "<meta property=\"article:published_time\" content=\"2020-02-28T08:00:00Z\">"
        "</head><body><article><p>The caf\xE9 on the corner closed its doors on Friday after "
        "forty years, its owner said, thanking the regulars who came every morning.</p><p>A "
        "bakery is expected to open in its place before the summer, the landlord added.</p>"
        "<p>Neighbours said they would miss the coffee and the long talks at the counter, and "
        "several of them signed a card for the owner and his family on the last day.</p>"
        "</article></body></html>";
    http_record(&lat, "http://copy.example.net/cafe",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", head, strlen(head), 0);
    write_file("latin.warc", lat.data, lat.len);
    rp_buf_free(&lat);
    write_str("h.jsonl",
              "{\"url\": \"https://www.wire.example/s\", \"html\": \"<html><body><article>"
              "<p>The council approved the new bus routes on Tuesday evening after a long debate, "
              "and the first buses will run through the northern districts from next month.</p>"
              "<p>Residents of the second district had asked for the change for years, the mayor "
              "said, and the routes will be reviewed again after a year of service.</p>"
              "</article></body></html>\"}\n");
    const char *p2[] = {path_of("latin.warc"), path_of("h.jsonl")};
    x = read_all(p2, 2, NULL);
    assert_int_equal(x->n, 2);
    assert_int_equal(x->r[0].e, RP_OK);
    assert_non_null(strstr(x->r[0].a.text, "The caf\xC3\xA9 on the corner"));
    assert_int_equal(x->r[0].a.published_epoch, 1582876800); /* the page's date wins */
    assert_string_equal(x->r[0].a.id, "http://copy.example.net/cafe");
    assert_string_equal(x->r[0].a.site, "copy.example.net"); /* where it was fetched */
    assert_string_equal(x->r[0].a.url, "https://www.origin.example/cafe");
    if (x->r[1].e != RP_OK) fail_msg("%s", x->r[1].msg);
    assert_string_equal(x->r[1].a.id, "https://www.wire.example/s");
    assert_string_equal(x->r[1].a.site, "wire.example");
    assert_non_null(strstr(x->r[1].a.text, "Residents of the second district"));
    assert_null(strstr(x->r[1].a.text, "<p>"));
    run_free(x);
}

/* ---- deferred extraction ---- */

static void same_str(const char *what, const char *a, const char *b)
{
    if ((!a || !b) && a != b) fail_msg("%s: %s vs %s", what, a ? a : "NULL", b ? b : "NULL");
    if (a && b) assert_string_equal(a, b);
}

/* a2 (deferred, then finished) is the article a1 (extracted by the reader). */
static void same_article(const rp_article *a1, const rp_article *a2)
{
    same_str("id", a1->id, a2->id);
    same_str("url", a1->url, a2->url);
    same_str("site", a1->site, a2->site);
    same_str("title", a1->title, a2->title);
    same_str("published", a1->published, a2->published);
    same_str("author", a1->author, a2->author);
    same_str("text", a1->text, a2->text);
    same_str("source", a1->source, a2->source);
    assert_int_equal(a1->text_len, a2->text_len);
    assert_true(a1->published_epoch == a2->published_epoch);
    assert_int_equal(a1->repaired, a2->repaired);
    assert_int_equal(a1->credits_hint, a2->credits_hint);
    assert_int_equal(a1->record, a2->record);
    assert_null(a2->raw);
}

static void test_deferred(void **state)
{
    (void)state;
    const char *story =
        "<html><head><title>Ferry strike ends</title>"
        "<meta name=\"author\" content=\"A. Writer\"></head><body><nav>Home News Sport</nav>"
        "<article><h1>Ferry strike ends</h1><p>Ferry crews returned to work on Thursday after "
        "the union accepted a new pay offer, ending a strike that stranded islanders for "
        "nine days.</p><p>Crossings resume with the morning sailing, and extra boats will run "
        "over the weekend to clear the backlog of cars and freight, the operator said.</p>"
        "</article><footer>Copyright the paper</footer></body></html>";
    const char *latin =
        "<html><body><article><p>The caf\xE9 by the quay reopened on Saturday after repairs to "
        "its roof, and the owner said the first coffee of the day was on the house.</p><p>"
        "Repairs took a month longer than planned because of the storms in the spring and "
        "the shortage of slate, the builder explained.</p></article></body></html>";
    const char *notfound = "<html><head><title>Page not found</title></head><body><h1>404</h1>"
                           "<p>Sorry, this page does not exist.</p></body></html>";
    rp_buf w = {0};
    http_record(&w, "http://www.quay.example/cafe",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n\r\n", latin,
                strlen(latin), 0);
    http_record(&w, "http://www.quay.example/gone",
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n", notfound, strlen(notfound),
                0);
    assert_int_equal(mkdir(path_of("d"), 0755), 0);
    write_file("d/crawl.warc", w.data, w.len);
    rp_buf_free(&w);
    write_str("d/a.html", story);
    write_str("d/b.html", notfound);
    write_str(
        "d/c.jsonl",
        "{\"id\": \"j1\", \"title\": \"Strike over\", \"site\": \"wire.example\", \"published\": "
        "\"2021-05-04\", \"html\": \"<html><body><article><p>Ferry crews "
        "returned to work on Thursday after the union accepted a new pay "
        "offer, ending a strike.</p></article></body></html>\"}\n"
        "{\"id\": \"j2\", \"text\": \"plain text stays as it was\"}\n");
    write_str("d/e.txt", "Just a text file, never deferred.\n");

    rp_reader_opts opts[3] = {{0}, {.max_text_bytes = 60}, {.site = "forced.example"}};
    for (size_t k = 0; k < 3; k++) {
        rp_reader_opts o = opts[k];
        run *x1 = read1("d", &o);
        o.defer_html = 1;
        run *x2 = read1("d", &o);
        assert_int_equal(x1->n, 7);
        assert_int_equal(x2->n, x1->n);
        size_t deferred = 0, rejected = 0;
        for (size_t i = 0; i < x1->n; i++) {
            res *r1 = &x1->r[i], *r2 = &x2->r[i];
            assert_int_equal(r2->e, RP_OK); /* nothing in "d" fails before extraction */
            assert_string_equal(r1->source, r2->source);
            assert_int_equal(r1->record, r2->record);
            char err[512] = "x";
            int raw = r2->a.raw != NULL;
            deferred += raw;
            if (raw) {
                assert_null(r2->a.text);
                assert_non_null(r2->a.id);
            }
            rp_err e = rp_article_finish(&r2->a, &o, err, sizeof err);
            if (r1->e == RP_REJECT) {
                rejected++;
                assert_true(raw);
                assert_int_equal(e, RP_REJECT);
                assert_string_equal(err, r1->msg);
                assert_null(r2->a.id); /* cleared */
                continue;
            }
            assert_int_equal(r1->e, RP_OK);
            assert_int_equal(e, RP_OK);
            assert_string_equal(err, "");
            same_article(&r1->a, &r2->a);
            assert_int_equal(rp_article_finish(&r2->a, &o, NULL, 0), RP_OK); /* no-op now */
            same_article(&r1->a, &r2->a);
        }
        assert_int_equal(deferred, 5); /* a.html, b.html, j1, two WARC pages */
        assert_int_equal(rejected, 2); /* the 404 page as a file and in the WARC */
        run_free(x1);
        run_free(x2);
    }

    /* the 404 page's reason, and the cut and --site reaching a deferred page */
    rp_reader_opts o = {.defer_html = 1, .max_text_bytes = 60, .site = "forced.example"};
    run *x = read1("d/b.html", &o);
    char err[512];
    assert_int_equal(x->r[0].e, RP_OK);
    assert_int_equal(rp_article_finish(&x->r[0].a, &o, err, sizeof err), RP_REJECT);
    assert_non_null(strstr(err, "empty text: "));
    assert_non_null(strstr(err, "words"));
    run_free(x);
    x = read1("d/a.html", &o);
    assert_int_equal(rp_article_finish(&x->r[0].a, &o, err, sizeof err), RP_OK);
    assert_true(x->r[0].a.text_len <= 60);
    assert_string_equal(x->r[0].a.site, "forced.example");
    assert_string_equal(x->r[0].a.author, "A. Writer");
    run_free(x);
}

/* ---- small functions ---- */

static void site(const char *url, const char *want)
{
    char *s = rp_url_site(url);
    if (!want) {
        assert_null(s);
        return;
    }
    assert_non_null(s);
    assert_string_equal(s, want);
    free(s);
}

static void test_url_site(void **state)
{
    (void)state;
    site("https://www.example.com/path", "example.com");
    site("HTTP://WWW.Example.COM", "example.com");
    site("http://news.example.co.uk:8080/a?b#c", "news.example.co.uk:8080");
    site("https://user:pw@www.host.org/x", "host.org");
    site("http://[2001:DB8::1]:8443/x", "[2001:db8::1]:8443");
    site("http://[::1]/", "[::1]");
    site("//cdn.example.net/lib.js", "cdn.example.net");
    site("http://example.com.", "example.com");
    site("http://www/", "www");
    site("mailto:someone@example.com", NULL);
    site("example.com/path", NULL);
    site("file:///etc/hosts", NULL);
    site("", NULL);
    site(NULL, NULL);
    site("https://wwwexample.com/", "wwwexample.com");
    site("http://host?q=@evil", "host");
}

static void test_format_parse(void **state)
{
    (void)state;
    rp_format f = RP_FMT_TEXT;
    assert_int_equal(rp_format_parse("auto", &f), RP_OK);
    assert_int_equal(f, RP_FMT_AUTO);
    assert_int_equal(rp_format_parse("warc", &f), RP_OK);
    assert_int_equal(f, RP_FMT_WARC);
    assert_int_equal(rp_format_parse("jsonl", &f), RP_OK);
    assert_int_equal(f, RP_FMT_JSONL);
    assert_int_equal(rp_format_parse("pdf", &f), RP_ARG);
    assert_int_equal(rp_format_parse(NULL, &f), RP_ARG);
    rp_article a = {0};
    a.text = strdup("x");
    rp_article_clear(&a);
    assert_null(a.text);
    assert_true(a.published_epoch == RP_TIME_UNKNOWN);
    rp_article_clear(NULL);
    rp_reader_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_file),
        cmocka_unit_test(test_folder_order),
        cmocka_unit_test(test_missing_path_goes_on),
        cmocka_unit_test(test_gz_text),
        cmocka_unit_test(test_bad_text),
        cmocka_unit_test(test_text_cut),
        cmocka_unit_test(test_gzip_bomb),
        cmocka_unit_test(test_jsonl),
        cmocka_unit_test(test_jsonl_long_line),
        cmocka_unit_test(test_jsonl_truncated_gz),
        cmocka_unit_test(test_sniffing),
        cmocka_unit_test(test_warc),
        cmocka_unit_test(test_warc_bad_length),
        cmocka_unit_test(test_warc_html),
        cmocka_unit_test(test_deferred),
        cmocka_unit_test(test_url_site),
        cmocka_unit_test(test_format_parse),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
