/*
 * retold/lsh.h - banded locality-sensitive hashing over MinHash signatures.
 *
 * A signature of k values is cut into b bands of r rows (b * r <= k).  Two
 * documents become a candidate pair when any band agrees in all r rows; for
 * Jaccard s that happens with probability
 *     P(s) = 1 - (1 - s^r)^b,
 * an S-curve whose steep part sits near (1/b)^(1/r).  Example: k = 128,
 * t = 0.8 gives b = 14, r = 9: P(0.7) = 0.44, P(0.8) = 0.87, P(0.9) = 0.999.
 *
 * Choosing (b, r) for a threshold t: minimise
 *     w_fp * integral_0^t P(s) ds  +  w_fn * integral_t^1 (1 - P(s)) ds
 * over all b * r <= k (datasketch's criterion).  retold weights misses
 * w_fn = 0.9, false candidates w_fp = 0.1, because every candidate is
 * verified afterwards: a false candidate costs one signature comparison, a
 * miss is lost for good.
 */
#ifndef RETOLD_LSH_H
#define RETOLD_LSH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RETOLD_LSH_WEIGHT_FN 0.9

/* P(s) for b bands of r rows. */
double retold_lsh_probability(double s, unsigned bands, unsigned rows);

/* Choose (bands, rows) for threshold t in (0, 1] and k permutations with
 * miss weight w_fn in [0, 1].  Returns RETOLD_OK or RETOLD_INVAL. */
int retold_lsh_choose(double t, unsigned k, double w_fn, unsigned *bands, unsigned *rows);

/* Band hashes of one signature: out[j] = XXH3_64bits_withSeed(LE32 rows of
 * band j, 4r, seed + j) for j < bands. */
void retold_lsh_band_hashes(const uint32_t *sig, unsigned bands, unsigned rows,
                            uint64_t seed, uint64_t *out);

/* Candidate pairs of n documents from their band hashes (bands[i * stride + j]
 * is band j of document i; stride >= b).  Documents with skip[i] != 0 take no part (skip may
 * be NULL).  With side != NULL only pairs with side[i] != side[j] are kept
 * (a batch against a reference).  On success *pairs is a malloc'd array of
 * *npairs distinct pairs encoded (i << 32) | j with i < j, sorted; the caller
 * frees it.  Returns RETOLD_OK, RETOLD_NOMEM or RETOLD_TOOBIG (more than
 * 2^32 - 1 documents). */
int retold_lsh_candidates(const uint64_t *bands, size_t n, unsigned b, size_t stride,
                          const uint8_t *skip, const uint8_t *side,
                          uint64_t **pairs, size_t *npairs);

#ifdef __cplusplus
}
#endif
#endif
