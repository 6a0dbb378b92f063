/*
 * reader_common.h: what the reader fuzz targets share: the input is put
 * in an anonymous memory file (memfd) and read back through the public
 * reader, record by record, as `reprint index` would. Limits are lowered so
 * that the size cut-offs are reached by inputs of fuzzing size.
 */
#ifndef RP_FUZZ_READER_COMMON_H
#define RP_FUZZ_READER_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "reprint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read every record of (data, size) as format fmt; returns articles read. */
static size_t fuzz_read_all(const uint8_t *data, size_t size, rp_format fmt)
{
    size_t articles = 0;
    int fd = memfd_create("fuzz", MFD_CLOEXEC);
    if (fd < 0) abort();
    for (size_t off = 0; off < size;) {
        ssize_t w = write(fd, data + off, size - off);
        if (w <= 0) abort();
        off += (size_t)w;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    const char *paths[1] = {path};
    rp_reader_opts o = {.format = fmt, .max_record_bytes = 1 << 16, .max_text_bytes = 1 << 14};
    rp_reader *r = NULL;
    if (rp_reader_open(&r, paths, 1, &o) != RP_OK) abort();
    for (int i = 0; i < 100000; i++) {
        rp_article a;
        memset(&a, 0, sizeof a);
        rp_err e = rp_reader_next(r, &a);
        if (e == RP_DONE) break;
        if (e == RP_OK) {
            if (!a.id || !a.text || strlen(a.text) != a.text_len) abort();
            if (a.text_len > o.max_text_bytes) abort();
            articles++;
        } else if (e != RP_REJECT && e != RP_IO) {
            abort(); /* NOMEM and friends have no business here */
        }
        rp_article_clear(&a);
    }
    rp_reader_free(r);
    close(fd);
    return articles;
}

#endif
