/*
 * hash.h - private: XXH3 on the hottest call site, the token hash, inlined.
 *
 * Every token is hashed (XXH3_64bits_withSeed over its normalised bytes,
 * almost always <= 16 of them).  The public XXH3_64bits_withSeed stays an out of
 * line call even under XXH_INLINE_ALL (it carries the long-input code), which
 * cost ~28 % of tokenising.  With xxHash 0.8 (the format of doc/
 * format-signature.md and the version Debian 12 ships) the header's own
 * length-class functions are visible under XXH_INLINE_ALL; calling them for
 * the lengths they serve gives the same value, inlined.  Other xxHash versions take
 * the public function.  tests/check_vectors.c and fuzz_text check the values.
 */
#ifndef RETOLD_HASH_H
#define RETOLD_HASH_H

#include <stddef.h>
#include <stdint.h>
#define XXH_INLINE_ALL
#include <xxhash.h>

#if XXH_VERSION_NUMBER >= 800 && XXH_VERSION_NUMBER < 900
#define RETOLD__XXH3_PARTS 1
#else
#define RETOLD__XXH3_PARTS 0
#endif

/* = XXH3_64bits_withSeed(p, n, seed) */
static inline __attribute__((always_inline)) uint64_t retold__hash_short(const void *p, size_t n, uint64_t seed)
{
#if RETOLD__XXH3_PARTS
    if (n <= 16) return XXH3_len_0to16_64b((const xxh_u8 *)p, n, XXH3_kSecret, seed);
#endif
    return XXH3_64bits_withSeed(p, n, seed);
}

/* The three short classes of XXH3 separately, for callers that sort their
 * inputs by length class first (the branch on the length is then taken the
 * same way for a whole run).  = XXH3_64bits_withSeed(p, n, seed) for n in
 * 1..3, 4..8 and 9..16 respectively. */
static inline __attribute__((always_inline)) uint64_t retold__hash_1to3(const void *p, size_t n, uint64_t seed)
{
#if RETOLD__XXH3_PARTS
    return XXH3_len_1to3_64b((const xxh_u8 *)p, n, XXH3_kSecret, seed);
#else
    return XXH3_64bits_withSeed(p, n, seed);
#endif
}

static inline __attribute__((always_inline)) uint64_t retold__hash_4to8(const void *p, size_t n, uint64_t seed)
{
#if RETOLD__XXH3_PARTS
    return XXH3_len_4to8_64b((const xxh_u8 *)p, n, XXH3_kSecret, seed);
#else
    return XXH3_64bits_withSeed(p, n, seed);
#endif
}

static inline __attribute__((always_inline)) uint64_t retold__hash_9to16(const void *p, size_t n, uint64_t seed)
{
#if RETOLD__XXH3_PARTS
    return XXH3_len_9to16_64b((const xxh_u8 *)p, n, XXH3_kSecret, seed);
#else
    return XXH3_64bits_withSeed(p, n, seed);
#endif
}

#endif
