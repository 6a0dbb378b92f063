/*
 * index.c: the indexing pipeline.
 *
 * One reader thread turns input into batches of articles; N worker threads
 * compute each article's features (tokens, shingles, MinHash, band hashes,
 * content and line hashes); the calling thread is the only SQLite writer.
 * Batches carry sequence numbers and the writer takes them strictly in
 * order, so the database is the same whatever the number of workers. The
 * ring of batch slots is bounded, so memory does not grow with the input.
 * HTML pages (files, JSONL html records, WARC responses) leave the reader
 * unextracted (defer_html) and the workers extract them with
 * rp_article_finish: extraction costs more than reading, and in the reader
 * it was the pipeline's bottleneck. A page found unusable there becomes a
 * reject in its place, so rejects keep their input order.
 *
 * The writer decides, per article and in input order: an id already stored
 * is left alone (re-indexing is idempotent); a text already stored under
 * another id is recorded as its exact duplicate, without bands; anything
 * else is stored with its bands. Writes go in large transactions; a killed
 * run loses at most the open transaction, and running the same command
 * again completes it, since stored ids are skipped. Band rows are staged
 * as articles are written and moved into the buckets' sorted runs when the
 * run ends (rp_db_bands_flush), and after a commit whenever the staged rows
 * fill one flush pass (rp_db_bands_flush_due): each flush then reads the
 * staged rows once, where a flush of a whole long run read them once per
 * group of bands that fit in its memory (16 times at 1M articles), and the
 * runs it writes are merged as they grow (db/runs.c). Random-order inserts
 * into a large B-tree were most of the indexing time. Rows a killed run
 * staged are moved by the next run, or by the next cluster.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/loader.h"
#include "pipeline/pipeline.h"

#define BATCH_ITEMS 64
#define BATCH_BYTES (4u << 20)
#define COMMIT_EVERY 4096 /* articles per transaction */

enum item_kind { ITEM_ARTICLE, ITEM_ALREADY, ITEM_REJECT, ITEM_IOERR, ITEM_NONE };

typedef struct item {
    enum item_kind kind;
    rp_article a;
    char *reason; /* rejects */
    char *source; /* rejects */
    uint64_t record;
    uint64_t *bands;
    size_t ntokens;
    uint64_t chash;
    uint64_t *lines;
    size_t nlines;
    void *ztext; /* the text compressed for storing */
    size_t zlen;
    rp_err err; /* feature extraction failure: the article is rejected */
    int stored; /* unextracted page whose id is already stored */
    /* The writer's rp_db_find_batch of the item's batch: rowid of the id
     * and of the first article with the text, 0 for none, as the batch
     * began (looked: they were looked up); rowid: the item's own once
     * stored, for the later items of the same batch. */
    int looked;
    int64_t id_rowid, hash_rowid, rowid;
    char *empty; /* named paths that gave nothing, before this item: "path\twhy\n"... */
} item;

enum slot_state { SLOT_EMPTY, SLOT_FILLED, SLOT_WORKING, SLOT_DONE };

typedef struct slot {
    enum slot_state state;
    uint64_t seq;
    item *items;
    size_t n;
} slot;

typedef struct ctx {
    const rp_params *p;
    size_t nbands;
    rp_reader *reader;
    rp_reader_opts ropts; /* the reader's options, for rp_article_finish */
    rp_db *peek;          /* the reader's own read-only connection, or NULL */
    const rp_index_opts *o;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    slot *slots;
    size_t nslots;
    uint64_t next_fill, next_work, total_batches;
    int reader_done;
    int quit;     /* the writer failed: everyone stops */
    rp_err fatal; /* reader's fatal error */
    char fatal_msg[256];
    rp_buf empty; /* on_note notes not yet attached to an item (reader thread) */
} ctx;

static void item_clear(item *it)
{
    rp_article_clear(&it->a);
    free(it->reason);
    free(it->source);
    free(it->bands);
    free(it->lines);
    free(it->ztext);
    free(it->empty);
    memset(it, 0, sizeof *it);
}

/* The reader's on_note, in the reader thread: the note waits for the next
 * item, so the writer reports it in input order. */
