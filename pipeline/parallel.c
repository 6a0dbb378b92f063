/*
 * parallel.c: a minimal parallel for. Threads take indexes from a shared
 * atomic counter, so uneven work (long and short articles) balances itself.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "pipeline/loader.h"

typedef struct pf {
    atomic_size_t next;
    size_t n;
    void (*fn)(void *, size_t);
    void *arg;
} pf;

static void *run(void *v)
{
    pf *p = v;
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= p->n) break;
        p->fn(p->arg, i);
    }
    return NULL;
}

void rp_parallel_for(size_t n, unsigned jobs, void (*fn)(void *arg, size_t i), void *arg)
{
    pf p = {.n = n, .fn = fn, .arg = arg};
    atomic_init(&p.next, 0);
    if (jobs > 64) jobs = 64;
    pthread_t t[64];
    unsigned started = 0;
    if (n > 1)
        for (; started + 1 < jobs; started++)
            if (pthread_create(&t[started], NULL, run, &p)) break;
    run(&p);
    for (unsigned i = 0; i < started; i++)
        pthread_join(t[i], NULL);
}
