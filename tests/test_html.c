/* test_html.c: article extraction from HTML pages (input/html.c). */
#include <stdio.h>
#include <time.h>

#include "tests/testutil.h"

/* Read a fixture under tests/fixtures/html (RP_SRCDIR overrides the root). */
static char *fixture(const char *name, size_t *len)
{
    const char *root = getenv("RP_SRCDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/fixtures/html/%s", root ? root : ".", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static rp_err extract(const char *html, size_t len, const char *hint, const char *url,
                      rp_article *a, char *err, size_t errsz)
{
    memset(a, 0, sizeof *a);
    return rp_html_extract(html, len, hint, url, a, err, errsz);
}

static rp_err extract_str(const char *html, rp_article *a)
{
    char err[256];
    return extract(html, strlen(html), NULL, NULL, a, err, sizeof err);
}

static void test_news_page(void **state)
{
    (void)state;
    size_t len;
    char *html = fixture("news.html", &len);
    rp_article a;
    char err[256] = "";
    assert_int_equal(
        extract(html, len, NULL, "https://lantern.example/x?utm=1", &a, err, sizeof err), RP_OK);
    static const char *const paras[] = {
        "The old harbour bridge opened to traffic again on Thursday morning",
        "City officials said the repairs cost far more",
        "A long wait for the east side",
        "For the people who live on the east side",
        "\xE2\x80\x9CWe are glad to have our customers back,\xE2\x80\x9D said a baker",
        "Engineers will keep watching the bridge",
        "The council has promised an open meeting next week",
    };
    const char *prev = a.text;
    for (size_t i = 0; i < sizeof paras / sizeof *paras; i++) {
        const char *p = strstr(a.text, paras[i]);
        if (!p) fail_msg("missing paragraph %zu in:\n%s", i, a.text);
        assert_true(p >= prev);
        prev = p;
    }
    static const char *const chrome[] = {
        "SCRIPTTEXT", "STYLETEXT", "HEADERTEXT",     "NAVTEXT",    "COOKIETEXT",
        "SHARETEXT",  "ASIDETEXT", "NEWSLETTERTEXT", "FOOTERTEXT", "Related stories"};
    for (size_t i = 0; i < sizeof chrome / sizeof *chrome; i++)
        if (strstr(a.text, chrome[i])) fail_msg("chrome %s in:\n%s", chrome[i], a.text);
    /* paragraphs apart, entities decoded, whitespace collapsed */
    assert_non_null(strstr(a.text, "again this morning & it feels"));
    assert_non_null(strstr(a.text, "girders. Hundreds of residents walked across it before the "
                                   "first cars arrived.\n\nCity officials"));
    assert_int_equal(strlen(a.text), a.text_len);
    assert_string_equal(a.title, "Harbour bridge reopens after two years of repairs");
    assert_string_equal(a.url, "https://lantern.example/news/harbour-bridge");
    assert_string_equal(a.author, "Mara Quill");
    assert_non_null(a.published);
    assert_true(a.published_epoch == 1614845700); /* 2021-03-04T08:15:00Z */
    assert_int_equal(a.credits_hint, 0);
    rp_article_clear(&a);
    free(html);
}

static void test_not_html(void **state)
{
    (void)state;
    rp_article a;
    assert_int_equal(extract_str("just some words, no markup at all", &a), RP_FORMAT);
    assert_null(a.text);
    static const char png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10";
    char err[128] = "";
    assert_int_equal(extract(png, sizeof png - 1, NULL, NULL, &a, err, sizeof err), RP_FORMAT);
    assert_non_null(strstr(err, "not HTML"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_news_page),
        cmocka_unit_test(test_not_html),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