static void note_empty(void *vc, const char *path, const char *why)
{
    ctx *c = vc;
    size_t len = c->empty.len;
    if (rp_buf_append(&c->empty, path, strlen(path)) || rp_buf_appendc(&c->empty, '\t') ||
        rp_buf_append(&c->empty, why, strlen(why)) || rp_buf_appendc(&c->empty, '\n'))
        c->empty.len = len; /* out of memory: the note is lost, nothing else */
}

/* Hand the notes waiting in c->empty to it. */
static void take_empty(ctx *c, item *it)
{
    if (!c->empty.len) return;
    it->empty = strndup(c->empty.data, c->empty.len);
    c->empty.len = 0;
}

/* Report an item's notes through the caller's on_note, in the writer. */
static void report_empty(const ctx *c, const item *it)
{
    const rp_reader_opts *ro = c->o ? &c->o->reader : NULL;
    if (!it->empty || !ro || !ro->on_note) return;
    for (char *line = it->empty, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        char *tab = memchr(line, '\t', (size_t)(nl - line));
        if (!tab) continue;
        *tab = *nl = '\0';
        ro->on_note(ro->note_ctx, line, tab + 1);
    }
}

static int stopping(const ctx *c)
{
    return c->o && c->o->stop && *c->o->stop;
}

/* Ids stored by an earlier run, looked up for the whole batch at once on
 * the reader's own connection (one round trip on PostgreSQL): their
 * articles skip the features. The writer still checks every id, so this
 * is only a shortcut, and a failed lookup skips nothing. An unextracted
 * page is still extracted by its worker, since a page that turns out
 * unusable is a reject. (Standard input's id is only settled by the
 * writer.) */
static void peek_stored(ctx *c, item *items, size_t n)
{
    if (!c->peek || !n) return;
    const char **ids = calloc(n, sizeof *ids);
    int64_t *rowids = calloc(n, sizeof *rowids);
    if (ids && rowids) {
        for (size_t i = 0; i < n; i++)
            if (items[i].kind == ITEM_ARTICLE && items[i].a.id && !items[i].a.from_stdin)
                ids[i] = items[i].a.id;
        if (rp_db_find_batch(c->peek, n, ids, NULL, rowids, NULL) == RP_OK)
            for (size_t i = 0; i < n; i++) {
                if (!ids[i] || !rowids[i]) continue;
                if (items[i].a.raw)
                    items[i].stored = 1;
                else
                    items[i].kind = ITEM_ALREADY;
            }
    }
    free(ids);
    free(rowids);
}

