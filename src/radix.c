/*
 * radix.c - 8-bit LSD radix sorts.  Eight passes at most; a pass whose digit
 * is the same for every element is skipped (common for the high bytes of
 * pair codes), so sorting n 64-bit keys costs ~n * passes * 2 memory moves.
 */
#include "radix.h"

#include <string.h>

#define RADIX_SORT(NAME, T, KEY)                                              \
void NAME(T *a, T *tmp, size_t n)                                             \
{                                                                             \
    size_t count[8][256];                                                     \
    memset(count, 0, sizeof count);                                           \
    for (size_t i = 0; i < n; i++) {                                          \
        uint64_t k = KEY(a[i]);                                               \
        for (int d = 0; d < 8; d++) count[d][(k >> (8 * d)) & 0xFF]++;        \
    }                                                                         \
    T *src = a, *dst = tmp;                                                   \
    for (int d = 0; d < 8; d++) {                                             \
        size_t *c = count[d];                                                 \
        int trivial = 0;                                                      \
        for (int v = 0; v < 256; v++)                                         \
            if (c[v] == n) { trivial = 1; break; }                            \
        if (trivial) continue;                                                \
        size_t sum = 0;                                                       \
        for (int v = 0; v < 256; v++) { size_t t = c[v]; c[v] = sum; sum += t; } \
        for (size_t i = 0; i < n; i++)                                        \
            dst[c[(KEY(src[i]) >> (8 * d)) & 0xFF]++] = src[i];               \
        T *swap = src; src = dst; dst = swap;                                 \
    }                                                                         \
    if (src != a) memcpy(a, src, n * sizeof *a);                              \
}

#define KEYED_KEY(x) ((x).key)
#define U64_KEY(x) (x)
RADIX_SORT(retold__radix_keyed, retold__keyed, KEYED_KEY)
RADIX_SORT(retold__radix_u64, uint64_t, U64_KEY)
