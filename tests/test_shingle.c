/* test_shingle.c: normalisation, tokens, stems, stopwords, shingles, sets. */
#include <pthread.h>
#include <stdio.h>

#include <xxhash.h>

#include "tests/testutil.h"

static uint64_t h(const char *s)
{
    return XXH3_64bits(s, strlen(s));
}

static void tok(const char *s, rp_tokens *t)
{
    assert_int_equal(rp_shingle_tokenize(s, strlen(s), t, 0), RP_OK);
}

/* The token's span in the original text. */
static void span_is(const char *text, const rp_token *t, const char *want)
{
    assert_int_equal(t->end - t->start, strlen(want));
    assert_memory_equal(text + t->start, want, strlen(want));
}

static void test_typographic(void **state)
{
    (void)state;
    const char *s = "Don\xE2\x80\x99t stop \xE2\x80\x94 the U.S. said \xE2\x80\x9Cyes\xE2\x80\x9D";
    rp_tokens t = {0};
    tok(s, &t);
    assert_int_equal(t.n, 6);
    span_is(s, &t.v[0], "Don\xE2\x80\x99t");
    span_is(s, &t.v[1], "stop");
    span_is(s, &t.v[2], "the");
    span_is(s, &t.v[3], "U.S.");
    span_is(s, &t.v[4], "said");
    span_is(s, &t.v[5], "yes");
    assert_true(t.v[0].hash == h("don't")); /* ’ folds to ' */
    assert_true(t.v[3].hash == h("u.s."));
    assert_true(t.v[3].hash != h("us"));
    assert_true(t.v[5].hash == h("yes"));
    assert_true(t.v[0].flags & RP_TOK_STOP);
    assert_true(t.v[2].flags & RP_TOK_STOP);
    assert_false(t.v[1].flags & RP_TOK_STOP);
    assert_false(t.v[3].flags & RP_TOK_STOP);

    /* The same sentence typed in ASCII hashes the same, token by token. */
    rp_tokens a = {0};
    tok("don't STOP - the U.S. said \"yes\"", &a);
    assert_int_equal(a.n, t.n);
    for (size_t i = 0; i < a.n; i++) {
        assert_true(a.v[i].hash == t.v[i].hash);
        assert_true(a.v[i].stem == t.v[i].stem);
    }
    /* Other apostrophes and hyphens fold too; the em dash separates. */
    tok("don\xC2\xB4t don`t well\xE2\x80\x90known well-known stop\xE2\x80\x94the", &a);
    assert_int_equal(a.n, 6);
    assert_true(a.v[0].hash == h("don't"));
    assert_true(a.v[1].hash == h("don't"));
    assert_true(a.v[2].hash == h("well-known"));
    assert_true(a.v[3].hash == h("well-known"));
    assert_true(a.v[4].hash == h("stop"));
    assert_true(a.v[5].hash == h("the"));
    /* Leading/trailing apostrophes and hyphens are not part of tokens. */
    tok("'quoted' -dash- rock'n'roll", &a);
    assert_int_equal(a.n, 3);
    assert_true(a.v[0].hash == h("quoted"));
    assert_true(a.v[1].hash == h("dash"));
    assert_true(a.v[2].hash == h("rock'n'roll"));
    rp_tokens_free(&a);
    rp_tokens_free(&t);
}

static void test_nfkc_casefold(void **state)
{
    (void)state;
    rp_tokens t = {0};
    /* fi ligature, fullwidth letters, Straße/STRASSE, composed vs decomposed é,
     * a soft hyphen inside a word. */
    const char *s = "\xEF\xAC\x81ne \xEF\xBC\xA1\xEF\xBC\xA2\xEF\xBC\xA3 Stra\xC3\x9F"
                    "e STRASSE caf\xC3\xA9 cafe\xCC\x81 syn\xC2\xAD"
                    "dicated";
    tok(s, &t);
    assert_int_equal(t.n, 7);
    assert_true(t.v[0].hash == h("fine"));
    span_is(s, &t.v[0], "\xEF\xAC\x81ne");
    assert_true(t.v[1].hash == h("abc"));
    assert_true(t.v[2].hash == h("strasse"));
    assert_true(t.v[3].hash == h("strasse"));
    assert_true(t.v[4].hash == h("caf\xC3\xA9"));
    assert_true(t.v[5].hash == h("caf\xC3\xA9"));
    assert_true(t.v[6].hash == h("syndicated"));
    span_is(s, &t.v[6],
            "syn\xC2\xAD"
            "dicated");
    rp_tokens_free(&t);
}