static void *reader_main(void *arg)
{
    ctx *c = arg;
    int eof = 0;
    while (!eof) {
        item *items = calloc(BATCH_ITEMS, sizeof *items);
        size_t n = 0, bytes = 0;
        if (!items) {
            pthread_mutex_lock(&c->mu);
            c->fatal = RP_NOMEM;
            pthread_mutex_unlock(&c->mu);
            break;
        }
        while (n < BATCH_ITEMS && bytes < BATCH_BYTES) {
            if (stopping(c)) {
                eof = 1;
                break;
            }
            item *it = &items[n];
            rp_err e = rp_reader_next(c->reader, &it->a);
            take_empty(c, it);
            if (e != RP_OK && stopping(c)) { /* a read given up on: no reject */
                rp_article_clear(&it->a);
                eof = 1;
                break;
            }
            if (e == RP_DONE) {
                if (it->empty) it->kind = ITEM_NONE, n++;
                eof = 1;
                break;
            }
            if (e == RP_OK) {
                it->kind = ITEM_ARTICLE;
                bytes += it->a.raw ? it->a.raw_len : it->a.text_len;
            } else if (e == RP_REJECT || e == RP_IO) {
                it->kind = e == RP_REJECT ? ITEM_REJECT : ITEM_IOERR;
                it->reason = strdup(rp_reader_errmsg(c->reader));
                const char *src = rp_reader_source(c->reader);
                it->source = strdup(src ? src : "?");
                it->record = rp_reader_record(c->reader);
            } else {
                pthread_mutex_lock(&c->mu);
                c->fatal = e;
                snprintf(c->fatal_msg, sizeof c->fatal_msg, "%s: %s",
                         rp_reader_source(c->reader) ? rp_reader_source(c->reader) : "input",
                         rp_reader_errmsg(c->reader));
                pthread_mutex_unlock(&c->mu);
                eof = 1;
                break;
            }
            n++;
        }
        peek_stored(c, items, n);
        pthread_mutex_lock(&c->mu);
        for (;;) {
            slot *s = &c->slots[c->next_fill % c->nslots];
            if (c->quit || s->state == SLOT_EMPTY) break;
            pthread_cond_wait(&c->cv, &c->mu);
        }
        if (c->quit) {
            pthread_mutex_unlock(&c->mu);
            for (size_t i = 0; i < n; i++)
                item_clear(&items[i]);
            free(items);
            break;
        }
        slot *s = &c->slots[c->next_fill % c->nslots];
        s->seq = c->next_fill++;
        s->items = items;
        s->n = n;
        s->state = SLOT_FILLED;
        pthread_cond_broadcast(&c->cv);
        pthread_mutex_unlock(&c->mu);
    }
    pthread_mutex_lock(&c->mu);
    c->reader_done = 1;
    c->total_batches = c->next_fill;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* Extract a deferred page; one found unusable becomes a reject with the
 * reason, source and record the reader would have given it. */
static void finish(ctx *c, item *it)
{
    char why[512];
    char *source = it->a.source;
    uint64_t record = it->a.record;
    it->a.source = NULL; /* rp_article_finish clears a on failure */
    rp_err e = rp_article_finish(&it->a, &c->ropts, why, sizeof why);
    if (e == RP_REJECT) {
        it->kind = ITEM_REJECT;
        it->source = source;
        it->record = record;
        it->reason = strdup(why);
        return;
    }
    it->a.source = source;
    it->a.record = record;
    if (e)
        it->err = e;
    else if (it->stored)
        it->kind = ITEM_ALREADY;
}

static void compute(ctx *c, rp_scratch *scr, rp_db_zipper **zp, item *it)
{
    if (it->kind != ITEM_ARTICLE) return;
    if (it->a.raw) finish(c, it);
    if (it->kind != ITEM_ARTICLE || it->err) return;
    it->chash = rp_content_hash(it->a.text, it->a.text_len);
    it->bands = malloc(c->nbands * sizeof *it->bands);
    if (!it->bands) {
        it->err = RP_NOMEM;
        return;
    }
    /* The language: --lang, else as the record gave it, else identified. */
    const char *lang = c->o && c->o->lang ? c->o->lang : it->a.lang;
    if (!lang) lang = rp_lang_detect(it->a.text, it->a.text_len);
    if (!it->a.lang || strcmp(it->a.lang, lang) != 0) {
        char *l = strdup(lang);
        if (!l) {
            it->err = RP_NOMEM;
            return;
        }
        free(it->a.lang);
        it->a.lang = l;
    }
    it->err = rp_features_bands_scratch(c->p, scr, it->a.text, it->a.text_len, it->a.lang,
                                        it->bands, &it->ntokens);
    if (!it->err) it->err = rp_line_hashes(it->a.text, it->a.text_len, &it->lines, &it->nlines);
    /* Compressing here keeps it off the single writer. */
    if (!it->err && it->a.text_len)
        it->err = rp_db_zip_text(zp, it->a.text, it->a.text_len, &it->ztext, &it->zlen);
}

static void *worker_main(void *arg)
{
    ctx *c = arg;
    rp_scratch scr = {0};
    rp_db_zipper *zp = NULL;
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->quit && c->next_work == c->next_fill && !c->reader_done)
            pthread_cond_wait(&c->cv, &c->mu);
        if (c->quit || (c->reader_done && c->next_work == c->next_fill)) break;
        slot *s = &c->slots[c->next_work % c->nslots];
        c->next_work++;
        s->state = SLOT_WORKING;
        pthread_mutex_unlock(&c->mu);
        for (size_t i = 0; i < s->n; i++)
            compute(c, &scr, &zp, &s->items[i]);
        pthread_mutex_lock(&c->mu);
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    rp_scratch_free(&scr);
    rp_db_zipper_free(zp);
    return NULL;
}

