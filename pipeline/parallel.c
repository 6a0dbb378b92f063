/*
 * parallel.c: a minimal parallel for, and a pool of threads kept across
 * batches. Threads take indexes from a shared atomic counter, so uneven
 * work (long and short articles) balances itself.
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

/* A pool of threads kept for a whole run, so that the threads' own state
 * (the tokeniser's stemmers and stem cache, verification scratch) stays
 * warm from one batch to the next instead of being rebuilt per batch. */
struct rp_pool {
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned nthreads, busy;
    unsigned long gen;
    int quit;
    void (*fn)(void *, size_t);
    void *arg;
    size_t n;
    atomic_size_t next;
    pthread_t t[64];
};

static void take(rp_pool *p, void (*fn)(void *, size_t), void *arg, size_t n)
{
    for (;;) {
        size_t i = atomic_fetch_add(&p->next, 1);
        if (i >= n) break;
        fn(arg, i);
    }
}

static void *pool_main(void *v)
{
    rp_pool *p = v;
    unsigned long seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (p->gen == seen && !p->quit)
            pthread_cond_wait(&p->go, &p->mu);
        if (p->quit) break;
        seen = p->gen;
        void (*fn)(void *, size_t) = p->fn;
        void *arg = p->arg;
        size_t n = p->n;
        pthread_mutex_unlock(&p->mu);
        take(p, fn, arg, n);
        pthread_mutex_lock(&p->mu);
        if (--p->busy == 0) pthread_cond_signal(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

rp_err rp_pool_new(rp_pool **out, unsigned threads)
{
    *out = NULL;
    rp_pool *p = calloc(1, sizeof *p);
    if (!p) return RP_NOMEM;
    if (threads > 64) threads = 64;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->go, NULL);
    pthread_cond_init(&p->done, NULL);
    atomic_init(&p->next, 0);
    for (; p->nthreads < threads; p->nthreads++)
        if (pthread_create(&p->t[p->nthreads], NULL, pool_main, p)) break;
    *out = p;
    return RP_OK;
}

void rp_pool_start(rp_pool *p, void (*fn)(void *arg, size_t i), void *arg, size_t n)
{
    pthread_mutex_lock(&p->mu);
    p->fn = fn;
    p->arg = arg;
    p->n = n;
    atomic_store(&p->next, 0);
    p->busy = p->nthreads;
    p->gen++;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
}

void rp_pool_finish(rp_pool *p)
{
    take(p, p->fn, p->arg, p->n);
    pthread_mutex_lock(&p->mu);
    while (p->busy)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void rp_pool_free(rp_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->go);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->nthreads; i++)
        pthread_join(p->t[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->go);
    pthread_cond_destroy(&p->done);
    free(p);
}
