/*
 * cmd_compare.c: `reprint compare`, two articles side by side.
 *
 * The comparison itself is rp_compare_texts (exact shingle overlap, aligned
 * passages, reuse score); this file presents it three ways. --json is the
 * contract's one line. --html is one self-contained page written by the
 * report module (rp_report_html_compare), so it marks a pair exactly as the
 * report does. With --db the two articles are the indexed ones (ids, or
 * files whose article is indexed) and are compared as the index compares
 * them (rp_verify_stored: each site's known boilerplate left out), so the
 * score is the report's and query's for that pair.
 * The default terminal view prints each aligned passage in two columns, A's
 * words wrapped on the left and B's on the right; on a colour terminal the
 * words the two passages share (those inside a common word shingle) are
 * highlighted, so a paraphrased passage shows where it was rewritten.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>

#include "cli/cli.h"

static const char usage[] =
    "usage: reprint compare [--json | --html] [--min-score S] [-f FORMAT] [--db DB]\n"
    "                       [--lang LANG] A B\n"
    "\n"
    "Compare two articles (the first article of files A and B, in any format the\n"
    "readers know) and show the passages they share.\n"
    "\n"
    "options:\n"
    "      --json           one JSON line: a, b, score, jaccard, containment_a_in_b,\n"
    "                       containment_b_in_a, coverage_a, coverage_b, passages\n"
    "                       [{a_start, a_end, b_start, b_end, quoted}] (byte offsets)\n"
    "      --html           one self-contained HTML page: titles, sites, URLs and\n"
    "                       dates, then the two texts side by side, one row per\n"
    "                       numbered passage, <mark> on shared passages (class\n"
    "                       \"quoted\" on quotations, \"rewritten\" on reworded\n"
    "                       sentences), changed and added words marked inside them\n"
    "      --db DB          A and B are indexed articles (ids, or files whose\n"
    "                       article is indexed): compare them as the index does,\n"
    "                       each site's known boilerplate left out, so the figures\n"
    "                       are those of 'reprint report' and 'reprint query'\n"
    "      --min-score S    decision threshold on the reuse score \n"
    "                       (default " CLI_XSTR(
        RP_DEFAULT_MIN_SCORE) ")\n"
                              "  -f, --format FORMAT  auto (default), text, html, jsonl, warc\n"
                              "      --lang LANG      language of both texts (ISO 639-1: fr, de, "
                              "zh...;\n"
                              "                       default: the file's own, else identified)\n"
                              "  -h, --help           show this help\n"
                              "\n"
                              "The default view prints a summary, then each passage side by side "
                              "(width from\n"
                              "the terminal, else $COLUMNS, else 100); shared words are coloured "
                              "when\n"
                              "standard output is a terminal and NO_COLOR is not set.\n"
                              "\n"
                              "Exit status: 0 score below the threshold, 1 score at or above it, 2 "
                              "usage\n"
                              "error, 3 a file could not be read.\n";

enum { OPT_JSON = 256, OPT_HTML, OPT_MIN, OPT_DB, OPT_LANG };

static const struct option longopts[] = {
    {"json", no_argument, NULL, OPT_JSON},
    {"html", no_argument, NULL, OPT_HTML},
    {"min-score", required_argument, NULL, OPT_MIN},
    {"db", required_argument, NULL, OPT_DB},
    {"lang", required_argument, NULL, OPT_LANG},
    {"format", required_argument, NULL, 'f'},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct side {
    const char *name;
    const char *text;
    size_t len;
};

/* ---- JSON ---- */

static void print_json(const struct side *a, const struct side *b, const rp_match *m)
{
    json_t *o = json_object(), *arr = json_array();
    json_object_set_new(o, "a", cli_json_str(a->name));
    json_object_set_new(o, "b", cli_json_str(b->name));
    json_object_set_new(o, "score", cli_json_score(m->score));
    json_object_set_new(o, "jaccard", cli_json_score(m->jaccard));
    json_object_set_new(o, "containment_a_in_b", cli_json_score(m->cont_a_in_b));
    json_object_set_new(o, "containment_b_in_a", cli_json_score(m->cont_b_in_a));
    json_object_set_new(o, "coverage_a", cli_json_score(m->coverage_a));
    json_object_set_new(o, "coverage_b", cli_json_score(m->coverage_b));
    for (size_t i = 0; i < m->npassages; i++) {
        const rp_passage *p = &m->passages[i];
        json_t *j = json_object();
        json_object_set_new(j, "a_start", cli_json_u64(p->a_start));
        json_object_set_new(j, "a_end", cli_json_u64(p->a_end));
        json_object_set_new(j, "b_start", cli_json_u64(p->b_start));
        json_object_set_new(j, "b_end", cli_json_u64(p->b_end));
        json_object_set_new(j, "quoted", json_boolean(p->quoted));
        json_array_append_new(arr, j);
    }
    json_object_set_new(o, "passages", arr);
    cli_json_print(o);
}

