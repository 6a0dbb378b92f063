/*
 * pgapi.c: libpq, loaded the first time a PostgreSQL database is named.
 *
 * The program links its libraries statically so that a process starts in a
 * few milliseconds (benchmarks/RESULTS.md, "query start-up"); Debian ships
 * libpq only as a shared library with two dozen dependencies of its own
 * (TLS, Kerberos, LDAP), whose loading alone would cost every SQLite run
 * more than its whole start. So libpq.so.5 is opened with dlopen when a
 * database argument is a PostgreSQL one, and its functions are reached
 * through the table db_pq (pgint.h maps the PQ names onto it).
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "db/pgint.h"

pq_api db_pq;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;    /* 1: every function found */
static char why[256]; /* else: what failed */

#define PQ_LIBRARY "libpq.so.5"

static void load(void)
{
    void *h = dlopen(PQ_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(why, sizeof why, "%s", e ? e : PQ_LIBRARY ": cannot be loaded");
        return;
    }
#define PQ_FN(ret, name, args)                                                                     \
    if (!(*(void **)&db_pq.name = dlsym(h, "PQ" #name))) {                                         \
        snprintf(why, sizeof why, "%s has no PQ%s", PQ_LIBRARY, #name);                            \
        return;                                                                                    \
    }
    PQ_FUNCTIONS
#undef PQ_FN
    loaded = 1;
}

int db_pq_load(const char **err)
{
    pthread_once(&once, load);
    if (!loaded && err) *err = why;
    return loaded;
}
