/*
 * fuzz_gzip.c: libFuzzer target for gzip-transparent reading.
 *
 * The input is wrapped so that most cases exercise inflate itself: unless
 * it already starts with the gzip magic, it is prefixed with a minimal gzip
 * header (no flags), so the fuzzer mutates deflate data, trailers and
 * further members. The first byte after that picks the format the
 * decompressed bytes are read as (auto, text, html, jsonl, warc).
 */
#include "fuzz/reader_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const unsigned char hdr[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
    if (size < 1) return 0;
    rp_format fmt = (rp_format)(data[0] % 5);
    data++, size--;
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        fuzz_read_all(data, size, fmt);
        return 0;
    }
    uint8_t *buf = malloc(size + sizeof hdr);
    if (!buf) return 0;
    memcpy(buf, hdr, sizeof hdr);
    if (size) memcpy(buf + sizeof hdr, data, size);
    fuzz_read_all(buf, size + sizeof hdr, fmt);
    free(buf);
    return 0;
}
