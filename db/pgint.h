/*
 * pgint.h: what the PostgreSQL files of db/ (pg*.c) share: the connection
 * state behind rp_db.pg, the statement table and the result helpers. Only
 * these files include libpq-fe.h.
 *
 * Statements are prepared on the server the first time a handle runs them
 * and named by their id. Parameters go as text (integers printed in
 * decimal) except BLOBs, which go as binary; every result comes back in
 * binary, read by the pg_ helpers below whatever the integer width.
 */
#ifndef RP_PGINT_H
#define RP_PGINT_H

#include <libpq-fe.h>

#include "db/dbint.h"

/* libpq's functions, loaded on first use (pgapi.c): each PQ name below is
 * a call through the table db_pq, so the files keep libpq's names. */
#define PQ_FUNCTIONS                                                                               \
    PQ_FN(void, clear, (PGresult *))                                                               \
    PQ_FN(int, ntuples, (const PGresult *))                                                        \
    PQ_FN(int, nfields, (const PGresult *))                                                        \
    PQ_FN(int, getisnull, (const PGresult *, int, int))                                            \
    PQ_FN(char *, getvalue, (const PGresult *, int, int))                                          \
    PQ_FN(int, getlength, (const PGresult *, int, int))                                            \
    PQ_FN(ExecStatusType, resultStatus, (const PGresult *))                                        \
    PQ_FN(char *, resultErrorMessage, (const PGresult *))                                          \
    PQ_FN(char *, resultErrorField, (const PGresult *, int))                                       \
    PQ_FN(PGresult *, exec, (PGconn *, const char *))                                              \
    PQ_FN(PGresult *, prepare, (PGconn *, const char *, const char *, int, const Oid *))           \
    PQ_FN(PGresult *, execPrepared,                                                                \
          (PGconn *, const char *, int, const char *const *, const int *, const int *, int))       \
    PQ_FN(PGresult *, execParams,                                                                  \
          (PGconn *, const char *, int, const Oid *, const char *const *, const int *,             \
           const int *, int))                                                                      \
    PQ_FN(PGresult *, getResult, (PGconn *))                                                       \
    PQ_FN(int, putCopyData, (PGconn *, const char *, int))                                         \
    PQ_FN(int, putCopyEnd, (PGconn *, const char *))                                               \
    PQ_FN(int, getCopyData, (PGconn *, char **, int))                                              \
    PQ_FN(PGTransactionStatusType, transactionStatus, (const PGconn *))                            \
    PQ_FN(ConnStatusType, status, (const PGconn *))                                                \
    PQ_FN(char *, errorMessage, (const PGconn *))                                                  \
    PQ_FN(PQnoticeProcessor, setNoticeProcessor, (PGconn *, PQnoticeProcessor, void *))            \
    PQ_FN(void, freemem, (void *))                                                                 \
    PQ_FN(PGconn *, connectdb, (const char *))                                                     \
    PQ_FN(void, finish, (PGconn *))                                                                \
    PQ_FN(PQconninfoOption *, conninfoParse, (const char *, char **))                              \
    PQ_FN(void, conninfoFree, (PQconninfoOption *))

typedef struct pq_api {
#define PQ_FN(ret, name, args) ret(*name) args;
    PQ_FUNCTIONS
#undef PQ_FN
} pq_api;
extern pq_api db_pq;

/* Load libpq once; 1 when it is there, else 0 and *err says why. */
int db_pq_load(const char **err);

#define PQclear db_pq.clear
#define PQntuples db_pq.ntuples
#define PQnfields db_pq.nfields
#define PQgetisnull db_pq.getisnull
#define PQgetvalue db_pq.getvalue
#define PQgetlength db_pq.getlength
#define PQresultStatus db_pq.resultStatus
#define PQresultErrorMessage db_pq.resultErrorMessage
#define PQresultErrorField db_pq.resultErrorField
#define PQexec db_pq.exec
#define PQprepare db_pq.prepare
#define PQexecPrepared db_pq.execPrepared
#define PQexecParams db_pq.execParams
#define PQgetResult db_pq.getResult
#define PQputCopyData db_pq.putCopyData
#define PQputCopyEnd db_pq.putCopyEnd
#define PQgetCopyData db_pq.getCopyData
#define PQtransactionStatus db_pq.transactionStatus
#define PQstatus db_pq.status
#define PQerrorMessage db_pq.errorMessage
#define PQsetNoticeProcessor db_pq.setNoticeProcessor
#define PQfreemem db_pq.freemem
#define PQconnectdb db_pq.connectdb
#define PQfinish db_pq.finish
#define PQconninfoParse db_pq.conninfoParse
#define PQconninfoFree db_pq.conninfoFree

