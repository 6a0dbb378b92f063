/* test_verify.c: quote marking, passage alignment, reuse scores, golden pairs.
 *
 * Text pairs live in tests/golden/NAME.a.txt and NAME.b.txt (written for this
 * project); tests/golden/scores.tsv gives each pair's expected score band.
 * Tests run from the repository root (as `make test` does); RP_GOLDEN
 * overrides the folder. */
#include <ctype.h>
#include <stdio.h>
#include <time.h>

#include "tests/testutil.h"
#include "verify/docarena.h" /* test_arena_docs */
#include "verify/verify.h"   /* test_seed_order reads the seed index */

static const char *golden_dir(void)
{
    const char *s = getenv("RP_GOLDEN");
    return s ? s : "tests/golden";
}

/* Whole file into a malloc'd NUL-terminated buffer, or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            char *p = realloc(buf, cap);
            assert_non_null(p);
            buf = p;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0) break;
        n += r;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static char *golden(const char *name, const char *side, size_t *len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s.%s.txt", golden_dir(), name, side);
    char *s = slurp(path, len);
    if (!s) fail_msg("cannot read %s (run from the repository root or set RP_GOLDEN)", path);
    return s;
}

static rp_doc *doc_of(const char *s, size_t len)
{
    rp_doc *d = NULL;
    assert_int_equal(rp_doc_new(&d, s, len, NULL), RP_OK);
    assert_non_null(d);
    return d;
}

static void compare(const char *a, size_t alen, const char *b, size_t blen, rp_match *m)
{
    rp_doc *da = doc_of(a, alen), *db = doc_of(b, blen);
    assert_int_equal(rp_verify_pair(da, db, m), RP_OK);
    rp_doc_free(da);
    rp_doc_free(db);
}

/* One character per token: 'Q' quoted, '-' not. */
static void quote_pattern(const char *text, char *out, size_t size)
{
    rp_tokens t = {0};
    assert_int_equal(rp_shingle_tokenize(text, strlen(text), &t, 0), RP_OK);
    rp_quotes_mark(text, strlen(text), &t);
    assert_true(t.n < size);
    for (size_t i = 0; i < t.n; i++)
        out[i] = (t.v[i].flags & RP_TOK_QUOTED) ? 'Q' : '-';
    out[t.n] = '\0';
    rp_tokens_free(&t);
}

static void expect_quotes(const char *text, const char *want)
{
    char got[256];
    quote_pattern(text, got, sizeof got);
    if (strcmp(got, want) != 0) fail_msg("quotes in [%s]: got %s, want %s", text, got, want);
}

static void test_quotes(void **state)
{
    (void)state;
    expect_quotes("He said \"we will win\" today.", "--QQQ-");
    expect_quotes("He said \xE2\x80\x9Cwe will win\xE2\x80\x9D today.", "--QQQ-");
    /* apostrophes and possessives are not quotes; a single-quoted word is */
    expect_quotes("I don't think James' car is 'really' fast.", "------Q-");
    expect_quotes("Rock'n'roll in the '90s was 'loud and fun' they said.", "-----QQQ--");
    expect_quotes("It\xE2\x80\x99s Anna\xE2\x80\x99s \xE2\x80\x98"
                  "best\xE2\x80\x99 day.",
                  "--Q-");
    /* unbalanced: closed at the paragraph end */
    expect_quotes("She said \"this will never end.\n\nThe next day was calm.", "--QQQQ-----");
    /* a quotation spanning paragraphs reopens each paragraph */
    expect_quotes("He said: \xE2\x80\x9C"
                  "First part.\n\n\xE2\x80\x9CSecond part,\xE2\x80\x9D "
                  "he added. Later text.",
                  "--QQQQ----");
    /* guillemets, French with inner spaces and German pointing inwards */
    expect_quotes("Il a dit \xC2\xAB nous gagnerons \xC2\xBB hier.", "---QQ-");
    expect_quotes("Er sagte \xC2\xBBwir gewinnen\xC2\xAB gestern.", "--QQ-");
    expect_quotes("Er sagte \xE2\x80\x9Ewir gewinnen\xE2\x80\x9C gestern.", "--QQ-");
    /* mixed marks: opened typographic, closed straight */
    expect_quotes("He said \xE2\x80\x9Cwe win\" today and left.", "--QQ---");
    /* a single quote never closed is an apostrophe, not a quote */
    expect_quotes("The 'bridge was old.\n\nIt fell.", "------");
    /* CJK corner brackets and single guillemets */
    expect_quotes("He said \xE3\x80\x8Cwe win\xE3\x80\x8D today.", "--QQ-");
    expect_quotes("Er sagte \xE2\x80\xB9wir gewinnen\xE2\x80\xBA gestern.", "--QQ-");
    /* single quotes inside double ones stay inside */
    expect_quotes("\"He told me 'no' twice,\" she said.", "QQQQQ--");
}

/* An embedded post is a third party's words: its line, and with its author
 * on a line of its own the line before, count as quoted. */
static void test_embeds(void **state)
{
    (void)state;
    /* the post's words, then its author and date on their own line */
    expect_quotes("Officials confirmed the death.\n"
                  "Rest in peace, dear friend\n"
                  "\xE2\x80\x94 Jane Roe (@janeroe) April 21, 2025\n"
                  "The funeral is on Friday.",
                  "----QQQQQQQQQQQ-----");
    /* post and author on one line, with its picture link */
    expect_quotes(
        "He died.\nSo sad today pic.twitter.com/AbC123 - Bob (@bob_1) May 2, 2024\nMore later.",
        "--QQQQQQQQQQQQQ--");
    /* a handle in the article's own prose, no date after it: not a post */
    expect_quotes("The minister (@minister) wrote on Monday that talks would resume.",
                  "----------");
}

static void test_doc_counts(void **state)
{
    (void)state;
    const char *s = "One two \"three four\" five.";
    rp_doc *d = doc_of(s, strlen(s));
    assert_int_equal(rp_doc_words(d), 5);
    assert_int_equal(rp_doc_unquoted_words(d), 3);
    size_t n = 0, len = 0;
    assert_non_null(rp_doc_shingles(d, &n));
    assert_int_equal(n, 3);
    assert_string_equal(rp_doc_text(d, &len), s);
    assert_int_equal(len, strlen(s));
    assert_int_equal(rp_doc_tokens(d)->n, 5);
    rp_doc_free(d);
    rp_doc_free(NULL);

    /* chrome ranges are not words */
    uint32_t chrome[2] = {0, 8};
    rp_doc_opts o = {.chrome = chrome, .nchrome = 1};
    assert_int_equal(rp_doc_new(&d, s, strlen(s), &o), RP_OK);
    assert_int_equal(rp_doc_words(d), 3);
    assert_int_equal(rp_doc_unquoted_words(d), 1);
    rp_doc_free(d);
}

static void test_empty(void **state)
{
    (void)state;
    rp_doc *e = doc_of("", 0), *p = doc_of("...  \"\" --", 11);
    const char *s = "Some words here and there, enough for a passage of text.";
    rp_doc *d = doc_of(s, strlen(s));
    rp_match m;
    assert_int_equal(rp_verify_pair(e, d, &m), RP_OK);
    assert_float_equal(m.score, 0.0, 1e-9);
    assert_int_equal(m.npassages, 0);
    rp_match_clear(&m);
    assert_int_equal(rp_verify_pair(e, p, &m), RP_OK);
    assert_float_equal(m.jaccard, 0.0, 1e-9);
    rp_match_clear(&m);
    assert_int_equal(rp_verify_pair(NULL, d, &m), RP_ARG);
    rp_doc_free(e);
    assert_int_equal(rp_doc_new(&e, NULL, 5, NULL), RP_ARG);
    assert_null(e);
    rp_doc_free(p);
    rp_doc_free(d);
}

static void test_identical(void **state)
{
    (void)state;
    size_t n;
    char *a = golden("synonym_copy", "a", &n);
    rp_match m;
    compare(a, n, a, n, &m);
    assert_float_equal(m.score, 1.0, 1e-9);
    assert_float_equal(m.jaccard, 1.0, 1e-9);
    assert_float_equal(m.cont_a_in_b, 1.0, 1e-9);
    assert_int_equal(m.npassages, 1);
    assert_int_equal(m.passages[0].a_start, 0);
    assert_int_equal(m.passages[0].b_start, 0);
    assert_int_equal(m.passages[0].a_end, strrchr(a, '.') - a);
    assert_int_equal(m.direction, 0);
    rp_match_clear(&m);
    free(a);
}

/* One passage per copied region: in every golden pair and in a copy
 * wrapped in a page of its own text, no two passages of one kind overlap on
 * both sides (a verbatim copy gave two overlapping chains before). */
