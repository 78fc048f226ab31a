/*
 * retold/index.h - a standing on-disk index: add documents as they arrive,
 * query each new one against everything stored, remove, forget by date.
 *
 * An index is a directory holding one LMDB environment (data.mdb,
 * lock.mdb).  It records every parameter that shapes signatures and
 * candidates (retold_params, RETOLD_NORM_VERSION); an index made with other
 * parameters, or by a newer format version, is refused with a message
 * naming what differs.  doc/format-index.md describes the layout.
 *
 * Per document the index stores its id, source, date and language tag, its
 * signatures, its distinct shingle counts and fingerprint, and its text
 * (zstd-compressed), so a query verifies candidates exactly the way the
 * batch does (retold_batch_run): a query of document X against an index of
 * corpus C finds the pairs (X, c) that `retold pairs` finds on C + X.
 *
 * Transactions and durability.  Writes (add, remove, forget) go into one
 * write transaction that retold_index_commit() makes durable (fsync unless
 * RETOLD_INDEX_NOSYNC); with opts.batch_docs > 0 the library commits by
 * itself every batch_docs documents and calls opts.on_commit afterwards.
 * Nothing uncommitted survives retold_index_close() or a crash.  A killed
 * writer leaves the index as of its last commit.  Queries from other
 * handles or processes never block on the writer and see whole documents
 * only (each query reads one consistent snapshot); queries on a handle with
 * uncommitted writes see those writes.
 *
 * Threads and processes: one handle is used by one thread at a time.  Open
 * an index at most once per process (LMDB's rule: closing a second handle
 * on the same files drops the first one's locks); share the handle
 * instead.  Many processes may read; writers serialise on the index's
 * lock.
 *
 * Errors: every call returns RETOLD_OK or a status (error.h); the detail,
 * naming the index directory and what was wrong, is in
 * retold_index_errmsg().  The library never prints or exits.
 */
#ifndef RETOLD_INDEX_H
#define RETOLD_INDEX_H

#include <stddef.h>
#include <stdint.h>
#include "retold/sketch.h"
#include "retold/reader.h"
#include "retold/batch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The on-disk format this library writes and reads (doc/format-index.md). */
#define RETOLD_INDEX_FORMAT_VERSION 1

typedef struct retold_index retold_index;

/* opts.flags */
#define RETOLD_INDEX_READONLY 0x1u  /* queries, stats and check only */
#define RETOLD_INDEX_NOSYNC   0x2u  /* no fsync at commit (bulk loads): a
                                       killed process loses nothing that was
                                       committed, but an OS crash or power
                                       loss before the next sync may lose or
                                       damage the last commits.  Closing the
                                       handle syncs. */

/* What a commit reports to opts.on_commit, after the data is durable. */
typedef struct retold_index_progress {
    uint64_t added, replaced, skipped, removed;  /* through this handle */
    uint64_t docs;                               /* documents now stored */
    uint64_t commits;
} retold_index_progress;

typedef void (*retold_index_commit_fn)(void *ctx, const retold_index_progress *p);

typedef struct retold_index_opts {
    unsigned flags;          /* RETOLD_INDEX_* */
    unsigned threads;        /* sketching threads in retold_index_add_many
                                and retold_index_query_many (0 = 1) */
    size_t batch_docs;       /* > 0: commit every batch_docs changed
                                documents (default 0: only on commit) */
    uint64_t map_size;       /* largest the index may grow, bytes
                                (0 = 1 TiB; the file grows as needed) */
    retold_index_commit_fn on_commit;
    void *commit_ctx;
} retold_index_opts;

void retold_index_opts_default(retold_index_opts *o);

/* Create a new index in dir (made if missing; it must not already hold an
 * index or other files) with parameters p (resolved here).  On success *out
 * is an open, writable handle.  On failure *out is NULL (RETOLD_NOMEM) or a
 * handle whose errmsg says why, which the caller closes.  Returns RETOLD_OK,
 * RETOLD_INVAL (bad params), RETOLD_EXISTS, RETOLD_IO, RETOLD_NOSPACE. */
int retold_index_create(retold_index **out, const char *dir, const retold_params *p,
                        const retold_index_opts *o);

