/* match.h - private: the verification of one candidate pair, shared by the
 * batch (batch.c) and the standing index (index.c) so both give the same
 * answers.  The rule (batch.h has it in full):
 *   surface-only runs drop a pair whose sizes bound J below t
 *   (J <= min/max of the distinct counts), then decide from the signature
 *   estimate J^ with an exact
 *   check only within 3 sigma of the threshold t (sigma = sqrt(t(1-t)/k))
 *   in AUTO mode, every J^ >= t - 3 sigma in EXACT mode, none in ESTIMATE
 *   mode; then only J >= t is a pair (duplicate when the fingerprints
 *   agree, else near-copy);
 *   runs with more views verify every candidate exactly, classify it
 *   (relation.h) and drop RETOLD_REL_NONE. */
#ifndef RETOLD_MATCH_H
#define RETOLD_MATCH_H

#include <stdint.h>
#include "retold/batch.h"
#include "retold/sketch.h"
#include "similarity.h"

enum { RETOLD__DROP = 0, RETOLD__KEEP, RETOLD__EXACT };

/* Candidates of the rewrite and cross views (single-row bands): two agreeing
 * MinHash values at least (a pair at Jaccard 0.06 has 7.7 expected of 128,
 * P(>= 2) = 0.998; an unrelated pair at 0.005 has P(>= 2) = 0.13), and a
 * value shared by more than max(64, sqrt(n) * 4) of n documents is a common
 * feature (a month, a frequent word stem) and forms no bucket. */
#define RETOLD__LOW_MIN_BANDS 2
size_t retold__low_max_bucket(size_t n);

/* Exact sets are compared as 32-bit fingerprints of the shingle hashes:
 * bit 0 (the cross view's key bit) and the high 31 bits.  Two different
 * shingles of a pair agree by chance with probability 2^-31 each (a 700 x
 * 700 pair: 2e-4 expected false shared shingles). */
static inline uint64_t retold__set_fp(uint64_t h)
{
    return ((h >> 32) & ~(uint64_t)1) | (h & 1);
}

/* The fingerprint sets of the document last sketched by sk, for every view
 * in p->views: sorted, distinct, widened to 64 bits, in *buf (grown as
 * needed; the caller frees it), pointed to by *s. */
int retold__fp_sets(const retold_params *p, retold_sketcher *sk, uint64_t **buf, size_t *cap,
                    retold__sets *s);

/* What verification needs of one document. */
typedef struct retold__doc {
    retold__sets sets;          /* only when the decision is RETOLD__EXACT */
    const char *lang;           /* primary language the views used ("und") */
    uint64_t fingerprint;
    uint32_t distinct;          /* distinct surface shingles */
} retold__doc;

/* RETOLD__DROP, _KEEP (the estimate suffices) or _EXACT for a candidate
 * whose surface signatures agree in a fraction est of their bins, between
 * documents of na and nb distinct surface shingles.  The sizes bound the
 * Jaccard: J <= min(na, nb) / max(na, nb), so a surface-only run drops a
 * pair whose bound is below t without reading it again (a trimmed copy
 * of less than t of the original: no exact check, and no false pair from
 * a lucky estimate). */
int retold__verify_decide(const retold_params *p, int verify, double est,
                          uint32_t na, uint32_t nb);

/* Verify candidate (x, y) with decision d and estimate est: fills every
 * score field and the relation of *pr (not a, b) and returns 1 if the pair
 * is reported, 0 if it is dropped. */
int retold__verify_pair(const retold_params *p, int d, float est,
                        const retold__doc *x, const retold__doc *y, retold_pair *pr);

#endif
