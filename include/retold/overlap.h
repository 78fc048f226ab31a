/*
 * retold/overlap.h - overlap between outlets: who shares how much with whom,
 * in which direction, with what delay.
 *
 * A pure aggregation.  Input: for every document its outlet (the `source`
 * field) and date, and the related pairs of documents with their relation;
 * how the pairs were found does not matter.  Output, for every ordered pair
 * of outlets (A, B):
 *
 *   docs_a     documents of A
 *   shared     documents a of A related to at least one document b != a of B
 *              by a selected relation (default: the copy family - duplicate,
 *              near-copy, partial-copy)
 *   share      shared / docs_a
 *   b_first    shared documents published after B's earliest related
 *              document:  date(a) > min date(b)      ("B first")
 *   a_first    shared documents published before all of B's related ones:
 *              date(a) < min date(b)                 ("A first")
 *   ties       date(a) == min date(b)  (not in a_first nor b_first)
 *   undated    a has no date, or none of its related documents in B has
 *              one (also in neither direction)
 *   median_lag median over the dated shared documents of
 *              date(a) - min date(b), in days, signed: positive when A
 *              publishes after B (B first), negative when before; the mean
 *              of the two middle values for an even count; NaN if none.
 *
 * So shared = a_first + b_first + ties + undated.  Only the earliest related
 * document of B counts for a: a story that B ran on Monday and again on
 * Wednesday, and A on Tuesday, is "B first" with a lag of one day.
 *
 * Cells with A == B are self-reuse (an outlet re-running its own stories,
 * templates, updates): they use the same definitions with b != a, are kept
 * as their own cells, and never count towards the cross-outlet figures
 * (retold_overlap_outlet.shared_cross).
 *
 * Dates are ISO 8601 (retold_overlap_parse_date); a missing or unparsable
 * date makes the document undated (unparsable ones are counted in the
 * stats).  Documents without a source form the outlet with the empty name.
 *
 * Outlets are numbered in byte order of their names, so every output is
 * deterministic and independent of input order.  Cost: one pass over the
 * documents and the pairs after clustering, O(docs + outlets + P log P) for
 * P selected pairs; memory 32 bytes per document + 10 per pair + 128 per
 * non-zero cell (1,000,000 documents from 1,000 outlets with 3,000,000
 * pairs: 2.2 s and ~180 MB on a 2-core VM; bench/bench_overlap.c).
 */
#ifndef RETOLD_OVERLAP_H
#define RETOLD_OVERLAP_H

#include <stddef.h>
#include <stdint.h>
#include "retold/batch.h"
#include "retold/relation.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Relation masks: bit (1u << r) for relation r. */
#define RETOLD_REL_BIT(r)   (1u << (r))
#define RETOLD_RELS_COPY    (RETOLD_REL_BIT(RETOLD_REL_DUPLICATE) | RETOLD_REL_BIT(RETOLD_REL_NEAR_COPY) | \
                             RETOLD_REL_BIT(RETOLD_REL_PARTIAL_COPY))
#define RETOLD_RELS_ALL     (((1u << (RETOLD_REL_DUPLICATE + 1)) - 1) & ~RETOLD_REL_BIT(RETOLD_REL_NONE))

#define RETOLD_OVERLAP_NREL (RETOLD_REL_DUPLICATE + 1)

typedef struct retold_overlap_opts {
    unsigned relations;       /* mask of relations that count (RETOLD_RELS_COPY) */
} retold_overlap_opts;

void retold_overlap_opts_default(retold_overlap_opts *o);

/* Parse a relation list: comma-separated names (retold_relation_name), or
 * "copy" (the copy family) or "all".  Returns RETOLD_OK or RETOLD_INVAL. */
int retold_overlap_parse_relations(const char *list, unsigned *mask);

/* One document as the aggregation sees it.  NULL source: no source; NULL
 * date: undated.  Strings need not be NUL-terminated. */
typedef struct retold_overlap_doc {
    const char *source;  size_t source_len;
    const char *date;    size_t date_len;
} retold_overlap_doc;

/* Fill *d for document doc (0 <= doc < ndocs; called once per document, in
 * order).  The strings need only live until the next call. */
typedef void (*retold_overlap_doc_fn)(void *ctx, size_t doc, retold_overlap_doc *d);

/* One cell: A's documents matched in B (see the top of this file). */
typedef struct retold_overlap_cell {
    uint32_t a, b;                /* outlet indexes */
    uint64_t docs_a;
    uint64_t shared;
    uint64_t a_first, b_first, ties, undated;
    double share;                 /* shared / docs_a (0 when docs_a == 0) */
    double median_lag;            /* days; NaN when nothing is dated */
    /* shared documents by their strongest selected relation to B */
    uint64_t by_relation[RETOLD_OVERLAP_NREL];
} retold_overlap_cell;

