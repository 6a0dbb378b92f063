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

/* Prose paragraphs written for these tests. */
static const char *const prose[] = {
    "The village school will stay open for at least another year, the county said on Monday, "
    "after parents collected more than two thousand signatures and filled the hall at a meeting "
    "that ran late into the evening.",
    "Officials had planned to move the forty pupils to a larger school in the next town, but the "
    "bus journey would have taken almost an hour each way along a narrow road that is often "
    "closed by snow in the winter months.",
    "A spokesman for the county said that the decision would be looked at again next spring, when "
    "the new figures for the number of children in the area are published by the office that "
    "keeps them.",
    "Parents said they were relieved but that they would keep up their campaign, because they "
    "believe the school is the heart of the village and that its loss would drive young families "
    "away for good.",
};
#define NPROSE (sizeof prose / sizeof *prose)

/* A page: head markup, then body markup around the prose paragraphs, each
 * wrapped in open/close. */
static char *page(const char *head, const char *before, const char *open, const char *close,
                  const char *after)
{
    size_t n = strlen(head) + strlen(before) + strlen(after) + 256;
    for (size_t i = 0; i < NPROSE; i++)
        n += strlen(prose[i]) + strlen(open) + strlen(close);
    char *p = malloc(n);
    assert_non_null(p);
    int k = snprintf(p, n, "<!DOCTYPE html><html><head>%s</head><body>%s", head, before);
    for (size_t i = 0; i < NPROSE; i++)
        k += snprintf(p + k, n - (size_t)k, "%s%s%s", open, prose[i], close);
    snprintf(p + k, n - (size_t)k, "%s</body></html>", after);
    return p;
}