/* ---- terminal: two wrapped columns ---- */

/* Columns a code point takes on a terminal: 2 for East Asian wide ranges,
 * 0 for controls, else 1. An approximation that keeps columns aligned for
 * the scripts news is written in. */
static size_t cp_width(uint32_t c)
{
    if (c < 0x20 || (c >= 0x7f && c < 0xa0)) return 0;
    if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
        (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
        (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
        (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd))
        return 2;
    return 1;
}

/* Length in bytes of the UTF-8 sequence at s (at least 1) and its code point. */
static size_t cp_next(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = u[0] < 0x80 ? 1 : u[0] >= 0xf0 ? 4 : u[0] >= 0xe0 ? 3 : u[0] >= 0xc0 ? 2 : 1;
    if (len > n) len = 1;
    uint32_t c = len == 1 ? u[0] : len == 2 ? u[0] & 0x1f : len == 3 ? u[0] & 0x0f : u[0] & 0x07;
    for (size_t i = 1; i < len; i++)
        c = (c << 6) | (u[i] & 0x3f);
    *cp = c;
    return len;
}

struct line {
    char *s;
    size_t width;
};

struct wrap {
    struct line *v;
    size_t n, cap;
    rp_buf cur;
    size_t cw, width;
    int state; /* colour on in the current line */
    const char *on;
};

static void wrap_flush(struct wrap *w)
{
    if (w->state) rp_buf_append(&w->cur, "\033[0m", 4);
    w->state = 0;
    if (rp_grow(&w->v, &w->cap, w->n + 1, sizeof *w->v)) cli_errx(CLI_EXIT_IO, "out of memory");
    if (rp_buf_terminate(&w->cur) != RP_OK) cli_errx(CLI_EXIT_IO, "out of memory");
    w->v[w->n].s = strdup(w->cur.data);
    if (!w->v[w->n].s) cli_errx(CLI_EXIT_IO, "out of memory");
    w->v[w->n++].width = w->cw;
    w->cur.len = 0;
    w->cw = 0;
}

/* Wrap (s, n) into w's column: words are runs of non-space bytes; hl (may
 * be NULL) marks the bytes to colour with w->on. */
static void wrap_text(struct wrap *w, const char *s, size_t n, const unsigned char *hl)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r'))
            i++;
        if (i >= n) break;
        size_t j = i, ww = 0;
        while (j < n && !(s[j] == ' ' || s[j] == '\n' || s[j] == '\t' || s[j] == '\r')) {
            uint32_t c;
            size_t l = cp_next(s + j, n - j, &c);
            ww += cp_width(c);
            j += l;
        }
        if (w->cw > 0 && w->cw + 1 + ww > w->width) wrap_flush(w);
        if (w->cw > 0) {
            /* Keep the colour across the space between two shared words. */
            if (w->state && !(hl && hl[i])) {
                rp_buf_append(&w->cur, "\033[0m", 4);
                w->state = 0;
            }
            rp_buf_appendc(&w->cur, ' ');
            w->cw++;
        }
        while (i < j) {
            uint32_t c;
            size_t l = cp_next(s + i, j - i, &c), cw = cp_width(c);
            if (w->cw > 0 && w->cw + cw > w->width) wrap_flush(w);
            int h = w->on && hl && hl[i];
            if (h != w->state) {
                if (h)
                    rp_buf_append(&w->cur, w->on, strlen(w->on));
                else
                    rp_buf_append(&w->cur, "\033[0m", 4);
                w->state = h;
            }
            if (cw)
                rp_buf_append(&w->cur, s + i, l);
            else
                rp_buf_appendc(&w->cur, '?');
            w->cw += cw ? cw : 1;
            i += l;
        }
    }
    if (w->cw > 0 || w->n == 0) wrap_flush(w);
}

