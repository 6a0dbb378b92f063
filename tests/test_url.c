/* test_url.c: sites of URLs, resolving links, site names and public suffixes.
 * (rp_url_site's contract cases are in test_input.c, where the readers use it.) */
#include "tests/testutil.h"

static void resolves(const char *href, const char *base, const char *want)
{
    char *s = rp_url_resolve(href, base);
    const char *h = href ? href : "(null)", *b = base ? base : "(null)";
    if (!want) {
        if (s) fail_msg("'%s' on '%s': want NULL, got '%s'", h, b, s);
        return;
    }
    if (!s) fail_msg("'%s' on '%s': want '%s', got NULL", h, b, want);
    if (strcmp(s, want)) fail_msg("'%s' on '%s': want '%s', got '%s'", h, b, want, s);
    free(s);
}

static void test_resolve(void **state)
{
    (void)state;
    const char *base = "https://news.example/world/2024/story.html?x=1";
    resolves("https://other.example/a", base, "https://other.example/a");
    resolves("https://other.example/a b", base, "https://other.example/a");
    resolves("//cdn.example/p", base, "https://cdn.example/p");
    resolves("/top", base, "https://news.example/top");
    resolves("story-2.html", base, "https://news.example/world/2024/story-2.html");
    resolves("../2023/old.html", base, "https://news.example/world/2023/old.html");
    resolves("./a/./b/../c", base, "https://news.example/world/2024/a/c");
    resolves("?page=2", base, "https://news.example/world/2024/story.html?page=2");
    resolves("stra\xC3\x9F"
             "e.html",
             base,
             "https://news.example/world/2024/stra\xC3\x9F"
             "e.html");
    resolves("  /trimmed", base, "https://news.example/trimmed");
    resolves("#top", base, NULL);
    resolves("", base, NULL);
    resolves("/p", NULL, NULL);
    resolves("/p", "not a url", NULL);
    resolves(NULL, base, NULL);
}

static void test_url_site_lenient(void **state)
{
    (void)state;
    char *s = rp_url_site("https://www.Stra\xC3\x9F"
                          "e.example/pfad/\xC3\xBC");
    assert_non_null(s);
    assert_string_equal(s, "stra\xC3\x9F"
                           "e.example");
    free(s);
    s = rp_url_site("https://host.example/a|b\\c d");
    assert_non_null(s);
    assert_string_equal(s, "host.example");
    free(s);
    s = rp_url_site("  http://host.example\\path");
    assert_non_null(s);
    assert_string_equal(s, "host.example");
    free(s);
    assert_null(rp_url_site("http://"));
    assert_null(rp_url_site("http:///path"));
}

static void test_site_norm(void **state)
{
    (void)state;
    char b[64];
    assert_int_equal(rp_site_norm("WWW.Reuters.COM", b, sizeof b, 1), 11);
    assert_string_equal(b, "reuters.com");
    rp_site_norm("www.host.example:8080", b, sizeof b, 0);
    assert_string_equal(b, "host.example");
    rp_site_norm("www.host.example:8080", b, sizeof b, 1);
    assert_string_equal(b, "host.example:8080");
    rp_site_norm("[::1]:80", b, sizeof b, 0);
    assert_string_equal(b, "[::1]");
    rp_site_norm("example.com.", b, sizeof b, 1);
    assert_string_equal(b, "example.com");
    assert_int_equal(rp_site_norm(NULL, b, sizeof b, 1), 0);
    assert_string_equal(b, "");
    assert_true(rp_site_same("www.Wire.example", "wire.example"));
    assert_false(rp_site_same("wire.example:81", "wire.example"));
    assert_false(rp_site_same("notwire.example", "wire.example"));
    assert_false(rp_site_same(NULL, "wire.example"));
}

static void label_is(const char *site, const char *want)
{
    char b[64];
    rp_site_label(site, b, sizeof b);
    if (strcmp(b, want)) fail_msg("%s: want '%s', got '%s'", site, want, b);
}

static void test_site_label(void **state)
{
    (void)state;
    label_is("wire.example", "wire");
    label_is("reuters.com", "reuters");
    label_is("www.reuters.com", "reuters");
    label_is("news.bbc.co.uk", "bbc");
    label_is("bbc.co.uk", "bbc");
    label_is("aap.com.au", "aap");
    label_is("smh.com.au:443", "smh");
    label_is("foo.github.io", "foo"); /* a private suffix of the list */
    label_is("northernwire.example", "northernwire");
    label_is("localhost", "localhost");
    label_is("", "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_url_site_lenient),
        cmocka_unit_test(test_site_norm),
        cmocka_unit_test(test_site_label),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