static void test_no_overlapping_passages(void **state)
{
    (void)state;
    static const char *const cases[] = {"wrapped_copy", "excerpt_copy", "synonym_copy",
                                        "spun_copy",    "mt_rewrite",   "rounded_copy"};
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        size_t na, nb;
        char *a = golden(cases[c], "a", &na), *b = golden(cases[c], "b", &nb);
        rp_match m;
        compare(a, na, b, nb, &m);
        for (size_t i = 0; i + 1 < m.npassages; i++) {
            const rp_passage *p = &m.passages[i], *q = &m.passages[i + 1];
            int same_kind = p->quoted == q->quoted && p->rewritten == q->rewritten;
            int overlap = q->a_start < p->a_end && q->b_start < p->b_end && q->b_end > p->b_start;
            if (same_kind && overlap)
                fail_msg("%s: passages %zu and %zu overlap", cases[c], i, i + 1);
        }
        rp_match_clear(&m);
        free(a);
        free(b);
    }
}

static void test_unrelated(void **state)
{
    (void)state;
    size_t na, nb;
    char *a = golden("unrelated", "a", &na), *b = golden("unrelated", "b", &nb);
    rp_match m;
    compare(a, na, b, nb, &m);
    assert_float_equal(m.score, 0.0, 1e-9);
    assert_int_equal(m.npassages, 0);
    assert_true(m.jaccard < 0.02);
    rp_match_clear(&m);
    rp_match_clear(NULL);
    free(a);
    free(b);
}

static int word_char(char c)
{
    return isalnum((unsigned char)c) || (c & 0x80);
}

/* The byte span starts and ends on word boundaries. */
static void assert_word_span(const char *s, size_t len, size_t start, size_t end)
{
    assert_true(start < end && end <= len);
    assert_true(word_char(s[start]) && word_char(s[end - 1]));
    assert_true(start == 0 || !word_char(s[start - 1]));
    assert_true(end == len || !word_char(s[end]));
}

/* Byte range [*s, *e) of the sentence of text starting with first and ending
 * with last (both unique in text). */
static void sentence(const char *text, const char *first, const char *last, size_t *s, size_t *e)
{
    const char *p = strstr(text, first), *q = strstr(text, last);
    assert_non_null(p);
    assert_non_null(q);
    *s = (size_t)(p - text);
    *e = (size_t)(q - text) + strlen(last);
}

static void test_synonym_copy(void **state)
{
    (void)state;
    size_t na, nb;
    char *a = golden("synonym_copy", "a", &na), *b = golden("synonym_copy", "b", &nb);
    rp_match m;
    compare(a, na, b, nb, &m);
    assert_true(m.score >= RP_DEFAULT_MIN_SCORE + 0.2);
    assert_true(m.jaccard < 0.5); /* whole-text overlap alone would hesitate */
    assert_true(m.npassages >= 2);
    for (size_t i = 0; i < m.npassages; i++) {
        const rp_passage *p = &m.passages[i];
        assert_word_span(a, na, p->a_start, p->a_end);
        assert_word_span(b, nb, p->b_start, p->b_end);
        assert_false(p->quoted);
        if (i) assert_true(m.passages[i - 1].a_start <= p->a_start);
    }
    /* The swapped sentence: a passage inside it on both sides, covering most of it. */
    size_t as, ae, bs, be;
    sentence(a, "Local shop owners", "summer trade", &as, &ae);
    sentence(b, "Local store owners", "summer business", &bs, &be);
    int found = 0;
    for (size_t i = 0; i < m.npassages; i++) {
        const rp_passage *p = &m.passages[i];
        if (p->a_start >= as && p->a_end <= ae && p->b_start >= bs && p->b_end <= be &&
            p->a_end - p->a_start > (ae - as) / 2) {
            found = 1;
            assert_true(p->a_words >= 6);
        }
    }
    assert_true(found);
    /* and it comes before the "coastal road" sentence in b but after in a */
    size_t rs, re;
    sentence(b, "Motorists", "morning trip", &rs, &re);
    assert_true(bs < rs);
    rp_match_clear(&m);
    free(a);
    free(b);
}

static void test_independent_quotes(void **state)
{
    (void)state;
    size_t na, nb;
    char *a = golden("independent_quotes", "a", &na), *b = golden("independent_quotes", "b", &nb);
    rp_match m;
    compare(a, na, b, nb, &m);
    assert_true(m.score < RP_DEFAULT_MIN_SCORE);
    size_t qs, qe;
    sentence(a, "We will not abandon", "winter comes", &qs, &qe);
    int quoted = 0;
    for (size_t i = 0; i < m.npassages; i++) {
        const rp_passage *p = &m.passages[i];
        if (p->a_start <= qs + 3 && p->a_end >= qe - 3) {
            assert_true(p->quoted);
            quoted = 1;
        }
    }
    assert_true(quoted);
    rp_match_clear(&m);
    free(a);
    free(b);
}

static void test_wrapped_copy(void **state)
{
    (void)state;
    size_t na, nb;
    char *a = golden("wrapped_copy", "a", &na), *b = golden("wrapped_copy", "b", &nb);
    rp_match m;
    compare(a, na, b, nb, &m);
    assert_true(m.cont_a_in_b > 0.95);
    assert_true(m.cont_b_in_a < m.cont_a_in_b);
    assert_true(m.score > 0.95);
    assert_true(m.coverage_a > m.coverage_b);
    assert_int_equal(m.direction, -1); /* the shorter, a, is the one contained */
    rp_match_clear(&m);
    free(a);
    free(b);
}

/* Two texts that are almost all one quotation, with as many own words each
 * (found by fuzz/fuzz_verify.c): the score must not depend on the order of
 * the arguments, and a shared quotation alone is no reuse. */
static void test_quoted_tie(void **state)
{
    (void)state;
    const char *a = "He said: \"The new bridge over the river will open to traffic in the first "
                    "week of May after two years of repairs.\"";
    const char *b = "\"The new bridge over the river will open to traffic in the first week of May "
                    "after two years of repairs,\" she said. \"Tolls will stay at one pound for "
                    "cars and nothing for bicycles, as agreed with the council last winter.\"";
    rp_match m, r;
    compare(a, strlen(a), b, strlen(b), &m);
    compare(b, strlen(b), a, strlen(a), &r);
    assert_true(m.npassages >= 1);
    /* The two share a quotation and nothing of their own: quotations are
     * discounted, so this is no reuse, in either order. */
    assert_true(m.score < RP_DEFAULT_MIN_SCORE);
    assert_float_equal(m.score, r.score, 1e-9);
    rp_match_clear(&m);
    rp_match_clear(&r);
}

/* Three sentences against 1,980 that each share three of one sentence's
 * four words: thousands of sentence matches and hundreds of possible
 * chains. The sentence pass bounds its work (verify/para.c: 256 chains,
 * 256 links looked back), so the passages stay well under the 1,980 an
 * unbounded pass finds. */
static void test_sentence_flood(void **state)
{
    (void)state;
    static const char *w[3][4] = {{"alpha", "bravo", "charlie", "delta"},
                                  {"echo", "foxtrot", "golf", "hotel"},
                                  {"india", "juliet", "kilo", "lima"}};
    rp_buf a = {0}, b = {0};
    char tmp[128];
    for (int k = 0; k < 3; k++) {
        snprintf(tmp, sizeof tmp, "%s %s %s %s. ", w[k][0], w[k][1], w[k][2], w[k][3]);
        assert_int_equal(rp_buf_append(&a, tmp, strlen(tmp)), RP_OK);
    }
    for (int i = 0; i < 660; i++)
        for (int k = 0; k < 3; k++) {
            int skip = i % 4; /* leave out one of the four words */
            const char *x[3];
            for (int j = 0, n = 0; j < 4; j++)
                if (j != skip) x[n++] = w[k][j];
            snprintf(tmp, sizeof tmp, "%s %s %s zz%d. ", x[0], x[1], x[2], i);
            assert_int_equal(rp_buf_append(&b, tmp, strlen(tmp)), RP_OK);
        }
    rp_match m;
    compare(a.data, a.len, b.data, b.len, &m);
    assert_true(m.npassages < 1000);
    rp_match_clear(&m);
    rp_buf_free(&a);
    rp_buf_free(&b);
}

static void test_mt_rewrite(void **state)
{
    (void)state;
    size_t na, nb;
    char *a = golden("mt_rewrite", "a", &na), *b = golden("mt_rewrite", "b", &nb);
    rp_match m;
    compare(a, na, b, nb, &m);
    assert_true(m.score >= RP_DEFAULT_MIN_SCORE);
    assert_true(m.jaccard < 0.3);
    rp_match_clear(&m);
    free(a);
    free(b);
}

static void test_golden(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/scores.tsv", golden_dir());
    size_t len;
    char *tsv = slurp(path, &len);
    if (!tsv) fail_msg("cannot read %s", path);
    size_t cases = 0;
    for (char *line = strtok(tsv, "\n"); line; line = strtok(NULL, "\n")) {
        char name[128];
        double lo, hi;
        if (line[0] == '#' || sscanf(line, "%127s %lf %lf", name, &lo, &hi) != 3) continue;
        size_t na, nb;
        char *a = golden(name, "a", &na), *b = golden(name, "b", &nb);
        rp_match m, r;
        compare(a, na, b, nb, &m);
        compare(b, nb, a, na, &r);
        printf("  %-20s score %.3f  jaccard %.3f  cov %.3f/%.3f  passages %zu  band [%.2f, %.2f]\n",
               name, m.score, m.jaccard, m.coverage_a, m.coverage_b, m.npassages, lo, hi);
        if (m.score < lo - 1e-9 || m.score > hi + 1e-9)
            fail_msg("%s: score %.3f outside [%.2f, %.2f]", name, m.score, lo, hi);
        /* the score does not depend on argument order */
        assert_float_equal(m.score, r.score, 1e-9);
        assert_int_equal(m.direction, -r.direction);
        rp_match_clear(&m);
        rp_match_clear(&r);
        free(a);
        free(b);
        cases++;
    }
    assert_true(cases >= 6);
    free(tsv);
}