static void reject(const rp_index_opts *o, const char *source, uint64_t record, const char *why)
{
    if (o && o->on_reject) o->on_reject(o->ctx, source, record, why);
}

/* The id of an article from standard input without a canonical URL: "-",
 * else "-#2", "-#3"... the first one free or holding this same text
 * (*already set), so that a second page piped in is stored, not taken for
 * the first, and the same page piped twice is stored once. */
static rp_err number_stdin(rp_db *db, item *it, int *already)
{
    *already = 0;
    for (unsigned k = 1;; k++) {
        char id[32];
        int64_t rowid;
        if (k == 1)
            snprintf(id, sizeof id, "-");
        else
            snprintf(id, sizeof id, "-#%u", k);
        rp_err e = rp_db_find_id(db, id, &rowid);
        if (e == RP_NOTFOUND) {
            char *dup = strdup(id);
            if (!dup) return RP_NOMEM;
            free(it->a.id);
            it->a.id = dup;
            return RP_OK;
        }
        if (e) return e;
        rp_article s = {0};
        if ((e = rp_db_get(db, rowid, &s))) return e;
        *already = s.text && rp_content_hash(s.text, s.text_len) == it->chash;
        rp_article_clear(&s);
        if (*already) return RP_OK;
    }
}

/* The writer's id and content checks of a whole batch in one
 * rp_db_find_batch (one round trip on PostgreSQL instead of two per
 * article), inside the open write transaction, so no other writer stores
 * anything between them and the inserts. Articles from standard input
 * named "-" are numbered one by one (number_stdin) and checked then. */
static rp_err look_up_batch(rp_db *db, item *items, size_t n)
{
    const char **ids = calloc(n ? n : 1, sizeof *ids);
    uint64_t *hashes = calloc(n ? n : 1, sizeof *hashes);
    int64_t *idr = calloc(n ? n : 1, sizeof *idr), *hr = calloc(n ? n : 1, sizeof *hr);
    rp_err e = ids && hashes && idr && hr ? RP_OK : RP_NOMEM;
    size_t asked = 0;
    for (size_t i = 0; i < n && !e; i++) {
        item *it = &items[i];
        if (it->kind != ITEM_ARTICLE || it->err || !it->a.id ||
            (it->a.from_stdin && !strcmp(it->a.id, "-")))
            continue;
        ids[i] = it->a.id;
        hashes[i] = it->chash;
        asked++;
    }
    if (!e && asked) e = rp_db_find_batch(db, n, ids, hashes, idr, hr);
    for (size_t i = 0; i < n && !e && asked; i++) {
        if (!ids[i]) continue;
        items[i].looked = 1;
        items[i].id_rowid = idr[i];
        items[i].hash_rowid = hr[i];
    }
    free(ids);
    free(hashes);
    free(idr);
    free(hr);
    return e;
}

/* rp_db_find_id and rp_db_find_content for items[k] from its batch's
 * look-up, completed by the articles stored before it in the batch. */
static rp_err find_id_in(rp_db *db, item *items, size_t k, int64_t *rowid)
{
    item *it = &items[k];
    if (!it->looked) return rp_db_find_id(db, it->a.id, rowid);
    if ((*rowid = it->id_rowid)) return RP_OK;
    for (size_t j = 0; j < k; j++)
        if (items[j].rowid && !strcmp(items[j].a.id, it->a.id)) {
            *rowid = items[j].rowid;
            return RP_OK;
        }
    return RP_NOTFOUND;
}

static rp_err find_content_in(rp_db *db, item *items, size_t k, int64_t *rowid)
{
    item *it = &items[k];
    if (!it->looked) return rp_db_find_content(db, it->chash, rowid);
    /* a stored rowid is below every rowid the batch has given since */
    if ((*rowid = it->hash_rowid)) return RP_OK;
    for (size_t j = 0; j < k; j++)
        if (items[j].rowid && items[j].chash == it->chash) {
            *rowid = items[j].rowid;
            return RP_OK;
        }
    return RP_NOTFOUND;
}