static void assert_all_prose(const char *text)
{
    const char *prev = text;
    for (size_t i = 0; i < NPROSE; i++) {
        const char *p = strstr(text, prose[i]);
        if (!p) fail_msg("paragraph %zu missing from:\n%s", i, text);
        assert_true(p >= prev);
        prev = p;
    }
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

static void test_title_suffix(void **state)
{
    (void)state;
    rp_article a;
    char *p = page("<title>School stays open - The Valley Post</title>", "<article>", "<p>", "</p>",
                   "</article>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.title, "School stays open");
    assert_all_prose(a.text);
    assert_true(a.published_epoch == RP_TIME_UNKNOWN);
    assert_null(a.published);
    rp_article_clear(&a);
    free(p);
    p = page("<title>Votes counted | Region | The Valley Post</title>", "", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.title, "Votes counted");
    rp_article_clear(&a);
    free(p);
    /* no <title>: the first h1 */
    p = page("", "<h1>Snow closes the pass</h1>", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.title, "Snow closes the pass");
    rp_article_clear(&a);
    free(p);
}

static void check_date(const char *head, const char *before, const char *after, int64_t want)
{
    rp_article a;
    char *p = page(head, before, "<p>", "</p>", after);
    assert_int_equal(extract_str(p, &a), RP_OK);
    if (a.published_epoch != want)
        fail_msg("published %s -> %lld, want %lld", a.published ? a.published : "(null)",
                 (long long)a.published_epoch, (long long)want);
    assert_non_null(a.published);
    rp_article_clear(&a);
    free(p);
}

static void test_published(void **state)
{
    (void)state;
    /* 2020-05-06T07:08:09Z */
    const int64_t t = 1588748889;
    check_date("<meta property=\"article:published_time\" content=\"2020-05-06T09:08:09+02:00\">",
               "", "", t);
    check_date("<meta name=\"pubdate\" content=\"2020-05-06T07:08:09Z\">", "", "", t);
    check_date("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
               "\"@type\":\"NewsArticle\",\"headline\":\"x\",\"datePublished\":"
               "\"2020-05-06T07:08:09Z\",\"author\":{\"@type\":\"Person\",\"name\":\"Ann Bell\"}}"
               "</script>",
               "", "", t);
    check_date("<script type=\"application/ld+json\">{\"@context\":\"https://schema.org\","
               "\"@graph\":[{\"@type\":\"WebSite\",\"name\":\"Post\"},{\"@type\":\"NewsArticle\","
               "\"datePublished\":\"2020-05-06T07:08:09.000Z\"}]}</script>",
               "", "", t);
    check_date("<script type=\"application/ld+json\">[{\"@type\":\"BreadcrumbList\"},"
               "{\"@type\":\"Article\",\"datePublished\":\"2020-05-06T07:08:09Z\"}]</script>",
               "", "", t);
    /* <time> inside the article wins over one in the page's chrome */
    check_date("",
               "<div class=\"top\"><time datetime=\"2019-01-01T00:00:00Z\">x</time></div>"
               "<article><time datetime=\"2020-05-06T07:08:09Z\">6 May</time>",
               "</article>", t);
    check_date("", "<span itemprop=\"datePublished\" content=\"2020-05-06T07:08:09Z\">May</span>",
               "", t);
}

static void test_jsonld_author(void **state)
{
    (void)state;
    rp_article a;
    char *p = page("<script type=\"application/ld+json\">{\"@graph\":[{\"@type\":\"NewsArticle\","
                   "\"datePublished\":\"2020-05-06\",\"author\":[{\"name\":\"Ann Bell\"},"
                   "{\"name\":\"Tom Reed\"}]}]}</script>",
                   "", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.author, "Ann Bell, Tom Reed");
    rp_article_clear(&a);
    free(p);
    p = page("", "<div class=\"byline\">By Jo March | Staff</div>", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.author, "Jo March");
    rp_article_clear(&a);
    free(p);
}

static void test_canonical(void **state)
{
    (void)state;
    rp_article a;
    char err[128];
    char *p = page("<link rel=\"canonical\" href=\"/story/42\">", "", "<p>", "</p>", "");
    assert_int_equal(
        extract(p, strlen(p), NULL, "http://post.example:8080/s?id=42", &a, err, sizeof err),
        RP_OK);
    assert_string_equal(a.url, "http://post.example:8080/story/42");
    assert_int_equal(a.credits_hint, 0);
    rp_article_clear(&a);
    free(p);
    /* relative to the page's folder */
    p = page("<link rel=\"canonical\" href=\"story-42.html\">", "", "<p>", "</p>", "");
    assert_int_equal(extract(p, strlen(p), NULL, "http://127.0.0.1:8000/wire/old.html?x=/y", &a,
                             err, sizeof err),
                     RP_OK);
    assert_string_equal(a.url, "http://127.0.0.1:8000/wire/story-42.html");
    rp_article_clear(&a);
    assert_int_equal(extract(p, strlen(p), NULL, "http://127.0.0.1:8000", &a, err, sizeof err),
                     RP_OK);
    assert_string_equal(a.url, "http://127.0.0.1:8000/story-42.html");
    rp_article_clear(&a);
    free(p);
    /* og:url when there is no canonical link; another host is a credit */
    p = page("<meta property=\"og:url\" content=\"https://wire.example/story/42\">", "", "<p>",
             "</p>", "");
    assert_int_equal(extract(p, strlen(p), NULL, "https://www.copy.example/a", &a, err, sizeof err),
                     RP_OK);
    assert_string_equal(a.url, "https://wire.example/story/42");
    assert_int_equal(a.credits_hint, 1);
    rp_article_clear(&a);
    free(p);
    /* neither: the given url */
    p = page("", "", "<p>", "</p>", "");
    assert_int_equal(extract(p, strlen(p), NULL, "https://copy.example/a", &a, err, sizeof err),
                     RP_OK);
    assert_string_equal(a.url, "https://copy.example/a");
    rp_article_clear(&a);
    assert_int_equal(extract(p, strlen(p), NULL, NULL, &a, err, sizeof err), RP_OK);
    assert_null(a.url);
    rp_article_clear(&a);
    free(p);
}

static void test_credits(void **state)
{
    (void)state;
    rp_article a;
    char *p =
        page("", "<p>LONDON (Reuters) - The village school will reopen.</p>", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_int_equal(a.credits_hint, 1);
    rp_article_clear(&a);
    free(p);
    p = page("", "", "<p>", "</p>", "<p>Reporting by the Associated Press; editing by staff.</p>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_int_equal(a.credits_hint, 1);
    rp_article_clear(&a);
    free(p);
    p = page("", "<p>MILLBROOK (Wire) \xE2\x80\x94 The school stays.</p>", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_int_equal(a.credits_hint, 1);
    rp_article_clear(&a);
    free(p);
    /* "map" or "apple" are not "AP" */
    p = page("", "<p>The map (see apple orchards) shows it.</p>", "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_int_equal(a.credits_hint, 0);
    rp_article_clear(&a);
    free(p);
}

/* Smart quotes and e-acute in windows-1252: 0x93 0x94 0xE9. */
static void check_cp1252(const char *meta, const char *hint)
{
    char head[256];
    snprintf(head, sizeof head, "%s<title>Caf\xE9 news</title>", meta);
    char *p = page(head,
                   "<p>\x93Our caf\xE9 is open,\x94 she said in the morning, and the people of "
                   "the street came to see it for themselves.</p>",
                   "<p>", "</p>", "");
    rp_article a;
    char err[128];
    assert_int_equal(extract(p, strlen(p), hint, NULL, &a, err, sizeof err), RP_OK);
    assert_non_null(strstr(a.text, "\xE2\x80\x9COur caf\xC3\xA9 is open,\xE2\x80\x9D she said"));
    assert_string_equal(a.title, "Caf\xC3\xA9 news");
    assert_int_equal(a.repaired, 0);
    rp_article_clear(&a);
    free(p);
}

static void test_charset(void **state)
{
    (void)state;
    check_cp1252("<meta charset=\"windows-1252\">", NULL);
    check_cp1252("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">",
                 NULL);
    check_cp1252("", "windows-1252");
    /* the HTTP header wins over a wrong meta */
    check_cp1252("<meta charset=\"utf-8\">", "Windows-1252");
    /* unlabelled and not UTF-8: windows-1252; unknown label: the same guess */
    check_cp1252("", NULL);
    check_cp1252("<meta charset=\"x-no-such-charset\">", NULL);
    /* UTF-8 labelled or sniffed stays UTF-8 */
    rp_article a;
    char *p = page("",
                   "<p>Caf\xC3\xA9 \xE2\x80\x9Cquotes\xE2\x80\x9D stay as they are, and so do all "
                   "of the other characters that are found in this paragraph.</p>",
                   "<p>", "</p>", "");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_non_null(strstr(a.text, "Caf\xC3\xA9 \xE2\x80\x9Cquotes\xE2\x80\x9D"));
    rp_article_clear(&a);
    free(p);
}

static void test_koi8r(void **state)
{
    (void)state;
    /* "Привет" in KOI8-R */
    char *p = page("",
                   "<p>\xF0\xD2\xC9\xD7\xC5\xD4 the village school will stay open for another "
                   "year, and the parents are glad of it.</p>",
                   "<p>", "</p>", "");
    rp_article a;
    char err[128];
    assert_int_equal(extract(p, strlen(p), "koi8-r", NULL, &a, err, sizeof err), RP_OK);
    assert_non_null(strstr(a.text, "\xD0\x9F\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82 the"));
    rp_article_clear(&a);
    free(p);
}

static void test_empty_pages(void **state)
{
    (void)state;
    rp_article a;
    char err[128] = "";
    const char *notfound =
        "<html><head><title>Page not found - The Valley Post</title></head><body>"
        "<nav><a href=/>Home</a> <a href=/news>News</a></nav>"
        "<h1>404</h1><p>Sorry, we could not find the page you were looking for.</p>"
        "<p><a href=/>Go back to the home page</a></p>"
        "<footer>&copy; The Valley Post. All rights reserved.</footer></body></html>";
    assert_int_equal(extract(notfound, strlen(notfound), NULL, NULL, &a, err, sizeof err),
                     RP_EMPTY);
    assert_non_null(strstr(err, "too little article text ("));
    assert_null(a.text);
    /* an index page: headlines and teasers that are all links */
    char idx[8192];
    int k = snprintf(idx, sizeof idx, "<html><body><h1>Latest news</h1><ul>");
    for (int i = 0; i < 20; i++)
        k += snprintf(idx + k, sizeof idx - (size_t)k,
                      "<li><a href=\"/story/%d\">Council votes on the new budget for the harbour "
                      "and the schools, story number %d</a> <span>2 hours ago</span></li>",
                      i, i);
    snprintf(idx + k, sizeof idx - (size_t)k, "</ul></body></html>");
    assert_int_equal(extract(idx, strlen(idx), NULL, NULL, &a, err, sizeof err), RP_EMPTY);
    assert_null(a.text);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    const size_t depth = 20000;
    /* text past libxml2's default nesting limit of 256 must be found */
    const char *para = "<p>The village school will stay open for another year, the county said, "
                       "after parents filled the hall at a meeting that ran late into the night "
                       "and they sent a letter signed by two thousand people to the council.</p>";
    size_t n = depth * 20 + strlen(para) * 2 + 64;
    char *p = malloc(n);
    assert_non_null(p);
    size_t k = 0;
    k += (size_t)sprintf(p + k, "<html><body>");
    for (size_t i = 0; i < depth; i++)
        k += (size_t)sprintf(p + k, "<div>");
    k += (size_t)sprintf(p + k, "%s%s", para, para);
    for (size_t i = 0; i < depth; i++)
        k += (size_t)sprintf(p + k, "</div>");
    rp_article a;
    char err[128];
    clock_t t0 = clock();
    assert_int_equal(extract(p, k, NULL, NULL, &a, err, sizeof err), RP_OK);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_non_null(strstr(a.text, "two thousand people to the council.\n\nThe village"));
    assert_true(secs < 2.0);
    rp_article_clear(&a);
    /* unclosed inline elements nested as deep */
    k = 0;
    for (size_t i = 0; i < depth / 2; i++)
        k += (size_t)sprintf(p + k, "<b><i><a href=\"/\">x ");
    assert_int_equal(extract(p, k, NULL, NULL, &a, err, sizeof err), RP_EMPTY);
    free(p);
}

static void test_scripts_and_entities(void **state)
{
    (void)state;
    rp_article a;
    char *p =
        page("<script>var inhead = 'HEADSCRIPT';</script>",
             "<article><script>document.write('BODYSCRIPT words words words');</script>"
             "<noscript>NOSCRIPTTEXT</noscript><template><p>TEMPLATETEXT</p></template>"
             "<!-- COMMENTTEXT -->"
             "<p>Fish &amp; chips cost &pound;5 &mdash; &#8220;a bargain&#x201D; &lt;really&gt;"
             "&nbsp;now, said the man who has sold them by the harbour for years.</p>",
             "<p>", "<script>var x = 'MIDSCRIPT';</script></p>",
             "<svg><text>SVGTEXT</text></svg></article>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    static const char *const bad[] = {"HEADSCRIPT",   "BODYSCRIPT",  "NOSCRIPTTEXT",
                                      "TEMPLATETEXT", "COMMENTTEXT", "MIDSCRIPT",
                                      "SVGTEXT",      "&amp;",       "document.write"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (strstr(a.text, bad[i])) fail_msg("%s in text:\n%s", bad[i], a.text);
    assert_non_null(strstr(a.text, "Fish & chips cost \xC2\xA3"
                                   "5 \xE2\x80\x94 \xE2\x80\x9C"
                                   "a bargain\xE2\x80\x9D <really> now, said"));
    rp_article_clear(&a);
    free(p);
}

static void test_br_paragraphs(void **state)
{
    (void)state;
    rp_article a;
    char *p = page("", "<div class=\"text\">", "", "<br><br>\n", "</div>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    /* kept apart: a paragraph break between the first two */
    const char *q = strstr(a.text, prose[0]);
    assert_non_null(q);
    assert_memory_equal(q + strlen(prose[0]), "\n\n", 2);
    assert_int_equal(strncmp(q + strlen(prose[0]) + 2, prose[1], 20), 0);
    rp_article_clear(&a);
    free(p);
}

/* The article sits in plain divs among link-heavy chrome also in plain
 * divs with neutral class names: density must find it. */
static void test_density(void **state)
{
    (void)state;
    char before[4096], after[4096];
    int k = snprintf(before, sizeof before, "<div class=\"x1\">");
    for (int i = 0; i < 12; i++)
        k += snprintf(before + k, sizeof before - (size_t)k,
                      "<div class=\"x2\"><a href=\"/s%d\">Another headline about the weather "
                      "number %d</a></div>",
                      i, i);
    snprintf(before + k, sizeof before - (size_t)k,
             "</div><div class=\"x3\"><div>Tuesday 4 May</div><div class=\"x4\">");
    k = snprintf(after, sizeof after, "</div></div><div class=\"x5\">");
    for (int i = 0; i < 8; i++)
        k += snprintf(after + k, sizeof after - (size_t)k,
                      "<div><a href=\"/t%d\">Most read %d: the storm and the harbour</a></div>"
                      "<div>Sponsored by the best mattress</div>",
                      i, i);
    snprintf(after + k, sizeof after - (size_t)k,
             "</div><div class=\"x6\">Terms Privacy Contact Jobs Advertise</div>");
    char *p = page("", before, "<div class=\"x7\">", "</div>", after);
    rp_article a;
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    static const char *const bad[] = {"headline", "Most read", "Sponsored", "Terms", "Tuesday"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (strstr(a.text, bad[i])) fail_msg("%s in text:\n%s", bad[i], a.text);
    rp_article_clear(&a);
    free(p);
}

/* Class-based chrome drops must not eat an article wrapped in a
 * "comments" container or a page-wide <form>. */
static void test_fallback(void **state)
{
    (void)state;
    rp_article a;
    char *p = page("", "<form action=\"/x\"><div class=\"page has-comments sidebar-left\">", "<p>",
                   "</p>", "</div></form>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    rp_article_clear(&a);
    free(p);
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

/* A news page around body markup: chrome of every kind outside it, as
 * benchmarks/mkpages.py and most sites lay it out. */
static char *chrome_page(const char *title, const char *body)
{
    static const char *const fmt =
        "<!DOCTYPE html><html><head><title>%s - The Valley Post</title>"
        "<meta property=\"og:title\" content=\"%s\"></head><body>"
        "<header><a href=\"/\">The Valley Post</a><nav><ul><li><a href=\"/w\">World</a></li>"
        "<li><a href=\"/b\">Business</a></li></ul></nav></header>"
        "<div class=\"share\">Share this story: <a href=\"#\">Facebook</a> <a href=\"#\">Email</a>"
        "</div>%s<aside class=\"related\"><h3>Related stories</h3><ul><li><a href=\"/a\">"
        "Ferry fares rise again as the harbour board meets</a></li></ul></aside>"
        "<div class=\"newsletter\">Sign up for our morning newsletter: the top stories in your "
        "inbox.</div><footer><p>Copyright The Valley Post. All rights reserved.</p></footer>"
        "</body></html>";
    size_t n = strlen(fmt) + 2 * strlen(title) + strlen(body) + 1;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, fmt, title, title, body);
    return p;
}

/* A wire earnings table: three short paragraphs of figures, no sentence,
 * few stopwords; the page's one <article> says it is the story. */
static void test_short_article_table(void **state)
{
    (void)state;
    char *p = chrome_page(
        "Harbour Ferries Ltd first quarter",
        "<main><article><h1>Harbour Ferries Ltd first quarter</h1>"
        "<p class=\"byline\">By Staff Reporter</p><time datetime=\"2021-05-04\">4 May 2021</time>"
        "<p>Shr profit 12 cts vs loss four cts</p>\n<p>Net profit 310,552 vs loss 97,204</p>\n"
        "<p>Revs 4,118,930\n vs 3,702,115</p></article></main>");
    rp_article a;
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.text, "Shr profit 12 cts vs loss four cts\n\n"
                                "Net profit 310,552 vs loss 97,204\n\n"
                                "Revs 4,118,930 vs 3,702,115");
    assert_int_equal(a.text_len, strlen(a.text));
    rp_article_clear(&a);
    free(p);
}

static const char brief[] = "The harbour board declared a quarterly dividend of five cents a "
                            "share, payable June 1 to holders of record.";

/* A one-paragraph brief of 18 words in <article>, with an h2 and a short
 * caption kept as text, a link list and a copyright line dropped. */
static void test_short_article_brief(void **state)
{
    (void)state;
    char body[1024];
    snprintf(body, sizeof body,
             "<article itemscope><h1>Harbour board sets dividend</h1><p>%s</p>"
             "<ul><li><a href=\"/x\">More on the harbour board</a></li>"
             "<li><a href=\"/y\">Dividend notices</a></li></ul>"
             "<p>&copy; 2021 Valley Post</p></article>",
             brief);
    char *p = chrome_page("Harbour board sets dividend", body);
    rp_article a;
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.text, brief);
    rp_article_clear(&a);
    free(p);
    /* the same brief marked up as articleBody inside a plain div */
    snprintf(body, sizeof body,
             "<div class=\"x\"><div itemprop=\"articleBody\"><p>%s</p></div></div>", brief);
    p = chrome_page("Harbour board sets dividend", body);
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.text, brief);
    rp_article_clear(&a);
    free(p);
    /* without any article markup it is too short to be sure of */
    snprintf(body, sizeof body, "<div class=\"x\"><p>%s</p></div>", brief);
    p = chrome_page("Harbour board sets dividend", body);
    assert_int_equal(extract_str(p, &a), RP_EMPTY);
    assert_null(a.text);
    free(p);
}

/* <main> on listing and error pages holds no article. */
static void test_main_not_article(void **state)
{
    (void)state;
    rp_article a;
    char body[8192];
    /* links, with a date beside each */
    int k = snprintf(body, sizeof body, "<main><h1>Latest news</h1><ul>");
    for (int i = 0; i < 12; i++)
        k += snprintf(body + k, sizeof body - (size_t)k,
                      "<li><a href=\"/s/%d\">Council votes on the new budget for the harbour, "
                      "story %d</a> <span>2 hours ago</span></li>",
                      i, i);
    snprintf(body + k, sizeof body - (size_t)k, "</ul></main>");
    char *p = chrome_page("Latest news", body);
    assert_int_equal(extract_str(p, &a), RP_EMPTY);
    assert_null(a.text);
    free(p);
    /* linked headlines, each over a short teaser */
    k = snprintf(body, sizeof body, "<main><h1>Business</h1>");
    for (int i = 0; i < 6; i++)
        k += snprintf(body + k, sizeof body - (size_t)k,
                      "<h2><a href=\"/s/%d\">Harbour board story %d</a></h2>"
                      "<p>The board met again on Monday to talk about fares and the ferry.</p>",
                      i, i);
    snprintf(body + k, sizeof body - (size_t)k, "</main>");
    p = chrome_page("Business", body);
    assert_int_equal(extract_str(p, &a), RP_EMPTY);
    free(p);
    /* a 404 page: a sentence of ten words in <main> */
    p = chrome_page("Page not found", "<main><h1>Page not found</h1><p>Sorry, we could not find "
                                      "the page you were looking for.</p>"
                                      "<p><a href=\"/\">Go back to the home page</a></p></main>");
    assert_int_equal(extract_str(p, &a), RP_EMPTY);
    free(p);
    /* the same words as a story in <main> are an article */
    p = chrome_page("Harbour board", "<main><h1>Harbour board</h1><p>Sorry, we could not find "
                                     "the page you were looking for.</p></main>");
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_string_equal(a.text, "Sorry, we could not find the page you were looking for.");
    rp_article_clear(&a);
    free(p);
}

/* Several <article> elements are a listing: no container is trusted, and
 * density decides (briefs of 18 words are too short for it). */
static void test_two_articles(void **state)
{
    (void)state;
    char body[2048];
    snprintf(body, sizeof body,
             "<main><article><h2><a href=\"/1\">Dividend</a></h2><p>%s</p></article>"
             "<article><h2><a href=\"/2\">Dividend again</a></h2><p>%s</p></article></main>",
             brief, brief);
    char *p = chrome_page("Briefs", body);
    rp_article a;
    assert_int_equal(extract_str(p, &a), RP_EMPTY);
    free(p);
    /* one of them a full story: density finds it */
    char *story = page("", "", "<p>", "</p>", "");
    const char *b0 = strstr(story, "<body>") + 6, *b1 = strstr(story, "</body>");
    snprintf(body, sizeof body,
             "<main><article><h2><a href=\"/1\">Dividend</a></h2><p>%s</p></article>"
             "<article><h2>School</h2>%.*s</article></main>",
             brief, (int)(b1 - b0), b0);
    p = chrome_page("Briefs", body);
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    rp_article_clear(&a);
    free(p);
    /* a lone <article> teaser beside a long story in plain divs */
    snprintf(body, sizeof body,
             "<div class=\"x1\">%.*s</div><div class=\"x2\"><div><a href=\"/m\">Most read: "
             "the storm and the harbour</a></div><div><a href=\"/n\">Most read: fares and the "
             "ferry</a></div><article><p>%s</p></article></div>",
             (int)(b1 - b0), b0, brief);
    p = chrome_page("School", body);
    assert_int_equal(extract_str(p, &a), RP_OK);
    assert_all_prose(a.text);
    assert_null(strstr(a.text, "dividend"));
    rp_article_clear(&a);
    free(p);
    free(story);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_news_page),
        cmocka_unit_test(test_not_html),
        cmocka_unit_test(test_title_suffix),
        cmocka_unit_test(test_published),
        cmocka_unit_test(test_jsonld_author),
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_credits),
        cmocka_unit_test(test_charset),
        cmocka_unit_test(test_koi8r),
        cmocka_unit_test(test_empty_pages),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_scripts_and_entities),
        cmocka_unit_test(test_br_paragraphs),
        cmocka_unit_test(test_density),
        cmocka_unit_test(test_fallback),
        cmocka_unit_test(test_short_article_table),
        cmocka_unit_test(test_short_article_brief),
        cmocka_unit_test(test_main_not_article),
        cmocka_unit_test(test_two_articles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
