/*
 * _reprint.c: the C extension under the reprint Python package.
 *
 * A thin layer over libreprint's public API (reprint.h): an _Index object
 * holds one database handle, and each method converts Python values to the
 * library's (buf, len) texts and back. The friendly classes (Index, Match,
 * Cluster, Article, Comparison) are written in Python on top, in
 * __init__.py; this file only moves data and releases the GIL.
 *
 * Every call that can take long (indexing, querying, clustering, comparing,
 * and anything that may wait for SQLite's lock) runs without the GIL. The
 * texts it reads stay owned by Python objects that the call holds a
 * reference to, so their UTF-8 buffers stay valid; results are gathered in
 * C memory and turned into Python objects after the GIL is back. A handle
 * is used by one thread at a time (the library's rule), so each _Index has
 * a lock, taken with the GIL released so that two threads sharing an index
 * take turns instead of deadlocking.
 *
 * Errors become reprint.Error (reprint.NotFoundError for an unknown id)
 * carrying the library's message, with the rp_err name in .code. Passage
 * offsets from the library are byte offsets into UTF-8; Python indexes str
 * by code point, so they are converted before they are handed out.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <pythread.h>
#include <stdlib.h>
#include <string.h>

#include <reprint.h>

static PyObject *Error, *NotFoundError;

#define NAME_(name, msg) #name,
static const char *const err_names[] = {RP_ERRORS(NAME_)};
#undef NAME_

/* Raise the exception for e with message msg (the library's, else
 * rp_strerror's); returns NULL. */
static PyObject *raise_err(rp_err e, const char *msg)
{
    if (e == RP_NOMEM) return PyErr_NoMemory();
    PyObject *type = e == RP_NOTFOUND ? NotFoundError : Error;
    PyObject *inst = PyObject_CallFunction(type, "s", msg && *msg ? msg : rp_strerror(e));
    if (!inst) return NULL;
    const char *name = (unsigned)e < RP_ERR_COUNT_ ? err_names[e] : "UNKNOWN";
    PyObject *code = PyUnicode_FromString(name);
    if (!code || PyObject_SetAttrString(inst, "code", code) < 0) {
        Py_XDECREF(code);
        Py_DECREF(inst);
        return NULL;
    }
    Py_DECREF(code);
    PyErr_SetObject(type, inst);
    Py_DECREF(inst);
    return NULL;
}

