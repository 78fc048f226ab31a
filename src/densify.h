/* densify.h - private: densification of one-permutation MinHash by rank
 * tables (src/minhash.c), for documents with few shingles.
 *
 * retold_minhash fills an empty bin i from the first full bin in a fixed
 * pseudo-random probe sequence of i (probe a = 1, 2, ... looks at bin
 * fastrange(mix64(base_i + a), k)).  With f full bins of k that takes about
 * k / f probes per empty bin, so a 6-word document costs ~8,000 mix64
 * calls.  The sequence does not depend on the document: ranks[i * k + j]
 * is the first probe of bin i that looks at bin j, and the first full bin
 * the probing would find is the full bin of lowest rank, found with f table
 * reads.  Same signature, bit for bit (tests/check_minhash.c). */
#ifndef RETOLD_DENSIFY_H
#define RETOLD_DENSIFY_H

#include <stddef.h>
#include <stdint.h>

#define RETOLD__RANK_K_MAX 256          /* the table is k x k uint32 */
#define RETOLD__RANK_NONE  UINT32_MAX   /* not seen within the table's probes */

/* The k x k table for (k, seed), malloc'd; NULL when out of memory or
 * k > RETOLD__RANK_K_MAX. */
uint32_t *retold__minhash_ranks(unsigned k, uint64_t seed);

/* retold_minhash with a table from retold__minhash_ranks(k, seed), used when
 * the full bins are few; NULL ranks: the same as retold_minhash. */
void retold__minhash_ranked(const uint64_t *h, size_t n, unsigned k, uint64_t seed,
                            const uint32_t *ranks, uint32_t *sig);

#endif
