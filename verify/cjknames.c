/*
 * cjknames.c: personal and place names in Chinese and Japanese, by their slot.
 *
 * Han and kana have no capitals, so doc.c's rule (a name is a capitalised
 * word inside a sentence) finds no name in them, and two independent
 * reports of one event, which share its names ("安倍晋三元首相", "村山富市氏",
 * "李克强同志", "积石山县"), seemed to share prose. The dictionary
 * segmentation does not know most names either: it cuts "安倍晋三元首相"
 * into 安倍|晋|三元|首相. But news writes names in fixed slots, right
 * before a title or honorific (氏, さん, 首相, 総理, 大統領, 主席, 同志, 总统,
 * 先生, 女士, 教授...), before an administrative suffix (市, 県, 省, 县...) or
 * before a bracketed age or reading ("(67)", "（むらやま・とみいち）"). So a
 * name is the run of ideographs or katakana that ends at such a slot,
 * counted in characters back from it (at most NAME_MAX_CHARS, so that a
 * Chinese clause without kana between its words does not become one long
 * name), and every word the run overlaps is marked, whatever the
 * segmentation made of it. The title is marked too, as "President" is in
 * "President Obama". Each slot looks back a bounded number of characters,
 * so marking is linear in the text.
 */
#include <stdint.h>
#include <string.h>

#include <utf8proc.h>

#include "lang/lang.h"
#include "reprint.h"
#include "verify/verify.h"

/* Characters of a name before its slot, at most. */
#define NAME_MAX_CHARS 5
/* Bytes between the brackets of an age or a reading, at most. */
#define BRACKET_MAX_BYTES 48

/* Titles and honorifics written right after a name, Japanese and Chinese
 * (simplified and traditional forms). Compared as prefixes of the text at a
 * word's start, so a title the segmentation splits ("容疑|者") is found. */
static const char *const titles[] = {
    "氏",   "さん",   "ちゃん", "首相",   "総理", "大統領", "議員",    "知事",   "市長",
    "長官", "大臣",   "教授",   "社長",   "会長", "委員長", "総裁",    "幹事長", "容疑者",
    "被告", "選手",   "監督",   "主席",   "总统", "總統",   "总理",    "總理",   "先生",
    "女士", "同志",   "总书记", "總書記", "书记", "書記",   "部长",    "部長",   "省长",
    "省長", "市长",   "院士",   "主教",   "国王", "國王",   "女王",    "陛下",   "殿下",
    "总裁", "董事长", "董事長", "议员",   "大使", "外相",   "官房長官"};

/* A one-character prefix between a name and its title: former, late,
 * current ("安倍元首相", "故鳥山明", "現首相"). */
static const char *const title_prefixes[] = {"元", "前", "原", "故", "現", "现"};

static const char *const place_suffixes[] = {
    "省", "市", "县", "縣", "県", "州",     "区",     "區",     "乡",     "鄉",    "镇",
    "鎮", "村", "町", "郡", "府", "自治区", "自治區", "自治州", "自治县", "自治縣"};

/* Every word of these lists is of whole 3-byte characters; its first
 * character, packed in an integer, is compared before anything else, so
 * that a word that opens none of them (nearly every word) costs a few
 * integer comparisons. */
static uint32_t key3(const char *s)
{
    return (uint32_t)(unsigned char)s[0] << 16 | (uint32_t)(unsigned char)s[1] << 8 |
           (unsigned char)s[2];
}

int rp_cjk_place_suffix(const char *s, size_t a, size_t b, int japanese)
{
    if (b - a < 3) return 0;
    /* 都 (Tokyo's 東京都) in Japanese only: in Chinese it is "all" (他们都) */
    if (japanese && b - a == 3 && memcmp(s + a, "都", 3) == 0) return 1;
    if (b - a == 6 && memcmp(s + a, "都内", 6) == 0) return 1;
    uint32_t k0 = key3(s + a);
    for (size_t k = 0; k < sizeof place_suffixes / sizeof *place_suffixes; k++) {
        const char *p = place_suffixes[k];
        if (key3(p) != k0) continue;
        size_t n = strlen(p);
        if (b - a == n && memcmp(s + a, p, n) == 0) return 1;
        /* "大分市内", "東京都内": the suffix with 内 (inside) after it */
        if (b - a == n + 3 && memcmp(s + a, p, n) == 0 && memcmp(s + a + n, "内", 3) == 0) return 1;
    }
    return 0;
}

/* Bytes of the title the text at `at` opens (0: none). */
static size_t title_at(const char *s, size_t len, size_t at)
{
    size_t best = 0;
    if (len - at < 3) return 0;
    uint32_t k0 = key3(s + at);
    for (size_t k = 0; k < sizeof titles / sizeof *titles; k++) {
        if (key3(titles[k]) != k0) continue;
        size_t n = strlen(titles[k]);
        if (n > best && n <= len - at && memcmp(s + at, titles[k], n) == 0) best = n;
    }
    return best;
}

