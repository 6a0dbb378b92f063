/* test_util.c: errors, buffers, UTF-8 repair, date parsing. */
#include "tests/testutil.h"

static void test_strerror(void **state)
{
    (void)state;
    assert_string_equal(rp_strerror(RP_OK), "success");
    assert_string_equal(rp_strerror(RP_NOMEM), "out of memory");
    assert_string_equal(rp_strerror((rp_err)999), "unknown error");
}

static void test_buf(void **state)
{
    (void)state;
    rp_buf b = {0};
    for (int i = 0; i < 1000; i++)
        assert_int_equal(rp_buf_append(&b, "abc", 3), RP_OK);
    assert_int_equal(b.len, 3000);
    assert_int_equal(b.data[3000], '\0');
    assert_memory_equal(b.data + 2997, "abc", 3);
    rp_buf_free(&b);
    rp_buf_free(NULL);
}

/* rp_buf_printf appends, grows past the first capacity, stays terminated. */
static void test_buf_printf(void **state)
{
    (void)state;
    rp_buf b = {0};
    assert_int_equal(rp_buf_append(&b, "x=", 2), RP_OK);
    assert_int_equal(rp_buf_printf(&b, "%d/%s", 42, "ok"), RP_OK);
    assert_string_equal(b.data, "x=42/ok");
    char big[300];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(rp_buf_printf(&b, "[%s]", big), RP_OK);
    assert_int_equal(b.len, 7 + 2 + 299);
    assert_int_equal(b.data[b.len], '\0');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_int_equal(rp_buf_printf(&b, "%s", ""), RP_OK);
    assert_int_equal(b.len, 7 + 2 + 299);
    rp_buf_free(&b);
}

static void test_grow(void **state)
{
    (void)state;
    int64_t *v = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < 1000; i++) {
        assert_int_equal(rp_grow(&v, &cap, i + 1, sizeof *v), RP_OK);
        assert_true(cap >= i + 1);
        v[i] = (int64_t)i;
    }
    assert_int_equal(v[999], 999);
    size_t before = cap;
    assert_int_equal(rp_grow(&v, &cap, 10, sizeof *v), RP_OK); /* never shrinks */
    assert_int_equal(cap, before);
    assert_int_equal(rp_grow(&v, &cap, SIZE_MAX / 4, sizeof *v), RP_NOMEM);
    assert_int_equal(cap, before);
    assert_int_equal(v[500], 500);
    free(v);
}

static void repair(const char *in, size_t n, const char *want, size_t want_fixes)
{
    rp_buf b = {0};
    size_t fixes = 0;
    assert_int_equal(rp_utf8_repair(in, n, &b, &fixes), RP_OK);
    assert_int_equal(b.len, strlen(want));
    assert_memory_equal(b.data, want, b.len);
    assert_int_equal(fixes, want_fixes);
    rp_buf_free(&b);
}