/* Store items[k], the k-th article of its batch. Returns RP_OK, or a
 * database error. */
static rp_err write_item(rp_db *db, const ctx *c, item *items, size_t k, rp_index_stats *st)
{
    item *it = &items[k];
    rp_err e;
    int64_t rowid;
    report_empty(c, it);
    if (it->kind == ITEM_NONE) return RP_OK;
    if (it->kind == ITEM_ALREADY) {
        st->already++;
        return RP_OK;
    }
    if (it->kind != ITEM_ARTICLE) {
        if (it->kind == ITEM_REJECT)
            st->rejected++;
        else
            st->io_errors++;
        reject(c->o, it->source, it->record, it->reason ? it->reason : "unreadable");
        return RP_OK;
    }
    if (it->err) {
        st->rejected++;
        char why[128];
        snprintf(why, sizeof why, "could not compute features: %s", rp_strerror(it->err));
        reject(c->o, it->a.source ? it->a.source : "?", it->a.record, why);
        return it->err == RP_NOMEM ? RP_NOMEM : RP_OK;
    }
    st->repaired += it->a.repaired;
    if (it->a.from_stdin && !strcmp(it->a.id, "-")) {
        int already;
        if ((e = number_stdin(db, it, &already))) return e;
        if (already) {
            st->already++;
            return RP_OK;
        }
    }
    e = find_id_in(db, items, k, &rowid);
    if (e == RP_OK) {
        st->already++;
        return RP_OK;
    }
    if (e != RP_NOTFOUND) return e;
    rp_db_doc d = {
        .content_hash = it->chash, .ntokens = it->ntokens, .ztext = it->ztext, .zlen = it->zlen};
    e = find_content_in(db, items, k, &rowid);
    if (e == RP_OK) {
        d.exact_of = rowid;
        st->exact_duplicates++;
    } else if (e == RP_NOTFOUND) {
        d.bands = it->bands;
        d.nbands = c->nbands;
    } else {
        return e;
    }
    if ((e = rp_db_insert(db, &it->a, &d, &rowid))) return e;
    it->rowid = rowid;
    if ((e = rp_db_site_lines_add(db, it->a.site ? it->a.site : "", it->lines, it->nlines)))
        return e;
    st->indexed++;
    if (it->a.published && *it->a.published && it->a.published_epoch == RP_TIME_UNKNOWN) {
        /* kept as given, but no date reprint can compare: say so */
        if (!st->unparsed_dates++)
            snprintf(st->unparsed_example, sizeof st->unparsed_example, "%s", it->a.published);
    }
    return RP_OK;
}