/* The seed page against itself without its chrome lines. */
static void test_seed_page(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/seed/newsnixon_repost_of_reuters.txt", rp_test_shared());
    size_t len;
    char *page = slurp(path, &len);
    if (!page) {
        printf("  skipped: %s not found\n", path);
        skip();
    }
    /* Chrome: the site-icon line on top, "Source link"/"Exit mobile" below. */
    const char *body = strstr(page, "\n\n");
    const char *tail = strstr(page, "Source link");
    assert_non_null(body);
    assert_non_null(tail);
    rp_match m;
    compare(page, len, body, (size_t)(tail - body), &m);
    assert_true(m.score > 0.95);
    assert_true(m.cont_b_in_a > 0.95);
    assert_true(m.npassages >= 1);
    rp_match_clear(&m);

    /* Marking the chrome lines as chrome gives the same words as cutting them. */
    uint32_t chrome[4] = {0, (uint32_t)(body - page), (uint32_t)(tail - page), (uint32_t)len};
    rp_doc_opts o = {.chrome = chrome, .nchrome = 2};
    rp_doc *d = NULL, *e = doc_of(body, (size_t)(tail - body));
    assert_int_equal(rp_doc_new(&d, page, len, &o), RP_OK);
    assert_int_equal(rp_doc_words(d), rp_doc_words(e));
    assert_int_equal(rp_verify_pair(d, e, &m), RP_OK);
    assert_float_equal(m.jaccard, 1.0, 1e-9);
    assert_float_equal(m.score, 1.0, 1e-9);
    rp_match_clear(&m);
    rp_doc_free(d);
    rp_doc_free(e);
    free(page);
}

/* Deterministic pseudo-random words for the timing test. */
static uint64_t rng = 88172645463325252ULL;
static uint64_t next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void make_article(rp_buf *out, size_t words, size_t vocab, int edit_every)
{
    static const char *syll[] = {"ka", "lo", "mer", "tan", "si", "vo", "ru", "den", "pa", "gil"};
    for (size_t i = 0; i < words; i++) {
        uint64_t w = next_rand() % vocab;
        if (edit_every && i % (size_t)edit_every == 0) w = vocab + next_rand() % 1000;
        for (int k = 0; k < 3; k++) {
            const char *s = syll[w % 10];
            w /= 10;
            assert_int_equal(rp_buf_append(out, s, strlen(s)), RP_OK);
        }
        assert_int_equal(rp_buf_appendc(out, (i + 1) % 15 == 0 ? '.' : ' '), RP_OK);
        if ((i + 1) % 15 == 0) assert_int_equal(rp_buf_appendc(out, ' '), RP_OK);
    }
}

static rp_doc *doc_lang(const char *s, const char *lang)
{
    rp_doc *d = NULL;
    rp_doc_opts o = {.lang = lang};
    assert_int_equal(rp_doc_new(&d, s, strlen(s), &o), RP_OK);
    return d;
}

/* The score of the pair (a, b), both read as lang. */
static double pair_score(const char *a, const char *b, const char *lang)
{
    rp_match m;
    rp_doc *da = doc_lang(a, lang), *db = doc_lang(b, lang);
    assert_int_equal(rp_verify_pair(da, db, &m), RP_OK);
    double score = m.score;
    rp_match_clear(&m);
    rp_doc_free(da);
    rp_doc_free(db);
    return score;
}

static size_t count_sentences(const rp_doc *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->nw; i++)
        n += d->wsent[i];
    return n;
}

/* Is the word spelled w a name (or figure)? -1 if no such word. */
static int name_of(const rp_doc *d, const char *w)
{
    for (size_t i = 0; i < d->nw; i++) {
        const rp_token *t = &d->toks.v[d->wtok[i]];
        if (t->end - t->start == strlen(w) && !memcmp(d->text + t->start, w, strlen(w)))
            return d->wname[i];
    }
    return -1;
}

static void test_languages(void **state)
{
    (void)state;
    /* Chinese: sentences end at 。！？, not at every character. */
    const char *zh = "\xE6\x94\xBF\xE5\xBA\x9C\xE5\xAE\xA3\xE5\xB8\x83\xE4\xBA\x86"
                     "\xE6\x96\xB0\xE8\xAE\xA1\xE5\x88\x92\xE3\x80\x82" /* 政府宣布了新计划。 */
                     "\xE4\xB8\x93\xE5\xAE\xB6\xE8\xA1\xA8\xE7\xA4\xBA\xE6\x94\xAF"
                     "\xE6\x8C\x81\xEF\xBC\x81" /* 专家表示支持！ */
                     "\xE5\xB8\x82\xE5\x9C\xBA\xE5\xB0\x86\xE7\xBB\xA7\xE7\xBB\xAD"
                     "\xE5\xA2\x9E\xE9\x95\xBF\xE3\x80\x82"; /* 市场将继续增长。 */
    rp_doc *d = doc_lang(zh, NULL);
    assert_string_equal(rp_doc_lang(d), "zh");
    assert_true(rp_doc_words(d) >= 8);
    assert_int_equal(count_sentences(d), 3);
    rp_doc_free(d);
    /* Russian: two sentences, not a sentence per word. */
    const char *ru = "Министр заявил в понедельник, что переговоры продолжатся в Женеве. "
                     "Он добавил, что делегация прибудет во вторник вечером.";
    d = doc_lang(ru, NULL);
    assert_string_equal(rp_doc_lang(d), "ru");
    assert_int_equal(count_sentences(d), 2);
    assert_int_equal(name_of(d, "Женеве"), 1);
    assert_int_equal(name_of(d, "переговоры"), 0);
    assert_int_equal(name_of(d, "понедельник"), 1); /* a date, as "lundi" in French */
    rp_doc_free(d);
    /* German: capitalised nouns are not names; runs of capitals and acronyms are. */
    const char *de = "Am Montag sagte der Kanzler Olaf Scholz in Berlin, die SPD werde die "
                     "Regierung in der Krise stützen. Die Opposition kritisierte den Plan.";
    d = doc_lang(de, "de");
    assert_int_equal(name_of(d, "Olaf"), 1);
    assert_int_equal(name_of(d, "Scholz"), 1);
    assert_int_equal(name_of(d, "SPD"), 1);
    assert_int_equal(name_of(d, "Regierung"), 0);
    assert_int_equal(name_of(d, "Krise"), 0);
    assert_int_equal(count_sentences(d), 2);
    rp_doc_free(d);
    /* Month and weekday names are facts of the event, as English capitals
     * make "Monday" a name: lower case in French and Spanish, capitalised
     * nouns in German. */
    d = doc_lang("Le conseil se réunira mardi 5 décembre pour voter le budget de la ville.", "fr");
    assert_int_equal(name_of(d, "mardi"), 1);
    assert_int_equal(name_of(d, "décembre"), 1);
    assert_int_equal(name_of(d, "budget"), 0);
    rp_doc_free(d);
    d = doc_lang("El consejo se reunirá el martes 5 de diciembre para votar el presupuesto.", "es");
    assert_int_equal(name_of(d, "martes"), 1);
    assert_int_equal(name_of(d, "diciembre"), 1);
    assert_int_equal(name_of(d, "presupuesto"), 0);
    rp_doc_free(d);
    d = doc_lang("Der Rat will am Dienstag, dem 5. Dezember, den Haushalt beschließen.", "de");
    assert_int_equal(name_of(d, "Dienstag"), 1);
    assert_int_equal(name_of(d, "Dezember"), 1);
    assert_int_equal(name_of(d, "Haushalt"), 0);
    rp_doc_free(d);
    /* Russian and Arabic dates: lower case inflected months and weekdays,
     * and weekdays with the Arabic article. */
    d = doc_lang("Самолёт упал в среду, 23 августа, у деревни в Тверской области.", "ru");
    assert_int_equal(name_of(d, "среду"), 1);
    assert_int_equal(name_of(d, "августа"), 1);
    assert_int_equal(name_of(d, "деревни"), 0);
    rp_doc_free(d);
    d = doc_lang("أعلن القصر يوم الخميس 8 سبتمبر وفاة الملكة في بالمورال.", "ar");
    assert_int_equal(name_of(d, "الخميس"), 1);
    assert_int_equal(name_of(d, "سبتمبر"), 1);
    assert_int_equal(name_of(d, "وفاة"), 0);
    rp_doc_free(d);
    /* German compounds of a weekday are dates too ("Easter Monday",
     * "Monday morning" in English); other compounds are not. */
    d = doc_lang("Der Papst hatte am Ostermontag die Montage der Bühne besucht und wollte am "
                 "Montagmorgen abreisen, am Abend vorher aber noch predigen.",
                 "de");
    assert_int_equal(name_of(d, "Ostermontag"), 1);
    assert_int_equal(name_of(d, "Montagmorgen"), 1);
    assert_int_equal(name_of(d, "Montage"), 0);
    assert_int_equal(name_of(d, "Abend"), 0);
    rp_doc_free(d);
    /* Chinese: the units of a figure and the places before an
     * administrative suffix are facts, as dates and names are in English;
     * the event's nouns and verbs are not. */
    d = doc_lang("据中国地震台网测定,12月18日23时59分在雅安市芦山县发生6.2级地震,"
                 "震源深度10公里,造成116人遇难。",
                 "zh");
    assert_int_equal(name_of(d, "月"), 1);
    assert_int_equal(name_of(d, "日"), 1);
    assert_int_equal(name_of(d, "分"), 1);
    assert_int_equal(name_of(d, "级"), 1);
    assert_int_equal(name_of(d, "公里"), 1);
    assert_int_equal(name_of(d, "人"), 1);
    assert_int_equal(name_of(d, "雅安"), 1);
    assert_int_equal(name_of(d, "市"), 1);
    assert_int_equal(name_of(d, "芦山"), 1);
    assert_int_equal(name_of(d, "县"), 1);
    assert_int_equal(name_of(d, "地震"), 0);
    assert_int_equal(name_of(d, "发生"), 0);
    assert_int_equal(name_of(d, "遇难"), 0);
    rp_doc_free(d);
    /* Japanese: katakana names; English: unchanged rules. */
    const char *ja = "\xE3\x83\x88\xE3\x83\xA9\xE3\x83\xB3\xE3\x83\x97\xE5\xA4\xA7"
                     "\xE7\xB5\xB1\xE9\xA0\x98\xE3\x81\xAF\xE6\x9D\xB1\xE4\xBA\xAC"
                     "\xE3\x82\x92\xE8\xA8\xAA\xE5\x95\x8F\xE3\x81\x97\xE3\x81\x9F"
                     "\xE3\x80\x82"; /* トランプ大統領は東京を訪問した。 */
    d = doc_lang(ja, "ja");
    assert_int_equal(name_of(d, "\xE3\x83\x88\xE3\x83\xA9\xE3\x83\xB3\xE3\x83\x97"), 1);
    rp_doc_free(d);
}