enum pg_stmt_id {
    PG_META_GET,
    PG_META_SET,
    PG_FIND_ID,
    PG_FIND_CONTENT,
    PG_FIND_BATCH,
    PG_EXACT_COPIES,
    PG_ARTICLE_INSERT,
    PG_ARTICLE_GET,
    PG_ARTICLE_META,
    PG_ROWS,
    PG_STATS_ARTICLES,
    PG_STATS_CLUSTERS,
    PG_STATS_BANDS,
    PG_BAND_LOOKUP,
    PG_CLUSTER_OF,
    PG_CLUSTERS_LOAD,
    PG_SITE_LINES_GET,
    PG_SITE_DOCS,
    PG_COUNT_
};

/* A growing text buffer of rows in COPY's text format. */
typedef struct pg_buf {
    char *p;
    size_t n, cap;
} pg_buf;

/* One band row waiting for the transaction's COPY. */
typedef struct pg_band_row {
    int64_t hash;
    int64_t article;
    int32_t band;
} pg_band_row;

struct db_pg {
    PGconn *c;
    char prepared[PG_COUNT_];
    /* Band rows of the open transaction, sorted by key before the COPY:
     * rows entering the primary key's B-tree in key order went in 3.3x
     * faster than in article order (2.88M Reuters rows: 8.5 s, 28 s). */
    pg_band_row *brows;
    size_t nbrows, brcap;
    /* Rows added in the open transaction, written when it commits (or when
     * a read inside it needs them): band rows by one COPY into bands, site
     * counts by COPY into temporary tables merged with one upsert each. */
    pg_buf bands, lines, docs;
    int have_temp; /* the temporary tables exist on this connection */
    /* ",bands,clusters,...,": the tables with foreign partitions, whose
     * COPYs pg_copy_in stages (the sharded layout); NULL: none. */
    char *foreign;
    rp_err last; /* the code of the last failure pg_run/pg_query/pg_exec met */
};

/* Run statement id with n text (or, where fmts says 1, binary)
 * parameters; results in binary. NULL (message set, naming what) unless
 * the status is PGRES_TUPLES_OK or PGRES_COMMAND_OK. */
PGresult *pg_run(rp_db *db, enum pg_stmt_id id, int n, const char *const *vals, const int *lens,
                 const int *fmts, const char *what);
/* The same for SQL given in full (not prepared). */
PGresult *pg_query(rp_db *db, const char *sql, int n, const char *const *vals, const int *lens,
                   const int *fmts, const char *what);
/* The code of the failure that made pg_run or pg_query return NULL. */
#define PG_ERR(db) ((db)->pg->last)

/* Run SQL without parameters or results. */
rp_err pg_exec(rp_db *db, const char *sql, const char *what);

/* Record "PATH: what: server's message" and return the matching rp_err
 * (RP_BUSY for serialization failures and deadlocks). res may be NULL. */
rp_err pg_fail(rp_db *db, const PGresult *res, const char *what);

/* Binary result columns. */
int64_t pg_i64(const PGresult *r, int row, int col); /* NULL reads as 0 */
double pg_f64(const PGresult *r, int row, int col);
char *pg_strdup(const PGresult *r, int row, int col, int *oom); /* NULL for SQL NULL */

/* True when no transaction is open. */
int pg_autocommit(rp_db *db);

/* Append a COPY text field (escaped), then a tab or, last, a newline. */
rp_err pg_buf_text(pg_buf *b, const char *s, int last);
rp_err pg_buf_int(pg_buf *b, int64_t v, int last);
rp_err pg_buf_null(pg_buf *b, int last); /* SQL NULL */
void pg_buf_free(pg_buf *b);
/* COPY the buffer's rows into "table(columns)" and empty it. */
rp_err pg_copy_in(rp_db *db, const char *target, pg_buf *b, const char *what);

/* Write the rows pending in the open transaction (pgmisc.c: site counts;
 * pgbands.c: band rows). */
rp_err pg_sites_write(rp_db *db);
rp_err pg_bands_write(rp_db *db);

/* The buckets of the band rows that match the SQL condition where (NULL
 * or "": all), read in key order by one COPY, their pairs added to pairs
 * by the bucket rule (buckets.c), not yet compacted (pgbands.c; the
 * candidates and a cluster job's parts, pgwork.c). */
rp_err pg_bucket_scan(rp_db *db, const char *where, const db_bucket_rule *rule, const db_order *ord,
                      db_vec *pairs, uint64_t *wide);

#endif