/* Code points in s[0..off): UTF-8 bytes that do not continue a character. */
static Py_ssize_t chars_before(const char *s, size_t len, size_t off)
{
    Py_ssize_t n = 0;
    if (off > len) off = len;
    for (size_t i = 0; i < off; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}

/* A str from a NUL-terminated UTF-8 string, None for NULL. Invalid bytes
 * (never stored by reprint, which repairs input) are replaced. */
static PyObject *str_or_none(const char *s)
{
    if (!s) Py_RETURN_NONE;
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* UTF-8 of an optional str argument: NULL for None. -1 on a wrong type. */
static int opt_utf8(PyObject *o, const char *what, const char **s, size_t *n)
{
    *s = NULL;
    if (n) *n = 0;
    if (o == Py_None) return 0;
    if (!PyUnicode_Check(o)) {
        PyErr_Format(PyExc_TypeError, "%s must be a str or None, not %.100s", what,
                     Py_TYPE(o)->tp_name);
        return -1;
    }
    Py_ssize_t len;
    const char *u = PyUnicode_AsUTF8AndSize(o, &len);
    if (!u) return -1;
    *s = u;
    if (n) *n = (size_t)len;
    return 0;
}

/* ---- _Index ---- */

typedef struct {
    PyObject_HEAD rp_db *db;
    PyThread_type_lock lock;
} IndexObject;

/* Take the handle's lock without the GIL (another thread may hold it
 * while it works without the GIL itself). */
#define LOCKED_BEGIN(self) Py_BEGIN_ALLOW_THREADS PyThread_acquire_lock((self)->lock, WAIT_LOCK);
#define LOCKED_END(self)                                                                           \
    PyThread_release_lock((self)->lock);                                                           \
    Py_END_ALLOW_THREADS

static int need_open(IndexObject *self)
{
    if (self->db) return 0;
    PyErr_SetString(Error, "the index is closed");
    return -1;
}

static void Index_dealloc(IndexObject *self)
{
    rp_db_close(self->db);
    if (self->lock) PyThread_free_lock(self->lock);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static int Index_init(IndexObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"path", "readonly", "shingle_size", "permutations", "threshold", NULL};
    PyObject *pathobj;
    int readonly = 0;
    Py_ssize_t shingle = 0, perms = 0;
    double threshold = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O&|pnnd", kwlist, PyUnicode_FSConverter, &pathobj,
                                     &readonly, &shingle, &perms, &threshold))
        return -1;
    if (shingle < 0 || perms < 0) {
        Py_DECREF(pathobj);
        PyErr_SetString(PyExc_ValueError, "shingle_size and permutations must be positive");
        return -1;
    }
    if (!self->lock && !(self->lock = PyThread_allocate_lock())) {
        Py_DECREF(pathobj);
        PyErr_NoMemory();
        return -1;
    }
    rp_db_close(self->db);
    self->db = NULL;
    const char *path = PyBytes_AS_STRING(pathobj);
    rp_db *db = NULL;
    rp_err e;
    char err[1024] = "";
    Py_BEGIN_ALLOW_THREADS;
    e = rp_db_open(&db, path, readonly ? RP_DB_READONLY : 0);
    if (e && db) snprintf(err, sizeof err, "%s", rp_db_errmsg(db));
    if (!e && (shingle || perms || threshold >= 0))
        e = rp_params_init(db, (size_t)shingle, (size_t)perms, threshold, NULL, err, sizeof err);
    Py_END_ALLOW_THREADS;
    Py_DECREF(pathobj);
    if (e) {
        rp_db_close(db);
        if (e == RP_ARG && *err) {
            PyErr_SetString(PyExc_ValueError, err);
            return -1;
        }
        raise_err(e, err);
        return -1;
    }
    self->db = db;
    return 0;
}

static PyObject *Index_close(IndexObject *self, PyObject *unused)
{
    (void)unused;
    if (self->db) {
        LOCKED_BEGIN(self);
        rp_db_close(self->db);
        self->db = NULL;
        LOCKED_END(self);
    }
    Py_RETURN_NONE;
}

/* Rejects gathered during rp_index_records (no GIL: plain C memory). */
struct rejects {
    struct rej {
        uint64_t record;
        char *reason;
    } * v;
    size_t n, cap;
    int oom;
};

static void on_reject(void *ctx, const char *source, uint64_t record, const char *reason)
{
    (void)source;
    struct rejects *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        void *v = realloc(r->v, cap * sizeof *r->v);
        if (!v) {
            r->oom = 1;
            return;
        }
        r->v = v, r->cap = cap;
    }
    char *dup = strdup(reason ? reason : "rejected");
    if (!dup) {
        r->oom = 1;
        return;
    }
    r->v[r->n].record = record;
    r->v[r->n++].reason = dup;
}

/* add_records(records, site=None, jobs=0): records is a sequence of
 * 7-tuples (id, text, html, url, site, title, published), each a str or
 * None. Returns (indexed, exact_duplicates, already, [(position, reason)]),
 * positions 0-based. */