/* Chinese: a notice converted to traditional characters is a copy of the
 * simplified one; two reports that only share the one-sentence official
 * bulletin are not copies of each other. */
static void test_chinese_pairs(void **state)
{
    (void)state;
    const char *cn =
        "江泽民同志治丧委员会公告(第2号)鉴于江泽民同志在党和国家历史发展中的特殊功绩,"
        "以及全党全军全国各族人民的共同愿望,现决定:(一)12月6日上午10时,党中央、"
        "全国人大常委会、国务院、全国政协、中央军委在北京人民大会堂隆重举行江泽民同志"
        "追悼大会。追悼大会现场直播,各地区各部门要认真组织广大党员、干部、群众收听收看。"
        "(二)追悼大会当天,全国和我国驻外使领馆及其他驻外机构下半旗志哀,停止公共娱乐"
        "活动一天。(三)不举行遗体告别仪式。特此公告。";
    const char *tw =
        "江澤民同志治喪委員會公告(第2號)鑒於江澤民同志在黨和國家歷史發展中的特殊功績,"
        "以及全黨全軍全國各族人民的共同願望,現決定:(一)12月6日上午10時,黨中央、"
        "全國人大常委會、國務院、全國政協、中央軍委在北京人民大會堂隆重舉行江澤民同志"
        "追悼大會。追悼大會現場直播,各地區各部門要認真組織廣大黨員、幹部、群眾收聽收看。"
        "(二)追悼大會當天,全國和我國駐外使領館及其他駐外機構下半旗誌哀,停止公共娛樂"
        "活動一天。(三)不舉行遺體告別儀式。特此公告。";
    const char *ra = "中国地震台网正式测定:12月18日23时59分在甘肃临夏州积石山县(北纬35.70度,"
                     "东经102.79度)发生6.2级地震,震源深度10千米。地震造成当地86人遇难、96人受伤,"
                     "青海亦有11人遇难。";
    const char *rb =
        "记者从省地震局获悉,中国地震台网正式测定:12月18日23时59分在甘肃临夏州积石山县"
        "(北纬35.70度,东经102.79度)发生6.2级地震,震源深度10千米。省委书记连夜赶往"
        "灾区一线指导抗震救灾工作,消防、森林消防和社会救援队伍一千三百余人正在赶赴现场,"
        "第一批帐篷、折叠床和棉被正在运往灾区。";
    rp_match m;
    rp_doc *da = doc_lang(cn, "zh"), *db = doc_lang(tw, "zh");
    assert_int_equal(rp_verify_pair(da, db, &m), RP_OK);
    assert_true(m.score >= 0.8 && m.jaccard >= 0.5); /* one text in two scripts */
    rp_match_clear(&m);
    rp_doc_free(da);
    rp_doc_free(db);
    da = doc_lang(ra, "zh");
    db = doc_lang(rb, "zh");
    assert_int_equal(rp_verify_pair(da, db, &m), RP_OK);
    assert_true(m.score < RP_DEFAULT_MIN_SCORE);
    rp_match_clear(&m);
    rp_doc_free(da);
    rp_doc_free(db);
}

/* A copy in French scores as a copy; French function words alone do not
 * make two unrelated French texts a copy. */
static void test_french_pairs(void **state)
{
    (void)state;
    const char *a = "Le gouvernement a annoncé lundi un plan de relance pour les entreprises "
                    "touchées par la crise. Selon le ministre, les aides seront versées dès le "
                    "mois prochain aux petites et moyennes entreprises de la région. Il a été "
                    "précisé que le dispositif serait évalué à la fin de l'année.";
    const char *b = "Lundi, le gouvernement a annoncé un plan de relance destiné aux entreprises "
                    "touchées par la crise. Les aides seront versées dès le mois prochain aux "
                    "petites et moyennes entreprises de la région, selon le ministre. Le "
                    "dispositif sera évalué à la fin de l'année, a-t-il été précisé.";
    const char *c = "Il a été dit que la pluie de la veille et le vent de la nuit ont eu raison "
                    "de la récolte. Dans la vallée, les vignerons ont fait le compte de leurs "
                    "pertes et il a été décidé de la suite à donner à la saison.";
    rp_match m;
    rp_doc *da = doc_lang(a, NULL), *db = doc_lang(b, NULL), *dc = doc_lang(c, NULL);
    assert_string_equal(rp_doc_lang(da), "fr");
    assert_int_equal(rp_verify_pair(da, db, &m), RP_OK);
    assert_true(m.score >= RP_DEFAULT_MIN_SCORE);
    rp_match_clear(&m);
    assert_int_equal(rp_verify_pair(da, dc, &m), RP_OK);
    assert_true(m.score < RP_DEFAULT_MIN_SCORE);
    rp_match_clear(&m);
    rp_doc_free(da);
    rp_doc_free(db);
    rp_doc_free(dc);
    /* A copy under its page's title and publication stamp (a date and a
     * clock time the copy does not share) is still a copy: a timestamp is
     * not a figure of the story that a template would change. */
    const char *g = "Klaus Meyer war zwölf Jahre lang Bürgermeister. © Anna Berg/dpa\n\n"
                    "Klaus Meyer tritt zurück. Der langjährige Bürgermeister von Kiel nannte am "
                    "Montag seine Gesundheit als Grund, wie die Stadtverwaltung der Deutschen "
                    "Presse-Agentur mitteilte.\n\n"
                    "Im Rathaus wurde die Nachricht mit Bedauern aufgenommen. Ein Nachfolger "
                    "soll im Frühjahr gewählt werden, bis dahin führt seine Stellvertreterin die "
                    "Geschäfte der Stadt.";
    const char *h = "Klaus Meyer tritt zurück 0 08.01.2024 19:16 Nordnews.de (Politik) Klaus "
                    "Meyer tritt zurück. Der langjährige Bürgermeister von Kiel nannte am "
                    "Montag seine Gesundheit als Grund, wie die Stadtverwaltung der Deutschen "
                    "Presse-Agentur mitteilte.";
    assert_true(pair_score(g, h, "de") >= RP_DEFAULT_MIN_SCORE);
    /* A copy that gives the time of day in its readers' time zone ("18.50",
     * a clock time where the decimal mark is a comma) is still a copy. */
    const char *k = "El incendio comenzó en el tejado del viejo mercado de la ciudad este lunes "
                    "y se extendió con rapidez hacia las naves vecinas. Las llamas aparecieron "
                    "sobre las 18.50 hora local, poco después del cierre del mercado, que se "
                    "encontraba en obras de reforma.";
    const char *l = "El incendio comenzó en el tejado del viejo mercado de la ciudad este lunes "
                    "y se extendió con rapidez hacia las naves vecinas. Las llamas aparecieron "
                    "sobre las 13.50 (hora argentina), poco después del cierre del mercado, que "
                    "se encontraba en obras de reforma.";
    assert_true(pair_score(k, l, "es") >= RP_DEFAULT_MIN_SCORE);
    /* Two short reports of one death that share its name, its date and the
     * age (the facts), each in its own words: not a copy. */
    const char *e = "Le chanteur Paul Martin est mort dans la nuit du mardi 5 au mercredi 6 "
                    "décembre à l'âge de 81 ans, a annoncé sa famille. Il avait enregistré plus "
                    "de quarante albums en six décennies de carrière.";
    const char *f = "Paul Martin s'est éteint dans la nuit du mardi 5 au mercredi 6 décembre à "
                    "l'âge de 81 ans. Ses proches évoquent un homme discret, fidèle à sa ville "
                    "natale jusqu'au bout, et un public qui ne l'a jamais quitté.";
    assert_true(pair_score(e, f, "fr") < RP_DEFAULT_MIN_SCORE);
}