static void test_utf8_repair(void **state)
{
    (void)state;
    repair("plain", 5, "plain", 0);
    repair("caf\xC3\xA9", 5, "caf\xC3\xA9", 0);
    repair("caf\xE9!", 5, "caf\xEF\xBF\xBD!", 1);                           /* Latin-1 byte */
    repair("a\0b", 3, "a b", 1);                                            /* NUL */
    repair("\xED\xA0\x80x", 4, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDx", 3); /* surrogate */
    repair("\xC0\xAF", 2, "\xEF\xBF\xBD\xEF\xBF\xBD", 2);                   /* overlong */
    repair("\xE2\x82", 2, "\xEF\xBF\xBD", 1);                               /* truncated 3-byte */
    repair("\xF0\x9F\x98\x80", 4, "\xF0\x9F\x98\x80", 0);                   /* emoji */
}

static void escaped(const char *in, size_t n, unsigned keep, const char *want)
{
    rp_buf b = {0};
    assert_int_equal(rp_escape_controls(&b, in, n, keep), RP_OK);
    assert_int_equal(rp_buf_terminate(&b), RP_OK);
    assert_string_equal(b.data, want);
    assert_int_equal(rp_escape_needed(in, n, keep), strcmp(in, want) != 0 || strlen(in) != n);
    rp_buf_free(&b);
}

#define ESCAPED(in, keep, want) escaped(in, sizeof in - 1, keep, want)

static void test_escape(void **state)
{
    (void)state;
    ESCAPED("plain caf\xC3\xA9 \xF0\x9F\x98\x80", 0, "plain caf\xC3\xA9 \xF0\x9F\x98\x80");
    ESCAPED("\x1b[2J\x07", 0, "\\x1b[2J\\x07");
    ESCAPED("a\nb\tc\rd", 0, "a\\nb\\tc\\rd");
    ESCAPED("a\nb\tc\rd", RP_ESC_KEEP_LF | RP_ESC_KEEP_TAB, "a\nb\tc\\rd");
    ESCAPED("x\x7f\xc2\x9b\xc2\xa0", 0, "x\\x7f\\u009b\xc2\xa0"); /* DEL, CSI; NBSP kept */
    ESCAPED("a\0b", 0, "a\\x00b");
    ESCAPED("l\xe9 \xc2", 0, "l\\xe9 \\xc2"); /* stray and cut bytes */
    ESCAPED("", 0, "");
}

static void test_time(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(rp_time_parse("2021-12-04", &t), RP_OK);
    assert_int_equal(t, 1638576000);
    assert_int_equal(rp_time_parse("2021-12-04T10:30:00Z", &t), RP_OK);
    assert_int_equal(t, 1638576000 + 37800);
    assert_int_equal(rp_time_parse("2021-12-04T12:30:00.123+02:00", &t), RP_OK);
    assert_int_equal(t, 1638576000 + 37800);
    assert_int_equal(rp_time_parse("2021-12-04 10:30", &t), RP_OK);
    assert_int_equal(t, 1638576000 + 37800);
    assert_int_equal(rp_time_parse("Sat, 04 Dec 2021 10:30:00 GMT", &t), RP_OK);
    assert_int_equal(t, 1638576000 + 37800);
    assert_int_equal(rp_time_parse("1987-02-26T15:01:01", &t), RP_OK);
    assert_int_equal(t, 541350061);
    assert_int_equal(rp_time_parse("yesterday", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2021-13-01", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2021-02-30", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2021-12-04Tjunk", &t), RP_FORMAT);
    char buf[32];
    rp_time_format(1638576000 + 37800, buf, sizeof buf);
    assert_string_equal(buf, "2021-12-04T10:30:00Z");
}

/* Issue 13's dates: impossible days rejected (not moved to the next
 * month), RFC 822 zones, Reuters-21578's form. */
static void test_time_forms(void **state)
{
    (void)state;
    int64_t t = 0;
    assert_int_equal(rp_time_parse("2023-02-29", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2023-02-29T12:00:00Z", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2024-02-29", &t), RP_OK);
    assert_int_equal(rp_time_parse("1900-02-29", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("2000-02-29", &t), RP_OK);
    assert_int_equal(rp_time_parse("2021-04-31", &t), RP_FORMAT);
    assert_int_equal(rp_time_parse("Wed, 29 Feb 2023 10:00:00 GMT", &t), RP_FORMAT);
    /* 2021-12-04T10:30:00Z is 1638613800 */
    assert_int_equal(rp_time_parse("Sat, 04 Dec 2021 11:30:00 +0100", &t), RP_OK);
    assert_int_equal(t, 1638613800);
    assert_int_equal(rp_time_parse("Sat, 04 Dec 2021 05:30:00 EST", &t), RP_OK);
    assert_int_equal(t, 1638613800);
    assert_int_equal(rp_time_parse("Sat, 04 Dec 2021 03:30:00 PDT", &t), RP_OK);
    assert_int_equal(t, 1638613800);
    assert_int_equal(rp_time_parse("4 Dec 2021 10:30 -0000", &t), RP_OK);
    assert_int_equal(t, 1638613800);
    assert_int_equal(rp_time_parse("Sat, 04 Dec 2021 10:30:00 XYZ", &t), RP_FORMAT);
    /* Reuters-21578: 26-FEB-1987 15:01:01.79 */
    assert_int_equal(rp_time_parse("26-FEB-1987 15:01:01.79", &t), RP_OK);
    assert_int_equal(t, 541350061);
    assert_int_equal(rp_time_parse(" 5-MAR-1987 09:00:00.00", &t), RP_OK);
    assert_int_equal(rp_time_parse("30-FEB-1987 15:01:01.79", &t), RP_FORMAT);
}

/* rp_sort_u64 against qsort: short and long arrays, repeats, values that
 * share high bytes (row ids) and full-width hashes. */
static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static void test_sort_u64(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int kind = 0; kind < 3; kind++) {
            size_t n = sizes[s];
            uint64_t *v = malloc((n + 1) * sizeof *v), *w = malloc((n + 1) * sizeof *w);
            assert_non_null(v);
            assert_non_null(w);
            for (size_t i = 0; i < n; i++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                uint64_t x = seed ^ (seed >> 29);
                v[i] = kind == 0 ? x : kind == 1 ? x % 5000 : (x % 7) << 40;
            }
            memcpy(w, v, n * sizeof *v);
            assert_int_equal(rp_sort_u64(v, n), RP_OK);
            qsort(w, n, sizeof *w, cmp_u64);
            if (n) assert_memory_equal(v, w, n * sizeof *v);
            free(v);
            free(w);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),    cmocka_unit_test(test_buf),
        cmocka_unit_test(test_buf_printf),  cmocka_unit_test(test_grow),
        cmocka_unit_test(test_utf8_repair), cmocka_unit_test(test_time),
        cmocka_unit_test(test_time_forms),  cmocka_unit_test(test_sort_u64),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
