/*
 * shingle.c - word and character n-gram shingles (see shingle.h).
 *
 * Each token is hashed once (by the tokeniser); a word shingle combines the
 * hashes of its n tokens as a polynomial in B modulo 2^64, rolled from one
 * shingle to the next (drop the oldest token's term, multiply by B, add the
 * new token), then mixed by MurmurHash3's finaliser so that every output
 * bit depends on every input bit (MinHash takes its bin from the high bits
 * and its value from the low ones).  ~10 instructions a shingle, against
 * ~55 for XXH3 over 40 bytes (signature format 1).  B is odd, so a window
 * differing from another in one token always hashes differently before the
 * (bijective) finaliser; windows differing in several collide with
 * probability ~2^-62 (doc/format-signature.md).
 */
#include "retold/shingle.h"
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include "hash.h"

#define SHINGLE_B 0x9E3779B97F4A7C15ULL

static inline uint64_t fmix64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

size_t retold_shingle_count(size_t m, unsigned n)
{
    if (m == 0) return 0;
    return m < n ? 1 : m - n + 1;
}

size_t retold_shingle_words(const retold_token *tokens, size_t m, unsigned n,
                            uint64_t seed, uint64_t *out)
{
    if (m == 0 || n == 0) return 0;
    const size_t w = m < n ? m : n;
    const size_t count = retold_shingle_count(m, n);
    uint64_t top = 1, p = 0;                 /* B^(w-1); P_0 */
    for (size_t j = 0; j < w; j++) {
        if (j) top *= SHINGLE_B;
        p = p * SHINGLE_B + tokens[j].hash;
    }
    out[0] = fmix64(p ^ seed);
    for (size_t i = 1; i < count; i++) {
        p = (p - tokens[i - 1].hash * top) * SHINGLE_B + tokens[i + w - 1].hash;
        out[i] = fmix64(p ^ seed);
    }
    return count;
}

size_t retold_shingle_chars(const retold_token *tokens, size_t m, const char *norm,
                            unsigned n, uint64_t seed, uint64_t *out, size_t cap)
{
    if (m == 0 || n == 0) return 0;
    /* Join the token texts with spaces, remembering code point starts. */
    size_t bytes = 0;
    for (size_t i = 0; i < m; i++) bytes += tokens[i].norm_len + 1;
    char *joined = malloc(bytes);
    size_t *starts = malloc((bytes + 1) * sizeof *starts);
    size_t count = 0;
    if (!joined || !starts) { count = RETOLD_SHINGLE_NOMEM; goto out; }
    size_t len = 0, ncp = 0;
    for (size_t i = 0; i < m; i++) {
        if (i) joined[len++] = ' ';
        memcpy(joined + len, norm + tokens[i].norm, tokens[i].norm_len);
        len += tokens[i].norm_len;
    }
    for (size_t p = 0; p < len;) {
        starts[ncp++] = p;
        int32_t cp;
        int bad;
        p += retold__utf8_decode((const unsigned char *)joined + p, len - p, &cp, &bad);
    }
    starts[ncp] = len;
    if (ncp < n) {
        if (cap) out[0] = XXH3_64bits_withSeed(joined, len, seed);
        count = 1;
        goto out;
    }
    count = ncp - n + 1;
    for (size_t i = 0; i < count && i < cap; i++)
        out[i] = XXH3_64bits_withSeed(joined + starts[i], starts[i + n] - starts[i], seed);
out:
    free(joined);
    free(starts);
    return count;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

size_t retold_shingle_unique(uint64_t *h, size_t n)
{
    if (n < 2) return n;
    qsort(h, n, sizeof *h, cmp_u64);
    size_t k = 1;
    for (size_t i = 1; i < n; i++)
        if (h[i] != h[k - 1]) h[k++] = h[i];
    return k;
}

size_t retold_shingle_intersection(const uint64_t *a, size_t na,
                                   const uint64_t *b, size_t nb)
{
    size_t i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j]) i++;
        else if (a[i] > b[j]) j++;
        else { common++; i++; j++; }
    }
    return common;
}