static PyObject *Index_add_records(IndexObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"records", "site", "jobs", NULL};
    PyObject *seq_in, *siteobj = Py_None, *seq = NULL, *result = NULL;
    unsigned jobs = 0;
    rp_record *recs = NULL;
    struct rejects rj = {0};
    if (!PyArg_ParseTupleAndKeywords(args, kw, "O|OI", kwlist, &seq_in, &siteobj, &jobs))
        return NULL;
    if (need_open(self)) return NULL;
    const char *site = NULL;
    if (opt_utf8(siteobj, "site", &site, NULL)) return NULL;
    if (!(seq = PySequence_Fast(seq_in, "records must be a sequence"))) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    if (!(recs = calloc(n ? (size_t)n : 1, sizeof *recs))) {
        PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *t = PySequence_Fast_GET_ITEM(seq, i);
        if (!PyTuple_Check(t) || PyTuple_GET_SIZE(t) != 7) {
            PyErr_SetString(PyExc_TypeError, "each record must be a 7-tuple");
            goto out;
        }
        rp_record *r = &recs[i];
        if (opt_utf8(PyTuple_GET_ITEM(t, 0), "id", &r->id, NULL) ||
            opt_utf8(PyTuple_GET_ITEM(t, 1), "text", &r->text, &r->text_len) ||
            opt_utf8(PyTuple_GET_ITEM(t, 2), "html", &r->html, &r->html_len) ||
            opt_utf8(PyTuple_GET_ITEM(t, 3), "url", &r->url, NULL) ||
            opt_utf8(PyTuple_GET_ITEM(t, 4), "site", &r->site, NULL) ||
            opt_utf8(PyTuple_GET_ITEM(t, 5), "title", &r->title, NULL) ||
            opt_utf8(PyTuple_GET_ITEM(t, 6), "published", &r->published, NULL))
            goto out;
    }
    rp_index_opts o = {0};
    o.reader.site = site;
    o.jobs = jobs;
    o.on_reject = on_reject;
    o.ctx = &rj;
    rp_index_stats st = {0};
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_index_records(self->db, recs, (size_t)n, &o, &st, err, sizeof err);
    LOCKED_END(self);
    if (e) {
        raise_err(e, err);
        goto out;
    }
    if (rj.oom) {
        PyErr_NoMemory();
        goto out;
    }
    PyObject *list = PyList_New((Py_ssize_t)rj.n);
    if (!list) goto out;
    for (size_t i = 0; i < rj.n; i++) {
        PyObject *item =
            Py_BuildValue("(Ks)", (unsigned long long)(rj.v[i].record - 1), rj.v[i].reason);
        if (!item) {
            Py_DECREF(list);
            goto out;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, item);
    }
    result = Py_BuildValue("(KKKN)", (unsigned long long)st.indexed,
                           (unsigned long long)st.exact_duplicates, (unsigned long long)st.already,
                           list);
out:
    for (size_t i = 0; i < rj.n; i++)
        free(rj.v[i].reason);
    free(rj.v);
    free(recs);
    Py_XDECREF(seq);
    return result;
}

/* query(text, min_score=-1, top=0) -> [(id, score, jaccard,
 * containment_input_in_match, containment_match_in_input)] best first. */
static PyObject *Index_query(IndexObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"text", "min_score", "top", NULL};
    const char *text;
    Py_ssize_t len, top = 0;
    double min_score = -1;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#|dn", kwlist, &text, &len, &min_score, &top))
        return NULL;
    if (need_open(self)) return NULL;
    if (top < 0) {
        PyErr_SetString(PyExc_ValueError, "top must be >= 0");
        return NULL;
    }
    rp_hit *hits = NULL;
    size_t n = 0;
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_query_text(self->db, text, (size_t)len, min_score, (size_t)top, &hits, &n, err,
                      sizeof err);
    LOCKED_END(self);
    if (e) return raise_err(e, err);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        const rp_match *m = &hits[i].m;
        PyObject *t = Py_BuildValue("(Ndddd)", str_or_none(hits[i].id), m->score, m->jaccard,
                                    m->cont_a_in_b, m->cont_b_in_a);
        if (!t) {
            Py_CLEAR(list);
            break;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)i, t);
    }
    rp_hits_free(hits, n);
    return list;
}

static PyObject *Index_stale(IndexObject *self, PyObject *unused)
{
    (void)unused;
    if (need_open(self)) return NULL;
    int stale = 1;
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_cluster_stale(self->db, &stale);
    LOCKED_END(self);
    if (e) return raise_err(e, rp_db_errmsg(self->db));
    return PyBool_FromLong(stale);
}

