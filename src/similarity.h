/* similarity.h - private: exact per-view similarity of two documents from
 * their sorted shingle sets (shared by batch.c and compare.c). */
#ifndef RETOLD_SIMILARITY_H
#define RETOLD_SIMILARITY_H

#include <stddef.h>
#include <stdint.h>
#include "retold/relation.h"

typedef struct retold__sets {
    const uint64_t *h[RETOLD_VIEW_COUNT];   /* sorted distinct; NULL = absent */
    const uint32_t *h32[RETOLD_VIEW_COUNT]; /* or 32-bit fingerprints of them
                                               (retold__fp_sets), used where
                                               h is NULL; both documents of a
                                               pair must use the same width */
    size_t n[RETOLD_VIEW_COUNT];
} retold__sets;

/* Fill sim (and the per-view jaccard/containment arrays, -1 where a view is
 * absent) from two documents' sets.  same_lang and identical are left to
 * the caller. */
void retold__similarity(const retold__sets *a, const retold__sets *b, retold_similarity *sim,
                        float jaccard[RETOLD_VIEW_COUNT], float containment[RETOLD_VIEW_COUNT]);

#endif
