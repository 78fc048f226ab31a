/*
 * retold/batch.h - the batch pipeline: read a corpus, sketch every document,
 * find candidate pairs with LSH, verify them, cluster.
 *
 *   pass 1   reader -> sketch (N threads; documents keep input order)
 *   LSH      band hashes sorted per band -> candidate pairs
 *   verify   drop a candidate whose distinct shingle counts alone put J
 *            below t (J <= min / max; surface-only runs, every mode);
 *            estimate J = matches / k for every other one; then, by mode:
 *              ESTIMATE  keep est >= t
 *              AUTO      keep est >= t + 3 sigma, drop est < t - 3 sigma,
 *                        compute the exact value in between
 *                        (sigma = sqrt(t (1 - t) / k): the estimate's
 *                        standard deviation at the threshold)
 *              EXACT     exact Jaccard and containment for every candidate
 *                        with est >= t - 3 sigma
 *            exact values need the shingle sets: a second pass re-reads the
 *            inputs and re-shingles only the documents involved.
 *   cluster  union-find over kept pairs; a cluster is named by its smallest
 *            document index (its first document in input order).
 *
 * Containment is |A n B| / min(|A|, |B|) over distinct shingles; estimated
 * pairs derive it from J and the distinct counts:
 *     |A n B| = J (|A| + |B|) / (1 + J).
 *
 * Memory: per document the signature (4k bytes), band hashes (8b), the id
 * and optional source/date/lang; the texts are not kept.  Output is the
 * same for any thread count.
 */
#ifndef RETOLD_BATCH_H
#define RETOLD_BATCH_H

#include <stddef.h>
#include <stdint.h>
#include "retold/sketch.h"
#include "retold/reader.h"
#include "retold/relation.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { RETOLD_VERIFY_AUTO = 0, RETOLD_VERIFY_EXACT, RETOLD_VERIFY_ESTIMATE };

typedef struct retold_batch_opts {
    retold_params params;
    retold_reader_opts reader;
    unsigned threads;        /* worker threads (0 = 1) */
    int verify;              /* RETOLD_VERIFY_* (surface-only runs; with
                                more views every candidate is exact) */
    unsigned relations;      /* keep only these: bit (1 << RETOLD_REL_*);
                                0 = all */
    double max_df;           /* boilerplate control: shingles found in more
                                than max_df documents (max_df >= 1) or in
                                more than that fraction of them (0 < max_df
                                < 1) are left out of the signatures, so they
                                create no candidates (exact scores still count
                                them), unless that would leave out more than
                                half of a document (then it is a widely
                                copied story, kept whole); costs a first
                                pass.  0 = off. */
    unsigned top_k;          /* > 0: keep each document's top_k pairs by
                                (relation, score); with a reference, each
                                input document's top_k matches */
} retold_batch_opts;

void retold_batch_opts_default(retold_batch_opts *o);

#define RETOLD_PAIR_EXACT 0x1u   /* jaccard/containment are exact */

typedef struct retold_pair {
    uint32_t a, b;           /* document indexes, a < b */
    float jaccard;           /* surface view (word n-grams) */
    float containment;       /* surface view: |A n B| / min(|A|, |B|) */
    uint32_t flags;          /* RETOLD_PAIR_* */
    int relation;            /* RETOLD_REL_*: how a and b are related */
    float score;             /* the similarity that decided the relation,
                                comparable across pairs (for ranking) */
    float view_jaccard[RETOLD_VIEW_COUNT];      /* -1 where not computed */
    float view_containment[RETOLD_VIEW_COUNT];  /* -1 where not computed */
} retold_pair;

typedef struct retold_batch_stats {
    uint64_t docs, empty_docs, bytes, tokens, invalid_utf8;
    uint64_t skipped, skipped_binary;
    uint64_t candidates, verified_exact, pairs, clusters, clustered_docs;
    uint64_t skipped_buckets;    /* low-threshold views: buckets too common
                                    to be evidence (see lsh.h) */
    uint64_t boilerplate_limit;  /* document frequency above which shingles
                                    were left out (0: no --max-df) */
    double sec_df, sec_sketch, sec_lsh, sec_verify, sec_cluster;
} retold_batch_stats;

typedef struct retold_batch retold_batch;

/* New batch with options o (copied; params are resolved here).  Returns
 * RETOLD_OK, RETOLD_INVAL (message via retold_batch_errmsg on *out, which is
 * then still allocated) or RETOLD_NOMEM (*out NULL). */
int retold_batch_new(retold_batch **out, const retold_batch_opts *o);
void retold_batch_free(retold_batch *b);            /* NULL is a no-op */

/* Run the pipeline over inputs[0..n) and, when nref > 0, the reference
 * corpus refs[0..nref): then only pairs between an input and a reference
 * document are considered (input documents come first in index order).
 * Returns RETOLD_OK or the first error (detail in retold_batch_errmsg). */
int retold_batch_run(retold_batch *b, const char *const *inputs, size_t n,
                     const char *const *refs, size_t nref);

const char *retold_batch_errmsg(const retold_batch *b);
const retold_params *retold_batch_params(const retold_batch *b);

/* Documents read, and each one's id (not NUL-terminated), side (0 input,
 * 1 reference) and distinct shingle count.  Owned by the batch. */
size_t retold_batch_size(const retold_batch *b);
const char *retold_batch_id(const retold_batch *b, size_t doc, size_t *len);
int retold_batch_side(const retold_batch *b, size_t doc);
uint32_t retold_batch_shingles(const retold_batch *b, size_t doc);

/* Optional fields of a document (source, date, lang as read; NULL with
 * *len = 0 when absent).  Owned by the batch. */
const char *retold_batch_source(const retold_batch *b, size_t doc, size_t *len);
const char *retold_batch_date(const retold_batch *b, size_t doc, size_t *len);
const char *retold_batch_lang(const retold_batch *b, size_t doc, size_t *len);

/* The primary language the views used for a document (given or detected;
 * "und" when unknown or when only the surface view ran).  NUL-terminated,
 * owned by the batch. */
const char *retold_batch_doc_lang(const retold_batch *b, size_t doc);

/* Kept pairs, sorted by (a, b).  Owned by the batch. */
const retold_pair *retold_batch_pairs(const retold_batch *b, size_t *n);

/* cluster[doc] = smallest document index in doc's cluster (doc itself for a
 * singleton).  Owned by the batch. */
const uint32_t *retold_batch_clusters(const retold_batch *b);

/* Read the inputs of one side again, calling fn for every record with its
 * document index (the same records as the run).  fn returns 0 to go on,
 * non-zero to stop (returned as is). */
typedef int (*retold_record_fn)(void *ctx, const retold_record *rec, size_t doc);
int retold_batch_reread(retold_batch *b, int side, retold_record_fn fn, void *ctx);

void retold_batch_get_stats(const retold_batch *b, retold_batch_stats *s);

#ifdef __cplusplus
}
#endif
#endif