static void test_nospace_scripts(void **state)
{
    (void)state;
    rp_tokens t = {0};
    /* Chinese, Japanese (kanji + hiragana + katakana), Thai, then Latin:
     * words by ICU's dictionaries, not one token per character. */
    const char *s = "\xE4\xB8\xAD\xE6\x96\x87 \xE6\x97\xA5\xE6\x9C\xAC\xE3\x81\xAE\xE3\x82\xAB"
                    "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2news";
    tok(s, &t);
    assert_int_equal(t.n, 6);
    for (size_t i = 0; i < 5; i++) {
        assert_true(t.v[i].flags & RP_TOK_CJK);
        assert_true(t.v[i].stem == t.v[i].hash);
    }
    span_is(s, &t.v[0], "\xE4\xB8\xAD\xE6\x96\x87"); /* 中文 */
    assert_true(t.v[0].hash == h("\xE4\xB8\xAD\xE6\x96\x87"));
    span_is(s, &t.v[1], "\xE6\x97\xA5\xE6\x9C\xAC");                         /* 日本 */
    span_is(s, &t.v[2], "\xE3\x81\xAE");                                     /* の */
    span_is(s, &t.v[4], "\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2"); /* ภาษา, one word */
    assert_false(t.v[5].flags & RP_TOK_CJK);
    assert_true(t.v[5].hash == h("news"));
    rp_tokens_free(&t);
}

static void tokl(const char *s, const char *lang, rp_tokens *t)
{
    assert_int_equal(rp_shingle_tokenize_lang(s, strlen(s), lang, t, 0), RP_OK);
}

/* The token whose span is w, or NULL. */
static const rp_token *find(const char *s, const rp_tokens *t, const char *w)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].end - t->v[i].start == strlen(w) && !memcmp(s + t->v[i].start, w, strlen(w)))
            return &t->v[i];
    return NULL;
}