/* cluster(min_score=-1, jobs=0) -> (candidates, reuse_pairs, clusters,
 * clustered): verify, cluster and store. */
static PyObject *Index_cluster(IndexObject *self, PyObject *args, PyObject *kw)
{
    static char *kwlist[] = {"min_score", "jobs", NULL};
    rp_cluster_opts o = {.min_score = -1};
    if (!PyArg_ParseTupleAndKeywords(args, kw, "|dI", kwlist, &o.min_score, &o.jobs)) return NULL;
    if (need_open(self)) return NULL;
    rp_cluster_stats st = {0};
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_cluster_run(self->db, &o, &st, err, sizeof err);
    LOCKED_END(self);
    if (e) return raise_err(e, err);
    return Py_BuildValue("(KKKK)", (unsigned long long)st.candidates,
                         (unsigned long long)st.verified, (unsigned long long)st.clusters,
                         (unsigned long long)st.clustered);
}

static int cmp_row(const void *k, const void *r)
{
    int64_t a = *(const int64_t *)k, b = ((const rp_db_row *)r)->rowid;
    return (a > b) - (a < b);
}

static const char *id_of(const rp_db_row *rows, size_t n, int64_t rowid)
{
    const rp_db_row *r = bsearch(&rowid, rows, n, sizeof *rows, cmp_row);
    return r ? r->id : NULL;
}

/* stored_clusters() -> [(cluster, [(id, is_original, source_id, score,
 * jaccard, containment)])], clusters of two or more as stored by the last
 * run, original first. */
static PyObject *Index_stored_clusters(IndexObject *self, PyObject *unused)
{
    (void)unused;
    if (need_open(self)) return NULL;
    rp_db_member *m = NULL;
    rp_db_row *rows = NULL;
    size_t nm = 0, nrows = 0;
    rp_err e;
    char err[1024] = "";
    LOCKED_BEGIN(self);
    e = rp_db_load_clusters(self->db, &m, &nm);
    if (!e) e = rp_db_rows(self->db, &rows, &nrows);
    if (e) snprintf(err, sizeof err, "%s", rp_db_errmsg(self->db));
    LOCKED_END(self);
    PyObject *out = NULL;
    if (e) {
        raise_err(e, err);
        goto done;
    }
    if (!(out = PyList_New(0))) goto done;
    for (size_t i = 0, j; i < nm; i = j) {
        for (j = i; j < nm && m[j].cluster == m[i].cluster; j++)
            ;
        if (j - i < 2) continue;
        PyObject *members = PyList_New((Py_ssize_t)(j - i));
        if (!members) goto fail;
        for (size_t k = i; k < j; k++) {
            const rp_db_member *x = &m[k];
            PyObject *src = x->is_original ? (Py_INCREF(Py_None), Py_None)
                                           : str_or_none(id_of(rows, nrows, x->source));
            PyObject *t =
                Py_BuildValue("(NONddd)", str_or_none(id_of(rows, nrows, x->article)),
                              x->is_original ? Py_True : Py_False, src,
                              x->is_original ? 1.0 : x->score, x->jaccard, x->containment);
            if (!t) {
                Py_DECREF(members);
                goto fail;
            }
            PyList_SET_ITEM(members, (Py_ssize_t)(k - i), t);
        }
        PyObject *c = Py_BuildValue("(LN)", (long long)m[i].cluster, members);
        if (!c || PyList_Append(out, c) < 0) {
            Py_XDECREF(c);
            goto fail;
        }
        Py_DECREF(c);
    }
    goto done;
fail:
    Py_CLEAR(out);
done:
    free(m);
    rp_db_rows_free(rows, nrows);
    return out;
}

/* get(id) -> dict of the stored article, or None when the id is not
 * indexed. */
