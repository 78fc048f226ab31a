/* match.h - private: the verification of one candidate pair, shared by the
 * batch (batch.c) and the standing index (index.c) so both give the same
 * answers.  The rule (batch.h has it in full):
 *   surface-only runs decide from the signature estimate J^ with an exact
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
#include "similarity.h"

enum { RETOLD__DROP = 0, RETOLD__KEEP, RETOLD__EXACT };

/* What verification needs of one document. */
typedef struct retold__doc {
    retold__sets sets;          /* only when the decision is RETOLD__EXACT */
    const char *lang;           /* primary language the views used ("und") */
    uint64_t fingerprint;
    uint32_t distinct;          /* distinct surface shingles */
} retold__doc;

/* RETOLD__DROP, _KEEP (the estimate suffices) or _EXACT for a candidate
 * whose surface signatures agree in a fraction est of their bins. */
int retold__verify_decide(const retold_params *p, int verify, double est);

/* Verify candidate (x, y) with decision d and estimate est: fills every
 * score field and the relation of *pr (not a, b) and returns 1 if the pair
 * is reported, 0 if it is dropped. */
int retold__verify_pair(const retold_params *p, int d, float est,
                        const retold__doc *x, const retold__doc *y, retold_pair *pr);

#endif
