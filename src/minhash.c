/*
 * minhash.c - one-permutation MinHash with optimal densification.
 *
 * Cost: one 64x64->128 multiply, one compare and a store per shingle, plus
 * k bins to densify.  With 900 shingles (a 5 KB article) and k = 128 that is
 * ~1 us, against ~120 us for k independent hash functions.
 *
 * Worked example of densification, k = 4: bins after hashing [7, -, 3, -].
 * Bin 1 probes j = mix(1,1) -> 3 (empty), mix(1,2) -> 0 (7): takes 7.
 * Bin 3 probes mix(3,1) -> 2: takes 3.  Signature [7, 7, 3, 3].  A second
 * document with bins [7, 5, -, -] gives bin 2 from its own probe sequence
 * (the same positions), so bins 2, 3 agree only if the donors agree, which
 * happens with probability J: the estimate stays unbiased.
 */
#include "retold/minhash.h"
#include "densify.h"

#include <stdlib.h>
#include <string.h>

#define EMPTY UINT64_MAX

static inline uint64_t mix64(uint64_t x)       /* splitmix64 finaliser */
{
    x ^= x >> 30; x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27; x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

static inline uint32_t fastrange(uint64_t h, unsigned k)
{
    return (uint32_t)(((unsigned __int128)h * k) >> 64);
}

static inline uint64_t probe_base(uint64_t seed, unsigned i)
{
    return mix64(seed ^ 0x6a09e667f3bcc909ULL) ^ ((uint64_t)i << 32);
}

/* Bins of the shingles; returns how many are full. */
static unsigned fill_bins(const uint64_t *h, size_t n, unsigned k, uint64_t *bins)
{
    for (unsigned i = 0; i < k; i++) bins[i] = EMPTY;
    for (size_t s = 0; s < n; s++) {
        uint32_t b = fastrange(h[s], k);
        uint64_t v = (uint32_t)h[s];
        bins[b] = v < bins[b] ? v : bins[b];
    }
    unsigned full = 0;
    for (unsigned i = 0; i < k; i++) full += bins[i] != EMPTY;
    return full;
}

/* Empty bin i's donor by probing (there is at least one full bin). */
static uint64_t probe(const uint64_t *bins, unsigned k, uint64_t seed, unsigned i)
{
    uint64_t base = probe_base(seed, i);
    for (uint64_t a = 1;; a++) {
        uint32_t j = fastrange(mix64(base + a), k);
        if (bins[j] != EMPTY) return bins[j];
    }
}

void retold__minhash_ranked(const uint64_t *h, size_t n, unsigned k, uint64_t seed,
                            const uint32_t *ranks, uint32_t *sig)
{
    uint64_t bins[RETOLD_PERMS_MAX];
    unsigned full_at[RETOLD__RANK_K_MAX];
    if (n == 0) {
        memset(sig, 0xFF, k * sizeof *sig);
        return;
    }
    unsigned f = fill_bins(h, n, k, bins);
    /* f table reads against ~k / f probes: the table wins while f is small */
    int ranked = ranks && k <= RETOLD__RANK_K_MAX && f < k && (size_t)f * f <= 4 * (size_t)k;
    if (ranked)
        for (unsigned j = 0, m = 0; j < k; j++)
            if (bins[j] != EMPTY) full_at[m++] = j;
    for (unsigned i = 0; i < k; i++) {
        uint64_t v = bins[i];
        if (v == EMPTY) {
            uint32_t best = RETOLD__RANK_NONE;
            if (ranked) {
                const uint32_t *r = ranks + (size_t)i * k;
                for (unsigned m = 0; m < f; m++) {
                    uint32_t x = r[full_at[m]];
                    if (x < best) { best = x; v = bins[full_at[m]]; }
                }
            }
            if (best == RETOLD__RANK_NONE) v = probe(bins, k, seed, i);
        }
        sig[i] = (uint32_t)v;
    }
}

void retold_minhash(const uint64_t *h, size_t n, unsigned k, uint64_t seed,
                    uint32_t *sig)
{
    retold__minhash_ranked(h, n, k, seed, NULL, sig);
}

uint32_t *retold__minhash_ranks(unsigned k, uint64_t seed)
{
    if (k == 0 || k > RETOLD__RANK_K_MAX) return NULL;
    uint32_t *ranks = malloc((size_t)k * k * sizeof *ranks);
    if (!ranks) return NULL;
    /* 64 k probes per bin: a bin unseen by then (probability < k e^-64)
     * keeps RETOLD__RANK_NONE, and such a donor is found by probing */
    const uint64_t limit = 64 * (uint64_t)k;
    for (unsigned i = 0; i < k; i++) {
        uint32_t *r = ranks + (size_t)i * k;
        for (unsigned j = 0; j < k; j++) r[j] = RETOLD__RANK_NONE;
        uint64_t base = probe_base(seed, i);
        unsigned seen = 0;
        for (uint64_t a = 1; a <= limit && seen < k; a++) {
            uint32_t j = fastrange(mix64(base + a), k);
            if (r[j] == RETOLD__RANK_NONE) { r[j] = (uint32_t)a; seen++; }
        }
    }
    return ranks;
}

unsigned retold_minhash_matches(const uint32_t *a, const uint32_t *b, unsigned k)
{
    unsigned m = 0;
    for (unsigned i = 0; i < k; i++) m += a[i] == b[i];
    return m;
}

double retold_minhash_jaccard(const uint32_t *a, const uint32_t *b, unsigned k)
{
    return k ? (double)retold_minhash_matches(a, b, k) / k : 0.0;
}