/* Issue 12: Chinese and Japanese names are found by their slot (before a
 * title or honorific, an administrative suffix, a bracketed age), and in
 * text without spaces a passage needs a long run copied exactly. Two
 * reports of one death, written independently on one pattern, share the
 * names, the date, the place and the stock clauses broken every few
 * characters (the aligner used to score them 1.0); a copy of the first
 * report's opening shares whole sentences. The texts are made up. */
static void test_cjk_names_passages(void **state)
{
    (void)state;
    const char *a = "元市長の山田太郎氏(72)が3日午後4時10分、心不全のため静岡県浜松市内の病院で"
                    "死去した。山田氏は地元の商店街の再建に長く取り組み、駅前の再開発を進めた。"
                    "市議会の議長を務めた後、1999年に初当選し、3期12年にわたって市政を担った。"
                    "葬儀は近親者で営み、後日お別れの会を開く予定だ。関係者によると、山田氏は先月"
                    "から体調を崩して入院していたという。";
    const char *b = "元市長の山田太郎氏(72)が3日午後、心不全のため静岡県浜松市内の病院で亡くなった"
                    "。山田氏は在任中、地元の商店街の再建に力を注ぎ、駅前の整備を進めた。市議会の"
                    "議長を経て1999年に初当選し、3期12年の間、市政を担った。通夜と葬儀は近親者で"
                    "営み、お別れの会は来月開く。関係者によると、山田氏は昨年から体調を崩し、自宅"
                    "で療養していたという。";
    const char *c = "元市長の山田太郎氏(72)が3日午後4時10分、心不全のため静岡県浜松市内の病院で"
                    "死去した。山田氏は地元の商店街の再建に長く取り組み、駅前の再開発を進めた。"
                    "市議会の議長を務めた後、1999年に初当選し、3期12年にわたって市政を担った。"
                    "地元では人柄を惜しむ声が相次いでいる。";
    rp_doc *d = doc_lang(a, "ja");
    assert_int_equal(name_of(d, "山田"), 1); /* before 太郎氏 and 氏 */
    assert_int_equal(name_of(d, "太郎"), 1);
    assert_int_equal(name_of(d, "静岡"), 1); /* before 県 */
    assert_int_equal(name_of(d, "浜松"), 1); /* before 市内 */
    assert_int_equal(name_of(d, "商店"), 0); /* no slot */
    assert_int_equal(name_of(d, "病院"), 0);
    rp_doc_free(d);
    d = doc_lang("会社員の佐藤花子（54）は、外交部发言人王小明先生と会った。", "ja");
    assert_int_equal(name_of(d, "花子"), 1); /* before an age */
    assert_int_equal(name_of(d, "佐藤"), 1);
    assert_int_equal(name_of(d, "小明"), 1); /* before 先生 */
    rp_doc_free(d);
    d = doc_lang("外交部发言人王小明先生表示，甘肃省临夏州积石山县的救灾工作正在进行。", "zh");
    assert_int_equal(name_of(d, "小明"), 1);
    assert_int_equal(name_of(d, "石山"), 1); /* before 县 */
    assert_int_equal(name_of(d, "救灾"), 0);
    rp_doc_free(d);

    double ab = pair_score(a, b, "ja"), ac = pair_score(a, c, "ja"), bc = pair_score(b, c, "ja");
    printf("  independent %.3f, copy %.3f, copy against the other report %.3f\n", ab, ac, bc);
    assert_true(ab < RP_DEFAULT_MIN_SCORE);
    assert_true(bc < RP_DEFAULT_MIN_SCORE);
    assert_true(ac > 0.6);
}

/* An 80,000-character Chinese text against itself: time linear in its
 * length (printed, never asserted), the whole text one passage. */
