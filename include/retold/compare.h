/*
 * retold/compare.h - two documents side by side: every view's exact
 * similarity, the relation, and the evidence (shared passages and shared
 * names/numbers with byte offsets into both original texts).
 */
#ifndef RETOLD_COMPARE_H
#define RETOLD_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include "retold/sketch.h"
#include "retold/batch.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A maximal run of matching normalised tokens: bytes [a_start, a_end) of
 * text A match bytes [b_start, b_end) of text B, `tokens` tokens long. */
typedef struct retold_passage {
    uint32_t a_start, a_end;
    uint32_t b_start, b_end;
    uint32_t tokens;
} retold_passage;

/* A name or number found in both texts (first occurrence in each). */
typedef struct retold_shared_key {
    uint32_t a_start, a_end;
    uint32_t b_start, b_end;
} retold_shared_key;

typedef struct retold_comparison {
    retold_pair pair;                 /* a = 0, b = 1; relation, score, views */
    char lang_a[RETOLD_LANG_LEN], lang_b[RETOLD_LANG_LEN];
    retold_passage *passages;         /* in order of A */
    size_t npassages;
    retold_shared_key *keys;          /* in order of A */
    size_t nkeys;
    size_t tokens_a, tokens_b;
    size_t invalid_a, invalid_b;      /* invalid UTF-8 sequences replaced */
} retold_comparison;

/* Maximal runs of at least min_tokens (>= 1) matching tokens, greedily from
 * the start of A: each A token belongs to at most one passage; the longest
 * match in B wins (earliest on ties).  *out is malloc'd (caller frees).
 * O(|A| + |B|) expected.  Returns RETOLD_OK, RETOLD_NOMEM or RETOLD_TOOBIG. */
int retold_align(const char *a, size_t la, const char *b, size_t lb,
                 unsigned min_tokens, retold_passage **out, size_t *n);

/* Compare two texts with params p (all views are computed whatever
 * p->views says; lang tags may be NULL: detected).  Fills *c, which the
 * caller releases with retold_comparison_release(). */
int retold_compare(const retold_params *p,
                   const char *a, size_t la, const char *lang_a,
                   const char *b, size_t lb, const char *lang_b,
                   retold_comparison *c);

void retold_comparison_release(retold_comparison *c);

#ifdef __cplusplus
}
#endif
#endif