static void test_languages(void **state)
{
    (void)state;
    rp_tokens t = {0}, u = {0};
    /* English: rp_shingle_tokenize is the English rules, "en" and "und" too. */
    const char *en = "The ministers' 1,000.5 tonnes weren't shipped to the U.S. ports.";
    tok(en, &t);
    tokl(en, "en", &u);
    assert_int_equal(t.n, u.n);
    for (size_t i = 0; i < t.n; i++) {
        assert_true(t.v[i].hash == u.v[i].hash && t.v[i].stem == u.v[i].stem);
        assert_int_equal(t.v[i].flags, u.v[i].flags);
    }
    assert_true(find(en, &t, "1,000.5")->hash == h("1,000.5")); /* English numbers as written */

    /* French: elided articles split off, French stems and stopwords. */
    const char *fr = "L'accord des présidents a été signé ; un accord du président.";
    tokl(fr, "fr", &t);
    const rp_token *l = find(fr, &t, "L'");
    assert_non_null(l);
    assert_true(l->flags & RP_TOK_STOP);
    assert_true(find(fr, &t, "accord")->hash == h("accord"));
    assert_true(find(fr, &t, "a")->flags & RP_TOK_STOP);
    assert_true(find(fr, &t, "été")->flags & RP_TOK_STOP);
    assert_true(find(fr, &t, "présidents")->stem == find(fr, &t, "président")->stem);
    assert_false(find(fr, &t, "signé")->flags & RP_TOK_STOP);
    /* The English rules keep "l'accord" whole and "a" is a stopword there. */
    tok(fr, &u);
    assert_non_null(find(fr, &u, "L'accord"));

    /* Numbers in one form. */
    const char *de = "Es kostet 1.000,5 Euro, sagte er.";
    tokl(de, "de", &t);
    const rp_token *n = find(de, &t, "1.000,5");
    assert_true(n->hash == h("1000.5") && (n->flags & RP_TOK_NUM));
    const char *ar = "\xD9\xA1\xD9\xA2\xD9\xA3 \xD9\x83\xD9\x8A\xD9\x84\xD9\x88"; /* ١٢٣ كيلو */
    tokl(ar, "ar", &t);
    assert_true(t.v[0].hash == h("123") && (t.v[0].flags & RP_TOK_NUM));
    tok(ar, &u); /* digits of any script, in any language */
    assert_true(u.v[0].hash == h("123"));
    const char *zh = "\xE4\xB8\x80\xE7\x99\xBE\xE5\x90\x8D\xE4\xBB\xA3\xE8\xA1\xA8"
                     "\xE5\x87\xBA\xE5\xB8\xAD\xE4\xBA\x8C\xE3\x80\x87\xE4\xBA\x8C"
                     "\xE5\x9B\x9B\xE5\xB9\xB4"; /* 一百名代表出席二〇二四年 */
    tokl(zh, "zh", &t);
    n = find(zh, &t, "\xE4\xB8\x80\xE7\x99\xBE"); /* 一百 */
    assert_non_null(n);
    assert_true(n->hash == h("100") && (n->flags & RP_TOK_NUM));
    n = find(zh, &t, "\xE4\xBA\x8C\xE3\x80\x87\xE4\xBA\x8C\xE5\x9B\x9B"); /* 二〇二四 */
    assert_non_null(n);
    assert_true(n->hash == h("2024"));
    /* Chinese function words are stopwords in Chinese. */
    const char *zs =
        "\xE6\x88\x91\xE4\xBB\xAC\xE7\x9A\x84\xE5\x9B\xBD\xE5\xAE\xB6"; /* 我们的国家 */
    tokl(zs, "zh", &t);
    assert_true(find(zs, &t, "\xE7\x9A\x84")->flags & RP_TOK_STOP); /* 的 */
    assert_false(find(zs, &t, "\xE5\x9B\xBD\xE5\xAE\xB6")->flags & RP_TOK_STOP);
    /* Traditional and simplified Chinese: one word, one hash. A notice
     * that a Hong Kong site converted shares the mainland text's tokens,
     * and a traditional function word is the simplified stopword. */
    const char *tw = "江澤民同志治喪委員會公告:我們的國家";
    const char *cn = "江泽民同志治丧委员会公告:我们的国家";
    tokl(tw, "zh", &t);
    tokl(cn, "zh", &u);
    assert_int_equal(t.n, u.n);
    for (size_t i = 0; i < t.n; i++)
        assert_true(t.v[i].hash == u.v[i].hash && t.v[i].stem == u.v[i].stem);
    assert_true(find(tw, &t, "我們")->flags & RP_TOK_STOP);
    assert_non_null(find(tw, &t, "治喪委員會")); /* spans stay those of the text */
    tok(tw, &t);                                 /* a text of unknown language folds too */
    assert_true(find(tw, &t, "治喪委員會")->hash == find(cn, &u, "治丧委员会")->hash);
    /* Japanese kanji are not Chinese characters of either kind: 會 and 会
     * stay apart in Japanese. */
    tokl("會", "ja", &t);
    tokl("会", "ja", &u);
    assert_true(t.n == 1 && u.n == 1 && t.v[0].hash != u.v[0].hash);
    /* A language without a Snowball stemmer keeps its forms as stems. */
    const char *pl = "Ministrowie podpisali umowy";
    tokl(pl, "pl", &t);
    for (size_t i = 0; i < t.n; i++)
        assert_true(t.v[i].stem == t.v[i].hash && !(t.v[i].flags & RP_TOK_STOP));
    rp_tokens_free(&t);
    rp_tokens_free(&u);
}

static void test_numbers_and_offsets(void **state)
{
    (void)state;
    rp_tokens t = {0};
    const char *s = "  In 2021, 1,000 people paid $3.50 (covid-19). Ends.";
    tok(s, &t);
    assert_int_equal(t.n, 8);
    span_is(s, &t.v[0], "In");
    span_is(s, &t.v[1], "2021");
    span_is(s, &t.v[2], "1,000");
    span_is(s, &t.v[5], "3.50");
    span_is(s, &t.v[6], "covid-19");
    span_is(s, &t.v[7], "Ends");
    assert_true(t.v[1].stem == t.v[1].hash); /* numbers: stem is hash */
    assert_true(t.v[2].stem == t.v[2].hash);
    assert_false(t.v[1].flags & RP_TOK_STOP);
    /* max_tokens stops early; a new call clears the previous tokens. */
    assert_int_equal(rp_shingle_tokenize(s, strlen(s), &t, 3), RP_OK);
    assert_int_equal(t.n, 3);
    assert_int_equal(rp_shingle_tokenize("", 0, &t, 0), RP_OK);
    assert_int_equal(t.n, 0);
    assert_int_equal(rp_shingle_tokenize(NULL, 5, &t, 0), RP_ARG);
    /* Ill-formed bytes separate tokens and never crash. */
    tok("ab\xFF\xC3x\xE2\x80yz", &t);
    assert_int_equal(t.n, 3);
    rp_tokens_free(&t);
    rp_tokens_free(NULL);
}