static void test_cjk_long(void **state)
{
    (void)state;
    /* Words of two characters from 48 common ones (U+4E00 + k * 97): no
     * sentence repeats, as in real text. */
    rp_buf a = {0};
    uint64_t x = 12345;
    size_t chars = 0;
    while (chars < 80000) {
        for (int w = 0; w < 12; w++) {
            for (int c = 0; c < 2; c++) {
                x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                unsigned cp = 0x4E00 + (unsigned)((x >> 33) % 48) * 97;
                char u[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                             (char)(0x80 | (cp & 0x3F))};
                assert_int_equal(rp_buf_append(&a, u, 3), RP_OK);
                chars++;
            }
        }
        assert_int_equal(rp_buf_append(&a, "\xE3\x80\x82", 3), RP_OK); /* 。 */
        chars++;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rp_match m;
    rp_doc *d1 = NULL, *d2 = NULL;
    assert_int_equal(rp_doc_new(&d1, a.data, a.len, NULL), RP_OK);
    assert_int_equal(rp_doc_new(&d2, a.data, a.len, NULL), RP_OK);
    assert_int_equal(rp_verify_pair(d1, d2, &m), RP_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    rp_doc_free(d1);
    rp_doc_free(d2);
    printf("  compare: %.3f s for a %zu-character Chinese text with itself (score %.3f)\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, chars,
           m.score);
    assert_true(m.jaccard > 0.999);
    rp_match_clear(&m);
    rp_buf_free(&a);
}

/* An 80,000-character Japanese text against itself: kanji compounds,
 * hiragana particles and endings, katakana loanwords, 、 and 。, none of
 * them ASCII. Time printed, never asserted (issue 12: under 0.5 s). */
static void put_cp(rp_buf *a, unsigned cp)
{
    char u[3] = {(char)(0xE0 | (cp >> 12)), (char)(0x80 | ((cp >> 6) & 0x3F)),
                 (char)(0x80 | (cp & 0x3F))};
    assert_int_equal(rp_buf_append(a, u, 3), RP_OK);
}

static void test_ja_long(void **state)
{
    (void)state;
    /* particles and endings: は が を に の で と も した です */
    static const unsigned kana[][3] = {{0x306F},         {0x304C},        {0x3092}, {0x306B},
                                       {0x306E},         {0x3067},        {0x3068}, {0x3082},
                                       {0x3057, 0x305F}, {0x3067, 0x3059}};
    rp_buf a = {0};
    uint64_t x = 6789;
    size_t chars = 0;
    while (chars < 80000) {
        for (int w = 0; w < 10; w++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            if ((x >> 60) < 3) { /* a katakana word of 3-4 letters (ア..ン) */
                int n = 3 + (int)((x >> 40) & 1);
                for (int c = 0; c < n; c++) {
                    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                    put_cp(&a, 0x30A2 + (unsigned)((x >> 33) % 80));
                    chars++;
                }
            } else { /* a kanji compound of two from 64 common ones */
                for (int c = 0; c < 2; c++) {
                    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
                    put_cp(&a, 0x4E00 + (unsigned)((x >> 33) % 64) * 83);
                    chars++;
                }
            }
            const unsigned *k = kana[(x >> 20) % 10];
            for (int c = 0; c < 3 && k[c]; c++) {
                put_cp(&a, k[c]);
                chars++;
            }
            if (w == 4) {
                put_cp(&a, 0x3001); /* 、 */
                chars++;
            }
        }
        put_cp(&a, 0x3002); /* 。 */
        chars++;
    }
    struct timespec t0, t1, c0, c1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    rp_match m;
    rp_doc *d1 = NULL, *d2 = NULL;
    assert_int_equal(rp_doc_new(&d1, a.data, a.len, NULL), RP_OK);
    assert_int_equal(rp_doc_new(&d2, a.data, a.len, NULL), RP_OK);
    assert_int_equal(rp_verify_pair(d1, d2, &m), RP_OK);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("  (identified as %s; %.3f s of CPU)\n", rp_doc_lang(d1),
           (double)(c1.tv_sec - c0.tv_sec) + (double)(c1.tv_nsec - c0.tv_nsec) / 1e9);
    assert_true(rp_doc_words(d1) > 30000);
    rp_doc_free(d1);
    rp_doc_free(d2);
    printf("  compare: %.3f s for a %zu-character Japanese text with itself (score %.3f)\n",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, chars,
           m.score);
    assert_true(m.jaccard > 0.999);
    rp_match_clear(&m);
    rp_buf_free(&a);
}

static void test_speed(void **state)
{
    (void)state;
    rp_buf a = {0}, b = {0};
    uint64_t seed = rng;
    make_article(&a, 800, 900, 0);
    rng = seed; /* the same words, every fourth one replaced */
    make_article(&b, 800, 900, 4);
    rp_doc *da = doc_of(a.data, a.len), *db = doc_of(b.data, b.len);
    rp_match m;
    int reps = 200;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < reps; i++) {
        assert_int_equal(rp_verify_pair(da, db, &m), RP_OK);
        if (i + 1 < reps) rp_match_clear(&m);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double us =
        ((double)(t1.tv_sec - t0.tv_sec) * 1e6 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e3) / reps;
    printf("  verify: %.1f us per pair of 800-word articles (score %.3f, %zu passages)\n", us,
           m.score, m.npassages);
    assert_true(m.score > 0.5);
    rp_match_clear(&m);
    rp_doc_free(da);
    rp_doc_free(db);
    rp_buf_free(&a);
    rp_buf_free(&b);
}

/* The seed index is sorted by (hash, pos) and holds every seed once,
 * whatever the text's size and repetitions: compared with a reference
 * qsort of the same seeds for a short text (insertion sort), a long varied
 * one (bucketed by the top byte) and one repeating a few words hundreds of
 * times (equal hashes fill a bucket: the radix path). */
static int seed_ref_cmp(const void *x, const void *y)
{
    const rp_seed *a = x, *b = y;
    if (a->hash != b->hash) return a->hash < b->hash ? -1 : 1;
    if (a->pos != b->pos) return a->pos < b->pos ? -1 : 1;
    return (a->kind > b->kind) - (a->kind < b->kind);
}

static void test_seed_order(void **state)
{
    (void)state;
    static const char *const words[] = {"market", "the",   "shares", "rose",  "bank",
                                        "of",     "said",  "Monday", "trade", "prices",
                                        "a",      "board", "oil",    "in",    "yen"};
    for (int variant = 0; variant < 3; variant++) {
        rp_buf text = {0};
        uint64_t seed = 7 + (uint64_t)variant;
        size_t nwords = variant == 0 ? 6 : 3000;
        for (size_t i = 0; i < nwords; i++) {
            const char *w = variant == 2
                                ? words[i % 3]
                                : words[((seed = seed * 6364136223846793005ULL + 1) >> 33) % 15];
            char buf[32];
            int len = snprintf(buf, sizeof buf, variant == 1 ? "%s%zu " : "%s ", w, i % 97);
            assert_int_equal(rp_buf_append(&text, buf, (size_t)len), RP_OK);
        }
        rp_doc *d = NULL;
        assert_int_equal(rp_doc_new(&d, text.data, text.len, NULL), RP_OK);
        assert_true(d->nseeds > 0);
        rp_seed *ref = malloc(d->nseeds * sizeof *ref);
        assert_non_null(ref);
        memcpy(ref, d->seeds, d->nseeds * sizeof *ref);
        qsort(ref, d->nseeds, sizeof *ref, seed_ref_cmp);
        for (size_t i = 0; i < d->nseeds; i++) {
            assert_true(d->seeds[i].hash == ref[i].hash);
            assert_int_equal(d->seeds[i].pos, ref[i].pos);
            assert_int_equal(d->seeds[i].kind, ref[i].kind);
            assert_int_equal(d->seeds[i].len, ref[i].len);
        }
        /* Every word starts a single-stem seed if it is a content word. */
        size_t stem1 = 0, content = 0;
        for (size_t i = 0; i < d->nseeds; i++)
            stem1 += d->seeds[i].kind == RP_SEED_STEM1;
        for (size_t i = 0; i < d->nw; i++)
            content += d->wstem[i] != 0;
        assert_int_equal(stem1, content);
        free(ref);
        rp_doc_free(d);
        rp_buf_free(&text);
    }
}

/* Word marks inside a passage: kept, changed (replaced on the other side)
 * and added (no counterpart), covering every word in order. */
static void test_word_marks(void **state)
{
    (void)state;
    const char *a = "The board approved the plan on Tuesday.";
    const char *b = "On Tuesday the board approved a fresh plan.";
    rp_word_mark *ma = NULL, *mb = NULL;
    size_t na = 0, nb = 0;
    assert_int_equal(rp_verify_words(a, strlen(a), b, strlen(b), &ma, &na, &mb, &nb), RP_OK);
    /* a: "The board approved" kept, "the" changed (to "a fresh"), "plan" kept,
     * "on Tuesday" only here (b moved it to the front) */
    char got[256] = "";
    for (size_t i = 0; i < na; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s%d:%.*s", i ? "|" : "", ma[i].kind,
                 (int)(ma[i].end - ma[i].start), a + ma[i].start);
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    assert_string_equal(got, "0:The board approved|1:the|0:plan|2:on Tuesday");
    got[0] = '\0';
    for (size_t i = 0; i < nb; i++) {
        char one[64];
        snprintf(one, sizeof one, "%s%d:%.*s", i ? "|" : "", mb[i].kind,
                 (int)(mb[i].end - mb[i].start), b + mb[i].start);
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    assert_string_equal(got, "2:On Tuesday|0:the board approved|1:a fresh|0:plan");
    free(ma);
    free(mb);
    /* verbatim: one kept run per side; empty sides: no marks */
    assert_int_equal(rp_verify_words(a, strlen(a), a, strlen(a), &ma, &na, &mb, &nb), RP_OK);
    assert_int_equal(na, 1);
    assert_int_equal(nb, 1);
    assert_int_equal(ma[0].kind, RP_WORD_KEPT);
    assert_int_equal(ma[0].end, strlen(a) - 1);
    free(ma);
    free(mb);
    assert_int_equal(rp_verify_words("", 0, b, strlen(b), &ma, &na, &mb, &nb), RP_OK);
    assert_int_equal(na, 0);
    assert_int_equal(nb, 1);
    assert_int_equal(mb[0].kind, RP_WORD_ADDED);
    free(ma);
    free(mb);
    assert_int_equal(rp_verify_words(NULL, 3, b, strlen(b), &ma, &na, &mb, &nb), RP_ARG);
}

/* Two matches agree in every field and passage. */
static void same_match(const char *what, const rp_match *x, const rp_match *y)
{
    if (x->score != y->score || x->jaccard != y->jaccard || x->cont_a_in_b != y->cont_a_in_b ||
        x->cont_b_in_a != y->cont_b_in_a || x->words_copied != y->words_copied ||
        x->prose_words != y->prose_words || x->evidence != y->evidence || x->facts != y->facts ||
        x->facts_kept != y->facts_kept || x->slots_same != y->slots_same ||
        x->slots_changed != y->slots_changed || x->direction != y->direction ||
        x->limits != y->limits || x->npassages != y->npassages)
        fail_msg("%s: matches differ (score %.6f vs %.6f, passages %zu vs %zu)", what, x->score,
                 y->score, x->npassages, y->npassages);
    for (size_t k = 0; k < x->npassages; k++)
        if (memcmp(&x->passages[k], &y->passages[k], sizeof x->passages[k]) != 0)
            fail_msg("%s: passage %zu differs", what, k);
}

/* The golden pairs' texts, a and b sides in turn; returns the count. */
static size_t golden_texts(char **txt, size_t *len, size_t max)
{
    char path[512];
    snprintf(path, sizeof path, "%s/scores.tsv", golden_dir());
    size_t tlen, n = 0;
    char *tsv = slurp(path, &tlen);
    if (!tsv) fail_msg("cannot read %s", path);
    for (char *line = strtok(tsv, "\n"); line && n + 2 <= max; line = strtok(NULL, "\n")) {
        char name[128];
        double lo, hi;
        if (line[0] == '#' || sscanf(line, "%127s %lf %lf", name, &lo, &hi) != 3) continue;
        txt[n] = golden(name, "a", &len[n]);
        n++;
        txt[n] = golden(name, "b", &len[n]);
        n++;
    }
    free(tsv);
    return n;
}

/* Docs cut from an arena are the docs rp_doc_new makes: the same words,
 * seeds and shingles, the same match against every other doc; a freed
 * block is taken again by the next doc of its size. */
static void test_arena_docs(void **state)
{
    (void)state;
    char *txt[64];
    size_t len[64];
    size_t n = golden_texts(txt, len, 64);
    assert_true(n >= 12);
    rp_docarena *ar = NULL;
    assert_int_equal(rp_docarena_new(&ar), RP_OK);
    rp_doc *plain[64], *in[64];
    for (size_t i = 0; i < n; i++) {
        plain[i] = doc_of(txt[i], len[i]);
        assert_int_equal(rp_doc_new_in(ar, &in[i], txt[i], len[i], NULL), RP_OK);
        assert_non_null(in[i]);
        const rp_doc *x = plain[i], *y = in[i];
        assert_int_equal(x->nw, y->nw);
        assert_int_equal(x->nseeds, y->nseeds);
        assert_int_equal(x->nset, y->nset);
        assert_int_equal(x->toks.n, y->toks.n);
        for (size_t k = 0; k < x->nseeds; k++) { /* field by field: rp_seed has padding */
            assert_true(x->seeds[k].hash == y->seeds[k].hash);
            assert_int_equal(x->seeds[k].pos, y->seeds[k].pos);
            assert_int_equal(x->seeds[k].len, y->seeds[k].len);
            assert_int_equal(x->seeds[k].kind, y->seeds[k].kind);
        }
        assert_memory_equal(x->set, y->set, x->nset * sizeof *x->set);
        assert_memory_equal(x->wstem, y->wstem, x->nw * sizeof *x->wstem);
        assert_memory_equal(x->wsent, y->wsent, x->nw);
    }
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j) continue;
            rp_match m, r;
            assert_int_equal(rp_verify_pair(plain[i], plain[j], &m), RP_OK);
            assert_int_equal(rp_verify_pair(in[i], in[j], &r), RP_OK);
            same_match("arena doc", &m, &r);
            rp_match_clear(&m);
            rp_match_clear(&r);
        }
    /* the block of a freed doc goes to the next doc of the same text */
    rp_doc *old = in[3];
    rp_doc_free(in[3]);
    assert_int_equal(rp_doc_new_in(ar, &in[3], txt[3], len[3], NULL), RP_OK);
    assert_ptr_equal(in[3], old);
    for (size_t i = 0; i < n; i++) {
        rp_doc_free(plain[i]);
        rp_doc_free(in[i]);
        free(txt[i]);
    }
    rp_docarena_free(ar);
    rp_docarena_free(NULL);
}

static int cmp_u64_test(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return (a > b) - (a < b);
}

/* The scratch sort of hash sets against qsort: uniform values, many
 * sharing a top byte (the radix path of a long bucket), repeats. */
static void test_vsort(void **state)
{
    (void)state;
    size_t sizes[] = {0, 1, 2, 31, 32, 33, 200, 5000};
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (int kind = 0; kind < 3; kind++) {
            size_t m = sizes[si];
            uint64_t *v = malloc((m + 1) * sizeof *v), *w = malloc((m + 1) * sizeof *w),
                     *tmp = malloc((m + 1) * sizeof *tmp);
            assert_true(v && w && tmp);
            for (size_t i = 0; i < m; i++) {
                x ^= x << 13, x ^= x >> 7, x ^= x << 17;
                v[i] = kind == 0 ? x : kind == 1 ? (0xABULL << 56) | (x >> 20) : (x % 7) << 3;
            }
            memcpy(w, v, m * sizeof *v);
            rp_vsort_u64(v, tmp, m);
            if (m) qsort(w, m, sizeof *w, cmp_u64_test);
            if (m) assert_memory_equal(v, w, m * sizeof *v);
            free(v);
            free(w);
            free(tmp);
        }
}

/* Page furniture (furniture.c): which lines of a scraped page are photo
 * captions, credit lines and stamps. One letter per line: F marked, - not. */
static void furniture_pattern(const char *text, char *out, size_t size)
{
    rp_tokens t = {0};
    assert_int_equal(rp_shingle_tokenize(text, strlen(text), &t, 0), RP_OK);
    rp_furniture_mark(text, strlen(text), &t);
    size_t line = 0, k = 0, o = 0;
    for (size_t i = 0; i <= strlen(text); i++) {
        if (text[i] != '\n' && text[i] != '\0') continue;
        int any = 0, marked = 0;
        for (; k < t.n && t.v[k].start < i; k++) {
            any = 1;
            marked |= (t.v[k].flags & RP_TOK_FURNITURE) != 0;
        }
        if (any && o + 1 < size) out[o++] = marked ? 'F' : '-';
        line++;
    }
    out[o] = '\0';
    rp_tokens_free(&t);
}

static void test_furniture_lines(void **state)
{
    (void)state;
    const char *page =
        "Watch\n"
        "Mayors agree on a shared tram line for the valley\n"
        "Lena Ortiz/AP\n"
        "Commuters wait at the old depot in Ravensburg, Germany, on Monday, May 6, 2024. "
        "(AP Photo/Lena Ortiz)\n"
        "Posted at 9:12 AM, May 07, 2024\n"
        "RAVENSBURG, Germany (AP) - The mayors of four towns agreed on Tuesday to build a "
        "shared tram line through the valley, ending a decade of quarrels over its route.\n"
        "Crowds gather outside the town hall as the vote is read out.\n"
        "REUTERS/Jan Weber/Pool\n"
        "The plan, which the regional council must still approve, puts the first stop "
        "beside the old depot, an official told the AP.\n"
        "Shares of Getty Images fell on the news, a trader said in Frankfurt.\n";
    char got[64];
    furniture_pattern(page, got, sizeof got);
    /* the headline, the datelined lede ("(AP)" is not a credit), the story
     * paragraphs ("told the AP.", a company named Getty Images) stay; the
     * credit lines, the captions before or around them and the stamp go */
    assert_string_equal(got, "--FFF-FF--");
    /* a credit line with nothing before it marks only itself */
    furniture_pattern("(AP Photo)\nThe valley votes again next spring.\n", got, sizeof got);
    assert_string_equal(got, "F-");
}

/* A story carried on a page with a photo gallery: the captions that the
 * other article does not share are not part of the page's length, the
 * captions of one photo that both pages ran are no sign of copying, and a
 * gallery that tells the story itself in its captions still counts. */
/* Two briefs that tell the same fact each in its own words share a loose
 * passage of names, figures and the verb; a short copy is word for word. */
static void test_short_loose(void **state)
{
    (void)state;
    const char *a = "The folk singer Maria Lindqvist has died at home in Uppsala, aged 81. "
                    "Lindqvist's cause of death was a rare illness of the heart. Fans left "
                    "flowers outside the concert hall where she sang for forty years.\n";
    const char *b = "Maria Lindqvist has died at her home in Uppsala, her agent said. The cause "
                    "of death was a rare illness of her heart. Radio stations played her songs "
                    "all evening.\n";
    rp_match m;
    compare(a, strlen(a), b, strlen(b), &m);
    assert_true(m.score == 0.0);
    rp_match_clear(&m);
}

/* Two reports of one death that share a biography sentence, told loosely
 * (25 copied words, a third of the shorter report, little prose word for
 * word, few shared shingles): shared facts, scored 0 by the evidence model.
 * A brief made of two of the story's sentences word for word is a copy. */
static void test_evidence_model(void **state)
{
    (void)state;
    const char *story =
        "Former mayor Anton Kessler dies at 88\n\n"
        "Anton Kessler, who led the port city of Velmar for three terms and later served as "
        "minister of transport, died on Sunday at a hospital in the capital, his family said. "
        "Born in Velmar on 12 March 1936, he was a leading figure of the Labour party, speaker "
        "of the regional assembly and minister of transport (elected for two terms) before he "
        "retired in 2004. The current mayor ordered flags on public buildings to fly at half "
        "mast until the funeral. Residents left candles at the harbour gate that he had rebuilt "
        "after the storm of 1979, and the city's football club will hold a minute of silence "
        "before its match on Saturday.\n";
    const char *other =
        "Velmar mourns Kessler\n\n"
        "The city of Velmar is in mourning after Anton Kessler died aged 88. Born in the city "
        "on 12 March 1936, Kessler was for decades a leading figure of the Labour party there, "
        "then speaker of the assembly and minister of transport. Tributes came from every "
        "party, and the unions recalled the dock strike he settled in 1983. His widow asked "
        "for donations to the sailors' hospital instead of flowers.\n";
    const char *brief =
        "Velmar: ex-mayor Kessler dead\n\n"
        "Anton Kessler, who led the port city of Velmar for three terms and later served as "
        "minister of transport, died on Sunday at a hospital in the capital, his family said. "
        "The current mayor ordered flags on public buildings to fly at half mast until the "
        "funeral.\n";
    rp_match m;
    compare(story, strlen(story), other, strlen(other), &m);
    assert_int_equal(m.npassages, 1); /* the sentence aligns ... */
    assert_true(m.words_copied >= 20);
    assert_true(m.score == 0.0); /* ... and is no evidence of copying */
    rp_match_clear(&m);
    compare(story, strlen(story), brief, strlen(brief), &m);
    assert_true(m.score >= 0.9);
    rp_match_clear(&m);
}

/* A page that carries one line of a story twice (a blog repeating its
 * only sentence, a pull quote) has copied that line once: the story's
 * words back one word of the page each. */
static void test_repeated_line(void **state)
{
    (void)state;
    const char *line = "The harbour board of Velmar voted on Tuesday to close the old ferry pier "
                       "for two years while engineers rebuild its rotten timber piles.\n";
    char page[1024];
    snprintf(page, sizeof page, "%s\n%s\nMore on this story later today, readers say.\n", line,
             line);
    const char *story =
        "The harbour board of Velmar voted on Tuesday to close the old ferry pier for two years "
        "while engineers rebuild its rotten timber piles. Ferries will use the north quay in "
        "the meantime, and the board promised a shuttle bus for foot passengers. Traders on "
        "the pier said the closure would cost them the summer season.\n";
    rp_match m;
    compare(page, strlen(page), story, strlen(story), &m);
    assert_int_equal(m.npassages, 2);            /* both copies of the line align ... */
    assert_true(m.score > 0.3 && m.score < 0.6); /* ... and count once */
    rp_match_clear(&m);
}

/* An agency's alert in figures against its story in words (English). */
static void test_number_words(void **state)
{
    (void)state;
    const char *alert =
        "HARBOUR CITY (AP) - Police in the port city say 6 near simultaneous blasts "
        "hit 3 churches and 3 hotels popular with foreign visitors.\n";
    const char *story =
        "HARBOUR CITY (AP) - Police in the port city say six near simultaneous blasts have hit "
        "three churches and three hotels popular with foreign visitors on a holiday morning. "
        "The police say the explosions caused many deaths among worshippers and hotel guests, "
        "and that they suspect two of the blasts were carried out by suicide bombers. The "
        "other churches are in towns north and east of the city. A curfew was ordered for the "
        "night and the main roads to the airport were closed by the army.\n";
    rp_match m;
    compare(alert, strlen(alert), story, strlen(story), &m);
    assert_true(m.score >= RP_DEFAULT_MIN_SCORE);
    assert_int_equal(m.npassages, 1);
    assert_true(m.words_copied >= 18); /* "say 6 ... visitors" in one passage */
    rp_match_clear(&m);
}

static void test_furniture_scores(void **state)
{
    (void)state;
    const char *story =
        "The mayors of four towns agreed on Tuesday to build a shared tram line through the "
        "valley, ending a decade of quarrels over its route and its cost. The line will run "
        "from the old depot in Ravensburg to the lake, with eleven stops, and the first trams "
        "are due in three years. The regional council must still approve the plan, which "
        "puts most of the bill on the two largest towns. Opponents in the smallest town said "
        "they would take the matter to court, arguing that the route cuts through a protected "
        "meadow where rare orchids grow. The mayor of the lake town said the line would bring "
        "visitors all year round rather than only in summer, and that the meadow would be "
        "crossed on a bridge that leaves the ground untouched.\n";
    const char *gallery =
        "Commuters wait at the depot in Ravensburg, Germany, on Monday, May 6, 2024, where "
        "trains have not stopped since the old branch line closed in the nineteen seventies "
        "and the platform is now used as a weekend flea market. (AP Photo/Lena Ortiz)\n"
        "A cyclist rides along the lake shore path near the planned last stop of the line, "
        "on Monday, May 6, 2024, as fishing boats return to the small harbour in the "
        "evening light. (AP Photo/Lena Ortiz)\n"
        "Orchids bloom in the meadow that opponents of the route want to protect, outside "
        "the smallest of the four towns, on Sunday, May 5, 2024. (AP Photo/Lena Ortiz)\n";
    const char *lede =
        "The mayors of four towns agreed on Tuesday to build a shared tram line through the "
        "valley, ending a decade of quarrels over its route and its cost. The line will run "
        "from the old depot in Ravensburg to the lake, with eleven stops, and the first trams "
        "are due in three years.\n";
    char page[4096];
    snprintf(page, sizeof page, "%s%s", gallery, lede);
    rp_match m;
    compare(story, strlen(story), page, strlen(page), &m);
    assert_true(m.score > 0.95); /* the page's story is all copied */
    rp_match_clear(&m);

    /* two different stories that ran the same photo */
    const char *other =
        "Farmers in the valley said on Wednesday that the dry spring had halved the first "
        "cut of hay, and asked the regional council for help with feed before the winter. "
        "The council said it would decide next month, after a survey of the worst hit farms "
        "in the upper valley, where some wells have already run dry and cattle are being "
        "sold early at low prices.\n";
    char p1[4096], p2[4096];
    snprintf(p1, sizeof p1, "%s%s", gallery, other);
    snprintf(p2, sizeof p2, "%s%s", gallery, story);
    compare(p1, strlen(p1), p2, strlen(p2), &m);
    assert_true(m.score < 0.05);
    rp_match_clear(&m);

    /* the story told in the captions of a gallery, one paragraph a photo */
    const char *told =
        "The mayors of four towns agreed on Tuesday to build a shared tram line through the "
        "valley, ending a decade of quarrels over its route and its cost. (AP Photo)\n"
        "The line will run from the old depot in Ravensburg to the lake, with eleven stops, "
        "and the first trams are due in three years. (AP Photo)\n"
        "The regional council must still approve the plan, which puts most of the bill on "
        "the two largest towns. (Reuters Photo)\n";
    compare(story, strlen(story), told, strlen(told), &m);
    assert_true(m.score > 0.95);
    rp_match_clear(&m);
}

/* One desk's eurobond notice filled twice: the same words, another issuer,
 * amount, coupon, maturity and price. Enough of the facts recur (the lead
 * manager, the listing, the fees) and enough prose is copied that the
 * share of facts kept alone does not call it a template; the slots do. A
 * copy that keeps the facts, with a sentence dropped and a word changed,
 * holds the same value in every slot. Texts written for this test. */
static void test_template_slots(void **state)
{
    (void)state;
    const char *a =
        "Nordvik Kraft is issuing a 150 mln dlr eurobond due March 1994 paying 7-3/8 pct and "
        "priced at 101-1/4, lead manager Halden Securities said.\n\n"
        "The non-callable bond will be available in denominations of 5,000 dlrs and will be "
        "listed in Luxembourg. The selling concession is 1-1/4 pct while management and "
        "underwriting combined pays 5/8 pct.\n\n"
        "Payment is due on April 2 and the bonds may be sold in the United States only after "
        "a seasoning period of 90 days, the lead manager added.\n";
    const char *b =
        "Ostberg Marine is issuing a 200 mln dlr eurobond due June 1996 paying 8-1/8 pct and "
        "priced at 100-3/4, lead manager Halden Securities said.\n\n"
        "The non-callable bond will be available in denominations of 5,000 dlrs and will be "
        "listed in Luxembourg. The selling concession is 1-1/4 pct while management and "
        "underwriting combined pays 5/8 pct.\n\n"
        "Payment is due on April 2 and the bonds may be sold in the United States only after "
        "a seasoning period of 90 days, the lead manager added.\n";
    const char *copy =
        "Nordvik Kraft is issuing a 150 mln dlr eurobond due March 1994 paying 7-3/8 pct and "
        "priced at 101-1/4, lead manager Halden Securities said on Tuesday.\n\n"
        "The non-callable bond will be offered in denominations of 5,000 dlrs and will be "
        "listed in Luxembourg. The selling concession is 1-1/4 pct while management and "
        "underwriting combined pays 5/8 pct.\n";
    rp_match m;
    compare(a, strlen(a), b, strlen(b), &m);
    size_t slots = m.slots_same + m.slots_changed;
    assert_true(m.score >= RP_TEMPLATE_FULL);
    assert_true(slots >= RP_TEMPLATE_SLOTS);
    assert_true(m.slots_changed >= 4); /* amount, maturity, coupon, price */
    /* the facts kept and the copied prose alone let the pair through */
    assert_true(m.facts >= 2);
    assert_true((double)m.facts_kept >= RP_TEMPLATE_KEPT_PROSE * (double)m.facts);
    assert_true(m.prose_words >= RP_TEMPLATE_PROSE);
    assert_true(rp_match_template(&m));
    rp_match_clear(&m);

    compare(a, strlen(a), copy, strlen(copy), &m);
    assert_true(m.score >= RP_TEMPLATE_FULL);
    assert_true(m.slots_same >= RP_TEMPLATE_SLOTS);
    assert_int_equal(m.slots_changed, 0);
    assert_false(rp_match_template(&m));
    rp_match_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quotes),
        cmocka_unit_test(test_embeds),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_doc_counts),
        cmocka_unit_test(test_seed_order), /* doc.c's seed sort */
        cmocka_unit_test(test_identical),
        cmocka_unit_test(test_unrelated),
        cmocka_unit_test(test_synonym_copy),
        cmocka_unit_test(test_independent_quotes),
        cmocka_unit_test(test_wrapped_copy),
        cmocka_unit_test(test_quoted_tie),
        cmocka_unit_test(test_no_overlapping_passages),
        cmocka_unit_test(test_sentence_flood),
        cmocka_unit_test(test_mt_rewrite),
        cmocka_unit_test(test_golden),
        cmocka_unit_test(test_seed_page),
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_french_pairs),
        cmocka_unit_test(test_chinese_pairs),
        cmocka_unit_test(test_cjk_names_passages),
        cmocka_unit_test(test_cjk_long),
        cmocka_unit_test(test_ja_long),
        cmocka_unit_test(test_speed),
        cmocka_unit_test(test_word_marks),
        cmocka_unit_test(test_furniture_lines),
        cmocka_unit_test(test_furniture_scores),
        cmocka_unit_test(test_number_words),
        cmocka_unit_test(test_short_loose),
        cmocka_unit_test(test_evidence_model),
        cmocka_unit_test(test_repeated_line),
        cmocka_unit_test(test_template_slots),
        cmocka_unit_test(test_arena_docs),
        cmocka_unit_test(test_vsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
