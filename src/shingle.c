/*
 * shingle.c - word and character n-gram shingles (see shingle.h).
 *
 * Each token is hashed once (by the tokeniser); a word shingle then costs
 * one XXH3 call over 8n bytes (40 bytes at n = 5: a few ns), not n calls over
 * the token texts.
 */
#include "retold/shingle.h"
#include "unicode.h"

#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#define WINDOW_MAX 64     /* longest word n-gram hashed from a stack buffer */

static inline void put_le64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i));
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
    size_t w = m < n ? m : n;
    size_t count = retold_shingle_count(m, n);
    /* A ring of the last w encoded token hashes, laid out twice so that the
     * current window is always contiguous: slot j and j + w hold the same. */
    unsigned char ringbuf[2 * WINDOW_MAX * 8];
    unsigned char *ring = w <= WINDOW_MAX ? ringbuf : malloc(2 * w * 8);
    if (!ring) return 0;
    for (size_t j = 0; j < w; j++) {
        put_le64(ring + 8 * j, tokens[j].hash);
        put_le64(ring + 8 * (j + w), tokens[j].hash);
    }
    out[0] = XXH3_64bits_withSeed(ring, 8 * w, seed);
    for (size_t i = 1; i < count; i++) {
        size_t slot = (i - 1) % w;              /* oldest token leaves */
        uint64_t h = tokens[i + w - 1].hash;
        put_le64(ring + 8 * slot, h);
        put_le64(ring + 8 * (slot + w), h);
        out[i] = XXH3_64bits_withSeed(ring + 8 * (slot + 1), 8 * w, seed);
    }
    if (ring != ringbuf) free(ring);
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
    if (!joined || !starts) goto out;
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