static void wrap_free(struct wrap *w)
{
    for (size_t i = 0; i < w->n; i++)
        free(w->v[i].s);
    free(w->v);
    rp_buf_free(&w->cur);
}

/* Bytes of (x, nx) inside a word shingle that also occurs in (y, ny):
 * the copied words of one passage with respect to the other. */
static unsigned char *shared_mask(const char *x, size_t nx, const char *y, size_t ny)
{
    unsigned char *mask = calloc(nx ? nx : 1, 1);
    rp_tokens tx = {0}, ty = {0};
    uint64_t *hx = NULL, *hy = NULL;
    uint32_t *px = NULL;
    unsigned char *tok = NULL;
    size_t nhx = 0, nhy = 0, k = RP_DEFAULT_SHINGLE_K;
    if (!mask) goto out;
    if (rp_shingle_tokenize(x, nx, &tx, 0) || rp_shingle_tokenize(y, ny, &ty, 0)) goto out;
    if (!tx.n || !ty.n) goto out;
    hx = malloc(tx.n * sizeof *hx), px = malloc(tx.n * sizeof *px);
    hy = malloc(ty.n * sizeof *hy), tok = calloc(tx.n, 1);
    if (!hx || !px || !hy || !tok) goto out;
    if (rp_shingle_hashes(&tx, RP_FAM_WORDS, k, hx, px, &nhx) ||
        rp_shingle_hashes(&ty, RP_FAM_WORDS, k, hy, NULL, &nhy))
        goto out;
    nhy = rp_shingle_set(hy, nhy);
    size_t span = tx.n < k ? tx.n : k;
    for (size_t i = 0; i < nhx; i++) {
        size_t lo = 0, hi = nhy;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (hy[mid] < hx[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < nhy && hy[lo] == hx[i])
            for (size_t t = px[i]; t < px[i] + span && t < tx.n; t++)
                tok[t] = 1;
    }
    for (size_t t = 0; t < tx.n; t++) {
        if (!tok[t]) continue;
        size_t e = tx.v[t].end < nx ? tx.v[t].end : nx;
        for (size_t b = tx.v[t].start; b < e; b++)
            mask[b] = 1;
        /* Punctuation between two shared tokens of one word ("U.S.") too. */
        if (t + 1 < tx.n && tok[t + 1])
            for (size_t b = e; b < tx.v[t + 1].start && b < nx; b++)
                if (x[b] != ' ' && x[b] != '\n') mask[b] = 1;
    }
out:
    rp_tokens_free(&tx);
    rp_tokens_free(&ty);
    free(hx), free(hy), free(px), free(tok);
    return mask;
}

static size_t term_width(void)
{
    struct winsize ws;
    long w = 0;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0) w = ws.ws_col;
    if (w <= 0) {
        const char *c = getenv("COLUMNS");
        if (c) w = strtol(c, NULL, 10);
    }
    if (w <= 0) w = 100;
    if (w < 40) w = 40;
    if (w > 400) w = 400;
    return (size_t)w;
}

static void print_columns(struct wrap *l, struct wrap *r, size_t colw)
{
    size_t n = l->n > r->n ? l->n : r->n;
    for (size_t i = 0; i < n; i++) {
        const char *ls = i < l->n ? l->v[i].s : "";
        size_t lw = i < l->n ? l->v[i].width : 0;
        fputs(ls, stdout);
        for (size_t k = lw; k < colw; k++)
            putchar(' ');
        fputs(" | ", stdout);
        if (i < r->n) fputs(r->v[i].s, stdout);
        putchar('\n');
    }
}