/* Open an existing index.  Same *out contract as create.  Refusals:
 * RETOLD_NOTFOUND (no index in dir), RETOLD_CORRUPT (foreign, truncated or
 * damaged files), RETOLD_VERSION (written by a newer format or another
 * normalisation version), RETOLD_IO (permissions, ...). */
int retold_index_open(retold_index **out, const char *dir, const retold_index_opts *o);

/* Roll back anything uncommitted, sync (with NOSYNC) and close.  NULL is a
 * no-op. */
void retold_index_close(retold_index *ix);

/* Detail of the last error; never NULL, owned by the handle. */
const char *retold_index_errmsg(const retold_index *ix);

/* The index's parameters (resolved).  Owned by the handle. */
const retold_params *retold_index_params(const retold_index *ix);

/* Parameters a caller insists on: which fields of p to compare. */
#define RETOLD_PARAM_NGRAM      0x01u
#define RETOLD_PARAM_CHAR_NGRAM 0x02u
#define RETOLD_PARAM_PERMS      0x04u
#define RETOLD_PARAM_SEED       0x08u
#define RETOLD_PARAM_THRESHOLD  0x10u
#define RETOLD_PARAM_BANDS      0x20u   /* bands and rows */
#define RETOLD_PARAM_VIEWS      0x40u
#define RETOLD_PARAM_ALL        0x7Fu

/* RETOLD_OK if the index's parameters equal p's in `fields`, else
 * RETOLD_PARAMS with a message naming the first that differs. */
int retold_index_check_params(retold_index *ix, const retold_params *p, unsigned fields);

/* ---- writing ---------------------------------------------------------- */

/* When a document's id is already stored. */
enum { RETOLD_INDEX_ERROR_IF_EXISTS = 0, RETOLD_INDEX_REPLACE, RETOLD_INDEX_SKIP_EXISTING };

/* What happened to one document. */
enum { RETOLD_INDEX_ADDED = 0, RETOLD_INDEX_REPLACED, RETOLD_INDEX_SKIPPED };

/* Sketch doc (id, text, optional source/date/lang; raw/path/line are used
 * for messages only) and store it in the write transaction.  An id already
 * stored gives RETOLD_EXISTS with on_exists == ERROR_IF_EXISTS (nothing
 * written; the transaction stays usable).  *outcome (may be NULL) gets
 * RETOLD_INDEX_ADDED / _REPLACED / _SKIPPED.  Other errors (RETOLD_NOSPACE,
 * RETOLD_IO, RETOLD_CORRUPT) roll back everything uncommitted. */
int retold_index_add(retold_index *ix, const retold_record *doc, int on_exists, int *outcome);

/* The same for docs[0..n) in order, sketching on opts.threads threads
 * ahead of the writer (documents are stored in order).  outcomes[0..n) may
 * be NULL.  Stops at the first error; *done (may be
 * NULL) gets how many documents were handled before it. */
int retold_index_add_many(retold_index *ix, const retold_record *docs, size_t n,
                          int on_exists, int *outcomes, size_t *done);

/* Remove the document with this id (RETOLD_NOTFOUND if none). */
int retold_index_remove(retold_index *ix, const char *id, size_t id_len);

/* Remove every document whose date is before `date` (byte order: ISO 8601
 * dates, "2024-03-01" or "2024-03-01T12:00:00Z", compare correctly);
 * documents without a date stay.  *removed gets the count.  Commits as it
 * goes when opts.batch_docs > 0. */
int retold_index_forget(retold_index *ix, const char *date, size_t date_len, uint64_t *removed);

/* Make every write so far durable.  RETOLD_OK with nothing pending too. */
int retold_index_commit(retold_index *ix);

/* Drop every uncommitted write. */
void retold_index_rollback(retold_index *ix);

/* ---- querying --------------------------------------------------------- */

typedef struct retold_index_query_opts {
    unsigned top_k;          /* > 0: the top_k best matches only */
    unsigned relations;      /* keep only these (bit 1 << RETOLD_REL_*); 0 = all */
    int verify;              /* RETOLD_VERIFY_* (surface-only indexes; with
                                more views every candidate is exact) */
    int include_self;        /* also report a stored document with the
                                query's own id (default: not) */
    int add;                 /* query_many: store each document after its
                                query, so each is checked against all
                                before it */
    int on_exists;           /* with add: RETOLD_INDEX_ERROR_IF_EXISTS... */
} retold_index_query_opts;

