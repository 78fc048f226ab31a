/* radix.h - private: LSD radix sorts used by LSH and the pipeline. */
#ifndef RETOLD_RADIX_H
#define RETOLD_RADIX_H

#include <stddef.h>
#include <stdint.h>

typedef struct retold__keyed {
    uint64_t key;
    uint64_t val;
} retold__keyed;

/* Sort a[0..n) by key (stable), using tmp[0..n) as scratch. */
void retold__radix_keyed(retold__keyed *a, retold__keyed *tmp, size_t n);

/* Sort a[0..n) ascending, using tmp[0..n) as scratch (radix / any size;
 * sort: quicksort for small n, radix above). */
void retold__sort_u64(uint64_t *a, uint64_t *tmp, size_t n);
/* Sort a[0..n) ascending, using tmp[0..n) as scratch. */
void retold__radix_u64(uint64_t *a, uint64_t *tmp, size_t n);

/* Sort a[0..n) ascending (tmp[0..n) scratch) where the keys are hash
 * values below 2^keybits: a bucket pass on the top bits and an insertion
 * sort; falls back to retold__sort_u64 for skewed keys. */
void retold__sort_hashes(uint64_t *a, uint64_t *tmp, size_t n, unsigned keybits);

#endif
