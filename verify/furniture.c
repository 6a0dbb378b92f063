/*
 * furniture.c: the page furniture inside a scraped text.
 *
 * A page saved as text keeps, between the story's paragraphs, the captions
 * of its photos with their credits ("... Tuesday, Aug. 4, 2020. (AP
 * Photo/Name)", a line "REUTERS/Name/Pool" under a caption) and stamps
 * such as "Posted at 7:51 PM, Dec 04, 2021". None of it is the story: a
 * copy on another site carries other photos or none, so counting their
 * words makes a copy on a page with a gallery score as if it had copied
 * little, and two independent reports that ran the same agency photo share
 * its caption. Yet some sites run the story itself as the captions of a
 * gallery, one paragraph under each photo. So the words of such lines are
 * marked (RP_TOK_FURNITURE), stay words that passages align, and count in
 * a pair's score only where a passage covers them (score.c): furniture
 * that the other article does not share is left out of the article's
 * length.
 *
 * What counts, line by line (a line ends at a newline):
 *   - a caption: a line of at most CAPTION_MAX_WORDS words whose last
 *     CREDIT_TAIL bytes hold a photo credit (below);
 *   - a credit line (at most CREDIT_LINE_WORDS words holding a credit) and
 *     the caption line just before it, when that one has at most
 *     CAPTION_MAX_WORDS words and ends a sentence (a caption does; the
 *     headline above a photo's credit does not);
 *   - a stamp: a line of at most STAMP_MAX_WORDS words that opens with
 *     "Posted", "Updated", "Published" or "Last updated" and has a digit.
 * Photo credits are the agencies' and picture desks' own marks, the same
 * in every language the wires write in: "AP Photo", "via AP", ".../AP",
 * "REUTERS/", "Reuters Photo", "/Getty Images", "(Getty Images", "Getty Images)",
    "via Getty Images", "AFP PHOTO", ".../AFP",
 * "EPA-EFE", "EPA/", "Shutterstock", and the words "Photo:", "Photo by",
 * "File photo", "Foto:", "Image source" that introduce a photographer.
 * A datelined lede ("MOSCOW (AP) —") holds no credit: "(AP)" is not one.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "reprint.h"
#include "verify/verify.h"

#define CAPTION_MAX_WORDS 120
#define CREDIT_LINE_WORDS 10
#define CREDIT_TAIL 90
#define STAMP_MAX_WORDS 12

/* Marks found anywhere in the part of the line searched. */
static const char *const credit_marks[] = {
    "AP Photo",      "Photo via AP",  "REUTERS/",         "Reuters Photo", "/Getty Images",
    "(Getty Images", "Getty Images)", "via Getty Images", "AFP PHOTO",     "EPA-EFE",
    "EPA/",          "Shutterstock",  "Photo by ",        "Photo: ",       "Photo : ",
    "(Photo",        "PHOTO:",        "File photo",       "File Photo",    "FILE PHOTO",
    "Foto: ",        "Image source",
};

/* Marks that must end a word of the line: "via AP" and ".../AP" followed by
 * the line's end, a closing parenthesis, a comma or a slash. */
static const char *const credit_ends[] = {"via AP", "/AP", "/ AP", "/AFP", "/ AFP"};

static size_t count_words(const char *s, size_t n)
{
    size_t w = 0;
    int in = 0;
    for (size_t i = 0; i < n; i++) {
        int sp = isspace((unsigned char)s[i]);
        if (!sp && !in) w++;
        in = !sp;
    }
    return w;
}

/* The marks of either list that open with a byte, as bits: bit k < 32 is
 * credit_marks[k], bit 32 + k is credit_ends[k]. Made once, so that a
 * line is scanned once instead of once per mark. */
#define NMARKS (sizeof credit_marks / sizeof *credit_marks)
#define NENDS (sizeof credit_ends / sizeof *credit_ends)
_Static_assert(NMARKS <= 32 && NENDS <= 32, "mark bits");
static uint64_t opening[256];
static pthread_once_t opening_once = PTHREAD_ONCE_INIT;

