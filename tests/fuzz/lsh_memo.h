/* lsh_memo.h - for fuzz targets linked with -Wl,--wrap=retold_lsh_choose
 * (Makefile.fuzz): retold_lsh_choose integrates the S-curve for every
 * (b, r) with b r <= k, ~4 ms a call under the sanitizers, and is a pure
 * function of (t, k, w), so it is memoised; the real function still runs
 * once for every distinct argument triple.  Include it in one file of the
 * target. */
#ifndef RETOLD_FUZZ_LSH_MEMO_H
#define RETOLD_FUZZ_LSH_MEMO_H

#include <stdint.h>
#include <string.h>

int __real_retold_lsh_choose(double t, unsigned k, double w_fn, unsigned *bands, unsigned *rows);
int __wrap_retold_lsh_choose(double t, unsigned k, double w_fn, unsigned *bands, unsigned *rows);

int __wrap_retold_lsh_choose(double t, unsigned k, double w_fn, unsigned *bands, unsigned *rows)
{
    static struct { double t, w; unsigned k, b, r; int rc, used; } memo[4096];
    uint64_t bits;
    memcpy(&bits, &t, sizeof bits);
    size_t slot = (size_t)((bits * 0x9e3779b97f4a7c15ULL) >> 52 ^ k * 2654435761u ^ (w_fn > 0.5)) % 4096;
    if (memo[slot].used && memcmp(&memo[slot].t, &t, sizeof t) == 0 && memo[slot].k == k && memo[slot].w == w_fn) {
        *bands = memo[slot].b;
        *rows = memo[slot].r;
        return memo[slot].rc;
    }
    int rc = __real_retold_lsh_choose(t, k, w_fn, bands, rows);
    memo[slot].t = t; memo[slot].w = w_fn; memo[slot].k = k;
    memo[slot].b = *bands; memo[slot].r = *rows; memo[slot].rc = rc; memo[slot].used = 1;
    return rc;
}

#endif
