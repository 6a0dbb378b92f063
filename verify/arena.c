/*
 * arena.c: memory for the prepared docs of one clustering run.
 *
 * A run holds tens of thousands of prepared docs at once and replaces them
 * chunk after chunk. From malloc each doc's block lands on fresh 4 KiB
 * pages, and on this kind of machine (a virtual machine) every first touch
 * of a page is a costly fault: on Reuters-21578 a quarter of a million
 * faults were 15% of the run's CPU. The arena takes memory from the kernel
 * in large regions marked for transparent huge pages (MADV_HUGEPAGE; a
 * 2 MiB page faults once), cuts doc blocks from them and keeps freed blocks
 * on a free list per size class for the next docs of that size. Classes are
 * eight per power of two, so a block wastes under an eighth of its size.
 * Memory goes back to the kernel when the arena is freed, at the end of the
 * run. Blocks too big for a class (rare, very long texts) come from malloc.
 * One mutex guards it: docs are prepared on every thread and freed on one.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "verify/docarena.h"

#define REGION ((size_t)32 << 20) /* bytes mapped at a time */
#define MIN_SHIFT 9               /* the smallest class holds 512 bytes */
#define MAX_SHIFT 20              /* blocks over 1 MiB come from malloc */
#define NCLASS ((MAX_SHIFT - MIN_SHIFT) * 8 + 1)

typedef struct region {
    struct region *next;
    size_t size;
} region;

struct rp_docarena {
    pthread_mutex_t mu;
    void *free_list[NCLASS]; /* each free block holds the next one's address */
    region *regions;
    char *bump, *end; /* the unused tail of the newest region */
};

rp_err rp_docarena_new(rp_docarena **out)
{
    rp_docarena *a = calloc(1, sizeof *a);
    if (!a) return RP_NOMEM;
    pthread_mutex_init(&a->mu, NULL);
    *out = a;
    return RP_OK;
}

void rp_docarena_free(rp_docarena *a)
{
    if (!a) return;
    for (region *r = a->regions; r;) {
        region *n = r->next;
        munmap(r, r->size);
        r = n;
    }
    pthread_mutex_destroy(&a->mu);
    free(a);
}

/* The class of a block of `bytes` and its size: for 2^b < bytes <=
 * 2^(b+1), bytes rounded up to a multiple of 2^(b-3) (9 to 16 of them);
 * class 0 holds up to 2^MIN_SHIFT. -1 when too big for any. A block's size
 * is in its own class, so release finds the class again from it. */
static int size_class(size_t bytes, size_t *size)
{
    if (bytes <= (size_t)1 << MIN_SHIFT) {
        *size = (size_t)1 << MIN_SHIFT;
        return 0;
    }
    if (bytes > (size_t)1 << MAX_SHIFT) return -1;
    unsigned b = MIN_SHIFT;
    while (((size_t)2 << b) < bytes)
        b++;
    size_t step = (size_t)1 << (b - 3), n = (bytes + step - 1) / step;
    *size = n * step;
    return (int)(b - MIN_SHIFT) * 8 + (int)(n - 9) + 1;
}

void *rp_docarena_alloc(rp_docarena *a, size_t bytes, size_t *got)
{
    size_t size;
    int c = size_class(bytes, &size);
    if (c < 0 || c >= NCLASS) {
        *got = 0;
        return malloc(bytes);
    }
    *got = size;
    pthread_mutex_lock(&a->mu);
    void *p = a->free_list[c];
    if (p) {
        a->free_list[c] = *(void **)p;
        pthread_mutex_unlock(&a->mu);
        return p;
    }
    if ((size_t)(a->end - a->bump) < size) {
        /* The old tail (under one block) is left unused. */
        void *m = mmap(NULL, REGION, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            pthread_mutex_unlock(&a->mu);
            *got = 0;
            return malloc(bytes);
        }
#ifdef MADV_HUGEPAGE
        madvise(m, REGION, MADV_HUGEPAGE); /* a hint: without it, 4 KiB pages */
#endif
        region *r = m;
        r->size = REGION;
        r->next = a->regions;
        a->regions = r;
        a->bump = (char *)m + 64; /* blocks stay 64-byte aligned */
        a->end = (char *)m + REGION;
    }
    p = a->bump;
    a->bump += size;
    pthread_mutex_unlock(&a->mu);
    return p;
}

void rp_docarena_release(rp_docarena *a, void *p, size_t got)
{
    if (!p) return;
    if (!got) {
        free(p);
        return;
    }
    size_t size;
    int c = size_class(got, &size);
    pthread_mutex_lock(&a->mu);
    *(void **)p = a->free_list[c];
    a->free_list[c] = p;
    pthread_mutex_unlock(&a->mu);
}