static void test_stems_stopwords(void **state)
{
    (void)state;
    rp_tokens t = {0};
    tok("run running runs Running walked walking the THE and of", &t);
    assert_int_equal(t.n, 10);
    assert_true(t.v[1].stem == t.v[0].stem);
    assert_true(t.v[2].stem == t.v[0].stem);
    assert_true(t.v[3].stem == t.v[0].stem);
    assert_true(t.v[1].hash != t.v[0].hash);
    assert_true(t.v[4].stem == t.v[5].stem);
    assert_true(t.v[0].stem != t.v[4].stem);
    assert_true(t.v[0].stem == h("run"));
    for (size_t i = 0; i < 6; i++)
        assert_false(t.v[i].flags & RP_TOK_STOP);
    for (size_t i = 6; i < 10; i++)
        assert_true(t.v[i].flags & RP_TOK_STOP);
    rp_tokens_free(&t);
}

static void *thread_stems(void *arg)
{
    uint64_t *out = arg;
    rp_tokens t = {0};
    for (int i = 0; i < 200; i++) {
        if (rp_shingle_tokenize("jumping foxes quickly", 21, &t, 0) != RP_OK || t.n != 3) break;
        out[0] = t.v[0].stem;
        out[1] = t.v[1].stem;
    }
    rp_tokens_free(&t);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    uint64_t r[4][2] = {{0}};
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&th[i], NULL, thread_stems, r[i]), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 4; i++) {
        assert_true(r[i][0] == h("jump"));
        assert_true(r[i][1] == h("fox"));
    }
}

static void test_shingle_counts(void **state)
{
    (void)state;
    rp_tokens t = {0};
    tok("the quick brown fox jumps over the lazy dog", &t); /* 9 tokens, 3 stopwords */
    uint64_t out[16];
    uint32_t pos[16];
    size_t n = 0;
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 3, out, pos, &n), RP_OK);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(pos[i], i);
    uint64_t three[3] = {t.v[0].hash, t.v[1].hash, t.v[2].hash};
    assert_true(out[0] == XXH3_64bits(three, sizeof three));
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_STEMS, 2, out, pos, &n), RP_OK);
    assert_int_equal(n, 5); /* quick brown fox jump lazy dog */
    assert_int_equal(pos[0], 1);
    assert_int_equal(pos[4], 7);
    /* Same stems in a different inflection give the same stem shingles. */
    rp_tokens u = {0};
    uint64_t out2[16];
    size_t n2 = 0;
    tok("quick brown foxes jumped over a lazy dog", &u);
    assert_int_equal(rp_shingle_hashes(&u, RP_FAM_STEMS, 2, out2, NULL, &n2), RP_OK);
    assert_int_equal(n2, n);
    assert_memory_equal(out, out2, n * sizeof *out);
    /* Chrome tokens are skipped: marking "over the" as chrome drops them. */
    t.v[5].flags |= RP_TOK_CHROME;
    t.v[6].flags |= RP_TOK_CHROME;
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 3, out, pos, &n), RP_OK);
    assert_int_equal(n, 5);
    assert_int_equal(pos[3], 3);
    assert_int_equal(pos[4], 4); /* fox jumps lazy */
    uint64_t skip[3] = {t.v[3].hash, t.v[4].hash, t.v[7].hash};
    assert_true(out[3] == XXH3_64bits(skip, sizeof skip));
    /* Fewer usable tokens than k: one shingle; none: no shingle. */
    tok("two words", &t);
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 3, out, pos, &n), RP_OK);
    assert_int_equal(n, 1);
    tok("of the", &t);
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_STEMS, 2, out, pos, &n), RP_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rp_shingle_hashes(&t, RP_FAM_WORDS, 0, out, pos, &n), RP_ARG);
    rp_tokens_free(&t);
    rp_tokens_free(&u);
}