static PyObject *Index_get(IndexObject *self, PyObject *args)
{
    const char *id;
    if (!PyArg_ParseTuple(args, "s", &id)) return NULL;
    if (need_open(self)) return NULL;
    int64_t rowid = 0;
    rp_article a = {0};
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_db_find_id(self->db, id, &rowid);
    if (!e) e = rp_db_get(self->db, rowid, &a);
    if (e && e != RP_NOTFOUND) snprintf(err, sizeof err, "%s", rp_db_errmsg(self->db));
    LOCKED_END(self);
    if (e == RP_NOTFOUND) Py_RETURN_NONE;
    if (e) return raise_err(e, err);
    char pub[40];
    const char *p = a.published;
    if ((!p || !*p) && a.published_epoch != RP_TIME_UNKNOWN) {
        rp_time_format(a.published_epoch, pub, sizeof pub);
        p = pub;
    }
    PyObject *d = Py_BuildValue(
        "{s:N,s:N,s:N,s:N,s:N,s:N,s:N,s:L}", "id", str_or_none(a.id), "url", str_or_none(a.url),
        "site", str_or_none(a.site), "title", str_or_none(a.title), "published", str_or_none(p),
        "author", str_or_none(a.author), "text",
        a.text ? PyUnicode_DecodeUTF8(a.text, (Py_ssize_t)a.text_len, "replace")
               : (Py_INCREF(Py_None), Py_None),
        "indexed_at", (long long)a.indexed_at);
    rp_article_clear(&a);
    return d;
}

/* remove(id) -> members of the stored cluster that was dropped (0: none). */
static PyObject *Index_remove(IndexObject *self, PyObject *args)
{
    const char *id;
    if (!PyArg_ParseTuple(args, "s", &id)) return NULL;
    if (need_open(self)) return NULL;
    size_t csize = 0;
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_remove_id(self->db, id, &csize, err, sizeof err);
    LOCKED_END(self);
    if (e) return raise_err(e, err);
    return PyLong_FromSize_t(csize);
}

/* stats() -> dict of counts (articles, exact_duplicates, clusters,
 * clustered_articles) and the index's parameters. */
static PyObject *Index_stats(IndexObject *self, PyObject *unused)
{
    (void)unused;
    if (need_open(self)) return NULL;
    rp_db_stats st = {0};
    rp_params p;
    char err[1024] = "";
    rp_err e;
    LOCKED_BEGIN(self);
    e = rp_db_stats_get(self->db, &st);
    if (e) snprintf(err, sizeof err, "%s", rp_db_errmsg(self->db));
    if (!e && rp_params_load(self->db, &p) != RP_OK) rp_params_default(&p);
    LOCKED_END(self);
    if (e) return raise_err(e, err);
    return Py_BuildValue(
        "{s:K,s:K,s:K,s:K,s:n,s:n,s:d}", "articles", (unsigned long long)st.articles,
        "exact_duplicates", (unsigned long long)st.exact_duplicates, "clusters",
        (unsigned long long)st.clusters, "clustered_articles",
        (unsigned long long)st.clustered_articles, "shingle_size", (Py_ssize_t)p.shingle_k,
        "permutations", (Py_ssize_t)p.k, "threshold", p.min_score);
}