rp_err rp_index_paths(rp_db *db, const char *const *paths, size_t npaths, const rp_index_opts *opts,
                      rp_index_stats *st, char *err, size_t errsz)
{
    rp_params p;
    ctx c;
    rp_err e;
    rp_index_stats at_begin = {0}; /* the counts when the open transaction began */
    pthread_t rd, *wk = NULL;
    size_t nwk = 0, since_commit = 0;
    int reader_started = 0, in_tx = 0;
    uint64_t next_write = 0;

    memset(st, 0, sizeof *st);
    memset(&c, 0, sizeof c);
    if (err && errsz) err[0] = '\0';
    if ((e = rp_params_load(db, &p))) {
        if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
        return e;
    }
    unsigned jobs = opts && opts->jobs ? opts->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    if (jobs > 256) jobs = 256;
    c.p = &p;
    c.nbands = rp_params_nbands(&p);
    c.o = opts;
    c.nslots = 2 * (size_t)jobs + 2;
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.cv, NULL);
    if (!(c.slots = calloc(c.nslots, sizeof *c.slots)) || !(wk = calloc(jobs, sizeof *wk))) {
        e = RP_NOMEM;
        goto out;
    }
    if (opts) c.ropts = opts->reader;
    c.ropts.defer_html = 1;
    c.ropts.stop = opts ? opts->stop : NULL;
    c.ropts.on_note = note_empty;
    c.ropts.note_ctx = &c;
    if ((e = rp_reader_open(&c.reader, paths, npaths, &c.ropts))) {
        if (err) snprintf(err, errsz, "cannot open input: %s", rp_strerror(e));
        goto out;
    }
    /* A resumed or daily run meets many ids it stored before: the reader
     * looks them up on a connection of its own (WAL lets it read while the
     * writer writes) so that workers do not compute their features again. */
    if (rp_db_path(db) && rp_db_open(&c.peek, rp_db_path(db), RP_DB_READONLY) != RP_OK) {
        rp_db_close(c.peek);
        c.peek = NULL;
    }
    if (pthread_create(&rd, NULL, reader_main, &c)) {
        e = RP_NOMEM;
        goto out;
    }
    reader_started = 1;
    for (; nwk < jobs; nwk++)
        if (pthread_create(&wk[nwk], NULL, worker_main, &c)) break;
    if (nwk == 0) {
        e = RP_NOMEM;
        goto out;
    }

    for (;;) {
        pthread_mutex_lock(&c.mu);
        slot *s = &c.slots[next_write % c.nslots];
        while (!(s->state == SLOT_DONE && s->seq == next_write) &&
               !(c.reader_done && next_write == c.total_batches))
            pthread_cond_wait(&c.cv, &c.mu);
        int finished = c.reader_done && next_write == c.total_batches &&
                       !(s->state == SLOT_DONE && s->seq == next_write);
        pthread_mutex_unlock(&c.mu);
        if (finished) break;
        if (!in_tx) {
            if ((e = rp_db_begin(db))) goto dberr;
            in_tx = 1;
            at_begin = *st;
        }
        e = look_up_batch(db, s->items, s->n);
        for (size_t i = 0; i < s->n; i++) {
            st->bytes += s->items[i].a.text_len;
            if (!e) e = write_item(db, &c, s->items, i, st);
        }
        for (size_t i = 0; i < s->n; i++)
            item_clear(&s->items[i]);
        since_commit += s->n;
        free(s->items);
        pthread_mutex_lock(&c.mu);
        s->items = NULL;
        s->n = 0;
        s->state = SLOT_EMPTY;
        next_write++;
        pthread_cond_broadcast(&c.cv);
        pthread_mutex_unlock(&c.mu);
        if (e) goto dberr;
        if (since_commit >= COMMIT_EVERY) {
            if (st->indexed > at_begin.indexed && (e = rp_index_touch(db))) goto dberr;
            if ((e = rp_db_commit(db))) goto dberr;
            in_tx = 0;
            since_commit = 0;
            if (rp_db_bands_flush_due(db) && (e = rp_db_bands_flush(db))) goto dberr;
        }
        if (opts && opts->progress)
            opts->progress(opts->ctx, st->indexed + st->already + st->rejected, st->bytes);
    }
    if (in_tx) {
        if (st->indexed > at_begin.indexed && (e = rp_index_touch(db))) goto dberr;
        if ((e = rp_db_commit(db))) goto dberr;
        in_tx = 0;
    }
    /* Staged band rows enter the bucket table sorted, once per run (also
     * when interrupted, so what was committed can be queried). */
    if ((e = rp_db_bands_flush(db))) goto dberr;
    st->skipped = rp_reader_skipped(c.reader);
    if (c.fatal) {
        e = c.fatal;
        if (err) snprintf(err, errsz, "%s", c.fatal_msg);
    } else if (opts && opts->stop && *opts->stop) {
        e = RP_INTERRUPTED;
    }
    goto out;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
    if (in_tx) {
        /* What the open transaction stored is lost (a full disk fails
         * the commit itself): the summary counts committed articles only.
         * Rejects and skipped ids stay counted; they were reported. */
        rp_db_rollback(db);
        st->indexed = at_begin.indexed;
        st->exact_duplicates = at_begin.exact_duplicates;
        st->repaired = at_begin.repaired;
        st->unparsed_dates = at_begin.unparsed_dates;
    }