/* The code point that ends at byte `end` (s[start, end) being UTF-8 of
 * whole characters); *at receives its first byte. -1 when none. */
static utf8proc_int32_t cp_before(const char *s, size_t start, size_t end, size_t *at)
{
    if (end <= start) return -1;
    size_t i = end - 1;
    while (i > start && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    utf8proc_int32_t cp;
    if (utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(end - i), &cp) <= 0)
        return -1;
    *at = i;
    return cp;
}

static int ideograph(utf8proc_int32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF);
}

static int katakana(utf8proc_int32_t cp)
{
    return (cp >= 0x30A0 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF);
}

/* Where the name that ends at byte `end` starts: back over at most
 * NAME_MAX_CHARS ideographs or katakana. Returns `end` when there is none. */
static size_t name_start(const char *s, size_t end)
{
    size_t at = end, p;
    for (int n = 0; n < NAME_MAX_CHARS; n++) {
        utf8proc_int32_t cp = cp_before(s, 0, at, &p);
        if (cp < 0 || !(ideograph(cp) || katakana(cp))) break;
        at = p;
    }
    return at;
}

/* Mark word w and the words before it that overlap the bytes [from, to). */
static void mark_back(const rp_doc *d, uint8_t *wname, size_t w, size_t from, size_t to)
{
    for (size_t k = w + 1; k-- > 0;) {
        const rp_token *t = &d->toks.v[d->wtok[k]];
        if (t->end <= from) break;
        if (t->start < to) wname[k] = 1;
    }
}

/* Is s[open, ...) a bracketed age or reading: ( or （, digits or kana and
 * ・, then ) or ）? Returns the byte after the closing bracket, 0 if not. */
static size_t bracket_slot(const char *s, size_t len, size_t open)
{
    size_t i = open;
    if (i < len && s[i] == '(')
        i++;
    else if (i + 3 <= len && memcmp(s + i, "（", 3) == 0)
        i += 3;
    else
        return 0;
    size_t first = i;
    while (i < len && i - first <= BRACKET_MAX_BYTES) {
        if (s[i] == ')') return i > first ? i + 1 : 0;
        if (i + 3 <= len && memcmp(s + i, "）", 3) == 0) return i > first ? i + 3 : 0;
        utf8proc_int32_t cp;
        utf8proc_ssize_t k =
            utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
        if (k <= 0) return 0;
        int ok = (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19) ||
                 (cp >= 0x3041 && cp <= 0x309F) || katakana(cp) || cp == 0x30FB;
        if (!ok) return 0;
        i += (size_t)k;
    }
    return 0;
}

/* The name that ends at byte `end`, and the title (if any) at [end,
 * title_end): mark their words, found back from word w. */
static void mark_slot(const rp_doc *d, uint8_t *wname, size_t w, size_t end, size_t title_end)
{
    size_t p;
    for (size_t k = 0; k < sizeof title_prefixes / sizeof *title_prefixes; k++) {
        size_t n = strlen(title_prefixes[k]);
        if (end >= n && memcmp(d->text + end - n, title_prefixes[k], n) == 0) {
            end -= n;
            break;
        }
    }
    size_t from = name_start(d->text, end);
    if (from == end) return;
    /* a lone character before a slot is a name only in a run of two or more */
    if (cp_before(d->text, from, end, &p) >= 0 && p == from && !title_end) return;
    mark_back(d, wname, w, from, title_end > end ? title_end : end);
}

void rp_cjk_names_mark(const rp_doc *d, uint8_t *wname)
{
    int japanese = strcmp(rp_lang_code(d->lang), "ja") == 0;
    const rp_tokens *t = &d->toks;
    const char *s = d->text;
    for (size_t i = 0; i < d->nw; i++) {
        const rp_token *tk = &t->v[d->wtok[i]];
        if (!(tk->flags & RP_TOK_CJK) || (unsigned char)s[tk->start] < 0xE3) continue;
        size_t tl = title_at(s, d->len, tk->start);
        if (tl) {
            /* the title's own words: up to where it ends */
            size_t end = tk->start + tl;
            for (size_t k = i; k < d->nw && t->v[d->wtok[k]].start < end; k++)
                if (t->v[d->wtok[k]].end <= end) wname[k] = 1;
            if (i > 0) mark_slot(d, wname, i - 1, tk->start, end);
        } else if (i > 0 && rp_cjk_place_suffix(s, tk->start, tk->end, japanese)) {
            wname[i] = 1;
            mark_slot(d, wname, i - 1, tk->start, 0);
        }
        size_t close = bracket_slot(s, d->len, tk->end);
        if (close) {
            /* the name before a title before the bracket: "安倍晋三元首相(67)" */
            size_t end = tk->end, cut = 0;
            for (size_t k = 0; k < sizeof titles / sizeof *titles; k++) {
                size_t n = strlen(titles[k]);
                if (n > cut && end >= n && memcmp(s + end - n, titles[k], n) == 0) cut = n;
            }
            end -= cut;
            mark_slot(d, wname, i, end, tk->end);
        }
    }
}