void retold_index_query_opts_default(retold_index_query_opts *q);

/* One stored document that matches a query.  Strings point into the
 * handle (NUL-terminated as well) and stay valid until the next call on
 * it. */
typedef struct retold_index_match {
    uint64_t docno;                       /* internal number, stable */
    const char *id;      size_t id_len;
    const char *source;  size_t source_len;   /* NULL when absent */
    const char *date;    size_t date_len;     /* NULL when absent */
    const char *lang;    size_t lang_len;     /* the tag given; NULL if none */
    char doc_lang[RETOLD_LANG_LEN];       /* language the views used */
    int relation;                         /* RETOLD_REL_* */
    float score;                          /* what decided the relation */
    float jaccard, containment;           /* surface view */
    float view_jaccard[RETOLD_VIEW_COUNT];      /* -1 where not computed */
    float view_containment[RETOLD_VIEW_COUNT];
    uint32_t flags;                       /* RETOLD_PAIR_EXACT */
} retold_index_match;

/* What a query learnt about the query document itself. */
typedef struct retold_index_query_info {
    char lang[RETOLD_LANG_LEN];           /* language the views used */
    size_t shingles;                      /* distinct surface shingles */
    size_t candidates;                    /* LSH candidates examined */
    size_t skipped_buckets;               /* low-threshold views: buckets
                                             too common to be evidence */
    size_t verified_exact;
    int outcome;                          /* with add: RETOLD_INDEX_* */
} retold_index_query_info;

/* Matches of doc, best first: relation (duplicate > near-copy > ... >
 * related), then score, then earlier docno.  *m is owned by the handle and
 * valid until its next call.  info may be NULL. */
int retold_index_query(retold_index *ix, const retold_record *doc,
                       const retold_index_query_opts *q,
                       const retold_index_match **m, size_t *n,
                       retold_index_query_info *info);

/* Query docs[0..n) in order (sketching on opts.threads threads), calling
 * fn for each with its matches (valid during the call); with q->add each
 * document is stored after its query.  fn returns 0 to go on, non-zero to
 * stop (returned as is).  *done as in add_many. */
typedef int (*retold_index_match_fn)(void *ctx, size_t i, const retold_index_match *m, size_t n,
                                     const retold_index_query_info *info);
int retold_index_query_many(retold_index *ix, const retold_record *docs, size_t n,
                            const retold_index_query_opts *q,
                            retold_index_match_fn fn, void *ctx, size_t *done);

/* ---- inspecting ------------------------------------------------------- */

typedef struct retold_index_stats {
    uint32_t format_version;
    uint64_t docs, empty_docs, dated_docs, sources;
    uint64_t postings;                    /* LSH band entries */
    uint64_t text_bytes, stored_text_bytes;   /* raw / compressed */
    char first_date[65], last_date[65];   /* "" when no document has one */
    uint64_t file_bytes;                  /* data.mdb size on disk */
    uint64_t used_bytes;                  /* pages in use */
    uint64_t page_size, map_size;
    uint64_t created;                     /* Unix time */
    uint64_t next_docno;
} retold_index_stats;

int retold_index_get_stats(retold_index *ix, retold_index_stats *s);

/* Verify the whole index: every record's checksum and encoding, that every
 * document's text decompresses to its recorded length, that the id, date,
 * text and LSH tables agree with the documents both ways, and the state
 * counters.  With deep != 0 every text is also re-sketched and compared with
 * its stored signature.  Each problem goes to fn (may be NULL) as one line;
 * *problems gets the count.  Returns RETOLD_OK (no problem), RETOLD_CORRUPT
 * or another error that stopped the check. */
typedef void (*retold_index_problem_fn)(void *ctx, const char *problem);
int retold_index_check(retold_index *ix, int deep, retold_index_problem_fn fn, void *ctx,
                       uint64_t *problems);

/* Look one document up by id: RETOLD_OK and *m (valid until the next call
 * on ix; relation fields zero), or RETOLD_NOTFOUND.  With text != NULL
 * also its text (malloc'd, caller frees; *text_len its length). */
int retold_index_get(retold_index *ix, const char *id, size_t id_len,
                     retold_index_match *m, char **text, size_t *text_len);

#ifdef __cplusplus
}
#endif
#endif