static void opening_build(void)
{
    for (size_t k = 0; k < NMARKS; k++)
        opening[(unsigned char)credit_marks[k][0]] |= (uint64_t)1 << k;
    for (size_t k = 0; k < NENDS; k++)
        opening[(unsigned char)credit_ends[k][0]] |= (uint64_t)1 << (32 + k);
}

/* Does s[0..n) hold a photo credit? */
static int has_credit(const char *s, size_t n)
{
    pthread_once(&opening_once, opening_build);
    for (size_t i = 0; i < n; i++) {
        uint64_t bits = opening[(unsigned char)s[i]];
        for (; bits; bits &= bits - 1) {
            unsigned k = (unsigned)__builtin_ctzll(bits);
            const char *pat = k < 32 ? credit_marks[k] : credit_ends[k - 32];
            size_t m = strlen(pat);
            if (i + m > n || memcmp(s + i, pat, m) != 0) continue;
            /* an end mark must end a word */
            if (k < 32 || i + m == n || !isalnum((unsigned char)s[i + m])) return 1;
        }
    }
    return 0;
}

static int is_stamp(const char *s, size_t n, size_t words)
{
    if (words == 0 || words > STAMP_MAX_WORDS) return 0;
    while (n && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    static const char *const opens[] = {"Posted", "Updated", "Published", "Last updated",
                                        "Last Updated"};
    int open = 0;
    for (size_t k = 0; k < sizeof opens / sizeof *opens && !open; k++) {
        size_t m = strlen(opens[k]);
        open = n >= m && memcmp(s, opens[k], m) == 0;
    }
    if (!open) return 0;
    for (size_t i = 0; i < n; i++)
        if (isdigit((unsigned char)s[i])) return 1;
    return 0;
}

/* Does the line end a sentence (a full stop, "!" or "?", maybe before a
 * closing quotation mark or parenthesis)? */
static int ends_sentence(const char *s, size_t n)
{
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    while (n && (s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ')'))
        n--;
    if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
        ((unsigned char)s[n - 1] == 0x9D || (unsigned char)s[n - 1] == 0x99))
        n -= 3; /* a closing curly quotation mark */
    return n && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?');
}

/* Set RP_TOK_FURNITURE on the tokens inside [lo, hi). */
static void mark_range(rp_tokens *t, size_t *k, uint32_t lo, uint32_t hi)
{
    while (*k < t->n && t->v[*k].start < lo)
        (*k)++;
    for (size_t j = *k; j < t->n && t->v[j].start < hi; j++)
        t->v[j].flags |= RP_TOK_FURNITURE;
}

size_t rp_furniture_mark(const char *text, size_t len, rp_tokens *t)
{
    size_t marked = 0, k = 0;
    /* the previous non-blank line, a caption if a credit line follows it */
    size_t prev_lo = 0, prev_hi = 0, prev_words = 0;
    int prev_marked = 1;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - i, words = count_words(text + i, n);
        if (words) {
            size_t tail = n > CREDIT_TAIL ? n - CREDIT_TAIL : 0;
            int credit_line = words <= CREDIT_LINE_WORDS && has_credit(text + i, n);
            int caption = words <= CAPTION_MAX_WORDS && has_credit(text + i + tail, n - tail);
            if (credit_line && !prev_marked && prev_words <= CAPTION_MAX_WORDS &&
                ends_sentence(text + prev_lo, prev_hi - prev_lo)) {
                size_t k0 = 0;
                mark_range(t, &k0, (uint32_t)prev_lo, (uint32_t)prev_hi);
                marked++;
            }
            int mark = caption || is_stamp(text + i, n, words);
            if (mark) {
                mark_range(t, &k, (uint32_t)i, (uint32_t)end);
                marked++;
            }
            prev_lo = i;
            prev_hi = end;
            prev_words = words;
            prev_marked = mark;
        }
        i = end + 1;
    }
    return marked;
}