out:
    pthread_mutex_lock(&c.mu);
    c.quit = 1;
    pthread_cond_broadcast(&c.cv);
    pthread_mutex_unlock(&c.mu);
    if (reader_started) pthread_join(rd, NULL);
    for (size_t i = 0; i < nwk; i++)
        pthread_join(wk[i], NULL);
    if (c.slots) {
        for (size_t i = 0; i < c.nslots; i++) {
            for (size_t j = 0; j < c.slots[i].n; j++)
                item_clear(&c.slots[i].items[j]);
            free(c.slots[i].items);
        }
    }
    free(c.slots);
    free(wk);
    rp_reader_free(c.reader);
    rp_db_close(c.peek);
    rp_buf_free(&c.empty);
    pthread_mutex_destroy(&c.mu);
    pthread_cond_destroy(&c.cv);
    return e;
}

/* ---- records in memory ---- */

typedef struct rec_work {
    ctx *c;
    const rp_record *recs;
    item *items;
    uint64_t first; /* 1-based number of items[0] among the caller's records */
} rec_work;

/* One record into its item: the article, then its features (in a worker). */
static void rec_one(void *arg, size_t i)
{
    rec_work *w = arg;
    item *it = &w->items[i];
    char why[512];
    rp_err e = rp_article_from_record(&it->a, &w->recs[i], "record", w->first + i, &w->c->ropts,
                                      why, sizeof why);
    if (e) {
        it->kind = ITEM_REJECT;
        it->source = strdup("record");
        it->record = w->first + i;
        it->reason = strdup(e == RP_REJECT ? why : rp_strerror(e));
        return;
    }
    it->kind = ITEM_ARTICLE;
    rp_scratch scr = {0};
    rp_db_zipper *zp = NULL;
    compute(w->c, &scr, &zp, it);
    rp_scratch_free(&scr);
    rp_db_zipper_free(zp);
}

rp_err rp_index_records(rp_db *db, const rp_record *recs, size_t n, const rp_index_opts *opts,
                        rp_index_stats *st, char *err, size_t errsz)
{
    rp_params p;
    ctx c;
    rp_err e;
    item *items = NULL;
    size_t batch = 0;
    memset(st, 0, sizeof *st);
    memset(&c, 0, sizeof c);
    if (err && errsz) err[0] = '\0';
    if (n && !recs) return RP_ARG;
    if ((e = rp_params_load(db, &p))) {
        if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
        return e;
    }
    unsigned jobs = opts && opts->jobs ? opts->jobs : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
    if (jobs < 1) jobs = 1;
    c.p = &p;
    c.nbands = rp_params_nbands(&p);
    c.o = opts;
    if (opts) c.ropts = opts->reader;
    c.ropts.defer_html = 0;
    c.ropts.on_note = NULL;
    for (size_t at = 0; at < n; at += batch) {
        batch = n - at < COMMIT_EVERY ? n - at : COMMIT_EVERY;
        if (!(items = calloc(batch, sizeof *items))) {
            e = RP_NOMEM;
            goto out;
        }
        rec_work w = {&c, recs + at, items, at + 1};
        rp_parallel_for(batch, jobs, rec_one, &w);
        rp_index_stats before = *st;
        if ((e = rp_db_begin(db))) {
            for (size_t i = 0; i < batch; i++)
                item_clear(&items[i]);
            goto dberr;
        }
        for (size_t i = 0; i < batch; i++) {
            st->bytes += items[i].a.text_len;
            if (!e) e = write_item(db, &c, items, i, st);
            item_clear(&items[i]);
        }
        free(items);
        items = NULL;
        if (!e && st->indexed > before.indexed) e = rp_index_touch(db);
        if (!e) e = rp_db_commit(db);
        if (e) {
            rp_db_rollback(db);
            st->indexed = before.indexed;
            st->exact_duplicates = before.exact_duplicates;
            st->repaired = before.repaired;
            st->unparsed_dates = before.unparsed_dates;
            goto dberr;
        }
        if (rp_db_bands_flush_due(db) && (e = rp_db_bands_flush(db))) goto dberr;
    }
    if ((e = rp_db_bands_flush(db))) goto dberr;
    goto out;
dberr:
    if (err) snprintf(err, errsz, "%s", rp_db_errmsg(db));
out:
    free(items);
    return e;
}
