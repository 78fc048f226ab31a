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
#include "hash.h"



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
    /* The token hashes as one array of LE64 words, so that every shingle is
     * one XXH3 call over a contiguous window of 8w bytes.  out[] doubles as
     * that array: shingle i only reads words i..i+w-1 >= i, and is written
     * to out[i] after they were read, so hashing in place is safe. */
    for (size_t i = 0; i < m; i++) {
        uint64_t h = tokens[i].hash;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        h = __builtin_bswap64(h);
#endif
        out[i] = h;
    }
    if (w == 5)                  /* the default: a constant length, unrolled */
        for (size_t i = 0; i < count; i++)
            out[i] = retold__hash_40(out + i, seed);
    else
        for (size_t i = 0; i < count; i++)
            out[i] = XXH3_64bits_withSeed(out + i, 8 * w, seed);
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
