/*
 * retold/minhash.h - MinHash signatures in O(shingles + k).
 *
 * One-permutation hashing (Li, Owen, Zhang, "One Permutation Hashing",
 * NIPS 2012) with optimal densification (Shrivastava, "Optimal Densification
 * for Fast and Accurate Minwise Hashing", ICML 2017).  Each shingle hash h
 * falls in bin floor(h * k / 2^64) (the high bits) and competes there with
 * its low 32 bits; each bin keeps its minimum.  An empty bin i copies the
 * value of the first non-empty bin on the probe sequence
 *     j_a = floor(mix64(seed, i, a) * k / 2^64),  a = 1, 2, ...
 * which is the same for every document, so two documents agree in bin i with
 * probability exactly J(A, B) (Shrivastava 2017, Theorem 1): the estimate
 * matches/k is unbiased.  Values are 32-bit (b-bit minwise hashing with
 * b = 32: a false agreement has probability 2^-32 per bin).
 */
#ifndef RETOLD_MINHASH_H
#define RETOLD_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RETOLD_PERMS_MAX 1024

/* Signature of the shingle hashes h[0..n) (duplicates allowed) into
 * sig[0..k), 1 <= k <= RETOLD_PERMS_MAX.  n == 0 gives all bins 0xFFFFFFFF;
 * callers must not compare empty documents (they match nothing). */
void retold_minhash(const uint64_t *h, size_t n, unsigned k, uint64_t seed,
                    uint32_t *sig);

/* Number of bins where a and b agree. */
unsigned retold_minhash_matches(const uint32_t *a, const uint32_t *b, unsigned k);

/* Estimated Jaccard similarity: matches / k. */
double retold_minhash_jaccard(const uint32_t *a, const uint32_t *b, unsigned k);

#ifdef __cplusplus
}
#endif
#endif