static void print_terminal(const struct side *a, const struct side *b, const rp_match *m,
                           double threshold)
{
    const char *nc = getenv("NO_COLOR");
    int color = isatty(STDOUT_FILENO) && !(nc && *nc);
    size_t width = term_width(), colw = (width - 3) / 2;
    const char *bold = color ? "\033[1m" : "", *reset = color ? "\033[0m" : "";
    int found = m->score >= threshold;
    size_t nq = 0, nr = 0;
    for (size_t i = 0; i < m->npassages; i++) {
        nq += m->passages[i].quoted != 0;
        nr += m->passages[i].rewritten && !m->passages[i].quoted;
    }

    fputs("A: ", stdout);
    cli_puts_safe(stdout, a->name);
    fputs("\nB: ", stdout);
    cli_puts_safe(stdout, b->name);
    fputs("\n\n", stdout);
    printf("%sscore        %.4f  %s (threshold %g)%s\n", bold, m->score,
           found ? "reuse found" : "no reuse found", threshold, reset);
    printf("jaccard      %.4f\n", m->jaccard);
    printf("containment  A in B %.4f, B in A %.4f\n", m->cont_a_in_b, m->cont_b_in_a);
    printf("coverage     A %.4f, B %.4f\n", m->coverage_a, m->coverage_b);
    printf("passages     %zu (%zu quoted, %zu rewritten), %zu words copied\n", m->npassages, nq, nr,
           m->words_copied);

    for (size_t i = 0; i < m->npassages; i++) {
        const rp_passage *p = &m->passages[i];
        size_t ae = p->a_end > a->len ? a->len : p->a_end, as = p->a_start > ae ? ae : p->a_start;
        size_t be = p->b_end > b->len ? b->len : p->b_end, bs = p->b_start > be ? be : p->b_start;
        printf("\n%s[%zu]%s%s  A %zu-%zu (%zu words) | B %zu-%zu (%zu words)%s\n", bold, i + 1,
               p->quoted      ? " QUOTED"
               : p->rewritten ? " REWRITTEN"
                              : "",
               reset, as, ae, p->a_words, bs, be, p->b_words,
               p->quoted
                   ? "  (mostly quotation in both: only the words outside quotation marks count)"
               : p->rewritten ? "  (the same sentence reworded: its content words, names and "
                                "figures match)"
                              : "");
        const char *on = !color ? NULL : p->quoted ? "\033[36m" : "\033[1;33m";
        unsigned char *ma =
            color ? shared_mask(a->text + as, ae - as, b->text + bs, be - bs) : NULL;
        unsigned char *mb =
            color ? shared_mask(b->text + bs, be - bs, a->text + as, ae - as) : NULL;
        struct wrap wl = {.width = colw, .on = on}, wr = {.width = colw, .on = on};
        wrap_text(&wl, a->text + as, ae - as, ma);
        wrap_text(&wr, b->text + bs, be - bs, mb);
        print_columns(&wl, &wr, colw);
        wrap_free(&wl);
        wrap_free(&wr);
        free(ma);
        free(mb);
    }
}

/* The rowid of an indexed article named by its id, or by a file whose
 * (first) article's id is indexed. Ends the program when neither. */
static int64_t stored_id(rp_db *db, const char *dbpath, const char *name, rp_format fmt)
{
    int64_t row;
    rp_err e = rp_db_find_id(db, name, &row);
    if (e == RP_OK) return row;
    if (e != RP_NOTFOUND) cli_errx(CLI_EXIT_IO, "%s: %s", dbpath, rp_db_errmsg(db));
    if (strcmp(name, "-") != 0 && access(name, R_OK) == 0) {
        rp_article a = {0};
        cli_read_first(name, fmt, &a);
        e = a.id ? rp_db_find_id(db, a.id, &row) : RP_NOTFOUND;
        char id[512];
        snprintf(id, sizeof id, "%s", a.id ? a.id : "");
        rp_article_clear(&a);
        if (e == RP_OK) return row;
        if (e != RP_NOTFOUND) cli_errx(CLI_EXIT_IO, "%s: %s", dbpath, rp_db_errmsg(db));
        cli_errx(CLI_EXIT_IO,
                 "%s: its article (id '%s') is not indexed in %s; index it first, "
                 "or compare without --db",
                 name, id, dbpath);
    }
    cli_errx(CLI_EXIT_IO, "%s: no such article id in %s, and no such file", name, dbpath);
}

