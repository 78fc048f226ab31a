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

/* Small arrays: quicksort (median of three) with insertion sort below 16
 * elements and an explicit stack; the comparison is inline, so ~4x faster
 * than qsort() and, below a few thousand keys, faster than eight radix
 * passes (whose fixed cost is ~10k instructions). */
static void insertion_u64(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
        a[j] = x;
    }
}

void retold__sort_u64(uint64_t *a, uint64_t *tmp, size_t n)
{
    if (n < 2) return;                  /* and a may be NULL when n == 0 */
    if (n >= 4096) { retold__radix_u64(a, tmp, n); return; }
    size_t stack[2 * 64], sp = 0, lo = 0, hi = n;
    for (;;) {
        while (hi - lo > 16) {
            size_t mid = lo + (hi - lo) / 2;
            uint64_t x = a[lo], y = a[mid], z = a[hi - 1];
            uint64_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
            size_t i = lo, j = hi - 1;
            for (;;) {
                while (a[i] < pivot) i++;
                while (a[j] > pivot) j--;
                if (i >= j) break;
                uint64_t t = a[i]; a[i] = a[j]; a[j] = t;
                i++; j--;
            }
            /* [lo, j] <= pivot <= [j + 1, hi): recurse on the smaller side */
            size_t l1 = lo, h1 = j + 1, l2 = j + 1, h2 = hi;
            if (h1 - l1 > h2 - l2) { size_t t = l1; l1 = l2; l2 = t; t = h1; h1 = h2; h2 = t; }
            stack[sp++] = l2;
            stack[sp++] = h2;
            lo = l1;
            hi = h1;
        }
        insertion_u64(a + lo, hi - lo);
        if (sp == 0) return;
        hi = stack[--sp];
        lo = stack[--sp];
    }
}

/* Keys that are hash values (uniform over [0, 2^keybits)): one counting
 * pass on the top bits spreads them over about n/2 buckets of ~2, an
 * insertion sort mends the rest.  ~3x faster than the quicksort for the
 * few hundred fingerprints of a document's exact set.  Crafted input (many
 * keys with the same top bits) falls back to retold__sort_u64 when a
 * bucket holds more than 32 keys, so the cost stays O(n log n). */
void retold__sort_hashes(uint64_t *a, uint64_t *tmp, size_t n, unsigned keybits)
{
    if (n < 32 || n > 8192 || keybits < 12 || keybits > 64) {
        retold__sort_u64(a, tmp, n);
        return;
    }
    unsigned b = 4;
    while (b < 12 && ((size_t)1 << (b + 1)) <= n) b++;   /* 2^b ~ n/2 */
    unsigned shift = keybits - b;
    uint32_t count[1u << 12];
    memset(count, 0, ((size_t)1 << b) * sizeof *count);
    uint32_t most = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t k = a[i] >> shift;
        if (k >> b) { retold__sort_u64(a, tmp, n); return; }   /* not keybits wide */
        uint32_t c = ++count[k];
        most = c > most ? c : most;
    }
    if (most > 32) { retold__sort_u64(a, tmp, n); return; }
    uint32_t sum = 0;
    for (size_t v = 0; v < ((size_t)1 << b); v++) { uint32_t t = count[v]; count[v] = sum; sum += t; }
    for (size_t i = 0; i < n; i++) tmp[count[a[i] >> shift]++] = a[i];
    /* buckets are in order: only keys of one bucket are out of order */
    for (size_t i = 0; i < n; i++) {
        uint64_t x = tmp[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) { a[j] = a[j - 1]; j--; }
        a[j] = x;
    }
}