static uint64_t rng(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static void test_set_intersect(void **state)
{
    (void)state;
    enum { N = 5000 };
    uint64_t *a = malloc(2 * N * sizeof *a), *b = malloc(N * sizeof *b);
    assert_non_null(a);
    assert_non_null(b);
    uint64_t s = 42;
    for (size_t i = 0; i < N; i++)
        a[i] = rng(&s);
    memcpy(a + N, a, N * sizeof *a); /* every value twice */
    size_t n = rp_shingle_set(a, 2 * N);
    assert_int_equal(n, N);
    for (size_t i = 1; i < n; i++)
        assert_true(a[i - 1] < a[i]);
    /* b: the first half of a's values plus N/2 new ones. */
    s = 42;
    for (size_t i = 0; i < N / 2; i++)
        b[i] = rng(&s);
    s = 7;
    for (size_t i = N / 2; i < N; i++)
        b[i] = rng(&s);
    size_t m = rp_shingle_set(b, N);
    assert_int_equal(m, N);
    assert_int_equal(rp_shingle_intersect(a, n, b, m), N / 2);
    assert_int_equal(rp_shingle_intersect(a, n, a, n), N);
    assert_int_equal(rp_shingle_intersect(a, n, b, 0), 0);
    /* Small sets take the insertion-sort path. */
    uint64_t small[6] = {5, 3, 5, 1, UINT64_MAX, 0};
    assert_int_equal(rp_shingle_set(small, 6), 5);
    uint64_t want[5] = {0, 1, 3, 5, UINT64_MAX};
    assert_memory_equal(small, want, sizeof want);
    assert_int_equal(rp_shingle_set(NULL, 0), 0);
    free(a);
    free(b);
}

/* Random mixes of tricky pieces: spans stay ordered, non-empty, in bounds,
 * and the same text always gives the same tokens. */
static void test_random_text(void **state)
{
    (void)state;
    static const char *const piece[] = {"a",
                                        "Z",
                                        "9",
                                        "'",
                                        "-",
                                        ".",
                                        ",",
                                        " ",
                                        "\xE2\x80\x99",
                                        "\xE2\x80\x94",
                                        "\xC2\xAD",
                                        "\xCC\x81",
                                        "\xE4\xB8\xAD",
                                        "\xE0\xB8\xB1",
                                        "\xEF\xAC\x81",
                                        "\xFF",
                                        "\xC3",
                                        "\xF0\x9F"};
    uint64_t s = 3;
    char buf[512];
    rp_tokens t = {0}, u = {0};
    for (int round = 0; round < 2000; round++) {
        size_t n = 0, want = rng(&s) % 120;
        while (n < want) {
            const char *p = piece[rng(&s) % (sizeof piece / sizeof piece[0])];
            memcpy(buf + n, p, strlen(p));
            n += strlen(p);
        }
        assert_int_equal(rp_shingle_tokenize(buf, n, &t, 0), RP_OK);
        assert_int_equal(rp_shingle_tokenize(buf, n, &u, 0), RP_OK);
        assert_int_equal(t.n, u.n);
        for (size_t i = 0; i < t.n; i++) {
            assert_true(t.v[i].start < t.v[i].end);
            assert_true(t.v[i].end <= n);
            if (i) assert_true(t.v[i - 1].end <= t.v[i].start);
            assert_true(t.v[i].hash == u.v[i].hash && t.v[i].stem == u.v[i].stem);
        }
    }
    rp_tokens_free(&t);
    rp_tokens_free(&u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_typographic),     cmocka_unit_test(test_nfkc_casefold),
        cmocka_unit_test(test_nospace_scripts), cmocka_unit_test(test_numbers_and_offsets),
        cmocka_unit_test(test_languages),       cmocka_unit_test(test_stems_stopwords),
        cmocka_unit_test(test_threads),         cmocka_unit_test(test_shingle_counts),
        cmocka_unit_test(test_set_intersect),   cmocka_unit_test(test_random_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