int cmd_compare(int argc, char **argv)
{
    const char *cmd = argv[0];
    int json = 0, html = 0, ch;
    const char *dbopt = NULL;
    double threshold = RP_DEFAULT_MIN_SCORE;
    rp_format fmt = RP_FMT_AUTO;
    const char *lang = NULL;
    while ((ch = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
        switch (ch) {
        case OPT_JSON:
            json = 1;
            break;
        case OPT_HTML:
            html = 1;
            break;
        case OPT_DB:
            dbopt = optarg;
            break;
        case OPT_MIN:
            if (cli_parse_score(cmd, "--min-score", optarg, &threshold)) return CLI_EXIT_USAGE;
            break;
        case OPT_LANG:
            if (!(lang = rp_lang_canonical(optarg)))
                return cli_usage_error(
                    cmd, "unknown language '%s' (an ISO 639-1 code: en, fr, de...)", optarg);
            break;
        case 'f':
            if (rp_format_parse(optarg, &fmt) != RP_OK)
                return cli_usage_error(cmd, "unknown format '%s' (auto, text, html, jsonl, warc)",
                                       optarg);
            break;
        case 'h':
            fputs(usage, stdout);
            return CLI_EXIT_OK;
        default:
            return cli_usage_error(cmd, NULL);
        }
    }
    if (json && html) return cli_usage_error(cmd, "--json and --html exclude each other");
    if (argc - optind < 2)
        return cli_usage_error(cmd, "missing %s", optind < argc ? "B" : "A and B");
    if (argc - optind > 2)
        return cli_usage_error(cmd, "too many arguments: '%s'", argv[optind + 2]);

    const char *pa = argv[optind], *pb = argv[optind + 1];
    if (strcmp(pa, "-") == 0 && strcmp(pb, "-") == 0)
        return cli_usage_error(cmd, "only one of A and B can be standard input");
    rp_article aa = {0}, ab = {0};
    rp_match m = {0};
    rp_err e;
    if (dbopt) {
        rp_db *db = cli_db_open(dbopt, RP_DB_READONLY);
        int64_t ra = stored_id(db, dbopt, pa, fmt), rb = stored_id(db, dbopt, pb, fmt);
        char err[512] = "";
        e = rp_verify_stored(db, ra, rb, &m, &aa, &ab, err, sizeof err);
        rp_db_close(db);
        if (e != RP_OK)
            cli_errx(CLI_EXIT_IO, "%s: comparing %s and %s: %s", dbopt, pa, pb,
                     *err ? err : rp_strerror(e));
    } else {
        cli_read_first(pa, fmt, &aa);
        cli_read_first(pb, fmt, &ab);
        /* --lang, else each file's own language (JSONL lang, <html lang>),
         * else identified from each text. */
        if (lang || (!aa.lang && !ab.lang)) {
            e = rp_compare_texts_lang(aa.text, aa.text_len, ab.text, ab.text_len, lang, &m);
        } else {
            const char *la = aa.lang ? aa.lang : rp_lang_detect(aa.text, aa.text_len);
            const char *lb = ab.lang ? ab.lang : rp_lang_detect(ab.text, ab.text_len);
            /* Two languages: a translation, out of scope; each its own rules. */
            e = strcmp(la, lb) == 0
                    ? rp_compare_texts_lang(aa.text, aa.text_len, ab.text, ab.text_len, la, &m)
                    : rp_compare_texts(aa.text, aa.text_len, ab.text, ab.text_len, &m);
        }
        if (e != RP_OK) {
            rp_article_clear(&aa);
            rp_article_clear(&ab);
            cli_errx(CLI_EXIT_IO, "comparing %s and %s: %s", pa, pb, rp_strerror(e));
        }
    }
    struct side a = {pa, aa.text, aa.text_len}, b = {pb, ab.text, ab.text_len};

    if (json)
        print_json(&a, &b, &m);
    else if (html) {
        /* Without --db the page names the language each text was read by. */
        const char *la = dbopt     ? NULL
                         : lang    ? lang
                         : aa.lang ? aa.lang
                                   : rp_lang_detect(aa.text, aa.text_len);
        const char *lb = dbopt     ? NULL
                         : lang    ? lang
                         : ab.lang ? ab.lang
                                   : rp_lang_detect(ab.text, ab.text_len);
        rp_compare_page pg = {&aa, &ab, pa, pb, &m, threshold, dbopt, la, lb};
        if (rp_report_html_compare(stdout, &pg) != RP_OK || fflush(stdout) != 0)
            cli_errx(CLI_EXIT_IO, "standard output: cannot write the page");
    } else
        print_terminal(&a, &b, &m, threshold);
    int found = m.score >= threshold;
    rp_match_clear(&m);
    rp_article_clear(&aa);
    rp_article_clear(&ab);
    return found ? CLI_EXIT_FOUND : CLI_EXIT_OK;
}