static PyMethodDef Index_methods[] = {
    {"close", (PyCFunction)Index_close, METH_NOARGS, "Close the database (idempotent)."},
    {"add_records", (PyCFunction)(void (*)(void))Index_add_records, METH_VARARGS | METH_KEYWORDS,
     "Index 7-tuples (id, text, html, url, site, title, published)."},
    {"query", (PyCFunction)(void (*)(void))Index_query, METH_VARARGS | METH_KEYWORDS,
     "Matches of a text against the index."},
    {"stale", (PyCFunction)Index_stale, METH_NOARGS,
     "Whether the stored clusters predate the last change."},
    {"cluster", (PyCFunction)(void (*)(void))Index_cluster, METH_VARARGS | METH_KEYWORDS,
     "Verify candidates, cluster and store the clusters."},
    {"stored_clusters", (PyCFunction)Index_stored_clusters, METH_NOARGS,
     "The stored clusters of two or more."},
    {"get", (PyCFunction)Index_get, METH_VARARGS, "The stored article with this id, or None."},
    {"remove", (PyCFunction)Index_remove, METH_VARARGS, "Remove an article by id."},
    {"stats", (PyCFunction)Index_stats, METH_NOARGS, "Counts and parameters."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject IndexType = {
    PyVarObject_HEAD_INIT(NULL, 0).tp_name = "reprint._reprint._Index",
    .tp_basicsize = sizeof(IndexObject),
    .tp_dealloc = (destructor)Index_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_doc = "A reprint database handle (use reprint.Index).",
    .tp_methods = Index_methods,
    .tp_init = (initproc)Index_init,
    .tp_new = PyType_GenericNew,
};

/* ---- module functions ---- */

/* compare(a, b) -> (score, jaccard, containment_a_in_b, containment_b_in_a,
 * coverage_a, coverage_b, [(a_start, a_end, b_start, b_end, quoted)]) with
 * offsets as str indices. */
static PyObject *mod_compare(PyObject *mod, PyObject *args)
{
    (void)mod;
    const char *a, *b;
    Py_ssize_t alen, blen;
    if (!PyArg_ParseTuple(args, "s#s#", &a, &alen, &b, &blen)) return NULL;
    rp_match m;
    memset(&m, 0, sizeof m);
    rp_err e;
    Py_BEGIN_ALLOW_THREADS;
    e = rp_compare_texts(a, (size_t)alen, b, (size_t)blen, &m);
    Py_END_ALLOW_THREADS;
    if (e) return raise_err(e, NULL);
    PyObject *ps = PyList_New((Py_ssize_t)m.npassages);
    for (size_t i = 0; ps && i < m.npassages; i++) {
        const rp_passage *p = &m.passages[i];
        PyObject *t = Py_BuildValue(
            "(nnnnO)", chars_before(a, (size_t)alen, p->a_start),
            chars_before(a, (size_t)alen, p->a_end), chars_before(b, (size_t)blen, p->b_start),
            chars_before(b, (size_t)blen, p->b_end), p->quoted ? Py_True : Py_False);
        if (!t) {
            Py_CLEAR(ps);
            break;
        }
        PyList_SET_ITEM(ps, (Py_ssize_t)i, t);
    }
    PyObject *r = ps ? Py_BuildValue("(ddddddN)", m.score, m.jaccard, m.cont_a_in_b, m.cont_b_in_a,
                                     m.coverage_a, m.coverage_b, ps)
                     : NULL;
    rp_match_clear(&m);
    return r;
}

static PyMethodDef module_methods[] = {
    {"compare", mod_compare, METH_VARARGS, "Compare two texts (no database)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT,
    "_reprint",
    "C extension of the reprint package.",
    -1,
    module_methods,
    NULL,
    NULL,
    NULL,
    NULL,
};

PyMODINIT_FUNC PyInit__reprint(void)
{
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    if (PyType_Ready(&IndexType) < 0) goto fail;
    Error = PyErr_NewExceptionWithDoc(
        "reprint.Error", "An error from libreprint; .code is its rp_err name.", NULL, NULL);
    if (!Error) goto fail;
    PyObject *bases = PyTuple_Pack(2, Error, PyExc_KeyError);
    if (!bases) goto fail;
    NotFoundError = PyErr_NewExceptionWithDoc("reprint.NotFoundError",
                                              "An id that is not in the index.", bases, NULL);
    Py_DECREF(bases);
    if (!NotFoundError) goto fail;
    Py_INCREF(&IndexType);
    Py_INCREF(Error);
    Py_INCREF(NotFoundError);
    if (PyModule_AddObject(m, "_Index", (PyObject *)&IndexType) < 0 ||
        PyModule_AddObject(m, "Error", Error) < 0 ||
        PyModule_AddObject(m, "NotFoundError", NotFoundError) < 0 ||
        PyModule_AddStringConstant(m, "LIBRARY_VERSION", RP_VERSION) < 0)
        goto fail;
    return m;
fail:
    Py_DECREF(m);
    return NULL;
}
