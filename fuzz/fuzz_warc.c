/*
 * fuzz_warc.c: libFuzzer target for the WARC reader: arbitrary bytes read as
 * a WARC file through the public reader (reader_common.h), every record
 * either an article with consistent fields or a reject with a reason.
 */
#include "fuzz/reader_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_read_all(data, size, RP_FMT_WARC);
    return 0;
}