typedef struct retold_overlap_outlet {
    uint64_t docs;
    uint64_t dated;               /* documents with a parsable date */
    uint64_t shared_cross;        /* documents related to another outlet's */
    uint64_t shared_self;         /* related to another document of this outlet */
} retold_overlap_outlet;

typedef struct retold_overlap_stats {
    uint64_t docs, outlets;
    uint64_t dated, missing_dates, bad_dates;   /* bad: present, unparsable */
    uint64_t no_source;           /* documents without a source */
    uint64_t pairs, pairs_ignored;   /* selected; ignored (other relations) */
    uint64_t shared_cross, shared_self;   /* documents, over all outlets */
} retold_overlap_stats;

typedef struct retold_overlap retold_overlap;

/* Aggregate ndocs documents (described by docs(ctx, i, ...)) and the pairs
 * pairs[0..npairs) (each with a < b < ndocs, or a > b; the order does not
 * matter) into a new handle in *out.  o may be NULL (defaults).  Pairs whose
 * relation is not selected are ignored (counted in the stats).  Returns
 * RETOLD_OK, RETOLD_INVAL (a document index out of range, or more than
 * 2^32 - 2 documents) or RETOLD_NOMEM; *out is NULL on failure. */
int retold_overlap_compute(retold_overlap **out, size_t ndocs, retold_overlap_doc_fn docs,
                           void *ctx, const retold_pair *pairs, size_t npairs,
                           const retold_overlap_opts *o);
void retold_overlap_free(retold_overlap *ov);       /* NULL is a no-op */

/* Outlets: count, name (not NUL-terminated; owned by ov), figures. */
size_t retold_overlap_outlets(const retold_overlap *ov);
const char *retold_overlap_outlet_name(const retold_overlap *ov, size_t outlet, size_t *len);
void retold_overlap_outlet_info(const retold_overlap *ov, size_t outlet, retold_overlap_outlet *info);

/* The non-zero cells (shared > 0), self cells included, sorted by (a, b).
 * Owned by ov. */
const retold_overlap_cell *retold_overlap_cells(const retold_overlap *ov, size_t *n);

/* The cell (a, b), zero-filled (docs_a set, median_lag NaN) when no
 * document of a is shared with b. */
void retold_overlap_get(const retold_overlap *ov, size_t a, size_t b, retold_overlap_cell *cell);

/* Per document: its outlet, and its date in days since 1970-01-01 00:00 UTC
 * (NaN when missing or unparsable). */
uint32_t retold_overlap_doc_outlet(const retold_overlap *ov, size_t doc);
double retold_overlap_doc_day(const retold_overlap *ov, size_t doc);

unsigned retold_overlap_relations(const retold_overlap *ov);
void retold_overlap_get_stats(const retold_overlap *ov, retold_overlap_stats *s);

/* The n outlets with most documents shared with other outlets (ties: more
 * documents, then name order) into top[0..): returns how many (<= n). */
size_t retold_overlap_top(const retold_overlap *ov, size_t n, uint32_t *top);

/* Order outlets[0..n) for display so that outlets that share much sit
 * together: average-linkage agglomerative clustering on the symmetric
 * similarity (share(A,B) + share(B,A)) / 2, leaves read off the tree with
 * each merge oriented to put the most similar ends side by side.
 * order[0..n) receives the same outlet indexes, reordered.  O(n^3) time,
 * O(n^2) memory: meant for the tens or hundreds of outlets a picture shows.
 * Returns RETOLD_OK or RETOLD_NOMEM. */
int retold_overlap_order(const retold_overlap *ov, const uint32_t *outlets, size_t n, uint32_t *order);

/* The heatmap: a dense (n + 1) x (n + 1) matrix, row-major, over keep[0..n)
 * and, as the last row and column, all other outlets together ("other
 * outlets").  Cell (i, j) is cell (keep[i], keep[j]) as above; for the
 * group, a document counts once however many outlets of the group it
 * matches, and the group's diagonal counts relations between *different*
 * outlets of the group (never self-reuse).  The cells' a and b are the row
 * and column numbers.  m must hold (n + 1)^2 cells.  Returns RETOLD_OK or
 * RETOLD_NOMEM. */
int retold_overlap_matrix(const retold_overlap *ov, const uint32_t *keep, size_t n,
                          retold_overlap_cell *m);

/* An ISO 8601 date or date-time to days since 1970-01-01 00:00 UTC:
 *   YYYY-MM-DD
 *   YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|+HH:MM|-HH:MM|+HHMM|+HH]
 * (a date alone is midnight UTC; a time without a zone is taken as UTC;
 * surrounding ASCII blanks are ignored).  Returns RETOLD_OK, or RETOLD_PARSE
 * for anything else (including impossible dates like 2023-02-29). */
int retold_overlap_parse_date(const char *s, size_t len, double *days);

#ifdef __cplusplus
}
#endif
#endif
